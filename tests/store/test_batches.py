"""Batches in the journal: numbered Z rows, any number a day, spans by status change, floors."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from kiosk.domain.errors import StoreError
from kiosk.domain.money import Money
from kiosk.domain.order import OrderState
from kiosk.store.batches import GRAND_TOTAL_FLOOR_KEY, Z_FLOOR_KEY, BatchFigures, BatchStore
from kiosk.store.journal import Journal
from tests.journal_data import T0, sell

S = OrderState


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    with Journal.open(tmp_path / "journal.sqlite3") as j:
        yield j


def issue(store: BatchStore, hours: float) -> BatchFigures | None:
    seen: list[BatchFigures] = []

    def content(figures: BatchFigures) -> str:
        seen.append(figures)
        return f'{{"n": {figures.number}}}'

    store.issue(
        store_id="S001",
        terminal_id="T01",
        issued_at=T0 + timedelta(hours=hours),
        content=content,
    )
    return seen[0] if seen else None


def test_batches_are_numbered_in_turn_any_number_a_day(journal: Journal) -> None:
    store = BatchStore(journal)
    assert issue(store, 1) is None  # an empty journal: nothing to close
    sell(journal, T0, 100)
    first = issue(store, 1)
    assert first is not None and (first.number, first.previous_number) == (1, None)
    assert first.after_status_id == 0 and first.through_status_id == 4
    assert issue(store, 2) is None  # nothing since
    sell(journal, T0 + timedelta(hours=2), 200)
    second = issue(store, 3)
    assert second is not None and (second.number, second.previous_number) == (2, 1)
    assert (second.after_status_id, second.through_status_id) == (4, 8)
    assert second.opened_at == T0 + timedelta(hours=1)  # the previous close
    assert second.totals.paid.satang == 20000 and second.grand_total == Money(30000)
    rows = store.reports.z_reports()
    assert [(z.number, z.business_day, z.last_status_id) for z in rows] == [
        (1, "20261124", 4),
        (2, "20261124", 8),
    ]
    assert store.reports.z_report_for_day("20261124") == rows[1]  # the day's last
    assert rows[1].chain_seq == 10  # 4 + Z + 4, then its own record
    assert journal.verify().ok


def test_a_failed_content_builder_issues_nothing(journal: Journal) -> None:
    sell(journal, T0, 100)

    def broken(figures: BatchFigures) -> str:
        raise StoreError("cannot read the totals")

    store = BatchStore(journal)
    with pytest.raises(StoreError):
        store.issue(store_id="S001", terminal_id="T01", issued_at=T0, content=broken)
    assert store.reports.z_reports() == [] and journal.verify().ok


def test_the_journal_refuses_to_change_an_issued_z_report(journal: Journal) -> None:
    sell(journal, T0, 100)
    issue(BatchStore(journal), 1)
    with sqlite3.connect(journal.path) as db:
        with pytest.raises(sqlite3.IntegrityError, match="immutable"):
            db.execute("UPDATE z_reports SET content = '{\"forged\": 1}'")
        with pytest.raises(sqlite3.IntegrityError, match="immutable"):
            db.execute("DELETE FROM z_reports")


def test_a_new_journal_numbers_on_from_the_floors_an_earlier_one_left(journal: Journal) -> None:
    journal.raise_seq_floors({}, T0, marks={Z_FLOOR_KEY: "41", GRAND_TOTAL_FLOOR_KEY: "990000"})
    store = BatchStore(journal)
    assert store.floors() == (41, 990000)
    sell(journal, T0, 100)
    sell(journal, T0, 50, outcome=S.EXPIRED)
    figures = issue(store, 1)
    assert figures is not None and (figures.number, figures.previous_number) == (42, 41)
    assert figures.grand_total == Money(990000 + 10000)
    sell(journal, T0 + timedelta(hours=2), 1)
    after = issue(store, 3)
    assert after is not None and after.number == 43 and after.grand_total == Money(1000100)


def test_a_late_payment_is_counted_where_it_lands_with_its_original_batch(
    journal: Journal,
) -> None:
    store = BatchStore(journal)
    expired = sell(journal, T0, 80, outcome=S.EXPIRED)
    first = issue(store, 1)
    assert first is not None and first.totals.expired.satang == 8000 and first.paid_earlier == ()
    paid, move = expired.transition(S.PAID, T0 + timedelta(hours=2), gateway_charge_id="c")
    journal.record(paid, move)
    second = issue(store, 3)
    assert second is not None and second.totals.paid.satang == 8000
    assert second.totals.late.satang == 8000
    (late,) = second.paid_earlier
    assert (late.kiosk_order_id, late.batch, late.late) == (expired.kiosk_order_id, 1, True)
    assert store.batch_of(1) == 1 and store.batch_of(99) is None


def test_sandbox_sales_stay_out_of_a_real_batch_and_its_totals(journal: Journal) -> None:
    from kiosk.domain.documents import Series

    real = sell(journal, T0, 100)
    test = sell(journal, T0 + timedelta(minutes=1), 5000, sandbox=True)
    sell(journal, T0 + timedelta(minutes=2), 7000, sandbox=True, outcome=S.AWAITING_PAYMENT)
    journal.issue_document(real.kiosk_order_id, Series.SLIP, T0)
    journal.issue_document(test.kiosk_order_id, Series.TEST_SLIP, T0)

    test_batch = BatchStore(journal, sandbox=True).pending(T0 + timedelta(hours=1))
    figures = issue(BatchStore(journal), 1)

    assert test_batch is not None  # a sandbox kiosk's test batch counts the test sales
    assert test_batch.totals.paid.satang == 500000 and len(test_batch.open_at_close) == 1
    assert test_batch.receipts == (1, 1)  # its own series (TEST-…-000001)

    assert figures is not None
    assert figures.totals.paid.satang == 10000 and figures.grand_total == Money(10000)
    assert figures.open_at_close == ()  # the open test sale is not the real batch's
    assert figures.first is not None and figures.first.kiosk_order_id == real.kiosk_order_id
    assert figures.last == figures.first
    assert figures.receipts == (1, 1)


def test_a_days_totals_count_one_kind_of_sale(journal: Journal) -> None:
    from kiosk.store.reports import ReportStore

    sell(journal, T0, 100)
    sell(journal, T0, 5000, sandbox=True)
    day = "20261124"
    assert ReportStore(journal, sandbox=False).totals(day).paid.satang == 10000
    assert ReportStore(journal, sandbox=True).totals(day).paid.satang == 500000
    assert ReportStore(journal).totals(day).paid.satang == 510000  # every sale, as before
    assert sum(ReportStore(journal, sandbox=False).hourly_paid(day)) == 10000
