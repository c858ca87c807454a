"""The settings dialog / first-run wizard service API (no Qt)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from kiosk.domain.errors import ConfigError
from kiosk.infra.config import Settings, describe, load_settings
from kiosk.infra.secrets import Secrets
from kiosk.services.setup import (
    check_field,
    defaults,
    field_specs,
    needs_first_run,
    parse_field,
    problems,
    render_toml,
    sandbox_values,
    save_settings,
    settings_to_values,
    validate,
    villa_values,
    write_config,
)
from tests.memkeyring import MemoryKeyring, memory_keyring  # noqa: F401 - fixture

VILLA = villa_values(client_id="client-1", username="kiosk01", store_name="Villa 33")


def test_every_setting_has_a_form_field() -> None:
    specs = {spec.key: spec for spec in field_specs()}
    assert list(specs) == [key for key, _, _ in describe()]
    assert specs["gateway.kind"].choices == ("sandbox", "villa")
    assert specs["gateway.auth_header"].choices == ("raw", "bearer")
    assert specs["ui.language"].choices == ("en", "th")
    assert specs["store.max_amount"].kind == "money" and specs["store.max_amount"].default == (
        "50000.00"
    )
    assert specs["ui.sound"].kind == "bool" and specs["gateway.read_timeout_s"].kind == "float"
    assert specs["store.checkout_timeout_s"].kind == "int"
    assert specs["gateway.cognito.username"].section == "gateway.cognito"
    assert all(spec.help for spec in specs.values())
    assert settings_to_values(Settings()) == defaults()


@pytest.mark.parametrize(
    ("key", "text", "ok"),
    [
        ("store.checkout_timeout_s", "120", True),
        ("store.checkout_timeout_s", "abc", False),
        ("store.checkout_timeout_s", "5", False),
        ("gateway.read_timeout_s", "2.5", True),
        ("gateway.base_url", "http://shop.example", False),
        ("gateway.base_url", "https://shop.example/api/", True),
        ("store.max_amount", "20000.50", True),
        ("store.max_amount", "0", False),
        ("ui.sound", "no", True),
        ("ui.sound", "maybe", False),
        ("gateway.kind", "paypal", False),
        ("store.store_id", "S-1", False),
    ],
)
def test_fields_are_checked_as_typed(key: str, text: str, ok: bool) -> None:
    problem = check_field(key, text)
    assert (problem is None) is ok
    if problem is not None:
        assert problem.key == key and key in problem.text.en and problem.text.th


def test_typed_values() -> None:
    assert parse_field("ui.sound", "off") is False
    assert parse_field("store.store_id", "v12") == "V12"
    assert parse_field("gateway.base_url", "https://x.example/api/") == "https://x.example/api"
    assert check_field("gateway.nonsense", "x") is not None


def test_whole_form_problems_name_the_key() -> None:
    assert problems(VILLA) == []
    (missing_url,) = problems({"gateway.kind": "villa"})
    assert missing_url.key == "gateway.base_url"
    no_user = dict(VILLA, **{"gateway.cognito.username": ""})
    assert [p.key for p in problems(no_user)] == ["gateway.cognito.username"]
    several = problems({"store.checkout_timeout_s": "x", "ui.sound": "maybe", "bogus": 1})
    assert {p.key for p in several} == {"store.checkout_timeout_s", "ui.sound", "bogus"}
    with pytest.raises(ConfigError, match=r"gateway\.base_url"):
        validate({"gateway.kind": "villa"})


def test_the_file_holds_only_changes_and_loads_back(tmp_path: Path) -> None:
    values = dict(
        VILLA,
        **{
            "store.name": 'ร้าน "วิลล่า" \\ สุขุมวิท\t33',
            "store.max_amount": "20000.5",
            "ui.sound": False,
            "poll.fast_s": "0.5",
        },
    )
    path = tmp_path / "cfg" / "config.toml"
    written = write_config(values, path)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# Kiosk settings")
    assert "[gateway.cognito]" in text and "[store]" in text
    assert "language" not in text and "[sandbox]" not in text  # defaults left out
    loaded = load_settings(path)
    assert loaded == written and loaded.store.name == 'ร้าน "วิลล่า" \\ สุขุมวิท\t33'
    assert loaded.store.max_amount.plain() == "20000.50" and loaded.ui.sound is False
    assert settings_to_values(loaded)["gateway.cognito.username"] == "kiosk01"
    assert [p.name for p in path.parent.iterdir()] == ["config.toml"]  # no temp file left
    assert oct(path.stat().st_mode & 0o777) == "0o600"  # the kiosk user's alone


def test_a_bad_form_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    with pytest.raises(ConfigError):
        write_config({"gateway.kind": "villa"}, path)
    assert not path.exists()


def test_an_unwritable_place_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(ConfigError) as caught:
        write_config(sandbox_values(), blocker / "config.toml")
    assert "Cannot write the settings file" in caught.value.text.en


def test_a_password_typed_into_a_setting_is_refused(
    tmp_path: Path,
    memory_keyring: MemoryKeyring,  # noqa: F811
) -> None:
    secrets = Secrets(environ={})
    secrets.set("COGNITO_PASSWORD", "Sup3r-Secret-Pw")
    secrets.get("COGNITO_PASSWORD")  # read (and registered) by this process
    leaky = dict(VILLA, **{"store.name": "Sup3r-Secret-Pw"})
    with pytest.raises(ConfigError) as caught:
        write_config(leaky, tmp_path / "config.toml")
    assert "store.name" in caught.value.text.en
    assert "Sup3r-Secret-Pw" not in str(caught.value)
    typed = dict(VILLA, **{"gateway.cognito.username": "typed-secret-xyz"})
    with pytest.raises(ConfigError, match=r"gateway\.cognito\.username"):
        write_config(typed, tmp_path / "config.toml", guard=["typed-secret-xyz"])
    assert not (tmp_path / "config.toml").exists()


def test_save_stores_credentials_in_the_keyring_not_the_file(
    tmp_path: Path,
    memory_keyring: MemoryKeyring,  # noqa: F811
) -> None:
    secrets = Secrets(environ={})
    path = tmp_path / "config.toml"
    first = save_settings(
        VILLA,
        secrets=secrets,
        path=path,
        credentials={"COGNITO_PASSWORD": "pw-1-abcdef", "COGNITO_CLIENT_SECRET": ""},
    )
    assert memory_keyring.store[("qr-kiosk", "COGNITO_PASSWORD")] == "pw-1-abcdef"
    assert ("qr-kiosk", "COGNITO_CLIENT_SECRET") not in memory_keyring.store  # empty = keep
    assert "pw-1-abcdef" not in path.read_text(encoding="utf-8")

    secrets.set("COGNITO_REFRESH_TOKEN", "refresh-of-kiosk01")
    save_settings(
        dict(VILLA, **{"store.name": "renamed"}), secrets=secrets, path=path, previous=first
    )
    assert ("qr-kiosk", "COGNITO_REFRESH_TOKEN") in memory_keyring.store  # same user: kept
    other_user = dict(VILLA, **{"gateway.cognito.username": "kiosk02"})
    save_settings(other_user, secrets=secrets, path=path, previous=first)
    assert ("qr-kiosk", "COGNITO_REFRESH_TOKEN") not in memory_keyring.store


def test_first_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert needs_first_run()
    settings = write_config(sandbox_values(store_name="My Shop"), None)
    assert not needs_first_run()
    assert settings.uses_embedded_sandbox and settings.store.name == "My Shop"
    assert load_settings() == settings
    assert render_toml(sandbox_values(), header=False) == '[gateway]\nkind = "sandbox"\n'
    assert os.environ.get("KIOSK_CONFIG") is None
