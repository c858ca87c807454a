"""Thai 13-digit taxpayer identification numbers (เลขประจำตัวผู้เสียภาษีอากร).

The same number is a person's national id card number or a company's
registration number. The 13th digit checks the first twelve: with d0..d11
the first twelve digits, ``sum = Σ d_i × (13 − i)`` and the check digit is
``(11 − sum mod 11) mod 10``. Pure: no I/O.
"""

from __future__ import annotations

import re

LENGTH = 13
_SEPARATORS = re.compile(r"[\s-]")


def check_digit(first12: str) -> int:
    """The 13th digit for the first twelve."""
    if len(first12) != LENGTH - 1 or not first12.isascii() or not first12.isdigit():
        raise ValueError("twelve digits expected")
    total = sum(int(digit) * (LENGTH - i) for i, digit in enumerate(first12))
    return (11 - total % 11) % 10


def normalize(text: str) -> str:
    """The digits of a tax id as people write it (``0-1055-61234-56-7``), spaces and dashes out."""
    return _SEPARATORS.sub("", text.strip())


def is_valid(text: str) -> bool:
    """Thirteen ASCII digits (spaces and dashes allowed between them) with the right check digit."""
    digits = normalize(text)
    if len(digits) != LENGTH or not digits.isascii() or not digits.isdigit():
        return False
    return check_digit(digits[:-1]) == int(digits[-1])


__all__ = ["LENGTH", "check_digit", "is_valid", "normalize"]
