"""A journal write failing on the writer thread, at each write of a sale (the writer thread).

The sale's writes run on ``JournalThread``; when one fails there (a refused
write, a full disk), the cashier hears "cannot be recorded" (StoreError, exit
8) and never sees PAID the journal does not hold. The writer goes on after it:
once the disk has room the next sale is journaled, and a recovery pass ends
what the failure left open.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import pytest

from kiosk.domain.clock import ManualClock
from kiosk.domain.errors import KioskError, StoreError
from kiosk.domain.exitcodes import ExitCode
from kiosk.domain.money import Money
from kiosk.domain.order import Order, OrderState
from kiosk.services.checkout import CheckoutService
from kiosk.store.journal import Journal
from kiosk.store.writer import JournalWrites
from tests.diskfull import full
from tests.fakes import ScriptedVilla, paid, pending
from tests.services.conftest import make_service
from tests.services.test_offloop_races import check_the_journal, make_world, settle

S = OrderState
T = TypeVar("T")
AMOUNT = Money(30000)


class FailsAt:
    """The service's writes; the N-th fails on the writer thread (``fail`` makes it fail)."""

    def __init__(self, inner: JournalWrites, nth: int, fail: Callable[[], object]) -> None:
        self.inner = inner
        self.nth = nth
        self.fail = fail
        self.count = 0

    async def run(self, work: Callable[[Journal], T]) -> T:
        self.count += 1
        if self.count != self.nth:
            return await self.inner.run(work)
        return await self.inner.run(self._failing(work))

    def _failing(self, work: Callable[[Journal], T]) -> Callable[[Journal], T]:
        def failing(journal: Journal) -> T:
            with self.fail_now():
                return work(journal)

        return failing

    @contextmanager
    def fail_now(self) -> Iterator[None]:
        self.fail()
        yield


def refused() -> None:
    raise StoreError("could not record: disk I/O error")


async def a_sale(service: CheckoutService) -> tuple[Order | None, KioskError | None]:
    try:
        return await service.run(AMOUNT), None
    except KioskError as exc:
        return None, exc


@pytest.mark.parametrize("nth", range(1, 5))  # NEW, CREATING, AWAITING, PAID (with its line)
def test_a_write_refused_on_the_writer_thread_says_cannot_record_never_paid(
    backend: ScriptedVilla, journal: Journal, clock: ManualClock, tmp_path: Path, nth: int
) -> None:
    backend.statuses = [pending(), paid()]
    world = make_world(backend, journal, clock, tmp_path)
    failing = FailsAt(world.service.writes, nth, refused)
    world.service.writes = failing

    final, error = asyncio.run(a_sale(world.service))

    assert final is None and isinstance(error, StoreError), (final, error)
    assert error.exit_code is ExitCode.CANNOT_RECORD
    assert "could not be written" in error.text.en
    orders = journal.select_orders("ORDER BY created_at")
    assert all(order.state is not S.PAID for order in orders)
    assert len(orders) == (0 if nth == 1 else 1)

    # The writer goes on: recovery ends what was left, then the next sale is journaled.
    backend.statuses = [paid()]
    asyncio.run(settle(world))
    second, error = asyncio.run(a_sale(world.service))
    assert error is None and second is not None and second.state is S.PAID
    assert journal.get(second.kiosk_order_id) == second
    check_the_journal(journal, tmp_path)


@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_FSIZE and SIGXFSZ: Linux")
@pytest.mark.parametrize("nth", [2, 3, 4])  # CREATING, AWAITING, PAID
def test_a_full_disk_at_a_write_on_the_writer_thread_says_cannot_record(
    backend: ScriptedVilla, journal: Journal, clock: ManualClock, tmp_path: Path, nth: int
) -> None:
    backend.statuses = [pending(), paid()]
    service = make_service(backend, journal, clock, tmp_path)

    class DiskFull(FailsAt):
        """The limit is the process's (set on the main thread): the writer thread hits it."""

        async def run(self, work: Callable[[Journal], T]) -> T:
            self.count += 1
            if self.count != self.nth:
                return await self.inner.run(work)
            with full(tmp_path):
                return await self.inner.run(work)

    service.writes = DiskFull(service.writes, nth, lambda: None)

    final, error = asyncio.run(a_sale(service))

    assert final is None and isinstance(error, StoreError), (final, error)
    assert "full" in str(error) or "I/O" in str(error), error  # the disk's own error
    (order,) = journal.select_orders("ORDER BY created_at")
    assert order.state is not S.PAID
    # Room again: the same writer journals the money a pass finds.
    backend.statuses = [paid()]
    world = make_world(backend, journal, clock, tmp_path)
    world.service.writes = service.writes
    asyncio.run(settle(world))
    after = journal.get(order.kiosk_order_id)
    assert after is not None and after.state.is_final
    check_the_journal(journal, tmp_path)
