"""Amounts of Thai baht as whole satang (1 THB = 100 satang); never floats."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal

from kiosk.domain.errors import InvalidAmount, Text

CURRENCY = "THB"
SATANG_PER_BAHT = 100

# The longest amount a person types: "1,000,000,000.00 THB" is 20 characters.
# Anything longer is refused before any number is built from it, so a
# pasted 4 300-digit "amount" costs nothing and says why.
MAX_TYPED = 20
# What a gateway may send as an amount: at most 10 whole digits (far above
# any sale) and at most 2 decimals; no sign, exponent or whitespace.
MAX_GATEWAY_BAHT = 10**10
GATEWAY_AMOUNT = re.compile(r"[0-9]{1,10}(?:\.[0-9]{1,2})?")
THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")

# A typed amount: an optional baht sign before and "THB" after; the number
# uses ASCII digits (Thai digits are mapped first), a comma only between
# groups of three, and "." for satang. [0-9], not \d: \d matches every
# script's digits.
_TYPED = re.compile(
    r"฿?\s*(?P<number>(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]*)?|\.[0-9]+)\s*(?:THB)?",
    re.IGNORECASE,
)
_GROUPS_OF_THREE = re.compile(r"[0-9,]*[.]?[0-9]*")

NOT_A_NUMBER = Text("The amount must be a number.", "จำนวนเงินต้องเป็นตัวเลข")


@dataclass(frozen=True, order=True)
class Money:
    """An exact amount in satang."""

    satang: int

    @classmethod
    def from_decimal(cls, value: Decimal) -> Money:
        """Exact conversion; raises InvalidAmount if the value has more than 2 decimals."""
        scaled = value * SATANG_PER_BAHT
        if scaled != scaled.to_integral_value():
            raise InvalidAmount(
                f"{value} has more than 2 decimals",
                text=Text(
                    "Use at most 2 digits after the decimal point.",
                    "ใส่ทศนิยมได้ไม่เกิน 2 ตำแหน่ง",
                ),
            )
        return cls(int(scaled))

    @classmethod
    def from_gateway(cls, value: object) -> Money | None:
        """Read an amount a gateway sent; None unless it is plainly an amount.

        A JSON number (int or float, not negative, below 10^10 baht) or a
        string of the form ``300`` / ``300.5`` / ``300.50`` (``GATEWAY_AMOUNT``):
        no sign, no exponent (``"3E+2"``), no spaces. JSON numbers arrive as
        float: ``300.0`` -> Decimal("300.0") via repr(), which is exact for any
        value with at most 2 decimals; a float with more decimals is None.
        """
        if isinstance(value, bool):
            return None
        if isinstance(value, int):
            return cls(value * SATANG_PER_BAHT) if 0 <= value < MAX_GATEWAY_BAHT else None
        if isinstance(value, float):
            if not (math.isfinite(value) and 0 <= value < MAX_GATEWAY_BAHT):
                return None
            text = repr(value)
        elif isinstance(value, str) and GATEWAY_AMOUNT.fullmatch(value):
            text = value
        else:
            return None
        try:
            return cls.from_decimal(Decimal(text))
        except InvalidAmount:
            return None

    def to_decimal(self) -> Decimal:
        return Decimal(self.satang) / SATANG_PER_BAHT

    def plain(self) -> str:
        """Two-decimal plain form used on the wire and in JSON: ``1234.50``."""
        sign = "-" if self.satang < 0 else ""
        whole, frac = divmod(abs(self.satang), SATANG_PER_BAHT)
        return f"{sign}{whole}.{frac:02d}"

    def thb(self) -> str:
        """Display form with the baht sign and thousands separators: ``฿1,234.50``."""
        sign = "-" if self.satang < 0 else ""
        whole, frac = divmod(abs(self.satang), SATANG_PER_BAHT)
        return f"{sign}฿{whole:,}.{frac:02d}"

    def grouped(self) -> str:
        """Two decimals with thousands separators, no currency: ``1,234.50``."""
        sign = "-" if self.satang < 0 else ""
        whole, frac = divmod(abs(self.satang), SATANG_PER_BAHT)
        return f"{sign}{whole:,}.{frac:02d}"

    def on_paper(self, language: str = "th") -> str:
        """An amount as printed: ``1,234.50 บาท`` (Thai) or ``1,234.50 THB`` (English).

        Paper never carries the ฿ sign: OCR (tesseract tha+eng) reads ``฿300.00``
        as ``8300.00``, and Thai bank-terminal slips write the word after the number.
        """
        return f"{self.grouped()} {'บาท' if language == 'th' else CURRENCY}"

    def __str__(self) -> str:
        return self.thb()


def parse_amount(text: str) -> Money:
    """Parse what a cashier typed: ``300``, ``300.5``, ``1,234.50``, ``฿20``, ``๓๐๐``.

    The one parser for the keypad, the CLI and the settings. A comma only
    separates thousands (``1,50`` is refused, never ฿150 or ฿1.50); Thai
    digits count, other scripts' digits do not; no sign, no exponent, at
    most ``MAX_TYPED`` characters. Raises InvalidAmount with a cashier-readable
    message; does not check limits.
    """
    stripped = text.strip()
    if not stripped:
        raise InvalidAmount("empty", text=Text("Please enter an amount.", "กรุณาใส่จำนวนเงิน"))
    if len(stripped) > MAX_TYPED:
        raise InvalidAmount(
            f"{len(stripped)} characters",
            text=Text("The amount is too long.", "จำนวนเงินยาวเกินไป"),
        )
    cleaned = stripped.translate(THAI_DIGITS)
    if any(ch.isdigit() and not ch.isascii() for ch in cleaned):
        raise InvalidAmount(
            f"digits of another script: {text!r}",
            text=Text(
                "Type the amount with the digits 0-9 (or Thai digits ๐-๙).",
                "ใส่จำนวนเงินด้วยตัวเลข 0-9 หรือเลขไทย ๐-๙",
            ),
        )
    match = _TYPED.fullmatch(cleaned)
    if match is None:
        if cleaned.startswith("-") and _TYPED.fullmatch(cleaned[1:]):
            raise InvalidAmount(
                f"negative: {text!r}",
                text=Text("The amount must be more than zero.", "จำนวนเงินต้องมากกว่าศูนย์"),
            )
        if "," in cleaned and _GROUPS_OF_THREE.fullmatch(cleaned):
            raise InvalidAmount(
                f"comma not between groups of three: {text!r}",
                text=Text(
                    "Use a comma only between groups of three digits (1,500.50)"
                    " and a point for satang.",
                    "ใช้จุลภาคคั่นทุกสามหลักเท่านั้น (1,500.50) และใช้จุดสำหรับสตางค์",
                ),
            )
        raise InvalidAmount(f"not a number: {text!r}", text=NOT_A_NUMBER)
    return Money.from_decimal(Decimal(match["number"].replace(",", "")))


def check_amount(amount: Money, maximum: Money) -> Money:
    """The store's rules for a sale amount: more than zero, at most the maximum."""
    if amount.satang <= 0:
        raise InvalidAmount(
            f"{amount.plain()} is not more than zero",
            text=Text("The amount must be more than zero.", "จำนวนเงินต้องมากกว่าศูนย์"),
        )
    if amount > maximum:
        raise InvalidAmount(
            f"{amount.plain()} is above the maximum {maximum.plain()}",
            text=Text(
                f"The amount is above this counter's limit of {maximum.thb()}.",
                f"จำนวนเงินเกินวงเงินสูงสุดของเครื่องนี้ ({maximum.thb()})",
            ),
        )
    return amount


def parse_sale_amount(text: str, maximum: Money) -> Money:
    """Parse and check a sale amount in one step."""
    return check_amount(parse_amount(text), maximum)
