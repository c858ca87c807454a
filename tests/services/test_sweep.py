"""Late money is always found: the sweep re-checks unpaid orders for days, within a budget."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

import pytest

from kiosk.domain.attention import Reason
from kiosk.domain.clock import ManualClock
from kiosk.domain.money import Money
from kiosk.domain.order import Method, Order, OrderState
from kiosk.gateways.base import CreatedOrder, OrderRef, PaymentState, QrContent, StatusReport
from kiosk.services.checkout import CheckoutService
from kiosk.services.polling import PollPolicy
from kiosk.services.recovery import RecoveryService
from kiosk.services.sweep import SweepBudget, SweepPolicy, watched_until
from kiosk.store.journal import Journal
from tests.fakes import run, thai_qr
from tests.services.conftest import STORE

S = OrderState
AMOUNT = Money(30000)


class Bank:
    """A gateway that knows what each order's customer did; counts every status check."""

    name = "bank"
    methods = frozenset(Method)

    def __init__(self, clock: ManualClock) -> None:
        self.clock = clock
        self.paid: set[str] = set()
        self.checks: list[tuple[datetime, str]] = []
        self.created = 0

    async def create_order(
        self, *, kiosk_order_id: str, amount: Money, method: Method, description: str
    ) -> CreatedOrder:
        self.created += 1
        return CreatedOrder(
            gateway_order_id=f"order_{kiosk_order_id}",
            amount=amount,
            currency="THB",
            expire_time_s=120,
            qr=QrContent(text=thai_qr(amount)),
        )

    async def get_qr(self, ref: OrderRef) -> QrContent:
        raise AssertionError("the QR comes with the order")

    async def check_status(self, ref: OrderRef) -> StatusReport:
        self.checks.append((self.clock.now(), ref.kiosk_order_id))
        state = PaymentState.PAID if ref.kiosk_order_id in self.paid else PaymentState.PENDING
        return StatusReport(
            state,
            charge_id="chrg_1",
            gateway_order_id=ref.gateway_order_id,
            kiosk_order_id=ref.kiosk_order_id,
            amount=AMOUNT,
            currency="THB",
        )

    async def aclose(self) -> None:
        return None


@pytest.fixture
def bank(clock: ManualClock) -> Bank:
    return Bank(clock)


@pytest.fixture
def checkout(bank: Bank, journal: Journal, clock: ManualClock) -> CheckoutService:
    return CheckoutService(
        gateway=bank,
        journal=journal,
        clock=clock,
        store=STORE,
        poll=PollPolicy(fast_s=1, slow_s=5, fast_for_s=10, max_backoff_s=8),
    )


def expired_sale(checkout: CheckoutService, clock: ManualClock) -> Order:
    """A sale whose QR ran out (the kiosk's 60 s) with nobody paying."""
    order = run(checkout.start(AMOUNT))
    clock.advance(61)
    final = run(checkout.follow(order))
    assert final.state is S.EXPIRED
    return final


def test_money_after_the_gateways_expiry_is_found_by_a_reconcile_a_day_later(
    checkout: CheckoutService, bank: Bank, journal: Journal, clock: ManualClock
) -> None:
    order = expired_sale(checkout, clock)
    bank.paid.add(order.kiosk_order_id)  # the customer paid at the gateway, late
    clock.advance(24 * 3600)  # long past the gateway's own 120 s expiry: no watcher any more
    assert not order.needs_checking(clock.now())

    report = run(RecoveryService(service=checkout, journal=journal).run())

    after = journal.get(order.kiosk_order_id)
    assert after is not None and after.state is S.PAID and after.late
    assert report.paid == (after,)


def test_money_after_a_decline_is_found_too(
    checkout: CheckoutService, bank: Bank, journal: Journal, clock: ManualClock
) -> None:
    order = run(checkout.start(AMOUNT))
    declined = run(
        checkout.apply_report(
            order,
            StatusReport(
                PaymentState.DECLINED,
                gateway_order_id=order.gateway_order_id,
                kiosk_order_id=order.kiosk_order_id,
            ),
        )
    )
    assert declined.state is S.FAILED
    bank.paid.add(order.kiosk_order_id)
    clock.advance(3 * 3600)
    run(RecoveryService(service=checkout, journal=journal).run())
    after = journal.get(order.kiosk_order_id)
    assert after is not None and after.state is S.PAID and after.late


