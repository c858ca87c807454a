"""The sales a Z report lists for the manager: flagged orders, as they stood when it was issued.

A sale whose "paid" did not add up carries a flag (``kiosk.domain.attention``)
until a manager clears it. Every Z lists the flagged sales of its batch —
raised or cleared since the previous Z — open or cleared (with the outcome
and when), then every earlier flag still open, and how many were open when
it was issued; an open flag is on every Z until it is cleared. (Reports of
one business day, before batches, listed the day's flags then other days'.)
``ZFlag`` is one line of that list as the report stores it (JSON, inside
the Z's content), ``batch_attention_blocks`` the list on paper.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from kiosk.domain.attention import Outcome, Reason
from kiosk.domain.money import Money
from kiosk.domain.order import Order, business_day
from kiosk.domain.thaidate import format_datetime, iso_local
from kiosk.receipts.layout import Block, Gap, Line, Pair, Rule, Size

REASON_SHORT: dict[Reason, str] = {
    Reason.AMOUNT: "ยอดเงินไม่ตรง Another amount",
    Reason.CURRENCY: "สกุลเงินไม่ตรง Another currency",
    Reason.OTHER_ORDER: "เป็นของรายการอื่น Another order",
    Reason.NOT_NAMED: "ไม่ระบุรายการ No order named",
    Reason.NEVER_SENT: "ไม่เคยส่งไปธนาคาร Never sent",
}
OUTCOME_SHORT: dict[Outcome, str] = {
    Outcome.REFUNDED: "คืนเงินแล้ว Refunded",
    Outcome.ACCEPTED: "ยอมรับแล้ว Accepted",
}


@dataclass(frozen=True)
class ZFlag:
    """One flagged sale as a Z report lists it (as it stood when the report was issued)."""

    kiosk_order_id: str
    created_at: datetime
    amount: Money  # the sale's
    reason: Reason
    raised_at: datetime
    reported_amount: str | None = None  # what the gateway's answer said, as it said it
    reported_currency: str | None = None
    cleared_at: datetime | None = None
    outcome: Outcome | None = None
    note: str = ""

    @property
    def is_open(self) -> bool:
        return self.cleared_at is None

    @property
    def reported(self) -> str:
        """The gateway's amount and currency ("1.0 THB"), "" when its answer had neither."""
        return " ".join(v for v in (self.reported_amount, self.reported_currency) if v)

    @classmethod
    def of(cls, order: Order) -> ZFlag:
        attention = order.attention
        assert attention is not None, order.kiosk_order_id
        raw = dict(attention.raw)
        return cls(
            kiosk_order_id=order.kiosk_order_id,
            created_at=order.created_at,
            amount=order.amount,
            reason=attention.reason,
            raised_at=attention.raised_at,
            reported_amount=raw.get("amount"),
            reported_currency=raw.get("currency"),
            cleared_at=attention.cleared_at,
            outcome=attention.outcome,
            note=attention.note,
        )

    def record(self, *, local: bool = True) -> dict[str, Any]:
        """JSON for scripts (Bangkok time, ``+07:00``); ``local=False``: as the journal keeps it."""
        iso = iso_local if local else datetime.isoformat
        return {
            "kiosk_order_id": self.kiosk_order_id,
            "created_at": iso(self.created_at),
            "amount": self.amount.plain(),
            "reason": self.reason.value,
            "raised_at": iso(self.raised_at),
            "reported_amount": self.reported_amount,
            "reported_currency": self.reported_currency,
            "cleared_at": iso(self.cleared_at) if self.cleared_at else None,
            "outcome": self.outcome.value if self.outcome else None,
            "note": self.note,
        }

    @classmethod
    def from_record(cls, value: dict[str, Any]) -> ZFlag:
        cleared, outcome = value.get("cleared_at"), value.get("outcome")
        return cls(
            kiosk_order_id=str(value["kiosk_order_id"]),
            created_at=datetime.fromisoformat(value["created_at"]),
            amount=Money.from_decimal(Decimal(value["amount"])),
            reason=Reason(value["reason"]),
            raised_at=datetime.fromisoformat(value["raised_at"]),
            reported_amount=value.get("reported_amount"),
            reported_currency=value.get("reported_currency"),
            cleared_at=datetime.fromisoformat(cleared) if cleared else None,
            outcome=Outcome(outcome) if outcome else None,
            note=str(value.get("note") or ""),
        )


