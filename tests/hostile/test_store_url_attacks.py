"""Careless store-database URLs (``[store_db] url``, ``kiosk store init --url``; issue 19).

Each is refused with a sentence (ConfigError for the settings, exit 2 for
the CLI) that never repeats a password, or, for a server that is not
PostgreSQL or not there, exit 5 within the connect timeout; never a traceback.
"""

from __future__ import annotations

import socket
import struct
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.domain.errors import ConfigError
from kiosk.infra.config import parse_settings
from tests.processes import clean_env, run_kiosk
from tests.store_pg.pgserver import free_port

SECRET = "hunter2secret"
BAD_URLS = [
    f"mysql://owner:{SECRET}@127.0.0.1/store",  # a password and the wrong scheme
    f"postgresql://owner@127.0.0.1:5432/store?password={SECRET}",  # libpq takes it there too
    f"postgresql://owner:{SECRET}@[::1/store",  # not even a URL
    "postgresql://owner@127.0.0.1:abc/store",
    "postgresql://owner@127.0.0.1:99999/store",
    "postgresql://owner@127.0.0.1:5432/store?host=/tmp",  # elsewhere than it says
    "postgresql://owner@127.0.0.1:5432/store?sslmode=disable",  # TLS has its own settings
    "postgresql://%ZZ@127.0.0.1:5432/store",
]


@pytest.mark.parametrize("url", BAD_URLS)
def test_a_bad_store_url_in_the_settings_is_refused_without_its_password(url: str) -> None:
    with pytest.raises(ConfigError, match=r"store_db\.url") as refused:
        parse_settings(f'[store_db]\nurl = "{url}"\n')
    assert SECRET not in str(refused.value) + refused.value.user_message("en")


@pytest.mark.parametrize("url", [*BAD_URLS, "", "postgresql:///store"])
def test_store_init_refuses_a_bad_url_with_exit_2(tmp_path: Path, url: str) -> None:
    env = clean_env(KIOSK_DATA_DIR=str(tmp_path))
    result = run_kiosk("store", "init", "--url", url, env=env, input="owner-password\n")
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and "--url" in result.stderr
    assert SECRET not in result.stdout + result.stderr and "owner-password" not in result.stderr


class Impostor:
    """Not PostgreSQL: answers every connection with ``reply`` (or nothing) on 127.0.0.1."""

    def __init__(self, reply: bytes | None) -> None:
        self.reply = reply
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.open: list[socket.socket] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.open.append(conn)
            if self.reply is not None:
                conn.sendall(self.reply)
                conn.close()

    def close(self) -> None:
        self.sock.close()
        for conn in self.open:
            conn.close()


@pytest.fixture
def impostor(request: pytest.FixtureRequest) -> Iterator[Impostor]:
    server = Impostor(request.param)
    yield server
    server.close()


@pytest.mark.parametrize(
    "impostor",
    [b"HTTP/1.1 200 OK\r\n\r\n" + b"\xff" * 512, b"N" + b"Rgarbage" * 64, b"", None],
    ids=["http", "bad-auth", "hangs-up", "silent"],
    indirect=True,
)
def test_store_init_against_something_else_than_postgresql_is_exit_5(
    tmp_path: Path, impostor: Impostor
) -> None:
    url = f"postgresql://owner@127.0.0.1:{impostor.port}/store"
    env = clean_env(KIOSK_DATA_DIR=str(tmp_path))
    result = run_kiosk("store", "init", "--url", url, env=env, input=f"{SECRET}\n", timeout=30)
    assert result.returncode == 5, result.stderr
    assert "Traceback" not in result.stderr and SECRET not in result.stdout + result.stderr


def test_store_init_on_a_closed_port_is_exit_5(tmp_path: Path) -> None:
    url = f"postgresql://owner@127.0.0.1:{free_port()}/store"
    env = clean_env(KIOSK_DATA_DIR=str(tmp_path))
    result = run_kiosk("store", "init", "--url", url, env=env, input=f"{SECRET}\n", timeout=30)
    assert result.returncode == 5 and SECRET not in result.stdout + result.stderr, result


def test_store_init_reads_one_bounded_line_of_a_pipe(tmp_path: Path) -> None:
    """``kiosk store init … < /dev/zero`` ends (exit 5 here), it does not eat all memory."""
    url = f"postgresql://owner@127.0.0.1:{free_port()}/store"
    env = clean_env(KIOSK_DATA_DIR=str(tmp_path))
    with open("/dev/zero", "rb") as zero:
        result = run_kiosk(
            "store", "init", "--url", url, env=env, stdin=zero, timeout=30, text=False
        )
    assert result.returncode == 5, result.stderr[-500:]


class EchoingServer(Impostor):
    """Asks for the password in clear text (libpq sends it) and quotes it back in its error."""

    def __init__(self) -> None:
        super().__init__(None)

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.open.append(conn)
            threading.Thread(target=self._answer, args=(conn,), daemon=True).start()

    @staticmethod
    def _read(conn: socket.socket, size: int) -> bytes:
        data = b""
        while len(data) < size:
            chunk = conn.recv(size - len(data))
            if not chunk:
                raise OSError("closed")
            data += chunk
        return data

    def _answer(self, conn: socket.socket) -> None:
        try:
            body = self._read(conn, struct.unpack("!I", self._read(conn, 4))[0] - 4)
            if struct.unpack("!I", body[:4])[0] == SSL_REQUEST:
                conn.sendall(b"N")
                self._read(conn, struct.unpack("!I", self._read(conn, 4))[0] - 4)
            conn.sendall(b"R" + struct.pack("!II", 8, 3))  # AuthenticationCleartextPassword
            self._read(conn, 1)
            password = self._read(conn, struct.unpack("!I", self._read(conn, 4))[0] - 4)
            text = b"SFATAL\0C28P01\0Mwrong password: " + password.rstrip(b"\0") + b"\0\0"
            conn.sendall(b"E" + struct.pack("!I", len(text) + 4) + text)
        except OSError:
            pass
        finally:
            conn.close()


SSL_REQUEST = 80877103


def test_a_server_quoting_the_owner_password_back_does_not_get_it_printed(tmp_path: Path) -> None:
    server = EchoingServer()
    try:
        url = f"postgresql://owner@127.0.0.1:{server.port}/store"
        env = clean_env(KIOSK_DATA_DIR=str(tmp_path))
        result = run_kiosk("store", "init", "--url", url, env=env, input=f"{SECRET}\n", timeout=30)
    finally:
        server.close()
    assert result.returncode == 5, result.stderr
    assert "wrong password" in result.stderr  # the server's words came through...
    assert SECRET not in result.stdout + result.stderr  # ...without the password
