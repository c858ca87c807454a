"""The manager's table model and proxy: sort, filter, search, and one row per change."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QIcon
from PySide6.QtTest import QSignalSpy
from PySide6.QtWidgets import QApplication

from kiosk.domain.attention import Attention, Outcome, Reason
from kiosk.domain.money import Money
from kiosk.domain.order import Method, Order, OrderState, order_number
from kiosk.services.reports import OrderFilter, Reports, StatusGroup
from kiosk.store.journal import Journal
from kiosk.ui.manager.model import (
    ORDER_ROLE,
    STATUS_COLOURS,
    Column,
    OrdersModel,
    OrdersProxy,
)
from kiosk.ui.theme import RED
from tests.journal_data import DAY, T0, a_day_of_sales, sell

S = OrderState
ASC, DESC = Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    with Journal.open(tmp_path / "journal.sqlite3") as j:
        yield j


@pytest.fixture
def models(qapp: QApplication, journal: Journal) -> tuple[OrdersModel, OrdersProxy]:
    a_day_of_sales(journal)
    model = OrdersModel(language=lambda: "en")
    proxy = OrdersProxy()
    proxy.setSourceModel(model)
    model.load(DAY, Reports(journal).orders(DAY))
    return model, proxy


def column(
    proxy: OrdersProxy, col: Column, role: int = Qt.ItemDataRole.DisplayRole
) -> list[object]:
    return [proxy.index(row, col).data(role) for row in range(proxy.rowCount())]


def seqs(proxy: OrdersProxy) -> list[str]:
    return [f"{order_number(str(v)) or 0:04d}" for v in column(proxy, Column.ORDER)]


def id_of(model: OrdersModel, seq: int) -> str:
    """The kiosk order id of the day's order number ``seq`` (its random part differs per run)."""
    for row in range(model.rowCount()):
        order = model.index(row, 0).data(ORDER_ROLE)
        if order_number(order.kiosk_order_id) == seq:
            return str(order.kiosk_order_id)
    raise AssertionError(f"no order number {seq}")


def test_the_columns_show_time_order_method_amount_status_late_and_gateway_ids(
    models: tuple[OrdersModel, OrdersProxy],
) -> None:
    model, _ = models
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in Column] == [
        "Time", "Order no.", "Method", "Amount", "Status", "Late", "Bill no.", "Gateway order",
        "Charge",
    ]  # fmt: skip
    assert id_of(model, 7).startswith(f"S001-T01-{DAY}-0007-")
    row = model.row_of(id_of(model, 7))
    assert row is not None
    cells = [model.index(row, c).data() for c in Column]
    assert cells == [
        "11:00:00",
        id_of(model, 7),
        "Thai QR",
        "฿80.00",
        "Paid",
        "⚠ Late",
        "",  # no bill number typed
        "order_0007",
        "chrg_order_0007",
    ]
    status = model.index(row, Column.STATUS)
    assert isinstance(status.data(Qt.ItemDataRole.DecorationRole), QIcon)
    brush = status.data(Qt.ItemDataRole.ForegroundRole)
    assert isinstance(brush, QBrush) and brush.color().name() == STATUS_COLOURS[StatusGroup.PAID]
    failed = model.row_of(id_of(model, 6))
    assert failed is not None
    tip = model.index(failed, Column.ORDER).data(Qt.ItemDataRole.ToolTipRole)
    assert tip == "ธนาคารปฏิเสธรายการ (บัตรถูกระงับ)"
    assert isinstance(model.index(failed, 0).data(ORDER_ROLE), Order)


def test_newest_first_by_default_and_sorting_by_any_column(
    models: tuple[OrdersModel, OrdersProxy],
) -> None:
    _, proxy = models
    assert seqs(proxy) == [f"{n:04d}" for n in range(12, 0, -1)]
    proxy.sort(Column.AMOUNT, ASC)
    amounts = [proxy.order_at(r).amount.satang for r in range(proxy.rowCount())]
    assert amounts == sorted(amounts) and amounts[0] == 75
    proxy.sort(Column.AMOUNT, DESC)
    assert proxy.order_at(0).amount == Money(123450)
    proxy.sort(Column.STATUS, ASC)  # what needs attention first: pending, then failed
    states = [proxy.order_at(r).state for r in range(proxy.rowCount())]
    assert states[:3] == [S.NEW, S.AWAITING_PAYMENT, S.FAILED]
    proxy.sort(Column.METHOD, ASC)
    assert [proxy.order_at(r).method for r in range(proxy.rowCount())][:10] == [Method.QR] * 10
    proxy.sort(Column.TIME, ASC)
    assert seqs(proxy) == [f"{n:04d}" for n in range(1, 13)]


