"""Amounts as spoken words: Thai place values and their spoken exceptions, English."""

from __future__ import annotations

import pytest

from kiosk.domain.money import Money
from kiosk.domain.spoken import WORDS, english_number, payment_received, thai_number


def thai(n: int) -> str:
    return "".join(WORDS[w] for w in thai_number(n))


def english(n: int) -> str:
    return " ".join(WORDS[w] for w in english_number(n))


@pytest.mark.parametrize(
    ("n", "said"),
    [
        (0, "ศูนย์"),
        (1, "หนึ่ง"),
        (10, "สิบ"),
        (11, "สิบเอ็ด"),
        (20, "ยี่สิบ"),
        (21, "ยี่สิบเอ็ด"),
        (101, "หนึ่งร้อยเอ็ด"),
        (300, "สามร้อย"),
        (12345, "หนึ่งหมื่นสองพันสามร้อยสี่สิบห้า"),
        (250000, "สองแสนห้าหมื่น"),
        (1000001, "หนึ่งล้านเอ็ด"),
        (21000000, "ยี่สิบเอ็ดล้าน"),
    ],
)
def test_thai_numbers(n: int, said: str) -> None:
    assert thai(n) == said


@pytest.mark.parametrize(
    ("n", "said"),
    [
        (0, "zero"),
        (15, "fifteen"),
        (40, "forty"),
        (300, "three hundred"),
        (305, "three hundred and five"),
        (1005, "one thousand and five"),
        (21450, "twenty one thousand four hundred and fifty"),
    ],
)
def test_english_numbers(n: int, said: str) -> None:
    assert english(n) == said


def test_the_payment_sentence_in_both_languages() -> None:
    assert "".join(WORDS[w] for w in payment_received(Money(30000), "th")) == "ได้รับเงินสามร้อยบาท"
    words = payment_received(Money(30050), "en")
    assert " ".join(WORDS[w] for w in words) == (
        "Payment received, three hundred baht and fifty satang"
    )
    assert payment_received(Money(5), "th")[-2:] == ["th_5", "th_satang"]


def test_negative_is_never_spoken() -> None:
    with pytest.raises(ValueError):
        thai_number(-1)
    with pytest.raises(ValueError):
        english_number(-1)
