"""`procure serve` as a real process on a free port, for tests that need what only a real
server has: several processes on one database, uvicorn's own handling of headers.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

SECRET = "s" * 48
STARTUP_LIMIT = 90  # seconds: how long a server may take to answer at all before the test gives up


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def procure_server(database_url: str, cwd: Path, *args: str, env: dict[str, str] | None = None) -> Iterator[str]:
    """A `procure serve` on 127.0.0.1 and a free port; yields its base URL."""
    port = free_port()
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PROCURE_DATABASE_URL": database_url,
        "PROCURE_SECRET_KEY": SECRET,
        "PROCURE_LOG_LEVEL": "warning",
        **(env or {}),
    }
    command = [str(Path(sys.executable).parent / "procure"), "serve", "--host", "127.0.0.1", "--port", str(port), *args]
    process = subprocess.Popen(command, env=environment, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_LIMIT
        while True:
            if process.poll() is not None:
                raise AssertionError(f"procure serve ended with {process.returncode}: {process.stderr.read().decode()[-2000:]}")
            try:
                if httpx.get(f"{base}/api/health", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError("procure serve did not answer")
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stderr.close()


def client_from(address: str, base_url: str) -> httpx.Client:
    """An HTTP client whose connections come from `address` (any of 127.0.0.0/8 on Linux)."""
    return httpx.Client(base_url=base_url, transport=httpx.HTTPTransport(local_address=address), timeout=30)
