"""A Redis server of a test's own, which the test may kill and start again
(tests/e2e/test_cluster_http.py, tests/unit/test_lock_store.py): the
machine's Redis on 6379 is shared with other work and never stopped.
`redis-server` on a free port of 127.0.0.1, nothing saved, so that it comes
back empty, as a Redis without persistence does after a crash. Standard
library only: the Rasa environment's scripts use it too."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as connection:
            connection.sendall(b"PING\r\n")
            return connection.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@dataclass
class PrivateRedis:
    folder: Path  # its log
    port: int = field(default_factory=free_port)
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    @property
    def pidfile(self) -> Path:
        return self.folder / f"redis-{self.port}.pid"

    def start(self) -> None:
        assert Path(REDIS_SERVER).exists(), "redis-server is missing (apt-get install redis-server)"
        command = [REDIS_SERVER, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        command += ["--dir", str(self.folder), "--logfile", str(self.folder / f"redis-{self.port}.log")]
        command += ["--pidfile", str(self.pidfile)]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while not answers(self.port):
            assert self.process.poll() is None, f"redis-server on {self.port} stopped (see {self.folder})"
            assert time.monotonic() < deadline, f"redis-server on {self.port} did not answer in 10 s"
            time.sleep(0.05)

    def kill(self) -> None:
        """kill -9, as a crash: everything in it is gone."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.pidfile.unlink(missing_ok=True)  # kill_left_over: what is left names a live one

    def __enter__(self) -> PrivateRedis:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.kill()


def kill_left_over(folder: Path) -> None:
    """Kill the private Redis servers a script started in `folder` and left running (it failed or timed out)."""
    for pidfile in folder.glob("redis-*.pid"):
        with contextlib.suppress(ValueError, OSError):
            os.kill(int(pidfile.read_text().strip()), signal.SIGKILL)
