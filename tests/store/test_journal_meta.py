"""Named values kept in the journal (kiosk_meta): survive a reopen, replaced in place."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from kiosk.store.journal import Journal

AT = datetime(2026, 12, 1, 3, 0, tzinfo=UTC)


def test_a_value_is_kept_replaced_and_read_back_after_a_reopen(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    with Journal.open(path) as journal:
        assert journal.meta("install_id") is None
        journal.set_meta("install_id", "A", AT)
        journal.set_meta("install_id", "B", AT)
    with Journal.open(path) as journal:
        assert journal.meta("install_id") == "B"
        assert journal.schema_version >= 5  # kiosk_meta came with schema 5
