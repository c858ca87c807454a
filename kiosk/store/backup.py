"""A daily copy of the journal in ``<data>/backups``, kept as the tax records need.

The copy is taken with SQLite's online backup API from a separate
connection, so it is consistent even while the kiosk writes (WAL), and it is
written to a ``.partial`` file first and renamed, so a crash mid-copy never
leaves a half copy that looks whole. One copy per Bangkok business day:
``journal-YYYYMMDD.sqlite3``.

Retention (:func:`kept_days`): the newest ``keep`` daily copies (at least
14 by the settings), and the newest copy of every month for
``monthly_years`` years (at least 5: Thai Revenue Code s.87/3 keeps tax
records 5 years). Only these copies are ever deleted: the journal itself,
receipts, Z reports and exports never are.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import sqlite3
from collections.abc import Iterable
from pathlib import Path

from kiosk.domain.clock import Clock
from kiosk.domain.errors import StoreError
from kiosk.domain.order import business_day

log = logging.getLogger("kiosk.store.backup")

_NAME = re.compile(r"journal-(\d{8})\.sqlite3")
PAGES_PER_STEP = 256  # copy in steps so a writer is never held up for long


MIN_DAILY = 14  # the settings refuse less
MIN_MONTHLY_YEARS = 5


def kept_days(days: Iterable[str], today: str, *, daily: int, monthly_years: int) -> set[str]:
    """Which of the copies' business days (``YYYYMMDD``) stay on ``today``.

    The newest ``daily`` days, plus the newest day of each month from the same
    month ``monthly_years`` years ago on (so a month's copy stays for at
    least that many years after the month ended).
    """
    ordered = sorted(set(days))
    keep = set(ordered[-daily:]) if daily > 0 else set()
    first_month = f"{int(today[:4]) - monthly_years:04d}{today[4:6]}"
    newest_of_month: dict[str, str] = {}
    for day in ordered:  # oldest first: the last one seen in a month is its newest
        newest_of_month[day[:6]] = day
    keep.update(day for month, day in newest_of_month.items() if month >= first_month)
    return keep


class DailyBackup:
    def __init__(
        self,
        *,
        journal_path: Path,
        directory: Path,
        keep: int,
        clock: Clock,
        monthly_years: int = MIN_MONTHLY_YEARS,
    ) -> None:
        self.journal_path = journal_path
        self.directory = directory
        self.keep = keep  # daily copies
        self.monthly_years = monthly_years
        self.clock = clock

    def path_for(self, day: str) -> Path:
        return self.directory / f"journal-{day}.sqlite3"

    def copies(self) -> list[Path]:
        """Existing daily copies, oldest first."""
        if not self.directory.is_dir():
            return []
        return sorted(p for p in self.directory.iterdir() if _NAME.fullmatch(p.name))

    def run_if_due(self) -> Path | None:
        """Take today's copy if there is none yet; returns its path when one was made."""
        if self.keep <= 0 or not self.journal_path.exists():
            return None
        target = self.path_for(business_day(self.clock.now()))
        made = None
        if not target.exists():
            self._copy(target)
            made = target
            log.info("journal backed up to %s", target)
        self._prune()
        return made

    async def run_daily(self, every_s: float = 3600.0) -> None:
        """Keep taking the daily copy while the kiosk runs (a task the app starts)."""
        while True:
            try:
                await asyncio.to_thread(self.run_if_due)
            except StoreError:
                log.exception("daily journal backup failed; will try again")
            await self.clock.sleep(every_s)

    def _copy(self, target: Path) -> None:
        partial = target.with_name(target.name + ".partial")
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            source = sqlite3.connect(self.journal_path, timeout=5.0)
            try:
                copy = sqlite3.connect(partial)
                try:
                    source.backup(copy, pages=PAGES_PER_STEP)
                finally:
                    copy.close()
            finally:
                source.close()
            os.replace(partial, target)
        except (sqlite3.Error, OSError) as exc:
            partial.unlink(missing_ok=True)
            raise StoreError(f"could not back up the journal to {target}: {exc}") from exc

    def _prune(self) -> None:
        copies = {m.group(1): p for p in self.copies() if (m := _NAME.fullmatch(p.name))}
        stay = kept_days(
            copies,
            business_day(self.clock.now()),
            daily=self.keep,
            monthly_years=self.monthly_years,
        )
        for day, old in sorted(copies.items()):
            if day in stay:
                continue
            try:
                old.unlink()
                log.info("old journal backup %s removed", old.name)
            except OSError as exc:
                log.warning("could not remove the old backup %s: %s", old, exc)


__all__ = ["MIN_DAILY", "MIN_MONTHLY_YEARS", "DailyBackup", "kept_days"]
