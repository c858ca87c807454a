"""Order numbers go on past a replaced journal: floors from every earlier record, best effort."""

from __future__ import annotations

import logging
import random
import re
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.domain.errors import StoreError
from kiosk.domain.money import Money
from kiosk.domain.order import Method, order_number
from kiosk.store.backup import DailyBackup
from kiosk.store.health import check_journal, damaged_copies
from kiosk.store.journal import Journal, seq_floor_key
from kiosk.store.numbering import INSTALL_ID_KEY, READ_KEY, continue_numbering, earlier_records
from tests.store.test_health import flip_bytes, page_of

NOW = datetime(2026, 11, 24, 3, 0, tzinfo=UTC)  # 10:00 in Bangkok
DAY = "20261124"


class FixedClock:
    def now(self) -> datetime:
        return NOW

    async def sleep(self, seconds: float) -> None:  # pragma: no cover - not used here
        raise AssertionError("no sleeping")


def sell(journal: Journal, n: int, *, terminal: str = "T1", at: datetime = NOW) -> list[str]:
    return [
        journal.new_order(
            store_id="S1",
            terminal_id=terminal,
            amount=Money(100 + i),
            method=Method.QR,
            created_at=at,
            description="x" * 50,
        ).kiosk_order_id
        for i in range(n)
    ]


def fresh(path: Path, **kw: object) -> tuple[Journal, list[str]]:
    """Reopen ``path`` as the kiosk does after a reset, and sell one order."""
    journal = Journal.open(path)
    continue_numbering(journal, at=NOW)
    return journal, sell(journal, 1, **kw)  # type: ignore[arg-type]


def damage(path: Path, how: str) -> None:
    if how == "index page":
        root, size = page_of(path, "orders_state")
        flip_bytes(path, (root - 1) * size + 3000)
    elif how == "table page":
        root, size = page_of(path, "orders")
        flip_bytes(path, (root - 1) * size, 8)
    elif how == "truncated":
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 2])
    elif how == "header zeroed":
        data = bytearray(path.read_bytes())
        data[:100] = bytes(100)
        path.write_bytes(bytes(data))
    else:
        raise AssertionError(how)


@pytest.mark.parametrize(
    ("how", "floor"),
    [
        ("index page", 200),
        ("table page", 200),
        ("header zeroed", 200),  # SQLite cannot open it; the ids are still in its bytes
        ("truncated", None),  # the first half's ids: some number past 1, at most 200
    ],
)
def test_after_a_reset_the_days_numbers_go_on_past_the_damaged_copy(
    tmp_path: Path, how: str, floor: int | None
) -> None:
    path = tmp_path / "journal.sqlite3"
    with Journal.open(path) as old:
        before = sell(old, 200)
    damage(path, how)
    health = check_journal(path, now=NOW)
    assert health.damaged and damaged_copies(path) == [health.moved_to]

    journal, (after,) = fresh(path)
    with journal:
        number = order_number(after)
        assert number is not None
        if floor is None:
            assert 50 < number <= 201
        else:
            assert number == floor + 1
        assert after not in before
        # Another terminal's numbers and another day's start at 1 as always.
        assert order_number(sell(journal, 1, terminal="T2")[0]) == 1
        assert order_number(sell(journal, 1, at=NOW + timedelta(days=1))[0]) == 1


