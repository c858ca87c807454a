"""The store manager's screen (behind the manager PIN), assembled from its parts.

Above all, while any sale needs the manager's attention (a "paid" that did
not match the sale, ``kiosk.domain.attention``), a red bar says how many;
touching it swaps the day's view for the list of open flags and the form
that clears one (``kiosk.ui.manager.attention``). Then: the day (any
date; today by default) and the filters (status, method, search by order
number or amount). Then the day's totals and paid amounts
per hour. Left: the transactions, live: the checkout service's changes
arrive one row at a time. Right: a side page that shows the selected order
(with its status history and a reprint button), a reconcile run (progress,
then what changed), or the end-of-day (Z) report (confirm, issue, print,
PDF). Bottom: Reconcile, Export CSV, Close the day. Esc goes back: from the
list of flags to the day, from the day to the sale screen (the screen takes
the keyboard focus when it shows; the key map is on its bottom line).

Nothing here is modal: confirmations are inline pages, work that waits is
an ``asyncSlot`` that disables its button and re-enables it when done. The
parts live in their own modules (see ``kiosk.ui.manager``); this one lays
them out, loads a day into them, and passes the live changes on.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QStackedWidget, QVBoxLayout, QWidget
from qasync import asyncSlot

from kiosk.domain.clock import Clock
from kiosk.domain.errors import KioskError
from kiosk.domain.events import OrderChanged
from kiosk.domain.order import Order
from kiosk.infra.bus import EventBus
from kiosk.services.attention import AttentionDesk
from kiosk.services.history import SalesHistory
from kiosk.services.ports import OrderReceipts
from kiosk.services.reports import csv_bytes, export_name, today, write_atomically
from kiosk.services.store_view import StoreView
from kiosk.services.tax_invoices import TaxInvoiceDesk
from kiosk.services.zreport import ZReportService
from kiosk.ui.fitting import FitLabel
from kiosk.ui.i18n import count_text
from kiosk.ui.manager.attention import AttentionBar, AttentionPage
from kiosk.ui.manager.bars import ActionBar, DayBar
from kiosk.ui.manager.chart import HourlyChart
from kiosk.ui.manager.detail import OrderDetail
from kiosk.ui.manager.reconcile import ReconcilePage, Reconciler
from kiosk.ui.manager.store_page import attach_store_page
from kiosk.ui.manager.table import OrdersTable
from kiosk.ui.manager.totals import TotalsPanel
from kiosk.ui.manager.zpage import ZReportPage
from kiosk.ui.theme import GREY, font, metrics, px, touch

log = logging.getLogger("kiosk.ui.manager")

TOTALS_DELAY_MS = 150  # a burst of changes refreshes the totals once
SIDE_WIDTH = 385  # design pixels
SIDE_HEIGHT = 460  # upright screens: the side page below the table


class ManagerScreen(QWidget):
    closeRequested = Signal()
    settingsRequested = Signal()

    def __init__(
        self,
        *,
        history: SalesHistory,
        orders: EventBus,
        clock: Clock,
        zreports: ZReportService,
        reconciler: Reconciler,
        receipts: OrderReceipts | None,
        export_dir: Path,
        language: Callable[[], str],
        attention: AttentionDesk | None = None,
        store_view: StoreView | None = None,
        invoices: TaxInvoiceDesk | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("managerScreen")
        # Touch-size still (about a finger), but less tall than the cashier's
        # keys: this screen holds more, and the sandbox banner may take a row too.
        pad = px(4)
        self.setStyleSheet(
            f"QWidget#managerScreen QPushButton {{ min-height: {touch(44) - 2 * pad - 4}px;"
            f" padding: {pad}px {px(14)}px; }}"
        )
        self.history = history
        self.clock = clock
        self.zreports = zreports
        self.export_dir = export_dir
        self._language = language
        self.day = ""
        self.last_export: Path | None = None
        self.day_bar = DayBar(clock=clock)
        self.table = OrdersTable(language=language)
        self.filters = self.table.filters
        self.totals = TotalsPanel(language=language)
        self.chart = HourlyChart()
        self.detail = OrderDetail(
            history=history, receipts=receipts, language=language, invoices=invoices
        )
        self.reconcile_page = ReconcilePage(reconciler=reconciler, language=language)
        self.z_page = ZReportPage(zreports=zreports, history=history, language=language)
        self.side = QStackedWidget()
        self.action_bar = ActionBar()
        self.attention_bar = AttentionBar()
        self.attention_page = AttentionPage(desk=attention, language=language)
        self.day_view = QWidget()  # the filters, the day's figures, its table and side page
        self.body = QStackedWidget()
        self.keys_hint = FitLabel()  # the key map: one line, smaller rather than cut
        self.keys_hint.setObjectName("managerKeyHint")
        self.keys_hint.setFont(font(15))
        self.keys_hint.setStyleSheet(f"color: {GREY};")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._lay_out()
        self._totals_timer = QTimer(self)
        self._totals_timer.setSingleShot(True)
        self._totals_timer.setInterval(TOTALS_DELAY_MS)
        self._totals_timer.timeout.connect(self.on_totals_timer_timeout)
        self._connect()
        # "This counter / Whole store" (issue 20): only with a store database.
        self.store_page = attach_store_page(self, store_view)
        self._subscription = orders.subscribe(
            OrderChanged, lambda event: self.on_service_order(event.order)
        )
        self.retranslate()

    def _lay_out(self) -> None:
        self.side.setObjectName("managerSide")
        for page in (self.detail, self.reconcile_page, self.z_page):
            self.side.addWidget(page)
        portrait = metrics().portrait
        if portrait:  # upright: the side page below the table, as wide as the screen
            self.side.setFixedHeight(px(SIDE_HEIGHT))
        else:
            self.side.setFixedWidth(px(SIDE_WIDTH))
        strip = QHBoxLayout()
        strip.setSpacing(px(14))
        strip.addWidget(self.totals)
        strip.addWidget(self.chart, 1)
        middle = QBoxLayout(
            QBoxLayout.Direction.TopToBottom if portrait else QBoxLayout.Direction.LeftToRight
        )
        middle.setSpacing(px(14))
        middle.addWidget(self.table, 1)
        middle.addWidget(self.side)
        day = QVBoxLayout(self.day_view)
        day.setContentsMargins(0, 0, 0, 0)
        day.setSpacing(px(8))
        day.addWidget(self.filters)
        day.addLayout(strip)
        day.addLayout(middle, 1)
        self.body.addWidget(self.day_view)
        self.body.addWidget(self.attention_page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(px(20), px(8), px(20), px(8))
        layout.setSpacing(px(8))
        layout.addWidget(self.day_bar)
        layout.addWidget(self.attention_bar)
        layout.addWidget(self.body, 1)
        layout.addWidget(self.action_bar)
        layout.addWidget(self.keys_hint)

    def _connect(self) -> None:
        self.day_bar.dayChosen.connect(self.show_day)
        self.day_bar.backRequested.connect(self.closeRequested)
        self.day_bar.settingsRequested.connect(self.settingsRequested)
        self.table.orderSelected.connect(self.on_order_selected)
        self.detail.message.connect(self.action_bar.say)
        self.reconcile_page.doneRequested.connect(self.show_detail_page)
        self.z_page.showRequested.connect(self.show_z_page)
        self.z_page.backRequested.connect(self.show_detail_page)
        self.z_page.dayClosed.connect(self.refresh_totals)
        self.z_page.busyChanged.connect(self.action_bar.on_z_busy)
        self.z_page.message.connect(self.action_bar.say)
        self.action_bar.reconcile_button.clicked.connect(self.on_reconcile_clicked)
        self.action_bar.export_button.clicked.connect(self.on_export_clicked)
        self.action_bar.z_button.clicked.connect(self.z_page.on_z_clicked)
        self.attention_bar.clicked.connect(self.show_attention)
        self.attention_page.backRequested.connect(self.show_day_view)
        self.attention_page.countChanged.connect(self.on_attention_count)
        self.attention_page.message.connect(self.action_bar.say)

    def language(self) -> str:
        return self._language()

    # --- the day

    def open_today(self) -> None:
        """What the PIN opens: today's sales, no filter, nothing selected; the open flags."""
        self.table.reset_filter()
        self.action_bar.say("")
        self.show_day_view()
        self.attention_page.reload()
        self.show_day(today(self.clock.now()), force=True)

    def show_day(self, day: str, *, force: bool = False) -> None:
        """Load one business day: the table, totals, chart; the one full reload."""
        if day == self.day and not force:
            return
        self.day = day
        self.day_bar.show_day(day)
        self.z_page.set_day(day)
        try:
            orders = self.history.orders(day)
        except KioskError as exc:
            log.error("cannot read the orders of %s: %s", day, exc)
            self.action_bar.say(exc.text.get(self.language()), error=True)
            orders = []
        self.table.load(day, orders)
        self.detail.show_order(None)
        self.show_detail_page()
        self.refresh_totals()

    def on_totals_timer_timeout(self) -> None:
        if self.isVisible():
            self.refresh_totals()

    def refresh_totals(self) -> None:
        if not self.day:
            return
        try:
            self.totals.set_totals(self.history.totals(self.day))
            self.chart.set_hours(self.history.hourly_paid(self.day))
            closed = self.zreports.report_for(self.day)
        except KioskError as exc:
            log.error("cannot total %s: %s", self.day, exc)
            self.action_bar.say(exc.text.get(self.language()), error=True)
            return
        if closed is None:
            self.day_bar.closed.setText(self.tr("No Z report issued this day."))
        else:  # a Z closes a batch: the day's last one (more sales may follow it)
            self.day_bar.closed.setText(
                self.tr("Last Z report this day: %1.").replace("%1", closed.number_text)
            )

    # --- live changes and the selected order

    def on_service_order(self, order: Order) -> None:
        """A journaled change (checkout, recovery, a flag): one row, the totals, the detail."""
        self.table.upsert(order)
        self.detail.order_changed(order)
        self.attention_page.order_changed(order)
        if self.day and self.isVisible():
            self._totals_timer.start()

    def on_order_selected(self, order: Order) -> None:
        self.detail.show_order(order)
        self.show_detail_page()

    def select_order(self, kiosk_order_id: str) -> bool:
        """Select an order's row (if the filter shows it); for automation and tests."""
        return self.table.select_order(kiosk_order_id)

    def show_detail_page(self) -> None:
        self.side.setCurrentWidget(self.detail)

    def show_z_page(self) -> None:
        self.show_day_view()
        self.side.setCurrentWidget(self.z_page)

    # --- sales that need attention

    def show_attention(self) -> None:
        """The open flags (any day) and the form that clears one, in place of the day."""
        self.body.setCurrentWidget(self.attention_page)
        self._show_attention_bar()

    def show_day_view(self) -> None:
        self.body.setCurrentWidget(self.day_view)
        self._show_attention_bar()

    def on_attention_count(self, count: int) -> None:
        self.attention_bar.show_count(count)
        self._show_attention_bar()

    def _show_attention_bar(self) -> None:
        on_list = self.body.currentWidget() is self.attention_page
        self.attention_bar.setVisible(self.attention_bar.count > 0 and not on_list)

    # --- reconcile

    @asyncSlot()
    async def on_reconcile_clicked(self) -> None:
        button = self.action_bar.reconcile_button
        button.setEnabled(False)
        self.show_day_view()
        self.side.setCurrentWidget(self.reconcile_page)
        try:
            report = await self.reconcile_page.run()
        finally:
            button.setEnabled(True)
        if report is not None:
            self.refresh_totals()

    # --- export

    @asyncSlot()
    async def on_export_clicked(self) -> None:
        button = self.action_bar.export_button
        button.setEnabled(False)
        try:
            path = await self.export_csv()
        except OSError as exc:
            log.error("CSV export failed: %s", exc)
            self.action_bar.say(
                self.tr("The CSV file could not be saved: %1").replace("%1", str(exc)), error=True
            )
            return
        finally:
            button.setEnabled(True)
        saved = count_text(
            self.table.proxy.rowCount(),
            self.tr("Saved 1 order to %2"),
            self.tr("Saved %1 orders to %2"),
        )
        self.action_bar.say(saved.replace("%2", str(path)))

    async def export_csv(self) -> Path:
        """The rows the filter shows, in time order (as ``kiosk report``), to the export folder."""
        proxy = self.table.proxy
        rows = sorted(proxy.shown_orders(), key=lambda o: (o.created_at, o.kiosk_order_id))
        data = csv_bytes(rows)
        path = self.export_dir / export_name(self.day, proxy.order_filter)
        # Disk I/O off the event loop (a slow USB stick must not freeze the screen).
        await asyncio.to_thread(write_atomically, path, data)
        self.last_export = path
        log.info("exported %d orders to %s", len(rows), path)
        return path

    # --- Qt

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.setFocus()  # Esc works at once, whatever had the focus before
        if self.day:
            self.refresh_totals()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.go_back()
        else:
            super().keyPressEvent(event)

    def go_back(self) -> None:
        """Esc: one step back (the flags list -> the day -> the sale screen)."""
        if self.body.currentWidget() is self.attention_page:
            self.show_day_view()
        else:
            self.closeRequested.emit()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """The parts translate themselves; the screen's own words are the day's state."""
        self.keys_hint.setText(self.tr("Keys: Esc goes back (to the sale screen)"))
        if self.day and self.isVisible():
            self.refresh_totals()


__all__ = ["ManagerScreen"]
