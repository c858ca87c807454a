"""VAT included in a price (exact satang, half up) and Thai tax id check digits."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.money import Money
from kiosk.domain.taxid import check_digit, is_valid, normalize
from kiosk.domain.vat import DEFAULT_RATE, parse_rate, vat_included

amounts = st.integers(min_value=0, max_value=10**13)
rates = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False)


@pytest.mark.parametrize(
    ("satang", "vat", "net"),
    [
        (10700, 700, 10000),  # ฿107.00 = ฿100.00 + 7 %
        (30000, 1963, 28037),  # 1962.6168… satang
        (1, 0, 1),  # 0.0654 satang
        (8, 1, 7),  # 0.5233 satang rounds to 1
        (0, 0, 0),
    ],
)
def test_vat_at_seven_percent(satang: int, vat: int, net: int) -> None:
    split = vat_included(Money(satang))
    assert (split.vat.satang, split.net.satang) == (vat, net)
    assert split.rate == DEFAULT_RATE == Decimal(7) and split.rate_text == "7%"


def test_half_a_satang_goes_up() -> None:
    # At 100 % the VAT is half the amount: odd amounts end in exactly half a satang.
    assert vat_included(Money(3), Decimal(100)).vat == Money(2)  # 1.5 -> 2
    assert vat_included(Money(5), Decimal(100)).vat == Money(3)  # 2.5 -> 3 (not banker's 2)


@given(amounts, rates)
def test_net_and_vat_make_the_amount_and_vat_is_within_half_a_satang(
    satang: int, rate: Decimal
) -> None:
    split = vat_included(Money(satang), rate)
    assert split.net.satang + split.vat.satang == satang
    exact = Fraction(satang) * Fraction(rate) / (100 + Fraction(rate))
    assert abs(split.vat.satang - exact) <= Fraction(1, 2)
    assert 0 <= split.vat.satang <= satang


@given(amounts)
def test_rate_zero_is_no_vat(satang: int) -> None:
    split = vat_included(Money(satang), Decimal(0))
    assert split.vat == Money(0) and split.net == Money(satang) and split.rate_text == "0%"


def test_rates_are_percents_from_settings_or_documents() -> None:
    assert parse_rate("7") == Decimal(7) and parse_rate(7.5) == Decimal("7.5")
    assert vat_included(Money(100), Decimal("7.50")).rate_text == "7.5%"
    for bad in ("-1", "100.01", "seven", "NaN", "Infinity", ""):
        with pytest.raises(ValueError):
            parse_rate(bad)


@pytest.mark.parametrize("text", ["1101700207030", "1-1017-00207-03-0", " 1101700207030 "])
def test_valid_tax_ids(text: str) -> None:
    # 1·13 + 1·12 + 0 + 1·10 + 7·9 + 0 + 0 + 2·6 + 0 + 7·4 + 0 + 3·2 = 144; 11 − 144 mod 11 = 10 → 0
    assert is_valid(text) and normalize(text) == "1101700207030"


@pytest.mark.parametrize(
    "text",
    [
        "1101700207031",  # wrong check digit
        "1101700207039",
        "110170020703",  # twelve digits
        "11017002070300",  # fourteen
        "110170020703x",
        "๑๑๐๑๗๐๐๒๐๗๐๓๐",  # Thai digits: not what the Revenue Department prints
        "",
    ],
)
def test_invalid_tax_ids(text: str) -> None:
    assert not is_valid(text)


@given(st.text(alphabet="0123456789", min_size=12, max_size=12))
def test_exactly_one_check_digit_fits(first12: str) -> None:
    fits = [d for d in range(10) if is_valid(first12 + str(d))]
    assert fits == [check_digit(first12)]


def test_check_digit_wants_twelve_digits() -> None:
    for bad in ("", "12345678901", "1234567890123", "12345678901a"):
        with pytest.raises(ValueError):
            check_digit(bad)
