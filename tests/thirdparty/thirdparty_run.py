"""
Run a third-party app's own test script with thirdparty_shim installed.

``python -m thirdparty_run SCRIPT [ARG ...]`` runs SCRIPT as ``__main__``
with ``sys.argv = [SCRIPT, ARG, ...]`` and SCRIPT's directory first on
sys.path, as ``python SCRIPT ARG ...`` would, after replacing DATABASES
and adding the outcome records (see thirdparty_shim).
``python -m thirdparty_run -m MODULE [ARG ...]`` runs MODULE as
``python -m MODULE ARG ...`` would (``python -m django test`` for a suite
that ships settings but no script).
"""
import os
import runpy
import sys

import thirdparty_shim


def main():
    if sys.argv[1] == "-m":
        module = sys.argv[2]
        sys.argv = [module] + sys.argv[3:]
        # "python -m" puts the working directory first, as here.
        thirdparty_shim.install()
        runpy.run_module(module, run_name="__main__", alter_sys=True)
        return
    script = os.path.abspath(sys.argv[1])
    sys.argv = [script] + sys.argv[2:]
    # "python -m" put the working directory first; "python SCRIPT" puts the
    # script's directory there instead.
    sys.path[0] = os.path.dirname(script)
    thirdparty_shim.install()
    runpy.run_path(script, run_name="__main__")


if __name__ == "__main__":
    main()
