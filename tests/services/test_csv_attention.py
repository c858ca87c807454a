"""The CSV's last column names a sale's flag for the manager: its reason, and what became of it."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from kiosk.domain.attention import Attention, Outcome, Reason
from kiosk.domain.order import OrderState
from kiosk.services.reports import CSV_COLUMNS, OrderFilter, Reports, report_bytes
from kiosk.store.journal import Journal
from tests.journal_data import DAY, T0, sell

S = OrderState


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    with Journal.open(tmp_path / "journal.sqlite3") as j:
        yield j


def test_the_attention_column_is_last_and_says_reason_and_outcome(journal: Journal) -> None:
    plain = sell(journal, T0, 300)
    still_open = sell(journal, T0 + timedelta(minutes=1), 300, outcome=S.FAILED)
    refunded = sell(journal, T0 + timedelta(minutes=2), 300, outcome=S.EXPIRED)
    raw = (("amount", "=1+1"), ("currency", "THB"))  # what a hostile answer could say
    for order, reason in ((still_open, Reason.NOT_NAMED), (refunded, Reason.AMOUNT)):
        assert journal.flag_attention(Attention(order.kiosk_order_id, reason, T0, raw=raw))
    assert journal.clear_attention(refunded.kiosk_order_id, Outcome.REFUNDED, T0)
    reports = Reports(journal)

    assert CSV_COLUMNS[-1] == "attention"
    data = report_bytes(reports, DAY, OrderFilter(), "csv").decode("utf-8-sig")
    rows = {row["kiosk_order_id"]: row for row in csv.DictReader(io.StringIO(data))}
    assert rows[plain.kiosk_order_id]["attention"] == ""
    assert rows[still_open.kiosk_order_id]["attention"] == "paid_order_not_named (open)"
    assert rows[refunded.kiosk_order_id]["attention"] == "paid_amount_mismatch (refunded)"
    assert "=1+1" not in data  # the raw fields stay in the journal and the JSON report
    records = json.loads(report_bytes(reports, DAY, OrderFilter(), "json"))
    assert records[2]["attention"]["raw"] == {"amount": "=1+1", "currency": "THB"}
    assert records[2]["attention"]["outcome"] == "refunded"
