"""Batches: what a Z report closes, read and issued in one journal transaction.

A batch is every status change journaled after the previous Z report's chain
position; its number is the number of the Z that closes it, and a Z may be
issued any time, any number of times a day. A Z never waits for open sales:

- its totals count the transitions of its span (PAID by method, late
  payments, and the sales that ended expired, cancelled or failed);
- orders not final at the close are listed "open at close" (by state);
- a payment in the span for an order rung up in an earlier batch, and any
  late payment, is listed with the batch the order was rung up in.

Spans are kept as status-change ids (``z_reports.last_status_id``): ids and
chain positions grow together, and an id range is an index range.

Sandbox sales (``orders.sandbox``) are never in a real batch: a batch
counts the orders of its kind only (``BatchStore(sandbox=...)``: a kiosk on
the sandbox gateway closes test batches, a real one real batches), so a test
sale cannot reach a real Z's totals, grand total or slip range. The two kinds
are two series of Zs (schema 10): a test batch's Z is kept in
``test_z_reports`` and printed ``TEST-Z000001``, with its own counter, span,
grand total and floors, so a kiosk that goes from sandbox to real (or back)
carries on each series where it stopped and a test Z never takes, skips or
closes a real number or span.

Numbers and the perpetual grand total go on past a replaced journal: the
floors an earlier journal left (``Z_FLOOR_KEY``, ``GRAND_TOTAL_FLOOR_KEY`` in
kiosk_meta, written by kiosk.store.numbering; the TEST series' own keys) are
where a new journal starts.
The grand total of a Z is the floor plus every PAID of this journal up to its
close.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from kiosk.domain.documents import Series, z_number_text
from kiosk.domain.errors import StoreError
from kiosk.domain.money import Money
from kiosk.domain.order import LATE_FROM, Method, OrderState, business_day
from kiosk.domain.reports import PENDING_STATES, BatchSale, DayTotals, OrderMark, Tally
from kiosk.store.chain import Head, head
from kiosk.store.journal import Journal, time_from_text, time_to_text
from kiosk.store.reports import ReportStore, StoredZReport

S = OrderState
Z_FLOOR_KEY = "z_number_floor"  # the highest Z number an earlier journal issued
GRAND_TOTAL_FLOOR_KEY = "grand_total_floor"  # satang paid in earlier journals
TEST_Z_FLOOR_KEY = "test_z_number_floor"  # the same for the sandbox's TEST-Z series
TEST_GRAND_TOTAL_FLOOR_KEY = "test_grand_total_floor"
_FINAL = tuple(sorted(s.value for s in (S.PAID, S.EXPIRED, S.CANCELLED, S.FAILED)))
_PENDING = tuple(sorted(s.value for s in PENDING_STATES))
# A sandbox kiosk's Z issued before schema 10, in z_reports (its content says so).
_LEGACY_TEST_Z = "(json_valid(content) AND json_extract(content, '$.sandbox') IS 1)"
# The id of an order's first status change (its creation), for table alias {0}.
_CREATED_ID = (
    "(SELECT MIN(c.id) FROM status_changes AS c WHERE c.kiosk_order_id = {0}.kiosk_order_id)"
)


@dataclass(frozen=True)
class BatchFigures:
    """What a Z report of a batch says, read at its close."""

    number: int
    previous_number: int | None
    opened_at: datetime  # the previous Z's close in this journal, else the span's first record
    closed_at: datetime
    after_status_id: int  # the span: status changes with after < id <= through
    through_status_id: int
    totals: DayTotals  # final states: transitions in the span; pending: open at the close
    first: OrderMark | None  # the first and last order rung up in the batch
    last: OrderMark | None
    open_at_close: tuple[BatchSale, ...]
    paid_earlier: tuple[BatchSale, ...]  # late payments, and sales of earlier batches paid now
    grand_total: Money  # perpetual: every PAID ever, earlier journals included
    head: Head  # the chain before the Z's own record
    previous_in_journal: bool  # False: the first Z of this journal
    # The first and last receipt number issued in the batch (None: none was).
    receipts: tuple[int, int] | None = None
    sandbox: bool = False  # a test batch: its Z is of the TEST-Z series
    # The previous Z's own chain position (0: none): documents chained after it are the batch's.
    after_chain_seq: int = 0

    @property
    def number_text(self) -> str:
        """The number its Z will print: ``Z000123``, a test batch's ``TEST-Z000001``."""
        return z_number_text(self.number, sandbox=self.sandbox)


