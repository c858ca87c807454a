"""The outbox (journal schema 8): a row per chain record, in the record's transaction."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from kiosk.store.chain import GENESIS, digest
from kiosk.store.journal import MIGRATIONS, Journal
from kiosk.store.outbox import Outbox
from tests.journal_data import T0, sell

# The schema version whose migration added the outbox (found, not counted: the
# migrations of other work may come before it).
OUTBOX_VERSION = next(i for i, sql in enumerate(MIGRATIONS) if "CREATE TABLE outbox" in sql) + 1


def rows(path: Path) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    with sqlite3.connect(path) as db:
        chain = db.execute("SELECT seq, hash FROM chain ORDER BY seq").fetchall()
        outbox = db.execute(
            "SELECT seq, prev_hash, hash, withheld, sent_at FROM outbox ORDER BY seq"
        ).fetchall()
    return chain, outbox


def linked(chain: list[tuple[object, ...]]) -> list[tuple[object, ...]]:
    prev = [GENESIS, *(h for _, h in chain)]
    return [(seq, prev[i], h, 0, None) for i, (seq, h) in enumerate(chain)]


def test_every_record_is_queued_with_its_link(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    with Journal.open(path) as journal:
        sell(journal, T0, 100)
        journal.withhold_from_store = True  # a sandbox sale: only its hashes may leave
        sell(journal, T0, 200)
    chain, outbox = rows(path)
    assert len(chain) == 8
    expected = linked(chain)
    assert [r[:3] for r in outbox] == [r[:3] for r in expected]
    assert [r[3] for r in outbox] == [0] * 4 + [1] * 4


def test_the_upgrade_queues_every_record_already_chained(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    with Journal.open(path) as journal:
        sell(journal, T0, 100)
    with sqlite3.connect(path) as db:  # as a journal of the version before
        db.execute("DROP TABLE outbox")
        db.execute("DROP TABLE test_z_reports")  # and what came after it (schema 10)
        db.execute(f"PRAGMA user_version = {OUTBOX_VERSION - 1}")
    with Journal.open(path) as journal:
        assert journal.schema_version == len(MIGRATIONS)
    chain, outbox = rows(path)
    assert outbox == linked(chain)


def test_pending_records_are_rebuilt_as_hashed_and_marked_sent(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    with Journal.open(path) as journal:
        sell(journal, T0, 100)
    outbox = Outbox.open(path)
    try:
        pending = outbox.pending(100)
        assert [p.seq for p in pending] == [1, 2, 3, 4]
        # What the store database recomputes: the record as it was hashed.
        assert all(p.record and digest(p.prev_hash, p.record) == p.hash for p in pending)
        outbox.mark_sent([1, 2], T0)
        assert [p.seq for p in outbox.pending(100)] == [3, 4]
        assert outbox.count_pending()[0] == 2
    finally:
        outbox.close()