def test_filter_by_status_method_and_search(models: tuple[OrdersModel, OrdersProxy]) -> None:
    model, proxy = models
    proxy.set_filter(OrderFilter(groups=frozenset({StatusGroup.PAID})))
    assert proxy.rowCount() == 7 and {proxy.order_at(r).state for r in range(7)} == {S.PAID}
    proxy.set_filter(OrderFilter(groups=frozenset({StatusGroup.PENDING})))
    assert sorted(seqs(proxy)) == ["0009", "0010"]
    proxy.set_filter(OrderFilter(methods=frozenset({Method.WECHAT})))
    assert seqs(proxy) == ["0008", "0002"]
    proxy.set_filter(OrderFilter(search="300"))
    assert seqs(proxy) == ["0012", "0008", "0001"]
    proxy.set_filter(OrderFilter(search="1,234.5"))
    assert seqs(proxy) == ["0005"]
    proxy.set_filter(OrderFilter(search="0003"))
    assert seqs(proxy) == ["0003"]
    proxy.set_filter(
        OrderFilter(groups=frozenset({StatusGroup.PAID}), methods=frozenset({Method.QR}))
    )
    assert seqs(proxy) == ["0012", "0011", "0007", "0005", "0001"]
    proxy.sort(Column.AMOUNT, DESC)  # sorting keeps the filter
    assert seqs(proxy) == ["0005", "0012", "0001", "0007", "0011"]
    proxy.set_filter(OrderFilter())
    assert proxy.rowCount() == model.rowCount() == 12


def test_the_proxy_and_the_export_filter_agree(
    models: tuple[OrdersModel, OrdersProxy], journal: Journal
) -> None:
    _, proxy = models
    for where in (
        OrderFilter(groups=frozenset({StatusGroup.EXPIRED, StatusGroup.FAILED})),
        OrderFilter(methods=frozenset({Method.QR}), search="12"),
        OrderFilter(search="order_00"),
    ):
        proxy.set_filter(where)
        shown = sorted(proxy.shown_orders(), key=lambda o: o.created_at)
        assert shown == Reports(journal).orders(DAY, where)


def test_a_status_change_updates_one_row_not_the_whole_model(
    models: tuple[OrdersModel, OrdersProxy], journal: Journal
) -> None:
    model, proxy = models
    waiting = next(o for o in model.orders() if o.state is S.AWAITING_PAYMENT)
    row = model.row_of(waiting.kiosk_order_id)
    assert row is not None
    changed, reset, inserted, moved = (
        QSignalSpy(model.dataChanged),
        QSignalSpy(model.modelReset),
        QSignalSpy(model.rowsInserted),
        QSignalSpy(model.rowsMoved),
    )
    proxy_reset = QSignalSpy(proxy.modelReset)
    paid, record = waiting.transition(S.PAID, T0 + timedelta(hours=4), gateway_charge_id="chrg_9")
    journal.record(paid, record)
    model.upsert(paid)
    assert changed.count() == 1
    top_left, bottom_right = changed.at(0)[0], changed.at(0)[1]
    assert top_left.row() == bottom_right.row() == row
    assert (top_left.column(), bottom_right.column()) == (0, len(Column) - 1)
    assert reset.count() == inserted.count() == moved.count() == proxy_reset.count() == 0
    assert model.index(row, Column.STATUS).data() == "Paid"
    assert model.index(row, Column.GATEWAY_CHARGE).data() == "chrg_9"
    # Under a "pending" filter the paid order leaves the view by itself.
    proxy.set_filter(OrderFilter(groups=frozenset({StatusGroup.PENDING})))
    assert seqs(proxy) == ["0010"]


def test_a_new_order_is_inserted_where_it_sorts_and_other_days_are_ignored(
    models: tuple[OrdersModel, OrdersProxy], journal: Journal
) -> None:
    model, proxy = models
    inserted, reset = QSignalSpy(model.rowsInserted), QSignalSpy(model.modelReset)
    new = sell(journal, T0 + timedelta(hours=6), 42, outcome=S.NEW)
    model.upsert(new)
    assert inserted.count() == 1 and inserted.at(0)[1] == inserted.at(0)[2] == 0  # newest first
    assert reset.count() == 0 and model.rowCount() == 13 and seqs(proxy)[0] == "0013"
    model.upsert(sell(journal, T0 + timedelta(days=1), 42))  # tomorrow: not this view
    assert model.rowCount() == 13 and inserted.count() == 1


