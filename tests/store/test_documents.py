"""Document series: numbers through the append path, one counter per series, never reused."""

from __future__ import annotations

import logging
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.domain.documents import Series, parse_number_text, sale_ref_of
from kiosk.domain.errors import DocumentRefused, InvalidSaleRef
from kiosk.domain.money import Money
from kiosk.domain.order import Method, Order, OrderState
from kiosk.store.journal import Journal
from kiosk.store.numbering import continue_numbering

S = OrderState
NOW = datetime(2026, 11, 24, 3, 0, tzinfo=UTC)


def sale(
    journal: Journal, end: OrderState = S.PAID, *, sandbox: bool = False, terminal: str = "T01"
) -> Order:
    """An order journaled through CREATING and AWAITING_PAYMENT to ``end``."""
    order = journal.new_order(
        store_id="S001",
        terminal_id=terminal,
        amount=Money(30000),
        method=Method.QR,
        created_at=NOW,
        sandbox=sandbox,
    )
    for state in (S.CREATING, S.AWAITING_PAYMENT, end):
        order, move = order.transition(state, NOW + timedelta(seconds=1))
        journal.record(order, move)
    return order


@pytest.fixture
def journal(tmp_path: Path) -> Journal:
    j = Journal.open(tmp_path / "journal.sqlite3")
    yield j  # type: ignore[misc]
    j.close()


def test_each_series_counts_on_its_own_with_the_terminal_as_prefix(journal: Journal) -> None:
    a, b = sale(journal), sale(journal)
    test = sale(journal, sandbox=True)

    slips = [journal.issue_document(o.kiosk_order_id, Series.SLIP, NOW).text for o in (a, b)]
    abb = journal.issue_document(a.kiosk_order_id, Series.ABB, NOW, detail={"vat_rate": "7"})
    sandbox = journal.issue_document(test.kiosk_order_id, Series.TEST_SLIP, NOW)

    assert slips == ["T01-000001", "T01-000002"]
    assert abb.text == "ABB-T01-000001" and abb.detail == {"vat_rate": "7"}
    assert sandbox.text == "TEST-T01-000001"
    assert journal.find_document("t01-000002") == journal.document_of(b.kiosk_order_id, Series.SLIP)
    assert journal.find_document("TEST-T01-000001") == sandbox
    assert journal.find_document("T01-000009") is None
    assert journal.verify().ok


def test_a_second_request_returns_the_first_number(journal: Journal) -> None:
    order = sale(journal)
    first = journal.issue_document(order.kiosk_order_id, Series.SLIP, NOW)
    again = journal.issue_document(order.kiosk_order_id, Series.SLIP, NOW + timedelta(hours=1))
    copy = journal.record_reprint(first, NOW + timedelta(hours=2))

    assert again == first
    assert (copy.text, copy.copy) == (first.text, 1)  # a reprint takes no new number
    assert journal.issue_document(sale(journal).kiosk_order_id, Series.SLIP, NOW).number == 2
    assert [d.copy for d in journal.documents_for(order.kiosk_order_id)] == [0, 1]
    assert journal.verify().ok


@pytest.mark.parametrize("end", [S.FAILED, S.EXPIRED, S.CANCELLED])
def test_an_unpaid_order_gets_no_number_and_uses_none_up(journal: Journal, end: S) -> None:
    unpaid = sale(journal, end)
    for series in (Series.SLIP, Series.ABB, Series.FULL):
        with pytest.raises(DocumentRefused):
            journal.issue_document(unpaid.kiosk_order_id, series, NOW)

    assert journal.documents_for(unpaid.kiosk_order_id) == []
    paid = sale(journal)
    assert journal.issue_document(paid.kiosk_order_id, Series.SLIP, NOW).text == "T01-000001"


def test_sandbox_and_real_series_never_mix(journal: Journal) -> None:
    real, test = sale(journal), sale(journal, sandbox=True)
    with pytest.raises(DocumentRefused):
        journal.issue_document(test.kiosk_order_id, Series.SLIP, NOW)
    with pytest.raises(DocumentRefused):
        journal.issue_document(real.kiosk_order_id, Series.TEST_SLIP, NOW)
    assert Series.SLIP.for_sandbox(True) is Series.TEST_SLIP
    assert Series.FULL.for_sandbox(True) is Series.TEST_FULL
    assert Series.TEST_ABB.for_sandbox(False) is Series.ABB
    assert journal.get(test.kiosk_order_id).sandbox  # type: ignore[union-attr]
    assert not journal.get(real.kiosk_order_id).sandbox  # type: ignore[union-attr]


