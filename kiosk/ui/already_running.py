"""A second kiosk on the same data folder: say so on screen, then exit.

The lock (kiosk/store/lock.py) is what keeps two kiosks off one journal; this
is only the message. Started from a desktop entry or at login, the terminal's
stderr is nowhere to be seen, so a window says it, and closes by itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QWidget

from kiosk.domain.errors import AlreadyRunning
from kiosk.domain.exitcodes import ExitCode
from kiosk.ui.plain import plain

EXIT_ALREADY_RUNNING = ExitCode.HELD


class AlreadyRunningBox(QMessageBox):
    def __init__(self, error: AlreadyRunning, language: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("alreadyRunningBox")
        self.setModal(False)
        self.setIcon(QMessageBox.Icon.Information)
        self.setStandardButtons(QMessageBox.StandardButton.Ok)
        self.error = error
        self.language = language
        self.retranslate()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("QR payment kiosk"))
        ok = self.button(QMessageBox.StandardButton.Ok)
        if ok is not None:  # Qt's own word for it is English unless its catalogue ships
            ok.setText(self.tr("OK"))
        plain(self)
        self.setText(self.error.user_message(self.language))
        self.setInformativeText(
            self.tr("Only one kiosk may use this data folder at a time (%1).").replace(
                "%1", self.error.detail
            )
        )
        for label in self.findChildren(QLabel):  # the informative text's label too (a path)
            plain(label)


async def show_already_running(error: AlreadyRunning, language: str, *, timeout_s: float) -> int:
    """Print and show the message until OK or ``timeout_s``; the exit code for main()."""
    print(f"kiosk: {error.user_message('en')} ({error.detail})", file=sys.stderr)
    if timeout_s <= 0:
        return EXIT_ALREADY_RUNNING
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    # Closing the box (the only window) must not stop the loop this coroutine runs on.
    quit_on_close = app.quitOnLastWindowClosed()
    app.setQuitOnLastWindowClosed(False)
    box = AlreadyRunningBox(error, language)
    done = asyncio.Event()
    box.finished.connect(lambda _result: done.set())
    box.show()
    try:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(done.wait(), timeout_s)
    finally:
        box.hide()
        box.deleteLater()
        app.setQuitOnLastWindowClosed(quit_on_close)
    return EXIT_ALREADY_RUNNING
