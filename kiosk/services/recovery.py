"""Recovery: what a crash, a closed window or an outage left open, and what the cashier is told.

``RecoveryService.run`` re-checks every order not in a final state (and every
expired or cancelled one inside its gateway expiry) through
``CheckoutService.recover`` and returns a ``RecoveryReport``. ``watch`` /
``resume_watchers`` keep checking open orders in the background (at most one
watcher per order), so money that arrives late is still journaled PAID.

The cashier is told once about money found this way: a *notice* is journaled
(``Journal.raise_notice``, one per order, ever) for every order that turns
out PAID in recovery or in a background watch, and for every late payment.
Notices stay pending until ``acknowledge``; a crash before the cashier saw
one does not lose it, and an acknowledged one never comes back.

No Qt here: the window subscribes with ``on_notice`` and reads
``pending_notices`` at start-up.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from kiosk.domain.errors import GatewayError, GatewayUnavailable, KioskError, Text
from kiosk.domain.order import LATE_FROM, Order, OrderState
from kiosk.services.checkout import CheckoutService
from kiosk.store.journal import Journal, Notice

log = logging.getLogger("kiosk.recovery")

S = OrderState


class NoticeKind(StrEnum):
    RECOVERED_PAID = "paid_recovered"  # left open by a crash/outage, turned out paid
    LATE_PAID = "paid_late"  # paid after the kiosk had expired or cancelled it


NoticeListener = Callable[[Notice], None]


def notice_text(notice: Notice) -> Text:
    """The cashier's message for a notice, in both languages."""
    order = notice.order
    amount = order.amount.thb()
    if notice.kind == NoticeKind.LATE_PAID:
        return Text(
            f"Late payment received: order {order.kiosk_order_id} ({amount}) is PAID.",
            f"ได้รับเงินล่าช้า: รายการ {order.kiosk_order_id} ({amount}) ชำระแล้ว",
        )
    return Text(
        f"Payment received for order {order.kiosk_order_id} ({amount}), found on re-check.",
        f"ได้รับเงินสำหรับรายการ {order.kiosk_order_id} ({amount}) จากการตรวจสอบซ้ำ",
    )


@dataclass(frozen=True)
class RecoveryReport:
    """One recovery pass: what changed, what is still open, what could not be asked."""

    at: datetime
    checked: int
    changes: tuple[tuple[Order, Order], ...] = ()
    postponed: tuple[tuple[Order, GatewayError], ...] = ()
    still_open: tuple[Order, ...] = ()

    @property
    def paid(self) -> tuple[Order, ...]:
        """Orders this pass found paid (late ones included)."""
        return tuple(after for _, after in self.changes if after.state is S.PAID)

    @property
    def unreachable(self) -> bool:
        """The gateway could not be reached for at least one order."""
        return any(isinstance(exc, GatewayUnavailable) for _, exc in self.postponed)

    @property
    def answered(self) -> bool:
        """The gateway answered at least one check in this pass."""
        return self.checked > len(self.postponed)

    def lines(self) -> list[str]:
        """Plain lines for a terminal or a log, one per order that changed or was postponed."""
        out = []
        for before, after in self.changes:
            late = " (late payment)" if after.state is S.PAID and after.late else ""
            out.append(
                f"{after.kiosk_order_id}: {before.state.value} -> {after.state.value}{late}"
                f"  {after.amount.thb()}"
            )
        for order, exc in self.postponed:
            out.append(f"{order.kiosk_order_id}: {order.state.value}, not checked: {exc.detail}")
        return out


