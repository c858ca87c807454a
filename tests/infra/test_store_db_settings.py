"""[store_db]: a URL with a password is refused; TLS by sslrootcert and the host."""

from __future__ import annotations

import pytest

from kiosk.domain.errors import ConfigError
from kiosk.infra.config import Settings, parse_settings, store_db_sslmode


def store_db(**values: str) -> Settings:
    body = "\n".join(f'{key} = "{value}"' for key, value in values.items())
    return parse_settings(f"[store_db]\n{body}\n")


def test_no_store_db_is_a_counter_alone() -> None:
    assert Settings().store_db.url == ""


def test_a_url_with_a_password_is_refused_without_showing_it() -> None:
    with pytest.raises(ConfigError) as refused:
        store_db(url="postgresql://kiosk:hunter22@db.shop:5432/store")
    assert "STORE_DB_PASSWORD" in str(refused.value) and "hunter22" not in str(refused.value)


@pytest.mark.parametrize(
    "url", ["http://db/store", "postgresql://db:5432/store", "postgresql://kiosk@db:5432/"]
)
def test_a_url_must_name_postgresql_the_role_and_the_database(url: str) -> None:
    with pytest.raises(ConfigError, match=r"store_db\.url"):
        store_db(url=url)


@pytest.mark.parametrize(
    ("values", "mode"),
    [
        ({"url": "postgresql://kiosk@db.shop/store"}, "require"),
        ({"url": "postgresql://kiosk@db.shop/store", "sslrootcert": "/etc/ca.pem"}, "verify-full"),
        ({"url": "postgresql://kiosk@127.0.0.1/store"}, "prefer"),
        ({"url": "postgresql://kiosk@db.shop/store", "sslmode": "verify-ca"}, "verify-ca"),
    ],
)
def test_tls_mode(values: dict[str, str], mode: str) -> None:
    assert store_db_sslmode(store_db(**values).store_db) == mode


def test_tls_off_is_only_for_this_machine() -> None:
    with pytest.raises(ConfigError, match=r"store_db\.sslmode"):
        store_db(url="postgresql://kiosk@db.shop/store", sslmode="disable")
    assert store_db(url="postgresql://kiosk@localhost/store", sslmode="disable")
