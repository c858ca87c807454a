"""The store's day and the store close, read and written in the store database.

Reads the projections ``order_rows`` and ``counter_rows`` (schema step 2,
kiosk.store.storedb.store_day_schema): one day of one store from an index.
Values from the database are outside data: a row that does not read as our
types is skipped and logged, never shown as it is.

A store close is issued in one transaction holding a per-store advisory lock
(``pg_advisory_xact_lock``): the second of two managers closing at once waits,
then finds the day closed and gets that close back (``created`` False). The
unique keys of ``store_closes`` (number, day) and ``store_close_items``
(event) are the backstop should anything bypass the lock.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import psycopg

from kiosk.domain.money import Money
from kiosk.domain.order import Method, OrderState
from kiosk.domain.reports import Tally
from kiosk.domain.storeday import (
    ClosedBatch,
    CounterAtClose,
    CounterStatus,
    StoreClose,
    StoreClosedRef,
    StoreDay,
    StoreOrder,
)
from kiosk.store.storedb.client import StoreDb

log = logging.getLogger("kiosk.store_day")

_ORDERS = (
    "SELECT terminal_id, install_id, kiosk_order_id, created_at, amount_satang, method, state,"
    " late FROM kiosk_store.order_rows WHERE store_id = %s AND business_day = %s"
    " ORDER BY created_at, terminal_id, kiosk_order_id"
)
_COUNTERS = (
    "SELECT c.install_id, c.terminal_id, c.generation, c.head_seq, c.last_event_at,"
    " c.last_sync_at, c.events, c.journal_replaced,"
    " (SELECT count(*) FROM kiosk_store.conflicts AS f WHERE f.install_id = c.install_id),"
    " EXISTS (SELECT 1 FROM kiosk_store.counter_rows AS o WHERE o.store_id = c.store_id"
    "   AND o.terminal_id = c.terminal_id AND o.install_id <> c.install_id),"
    " extract(epoch FROM now() - c.last_sync_at)"
    " FROM kiosk_store.counter_rows AS c WHERE c.store_id = %s"
    " ORDER BY c.terminal_id, c.install_id"
)
_CLOSED = (
    "SELECT number, business_day, issued_at FROM kiosk_store.store_closes"
    " WHERE store_id = %s AND business_day = %s"
)
_CLOSE_LOCK = "SELECT pg_advisory_xact_lock(hashtextextended('kiosk_store:close:' || %s, 0))"
_Z_EVENTS = (
    "SELECT e.event_id, e.install_id, e.terminal_id, e.body -> 'row' ->> 'business_day',"
    " e.body -> 'row' ->> 'number', e.body -> 'row' ->> 'content',"
    " e.body -> 'row' ->> 'issued_at'"
    " FROM kiosk_store.events AS e"
    " WHERE e.kind = 'record' AND e.tbl = 'z_reports' AND e.store_id = %s"
    "   AND e.body IS NOT NULL AND e.body -> 'row' ->> 'business_day' <= %s"
    "   AND NOT EXISTS (SELECT 1 FROM kiosk_store.store_close_items AS i"
    "                   WHERE i.store_id = e.store_id AND i.event_id = e.event_id)"
    " ORDER BY e.terminal_id, e.install_id, e.generation, e.seq"
)
# Counters whose Z of the day an earlier close already counted.
_CLOSED_BEFORE = (
    "SELECT DISTINCT e.install_id FROM kiosk_store.store_close_items AS i"
    " JOIN kiosk_store.events AS e USING (event_id)"
    " WHERE i.store_id = %s AND e.body -> 'row' ->> 'business_day' = %s"
)


def read_day(
    db: StoreDb,
    store_id: str,
    day: str,
    *,
    behind_after_s: float,
    own_install: str | None = None,
    own_pending: int | None = None,
    own_behind: bool = False,
) -> StoreDay:
    """One business day of the store (StoreDbError when the database cannot answer)."""
    orders = tuple(o for o in (_order(r) for r in db.query(_ORDERS, (store_id, day))) if o)
    # Summed here from the rows just read (one index scan, not two): the tests hold
    # these sums against a direct SQL sum over the events' view.
    paid: dict[tuple[str, str], dict[Method, Tally]] = {}
    for order in orders:
        if order.state is OrderState.PAID:
            methods = paid.setdefault((order.install_id, order.terminal_id), {})
            methods[order.method] = methods.get(order.method, Tally()) + Tally(1, order.satang)
    counters = tuple(
        _counter(row, behind_after_s, own_install, own_pending, own_behind)
        for row in db.query(_COUNTERS, (store_id,))
    )
    (now,) = db.query("SELECT now()")[0]
    closed = [StoreClosedRef(int(n), str(d), at) for n, d, at in db.query(_CLOSED, (store_id, day))]
    return StoreDay(
        store_id=store_id,
        day=day,
        read_at=now,
        orders=orders,
        paid=paid,
        counters=counters,
        closed=closed[0] if closed else None,
    )


_METHODS = {m.value: m for m in Method}
_STATES = {s.value: s for s in OrderState}


def _order(row: tuple[Any, ...]) -> StoreOrder | None:
    # Dictionary lookups, not Enum(value): ten thousand rows a day (the open's budget).
    terminal, install, order_id, created, satang, method, state, late = row
    try:
        return StoreOrder(
            str(terminal),
            str(install),
            str(order_id),
            created,
            int(satang),
            _METHODS[method],
            _STATES[state],
            bool(late),
        )
    except (KeyError, ValueError, TypeError) as exc:
        log.warning("an unreadable order row in the store database skipped: %r", exc)
        return None


def _counter(
    row: tuple[Any, ...],
    behind_after_s: float,
    own_install: str | None,
    own_pending: int | None,
    own_behind: bool,
) -> CounterStatus:
    (install, terminal, generation, head_seq, last_event, last_sync, events, replaced,
     conflicts, shared, silent) = row  # fmt: skip
    silent_s = None if silent is None else float(silent)
    mine = own_install is not None and str(install) == own_install
    behind = silent_s is None or silent_s > behind_after_s
    if mine:  # this counter knows its own outbox: behind only when records wait too long
        behind = own_behind
    return CounterStatus(
        install_id=str(install),
        terminal_id=str(terminal),
        generation=int(generation),
        head_seq=int(head_seq),
        last_event_at=last_event,
        last_sync_at=last_sync,
        events=int(events),
        journal_replaced=bool(replaced),
        conflicts=int(conflicts),
        terminal_shared=bool(shared),
        silent_s=silent_s,
        behind=behind,
        pending=own_pending if mine else None,
        this_counter=mine,
    )


# --- the store close ---------------------------------------------------------


def issue_close(
    db: StoreDb,
    *,
    store_id: str,
    day: str,
    issued_by: str,
    shop_name: str,
    behind_after_s: float,
) -> tuple[StoreClose, bool]:
    """Issue the store close of ``day``; (the close, True) or (the day's earlier one, False).

    ValueError when a later day is closed already (its close took this
    day's Z reports as adjustments: closing this day now would count nothing).
    """

    def work(conn: psycopg.Connection[Any]) -> tuple[StoreClose, bool]:
        conn.execute(_CLOSE_LOCK, (store_id,))
        row = conn.execute(
            "SELECT content FROM kiosk_store.store_closes WHERE store_id = %s"
            " AND business_day = %s",
            (store_id, day),
        ).fetchone()
        if row is not None:
            return StoreClose.from_record(row[0]), False
        number, latest = conn.execute(
            "SELECT COALESCE(max(number), 0) + 1, max(business_day)"
            " FROM kiosk_store.store_closes WHERE store_id = %s",
            (store_id,),
        ).fetchone() or (1, None)
        if latest is not None and str(latest) > day:
            raise ValueError(f"the store close of {latest} is issued already")
        batches = [
            b for b in (_batch(r, day) for r in conn.execute(_Z_EVENTS, (store_id, day))) if b
        ]
        before = {str(r[0]) for r in conn.execute(_CLOSED_BEFORE, (store_id, day))}
        counters = [
            _at_close(
                r, behind_after_s, before | {b.install_id for b in batches if not b.adjustment}
            )
            for r in conn.execute(
                "SELECT install_id, terminal_id, last_sync_at,"
                " extract(epoch FROM now() - last_sync_at)"
                " FROM kiosk_store.counter_rows WHERE store_id = %s"
                " ORDER BY terminal_id, install_id",
                (store_id,),
            )
        ]
        (issued_at,) = conn.execute("SELECT now()").fetchone() or (datetime.now(UTC),)
        close = StoreClose(
            number=int(number),
            store_id=store_id,
            business_day=day,
            issued_at=issued_at,
            issued_by=issued_by,
            shop_name=shop_name,
            batches=tuple(batches),
            counters=tuple(counters),
        )
        conn.execute(
            "INSERT INTO kiosk_store.store_closes (store_id, number, business_day, issued_at,"
            " issued_by, content) VALUES (%s, %s, %s, %s, %s, %s)",
            (store_id, close.number, day, issued_at, issued_by, json.dumps(close.record())),
        )
        with conn.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO kiosk_store.store_close_items (store_id, event_id, close_number,"
                " adjustment) VALUES (%s, %s, %s, %s)",
                [(store_id, b.event_id, close.number, b.adjustment) for b in batches],
            )
        return close, True

    return db.transaction(work, "could not issue the store close")


def _batch(row: tuple[Any, ...], day: str) -> ClosedBatch | None:
    event_id, install, terminal, z_day, number, content, issued_at = row
    try:
        data = json.loads(content)
        totals = data.get("totals")
        methods = totals["by_method"] if isinstance(totals, dict) else data["paid_by_method"]
        by_method = {
            Method(k): Tally(int(v["count"]), Money.from_decimal(Decimal(str(v["amount"]))).satang)
            for k, v in dict(methods).items()
            if int(v["count"])
        }
        return ClosedBatch(
            event_id=str(event_id),
            install_id=str(install),
            terminal_id=str(terminal),
            batch=int(number),
            business_day=str(z_day),
            closed_at=datetime.fromisoformat(str(issued_at)) if issued_at else None,
            paid_by_method=by_method,
            adjustment=str(z_day) != day,
        )
    except (ValueError, TypeError, KeyError, ArithmeticError) as exc:
        log.warning("a Z report event that does not read skipped (%s): %s", event_id, exc)
        return None


def _at_close(row: tuple[Any, ...], behind_after_s: float, closed: set[str]) -> CounterAtClose:
    install, terminal, last_sync, silent = row
    done = str(install) in closed
    recent = silent is not None and float(silent) <= behind_after_s
    return CounterAtClose(
        install_id=str(install),
        terminal_id=str(terminal),
        closed=done,
        synced=done or recent,
        last_sync_at=last_sync,
    )


__all__ = ["issue_close", "read_day"]
