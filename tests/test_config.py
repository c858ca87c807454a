from pathlib import Path

import httpx
import pytest

from kiosk.domain.clock import ManualClock
from kiosk.domain.errors import ConfigError
from kiosk.domain.money import Money
from kiosk.gateways.cognito import CognitoTokens
from kiosk.gateways.tokens import StaticToken
from kiosk.gateways.villa import VillaGateway
from kiosk.infra.config import (
    CognitoSettings,
    Settings,
    config_path,
    data_dir,
    describe,
    is_loopback,
    load_settings,
    parse_settings,
    text_values,
)
from kiosk.infra.secrets import Secrets

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
    for url in ("http://127.9.8.7:1", "http://[::1]:8765", "http://localhost:8765"):
        assert parse_settings(f'[gateway]\nbase_url = "{url}"').gateway.base_url == url


LOOPBACK = ["127.0.0.1", "127.255.0.9", "::1", "[::1]", "0:0:0:0:0:0:0:1", "localhost", "LocalHost"]
NOT_LOOPBACK = [
    "127.0.0.1.attacker.example",  # issue 12, attack 6: a prefix test took it
    "127.attacker.example",
    "localhost.attacker.example",
    "127.1",  # what ipaddress will not read is not loopback
    "127.000.000.001",
    "128.0.0.1",
    "0.0.0.0",
    "::ffff:127.0.0.1",
    "::1%eth0",
    "shop.villamarket.com",
    "",
    None,
]


@pytest.mark.parametrize("host", LOOPBACK)
def test_loopback_hosts(host: str) -> None:
    assert is_loopback(host)


@pytest.mark.parametrize("host", NOT_LOOPBACK)
def test_hosts_that_are_not_loopback(host: str | None) -> None:
    assert not is_loopback(host)


@pytest.mark.parametrize("key", ["gateway.base_url", "gateway.cognito.endpoint_url"])
def test_plain_http_to_a_name_that_starts_like_loopback_is_refused(key: str) -> None:
    section, name = key.rsplit(".", 1)
    with pytest.raises(ConfigError) as caught:
        parse_settings(f'[{section}]\n{name} = "http://127.0.0.1.attacker.example:8080"')
    assert key in caught.value.text.en and "https" in caught.value.text.en


def test_the_gateway_and_cognito_refuse_it_too() -> None:
    client = httpx.AsyncClient()
    with pytest.raises(ConfigError, match="loopback"):
        VillaGateway(
            base_url="http://127.0.0.1.attacker.example", client=client, tokens=StaticToken("t")
        )
    assert VillaGateway(base_url="http://127.0.0.1:9", client=client, tokens=StaticToken("t"))
    with pytest.raises(ConfigError, match="https"):
        CognitoTokens(
            settings=CognitoSettings(
                endpoint_url="http://127.0.0.1.attacker.example", client_id="c", username="u"
            ),
            client=client,
            secrets=Secrets(environ={}),
            clock=ManualClock(),
        )


def test_text_values_lists_every_text_setting() -> None:
    values = dict(text_values(parse_settings(FULL)))
    assert values["gateway.cognito.username"] == "kiosk01"
    assert values["gateway.paths.cancel"] == "/cancel/{orderid}"
    assert "store.max_amount" not in values and "ui.sound" not in values  # not text


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
