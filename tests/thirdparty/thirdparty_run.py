"""
Run a third-party app's own test script with thirdparty_shim installed.

``python -m thirdparty_run SCRIPT [ARG ...]`` runs SCRIPT as ``__main__``
with ``sys.argv = [SCRIPT, ARG, ...]`` and SCRIPT's directory first on
sys.path, as ``python SCRIPT ARG ...`` would, after replacing DATABASES
and adding the outcome records (see thirdparty_shim).
"""
import os
import runpy
import sys

import thirdparty_shim


def main():
    script = os.path.abspath(sys.argv[1])
    sys.argv = [script] + sys.argv[2:]
    # "python -m" put the working directory first; "python SCRIPT" puts the
    # script's directory there instead.
    sys.path[0] = os.path.dirname(script)
    thirdparty_shim.install()
    runpy.run_path(script, run_name="__main__")


if __name__ == "__main__":
    main()
