from pathlib import Path

import pytest

from kiosk.domain.errors import ConfigError
from kiosk.domain.money import Money
from kiosk.infra.config import (
    Settings,
    config_path,
    data_dir,
    describe,
    load_settings,
    parse_settings,
)

FULL = """
[gateway]
kind = "villa"
base_url = "https://shop.villamarket.com/api/payment3devapi/"
auth_header = "bearer"
read_timeout_s = 20

[gateway.paths]
cancel = "/cancel/{orderid}"

[gateway.cognito]
user_pool_id = "ap-southeast-1_abc"
client_id = "client"
username = "kiosk01"

[store]
name = "ร้านวิลล่า"
store_id = "v12"
terminal_id = "t3"
max_amount = "20000.50"
checkout_timeout_s = 120
expected_payee = "0105558000000"

[ui]
language = "th"
"""


def test_defaults_are_the_embedded_sandbox() -> None:
    settings = parse_settings("")
    assert settings == Settings()
    assert settings.uses_embedded_sandbox
    assert settings.store.max_amount == Money(5_000_000)
    assert settings.gateway.paths.status == "/checkstatus/{orderid}"


def test_a_full_file() -> None:
    s = parse_settings(FULL, source="x.toml")
    assert s.gateway.kind == "villa" and not s.uses_embedded_sandbox
    assert s.gateway.base_url == "https://shop.villamarket.com/api/payment3devapi"
    assert s.gateway.auth_header == "bearer" and s.gateway.read_timeout_s == 20.0
    assert s.gateway.paths.cancel == "/cancel/{orderid}"
    assert s.gateway.paths.create_order == "/kbank/order"
    assert s.gateway.cognito.username == "kiosk01"
    assert s.gateway.cognito.region == "ap-southeast-1"
    assert (s.store.name, s.store.store_id, s.store.terminal_id) == ("ร้านวิลล่า", "V12", "T3")
    assert s.store.max_amount == Money(2_000_050)
    assert s.ui.language == "th" and s.source == "x.toml"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('[gateway]\nkind = "paypal"', "gateway.kind"),
        ('[gateway]\nauth_header = "basic"', "gateway.auth_header"),
        ('[gateway]\nbase_url = "http://shop.example"', "gateway.base_url"),
        ('[gateway]\nbase_url = "ftp://x"', "gateway.base_url"),
        ('[gateway]\nkind = "villa"', "gateway.base_url"),
        ("[gateway]\nread_timeout_s = 0", "gateway.read_timeout_s"),
        ('[gateway]\nread_timeout_s = "5"', "gateway.read_timeout_s"),
        ('[gateway]\nmethods = "qr,cash"', "gateway.methods"),
        ('[gateway.paths]\nstatus = "checkstatus"', "gateway.paths.status"),
        ('[gateway.cognito]\nendpoint_url = "http://aws.example"', "gateway.cognito.endpoint_url"),
        ("[gateway.cognito]\nregion = 5", "gateway.cognito.region"),
        ('[store]\nmax_amount = "abc"', "store.max_amount"),
        ("[store]\nmax_amount = 0", "store.max_amount"),
        ("[store]\nmax_amount = true", "store.max_amount"),
        ("[store]\ncheckout_timeout_s = 5", "store.checkout_timeout_s"),
        ("[store]\ncheckout_timeout_s = 30.5", "store.checkout_timeout_s"),
        ('[store]\nstore_id = "S-1"', "store.store_id"),
        ("[store]\nnmae = 1", "store.nmae"),
        ('[ui]\nsound = "yes"', "ui.sound"),
        ("store = 5", "store"),
        ("[colour]\nx = 1", "colour"),
    ],
)
def test_errors_name_the_key(text: str, key: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_settings(text)
    assert f"'{key}'" in info.value.user_message("en")
    assert key in info.value.user_message("th")


def test_bad_toml() -> None:
    with pytest.raises(ConfigError, match="not valid TOML"):
        parse_settings("[gateway\nkind=")


def test_loopback_http_is_allowed() -> None:
    s = parse_settings('[gateway]\nbase_url = "http://127.0.0.1:8765"')
    assert s.gateway.kind == "sandbox" and not s.uses_embedded_sandbox


def test_file_lookup_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    explicit = tmp_path / "a.toml"
    explicit.write_text('[store]\nname = "A"\n', encoding="utf-8")
    env = tmp_path / "b.toml"
    env.write_text('[store]\nname = "B"\n', encoding="utf-8")
    monkeypatch.setenv("KIOSK_CONFIG", str(env))
    assert load_settings(explicit).store.name == "A"
    assert load_settings().store.name == "B"
    assert config_path() == env
    monkeypatch.delenv("KIOSK_CONFIG")
    assert config_path() == tmp_path / "xdg-config" / "kiosk" / "config.toml"
    assert load_settings().source == "defaults"  # no file: defaults


def test_missing_named_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no settings file"):
        load_settings(tmp_path / "nope.toml")


def test_unreadable_file(tmp_path: Path) -> None:
    bad = tmp_path / "bin.toml"
    bad.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(ConfigError, match="Cannot read"):
        load_settings(bad)


def test_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert data_dir() == tmp_path / "data"
    monkeypatch.delenv("KIOSK_DATA_DIR")
    assert data_dir() == tmp_path / "xdg-data" / "kiosk"


def test_every_setting_is_described() -> None:
    rows = describe()
    keys = [key for key, _, _ in rows]
    assert "gateway.paths.cancel" in keys and "store.max_amount" in keys
    assert len(keys) == len(set(keys))
    assert all(help_text for _, _, help_text in rows)
    assert ("store.max_amount", "50000.00") in [(k, d) for k, d, _ in rows]
