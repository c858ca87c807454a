"""A hand-edited journal row of a tax document (issue 17) against ``kiosk report --tax``.

``kiosk verify`` finds every such edit (the hash chain). The sales-tax report
is what the accountant files, so it is not made from a journal that fails
the chain: exit 6 (BROKEN_RECORD) with a sentence pointing at ``kiosk
verify``, never a traceback and never the edited figures.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kiosk.domain.documents import Series
from kiosk.store.journal import Journal
from tests.journal_data import sell
from tests.test_cli import kiosk

AT = datetime(2026, 12, 1, 5, 0, tzinfo=UTC)
VAT = '"vat_satang":1963'
EDITS = {
    "vat-zero": f"UPDATE documents SET detail = replace(detail, '{VAT}', '\"vat_satang\":0')",
    "vat-text": f"UPDATE documents SET detail = replace(detail, '{VAT}', '\"vat_satang\":\"x\"')",
    "vat-huge": f"UPDATE documents SET detail = replace(detail, '{VAT}', '\"vat_satang\":1e300')",
    "not-json": "UPDATE documents SET detail = '[[['",
    "deep-json": "UPDATE documents SET detail = '" + "[" * 100_000 + "'",
    "a-list": "UPDATE documents SET detail = '[1, 2]'",
    "bad-date": "UPDATE documents SET issued_at = 'yesterday'",
    "deleted": "DELETE FROM documents",
}


def journal_with_an_abb(data: Path) -> None:
    data.mkdir(parents=True)
    with Journal.open(data / "journal.sqlite3") as journal:
        order = sell(journal, AT, 300)
        detail = {"amount_satang": 30000, "vat_rate": "7", "vat_satang": 1963}
        journal.issue_document(order.kiosk_order_id, Series.ABB, AT, detail=detail)


def hand_edit(path: Path, sql: str) -> None:
    with sqlite3.connect(path) as db:  # as someone who knows to drop the guards first
        triggers = db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'documents'"
        ).fetchall()
        for (name,) in triggers:
            db.execute(f"DROP TRIGGER {name}")
        db.execute(sql)
    db.close()


def test_an_untouched_journal_gives_its_report(tmp_path: Path) -> None:
    data = tmp_path / "data"
    journal_with_an_abb(data)
    result = kiosk("report", "--tax", "--month", "2026-12", data=data)
    assert result.returncode == 0, result.stderr
    assert "ABB-T01-000001" in result.stdout and "19.63" in result.stdout


@pytest.mark.parametrize("edit", list(EDITS))
def test_a_hand_edited_tax_document_stops_the_tax_report(tmp_path: Path, edit: str) -> None:
    data = tmp_path / "data"
    journal_with_an_abb(data)
    hand_edit(data / "journal.sqlite3", EDITS[edit])
    verify = kiosk("verify", data=data)
    assert verify.returncode == 6, verify.stdout + verify.stderr
    report = kiosk("report", "--tax", "--month", "2026-12", data=data)
    assert report.returncode == 6, report
    assert "Traceback" not in report.stderr and "kiosk verify" in report.stderr
    assert report.stdout == ""
