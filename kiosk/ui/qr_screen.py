"""The QR screen: the code as large as the screen allows, amount, countdown, status, Cancel.

Touch safety: "Cancel sale" sits at the top of the side column, far from
where Charge was (the bottom right of the sale screen), so a double tap on
Charge lands on nothing. Cancelling takes a second, deliberate step: the
question replaces "Cancel sale" (a second tap there hits only its text),
with "Keep waiting" (the default: Enter and Esc) and "Yes, cancel" apart
below it. Keys: Esc asks; Enter does nothing; on the question Enter or Esc
keep waiting and minus (-) cancels.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.domain.clock import Clock
from kiosk.domain.events import Activity
from kiosk.domain.labels import METHOD_LONG_LABELS
from kiosk.domain.order import Order, OrderState
from kiosk.ui.fitting import FitLabel, reserve_for, restyle
from kiosk.ui.i18n import label
from kiosk.ui.plain import plain
from kiosk.ui.qr_view import QrView
from kiosk.ui.theme import AMBER, GREY, RED, font, metrics, px

SLOW_AFTER_MS = 1500  # a status check this slow shows "Checking…"


def mm_ss(seconds: float) -> str:
    whole = max(0, int(seconds + 0.999))  # 0.2 s left still shows 00:01
    return f"{whole // 60:02d}:{whole % 60:02d}"


CANCEL_KEYS = (Qt.Key.Key_Minus,)  # "Yes, cancel" from the keyboard or numpad


class QrScreen(QWidget):
    cancelRequested = Signal()
    promptShown = Signal()  # the cancel question appeared: a new thing to tap (touch guard)

    def __init__(self, *, shop_name: str, clock: Clock, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("qrScreen")
        self._clock = clock
        self._order: Order | None = None
        self._activity = Activity.OK
        self._slow = False

        self.qr = QrView()
        self.shop = plain(QLabel(shop_name))
        self.shop.setFont(font(26, bold=True))
        self.scan = plain(QLabel())
        self.scan.setFont(font(24))
        self.amount = FitLabel()  # readable from 2 m; shrinks rather than widen the column
        self.amount.setObjectName("qrAmount")
        self.amount.setFont(font(76, bold=True, readable=True))
        self.method = plain(QLabel())
        self.method.setFont(font(24))
        self.order_no = FitLabel()  # the whole id, smaller if it must be, never cut
        self.order_no.setObjectName("orderNumber")
        self.order_no.setFont(font(22))
        self.order_no.setStyleSheet(f"color: {GREY};")
        self.countdown = plain(QLabel())
        self.countdown.setObjectName("countdownLabel")
        self.countdown.setFont(font(56, bold=True, readable=True))
        self.progress = QProgressBar()
        self.progress.setObjectName("countdownBar")
        self.progress.setTextVisible(False)
        self.progress.setRange(0, 1000)
        self.status = plain(QLabel())
        self.status.setObjectName("statusLabel")
        self.status.setFont(font(36, readable=True))
        self.status.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)

        self.cancel_button = QPushButton()
        self.cancel_button.setObjectName("cancelButton")
        self.cancel_button.setFont(font(28, bold=True))
        self.cancel_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.cancel_button.clicked.connect(self.ask_to_cancel)
        self.cancel_page = QWidget()
        ask = QHBoxLayout(self.cancel_page)
        ask.setContentsMargins(0, 0, 0, 0)
        ask.addStretch(1)
        ask.addWidget(self.cancel_button, 0, Qt.AlignmentFlag.AlignTop)
        self.confirm_box = QWidget()
        self.confirm_label = plain(QLabel())
        self.confirm_label.setObjectName("confirmCancelQuestion")
        self.confirm_label.setFont(font(22))
        self.confirm_button = QPushButton()
        self.confirm_button.setObjectName("confirmCancelButton")
        self.confirm_button.setFont(font(26, bold=True))
        self.keep_button = QPushButton()
        self.keep_button.setObjectName("keepWaitingButton")
        self.keep_button.setFont(font(26))
        for button in (self.confirm_button, self.keep_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.confirm_button.clicked.connect(self._confirmed)
        self.keep_button.clicked.connect(self._keep_waiting)
        confirm = QVBoxLayout(self.confirm_box)
        confirm.setContentsMargins(0, 0, 0, 0)
        confirm.addWidget(self.confirm_label)
        row = QHBoxLayout()
        row.addWidget(self.confirm_button)
        row.addStretch(1)
        row.addWidget(self.keep_button)  # below where "Cancel sale" was
        confirm.addLayout(row)
        self.keys_hint = FitLabel()  # the key map: one line, smaller rather than cut
        self.keys_hint.setObjectName("qrKeyHint")
        self.keys_hint.setFont(font(18))
        self.keys_hint.setStyleSheet(f"color: {GREY};")
        self._lay_out(portrait=metrics().portrait)

        self._tick = QTimer(self)
        self._tick.setInterval(200)
        self._tick.timeout.connect(self.update_countdown)
        self._slow_timer = QTimer(self)
        self._slow_timer.setSingleShot(True)
        self._slow_timer.setInterval(SLOW_AFTER_MS)
        self._slow_timer.timeout.connect(self._on_slow)
        self.retranslate()

    def _lay_out(self, *, portrait: bool) -> None:
        """The QR as large as the screen allows beside (below, upright) a column of a fixed size.

        The column's size never follows what it shows, so the QR keeps its
        size when the cancel prompt opens or a status gets longer.
        """
        side_box = QWidget()
        side_box.setObjectName("qrSide")
        side = QVBoxLayout(side_box)
        side.setContentsMargins(0, 0, 0, 0)
        side.setSpacing(px(4))
        # The question takes the place of the button (one slot, the room of the
        # larger), at the top: away from where Charge was on the sale screen.
        self._actions = QStackedWidget()
        self._actions.setObjectName("qrActions")
        self._actions.addWidget(self.cancel_page)
        self._actions.addWidget(self.confirm_box)
        self.cancel_area = self._actions
        side.addWidget(self._actions)
        side.addWidget(self.shop)
        side.addWidget(self.scan)
        side.addWidget(self.amount)
        side.addWidget(self.method)
        side.addWidget(self.order_no)
        side.addStretch(1)
        side.addWidget(self.countdown)
        side.addWidget(self.progress)
        side.addWidget(self.status)
        side.addStretch(1)
        side.addWidget(self.keys_hint)
        area = metrics().area
        if portrait:
            self._side_width = area.width() - 2 * px(32)
            layout: QBoxLayout = QVBoxLayout(self)
            layout.setContentsMargins(px(32), px(12), px(32), px(16))
        else:
            # 45 % of the screen's width for the QR (still 12 cm on a 15" 1024x768
            # monitor: a phone reads it from a metre), the rest for the column.
            self._side_width = max(px(380), area.width() - area.width() * 45 // 100 - px(88))
            side_box.setFixedWidth(self._side_width)
            layout = QHBoxLayout(self)
            layout.setContentsMargins(px(24), px(12), px(32), px(16))
        layout.setSpacing(px(32))
        layout.addWidget(self.qr, 1)
        layout.addWidget(side_box)
        self._side_box = side_box

    def _reserve_room(self) -> None:
        """Heights for the longest status and prompt in this language; none follows the text."""
        width = self._side_width
        reserve_for(self.status, list(self._statuses().values()), width)
        reserve_for(self.confirm_label, [self.confirm_label.text()], width)
        self.confirm_box.adjustSize()
        height = max(self.confirm_box.sizeHint().height(), self.cancel_page.sizeHint().height())
        self._actions.setFixedHeight(height)
        if metrics().portrait:
            self._side_box.setFixedHeight(self._side_box.sizeHint().height())

    # --- showing an order

    def set_clock(self, clock: Clock) -> None:
        self._clock = clock

    def show_order(self, order: Order) -> None:
        self._order = order
        self._activity = Activity.OK
        self._slow = False
        self._show_cancel_page(asking=False)
        self.cancel_button.setEnabled(True)
        self.amount.setText(order.amount.thb())
        self._render_order()
        self._render_status()
        # After the texts: the code is drawn on a worker that holds the GIL, so
        # they are measured before it starts rather than in turns with it.
        self.qr.set_content(order.qr_payload, order.qr_image_png)
        self.update_countdown()  # (after set_content: greys out a code already expired)
        self._tick.start()

    def order(self) -> Order | None:
        return self._order

    def update_order(self, order: Order) -> None:
        """A journaled change of the order on screen."""
        if self._order is None or order.kiosk_order_id != self._order.kiosk_order_id:
            return
        self._order = order
        if order.state is not OrderState.AWAITING_PAYMENT:
            self.stop()
        self._render_status()

    def set_activity(self, activity: Activity) -> None:
        self._activity = activity
        if activity is Activity.CHECKING:
            self._slow_timer.start()
        else:
            self._slow_timer.stop()
            self._slow = False
        self._render_status()

    def _on_slow(self) -> None:
        self._slow = True
        self._render_status()

    def stop(self) -> None:
        self._tick.stop()
        self._slow_timer.stop()
        self.qr.set_inactive(True)
        self.cancel_button.setEnabled(False)
        self._show_cancel_page(asking=False)
        self.update_countdown()

    def update_countdown(self) -> None:
        order = self._order
        if order is None:
            return
        left = order.seconds_left(self._clock.now()) or 0.0
        self.countdown.setText(mm_ss(left))
        total = order.ttl_s or 1
        self.progress.setValue(int(1000 * left / total))
        if left <= 0 and order.state is OrderState.AWAITING_PAYMENT:
            self.qr.set_inactive(True)  # expired the moment the clock says so
        restyle(self.countdown, f"color: {AMBER};" if 0 < left <= 30 else "")

    def _statuses(self) -> dict[str, str]:
        """Every status the screen can show (the room kept for it fits the longest)."""
        return {
            "finishing": self.tr("Finishing…"),
            "problem": self.tr("Connection problem — still checking"),
            "checking": self.tr("Checking…"),
            "time_up": self.tr("Time is up — checking one last time…"),
            "waiting": self.tr("Waiting for payment…"),
        }

    def _render_status(self) -> None:
        order = self._order
        colour = ""
        texts = self._statuses()
        if order is not None and order.state is not OrderState.AWAITING_PAYMENT:
            text = texts["finishing"]
        elif self._activity is Activity.CONNECTION_PROBLEM:
            text, colour = texts["problem"], RED
        elif self._slow:
            text = texts["checking"]
        elif order is not None and order.has_expired(self._clock.now()):
            text = texts["time_up"]
        else:
            text = texts["waiting"]
        self.status.setText(text)
        restyle(self.status, f"color: {colour};" if colour else "")

    # --- cancel, with an inline confirmation (no modal dialog)

    def asking(self) -> bool:
        """Whether the cancel question is on screen."""
        return self._actions.currentWidget() is self.confirm_box

    def ask_to_cancel(self) -> None:
        if not self.cancel_button.isEnabled() or self.asking():
            return
        self._show_cancel_page(asking=True)
        self.promptShown.emit()

    def _keep_waiting(self) -> None:
        self._show_cancel_page(asking=False)

    def _confirmed(self) -> None:
        if not self.asking():
            return
        self._show_cancel_page(asking=False)
        self.cancel_button.setEnabled(False)
        self.cancelRequested.emit()

    def _show_cancel_page(self, *, asking: bool) -> None:
        self._actions.setCurrentWidget(self.confirm_box if asking else self.cancel_page)
        self._render_hint()

    # --- keyboard and numpad

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.setFocus()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = Qt.Key(event.key())
        if self.asking():
            if key in (Qt.Key.Key_Escape, Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._keep_waiting()  # the default answer
            elif key in CANCEL_KEYS:
                self._confirmed()
            return
        if key == Qt.Key.Key_Escape:
            self.ask_to_cancel()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            return  # nothing: an Enter meant for the sale screen must not act here
        else:
            super().keyPressEvent(event)

    def _render_hint(self) -> None:
        if self.asking():
            text = self.tr("Keys: Enter or Esc keep waiting · - cancels")
        else:
            text = self.tr("Keys: Esc asks to cancel the sale")
        self.keys_hint.setText(text)

    # --- language

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        """Every text in the current language, and the room the longest of them needs.

        Only on a language change: a new order sets only its own texts
        (``show_order``), so showing the QR measures no prompt or status again.
        """
        self.scan.setText(self.tr("Scan to pay"))
        self.cancel_button.setText(self.tr("Cancel sale"))
        self.confirm_label.setText(self.tr("Cancel this sale? The QR code will stop working."))
        self.confirm_button.setText(self.tr("Yes, cancel"))
        self.keep_button.setText(self.tr("Keep waiting"))
        self._render_hint()
        self._reserve_room()
        self._render_order()
        self._render_status()

    def _render_order(self) -> None:
        if self._order is not None:
            self.method.setText(label(METHOD_LONG_LABELS[self._order.method]))
            self.order_no.setText(self.tr("Order %1").replace("%1", self._order.kiosk_order_id))
