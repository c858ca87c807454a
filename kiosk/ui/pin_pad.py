"""A touch-size manager PIN pad: six digits, checked by kiosk.services.pin, never modal.

The pad only collects digits and shows the answer; the lockout, the hash and
the count of wrong tries belong to :class:`kiosk.services.pin.ManagerPin`.
``accepted`` is emitted once, when the PIN was right.
"""

from __future__ import annotations

import logging
from typing import Protocol

from PySide6.QtCore import QEvent, QSize, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)
from qasync import asyncSlot

from kiosk.domain.errors import KeyringUnavailable, KioskError, Text
from kiosk.domain.thaidate import unbreakable
from kiosk.services.pin import PIN_LENGTH, PinCheck, PinStatus
from kiosk.ui.fitting import ShrinkWrapLabel
from kiosk.ui.keypad import keypad_grid
from kiosk.ui.plain import plain
from kiosk.ui.theme import GREY, RED, font, metrics, px, touch

log = logging.getLogger("kiosk.ui.pin")

DIGITS = tuple("0123456789")  # laid out as the sale keypad: kiosk.ui.keypad
MESSAGE_LINES = 4


# No keyring to read the PIN hash from (a headless counter): what to do, not the
# keyring's whole explanation (README "Manager PIN").
def command(text: str) -> str:
    """A command to type, kept on one line (no break at its spaces or hyphens)."""
    return unbreakable(text).replace("-", "-\u2060")


SET_PIN, PRINT_HASH = command("`kiosk pin set`"), command("`kiosk pin set --print-hash`")
NO_KEYRING = Text(
    "The manager PIN cannot be read: this computer has no keyring, or it is locked. "
    f"On this computer run {SET_PIN}, or set KIOSK_SECRET_MANAGER_PIN_HASH "
    f"to the line {PRINT_HASH} prints.",
    "อ่าน PIN ผู้จัดการไม่ได้ เพราะเครื่องนี้ไม่มีพวงกุญแจหรือพวงกุญแจถูกล็อก "
    f"ให้รันคำสั่ง {SET_PIN} บนเครื่องนี้ หรือตั้งค่า KIOSK_SECRET_MANAGER_PIN_HASH "
    f"ตามบรรทัดที่คำสั่ง {PRINT_HASH} แสดง",
)


def bring_to_front(widget: QWidget) -> None:
    """Raise and activate a top-level window (offscreen has no stacking: it would warn)."""
    if QGuiApplication.platformName() in ("offscreen", "minimal"):
        return
    widget.raise_()
    widget.activateWindow()


class PinChecker(Protocol):
    """What the pad needs of :class:`kiosk.services.pin.ManagerPin`."""

    async def check(self, pin: str) -> PinCheck: ...


