"""
A separate process that creates Counter rows on command, for the tests of
ids across processes (test_sequences.py).

    python -m tests.integration.sequence_worker DATABASE_NAME

Reads lines from stdin: ``create N`` creates N rows and answers with one
line, the JSON list of their ids; end of input ends the process. Errors are
answered as ``{"error": "..."}``.
"""
import json
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.integration.settings")
    from django.conf import settings

    # The test database the parent created, not the settings' own name.
    settings.DATABASES["default"]["NAME"] = sys.argv[1]
    import django

    django.setup()
    from tests.integration.app.models import Counter

    for line in sys.stdin:
        command, _, count = line.partition(" ")
        if command != "create":
            break
        try:
            answer = [Counter.objects.create(label="w").pk for _ in range(int(count))]
        except Exception as exc:  # reported to the test, which fails on it
            answer = {"error": f"{type(exc).__name__}: {exc}"}
        print(json.dumps(answer), flush=True)


if __name__ == "__main__":
    main()
