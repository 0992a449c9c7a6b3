"""Faults: the server killed in the middle of an import, the database going away and back.

- SIGKILL while a 50,000-row placements import is being written: the real server
  (uvicorn, as bench/load.py starts it) on a fresh SQLite file. The kill comes once the
  import holds SQLite's write lock (probed with BEGIN IMMEDIATE, so not a guess in
  seconds) and before any answer came back. Afterwards nothing of the import is stored,
  the file passes `PRAGMA integrity_check` and the audit chain is intact.
- PostgreSQL unreachable: the app reaches the database through a TCP proxy in the test;
  with the proxy closed a request answers 503 with the JSON message, and once it is
  open again the next request succeeds without restarting the app (pool_pre_ping).
  Runs in the PostgreSQL pass (`pytest -m storage` with PROCURE_TEST_POSTGRES_URL).
"""

from __future__ import annotations

import importlib.util
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from litestar.testing import TestClient
from reliability_world import Tenants, add_contract
from sqlalchemy import Engine
from sqlmodel import Session

from procure.app import create_app
from procure.services import audit_log
from procure.settings import get_settings
from procure.storage import migrations
from procure.storage.database import create_database_engine

ROOT = Path(__file__).resolve().parents[2]
ROWS = 50_000


def _bench_load():
    spec = importlib.util.spec_from_file_location("bench_load", ROOT / "bench" / "load.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_load"] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def _large_csv(path: Path, rows: int) -> None:
    first = date(2016, 3, 1)
    with path.open("w", encoding="utf-8") as out:
        out.write("participant_ref,target_groups,gender,placement_type,start,end,hours_per_week,days_per_week\n")
        for number in range(rows):
            start = first + timedelta(days=number % 700)
            out.write(f"K-{number:05d},newcomer,female,internship,{start},{start + timedelta(days=60)},40,5\n")


def _counts(database: Path) -> tuple[int, int]:
    with sqlite3.connect(database) as connection:
        return (connection.execute("SELECT count(*) FROM placements").fetchone()[0],
                connection.execute("SELECT count(*) FROM participants").fetchone()[0])


def _writer_active(database: Path) -> bool:
    """Whether another connection holds SQLite's write lock right now."""
    connection = sqlite3.connect(database, timeout=0, isolation_level=None)
    try:
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("ROLLBACK")
        return False
    except sqlite3.OperationalError as error:
        if "locked" not in str(error) and "busy" not in str(error):
            raise
        return True
    finally:
        connection.close()


def _answered(connection: socket.socket) -> bool:
    connection.setblocking(False)
    try:
        return connection.recv(1, socket.MSG_PEEK) != b""
    except BlockingIOError:
        return False
    finally:
        connection.setblocking(True)


def test_sigkill_during_a_large_import_leaves_the_database_intact(tmp_path: Path) -> None:
    load = _bench_load()
    database = tmp_path / "kill.sqlite3"
    database_url = f"sqlite:///{database}"
    migrations.upgrade(database_url)
    contract_id, tokens = load.populate(database_url, contractors=1, buyers=0)
    csv_path = tmp_path / "placements.csv"
    _large_csv(csv_path, ROWS)
    port = load.free_port()
    # The test's own secret: the server keys the audit chain that is verified below.
    env = {**os.environ, "PROCURE_DATABASE_URL": database_url, "PROCURE_SECRET_KEY": get_settings().secret_key.decode(),
           "PROCURE_LOG_LEVEL": "warning"}
    server = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "procure.app:create_app", "--factory", "--host", "127.0.0.1",
         "--port", str(port), "--log-level", "warning"],
        env=env, cwd=tmp_path,
    )
    try:
        load.wait_until_up(f"http://127.0.0.1:{port}", server)
        # One placement stored before the import: "unchanged" then means more than "empty".
        import httpx

        first = httpx.post(f"http://127.0.0.1:{port}/api/contracts/{contract_id}/placements",
                           json=load.placement_body(0, 0), headers={"Authorization": f"Bearer {tokens['contractor'][0]}"})
        assert first.status_code == 201, first.text
        before = _counts(database)

        body = csv_path.read_bytes()
        head = (f"POST /api/contracts/{contract_id}/placements/import HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                f"Authorization: Bearer {tokens['contractor'][0]}\r\nContent-Type: text/csv\r\n"
                f"Content-Length: {len(body)}\r\n\r\n").encode()
        with socket.create_connection(("127.0.0.1", port)) as connection:
            connection.sendall(head + body)
            deadline = time.monotonic() + 120
            while not _writer_active(database):
                assert not _answered(connection), "the import finished before it could be interrupted"
                assert server.poll() is None and time.monotonic() < deadline, "the import never started writing"
                time.sleep(0.01)
            server.send_signal(signal.SIGKILL)
            server.wait(timeout=30)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait(timeout=30)

    assert server.returncode == -signal.SIGKILL
    with sqlite3.connect(database) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    assert _counts(database) == before
    engine = create_database_engine(database_url)
    try:
        with Session(engine) as session:
            assert audit_log.verify(session) is None
            assert audit_log.entry_count(session) > 0
    finally:
        engine.dispose()


class Proxy:
    """A TCP forwarder on a loopback port that can be cut (every connection dropped,
    new ones refused) and restored on the same port."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        self.port = 0
        self._listener: socket.socket | None = None
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()

    def open(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def close(self) -> None:
        with self._lock:
            listener, self._listener = self._listener, None
            dropped, self._sockets = self._sockets, []
        if listener is not None:
            # shutdown first: close alone does not wake the thread blocked in accept(),
            # and the port would go on accepting.
            try:
                listener.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            listener.close()
        for sock in dropped:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # closed
            try:
                upstream = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._sockets += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass


def test_database_unreachable_answers_503_and_recovers_without_restart(
    clean_database: Engine, tenants: Tenants
) -> None:
    if clean_database.dialect.name != "postgresql":
        pytest.skip("needs PostgreSQL: set PROCURE_TEST_POSTGRES_URL (SQLite is a file, it cannot become unreachable)")
    contract_id = add_contract(clean_database, tenants)
    real = clean_database.url
    proxy = Proxy((real.host or "127.0.0.1", real.port or 5432))
    proxy.open()
    engine = create_database_engine(real.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False))
    path, headers = f"/api/contracts/{contract_id}", tenants.headers["buyer"]
    try:
        with TestClient(app=create_app(engine=engine)) as client:
            assert client.get(path, headers=headers).status_code == 200

            proxy.close()
            down = client.get(path, headers=headers)
            assert down.status_code == 503, down.text
            assert "database cannot be reached" in down.json()["error"]

            proxy.open()
            again = [client.get(path, headers=headers) for _ in range(3)]
            assert [response.status_code for response in again] == [200, 200, 200], again[0].text
            assert again[0].json()["id"] == str(contract_id)
    finally:
        proxy.close()
        engine.dispose()
