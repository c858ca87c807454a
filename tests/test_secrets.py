"""kiosk.infra.secrets: environment over keyring, names checked, scrubbed, no file fallback."""

from __future__ import annotations

import logging
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import keyring
import pytest
from keyring.backends import fail

from kiosk.domain.errors import ConfigError, InputError, KeyringUnavailable
from kiosk.infra.config import Settings, parse_settings
from kiosk.infra.logs import ScrubFilter, contains_secret, scrub
from kiosk.infra.secrets import NAMES, Secrets, check_name, get_secret, refuse_secret_settings
from tests.conftest import ROOT
from tests.memkeyring import MemoryKeyring, memory_keyring  # noqa: F401 - fixture


def test_the_names_of_the_issue() -> None:
    assert NAMES == (
        "COGNITO_PASSWORD",
        "COGNITO_CLIENT_SECRET",
        "COGNITO_REFRESH_TOKEN",
        "KBANK_SECRET_KEY",
        "KBANK_CLIENT_SECRET",
        "MANAGER_PIN_HASH",
        "STORE_DB_PASSWORD",  # issue 19: the kiosk role's password for the store database
    )
    assert check_name(" cognito_password ") == "COGNITO_PASSWORD"
    with pytest.raises(InputError) as caught:
        check_name("ID_TOKEN")
    assert "Known names" in caught.value.text.en and caught.value.text.th


def test_keyring_and_environment(memory_keyring: MemoryKeyring) -> None:  # noqa: F811
    secrets = Secrets(environ={"KIOSK_SECRET_KBANK_SECRET_KEY": "skey_test_fromenv"})
    assert secrets.get("COGNITO_PASSWORD") is None and secrets.source("COGNITO_PASSWORD") is None
    secrets.set("COGNITO_PASSWORD", "kr-value-1")
    secrets.set("KBANK_SECRET_KEY", "skey_test_fromkeyring")
    assert memory_keyring.store[("qr-kiosk", "COGNITO_PASSWORD")] == "kr-value-1"
    assert secrets.get("COGNITO_PASSWORD") == "kr-value-1"
    assert secrets.source("COGNITO_PASSWORD") == "keyring"
    assert secrets.get("KBANK_SECRET_KEY") == "skey_test_fromenv"  # the override wins
    assert secrets.source("KBANK_SECRET_KEY") == "env" and secrets.overridden("KBANK_SECRET_KEY")
    assert secrets.delete("COGNITO_PASSWORD") and not secrets.delete("COGNITO_PASSWORD")
    with pytest.raises(InputError):
        secrets.set("COGNITO_PASSWORD", "")
    with pytest.raises(InputError):
        secrets.get("NOT_A_SECRET")
    assert secrets.status().ok and "MemoryKeyring" in secrets.status().backend
    assert "kr-value-1" not in repr(secrets)


