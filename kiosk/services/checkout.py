"""One checkout, step by step (ARCHITECTURE.md "One checkout").

1. check the amount; 2. journal NEW (the kiosk order id is the idempotency
key); 3. create at the gateway, check amount/currency and the QR, journal
AWAITING_PAYMENT; 4. poll (never two checks in flight) until paid, failed,
expired or cancelled; 5. after expiry/cancel keep watching for a late payment
until the gateway's own expiry. Every change is journaled before listeners
(the UI) hear of it. Recovery re-checks what a crash left open.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import TypeVar

from kiosk.domain import thaiqr
from kiosk.domain.clock import Clock
from kiosk.domain.errors import (
    BadGatewayResponse,
    GatewayError,
    GatewayUnavailable,
    IllegalTransition,
    InputError,
    KioskError,
    QrRejected,
    SaleFailed,
    Text,
    UnsafeAnswer,
)
from kiosk.domain.money import CURRENCY, Money, check_amount
from kiosk.domain.order import ALLOWED, Method, Order, OrderState
from kiosk.gateways.base import (
    CreatedOrder,
    OrderRef,
    PaymentGateway,
    PaymentState,
    QrContent,
    StatusReport,
    SupportsCancel,
)
from kiosk.infra.config import StoreSettings
from kiosk.receipts.log import ReceiptLog
from kiosk.services.activity import Activity
from kiosk.services.polling import PollPolicy
from kiosk.store.journal import Journal

log = logging.getLogger("kiosk.checkout")

T = TypeVar("T")

S = OrderState


OrderListener = Callable[[Order], None]
ActivityListener = Callable[[Order, Activity], None]


@dataclass
class CancelToken:
    """Set by the cashier's Cancel; the poller notices at once."""

    event: asyncio.Event

    @classmethod
    def new(cls) -> CancelToken:
        return cls(asyncio.Event())

    def cancel(self) -> None:
        self.event.set()

    @property
    def requested(self) -> bool:
        return self.event.is_set()


def ref_of(order: Order) -> OrderRef:
    return OrderRef(order.kiosk_order_id, order.gateway_order_id, order.method)


def cancel_capable(gateway: PaymentGateway) -> SupportsCancel | None:
    if isinstance(gateway, SupportsCancel) and getattr(gateway, "can_cancel", True):
        return gateway
    return None


