"""Clearing one flag: what was done (refunded in the bank app, or accepted), a note, the PIN.

``ClearForm`` sits beside the list of open flags (``kiosk.ui.manager.attention``).
The manager PIN is asked again here even though the screen is behind it: a
flag is about money, and each clear is journaled with its outcome. The PIN is
checked by the attention desk itself (``AttentionDesk.clear``), so a wrong
PIN, a locked PIN pad or a flag cleared meanwhile all come back as one
``KioskError`` whose text is shown; nothing changes then. Digits come from
the form's own keypad (a touch screen) or a keyboard; the PIN field takes
digits only and shows dots.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import QEvent, QRegularExpression, Qt, Signal
from PySide6.QtGui import QFont, QRegularExpressionValidator
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from kiosk.domain.attention import OUTCOME_TEXTS, Outcome
from kiosk.domain.errors import KioskError
from kiosk.domain.order import Order
from kiosk.services.attention import MAX_NOTE, AttentionDesk
from kiosk.services.pin import PIN_LENGTH
from kiosk.ui.keypad import keypad_grid
from kiosk.ui.manager.common import touch_button
from kiosk.ui.theme import GREEN, GREY, RED, font, px, touch

log = logging.getLogger("kiosk.ui.manager")

KEYS = (*"0123456789", "C", "⌫")  # laid out by kiosk.ui.keypad, as every keypad
KEY_NAMES = {"C": "clearKeyClear", "⌫": "clearKeyBack"}
# Still a finger's height, less padding than the screen's buttons: the form must fit
# beside the list at 1280x800 with the sandbox banner shown (it scrolls if it cannot).
COMPACT = "QPushButton {{ min-height: {height}px; padding: {pad}px {side}px; }}"


class ClearForm(QFrame):
    """Clear the flag of the order shown (``show_order``); ``cleared`` with the order after."""

    cleared = Signal(object)  # the Order as journaled after the clear
    refused = Signal()  # the desk said no (wrong PIN, locked, nothing to clear)

    def __init__(
        self,
        *,
        desk: AttentionDesk | None,
        language: Callable[[], str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("clearForm")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.desk = desk
        self._language = language
        self._order: Order | None = None
        self._busy = False
        self.heading = self._label("clearHeading", font(19, bold=True))
        self.what = self._label("clearWhat", font(17, bold=True))
        self.refunded = self._choice("clearRefunded")
        self.accepted = self._choice("clearAccepted")
        self.outcomes = QButtonGroup(self)
        self.outcomes.setExclusive(True)
        self.outcomes.addButton(self.refunded)
        self.outcomes.addButton(self.accepted)
        self.outcomes.buttonToggled.connect(lambda *_: self.refresh())
        self.note = self._line("clearNote")
        self.note.setMaxLength(MAX_NOTE)
        self.pin = self._line("clearPin")
        self.pin.setMaxLength(PIN_LENGTH)
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setValidator(QRegularExpressionValidator(QRegularExpression(r"[0-9]*"), self))
        self.pin.textChanged.connect(lambda _: self.refresh())
        self.pin.returnPressed.connect(self.on_submit_clicked)
        self.keys = {key: self._key(key) for key in KEYS}
        self.message = self._label("clearMessage", font(17))
        self.cancel = touch_button("clearCancel", "", 19)
        self.cancel.clicked.connect(lambda: self.show_order(None))
        self.submit = touch_button("clearSubmit", "", 19)
        self.submit.setStyleSheet(
            f"QPushButton#clearSubmit {{ background: {RED}; color: white; border: none;"
            f" min-height: {touch(40) - 2 * px(2)}px; }}"
            " QPushButton#clearSubmit:disabled { background: #e8b4b4; color: #fff5f5; }"
        )
        self.submit.clicked.connect(self.on_submit_clicked)
        self.controls = QWidget()
        self._lay_out()
        self.retranslate()

    # --- parts

    def _label(self, name: str, face: QFont) -> QLabel:
        label = QLabel()
        label.setObjectName(name)
        label.setFont(face)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)  # order ids and notes are data
        return label

    def _choice(self, name: str) -> QPushButton:
        button = touch_button(name, "", 18)
        button.setCheckable(True)
        return button

    def _line(self, name: str) -> QLineEdit:
        line = QLineEdit()
        line.setObjectName(name)
        line.setFont(font(19))
        line.setMinimumHeight(touch(44))
        return line

    def _key(self, key: str) -> QPushButton:
        button = touch_button(KEY_NAMES.get(key, f"clearKey_{key}"), key, 20)
        button.clicked.connect(lambda _=False, k=key: self.press(k))
        return button

    def _lay_out(self) -> None:
        grid = keypad_grid(self.keys, spacing=px(6))  # as the sale keypad and PIN pad
        actions = QHBoxLayout()
        actions.setSpacing(px(8))
        actions.addWidget(self.cancel)
        actions.addWidget(self.submit, 1)
        self.controls.setStyleSheet(
            COMPACT.format(height=touch(40) - 2 * px(2) - 4, pad=px(2), side=px(8))
        )
        controls = QVBoxLayout(self.controls)
        controls.setContentsMargins(0, 0, 0, 0)
        controls.setSpacing(px(6))
        controls.addWidget(self.what)
        controls.addWidget(self.refunded)
        controls.addWidget(self.accepted)
        controls.addWidget(self.note)
        controls.addWidget(self.pin)
        controls.addLayout(grid)
        controls.addLayout(actions)
        content = QWidget()
        column = QVBoxLayout(content)
        column.setContentsMargins(px(14), px(10), px(14), px(10))
        column.setSpacing(px(6))
        column.addWidget(self.heading)
        column.addWidget(self.controls)
        column.addWidget(self.message)
        column.addStretch(1)
        # Never taller than the screen: the form scrolls rather than push the window down.
        scroll = QScrollArea()
        scroll.setObjectName("clearFormScroll")
        scroll.setWidget(content)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)

    # --- the order

    def order(self) -> Order | None:
        return self._order

    def show_order(self, order: Order | None) -> None:
        """Ask about ``order`` afresh (no outcome chosen, no note, no PIN); None: nothing."""
        self._order = order
        self.outcomes.setExclusive(False)  # or the checked one could not be unchecked
        for button in (self.refunded, self.accepted):
            button.setChecked(False)
        self.outcomes.setExclusive(True)
        self.note.clear()
        self.pin.clear()
        self.say("")
        self.refresh()

    def outcome(self) -> Outcome | None:
        if self.refunded.isChecked():
            return Outcome.REFUNDED
        if self.accepted.isChecked():
            return Outcome.ACCEPTED
        return None

    def press(self, key: str) -> None:
        if self._busy:
            return
        if key == "C":
            self.pin.clear()
        elif key == "⌫":
            self.pin.backspace()
        elif len(self.pin.text()) < PIN_LENGTH:
            self.pin.setText(self.pin.text() + key)

    # --- clearing

    @asyncSlot()
    async def on_submit_clicked(self) -> None:
        await self.clear()

    async def clear(self) -> Order | None:
        """Ask the desk to clear the flag; the answer is shown, the form follows it."""
        order, outcome, pin = self._order, self.outcome(), self.pin.text()
        if self.desk is None or order is None or outcome is None or self._busy:
            return None
        if len(pin) != PIN_LENGTH:
            return None
        self._busy = True
        self.say(self.tr("Checking…"))
        self.refresh()
        try:
            cleared = await self.desk.clear(order.kiosk_order_id, outcome, pin, self.note.text())
        except KioskError as exc:
            log.info("flag on %s not cleared: %s", order.kiosk_order_id, exc)
            self.pin.clear()
            self.say(exc.text.get(self._language()), RED)
            self.refused.emit()
            return None
        finally:
            self._busy = False
            self.refresh()
        language = self._language()
        self.show_order(None)
        self.say(
            self.tr("%1 cleared: %2.")
            .replace("%1", order.kiosk_order_id)
            .replace("%2", OUTCOME_TEXTS[outcome].get(language)),
            GREEN,
        )
        self.cleared.emit(cleared)
        return cleared

    # --- showing

    def say(self, text: str, colour: str = GREY) -> None:
        self.message.setStyleSheet(f"color: {colour};")
        self.message.setText(text)

    def refresh(self) -> None:
        order = self._order
        self.controls.setVisible(order is not None)
        if order is None:
            self.heading.setText(self.tr("Touch a sale on the left to clear it."))
        else:
            self.heading.setText(f"{order.kiosk_order_id}   {order.amount.thb()}")
        ready = self.outcome() is not None and len(self.pin.text()) == PIN_LENGTH
        self.submit.setEnabled(ready and not self._busy and self.desk is not None)
        for widget in (*self.keys.values(), self.refunded, self.accepted, self.cancel):
            widget.setEnabled(not self._busy)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        language = self._language()
        self.what.setText(self.tr("What was done?"))
        self.refunded.setText(OUTCOME_TEXTS[Outcome.REFUNDED].get(language))
        self.accepted.setText(OUTCOME_TEXTS[Outcome.ACCEPTED].get(language))
        self.note.setPlaceholderText(self.tr("Note (optional)"))
        self.pin.setPlaceholderText(self.tr("Manager PIN"))
        self.cancel.setText(self.tr("Cancel"))
        self.submit.setText(self.tr("Clear the flag"))
        self.refresh()


__all__ = ["ClearForm"]
