"""The sync: this counter's journal records to the store database, at least once.

The journal writes an outbox row with every record (kiosk.store.outbox). A
worker thread of its own (``StoreSync.start``) ships the pending rows in
batches of ``BATCH`` and marks them sent only after PostgreSQL committed the
batch; a crash in between sends them again, and the store's
``ON CONFLICT (event_id) DO NOTHING`` (plus its content check) makes the
replay change nothing. The thread never touches the kiosk's ``Journal`` (it
opens the file itself) nor the event loop: a sale never waits for it, and
with the database away the thread backs off (``interval x 2^failures``,
capped at ``MAX_BACKOFF_S``, with jitter) while the counter sells on.

Event ids are ``<install id>-<generation>-<chain position>``. A journal that
has never sent anything opens a *generation*: the store's newest head for
this install (if any) is the previous generation's, and the opening event
(``<install>-<g>-start``) links that head to the hash the journal's first
pending record links to. A replaced journal (same install id, new file)
therefore shows in the store as a new generation that names the last head
the store verified — "journal replaced", not a broken chain.

Sandbox sales are never sent: a kiosk on the sandbox gateway does not sync
(``configured`` is False) and the records it journals are queued withheld,
so should it later sync, only their hashes leave.
"""

from __future__ import annotations

import json
import logging
import random
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from kiosk.domain.clock import Clock
from kiosk.domain.errors import KioskError, StoreDbError
from kiosk.store.chain import GENESIS
from kiosk.store.outbox import (
    GENERATION_KEY,
    INSTALL_ID_KEY,
    LAST_SUCCESS_KEY,
    OPENING_KEY,
    Outbox,
    Pending,
)
from kiosk.store.storedb.client import StoreDb, StoreEvent

log = logging.getLogger("kiosk.sync")

BATCH = 500
MAX_BACKOFF_S = 60.0
SETTLE_S = 0.5  # after a nudge: a sale's few records go out as one batch

Connect = Callable[[], StoreDb]


@dataclass(frozen=True)
class SyncStatus:
    """What ``kiosk sync status`` prints."""

    configured: bool
    reachable: bool | None  # None: not tried (yet)
    pending: int
    last_success_at: datetime | None
    lag_s: float | None  # age of the oldest record not sent; 0 when none waits
    error: str | None = None

    def record(self) -> dict[str, Any]:
        return {
            "configured": self.configured,
            "reachable": self.reachable,
            "pending": self.pending,
            "last_success_at": self.last_success_at.isoformat() if self.last_success_at else None,
            "lag_s": None if self.lag_s is None else round(self.lag_s, 3),
            "error": self.error,
        }


