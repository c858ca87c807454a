"""The Z page: confirm inline, close the batch with a Z report, print it, save its PDF.

``ZReportPage`` answers the bottom row's "Close the day (Z)": a Z closes the
batch, every sale journaled since the previous Z (any number a day). With
nothing journaled since, the page says so (and offers a copy of the last);
otherwise it asks first, naming the number the report will get, since when
it runs, how many orders are still open (listed as open at the close and
counted where they settle) and how many sales still need the manager's
attention. Issuing prints the report and saves its PDF; the outcome goes to
the screen's message line (``message``). The report shown ends with its list
of flagged sales (``kiosk.services.zflags``).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget
from qasync import asyncSlot

from kiosk.domain.attention import OUTCOME_TEXTS
from kiosk.domain.errors import KioskError
from kiosk.domain.thaidate import format_datetime, unbreakable
from kiosk.services.history import SalesHistory
from kiosk.services.zreport import ZClosing, ZOutput, ZReport, ZReportService
from kiosk.ui.i18n import count_text
from kiosk.ui.manager.common import touch_button
from kiosk.ui.plain import plain
from kiosk.ui.theme import GREEN, font

_DATE_TIME = re.compile(r"\d\d/\d\d/\d{4} \d\d:\d\d")


def whole_dates(text: str) -> str:
    """``text`` with each date and time in it kept on one line when the label wraps."""
    return _DATE_TIME.sub(lambda m: unbreakable(m.group(0)), text)


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
        self._pending_z: int | None = None  # the Z number the inline confirmation is for
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
        """The day the screen shows (a Z closes the batch, whatever the day)."""
        self.day = day

    @asyncSlot()
    async def on_z_clicked(self) -> None:
        """Nothing to close: say so (and offer a copy of the last). Else: confirm inline first."""
        try:
            figures = self.zreports.pending()
            still_open = self.zreports.open_flags()
        except KioskError as exc:
            self._shown_z = None
            self._show(exc.text.get(self._language()), confirm=False)
            return
        if figures is None:
            closing = ZClosing(self.zreports.latest(), issued=False)
            self._shown_z = closing.report
            self._show(whole_dates(closing.text().get(self._language())), confirm=False)
            return
        self._pending_z = figures.number
        opened = unbreakable(format_datetime(figures.opened_at, self._language()))
        text = (
            self.tr(
                "Issue Z report %1? It closes every sale since %2. Once issued it cannot be"
                " changed."
            )
            .replace("%1", figures.number_text)
            .replace("%2", opened)
        )
        still_pending = figures.totals.pending.count
        if still_pending:
            text += "\n\n" + count_text(
                still_pending,
                self.tr(
                    "1 order is still open: the report lists it, and it is counted when it settles."
                ),
                self.tr(
                    "%1 orders are still open: the report lists them, and each is counted"
                    " when it settles."
                ),
            )
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
        if self._pending_z is not None:
            await self.close_batch()

    async def close_batch(self) -> ZClosing | None:
        """Issue the open batch's Z report (or say there is nothing to close); output it."""
        self._pending_z = None
        try:
            closing = self.zreports.close()
        except KioskError as exc:
            self._shown_z = None
            self._show(exc.text.get(self._language()), confirm=False)
            return None
        self._shown_z = closing.report
        text = whole_dates(closing.text().get(self._language()))
        if closing.issued and closing.report is not None:
            text = "\n\n".join(t for t in (text, self._attention_text(closing.report)) if t)
        self._show(text, confirm=False)
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
            self.tr("Needs attention: %1 of this batch's sales; %2 still open (any day).")
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