class BatchStore:
    """Batch queries and the issuing of a batch's Z, over one open journal."""

    def __init__(self, journal: Journal, *, sandbox: bool = False) -> None:
        self.journal = journal
        self.reports = ReportStore(journal, sandbox=sandbox)
        self.sandbox = int(sandbox)  # the kind of sale this kiosk's batches count
        self.table = self.reports.z_table  # and the series of Zs that close them

    def floors(self) -> tuple[int, int]:
        """(Z number, grand total satang) an earlier journal left in this series; (0, 0): none."""
        number, total = (
            (TEST_Z_FLOOR_KEY, TEST_GRAND_TOTAL_FLOOR_KEY)
            if self.sandbox
            else (Z_FLOOR_KEY, GRAND_TOTAL_FLOOR_KEY)
        )
        return _int(self.journal.meta(number)), _int(self.journal.meta(total))

    def pending(self, at: datetime) -> BatchFigures | None:
        """The figures a Z issued at ``at`` would have; None when there is nothing to close."""
        with self.journal.read("read the open batch") as db:
            return self._figures(db, at)

    def issue(
        self,
        *,
        store_id: str,
        terminal_id: str,
        issued_at: datetime,
        content: Callable[[BatchFigures], str],
    ) -> StoredZReport | None:
        """Close the open batch: its Z report, or None when nothing was journaled since the last.

        The figures are read, ``content(figures)`` made and the row appended
        (with its chain link) in one transaction.
        """
        with self.journal.write("close the batch") as db:
            figures = self._figures(db, issued_at)
            if figures is None:
                return None
            self.journal.append_z_report(
                {
                    "number": figures.number,
                    "business_day": business_day(issued_at),
                    "store_id": store_id,
                    "terminal_id": terminal_id,
                    "issued_at": time_to_text(issued_at),
                    "previous_number": figures.previous_number,
                    "content": content(figures),
                    "chain_seq": figures.head.position + 1,
                    "last_status_id": figures.through_status_id,
                },
                sandbox=bool(self.sandbox),
            )
        issued = self.reports.z_report(figures.number)
        if issued is None:  # pragma: no cover - committed just above
            raise StoreError(f"Z report {figures.number} is not in the journal after issue")
        return issued

    def first_change_at(self) -> datetime | None:
        """When the journal's first status change was journaled; None for an empty journal."""
        with self.journal.read("read the first status change") as db:
            row = db.execute("SELECT at FROM status_changes ORDER BY id LIMIT 1").fetchone()
        return None if row is None else time_from_text(row[0])

    def batch_of(self, status_id: int) -> int | None:
        """The number of the Z whose batch holds status change ``status_id`` (None: still open)."""
        with self.journal.read("find a batch") as db:
            (number,) = db.execute(
                f"SELECT MIN(number) FROM {self.table} WHERE last_status_id >= ?", (status_id,)
            ).fetchone()
        return None if number is None else int(number)

    # --- the figures, inside the caller's transaction

    def _figures(self, db: sqlite3.Connection, at: datetime) -> BatchFigures | None:
        previous, highest = self._previous(db)
        after = int(previous[2]) if previous else 0
        # The span starts after the previous Z of this series and ends now: what
        # the other kind journaled in it is not counted (each query filters the kind).
        (through,) = db.execute("SELECT COALESCE(MAX(id), 0) FROM status_changes").fetchone()
        if through <= after:
            return None
        z_floor, total_floor = self.floors()
        number = max(highest, z_floor) + 1
        if previous:
            opened = time_from_text(previous[1])
        else:
            (first_at,) = db.execute(
                "SELECT at FROM status_changes WHERE id > ? ORDER BY id LIMIT 1", (after,)
            ).fetchone()
            opened = time_from_text(first_at)
        after_seq = int(previous[4] or 0) if previous else 0
        totals, paid = self._totals(db, at, after, through)
        open_sales, open_tallies = self._open(db, number)
        by_state = {**totals.by_state, **open_tallies}
        before = _grand_total_before(db, previous, after, total_floor, self.sandbox)
        return BatchFigures(
            number=number,
            previous_number=(number - 1) or None,
            opened_at=opened,
            closed_at=at,
            after_status_id=after,
            through_status_id=int(through),
            totals=DayTotals(totals.day, by_state, totals.paid_by_method, totals.late),
            first=_mark(db, after, through, "ASC", self.sandbox),
            last=_mark(db, after, through, "DESC", self.sandbox),
            open_at_close=open_sales,
            paid_earlier=self._paid_earlier(db, after, through, number),
            grand_total=Money(before + paid),
            head=head(db),
            previous_in_journal=previous is not None,
            receipts=_receipts(db, after_seq, self.sandbox),
            sandbox=bool(self.sandbox),
            after_chain_seq=after_seq,
        )

    def _previous(self, db: sqlite3.Connection) -> tuple[tuple[Any, ...] | None, int]:
        """The previous Z of this series (its row), and the highest number of its table.

        Before schema 10 a sandbox kiosk's Zs were kept in z_reports (their
        content says ``"sandbox": true``): the real series passes over them
        (its span and grand total go on from the previous real Z; its number
        from the table's highest), and a TEST series without a TEST-Z yet goes
        on from the newest of them (span and grand total, never the number).
        """
        columns = "number, issued_at, last_status_id, content, chain_seq"
        (highest,) = db.execute(f"SELECT COALESCE(MAX(number), 0) FROM {self.table}").fetchone()
        own = "" if self.sandbox else f" WHERE NOT {_LEGACY_TEST_Z}"
        previous = db.execute(
            f"SELECT {columns} FROM {self.table}{own} ORDER BY number DESC LIMIT 1"
        ).fetchone()
        if previous is None and self.sandbox:
            previous = db.execute(
                f"SELECT {columns} FROM z_reports WHERE {_LEGACY_TEST_Z}"
                " ORDER BY number DESC LIMIT 1"
            ).fetchone()
        return (None if previous is None else tuple(previous)), int(highest)

    def _totals(
        self, db: sqlite3.Connection, at: datetime, after: int, through: int
    ) -> tuple[DayTotals, int]:
        rows = db.execute(
            "SELECT s.to_state, s.from_state, o.method, COUNT(*), SUM(o.amount_satang)"
            " FROM status_changes AS s JOIN orders AS o USING (kiosk_order_id)"
            f" WHERE s.id > ? AND s.id <= ? AND s.to_state IN ({', '.join('?' * len(_FINAL))})"
            " AND o.sandbox = ? GROUP BY 1, 2, 3",
            (after, through, *_FINAL, self.sandbox),
        ).fetchall()
        by_state: dict[OrderState, Tally] = {}
        by_method: dict[Method, Tally] = {}
        late = Tally()
        try:
            for to_state, from_state, method, count, satang in rows:
                state, tally = OrderState(to_state), Tally(int(count), int(satang or 0))
                by_state[state] = by_state.get(state, Tally()) + tally
                if state is S.PAID:
                    by_method[Method(method)] = by_method.get(Method(method), Tally()) + tally
                    if from_state is not None and OrderState(from_state) in LATE_FROM:
                        late += tally
        except ValueError as exc:
            raise StoreError(f"unreadable journal row while closing the batch: {exc}") from exc
        totals = DayTotals(business_day(at), by_state, by_method, late)
        return totals, totals.paid.satang

    def _open(
        self, db: sqlite3.Connection, number: int
    ) -> tuple[tuple[BatchSale, ...], dict[OrderState, Tally]]:
        rows = db.execute(
            "SELECT o.kiosk_order_id, o.amount_satang, o.method, o.state, o.created_at,"
            f" {_CREATED_ID.format('o')}"
            f" FROM orders AS o WHERE o.state IN ({', '.join('?' * len(_PENDING))})"
            " AND o.sandbox = ? ORDER BY o.created_at, o.kiosk_order_id",
            (*_PENDING, self.sandbox),
        ).fetchall()
        batches = _batches(db, self.table)
        sales: list[BatchSale] = []
        tallies: dict[OrderState, Tally] = {}
        for kiosk_order_id, satang, method, state, created_at, created_id in rows:
            sale = BatchSale(
                kiosk_order_id=kiosk_order_id,
                amount=Money(int(satang)),
                method=Method(method),
                state=OrderState(state),
                created_at=time_from_text(created_at),
                batch=_batch(batches, created_id, number),
            )
            sales.append(sale)
            tallies[sale.state] = tallies.get(sale.state, Tally()) + Tally(1, int(satang))
        return tuple(sales), tallies

    def _paid_earlier(
        self, db: sqlite3.Connection, after: int, through: int, number: int
    ) -> tuple[BatchSale, ...]:
        rows = db.execute(
            "SELECT s.kiosk_order_id, s.at, s.from_state, o.amount_satang, o.method, o.created_at,"
            f" {_CREATED_ID.format('s')}"
            " FROM status_changes AS s JOIN orders AS o USING (kiosk_order_id)"
            " WHERE s.id > ? AND s.id <= ? AND s.to_state = ? AND o.sandbox = ? ORDER BY s.id",
            (after, through, S.PAID.value, self.sandbox),
        ).fetchall()
        batches = _batches(db, self.table)
        sales: list[BatchSale] = []
        for kiosk_order_id, at, from_state, satang, method, created_at, created_id in rows:
            late = from_state is not None and OrderState(from_state) in LATE_FROM
            batch = _batch(batches, created_id, number)
            if late or batch != number:
                sales.append(
                    BatchSale(
                        kiosk_order_id=kiosk_order_id,
                        amount=Money(int(satang)),
                        method=Method(method),
                        state=S.PAID,
                        created_at=time_from_text(created_at),
                        batch=batch,
                        paid_at=time_from_text(at),
                        late=late,
                    )
                )
        return tuple(sales)


