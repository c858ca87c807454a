"""ESC/POS streams of a receipt, read back as a printer would read them."""

from __future__ import annotations

import pytest

from kiosk.receipts.escpos_jobs import FRAGMENT_ROWS, encode_cp874, raster_job, text_job
from kiosk.receipts.layout import Line, paper_for, receipt_blocks
from kiosk.receipts.model import Receipt
from kiosk.receipts.raster import render
from tests.receipts.escpos_stream import parse


@pytest.mark.parametrize("mm", [58, 80])
def test_raster_job_decodes_to_the_rendered_receipt(receipt: Receipt, mm: int) -> None:
    image = render(receipt_blocks(receipt), paper_for(mm))
    stream = parse(raster_job(image))
    assert stream.commands[0] == ("init", 0)
    assert stream.image().tobytes() == image.tobytes()
    assert stream.image().size == image.size
    # Tall receipts go out in blocks a printer's buffer can take.
    assert all(rows <= FRAGMENT_ROWS for _, rows, _ in stream.rasters)
    assert len(stream.rasters) == -(-image.height // FRAGMENT_ROWS)
    # Feed past the cutter, then a full cut, last.
    assert stream.commands[-2:] == [("feed", 6), ("cut", 0)]


def test_text_job_sends_thai_as_cp874_after_the_code_page(receipt: Receipt) -> None:
    data = text_job(receipt_blocks(receipt), paper_for(80), codepage=21)
    stream = parse(data)
    assert stream.commands[:2] == [("init", 0), ("codepage", 21)]
    assert "สลิปการชำระเงิน PAYMENT SLIP".encode("cp874") in stream.text
    # The exact bytes of a Thai line: TIS-620 code points, one byte per character.
    assert encode_cp874("ขอบคุณที่ใช้บริการ") == bytes.fromhex("a2cdbaa4d8b3b7d5e8e3aae9bac3d4a1d2c3")
    assert any(line.startswith(encode_cp874("จำนวนเงิน AMOUNT")) for line in stream.text)
    assert encode_cp874("1,234.50 บาท") in b"".join(stream.text)
    assert stream.commands[-2:] == [("feed", 6), ("cut", 0)]
    # The QR of the order number still goes as an image.
    assert stream.rasters


def test_text_job_code_page_is_the_setting() -> None:
    stream = parse(text_job([Line("ทดสอบ")], paper_for(58), codepage=255))
    assert ("codepage", 255) in stream.commands
    assert stream.text[0] == encode_cp874("ทดสอบ")


def test_characters_cp874_lacks_become_question_marks() -> None:
    assert encode_cp874("กาแฟ ☕ 微信") == "กาแฟ ? ??".encode("cp874")
