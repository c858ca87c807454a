"""The day's figures in a strip of columns: paid (by method, late within it), then no money.

Paid, then paid by method and the late payments within paid, then the
outcomes that brought no money: pending, expired, cancelled, failed. State
and method names come from the one label table (``kiosk.domain.labels``).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QFrame, QGridLayout, QLabel, QWidget

from kiosk.domain.labels import method_label, state_label
from kiosk.domain.order import Method, OrderState
from kiosk.domain.reports import DayTotals, Tally
from kiosk.services.reports import StatusGroup
from kiosk.ui.i18n import count_text
from kiosk.ui.manager.model import STATUS_COLOURS
from kiosk.ui.plain import plain
from kiosk.ui.theme import AMBER, GREY, font, metrics, px

S = OrderState
TOTAL_ROWS = ("paid", "qr", "wechat", "late", "pending", "expired", "cancelled", "failed")
COLOURS = {
    "paid": STATUS_COLOURS[StatusGroup.PAID],
    "late": AMBER,
    "pending": STATUS_COLOURS[StatusGroup.PENDING],
    "expired": STATUS_COLOURS[StatusGroup.EXPIRED],
    "cancelled": STATUS_COLOURS[StatusGroup.CANCELLED],
    "failed": STATUS_COLOURS[StatusGroup.FAILED],
}


def tally_of(totals: DayTotals, key: str) -> Tally:
    return {
        "paid": totals.paid,
        "qr": totals.method(Method.QR),
        "wechat": totals.method(Method.WECHAT),
        "late": totals.late,
        "pending": totals.pending,
        "expired": totals.expired,
        "cancelled": totals.cancelled,
        "failed": totals.failed,
    }[key]


class TotalsPanel(QFrame):
    """One column per figure: its name, its amount, how many orders."""

    def __init__(self, *, language: Callable[[], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("totalsPanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._language = language
        grid = QGridLayout(self)
        grid.setContentsMargins(px(12), px(6), px(12), px(6))
        grid.setHorizontalSpacing(px(18))
        grid.setVerticalSpacing(0)
        self.names: dict[str, QLabel] = {}
        self.counts: dict[str, QLabel] = {}
        self.amounts: dict[str, QLabel] = {}
        self._tallies: dict[str, Tally] = {key: Tally() for key in TOTAL_ROWS}
        # Upright screens are narrow: two bands of four figures.
        per_band = 4 if metrics().portrait else len(TOTAL_ROWS)
        for i, key in enumerate(TOTAL_ROWS):
            self._add_column(grid, i % per_band, key, band=i // per_band)
        self.retranslate()

    def _add_column(self, grid: QGridLayout, column: int, key: str, *, band: int = 0) -> None:
        main = key == "paid"
        name, amount, count = plain(QLabel()), plain(QLabel("฿0.00")), plain(QLabel())
        name.setFont(font(16, bold=main))
        amount.setFont(font(24 if main else 19, bold=True))
        count.setFont(font(15))
        amount.setObjectName(f"total_{key}_amount")
        count.setObjectName(f"total_{key}_count")
        colour = COLOURS.get(key)
        for label in (name, amount):
            if colour:
                label.setStyleSheet(f"color: {colour};")
        count.setStyleSheet(f"color: {GREY};")
        grid.addWidget(name, 3 * band, column)
        grid.addWidget(amount, 3 * band + 1, column)
        grid.addWidget(count, 3 * band + 2, column)
        self.names[key], self.counts[key], self.amounts[key] = name, count, amount

    def set_totals(self, totals: DayTotals) -> None:
        for key in TOTAL_ROWS:
            self._tallies[key] = tally_of(totals, key)
        self._show()

    def count_of(self, key: str) -> int:
        return self._tallies[key].count

    def amount_of(self, key: str) -> Tally:
        return self._tallies[key]

    def _show(self) -> None:
        for key, tally in self._tallies.items():
            self.amounts[key].setText(tally.amount.thb())
            self.counts[key].setText(count_text(tally.count, *self._count_texts))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        language = self._language()
        names = {
            "paid": state_label(S.PAID, language),
            "qr": method_label(Method.QR, language),
            "wechat": method_label(Method.WECHAT, language),
            "late": self.tr("Paid late"),
            "pending": self.tr("Pending"),
            "expired": state_label(S.EXPIRED, language),
            "cancelled": state_label(S.CANCELLED, language),
            "failed": state_label(S.FAILED, language),
        }
        for key, label in self.names.items():
            label.setText(names[key])
        self._count_texts = (self.tr("1 order"), self.tr("%1 orders"))
        self._show()


__all__ = ["TOTAL_ROWS", "TotalsPanel", "tally_of"]
