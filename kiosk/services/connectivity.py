"""Is the payment gateway reachable? Offline state, refusing new sales, resuming checks.

``ConnectivityMonitor`` keeps one ``LinkStatus`` for the window:

- it learns from every gateway call the checkout makes (``ActivityChanged``
  on the bus: a status check that fails or succeeds) and from
  ``start_sale``: an unreachable gateway on create makes it OFFLINE at once,
  ``offline_after`` failed status checks in a row do too, any answer makes it
  ONLINE again;
- while OFFLINE, ``start_sale`` refuses a new sale with ``GatewayOffline``
  before anything is journaled (a sale that cannot get a QR only makes the
  customer wait), and ``run`` probes the gateway with capped backoff and
  jitter;
- when it comes back (by a probe or by any successful call), it runs
  recovery once and resumes the background checks, then publishes
  ``Reconnected``.

An order already awaiting payment keeps being polled during an outage (the
customer may have paid: the kiosk must find out), with backoff.

No Qt here: the window subscribes to ``LinkChanged`` / ``Reconnected`` on the
bus; they are published after the state is set.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from kiosk.domain.clock import Clock
from kiosk.domain.errors import (
    BadGatewayResponse,
    GatewayError,
    GatewayOffline,
    GatewayUnavailable,
    KioskError,
    SaleFailed,
    Text,
)
from kiosk.domain.events import Activity, ActivityChanged
from kiosk.domain.money import Money
from kiosk.domain.order import Method, Order
from kiosk.gateways.base import OrderRef
from kiosk.services.checkout import CheckoutService
from kiosk.services.polling import PollPolicy
from kiosk.services.recovery import RecoveryReport, RecoveryService

log = logging.getLogger("kiosk.connectivity")


class Link(StrEnum):
    UNKNOWN = "unknown"  # nothing asked yet: sales are allowed
    ONLINE = "online"
    OFFLINE = "offline"


@dataclass(frozen=True)
class LinkStatus:
    link: Link
    since: datetime
    detail: str = ""  # technical, for the log and the manager

    @property
    def can_sell(self) -> bool:
        return self.link is not Link.OFFLINE

    @property
    def text(self) -> Text | None:
        """The offline banner for the cashier; None when there is nothing to say."""
        return GatewayOffline.default_text if self.link is Link.OFFLINE else None


@dataclass(frozen=True)
class LinkChanged:
    """The gateway went offline or came back (published on the bus)."""

    status: LinkStatus


@dataclass(frozen=True)
class Reconnected:
    """Back online: the recovery pass that followed (not start-up's: ``startup`` returns it)."""

    report: RecoveryReport


Probe = Callable[[], Awaitable[object]]


def is_outage(exc: BaseException) -> bool:
    """An error that means "no usable gateway" rather than "the gateway said no"."""
    return isinstance(exc, (GatewayUnavailable, BadGatewayResponse))


class ConnectivityMonitor:
    def __init__(
        self,
        *,
        service: CheckoutService,
        clock: Clock,
        recovery: RecoveryService | None = None,
        probe: Probe | None = None,
        offline_after: int = 2,
        poll: PollPolicy | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self.service = service
        self.clock = clock
        self.recovery = recovery
        self._probe = probe or self._status_probe
        self._offline_after = max(1, offline_after)
        self._poll = poll or service.poll
        self._rng = rng or random.Random()
        self._status = LinkStatus(Link.UNKNOWN, clock.now())
        self._failures = 0
        self._offline = asyncio.Event()
        self._reconnect: asyncio.Task[None] | None = None
        self.bus = service.bus
        self._subscription = self.bus.subscribe(ActivityChanged, self.on_activity_changed)

    # --- what the window reads and subscribes to

    @property
    def status(self) -> LinkStatus:
        return self._status

    def check_can_sell(self) -> None:
        """Raise GatewayOffline (its text is for the cashier) while the gateway is unreachable."""
        if not self._status.can_sell:
            raise GatewayOffline(self._status.detail or "gateway unreachable")

    async def start_sale(
        self, amount: Money, method: Method = Method.QR, sale_ref: str | None = None
    ) -> Order:
        """``CheckoutService.start``, refused while offline; its outcome updates the link."""
        self.check_can_sell()
        try:
            order = await self.service.start(amount, method, sale_ref)
        except SaleFailed as exc:
            if is_outage(exc.cause):
                self.report_failure(exc.cause, immediate=True)
            elif isinstance(exc.cause, GatewayError):
                self.report_ok()  # it answered, and said no
            raise
        self.report_ok()
        return order

    # --- what the checkout tells us

    def on_activity_changed(self, event: ActivityChanged) -> None:
        if event.activity is Activity.OK:
            self.report_ok()
        elif event.activity is Activity.CONNECTION_PROBLEM:
            order_id = event.order.kiosk_order_id
            self.report_failure(GatewayUnavailable(f"status check of {order_id}"))

    def report_ok(self) -> None:
        self._failures = 0
        if self._status.link is not Link.ONLINE:
            came_back = self._status.link is Link.OFFLINE
            self._set(LinkStatus(Link.ONLINE, self.clock.now()))
            if came_back:
                self._start_reconnect()

    def report_failure(self, exc: BaseException, *, immediate: bool = False) -> None:
        self._failures += 1
        if self._status.link is Link.OFFLINE:
            return
        if immediate or self._failures >= self._offline_after:
            detail = str(exc) if not isinstance(exc, GatewayError) else exc.detail or str(exc)
            self._set(LinkStatus(Link.OFFLINE, self.clock.now(), detail=detail))

    def _set(self, status: LinkStatus) -> None:
        previous, self._status = self._status, status
        if status.link is Link.OFFLINE:
            self._offline.set()
            log.warning("gateway OFFLINE: %s", status.detail)
        else:
            self._offline.clear()
            if previous.link is Link.OFFLINE:
                log.warning("gateway back ONLINE")
        self.bus.publish(LinkChanged(status))

    # --- start-up and the background loop

    async def startup(self) -> RecoveryReport | None:
        """Start-up recovery, which also tells whether the gateway is there; resumes watchers.

        With nothing to recover, one probe decides. Returns the report (None
        without a RecoveryService).
        """
        report = None
        if self.recovery is not None:
            report = await self.recovery.run()
            if report.answered:
                self.report_ok()
            elif report.unreachable:
                exc = next(e for _, e in report.postponed if isinstance(e, GatewayUnavailable))
                self.report_failure(exc, immediate=True)
            self.recovery.resume_watchers()
        if self._status.link is Link.UNKNOWN:
            await self.probe_now()
        return report

    async def probe_now(self) -> LinkStatus:
        """Ask the gateway once; any answer, even "no such order", means it is reachable."""
        try:
            await self._probe()
        except GatewayError as exc:
            if is_outage(exc):
                self.report_failure(exc, immediate=True)
                return self._status
            log.info("probe answered with %s: the gateway is reachable", type(exc).__name__)
        self.report_ok()
        return self._status

    async def run(self) -> None:
        """While offline, probe with capped backoff and jitter until the gateway answers.

        Runs until cancelled (a task the app starts next to the window).
        """
        attempts = 0
        while True:
            await self._offline.wait()
            attempts += 1
            await self.clock.sleep(self._poll.backoff(attempts, self._rng))
            if self._status.link is not Link.OFFLINE:
                attempts = 0  # a checkout's own poll saw it come back
                continue
            status = await self.probe_now()
            if status.link is not Link.OFFLINE:
                attempts = 0

    async def wait_reconnected(self) -> None:
        """Until the recovery started by the last reconnection has finished (tests, shutdown)."""
        if self._reconnect is not None:
            await asyncio.gather(self._reconnect, return_exceptions=True)

    async def aclose(self) -> None:
        self._subscription.cancel()
        if self._reconnect is not None:
            self._reconnect.cancel()
            await asyncio.gather(self._reconnect, return_exceptions=True)

    def _start_reconnect(self) -> None:
        if self.recovery is None or (self._reconnect is not None and not self._reconnect.done()):
            return
        self._reconnect = asyncio.ensure_future(self._reconnected(self.recovery))

    async def _reconnected(self, recovery: RecoveryService) -> None:
        """Back online: re-check what was postponed, resume background checks, tell the window."""
        try:
            report = await recovery.run()
        except KioskError:
            log.exception("recovery after reconnection failed")
            return
        recovery.resume_watchers()
        self.bus.publish(Reconnected(report))

    async def _status_probe(self) -> object:
        store = self.service.store
        return await self.service.gateway.check_status(
            OrderRef(f"{store.store_id}-{store.terminal_id}-PROBE")
        )


__all__ = [
    "ConnectivityMonitor",
    "Link",
    "LinkChanged",
    "LinkStatus",
    "Reconnected",
    "is_outage",
]
