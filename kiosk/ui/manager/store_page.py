"""The whole store's day on the manager screen (issue 20), read from the store database.

A "This counter / Whole store" switch above the manager screen's body swaps
the counter's own day for this page (``attach_store_page``; the screen keeps
its own parts). The page shows, for the day the screen shows:

- a line saying it is read-only (the store database's copy; nothing here
  changes a sale) and, when this counter cannot reach the database, that it
  cannot, with what was last read and when;
- a warning naming each counter that is behind, and the flags (conflict,
  journal replaced, the same terminal id twice);
- each counter: paid by method, last sync, unsynced records (this counter's
  only: the database cannot see another counter's outbox), flags;
- the store's orders (model/view, filtered by counter in the model) and the paid totals of
  the counter chosen, or of the store;
- "Close the store": the store close of the day (numbered by the database,
  printed and saved as PDF like a Z report).

Every database call runs on a worker thread (``asyncio.to_thread``): the GUI
thread never waits for the network. Loads that come back out of order are
dropped (a generation counter).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from enum import IntEnum
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from kiosk.domain.errors import KioskError
from kiosk.domain.labels import method_label, state_label
from kiosk.domain.order import Method
from kiosk.domain.reports import Tally
from kiosk.domain.storeday import CounterStatus, StoreDay, StoreOrder
from kiosk.domain.thaidate import format_datetime
from kiosk.services.store_view import StoreClosing, StoreView
from kiosk.ui.manager.common import touch_button
from kiosk.ui.theme import AMBER, GREY, RED, font, px

if TYPE_CHECKING:
    from kiosk.ui.manager.screen import ManagerScreen

log = logging.getLogger("kiosk.ui.manager.store")

Index = QModelIndex | QPersistentModelIndex
ALL = ""  # the counter filter's "every counter"


class Column(IntEnum):
    TIME = 0
    TERMINAL = 1
    ORDER = 2
    AMOUNT = 3
    METHOD = 4
    STATUS = 5


class StoreOrdersModel(QAbstractTableModel):
    """The store's orders of one day, read-only (a load replaces them all), by counter.

    The counter filter lives here, not in a QSortFilterProxyModel: a proxy
    asks Python about every row (ten thousand calls for a big store's day,
    tens of milliseconds); a list comprehension and a reset take a few.
    """

    def __init__(self, *, language: Callable[[], str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._language = language
        self._all: tuple[StoreOrder, ...] = ()
        self._orders: tuple[StoreOrder, ...] = ()
        self.terminal = ALL
        self._headers: list[str] = []
        self.retranslate()

    def load(self, orders: tuple[StoreOrder, ...]) -> None:
        self._all = orders
        self._refilter()

    def set_terminal(self, terminal: str) -> None:
        """Show one counter's orders ("" = every counter's)."""
        self.terminal = terminal
        self._refilter()

    def _refilter(self) -> None:
        self.beginResetModel()
        terminal = self.terminal
        self._orders = (
            tuple(o for o in self._all if o.terminal_id == terminal) if terminal else self._all
        )
        self.endResetModel()

    def order_at(self, row: int) -> StoreOrder:
        return self._orders[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._orders)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        order = self._orders[index.row()]
        column = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(order, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column is Column.AMOUNT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, order: StoreOrder, column: Column) -> str:
        language = self._language()
        if column is Column.TIME:
            return "" if order.created_at is None else format_datetime(order.created_at, language)
        if column is Column.TERMINAL:
            return order.terminal_id
        if column is Column.ORDER:
            return order.kiosk_order_id
        if column is Column.AMOUNT:
            return order.amount.plain()
        if column is Column.METHOD:
            return method_label(order.method, language)
        return state_label(order.state, language)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        return None

    def retranslate(self) -> None:
        self._headers = [
            self.tr("Time"),
            self.tr("Counter"),
            self.tr("Order"),
            self.tr("Amount (THB)"),
            self.tr("Method"),
            self.tr("Status"),
        ]
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(Column) - 1)
        if self._orders:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._orders) - 1, len(Column) - 1)
            )


class StorePage(QWidget):
    """The store's day: read-only, from the store database, through ``StoreView``."""

    loaded = Signal()  # a load ended (with the day, or with the database unreachable)
    closed = Signal(object)  # a StoreClosing
    message = Signal(str, bool)  # text, is an error

    def __init__(
        self, *, view: StoreView, language: Callable[[], str], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("storePage")
        self.view = view
        self._language = language
        self.day = ""
        self.store_day: StoreDay | None = None
        self.reachable: bool | None = None
        self.unreachable_reason = ""
        self.closing: StoreClosing | None = None
        self.switch: ScopeSwitch | None = None  # set when attached to the manager screen
        self._generation = 0
        self._loading: asyncio.Future[None] | None = None
        self.notice = self._label("storeNotice", 15, GREY)
        self.warning = self._label("storeBehind", 16, AMBER, bold=True)
        self.flags = self._label("storeFlags", 16, RED, bold=True)
        self.totals = self._label("storeTotals", 18, bold=True)
        self.close_result = self._label("storeCloseResult", 16, bold=True)
        self.counter_filter = QComboBox()
        self.counter_filter.setObjectName("storeCounterFilter")
        self.refresh_button = touch_button("storeRefresh", "", 17)
        self.close_button = touch_button("storeCloseButton", "", 17)
        self.counters = QTableWidget(0, 6)
        self.counters.setObjectName("storeCounters")
        self.model = StoreOrdersModel(language=language, parent=self)
        self.table = QTableView()
        self.table.setObjectName("storeOrders")
        self.table.setModel(self.model)
        self._lay_out()
        self.counter_filter.currentIndexChanged.connect(self.on_counter_chosen)
        self.refresh_button.clicked.connect(self.on_refresh_clicked)
        self.close_button.clicked.connect(self.on_close_clicked)
        self.retranslate()

    @staticmethod
    def _label(name: str, size: int, colour: str = "", *, bold: bool = False) -> QLabel:
        label = QLabel()
        label.setObjectName(name)
        label.setFont(font(size, bold=bold))
        label.setWordWrap(True)
        if colour:
            label.setStyleSheet(f"color: {colour};")
        return label

    def _lay_out(self) -> None:
        for view in (self.counters, self.table):
            view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            view.verticalHeader().setVisible(False)
            view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
            view.setFont(font(15))
        self.counters.setMaximumHeight(px(190))
        self.counter_filter.setFont(font(17))
        top = QHBoxLayout()
        top.setSpacing(px(10))
        top.addWidget(self.counter_filter)
        top.addWidget(self.totals, 1)
        top.addWidget(self.refresh_button)
        top.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(px(6))
        layout.addWidget(self.notice)
        layout.addWidget(self.warning)
        layout.addWidget(self.flags)
        layout.addLayout(top)
        layout.addWidget(self.counters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.close_result)

    def language(self) -> str:
        return self._language()

    # --- loading (on a worker thread)

    def show_day(self, day: str) -> None:
        """Load ``day`` from the store database (returns at once; ``loaded`` when done)."""
        self.day = day
        self.close_result.setText("")
        self._loading = asyncio.ensure_future(self.reload())

    @asyncSlot()
    async def on_refresh_clicked(self) -> None:
        await self.reload()

    async def reload(self) -> None:
        if not self.day:
            return
        self._generation += 1
        generation, day = self._generation, self.day
        self.refresh_button.setEnabled(False)
        try:
            found: StoreDay | None = await asyncio.to_thread(self.view.load_day, day)
            reason = ""
        except KioskError as exc:
            found, reason = None, exc.text.get(self.language())
            log.warning("the store's day %s could not be read: %s", day, exc)
        # Not in a finally: cancelled (the screen is going away), there is no button to enable.
        self.refresh_button.setEnabled(True)
        if generation != self._generation:
            return  # a later load was asked for meanwhile
        if found is None:
            self.reachable, self.unreachable_reason = False, reason
        else:
            self.reachable, self.unreachable_reason = True, ""
            self.store_day = found
            self._show(found)
        self._show_notice()
        self.loaded.emit()

    def _show(self, day: StoreDay) -> None:
        chosen = self.model.terminal
        self.counter_filter.blockSignals(True)
        self.counter_filter.clear()
        self.counter_filter.addItem(self.tr("All counters"), ALL)
        for terminal in day.terminals:
            self.counter_filter.addItem(terminal, terminal)
        found = self.counter_filter.findData(chosen)
        self.counter_filter.setCurrentIndex(max(0, found))
        self.counter_filter.blockSignals(False)
        if found < 0:
            self.model.terminal = ALL
        self.model.load(day.orders)
        self._show_counters(day)
        self._show_totals()

    def _show_counters(self, day: StoreDay) -> None:
        language = self.language()
        self.counters.setRowCount(len(day.counters))
        for row, counter in enumerate(day.counters):
            methods = day.paid.get((counter.install_id, counter.terminal_id), {})
            paid = sum(methods.values(), Tally())
            cells = [
                counter.terminal_id + (" *" if counter.this_counter else ""),
                f"{paid.amount.plain()} ({paid.count})",
                "  ".join(
                    f"{method_label(m, language)} {methods[m].amount.plain()}"
                    for m in Method
                    if m in methods
                ),
                "—"
                if counter.last_sync_at is None
                else format_datetime(counter.last_sync_at, language, seconds=True),
                "—" if counter.pending is None else str(counter.pending),
                ", ".join(self._flag_words(counter)) or "—",
            ]
            for column, text in enumerate(cells):
                self.counters.setItem(row, column, QTableWidgetItem(text))
        behind = [self._behind_text(c) for c in day.behind]
        self.warning.setText(
            self.tr("Behind: %1").replace("%1", "; ".join(behind)) if behind else ""
        )
        self.warning.setVisible(bool(behind))
        flagged = [f"{c.terminal_id}: {', '.join(self._flag_words(c))}" for c in day.counters]
        flagged = [text for text, c in zip(flagged, day.counters, strict=True) if c.flagged]
        self.flags.setText(
            self.tr("Flagged: %1").replace("%1", "; ".join(flagged)) if flagged else ""
        )
        self.flags.setVisible(bool(flagged))

    def _flag_words(self, counter: CounterStatus) -> list[str]:
        words = []
        if counter.conflicts:
            words.append(self.tr("conflict (%1)").replace("%1", str(counter.conflicts)))
        if counter.journal_replaced:
            words.append(self.tr("journal replaced"))
        if counter.terminal_shared:
            words.append(self.tr("same terminal id twice"))
        return words

    def _behind_text(self, counter: CounterStatus) -> str:
        if counter.this_counter and counter.pending:
            return (
                self.tr("%1 (this counter: %2 records not sent)")
                .replace("%1", counter.terminal_id)
                .replace("%2", str(counter.pending))
            )
        minutes = 0 if counter.silent_s is None else int(counter.silent_s // 60)
        return (
            self.tr("%1 (nothing heard for %2 min)")
            .replace("%1", counter.terminal_id)
            .replace("%2", str(minutes))
        )

    def _show_totals(self) -> None:
        day = self.store_day
        if day is None:
            self.totals.setText("")
            return
        terminal = self.model.terminal or None
        paid = day.paid_total(terminal)
        by_method = day.paid_by_method(terminal)
        language = self.language()
        parts = [
            f"{method_label(m, language)} {by_method[m].amount.plain()} ({by_method[m].count})"
            for m in Method
            if m in by_method
        ]
        self.totals.setText(
            self.tr("Paid %1 THB (%2)")
            .replace("%1", paid.amount.plain())
            .replace("%2", str(paid.count))
            + ("  —  " + "  ".join(parts) if parts else "")
        )

    def _show_notice(self) -> None:
        if self.reachable is False:
            read = self.store_day
            when = (
                self.tr("Showing what was read at %1.").replace(
                    "%1", format_datetime(read.read_at, self.language())
                )
                if read is not None and read.day == self.day
                else self.tr("Nothing to show.")
            )
            self.notice.setText(
                self.tr("Read-only. This counter cannot reach the store database: %1 %2")
                .replace("%1", self.unreachable_reason)
                .replace("%2", when)
            )
            self.notice.setStyleSheet(f"color: {RED};")
        else:
            self.notice.setText(
                self.tr(
                    "Read-only: every counter's sales as the store database has them."
                    " Nothing here changes a sale."
                )
            )
            self.notice.setStyleSheet(f"color: {GREY};")
        self.close_button.setEnabled(self.reachable is not False)

    # --- the counter filter

    def on_counter_chosen(self, index: int) -> None:
        self.model.set_terminal(str(self.counter_filter.itemData(index) or ALL))
        self._show_totals()

    def choose_counter(self, terminal: str) -> None:
        """Show one counter's orders ("" = every counter); for automation and tests."""
        self.counter_filter.setCurrentIndex(max(0, self.counter_filter.findData(terminal)))

    # --- the store close

    @asyncSlot()
    async def on_close_clicked(self) -> None:
        if not self.day:
            return
        self.close_button.setEnabled(False)
        try:
            closing = await asyncio.to_thread(self.view.close_store, self.day)
        except KioskError as exc:
            self.close_button.setEnabled(True)
            self.close_result.setText(exc.text.get(self.language()))
            self.message.emit(exc.text.get(self.language()), True)
            return
        self.close_button.setEnabled(True)
        self.closing = closing
        self.close_result.setText(closing.text().get(self.language()))
        out = await self.view.output(closing.close)
        notes = [e.get(self.language()) for e in out.errors]
        if out.pdf is not None:
            notes.append(self.tr("PDF: %1").replace("%1", str(out.pdf)))
        if notes:
            self.close_result.setText(self.close_result.text() + "\n" + "\n".join(notes))
        self.closed.emit(closing)
        await self.reload()

    # --- Qt

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.refresh_button.setText(self.tr("Refresh"))
        self.close_button.setText(self.tr("Close the store"))
        self.counters.setHorizontalHeaderLabels(
            [
                self.tr("Counter"),
                self.tr("Paid"),
                self.tr("By method"),
                self.tr("Last sync"),
                self.tr("Unsynced"),
                self.tr("Flags"),
            ]
        )
        self.model.retranslate()
        if self.counter_filter.count():
            self.counter_filter.setItemText(0, self.tr("All counters"))
        if self.store_day is not None:
            self._show_counters(self.store_day)
            self._show_totals()
        self._show_notice()


class ScopeSwitch(QWidget):
    """ "This counter / Whole store": which day the manager screen shows."""

    scopeChanged = Signal(bool)  # True: the whole store

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("scopeSwitch")
        self.counter_button = touch_button("scopeCounter", "", 16)
        self.store_button = touch_button("scopeStore", "", 16)
        self.group = QButtonGroup(self)
        for button in (self.counter_button, self.store_button):
            button.setCheckable(True)
            self.group.addButton(button)
        self.counter_button.setChecked(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.counter_button)
        layout.addWidget(self.store_button)
        layout.addStretch(1)
        self.store_button.toggled.connect(self.scopeChanged)
        self.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.counter_button.setText(self.tr("This counter"))
        self.store_button.setText(self.tr("Whole store"))


def attach_store_page(screen: ManagerScreen, view: StoreView | None) -> StorePage | None:
    """Put the switch and the store page into the manager screen; None without a store database.

    The screen's own parts are not touched: the switch goes above its body (a
    stacked widget) and the page is one more page of it; the day the screen's
    day bar chooses is the store page's day too.
    """
    if view is None:
        return None
    page = StorePage(view=view, language=screen.language)
    switch = ScopeSwitch()
    page.switch = switch
    layout = screen.layout()
    assert isinstance(layout, QVBoxLayout)
    layout.insertWidget(layout.indexOf(screen.body), switch)
    screen.body.addWidget(page)

    def on_scope(whole_store: bool) -> None:
        if whole_store:
            screen.body.setCurrentWidget(page)
            page.show_day(screen.day)
        elif screen.body.currentWidget() is page:
            screen.show_day_view()

    def on_body(_: int) -> None:  # the flags list or the day took the body: say so
        switch.store_button.blockSignals(True)
        switch.store_button.setChecked(screen.body.currentWidget() is page)
        switch.counter_button.setChecked(screen.body.currentWidget() is not page)
        switch.store_button.blockSignals(False)

    def on_day(day: str) -> None:
        if screen.body.currentWidget() is page:
            page.show_day(day)

    switch.scopeChanged.connect(on_scope)
    screen.body.currentChanged.connect(on_body)
    screen.day_bar.dayChosen.connect(on_day)
    return page


__all__ = ["ScopeSwitch", "StorePage", "attach_store_page"]
