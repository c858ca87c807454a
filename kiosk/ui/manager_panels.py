"""Panels of the manager screen: the day's totals, one order's detail and history."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.domain.order import BANGKOK, Method, Order, OrderState, Transition
from kiosk.domain.reports import DayTotals, Tally
from kiosk.services.reports import StatusGroup
from kiosk.ui.manager_model import STATUS_COLOURS
from kiosk.ui.theme import AMBER, GREY, font

S = OrderState
TOTAL_ROWS = ("paid", "qr", "wechat", "late", "pending", "expired", "cancelled", "failed")


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
    """The day's figures in a strip of columns: name, amount, count.

    Paid, then paid by method and the late payments within paid, then the
    outcomes that brought no money: pending, expired, cancelled, failed.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("totalsPanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        grid = QGridLayout(self)
        grid.setContentsMargins(12, 6, 12, 6)
        grid.setHorizontalSpacing(18)
        grid.setVerticalSpacing(0)
        self.names: dict[str, QLabel] = {}
        self.counts: dict[str, QLabel] = {}
        self.amounts: dict[str, QLabel] = {}
        self._tallies: dict[str, Tally] = {key: Tally() for key in TOTAL_ROWS}
        colours = {
            "paid": STATUS_COLOURS[StatusGroup.PAID],
            "late": AMBER,
            "pending": STATUS_COLOURS[StatusGroup.PENDING],
            "expired": STATUS_COLOURS[StatusGroup.EXPIRED],
            "cancelled": STATUS_COLOURS[StatusGroup.CANCELLED],
            "failed": STATUS_COLOURS[StatusGroup.FAILED],
        }
        for column, key in enumerate(TOTAL_ROWS):
            main = key == "paid"
            name, amount, count = QLabel(), QLabel("฿0.00"), QLabel()
            name.setFont(font(16, bold=main))
            amount.setFont(font(24 if main else 19, bold=True))
            count.setFont(font(15))
            amount.setObjectName(f"total_{key}_amount")
            count.setObjectName(f"total_{key}_count")
            colour = colours.get(key)
            for label in (name, amount):
                if colour:
                    label.setStyleSheet(f"color: {colour};")
            count.setStyleSheet(f"color: {GREY};")
            grid.addWidget(name, 0, column)
            grid.addWidget(amount, 1, column)
            grid.addWidget(count, 2, column)
            self.names[key], self.counts[key], self.amounts[key] = name, count, amount
        self.closed = QLabel()
        self.closed.setObjectName("zStatusLabel")
        self.closed.setFont(font(15))
        self.closed.setStyleSheet(f"color: {GREY};")
        # Shown by the screen in its title row (kept here with the day's figures).
        self.retranslate()

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
            self.counts[key].setText(self._count_text.replace("%1", f"{tally.count:,}"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        names = {
            "paid": self.tr("Paid"),
            "qr": self.tr("Thai QR"),
            "wechat": self.tr("WeChat Pay"),
            "late": self.tr("Paid late"),
            "pending": self.tr("Pending"),
            "expired": self.tr("Expired"),
            "cancelled": self.tr("Cancelled"),
            "failed": self.tr("Failed"),
        }
        for key, label in self.names.items():
            label.setText(names[key])
        self._count_text = self.tr("%1 orders")
        self._show()


class OrderDetail(QFrame):
    """The selected order: its fields, every status change, and a receipt button."""

    reprintRequested = Signal(object)  # Order

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("orderDetail")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self._order: Order | None = None
        self._history: list[Transition] = []
        self._state_names: dict[OrderState, str] = {}
        self._reprint_possible = False
        self.heading = QLabel()
        self.heading.setObjectName("detailHeading")
        self.heading.setFont(font(20, bold=True))
        self.heading.setWordWrap(True)
        self.fields = QLabel()
        self.fields.setObjectName("detailFields")
        self.fields.setFont(font(16))
        self.fields.setWordWrap(True)
        self.fields.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.history_title = QLabel()
        self.history_title.setFont(font(18, bold=True))
        self.history = QListWidget()
        self.history.setObjectName("detailHistory")
        self.history.setFont(font(16))
        self.history.setMinimumHeight(60)
        self.history.setWordWrap(True)
        self.history.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.history.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.reprint = QPushButton()
        self.reprint.setObjectName("reprintButton")
        self.reprint.setFont(font(20, bold=True))
        self.reprint.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.reprint.clicked.connect(self.on_reprint_clicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 14, 10)
        layout.setSpacing(6)
        layout.addWidget(self.heading)
        layout.addWidget(self.fields)
        layout.addWidget(self.history_title)
        layout.addWidget(self.history, 1)
        layout.addWidget(self.reprint)
        self.retranslate()

    def order(self) -> Order | None:
        return self._order

    def set_reprint_possible(self, possible: bool) -> None:
        """False when no receipt service runs (no archive): the button stays hidden."""
        self._reprint_possible = possible
        self.refresh()

    def show_order(self, order: Order | None, history: list[Transition]) -> None:
        self._order, self._history = order, history
        self.refresh()

    def on_reprint_clicked(self) -> None:
        if self._order is not None:
            self.reprintRequested.emit(self._order)

    def refresh(self) -> None:
        order = self._order
        self.reprint.setVisible(self._reprint_possible and order is not None)
        self.reprint.setEnabled(order is not None and order.state.is_final)
        self.history.setVisible(order is not None)
        self.history.clear()
        if order is None:
            self.heading.setText(self.tr("Touch an order to see its details."))
            self.fields.setText("")
            self.history_title.setText("")
            return
        self.heading.setText(f"{order.kiosk_order_id}   {order.amount.thb()}")
        name = self._state_names.get(order.state, order.state.value)
        if order.late:
            name += " — " + self.tr("late payment")
        rows = [
            (self.tr("Status"), name),
            (self.tr("Rung up"), _when(order.created_at)),
            (self.tr("Paid at"), _when(order.paid_at) if order.paid_at else ""),
            (self.tr("Gateway order"), order.gateway_order_id or "—"),
            (self.tr("Charge"), order.gateway_charge_id or ""),
            (self.tr("Reference"), order.reference_order or ""),
        ]
        if order.failure_code or order.failure_message:
            reason = order.failure_message or order.failure_code or ""
            rows.append((self.tr("Reason"), reason))
        self.fields.setText("\n".join(f"{label}: {value}" for label, value in rows if value))
        self.history_title.setText(self.tr("Status history"))
        self.history.addItem(f"{_when(order.created_at)}   → {self._state_names[S.NEW]}")
        for move in self._history:
            line = (
                f"{_when(move.at)}   {self._state_names[move.from_state]}"
                f" → {self._state_names[move.to_state]}"
            )
            if move.failure_code:
                line += f"  ({move.failure_code})"
            self.history.addItem(line)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self._state_names = {
            S.NEW: self.tr("New"),
            S.CREATING: self.tr("Creating"),
            S.AWAITING_PAYMENT: self.tr("Awaiting payment"),
            S.PAID: self.tr("Paid"),
            S.FAILED: self.tr("Failed"),
            S.EXPIRED: self.tr("Expired"),
            S.CANCELLED: self.tr("Cancelled"),
        }
        self.reprint.setText(self.tr("Print receipt again"))
        self.refresh()


def _when(at: datetime | None) -> str:
    return "—" if at is None else at.astimezone(BANGKOK).strftime("%H:%M:%S")
