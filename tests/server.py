"""Find or start the MongoDB server the tests use."""
import os
import pathlib
import subprocess

ROOT = pathlib.Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "mongodb-local"


class TestServer:
    """``$MONGODB_URI`` when set (start nothing); otherwise a local server on a free port."""

    def __init__(self):
        self.uri = os.environ.get("MONGODB_URI")
        self.port = None

    def start(self):
        if self.uri:
            return self.uri
        result = subprocess.run(
            [str(SCRIPT), "start", "--port", "0"], check=True, capture_output=True, text=True,
        )
        self.uri = result.stdout.strip().splitlines()[-1]
        self.port = self.uri.rsplit(":", 1)[1]
        return self.uri

    def stop(self):
        if self.port is not None:
            subprocess.run([str(SCRIPT), "stop", "--port", self.port], check=False, capture_output=True)
            self.port = None
