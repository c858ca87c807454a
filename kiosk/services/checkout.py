"""One checkout, step by step (ARCHITECTURE.md "One checkout").

1. check the amount; 2. journal NEW (the kiosk order id is the idempotency
key); 3. create at the gateway, check amount/currency and the QR, journal
AWAITING_PAYMENT; 4. poll (never two checks in flight) until paid, failed,
expired or cancelled; 5. after expiry/cancel keep watching for a late payment
until the gateway's own expiry. Every change is journaled, then published on
the event bus (``OrderChanged``, ``ActivityChanged``): listeners hear of it
after the commit, never inside it. Re-checking what a crash left open is
``RecoveryService``'s job; it leaves alone every order this service is
following (``following``), so one order never has two checks in flight.

Size (about 420 lines): the checkout steps 1-5 read top to bottom in one
place on purpose; recovery, polling policy and connectivity are elsewhere.
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import TypeVar

from kiosk.domain import thaiqr
from kiosk.domain.attention import CASHIER_TEXT, Attention, Reason
from kiosk.domain.clock import Clock
from kiosk.domain.documents import sale_ref_of
from kiosk.domain.errors import (
    BadGatewayResponse,
    GatewayError,
    GatewayUnavailable,
    IllegalTransition,
    InputError,
    KioskError,
    QrRejected,
    SaleFailed,
    SaleOpen,
    StoreError,
    Text,
    UnexpectedError,
    UnsafeAnswer,
)
from kiosk.domain.events import Activity, ActivityChanged, OrderChanged
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
from kiosk.infra.bus import EventBus
from kiosk.infra.config import StoreSettings
from kiosk.receipts.log import ReceiptLog
from kiosk.services import crosscheck
from kiosk.services.polling import PollPolicy
from kiosk.store.journal import Journal
from kiosk.store.writer import InlineJournal, JournalWrites

log = logging.getLogger("kiosk.checkout")

T = TypeVar("T")

S = OrderState
FLAGGED = "needs_attention"  # failure_code of a sale ended by a flag for the manager
OPEN_STATES = frozenset({S.NEW, S.CREATING, S.AWAITING_PAYMENT})
MAX_TTL_S = 86_400  # a gateway expiry beyond a day is not believed (the kiosk's own applies)


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
        bus: EventBus | None = None,
        sandbox: bool = False,
        writes: JournalWrites | None = None,
    ) -> None:
        self.gateway = gateway
        self.journal = journal  # reads; writes go through ``writes``
        # Off the event loop in the kiosk (kiosk.store.writer.JournalThread):
        # a durable commit waits for the disk, and the window must not.
        self.writes = writes or InlineJournal(journal)
        self.clock = clock
        self.store = store
        self.poll = poll or PollPolicy()
        self.receipts = receipts
        self._rng = rng or random.Random()
        self._create_attempts = create_attempts
        self.bus = bus or EventBus()
        self._following: dict[str, int] = {}
        self._starting = False
        # The gateway is the sandbox: every order is journaled as a test sale
        # (its slips say TEST, it stays out of real series, batches and totals).
        self.sandbox = sandbox

    # --- what listeners hear

    def _tell(self, order: Order) -> None:
        self.bus.publish(OrderChanged(order))

    def _busy(self, order: Order, activity: Activity) -> None:
        self.bus.publish(ActivityChanged(order, activity))

    # --- who follows which order

    @property
    def following(self) -> frozenset[str]:
        """Orders some task is polling right now (the cashier's sale, a watcher)."""
        return frozenset(self._following)

    def is_followed(self, kiosk_order_id: str) -> bool:
        return kiosk_order_id in self._following

    def leaves_alone(self, order: Order) -> bool:
        """Whether ``order`` belongs to a task of this service, so nobody else may move it.

        A followed order, and while a sale is starting any NEW order: the
        sale's own is journaled (on the writer thread) a moment before its id
        is known here and followed, and another pass must not end it then.
        (A NEW order left by a crash blocks a new sale, so none is left then.)
        """
        return self.is_followed(order.kiosk_order_id) or (self._starting and order.state is S.NEW)

    @contextmanager
    def follows(self, kiosk_order_id: str) -> Iterator[None]:
        """While inside, ``kiosk_order_id`` counts as followed (recovery leaves it alone)."""
        release = self.claim(kiosk_order_id)
        try:
            yield
        finally:
            release()

    def claim(self, kiosk_order_id: str) -> Callable[[], None]:
        """Count ``kiosk_order_id`` as followed until the returned function is called.

        For a caller that hands a started sale to a task of its own (the
        window): the task takes its first step on a later turn of the loop,
        and no recovery pass may take the order meanwhile. A second call of
        the function does nothing.
        """
        self._following[kiosk_order_id] = self._following.get(kiosk_order_id, 0) + 1
        released = False

        def release() -> None:
            nonlocal released
            if released:
                return
            released = True
            left = self._following[kiosk_order_id] - 1
            if left:
                self._following[kiosk_order_id] = left
            else:
                del self._following[kiosk_order_id]

        return release

    # --- journaled moves

    async def move(
        self,
        order: Order,
        to: OrderState,
        *,
        attention: Attention | None = None,
        **changes: object,
    ) -> Order:
        """Journal the move (and a flag for the manager, atomically), then tell listeners.

        A stale order is re-read. A move to PAID is refused (the order is
        returned as journaled) while the order needs the manager's attention.
        A move is whole: a cancel of the caller (the window closing) that lands
        while its commit is on the writer thread waits for the commit, its
        receipt line and its listeners, then goes on (a PAID nobody heard of
        would reach no receipt log and no notice).
        """
        whole = asyncio.ensure_future(self._move(order, to, attention=attention, **changes))
        try:
            return await asyncio.shield(whole)
        except asyncio.CancelledError:
            while not whole.done():
                try:
                    await asyncio.wait({whole})
                except asyncio.CancelledError:
                    continue  # cancelled again: the move still ends first
            if not whole.cancelled():
                whole.exception()  # heard of (logged by whoever catches the cancel)
            raise

    async def _move(
        self,
        order: Order,
        to: OrderState,
        *,
        attention: Attention | None = None,
        **changes: object,
    ) -> Order:
        try:
            moved, record = order.transition(to, self.clock.now(), **changes)  # type: ignore[arg-type]
            if attention is not None:
                moved = replace(moved, attention=attention)
            receipts = self.receipts if to.is_final else None

            def commit(journal: Journal) -> None:
                journal.record(moved, record, attention=attention)
                if receipts is not None:
                    # The log's fsync waits for the disk too; in the same job as the
                    # record, so a line is never asked for without its record, nor lost.
                    try:
                        receipts.append(moved)
                    except OSError:
                        log.exception("receipt log write failed for %s", moved.kiosk_order_id)

            await self.writes.run(commit)
        except IllegalTransition:
            # Another task (recovery, a late watcher) moved it first.
            current = self.journal.get(order.kiosk_order_id)
            if current is None or current.state == order.state:
                raise
            log.info("%s was moved elsewhere to %s", order.kiosk_order_id, current.state)
            if to is S.PAID and current.needs_attention:
                return current
            if to in ALLOWED[current.state]:
                return await self._move(current, to, attention=attention, **changes)
            return current
        log.info(
            "%s %s -> %s%s",
            moved.kiosk_order_id,
            order.state.value,
            to.value,
            " (late)" if moved.late and to is S.PAID else "",
        )
        self._tell(moved)
        return moved

    async def _fail(self, order: Order, cause: KioskError, code: str) -> SaleFailed:
        failed = await self.move(order, S.FAILED, failure_code=code, failure_message=cause.text.en)
        return SaleFailed(failed, cause)

    # --- steps 1-3

    async def start(
        self, amount: Money, method: Method = Method.QR, sale_ref: str | None = None
    ) -> Order:
        """Check, journal, create and verify; returns the order AWAITING_PAYMENT.

        ``sale_ref``: the main till's bill number, kept with the order.
        Raises InputError before anything is journaled (a bad amount,
        method or sale reference; ``SaleOpen`` while another sale is starting or an earlier
        one's outcome is unknown), or SaleFailed with the order journaled
        FAILED — whatever broke, an unexpected exception included. A
        cancellation (SIGTERM, the window closing) leaves the order CREATING
        for recovery.
        """
        check_amount(amount, self.store.max_amount)
        ref = sale_ref_of(sale_ref)  # InvalidSaleRef: too long once cleaned
        if method not in self.gateway.methods:
            raise InputError(
                f"method {method.value} not offered",
                text=Text(
                    "This payment method is not available at this counter.",
                    "เครื่องนี้ไม่รองรับวิธีชำระเงินนี้",
                ),
            )
        if self._starting:
            raise SaleOpen("another sale is being started")
        open_orders = self.unresolved()
        if open_orders:
            raise SaleOpen(f"outcome of {open_orders[0].kiosk_order_id} not known yet")
        self._starting = True
        try:
            created_at = self.clock.now()
            order = await self.writes.run(
                lambda journal: journal.new_order(
                    store_id=self.store.store_id,
                    terminal_id=self.store.terminal_id,
                    amount=amount,
                    method=method,
                    created_at=created_at,
                    description=f"{self.store.name} {amount.plain()} THB",
                    sale_ref=ref,
                    sandbox=self.sandbox,
                )
            )
            with self.follows(order.kiosk_order_id):
                return await self._create(order)
        finally:
            self._starting = False

    def unresolved(self) -> list[Order]:
        """Orders of unknown outcome: NEW, CREATING or AWAITING_PAYMENT and followed by no task.

        A new sale waits for these (recovery resolves them): charging again
        could take a customer's money twice. Expired and cancelled orders
        watched only for late money do not count.
        """
        now = self.clock.now()
        return [
            order
            for order in self.journal.orders_needing_check(now)
            if order.state in OPEN_STATES and not self.leaves_alone(order)
        ]

    async def _create(self, order: Order) -> Order:
        self._tell(order)
        order = await self.move(order, S.CREATING)
        if order.state is not S.CREATING:
            # Another task ended it first: an order the journal says is over is never sent.
            raise SaleFailed(order, UnexpectedError("moved elsewhere before it was sent"))
        try:
            return await self._create_and_check(order)
        except (SaleFailed, StoreError):
            raise  # already journaled FAILED / nothing more can be journaled
        except Exception as exc:
            # Whatever an answer did to us, the sale ends in a defined state.
            # Only the type is kept: the text may be the gateway's.
            log.exception("%s: unexpected failure while starting", order.kiosk_order_id)
            cause = UnexpectedError(type(exc).__name__)
            current = self.journal.get(order.kiosk_order_id) or order
            await self.try_cancel(current)
            if current.state.is_final:
                raise SaleFailed(current, cause) from exc
            raise await self._fail(current, cause, cause.failure_code) from exc

    async def _create_and_check(self, order: Order) -> Order:
        amount, method = order.amount, order.method
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
            raise await self._fail(order, exc, exc.failure_code) from exc
        # Keep the gateway's id on the order so a cancel can name it.
        order = replace(
            order,
            gateway_order_id=created.gateway_order_id,
            extra={**order.extra, **dict(created.merchant_ids)},  # in memory: for the slip
        )
        try:
            self._check_answer(order, created)
            qr = created.qr
            if qr is None:
                qr = await self._with_retries(lambda: self.gateway.get_qr(ref_of(order)))
            self._check_qr(order, qr)
        except (UnsafeAnswer, QrRejected, GatewayError) as exc:
            await self.try_cancel(order)
            raise await self._fail(order, exc, exc.failure_code) from exc
        started = order.created_at
        gateway_ttl = created.expire_time_s
        if gateway_ttl is None or not 0 < gateway_ttl <= MAX_TTL_S:
            gateway_ttl = self.store.checkout_timeout_s
        return await self.move(
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
        """Every QR text, of every method, is checked (and known drawable) before it is shown."""
        if qr.text:
            thaiqr.check_shown(
                qr.text,
                thai_qr=order.method is Method.QR,
                order_amount=order.amount,
                expected_payee=self.store.expected_payee or None,
            )
        elif order.method is Method.QR and qr.image_png is not None:
            if self.store.expected_payee:
                raise QrRejected("payee", "an image-only QR cannot be checked for the payee")
            log.warning("%s: image-only QR shown unchecked", order.kiosk_order_id)
        elif not qr.image_png:
            raise BadGatewayResponse("empty QR")

    async def try_cancel(self, order: Order) -> bool:
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
        with self.follows(order.kiosk_order_id):
            return await self._follow(order, cancel or CancelToken.new())

    async def _follow(self, order: Order, cancel: CancelToken) -> Order:
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
                order = await self.apply_report(order, report)
                if order.state.is_final:
                    break
                elapsed = (self.clock.now() - order.created_at).total_seconds()
                delay = self.poll.interval(elapsed)
            left = order.seconds_left(self.clock.now())
            if left is not None:
                delay = min(delay, left)
            await self._pause(delay, cancel)
        return order

    async def apply_report(self, order: Order, report: StatusReport) -> Order:
        """Act on a status answer, once it is known to be about this order and this sale.

        A "paid" that does not add up (``crosscheck.mismatch``) flags the
        order for the manager instead; any other answer that does not is
        ignored. Nothing turns a flagged order into PAID.
        """
        state = report.state
        problem = crosscheck.mismatch(order, report)
        if problem is not None:
            if state is PaymentState.PAID and order.state is not S.PAID:
                return await self.flag(order, problem, report.raw)
            log.warning(
                "%s: ignored a %s answer that does not match the order (%s)",
                order.kiosk_order_id,
                state.value,
                problem.value,
            )
            return order
        if state is PaymentState.PAID and order.state is not S.PAID:
            if order.needs_attention:
                return order
            return await self.move(order, S.PAID, gateway_charge_id=report.charge_id)
        if order.state.is_final:
            return order
        if state is PaymentState.DECLINED:
            return await self.move(
                order,
                S.FAILED,
                gateway_charge_id=report.charge_id,
                failure_code=report.failure_code or "declined",
                failure_message=report.failure_message or "Declined by the customer's bank.",
            )
        if state is PaymentState.EXPIRED:
            return await self.move(order, S.EXPIRED, failure_code=report.failure_code)
        if state is PaymentState.CANCELLED:
            return await self.move(order, S.CANCELLED, failure_code=report.failure_code)
        return order

    async def flag(
        self, order: Order, reason: Reason, raw: tuple[tuple[str, str], ...] = ()
    ) -> Order:
        """Flag ``order`` for the manager; a sale still open for the cashier ends FAILED.

        The flag and the move are one journal transaction, then listeners hear
        of it (``OrderChanged`` with ``order.attention`` set). An order flagged
        before keeps its first flag.
        """
        current = self.journal.get(order.kiosk_order_id) or order
        if current.attention is not None:
            return current
        attention = Attention(
            kiosk_order_id=order.kiosk_order_id,
            reason=reason,
            raised_at=self.clock.now(),
            raw=tuple(sorted(raw)),  # as the journal gives it back
        )
        if current.state in OPEN_STATES:
            return await self.move(
                current,
                S.FAILED,
                attention=attention,
                failure_code=FLAGGED,
                failure_message=CASHIER_TEXT.en,
            )
        if not await self.writes.run(lambda journal: journal.flag_attention(attention)):
            return self.journal.get(order.kiosk_order_id) or current
        flagged = replace(current, attention=attention)
        self._tell(flagged)
        return flagged

    async def _final_check(self, order: Order) -> Order:
        """One more look before giving up on a sale: the money may just have come."""
        try:
            report = await self.gateway.check_status(ref_of(order))
        except GatewayError as exc:
            log.warning("%s: final status check failed: %s", order.kiosk_order_id, exc)
            return order
        return await self.apply_report(order, report)

    async def _expire(self, order: Order) -> Order:
        order = await self._final_check(order)
        if order.state.is_final:
            return order
        order = await self.move(order, S.EXPIRED, failure_code="expired")
        await self.try_cancel(order)
        return order

    async def _cancel(self, order: Order) -> Order:
        await self.try_cancel(order)
        order = await self._final_check(order)
        if order.state.is_final:
            return order
        return await self.move(order, S.CANCELLED, failure_code="cancelled_by_cashier")

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
        with self.follows(order.kiosk_order_id):
            return await self._watch_late(order)

    async def _watch_late(self, order: Order) -> Order:
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
                    return await self.apply_report(order, report)
                if report.state in (PaymentState.DECLINED, PaymentState.NOT_FOUND):
                    return order
                delay = self.poll.slow_s
            assert order.gateway_expires_at is not None
            left = (order.gateway_expires_at - self.clock.now()).total_seconds()
            await self.clock.sleep(max(0.0, min(delay, left)))
        return order

    async def run(
        self,
        amount: Money,
        method: Method = Method.QR,
        cancel: CancelToken | None = None,
        sale_ref: str | None = None,
    ) -> Order:
        return await self.follow(await self.start(amount, method, sale_ref), cancel)


__all__ = ["CancelToken", "CheckoutService"]