class CheckoutService:
    def __init__(
        self,
        *,
        gateway: PaymentGateway,
        journal: Journal,
        clock: Clock,
        store: StoreSettings,
        poll: PollPolicy | None = None,
        receipts: ReceiptLog | None = None,
        rng: random.Random | None = None,
        create_attempts: int = 3,
    ) -> None:
        self.gateway = gateway
        self.journal = journal
        self.clock = clock
        self.store = store
        self.poll = poll or PollPolicy()
        self.receipts = receipts
        self._rng = rng or random.Random()
        self._create_attempts = create_attempts
        self._order_listeners: list[OrderListener] = []
        self._activity_listeners: list[ActivityListener] = []

    # --- listeners

    def on_order(self, listener: OrderListener) -> None:
        self._order_listeners.append(listener)

    def on_activity(self, listener: ActivityListener) -> None:
        self._activity_listeners.append(listener)

    def _tell(self, order: Order) -> None:
        for listener in self._order_listeners:
            listener(order)

    def _busy(self, order: Order, activity: Activity) -> None:
        for listener in self._activity_listeners:
            listener(order, activity)

    # --- journaled moves

    def _move(self, order: Order, to: OrderState, **changes: object) -> Order:
        """Journal the move, then tell listeners. A stale order is re-read."""
        try:
            moved, record = order.transition(to, self.clock.now(), **changes)  # type: ignore[arg-type]
            self.journal.record(moved, record)
        except IllegalTransition:
            # Another task (recovery, a late watcher) moved it first.
            current = self.journal.get(order.kiosk_order_id)
            if current is None or current.state == order.state:
                raise
            log.info("%s was moved elsewhere to %s", order.kiosk_order_id, current.state)
            if to in ALLOWED[current.state]:
                return self._move(current, to, **changes)
            return current
        log.info(
            "%s %s -> %s%s",
            moved.kiosk_order_id,
            order.state.value,
            to.value,
            " (late)" if moved.late and to is S.PAID else "",
        )
        self._tell(moved)
        if to.is_final and self.receipts is not None:
            try:
                self.receipts.append(moved)
            except OSError:
                log.exception("receipt log write failed for %s", moved.kiosk_order_id)
        return moved

    def _fail(self, order: Order, cause: KioskError, code: str) -> SaleFailed:
        failed = self._move(order, S.FAILED, failure_code=code, failure_message=cause.text.en)
        return SaleFailed(failed, cause)

    # --- steps 1-3

    async def start(self, amount: Money, method: Method = Method.QR) -> Order:
        """Check, journal, create and verify; returns the order AWAITING_PAYMENT.

        Raises InputError before anything is journaled, or SaleFailed with the
        order journaled FAILED.
        """
        check_amount(amount, self.store.max_amount)
        if method not in self.gateway.methods:
            raise InputError(
                f"method {method.value} not offered",
                text=Text(
                    "This payment method is not available at this counter.",
                    "เครื่องนี้ไม่รองรับวิธีชำระเงินนี้",
                ),
            )
        order = self.journal.new_order(
            store_id=self.store.store_id,
            terminal_id=self.store.terminal_id,
            amount=amount,
            method=method,
            created_at=self.clock.now(),
            description=f"{self.store.name} {amount.plain()} THB",
        )
        self._tell(order)
        order = self._move(order, S.CREATING)
        try:
            created = await self._with_retries(
                lambda: self.gateway.create_order(
                    kiosk_order_id=order.kiosk_order_id,
                    amount=amount,
                    method=method,
                    description=order.description,
                )
            )
        except GatewayError as exc:
            raise self._fail(order, exc, exc.code or _code_of(exc)) from exc
        # Keep the gateway's id on the order so a cancel can name it.
        order = replace(order, gateway_order_id=created.gateway_order_id)
        try:
            self._check_answer(order, created)
            qr = created.qr
            if qr is None:
                qr = await self._with_retries(lambda: self.gateway.get_qr(ref_of(order)))
            self._check_qr(order, qr)
        except (UnsafeAnswer, QrRejected, GatewayError) as exc:
            await self._try_cancel(order)
            code = f"qr_{exc.reason}" if isinstance(exc, QrRejected) else _code_of(exc)
            raise self._fail(order, exc, code) from exc
        started = order.created_at
        gateway_ttl = created.expire_time_s or self.store.checkout_timeout_s
        return self._move(
            order,
            S.AWAITING_PAYMENT,
            gateway_order_id=created.gateway_order_id,
            reference_order=created.reference_order,
            qr_payload=qr.text,
            qr_image_png=qr.image_png,
            ttl_s=min(gateway_ttl, self.store.checkout_timeout_s),
            gateway_expires_at=started + timedelta(seconds=gateway_ttl),
        )

    async def _with_retries(self, call: Callable[[], Awaitable[T]]) -> T:
        """Retry what is safe to repeat: the same kiosk order id never makes a second order."""
        failures = 0
        while True:
            try:
                return await call()
            except (GatewayUnavailable, BadGatewayResponse) as exc:
                failures += 1
                if failures >= self._create_attempts:
                    raise
                delay = self.poll.backoff(failures, self._rng, exc.retry_after)
                log.warning("gateway call failed (%s); retry %d in %.1fs", exc, failures, delay)
                await self.clock.sleep(delay)

    def _check_answer(self, order: Order, created: CreatedOrder) -> None:
        """The safety rule: the gateway's amount and currency must be the cashier's."""
        if created.amount != order.amount or (created.currency or "") != CURRENCY:
            got = created.amount.plain() if created.amount else "?"
            raise UnsafeAnswer(
                f"gateway answered {got} {created.currency}, sale is {order.amount.plain()} THB",
                code="amount_mismatch",
            )

    def _check_qr(self, order: Order, qr: QrContent) -> None:
        if order.method is Method.QR:
            if qr.text is None:
                if self.store.expected_payee:
                    raise QrRejected("payee", "an image-only QR cannot be checked for the payee")
                log.warning("%s: image-only QR shown unchecked", order.kiosk_order_id)
                return
            if not thaiqr.is_emvco(qr.text):
                raise thaiqr.reject("format", "not an EMVCo payload")
            thaiqr.check(
                qr.text,
                order_amount=order.amount,
                expected_payee=self.store.expected_payee or None,
            )
        elif not (qr.text or qr.image_png):
            raise BadGatewayResponse("empty QR")

    async def _try_cancel(self, order: Order) -> bool:
        gateway = cancel_capable(self.gateway)
        if gateway is None:
            return False
        try:
            await gateway.cancel(ref_of(order))
            return True
        except GatewayError as exc:
            log.warning("%s: cancel at the gateway failed: %s", order.kiosk_order_id, exc)
            return False

    # --- steps 4-5

    async def follow(self, order: Order, cancel: CancelToken | None = None) -> Order:
        """Poll until the sale is over for the cashier; returns the final order."""
        cancel = cancel or CancelToken.new()
        failures = 0
        while not order.state.is_final:
            now = self.clock.now()
            if cancel.requested:
                return await self._cancel(order)
            if order.has_expired(now):
                return await self._expire(order)
            self._busy(order, Activity.CHECKING)
            try:
                report = await self.gateway.check_status(ref_of(order))
            except GatewayError as exc:
                failures += 1
                self._busy(order, Activity.CONNECTION_PROBLEM)
                delay = self.poll.backoff(failures, self._rng, exc.retry_after)
                log.warning("%s: status check failed: %s", order.kiosk_order_id, exc)
            else:
                failures = 0
                self._busy(order, Activity.OK)
                order = self._apply(order, report)
                if order.state.is_final:
                    break
                elapsed = (self.clock.now() - order.created_at).total_seconds()
                delay = self.poll.interval(elapsed)
            left = order.seconds_left(self.clock.now())
            if left is not None:
                delay = min(delay, left)
            await self._pause(delay, cancel)
        return order

    def _apply(self, order: Order, report: StatusReport) -> Order:
        state = report.state
        if state is PaymentState.PAID and order.state is not S.PAID:
            return self._move(order, S.PAID, gateway_charge_id=report.charge_id)
        if order.state.is_final:
            return order
        if state is PaymentState.DECLINED:
            return self._move(
                order,
                S.FAILED,
                gateway_charge_id=report.charge_id,
                failure_code=report.failure_code or "declined",
                failure_message=report.failure_message or "Declined by the customer's bank.",
            )
        if state is PaymentState.EXPIRED:
            return self._move(order, S.EXPIRED, failure_code=report.failure_code)
        if state is PaymentState.CANCELLED:
            return self._move(order, S.CANCELLED, failure_code=report.failure_code)
        return order

    async def _final_check(self, order: Order) -> Order:
        """One more look before giving up on a sale: the money may just have come."""
        try:
            report = await self.gateway.check_status(ref_of(order))
        except GatewayError as exc:
            log.warning("%s: final status check failed: %s", order.kiosk_order_id, exc)
            return order
        return self._apply(order, report)

    async def _expire(self, order: Order) -> Order:
        order = await self._final_check(order)
        if order.state.is_final:
            return order
        order = self._move(order, S.EXPIRED, failure_code="expired")
        await self._try_cancel(order)
        return order

    async def _cancel(self, order: Order) -> Order:
        await self._try_cancel(order)
        order = await self._final_check(order)
        if order.state.is_final:
            return order
        return self._move(order, S.CANCELLED, failure_code="cancelled_by_cashier")

    async def _pause(self, seconds: float, cancel: CancelToken) -> None:
        """Sleep on the clock, but wake at once when the cashier cancels."""
        if cancel.requested or seconds <= 0:
            return
        sleeper = asyncio.ensure_future(self.clock.sleep(seconds))
        waiter = asyncio.ensure_future(cancel.event.wait())
        try:
            await asyncio.wait({sleeper, waiter}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (sleeper, waiter):
                task.cancel()

    async def watch_late(self, order: Order) -> Order:
        """After expiry/cancel: keep checking until paid or the gateway's expiry passes."""
        failures = 0
        while order.needs_checking(self.clock.now()) and order.state is not S.PAID:
            try:
                report = await self.gateway.check_status(ref_of(order))
            except GatewayError as exc:
                failures += 1
                delay = self.poll.backoff(failures, self._rng, exc.retry_after)
            else:
                failures = 0
                if report.state is PaymentState.PAID:
                    return self._move(order, S.PAID, gateway_charge_id=report.charge_id)
                if report.state in (PaymentState.DECLINED, PaymentState.NOT_FOUND):
                    return order
                delay = self.poll.slow_s
            assert order.gateway_expires_at is not None
            left = (order.gateway_expires_at - self.clock.now()).total_seconds()
            await self.clock.sleep(max(0.0, min(delay, left)))
        return order

    async def run(
        self, amount: Money, method: Method = Method.QR, cancel: CancelToken | None = None
    ) -> Order:
        return await self.follow(await self.start(amount, method), cancel)

    # --- step 6: recovery

    async def recover(
        self,
        on_postponed: Callable[[Order, GatewayError], None] | None = None,
        on_progress: Callable[[int, int], None] | None = None,
    ) -> list[tuple[Order, Order]]:
        """Re-check every order a crash or a closed window left open.

        Returns (before, after) for each order whose state changed. Orders
        still awaiting payment and not expired are left awaiting; callers may
        ``follow`` them. An order the gateway could not be asked about is
        passed to ``on_postponed``; once the gateway is unreachable the rest
        are postponed too, rather than each waiting out its own timeout.
        ``on_progress(done, total)`` is called before each order and once at
        the end (the manager's progress bar).
        """
        changes: list[tuple[Order, Order]] = []
        unreachable: GatewayUnavailable | None = None
        orders = self.journal.orders_needing_check(self.clock.now())
        for done, order in enumerate(orders):
            if on_progress is not None:
                on_progress(done, len(orders))
            if unreachable is not None:
                if on_postponed is not None:
                    on_postponed(order, unreachable)
                continue
            try:
                after = await self._recheck(order)
            except GatewayError as exc:
                log.warning("recovery of %s postponed: %s", order.kiosk_order_id, exc)
                if isinstance(exc, GatewayUnavailable):
                    unreachable = exc
                if on_postponed is not None:
                    on_postponed(order, exc)
                continue
            if after.state != order.state or after.late != order.late:
                changes.append((order, after))
        if on_progress is not None:
            on_progress(len(orders), len(orders))
        return changes

    async def _recheck(self, order: Order) -> Order:
        report = await self.gateway.check_status(ref_of(order))
        now = self.clock.now()
        if order.state in (S.NEW, S.CREATING):
            if report.state is PaymentState.NOT_FOUND:
                return self._move(order, S.FAILED, failure_code="not_sent")
            if report.state is PaymentState.PENDING:
                # Created, but no QR was ever shown: stop it, and still watch
                # for money until a checkout timeout has passed.
                await self._try_cancel(order)
                return self._move(
                    order,
                    S.CANCELLED,
                    failure_code="interrupted",
                    gateway_charge_id=report.charge_id,
                    gateway_order_id=report.gateway_order_id,
                    gateway_expires_at=now + timedelta(seconds=self.store.checkout_timeout_s),
                )
            if order.state is S.NEW:
                order = self._move(order, S.CREATING)
            return self._apply(order, report)
        if report.state is PaymentState.NOT_FOUND:
            log.warning("%s: the gateway does not know this order", order.kiosk_order_id)
            return order
        order = self._apply(order, report)
        if order.state is S.AWAITING_PAYMENT and order.has_expired(now):
            order = self._move(order, S.EXPIRED, failure_code="expired")
            await self._try_cancel(order)
        return order


def _code_of(exc: KioskError) -> str:
    if isinstance(exc, GatewayError) and exc.code:
        return exc.code
    return {
        "GatewayTimeout": "timeout",
        "GatewayUnavailable": "unreachable",
        "AuthError": "auth",
        "BadGatewayResponse": "bad_response",
        "GatewayRejected": "rejected",
        "UnsafeAnswer": "amount_mismatch",
    }.get(type(exc).__name__, "error")


__all__ = ["Activity", "CancelToken", "CheckoutService"]
