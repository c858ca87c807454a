"""`kiosk secrets` and `kiosk doctor`: in-process with an in-memory keyring, and as
real processes for the headless (no keyring) path."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.app import cli
from kiosk.domain.clock import ManualClock
from kiosk.domain.exitcodes import ExitCode
from kiosk.gateways.sandbox import SandboxServer, Scenario
from kiosk.infra.secrets import Secrets
from kiosk.services.doctor import Line, exit_code, render, run_doctor
from kiosk.services.pin import hash_pin, verify_pin
from kiosk.services.setup import villa_values, write_config
from kiosk.store.journal import Journal
from tests.cognito_local import Pool, cognito, cognito_server, free_port  # noqa: F401
from tests.conftest import ROOT
from tests.fakes import run
from tests.memkeyring import MemoryKeyring, memory_keyring  # noqa: F401 - fixture

SERVICE = "qr-kiosk"


class Answers:
    """Stands in for getpass: hands out the prepared answers, records the prompts."""

    def __init__(self, *answers: str) -> None:
        self.answers = list(answers)
        self.prompts: list[str] = []

    def __call__(self, prompt: str = "") -> str:
        self.prompts.append(prompt)
        return self.answers.pop(0)


@pytest.fixture
def tty(monkeypatch: pytest.MonkeyPatch) -> Answers:
    answers = Answers()
    monkeypatch.setattr("getpass.getpass", answers)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    return answers


# --- kiosk secrets


def test_set_asks_twice_without_echo_and_stores(
    tty: Answers,
    memory_keyring: MemoryKeyring,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
) -> None:
    tty.answers = ["s3cret-Value!", "s3cret-Value!"]
    assert cli.main(["secrets", "set", "cognito_password"]) == 0
    assert memory_keyring.store[(SERVICE, "COGNITO_PASSWORD")] == "s3cret-Value!"
    assert tty.prompts == ["COGNITO_PASSWORD: ", "COGNITO_PASSWORD again: "]
    out = capsys.readouterr()
    assert "s3cret-Value!" not in out.out + out.err
    assert "stored in the keyring" in out.out


def test_set_refuses_a_mismatch_and_unknown_names(
    tty: Answers,
    memory_keyring: MemoryKeyring,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
) -> None:
    tty.answers = ["one-value", "another-value"]
    assert cli.main(["secrets", "set", "COGNITO_PASSWORD"]) == 2
    assert memory_keyring.store == {}
    assert cli.main(["secrets", "set", "ID_TOKEN"]) == 2
    assert cli.main(["secrets", "delete", "AWS_KEY"]) == 2
    err = capsys.readouterr().err
    assert "differ" in err and "Unknown secret name 'ID_TOKEN'" in err
    assert "COGNITO_PASSWORD, COGNITO_CLIENT_SECRET" in err


def test_the_manager_pin_is_stored_as_a_hash(
    tty: Answers,
    memory_keyring: MemoryKeyring,  # noqa: F811
) -> None:
    tty.answers = ["123", "123"]
    assert cli.main(["secrets", "set", "MANAGER_PIN_HASH"]) == 2
    tty.answers = ["482913", "482913"]
    assert cli.main(["secrets", "set", "MANAGER_PIN_HASH"]) == 0
    stored = memory_keyring.store[(SERVICE, "MANAGER_PIN_HASH")]
    assert stored.startswith("$scrypt$") and verify_pin("482913", stored)


def test_delete_and_list(
    memory_keyring: MemoryKeyring,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    memory_keyring.store[(SERVICE, "KBANK_SECRET_KEY")] = "skey_test_abc"
    monkeypatch.setenv("KIOSK_SECRET_COGNITO_PASSWORD", "from-env-123")
    assert cli.main(["secrets", "list"]) == 0
    listed = capsys.readouterr().out
    assert "KBANK_SECRET_KEY         keyring" in listed
    assert "COGNITO_PASSWORD         env" in listed and "MANAGER_PIN_HASH         not set" in listed
    assert "skey_test_abc" not in listed and "from-env-123" not in listed
    assert cli.main(["secrets", "delete", "KBANK_SECRET_KEY"]) == 0
    assert cli.main(["secrets", "delete", "KBANK_SECRET_KEY"]) == 0
    assert cli.main(["secrets", "delete", "COGNITO_PASSWORD"]) == 0
    out = capsys.readouterr().out
    assert "deleted from the keyring" in out and "was not set" in out
    assert "KIOSK_SECRET_COGNITO_PASSWORD is set in this environment" in out


def kiosk(
    *args: str, tmp_path: Path, stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("KIOSK_", "PYTHON_KEYRING"))}
    clean.update(
        HOME=str(tmp_path / "home"),
        XDG_CONFIG_HOME=str(tmp_path / "xdg-config"),
        XDG_DATA_HOME=str(tmp_path / "xdg-data"),
        KIOSK_DATA_DIR=str(tmp_path / "data"),
        # what a headless Linux box has (see machine-notes): keyring's "fail" backend
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
    )
    clean.update(env or {})
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        env=clean,
        cwd=ROOT,
        check=False,
    )


def _files_holding(root: Path, needle: str) -> list[Path]:
    if not root.exists():
        return []
    return [p for p in root.rglob("*") if p.is_file() and needle.encode() in p.read_bytes()]


def test_without_a_keyring_set_says_what_to_do_and_writes_no_file(tmp_path: Path) -> None:
    result = kiosk(
        "secrets", "set", "COGNITO_PASSWORD", tmp_path=tmp_path, stdin="Plain-Secret-42\n"
    )
    assert result.returncode == 2
    assert "No keyring service is running" in result.stderr
    assert "gnome-keyring" in result.stderr and "KIOSK_SECRET_<NAME>" in result.stderr
    assert "never writes secrets to a plain file" in result.stderr
    assert "Traceback" not in result.stderr
    assert "Plain-Secret-42" not in result.stdout + result.stderr
    assert _files_holding(tmp_path, "Plain-Secret-42") == []


def test_without_a_keyring_doctor_fails_with_the_fix(tmp_path: Path) -> None:
    result = kiosk("doctor", tmp_path=tmp_path)
    assert result.returncode == ExitCode.USAGE, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("ok    config valid")
    assert any(line.startswith("FAIL  keyring reachable") for line in lines)
    assert any("fix:" in line and "gnome-keyring" in line for line in lines)
    assert lines[-1] == "2 check(s) failed"


def test_doctor_passes_headless_with_env_secrets(tmp_path: Path) -> None:
    pin_hash = hash_pin("482913")
    result = kiosk("doctor", tmp_path=tmp_path, env={"KIOSK_SECRET_MANAGER_PIN_HASH": pin_hash})
    assert result.returncode == 0, result.stdout
    assert "ok    keyring reachable: no (keyring.backends.fail.Keyring), but not needed" in (
        result.stdout
    )
    assert "ok    embedded sandbox server: 127.0.0.1:" in result.stdout
    assert "skip  Cognito sign-in" in result.stdout
    assert result.stdout.rstrip().endswith("all checks passed")
    assert pin_hash not in result.stdout


# --- kiosk doctor, in process


@pytest.fixture
def listening() -> Iterator[int]:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        yield server.getsockname()[1]


def statuses(lines: list[Line]) -> dict[str, str]:
    return {line.name: line.status for line in lines}


def test_doctor_on_a_villa_kiosk(
    tmp_path: Path,
    cognito: Pool,  # noqa: F811
    memory_keyring: MemoryKeyring,  # noqa: F811
    listening: int,
) -> None:
    cognito.jwks()
    secrets = Secrets(environ={})
    secrets.set("COGNITO_PASSWORD", cognito.password)
    secrets.set("COGNITO_CLIENT_SECRET", cognito.client_secret or "")
    secrets.set("MANAGER_PIN_HASH", hash_pin("482913"))
    data = tmp_path / "data"
    Journal.open(data / "journal.sqlite3").close()
    with SandboxServer(scenario=Scenario(), token_check=cognito.verify_id_token) as api:
        values = villa_values(
            base_url=api.base_url, client_id=cognito.client_id, username=cognito.username
        )
        values.update(
            {
                "gateway.cognito.region": "us-east-1",
                "gateway.cognito.endpoint_url": cognito.cognito.url.rstrip("/"),
                "printer.kind": "network",
                "printer.host": "127.0.0.1",
                "printer.port": listening,
            }
        )
        config = tmp_path / "config.toml"
        write_config(values, config)
        lines = run(
            run_doctor(config=str(config), secrets=secrets, directory=data, clock=ManualClock())
        )
    assert exit_code(lines) == 0, render(lines)
    assert list(statuses(lines)) == [
        "config valid",
        "keyring reachable",
        "secrets present",
        "DNS/TLS to the base URL",
        "Cognito sign-in",
        "one API call",
        "journal writable and healthy",
        "printer reachable",
    ]
    assert set(statuses(lines).values()) == {"ok"}
    text = render(lines)
    assert "COGNITO_PASSWORD (keyring)" in text and "0 orders" in text
    assert cognito.password not in text


def test_doctor_names_each_failure(
    tmp_path: Path,
    cognito: Pool,  # noqa: F811
    memory_keyring: MemoryKeyring,  # noqa: F811
) -> None:
    secrets = Secrets(environ={})
    secrets.set("COGNITO_PASSWORD", "Wrong-Passw0rd!")
    data = tmp_path / "data"
    data.mkdir()
    (data / "journal.sqlite3").write_bytes(b"this is not a database" * 100)
    with SandboxServer(scenario=Scenario(), token_check=cognito.verify_id_token) as api:
        values = villa_values(
            base_url=api.base_url, client_id=cognito.client_id, username=cognito.username
        )
        values.update(
            {
                "gateway.cognito.endpoint_url": cognito.cognito.url.rstrip("/"),
                "printer.kind": "network",
                "printer.host": "127.0.0.1",
                "printer.port": free_port(),
            }
        )
        config = tmp_path / "config.toml"
        write_config(values, config)
        lines = run(run_doctor(config=str(config), secrets=secrets, directory=data))
    got = statuses(lines)
    assert got["secrets present"] == "FAIL"  # no MANAGER_PIN_HASH
    assert got["Cognito sign-in"] == "FAIL" and got["one API call"] == "skip"
    assert got["journal writable and healthy"] == "FAIL"
    assert got["printer reachable"] == "FAIL"
    assert exit_code(lines) == ExitCode.USAGE
    for line in lines:
        if line.status == "FAIL":
            assert line.fix is not None and line.fix.en, line
    text = render(lines)
    assert "kiosk secrets set MANAGER_PIN_HASH" in text and "Wrong-Passw0rd!" not in text
    assert "user name or password" in text and "printer.host" in text


def test_doctor_with_a_broken_settings_file(
    tmp_path: Path,
    memory_keyring: MemoryKeyring,  # noqa: F811
) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[gateway]\nkind = "paypal"\n')
    lines = run(run_doctor(config=str(config), secrets=Secrets(environ={}), directory=tmp_path))
    got = statuses(lines)
    assert got["config valid"] == "FAIL" and got["Cognito sign-in"] == "skip"
    assert "gateway.kind" in render(lines)
    assert "printer reachable" not in got


def test_doctor_without_a_printer_setting_prints_no_printer_line(
    tmp_path: Path,
    memory_keyring: MemoryKeyring,  # noqa: F811
) -> None:
    Secrets(environ={}).set("MANAGER_PIN_HASH", hash_pin("482913"))
    lines = run(run_doctor(config=None, secrets=Secrets(environ={}), directory=tmp_path / "d"))
    assert exit_code(lines) == 0, render(lines)
    assert "printer reachable" not in statuses(lines)
    assert not (tmp_path / "d").exists()  # doctor creates nothing
