"""The journal's writer thread: writes off the event loop, in order, awaited, never lost."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk.domain.errors import IllegalTransition, StoreError
from kiosk.domain.money import Money
from kiosk.domain.order import Method, Order, OrderState
from kiosk.store.journal import Journal
from kiosk.store.writer import InlineJournal, JournalThread

AT = datetime(2026, 11, 24, 3, 0, tzinfo=UTC)
GATE_S = 10.0  # only bounds a failing test; a passing one never waits for it


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    with Journal.open(tmp_path / "journal.sqlite3") as j:
        yield j


@pytest.fixture
def writer(journal: Journal) -> Iterator[JournalThread]:
    writes = JournalThread(journal)
    yield writes
    writes.close()


def new_order(journal: Journal, baht: int = 100) -> Order:
    return journal.new_order(
        store_id="S001",
        terminal_id="T01",
        amount=Money(baht * 100),
        method=Method.QR,
        created_at=AT,
    )


def test_a_write_runs_on_the_writer_thread_and_the_loop_reads_it_at_once(
    journal: Journal, writer: JournalThread
) -> None:
    where: list[int] = []

    def work(own: Journal) -> Order:
        where.append(threading.get_ident())
        return new_order(own)

    async def sale() -> Order:
        order = await writer.run(work)
        # Committed before run returned: the loop's own connection sees it.
        assert journal.get(order.kiosk_order_id) == order
        return order

    order = asyncio.run(sale())
    assert where and where[0] != threading.get_ident()
    assert order.state is OrderState.NEW


def test_the_loop_goes_on_while_a_write_waits(journal: Journal, writer: JournalThread) -> None:
    """A write held up (a slow disk) does not hold up the loop: the loop itself releases it."""
    disk = threading.Event()

    def slow(own: Journal) -> bool:
        released = disk.wait(GATE_S)
        new_order(own)
        return released

    async def scenario() -> bool:
        write = asyncio.ensure_future(writer.run(slow))
        await asyncio.sleep(0)  # the write is under way on its thread
        disk.set()  # only a loop that still runs gets here before the write ends
        return await write

    assert asyncio.run(scenario()) is True
    assert journal.count() == 1


def test_writes_happen_in_the_order_asked(journal: Journal, writer: JournalThread) -> None:
    async def scenario() -> list[Order]:
        return list(
            await asyncio.gather(
                *(writer.run(lambda own, b=b: new_order(own, b)) for b in range(1, 21))
            )
        )

    orders = asyncio.run(scenario())
    seqs = [int(order.kiosk_order_id.split("-")[3]) for order in orders]
    assert seqs == list(range(1, 21))
    assert [order.amount for order in orders] == [Money(b * 100) for b in range(1, 21)]


def test_a_refused_write_raises_its_own_error_and_changes_nothing(
    journal: Journal, writer: JournalThread
) -> None:
    order = new_order(journal)
    creating, record = order.transition(OrderState.CREATING, AT)
    journal.record(creating, record)  # someone else moved it first

    async def late_move() -> None:
        await writer.run(lambda own: own.record(creating, record))

    with pytest.raises(IllegalTransition):
        asyncio.run(late_move())
    assert [t.to_state for t in journal.history(order.kiosk_order_id)] == [OrderState.CREATING]


def test_a_write_asked_is_done_even_when_its_caller_is_cancelled(
    journal: Journal, writer: JournalThread
) -> None:
    """Cancelled while running (the first) or while still queued behind it (the second)."""
    disk = threading.Event()

    def slow(own: Journal) -> Order:
        disk.wait(GATE_S)
        return new_order(own)

    async def scenario() -> None:
        running = asyncio.ensure_future(writer.run(slow))
        queued = asyncio.ensure_future(writer.run(new_order))
        await asyncio.sleep(0)
        for write in (running, queued):
            write.cancel()  # the window closing, SIGTERM
            with pytest.raises(asyncio.CancelledError):
                await write
        disk.set()

    asyncio.run(scenario())
    writer.close()  # waits for what was asked
    assert journal.count() == 2


def test_close_waits_for_asked_writes_then_refuses_more(journal: Journal) -> None:
    writer = JournalThread(journal)

    async def scenario() -> None:
        asked = [asyncio.ensure_future(writer.run(new_order)) for _ in range(5)]
        await asyncio.sleep(0)
        writer.close()  # blocks until the five are committed
        await asyncio.gather(*asked)
        with pytest.raises(StoreError):
            await writer.run(new_order)

    asyncio.run(scenario())
    assert journal.count() == 5
    writer.close()  # a second close is harmless


def test_the_twin_keeps_the_journals_settings(tmp_path: Path) -> None:
    draws: list[int] = []

    def randbelow(n: int) -> int:
        draws.append(n)
        return 0

    with Journal.open(tmp_path / "j.sqlite3", randbelow=randbelow) as journal:
        journal.withhold_from_store = True
        writer = JournalThread(journal)
        try:
            order = asyncio.run(writer.run(new_order))
            assert asyncio.run(writer.run(lambda own: own.withhold_from_store)) is True
        finally:
            writer.close()
    assert draws and order.kiosk_order_id.endswith("-AAAA")


def test_inline_writes_use_the_journal_itself(journal: Journal) -> None:
    order = asyncio.run(InlineJournal(journal).run(new_order))
    assert journal.get(order.kiosk_order_id) == order
