"""The embedded development database: SecantusDB (MongoDB wire protocol on WiredTiger).

For development and tests only. It runs as its own process, never inside an app worker:
WiredTiger locks its folder, so a second process could not open it.
"""

import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path


def _server_command():
    exe = shutil.which("secantusd-py") or str(Path(sys.executable).with_name("secantusd-py"))
    return [exe]


def port_open(host, port):
    """True when something accepts connections on host:port."""
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex((host, port)) == 0


def free_port():
    """An unused loopback port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class EmbeddedMongo:
    """Start, wait for, and stop one SecantusDB server."""

    def __init__(self, host="127.0.0.1", port=27018, path="var/mongo", cache="256M", log=None):
        self.host, self.port, self.path, self.cache = host, port, path, cache
        self.log = log
        self.proc = None

    @property
    def uri(self):
        return f"mongodb://{self.host}:{self.port}/?directConnection=true"

    def start(self, timeout=60):
        """Start the server and wait until it answers a ping."""
        if port_open(self.host, self.port):
            raise RuntimeError(f"port {self.port} is taken: is another embedded server running?")
        if self.path != ":memory:":
            Path(self.path).mkdir(parents=True, exist_ok=True)
        cmd = [
            *_server_command(),
            "--host",
            self.host,
            "--port",
            str(self.port),
            "--storage-path",
            self.path,
            "--standalone",
            "--cache-size",
            self.cache,
            "--log-level",
            "WARNING",
        ]
        out = open(self.log, "ab") if self.log else subprocess.DEVNULL  # noqa: SIM115
        self.proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT)
        self._wait(timeout)
        return self

    def _wait(self, timeout):
        from pymongo import MongoClient

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the embedded database exited with {self.proc.returncode}")
            if port_open(self.host, self.port):
                client = MongoClient(self.uri, serverSelectionTimeoutMS=500)
                try:
                    client.admin.command("ping")
                    return
                except Exception:  # noqa: S110 - not ready yet
                    pass
                finally:
                    client.close()
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"the embedded database did not answer within {timeout} s")

    def stop(self, timeout=30):
        """SIGTERM, then wait; SIGKILL only if it will not stop."""
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
