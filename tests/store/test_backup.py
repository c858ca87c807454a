"""The daily journal copy: one per Bangkok day, consistent, the newest N kept."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk.domain.clock import ManualClock
from kiosk.domain.errors import StoreError
from kiosk.domain.money import Money
from kiosk.domain.order import Method
from kiosk.store.backup import DailyBackup
from kiosk.store.journal import Journal


def add_order(journal: Journal, clock: ManualClock) -> None:
    journal.new_order(
        store_id="S1", terminal_id="T1", amount=Money(500), method=Method.QR, created_at=clock.now()
    )


def rows(path: Path) -> int:
    with sqlite3.connect(path) as db:
        (n,) = db.execute("SELECT COUNT(*) FROM orders").fetchone()
    db.close()
    return int(n)


def test_one_copy_per_day_taken_while_the_journal_is_open(tmp_path: Path) -> None:
    clock = ManualClock(datetime(2026, 11, 24, 3, 0, tzinfo=UTC))  # 10:00 in Bangkok
    path = tmp_path / "journal.sqlite3"
    backup = DailyBackup(journal_path=path, directory=tmp_path / "backups", keep=3, clock=clock)
    assert backup.run_if_due() is None  # no journal yet: nothing to copy
    with Journal.open(path) as journal:
        add_order(journal, clock)
        made = backup.run_if_due()
        assert made == tmp_path / "backups" / "journal-20261124.sqlite3"
        assert rows(made) == 1  # the WAL content is in the copy
        add_order(journal, clock)
        assert backup.run_if_due() is None  # once a day
        assert rows(made) == 1
        clock.advance(14 * 3600)  # 00:00 next day in Bangkok
        assert backup.run_if_due() == tmp_path / "backups" / "journal-20261125.sqlite3"
        assert rows(tmp_path / "backups" / "journal-20261125.sqlite3") == 2
    assert not list((tmp_path / "backups").glob("*.partial"))


def test_only_the_newest_copies_are_kept(tmp_path: Path) -> None:
    clock = ManualClock(datetime(2026, 11, 1, 3, 0, tzinfo=UTC))
    path = tmp_path / "journal.sqlite3"
    Journal.open(path).close()
    backup = DailyBackup(journal_path=path, directory=tmp_path / "b", keep=3, clock=clock)
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "notes.txt").write_text("not a backup")
    for _ in range(6):
        backup.run_if_due()
        clock.advance(86400)
    assert [p.name for p in backup.copies()] == [
        "journal-20261104.sqlite3",
        "journal-20261105.sqlite3",
        "journal-20261106.sqlite3",
    ]
    assert (tmp_path / "b" / "notes.txt").exists()


def test_zero_days_means_no_backups(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    Journal.open(path).close()
    backup = DailyBackup(journal_path=path, directory=tmp_path / "b", keep=0, clock=ManualClock())
    assert backup.run_if_due() is None
    assert not (tmp_path / "b").exists()


def test_a_failed_copy_leaves_no_partial_file(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    path.write_bytes(b"not a database" * 100)
    backup = DailyBackup(journal_path=path, directory=tmp_path / "b", keep=2, clock=ManualClock())
    with pytest.raises(StoreError, match="could not back up"):
        backup.run_if_due()
    assert list((tmp_path / "b").iterdir()) == []


def test_run_daily_keeps_going_after_a_failure(tmp_path: Path) -> None:
    clock = ManualClock(datetime(2026, 11, 24, 3, 0, tzinfo=UTC))
    path = tmp_path / "journal.sqlite3"
    path.write_bytes(b"not a database" * 100)
    backup = DailyBackup(journal_path=path, directory=tmp_path / "b", keep=2, clock=clock)

    async def scenario() -> None:
        task = asyncio.ensure_future(backup.run_daily(every_s=3600))
        for _ in range(200):
            if len(clock.slept) >= 2:
                break
            await asyncio.sleep(0.01)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)

    asyncio.run(scenario())
    assert clock.slept[:2] == [3600, 3600]
