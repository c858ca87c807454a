"""Read-side queries for the manager: a day's orders, totals, hourly sales, Z reports.

These run on the journal's own connection (one thread, like the journal), so
a figure the manager sees includes every change journaled before it. All
queries select by ``business_day`` (indexed), so a day's view costs the same
with one day in the journal or a year of them.

Z reports are written here too (table ``z_reports``, migration 3): the number
is taken and the row inserted in one ``BEGIN IMMEDIATE`` transaction, and the
table's triggers refuse any later UPDATE or DELETE.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime

from kiosk.domain.errors import StoreError
from kiosk.domain.money import Money
from kiosk.domain.order import BANGKOK, Method, Order, OrderState
from kiosk.store.journal import _DAY, Journal, _errors, _from_text, _to_text

S = OrderState
PENDING_STATES = frozenset({S.NEW, S.CREATING, S.AWAITING_PAYMENT})


def check_day(day: str) -> str:
    """``day`` if it is a business day ``YYYYMMDD``; ValueError otherwise."""
    if not _DAY.fullmatch(day):
        # A "2026-11-24" would match nothing and look like a quiet day.
        raise ValueError(f"business day must be YYYYMMDD, not {day!r}")
    return day


@dataclass(frozen=True)
class Tally:
    """How many orders, and their amount."""

    count: int = 0
    satang: int = 0

    @property
    def amount(self) -> Money:
        return Money(self.satang)

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.count + other.count, self.satang + other.satang)


@dataclass(frozen=True)
class DayTotals:
    """Counts and sums of one business day, by state, and paid by method."""

    day: str
    by_state: dict[OrderState, Tally] = field(default_factory=dict)
    paid_by_method: dict[Method, Tally] = field(default_factory=dict)
    late: Tally = Tally()  # paid after the kiosk had expired or cancelled them (in paid)

    def state(self, state: OrderState) -> Tally:
        return self.by_state.get(state, Tally())

    def method(self, method: Method) -> Tally:
        return self.paid_by_method.get(method, Tally())

    @property
    def paid(self) -> Tally:
        return self.state(S.PAID)

    @property
    def pending(self) -> Tally:
        """Not final yet: new, creating, awaiting payment."""
        total = Tally()
        for state in PENDING_STATES:
            total += self.state(state)
        return total

    @property
    def expired(self) -> Tally:
        return self.state(S.EXPIRED)

    @property
    def cancelled(self) -> Tally:
        return self.state(S.CANCELLED)

    @property
    def failed(self) -> Tally:
        return self.state(S.FAILED)

    @property
    def orders(self) -> Tally:
        total = Tally()
        for tally in self.by_state.values():
            total += tally
        return total


@dataclass(frozen=True)
class OrderMark:
    """An order named on a report: which one, and when it was rung up."""

    kiosk_order_id: str
    created_at: datetime


@dataclass(frozen=True)
class StoredZReport:
    """One issued end-of-day report as the journal keeps it (``content`` is JSON)."""

    number: int
    business_day: str
    store_id: str
    terminal_id: str
    issued_at: datetime
    previous_number: int | None
    content: str


class ReportStore:
    """Queries over one open journal; use it from the journal's thread."""

    def __init__(self, journal: Journal) -> None:
        self.journal = journal
        # Same package: the reports share the journal's connection and transactions.
        self._db: sqlite3.Connection = journal._db

    # --- orders

    def orders(
        self,
        day: str,
        *,
        states: Iterable[OrderState] | None = None,
        methods: Iterable[Method] | None = None,
    ) -> list[Order]:
        """The day's orders in time order, optionally only these states / methods."""
        where = ["business_day = ?"]
        params: list[object] = [check_day(day)]
        for column, values in (("state", states), ("method", methods)):
            if values is not None:
                chosen = sorted({v.value for v in values})
                where.append(f"{column} IN ({', '.join('?' * len(chosen))})")
                params += chosen
        return self.journal._orders(
            f"WHERE {' AND '.join(where)} ORDER BY created_at, kiosk_order_id", tuple(params)
        )

    # --- totals

    def totals(self, day: str) -> DayTotals:
        """Counts and sums by state, paid by method, and late payments, in one query."""
        with _errors(f"total the day {day}"):
            rows = self._db.execute(
                "SELECT state, method, late, COUNT(*), SUM(amount_satang) FROM orders"
                " WHERE business_day = ? GROUP BY state, method, late",
                (check_day(day),),
            ).fetchall()
        by_state: dict[OrderState, Tally] = {}
        by_method: dict[Method, Tally] = {}
        late = Tally()
        try:
            for state_text, method_text, is_late, count, satang in rows:
                state, tally = OrderState(state_text), Tally(int(count), int(satang or 0))
                by_state[state] = by_state.get(state, Tally()) + tally
                if state is S.PAID:
                    method = Method(method_text)
                    by_method[method] = by_method.get(method, Tally()) + tally
                    if is_late:
                        late += tally
        except ValueError as exc:
            raise StoreError(f"unreadable journal row while totalling {day}: {exc}") from exc
        return DayTotals(day, by_state, by_method, late)

    def hourly_paid(self, day: str) -> list[int]:
        """Paid satang per Bangkok hour of the sale (index 0-23)."""
        with _errors(f"total the hours of {day}"):
            rows = self._db.execute(
                # The UTC hour prefix of created_at, e.g. 2026-11-24T03.
                "SELECT substr(created_at, 1, 13), SUM(amount_satang) FROM orders"
                " WHERE business_day = ? AND state = ? GROUP BY 1",
                (check_day(day), S.PAID.value),
            ).fetchall()
        hours = [0] * 24
        for utc_hour, satang in rows:
            local = _from_text(f"{utc_hour}:00:00+00:00").astimezone(BANGKOK)
            hours[local.hour] += int(satang or 0)
        return hours

    def first_and_last(self, day: str) -> tuple[OrderMark | None, OrderMark | None]:
        """The day's first and last order by the time they were rung up."""
        marks: list[OrderMark | None] = []
        for direction in ("ASC", "DESC"):
            with _errors(f"read the first and last order of {day}"):
                row = self._db.execute(
                    "SELECT kiosk_order_id, created_at FROM orders WHERE business_day = ?"
                    f" ORDER BY created_at {direction}, kiosk_order_id {direction} LIMIT 1",
                    (check_day(day),),
                ).fetchone()
            marks.append(None if row is None else OrderMark(row[0], _from_text(row[1])))
        return marks[0], marks[1]

    # --- Z reports

    def z_report(self, number: int) -> StoredZReport | None:
        return self._one_z("WHERE number = ?", (number,))

    def z_report_for_day(self, day: str) -> StoredZReport | None:
        return self._one_z("WHERE business_day = ?", (check_day(day),))

    def latest_z_report(self) -> StoredZReport | None:
        return self._one_z("ORDER BY number DESC LIMIT 1", ())

    def z_reports(self) -> list[StoredZReport]:
        return self._z_rows("ORDER BY number", ())

    def issue_z_report(
        self,
        *,
        day: str,
        store_id: str,
        terminal_id: str,
        issued_at: datetime,
        content: Callable[[int, int | None], str],
    ) -> tuple[StoredZReport, bool]:
        """Issue the Z report of ``day``; (report, True), or (the existing one, False).

        ``content(number, previous_number)`` makes the report's JSON; it runs
        inside the write transaction, so the figures it reads are the ones
        the number is given to.
        """
        check_day(day)
        with self.journal._transaction(f"issue the Z report of {day}"):
            existing = self.z_report_for_day(day)
            if existing is not None:
                return existing, False
            (previous,) = self._db.execute("SELECT MAX(number) FROM z_reports").fetchone()
            number = int(previous or 0) + 1
            self._db.execute(
                "INSERT INTO z_reports (number, business_day, store_id, terminal_id,"
                " issued_at, previous_number, content) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    number,
                    day,
                    store_id,
                    terminal_id,
                    _to_text(issued_at),
                    previous,
                    content(number, previous),
                ),
            )
        issued = self.z_report(number)
        assert issued is not None
        return issued, True

    def _one_z(self, where: str, params: tuple[object, ...]) -> StoredZReport | None:
        rows = self._z_rows(where, params)
        return rows[0] if rows else None

    def _z_rows(self, where: str, params: tuple[object, ...]) -> list[StoredZReport]:
        with _errors("read Z reports"):
            rows = self._db.execute(
                "SELECT number, business_day, store_id, terminal_id, issued_at,"
                f" previous_number, content FROM z_reports {where}",
                params,
            ).fetchall()
        return [
            StoredZReport(
                number=int(number),
                business_day=day,
                store_id=store_id,
                terminal_id=terminal_id,
                issued_at=_from_text(issued_at),
                previous_number=None if previous is None else int(previous),
                content=content,
            )
            for number, day, store_id, terminal_id, issued_at, previous, content in rows
        ]


__all__ = [
    "PENDING_STATES",
    "DayTotals",
    "OrderMark",
    "ReportStore",
    "StoredZReport",
    "Tally",
    "check_day",
]
