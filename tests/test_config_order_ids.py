"""Store and terminal ids: short enough for a 32-character order id, ASCII only, key named."""

from __future__ import annotations

import pytest

from kiosk.domain.errors import ConfigError
from kiosk.domain.order import ORDER_ID_MAX, make_order_id
from kiosk.infra.config import parse_settings
from tests.domain.test_order_ids import AT


def test_the_longest_accepted_ids_make_an_order_id_of_32() -> None:
    s = parse_settings('[store]\nstore_id = "abcd1234"\nterminal_id = "t001"')
    assert (s.store.store_id, s.store.terminal_id) == ("ABCD1234", "T001")
    order_id = make_order_id(s.store.store_id, s.store.terminal_id, AT, 9999, "AAAA")
    assert len(order_id) == ORDER_ID_MAX


@pytest.mark.parametrize(
    ("text", "key", "limit"),
    [
        ('store_id = "ABCDE1234"', "store.store_id", "1-8"),  # 9: one too many
        ('terminal_id = "T0001"', "store.terminal_id", "1-4"),
        ('store_id = "S๑"', "store.store_id", "1-8"),  # a Thai digit is alnum, not ASCII
        ('terminal_id = "ก1"', "store.terminal_id", "1-4"),
        ('terminal_id = "T-1"', "store.terminal_id", "1-4"),
        ('store_id = ""', "store.store_id", "1-8"),
    ],
)
def test_a_too_long_or_non_ascii_id_names_its_key(text: str, key: str, limit: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_settings(f"[store]\n{text}")
    message = info.value.user_message("en")
    assert f"'{key}'" in message and f"{limit} letters A-Z or digits 0-9" in message
    assert "32 characters" in message
