"""The customer display: a second window, facing the customer, fed by the bus.

It hears ``OrderChanged`` on the same bus as the cashier's screens and draws
from the order's own values (its QR payload, amount, method, expiry); it
imports nothing from the cashier's screens and never mirrors them.

- **Placement** (``[customer_display] screen``): ``auto`` puts it full screen
  on a screen that is not the cashier's when there are two or more, and
  nowhere with one; a name puts it on the screen that answers to that name
  (or serial number or model); ``off`` never. The screen is remembered by
  identity (``kiosk.ui.customer.placement``; the one used last is kept in
  ``<data>/customer-display.json``), never by index, and the choice
  is made again whenever Qt reports a screen added or removed (Qt does not
  move a window by itself). With one screen the manager may open it as a
  framed window to drag elsewhere (``open_as_window``).
- **Never in the cashier's way**: it takes no focus and is never activated;
  its QR is computed on a worker thread, and only while it is on a screen;
  speech plays in a child process.
- **Isolated**: every way in (a bus event, a timer, a screen change, a paint)
  is guarded. An exception is logged, the display hidden and reset to idle;
  after ``MAX_FAILURES`` it stays off until the kiosk restarts. The bus
  isolates listeners too, so a sale never sees the error.
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import asdict
from functools import wraps
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from PySide6.QtCore import QObject, QRect, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QImage, QPixmap, QScreen
from PySide6.QtWidgets import QWidget

from kiosk.domain.clock import Clock
from kiosk.domain.events import OrderChanged
from kiosk.domain.order import Order, OrderState
from kiosk.domain.outside import clean_text
from kiosk.infra.bus import EventBus, Subscription
from kiosk.infra.config import CustomerDisplaySettings
from kiosk.services.container import Services
from kiosk.ui.customer import qr
from kiosk.ui.customer.placement import OFF, ScreenId, choose
from kiosk.ui.customer.speech import Speaker
from kiosk.ui.customer.view import CustomerView, Ending, Phase, Sale

log = logging.getLogger("kiosk.ui.customer")
S = OrderState
P = ParamSpec("P")
R = TypeVar("R")
MAX_FAILURES = 3
PAID_HOLD_S = 8.0  # the green confirmation, then idle
ENDED_HOLD_S = 6.0  # expired / cancelled / failed, then idle
STATE_FILE = "customer-display.json"  # in the data folder: the screen used last
ENDINGS = {S.EXPIRED: Ending.EXPIRED, S.CANCELLED: Ending.CANCELLED, S.FAILED: Ending.FAILED}


def guarded(method: Callable[P, R]) -> Callable[P, R | None]:
    """Run ``method``; on any exception log it and reset the display (never raise)."""

    @wraps(method)
    def run(*args: P.args, **kwargs: P.kwargs) -> R | None:
        display = args[0]
        assert isinstance(display, CustomerDisplay)
        try:
            return method(*args, **kwargs)
        except Exception:
            log.exception("customer display failed in %s; it is reset", method.__name__)
            display.failed()
            return None

    return run


def load_image(path: str) -> QImage | None:
    if not path.strip():
        return None
    image = QImage(str(Path(path).expanduser()))
    if image.isNull():
        log.warning("customer_display.idle_image %r is not a picture Qt can read", path)
        return None
    return image


def load_remembered(path: Path | None) -> ScreenId | None:
    """The screen ``auto`` used last (name, model, serial), or None."""
    if path is None:
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return ScreenId(**{k: clean_text(str(data[k])) for k in ("name", "model", "serial")})
    except (OSError, ValueError, KeyError, TypeError, RecursionError):  # hand-edited
        return None


def save_remembered(path: Path | None, screen: ScreenId) -> None:
    if path is None:
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(asdict(screen)), encoding="utf-8")
    except OSError as exc:
        log.warning("could not remember the customer display's screen: %s", exc)


class CustomerDisplay(QObject):
    """Owns the customer's window (``view``), hidden while it has no screen."""

    def __init__(
        self,
        *,
        bus: EventBus,
        settings: CustomerDisplaySettings,
        shop_name: str,
        clock: Clock,
        language: Callable[[], str],
        cashier: QWidget | None = None,
        speaker: Speaker | None = None,
        state_file: Path | None = None,
    ) -> None:
        super().__init__(cashier)
        self.settings = settings
        self.clock = clock
        self.language = language
        self.cashier = cashier
        self.speaker = speaker or Speaker(enabled=settings.speak)
        self.failures = 0
        self.disabled = False
        self.windowed = False  # opened by the manager as a framed window
        self.state_file = state_file  # the screen used last, by identity, across restarts
        self.remembered: ScreenId | None = load_remembered(state_file)
        self.paid_hold_s = PAID_HOLD_S
        self.ended_hold_s = ENDED_HOLD_S
        self._future: Future[list[list[bool]]] | None = None
        self.view = CustomerView(
            shop_name=clean_text(shop_name),
            idle_text=clean_text(settings.idle_text),
            idle_image=load_image(settings.idle_image),
        )
        self.view.broken.connect(self.failed)
        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self.on_tick)
        self._back_to_idle = QTimer(self)
        self._back_to_idle.setSingleShot(True)
        self._back_to_idle.timeout.connect(self.on_back_to_idle)
        self._subscription: Subscription | None = bus.subscribe(OrderChanged, self.on_order_changed)
        app = QGuiApplication.instance()
        assert isinstance(app, QGuiApplication)
        # Deferred: let Qt finish moving windows off a removed screen first.
        app.screenAdded.connect(self.on_screens_changed)
        app.screenRemoved.connect(self.on_screens_changed)
        app.primaryScreenChanged.connect(self.on_screens_changed)
        self._app = app
        self.place()

    # --- what automation and the smoke test read

    def phase(self) -> Phase:
        return self.view.phase

    def payload(self) -> str | None:
        """The payload of the QR modules last painted on the customer's screen."""
        return self.view.drawn_payload if self.view.phase is Phase.SALE else None

    def is_shown(self) -> bool:
        return self.view.isVisible()

    def screen_name(self) -> str | None:
        return self.view.screen().name() if self.view.isVisible() else None

    def grab(self) -> QPixmap:
        return self.view.grab()

    # --- placement

    @guarded
    def place(self) -> None:
        """Show the display on its screen (full screen), or hide it when it has none."""
        if self.disabled:
            self.view.hide()
            return
        if self.windowed:
            return  # the manager placed it; only a screen change outside its control moves it
        screens = QGuiApplication.screens()
        ids = {ScreenId.of(s): s for s in screens}
        cashier = self._cashier_screen()
        target = choose(
            list(ids),
            setting=self.settings.screen,
            cashier=ScreenId.of(cashier) if cashier is not None else None,
            remembered=self.remembered,
        )
        if target is None:
            if self.view.isVisible():
                log.info("customer display hidden: no screen for %r", self.settings.screen)
            self.view.hide()
            return
        screen = ids[target]
        if target != self.remembered:
            self.remembered = target
            save_remembered(self.state_file, target)
        self._full_screen_on(screen)

    def _full_screen_on(self, screen: QScreen) -> None:
        view = self.view
        if view.isVisible() and view.screen() is screen and view.geometry() == screen.geometry():
            return
        log.info("customer display on screen %r (%s)", screen.name(), screen.geometry())
        # Geometry first, then full screen: setScreen alone does not move a
        # window on a virtual desktop (docs/architecture.md "Customer display").
        if view.isVisible():
            view.hide()
        view.set_framed(False)
        view.setCursor(Qt.CursorShape.BlankCursor)  # nobody points at the customer's screen
        view.setScreen(screen)
        view.setGeometry(screen.geometry())
        # Not showFullScreen(): it also asks to activate the window (the cashier keeps focus).
        view.setWindowState(Qt.WindowState.WindowFullScreen)
        view.show()
        view.setGeometry(screen.geometry())  # no window manager to act on the request
        self._want_matrix()

    def _cashier_screen(self) -> QScreen | None:
        if self.cashier is not None and self.cashier.isVisible():
            return self.cashier.screen()
        return QGuiApplication.primaryScreen()

    @guarded
    def on_screens_changed(self, *_: Any) -> None:
        QTimer.singleShot(0, self.place)

    @guarded
    def open_as_window(self) -> None:
        """The manager's button: a framed window on the cashier's screen, to drag anywhere."""
        if self.disabled or self.settings.screen == OFF:
            return
        self.windowed = True
        view = self.view
        view.hide()
        view.set_framed(True)
        view.unsetCursor()
        screen = self._cashier_screen()
        if screen is not None:
            area = screen.availableGeometry()
            view.setScreen(screen)
            view.setGeometry(
                area.x() + area.width() // 8,
                area.y() + area.height() // 8,
                area.width() * 3 // 4,
                area.height() * 3 // 4,
            )
        view.setWindowState(Qt.WindowState.WindowNoState)
        view.show()
        self._want_matrix()

    @guarded
    def close_window(self) -> None:
        """Back to automatic placement (the manager closed the window)."""
        self.windowed = False
        self.view.hide()
        self.place()

    # --- the sale, from the bus

    @guarded
    def on_order_changed(self, event: OrderChanged) -> None:
        order = event.order
        current = self.view.sale
        if order.state is S.AWAITING_PAYMENT and (order.qr_payload or order.qr_image_png):
            self.show_sale(order)
        elif current is not None and order.kiosk_order_id == current.order_id:
            if order.state is S.PAID and not order.needs_attention:
                self.show_paid(order)
            elif order.state.is_final:
                self.show_ended(Ending.ASK if order.needs_attention else ENDINGS[order.state])

    def show_sale(self, order: Order) -> None:
        view = self.view
        qr.forget(self._future)
        self._future = None
        view.sale = Sale(
            order_id=order.kiosk_order_id,
            amount=order.amount,
            method=order.method,
            payload=order.qr_payload,
            image_png=order.qr_image_png if not order.qr_payload else None,
            expires_at=order.expires_at,
        )
        view.matrix = []
        view.drawn_payload = None
        view.phase = Phase.SALE
        self._want_matrix()
        self._back_to_idle.stop()
        self._tick.start()
        view.now = self.clock.now()
        view.text_area = QRect()  # a new sale: the whole screen
        view.update()

    def _want_matrix(self) -> None:
        """Start the sale's QR modules on the worker, when the display is on a screen.

        Not while it is hidden (one screen: the usual till): the worker holds
        the GIL for a few ms, in the very slice the cashier's QR screen shows.
        A display that appears mid-sale (placed, or opened by the manager)
        asks again.
        """
        view, sale = self.view, self.view.sale
        if (
            view.isVisible()
            and view.phase is Phase.SALE
            and sale is not None
            and sale.payload
            and not view.matrix
            and self._future is None
        ):
            self._future = qr.compute(sale.payload, self.on_matrix)

    @guarded
    def on_matrix(self, future: Future[list[list[bool]]]) -> None:
        if future is not self._future:
            return
        self._future = None
        try:
            self.view.matrix = future.result()
        except Exception:
            # The checkout lets only drawable texts through; this is a second line.
            log.exception("the customer's QR could not be drawn")
            self.view.matrix = []
        self.view.update()

    def show_paid(self, order: Order) -> None:
        view = self.view
        view.phase = Phase.PAID
        view.late = order.late
        self._tick.stop()
        view.update()
        self._back_to_idle.start(int(self.paid_hold_s * 1000))
        # After the paid screen is asked for: speech never holds it back.
        if view.sale is not None:
            self.speaker.say_paid(view.sale.amount, self.language())

    def show_ended(self, ending: Ending) -> None:
        view = self.view
        view.phase = Phase.ENDED
        view.ending = ending
        self._tick.stop()
        view.update()
        self._back_to_idle.start(int(self.ended_hold_s * 1000))

    @guarded
    def on_tick(self) -> None:
        self.view.now = self.clock.now()
        self.view.tick()

    @guarded
    def on_back_to_idle(self) -> None:
        self.view.phase = Phase.IDLE
        self.view.matrix = []
        self.view.update()  # the sale is kept: a late payment for it still shows

    # --- failure and shutdown

    def failed(self) -> None:
        """Something in the display raised: hide it and start again from idle (never raises)."""
        self.failures += 1
        try:
            self._tick.stop()
            self._back_to_idle.stop()
            qr.forget(self._future)
            self._future = None
            view = self.view
            view.phase, view.sale, view.matrix, view.drawn_payload = Phase.IDLE, None, [], None
            view.hide()
            if self.failures >= MAX_FAILURES:
                log.error("customer display off after %d failures (until restart)", self.failures)
                self.disabled = True
                self.shutdown()
                return
            QTimer.singleShot(0, self.place)
        except Exception:
            log.exception("customer display could not reset; it stays off")
            self.disabled = True

    def shutdown(self) -> None:
        """Stop hearing and hide (the window closing, or too many failures); once."""
        if self._subscription is None:
            return
        self._subscription.cancel()
        self._subscription = None
        for signal in (
            self._app.screenAdded,
            self._app.screenRemoved,
            self._app.primaryScreenChanged,
        ):
            with contextlib.suppress(RuntimeError, TypeError):
                signal.disconnect(self.on_screens_changed)
        self._tick.stop()
        self._back_to_idle.stop()
        qr.forget(self._future)
        self.view.hide()

    async def aclose(self) -> None:
        self.shutdown()
        await self.speaker.aclose()
        self.view.deleteLater()


def build_customer_display(
    *, services: Services, cashier: QWidget, language: Callable[[], str]
) -> CustomerDisplay | None:
    """The display for this kiosk, or None when it is off or could not be made (logged)."""
    settings = services.settings.customer_display
    if settings.screen == OFF:
        return None
    try:
        return CustomerDisplay(
            bus=services.bus,
            settings=settings,
            shop_name=services.settings.store.name,
            clock=services.clock,
            language=language,
            cashier=cashier,
            state_file=services.data_dir / STATE_FILE,
        )
    except Exception:
        log.exception("the customer display could not be made; the kiosk goes on without it")
        return None
