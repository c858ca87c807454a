"""The store manager's screen (behind the manager PIN): a day's sales and the day's close.

Top: the day (any date; today by default), filters (status, method, search
by order number or amount). Left: the transactions (``OrdersModel`` through
``OrdersProxy``), live: the checkout service's changes arrive one row at a
time. Right: the day's totals, paid amounts per hour, and a side page that
shows the selected order (with its status history and a reprint button),
a reconcile run (progress, then what changed), or the end-of-day (Z) report
(confirm, issue, print, PDF). Bottom: Reconcile, Export CSV, Close the day.

Nothing here is modal: confirmations are inline pages, work that waits is
an ``asyncSlot`` that disables its button and re-enables it when done.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QDate, QEvent, QItemSelection, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from kiosk.domain.clock import Clock
from kiosk.domain.errors import KioskError
from kiosk.domain.events import OrderChanged
from kiosk.domain.order import Method, Order
from kiosk.infra.bus import EventBus
from kiosk.receipts.service import ReceiptService
from kiosk.services.recovery import RecoveryReport
from kiosk.services.reports import (
    OrderFilter,
    Reports,
    StatusGroup,
    csv_bytes,
    date_of_day,
    day_of_date,
    export_name,
    today,
    write_atomically,
)
from kiosk.services.zreport import ZClosing, ZOutput, ZReport, ZReportService
from kiosk.store.journal import Journal
from kiosk.ui.manager_chart import HourlyChart
from kiosk.ui.manager_model import Column, OrdersModel, OrdersProxy
from kiosk.ui.manager_panels import OrderDetail, TotalsPanel
from kiosk.ui.theme import GREEN, GREY, RED, font

log = logging.getLogger("kiosk.ui.manager")

SEARCH_DELAY_MS = 200  # typing pauses this long before the table filters
TOTALS_DELAY_MS = 150  # a burst of changes refreshes the totals once


class Reconciler(Protocol):
    """What Reconcile needs: ``kiosk.services.recovery.RecoveryService``."""

    async def run(
        self, on_progress: Callable[[int, int], None] | None = None
    ) -> RecoveryReport: ...


class ManagerScreen(QWidget):
    closeRequested = Signal()
    settingsRequested = Signal()

    def __init__(
        self,
        *,
        journal: Journal,
        orders: EventBus,
        clock: Clock,
        zreports: ZReportService,
        reconciler: Reconciler,
        receipts: ReceiptService | None,
        export_dir: Path,
        language: Callable[[], str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("managerScreen")
        # Touch-size still (44 px, about a finger), but less tall than the cashier's
        # keys: this screen holds more, and the sandbox banner may take a row too.
        self.setStyleSheet(
            "QWidget#managerScreen QPushButton { min-height: 44px; padding: 4px 14px; }"
        )
        self.journal = journal
        self.reports = Reports(journal)
        self.clock = clock
        self.zreports = zreports
        self.reconciler = reconciler
        self.receipts = receipts
        self.export_dir = export_dir
        self._language = language
        self.day = ""
        self.last_export: Path | None = None
        self._pending_z: str | None = None  # the day the inline confirmation is for
        self._shown_z: ZReport | None = None
        self.last_z_output: ZOutput | None = None

        self.totals = TotalsPanel()
        self.chart = HourlyChart()

        # --- top: title, whether the day is closed, the day, back
        self.title = QLabel()
        self.title.setFont(font(28, bold=True))
        self.prev_day = self._button("managerPrevDay", "◀", 24)
        self.next_day = self._button("managerNextDay", "▶", 24)
        self.today_button = self._button("managerToday", "", 20)
        self.date_edit = QDateEdit()
        self.date_edit.setObjectName("managerDate")
        self.date_edit.setFont(font(22, bold=True))
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("dd/MM/yyyy")
        self.date_edit.setMinimumHeight(46)
        self.date_edit.setMinimumWidth(190)
        self.date_edit.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.date_edit.dateChanged.connect(self.on_date_edit_changed)
        self.prev_day.clicked.connect(lambda: self._step_day(-1))
        self.next_day.clicked.connect(lambda: self._step_day(1))
        self.today_button.clicked.connect(self.on_today_clicked)
        self.back = self._button("managerBackButton", "", 20)
        self.back.clicked.connect(self.closeRequested)
        self.settings_button = self._button("managerSettingsButton", "", 20)
        self.settings_button.clicked.connect(self.settingsRequested)
        top = QHBoxLayout()
        top.setSpacing(10)
        top.addWidget(self.title)
        top.addSpacing(12)
        top.addWidget(self.totals.closed, 1)
        for widget in (self.prev_day, self.date_edit, self.next_day, self.today_button):
            top.addWidget(widget)
        top.addSpacing(18)
        top.addWidget(self.settings_button)
        top.addWidget(self.back)

        # --- filters
        self.status_filter = QComboBox()
        self.status_filter.setObjectName("managerStatusFilter")
        self.method_filter = QComboBox()
        self.method_filter.setObjectName("managerMethodFilter")
        for combo in (self.status_filter, self.method_filter):
            combo.setFont(font(20))
            combo.setMinimumHeight(46)
            combo.setMinimumWidth(210)
        self.status_filter.addItem("", "")
        for group in StatusGroup:
            self.status_filter.addItem("", group.value)
        self.method_filter.addItem("", "")
        for method in Method:
            self.method_filter.addItem("", method.value)
        self.search = QLineEdit()
        self.search.setObjectName("managerSearch")
        self.search.setFont(font(20))
        self.search.setMinimumHeight(46)
        self.search.setClearButtonEnabled(True)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(lambda _: self._search_timer.start())
        self.search.returnPressed.connect(self.apply_filter)
        for combo in (self.status_filter, self.method_filter):
            combo.currentIndexChanged.connect(self.apply_filter)
        self.count_label = QLabel()
        self.count_label.setObjectName("managerCount")
        self.count_label.setFont(font(18))
        self.count_label.setStyleSheet(f"color: {GREY};")
        filters = QHBoxLayout()
        filters.setSpacing(10)
        filters.addWidget(self.status_filter)
        filters.addWidget(self.method_filter)
        filters.addWidget(self.search, 1)
        filters.addWidget(self.count_label)

        # --- the table
        self.model = OrdersModel(self)
        self.proxy = OrdersProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setObjectName("managerTable")
        self.table.setModel(self.proxy)
        self.table.setFont(font(17))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        vertical = self.table.verticalHeader()
        vertical.setVisible(False)
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(44)  # a finger's height
        self.table.setIconSize(QSize(26, 26))
        self.table.setStyleSheet(
            "QHeaderView::section { font-size: 17px; font-weight: bold; padding: 6px 8px;"
            " background: #ececec; border: none; border-right: 1px solid #d6d6d6; }"
        )
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        for column, width in {
            Column.TIME: 95,
            Column.ORDER: 232,
            Column.METHOD: 118,
            Column.AMOUNT: 122,
            Column.STATUS: 205,
            Column.LATE: 100,
            Column.GATEWAY_ORDER: 190,
        }.items():
            header.resizeSection(column, width)
        self.table.setSortingEnabled(True)
        header.setSortIndicator(Column.TIME, Qt.SortOrder.DescendingOrder)
        self.table.selectionModel().selectionChanged.connect(self.on_table_selection_changed)
        self.proxy.rowsInserted.connect(self._count_changed)
        self.proxy.rowsRemoved.connect(self._count_changed)
        self.proxy.modelReset.connect(self._count_changed)
        self.proxy.layoutChanged.connect(self._count_changed)

        # --- right: totals, chart, side pages
        self.detail = OrderDetail()
        self.detail.set_reprint_possible(receipts is not None)
        self.detail.reprintRequested.connect(self.on_detail_reprint)
        self.reconcile_page = QWidget()
        self.reconcile_title = QLabel()
        self.reconcile_title.setFont(font(20, bold=True))
        self.reconcile_title.setWordWrap(True)
        self.reconcile_progress = QProgressBar()
        self.reconcile_progress.setObjectName("reconcileProgress")
        self.reconcile_progress.setTextVisible(False)
        self.reconcile_list = QListWidget()
        self.reconcile_list.setObjectName("reconcileList")
        self.reconcile_list.setFont(font(17))
        self.reconcile_list.setWordWrap(True)
        self.reconcile_done = self._button("reconcileDoneButton", "", 20)
        self.reconcile_done.clicked.connect(self.show_detail_page)
        page = QVBoxLayout(self.reconcile_page)
        page.setContentsMargins(0, 0, 0, 0)
        page.addWidget(self.reconcile_title)
        page.addWidget(self.reconcile_progress)
        page.addWidget(self.reconcile_list, 1)
        page.addWidget(self.reconcile_done)
        self.z_page = QWidget()
        self.z_text = QLabel()
        self.z_text.setObjectName("zReportText")
        self.z_text.setFont(font(19))
        self.z_text.setWordWrap(True)
        self.z_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.z_confirm = self._button("zConfirmButton", "", 22)
        self.z_confirm.setStyleSheet(f"background: {GREEN}; color: white; border: none;")
        self.z_confirm.clicked.connect(self.on_z_confirm_clicked)
        self.z_print_copy = self._button("zPrintCopyButton", "", 20)
        self.z_print_copy.clicked.connect(self.on_z_print_copy_clicked)
        self.z_back = self._button("zBackButton", "", 20)
        self.z_back.clicked.connect(self.show_detail_page)
        page = QVBoxLayout(self.z_page)
        page.setContentsMargins(0, 0, 0, 0)
        page.addWidget(self.z_text)
        page.addStretch(1)
        page.addWidget(self.z_confirm)
        page.addWidget(self.z_print_copy)
        page.addWidget(self.z_back)
        self.side = QStackedWidget()
        self.side.setObjectName("managerSide")
        for page_widget in (self.detail, self.reconcile_page, self.z_page):
            self.side.addWidget(page_widget)
        self.side.setFixedWidth(385)
        strip = QHBoxLayout()
        strip.setSpacing(14)
        strip.addWidget(self.totals)
        strip.addWidget(self.chart, 1)
        middle = QHBoxLayout()
        middle.setSpacing(14)
        middle.addWidget(self.table, 1)
        middle.addWidget(self.side)

        # --- bottom: actions, message
        self.reconcile_button = self._button("reconcileButton", "", 22)
        self.reconcile_button.clicked.connect(self.on_reconcile_clicked)
        self.export_button = self._button("exportButton", "", 22)
        self.export_button.clicked.connect(self.on_export_clicked)
        self.z_button = self._button("zReportButton", "", 22)
        self.z_button.clicked.connect(self.on_z_clicked)
        self.message = QLabel()
        self.message.setObjectName("managerMessage")
        self.message.setFont(font(18))
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        actions = QHBoxLayout()
        actions.setSpacing(12)
        for button in (self.reconcile_button, self.export_button, self.z_button):
            button.setMinimumWidth(220)
            actions.addWidget(button)
        actions.addWidget(self.message, 1)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 8, 20, 8)
        layout.setSpacing(8)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addLayout(strip)
        layout.addLayout(middle, 1)
        layout.addLayout(actions)

        self._totals_timer = QTimer(self)
        self._totals_timer.setSingleShot(True)
        self._totals_timer.setInterval(TOTALS_DELAY_MS)
        self._totals_timer.timeout.connect(self.on_totals_timer_timeout)
        orders.subscribe(OrderChanged, lambda event: self.on_service_order(event.order))
        self.retranslate()

    def _button(self, name: str, text: str, size: int) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setFont(font(size, bold=True))
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        return button

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet(f"color: {RED if error else GREY};")
        self.message.setText(text)

    def language(self) -> str:
        return self._language()

    # --- the day

    def open_today(self) -> None:
        """What the PIN opens: today's sales, no filter, nothing selected."""
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        for combo in (self.status_filter, self.method_filter):
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)
        self.proxy.set_filter(OrderFilter())
        self._say("")
        self.show_day(today(self.clock.now()), force=True)

    def show_day(self, day: str, *, force: bool = False) -> None:
        """Load one business day: the table, totals, chart; the one full reload."""
        if day == self.day and not force:
            return
        self.day = day
        value = date_of_day(day)
        self.date_edit.blockSignals(True)
        self.date_edit.setMaximumDate(_qdate(date_of_day(today(self.clock.now()))))
        self.date_edit.setDate(_qdate(value))
        self.date_edit.blockSignals(False)
        self.next_day.setEnabled(day < today(self.clock.now()))
        try:
            orders = self.reports.orders(day)
        except KioskError as exc:
            log.error("cannot read the orders of %s: %s", day, exc)
            self._say(exc.text.get(self.language()), error=True)
            orders = []
        self.model.load(day, orders)
        self.detail.show_order(None, [])
        self.show_detail_page()
        self.refresh_totals()

    def on_date_edit_changed(self, value: QDate) -> None:
        self.show_day(day_of_date(date(value.year(), value.month(), value.day())))

    def on_today_clicked(self) -> None:
        self.show_day(today(self.clock.now()))

    def _step_day(self, days: int) -> None:
        current = date_of_day(self.day or today(self.clock.now()))
        target = day_of_date(date.fromordinal(current.toordinal() + days))
        if target <= today(self.clock.now()):
            self.show_day(target)

    def on_totals_timer_timeout(self) -> None:
        if self.isVisible():
            self.refresh_totals()

    def refresh_totals(self) -> None:
        if not self.day:
            return
        try:
            self.totals.set_totals(self.reports.totals(self.day))
            self.chart.set_hours(self.reports.hourly_paid(self.day))
            closed = self.zreports.report_for(self.day)
        except KioskError as exc:
            log.error("cannot total %s: %s", self.day, exc)
            self._say(exc.text.get(self.language()), error=True)
            return
        if closed is None:
            self.totals.closed.setText(self.tr("Day not closed yet."))
        else:
            self.totals.closed.setText(
                self.tr("Day closed: Z report %1.").replace("%1", closed.number_text)
            )

    # --- filters

    def current_filter(self) -> OrderFilter:
        status = self.status_filter.currentData()
        method = self.method_filter.currentData()
        return OrderFilter(
            groups=frozenset({StatusGroup(status)}) if status else frozenset(),
            methods=frozenset({Method(method)}) if method else frozenset(),
            search=self.search.text(),
        )

    def apply_filter(self) -> None:
        self._search_timer.stop()
        self.proxy.set_filter(self.current_filter())
        self._count_changed()

    def _count_changed(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        text = self.tr("%1 of %2 orders") if shown != total else self.tr("%2 orders")
        self.count_label.setText(text.replace("%1", f"{shown:,}").replace("%2", f"{total:,}"))

    # --- live changes

    def on_service_order(self, order: Order) -> None:
        """A journaled change (checkout, recovery): one row, the totals, the open detail."""
        self.model.upsert(order)
        shown = self.detail.order()
        if shown is not None and shown.kiosk_order_id == order.kiosk_order_id:
            self._show_detail(order)
        if self.day and self.isVisible():
            self._totals_timer.start()

    # --- the selected order

    def on_table_selection_changed(self, selected: QItemSelection, _: QItemSelection) -> None:
        rows = {index.row() for index in selected.indexes()}
        if not rows:
            return
        self._show_detail(self.proxy.order_at(min(rows)))
        self.show_detail_page()

    def select_order(self, kiosk_order_id: str) -> bool:
        """Select an order's row (if the filter shows it); for automation and tests."""
        row = self.model.row_of(kiosk_order_id)
        if row is None:
            return False
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if not index.isValid():
            return False
        self.table.selectRow(index.row())
        self.table.scrollTo(index)
        return True

    def _show_detail(self, order: Order) -> None:
        try:
            history = self.journal.history(order.kiosk_order_id)
        except KioskError as exc:
            log.error("cannot read the history of %s: %s", order.kiosk_order_id, exc)
            history = []
        self.detail.show_order(order, history)

    def show_detail_page(self) -> None:
        self.side.setCurrentWidget(self.detail)

    @asyncSlot(object)
    async def on_detail_reprint(self, order: Order) -> None:
        if self.receipts is None:
            return
        button = self.detail.reprint
        button.setEnabled(False)
        self._say(self.tr("Printing…"))
        try:
            outcome = await self.receipts.receipt_for(order)
        except (KioskError, KeyError) as exc:
            log.error("receipt for %s failed: %s", order.kiosk_order_id, exc)
            message = exc.text.get(self.language()) if isinstance(exc, KioskError) else str(exc)
            self._say(message, error=True)
            return
        finally:
            button.setEnabled(order.state.is_final)
        self._say(outcome.message(self.language()), error=outcome.error is not None)

    # --- reconcile

    @asyncSlot()
    async def on_reconcile_clicked(self) -> None:
        button = self.reconcile_button
        button.setEnabled(False)
        self.reconcile_done.setEnabled(False)
        self.side.setCurrentWidget(self.reconcile_page)
        self.reconcile_list.clear()
        self.reconcile_title.setText(self.tr("Checking open orders with the bank…"))
        self.reconcile_progress.setRange(0, 0)  # busy until the count is known
        try:
            report = await self.reconciler.run(on_progress=self.on_reconcile_progress)
        except KioskError as exc:
            log.error("reconcile failed: %s", exc)
            self.reconcile_title.setText(exc.text.get(self.language()))
            self.reconcile_progress.setRange(0, 1)
            return
        finally:
            button.setEnabled(True)
            self.reconcile_done.setEnabled(True)
        self.show_reconcile_report(report)

    def on_reconcile_progress(self, done: int, total: int) -> None:
        self.reconcile_progress.setRange(0, max(total, 1))
        self.reconcile_progress.setValue(done if total else 1)
        self.reconcile_title.setText(
            self.tr("Checking open orders with the bank… %1 of %2")
            .replace("%1", str(done))
            .replace("%2", str(total))
        )

    def show_reconcile_report(self, report: RecoveryReport) -> None:
        names = self.model
        for before, after in report.changes:
            late = " — " + self.tr("late payment") if after.late else ""
            self.reconcile_list.addItem(
                f"{after.kiosk_order_id}  {after.amount.thb()}\n    "
                f"{names.state_name(before.state)} → {names.state_name(after.state)}{late}"
            )
        for order, exc in report.postponed:
            self.reconcile_list.addItem(
                f"{order.kiosk_order_id}  {order.amount.thb()}\n    "
                + self.tr("not checked: %1").replace("%1", exc.text.get(self.language()))
            )
        summary = (
            self.tr("%1 open orders checked: %2 changed, %3 not checked, %4 still open.")
            .replace("%1", str(report.checked))
            .replace("%2", str(len(report.changes)))
            .replace("%3", str(len(report.postponed)))
            .replace("%4", str(len(report.still_open)))
        )
        if not report.checked:
            summary = self.tr("No open orders: nothing to check.")
        self.reconcile_title.setText(summary)
        self.reconcile_progress.setRange(0, 1)
        self.reconcile_progress.setValue(1)
        self.refresh_totals()

    # --- export

    @asyncSlot()
    async def on_export_clicked(self) -> None:
        button = self.export_button
        button.setEnabled(False)
        try:
            path = await self.export_csv()
        except OSError as exc:
            log.error("CSV export failed: %s", exc)
            self._say(
                self.tr("The CSV file could not be saved: %1").replace("%1", str(exc)), error=True
            )
            return
        finally:
            button.setEnabled(True)
        self._say(
            self.tr("Saved %1 orders to %2")
            .replace("%1", str(self.proxy.rowCount()))
            .replace("%2", str(path))
        )

    async def export_csv(self) -> Path:
        """The rows the filter shows, in time order (as ``kiosk report``), to the export folder."""
        rows = sorted(self.proxy.shown_orders(), key=lambda o: (o.created_at, o.kiosk_order_id))
        data = csv_bytes(rows)
        path = self.export_dir / export_name(self.day, self.proxy.order_filter)
        # Disk I/O off the event loop (a slow USB stick must not freeze the screen).
        await asyncio.to_thread(write_atomically, path, data)
        self.last_export = path
        log.info("exported %d orders to %s", len(rows), path)
        return path

    # --- end of day

    @asyncSlot()
    async def on_z_clicked(self) -> None:
        """Closed already: say so (and offer a copy). Else: confirm inline first."""
        if self.zreports.report_for(self.day) is not None:
            await self.close_day()
            return
        self._pending_z = self.day
        totals = self.reports.totals(self.day)
        latest = self.zreports.latest()
        number = 1 if latest is None else latest.number + 1
        text = (
            self.tr("Close %1 and issue Z report %2? Once issued it cannot be changed.")
            .replace("%1", date_of_day(self.day).strftime("%d/%m/%Y"))
            .replace("%2", f"Z{number:06d}")
        )
        if totals.pending.count:
            text += "\n\n" + self.tr("%1 orders are still pending; run Reconcile first.").replace(
                "%1", str(totals.pending.count)
            )
        self._show_z_page(text, confirm=True)

    @asyncSlot()
    async def on_z_confirm_clicked(self) -> None:
        if self._pending_z is not None and self._pending_z == self.day:
            await self.close_day()

    async def close_day(self) -> ZClosing | None:
        """Issue the day's Z report (or show the one issued before); the first time, output it."""
        self._pending_z = None
        try:
            closing = self.zreports.close_day(self.day)
        except KioskError as exc:
            self._shown_z = None
            self._show_z_page(exc.text.get(self.language()), confirm=False)
            return None
        self._shown_z = closing.report
        self._show_z_page(closing.text().get(self.language()), confirm=False)
        self.refresh_totals()
        if closing.issued:
            await self.output_z(copy=False)
        return closing

    @asyncSlot()
    async def on_z_print_copy_clicked(self) -> None:
        await self.output_z(copy=True)

    async def output_z(self, *, copy: bool) -> None:
        """Print the shown report (a copy is marked COPY) and make sure its PDF is saved."""
        report = self._shown_z
        if report is None:
            return
        buttons = (self.z_print_copy, self.z_button)
        for button in buttons:
            button.setEnabled(False)
        self._say(self.tr("Printing…"))
        try:
            out = await self.zreports.output(report, copy=copy)
        finally:
            for button in buttons:
                button.setEnabled(True)
        self.last_z_output = out
        self._say(out.text().get(self.language()), error=bool(out.errors))

    def _show_z_page(self, text: str, *, confirm: bool) -> None:
        self.z_text.setText(text)
        self.z_confirm.setVisible(confirm)
        self.z_print_copy.setVisible(not confirm and self._shown_z is not None)
        self.side.setCurrentWidget(self.z_page)

    # --- Qt

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.day:
            self.refresh_totals()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.title.setText(self.tr("Manager"))
        self.today_button.setText(self.tr("Today"))
        self.back.setText(self.tr("Back to sale"))
        self.settings_button.setText(self.tr("Settings"))
        self.status_filter.setItemText(0, self.tr("All statuses"))
        names = {
            StatusGroup.PAID: self.tr("Paid"),
            StatusGroup.PENDING: self.tr("Pending"),
            StatusGroup.EXPIRED: self.tr("Expired"),
            StatusGroup.CANCELLED: self.tr("Cancelled"),
            StatusGroup.FAILED: self.tr("Failed"),
        }
        for i, group in enumerate(StatusGroup, start=1):
            self.status_filter.setItemText(i, names[group])
        self.method_filter.setItemText(0, self.tr("All methods"))
        methods = {Method.QR: self.tr("Thai QR"), Method.WECHAT: self.tr("WeChat Pay")}
        for i, method in enumerate(Method, start=1):
            self.method_filter.setItemText(i, methods[method])
        self.search.setPlaceholderText(self.tr("Search: order no. or amount"))
        self.reconcile_button.setText(self.tr("Reconcile"))
        self.export_button.setText(self.tr("Export CSV"))
        self.z_button.setText(self.tr("Close the day (Z)"))
        self.reconcile_done.setText(self.tr("Done"))
        self.z_confirm.setText(self.tr("Close the day"))
        self.z_print_copy.setText(self.tr("Print a copy"))
        self.z_back.setText(self.tr("Back"))
        self.model.retranslate()
        self._count_changed()
        if self.day and self.isVisible():
            self.refresh_totals()


def _qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


__all__ = ["ManagerScreen", "Reconciler"]
