"""The manager's facade over the journal answers as the journal and the report queries do."""

from __future__ import annotations

from kiosk.domain.order import Order, OrderState
from kiosk.domain.reports import DayTotals, Tally
from kiosk.services.history import SalesHistory
from kiosk.services.reports import Reports
from kiosk.store.journal import Journal
from tests.journal_data import DAY

S = OrderState


def test_orders_totals_and_hours_are_the_reports_of_the_day(
    journal: Journal, day: list[Order]
) -> None:
    history = SalesHistory(journal=journal)
    reports = Reports(journal)
    assert history.orders(DAY) == reports.orders(DAY)
    assert len(history.orders(DAY)) == len(day)
    totals = history.totals(DAY)
    assert isinstance(totals, DayTotals) and totals == reports.totals(DAY)
    assert history.hourly_paid(DAY) == reports.hourly_paid(DAY)
    assert sum(history.hourly_paid(DAY)) == totals.paid.satang
    assert history.totals("20200101").orders == Tally()


def test_history_is_the_journals_status_changes(journal: Journal, day: list[Order]) -> None:
    history = SalesHistory(journal=journal)
    failed = next(o for o in day if o.state is S.FAILED)
    moves = history.history(failed.kiosk_order_id)
    assert moves == journal.history(failed.kiosk_order_id)
    assert [m.to_state for m in moves] == [S.CREATING, S.FAILED]
