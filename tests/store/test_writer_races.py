"""JournalThread.close racing run: every write asked before close is done, none after is taken."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import pytest

from kiosk.domain.errors import StoreError
from kiosk.domain.order import Order
from kiosk.store.journal import Journal
from kiosk.store.writer import JournalThread
from tests.store.test_writer import GATE_S, new_order


def test_close_on_another_thread_while_writes_wait_takes_none_after_it_and_loses_none_before(
    tmp_path: Path,
) -> None:
    """The services closing (another thread) while a slow write runs and two wait behind it."""
    journal = Journal.open(tmp_path / "journal.sqlite3")
    writer = JournalThread(journal)
    disk = threading.Event()
    close_asked = threading.Event()
    submit = writer._executor.submit

    def watched_submit(fn: Callable[..., Any], /, *args: Any) -> Future[Any]:
        done = submit(fn, *args)
        if getattr(fn, "__name__", "") == "_close_own":
            close_asked.set()  # close has taken the lock and queued its last job
        return done

    writer._executor.submit = watched_submit  # type: ignore[method-assign]

    def slow(own: Journal) -> Order:
        disk.wait(GATE_S)
        return new_order(own)

    async def scenario() -> list[Order]:
        loop = asyncio.get_running_loop()
        asked = [
            asyncio.ensure_future(writer.run(slow)),
            asyncio.ensure_future(writer.run(new_order)),
            asyncio.ensure_future(writer.run(new_order)),
        ]
        await asyncio.sleep(0)  # the three are on the thread's queue
        closing = loop.run_in_executor(None, writer.close)
        await loop.run_in_executor(None, close_asked.wait, GATE_S)
        assert close_asked.is_set()
        with pytest.raises(StoreError):
            await writer.run(new_order)  # after close: refused, never run
        assert not closing.done()  # close waits for the slow write
        disk.set()
        await closing
        return list(await asyncio.gather(*asked))

    written = asyncio.run(scenario())
    assert [journal.get(order.kiosk_order_id) for order in written] == written
    assert journal.count() == 3
    journal.close()
