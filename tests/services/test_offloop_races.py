"""Other loop tasks landing at every await of a checkout's journal writes (the writer thread).

With the journal's writes on ``JournalThread`` every ``await self.writes.run(...)``
of a checkout is a point where the loop runs something else: a recovery pass,
the background watchers, a second Charge, the cashier's Cancel, another follow
of the same order. ``Intruder`` wraps the service's writes and runs one such
intruder right before or right after the N-th write of the cashier's sale,
deterministically (no sleeps). Whatever lands there, the sale must end in a
right state: never PAID without its money, nothing journaled twice, no
traceback, every order ended right by a last recovery pass.
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from collections.abc import Awaitable, Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

import httpx
import pytest

from kiosk.domain.clock import ManualClock
from kiosk.domain.errors import KioskError, SaleOpen
from kiosk.domain.money import Money
from kiosk.domain.order import Order, OrderState
from kiosk.services.checkout import CancelToken, CheckoutService
from kiosk.services.recovery import RecoveryService
from kiosk.store.journal import Journal
from kiosk.store.writer import JournalThread, JournalWrites
from tests.fakes import ScriptedVilla, paid, pending, status_body
from tests.services.conftest import make_service

S = OrderState
T = TypeVar("T")
AMOUNT = Money(30000)
# Set in the cashier's sale: its writes (and those of the tasks it starts) are the ones counted.
CASHIER: ContextVar[bool] = ContextVar("CASHIER", default=False)


def wrong_amount() -> httpx.Response:
    return httpx.Response(200, json=status_body(amount=299.0))


def declined() -> httpx.Response:
    return httpx.Response(200, json=status_body(transaction_state="Declined", status="failed"))


def not_found() -> httpx.Response:
    return httpx.Response(404, json={"error": {"code": "not_found"}})


@dataclass
class World:
    service: CheckoutService
    recovery: RecoveryService
    journal: Journal
    token: CancelToken
    backend: ScriptedVilla
    spawned: list[asyncio.Task[object]] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)

    def spawn(self, work: Awaitable[object]) -> None:
        self.spawned.append(asyncio.ensure_future(work))

    def open_sale(self) -> Order | None:
        orders = self.journal.select_orders("ORDER BY created_at")
        return orders[-1] if orders else None


Intrusion = Callable[[World], Awaitable[None]]


async def a_recovery_pass(world: World) -> None:
    await world.recovery.run()


async def the_watchers(world: World) -> None:
    world.recovery.resume_watchers()
    await asyncio.sleep(0)


async def a_second_charge(world: World) -> None:
    try:
        await world.service.start(AMOUNT)
    except SaleOpen:
        world.refused.append("second charge")


async def the_cashiers_cancel(world: World) -> None:
    world.token.cancel()


async def another_follow(world: World) -> None:
    order = world.open_sale()
    if order is not None and order.state is S.AWAITING_PAYMENT:
        world.spawn(world.service.follow(order))
        await asyncio.sleep(0)


async def a_late_watch(world: World) -> None:
    order = world.open_sale()
    if order is not None and order.state in (S.EXPIRED, S.CANCELLED):
        world.spawn(world.service.watch_late(order))
        await asyncio.sleep(0)


INTRUDERS: dict[str, Intrusion] = {
    "pass": a_recovery_pass,
    "watchers": the_watchers,
    "second-charge": a_second_charge,
    "cancel": the_cashiers_cancel,
    "follow": another_follow,
    "late-watch": a_late_watch,
}


class Intruder:
    """The service's writes; the intruder runs before or after the cashier's N-th write."""

    def __init__(
        self, inner: JournalWrites, world: World, nth: int, intrusion: Intrusion, *, after: bool
    ) -> None:
        self.inner = inner
        self.world = world
        self.nth = nth
        self.intrusion = intrusion
        self.after = after
        self.count = 0
        self.fired = False
        self._inside = False

    async def run(self, work: Callable[[Journal], T]) -> T:
        if self._inside or not CASHIER.get():
            return await self.inner.run(work)  # the intruder's own writes, a watcher's
        self.count += 1
        land = self.count == self.nth
        if land and not self.after:
            await self._intrude()
        done = await self.inner.run(work)
        if land and self.after:
            await self._intrude()
        return done

    async def _intrude(self) -> None:
        self._inside = True
        role = CASHIER.set(False)  # what the intruder starts is not the cashier's sale
        try:
            await self.intrusion(self.world)
        finally:
            CASHIER.reset(role)
            self._inside = False
        self.fired = True


@dataclass(frozen=True)
class Script:
    """What the gateway says of the sale: each status check takes the next answer."""

    statuses: tuple[Callable[[], httpx.Response], ...]
    writes: int  # the cashier's writes in this script without intruders
    # After an expired sale: what the cashier's late watch hears (as the window's watch)
    late: tuple[Callable[[], httpx.Response], ...] = ()
    cancelled: bool = False  # the cashier presses Cancel as soon as the QR is up


SCRIPTS = {
    # NEW, CREATING, AWAITING, PAID with its receipt line
    "paid": Script((pending, paid), writes=4),
    # the gateway does not know it yet at the first check (a pass takes it as never sent)
    "unknown-first": Script((not_found, pending, paid), writes=4),
    # NEW, CREATING, AWAITING, EXPIRED with its line (then late money: a watcher's)
    "expired": Script((pending,), writes=4),
    # a "paid" for other money: flagged, FAILED with the flag, its line
    "flagged": Script((pending, wrong_amount), writes=4),
    "declined": Script((pending, declined), writes=4),
    # expired, then the money in the late watch: PAID (late) with its line
    "late-paid": Script((pending,), writes=5, late=(pending, paid)),
    # expired, then a late "paid" for other money: the flag alone
    "late-flagged": Script((pending,), writes=5, late=(pending, wrong_amount)),
    # the cashier's Cancel: CANCELLED with its line, then the money in the late watch
    "cancelled-late-paid": Script((pending,), writes=5, late=(pending, paid), cancelled=True),
}


def make_world(
    backend: ScriptedVilla, journal: Journal, clock: ManualClock, tmp_path: Path
) -> World:
    service = make_service(backend, journal, clock, tmp_path)
    recovery = RecoveryService(service=service, journal=journal)
    return World(service, recovery, journal, CancelToken.new(), backend)


async def cashiers_sale(
    world: World, late: tuple[Callable[[], httpx.Response], ...] = (), cancelled: bool = False
) -> tuple[Order | None, BaseException | None]:
    CASHIER.set(True)
    try:
        order = await world.service.start(AMOUNT)
        if cancelled:
            world.token.cancel()
        final = await world.service.follow(order, world.token)
        if late and final.state in (S.EXPIRED, S.CANCELLED) and not final.needs_attention:
            world.backend.statuses = [answer() for answer in late]
            final = await world.service.watch_late(final)
        return final, None
    except KioskError as exc:
        return None, exc


async def settle(world: World) -> None:
    """What runs after the sale: the spawned tasks and watchers end, one more pass."""
    await asyncio.gather(*world.spawned, return_exceptions=True)
    for result in [t.exception() for t in world.spawned if not t.cancelled()]:
        assert result is None or isinstance(result, KioskError), repr(result)
    await world.recovery.run()
    world.recovery.resume_watchers()
    watchers = [w for w in world.recovery._watchers.values()]
    await asyncio.gather(*watchers, return_exceptions=True)
    await world.recovery.aclose()


def receipt_lines(tmp_path: Path) -> Counter[tuple[str, str]]:
    lines: Counter[tuple[str, str]] = Counter()
    for log in (tmp_path / "receipts").glob("*.log"):
        for line in log.read_text(encoding="utf-8").splitlines():
            fields = line.split("\t")
            lines[(fields[2], fields[5])] += 1
    return lines


def check_the_journal(journal: Journal, tmp_path: Path) -> list[Order]:
    orders = journal.select_orders("ORDER BY created_at")
    assert journal.verify().ok
    lines = receipt_lines(tmp_path)
    for order in orders:
        states = [t.to_state for t in journal.history(order.kiosk_order_id)]
        assert len(states) == len(set(states)), f"journaled twice: {states}"
        # Every order ends: nothing a pass or a watcher could still change.
        assert order.state.is_final, order
        if order.state is S.PAID:
            assert not order.needs_attention
            assert order.gateway_charge_id  # the money's own record
        # One receipt line per final state reached, never two.
        for state in {s for s in states if s.is_final}:
            status = state.value.upper()
            seen = (
                lines[(order.kiosk_order_id, status)]
                + lines[(order.kiosk_order_id, status + " (LATE)")]
            )
            assert seen == 1, (order.kiosk_order_id, state, lines)
    assert all(n == 1 for n in lines.values()), lines
    return orders


CASES = [
    (script, name, nth, after)
    for script, plan in SCRIPTS.items()
    for name in INTRUDERS
    for nth in range(1, plan.writes + 1)
    for after in (False, True)
]


@pytest.mark.parametrize(
    ("script", "name", "nth", "after"),
    CASES,
    ids=[f"{s}-{n}-w{k}-{'after' if a else 'before'}" for s, n, k, a in CASES],
)
def test_an_intruder_at_each_write_of_a_sale_leaves_every_order_right(
    backend: ScriptedVilla,
    journal: Journal,
    clock: ManualClock,
    tmp_path: Path,
    script: str,
    name: str,
    nth: int,
    after: bool,
) -> None:
    plan = SCRIPTS[script]
    backend.statuses = [answer() for answer in plan.statuses]
    world = make_world(backend, journal, clock, tmp_path)
    intruder = Intruder(world.service.writes, world, nth, INTRUDERS[name], after=after)
    world.service.writes = intruder

    async def scenario() -> tuple[Order | None, BaseException | None]:
        outcome = await cashiers_sale(world, plan.late, plan.cancelled)
        if script == "expired":
            backend.statuses = [paid()]  # the money comes late: watchers find it
        await settle(world)
        return outcome

    final, error = asyncio.run(scenario())

    assert intruder.fired
    orders = check_the_journal(journal, tmp_path)
    sale = orders[0]
    if final is not None:
        # What the cashier was shown is what the journal had then: never PAID unless it is.
        assert final.kiosk_order_id == sale.kiosk_order_id
        if final.state is S.PAID:
            assert sale.state is S.PAID
    else:
        assert error is not None
    if script in ("flagged", "late-flagged"):
        assert sale.state is not S.PAID  # never, whatever landed where
    sent = Counter(
        json.loads(r.content)["orderid"]
        for r in backend.requests
        if r.url.path.endswith("/kbank/order")
    )
    assert all(n == 1 for n in sent.values()), f"an order was sent twice: {sent}"
    for order in orders:
        # Sent only once the journal had it CREATING; an order ended as never sent never is.
        if order.kiosk_order_id in sent:
            history = [t.to_state for t in journal.history(order.kiosk_order_id)]
            assert history[:1] == [S.CREATING], (order, history)
            assert order.failure_code != "not_sent", order


class WindowCloses:
    """The service's writes; the window closes (the sale's task is cancelled) at the N-th write.

    The cancel lands while the sale awaits that write on the writer thread,
    as when the cashier closes the window mid-sale.
    """

    def __init__(self, inner: JournalWrites, nth: int, *, after: bool) -> None:
        self.inner = inner
        self.nth = nth
        self.after = after
        self.main: asyncio.Task[object] | None = None
        self.count = 0

    async def run(self, work: Callable[[Journal], T]) -> T:
        if not CASHIER.get():
            return await self.inner.run(work)
        self.count += 1
        if self.count == self.nth and self.main is not None:
            if self.after:
                done = await self.inner.run(work)
                self.main.cancel()
                await asyncio.sleep(0)
                return done
            self.main.cancel()  # lands at the await below: the write was asked
        return await self.inner.run(work)


CLOSING = [(script, nth) for script, plan in SCRIPTS.items() for nth in range(1, plan.writes + 1)]


@pytest.mark.parametrize("after", [False, True], ids=["while-writing", "after-the-write"])
@pytest.mark.parametrize(("script", "nth"), CLOSING, ids=[f"{s}-w{n}" for s, n in CLOSING])
def test_the_window_closing_at_each_write_leaves_a_journal_the_next_start_ends_right(
    backend: ScriptedVilla,
    journal: Journal,
    clock: ManualClock,
    tmp_path: Path,
    script: str,
    nth: int,
    after: bool,
) -> None:
    plan = SCRIPTS[script]
    backend.statuses = [answer() for answer in plan.statuses]
    world = make_world(backend, journal, clock, tmp_path)
    writer = world.service.writes
    closing = WindowCloses(writer, nth, after=after)
    world.service.writes = closing

    async def the_first_run() -> None:
        task = asyncio.ensure_future(cashiers_sale(world, plan.late, plan.cancelled))
        closing.main = task
        with pytest.raises(asyncio.CancelledError):
            await task
        await world.recovery.aclose()
        assert isinstance(writer, JournalThread)
        writer.close()  # services.aclose: every write asked is done first

    asyncio.run(the_first_run())
    assert closing.count == nth
    (left,) = journal.select_orders("ORDER BY created_at")

    # The next start: a new process's services on the same files; the money came meanwhile.
    backend.statuses = [paid()]
    again = make_world(backend, journal, clock, tmp_path)
    asyncio.run(settle(again))

    check_the_journal(journal, tmp_path)
    (ended,) = journal.select_orders("ORDER BY created_at")
    assert ended.kiosk_order_id == left.kiosk_order_id


class ClosingAtPaid:
    """The service's writes; the services close (recovery.aclose) while a watcher's PAID commits."""

    def __init__(self, inner: JournalWrites, recovery: RecoveryService) -> None:
        self.inner = inner
        self.recovery = recovery
        self.closing: asyncio.Task[None] | None = None

    async def run(self, work: Callable[[Journal], T]) -> T:
        # The watcher's first write is its move to PAID (the gateway says paid at once).
        if self.recovery.watching and self.closing is None:
            self.closing = asyncio.ensure_future(self.recovery.aclose())
        return await self.inner.run(work)


@pytest.mark.parametrize("late", [False, True], ids=["left-awaiting", "expired-then-paid"])
def test_services_closing_while_a_watchers_paid_commits_still_tell_the_cashier_next_time(
    backend: ScriptedVilla, journal: Journal, clock: ManualClock, tmp_path: Path, late: bool
) -> None:
    backend.statuses = [pending()]
    first = make_world(backend, journal, clock, tmp_path)
    if late:
        left = asyncio.run(first.service.run(AMOUNT))
        assert left.state is S.EXPIRED
    else:
        left = asyncio.run(first.service.start(AMOUNT))  # then the kiosk "crashed"
        assert left.state is S.AWAITING_PAYMENT

    backend.statuses = [paid()]
    world = make_world(backend, journal, clock, tmp_path)
    writer = world.service.writes
    closing = ClosingAtPaid(writer, world.recovery)
    world.service.writes = closing

    async def watch_then_close() -> None:
        (watcher,) = [world.recovery.watch(left)]
        assert watcher is not None
        await asyncio.gather(watcher, return_exceptions=True)
        assert closing.closing is not None, "the watcher never wrote"
        await closing.closing
        assert isinstance(writer, JournalThread)
        writer.close()

    asyncio.run(watch_then_close())
    now = journal.get(left.kiosk_order_id)
    assert now is not None and now.state is S.PAID and now.late is late

    # The next start: the cashier is told of that money once.
    again = make_world(backend, journal, clock, tmp_path)
    notices = again.recovery.pending_notices()
    assert [n.order.kiosk_order_id for n in notices] == [left.kiosk_order_id]
    assert receipt_lines(tmp_path)[(left.kiosk_order_id, "PAID (LATE)" if late else "PAID")] == 1


class CancelsAtFirstWrite:
    """The service's writes; the task ``target`` is cancelled while its first write commits."""

    def __init__(self, inner: JournalWrites) -> None:
        self.inner = inner
        self.target: asyncio.Task[object] | None = None
        self.fired = False

    async def run(self, work: Callable[[Journal], T]) -> T:
        if self.target is not None and not self.fired:
            self.fired = True
            self.target.cancel()  # lands at the await below: the write was asked
        return await self.inner.run(work)


