"""Touch safety: taps and keys in the first moments of a new screen are ignored.

A cashier's double tap on Charge must not land on whatever the next screen
shows in that place, and a key pressed twice must not act on two screens.
``InputGuard.arm()`` is called whenever the window shows another screen or
an in-screen prompt; for ``hold_s`` seconds after it (on an injected
monotonic clock, so tests need no sleeping) presses, double clicks, touches
and key presses aimed at the window are dropped. Releases pass: a button
whose press was dropped never clicks (Qt clicks on a release only after a
press on the same button), and one pressed before the hold is not left down.
Other top-level windows (the PIN pad, the dialogs) are not held.

Keys may be let through (``arm(keys=False)``): on the sale screen a key only
types into the amount, which the cashier sees before Charge, and dropping
the first digits of a fast typist would change the amount ("45" -> "5").

The filter sits on the application, because a tap goes to whichever child
is under the finger, but only while a hold may still run: the event loop
pays for it a fraction of a second per screen, not on every event.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

log = logging.getLogger("kiosk.ui")

HOLD_S = 0.5  # longer than a double tap (~0.3 s), shorter than a deliberate second touch
HELD = frozenset(
    {
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.TouchBegin,
        QEvent.Type.KeyPress,
    }
)


class InputGuard(QObject):
    """Drops input aimed at ``window`` for ``hold_s`` seconds after each ``arm()``."""

    def __init__(
        self,
        window: QWidget,
        *,
        hold_s: float = HOLD_S,
        now: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(window)
        self._window = window
        self.hold_s = hold_s
        self.now = now  # a monotonic clock in seconds; tests put a fake one here
        self._until = 0.0
        self._keys = True
        self._installed = False
        self.dropped = 0  # events dropped so far (the log and tests)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._on_timer)

    def arm(self, *, keys: bool = True) -> None:
        """A new screen (or prompt) is showing: hold taps (and ``keys``) for ``hold_s``."""
        if self.hold_s <= 0:
            return
        self._until = self.now() + self.hold_s
        self._keys = keys
        app = QCoreApplication.instance()
        if app is not None and not self._installed:
            app.installEventFilter(self)
            self._installed = True
        self._timer.start(max(1, round(self.hold_s * 1000)))

    def holding(self) -> bool:
        return self.now() < self._until

    def release(self) -> None:
        """Stop holding at once (and take the filter off the application)."""
        self._until = 0.0
        self._uninstall()

    def _on_timer(self) -> None:
        if self.holding():  # an injected clock may run slower than Qt's timers
            self._timer.start(max(1, round(self.hold_s * 1000)))
        else:
            self._uninstall()

    def _uninstall(self) -> None:
        app = QCoreApplication.instance()
        if app is not None and self._installed:
            app.removeEventFilter(self)
        self._installed = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in HELD or (kind == QEvent.Type.KeyPress and not self._keys):
            return False
        if not self.holding():
            self._uninstall()
            return False
        if isinstance(watched, QWidget) and watched.window() is self._window:
            self.dropped += 1
            log.debug("input ignored: %s on a screen just shown", kind.name)
            return True
        return False


__all__ = ["HOLD_S", "InputGuard"]
