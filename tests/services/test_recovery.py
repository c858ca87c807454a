"""Recovery passes, background watchers, and notices told once (scripted villa, manual clock)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import httpx

from kiosk.domain.clock import ManualClock
from kiosk.domain.events import Notice, NoticeRaised
from kiosk.domain.money import Money
from kiosk.domain.order import Method, Order, OrderState
from kiosk.services.checkout import CheckoutService
from kiosk.services.recovery import NoticeKind, RecoveryService, notice_text
from kiosk.store.journal import Journal
from tests.fakes import ScriptedVilla, paid, pending, run, start_left_open
from tests.services.conftest import make_service

S = OrderState
AMOUNT = Money(30000)
T = TypeVar("T")


def creating_order(journal: Journal, clock: ManualClock) -> Order:
    order = journal.new_order(
        store_id="S001", terminal_id="T01", amount=AMOUNT, method=Method.QR, created_at=clock.now()
    )
    creating, record = order.transition(S.CREATING, clock.now())
    journal.record(creating, record)
    return creating


def test_a_pass_reports_changes_raises_notices_once_and_they_survive_a_restart(
    service: CheckoutService,
    backend: ScriptedVilla,
    journal: Journal,
    clock: ManualClock,
    tmp_path: Path,
) -> None:
    awaiting = run(service.start(AMOUNT))  # then the kiosk "crashed"
    recovery = RecoveryService(service=service, journal=journal)
    told: list[Notice] = []
    recovery.bus.subscribe(NoticeRaised, lambda event: told.append(event.notice))
    backend.statuses = [paid()]

    report = run(recovery.run())

    assert report.checked == 1 and report.answered and not report.unreachable
    assert [o.kiosk_order_id for o in report.paid] == [awaiting.kiosk_order_id]
    assert report.lines() == [f"{awaiting.kiosk_order_id}: awaiting_payment -> paid  ฿300.00"]
    assert report.still_open == ()
    assert [(n.order.kiosk_order_id, n.kind) for n in told] == [
        (awaiting.kiosk_order_id, NoticeKind.RECOVERED_PAID)
    ]
    assert "found on re-check" in notice_text(told[0]).en
    assert run(recovery.run()).changes == ()
    assert len(told) == 1  # told once

    # A restart before the cashier saw it: still pending; after acknowledging: gone for good.
    again = RecoveryService(
        service=make_service(backend, journal, clock, tmp_path), journal=journal
    )
    assert [n.order.kiosk_order_id for n in again.pending_notices()] == [awaiting.kiosk_order_id]
    assert again.acknowledge(awaiting.kiosk_order_id)
    assert again.pending_notices() == [] and recovery.pending_notices() == []


def test_late_money_is_a_late_notice(
    service: CheckoutService, backend: ScriptedVilla, journal: Journal, clock: ManualClock
) -> None:
    recovery = RecoveryService(service=service, journal=journal)
    told: list[Notice] = []
    recovery.bus.subscribe(NoticeRaised, lambda event: told.append(event.notice))
    expired = run(service.run(AMOUNT))
    assert expired.state is S.EXPIRED and told == []
    backend.statuses = [pending(), paid()]

    async def scenario() -> Order:
        task = recovery.watch(expired)
        assert task is not None
        assert recovery.watch(expired) is None  # one watcher per order
        assert recovery.watching == {expired.kiosk_order_id}
        return await task

    late = run(scenario())
    assert late.state is S.PAID and late.late
    assert [(n.kind, n.order.late) for n in told] == [(NoticeKind.LATE_PAID, True)]
    assert "Late payment" in notice_text(told[0]).en and "ล่าช้า" in notice_text(told[0]).th
    assert recovery.watching == frozenset()


def test_an_unreachable_gateway_postpones_everything_after_one_try(
    service: CheckoutService, backend: ScriptedVilla, journal: Journal, clock: ManualClock
) -> None:
    first = run(service.start(AMOUNT))
    second = creating_order(journal, clock)
    recovery = RecoveryService(service=service, journal=journal)
    backend.statuses = [httpx.Response(503, json={})]
    before = len(backend.requests)

    report = run(recovery.run())

    assert len(backend.requests) - before == 1  # not one timeout per order
    assert report.unreachable and not report.answered and report.changes == ()
    assert [o.kiosk_order_id for o, _ in report.postponed] == [
        first.kiosk_order_id,
        second.kiosk_order_id,
    ]
    assert {o.kiosk_order_id for o in report.still_open} == {
        first.kiosk_order_id,
        second.kiosk_order_id,
    }
    assert any("not checked" in line for line in report.lines())


def test_resume_watchers_follows_open_orders_but_not_the_cashiers_sale(
    service: CheckoutService, backend: ScriptedVilla, journal: Journal, clock: ManualClock
) -> None:
    left_open = run(start_left_open(service, AMOUNT))
    current = run(start_left_open(service, AMOUNT))
    recovery = RecoveryService(service=service, journal=journal)
    told: list[Notice] = []
    recovery.bus.subscribe(NoticeRaised, lambda event: told.append(event.notice))
    backend.statuses = [paid()]

    async def scenario() -> None:
        with service.follows(current.kiosk_order_id):  # the cashier's own poller has it
            assert recovery.resume_watchers() == 1
            assert recovery.watching == {left_open.kiosk_order_id}
        assert recovery.resume_watchers() == 1  # now the other one; never a second watcher
        # The watchers write on the journal's thread: wait for them, not for loop turns.
        await asyncio.gather(*recovery._watchers.values())
        await recovery.aclose()

    run(scenario())
    assert {n.order.kiosk_order_id for n in told} == {
        left_open.kiosk_order_id,
        current.kiosk_order_id,
    }
    assert all(n.kind == NoticeKind.RECOVERED_PAID for n in told)


def test_nothing_to_watch(service: CheckoutService, backend: ScriptedVilla) -> None:
    recovery = RecoveryService(service=service, journal=service.journal)
    backend.statuses = [paid()]
    done = run(service.run(AMOUNT))
    assert done.state is S.PAID

    async def scenario() -> None:
        assert recovery.watch(done) is None
        assert recovery.resume_watchers() == 0
        await recovery.aclose()

    run(scenario())


class PassInTheGap:
    """The service's writes, with a recovery pass landing right after the NEW order's commit.

    With the writes on their own thread the loop runs other tasks between the
    commit of a sale's NEW record and the checkout's next step: a pass there
    must not take the sale's order for one a crash left.
    """

    def __init__(self, service: CheckoutService) -> None:
        self.inner = service.writes
        self.recovery = RecoveryService(service=service, journal=service.journal)
        self.reports: list[int] = []

    async def run(self, work: Callable[[Journal], T]) -> T:
        done = await self.inner.run(work)
        if isinstance(done, Order) and done.state is S.NEW and not self.reports:
            report = await self.recovery.run()
            self.reports.append(report.checked)
            self.recovery.resume_watchers()
            assert not self.recovery.watching
        return done


def test_a_pass_between_the_sales_new_record_and_its_next_step_leaves_the_sale_alone(
    service: CheckoutService, backend: ScriptedVilla, journal: Journal
) -> None:
    service.writes = PassInTheGap(service)
    backend.statuses = [httpx.Response(404, json={"error": {"code": "not_found"}}), paid()]
    order = run(service.start(AMOUNT))
    assert service.writes.reports == [0]  # the pass ran, and asked about nothing
    assert order.state is S.AWAITING_PAYMENT
    assert [t.to_state for t in journal.history(order.kiosk_order_id)] == [
        S.CREATING,
        S.AWAITING_PAYMENT,
    ]
    assert backend.paths_called()[:2] == ["/kbank/order", "/qrpayment"]
