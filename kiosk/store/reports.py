"""Read-side queries for the manager: a day's orders, totals, hourly sales, Z reports.

These run on the journal's own connection (one thread, like the journal), so
a figure the manager sees includes every change journaled before it. All
queries select by ``business_day`` (indexed), so a day's view costs the same
with one day in the journal or a year of them.

Z reports are read here (table ``z_reports``, a sandbox kiosk's
``test_z_reports``); they are issued by
kiosk.store.batches through the journal's append path, and the table's
triggers refuse any later UPDATE or DELETE.

The figures are the domain's plain values (``kiosk.domain.reports``: ``Tally``,
``DayTotals``, ``OrderMark``), re-exported here. The queries go through the
journal's public ``read``/``write``/``select_orders``, never its private parts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from kiosk.domain.errors import StoreError
from kiosk.domain.order import BANGKOK, Method, Order, OrderState
from kiosk.domain.reports import PENDING_STATES, DayTotals, OrderMark, Tally
from kiosk.store.journal import Journal, check_day, time_from_text

S = OrderState


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
    chain_seq: int | None = None  # its own position in the journal chain
    last_status_id: int = 0  # the last status change its batch holds
    sandbox: bool = False  # a test Z (TEST-Z000001, table test_z_reports), its own series


class ReportStore:
    """Queries over one open journal; use it from the journal's thread."""

    def __init__(self, journal: Journal, *, sandbox: bool | None = None) -> None:
        # The reports share the journal's connection and transactions.
        self.journal = journal
        # Totals of one kind of sale (orders.sandbox): a real kiosk's totals never
        # count test sales, a sandbox kiosk's only those; None: every sale.
        self.kind: int | None = None if sandbox is None else int(sandbox)
        # The Z series read: a sandbox kiosk's own (schema 10), else the real one.
        self.z_table = "test_z_reports" if sandbox else "z_reports"

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
        return self.journal.select_orders(
            f"WHERE {' AND '.join(where)} ORDER BY created_at, kiosk_order_id", tuple(params)
        )

    # --- totals

    def totals(self, day: str) -> DayTotals:
        """Counts and sums by state, paid by method, and late payments, in one query."""
        with self.journal.read(f"total the day {day}") as db:
            rows = db.execute(
                "SELECT state, method, late, COUNT(*), SUM(amount_satang) FROM orders"
                " WHERE business_day = ? AND (? IS NULL OR sandbox = ?)"
                " GROUP BY state, method, late",
                (check_day(day), self.kind, self.kind),
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
        with self.journal.read(f"total the hours of {day}") as db:
            rows = db.execute(
                # The UTC hour prefix of created_at, e.g. 2026-11-24T03.
                "SELECT substr(created_at, 1, 13), SUM(amount_satang) FROM orders"
                " WHERE business_day = ? AND state = ? AND (? IS NULL OR sandbox = ?) GROUP BY 1",
                (check_day(day), S.PAID.value, self.kind, self.kind),
            ).fetchall()
        hours = [0] * 24
        for utc_hour, satang in rows:
            local = time_from_text(f"{utc_hour}:00:00+00:00").astimezone(BANGKOK)
            hours[local.hour] += int(satang or 0)
        return hours

    def first_and_last(self, day: str) -> tuple[OrderMark | None, OrderMark | None]:
        """The day's first and last order by the time they were rung up."""
        marks: list[OrderMark | None] = []
        for direction in ("ASC", "DESC"):
            with self.journal.read(f"read the first and last order of {day}") as db:
                row = db.execute(
                    "SELECT kiosk_order_id, created_at FROM orders WHERE business_day = ?"
                    f" ORDER BY created_at {direction}, kiosk_order_id {direction} LIMIT 1",
                    (check_day(day),),
                ).fetchone()
            marks.append(None if row is None else OrderMark(row[0], time_from_text(row[1])))
        return marks[0], marks[1]

    # --- Z reports

    def z_report(self, number: int) -> StoredZReport | None:
        return self._one_z("WHERE number = ?", (number,))

    def z_report_for_day(self, day: str) -> StoredZReport | None:
        """The last Z report issued on ``day`` (reports before batches: of that day)."""
        return self._one_z("WHERE business_day = ? ORDER BY number DESC LIMIT 1", (check_day(day),))

    def latest_z_report(self) -> StoredZReport | None:
        return self._one_z("ORDER BY number DESC LIMIT 1", ())

    def z_reports(self) -> list[StoredZReport]:
        return self._z_rows("ORDER BY number", ())

    def _one_z(self, where: str, params: tuple[object, ...]) -> StoredZReport | None:
        rows = self._z_rows(where, params)
        return rows[0] if rows else None

    def _z_rows(self, where: str, params: tuple[object, ...]) -> list[StoredZReport]:
        with self.journal.read("read Z reports") as db:
            rows = db.execute(
                "SELECT number, business_day, store_id, terminal_id, issued_at,"
                f" previous_number, content, chain_seq, last_status_id FROM {self.z_table}"
                f" {where}",
                params,
            ).fetchall()
        return [
            StoredZReport(
                number=int(number),
                business_day=day,
                store_id=store_id,
                terminal_id=terminal_id,
                issued_at=time_from_text(issued_at),
                previous_number=None if previous is None else int(previous),
                content=content,
                chain_seq=None if seq is None else int(seq),
                last_status_id=int(last),
                sandbox=self.z_table != "z_reports",
            )
            for number, day, store_id, terminal_id, issued_at, previous, content, seq, last in rows
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
