"""VAT included in a price (Thai VAT, Revenue Code s. 80): the part of a sale that is tax.

A shop in abbreviated-tax-invoice mode prints prices "VAT included"; the VAT
part is ``amount × rate / (100 + rate)``, computed exactly on whole satang
with ``Decimal`` and rounded **half up to the satang** (0.5 satang and above
goes up), the rule used everywhere the kiosk prints or reports VAT. The net
is what is left, so net + VAT is always the amount. The rate is a percent
given as a ``Decimal`` (7 today: a rate renewed by royal decree, so every
document stores the rate it was issued with and is never recomputed).
Pure: no I/O.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from kiosk.domain.money import Money

DEFAULT_RATE = Decimal(7)
MAX_RATE = Decimal(100)


@dataclass(frozen=True)
class VatSplit:
    """An amount that includes VAT, split into its net and VAT parts (satang)."""

    amount: Money
    rate: Decimal
    vat: Money
    net: Money

    @property
    def rate_text(self) -> str:
        """The rate as printed: ``7%``, ``7.5%``."""
        return f"{format(self.rate.normalize(), 'f')}%"


def parse_rate(value: object) -> Decimal:
    """A VAT rate from settings or a stored document: a percent from 0 to 100."""
    try:
        rate = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValueError(f"not a VAT rate: {value!r}") from None
    if not rate.is_finite() or not Decimal(0) <= rate <= MAX_RATE:
        raise ValueError(f"VAT rate must be 0..100 percent: {value!r}")
    return rate


def vat_included(amount: Money, rate: Decimal = DEFAULT_RATE) -> VatSplit:
    """Split ``amount`` (VAT included) at ``rate`` percent: VAT rounded half up to the satang."""
    rate = parse_rate(rate)
    exact = Decimal(amount.satang) * rate / (Decimal(100) + rate)
    vat = int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return VatSplit(amount=amount, rate=rate, vat=Money(vat), net=Money(amount.satang - vat))


__all__ = ["DEFAULT_RATE", "VatSplit", "parse_rate", "vat_included"]
