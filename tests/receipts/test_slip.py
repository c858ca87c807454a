"""Issue 17: the EDC-style payment slip, the sandbox mark, and no slip for money not received."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from kiosk.domain.clock import ManualClock
from kiosk.domain.documents import IssuedDocument, Series
from kiosk.domain.errors import DocumentRefused
from kiosk.domain.money import Money
from kiosk.domain.order import Method, Order, OrderState
from kiosk.infra.config import PrinterSettings
from kiosk.receipts.archive import ReceiptArchive
from kiosk.receipts.fonts import cell_width
from kiosk.receipts.layout import (
    CUSTOMER_COPY,
    MERCHANT_COPY,
    NO_MONEY_BANNERS,
    TEST_BANNERS,
    Align,
    Banner,
    Line,
    Size,
    paper_for,
    plain_text,
    receipt_blocks,
)
from kiosk.receipts.model import build_receipt
from kiosk.receipts.printers import Document
from kiosk.receipts.service import ReceiptService
from kiosk.store.journal import Journal
from kiosk.store.numbering import continue_numbering
from tests.fakes import run
from tests.receipts.conftest import RECEIPT, START, STORE, paid_order

S = OrderState
PAID_WORDS = ("PAID", "ชำระแล้ว", "ยอดชำระ", "PAYMENT RECEIVED", "ชำระเงินสำเร็จ", "SLIP")


def unpaid_order(end: OrderState, *, sandbox: bool = False) -> Order:
    order = Order("S001-T01-20261124-0009-ABCD", Money(9950), Method.QR, START, sandbox=sandbox)
    order, _ = order.transition(S.CREATING, START)
    order, _ = order.transition(S.AWAITING_PAYMENT, START, gateway_order_id="order_9")
    order, _ = order.transition(end, START + timedelta(minutes=3))
    return order


@pytest.mark.parametrize("mm", [58, 80])
def test_the_slip_carries_every_field_of_a_bank_terminal_slip(mm: int) -> None:
    order = replace(paid_order(satang=30000), sale_ref="INV-0042", extra={"mid": "401", "tid": "9"})
    settings = replace(RECEIPT, branch="00001")
    slip = build_receipt(order, number=123, store=STORE, receipt=settings)
    columns = paper_for(mm).columns
    text = plain_text(receipt_blocks(slip), columns)
    flat = " ".join(text.split())

    for expected in (
        "ร้านกาแฟ ดอยช้าง Doi Chang Coffee",  # shop name
        "สาขา Branch 00001",
        "S001-T01",  # terminal
        "24/11/2569 10:02",  # Bangkok time, Buddhist-era year
        "Thai QR (PromptPay)",  # method
        "300.00 บาท",
        "THB 300.00",
        "order_test_000001a1b2c3",  # the gateway's order
        "chrg_test_000001d4e5",  # its charge / transaction
        "MID 401",
        "TID 9",
        "S001-T01-20261124-0001",  # the kiosk's order number
        "INV-0042",  # the sale reference
        "T01-000123",  # the document number with the terminal as prefix
        CUSTOMER_COPY,
    ):
        assert expected in flat, expected
    assert MERCHANT_COPY not in flat and "฿" not in text  # OCR reads ฿ as 8
    assert "2026" not in flat.replace("20261124", "")  # no CE year on the Thai slip
    assert max(cell_width(row) for row in text.splitlines()) <= columns
    # The amount is the biggest line, as on a bank terminal's slip.
    assert Line("300.00 บาท", Size.TOTAL, bold=True, align=Align.CENTER) in receipt_blocks(slip)


def test_a_merchant_copy_follows_when_set() -> None:
    slip = build_receipt(
        paid_order(), number=1, store=STORE, receipt=replace(RECEIPT, merchant_copy=True)
    )
    text = plain_text(receipt_blocks(slip), 48)
    assert text.index(CUSTOMER_COPY) < text.index(MERCHANT_COPY)
    assert text.count("T01-000001") == 2


def test_a_sandbox_slip_says_test_in_large_type_and_has_its_own_series() -> None:
    order = replace(paid_order(), sandbox=True)
    slip = build_receipt(order, number=1, store=STORE, receipt=RECEIPT)
    blocks = receipt_blocks(slip)
    assert slip.series == Series.TEST_SLIP.value and slip.number_text == "TEST-T01-000001"
    assert blocks[: len(TEST_BANNERS)] == [Banner(t) for t in TEST_BANNERS]  # first thing read
    assert blocks[-len(TEST_BANNERS) :] == [Banner(t) for t in TEST_BANNERS]  # and last
    assert "TEST — NOT A RECEIPT" in plain_text(blocks, 32)
    real = build_receipt(paid_order(), number=1, store=STORE, receipt=RECEIPT)
    assert not any(isinstance(b, Banner) for b in receipt_blocks(real))


@pytest.mark.parametrize("end", [S.FAILED, S.EXPIRED, S.CANCELLED])
def test_an_unpaid_order_prints_a_record_that_cannot_pass_as_payment(end: OrderState) -> None:
    record = build_receipt(unpaid_order(end), number=5, store=STORE, receipt=RECEIPT)
    text = plain_text(receipt_blocks(record), 48)
    assert record.number == 0 and record.document == ""  # outside every series
    for words in PAID_WORDS:
        assert words not in text, words
    for banner in NO_MONEY_BANNERS:
        assert Banner(banner) in receipt_blocks(record)
    assert "99.50 บาท" in text and "not proof of payment" in text


class Collecting:
    """A printer that keeps what it was sent."""

    kind = "collect"

    def __init__(self) -> None:
        self.documents: list[Document] = []

    def prepare(self) -> None:
        pass

    def print(self, document: Document) -> str:
        self.documents.append(document)
        return f"document {len(self.documents)}"


def service(data: Path, journal: Journal, printer: Collecting | None = None) -> ReceiptService:
    clock = ManualClock(START)
    receipts = ReceiptService(
        archive=ReceiptArchive.open(data / "receipts" / "archive.sqlite3"),
        printer=printer,  # type: ignore[arg-type]
        settings=PrinterSettings(kind="file", paper_mm=58, auto_print="never"),
        store=STORE,
        receipt=RECEIPT,
        clock=clock,
    )

    async def number_for(order: Order, series: Series, detail: dict[str, object]) -> IssuedDocument:
        return journal.issue_document(order.kiosk_order_id, series, clock.now(), detail=detail)

    receipts.number_for = number_for
    return receipts


def journaled(journal: Journal, end: OrderState, *, sandbox: bool = False) -> Order:
    order = journal.new_order(
        store_id="S001",
        terminal_id="T01",
        amount=Money(9950),
        method=Method.QR,
        created_at=START,
        sandbox=sandbox,
    )
    for state in (S.CREATING, S.AWAITING_PAYMENT, end):
        order, move = order.transition(state, START + timedelta(seconds=1))
        journal.record(order, move)
    return order


def test_print_again_on_a_failed_order_prints_a_record_and_takes_no_number(tmp_path: Path) -> None:
    printer = Collecting()
    with Journal.open(tmp_path / "journal.sqlite3") as journal:
        receipts = service(tmp_path, journal, printer)
        failed = journaled(journal, S.FAILED)
        with pytest.raises(DocumentRefused):
            run(receipts.issue(failed))
        outcome = run(receipts.receipt_for(failed))
        paid = journaled(journal, S.PAID)
        slip = run(receipts.receipt_for(paid))
        run(receipts.aclose())
        assert journal.documents_for(failed.kiosk_order_id) == []

    assert outcome.printed and outcome.record is None  # not archived, no number
    (record, printed_slip) = printer.documents
    assert all(words not in record.text for words in PAID_WORDS)
    assert slip.record is not None and slip.record.receipt.number_text == "T01-000001"
    assert "T01-000001" in printed_slip.text


def test_slip_numbers_never_repeat_after_the_journal_is_replaced(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    with Journal.open(path) as journal:
        receipts = service(tmp_path, journal)
        first = [run(receipts.issue(journaled(journal, S.PAID))) for _ in range(2)]
        test = run(receipts.issue(journaled(journal, S.PAID, sandbox=True)))
        run(receipts.aclose())
    # Replaced as tests/test_order_ids_never_repeat.py does: set aside, a new one started.
    path.rename(tmp_path / "journal.sqlite3.damaged-20261124T030000Z")
    Path(f"{path}-wal").unlink(missing_ok=True)

    with Journal.open(path) as journal:
        continue_numbering(journal, at=START)
        receipts = service(tmp_path, journal)
        again = run(receipts.issue(journaled(journal, S.PAID)))
        test_again = run(receipts.issue(journaled(journal, S.PAID, sandbox=True)))
        run(receipts.aclose())

    assert [r.receipt.number_text for r in first] == ["T01-000001", "T01-000002"]
    assert test.receipt.number_text == "TEST-T01-000001"
    assert again.receipt.number_text == "T01-000003"
    assert test_again.receipt.number_text == "TEST-T01-000002"


def test_a_reprint_is_marked_and_takes_no_new_number(tmp_path: Path) -> None:
    printer = Collecting()
    with Journal.open(tmp_path / "journal.sqlite3") as journal:
        receipts = service(tmp_path, journal, printer)
        original = run(receipts.issue(journaled(journal, S.PAID)))
        copy = run(receipts.reprint("t01-000001"))
        nxt = run(receipts.issue(journaled(journal, S.PAID)))
        run(receipts.aclose())
    assert copy.record is not None and copy.record.copy == 1
    assert copy.record.receipt.number_text == original.receipt.number_text == "T01-000001"
    assert "REPRINT" in printer.documents[-1].text and "COPY" in printer.documents[-1].text
    assert nxt.receipt.number_text == "T01-000002"
