"""The archive under gunicorn on a free loopback port, for the load test and the replica test."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def gunicorn(options: list[str], log: Path, *, env: dict[str, str] | None = None) -> Iterator[str]:
    """gunicorn with `options` (workers, threads, timeouts), its output in `log`; yields the
    base URL once it answers, and stops it (SIGTERM, then SIGKILL after 15 s) afterwards."""
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", "archive.wsgi:application"]
    command += ["--bind", f"127.0.0.1:{port}", *options]
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT
        )
        try:
            deadline = time.monotonic() + 60
            while True:
                with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
                    break
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"gunicorn did not start:\n{log.read_text()}")
                time.sleep(0.2)
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