def test_a_file_that_is_all_garbage_and_a_corrupt_backup_never_stop_the_kiosk(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "journal.sqlite3"
    path.write_bytes(b"garbage " * 4000)
    (tmp_path / "backups").mkdir()
    (tmp_path / "backups" / "journal-20261123.sqlite3").write_bytes(b"\x00broken" * 900)
    assert check_journal(path, now=NOW).damaged
    with caplog.at_level(logging.WARNING, logger="kiosk.store.numbering"):
        journal = Journal.open(path)
        with journal:
            numbering = continue_numbering(journal, at=NOW)
            assert numbering.read and numbering.floors == {}
            assert numbering.unreadable == (tmp_path / "backups" / "journal-20261123.sqlite3",)
            assert order_number(sell(journal, 1)[0]) == 1  # nothing known: 1, random part differs
    assert "could not be read for order numbers" in caplog.text


def test_backups_in_any_folder_layout_the_receipt_archive_and_the_logs_count(
    tmp_path: Path,
) -> None:
    path = tmp_path / "journal.sqlite3"
    with Journal.open(path) as old:
        sell(old, 3)
        DailyBackup(
            journal_path=path,
            directory=tmp_path / "backups" / "monthly",
            keep=5,
            clock=FixedClock(),
        ).run_if_due()
        sell(old, 4)  # 7 in all; the backup has 3
    path.unlink()  # deleted by hand: nothing "damaged", but sales were recorded here
    receipts = tmp_path / "receipts"
    receipts.mkdir()
    with sqlite3.connect(receipts / "archive.sqlite3") as db:
        db.execute("CREATE TABLE receipts (number INTEGER, kiosk_order_id TEXT)")
        db.execute("INSERT INTO receipts VALUES (1, 'S1-T2-20261124-0005-ABCD')")
    db.close()
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "kiosk.log.1").write_text(
        "2026-11-24 10:00:01 INFO kiosk.store: journaled S1-T3-20261124-0009-ZZ77 (1.00, qr)\n"
        "2026-11-24 10:00:02 INFO kiosk.store: journaled S1-T4-20261124-0011 (old format)\n",
        encoding="utf-8",
    )
    assert {p.name for p in earlier_records(path)} == {
        "journal-20261124.sqlite3",
        "archive.sqlite3",
        "kiosk.log.1",
    }
    with Journal.open(path) as journal:
        numbering = continue_numbering(journal, at=NOW)
        assert {k: v for k, v in numbering.floors.items() if k[0] == "S1"} == {
            ("S1", "T1", DAY): 3,
            ("S1", "T2", DAY): 5,
            ("S1", "T3", DAY): 9,
            ("S1", "T4", DAY): 11,
        }
        assert numbering.text_for(journal_was_new=True) is not None  # said, not only logged
        assert numbering.text_for(journal_was_new=False) is None
        assert [
            order_number(sell(journal, 1, terminal=t)[0]) for t in ("T1", "T2", "T3", "T4")
        ] == [
            4,
            6,
            10,
            12,
        ]


