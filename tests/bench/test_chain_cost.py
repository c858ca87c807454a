"""Hash chain benchmark (make bench): what the chain costs a sale, and verify on 100 000 orders.

1. Per status change: ``Journal.record`` (one transaction, synchronous=FULL)
   timed with the chain and with its link step replaced by nothing; the link
   itself (head lookup, SHA-256, insert) timed inside.
2. 100 000 orders over 30 days with every move a checkout journals (bulk,
   schema 5): the upgrade to schema 6 that chains them, ``kiosk verify``'s
   full walk, the start-up walk (``quick``), and a Z over the whole journal.

Figures only, printed; goals are in the README, not asserted here.
"""

from __future__ import annotations

import itertools
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from kiosk.domain.clock import ManualClock
from kiosk.domain.money import Money
from kiosk.domain.order import Method, Order, OrderState
from kiosk.infra.config import StoreSettings
from kiosk.services.zreport import ZReportService
from kiosk.store import chain
from kiosk.store.journal import Journal
from tests.journal_data import bulk_fill

S = OrderState
SALES = 300  # x 4 status changes
ROWS, DAYS = 100_000, 30
T0 = datetime(2026, 11, 24, 3, 0, tzinfo=UTC)


def sale_moves(journal: Journal, n: int) -> list[tuple[Order, Any]]:
    """A NEW order's three further moves, prepared (the timing covers ``record`` only)."""
    order = journal.new_order(
        store_id="S001",
        terminal_id="T01",
        amount=Money(100 + n),
        method=Method.QR,
        created_at=T0 + timedelta(seconds=n),
    )
    moves = []
    for to, kw in (
        (S.CREATING, {}),
        (S.AWAITING_PAYMENT, {"gateway_order_id": f"g{n}", "ttl_s": 120}),
        (S.PAID, {"gateway_charge_id": f"c{n}"}),
    ):
        order, move = order.transition(to, T0 + timedelta(seconds=n, milliseconds=1), **kw)
        moves.append((order, move))
    return moves


def time_records(path: Path) -> list[float]:
    with Journal.open(path) as journal:
        per_change: list[float] = []
        for n in range(SALES):
            for order, move in sale_moves(journal, n):
                start = time.perf_counter()
                journal.record(order, move)
                per_change.append(time.perf_counter() - start)
    return per_change


def test_chain_cost_per_status_change(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    inside: list[float] = []
    real_link: Callable[..., chain.Link] = chain.link

    def timed_link(*args: Any) -> chain.Link:
        start = time.perf_counter()
        try:
            return real_link(*args)
        finally:
            inside.append(time.perf_counter() - start)

    monkeypatch.setattr(chain, "link", timed_link)
    chained = time_records(tmp_path / "chained.sqlite3")
    link_us = statistics.median(inside[-len(chained) :]) * 1e6
    # No hashing and no chain row; the outbox still needs a position for each record.
    positions = itertools.count(1)
    monkeypatch.setattr(chain, "link", lambda *args: chain.Link(next(positions), "", ""))
    bare = time_records(tmp_path / "bare.sqlite3")
    with Journal.open(tmp_path / "chained.sqlite3") as journal:
        assert journal.verify().ok
    median_chained = statistics.median(chained) * 1e6
    median_bare = statistics.median(bare) * 1e6
    print(
        f"\nper status change ({len(chained)} records, synchronous=FULL):"
        f" record() {median_chained:.0f} us median with the chain,"
        f" {median_bare:.0f} us with the link step removed;"
        f" the link itself {link_us:.1f} us median"
        f" (p95 record {statistics.quantiles(chained, n=20)[-1] * 1e6:.0f} us)"
    )


def test_verify_on_100_000_orders(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    bulk_fill(path, rows=ROWS, days=DAYS, last_day=T0, history=True)
    start = time.perf_counter()
    journal = Journal.open(path)  # schema 5 -> 6: every row chained
    upgraded = time.perf_counter() - start
    try:
        start = time.perf_counter()
        full = journal.verify()
        full_s = time.perf_counter() - start
        start = time.perf_counter()
        quick = journal.verify(quick=True)
        quick_s = time.perf_counter() - start
        assert full.ok and quick.ok and full.orders == ROWS
        zs = ZReportService(
            journal=journal,
            clock=ManualClock(T0 + timedelta(days=1)),
            store=StoreSettings(),
            folder=tmp_path / "reports",
        )
        start = time.perf_counter()
        closing = zs.close()
        close_s = time.perf_counter() - start
        assert closing.issued
        start = time.perf_counter()
        assert journal.verify().ok
        after_s = time.perf_counter() - start
    finally:
        journal.close()
    size_mb = path.stat().st_size / 1e6
    print(
        f"\n{ROWS} orders, {full.records} chained records, journal {size_mb:.0f} MB:"
        f" upgrade (chain them) {upgraded:.1f} s; kiosk verify {full_s:.2f} s;"
        f" start-up quick walk {quick_s * 1000:.0f} ms ({quick.checked} records);"
        f" a Z over all of it {close_s * 1000:.0f} ms; verify after the Z {after_s:.2f} s"
    )
