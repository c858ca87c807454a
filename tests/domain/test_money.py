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
        ("1000.", 100000),  # the keypad's text after "."
        ("1,500.50", 150050),
        ("1,000,000", 100000000),
        ("1,000,000,000.00 THB", 100000000000),  # the longest typed form: 20 characters
        ("300 thb", 30000),
        ("๓๐๐", 30000),  # Thai digits
        ("฿๑,๕๐๐.๕๐", 150050),
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
        ("3E+2", "must be a number"),
        ("+300", "must be a number"),
        ("--1", "must be a number"),
        ("-5", "more than zero"),
        ("-฿25.50", "more than zero"),
        ("1.234", "2 digits"),
        ("NaN", "must be a number"),
        ("Infinity", "must be a number"),
        (".", "must be a number"),
        ("฿", "must be a number"),
        ("1 000", "must be a number"),
        ("1,000.5,0", "must be a number"),
        # a comma only between groups of three: never a decimal point
        ("1,50", "groups of three"),
        ("1,5000", "groups of three"),
        (",500", "groups of three"),
        ("1,,000", "groups of three"),
        ("1,000,00", "groups of three"),
        ("1,50.00", "groups of three"),
        # digits of other scripts
        ("３００", "digits 0-9"),  # fullwidth
        ("\U0001d7d1\U0001d7ce\U0001d7ce", "digits 0-9"),  # mathematical bold 300
        ("٣٠٠", "digits 0-9"),  # Arabic-Indic
        ("3\u0660\u0660", "digits 0-9"),  # mixed scripts
        ("1" * 21, "too long"),
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
        ("NaN", None),
        (float("nan"), None),
        (float("inf"), None),
        ("3E+2", None),  # no exponent
        ("3e2", None),
        ("+300", None),  # no sign
        ("-300", None),
        (-300, None),
        (-0.5, None),
        (" 300", None),  # no whitespace
        ("300\n", None),
        ("300.", None),
        (".5", None),
        ("300.5", Money(30050)),
        ("300", Money(30000)),
        ("๓๐๐", None),  # a gateway speaks ASCII
        ("１", None),
        ("9999999999.99", Money(999999999999)),
        ("10000000000", None),  # bounded: at most 10 whole digits
        (9_999_999_999, Money(999_999_999_900)),
        (10**10, None),
        (1e10, None),
        (1e-05, None),
        ("300.001", None),
    ],
)
def test_from_gateway(wire: object, expected: Money | None) -> None:
    assert Money.from_gateway(wire) == expected


def test_any_length_is_refused_cleanly() -> None:
    for typed in ("9" * 4300, "9" * 100_000, "1," * 5000):
        with pytest.raises(InvalidAmount) as info:
            parse_amount(typed)
        assert "too long" in info.value.user_message("en")
        assert info.value.user_message("th") == "จำนวนเงินยาวเกินไป"
    assert Money.from_gateway(10**5000) is None  # never turned into a string
    assert Money.from_gateway("1" * 5000) is None


@given(st.integers(min_value=0, max_value=10**12))
def test_plain_round_trips(satang: int) -> None:
    money = Money(satang)
    assert parse_amount(money.plain()) == money
    assert parse_amount(money.thb()) == money


@given(st.text(max_size=20))
def test_parse_never_crashes_on_any_text(text: str) -> None:
    with contextlib.suppress(InvalidAmount):
        parse_amount(text)


@given(st.text(alphabet="0123456789,.", max_size=16))
def test_a_comma_never_changes_the_value(text: str) -> None:
    """Whatever digits, commas and points: an accepted amount reads as the commas removed."""
    try:
        money = parse_amount(text)
    except InvalidAmount:
        return
    assert money.to_decimal() == Decimal(text.replace(",", ""))
    if "," in text:
        whole = text.partition(".")[0]
        assert all(len(group) == 3 for group in whole.split(",")[1:])
        assert 1 <= len(whole.split(",")[0]) <= 3


@given(st.integers(min_value=0, max_value=10**9 - 1))
def test_thousands_round_trip(whole: int) -> None:
    assert parse_amount(f"{whole:,}") == Money(whole * 100)
    thai = f"{whole:,}".translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
    assert parse_amount(thai) == Money(whole * 100)


@pytest.mark.parametrize(
    ("satang", "th", "en"),
    [
        (30000, "300.00 บาท", "300.00 THB"),
        (123450, "1,234.50 บาท", "1,234.50 THB"),
        (5, "0.05 บาท", "0.05 THB"),
        (-9950, "-99.50 บาท", "-99.50 THB"),
    ],
)
def test_amounts_on_paper_carry_the_word_not_the_sign(satang: int, th: str, en: str) -> None:
    money = Money(satang)
    assert money.on_paper() == money.on_paper("th") == th
    assert money.on_paper("en") == en
    assert "฿" not in money.on_paper() and money.grouped() == th.split()[0]
