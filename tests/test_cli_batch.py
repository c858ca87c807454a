"""`kiosk close` and `kiosk verify` as real processes; the journal edited with sqlite3 in between.

Issue 14, must show (2) — with sqlite3, drop the triggers and edit a status
row, an order row, a Z row, delete the newest record: `kiosk verify` exits 6
and names each — and (3) from the terminal: Z numbers and the grand total go
on after a journal reset.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.test_cli import kiosk
from tests.test_data_folder import CASES
from tests.test_data_folder import kiosk as kiosk_as

CONFIG = "[sandbox]\npay_after_s = 0\n"
CLOSE_KEYS = {
    "batch",
    "opened_at",
    "closed_at",
    "totals",
    "paid_total",
    "open_at_close",
    "late",
    "attention",
    "first_doc",
    "last_doc",
    "grand_total",
    "chain_head",
}


def charge(data: Path, amount: str) -> dict[str, Any]:
    result = kiosk("charge", amount, "--json", data=data, config=CONFIG)
    assert result.returncode == 0, result.stderr
    record: dict[str, Any] = json.loads(result.stdout)
    return record


def close(data: Path) -> dict[str, Any]:
    result = kiosk("close", "--json", data=data, config=CONFIG)
    assert result.returncode == 0, result.stderr
    record: dict[str, Any] = json.loads(result.stdout)
    return record


def verify(data: Path) -> tuple[int, dict[str, Any]]:
    result = kiosk("verify", "--json", data=data, config=CONFIG)
    assert "Traceback" not in result.stderr
    return result.returncode, json.loads(result.stdout)


def test_verify_without_a_journal_exits_2(tmp_path: Path) -> None:
    result = kiosk("verify", data=tmp_path / "data")
    assert result.returncode == 2 and "no journal" in result.stderr


@pytest.mark.slow
def test_close_issues_the_batch_once_and_verify_checks_the_chain(tmp_path: Path) -> None:
    data = tmp_path / "data"
    nothing = kiosk("close", "--json", data=data, config=CONFIG)
    assert nothing.returncode == 10 and "Nothing to close" in nothing.stderr
    sale = charge(data, "300")
    record = close(data)
    assert record.keys() >= CLOSE_KEYS
    assert record["batch"] == 1 and record["paid_total"] == "300.00"
    assert record["totals"]["by_method"]["qr"] == {"count": 1, "amount": "300.00"}
    assert record["totals"]["by_outcome"]["paid"] == {"count": 1, "amount": "300.00"}
    assert record["first_doc"] == record["last_doc"] == sale["kiosk_order_id"]
    assert record["grand_total"] == "300.00" and record["open_at_close"] == []
    # Four status changes and the receipt's number, each chained.
    assert len(record["chain_head"]) == 64 and record["records"] == 5
    assert record["first_receipt"] == record["last_receipt"] == 1
    # The kiosk runs on the sandbox: its Z is of the TEST-Z series, named so on paper and file.
    assert record["number_text"] == "TEST-Z000001" and record["sandbox"] is True
    assert record["pdf"] == str(data / "reports" / "test-z-000001.pdf")
    assert (data / "reports" / "test-z-000001.pdf").read_bytes().startswith(b"%PDF")
    assert not (data / "reports" / "z-000001.pdf").exists()
    again = kiosk("close", data=data, config=CONFIG)
    assert again.returncode == 10 and "since Z report TEST-Z000001" in again.stderr
    code, checked = verify(data)
    assert code == 0 and checked["ok"] and checked["first_broken"] is None
    assert checked["checked"] == 6 and checked["orders"] == 1
    assert checked["latest_z"] == {
        "batch": 1,
        "number_text": "TEST-Z000001",
        "chain_head": record["chain_head"],
        "records": 5,
    }
    text = kiosk("verify", data=data)
    assert text.returncode == 0 and text.stdout.startswith("intact: 6 record(s) checked")
    assert "latest TEST-Z000001 printed chain head" in text.stdout


def shell(data: Path, *statements: str) -> None:
    """sqlite3 on the journal, as someone at the counter could."""
    db = sqlite3.connect(data / "journal.sqlite3")
    try:
        for statement in statements:
            db.execute(statement)
        db.commit()
    finally:
        db.close()


@pytest.mark.slow
def test_verify_names_each_record_edited_with_sqlite3(tmp_path: Path) -> None:
    sold = tmp_path / "sold"
    first = charge(sold, "300")
    charge(sold, "20")
    close(sold)
    charge(sold, "5")
    with sqlite3.connect(sold / "journal.sqlite3") as db:
        (last_id,) = db.execute("SELECT MAX(id) FROM status_changes").fetchone()
        # The newest record is the last receipt's number, with the newest link.
        (last_doc,) = db.execute("SELECT MAX(id) FROM documents").fetchone()
        (last_doc_seq,) = db.execute("SELECT MAX(seq) FROM chain").fetchone()
        (status_id,) = db.execute(
            "SELECT id FROM status_changes WHERE kiosk_order_id = ? AND to_state = 'paid'",
            (first["kiosk_order_id"],),
        ).fetchone()
    assert verify(sold)[0] == 0
    edits: dict[str, tuple[tuple[str, ...], tuple[str, str]]] = {
        "a status row": (
            (
                "DROP TRIGGER status_changes_kept_update",
                f"UPDATE status_changes SET to_state = 'cancelled' WHERE id = {status_id}",
            ),
            ("status_changes", str(status_id)),
        ),
        "an order row": (
            (
                "UPDATE orders SET amount_satang = 100"
                f" WHERE kiosk_order_id = '{first['kiosk_order_id']}'",
            ),
            ("orders", first["kiosk_order_id"]),
        ),
        "a Z row": (
            (
                "DROP TRIGGER test_z_reports_kept_update",  # a sandbox kiosk's TEST-Z
                "UPDATE test_z_reports SET content = replace(content, '320.00', '20.00')",
            ),
            ("test_z_reports", "1"),
        ),
        "the newest record": (
            (
                "DROP TRIGGER status_changes_kept_delete",
                f"DELETE FROM status_changes WHERE id = {last_id}",
            ),
            ("status_changes", str(last_id)),
        ),
        "a receipt number": (
            (
                "DROP TRIGGER documents_kept_update",
                f"UPDATE documents SET number = 99 WHERE id = {last_doc}",
            ),
            ("documents", str(last_doc)),
        ),
        "the newest record and its link": (
            (
                "DROP TRIGGER documents_kept_delete",
                "DROP TRIGGER chain_kept_delete",
                f"DELETE FROM documents WHERE id = {last_doc}",
                f"DELETE FROM chain WHERE seq = {last_doc_seq}",
            ),
            ("chain", str(last_doc_seq)),
        ),
    }
    for name, (statements, (table, key)) in edits.items():
        data = tmp_path / name.replace(" ", "-")
        shutil.copytree(sold, data)
        shell(data, *statements)
        code, checked = verify(data)
        assert code == 6, name
        assert checked["ok"] is False and checked["checked"] >= 1, name
        assert (checked["first_broken"]["table"], checked["first_broken"]["id"]) == (table, key), (
            name,
            checked["first_broken"],
        )
        assert checked["first_broken"]["reason"], name
        text = kiosk("verify", data=data)
        assert text.returncode == 6 and f"BROKEN {table} {key}:" in text.stdout, name
    # Every command that opens the journal (and the window) walks its newest records first.
    started = kiosk("reconcile", data=tmp_path / "an-order-row", config=CONFIG)
    assert "The sales journal was changed outside the kiosk (orders" in started.stderr


@pytest.mark.slow
def test_z_numbers_and_the_grand_total_go_on_after_a_journal_reset(tmp_path: Path) -> None:
    data = tmp_path / "data"
    charge(data, "300")
    assert close(data)["batch"] == 1
    charge(data, "20")  # sold after the Z: in no report yet when the journal breaks
    journal = data / "journal.sqlite3"
    with journal.open("r+b") as f:
        f.write(b"\0" * 100)  # the header zeroed, as a power cut may leave it
    result = kiosk("charge", "7", "--json", data=data, config=CONFIG)
    assert result.returncode == 0 and "damaged" in result.stderr
    record = close(data)
    assert record["batch"] == 2 and record["previous_batch"] == 1
    # The copy no longer opens: its last Z's grand total is read as text (from
    # the file and the log). The ฿20 sold after that Z is only in the copy (README).
    assert record["grand_total"] == "307.00" and record["paid_total"] == "7.00"
    assert verify(data)[0] == 0


@pytest.mark.slow
def test_a_journal_replaced_while_it_still_reads_carries_every_sale(tmp_path: Path) -> None:
    data = tmp_path / "data"
    charge(data, "300")
    assert close(data)["batch"] == 1
    charge(data, "20")
    journal = data / "journal.sqlite3"
    journal.rename(data / "journal.sqlite3.damaged-20261201T000000Z")  # as health sets it aside
    charge(data, "7")
    record = close(data)
    assert (record["batch"], record["grand_total"]) == (2, "327.00")


@pytest.mark.parametrize("case", list(CASES))
@pytest.mark.parametrize("command", ["close", "verify"])
def test_an_unusable_data_folder_exits_8_naming_it(tmp_path: Path, case: str, command: str) -> None:
    data, named, preexec = CASES[case](tmp_path)
    if command == "verify" and case == "logs folder is a file":
        # verify only reads the journal and writes no log: it still answers.
        result = kiosk_as(command, data=data, preexec=preexec)
        assert result.returncode != 8 and "Traceback" not in result.stderr
        return
    try:
        result = kiosk_as(command, data=data, preexec=preexec)
    finally:
        if data.is_dir():
            data.chmod(0o700)  # so pytest can clean up
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 8, result.stderr
    assert result.stderr.startswith("kiosk: ") and str(named) in result.stderr
    assert "Call the manager" in result.stderr