class StoreSync:
    """Ships one journal's outbox to the store database; thread-safe."""

    def __init__(
        self,
        *,
        journal_path: Path,
        connect: Connect,
        store_id: str,
        terminal_id: str,
        clock: Clock,
        interval_s: float = 10.0,
        batch: int = BATCH,
        max_backoff_s: float = MAX_BACKOFF_S,
    ) -> None:
        self.journal_path = journal_path
        self._connect = connect
        self._store_id = store_id
        self._terminal_id = terminal_id
        self._clock = clock
        self.interval_s = interval_s
        self._batch = batch
        self._max_backoff_s = max_backoff_s
        self._lock = threading.Lock()  # one shipment at a time (worker, `sync now`)
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._outbox: Outbox | None = None
        self._db: StoreDb | None = None
        self.failures = 0
        self.reachable: bool | None = None
        self.last_error: str | None = None

    # -- the worker -----------------------------------------------------------

    def start(self) -> None:
        """Ship in the background from now on (a daemon thread; ``stop`` ends it)."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="store-sync", daemon=True)
            self._thread.start()

    def nudge(self) -> None:
        """Something was journaled: ship soon (any thread; returns at once)."""
        self._wake.set()

    def stop(self, timeout_s: float = 2.0) -> None:
        """End the worker (what it shipped stays shipped) and close the connections.

        Never holds up a closing window for long: a worker still waiting on the
        network after ``timeout_s`` is left to end with the process (a daemon
        thread; what it had not marked sent goes again next time).
        """
        self._stop.set()
        self._wake.set()
        thread = self._thread
        if thread is not None:
            thread.join(timeout_s)
            if thread.is_alive():
                log.warning("the store sync is still busy at shutdown; left to end with the kiosk")
                return
            self._thread = None
        if not self._lock.acquire(timeout=timeout_s):
            return
        try:
            self._disconnect()
            if self._outbox is not None:
                self._outbox.close()
                self._outbox = None
        finally:
            self._lock.release()

    def _run(self) -> None:
        delay = 0.0
        while not self._stop.is_set():
            if self._wake.wait(delay):
                self._wake.clear()
                if self._stop.wait(SETTLE_S):
                    break
            if self._stop.is_set():
                break
            try:
                self.ship()
                delay = self.interval_s
            except KioskError:
                delay = self.backoff_s()
            except Exception:  # a bug must not end the thread: the counter keeps selling
                log.exception("store sync failed unexpectedly")
                delay = self._max_backoff_s

    def backoff_s(self) -> float:
        """Seconds before the next try after ``failures`` failures in a row."""
        base = min(self._max_backoff_s, self.interval_s * 2 ** min(self.failures, 16))
        return float(base * random.uniform(0.5, 1.0))

    # -- one shipment ---------------------------------------------------------

    def ship(self) -> int:
        """Ship everything pending now; how many records went. StoreDbError when it cannot."""
        with self._lock:
            try:
                shipped = self._ship()
            except StoreDbError as exc:
                self.failures += 1
                self.reachable = False
                if self.last_error != exc.detail:
                    log.warning("store database: %s (sales go on; retrying)", exc.detail)
                self.last_error = exc.detail
                self._disconnect()
                raise
            if self.failures:
                log.info("store database reachable again")
            self.failures = 0
            self.reachable = True
            self.last_error = None
            return shipped

    def _ship(self) -> int:
        outbox = self._open_outbox()
        install_id = outbox.meta(INSTALL_ID_KEY)
        if install_id is None:
            return 0  # no record yet: the kiosk writes the install id before the first sale
        shipped = 0
        while True:
            batch = outbox.pending(self._batch)
            if not batch:
                if shipped == 0:
                    self._database()  # reachable? (the status says)
                return shipped
            db = self._database()
            generation, opening = self._generation(outbox, db, install_id, batch[0])
            events = [self._event(install_id, generation, p) for p in batch]
            db.insert(([opening] if opening else []) + events)
            outbox.mark_sent([p.seq for p in batch], self._clock.now())
            if opening is not None:
                outbox.set_meta({OPENING_KEY: ""}, self._clock.now())
            shipped += len(batch)
            log.debug("shipped %d record(s) to the store database", len(batch))

    def _generation(
        self, outbox: Outbox, db: StoreDb, install_id: str, first: Pending
    ) -> tuple[int, StoreEvent | None]:
        """This journal's generation, and its opening event while not yet sent."""
        known = outbox.meta(GENERATION_KEY)
        if known is not None:
            kept = outbox.meta(OPENING_KEY)
            return int(known), StoreEvent.from_json(kept) if kept else None
        head = db.head(install_id)
        generation = 1 if head is None else head.generation + 1
        replaces = None if head is None else {"generation": head.generation, "seq": head.seq}
        opening = StoreEvent(
            event_id=f"{install_id}-{generation}-start",
            install_id=install_id,
            generation=generation,
            seq=first.seq - 1,
            kind="generation",
            tbl="",
            part="",
            ref="",
            prev_hash=GENESIS if head is None else head.hash,
            hash=first.prev_hash,
            record=json.dumps(
                {
                    "reason": "first journal" if head is None else "journal replaced",
                    "replaces": replaces,
                },
                sort_keys=True,
            ),
            store_id=self._store_id,
            terminal_id=self._terminal_id,
            queued_at=self._clock.now().isoformat(),
        )
        # Kept before it is sent: a retry sends the same opening, byte for byte.
        outbox.set_meta(
            {GENERATION_KEY: str(generation), OPENING_KEY: opening.to_json()}, self._clock.now()
        )
        if head is not None:
            log.warning(
                "a new journal for install %s: generation %d, after the store's head %d/%d",
                install_id,
                generation,
                head.generation,
                head.seq,
            )
        return generation, opening

    def _event(self, install_id: str, generation: int, pending: Pending) -> StoreEvent:
        return StoreEvent(
            event_id=f"{install_id}-{generation}-{pending.seq}",
            install_id=install_id,
            generation=generation,
            seq=pending.seq,
            kind="withheld" if pending.withheld else "record",
            tbl=pending.table,
            part=pending.part,
            ref="" if pending.withheld else pending.ref,
            prev_hash=pending.prev_hash,
            hash=pending.hash,
            record=pending.record,
            store_id=self._store_id,
            terminal_id=self._terminal_id,
            queued_at=pending.queued_at,
        )

    # -- status ---------------------------------------------------------------

    def status(self, *, probe: bool = False) -> SyncStatus:
        """Pending count and lag from the outbox; with ``probe``, connect to say reachable."""
        with self._lock:
            error = self.last_error
            if probe:
                try:
                    self._database()
                    self.reachable, error = True, None
                except StoreDbError as exc:
                    self.reachable, error = False, exc.detail
                    self._disconnect()
            outbox = self._open_outbox()
            pending, oldest = outbox.count_pending()
            success = outbox.meta(LAST_SUCCESS_KEY)
        now = self._clock.now()
        return SyncStatus(
            configured=True,
            reachable=self.reachable,
            pending=pending,
            last_success_at=datetime.fromisoformat(success) if success else None,
            lag_s=max(0.0, (now - oldest).total_seconds()) if oldest else 0.0,
            error=error,
        )

    # -- connections ----------------------------------------------------------

    def _open_outbox(self) -> Outbox:
        if self._outbox is None:
            self._outbox = Outbox.open(self.journal_path)
        return self._outbox

    def _database(self) -> StoreDb:
        if self._db is None or self._db.closed:
            db = self._connect()
            try:
                db.check_schema()
            except BaseException:
                db.close()
                raise
            self._db = db
        return self._db

    def _disconnect(self) -> None:
        if self._db is not None:
            try:
                self._db.close()
            except Exception:  # closing a broken connection: nothing to keep
                log.debug("closing the store database connection failed", exc_info=True)
            self._db = None


__all__ = ["BATCH", "StoreSync", "SyncStatus"]
