"""The way into the manager screen: the sale screen's Manager button, then the manager PIN.

``ManagerAccess`` owns the PIN pad and the manager screen (both made on first
use) and puts the screen into the main window's stack, so the counter keeps
one full-screen window. Every service it uses (PIN, Z reports, recovery for
Reconcile, receipts) comes from the ``Services`` it is handed.

The manager screen locks itself: after ``[manager] lock_after_s`` seconds
without a tap or key anywhere in the kiosk (``IdleLock``) it goes back to
the sale screen and closes the settings dialog; the PIN opens it again.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, Signal

from kiosk.domain.errors import Text
from kiosk.infra.config import config_path
from kiosk.services.container import Services
from kiosk.services.pin import PinCheck, PinStatus
from kiosk.ui.i18n import Language
from kiosk.ui.main_window import MainWindow
from kiosk.ui.pin_pad import SET_PIN, PinChecker, PinPad

if TYPE_CHECKING:
    # Loaded when first opened (after the PIN), not at start-up: ~90 ms of
    # imports that are not needed to take a payment.
    from kiosk.ui.customer_display import CustomerDisplay
    from kiosk.ui.manager import ManagerScreen
    from kiosk.ui.settings_dialog import SettingsDialog

log = logging.getLogger("kiosk.ui.manager")

NO_PIN = Text(
    "No manager PIN is set up on this kiosk, so the manager screen stays locked. "
    f"Set one on this computer with {SET_PIN}.",
    f"เครื่องนี้ยังไม่ได้ตั้ง PIN ผู้จัดการ จึงเปิดหน้าผู้จัดการไม่ได้ ตั้ง PIN บนเครื่องนี้ด้วยคำสั่ง {SET_PIN}",
)


class ManagerPinPad(PinPad):
    """The manager PIN pad, saying that the PIN opens the manager screen."""

    def refresh(self) -> None:
        super().refresh()
        if not self._busy and self._answer is None:
            self.message.setText(
                self.tr("Enter the 6-digit manager PIN to open the manager screen.")
            )

    def on_answer(self, answer: PinCheck) -> None:
        if answer.status is PinStatus.NOT_SET:
            self._show(NO_PIN, error=True)
            return
        super().on_answer(answer)


# What counts as someone at the screen: a touch, a click, a key, the wheel (not a
# mouse that only moves: a nudged mouse must not keep the manager's screen open).
ACTIVITY = frozenset(
    {
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
        QEvent.Type.KeyPress,
        QEvent.Type.Wheel,
    }
)


class IdleLock(QObject):
    """``expired`` after ``after_s`` seconds with no input anywhere in the application.

    Between ``start`` and ``stop`` an event filter on the application restarts
    a single-shot timer on every input event (a tap on the settings dialog or
    a calendar popup counts too); off, it costs the event loop nothing.
    """

    expired = Signal()

    def __init__(self, *, after_s: float, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(max(1, round(after_s * 1000)))
        self.timer.timeout.connect(self._on_timeout)
        self._on = False

    def start(self) -> None:
        app = QCoreApplication.instance()
        if app is not None and not self._on:
            app.installEventFilter(self)
        self._on = True
        self.timer.start()

    def stop(self) -> None:
        app = QCoreApplication.instance()
        if app is not None and self._on:
            app.removeEventFilter(self)
        self._on = False
        self.timer.stop()

    def is_on(self) -> bool:
        return self._on

    def _on_timeout(self) -> None:
        self.stop()
        self.expired.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in ACTIVITY:
            self.timer.start()
        return False


class ManagerAccess(QObject):
    def __init__(
        self,
        *,
        services: Services,
        window: MainWindow,
        language: Language,
        pin: PinChecker | None = None,
    ) -> None:
        super().__init__(window)
        self.services = services
        self.window = window
        self.language = language
        self.pin: PinChecker = pin or services.pin
        self.pad: ManagerPinPad | None = None
        self.screen: ManagerScreen | None = None
        self.settings_dialog: SettingsDialog | None = None
        self.customer_display: CustomerDisplay | None = None  # set by kiosk.app.gui.attach
        self.lock_after_s = services.settings.manager.lock_after_s
        self.idle = IdleLock(after_s=self.lock_after_s, parent=self)
        self.idle.expired.connect(self.on_idle)
        window.stack.currentChanged.connect(self._on_screen_changed)

    def request(self) -> None:
        """The Manager button: ask for the PIN (only between sales)."""
        if self.window.stack.currentWidget() is not self.window.sale:
            return
        if self.pad is None:
            self.pad = ManagerPinPad(
                pin=self.pin, language=self.language.current, parent=self.window
            )
            self.pad.accepted.connect(self.on_pad_accepted)
        self.pad.open_pad(language=self.language.current)

    def on_pad_accepted(self) -> None:
        log.info("manager screen opened")
        self.open()

    def open(self) -> ManagerScreen:
        """Show the manager screen on today's sales (after the PIN)."""
        screen = self.screen or self._build()
        self.window.stack.setCurrentWidget(screen)
        screen.open_today()
        self.show_customer_button()
        self.idle.start()
        return screen

    def show_customer_button(self) -> None:
        """Offer "Customer display" (a window to drag) when it has no screen of its own."""
        if self.screen is None:
            return
        display = self.customer_display
        offer = display is not None and (display.windowed or not display.is_shown())
        self.screen.action_bar.offer_customer_display(
            offer, opened=display is not None and display.windowed
        )

    def on_customer_display(self) -> None:
        display = self.customer_display
        if display is not None:
            if display.windowed:
                display.close_window()
            else:
                display.open_as_window()
        self.show_customer_button()

    def is_open(self) -> bool:
        return self.screen is not None and self.window.stack.currentWidget() is self.screen

    def _on_screen_changed(self) -> None:
        if not self.is_open():
            self.idle.stop()  # however the manager screen was left

    def on_idle(self) -> None:
        """Nobody touched the kiosk for ``lock_after_s``: lock the manager's screen."""
        if not self.is_open():
            return
        log.info("manager screen locked after %s s without input", self.lock_after_s)
        if self.settings_dialog is not None:
            self.settings_dialog.hide()  # behind the PIN as well
        self.window.show_sale()

    def open_settings(self) -> SettingsDialog:
        """The settings dialog, non-modal, over the manager screen (already behind the PIN)."""
        if self.settings_dialog is None:
            from kiosk.ui.settings_dialog import SettingsDialog

            self.settings_dialog = SettingsDialog(
                current=self.services.settings,
                language=self.language.current,
                config_path=config_path(),
                parent=self.window,
            )
        self.settings_dialog.set_language(self.language.current)
        self.settings_dialog.show()
        self.settings_dialog.raise_()
        return self.settings_dialog

    def on_screen_close(self) -> None:
        log.info("manager screen closed")
        self.window.show_sale()

    def _build(self) -> ManagerScreen:
        from kiosk.ui.manager import ManagerScreen

        services = self.services
        screen = ManagerScreen(
            history=services.history,
            orders=services.bus,
            clock=services.clock,
            zreports=services.zreports,
            reconciler=services.recovery,
            receipts=services.receipts,
            export_dir=services.data_dir / "exports",
            language=lambda: self.language.current,
            attention=services.attention,
            store_view=services.store_view,
            invoices=services.tax_invoices,
        )
        screen.closeRequested.connect(self.on_screen_close)
        screen.settingsRequested.connect(self.open_settings)
        screen.action_bar.customer_button.clicked.connect(self.on_customer_display)
        self.window.stack.addWidget(screen)
        self.screen = screen
        return screen


__all__ = ["ACTIVITY", "IdleLock", "ManagerAccess", "ManagerPinPad"]