def test_what_cannot_take_money_is_not_asked_about(
    checkout: CheckoutService, bank: Bank, journal: Journal, clock: ManualClock
) -> None:
    never_created = journal.new_order(
        store_id="S001", terminal_id="T01", amount=AMOUNT, method=Method.QR, created_at=clock.now()
    )
    moved, record = never_created.transition(S.FAILED, clock.now(), failure_code="not_sent")
    journal.record(moved, record)
    flagged = run(checkout.flag(expired_sale(checkout, clock), Reason.AMOUNT))
    old = expired_sale(checkout, clock)
    clock.advance(8 * 24 * 3600)  # `old` and `flagged` now lie outside the 7-day window
    recent = expired_sale(checkout, clock)
    bank.checks.clear()

    run(RecoveryService(service=checkout, journal=journal).run())

    asked = {order_id for _, order_id in bank.checks}
    assert asked == {recent.kiosk_order_id}
    assert flagged.needs_attention and old.kiosk_order_id not in asked
    assert watched_until(moved, SweepPolicy()) is None
    assert watched_until(recent, SweepPolicy()) == recent.created_at + timedelta(days=7)


def test_the_hourly_budget_is_never_exceeded_and_nothing_is_left_out(
    checkout: CheckoutService, bank: Bank, journal: Journal, clock: ManualClock
) -> None:
    sweep = SweepPolicy(days=7, max_per_hour=50, every_s=600)
    for _ in range(120):
        expired_sale(checkout, clock)
    bank.checks.clear()
    recovery = RecoveryService(service=checkout, journal=journal, sweep=sweep)

    first = run(recovery.run())
    assert first.checked == 50 and first.deferred == 70
    for _ in range(6 * 6):  # six hours of sweep rounds
        clock.advance(sweep.every_s)
        run(recovery.run())

    times = [at for at, _ in bank.checks]
    for start in times:
        in_hour = sum(1 for at in times if start <= at < start + timedelta(hours=1))
        assert in_hour <= sweep.max_per_hour
    assert len({order_id for _, order_id in bank.checks}) == 120  # every order got its turn


def test_an_old_order_is_asked_about_less_often_than_a_new_one(
    checkout: CheckoutService, bank: Bank, journal: Journal, clock: ManualClock
) -> None:
    old = expired_sale(checkout, clock)
    clock.advance(3 * 24 * 3600)
    new = expired_sale(checkout, clock)
    clock.advance(3600)  # `new` is an hour old, `old` three days
    recovery = RecoveryService(service=checkout, journal=journal)
    bank.checks.clear()
    for _ in range(6 * 6):  # six hours, a round every 10 minutes
        run(recovery.run())
        clock.advance(600)
    counts = {order.kiosk_order_id: 0 for order in (old, new)}
    for _, order_id in bank.checks:
        counts[order_id] += 1
    assert counts[old.kiosk_order_id] == 1  # due again after 6 h
    assert counts[new.kiosk_order_id] >= 6


def test_a_clock_moved_back_does_not_refill_the_budget(clock: ManualClock) -> None:
    budget = SweepBudget(2)
    assert budget.take(clock.now()) and budget.take(clock.now())
    assert not budget.take(clock.now() - timedelta(hours=5))
    assert not budget.take(clock.now())
    assert budget.take(clock.now() + timedelta(hours=1))


def test_the_window_sweeps_in_the_background(
    checkout: CheckoutService, bank: Bank, journal: Journal, clock: ManualClock
) -> None:
    order = expired_sale(checkout, clock)
    clock.advance(24 * 3600)
    bank.paid.add(order.kiosk_order_id)
    recovery = RecoveryService(service=checkout, journal=journal)

    async def one_round() -> None:
        task = asyncio.ensure_future(recovery.sweep_forever())
        for _ in range(50):
            after = journal.get(order.kiosk_order_id)
            if after is not None and after.state is S.PAID:
                break
            await asyncio.sleep(0)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)

    run(one_round())
    after = journal.get(order.kiosk_order_id)
    assert after is not None and after.state is S.PAID and after.late
