"""The receipt model and its layouts: what a receipt says, wrapped for 58 and 80 mm."""

from __future__ import annotations

from dataclasses import replace

import pytest

from kiosk.infra.config import PrinterSettings, ReceiptSettings
from kiosk.receipts.fonts import Script, cell_width, clusters, is_mark, runs
from kiosk.receipts.layout import (
    REPRINT_BANNER,
    Banner,
    Pair,
    Qr,
    Rule,
    paper_for,
    paper_of,
    plain_text,
    receipt_blocks,
    self_test_blocks,
    wrap_cells,
)
from kiosk.receipts.model import Receipt, build_receipt
from tests.receipts.conftest import RECEIPT, START, STORE, paid_order, reprinted


def test_a_line_splits_into_thai_and_latin_runs_with_marks_kept_whole() -> None:
    assert runs("ยอดชำระ TOTAL ฿1,234.50") == [
        (Script.THAI, "ยอดชำระ "),
        (Script.LATIN, "TOTAL "),
        (Script.THAI, "฿"),  # Noto Sans has no baht sign; the Thai font has
        (Script.LATIN, "1,234.50"),
    ]
    assert clusters("ผู้ใหญ่") == ["ผู้", "ใ", "ห", "ญ่"]
    assert cell_width("ที่นี่") == 2


def test_wrapping_never_splits_a_base_from_its_marks() -> None:
    rows = wrap_cells("เป็นมนุษย์สุดประเสริฐเลิศคุณค่า", 7)
    assert all(cell_width(r) <= 7 for r in rows)
    assert "".join(rows) == "เป็นมนุษย์สุดประเสริฐเลิศคุณค่า"
    assert all(r and not is_mark(r[0]) for r in rows)


def test_receipt_of_a_paid_order_has_every_field(receipt: Receipt) -> None:
    assert receipt.number_text == "T01-000042"
    assert receipt.local_time() == "24/11/2026 10:02:05"  # Bangkok = UTC+7
    text = plain_text(receipt_blocks(receipt), 48)
    for expected in (
        "ร้านกาแฟ ดอยช้าง Doi Chang Coffee",
        "99/1 ถนนสุขุมวิท",
        "Tax ID 0105561234567",
        "สลิปการชำระเงิน PAYMENT SLIP",
        "T01-000042",
        "24/11/2569 10:02",  # Buddhist-era year
        "S001-T01",
        "S001-T01-20261124-0001",
        "order_test_000001a1b2c3",
        "chrg_test_000001d4e5",
        "พร้อมเพย์ Thai QR (PromptPay)",
        "1,234.50 บาท",
        "THB 1,234.50",
        "สำเนาลูกค้า CUSTOMER COPY",
        "ขอบคุณที่ใช้บริการ / Thank you",
    ):
        assert expected in text, expected
    assert REPRINT_BANNER not in text
    assert Qr("S001-T01-20261124-0001") in receipt_blocks(receipt)


def test_late_payment_and_reprint_are_marked(receipt: Receipt) -> None:
    late = build_receipt(paid_order(late=True), number=7, store=STORE, receipt=RECEIPT)
    assert "ชำระล่าช้า LATE PAYMENT" in plain_text(receipt_blocks(late), 48)
    blocks = receipt_blocks(reprinted(receipt, 2))
    assert Banner(REPRINT_BANNER) in blocks
    assert "Reprint #2 24/11/2569 12:00" in plain_text(blocks, 48)


def test_no_tax_id_no_qr_and_no_address_when_not_set(receipt: Receipt) -> None:
    bare = build_receipt(
        paid_order(),
        number=1,
        store=STORE,
        receipt=ReceiptSettings(address="", tax_id="", show_qr=False),
    )
    blocks = receipt_blocks(bare)
    text = plain_text(blocks, 32)
    assert "Tax ID" not in text
    assert not any(isinstance(b, Qr) for b in blocks)
    assert isinstance(blocks[1], Rule)  # no address rows under the shop name


@pytest.mark.parametrize("mm,columns", [(58, 32), (80, 48)])
def test_text_rows_fit_the_paper(receipt: Receipt, mm: int, columns: int) -> None:
    paper = paper_for(mm)
    assert paper.columns == columns
    rows = plain_text(receipt_blocks(reprinted(receipt)), columns).splitlines()
    assert max(cell_width(r) for r in rows) <= columns
    # A pair too long for one row puts its value on the next, right-aligned.
    long_value = "order_" + "x" * 40
    pair = plain_text([Pair("Gateway order", long_value)], columns).splitlines()
    assert pair[0] == "Gateway order" and pair[-1].endswith("x")


def test_paper_widths_and_the_json_round_trip(receipt: Receipt) -> None:
    assert paper_for(58).width_px == 384 and paper_for(80).width_px == 576
    assert paper_of(PrinterSettings(paper_mm=80, width_px=512)).width_px == 512
    again = Receipt.from_json(reprinted(receipt).to_json())
    assert again == reprinted(receipt)
    assert Receipt.from_json(receipt.to_json()).at == START.replace(minute=2, second=5)


def test_test_page_shows_the_settings() -> None:
    settings = PrinterSettings(kind="network", host="10.0.0.9", mode="text", codepage=255)
    text = plain_text(self_test_blocks(settings, "Shop", START), 48)
    assert "ESC t 255" in text and "80 mm, 576 dots" in text and "ทดสอบเครื่องพิมพ์" in text


def test_receipt_of_an_unpaid_final_order_is_not_called_a_receipt(receipt: Receipt) -> None:
    expired = replace(receipt, status="expired")
    text = plain_text(receipt_blocks(expired), 48)
    assert "RECEIPT" not in text and "หมดเวลา EXPIRED" in text
