"""Hostile sale references (``kiosk charge --ref``, the sale screen's bill field; issue 17).

A bill number is matched by what a person types: nothing invisible may stay
in it (a ref of only invisible characters is no ref, and one with a hidden
character inside would look like another bill and never match it).
"""

from __future__ import annotations

import pytest

from kiosk.domain.documents import sale_ref_of
from kiosk.domain.errors import InvalidSaleRef


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("A\x1b[31mB\x07C\r\nD", "A[31mBC D"),  # terminal escapes and line breaks
        ("INV\u202e1234\u202c", "INV1234"),  # bidi override
        ("INV\u200b-0042", "INV-0042"),  # zero-width space inside
        ("\u200b\u200b", None),  # only invisible: no ref
        ("\ufeff\u2060\u200d", None),  # BOM, word joiner, ZWJ
        ("     ", None),
        ("", None),
        ("<b>big</b>", "<b>big</b>"),  # markup is kept as text; screens show it plain
        ("บิล-๑๒๓", "บิล-๑๒๓"),  # Thai (and its vowel marks) stays
        ("'; DROP TABLE orders;--", "'; DROP TABLE orders;--"),
    ],
)
def test_a_sale_ref_keeps_only_what_a_person_can_see(typed: str, kept: str | None) -> None:
    assert sale_ref_of(typed) == kept


@pytest.mark.parametrize("typed", ["X" * 33, "🧾" * 33, "x" * 10_000])
def test_a_sale_ref_too_long_is_refused_not_cut(typed: str) -> None:
    with pytest.raises(InvalidSaleRef):
        sale_ref_of(typed)
