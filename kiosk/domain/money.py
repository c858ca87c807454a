"""Amounts of Thai baht as whole satang (1 THB = 100 satang); never floats."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from kiosk.domain.errors import InvalidAmount, Text

CURRENCY = "THB"
SATANG_PER_BAHT = 100


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
        """Read an amount a gateway sent (number or string); None if unreadable.

        JSON numbers arrive as float: ``300.0`` -> Decimal("300.0") via str(),
        which is exact for any value with at most 2 decimals.
        """
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            return None
        try:
            dec = Decimal(str(value).strip())
        except InvalidOperation:
            return None
        if not dec.is_finite():
            return None
        try:
            return cls.from_decimal(dec)
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

    def __str__(self) -> str:
        return self.thb()


def parse_amount(text: str) -> Money:
    """Parse what a cashier typed: ``300``, ``300.5``, ``1,234.50``, ``฿20``.

    Raises InvalidAmount with a cashier-readable message; does not check limits.
    """
    cleaned = text.strip().replace(",", "").replace("฿", "").replace(" ", "")
    if cleaned.upper().endswith("THB"):
        cleaned = cleaned[:-3]
    if not cleaned:
        raise InvalidAmount("empty", text=Text("Please enter an amount.", "กรุณาใส่จำนวนเงิน"))
    if not all(ch.isdigit() or ch in ".-+" for ch in cleaned) or not any(
        ch.isdigit() for ch in cleaned
    ):
        raise InvalidAmount(
            f"not a number: {text!r}",
            text=Text("The amount must be a number.", "จำนวนเงินต้องเป็นตัวเลข"),
        )
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise InvalidAmount(
            f"not a number: {text!r}",
            text=Text("The amount must be a number.", "จำนวนเงินต้องเป็นตัวเลข"),
        ) from None
    return Money.from_decimal(value)


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
