"""Issue 17: slip numbers come from the journal and never repeat, whatever happened before.

Through the composition root and the embedded sandbox (so the TEST series).
"""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

from kiosk.domain.money import Money
from kiosk.domain.order import Method, OrderState
from kiosk.gateways.sandbox import SandboxServer
from kiosk.receipts.archive import ReceiptArchive
from kiosk.receipts.model import build_receipt
from tests.receipts.conftest import RECEIPT, START, STORE, paid_order
from tests.test_order_ids_never_repeat import damage, sandbox, sell  # noqa: F401

S = OrderState


def slip_numbers(data: Path) -> list[str]:
    with sqlite3.connect(data / "receipts" / "archive.sqlite3") as db:
        return [row[0] for row in db.execute("SELECT document FROM receipts ORDER BY id")]


def test_after_a_damaged_journal_the_next_slip_goes_on_from_the_last(
    sandbox: SandboxServer,  # noqa: F811
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    for baht in (300, 120):
        assert sell(sandbox, data, baht)[0].state is S.PAID
    damage(data / "journal.sqlite3", "all of it overwritten")
    again, _ = sell(sandbox, data, 300)

    assert again.state is S.PAID
    assert slip_numbers(data) == ["TEST-T01-000001", "TEST-T01-000002", "TEST-T01-000003"]
    with sqlite3.connect(data / "journal.sqlite3") as db:
        rows = db.execute("SELECT kind, prefix, number FROM documents").fetchall()
    assert rows == [("test", "TEST-T01", 3)]  # the new journal chained the third


def test_numbers_the_archive_holds_are_never_handed_out_again(
    sandbox: SandboxServer,  # noqa: F811
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    assert sell(sandbox, data, 10)[0].state is S.PAID  # a journal with its own slip 1
    archive = ReceiptArchive.open(data / "receipts" / "archive.sqlite3")
    order = replace(paid_order(seq=9), sandbox=True)
    slip = build_receipt(order, number=7, store=STORE, receipt=RECEIPT)
    archive.add(slip, issued_at=START)  # a slip the journal never chained
    archive.close()

    again, _ = sell(sandbox, data, 20)
    assert again.amount == Money(2000) and again.method is Method.QR
    assert slip_numbers(data)[-1] == "TEST-T01-000008"
