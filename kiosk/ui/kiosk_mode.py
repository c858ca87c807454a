"""Kiosk mode: full screen, no window frame, and the manager PIN to close or leave.

The guard filters the main window's events. A close request (Alt+F4, the
window manager's close, the About box's "Close the kiosk") is refused and the
manager PIN pad opens instead; only a right PIN lets the next close through.
Minimising or leaving full screen is undone at once. With no PIN set up (or
no keyring to read it from) the pad says so and the kiosk stays open: it can
then only be ended from the operating system (log out, shut down) — it is
never closed without a PIN.

What an application cannot do for itself (Alt+Tab, switching virtual
terminals, other programs) is the kiosk session's job: packaging/README.md.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QCursor, QGuiApplication
from PySide6.QtWidgets import QWidget

from kiosk.domain.errors import KioskError
from kiosk.infra.config import UiSettings
from kiosk.services.pin import PinCheck
from kiosk.ui.banners import NoticeBar
from kiosk.ui.i18n import Language
from kiosk.ui.pin_pad import PinPad

log = logging.getLogger("kiosk.ui.kiosk_mode")


class ManagerPinLike(Protocol):
    def is_set(self) -> bool: ...

    async def check(self, pin: str) -> PinCheck: ...


class KioskGuard(QObject):
    """Keeps ``window`` full screen and frameless; its close needs the manager PIN."""

    pinAccepted = Signal()

    def __init__(
        self,
        *,
        window: QWidget,
        pin: ManagerPinLike | None,
        language: Callable[[], str],
        hide_cursor: bool = False,
        enforce: bool = True,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.pin = pin
        self.enforce = enforce  # False: only the cursor is hidden (kiosk_mode off)
        self._language = language
        self._hide_cursor = hide_cursor
        self._cursor_hidden = False
        self._release_next_close = False
        self.refused = 0  # close requests refused, for the log and tests
        self.pad: PinPad | None = None

    # --- set-up and tear-down

    def apply(self) -> None:
        """Before the window is first shown: frameless, full screen, cursor, filter."""
        window = self.window
        if self.enforce:
            window.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
            window.setWindowState(window.windowState() | Qt.WindowState.WindowFullScreen)
            window.installEventFilter(self)
            log.info("kiosk mode on (cursor %s)", "hidden" if self._hide_cursor else "shown")
        if self._hide_cursor and not self._cursor_hidden:
            QGuiApplication.setOverrideCursor(QCursor(Qt.CursorShape.BlankCursor))
            self._cursor_hidden = True

    def release(self) -> None:
        """Undo what ``apply`` changed outside the window (the app-wide cursor)."""
        self.window.removeEventFilter(self)
        if self._cursor_hidden:
            QGuiApplication.restoreOverrideCursor()
            self._cursor_hidden = False
        if self.pad is not None:
            self.pad.hide()

    async def check_pin_is_set(self) -> bool | None:
        """Whether a manager PIN exists (None: the keyring cannot say)."""
        if self.pin is None:
            return None
        try:
            return await asyncio.to_thread(self.pin.is_set)
        except KioskError as exc:
            log.warning("kiosk mode: cannot tell whether a manager PIN is set: %s", exc)
            return None

    async def tell_if_no_pin(self, notice: NoticeBar) -> None:
        """At start-up in kiosk mode: without a PIN nobody can close the kiosk; say so."""
        if not self.enforce:
            return
        is_set = await self.check_pin_is_set()
        if is_set:
            return
        if is_set is None:
            message = self.tr(
                "Kiosk mode: the manager PIN cannot be read (no keyring), so the kiosk "
                "cannot be closed from the screen. Run `kiosk pin set`, or set "
                "KIOSK_SECRET_MANAGER_PIN_HASH from `kiosk pin set --print-hash`."
            )
        else:
            message = self.tr(
                "Kiosk mode: no manager PIN is set up, so the kiosk cannot be closed from "
                "the screen. Set one with: kiosk pin set"
            )
        log.warning("kiosk mode without a usable manager PIN: closing only from the OS")
        notice.add(message)

    # --- events

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.window:
            kind = event.type()
            if kind == QEvent.Type.Close:
                assert isinstance(event, QCloseEvent)
                return self._on_close(event)
            if kind == QEvent.Type.WindowStateChange:
                state = self.window.windowState()
                if not state & Qt.WindowState.WindowFullScreen or (
                    state & Qt.WindowState.WindowMinimized
                ):
                    # Leaving full screen or minimising needs the PIN as closing does.
                    QTimer.singleShot(0, self.window, self.window.showFullScreen)
        return super().eventFilter(watched, event)

    def _on_close(self, event: QCloseEvent) -> bool:
        if self._release_next_close:
            self._release_next_close = False
            return False  # the PIN was right: the window's own closeEvent runs
        event.ignore()
        self.refused += 1
        log.info("kiosk mode: close refused, asking for the manager PIN")
        self.ask_pin()
        return True

    def ask_pin(self) -> PinPad | None:
        if self.pin is None:
            log.info("kiosk mode: still starting (no PIN service yet); the kiosk stays open")
            return None
        if self.pad is None:
            self.pad = PinPad(pin=self.pin, language=self._language(), parent=self.window)
            self.pad.accepted.connect(self.on_pad_accepted)
        self.pad.open_pad(language=self._language())
        return self.pad

    def on_pad_accepted(self) -> None:
        log.info("kiosk mode: manager PIN accepted; closing the kiosk")
        self.pinAccepted.emit()
        self._release_next_close = True
        # After the pad has finished hiding: close() sends a fresh Close event.
        QTimer.singleShot(0, self, self._close_now)

    def _close_now(self) -> None:
        if not self.window.close():
            self._release_next_close = False


def install_kiosk_mode(
    window: QWidget, ui: UiSettings, *, language: Language, pin: ManagerPinLike | None = None
) -> KioskGuard | None:
    """The guard for ``[ui] kiosk_mode`` / ``hide_cursor``, applied before the first show.

    The window shows before the services exist: until the start-up hands the
    guard the manager PIN service (``guard.pin = services.pin``), a close is
    refused and no pad opens.
    """
    if not (ui.kiosk_mode or ui.hide_cursor):
        return None
    guard = KioskGuard(
        window=window,
        pin=pin,
        language=lambda: language.current,
        hide_cursor=ui.hide_cursor,
        enforce=ui.kiosk_mode,
    )
    guard.apply()
    return guard
