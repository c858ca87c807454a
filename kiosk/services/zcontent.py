"""A Z report as it is stored and as scripts read it: ``ZReport``, its JSON, old versions.

The journal keeps each report's content as JSON (``z_reports.content``),
written once at issue and covered by the hash chain. Versions:

- 1: one business day's orders by state (reports before the attention list);
- 2: adds ``attention`` and ``attention_open``;
- 3: a **batch** (kiosk.store.batches): everything journaled since the
  previous Z, with ``opened_at``/``closed_at``, the transitions' totals per
  method and per outcome, the sales open at the close, payments that came in
  for earlier batches (with their original batch), first and last document,
  the perpetual grand total and the chain head and record count at the close.

Every version still loads and prints as it was issued. ``ZReport.record``
is what ``kiosk close --json`` prints (a version 3 report's stored content
holds the same keys).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from kiosk.domain.documents import z_file_stem, z_number_text
from kiosk.domain.money import Money
from kiosk.domain.order import Method, OrderState
from kiosk.domain.reports import BatchSale, DayTotals, OrderMark, Tally
from kiosk.domain.thaidate import iso_local
from kiosk.services.zdocs import DocRange
from kiosk.services.zflags import ZFlag, split_flags, split_since
from kiosk.store.reports import StoredZReport

S = OrderState
CONTENT_VERSION = 3
_OUTCOMES = (S.PAID, S.EXPIRED, S.CANCELLED, S.FAILED)


@dataclass(frozen=True)
class ZBatch:
    """What a batch's report adds to a day's (content version 3)."""

    opened_at: datetime
    open_at_close: tuple[BatchSale, ...] = ()
    paid_earlier: tuple[BatchSale, ...] = ()  # late payments and sales of earlier batches
    grand_total: Money = Money(0)
    chain_head: str = ""
    records: int = 0
    receipts: tuple[int, int] | None = None  # first and last receipt number of the batch
    # Since issue 17 (absent from older reports): the batch's documents with their
    # prefixes (slips, and abbreviated tax invoices with their VAT), and a test batch.
    slips: DocRange | None = None
    abbs: DocRange | None = None
    sandbox: bool = False


@dataclass(frozen=True)
class ZReport:
    """One issued Z report, as stored (it never changes after issue)."""

    number: int
    previous_number: int | None
    business_day: str  # a batch: the Bangkok day it was closed
    store_id: str
    terminal_id: str
    shop_name: str
    issued_at: datetime
    totals: DayTotals
    first: OrderMark | None
    last: OrderMark | None
    # Flagged sales: the day's (a batch's: raised or cleared in it), then others still open.
    attention: tuple[ZFlag, ...] = ()
    # Flags still open (any day) when issued; None: issued before the list existed.
    attention_open: int | None = None
    batch: ZBatch | None = None  # None: a report of one business day (versions 1, 2)

    @property
    def day_flags(self) -> tuple[ZFlag, ...]:
        """The flagged sales of the report's own day or batch."""
        return self._flags()[0]

    @property
    def other_open_flags(self) -> tuple[ZFlag, ...]:
        """Flags of other days (or earlier batches) still open when the report was issued."""
        return self._flags()[1]

    def _flags(self) -> tuple[tuple[ZFlag, ...], tuple[ZFlag, ...]]:
        if self.batch is not None:
            return split_since(self.batch.opened_at, self.attention)
        return split_flags(self.business_day, self.attention)

    @property
    def sandbox(self) -> bool:
        """A test batch's Z: the TEST-Z series (kiosk.store.batches), printed TEST."""
        return self.batch is not None and self.batch.sandbox

    @property
    def number_text(self) -> str:
        return z_number_text(self.number, sandbox=self.sandbox)

    @property
    def previous_text(self) -> str:
        if self.previous_number is None:
            return "—"
        return z_number_text(self.previous_number, sandbox=self.sandbox)

    @property
    def file_stem(self) -> str:
        return z_file_stem(self.number, sandbox=self.sandbox)

    def record(self, *, local: bool = True) -> dict[str, Any]:
        """The report for scripts (``kiosk close --json``); a day's report has no batch keys.

        Times are Bangkok time with ``+07:00``; ``local=False`` writes them as the
        journal's stored content has always kept them (``to_json``): what is stored
        and chained does not change.
        """
        iso: Callable[[datetime], str] = iso_local if local else _stored
        totals = self.totals
        record: dict[str, Any] = {
            "batch": self.number,
            "number_text": self.number_text,  # Z000123, a sandbox kiosk's TEST-Z000001
            "previous_batch": self.previous_number,
            "closed_at": iso(self.issued_at),
            "store_id": self.store_id,
            "terminal_id": self.terminal_id,
            "totals": {
                "by_method": {m.value: _tally(totals.method(m)) for m in Method},
                "by_outcome": {
                    **{s.value: _tally(totals.state(s)) for s in _OUTCOMES},
                    "late": _tally(totals.late),
                    "open": _tally(totals.pending),
                },
            },
            "paid_total": totals.paid.amount.plain(),
            "attention": [flag.record(local=local) for flag in self.attention],
            "attention_open": self.attention_open,
            "first_doc": self.first.kiosk_order_id if self.first else None,
            "last_doc": self.last.kiosk_order_id if self.last else None,
        }
        batch = self.batch
        if batch is not None:
            record |= {
                "opened_at": iso(batch.opened_at),
                "open_at_close": [_sale(s, iso) for s in batch.open_at_close],
                "late": [_sale(s, iso) for s in batch.paid_earlier],
                "grand_total": batch.grand_total.plain(),
                "chain_head": batch.chain_head,
                "records": batch.records,
                "first_receipt": batch.receipts[0] if batch.receipts else None,
                "last_receipt": batch.receipts[1] if batch.receipts else None,
                "slips": _range(batch.slips),
                "tax_invoices": _range(batch.abbs),
                "sandbox": batch.sandbox,
            }
        return record

    def to_json(self) -> str:
        """The stored content (version 3): ``record`` and what reading it back needs."""
        if self.batch is None:
            raise ValueError("only a batch's report is issued now")

        def mark(m: OrderMark | None) -> dict[str, str] | None:
            if m is None:
                return None
            return {"kiosk_order_id": m.kiosk_order_id, "created_at": m.created_at.isoformat()}

        data = self.record(local=False) | {
            "version": CONTENT_VERSION,
            "kind": "batch",
            "number": self.number,
            "previous_number": self.previous_number,
            "business_day": self.business_day,
            "shop_name": self.shop_name,
            "issued_at": self.issued_at.isoformat(),
            "first_order": mark(self.first),
            "last_order": mark(self.last),
            "grand_total_satang": self.batch.grand_total.satang,
        }
        return json.dumps(data, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_stored(cls, stored: StoredZReport) -> ZReport:
        data = json.loads(stored.content)
        batch: ZBatch | None = None
        if int(data.get("version", 1)) >= 3:
            totals, batch = _batch_totals(stored.business_day, data)
        else:
            totals = DayTotals(
                stored.business_day,
                {OrderState(k): _read(v) for k, v in data["states"].items() if int(v["count"])},
                {Method(k): _read(v) for k, v in data["paid_by_method"].items() if int(v["count"])},
                _read(data["late"]),
            )
        return cls(
            number=stored.number,
            previous_number=stored.previous_number,
            business_day=stored.business_day,
            store_id=stored.store_id,
            terminal_id=stored.terminal_id,
            shop_name=str(data.get("shop_name", "")),
            issued_at=stored.issued_at,
            totals=totals,
            first=_mark(data.get("first_order")),
            last=_mark(data.get("last_order")),
            # Optional: reports issued before the attention list have neither field.
            attention=tuple(ZFlag.from_record(v) for v in data.get("attention") or ()),
            attention_open=(
                None if data.get("attention_open") is None else int(data["attention_open"])
            ),
            batch=batch,
        )


def _range(docs: DocRange | None) -> dict[str, Any] | None:
    if docs is None:
        return None
    record: dict[str, Any] = {"first": docs.first, "last": docs.last, "count": docs.count}
    if docs.vat is not None:
        record["vat"] = docs.vat.plain()
    return record


def _range_from(value: dict[str, Any] | None) -> DocRange | None:
    if not value:
        return None
    vat = value.get("vat")
    return DocRange(
        str(value["first"]),
        str(value["last"]),
        int(value["count"]),
        Money.from_decimal(Decimal(vat)) if vat is not None else None,
    )


def _tally(t: Tally) -> dict[str, Any]:
    return {"count": t.count, "amount": t.amount.plain()}


def _read(value: dict[str, Any]) -> Tally:
    return Tally(int(value["count"]), Money.from_decimal(Decimal(value["amount"])).satang)


def _mark(value: dict[str, str] | None) -> OrderMark | None:
    if value is None:
        return None
    return OrderMark(value["kiosk_order_id"], datetime.fromisoformat(value["created_at"]))


def _stored(at: datetime) -> str:
    """An instant as the journal's content keeps it (as issued; the chain hashes it)."""
    return at.isoformat()


def _sale(sale: BatchSale, iso: Callable[[datetime], str]) -> dict[str, Any]:
    return {
        "kiosk_order_id": sale.kiosk_order_id,
        "amount": sale.amount.plain(),
        "method": sale.method.value,
        "status": sale.state.value,
        "created_at": iso(sale.created_at),
        "batch": sale.batch,
        "paid_at": iso(sale.paid_at) if sale.paid_at else None,
        "late": sale.late,
    }


def _sale_from(value: dict[str, Any]) -> BatchSale:
    paid_at = value.get("paid_at")
    return BatchSale(
        kiosk_order_id=str(value["kiosk_order_id"]),
        amount=Money.from_decimal(Decimal(value["amount"])),
        method=Method(value["method"]),
        state=OrderState(value["status"]),
        created_at=datetime.fromisoformat(value["created_at"]),
        batch=int(value["batch"]),
        paid_at=datetime.fromisoformat(paid_at) if paid_at else None,
        late=bool(value.get("late")),
    )


def _batch_totals(day: str, data: dict[str, Any]) -> tuple[DayTotals, ZBatch]:
    outcomes = data["totals"]["by_outcome"]
    by_state = {s: _read(outcomes[s.value]) for s in _OUTCOMES if int(outcomes[s.value]["count"])}
    open_sales = tuple(_sale_from(v) for v in data["open_at_close"])
    for sale in open_sales:
        by_state[sale.state] = by_state.get(sale.state, Tally()) + Tally(1, sale.amount.satang)
    by_method = {
        Method(k): _read(v) for k, v in data["totals"]["by_method"].items() if int(v["count"])
    }
    totals = DayTotals(day, by_state, by_method, _read(outcomes["late"]))
    batch = ZBatch(
        opened_at=datetime.fromisoformat(data["opened_at"]),
        open_at_close=open_sales,
        paid_earlier=tuple(_sale_from(v) for v in data["late"]),
        grand_total=Money(int(data["grand_total_satang"])),
        chain_head=str(data["chain_head"]),
        records=int(data["records"]),
        receipts=(
            (int(data["first_receipt"]), int(data["last_receipt"]))
            if data.get("first_receipt") is not None
            else None
        ),
        slips=_range_from(data.get("slips")),
        abbs=_range_from(data.get("tax_invoices")),
        sandbox=bool(data.get("sandbox", False)),
    )
    return totals, batch


__all__ = ["CONTENT_VERSION", "ZBatch", "ZReport"]
