"""A sale the manager must look at: a flag on an order, not a state.

A gateway answer that says "paid" but does not add up (another amount or
currency, another order, no order named, an order we never sent) is never
believed: the order gets an ``Attention`` with a reason code and the raw
fields of the answer, journaled with the order. Nothing automatic — no
re-check, sweep or retry — turns a flagged order into PAID; only a manager
clears the flag, saying what was done (``Outcome``), and that too is journaled.
The cashier is told not to hand over the goods.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from kiosk.domain.errors import Text


class Reason(StrEnum):
    AMOUNT = "paid_amount_mismatch"  # paid, but another amount than the sale's
    CURRENCY = "paid_currency_mismatch"  # paid, but not in baht
    OTHER_ORDER = "paid_other_order"  # the answer names another order
    NOT_NAMED = "paid_order_not_named"  # the answer names no order at all
    NEVER_SENT = "paid_never_sent"  # paid for an order the gateway never got from us


class Outcome(StrEnum):
    REFUNDED = "refunded"  # the manager refunded the money in the bank app
    ACCEPTED = "accepted"  # the manager accepts the payment as it is


REASON_TEXTS: dict[Reason, Text] = {
    Reason.AMOUNT: Text(
        "The bank reported a payment of another amount.",
        "ธนาคารแจ้งการชำระเงินด้วยจำนวนเงินที่ไม่ตรงกับรายการ",
    ),
    Reason.CURRENCY: Text(
        "The bank reported a payment in another currency.",
        "ธนาคารแจ้งการชำระเงินด้วยสกุลเงินอื่น",
    ),
    Reason.OTHER_ORDER: Text(
        "The bank's answer was about another order.",
        "คำตอบจากธนาคารเป็นของรายการอื่น",
    ),
    Reason.NOT_NAMED: Text(
        "The bank's answer did not say which order was paid.",
        "คำตอบจากธนาคารไม่ระบุว่าชำระรายการใด",
    ),
    Reason.NEVER_SENT: Text(
        "The bank reported a payment for an order that was never sent to it.",
        "ธนาคารแจ้งการชำระเงินสำหรับรายการที่ไม่เคยส่งไป",
    ),
}

OUTCOME_TEXTS: dict[Outcome, Text] = {
    Outcome.REFUNDED: Text("Refunded in the bank app", "คืนเงินในแอปธนาคารแล้ว"),
    Outcome.ACCEPTED: Text("Accepted as it is", "ยอมรับตามที่ได้รับ"),
}

# What the cashier reads on the result screen and the CLI prints.
CASHIER_TEXT = Text(
    "Payment does not match this sale. Do not hand over the goods; call the manager.",
    "การชำระเงินไม่ตรงกับรายการนี้ ห้ามส่งมอบสินค้า กรุณาเรียกผู้จัดการ",
)


@dataclass(frozen=True)
class Attention:
    """The flag on one order (at most one per order)."""

    kiosk_order_id: str
    reason: Reason
    raised_at: datetime
    raw: tuple[tuple[str, str], ...] = ()
    cleared_at: datetime | None = None
    outcome: Outcome | None = None
    note: str = ""

    @property
    def is_open(self) -> bool:
        return self.cleared_at is None

    def record(self) -> dict[str, object]:
        """The JSON shape scripts see (``"attention"`` in charge, reconcile and report)."""
        return {
            "reason": self.reason.value,
            "raw": dict(self.raw),
            "raised_at": _iso_local(self.raised_at),
            "cleared_at": _iso_local(self.cleared_at) if self.cleared_at else None,
            "outcome": self.outcome.value if self.outcome else None,
        }


def _iso_local(at: datetime) -> str:
    """Bangkok time with its offset, as every JSON the kiosk writes carries it."""
    # Imported here: thaidate imports order, which imports this module.
    from kiosk.domain.thaidate import iso_local

    return iso_local(at)


__all__ = ["CASHIER_TEXT", "OUTCOME_TEXTS", "REASON_TEXTS", "Attention", "Outcome", "Reason"]
