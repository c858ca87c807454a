"""The end-of-day (Z) page: confirm inline, issue the day's Z report once, print it, save its PDF.

``ZReportPage`` answers the bottom row's "Close the day (Z)" for the day the
screen shows (``set_day``): a day closed already shows its report (and offers
a copy); otherwise the page asks first, naming the number the report will
get, how many orders are still pending and how many sales still need the
manager's attention. Issuing prints the report and saves its PDF; the
outcome goes to the screen's message line (``message``). The report shown
ends with its list of flagged sales (``kiosk.services.zflags``).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget
from qasync import asyncSlot

from kiosk.domain.attention import OUTCOME_TEXTS
from kiosk.domain.errors import KioskError
from kiosk.services.history import SalesHistory
from kiosk.services.reports import date_of_day
from kiosk.services.zreport import ZClosing, ZOutput, ZReport, ZReportService
from kiosk.ui.manager.common import touch_button
from kiosk.ui.plain import plain
from kiosk.ui.theme import GREEN, font


class ZReportPage(QWidget):
    """The Z report's text and its buttons: Close the day, Print a copy, Back."""

    showRequested = Signal()  # the screen brings this page to the front
    backRequested = Signal()
    dayClosed = Signal()  # a report was issued (or found): the day's figures changed
    busyChanged = Signal(bool)  # printing: the screen's Z button waits too
    message = Signal(str, bool)  # for the screen's message line: the text, whether an error

    def __init__(
        self,
        *,
        zreports: ZReportService,
        history: SalesHistory,
        language: Callable[[], str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.zreports = zreports
        self._sales = history
        self._language = language
        self.day = ""
        self._pending_z: str | None = None  # the day the inline confirmation is for
        self._shown_z: ZReport | None = None
        self.last_output: ZOutput | None = None
        self.text = plain(QLabel())
        self.text.setObjectName("zReportText")
        self.text.setFont(font(19))
        self.text.setWordWrap(True)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.confirm = touch_button("zConfirmButton", "", 22)
        self.confirm.setStyleSheet(f"background: {GREEN}; color: white; border: none;")
        self.confirm.clicked.connect(self.on_confirm_clicked)
        self.print_copy = touch_button("zPrintCopyButton", "", 20)
        self.print_copy.clicked.connect(self.on_print_copy_clicked)
        self.back = touch_button("zBackButton", "", 20)
        self.back.clicked.connect(self.backRequested)
        # A long report text (many flagged sales) scrolls; it never pushes the window taller.
        scroll = QScrollArea()
        scroll.setObjectName("zReportScroll")
        scroll.setWidget(self.text)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        page = QVBoxLayout(self)
        page.setContentsMargins(0, 0, 0, 0)
        page.addWidget(scroll, 1)
        page.addWidget(self.confirm)
        page.addWidget(self.print_copy)
        page.addWidget(self.back)
        self.retranslate()

    def set_day(self, day: str) -> None:
        """The day the screen shows: the one Close the day is for."""
        self.day = day

    @asyncSlot()
    async def on_z_clicked(self) -> None:
        """Closed already: say so (and offer a copy). Else: confirm inline first."""
        if self.zreports.report_for(self.day) is not None:
            await self.close_day()
            return
        self._pending_z = self.day
        totals = self._sales.totals(self.day)
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
        still_open = self.zreports.open_flags()
        if still_open == 1:
            text += "\n\n" + self.tr(
                "1 sale still needs attention; the report will list it as open."
            )
        elif still_open:
            text += "\n\n" + self.tr(
                "%1 sales still need attention; the report will list them as open."
            ).replace("%1", str(still_open))
        self._show(text, confirm=True)

    @asyncSlot()
    async def on_confirm_clicked(self) -> None:
        if self._pending_z is not None and self._pending_z == self.day:
            await self.close_day()

    async def close_day(self) -> ZClosing | None:
        """Issue the day's Z report (or show the one issued before); the first time, output it."""
        self._pending_z = None
        try:
            closing = self.zreports.close_day(self.day)
        except KioskError as exc:
            self._shown_z = None
            self._show(exc.text.get(self._language()), confirm=False)
            return None
        self._shown_z = closing.report
        text = closing.text().get(self._language())
        self._show(
            "\n\n".join(t for t in (text, self._attention_text(closing.report)) if t), confirm=False
        )
        self.dayClosed.emit()
        if closing.issued:
            await self.output(copy=False)
        return closing

    @asyncSlot()
    async def on_print_copy_clicked(self) -> None:
        await self.output(copy=True)

    async def output(self, *, copy: bool) -> None:
        """Print the shown report (a copy is marked COPY) and make sure its PDF is saved."""
        report = self._shown_z
        if report is None:
            return
        self.print_copy.setEnabled(False)
        self.busyChanged.emit(True)
        self.message.emit(self.tr("Printing…"), False)
        try:
            out = await self.zreports.output(report, copy=copy)
        finally:
            self.print_copy.setEnabled(True)
            self.busyChanged.emit(False)
        self.last_output = out
        self.message.emit(out.text().get(self._language()), bool(out.errors))

    def _attention_text(self, report: ZReport) -> str:
        """The report's flagged sales, as it lists them ("" for a report issued before)."""
        if report.attention_open is None:
            return ""
        language = self._language()
        lines = [
            self.tr("Needs attention: %1 of the day's sales; %2 still open (any day).")
            .replace("%1", str(len(report.day_flags)))
            .replace("%2", str(report.attention_open))
        ]
        for flag in report.attention:  # the reasons are on the printed report
            done = (
                self.tr("still open")
                if flag.outcome is None
                else OUTCOME_TEXTS[flag.outcome].get(language)
            )
            lines.append(f"• {flag.kiosk_order_id}  {flag.amount.thb()}: {done}")
        return "\n".join(lines)

    def _show(self, text: str, *, confirm: bool) -> None:
        self.text.setText(text)
        self.confirm.setVisible(confirm)
        self.print_copy.setVisible(not confirm and self._shown_z is not None)
        self.showRequested.emit()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.confirm.setText(self.tr("Close the day"))
        self.print_copy.setText(self.tr("Print a copy"))
        self.back.setText(self.tr("Back"))


__all__ = ["ZReportPage"]
