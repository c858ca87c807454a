import contextlib
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.errors import InvalidAmount
from kiosk.domain.money import Money, check_amount, parse_amount, parse_sale_amount

MAX = Money(5_000_000)


@pytest.mark.parametrize(
    ("typed", "satang"),
    [
        ("300", 30000),
        ("300.5", 30050),
        ("300.50", 30050),
        (" 1,234.50 ", 123450),
        ("฿20", 2000),
        ("20 THB", 2000),
        ("0.01", 1),
        (".5", 50),
    ],
)
def test_parse_amount_accepts_what_a_cashier_types(typed: str, satang: int) -> None:
    assert parse_amount(typed) == Money(satang)


@pytest.mark.parametrize(
    ("typed", "needle"),
    [
        ("", "enter an amount"),
        ("   ", "enter an amount"),
        ("abc", "must be a number"),
        ("1.2.3", "must be a number"),
        ("1e5", "must be a number"),
        ("--1", "must be a number"),
        ("1.234", "2 digits"),
        ("NaN", "must be a number"),
    ],
)
def test_parse_amount_rejects_with_a_clear_message(typed: str, needle: str) -> None:
    with pytest.raises(InvalidAmount) as info:
        parse_amount(typed)
    assert needle in info.value.user_message("en")
    assert info.value.user_message("th")  # Thai text exists too


@pytest.mark.parametrize("typed", ["0", "-5", "0.00", "50000.01"])
def test_sale_amount_limits(typed: str) -> None:
    with pytest.raises(InvalidAmount):
        parse_sale_amount(typed, MAX)


def test_sale_amount_at_the_maximum_is_fine() -> None:
    assert parse_sale_amount("50000", MAX) == MAX
    assert check_amount(Money(1), MAX) == Money(1)


def test_limit_message_names_the_limit_in_both_languages() -> None:
    with pytest.raises(InvalidAmount) as info:
        check_amount(Money(5_000_001), MAX)
    assert "฿50,000.00" in info.value.user_message("en")
    assert "฿50,000.00" in info.value.user_message("th")


@pytest.mark.parametrize(
    ("satang", "thb", "plain"),
    [
        (123450, "฿1,234.50", "1234.50"),
        (5, "฿0.05", "0.05"),
        (0, "฿0.00", "0.00"),
        (-2550, "-฿25.50", "-25.50"),
        (100_000_000, "฿1,000,000.00", "1000000.00"),
    ],
)
def test_formatting(satang: int, thb: str, plain: str) -> None:
    money = Money(satang)
    assert money.thb() == thb == str(money)
    assert money.plain() == plain
    assert money.to_decimal() == Decimal(plain)


@pytest.mark.parametrize(
    ("wire", "expected"),
    [
        (300.0, Money(30000)),
        (300, Money(30000)),
        ("300.00", Money(30000)),
        (12.81, Money(1281)),
        (0.1, Money(10)),
        (300.001, None),
        ("x", None),
        (True, None),
        (None, None),
        ([300], None),
        ("Infinity", None),
    ],
)
def test_from_gateway(wire: object, expected: Money | None) -> None:
    assert Money.from_gateway(wire) == expected


@given(st.integers(min_value=0, max_value=10**12))
def test_plain_round_trips(satang: int) -> None:
    money = Money(satang)
    assert parse_amount(money.plain()) == money
    assert parse_amount(money.thb()) == money


@given(st.text(max_size=20))
def test_parse_never_crashes_on_any_text(text: str) -> None:
    with contextlib.suppress(InvalidAmount):
        parse_amount(text)
