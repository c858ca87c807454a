"""`kiosk pin set` (and `kiosk secrets set MANAGER_PIN_HASH`, the same code).

In-process with the in-memory keyring for the terminal and the pipe; real
processes on keyring's "fail" backend (a headless counter) for --print-hash.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from kiosk.app import cli
from kiosk.services.pin import verify_pin
from tests.memkeyring import MemoryKeyring, memory_keyring  # noqa: F401 - fixture
from tests.test_cli_install import SERVICE, Answers, kiosk, tty  # noqa: F401 - fixture

PIN = "482913"
KEY = (SERVICE, "MANAGER_PIN_HASH")


class Pipe(io.StringIO):
    """A non-terminal stdin that says how much of it was read."""

    def isatty(self) -> bool:
        return False


@pytest.mark.parametrize("command", [["pin", "set"], ["secrets", "set", "MANAGER_PIN_HASH"]])
def test_on_a_terminal_the_pin_is_asked_twice_and_only_its_hash_kept(
    command: list[str],
    tty: Answers,  # noqa: F811
    memory_keyring: MemoryKeyring,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
) -> None:
    tty.answers = [PIN, PIN]
    assert cli.main(command) == 0
    stored = memory_keyring.store[KEY]
    assert stored.startswith("$scrypt$") and verify_pin(PIN, stored)
    assert tty.prompts == ["New manager PIN (6 digits): ", "The same PIN again: "]
    out = capsys.readouterr()
    assert PIN not in out.out + out.err
    assert "stored in the keyring" in out.out


@pytest.mark.parametrize(
    ("answers", "says"),
    [
        ([PIN, "482914"], "The two entries differ; nothing was stored."),
        (["1234", "1234"], "The PIN must be exactly 6 digits."),
        (["12345a", "12345a"], "The PIN must be exactly 6 digits."),
        (["๔๘๒๙๑๓", "๔๘๒๙๑๓"], "The PIN must be exactly 6 digits."),  # Thai digits: not typable
        (["", ""], "No PIN was entered"),
    ],
)
def test_a_mismatch_or_a_bad_pin_exits_2_and_stores_nothing(
    answers: list[str],
    says: str,
    tty: Answers,  # noqa: F811
    memory_keyring: MemoryKeyring,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
) -> None:
    for command in (["pin", "set"], ["secrets", "set", "MANAGER_PIN_HASH"]):
        tty.answers = list(answers)
        assert cli.main(command) == 2
        err = capsys.readouterr().err
        assert says in err
        assert all(a not in err for a in answers if a)  # the PIN is never echoed
    assert memory_keyring.store == {}


def test_from_a_pipe_exactly_one_line_is_read(
    memory_keyring: MemoryKeyring,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    pipe = Pipe(f"{PIN}\r\nthe rest of the script\n")
    monkeypatch.setattr("sys.stdin", pipe)
    assert cli.main(["pin", "set"]) == 0
    assert verify_pin(PIN, memory_keyring.store[KEY])
    assert pipe.read() == "the rest of the script\n"  # nothing past the first line
    assert PIN not in capsys.readouterr().out


@pytest.mark.parametrize("text", ["", "12345\n", f"{PIN} \n", "\n"])
def test_a_bad_line_from_a_pipe_exits_2(
    text: str,
    memory_keyring: MemoryKeyring,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("sys.stdin", Pipe(text))
    assert cli.main(["pin", "set"]) == 2
    assert memory_keyring.store == {}


def test_print_hash_prints_the_line_and_stores_nothing(
    memory_keyring: MemoryKeyring,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setattr("sys.stdin", Pipe(f"{PIN}\n"))
    assert cli.main(["pin", "set", "--print-hash"]) == 0
    out = capsys.readouterr().out
    name, _, value = out.rstrip("\n").partition("=")
    assert out.count("\n") == 1 and name == "KIOSK_SECRET_MANAGER_PIN_HASH"
    assert verify_pin(PIN, value) and not verify_pin("482914", value)
    assert memory_keyring.store == {}


def test_headless_print_hash_gives_a_hash_the_kiosk_accepts(tmp_path: Path) -> None:
    """No keyring at all (keyring's fail backend): the printed line is all a counter needs."""
    result = kiosk("pin", "set", "--print-hash", tmp_path=tmp_path, stdin=f"{PIN}\n")
    assert result.returncode == 0, result.stderr
    assert result.stderr == "" and PIN not in result.stdout
    line = result.stdout.rstrip("\n")
    assert "\n" not in line and line.startswith("KIOSK_SECRET_MANAGER_PIN_HASH=$scrypt$")
    value = line.partition("=")[2]
    assert verify_pin(PIN, value)


def test_headless_pin_set_says_what_to_do_without_asking(tmp_path: Path) -> None:
    result = kiosk("pin", "set", tmp_path=tmp_path, stdin=f"{PIN}\n")
    assert result.returncode == 2
    assert "kiosk pin set --print-hash" in result.stderr
    assert "KIOSK_SECRET_MANAGER_PIN_HASH" in result.stderr
    assert "Traceback" not in result.stderr and PIN not in result.stdout + result.stderr


def test_bad_pin_in_a_process_exits_2(tmp_path: Path) -> None:
    result = kiosk("pin", "set", "--print-hash", tmp_path=tmp_path, stdin="12 34 56\n")
    assert result.returncode == 2 and result.stdout == ""
    assert "The PIN must be exactly 6 digits." in result.stderr
    assert "12 34 56" not in result.stderr
