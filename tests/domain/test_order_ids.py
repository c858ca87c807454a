"""Kiosk order ids: `<store>-<terminal>-<yyyymmdd>-<seq>-<4 base32>`, never over 32 characters."""

from __future__ import annotations

import random
import re
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.order import (
    ORDER_ID_MAX,
    STORE_ID_MAX,
    SUFFIX_ALPHABET,
    TERMINAL_ID_MAX,
    make_order_id,
    order_number,
    random_suffix,
)
from kiosk.domain.outside import is_gateway_id

AT = datetime(2026, 11, 24, 3, 0, tzinfo=UTC)  # 10:00 on the 24th in Bangkok
ID = re.compile(r"[A-Z0-9]{1,8}-[A-Z0-9]{1,4}-\d{8}-\d{4}-[A-Z2-7]{4}")


def test_the_format() -> None:
    assert make_order_id("S001", "T01", AT, 42, "K7QX") == "S001-T01-20261124-0042-K7QX"


def test_the_longest_settings_still_fit_32_characters_and_are_gateway_ids() -> None:
    longest = make_order_id("A" * STORE_ID_MAX, "B" * TERMINAL_ID_MAX, AT, 9999, "ZZ77")
    assert len(longest) == ORDER_ID_MAX == 32
    assert is_gateway_id(longest) and ID.fullmatch(longest)


def test_a_seq_that_would_not_fit_is_refused_not_cut() -> None:
    with pytest.raises(ValueError, match="longer than 32"):
        make_order_id("A" * STORE_ID_MAX, "B" * TERMINAL_ID_MAX, AT, 10_000, "AAAA")
    # Shorter store and terminal ids leave room for a fifth digit.
    assert make_order_id("S1", "T1", AT, 10_000, "AAAA") == "S1-T1-20261124-10000-AAAA"


@pytest.mark.parametrize("suffix", ["", "ABC", "ABCDE", "abcd", "AB01", "AB8C", "AB-C"])
def test_the_random_part_must_be_four_base32_characters(suffix: str) -> None:
    with pytest.raises(ValueError, match="base32"):
        make_order_id("S001", "T01", AT, 1, suffix)


def test_seq_starts_at_one() -> None:
    with pytest.raises(ValueError, match="1 or more"):
        make_order_id("S001", "T01", AT, 0, "AAAA")


def test_random_suffix_draws_from_the_base32_alphabet_with_the_given_rng() -> None:
    assert SUFFIX_ALPHABET == "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
    assert random_suffix(lambda n: 0) == "AAAA"
    assert random_suffix(lambda n: n - 1) == "7777"
    seeded = [random_suffix(random.Random(7).randrange) for _ in range(2)]
    assert seeded[0] == seeded[1]  # the rng decides: the domain itself draws nothing
    drawn = {random_suffix(random.Random(i).randrange) for i in range(2000)}
    assert len(drawn) > 1990  # 2000 draws from 2**20 values: next to no repeats
    assert set("".join(drawn)) == set(SUFFIX_ALPHABET)


@pytest.mark.parametrize(
    ("order_id", "number"),
    [
        ("S001-T01-20261124-0042-K7QX", 42),
        ("S001-T01-20261124-0042-2345", 42),  # an all-digit random part
        ("S001-T01-20261124-0042", 42),  # journals written before the random part
        ("S1-T1-20261124-10000-AAAA", 10_000),
        ("12345678-1234-20261124-0007", 7),
        ("CONNECTION-TEST-0000", None),
        ("S001-T01-PROBE", None),
        ("S001-T01-20261124-00X2-K7QX", None),
        ("", None),
    ],
)
def test_order_number_reads_both_formats(order_id: str, number: int | None) -> None:
    assert order_number(order_id) == number


@given(
    store=st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=1, max_size=STORE_ID_MAX),
    terminal=st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=1, max_size=TERMINAL_ID_MAX),
    seq=st.integers(min_value=1, max_value=9999),
    suffix=st.text(SUFFIX_ALPHABET, min_size=4, max_size=4),
    at=st.datetimes(
        min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 30), timezones=st.just(UTC)
    ),
)
def test_every_id_the_settings_allow_fits_and_reads_back(
    store: str, terminal: str, seq: int, suffix: str, at: datetime
) -> None:
    order_id = make_order_id(store, terminal, at, seq, suffix)
    assert len(order_id) <= ORDER_ID_MAX and is_gateway_id(order_id)
    assert order_number(order_id) == seq