def split_flags(day: str, flags: tuple[ZFlag, ...]) -> tuple[tuple[ZFlag, ...], tuple[ZFlag, ...]]:
    """(the flagged sales rung up on ``day``, those of other days)."""
    of_day = tuple(f for f in flags if business_day(f.created_at) == day)
    return of_day, tuple(f for f in flags if business_day(f.created_at) != day)


def in_batch(flag: ZFlag, opened_at: datetime | None) -> bool:
    """Whether a batch opened at ``opened_at`` (None: the first) saw the flag raised or cleared."""
    if opened_at is None:
        return True
    cleared = flag.cleared_at
    return flag.raised_at >= opened_at or (cleared is not None and cleared >= opened_at)


def split_since(
    opened_at: datetime, flags: tuple[ZFlag, ...]
) -> tuple[tuple[ZFlag, ...], tuple[ZFlag, ...]]:
    """(flags raised or cleared in the batch opened at ``opened_at``, earlier ones still open)."""
    ours = tuple(f for f in flags if in_batch(f, opened_at))
    return ours, tuple(f for f in flags if not in_batch(f, opened_at))


def attention_blocks(day: str, flags: tuple[ZFlag, ...], still_open: int) -> list[Block]:
    """A day's Z list: the day's flagged sales (open or cleared), then other days' still open."""
    of_day, others = split_flags(day, flags)
    return _attention_list(of_day, others, still_open, "ค้างจากวันอื่น OPEN FROM OTHER DAYS")


def batch_attention_blocks(
    opened_at: datetime, flags: tuple[ZFlag, ...], still_open: int
) -> list[Block]:
    """A batch's Z list: flags raised or cleared in it, then earlier ones still open."""
    ours, others = split_since(opened_at, flags)
    return _attention_list(ours, others, still_open, "ค้างจากรอบก่อน OPEN FROM EARLIER BATCHES")


def _attention_list(
    ours: tuple[ZFlag, ...], others: tuple[ZFlag, ...], still_open: int, others_title: str
) -> list[Block]:
    blocks: list[Block] = [
        Line(f"ต้องตรวจสอบ NEEDS ATTENTION ({len(ours)})", Size.BODY, bold=True),
    ]
    if not ours:
        blocks.append(Line("  ไม่มี None", Size.SMALL))
    for flag in ours:
        blocks += _flag_blocks(flag)
    if others:
        blocks.append(Line(f"{others_title} ({len(others)})", bold=True))
        for flag in others:
            blocks += _flag_blocks(flag)
    blocks += [
        Pair("ยังไม่ได้ตรวจ Still open", str(still_open), bold=True),
        Rule(),
    ]
    return blocks


def _flag_blocks(flag: ZFlag) -> list[Block]:
    blocks: list[Block] = [
        Gap(0.2),  # the paper drops indents: a little space tells one sale from the next
        Pair(flag.kiosk_order_id, flag.amount.on_paper(), Size.SMALL, bold=True),
        Line(f"  {REASON_SHORT[flag.reason]}", Size.SMALL),
    ]
    if flag.reported:
        blocks.append(Line(f"  ธนาคารแจ้ง Bank said: {flag.reported}", Size.SMALL))
    if flag.outcome is None or flag.cleared_at is None:
        blocks.append(Line("  ยังไม่ได้ตรวจ STILL OPEN", Size.SMALL, bold=True))
    else:
        at = format_datetime(flag.cleared_at, "th")
        blocks.append(Line(f"  {OUTCOME_SHORT[flag.outcome]} {at}", Size.SMALL))
        if flag.note:
            blocks.append(Line(f"  หมายเหตุ Note: {flag.note}", Size.SMALL))
    return blocks


__all__ = [
    "OUTCOME_SHORT",
    "REASON_SHORT",
    "ZFlag",
    "attention_blocks",
    "batch_attention_blocks",
    "in_batch",
    "split_flags",
    "split_since",
]
