"""The store's day as the store-wide manager view and the store close see it (pure values).

These are the only types that cross from the store database's adapter
(kiosk.store.storedb.store_day) through kiosk.services.store_view to the UI
and the CLI: nothing of psycopg leaves the adapter.

A *store close* of business day D (Bangkok) sums the counters' batches (their
Z reports) closed during D that no earlier store close counted, plus any Z
of an earlier day that arrived after that day's close (an *after-close
adjustment*). It is numbered per store, issued once per day, never rewritten.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, NamedTuple

from kiosk.domain.money import Money
from kiosk.domain.order import Method, OrderState
from kiosk.domain.reports import Tally

CLOSE_VERSION = 1


class StoreOrder(NamedTuple):
    """One order of the store's day, as the store database has it.

    A named tuple, not a frozen dataclass: a big store's day is ten thousand
    of them, and a frozen dataclass's ``__init__`` costs several times more.
    """

    terminal_id: str
    install_id: str
    kiosk_order_id: str
    created_at: datetime | None
    satang: int  # a plain int: a day of a big store is tens of thousands of rows
    method: Method
    state: OrderState
    late: bool

    @property
    def amount(self) -> Money:
        return Money(self.satang)


@dataclass(frozen=True)
class CounterStatus:
    """One counter (an install) of the store: its last sync and what is wrong with it."""

    install_id: str
    terminal_id: str
    generation: int
    head_seq: int
    last_event_at: datetime | None
    last_sync_at: datetime | None
    events: int
    journal_replaced: bool
    conflicts: int
    terminal_shared: bool  # another install reports the same terminal id
    silent_s: float | None  # seconds since its last sync, by the database's clock
    behind: bool  # nothing heard for longer than allowed, or this counter's outbox is late
    pending: int | None = None  # unsynced records: known for this counter only
    this_counter: bool = False

    @property
    def flagged(self) -> bool:
        return self.conflicts > 0 or self.journal_replaced or self.terminal_shared


@dataclass(frozen=True)
class StoreClosedRef:
    """An issued store close, named."""

    number: int
    business_day: str
    issued_at: datetime

    @property
    def number_text(self) -> str:
        return f"S{self.number:06d}"


@dataclass(frozen=True)
class StoreDay:
    """One business day of one store: orders, paid totals per counter and method, counters."""

    store_id: str
    day: str  # YYYYMMDD
    read_at: datetime  # the database's clock when read
    orders: tuple[StoreOrder, ...]
    # Paid per (install id, terminal id) and method, summed by the database.
    paid: Mapping[tuple[str, str], Mapping[Method, Tally]]
    counters: tuple[CounterStatus, ...]
    closed: StoreClosedRef | None = None

    def paid_total(self, terminal_id: str | None = None) -> Tally:
        total = Tally()
        for (_, terminal), methods in self.paid.items():
            if terminal_id is None or terminal == terminal_id:
                for tally in methods.values():
                    total += tally
        return total

    def paid_by_method(self, terminal_id: str | None = None) -> dict[Method, Tally]:
        out: dict[Method, Tally] = {}
        for (_, terminal), methods in self.paid.items():
            if terminal_id is None or terminal == terminal_id:
                for method, tally in methods.items():
                    out[method] = out.get(method, Tally()) + tally
        return out

    @property
    def behind(self) -> tuple[CounterStatus, ...]:
        return tuple(c for c in self.counters if c.behind)

    @property
    def terminals(self) -> tuple[str, ...]:
        return tuple(
            sorted({c.terminal_id for c in self.counters} | {o.terminal_id for o in self.orders})
        )


@dataclass(frozen=True)
class ClosedBatch:
    """One counter Z report a store close counts."""

    event_id: str
    install_id: str
    terminal_id: str
    batch: int
    business_day: str
    closed_at: datetime | None
    paid_by_method: Mapping[Method, Tally]
    adjustment: bool  # a Z of an earlier day that arrived after that day's close

    @property
    def paid(self) -> Tally:
        return sum(self.paid_by_method.values(), Tally())

    def record(self) -> dict[str, Any]:
        return {
            "event_id": self.event_id,
            "install_id": self.install_id,
            "terminal_id": self.terminal_id,
            "batch": self.batch,
            "business_day": self.business_day,
            "closed_at": self.closed_at.isoformat() if self.closed_at else None,
            "by_method": {
                m.value: {"count": t.count, "satang": t.satang}
                for m, t in sorted(self.paid_by_method.items())
            },
            "adjustment": self.adjustment,
        }

    @classmethod
    def from_record(cls, data: Mapping[str, Any]) -> ClosedBatch:
        closed = data.get("closed_at")
        return cls(
            event_id=str(data["event_id"]),
            install_id=str(data["install_id"]),
            terminal_id=str(data["terminal_id"]),
            batch=int(data["batch"]),
            business_day=str(data["business_day"]),
            closed_at=datetime.fromisoformat(closed) if closed else None,
            paid_by_method={
                Method(k): Tally(int(v["count"]), int(v["satang"]))
                for k, v in dict(data["by_method"]).items()
            },
            adjustment=bool(data["adjustment"]),
        )


@dataclass(frozen=True)
class CounterAtClose:
    """A counter of the store when the close was issued."""

    install_id: str
    terminal_id: str
    closed: bool  # a Z of the day is counted (in this close or an earlier one)
    synced: bool  # heard from recently, or closed the day
    last_sync_at: datetime | None

    def record(self) -> dict[str, Any]:
        return {
            "install_id": self.install_id,
            "terminal_id": self.terminal_id,
            "closed": self.closed,
            "synced": self.synced,
            "last_sync_at": self.last_sync_at.isoformat() if self.last_sync_at else None,
        }

    @classmethod
    def from_record(cls, data: Mapping[str, Any]) -> CounterAtClose:
        last = data.get("last_sync_at")
        return cls(
            install_id=str(data["install_id"]),
            terminal_id=str(data["terminal_id"]),
            closed=bool(data["closed"]),
            synced=bool(data["synced"]),
            last_sync_at=datetime.fromisoformat(last) if last else None,
        )


@dataclass(frozen=True)
class StoreClose:
    """An issued store close (it never changes after issue)."""

    number: int
    store_id: str
    business_day: str
    issued_at: datetime
    issued_by: str  # the terminal it was issued from
    shop_name: str
    batches: tuple[ClosedBatch, ...]
    counters: tuple[CounterAtClose, ...] = field(default=())

    @property
    def number_text(self) -> str:
        return f"S{self.number:06d}"

    @property
    def file_stem(self) -> str:
        return f"store-close-{self.number:06d}"

    @property
    def day_batches(self) -> tuple[ClosedBatch, ...]:
        return tuple(b for b in self.batches if not b.adjustment)

    @property
    def adjustments(self) -> tuple[ClosedBatch, ...]:
        return tuple(b for b in self.batches if b.adjustment)

    @property
    def not_closed(self) -> tuple[str, ...]:
        return tuple(c.terminal_id for c in self.counters if not c.closed)

    @property
    def not_synced(self) -> tuple[str, ...]:
        return tuple(c.terminal_id for c in self.counters if not c.synced)

    def totals(self, batches: Iterable[ClosedBatch] | None = None) -> dict[Method, Tally]:
        out: dict[Method, Tally] = {}
        for batch in self.batches if batches is None else batches:
            for method, tally in batch.paid_by_method.items():
                out[method] = out.get(method, Tally()) + tally
        return out

    def paid(self, batches: Iterable[ClosedBatch] | None = None) -> Tally:
        return sum(self.totals(batches).values(), Tally())

    def record(self) -> dict[str, Any]:
        """The stored content, and what ``kiosk close --store --json`` prints."""

        def money(tally: Tally) -> dict[str, Any]:
            return {"count": tally.count, "amount": tally.amount.plain()}

        return {
            "version": CLOSE_VERSION,
            "number": self.number,
            "store_id": self.store_id,
            "business_day": self.business_day,
            "issued_at": self.issued_at.isoformat(),
            "issued_by": self.issued_by,
            "shop_name": self.shop_name,
            "batches": [b.record() for b in self.batches],
            "counters": [c.record() for c in self.counters],
            "paid": money(self.paid(self.day_batches)),
            "by_method": {m.value: money(t) for m, t in self.totals(self.day_batches).items()},
            "adjustments_paid": money(self.paid(self.adjustments)),
            "not_closed": list(self.not_closed),
            "not_synced": list(self.not_synced),
        }

    @classmethod
    def from_record(cls, data: Mapping[str, Any]) -> StoreClose:
        return cls(
            number=int(data["number"]),
            store_id=str(data["store_id"]),
            business_day=str(data["business_day"]),
            issued_at=datetime.fromisoformat(str(data["issued_at"])),
            issued_by=str(data["issued_by"]),
            shop_name=str(data.get("shop_name", "")),
            batches=tuple(ClosedBatch.from_record(b) for b in data["batches"]),
            counters=tuple(CounterAtClose.from_record(c) for c in data["counters"]),
        )


__all__ = [
    "CLOSE_VERSION",
    "ClosedBatch",
    "CounterAtClose",
    "CounterStatus",
    "StoreClose",
    "StoreClosedRef",
    "StoreDay",
    "StoreOrder",
]