def test_an_edited_document_number_breaks_the_chain(journal: Journal) -> None:
    journal.issue_document(sale(journal).kiosk_order_id, Series.SLIP, NOW)
    db = sqlite3.connect(journal.path)
    db.execute("DROP TRIGGER documents_kept_update")
    db.execute("UPDATE documents SET number = 7")
    db.commit()
    db.close()

    check = journal.verify()
    assert not check.ok and check.first_broken.table == "documents"  # type: ignore[union-attr]


def test_numbers_never_repeat_after_the_journal_is_replaced(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    with Journal.open(path) as first:
        issued = [
            first.issue_document(sale(first).kiosk_order_id, Series.SLIP, NOW).text
            for _ in range(3)
        ]
        first.issue_document(sale(first, sandbox=True).kiosk_order_id, Series.TEST_SLIP, NOW)
    path.rename(tmp_path / "journal.sqlite3.damaged-20261124T030000Z")

    with Journal.open(path) as second:
        found = continue_numbering(second, at=NOW)
        slip = second.issue_document(sale(second).kiosk_order_id, Series.SLIP, NOW)
        test = second.issue_document(
            sale(second, sandbox=True).kiosk_order_id, Series.TEST_SLIP, NOW
        )

    assert issued == ["T01-000001", "T01-000002", "T01-000003"]
    assert found.document_floors == {Series.SLIP: 3, Series.TEST_SLIP: 1}
    assert (slip.text, test.text) == ("T01-000004", "TEST-T01-000002")


def test_the_log_alone_carries_the_numbers_on(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "kiosk.log").write_text(
        "2026-11-24 10:00:01 INFO kiosk.store document T01-000041 (receipt) issued for X\n"
        "2026-11-24 10:00:02 INFO kiosk.store document ABB-T01-000007 (abb) issued for X\n"
        "2026-11-24 10:00:03 INFO kiosk.store document TEST-T01-000009 (garbage) issued\n"
    )
    with Journal.open(tmp_path / "journal.sqlite3") as journal:
        continue_numbering(journal, at=NOW)
        order = sale(journal)
        assert journal.issue_document(order.kiosk_order_id, Series.SLIP, NOW).number == 42
        assert journal.issue_document(order.kiosk_order_id, Series.ABB, NOW).number == 8


def test_a_journal_of_schema_7_goes_on_from_its_receipt_numbers(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    with Journal.open(path) as journal:
        order = sale(journal)
        journal.record_document(
            kind="receipt", number=5, copy=0, kiosk_order_id=order.kiosk_order_id, at=NOW
        )
        nxt = sale(journal)
        document = journal.issue_document(nxt.kiosk_order_id, Series.SLIP, NOW)
        assert document.text == "T01-000006"
        legacy = journal.document_of(order.kiosk_order_id, Series.SLIP)
        assert legacy is not None and legacy.text == "000005"  # no prefix before schema 8
        assert journal.verify().ok


def test_sale_ref_is_cleaned_and_capped() -> None:
    assert sale_ref_of(None) is None
    assert sale_ref_of("  \t ") is None
    assert sale_ref_of(" INV\u202e-00\x0742 ") == "INV-0042"
    assert sale_ref_of("x" * 32) == "x" * 32
    with pytest.raises(InvalidSaleRef) as err:
        sale_ref_of("x" * 33)
    assert err.value.exit_code == 2


def test_a_number_text_needs_its_prefix() -> None:
    assert parse_number_text("TEST-T01-000001") == ("TEST-T01", 1)
    for bad in ("000123", "T01-", "T01-000000", "T01 000001"):
        with pytest.raises(ValueError):
            parse_number_text(bad)


def test_issue_is_logged_as_numbering_reads_it(
    journal: Journal, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, "kiosk.store"):
        journal.issue_document(sale(journal).kiosk_order_id, Series.SLIP, NOW)
    assert any("document T01-000001 (receipt) issued" in r.getMessage() for r in caplog.records)
