"""Journal health at start-up: a damaged file is kept aside and a fresh journal started."""

from __future__ import annotations

import logging
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk.domain.errors import StoreError
from kiosk.domain.money import Money
from kiosk.domain.order import Method
from kiosk.store.health import check_journal
from kiosk.store.journal import Journal

NOW = datetime(2026, 11, 24, 3, 0, tzinfo=UTC)


def journal_with_orders(path: Path, n: int = 200) -> None:
    with Journal.open(path) as j:
        for i in range(n):
            j.new_order(
                store_id="S1",
                terminal_id="T1",
                amount=Money(100 + i),
                method=Method.QR,
                created_at=NOW,
                description="x" * 50,
            )


def flip_bytes(path: Path, offset: int, count: int = 10) -> None:
    data = bytearray(path.read_bytes())
    for i in range(offset, offset + count):
        data[i] ^= 0xFF
    path.write_bytes(bytes(data))


def page_of(path: Path, name: str) -> tuple[int, int]:
    with sqlite3.connect(path) as db:
        (root,) = db.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = ?", (name,)
        ).fetchone()
        (size,) = db.execute("PRAGMA page_size").fetchone()
    db.close()
    return int(root), int(size)


def test_missing_and_healthy_journals_pass(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    assert check_journal(path).checked == "new"
    journal_with_orders(path, 3)
    for mode in ("quick", "full", "off"):
        health = check_journal(path, mode=mode)
        assert (health.checked, health.damaged, health.text) == (mode, False, None)
    assert not [p for p in tmp_path.iterdir() if "damaged" in p.name]
    with Journal.open(path) as journal:
        assert journal.count() == 3


def test_a_file_that_is_not_a_database_is_moved_aside_loudly(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "journal.sqlite3"
    path.write_bytes(b"this is not sqlite " * 200)
    with caplog.at_level(logging.ERROR, logger="kiosk.store.health"):
        health = check_journal(path, now=NOW)
    assert health.damaged and "not a database" in health.detail
    assert health.moved_to == tmp_path / "journal.sqlite3.damaged-20261124T030000Z"
    assert health.moved_to.read_bytes() == b"this is not sqlite " * 200  # kept, byte for byte
    assert not path.exists()
    assert "JOURNAL DAMAGED" in caplog.text
    assert health.text is not None and health.moved_to.name in health.text.en
    assert health.moved_to.name in health.text.th
    # A fresh journal opens where the old one was.
    with Journal.open(path) as fresh:
        assert fresh.count() == 0


@pytest.mark.parametrize("mode", ["quick", "full"])
def test_a_damaged_index_page_fails_the_check(tmp_path: Path, mode: str) -> None:
    path = tmp_path / "journal.sqlite3"
    journal_with_orders(path)
    root, size = page_of(path, "orders_state")
    flip_bytes(path, (root - 1) * size + 3000)
    original = path.read_bytes()
    health = check_journal(path, mode=mode, now=NOW)
    assert health.damaged and health.detail  # quick: "invalid page number"; full: malformed
    assert health.moved_to is not None and health.moved_to.read_bytes() == original


def test_a_damaged_page_header_fails_the_check(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    journal_with_orders(path)
    root, size = page_of(path, "orders")
    flip_bytes(path, (root - 1) * size, 8)
    health = check_journal(path, now=NOW)
    assert health.damaged and "malformed" in health.detail


def test_companion_files_move_with_it_and_nothing_is_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    path.write_bytes(b"garbage" * 100)
    wal = tmp_path / "journal.sqlite3-wal"
    wal.write_bytes(b"left by the crashed process")
    first = check_journal(path, now=NOW)
    assert first.moved_to is not None
    assert (tmp_path / f"{first.moved_to.name}-wal").read_bytes() == b"left by the crashed process"
    assert not wal.exists()
    # Damaged again within the same second: a new name, nothing overwritten.
    path.write_bytes(b"garbage" * 100)
    second = check_journal(path, now=NOW)
    assert second.moved_to == tmp_path / "journal.sqlite3.damaged-20261124T030000Z-2"
    assert first.moved_to.exists()


def test_a_busy_journal_is_not_mistaken_for_damage(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "journal.sqlite3"
    journal_with_orders(path, 1)

    class Busy:
        def execute(self, sql: str) -> None:
            error = sqlite3.OperationalError("database is locked")
            error.sqlite_errorname = "SQLITE_BUSY"
            raise error

        def close(self) -> None:
            pass

    monkeypatch.setattr(sqlite3, "connect", lambda *a, **k: Busy())
    with pytest.raises(StoreError, match="locked"):
        check_journal(path)
    assert path.exists()


def test_unknown_mode_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="quick, full or off"):
        check_journal(tmp_path / "j", mode="deep")