def _int(text: str | None) -> int:
    try:
        return max(0, int(text or 0))
    except ValueError:
        return 0


def _batches(db: sqlite3.Connection, table: str) -> list[tuple[int, int]]:
    """(last status id, number) of every Z of one series, in number order."""
    rows = db.execute(f"SELECT number, last_status_id FROM {table} ORDER BY number")
    return [(int(last), int(number)) for number, last in rows]


def _batch(batches: list[tuple[int, int]], created_id: int | None, open_number: int) -> int:
    if created_id is not None:
        for last, number in batches:
            if created_id <= last:
                return number
    return open_number


def _mark(
    db: sqlite3.Connection, after: int, through: int, direction: str, sandbox: int
) -> OrderMark | None:
    row = db.execute(
        "SELECT s.kiosk_order_id, s.at FROM status_changes AS s JOIN orders AS o"
        " USING (kiosk_order_id)"
        " WHERE s.id > ? AND s.id <= ? AND s.from_state IS NULL AND o.sandbox = ?"
        f" ORDER BY s.id {direction} LIMIT 1",
        (after, through, sandbox),
    ).fetchone()
    return None if row is None else OrderMark(row[0], time_from_text(row[1]))


def _grand_total_before(
    db: sqlite3.Connection,
    previous: tuple[object, ...] | None,
    after: int,
    floor: int,
    sandbox: int,
) -> int:
    """The perpetual grand total at the start of the span."""
    if previous is not None:
        try:
            stored = json.loads(str(previous[3])).get("grand_total_satang")
        except (ValueError, AttributeError):
            stored = None
        if isinstance(stored, int):
            return stored
    # No batch Z before in this journal: every PAID up to the span, on the floor.
    (paid,) = db.execute(
        "SELECT COALESCE(SUM(o.amount_satang), 0)"
        " FROM status_changes AS s JOIN orders AS o USING (kiosk_order_id)"
        " WHERE s.id <= ? AND s.to_state = ? AND o.sandbox = ?",
        (after, S.PAID.value, sandbox),
    ).fetchone()
    return floor + int(paid)


def _receipts(db: sqlite3.Connection, after_seq: int, sandbox: int) -> tuple[int, int] | None:
    """The lowest and highest slip number chained after position ``after_seq``.

    The payment slips' series, or the sandbox slips' for a test batch.
    """
    series = Series.SLIP.for_sandbox(bool(sandbox))
    low, high = db.execute(
        "SELECT MIN(d.number), MAX(d.number) FROM documents AS d"
        " JOIN chain AS c ON c.tbl = 'documents' AND c.ref = d.id"
        " WHERE d.kind = ? AND d.copy = 0 AND c.seq > ?",
        (series.value, after_seq),
    ).fetchone()
    return None if low is None else (int(low), int(high))


__all__ = [
    "GRAND_TOTAL_FLOOR_KEY",
    "TEST_GRAND_TOTAL_FLOOR_KEY",
    "TEST_Z_FLOOR_KEY",
    "Z_FLOOR_KEY",
    "BatchFigures",
    "BatchStore",
]
