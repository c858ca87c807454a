"""Retention (issue 13): the newest 14 daily copies and one a month for 5 years; the
journal and every issued document are never deleted; settings cannot ask for less."""

from __future__ import annotations

import ast
import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.domain.clock import ManualClock
from kiosk.domain.errors import ConfigError
from kiosk.domain.order import business_day
from kiosk.infra.config import Settings, parse_settings
from kiosk.store.backup import MIN_DAILY, MIN_MONTHLY_YEARS, DailyBackup, kept_days
from kiosk.store.journal import Journal
from tests.conftest import ROOT


def days_from(first: date, count: int) -> list[str]:
    return [(first + timedelta(days=n)).strftime("%Y%m%d") for n in range(count)]


def test_the_newest_days_and_the_newest_day_of_each_month_stay() -> None:
    days = days_from(date(2026, 1, 1), 90)  # 1 January .. 31 March 2026
    assert kept_days(days, "20260331", daily=3, monthly_years=5) == {
        "20260131",
        "20260228",
        "20260329",
        "20260330",
        "20260331",
    }
    # With no copy on the last day of a month, its newest copy stands for it.
    gaps = [d for d in days if d not in ("20260131", "20260130")]
    assert "20260129" in kept_days(gaps, "20260331", daily=3, monthly_years=5)


def test_a_months_copy_stays_five_years_after_the_month() -> None:
    days = ["20210131", "20210228", "20260201"]
    assert kept_days(days, "20260131", daily=1, monthly_years=5) == set(days)
    # A month later, January 2021 is more than five years past: it goes.
    assert kept_days(days, "20260201", daily=1, monthly_years=5) == {"20210228", "20260201"}


class QuickCopies(DailyBackup):
    """Retention as it is, with a stand-in copy (the real one: tests/store/test_backup.py)."""

    def _copy(self, target: Path) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        target.write_bytes(b"a copy")


def test_six_years_of_days_keep_what_the_law_asks_and_no_more(tmp_path: Path) -> None:
    """Every simulated day: the newest 14 copies are there; for every month of the last
    five years there is exactly its newest copy; nothing older; no real waiting."""
    start = datetime(2026, 1, 1, 5, 0, tzinfo=UTC)  # 12:00 in Bangkok
    clock = ManualClock(start)
    journal = tmp_path / "journal.sqlite3"
    Journal.open(journal).close()
    backups = QuickCopies(
        journal_path=journal,
        directory=tmp_path / "backups",
        keep=MIN_DAILY,
        monthly_years=MIN_MONTHLY_YEARS,
        clock=clock,
    )
    rng = random.Random(13)
    taken: list[str] = []
    newest_of_month: dict[str, str] = {}
    for _ in range(6 * 366):
        if rng.random() < 0.9:  # some days the shop is closed and the kiosk is off
            if backups.run_if_due() is not None:
                taken.append(business_day(clock.now()))
                newest_of_month[taken[-1][:6]] = taken[-1]
            on_disk = [p.name[8:16] for p in backups.copies()]
            assert on_disk[-MIN_DAILY:] == taken[-MIN_DAILY:]  # the newest 14, always
            today = business_day(clock.now())
            first_month = f"{int(today[:4]) - 5:04d}{today[4:6]}"
            for month, newest in newest_of_month.items():  # each month of the window
                assert (newest in on_disk) == (month >= first_month or newest in taken[-14:])
            monthly = set(on_disk) - set(on_disk[-MIN_DAILY:])
            assert all(d[:6] >= first_month for d in monthly)  # nothing older kept
            assert len(monthly) == len({d[:6] for d in monthly})  # one per month
        clock.advance(86400)
    assert clock.now() - start >= timedelta(days=6 * 365)
    on_disk = [p.name[8:16] for p in backups.copies()]
    assert len(taken) > 1900 and MIN_DAILY + 59 <= len(on_disk) <= MIN_DAILY + 61
    assert on_disk[0][:6] == f"{int(on_disk[-1][:4]) - 5}{on_disk[-1][4:6]}"  # five years
    assert not list((tmp_path / "backups").glob("*.partial"))


def test_other_files_in_the_backup_folder_are_left_alone(tmp_path: Path) -> None:
    clock = ManualClock(datetime(2026, 1, 1, 5, 0, tzinfo=UTC))
    journal = tmp_path / "journal.sqlite3"
    Journal.open(journal).close()
    folder = tmp_path / "backups"
    folder.mkdir()
    for name in ("notes.txt", "journal-2020.sqlite3", "journal-20200101.sqlite3.partial"):
        (folder / name).write_text("kept")
    backups = DailyBackup(journal_path=journal, directory=folder, keep=14, clock=clock)
    for _ in range(40):
        backups.run_if_due()
        clock.advance(86400)
    assert all((folder / n).exists() for n in ("notes.txt", "journal-2020.sqlite3"))
    assert (folder / "journal-20200101.sqlite3.partial").exists()


# --- the settings: the law's minimums


def test_the_defaults_are_the_minimums() -> None:
    journal = Settings().journal
    assert (journal.backup_days, journal.backup_monthly_years) == (14, 5)
    assert (MIN_DAILY, MIN_MONTHLY_YEARS) == (14, 5)
    more = parse_settings("[journal]\nbackup_days = 30\nbackup_monthly_years = 10\n").journal
    assert (more.backup_days, more.backup_monthly_years) == (30, 10)


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ("backup_days = 13", "journal.backup_days"),
        ("backup_days = 0", "journal.backup_days"),
        ("backup_monthly_years = 4", "journal.backup_monthly_years"),
        ("backup_monthly_years = 0", "journal.backup_monthly_years"),
    ],
)
def test_a_shop_cannot_keep_less_than_the_law(line: str, key: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_settings(f"[journal]\n{line}\n")
    assert key in caught.value.text.en


# --- nothing else is ever deleted

# The modules that write the records a shop must keep: the journal, receipts
# (archive, PDFs), Z reports, exports and the manager screen that makes them.
RECORD_KEEPERS = (
    "kiosk/store/journal.py",
    "kiosk/store/chain.py",
    "kiosk/store/chain_migration.py",
    "kiosk/store/batches.py",
    "kiosk/store/reports.py",
    "kiosk/receipts",
    "kiosk/services/zreport.py",
    "kiosk/services/reports.py",
    "kiosk/services/history.py",
    "kiosk/ui/manager",
)
DELETING = {"unlink", "rmtree", "rmdir", "removedirs", "truncate"}


def deletions(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = node.func.value
            is_os_remove = isinstance(owner, ast.Name) and owner.id in ("os", "shutil")
            if node.func.attr in DELETING or (is_os_remove and node.func.attr == "remove"):
                found.append(f"{node.func.attr}() at line {node.lineno}")
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = " ".join(node.value.upper().split())
            if "DELETE FROM" in text or "DROP TABLE" in text:
                found.append(f"SQL at line {node.lineno}")
    return found


def test_the_code_that_keeps_records_never_deletes_any() -> None:
    files = []
    for name in RECORD_KEEPERS:
        where = ROOT / name
        files += sorted(where.rglob("*.py")) if where.is_dir() else [where]
    assert len(files) > 10
    found = {str(p.relative_to(ROOT)): d for p in files if (d := deletions(p))}
    assert found == {}
