"""Drives the screens from the services: one sale at a time, on the qasync loop.

It is handed the ``Services`` value and hears from them only through the
event bus, after the journal has each change; this class only decides what
the cashier sees and hears. ``shutdown`` unsubscribes.

Touch safety: every screen change arms the window's ``InputGuard`` (taps,
and keys but on the sale screen, are ignored for half a second). Charge is
off while the gateway cannot be reached (``LinkChanged``). The sandbox bar
shows the scenario the sandbox itself reports.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from PySide6.QtCore import QObject
from qasync import asyncSlot

from kiosk.domain.attention import CASHIER_TEXT
from kiosk.domain.errors import KioskError, SaleFailed, Text
from kiosk.domain.events import ActivityChanged, Notice, NoticeRaised, OrderChanged
from kiosk.domain.money import Money
from kiosk.domain.order import Method, Order, OrderState
from kiosk.infra.bus import Subscription
from kiosk.services.checkout import CancelToken
from kiosk.services.connectivity import LinkChanged, LinkStatus, Reconnected
from kiosk.services.container import Services
from kiosk.services.recovery import notice_text
from kiosk.ui.i18n import Language
from kiosk.ui.input_guard import InputGuard
from kiosk.ui.main_window import MainWindow
from kiosk.ui.manager_access import ManagerAccess
from kiosk.ui.sound import Sounds

log = logging.getLogger("kiosk.ui")
S = OrderState
UNFOLLOWED = Text(
    "The kiosk stopped checking this payment. Check the manager screen before taking money again.",
    "เครื่องหยุดตรวจสอบการชำระเงินนี้ กรุณาตรวจสอบที่หน้าผู้จัดการก่อนรับเงินอีกครั้ง",
)


class Controller(QObject):
    def __init__(
        self,
        *,
        services: Services,
        window: MainWindow,
        language: Language,
        sounds: Sounds,
    ) -> None:
        super().__init__(window)
        self.services = services
        self.window = window
        self.language = language
        self.sounds = sounds
        self.current: Order | None = None
        self._cancel: CancelToken | None = None
        self._tasks: set[asyncio.Task[Any]] = set()
        self.control = services.sandbox
        # Recovery, late payments and the offline state (ARCHITECTURE "Nothing lost").
        self.recovery = services.recovery
        self.monitor = services.connectivity
        bus = services.bus
        self._subscriptions: list[Subscription] = [
            bus.subscribe(OrderChanged, self.on_order_changed),
            bus.subscribe(ActivityChanged, self.on_activity_changed),
            bus.subscribe(NoticeRaised, lambda event: self.on_recovery_notice(event.notice)),
            bus.subscribe(LinkChanged, lambda event: self.on_monitor_change(event.status)),
            bus.subscribe(Reconnected, self.on_reconnected),
        ]
        self._notices: dict[str, Text] = {}  # on the bar, until the cashier says OK
        window.notice.dismiss.clicked.connect(self.on_notice_dismiss)
        for text in services.startup_notices:
            window.notice.add(text.get(language.current))
        window.sale.chargeRequested.connect(self.on_sale_charge)
        window.sale.languageRequested.connect(self.on_sale_language)
        self.manager = ManagerAccess(services=services, window=window, language=language)
        window.sale.managerRequested.connect(self.manager.request)
        window.qr.cancelRequested.connect(self.on_qr_cancel)
        window.result.newSaleRequested.connect(self.on_result_new_sale)
        window.result.set_methods(services.settings.gateway.method_set)
        window.result.typedAhead.connect(self.on_result_typed)
        window.result.chargeAgainRequested.connect(self.on_result_charge_again)
        self.guard = InputGuard(window)
        window.stack.currentChanged.connect(self.on_screen_changed)
        window.qr.promptShown.connect(self.guard.arm)
        window.sale.set_ready(True)
        self.on_monitor_change(self.monitor.status)
        window.banner.payRequested.connect(self.on_banner_pay)
        window.banner.scenarioChosen.connect(self.on_banner_scenario)
        # The embedded sandbox was started with the setting; an external one says
        # what it does when asked (``refresh_scenario``, at start-up and per sale).
        embedded = services.sandbox_server is not None
        window.banner.show_scenario(services.settings.sandbox.scenario if embedded else None)

    # --- tasks

    def spawn(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        task = asyncio.ensure_future(coro)
        self._tasks.add(task)
        task.add_done_callback(self._finished)
        return task

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("background task failed", exc_info=task.exception())

    async def shutdown(self) -> None:
        """Stop hearing and stop this window's tasks; the services close themselves."""
        for sub in self._subscriptions:
            sub.cancel()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    # --- start-up

    async def startup(self) -> None:
        """Re-check what a crash or a closed window left open; tell the cashier once."""
        self.spawn(self.refresh_scenario())
        for notice in self.recovery.pending_notices():  # from earlier runs, not yet seen
            self.on_recovery_notice(notice)
        try:
            await self.monitor.startup()
        except KioskError:
            log.exception("start-up recovery failed")
        self.spawn(self.monitor.run())
        self.spawn(self.recovery.sweep_forever())  # late money, every few minutes
        self.spawn(self.services.zreports.auto_close_forever())  # [batch] auto_close

    def on_recovery_notice(self, notice: Notice) -> None:
        order_id = notice.order.kiosk_order_id
        if order_id in self._notices:
            return
        self._notices[order_id] = notice_text(notice)
        self._show_notices()

    def _show_notices(self) -> None:
        bar = self.window.notice
        bar.clear()
        for text in self._notices.values():
            bar.add(text.get(self.language.current))

    def on_notice_dismiss(self) -> None:
        for order_id in list(self._notices):
            self.recovery.acknowledge(order_id)
        self._notices.clear()

    def on_monitor_change(self, status: LinkStatus) -> None:
        bar = self.window.offline
        text = status.text
        bar.clear()
        if text is not None:
            bar.add(text.get(self.language.current))
        self.window.sale.set_offline(text)  # Charge off, saying why, until it is back

    def on_reconnected(self, event: Reconnected) -> None:
        report = event.report
        log.info(
            "back online: %d changed, %d still open", len(report.changes), len(report.still_open)
        )

    # --- the sale

    @asyncSlot(object, object)
    async def on_sale_charge(self, amount: Money, method: Method) -> None:
        sale = self.window.sale
        sale.set_busy(True)
        try:
            order = await self.monitor.start_sale(amount, method, sale.sale_ref_value())
        except SaleFailed as exc:
            self.show_result(exc.order, reason=exc.text)
            return
        except KioskError as exc:
            sale.show_error(exc.text)
            return
        finally:
            sale.set_busy(False)
        # The sale is followed from here: the follow's task takes its first step
        # on a later turn of the loop, and a recovery pass (a reconnection's, the
        # sweep's) must not check the order on screen meanwhile.
        release = self.services.checkout.claim(order.kiosk_order_id)
        self.current = order
        self._cancel = CancelToken.new()
        self.window.qr.show_order(order)
        self.window.show_qr()
        self.window.banner.pay.setEnabled(True)
        task = self.spawn(self._follow(order, self._cancel, release))
        task.add_done_callback(lambda _task: release())  # cancelled before its first step

    async def _follow(
        self, order: Order, cancel: CancelToken, release: Callable[[], None] = lambda: None
    ) -> None:
        try:
            try:
                final = await self.services.checkout.follow(order, cancel)
            finally:
                release()  # before a late watcher is asked for below
        except asyncio.CancelledError:
            raise
        except Exception as exc:
            # The cashier must never be left looking at a QR nobody checks.
            log.exception("following %s failed", order.kiosk_order_id)
            if self.current is not None and self.current.kiosk_order_id == order.kiosk_order_id:
                journaled = self._journaled(order)
                text = exc.text if isinstance(exc, KioskError) else UNFOLLOWED
                self.show_result(journaled, reason=text)
            return
        if self.current is not None and self.current.kiosk_order_id == final.kiosk_order_id:
            self.show_result(final)
        if final.state in (S.EXPIRED, S.CANCELLED) and not final.needs_attention:
            self.recovery.watch(final)  # money may still come; one watcher per order

    def _journaled(self, order: Order) -> Order:
        try:
            return self.services.history.order(order.kiosk_order_id) or order
        except KioskError:
            return order

    def show_result(self, order: Order, *, reason: Text | None = None) -> None:
        if order.needs_attention:
            reason = CASHIER_TEXT
        self.window.banner.pay.setEnabled(False)
        self.window.qr.stop()
        if self.window.stack.currentWidget() is self.window.result:
            self.guard.arm()  # another result in place of the one shown (e.g. paid late)
        self.window.result.show_result(order, reason=reason, language=self.language.current)
        self.window.show_result()
        paid = order.state is S.PAID and not order.needs_attention
        self.sounds.play("paid" if paid else "failed")

    def on_order_changed(self, event: OrderChanged) -> None:
        order = event.order
        if self.current is None or order.kiosk_order_id != self.current.kiosk_order_id:
            return
        self.current = order
        self.window.qr.update_order(order)
        shown = self.window.result.order()
        if (
            shown is not None
            and shown.kiosk_order_id == order.kiosk_order_id
            and (shown.state, shown.late) != (order.state, order.late)
            and self.window.stack.currentWidget() is self.window.result
        ):
            self.show_result(order)  # e.g. paid late while the result was on screen

    def on_activity_changed(self, event: ActivityChanged) -> None:
        order = event.order
        if self.current is not None and order.kiosk_order_id == self.current.kiosk_order_id:
            self.window.qr.set_activity(event.activity)

    def on_qr_cancel(self) -> None:
        if self._cancel is not None:
            self._cancel.cancel()

    def on_screen_changed(self) -> None:
        # On the sale screen keys only type into the amount, in view: not held.
        self.guard.arm(keys=self.window.stack.currentWidget() is not self.window.sale)

    def on_result_new_sale(self) -> None:
        self.current = None
        self._cancel = None
        self.window.show_sale()  # the amount cleared, the method back to the default
        if self.control is not None:
            self.spawn(self.refresh_scenario())

    def on_result_typed(self, key: str) -> None:
        """A digit on the result screen: a new sale, starting with that digit."""
        if self.window.stack.currentWidget() is self.window.result:
            self.on_result_new_sale()
        self.window.sale.press(key)

    def on_result_charge_again(self, amount: Money, method: Method) -> None:
        """Try again (same method) or Switch method: the same amount, charged at once."""
        sale_ref = self.current.sale_ref if self.current is not None else None
        self.on_result_new_sale()
        sale = self.window.sale
        sale.prefill(amount, method, sale_ref)  # the same bill
        sale.request_charge()

    def on_sale_language(self) -> None:
        self.language.toggle()
        self.window.sale.set_language(self.language.current)
        self.window.result.set_language(self.language.current)
        self._show_notices()
        self.on_monitor_change(self.monitor.status)

    # --- sandbox banner

    @asyncSlot()
    async def on_banner_pay(self) -> None:
        if self.control is None or self.current is None:
            return
        button = self.window.banner.pay
        button.setEnabled(False)
        try:
            await self.control.pay(self.current.kiosk_order_id)
        except KioskError as exc:
            log.warning("sandbox pay failed: %s", exc)
            button.setEnabled(True)

    @asyncSlot(str)
    async def on_banner_scenario(self, kind: str) -> None:
        if self.control is None:
            return
        sb = self.services.settings.sandbox
        try:
            await self.control.set_scenario(kind, after_s=sb.pay_after_s, expire_s=sb.expire_s)
        except KioskError as exc:
            log.warning("sandbox scenario change failed: %s", exc)
            await self.refresh_scenario()  # show what it still does, not what was chosen

    async def refresh_scenario(self) -> None:
        """Show the scenario the sandbox reports (not the setting: it may have been changed)."""
        if self.control is None:
            return
        try:
            kind: str | None = await self.control.scenario()
        except KioskError as exc:
            log.warning("the sandbox's scenario is not known: %s", exc)
            kind = None
        self.window.banner.show_scenario(kind)
