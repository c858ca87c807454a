"""Careless and hostile input to ``kiosk pin set`` (issue 16) and the keyring under it.

Whatever comes in (a keyring that throws, an endless pipe, NUL, bytes that
are not UTF-8, Ctrl-C), the command ends with a defined exit code and a
sentence, never a traceback, and the PIN is never shown.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from keyring.backend import KeyringBackend

from kiosk.app import cli
from tests.processes import clean_env, run_kiosk

PIN = "482913"
NO_KEYRING = "keyring.backends.fail.Keyring"


class Pipe(io.StringIO):
    def isatty(self) -> bool:
        return False


class Raising(KeyringBackend):
    """A keyring whose D-Bus layer throws what it throws (not keyring's own errors)."""

    priority = -1

    def __init__(self, on: str, error: Exception) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.on, self.error = on, error

    def get_password(self, service: str, username: str) -> str | None:
        if self.on == "get":
            raise self.error
        return None

    def set_password(self, service: str, username: str, password: str) -> None:
        raise self.error

    def delete_password(self, service: str, username: str) -> None:
        raise self.error


@pytest.fixture
def raising_keyring(request: pytest.FixtureRequest) -> Iterator[Raising]:
    previous = keyring.get_keyring()
    backend = Raising(*request.param)
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)


@pytest.mark.parametrize(
    "raising_keyring",
    [
        ("set", RuntimeError("org.freedesktop.DBus.Error.NoReply")),
        ("get", OSError("secret service locked")),
        ("set", ValueError("bad collection")),
    ],
    indirect=True,
)
@pytest.mark.parametrize("command", [["pin", "set"], ["secrets", "set", "MANAGER_PIN_HASH"]])
def test_a_keyring_that_throws_is_a_sentence_and_exit_2(
    raising_keyring: Raising,
    command: list[str],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr("sys.stdin", Pipe(f"{PIN}\n"))
    assert cli.main(command) == 2
    err = capsys.readouterr().err
    assert "keyring" in err and "--print-hash" in err and PIN not in err


def test_a_keyring_setting_naming_no_backend_is_a_sentence(tmp_path: Path) -> None:
    env = clean_env(KIOSK_DATA_DIR=str(tmp_path), PYTHON_KEYRING_BACKEND="no_such.Keyring")
    result = run_kiosk("pin", "set", env=env, input=f"{PIN}\n")
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and "keyring" in result.stderr


@pytest.mark.parametrize(
    "stdin",
    [
        b"48\x002913\n",
        b"\xff\xfe482913\n",
        b"4" * 100_000,  # no newline at all
        b" 482913 \n",
        "\u0664\u0668\u0662\u0669\u0661\u0663\n".encode(),  # Arabic-Indic digits
        b"\n",
        b"",
    ],
    ids=["nul", "not-utf8", "endless", "spaces", "other-digits", "empty-line", "eof"],
)
def test_print_hash_refuses_junk_on_stdin_with_exit_2(tmp_path: Path, stdin: bytes) -> None:
    env = clean_env(KIOSK_DATA_DIR=str(tmp_path), PYTHON_KEYRING_BACKEND=NO_KEYRING)
    result = run_kiosk("pin", "set", "--print-hash", env=env, input=stdin, text=False)
    err = result.stderr.decode("utf-8", "replace")
    assert result.returncode == 2, err
    assert result.stdout == b"" and "Traceback" not in err and "4829" not in err


def test_an_endless_pipe_is_not_read_to_its_end() -> None:
    """``kiosk pin set < /dev/zero``: one bounded line, not all memory."""

    class Endless(Pipe):
        def readline(self, size: int | None = -1) -> str:  # type: ignore[override]
            assert size is not None and 0 < size <= 4096, "an unbounded readline"
            return "0" * size

    from kiosk.app.pin_commands import read_pin
    from kiosk.domain.errors import InputError

    with pytest.raises(InputError):
        read_pin(stdin=Endless())


def test_secrets_set_reads_one_bounded_line_of_a_pipe(tmp_path: Path) -> None:
    """``kiosk secrets set STORE_DB_PASSWORD < /dev/zero`` ends, it does not eat all memory."""
    env = clean_env(KIOSK_DATA_DIR=str(tmp_path), PYTHON_KEYRING_BACKEND=NO_KEYRING)
    with open("/dev/zero", "rb") as zero:
        result = run_kiosk(
            "secrets", "set", "STORE_DB_PASSWORD", env=env, stdin=zero, text=False, timeout=30
        )
    assert result.returncode == 2, result.stderr[-500:]
    assert b"Traceback" not in result.stderr