class RecoveryService:
    def __init__(self, *, service: CheckoutService, journal: Journal) -> None:
        self.service = service
        self.journal = journal
        self._listeners: list[NoticeListener] = []
        self._watchers: dict[str, asyncio.Task[Order]] = {}
        service.on_order(self.on_service_order)

    # --- notices

    def on_notice(self, listener: NoticeListener) -> None:
        """Called once per new notice, after it is journaled."""
        self._listeners.append(listener)

    def pending_notices(self) -> list[Notice]:
        return self.journal.pending_notices()

    def acknowledge(self, kiosk_order_id: str) -> bool:
        """The cashier has seen it: it is not shown again, not even after a restart."""
        return self.journal.acknowledge_notice(kiosk_order_id, self.service.clock.now())

    def _raise(self, order: Order, kind: NoticeKind) -> None:
        at = self.service.clock.now()
        if self.journal.raise_notice(order.kiosk_order_id, kind.value, at):
            log.info("notice for %s: %s", order.kiosk_order_id, kind.value)
            notice = Notice(order, kind.value, at)
            for listener in self._listeners:
                listener(notice)

    def on_service_order(self, order: Order) -> None:
        # Money after the sale was over for the cashier: always worth telling.
        if order.state is S.PAID and order.late:
            self._raise(order, NoticeKind.LATE_PAID)

    # --- one pass

    async def run(self, on_progress: Callable[[int, int], None] | None = None) -> RecoveryReport:
        """Re-check everything open now (start-up, reconnection, ``kiosk reconcile``).

        ``on_progress(done, total)``: see ``CheckoutService.recover``.
        """
        postponed: list[tuple[Order, GatewayError]] = []
        checked = len(self.journal.orders_needing_check(self.service.clock.now()))
        changes = await self.service.recover(
            on_postponed=lambda order, exc: postponed.append((order, exc)),
            on_progress=on_progress,
        )
        for _, after in changes:
            if after.state is S.PAID:
                kind = NoticeKind.LATE_PAID if after.late else NoticeKind.RECOVERED_PAID
                self._raise(after, kind)
        now = self.service.clock.now()
        report = RecoveryReport(
            at=now,
            checked=checked,
            changes=tuple(changes),
            postponed=tuple(postponed),
            still_open=tuple(self.journal.orders_needing_check(now)),
        )
        for line in report.lines():
            log.info("recovery: %s", line)
        return report

    # --- background watching

    @property
    def watching(self) -> frozenset[str]:
        return frozenset(self._watchers)

    def watch(self, order: Order) -> asyncio.Task[Order] | None:
        """Keep checking ``order`` in the background until nothing can change any more.

        An order awaiting payment is followed until it ends, then (expired or
        cancelled) watched for a late payment until the gateway's own expiry.
        Returns None when the order needs no watching or is watched already.
        """
        if order.kiosk_order_id in self._watchers:
            return None
        if order.state is not S.AWAITING_PAYMENT and not (
            order.state in LATE_FROM and order.needs_checking(self.service.clock.now())
        ):
            return None
        task = asyncio.ensure_future(self._watch(order))
        self._watchers[order.kiosk_order_id] = task
        task.add_done_callback(lambda t: self._done(order.kiosk_order_id, t))
        return task

    def resume_watchers(self, exclude: frozenset[str] = frozenset()) -> int:
        """Watch every open order not watched yet (``exclude``: the cashier's current sale)."""
        started = 0
        for order in self.journal.orders_needing_check(self.service.clock.now()):
            if order.kiosk_order_id not in exclude and self.watch(order) is not None:
                started += 1
        return started

    async def _watch(self, order: Order) -> Order:
        if order.state is S.AWAITING_PAYMENT:
            order = await self.service.follow(order)
        if order.state in LATE_FROM:
            order = await self.service.watch_late(order)
        if order.state is S.PAID:
            self._raise(order, NoticeKind.LATE_PAID if order.late else NoticeKind.RECOVERED_PAID)
        return order

    def _done(self, kiosk_order_id: str, task: asyncio.Task[Order]) -> None:
        self._watchers.pop(kiosk_order_id, None)
        if task.cancelled():
            return
        exc = task.exception()
        if exc is not None:
            level = logging.WARNING if isinstance(exc, KioskError) else logging.ERROR
            log.log(level, "background watch of %s failed", kiosk_order_id, exc_info=exc)

    async def aclose(self) -> None:
        """Stop every background watch (the journal keeps what they found so far)."""
        tasks = list(self._watchers.values())
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


__all__ = ["NoticeKind", "RecoveryReport", "RecoveryService", "notice_text"]
