"""Text and ids from outside: controls and bidi overrides go, Thai stays, length is capped."""

from __future__ import annotations

import pytest

from kiosk.domain.outside import MAX_ID, MAX_TEXT, clean_optional, clean_text, is_gateway_id


def test_thai_and_printable_text_stay() -> None:
    assert clean_text("ธนาคารปฏิเสธ: Declined ✓") == "ธนาคารปฏิเสธ: Declined ✓"


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("PAID\x1b[2J", "PAID[2J"),  # an escape sequence loses its ESC
        ("a\x00b\x7fc\x85d", "abc d"),  # NUL and DEL go; NEL is a line break
        ("abc\u202edcba", "abcdcba"),  # a right-to-left override
        ("x\u2066y\u2069z", "xyz"),  # an isolate
        ("line one\nline two\r\n\tthree", "line one line two three"),
        ("   spaced    out   ", "spaced out"),
    ],
)
def test_controls_and_bidi_overrides_are_removed(raw: str, shown: str) -> None:
    assert clean_text(raw) == shown


def test_long_text_is_cut_and_says_so() -> None:
    cut = clean_text("ก" * 500)
    assert len(cut) == MAX_TEXT and cut.endswith("…")
    assert clean_text("abcdef", limit=4) == "abc…"
    assert clean_text("abcd", limit=4) == "abcd"


def test_clean_optional_keeps_only_text_with_something_left() -> None:
    assert clean_optional(None) is None
    assert clean_optional(42) is None
    assert clean_optional("\x1b\x00 ") is None
    assert clean_optional(" ok ") == "ok"


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ("order_test_222110adff3affb5844c497fa9c22366b5bc6", True),
        ("S001-T01-20261201-0001", True),
        ("a.b:c-d_e", True),
        ("x" * MAX_ID, True),
        ("x" * (MAX_ID + 1), False),
        ("", False),
        ("order\x1b[2J", False),
        ("order 1", False),
        ("order\u202e1", False),
        ("ออเดอร์", False),
        (None, False),
        (12, False),
    ],
)
def test_gateway_ids(value: object, ok: bool) -> None:
    assert is_gateway_id(value) is ok
