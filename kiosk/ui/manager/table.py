"""The day's transactions: the filter bar (status, method, search, count) and the table.

``OrdersTable`` owns the model and its proxy (``kiosk.ui.manager.model``) and
its ``filters`` bar, which the screen places in its own row above the day's
figures. Typing in the search field filters after a short pause; choosing a
status or method filters at once. Touching a row emits ``orderSelected``.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QItemSelection, QSize, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from kiosk.domain.labels import method_label, state_label
from kiosk.domain.order import Method, Order, OrderState
from kiosk.services.reports import OrderFilter, StatusGroup
from kiosk.ui.manager.model import Column, OrdersModel, OrdersProxy
from kiosk.ui.plain import plain
from kiosk.ui.theme import GREY, font, px, touch

SEARCH_DELAY_MS = 200  # typing pauses this long before the table filters
# At 1280 px the table is ~840 px wide: up to Late shows without scrolling. Status is the
# widest: "Cancelled · Attention" beside its icon (a flagged sale, kiosk.ui.manager.model).
COLUMN_WIDTHS = {
    Column.TIME: 88,
    Column.ORDER: 218,
    Column.METHOD: 108,
    Column.AMOUNT: 112,
    Column.STATUS: 240,
    Column.LATE: 100,
    Column.SALE_REF: 130,
    Column.GATEWAY_ORDER: 190,
}
HEADER_STYLE = (
    "QHeaderView::section {{ font-size: {size}px; font-weight: bold; padding: {pad}px {side}px;"
    " background: #ececec; border: none; border-right: 1px solid #d6d6d6; }}"
)


class OrderFilters(QWidget):
    """Status, method and search as one ``OrderFilter`` (``filterChanged``); the row count."""

    filterChanged = Signal(object)  # OrderFilter

    def __init__(self, *, language: Callable[[], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._language = language
        self._counts = (0, 0)  # shown, of all the day's orders
        self.status_filter = self._combo("managerStatusFilter", [g.value for g in StatusGroup])
        self.method_filter = self._combo("managerMethodFilter", [m.value for m in Method])
        self.search = QLineEdit()
        self.search.setObjectName("managerSearch")
        self.search.setFont(font(20))
        self.search.setMinimumHeight(touch(46))
        self.search.setClearButtonEnabled(True)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply)
        self.search.textChanged.connect(lambda _: self._search_timer.start())
        self.search.returnPressed.connect(self.apply)
        for combo in (self.status_filter, self.method_filter):
            combo.currentIndexChanged.connect(self.apply)
        self.count_label = plain(QLabel())
        self.count_label.setObjectName("managerCount")
        self.count_label.setFont(font(18))
        self.count_label.setStyleSheet(f"color: {GREY};")
        filters = QHBoxLayout(self)
        filters.setContentsMargins(0, 0, 0, 0)
        filters.setSpacing(px(10))
        filters.addWidget(self.status_filter)
        filters.addWidget(self.method_filter)
        filters.addWidget(self.search, 1)
        filters.addWidget(self.count_label)
        self.retranslate()

    def _combo(self, name: str, values: list[str]) -> QComboBox:
        """A combo of "all" (data "") then one item per value (texts come with retranslate)."""
        combo = QComboBox()
        combo.setObjectName(name)
        combo.setFont(font(20))
        combo.setMinimumHeight(touch(46))
        combo.setMinimumWidth(px(210))
        for value in ("", *values):
            combo.addItem("", value)
        return combo

    def current(self) -> OrderFilter:
        status = self.status_filter.currentData()
        method = self.method_filter.currentData()
        return OrderFilter(
            groups=frozenset({StatusGroup(status)}) if status else frozenset(),
            methods=frozenset({Method(method)}) if method else frozenset(),
            search=self.search.text(),
        )

    def apply(self) -> None:
        """Filter now (also what the search's pause ends in)."""
        self._search_timer.stop()
        self.filterChanged.emit(self.current())

    def reset(self) -> None:
        """No filter, quietly (no ``filterChanged``): the owner sets the empty filter."""
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        for combo in (self.status_filter, self.method_filter):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)

    def show_count(self, shown: int, total: int) -> None:
        self._counts = (shown, total)
        text = self.tr("%1 of %2 orders") if shown != total else self.tr("%2 orders")
        self.count_label.setText(text.replace("%1", f"{shown:,}").replace("%2", f"{total:,}"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        language = self._language()
        self.status_filter.setItemText(0, self.tr("All statuses"))
        for i, group in enumerate(StatusGroup, start=1):
            if group is StatusGroup.PENDING:  # not one state: new, creating or awaiting payment
                name = self.tr("Pending")
            else:
                name = state_label(OrderState(group.value), language)
            self.status_filter.setItemText(i, name)
        self.method_filter.setItemText(0, self.tr("All methods"))
        for i, method in enumerate(Method, start=1):
            self.method_filter.setItemText(i, method_label(method, language))
        self.search.setPlaceholderText(self.tr("Search: order no. or amount"))
        self.show_count(*self._counts)


class OrdersTable(QWidget):
    """One business day's orders as a sortable table, filtered by ``filters``."""

    orderSelected = Signal(object)  # Order

    def __init__(self, *, language: Callable[[], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.filters = OrderFilters(language=language)
        self.model = OrdersModel(language=language, parent=self)
        self.proxy = OrdersProxy(self)
        self.proxy.setSourceModel(self.model)
        self.view = self._view()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self.filters.filterChanged.connect(self.set_filter)
        for signal in (
            self.proxy.rowsInserted,
            self.proxy.rowsRemoved,
            self.proxy.modelReset,
            self.proxy.layoutChanged,
        ):
            signal.connect(self._count_changed)

    def _view(self) -> QTableView:
        view = QTableView()
        view.setObjectName("managerTable")
        view.setModel(self.proxy)
        view.setFont(font(17))
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setAlternatingRowColors(True)
        view.setWordWrap(False)
        # Ids differ at their end (number, random part): cut in the middle, never the end.
        view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        view.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        vertical = view.verticalHeader()
        vertical.setVisible(False)
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(touch(44))  # a finger's height
        view.setIconSize(QSize(px(26), px(26)))
        view.setStyleSheet(HEADER_STYLE.format(size=px(17), pad=px(6), side=px(8)))
        header = view.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        for column, width in COLUMN_WIDTHS.items():
            header.resizeSection(column, px(width))
        view.setSortingEnabled(True)
        header.setSortIndicator(Column.TIME, Qt.SortOrder.DescendingOrder)
        view.selectionModel().selectionChanged.connect(self.on_selection_changed)
        return view

    def load(self, day: str, orders: list[Order]) -> None:
        """Show another day's orders (the one full reload)."""
        self.model.load(day, orders)

    def upsert(self, order: Order) -> None:
        """A journaled change: its one row changes, or a new order of the day is added."""
        self.model.upsert(order)

    def set_filter(self, where: OrderFilter) -> None:
        self.proxy.set_filter(where)
        self._count_changed()

    def reset_filter(self) -> None:
        """No filter: all the day's orders."""
        self.filters.reset()
        self.proxy.set_filter(OrderFilter())

    def select_order(self, kiosk_order_id: str) -> bool:
        """Select an order's row (if the filter shows it); for automation and tests."""
        row = self.model.row_of(kiosk_order_id)
        if row is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            return False
        self.view.selectRow(index.row())
        self.view.scrollTo(index)
        return True

    def on_selection_changed(self, selected: QItemSelection, _: QItemSelection) -> None:
        rows = {index.row() for index in selected.indexes()}
        if rows:
            self.orderSelected.emit(self.proxy.order_at(min(rows)))

    def _count_changed(self) -> None:
        self.filters.show_count(self.proxy.rowCount(), self.model.rowCount())

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.model.retranslate()
        super().changeEvent(event)


__all__ = ["COLUMN_WIDTHS", "SEARCH_DELAY_MS", "OrderFilters", "OrdersTable"]
