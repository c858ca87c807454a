"""Which document a paid sale gets, and what a tax invoice keeps with its number.

``[receipt] tax_invoice = "none"`` (the default): a payment slip. ``"abb"``:
this kiosk is the shop's point of sale and a paid sale's document is an
abbreviated tax invoice (ใบกำกับภาษีอย่างย่อ, Revenue Code s. 86/6) in a
series of its own (a sandbox sale's in its TEST twin). The VAT part, the rate
it was computed at, the POS number and what was sold are kept in the
document's detail, chained with its number in the journal: a reprint prints
them as issued, never recomputed at a later rate.
"""

from __future__ import annotations

from kiosk.domain.documents import Series
from kiosk.domain.order import Order
from kiosk.domain.vat import parse_rate, vat_included
from kiosk.infra.config import ReceiptSettings

ABB_SERIES = (Series.ABB, Series.TEST_ABB)
FULL_SERIES = (Series.FULL, Series.TEST_FULL)


def issues_abb(settings: ReceiptSettings) -> bool:
    return settings.tax_invoice == "abb"


def series_for(order: Order, settings: ReceiptSettings) -> Series:
    """The series of a paid sale's document under these settings."""
    series = Series.ABB if issues_abb(settings) else Series.SLIP
    return series.for_sandbox(order.sandbox)


def item_of(order: Order, settings: ReceiptSettings) -> str:
    """What was sold, as a tax invoice names it: the bill reference, else the description."""
    if order.sale_ref:
        return f"ตามบิล Bill {order.sale_ref}"
    return settings.item_description


def abb_detail(order: Order, settings: ReceiptSettings) -> dict[str, object]:
    """What an abbreviated tax invoice keeps with its number (JSON-able, chained)."""
    split = vat_included(order.amount, parse_rate(settings.vat_rate))
    return {
        "vat_rate": settings.vat_rate.strip(),
        "vat_satang": split.vat.satang,
        "net_satang": split.net.satang,
        "amount_satang": order.amount.satang,
        "pos_id": settings.pos_id,
        "item": item_of(order, settings),
    }


def detail_for(order: Order, series: Series, settings: ReceiptSettings) -> dict[str, object]:
    return abb_detail(order, settings) if series in ABB_SERIES else {}


__all__ = [
    "ABB_SERIES",
    "FULL_SERIES",
    "abb_detail",
    "detail_for",
    "issues_abb",
    "item_of",
    "series_for",
]
