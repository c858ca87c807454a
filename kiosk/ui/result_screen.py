"""Result screens: paid, failed/declined, expired, cancelled — unmistakable from afar.

After a sale that took no money (declined, failed, expired, cancelled) two
more buttons offer the same amount again: "Try again" (same method) and
"Use …" (the other method, when offered). Keys: Enter (or Esc) starts a new
sale, a digit or the point starts typing the next amount, plus (+) is "Try
again" and star (*) "Switch method".
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QHideEvent, QKeyEvent, QPainter, QPaintEvent, QPen, QShowEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from kiosk.domain.attention import CASHIER_TEXT
from kiosk.domain.errors import Text
from kiosk.domain.labels import METHOD_LABELS
from kiosk.domain.money import THAI_DIGITS
from kiosk.domain.order import BANGKOK, Method, Order, OrderState
from kiosk.ui.fitting import FitButton, FitLabel, restyle
from kiosk.ui.i18n import label as label_of
from kiosk.ui.plain import plain
from kiosk.ui.theme import AMBER, GREEN, GREY, RED, font, metrics, px

S = OrderState
COLOURS = {S.PAID: GREEN, S.FAILED: RED, S.EXPIRED: AMBER, S.CANCELLED: GREY}
RETRY_KEYS = (Qt.Key.Key_Plus,)
SWITCH_KEYS = (Qt.Key.Key_Asterisk,)


def can_charge_again(order: Order) -> bool:
    """A sale that ended without money and without doubt: the same amount may be charged again.

    Not a flagged one (do not hand over the goods: the manager looks first)
    and not one that broke off unrecorded (its outcome is unknown).
    """
    return (
        order.state in (S.FAILED, S.EXPIRED, S.CANCELLED)
        and order.state.is_final
        and not order.needs_attention
    )


def other_method(method: Method, offered: frozenset[Method]) -> Method | None:
    return next((m for m in Method if m is not method and m in offered), None)


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
    typedAhead = Signal(str)  # a key of the next amount, typed on the result screen
    chargeAgainRequested = Signal(object, object)  # Money, Method: "Try again" / "Use …"

    def __init__(
        self,
        *,
        clear_after_s: int,
        methods: frozenset[Method] = frozenset(Method),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("resultScreen")
        self._methods = methods
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
        self.new_sale.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.new_sale.clicked.connect(self.newSaleRequested)
        self.retry_button = FitButton()
        self.retry_button.setObjectName("tryAgainButton")
        self.switch_button = FitButton()
        self.switch_button.setObjectName("switchMethodButton")
        for button in (self.retry_button, self.switch_button):
            button.setFont(font(30, bold=True))
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.hide()
        self.retry_button.clicked.connect(self.try_again)
        self.switch_button.clicked.connect(self.switch_method)
        # New sale in the middle third, the two others beside it (their room kept
        # when hidden: New sale never moves); the three fit any screen's width.
        spacing = px(24)
        third = (metrics().area.width() - px(64) - 2 * spacing) // 3
        self.new_sale.setMinimumWidth(min(px(520), third))
        actions = QHBoxLayout()
        actions.setSpacing(spacing)
        row: tuple[QPushButton, ...] = (self.retry_button, self.new_sale, self.switch_button)
        for action in row:
            policy = action.sizePolicy()
            policy.setRetainSizeWhenHidden(True)
            action.setSizePolicy(policy)
            actions.addWidget(action, 1)
        self.keys_hint = FitLabel()  # the key map: one line, smaller rather than cut
        self.keys_hint.setObjectName("resultKeyHint")
        self.keys_hint.setFont(font(18))
        self.keys_hint.setStyleSheet(f"color: {GREY};")
        self.keys_hint.setAlignment(Qt.AlignmentFlag.AlignCenter)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(px(32), px(12), px(32), px(20))
        layout.addStretch(1)
        layout.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.title)
        layout.addWidget(self.amount)
        layout.addWidget(self.detail)
        layout.addStretch(1)
        layout.addLayout(actions)
        layout.addWidget(self.keys_hint)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

        self.clear_timer = QTimer(self)
        self.clear_timer.setSingleShot(True)
        self.clear_timer.timeout.connect(self.newSaleRequested)
        self._clear_after_ms = clear_after_s * 1000
        self.retranslate()

    def show_result(self, order: Order, *, reason: Text | None = None, language: str) -> None:
        self._order, self._reason, self._language = order, reason, language
        self.icon.set_state(order.state)
        self.amount.setText(order.amount.thb())
        restyle(self.title, f"color: {COLOURS.get(order.state, GREY)};")
        again = can_charge_again(order)
        self.retry_button.setVisible(again)
        other = other_method(order.method, self._methods)
        self.switch_button.setVisible(again and other is not None)
        self.retranslate()
        if self._clear_after_ms > 0:
            self.clear_timer.start(self._clear_after_ms)

    def order(self) -> Order | None:
        return self._order

    def set_methods(self, methods: frozenset[Method]) -> None:
        """The methods on offer ("Switch method" needs another one)."""
        self._methods = methods

    # --- charging the same amount again

    def try_again(self) -> None:
        order = self._order
        if order is not None and self.retry_button.isVisible():
            self.chargeAgainRequested.emit(order.amount, order.method)

    def switch_method(self) -> None:
        order = self._order
        if order is None or not self.switch_button.isVisible():
            return
        other = other_method(order.method, self._methods)
        if other is not None:
            self.chargeAgainRequested.emit(order.amount, other)

    # --- keyboard and numpad

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = Qt.Key(event.key())
        text = event.text().translate(THAI_DIGITS)
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape):
            self.newSaleRequested.emit()
        elif key in RETRY_KEYS:
            self.try_again()
        elif key in SWITCH_KEYS:
            self.switch_method()
        elif len(text) == 1 and text in "0123456789.":
            self.typedAhead.emit(text)  # the next sale starts with this key
        else:
            super().keyPressEvent(event)

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
        self.retry_button.setText(self.tr("Try again"))
        order = self._order
        keys = [self.tr("Keys: Enter new sale"), self.tr("digits type the next amount")]
        if self.retry_button.isVisibleTo(self):
            keys.append(self.tr("+ try again"))
        if self.switch_button.isVisibleTo(self):
            keys.append(self.tr("* switch method"))
        self.keys_hint.setText(" · ".join(keys))
        if order is None:
            return
        other = other_method(order.method, self._methods)
        if other is not None:
            self.switch_button.setText(
                self.tr("Use %1").replace("%1", label_of(METHOD_LABELS[other]))
            )
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
            restyle(self.title, f"color: {RED};")
            if self._reason is not None:
                lines.insert(0, self._reason.get(self._language))
            lines.insert(0, self.tr("Do not take the money again. Call the manager."))
        elif order.needs_attention:
            # The bank said "paid", but not this sale's money: the one thing to get across.
            self.title.setText(self.tr("Do not hand over the goods"))
            restyle(self.title, f"color: {RED};")
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
