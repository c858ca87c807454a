"""Issue 17: abbreviated tax invoices (s. 86/6) in ``tax_invoice = "abb"`` mode."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from kiosk.domain.clock import ManualClock
from kiosk.domain.documents import IssuedDocument, Series
from kiosk.domain.money import Money
from kiosk.domain.order import Method, Order, OrderState
from kiosk.infra.config import PrinterSettings, ReceiptSettings
from kiosk.receipts.archive import ReceiptArchive
from kiosk.receipts.layout import TEST_BANNERS, paper_for, plain_text, receipt_blocks
from kiosk.receipts.service import ReceiptService
from kiosk.store.journal import Journal
from tests.fakes import run
from tests.receipts.conftest import RECEIPT, START, STORE
from tests.receipts.test_slip import Collecting

S = OrderState
ABB = replace(RECEIPT, tax_invoice="abb", pos_id="E051234567890", branch="00000")


def service(data: Path, journal: Journal, receipt: ReceiptSettings = ABB) -> ReceiptService:
    clock = ManualClock(START)
    receipts = ReceiptService(
        archive=ReceiptArchive.open(data / "receipts" / "archive.sqlite3"),
        printer=Collecting(),  # type: ignore[arg-type]
        settings=PrinterSettings(kind="file", paper_mm=80, auto_print="never"),
        store=STORE,
        receipt=receipt,
        clock=clock,
    )

    async def number_for(order: Order, series: Series, detail: dict[str, object]) -> IssuedDocument:
        return journal.issue_document(order.kiosk_order_id, series, clock.now(), detail=detail)

    receipts.number_for = number_for
    return receipts


def paid(journal: Journal, satang: int = 9950, *, sandbox: bool = False, ref: str = "") -> Order:
    order = journal.new_order(
        store_id="S001",
        terminal_id="T01",
        amount=Money(satang),
        method=Method.QR,
        created_at=START,
        sandbox=sandbox,
        sale_ref=ref or None,
    )
    for state in (S.CREATING, S.AWAITING_PAYMENT, S.PAID):
        order, move = order.transition(state, START)
        journal.record(order, move)
    return order


def flat(blocks_text: str) -> str:
    return " ".join(blocks_text.split())


def test_a_paid_sale_gets_an_abbreviated_tax_invoice_with_exact_vat(tmp_path: Path) -> None:
    with Journal.open(tmp_path / "journal.sqlite3") as journal:
        receipts = service(tmp_path, journal)
        order = paid(journal, 30000, ref="B-7781")
        record = run(receipts.issue(order))
        (document,) = journal.documents_for(order.kiosk_order_id)
        run(receipts.aclose())
    assert document.series is Series.ABB and document.text == "ABB-T01-000001"
    # 30 000 × 7 / 107 = 1 962.6168… satang: 1 963, half up; the rate is kept with it.
    assert document.detail["vat_rate"] == "7" and document.detail["vat_satang"] == 1963
    assert document.detail["net_satang"] == 28037 and document.detail["pos_id"] == "E051234567890"
    receipt = record.receipt
    assert receipt.number_text == "ABB-T01-000001" and receipt.vat_satang == 1963
    text = flat(plain_text(receipt_blocks(receipt), paper_for(80).columns))
    # Revenue Code s. 86/6: the title, seller and tax id, number, what was sold, VAT included, date.
    for words in (
        "ใบกำกับภาษีอย่างย่อ",
        STORE.name,
        f"TAX ID {RECEIPT.tax_id}",
        "สำนักงานใหญ่ Head office",
        "เลขที่ No. ABB-T01-000001",
        "POS ID E051234567890",
        "วันที่ Date 24/11/2569 10:00",
        "1 x ตามบิล Bill B-7781",
        "VAT 7% 19.63 บาท",
        "มูลค่าสินค้า Net 280.37 บาท",
        "รวมทั้งสิ้น TOTAL 300.00 บาท",
        "VAT included",
    ):
        assert words in text, words
    assert "฿" not in text and "PAYMENT SLIP" not in text


def test_the_rate_is_stored_and_a_reprint_never_recomputes_it(tmp_path: Path) -> None:
    with Journal.open(tmp_path / "journal.sqlite3") as journal:
        receipts = service(tmp_path, journal)
        first = run(receipts.issue(paid(journal, 10700)))
        run(receipts.aclose())
        # The decree changes: 10 % from now on. The old invoice stays at 7 %.
        later = service(tmp_path, journal, replace(ABB, vat_rate="10"))
        copy = run(later.reprint("ABB-T01-000001"))
        second = run(later.issue(paid(journal, 11000)))
        run(later.aclose())
    assert first.receipt.vat_rate == "7" and first.receipt.vat_satang == 700
    assert copy.record is not None and copy.record.receipt.vat_rate == "7"
    assert copy.record.receipt.vat_satang == 700 and copy.record.copy == 1
    assert second.receipt.vat_rate == "10" and second.receipt.vat_satang == 1000
    assert second.receipt.number_text == "ABB-T01-000002"
    assert second.receipt.item == ABB.item_description  # no bill reference


def test_a_sandbox_sale_gets_a_test_abb_marked_test(tmp_path: Path) -> None:
    with Journal.open(tmp_path / "journal.sqlite3") as journal:
        receipts = service(tmp_path, journal)
        test = run(receipts.issue(paid(journal, sandbox=True)))
        real = run(receipts.issue(paid(journal)))
        run(receipts.aclose())
    assert test.receipt.number_text == "TEST-ABB-T01-000001"
    assert real.receipt.number_text == "ABB-T01-000001"  # the real series is untouched
    text = plain_text(receipt_blocks(test.receipt), 48)
    assert all(banner in text for banner in TEST_BANNERS)


@pytest.mark.parametrize("mode", ["none", "abb"])
def test_the_mode_decides_slip_or_abb(tmp_path: Path, mode: str) -> None:
    with Journal.open(tmp_path / "journal.sqlite3") as journal:
        receipts = service(tmp_path, journal, replace(ABB, tax_invoice=mode))
        record = run(receipts.issue(paid(journal)))
        run(receipts.aclose())
    text = plain_text(receipt_blocks(record.receipt), 48)
    assert ("ใบกำกับภาษีอย่างย่อ" in text) == (mode == "abb")
    assert record.receipt.series == ("abb" if mode == "abb" else "receipt")


def test_abb_numbers_never_repeat_after_the_journal_is_replaced(tmp_path: Path) -> None:
    from kiosk.store.numbering import continue_numbering

    path = tmp_path / "journal.sqlite3"
    with Journal.open(path) as journal:
        receipts = service(tmp_path, journal)
        first = [run(receipts.issue(paid(journal))) for _ in range(2)]
        run(receipts.aclose())
    path.rename(tmp_path / "journal.sqlite3.damaged-20261124T030000Z")
    Path(f"{path}-wal").unlink(missing_ok=True)
    with Journal.open(path) as journal:
        continue_numbering(journal, at=START)
        receipts = service(tmp_path / "again", journal)  # a new receipt archive too
        again = run(receipts.issue(paid(journal)))
        run(receipts.aclose())
    assert [r.receipt.number_text for r in first] == ["ABB-T01-000001", "ABB-T01-000002"]
    assert again.receipt.number_text == "ABB-T01-000003"
