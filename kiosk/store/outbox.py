"""The outbox: the journal's records on their way to the store database.

``Journal._append`` writes one ``outbox`` row (schema 8) per chain record in
the record's own transaction: its chain position, the hash it links to and
its own hash. The sync (kiosk.services.sync) reads pending rows through this
module on a connection of its own (its worker thread never touches the
kiosk's ``Journal``), builds each event from the record as it is in the
journal now, and marks rows sent only after PostgreSQL committed them.

An event's ``record`` is the chain's canonical text of the record
(kiosk.store.chain.canonical), rebuilt from the live row: the store database
recomputes ``SHA-256(prev_hash + record)`` and flags the counter when it is
not the hash the chain holds, so a record edited in the file before it left
is caught there. A withheld row (a sandbox sale's) leaves as its hashes only.

The sync's working values live in ``kiosk_meta`` under ``store.*`` (the
journal generation, the opening event of the generation, the last success).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from kiosk.domain.errors import StoreError
from kiosk.store import chain

BUSY_TIMEOUT_MS = 5000
GENERATION_KEY = "store.generation"
OPENING_KEY = "store.generation_opening"  # the generation's first event, as first sent
LAST_SUCCESS_KEY = "store.last_success_at"
INSTALL_ID_KEY = "install_id"  # kiosk.store.numbering's


@dataclass(frozen=True)
class Pending:
    """One record to ship: its chain place and the record as the journal holds it now."""

    seq: int
    prev_hash: str
    hash: str
    table: str
    part: str
    ref: str
    record: str | None  # the canonical text; None when withheld or the row is gone
    withheld: bool
    queued_at: str


class Outbox:
    """The journal file opened by the sync alone: pending rows, sent marks, ``store.*`` values.

    One connection, used by one thread at a time (the caller serialises).
    """

    def __init__(self, db: sqlite3.Connection, path: Path) -> None:
        self._db = db
        self.path = path

    @classmethod
    def open(cls, path: Path) -> Outbox:
        """StoreError when there is no journal (the kiosk makes it; the sync never does)."""
        if not path.is_file():
            raise StoreError(f"no journal at {path}")
        try:
            db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            db.execute("PRAGMA synchronous = FULL")
            (has_outbox,) = db.execute(
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'outbox'"
            ).fetchone()
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the journal {path} for the sync: {exc}") from exc
        if not has_outbox:
            db.close()
            raise StoreError(f"the journal {path} has no outbox yet: start the kiosk once")
        return cls(db, path)

    def close(self) -> None:
        self._db.close()

    def pending(self, limit: int) -> list[Pending]:
        """The oldest ``limit`` rows not sent yet, in chain order, with their records."""
        with _errors("read the outbox"):
            rows = self._db.execute(
                "SELECT o.seq, o.prev_hash, o.hash, o.withheld, o.queued_at, c.tbl, c.part, c.ref"
                " FROM outbox AS o LEFT JOIN chain AS c USING (seq)"
                " WHERE o.sent_at IS NULL ORDER BY o.seq LIMIT ?",
                (limit,),
            ).fetchall()
            return [self._pending(*row) for row in rows]

    def _pending(
        self,
        seq: int,
        prev_hash: str,
        hash_: str,
        withheld: int,
        queued_at: str,
        table: str | None,
        part_name: str | None,
        ref: object,
    ) -> Pending:
        record = None
        part = chain.PARTS.get((str(table), str(part_name)))
        if not withheld and part is not None:
            row = self._db.execute(
                f"SELECT {', '.join(part.columns)} FROM {part.table} WHERE {part.key} = ?",
                (ref,),
            ).fetchone()
            if row is not None:
                record = chain.canonical(seq, part, dict(zip(part.columns, row, strict=True)))
        return Pending(
            seq=seq,
            prev_hash=prev_hash,
            hash=hash_,
            table=str(table or ""),
            part=str(part_name or ""),
            ref=str(ref if ref is not None else ""),
            record=record,
            withheld=bool(withheld),
            queued_at=queued_at,
        )

    def count_pending(self) -> tuple[int, datetime | None]:
        """How many rows wait, and when the oldest of them was queued."""
        with _errors("count the outbox"):
            count, oldest = self._db.execute(
                "SELECT COUNT(*), MIN(queued_at) FROM outbox WHERE sent_at IS NULL"
            ).fetchone()
        return int(count), _when(oldest)

    def mark_sent(self, seqs: Sequence[int], at: datetime) -> None:
        """The store database has committed these rows (and when that was noted)."""
        when = at.astimezone(UTC).isoformat(timespec="microseconds")
        with self._write("mark events sent"):
            self._db.executemany(
                "UPDATE outbox SET sent_at = ? WHERE seq = ? AND sent_at IS NULL",
                [(when, seq) for seq in seqs],
            )
            self._set(LAST_SUCCESS_KEY, when, when)

    def meta(self, key: str) -> str | None:
        with _errors(f"read {key}"):
            row = self._db.execute("SELECT value FROM kiosk_meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, values: dict[str, str], at: datetime) -> None:
        when = at.astimezone(UTC).isoformat(timespec="microseconds")
        with self._write("keep the sync's values"):
            for key, value in values.items():
                self._set(key, value, when)

    def _set(self, key: str, value: str, when: str) -> None:
        self._db.execute(
            "INSERT INTO kiosk_meta (key, value, updated_at) VALUES (?, ?, ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value,"
            " updated_at = excluded.updated_at",
            (key, value, when),
        )

    @contextmanager
    def _write(self, what: str) -> Iterator[None]:
        with _errors(what):
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield
                self._db.execute("COMMIT")
            except BaseException:
                if self._db.in_transaction:
                    self._db.execute("ROLLBACK")
                raise


def _when(text: object) -> datetime | None:
    if not text:
        return None
    at = datetime.fromisoformat(str(text))
    return at if at.tzinfo else at.replace(tzinfo=UTC)


@contextmanager
def _errors(what: str) -> Iterator[None]:
    try:
        yield
    except sqlite3.Error as exc:
        raise StoreError(f"could not {what}: {exc}") from exc


__all__ = [
    "GENERATION_KEY",
    "INSTALL_ID_KEY",
    "LAST_SUCCESS_KEY",
    "OPENING_KEY",
    "Outbox",
    "Pending",
]