@pytest.mark.parametrize("late", [False, True], ids=["left-awaiting", "expired-then-paid"])
def test_a_pass_cancelled_while_its_paid_commits_still_tells_the_cashier_next_time(
    backend: ScriptedVilla, journal: Journal, clock: ManualClock, tmp_path: Path, late: bool
) -> None:
    """The reconnection's pass, stopped by the services closing (ConnectivityMonitor.aclose)."""
    backend.statuses = [pending()]
    first = make_world(backend, journal, clock, tmp_path)
    left = asyncio.run(first.service.run(AMOUNT) if late else first.service.start(AMOUNT))
    assert left.state is (S.EXPIRED if late else S.AWAITING_PAYMENT)

    backend.statuses = [paid()]
    world = make_world(backend, journal, clock, tmp_path)
    writer = world.service.writes
    cancelling = CancelsAtFirstWrite(writer)
    world.service.writes = cancelling

    async def pass_then_close() -> None:
        task = asyncio.ensure_future(world.recovery.run())
        cancelling.target = task
        with pytest.raises(asyncio.CancelledError):
            await task
        await world.recovery.aclose()
        assert isinstance(writer, JournalThread)
        writer.close()

    asyncio.run(pass_then_close())
    assert cancelling.fired
    now = journal.get(left.kiosk_order_id)
    assert now is not None and now.state is S.PAID and now.late is late

    again = make_world(backend, journal, clock, tmp_path)
    notices = again.recovery.pending_notices()
    assert [n.order.kiosk_order_id for n in notices] == [left.kiosk_order_id]
