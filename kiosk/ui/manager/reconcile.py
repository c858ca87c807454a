"""The reconcile page: ask the bank about every open order, show the progress, then what changed.

``ReconcilePage.run`` drives one pass of the recovery service (``Reconciler``):
a busy bar until the number of open orders is known, then "n of m", then
one line per order that changed or could not be checked, and a summary.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QEvent, Signal
from PySide6.QtWidgets import QLabel, QListWidget, QProgressBar, QVBoxLayout, QWidget

from kiosk.domain.errors import KioskError
from kiosk.domain.labels import state_label
from kiosk.services.recovery import RecoveryReport
from kiosk.ui.i18n import count_text
from kiosk.ui.manager.common import touch_button
from kiosk.ui.plain import plain
from kiosk.ui.theme import font

log = logging.getLogger("kiosk.ui.manager")


class Reconciler(Protocol):
    """What Reconcile needs: ``kiosk.services.recovery.RecoveryService``."""

    async def run(
        self, on_progress: Callable[[int, int], None] | None = None
    ) -> RecoveryReport: ...


class ReconcilePage(QWidget):
    """One reconcile run: a title that says how far it got, a progress bar, the changes."""

    doneRequested = Signal()

    def __init__(
        self,
        *,
        reconciler: Reconciler,
        language: Callable[[], str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.reconciler = reconciler
        self._language = language
        self.title = plain(QLabel())
        self.title.setFont(font(20, bold=True))
        self.title.setWordWrap(True)
        self.progress = QProgressBar()
        self.progress.setObjectName("reconcileProgress")
        self.progress.setTextVisible(False)
        self.changes = QListWidget()
        self.changes.setObjectName("reconcileList")
        self.changes.setFont(font(17))
        self.changes.setWordWrap(True)
        self.done = touch_button("reconcileDoneButton", "", 20)
        self.done.clicked.connect(self.doneRequested)
        page = QVBoxLayout(self)
        page.setContentsMargins(0, 0, 0, 0)
        page.addWidget(self.title)
        page.addWidget(self.progress)
        page.addWidget(self.changes, 1)
        page.addWidget(self.done)
        self.retranslate()

    async def run(self) -> RecoveryReport | None:
        """One pass; its report once shown, or None if it failed (the title says why)."""
        self.done.setEnabled(False)
        self.changes.clear()
        self.title.setText(self.tr("Checking open orders with the bank…"))
        self.progress.setRange(0, 0)  # busy until the count is known
        try:
            report = await self.reconciler.run(on_progress=self.on_progress)
        except KioskError as exc:
            log.error("reconcile failed: %s", exc)
            self.title.setText(exc.text.get(self._language()))
            self.progress.setRange(0, 1)
            return None
        finally:
            self.done.setEnabled(True)
        self.show_report(report)
        return report

    def on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done if total else 1)
        self.title.setText(
            self.tr("Checking open orders with the bank… %1 of %2")
            .replace("%1", str(done))
            .replace("%2", str(total))
        )

    def show_report(self, report: RecoveryReport) -> None:
        language = self._language()
        for before, after in report.changes:
            late = " — " + self.tr("late payment") if after.late else ""
            self.changes.addItem(
                f"{after.kiosk_order_id}  {after.amount.thb()}\n    "
                f"{state_label(before.state, language)} → {state_label(after.state, language)}"
                f"{late}"
            )
        for order, exc in report.postponed:
            self.changes.addItem(
                f"{order.kiosk_order_id}  {order.amount.thb()}\n    "
                + self.tr("not checked: %1").replace("%1", exc.text.get(language))
            )
        summary = (
            count_text(
                report.checked,
                self.tr("1 open order checked: %2 changed, %3 not checked, %4 still open."),
                self.tr("%1 open orders checked: %2 changed, %3 not checked, %4 still open."),
            )
            .replace("%2", str(len(report.changes)))
            .replace("%3", str(len(report.postponed)))
            .replace("%4", str(len(report.still_open)))
        )
        if not report.checked:
            summary = self.tr("No open orders: nothing to check.")
        self.title.setText(summary)
        self.progress.setRange(0, 1)
        self.progress.setValue(1)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.done.setText(self.tr("Done"))


__all__ = ["ReconcilePage", "Reconciler"]
