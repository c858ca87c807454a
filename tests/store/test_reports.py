"""The manager's queries: a day's orders, totals equal to plain SQL, hours.

Z reports are issued by batches: tests/store/test_batches.py."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from kiosk.domain.order import Method, OrderState, order_number
from kiosk.store.journal import MIGRATIONS, Journal
from kiosk.store.reports import ReportStore, Tally
from tests.journal_data import DAY, T0, a_day_of_sales, sell

S = OrderState


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    with Journal.open(tmp_path / "journal.sqlite3") as j:
        yield j


@pytest.fixture
def store(journal: Journal) -> ReportStore:
    a_day_of_sales(journal)
    # The days around it must not leak in.
    sell(journal, T0 - timedelta(days=1), 999)
    sell(journal, T0 + timedelta(days=1), 888)
    return ReportStore(journal)


def sql_sum(path: Path, where: str, *params: object) -> tuple[int, int]:
    with sqlite3.connect(path) as db:
        count, total = db.execute(
            f"SELECT COUNT(*), COALESCE(SUM(amount_satang), 0) FROM orders WHERE {where}", params
        ).fetchone()
    return int(count), int(total)


def test_a_days_orders_in_time_order_filtered_by_state_and_method(store: ReportStore) -> None:
    orders = store.orders(DAY)
    assert len(orders) == 12
    assert [o.created_at for o in orders] == sorted(o.created_at for o in orders)
    assert {o.kiosk_order_id[:18] for o in orders} == {f"S001-T01-{DAY}-"}
    paid = store.orders(DAY, states={S.PAID})
    assert len(paid) == 7 and all(o.state is S.PAID for o in paid)
    wechat_paid = store.orders(DAY, states={S.PAID}, methods={Method.WECHAT})
    assert [o.amount.plain() for o in wechat_paid] == ["45.50", "300.00"]
    assert store.orders("20261101") == []


def test_totals_equal_a_direct_sql_sum(store: ReportStore, journal: Journal) -> None:
    totals = store.totals(DAY)
    path = journal.path
    day = "business_day = ?"
    assert (totals.paid.count, totals.paid.satang) == sql_sum(path, f"{day} AND state='paid'", DAY)
    for method in Method:
        expected = sql_sum(path, f"{day} AND state='paid' AND method=?", DAY, method.value)
        assert (totals.method(method).count, totals.method(method).satang) == expected
    for state in (S.EXPIRED, S.CANCELLED, S.FAILED):
        tally = totals.state(state)
        assert (tally.count, tally.satang) == sql_sum(path, f"{day} AND state=?", DAY, state.value)
    pending = sql_sum(path, f"{day} AND state IN ('new','creating','awaiting_payment')", DAY)
    assert (totals.pending.count, totals.pending.satang) == pending
    assert (totals.late.count, totals.late.satang) == sql_sum(
        path, f"{day} AND state='paid' AND late=1", DAY
    )
    assert (totals.orders.count, totals.orders.satang) == sql_sum(path, day, DAY)
    # And the figures themselves, worked out by hand.
    assert totals.paid == Tally(7, 30000 + 4550 + 123450 + 8000 + 30000 + 75 + 30000)
    assert totals.method(Method.WECHAT) == Tally(2, 34550)
    assert totals.late == Tally(2, 38000)
    assert totals.pending == Tally(2, 11500)
    assert totals.expired == Tally(1, 12000)
    assert totals.cancelled == Tally(1, 9900)
    assert totals.failed == Tally(1, 1200)


def test_an_empty_day_totals_zero(store: ReportStore) -> None:
    totals = store.totals("20250101")
    assert totals.orders == Tally() and totals.paid == Tally() and totals.pending == Tally()


def test_hourly_paid_is_in_bangkok_hours(store: ReportStore) -> None:
    hours = store.hourly_paid(DAY)
    assert len(hours) == 24
    assert hours[8] == 30000 + 4550
    assert hours[9] == 0  # expired and cancelled only
    assert hours[10] == 123450
    assert hours[11] == 8000  # the late payment counts in the hour of the sale
    assert hours[12] == 30000 and hours[14] == 75 and hours[15] == 30000
    assert sum(hours) == store.totals(DAY).paid.satang


def test_first_and_last_order(store: ReportStore) -> None:
    first, last = store.first_and_last(DAY)
    assert first is not None and last is not None
    assert order_number(first.kiosk_order_id) == 1 and first.created_at == T0 - timedelta(hours=2)
    assert order_number(last.kiosk_order_id) == 12 and last.created_at == T0 + timedelta(hours=5)
    assert store.first_and_last("20250101") == (None, None)


def test_days_must_be_yyyymmdd(store: ReportStore) -> None:
    for bad in ("2026-11-24", "", "2026112"):
        with pytest.raises(ValueError):
            store.orders(bad)
        with pytest.raises(ValueError):
            store.totals(bad)


def test_migration_3_is_the_z_report_table() -> None:
    assert "CREATE TABLE z_reports" in MIGRATIONS[2]
