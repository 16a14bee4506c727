"""
Run the per-call benchmark's operations through MongoDB's official Django
backend, django-mongodb-backend, as a peer to compare djongo with.

The peer pins its own Django and PyMongo, so it lives in a virtualenv of its
own under .cache/bench-peer/venv and runs benchmarks/peer_ops.py there as a
subprocess; nothing of it is imported into this process.

    from benchmarks.peer import run_peer
    run_peer("mongodb://127.0.0.1:27017", "peer_bench", rounds=5, size=300)
"""
import contextlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX
    fcntl = None

PEER_REQUIREMENT = "django-mongodb-backend==5.2.4"

BENCHMARKS_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCHMARKS_DIR.parent
PEER_DIR = REPO_ROOT / ".cache" / "bench-peer"
VENV_DIR = PEER_DIR / "venv"
# Written last, holding the requirement: a venv without it (pip died half way)
# or with another requirement (the pin was bumped) is built again from scratch.
MARKER = VENV_DIR / ".provisioned"
OPS_SCRIPT = BENCHMARKS_DIR / "peer_ops.py"

VENV_TIMEOUT = 300  # seconds for python -m venv
PIP_TIMEOUT = 900  # seconds for pip install: a slow index must not hang the bench forever
RUN_TIMEOUT = 600  # seconds for the run itself, plus PER_CALL_TIMEOUT per call below
PER_CALL_TIMEOUT = 0.05

# Variables that would make the peer's python load this project's packages or
# settings instead of its own.
LEAKY_VARIABLES = ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "PYTHONUSERBASE",
                   "VIRTUAL_ENV", "DJANGO_SETTINGS_MODULE")


class PeerError(Exception):
    """A reason the peer cannot be measured, reported as one line."""


def log(message):
    print(f"peer: {message}", file=sys.stderr, flush=True)


def run_peer(uri, database_name, rounds, size):
    """
    Time the benchmark's operations through django-mongodb-backend against
    the server at ``uri``, in database ``database_name``, which is dropped
    before and after.

    Return the peer script's report: {"versions": {...}, "ops": {name:
    {"wall": seconds, "cpu": seconds} or {"error": reason}}}, times being
    medians per call. Return {"error": reason} instead of raising when the
    peer cannot be provisioned or run, so the caller still prints its other
    columns; "versions" may come with it when the peer started but could not
    set up (e.g. it could not reach the server).
    """
    try:
        python = provision()
        return run_ops(python, uri, database_name, rounds, size)
    except PeerError as error:
        return {"error": str(error)}
    except Exception as error:  # Whatever went wrong, the main bench must go on.
        return {"error": one_line(f"{type(error).__name__}: {error}")}


def venv_python():
    return VENV_DIR / "bin" / "python"


def provision():
    """Build the peer's virtualenv unless a complete one exists; return its python."""
    PEER_DIR.mkdir(parents=True, exist_ok=True)
    # Two benchmarks started together must not build the same venv at once.
    with locked(PEER_DIR / ".lock"):
        if is_provisioned():
            return venv_python()
        started = time.monotonic()
        if VENV_DIR.exists():
            log(f"rebuilding the incomplete {shown(VENV_DIR)}")
            shutil.rmtree(VENV_DIR)
        log(f"creating {shown(VENV_DIR)} with {PEER_REQUIREMENT} (once) ...")
        # sys.executable is the project's python 3.11, which the peer supports;
        # venv bases the new environment on its base interpreter, not on .venv.
        command(["-m", "venv", str(VENV_DIR)], sys.executable, VENV_TIMEOUT, "python -m venv")
        command(["-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                 "--no-input", PEER_REQUIREMENT], venv_python(), PIP_TIMEOUT, "pip install")
        MARKER.write_text(PEER_REQUIREMENT + "\n")
        log(f"provisioned in {time.monotonic() - started:.0f}s")
        return venv_python()


def shown(path):
    """Return ``path`` relative to the repository when it is inside it."""
    try:
        return path.relative_to(REPO_ROOT)
    except ValueError:
        return path


def is_provisioned():
    try:
        return MARKER.read_text().strip() == PEER_REQUIREMENT and venv_python().exists()
    except OSError:
        return False


@contextlib.contextmanager
def locked(path):
    if fcntl is None:
        yield
        return
    with open(path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def clean_environment():
    environment = {key: value for key, value in os.environ.items() if key not in LEAKY_VARIABLES}
    environment["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return environment


def command(arguments, python, timeout, what):
    """Run ``python`` with ``arguments``; raise PeerError naming ``what`` when it fails."""
    try:
        result = subprocess.run([str(python), *arguments], capture_output=True, text=True,
                                timeout=timeout, env=clean_environment(), stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise PeerError(f"{what} timed out after {timeout}s")
    except OSError as error:
        raise PeerError(one_line(f"{what} could not start: {error}"))
    if result.returncode != 0:
        raise PeerError(one_line(f"{what} failed (exit {result.returncode}): "
                                 f"{last_line(result.stderr) or last_line(result.stdout)}"))
    return result


def run_ops(python, uri, database_name, rounds, size):
    """Run peer_ops.py with the peer's python; return the JSON of its last stdout line."""
    timeout = RUN_TIMEOUT + PER_CALL_TIMEOUT * rounds * size * 10
    # -I keeps the peer from seeing this repository: neither the current
    # directory, nor PYTHON* variables nor user site-packages reach its path.
    arguments = ["-I", str(OPS_SCRIPT), "--uri", uri, "--db", database_name,
                 "--rounds", str(rounds), "--size", str(size)]
    try:
        result = subprocess.run([str(python), *arguments], capture_output=True, text=True,
                                timeout=timeout, env=clean_environment(), stdin=subprocess.DEVNULL,
                                cwd=str(PEER_DIR))
    except subprocess.TimeoutExpired:
        raise PeerError(f"peer_ops.py timed out after {timeout:.0f}s")
    # The script prints its report even when it gives up (e.g. cannot connect),
    # with a top-level "error" that says why better than its exit code does.
    report = parse_report(result.stdout)
    if report is not None and (result.returncode == 0 or "error" in report):
        return report
    reason = last_line(result.stderr) or "no output"
    raise PeerError(one_line(f"peer_ops.py failed (exit {result.returncode}): {reason}"))


def parse_report(stdout):
    line = last_line(stdout)
    if not line:
        return None
    try:
        report = json.loads(line)
    except ValueError:
        return None
    return report if isinstance(report, dict) else None


def last_line(text):
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    return lines[-1] if lines else ""


def one_line(text, limit=300):
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit - 3] + "..."