def test_a_change_that_moves_a_row_in_the_sort_moves_only_that_row(
    models: tuple[OrdersModel, OrdersProxy], journal: Journal
) -> None:
    model, proxy = models
    proxy.sort(Column.STATUS, ASC)
    waiting = next(o for o in model.orders() if o.state is S.AWAITING_PAYMENT)
    assert proxy.order_at(0).state in (S.AWAITING_PAYMENT, S.NEW)
    moved, reset, changed = (
        QSignalSpy(model.rowsMoved),
        QSignalSpy(model.modelReset),
        QSignalSpy(model.dataChanged),
    )
    failed, record = waiting.transition(S.FAILED, T0 + timedelta(hours=4), failure_code="x")
    journal.record(failed, record)
    model.upsert(failed)
    assert moved.count() == 1 and changed.count() == 1 and reset.count() == 0
    states = [proxy.order_at(r).state for r in range(proxy.rowCount())]
    assert states[:3] == [S.NEW, S.FAILED, S.FAILED]
    keys = [model.index(r, Column.STATUS).data(Qt.ItemDataRole.UserRole + 2) for r in range(12)]
    assert keys == sorted(keys)


def test_sorting_keeps_the_selected_row(models: tuple[OrdersModel, OrdersProxy]) -> None:
    model, proxy = models
    row = model.row_of(id_of(model, 5))
    assert row is not None
    kept = QPersistentModelIndex(model.index(row, Column.AMOUNT))
    proxy.sort(Column.AMOUNT, DESC)
    assert kept.isValid() and kept.row() == 0 and kept.data() == "฿1,234.50"
    proxy.sort(Column.TIME, ASC)
    assert kept.row() == 4


def test_a_sale_flagged_for_the_manager_is_marked_open_then_with_its_outcome(
    models: tuple[OrdersModel, OrdersProxy], journal: Journal
) -> None:
    model, proxy = models
    expired_id = id_of(model, 3)
    assert journal.flag_attention(Attention(expired_id, Reason.AMOUNT, T0))
    flagged = journal.get(expired_id)
    assert flagged is not None
    model.upsert(flagged)
    row = model.row_of(expired_id)
    assert row is not None
    status = model.index(row, Column.STATUS)
    assert status.data() == "Expired · Attention"
    brush = status.data(Qt.ItemDataRole.ForegroundRole)
    assert isinstance(brush, QBrush) and brush.color().name() == RED
    assert isinstance(status.data(Qt.ItemDataRole.DecorationRole), QIcon)
    assert status.data(Qt.ItemDataRole.ToolTipRole) == (
        "Attention: The bank reported a payment of another amount."
    )
    proxy.sort(Column.STATUS, ASC)  # an open flag before everything else
    assert proxy.order_at(0).kiosk_order_id == expired_id
    # A later change that does not carry the flag keeps the mark (a flag is never removed).
    model.upsert(replace(flagged, attention=None))
    assert proxy.order_at(0).needs_attention
    assert journal.clear_attention(expired_id, Outcome.REFUNDED, T0 + timedelta(hours=1))
    cleared = journal.get(expired_id)
    assert cleared is not None
    model.upsert(cleared)
    row = model.row_of(expired_id)
    assert row is not None
    assert model.index(row, Column.STATUS).data() == "Expired · Refunded"
    assert proxy.order_at(0).state is S.NEW  # cleared: sorted by its state again


def test_the_bill_number_shows_and_is_found_however_short(
    qapp: QApplication, journal: Journal
) -> None:
    billed = sell(journal, T0, 300, sale_ref="4521")
    sell(journal, T0, 4521)  # an amount of ฿4,521 matches too: the search is an amount as well
    sell(journal, T0, 120)
    model = OrdersModel(language=lambda: "en")
    proxy = OrdersProxy()
    proxy.setSourceModel(model)
    model.load(DAY, Reports(journal).orders(DAY))

    row = model.row_of(billed.kiosk_order_id)
    assert row is not None and model.index(row, Column.SALE_REF).data() == "4521"
    proxy.set_filter(OrderFilter(search="4521"))
    assert sorted(column(proxy, Column.AMOUNT)) == ["฿300.00", "฿4,521.00"]