class PinPad(QDialog):
    """Enter the manager PIN; ``accepted`` when it is right. Shown with ``open_pad``."""

    def __init__(
        self, *, pin: PinChecker, language: str = "en", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("pinPad")
        # A frame of its own: kiosk sessions often run without a window manager to draw one.
        self.setStyleSheet("QDialog#pinPad { border: 3px solid #1565c0; }")
        self.setModal(False)
        self.setWindowFlag(Qt.WindowType.WindowContextHelpButtonHint, False)
        self._pin = pin
        self._language = language
        self._digits = ""
        self._busy = False
        self._answer: Text | None = None
        self._answer_is_error = False
        self._unlock = QTimer(self)
        self._unlock.setSingleShot(True)
        self._unlock.timeout.connect(self.on_unlock_timeout)

        self.title = plain(QLabel())
        self.title.setObjectName("pinTitle")
        self.title.setFont(font(30, bold=True))
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.dots = plain(QLabel())
        self.dots.setObjectName("pinDots")
        self.dots.setFont(font(48, bold=True))
        self.dots.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # Four lines are kept for the answer, so the keys never move; a longer answer
        # (no keyring: what to run) is drawn smaller rather than cut or pushed over the keys.
        self.message = plain(ShrinkWrapLabel(MESSAGE_LINES))
        self.message.setObjectName("pinMessage")
        self.message.setFont(font(22))
        self.message.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.message.setMinimumWidth(px(560))

        self.keys: dict[str, QPushButton] = {}
        for key in (*DIGITS, "⌫", "C"):
            button = QPushButton(key)
            name = {"C": "pinClear", "⌫": "pinBack"}.get(key, f"pinKey_{key}")
            button.setObjectName(name)
            button.setFont(font(40, bold=True))
            button.setMinimumSize(touch(120), touch(72))
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.clicked.connect(lambda _=False, k=key: self.press(k))
            self.keys[key] = button
        grid = keypad_grid(self.keys, spacing=px(12))

        self.cancel_button = QPushButton()
        self.cancel_button.setObjectName("pinCancel")
        self.cancel_button.setFont(font(28, bold=True))
        self.cancel_button.setMinimumHeight(touch(84))
        self.cancel_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.cancel_button.clicked.connect(self.reject)
        self.ok_button = QPushButton()
        self.ok_button.setObjectName("pinOk")
        self.ok_button.setFont(font(28, bold=True))
        self.ok_button.setMinimumHeight(touch(84))
        self.ok_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.ok_button.clicked.connect(self.submit)
        actions = QHBoxLayout()
        actions.setSpacing(px(12))
        actions.addWidget(self.cancel_button)
        actions.addWidget(self.ok_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(px(28), px(20), px(28), px(20))
        layout.setSpacing(px(12))
        layout.addWidget(self.title)
        layout.addWidget(self.dots)
        layout.addWidget(self.message)
        layout.addLayout(grid, 1)
        layout.addLayout(actions)
        self.retranslate()

    # --- entry

    def open_pad(self, *, language: str | None = None) -> None:
        """Show the pad empty (non-modal) and bring it to the front."""
        if language is not None:
            self._language = language
        if not self._busy:
            self._digits = ""
            if not self._unlock.isActive():
                self._answer = None
        self.refresh()
        # Keys as big as the screen allows, up to a comfortable size, never past the screen.
        area = metrics().area
        self.resize(
            self.sizeHint()
            .expandedTo(QSize(px(600), px(760)))
            .boundedTo(QSize(area.width() - px(40), area.height() - px(40)))
        )
        self.show()
        bring_to_front(self)

    def entered(self) -> int:
        return len(self._digits)

    def press(self, key: str) -> None:
        if self._busy or self._unlock.isActive():
            return
        if key == "C":
            self._digits = ""
        elif key == "⌫":
            self._digits = self._digits[:-1]
        elif key.isdigit() and len(self._digits) < PIN_LENGTH:
            self._digits += key
        self.refresh()
        if len(self._digits) == PIN_LENGTH:
            self.submit()

    @asyncSlot()
    async def submit(self) -> None:
        if self._busy or self._unlock.isActive() or len(self._digits) != PIN_LENGTH:
            return
        pin, self._digits = self._digits, ""
        self._busy = True
        self.refresh()
        try:
            answer = await self._pin.check(pin)
        except KeyringUnavailable as exc:
            # The keyring's own explanation is a page long; the pad says what to do.
            log.warning("manager PIN could not be checked: %s", exc)
            self._show(NO_KEYRING, error=True)
            return
        except KioskError as exc:  # e.g. the journal cannot record the try
            log.warning("manager PIN could not be checked: %s", exc)
            self._show(exc.text, error=True)
            return
        finally:
            self._busy = False
            self.refresh()
        self.on_answer(answer)

    def on_answer(self, answer: PinCheck) -> None:
        if answer.ok:
            log.info("manager PIN accepted")
            self._show(None)
            self.accept()
            return
        if answer.status is PinStatus.NOT_SET:
            self._show(
                Text(
                    "No manager PIN is set up on this kiosk, so it cannot be closed from the "
                    f"screen. Set one with {SET_PIN}, or end the kiosk from the "
                    "operating system (log out of the session).",
                    "เครื่องนี้ยังไม่ได้ตั้ง PIN ผู้จัดการ จึงปิดโปรแกรมจากหน้าจอไม่ได้ "
                    f"ตั้ง PIN ด้วยคำสั่ง {SET_PIN} หรือปิดจากระบบปฏิบัติการ (ออกจากระบบ)",
                ),
                error=True,
            )
            return
        self._show(answer.text, error=True)
        if answer.status is PinStatus.LOCKED or answer.retry_after_s > 0:
            self._unlock.start(max(1, round(answer.retry_after_s * 1000)))
            self.refresh()

    def on_unlock_timeout(self) -> None:
        self._show(None)

    def _show(self, text: Text | None, *, error: bool = False) -> None:
        self._answer = text
        self._answer_is_error = error
        self.refresh()

    # --- display

    def refresh(self) -> None:
        self.dots.setText(" ".join("●" * len(self._digits) + "○" * (PIN_LENGTH - self.entered())))
        locked = self._unlock.isActive()
        if self._busy:
            self.message.setStyleSheet(f"color: {GREY};")
            self.message.setText(self.tr("Checking…"))
        elif self._answer is not None:
            self.message.setStyleSheet(f"color: {RED if self._answer_is_error else GREY};")
            self.message.setText(self._answer.get(self._language))
        else:
            self.message.setStyleSheet(f"color: {GREY};")
            self.message.setText(self.tr("Enter the 6-digit manager PIN to close the kiosk."))
        for button in self.keys.values():
            button.setEnabled(not self._busy and not locked)
        self.ok_button.setEnabled(not self._busy and not locked and len(self._digits) == PIN_LENGTH)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = Qt.Key(event.key())
        text = event.text()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.submit()
        elif key == Qt.Key.Key_Backspace:
            self.press("⌫")
        elif key == Qt.Key.Key_Escape:
            self.reject()
        elif text and text in "0123456789":
            self.press(text)
        else:
            super().keyPressEvent(event)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Manager PIN"))
        self.title.setText(self.tr("Manager PIN"))
        self.keys["C"].setText(self.tr("Clear"))
        self.cancel_button.setText(self.tr("Cancel"))
        self.ok_button.setText(self.tr("OK"))
        self.refresh()
