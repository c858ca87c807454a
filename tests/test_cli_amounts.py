"""`kiosk charge AMOUNT` reads amounts as the keypad does: bad ones exit 2, journal nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_cli import journal_rows, kiosk


@pytest.mark.parametrize(
    ("amount", "needle"),
    [
        ("1,50", "groups of three"),  # was ฿150.00 (and ฿1.50 on the keypad)
        ("1,5000", "groups of three"),
        (",500", "groups of three"),
        ("9" * 4300, "too long"),  # was a ValueError traceback, exit 1
        ("３００", "digits 0-9"),  # fullwidth
        ("\U0001d7d1\U0001d7ce\U0001d7ce", "digits 0-9"),  # mathematical bold 300
        ("3E+2", "must be a number"),
        ("+300", "must be a number"),
    ],
    ids=[
        "comma-decimal",
        "comma-5000",
        "comma-first",
        "4300-digits",
        "fullwidth",
        "math-bold",
        "exponent",
        "plus",
    ],
)
def test_bad_amounts_exit_2_with_a_message_and_journal_nothing(
    tmp_path: Path, amount: str, needle: str
) -> None:
    data = tmp_path / "data"
    result = kiosk("charge", amount, data=data)
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("kiosk: ")
    assert needle in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr) < 300  # the detail never echoes a long input
    assert journal_rows(data) == []
    assert not (data / "journal.sqlite3").exists()
