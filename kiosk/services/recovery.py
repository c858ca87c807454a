"""Recovery: what a crash, a closed window or an outage left open, and what the cashier is told.

The one place that re-checks orders outside a checkout (ARCHITECTURE step 6).
``RecoveryService.run`` re-checks every order not in a final state (and every
expired or cancelled one inside its gateway expiry) and returns a
``RecoveryReport``; it skips every order some task is following right now
(``CheckoutService.following``: the cashier's sale, a watcher), so one order
never has two checks in flight. ``watch`` /
``resume_watchers`` keep checking open orders in the background (at most one
watcher per order), so money that arrives late is still journaled PAID.

The cashier is told once about money found this way: a *notice* is journaled
(``Journal.raise_notice``, one per order, ever) for every order that turns
out PAID in recovery or in a background watch, and for every late payment.
Notices stay pending until ``acknowledge``; a crash before the cashier saw
one does not lose it, and an acknowledged one never comes back.

No Qt here: notices are published on the bus (``NoticeRaised``); the window
subscribes and reads ``pending_notices`` at start-up.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from kiosk.domain.errors import GatewayError, GatewayUnavailable, KioskError, Text
from kiosk.domain.events import Notice, NoticeRaised, OrderChanged
from kiosk.domain.order import LATE_FROM, Order, OrderState
from kiosk.gateways.base import PaymentState
from kiosk.services import crosscheck
from kiosk.services.checkout import CheckoutService, ref_of
from kiosk.services.sweep import SweepBudget, SweepPolicy, can_take_money
from kiosk.store.journal import Journal

log = logging.getLogger("kiosk.recovery")
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

S = OrderState


class NoticeKind(StrEnum):
    RECOVERED_PAID = "paid_recovered"  # left open by a crash/outage, turned out paid
    LATE_PAID = "paid_late"  # paid after the kiosk had expired or cancelled it


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
    deferred: int = 0  # due for the sweep, left for a later pass by the hourly budget

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
    def __init__(
        self,
        *,
        service: CheckoutService,
        journal: Journal,
        sweep: SweepPolicy | None = None,
    ) -> None:
        self.service = service
        self.journal = journal
        self.bus = service.bus
        self.sweep = sweep or SweepPolicy()
        self._budget = SweepBudget(self.sweep.max_per_hour)
        self._last_checked: dict[str, datetime] = {}
        self._watchers: dict[str, asyncio.Task[Order]] = {}
        self._subscription = self.bus.subscribe(OrderChanged, self.on_order_changed)

    # --- notices

    def pending_notices(self) -> list[Notice]:
        return self.journal.pending_notices()

    def acknowledge(self, kiosk_order_id: str) -> bool:
        """The cashier has seen it: it is not shown again, not even after a restart."""
        return self.journal.acknowledge_notice(kiosk_order_id, self.service.clock.now())

    def _raise(self, order: Order, kind: NoticeKind) -> None:
        at = self.service.clock.now()
        if self.journal.raise_notice(order.kiosk_order_id, kind.value, at):
            log.info("notice for %s: %s", order.kiosk_order_id, kind.value)
            self.bus.publish(NoticeRaised(Notice(order, kind.value, at)))

    def on_order_changed(self, event: OrderChanged) -> None:
        # Money after the sale was over for the cashier: always worth telling.
        order = event.order
        if order.state is S.PAID and order.late:
            self._raise(order, NoticeKind.LATE_PAID)

    # --- one pass

    async def run(self, on_progress: Callable[[int, int], None] | None = None) -> RecoveryReport:
        """Re-check everything open now (start-up, reconnection, ``kiosk reconcile``).

        ``on_progress(done, total)`` is called before each order and once at
        the end (the manager's progress bar).
        """
        postponed: list[tuple[Order, GatewayError]] = []
        orders, deferred = self._to_check()
        changes = await self._pass(orders, postponed, on_progress)
        now = self.service.clock.now()
        report = RecoveryReport(
            at=now,
            checked=len(orders),
            changes=tuple(changes),
            postponed=tuple(postponed),
            still_open=tuple(self.journal.orders_needing_check(now)),
            deferred=deferred,
        )
        for line in report.lines():
            log.info("recovery: %s", line)
        return report

    def _to_check(self) -> tuple[list[Order], int]:
        """What this pass asks about, and how many due orders wait for the next one.

        Every order of unknown outcome, then the late-money sweep (``sweep``):
        orders not PAID inside the window that are due, newest first, while the
        hourly budget lasts. Orders some task follows now are left alone.
        """
        now = self.service.clock.now()
        followed = self.service.following
        orders = [
            order
            for order in self.journal.orders_needing_check(now)
            if not self.service.leaves_alone(order)
        ]
        for _ in orders:
            self._budget.take(now)  # counted, never refused: their outcome is unknown
        chosen = {order.kiosk_order_id for order in orders} | followed
        due = [
            order
            for order in self.journal.orders_to_sweep(self.sweep.window_start(now))
            if order.kiosk_order_id not in chosen
            and not self.service.leaves_alone(order)
            and can_take_money(order)
            and self.sweep.is_due(order, self._last_checked.get(order.kiosk_order_id), now)
        ]
        # Never asked first (newest first, as the journal lists them), then the
        # longest unasked: a backlog larger than the budget still gets its turn.
        due.sort(key=lambda order: self._last_checked.get(order.kiosk_order_id, EPOCH))
        deferred = 0
        for order in due:
            if not self._budget.take(now):
                deferred += 1
                continue
            orders.append(order)
        return orders, deferred

    async def sweep_forever(self) -> None:
        """Re-run the pass every ``sweep.every_s`` (a task next to the window)."""
        while True:
            await self.service.clock.sleep(self.sweep.every_s)
            try:
                await self.run()
            except KioskError:
                log.exception("late-money sweep failed; trying again next round")

    async def _pass(
        self,
        orders: list[Order],
        postponed: list[tuple[Order, GatewayError]],
        on_progress: Callable[[int, int], None] | None,
    ) -> list[tuple[Order, Order]]:
        """Ask the gateway about each order; (before, after) for each that changed.

        Orders still awaiting payment and not expired are left awaiting (a
        watcher follows them). Once the gateway is unreachable the rest are
        postponed too, rather than each waiting out its own timeout.
        """
        changes: list[tuple[Order, Order]] = []
        unreachable: GatewayUnavailable | None = None
        for done, order in enumerate(orders):
            if on_progress is not None:
                on_progress(done, len(orders))
            if unreachable is not None:
                postponed.append((order, unreachable))
                continue
            if self.service.leaves_alone(order):
                continue  # a watcher or the cashier's sale has it now
            try:
                after = await self._recheck(order)
                self._last_checked[order.kiosk_order_id] = self.service.clock.now()
            except asyncio.CancelledError:
                # Stopped (the services closing) with its move to PAID committed.
                self._tell_if_paid(order.kiosk_order_id)
                raise
            except GatewayError as exc:
                log.warning("recovery of %s postponed: %s", order.kiosk_order_id, exc)
                if isinstance(exc, GatewayUnavailable):
                    unreachable = exc
                postponed.append((order, exc))
                continue
            if after.state != order.state or after.late != order.late:
                changes.append((order, after))
                if after.state is S.PAID:
                    # At once, not at the end of the pass: a pass stopped later still told it.
                    self._tell_if_paid(after.kiosk_order_id)
        if on_progress is not None:
            on_progress(len(orders), len(orders))
        return changes

    async def _recheck(self, order: Order) -> Order:
        service = self.service
        report = await service.gateway.check_status(ref_of(order))
        now = service.clock.now()
        if crosscheck.mismatch(order, report) is not None:
            return await service.apply_report(order, report)  # flagged if "paid", else ignored
        if order.state in (S.NEW, S.CREATING):
            if report.state is PaymentState.NOT_FOUND:
                return await service.move(order, S.FAILED, failure_code="not_sent")
            if report.state is PaymentState.PENDING:
                # Created, but no QR was ever shown: stop it, and still watch
                # for money until a checkout timeout has passed.
                await service.try_cancel(order)
                return await service.move(
                    order,
                    S.CANCELLED,
                    failure_code="interrupted",
                    gateway_charge_id=report.charge_id,
                    gateway_order_id=report.gateway_order_id,
                    gateway_expires_at=now + timedelta(seconds=service.store.checkout_timeout_s),
                )
            if order.state is S.NEW:
                order = await service.move(order, S.CREATING)
            return await service.apply_report(order, report)
        if report.state is PaymentState.NOT_FOUND:
            log.warning("%s: the gateway does not know this order", order.kiosk_order_id)
            return order
        order = await service.apply_report(order, report)
        if order.state is S.AWAITING_PAYMENT and order.has_expired(now):
            order = await service.move(order, S.EXPIRED, failure_code="expired")
            await service.try_cancel(order)
        return order

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
        if order.kiosk_order_id in self._watchers or self.service.leaves_alone(order):
            return None
        if order.state is not S.AWAITING_PAYMENT and not (
            order.state in LATE_FROM and order.needs_checking(self.service.clock.now())
        ):
            return None
        task = asyncio.ensure_future(self._watch(order))
        self._watchers[order.kiosk_order_id] = task
        task.add_done_callback(lambda t: self._done(order.kiosk_order_id, t))
        return task

    def resume_watchers(self) -> int:
        """Watch every open order that no task follows yet (not the cashier's current sale)."""
        now = self.service.clock.now()
        open_orders = self.journal.orders_needing_check(now)
        return sum(1 for order in open_orders if self.watch(order) is not None)

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
        """Stop every background watch (the journal keeps what they found so far).

        A watch stopped while its PAID was committing (on the writer thread)
        ends without telling: the notice is raised here, from the journal, so
        the cashier hears of that money at the next start.
        """
        self._subscription.cancel()
        watched = dict(self._watchers)
        for task in watched.values():
            task.cancel()
        await asyncio.gather(*watched.values(), return_exceptions=True)
        for kiosk_order_id in watched:
            self._tell_if_paid(kiosk_order_id)

    def _tell_if_paid(self, kiosk_order_id: str) -> None:
        """The notice of money found on an order this service was checking (once per order).

        Only for orders a pass or a watcher took while not PAID: journaled PAID
        now, the money was found meanwhile.
        """
        order = self.journal.get(kiosk_order_id)
        if order is not None and order.state is S.PAID:
            self._raise(order, NoticeKind.LATE_PAID if order.late else NoticeKind.RECOVERED_PAID)


__all__ = ["NoticeKind", "RecoveryReport", "RecoveryService", "notice_text"]
