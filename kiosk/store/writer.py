"""The journal's writes for code on the event loop: awaited, never blocking the loop.

A durable commit waits for the disk (``synchronous=FULL``: an fdatasync per
transaction, about a millisecond on a quiet disk and tens of milliseconds on a
busy one). On the GUI's event loop that wait freezes the window: the checkout
writes three records between the click on Charge and the QR. So the checkout
and the receipts hand their writes to ``JournalThread``: one thread with a
connection of its own to the same file, which runs them one at a time, in the
order asked, while the loop goes on. The caller awaits the commit before it
goes on, so the rules stay as they were: an order is on disk before the gateway
hears of it, a change before any listener does.

Reads stay on the loop's own connection. WAL lets them run beside a write and
shows every transaction committed before the read began, so the loop sees what
the thread wrote once its ``run`` returned.

``InlineJournal`` runs the same work on the caller's connection at once, for
code that owns no loop worth keeping smooth (tests of the services alone).
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Protocol, TypeVar

from kiosk.domain.errors import StoreError
from kiosk.store.journal import Journal

log = logging.getLogger("kiosk.journal")

T = TypeVar("T")


class JournalWrites(Protocol):
    """Where journal writes run; ``work`` gets the journal connection to write with."""

    async def run(self, work: Callable[[Journal], T]) -> T: ...


class InlineJournal:
    """Writes on ``journal`` itself, on the caller's thread."""

    def __init__(self, journal: Journal) -> None:
        self.journal = journal

    async def run(self, work: Callable[[Journal], T]) -> T:
        return work(self.journal)


class JournalThread:
    """One writer thread with its own connection to ``journal``'s file.

    The connection is opened on the thread (SQLite connections belong to the
    thread that made them), as soon as the thread starts, with the journal's own
    settings: the same random source for order ids and the same store-database
    withholding. ``close`` waits for the writes already asked for, then closes it.
    """

    def __init__(self, journal: Journal) -> None:
        self._source = journal
        self._own: Journal | None = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="journal-writer")
        self._closed = False
        self._lock = threading.Lock()
        # Start the thread and open its connection now, at start-up: a pool
        # starts its thread on the first submit and waits for it to run, which
        # on a busy machine was a 16 ms stall of the first sale's click.
        self._executor.submit(self._open_own)

    async def run(self, work: Callable[[Journal], T]) -> T:
        """Run ``work`` on the writer thread and return what it returned (or raise what it raised).

        Every write asked is done, in order, even when its caller is cancelled
        (the window closing) while it waits or runs: a sale's PAID then still
        reaches the disk, and ``close`` waits for it. What a cancelled caller
        did not hear of, recovery reads from the journal.
        """
        with self._lock:
            if self._closed:
                raise StoreError("the journal is closed")
            future = self._executor.submit(self._call, work)
        # Without the shield, cancelling the caller would cancel a write still queued.
        return await asyncio.shield(asyncio.wrap_future(future))

    def _open_own(self) -> Journal:
        if self._own is None:
            self._own = self._source.twin()
        return self._own

    def _call(self, work: Callable[[Journal], T]) -> T:
        return work(self._open_own())

    def close(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._closed = True
            closing = self._executor.submit(self._close_own)
        try:
            closing.result()
        finally:
            self._executor.shutdown(wait=True)

    def _close_own(self) -> None:
        if self._own is not None:
            self._own.close()
            self._own = None


__all__ = ["InlineJournal", "JournalThread", "JournalWrites"]