def test_values_that_cannot_be_real_are_ignored(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    (tmp_path / "logs").mkdir()
    (tmp_path / "logs" / "kiosk.log").write_text(
        "S1-T1-20261124-99999 S1-T1-20261399-0042 S1-T1-20261124-0000 S1-T1-20261124-0007-K7QX",
        encoding="utf-8",
    )
    with Journal.open(path) as journal:
        numbering = continue_numbering(journal, at=NOW)
        # 99999 is read as its first 4 digits (9999, possible); 13th month and seq 0 are not.
        assert numbering.floors[("S1", "T1", DAY)] == 9999
        assert ("S1", "T1", "20261399") not in numbering.floors


def test_read_once_per_journal_and_never_for_one_that_has_sales(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "kiosk.log").write_text("journaled S1-T1-20261124-0041-AAAA\n", encoding="utf-8")
    with Journal.open(path) as journal:
        first = continue_numbering(journal, at=NOW)
        assert first.read and journal.meta(READ_KEY) is not None
        assert journal.meta(seq_floor_key("S1", "T1", DAY)) == "41"
        (logs / "kiosk.log").write_text("journaled S1-T1-20261124-0077-AAAA\n", encoding="utf-8")
        again = continue_numbering(journal, at=NOW)
        assert not again.read and again.install_id == first.install_id
        assert order_number(sell(journal, 1)[0]) == 42
    other = tmp_path / "other" / "journal.sqlite3"
    with Journal.open(other) as journal:
        sell(journal, 1)  # a journal from before this version: it has sales, nothing to read
        assert not continue_numbering(journal, at=NOW).read
        assert journal.meta(READ_KEY) is None and journal.meta(INSTALL_ID_KEY) is not None


def test_the_install_id_is_made_once_and_carried_over_a_reset(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    with Journal.open(path) as journal:
        install_id = continue_numbering(journal, at=NOW).install_id
        assert re.fullmatch(r"[A-Z2-7]{26}", install_id)
        assert journal.meta(INSTALL_ID_KEY) == install_id
        sell(journal, 5)
    damage(path, "table page")  # the orders are lost to SQLite; kiosk_meta still reads
    assert check_journal(path, now=NOW).damaged
    with Journal.open(path) as journal:
        assert continue_numbering(journal, at=NOW).install_id == install_id
    other = tmp_path / "second" / "journal.sqlite3"
    with Journal.open(other) as journal:
        assert continue_numbering(journal, at=NOW).install_id != install_id


def test_a_floor_from_an_earlier_reset_is_carried_into_the_next(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    with Journal.open(path) as journal:
        journal.raise_seq_floors({("S1", "T1", DAY): 300}, NOW)
    path.rename(tmp_path / "journal.sqlite3.damaged-20261124T020000Z")  # kept, then lost again
    with Journal.open(path) as journal:
        continue_numbering(journal, at=NOW)
        assert order_number(sell(journal, 1)[0]) == 301


# -- the journal side: floors ---------------------------------------------------


def test_a_floor_only_goes_up_and_counts_for_its_own_key(tmp_path: Path) -> None:
    with Journal.open(tmp_path / "journal.sqlite3") as journal:
        key = ("S1", "T1", DAY)
        assert journal.raise_seq_floors({key: 10}, NOW) == 1
        assert journal.raise_seq_floors({key: 4}, NOW) == 0  # lower: kept at 10
        assert journal.meta(seq_floor_key(*key)) == "10"
        assert order_number(sell(journal, 1)[0]) == 11
        assert order_number(sell(journal, 1)[0]) == 12  # above the journal's own, too
        assert journal.raise_seq_floors({key: 11}, NOW) == 1  # below the journal's 12
        assert order_number(sell(journal, 1)[0]) == 13
        assert order_number(sell(journal, 1, terminal="T2")[0]) == 1


def test_floors_and_marks_are_written_together(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Journal.open(tmp_path / "journal.sqlite3") as journal:
        floors = {("S1", "T1", DAY): 10, ("S1", "T1", "20261125"): object()}
        with pytest.raises((TypeError, ValueError)):
            journal.raise_seq_floors(floors, NOW, marks={READ_KEY: "x"})  # type: ignore[arg-type]
        assert journal.meta(READ_KEY) is None
        assert journal.meta(seq_floor_key("S1", "T1", DAY)) is None


def test_the_random_part_comes_from_the_journals_rng(tmp_path: Path) -> None:
    a = Journal.open(tmp_path / "a.sqlite3", randbelow=random.Random(3).randrange)
    b = Journal.open(tmp_path / "b.sqlite3", randbelow=random.Random(3).randrange)
    with a, b:
        assert sell(a, 3) == sell(b, 3)
    with Journal.open(tmp_path / "c.sqlite3", randbelow=lambda n: 0) as c:
        assert sell(c, 1) == [f"S1-T1-{DAY}-0001-AAAA"]


def test_an_id_that_would_not_fit_32_characters_is_refused_as_a_store_error(
    tmp_path: Path,
) -> None:
    with Journal.open(tmp_path / "journal.sqlite3") as journal:
        journal.raise_seq_floors({("ABCDEFGH", "WXYZ", DAY): 9999}, NOW)
        with pytest.raises(StoreError, match="no order id left"):
            journal.new_order(
                store_id="ABCDEFGH",
                terminal_id="WXYZ",
                amount=Money(100),
                method=Method.QR,
                created_at=NOW,
            )
        assert journal.count() == 0
