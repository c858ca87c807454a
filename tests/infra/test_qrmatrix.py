"""Drawing a QR: whatever the checks let through draws; anything else is a QrRejected."""

from __future__ import annotations

import pytest

from kiosk.domain import thaiqr
from kiosk.domain.errors import QrRejected
from kiosk.domain.money import Money
from kiosk.infra.qrmatrix import MASK, qr_modules


def test_a_payload_draws_with_its_quiet_zone() -> None:
    payload = thaiqr.build_promptpay(target="0801234567", amount=Money(30000))
    bare, framed = qr_modules(payload, border=0), qr_modules(payload, border=4)
    assert len(framed) == len(bare) + 8 == len(framed[0])
    assert any(any(row) for row in bare)
    assert not any(framed[0])  # the quiet zone is light


@pytest.mark.parametrize(
    "text",
    [
        "\U0001f600" * thaiqr.MAX_PAYLOAD,  # 512 characters of 4 UTF-8 bytes: the worst case
        "w" * thaiqr.MAX_URL,
    ],
)
def test_the_longest_text_the_checks_allow_still_draws(text: str) -> None:
    matrix = qr_modules(text, border=0)
    assert 21 <= len(matrix) <= 177  # versions 1 to 40


@pytest.mark.parametrize("text", ["x" * 3500, "0" * 8000, "\ud800"])
def test_what_cannot_be_drawn_is_refused_with_a_reason(text: str) -> None:
    with pytest.raises(QrRejected) as info:
        qr_modules(text, border=4)
    assert info.value.reason == "undrawable"
    assert info.value.failure_code == "qr_undrawable"
    assert "too large to draw" in info.value.user_message("en")
    assert info.value.user_message("th").endswith("จึงไม่แสดง")


def format_information(matrix: list[list[bool]]) -> tuple[int, int]:
    """(error-correction bits, mask) read from the 15 format bits beside the
    top-left finder (ISO 18004 7.9), after checking their BCH code."""
    rows = [0, 1, 2, 3, 4, 5, 7, 8, *range(len(matrix) - 7, len(matrix))]
    bits = sum(matrix[row][8] << i for i, row in enumerate(rows)) ^ 0b101010000010010
    data, check = bits >> 10, bits & 0x3FF
    remainder = data << 10
    for shift in range(4, -1, -1):  # the generator x^10+x^8+x^5+x^4+x^2+x+1
        if remainder & (1 << (shift + 10)):
            remainder ^= 0b10100110111 << shift
    assert remainder == check, "format information fails its BCH check"
    return data >> 3, data & 0b111


@pytest.mark.parametrize(
    "text", [thaiqr.build_promptpay(target="0801234567", amount=Money(30000)), "w" * thaiqr.MAX_URL]
)
def test_the_code_says_level_m_and_its_fixed_mask(text: str) -> None:
    """The mask is fixed rather than searched (speed); a scanner still reads
    the level and mask from the code itself, so they must be there and right."""
    level, mask = format_information(qr_modules(text, border=0))
    assert level == 0b00  # M (L is 01, Q 11, H 10)
    assert mask == MASK
