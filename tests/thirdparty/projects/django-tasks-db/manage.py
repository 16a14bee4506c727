#!/usr/bin/env python
"""
The manage.py of django-tasks-db's test project, which its source
distribution does not ship (scripts/thirdparty lays these files over it).

Its suite starts workers with ``python -m manage db_worker``; under
scripts/thirdparty such a worker installs thirdparty_shim as the test
process does, and so reaches the test database (thirdparty_shim.py).
"""
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    try:
        import thirdparty_shim
    except ImportError:  # run by hand, outside scripts/thirdparty
        pass
    else:
        thirdparty_shim.install()
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
