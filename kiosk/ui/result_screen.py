"""Result screens: paid, failed/declined, expired, cancelled — unmistakable from afar."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QHideEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.domain.attention import CASHIER_TEXT
from kiosk.domain.errors import Text
from kiosk.domain.order import BANGKOK, Order, OrderState
from kiosk.ui.fitting import FitLabel
from kiosk.ui.plain import plain
from kiosk.ui.theme import AMBER, GREEN, GREY, RED, font, metrics, px

S = OrderState
COLOURS = {S.PAID: GREEN, S.FAILED: RED, S.EXPIRED: AMBER, S.CANCELLED: GREY}


class ResultIcon(QWidget):
    """A filled circle with a tick, a cross, or a clock hand, painted to any size."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = S.PAID
        self.setFixedSize(QSize(px(160), px(160)))

    def set_state(self, state: OrderState) -> None:
        self.state = state
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        side = min(self.width(), self.height()) - 8
        box = QRectF((self.width() - side) / 2, (self.height() - side) / 2, side, side)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor(COLOURS.get(self.state, GREY)))
        p.drawEllipse(box)
        pen = QPen(QColor("white"), side * 0.1)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        p.setPen(pen)
        c, r = box.center(), side / 2
        if self.state is S.PAID:
            p.drawPolyline(
                [
                    QPointF(c.x() - r * 0.45, c.y() + r * 0.02),
                    QPointF(c.x() - r * 0.12, c.y() + r * 0.35),
                    QPointF(c.x() + r * 0.5, c.y() - r * 0.35),
                ]
            )
        elif self.state is S.EXPIRED:
            p.drawLine(c, QPointF(c.x(), c.y() - r * 0.55))
            p.drawLine(c, QPointF(c.x() + r * 0.4, c.y()))
        else:
            d = r * 0.4
            p.drawLine(QPointF(c.x() - d, c.y() - d), QPointF(c.x() + d, c.y() + d))
            p.drawLine(QPointF(c.x() + d, c.y() - d), QPointF(c.x() - d, c.y() + d))
        p.end()


class ResultScreen(QWidget):
    newSaleRequested = Signal()

    def __init__(self, *, clear_after_s: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("resultScreen")
        self._order: Order | None = None
        self._reason: Text | None = None
        self._language = "en"
        self.icon = ResultIcon()
        self.title = FitLabel()  # one line, smaller rather than cut when the words are long
        self.title.setObjectName("resultTitle")
        self.title.setFont(font(84, bold=True))
        self.amount = FitLabel()
        self.amount.setObjectName("resultAmount")
        self.amount.setFont(font(60, bold=True, readable=True))
        self.detail = plain(QLabel())
        self.detail.setObjectName("resultDetail")
        self.detail.setFont(font(28))
        self.detail.setWordWrap(True)
        for label in (self.title, self.amount, self.detail):
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.new_sale = QPushButton()
        self.new_sale.setObjectName("newSaleButton")
        self.new_sale.setFont(font(40, bold=True))
        self.new_sale.setMinimumWidth(min(px(520), metrics().area.width() - px(64)))
        self.new_sale.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.new_sale.clicked.connect(self.newSaleRequested)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(px(32), px(12), px(32), px(20))
        layout.addStretch(1)
        layout.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.title)
        layout.addWidget(self.amount)
        layout.addWidget(self.detail)
        layout.addStretch(1)
        layout.addWidget(self.new_sale, 0, Qt.AlignmentFlag.AlignHCenter)

        self.clear_timer = QTimer(self)
        self.clear_timer.setSingleShot(True)
        self.clear_timer.timeout.connect(self.newSaleRequested)
        self._clear_after_ms = clear_after_s * 1000
        self.retranslate()

    def show_result(self, order: Order, *, reason: Text | None = None, language: str) -> None:
        self._order, self._reason, self._language = order, reason, language
        self.icon.set_state(order.state)
        self.amount.setText(order.amount.thb())
        self.title.setStyleSheet(f"color: {COLOURS.get(order.state, GREY)};")
        self.retranslate()
        if self._clear_after_ms > 0:
            self.clear_timer.start(self._clear_after_ms)

    def order(self) -> Order | None:
        return self._order

    def hideEvent(self, event: QHideEvent) -> None:
        self.clear_timer.stop()
        super().hideEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def set_language(self, language: str) -> None:
        self._language = language
        self.retranslate()

    def retranslate(self) -> None:
        self.new_sale.setText(self.tr("New sale"))
        order = self._order
        if order is None:
            return
        titles = {
            S.PAID: self.tr("Paid"),
            S.FAILED: self.tr("Payment failed"),
            S.EXPIRED: self.tr("QR code expired"),
            S.CANCELLED: self.tr("Sale cancelled"),
        }
        self.title.setText(titles.get(order.state, order.state.value))
        at = (order.paid_at or order.updated_at or order.created_at).astimezone(BANGKOK)
        lines = [f"{at:%H:%M:%S} · {order.kiosk_order_id}"]
        if not order.state.is_final:
            # The sale broke off (the journal could not be written): nothing is settled.
            self.title.setText(self.tr("Sale not recorded"))
            self.title.setStyleSheet(f"color: {RED};")
            if self._reason is not None:
                lines.insert(0, self._reason.get(self._language))
            lines.insert(0, self.tr("Do not take the money again. Call the manager."))
        elif order.needs_attention:
            # The bank said "paid", but not this sale's money: the one thing to get across.
            self.title.setText(self.tr("Do not hand over the goods"))
            self.title.setStyleSheet(f"color: {RED};")
            lines.insert(0, CASHIER_TEXT.get(self._language))
        elif order.state is S.PAID and order.late:
            lines.insert(0, self.tr("Late payment: the money arrived after the sale had ended."))
        elif order.state is S.FAILED:
            if order.failure_code == "declined":
                lines.insert(0, self.tr("The customer's bank declined the payment."))
            elif self._reason is not None:
                lines.insert(0, self._reason.get(self._language))
            else:
                lines.insert(0, self.tr("The payment could not be completed."))
        elif order.state is S.EXPIRED:
            lines.insert(0, self.tr("No payment arrived in time. No money was taken."))
        elif order.state is S.CANCELLED:
            lines.insert(0, self.tr("No money was taken."))
        self.detail.setText("\n".join(lines))