def test_every_value_read_or_written_is_scrubbed_from_logs(
    memory_keyring: MemoryKeyring,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KIOSK_SECRET_COGNITO_CLIENT_SECRET", "env-client-secret-77")
    secrets = Secrets()
    secrets.set("COGNITO_PASSWORD", "written-pw-88")
    assert get_secret("COGNITO_CLIENT_SECRET") == "env-client-secret-77"
    line = "pw=written-pw-88 cs=env-client-secret-77"
    assert scrub(line) == "pw=*** cs=***"
    assert contains_secret(line) and not contains_secret("nothing here")
    record = logging.LogRecord("kiosk.x", logging.INFO, __file__, 1, "%s", (line,), None)
    assert ScrubFilter().filter(record) and record.getMessage() == "pw=*** cs=***"


def test_an_unreachable_keyring_says_what_to_do() -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        secrets = Secrets(environ={"KIOSK_SECRET_COGNITO_PASSWORD": "env-only-pw"})
        assert secrets.get("COGNITO_PASSWORD") == "env-only-pw"  # no keyring needed
        with pytest.raises(KeyringUnavailable) as caught:
            secrets.get("COGNITO_CLIENT_SECRET")
        assert get_secret("COGNITO_CLIENT_SECRET") is None  # the lenient read
        with pytest.raises(KeyringUnavailable):
            secrets.set("COGNITO_CLIENT_SECRET", "x-value")
        status = secrets.status()
    finally:
        keyring.set_keyring(previous)
    text = caught.value.text
    assert "gnome-keyring" in text.en and "KIOSK_SECRET_<NAME>" in text.en
    assert "plain file" in text.en and "KIOSK_SECRET_<NAME>" in text.th
    assert not status.ok and status.backend == "keyring.backends.fail.Keyring"


def test_a_plain_text_keyring_backend_is_refused() -> None:
    class PlaintextKeyring(MemoryKeyring):
        pass

    PlaintextKeyring.__module__ = "keyrings.alt.file"
    previous = keyring.get_keyring()
    keyring.set_keyring(PlaintextKeyring())
    try:
        with pytest.raises(KeyringUnavailable) as caught:
            Secrets(environ={}).set("COGNITO_PASSWORD", "would-be-plain")
    finally:
        keyring.set_keyring(previous)
    assert "readable file" in caught.value.text.en


def test_headless_default_backend_in_a_fresh_process() -> None:
    # keyring picks its backend once per process; this one has no test backends defined.
    code = (
        "import keyring, sys\n"
        "from kiosk.infra.secrets import Secrets\n"
        "s = Secrets(environ={}).status()\n"
        "print(type(keyring.get_keyring()).__module__, s.ok)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=30,
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", "HOME": "/nonexistent", "PYTHONPATH": str(ROOT)},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    module, ok = result.stdout.split()
    # Whatever this machine has, "ok" must agree with the backend: fail = not ok.
    assert (module == "keyring.backends.fail") == (ok == "False")


# --- a secret's value typed into a setting (issue 12, attack 6)


def villa_settings(**store: str) -> Settings:
    base = parse_settings(
        '[gateway]\nkind = "villa"\nbase_url = "https://api.example"\n'
        '[gateway.cognito]\nclient_id = "c"\nusername = "kiosk01"\n'
    )
    return replace(base, store=replace(base.store, **store), source="/etc/kiosk/config.toml")


def test_a_setting_holding_an_environment_secret_is_refused_by_name() -> None:
    secrets = Secrets(environ={"KIOSK_SECRET_COGNITO_PASSWORD": "Sup3r-Secret-Pw"})
    settings = replace(Settings(), store=replace(Settings().store, name="Sup3r-Secret-Pw"))
    with pytest.raises(ConfigError) as caught:
        refuse_secret_settings(settings, secrets)
    error = caught.value
    assert "'store.name'" in error.text.en and "COGNITO_PASSWORD" in error.text.en
    assert "store.name" in error.text.th
    assert "Sup3r-Secret-Pw" not in str(error) + error.text.th
    # Inside a longer value too; a setting without it passes.
    with pytest.raises(ConfigError, match=r"store\.name"):
        refuse_secret_settings(
            replace(settings, store=replace(settings.store, name="Shop Sup3r-Secret-Pw")), secrets
        )
    refuse_secret_settings(Settings(), secrets)


def test_a_villa_kiosk_checks_the_keyring_too(memory_keyring: MemoryKeyring) -> None:  # noqa: F811
    secrets = Secrets(environ={})
    secrets.set("COGNITO_CLIENT_SECRET", "kr-client-secret-9")
    with pytest.raises(ConfigError) as caught:
        refuse_secret_settings(villa_settings(expected_payee="kr-client-secret-9"), secrets)
    assert "'store.expected_payee'" in caught.value.text.en
    assert "/etc/kiosk/config.toml" in caught.value.text.en
    refuse_secret_settings(villa_settings(), secrets)
    # A sandbox kiosk never opens the keyring for it (start-up stays fast).
    sandbox = replace(Settings(), store=replace(Settings().store, name="kr-client-secret-9"))
    refuse_secret_settings(sandbox, secrets)
    assert memory_keyring.store[("qr-kiosk", "COGNITO_CLIENT_SECRET")] == "kr-client-secret-9"


def test_without_a_keyring_the_environment_is_still_checked() -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        env = {"KIOSK_SECRET_KBANK_SECRET_KEY": "skey_test_abcdef"}
        refuse_secret_settings(villa_settings(), Secrets(environ=env))
        with pytest.raises(ConfigError, match="KBANK_SECRET_KEY"):
            refuse_secret_settings(villa_settings(name="skey_test_abcdef"), Secrets(environ=env))
    finally:
        keyring.set_keyring(previous)


def test_the_kiosk_does_not_start_with_such_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kiosk.app.compose import build_services

    monkeypatch.setenv("KIOSK_SECRET_COGNITO_PASSWORD", "Sup3r-Secret-Pw")
    settings = replace(Settings(), store=replace(Settings().store, name="Sup3r-Secret-Pw"))
    with pytest.raises(ConfigError, match=r"store\.name"):
        build_services(settings, directory=tmp_path / "data")
    assert not (tmp_path / "data").exists()  # nothing opened, journaled or sent
