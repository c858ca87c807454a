"""Journal health at start-up: check the file, and never sell on a damaged one.

SQLite's own check (``PRAGMA quick_check``, or ``integrity_check`` when asked
for) runs before the journal is opened. A damaged file is not repaired and
not deleted: it is copied aside, with its ``-wal``/``-shm`` companions, as
``journal.sqlite3.damaged-<UTC time>``, and a fresh journal takes its place,
so the counter can keep selling while the manager sends the copy for
rescue (kiosk.store.numbering makes the new journal's order numbers go on
past the copy's, so no order id is used twice). That is said loudly: an
ERROR in the log and a ``JournalHealth`` whose ``damaged`` flag and message
the window shows until acknowledged and every CLI command prints.

Only SQLite's "corrupt" and "not a database" answers count as damage. A
journal that is merely busy or unreadable for another reason raises
StoreError and is left exactly where it is.
"""

from __future__ import annotations

import logging
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from kiosk.domain.errors import StoreError, Text

log = logging.getLogger("kiosk.store.health")

CHECKS = {"quick": "PRAGMA quick_check", "full": "PRAGMA integrity_check"}
COMPANIONS = ("-wal", "-shm", "-journal")
_DAMAGE_CODES = ("SQLITE_CORRUPT", "SQLITE_NOTADB")
_DAMAGE_WORDS = ("malformed", "not a database", "corrupt")


@dataclass(frozen=True)
class JournalHealth:
    """What the start-up check found; the UI shows ``text`` while ``damaged``."""

    checked: str  # "quick" | "full" | "off" | "new"
    damaged: bool = False
    moved_to: Path | None = None
    detail: str = ""

    @property
    def text(self) -> Text | None:
        if not self.damaged:
            return None
        where = self.moved_to.name if self.moved_to else "the data folder"
        return Text(
            "The sales journal was damaged. It was kept as "
            f"{where} and a new journal was started. Call the manager.",
            f"สมุดบันทึกการขายเสียหาย ได้เก็บไฟล์เดิมไว้เป็น {where} และเริ่มสมุดบันทึกใหม่แล้ว กรุณาแจ้งผู้จัดการ",
        )


def check_journal(path: Path, *, mode: str = "quick", now: datetime | None = None) -> JournalHealth:
    """Check ``path`` before it is opened; move a damaged one aside (see module doc)."""
    if mode not in (*CHECKS, "off"):
        raise ValueError(f"journal check mode must be quick, full or off, not {mode!r}")
    if not path.exists():
        return JournalHealth(checked="new")
    if mode == "off":
        return JournalHealth(checked="off")
    problem = _problem(path, CHECKS[mode])
    if problem is None:
        return JournalHealth(checked=mode)
    moved_to = _move_aside(path, now or datetime.now(UTC))
    log.error(
        "JOURNAL DAMAGED: %s failed its %s check (%s). The damaged file is kept as %s;"
        " a new, empty journal is started. Open orders in the old file are not rechecked:"
        " send the kept copy for rescue.",
        path,
        mode,
        problem,
        moved_to,
    )
    return JournalHealth(checked=mode, damaged=True, moved_to=moved_to, detail=problem)


def damaged_copies(path: Path) -> list[Path]:
    """The damaged journals set aside beside ``path`` (not their companions), oldest first."""
    prefix = f"{path.name}.damaged-"
    try:
        names = [p for p in path.parent.iterdir() if p.name.startswith(prefix)]
    except OSError:
        return []
    # The UTC stamp in the name sorts in time order ("...Z" before "...Z-2").
    return sorted(p for p in names if not p.name.endswith(COMPANIONS) and p.is_file())


def _problem(path: Path, pragma: str) -> str | None:
    """None if the check passes; else what SQLite said."""
    try:
        # Read-only: a read-write connection would checkpoint the WAL into the
        # damaged file and delete it on close; the copy must be what was found.
        uri = path.resolve().as_uri() + "?mode=ro"
        db = sqlite3.connect(uri, uri=True, isolation_level=None, timeout=5.0)
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open the journal {path} to check it: {exc}") from exc
    try:
        rows = db.execute(pragma).fetchall()
    except sqlite3.DatabaseError as exc:
        if _is_damage(exc):
            return str(exc)
        raise StoreError(f"cannot check the journal {path}: {exc}") from exc
    finally:
        db.close()
    lines = [str(row[0]) for row in rows]
    if lines == ["ok"]:
        return None
    return "; ".join(lines[:5]) + (f" (and {len(lines) - 5} more)" if len(lines) > 5 else "")


def _is_damage(exc: sqlite3.DatabaseError) -> bool:
    name = str(getattr(exc, "sqlite_errorname", "") or "")
    if name.startswith(_DAMAGE_CODES):
        return True
    return any(word in str(exc).lower() for word in _DAMAGE_WORDS)


def _move_aside(path: Path, now: datetime) -> Path:
    stamp = now.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.damaged-{stamp}")
    n = 1
    while any(Path(f"{target}{suffix}").exists() for suffix in ("", *COMPANIONS)):
        n += 1
        target = path.with_name(f"{path.name}.damaged-{stamp}-{n}")
    try:
        # Copy first, delete after: until the copy is complete the original
        # stays where it was.
        for suffix in ("", *COMPANIONS):
            source = Path(f"{path}{suffix}")
            if source.exists():
                shutil.copy2(source, f"{target}{suffix}")
        for suffix in ("", *COMPANIONS):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    except OSError as exc:
        raise StoreError(
            f"the journal {path} is damaged and could not be moved aside: {exc}"
        ) from exc
    return target


__all__ = ["JournalHealth", "check_journal", "damaged_copies"]
