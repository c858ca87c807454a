"""Issue 17: `--ref` through charge -> journal -> slip -> CSV/JSON -> search; reprint by order."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path

from tests.receipts.test_cli_receipts import SALE, printer_config
from tests.test_cli import kiosk


def test_a_sale_reference_goes_from_charge_to_journal_slip_csv_and_search(tmp_path: Path) -> None:
    data = tmp_path / "data"
    config = printer_config("pdf", paper_mm=58)
    result = kiosk("charge", "300", "--ref", " INV-0042\x07 ", "--json", data=data, config=config)
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["sale_ref"] == "INV-0042" and record["sandbox"] is True  # cleaned
    order_id = record["kiosk_order_id"]

    with sqlite3.connect(data / "journal.sqlite3") as db:
        assert db.execute("SELECT sale_ref FROM orders").fetchall() == [("INV-0042",)]
        assert db.execute("SELECT kind, prefix, number FROM documents").fetchall() == [
            ("test", "TEST-T01", 1)  # the sandbox's series, through the append path
        ]
    with sqlite3.connect(data / "receipts" / "archive.sqlite3") as db:
        (text,) = db.execute("SELECT text FROM receipts").fetchone()
    assert "INV-0042" in text and "TEST — NOT A RECEIPT" in text and "TEST-T01-000001" in text
    assert "Receipt TEST-T01-000001" in result.stderr

    report = kiosk("report", "--format", "csv", data=data, config=config)
    assert report.returncode == 0, report.stderr
    rows = list(csv.DictReader(io.StringIO(report.stdout.lstrip("\ufeff"))))
    assert [(r["kiosk_order_id"], r["sale_ref"]) for r in rows] == [(order_id, "INV-0042")]
    for query in ("INV-0042", "inv-0042", "V-00"):  # whole, any case, or a part
        found = kiosk("report", "--format", "json", "--search", query, data=data, config=config)
        assert [r["sale_ref"] for r in json.loads(found.stdout)] == ["INV-0042"], query
    other = kiosk("report", "--format", "json", "--search", "INV-9", data=data, config=config)
    assert json.loads(other.stdout) == []


def test_a_bill_number_too_long_is_refused_before_anything_is_journaled(tmp_path: Path) -> None:
    data = tmp_path / "data"
    result = kiosk("charge", "300", "--ref", "X" * 33, data=data, config=SALE)
    assert result.returncode == 2
    assert "at most 32" in result.stderr
    assert not (data / "journal.sqlite3").exists()


def test_reprint_of_an_unpaid_order_prints_a_record_without_a_number(tmp_path: Path) -> None:
    data = tmp_path / "data"
    config = printer_config("pdf", paper_mm=80).replace('scenario = "pay"', 'scenario = "decline"')
    declined = kiosk("charge", "45", "--json", data=data, config=config)
    assert declined.returncode == 4, declined.stderr
    order_id = json.loads(declined.stdout)["kiosk_order_id"]

    again = kiosk("reprint", "--order", order_id, data=data, config=config)
    assert again.returncode == 0, again.stderr
    assert "Record (no money received): printed" in again.stdout
    (pdf,) = (data / "receipts" / "pdf").glob("record-*.pdf")
    assert order_id in pdf.name
    with sqlite3.connect(data / "journal.sqlite3") as db:
        assert db.execute("SELECT COUNT(*) FROM documents").fetchone() == (0,)  # no number
    both = kiosk("reprint", "T01-000001", "--order", order_id, data=data, config=config)
    assert both.returncode == 2
