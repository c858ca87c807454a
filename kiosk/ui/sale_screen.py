"""The sale screen: a huge amount, a touch keypad (and the physical keyboard), method, Charge.

The bill number (the main till's sale reference, kiosk.domain.documents) is
a small field beside the methods. Digits go to the amount, so the field takes
the keys only once it has the focus: a tap on it, or F2. A USB barcode
scanner types like a keyboard and ends with Enter: Enter (or Esc) in the
field gives the keys back to the amount and never charges.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.domain.documents import sale_ref_of
from kiosk.domain.errors import InvalidAmount, InvalidSaleRef, Text
from kiosk.domain.labels import METHOD_LONG_LABELS
from kiosk.domain.money import THAI_DIGITS, Money, parse_sale_amount
from kiosk.domain.order import Method
from kiosk.ui.fitting import FitLabel, reserve_lines, restyle
from kiosk.ui.i18n import label
from kiosk.ui.keypad import keypad_grid
from kiosk.ui.theme import GREY, RED, font, metrics, px, touch

MAX_INTEGER_DIGITS = 9
TOO_MANY_DECIMALS = Text("Use at most 2 digits after the decimal point.", "ใส่ทศนิยมได้ไม่เกิน 2 ตำแหน่ง")


class AmountEntry:
    """What the cashier has typed, one key at a time (no Qt)."""

    def __init__(self) -> None:
        self.text = ""

    def press(self, key: str) -> Text | None:
        """Apply a key; returns a message when the key was refused."""
        if key == "C":
            self.text = ""
        elif key == "⌫":
            self.text = self.text[:-1]
        elif key == ".":
            if "." not in self.text:
                self.text = (self.text or "0") + "."
        elif key in ("00", *"0123456789"):
            whole, dot, decimals = self.text.partition(".")
            if dot and len(decimals) + len(key) > 2:
                return TOO_MANY_DECIMALS
            if not dot:
                if whole in ("", "0"):
                    whole = ""
                    key = key.lstrip("0") or ("" if key == "00" else "0")
                if len(whole + key) > MAX_INTEGER_DIGITS:
                    return None
            self.text = whole + dot + decimals + key
        return None

    def display(self) -> str:
        whole, dot, decimals = self.text.partition(".")
        return f"฿{int(whole or '0'):,}{dot}{decimals}"


KEYS = ("7", "8", "9", "4", "5", "6", "1", "2", "3", "00", "0", ".")
# Laid out by kiosk.ui.keypad.keypad_grid: 7-8-9 on top, as the PIN pad.
# The decimal point is "." only, as for `kiosk charge`: the one amount parser
# (kiosk.domain.money.parse_amount) reads a comma as a thousands separator,
# so a comma key that typed "." would make "12,5" mean two different amounts.
# A comma is refused with the reason instead; the display adds the commas.
NO_COMMA = Text(
    "Type the amount without commas; use the point (.) for satang.",
    "พิมพ์จำนวนเงินโดยไม่ต้องใส่จุลภาค ใช้จุด (.) สำหรับสตางค์",
)
KEYBOARD = {
    Qt.Key.Key_Period: ".",
    Qt.Key.Key_Backspace: "⌫",
    Qt.Key.Key_Delete: "C",
    Qt.Key.Key_Escape: "C",
}


class SaleRefField(QLineEdit):
    """The bill-number field: Enter and Esc end the entry here (``finished``), never charge.

    A QLineEdit leaves Enter to its parent, and the sale screen's Enter
    charges: a scanner's Enter would start a sale. So the field keeps Enter.
    """

    finished = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if Qt.Key(event.key()) in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape):
            event.accept()
            self.finished.emit()
            return
        super().keyPressEvent(event)


class SaleScreen(QWidget):
    chargeRequested = Signal(object, object)  # Money, Method
    languageRequested = Signal()
    aboutRequested = Signal()
    managerRequested = Signal()

    def __init__(
        self,
        *,
        shop_name: str,
        max_amount: Money,
        methods: frozenset[Method],
        language: str = "en",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("saleScreen")
        self._max = max_amount
        self._language = language
        self._busy = False
        self._ready = False  # Charge waits for the journal and gateway to be up
        self._offline: Text | None = None  # why Charge is off while the gateway is unreachable
        self._refusal: Text | None = None
        self._error: Text | None = None  # from the last Charge; stays until the next key
        self.entry = AmountEntry()

        self.shop = FitLabel(shop_name)  # plain text: the shop name is a setting
        self.shop.setFont(font(30, bold=True))
        self.language_button = QPushButton()
        self.language_button.setObjectName("languageButton")
        self.language_button.setFont(font(22))
        self.language_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.language_button.clicked.connect(self.languageRequested)
        self.about_button = QPushButton()  # small: version and paths, for the installer
        self.about_button.setObjectName("aboutButton")
        self.about_button.setFont(font(18))
        self.about_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.about_button.clicked.connect(self.aboutRequested)
        self.manager_button = QPushButton()  # small: the manager's screen, behind the PIN
        self.manager_button.setObjectName("managerButton")
        self.manager_button.setFont(font(18))
        self.manager_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.manager_button.clicked.connect(self.managerRequested)

        # Readable from 2 m; shrinks rather than widen the screen for a long amount.
        self.amount = FitLabel()
        self.amount.setObjectName("amountDisplay")
        self.amount.setFont(font(104, bold=True, readable=True))
        self.amount.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.message = QLabel()
        self.message.setTextFormat(Qt.TextFormat.PlainText)  # may carry a gateway's words
        self.message.setObjectName("amountMessage")
        self.message.setFont(font(26))
        self.message.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        # Two lines kept for it whatever it says: an error never moves the keypad.
        reserve_lines(self.message, 2)

        self.keys: dict[str, QPushButton] = {}
        for key in (*KEYS, "⌫", "C"):
            button = QPushButton(key)
            button.setObjectName(f"key_{ {'.': 'dot', '⌫': 'back'}.get(key, key) }")
            button.setFont(font(40, bold=True))
            button.setProperty("keypad", True)  # style: smaller minimum, grows to fit
            button.setMinimumSize(touch(88), touch(56))
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _=False, k=key: self.press(k))
            self.keys[key] = button

        self.method_group = QButtonGroup(self)
        self.method_group.setExclusive(True)
        self.method_buttons: dict[Method, QPushButton] = {}
        for method, name in ((Method.QR, "methodQr"), (Method.WECHAT, "methodWechat")):
            button = QPushButton()
            button.setObjectName(name)
            button.setCheckable(True)
            button.setFont(font(28, bold=True))
            button.setMinimumHeight(touch(72))
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setVisible(method in methods)
            self.method_group.addButton(button)
            self.method_buttons[method] = button
        self._methods = methods
        self.select_method(self.default_method())
        self.ref_label = QLabel()
        self.ref_label.setObjectName("saleRefLabel")
        self.ref_label.setFont(font(20))
        self.ref_label.setTextFormat(Qt.TextFormat.PlainText)
        self.sale_ref = SaleRefField()
        self.sale_ref.setObjectName("saleRefField")
        self.sale_ref.setFont(font(24))
        self.sale_ref.setMinimumHeight(touch(56))
        # Not on Tab and not by default: digits belong to the amount until it is tapped (or F2).
        self.sale_ref.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.sale_ref.textChanged.connect(lambda _: self._ref_edited())
        self.sale_ref.finished.connect(self.setFocus)
        self.charge_button = QPushButton()
        self.charge_button.setObjectName("chargeButton")
        self.charge_button.setFont(font(44, bold=True))
        self.charge_button.setMinimumHeight(touch(104))
        self.charge_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.charge_button.clicked.connect(self.request_charge)
        self.keys_hint = FitLabel()  # the key map: one line, smaller rather than cut
        self.keys_hint.setObjectName("saleKeyHint")
        self.keys_hint.setFont(font(18))
        self.keys_hint.setStyleSheet(f"color: {GREY};")
        self._lay_out(portrait=metrics().portrait)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.retranslate()
        self.refresh()

    def _lay_out(self, *, portrait: bool) -> None:
        """Landscape: keypad left, method and Charge right. Portrait: one column."""
        top = QHBoxLayout()
        top.setSpacing(px(10))
        top.addWidget(self.shop, 1)
        top.addWidget(self.manager_button)
        top.addWidget(self.about_button)
        top.addWidget(self.language_button)
        keypad = keypad_grid(self.keys, spacing=px(10))
        methods = QBoxLayout(
            QBoxLayout.Direction.LeftToRight if portrait else QBoxLayout.Direction.TopToBottom
        )
        methods.setSpacing(px(16))
        for button in self.method_buttons.values():
            methods.addWidget(button)
        side = QVBoxLayout()
        side.setSpacing(px(16))
        ref = QHBoxLayout()
        ref.setSpacing(px(10))
        ref.addWidget(self.ref_label)
        ref.addWidget(self.sale_ref, 1)
        side.addLayout(ref)
        side.addLayout(methods)
        side.addStretch(1)
        side.addWidget(self.charge_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(px(32), px(8), px(32), px(12))
        layout.setSpacing(px(6))
        layout.addLayout(top)
        layout.addWidget(self.amount)
        layout.addWidget(self.message)
        if portrait:
            layout.addLayout(keypad, 1)
            layout.addSpacing(px(16))
            layout.addLayout(side)
        else:
            bottom = QHBoxLayout()
            bottom.setSpacing(px(24))
            bottom.addLayout(keypad, 3)
            bottom.addLayout(side, 2)
            layout.addLayout(bottom, 1)
        layout.addWidget(self.keys_hint)

    # --- state

    def selected_method(self) -> Method | None:
        for method, button in self.method_buttons.items():
            if button.isChecked() and button.isVisible():
                return method
        return None

    def valid_amount(self) -> Money | None:
        if not self.entry.text:
            return None
        try:
            return parse_sale_amount(self.entry.text, self._max)
        except InvalidAmount:
            return None

    def sale_ref_value(self) -> str | None:
        """The bill number to keep with the sale (cleaned); None when empty or not valid."""
        try:
            return sale_ref_of(self.sale_ref.text())
        except InvalidSaleRef:
            return None

    def _ref_problem(self) -> Text | None:
        try:
            sale_ref_of(self.sale_ref.text())
        except InvalidSaleRef as exc:
            return exc.text
        return None

    def _ref_edited(self) -> None:
        self._error = None
        self.refresh()

    def edit_sale_ref(self) -> None:
        """Give the keys to the bill-number field (F2, or a tap on it)."""
        if not self._busy:
            self.sale_ref.setFocus(Qt.FocusReason.ShortcutFocusReason)
            self.sale_ref.selectAll()

    def press(self, key: str) -> None:
        if self._busy:
            return
        self._refusal = self.entry.press(key)
        self._error = None
        self.refresh()

    def _refuse(self, reason: Text) -> None:
        if not self._busy:
            self._refusal = reason
            self.refresh()

    def clear(self) -> None:
        """Ready for the next sale: no amount, and the default method again.

        The method is not carried over: a WeChat sale must not make the next
        customer's sale WeChat unnoticed ("Try again" / "Switch method" on the
        result screen choose it on purpose, with ``prefill``).
        """
        self.entry = AmountEntry()
        self._refusal = None
        self._error = None
        self.sale_ref.clear()  # a bill number belongs to one sale
        self.select_method(self.default_method())
        self.refresh()

    def default_method(self) -> Method | None:
        return next((m for m in (Method.QR, Method.WECHAT) if m in self._methods), None)

    def select_method(self, method: Method | None) -> None:
        if method is not None and method in self._methods:
            self.method_buttons[method].setChecked(True)

    def prefill(self, amount: Money, method: Method, sale_ref: str | None = None) -> None:
        """The amount, method and bill number of a sale to charge again (the result screen)."""
        self.entry = AmountEntry()
        self.entry.text = amount.plain()
        self.sale_ref.setText(sale_ref or "")
        self._refusal = None
        self._error = None
        self.select_method(method)
        self.refresh()

    def set_ready(self, ready: bool) -> None:
        self._ready = ready
        self.refresh()

    def set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.refresh()

    def set_offline(self, reason: Text | None) -> None:
        """Charge is off, with ``reason`` shown, while the gateway cannot be reached."""
        self._offline = reason
        self.refresh()

    def show_error(self, text: Text) -> None:
        self._error = text
        self._show_problem(text)

    def _show_problem(self, text: Text) -> None:
        restyle(self.message, f"color: {RED};")
        self.message.setText(text.get(self._language))

    def refresh(self) -> None:
        self.amount.setText(self.entry.display())
        ref_problem = self._ref_problem()
        problem = self._refusal or self._error or ref_problem or self._offline
        if problem is None and self.entry.text:
            try:
                parse_sale_amount(self.entry.text, self._max)
            except InvalidAmount as exc:
                problem = exc.text
        if problem is not None:
            self._show_problem(problem)
        else:
            restyle(self.message, f"color: {GREY};")
            self.message.setText(
                self.tr("Creating the payment…")
                if self._busy
                else self.tr("Type the amount, choose how to pay, then press Charge.")
            )
        ready = self.valid_amount() is not None and self.selected_method() is not None
        can_charge = self._ready and not self._busy and self._offline is None
        self.charge_button.setEnabled(ready and can_charge and ref_problem is None)
        for button in self.keys.values():
            button.setEnabled(not self._busy)
        self.sale_ref.setReadOnly(self._busy)

    def request_charge(self) -> None:
        amount, method = self.valid_amount(), self.selected_method()
        refused = self._ref_problem() is not None
        if (
            amount is None
            or method is None
            or self._busy
            or not self._ready
            or self._offline
            or refused
        ):
            self.refresh()
            return
        # Busy at once, not when the handler's task starts: a second Enter or tap
        # in the same instant must not ask for a second sale.
        self.set_busy(True)
        self.chargeRequested.emit(amount, method)

    # --- keyboard and numpad

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.setFocus()  # the keyboard and numpad type here as soon as the screen shows

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = Qt.Key(event.key())
        text = event.text()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.request_charge()
        elif key == Qt.Key.Key_F2:
            self.edit_sale_ref()
        elif key in KEYBOARD:
            self.press(KEYBOARD[key])
        elif key == Qt.Key.Key_Comma:
            self._refuse(NO_COMMA)
        elif len(text) == 1 and text.translate(THAI_DIGITS) in "0123456789":
            self.press(text.translate(THAI_DIGITS))  # a Thai layout types ๐-๙
        else:
            super().keyPressEvent(event)

    # --- language

    def set_language(self, language: str) -> None:
        self._language = language
        self.refresh()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.language_button.setText(self.tr("ภาษาไทย"))
        self.about_button.setText(self.tr("About"))
        self.manager_button.setText(self.tr("Manager"))
        for method, button in self.method_buttons.items():
            button.setText(label(METHOD_LONG_LABELS[method]))
        self.charge_button.setText(self.tr("Charge"))
        self.ref_label.setText(self.tr("Bill no."))
        self.sale_ref.setPlaceholderText(self.tr("tap or F2, then type or scan"))
        self.keys["C"].setText(self.tr("Clear"))
        self.keys_hint.setText(
            self.tr(
                "Keys: digits and . type · Backspace erases · Enter charges · Esc clears"
                " · F2 bill no."
            )
        )
        self.refresh()
