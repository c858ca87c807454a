"""The PDF's text layer gives back the Thai exactly as written, marks included.

Qt's writer alone gave "เลขที", "วันที", "เครือง", "รายงานปดวัน" and split ำ
into ํ + า; the ActualText spans (kiosk/receipts/pdf_text.py) fix that.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import zlib
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kiosk.receipts import pdf_text, qt_pdf
from kiosk.receipts.layout import Align, Banner, Line, Pair, Size, paper_for, receipt_blocks
from kiosk.receipts.model import Receipt

THAI = [
    "เลขที่",
    "วันที่",
    "เครื่อง",
    "รายงานปิดวัน",
    "ใบกำกับภาษีอย่างย่อ",
    "ทดสอบ — ไม่ใช่ใบเสร็จ",
    "ที่นี่ ผู้ใหญ่ ปั้น ฟ้า ป่า ญู ฐุ กำไร",
    "300.00 บาท",
]

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler-utils not installed (scripts/setup.sh)"
)


def pdftotext(path: Path, *layout: str) -> list[str]:
    out = subprocess.run(
        ["pdftotext", *layout, str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return [row.strip() for row in out.splitlines() if row.strip()]


@needs_poppler
@pytest.mark.parametrize("mm", [58, 80])
def test_thai_lines_read_back_exactly(qtbot: QtBot, tmp_path: Path, mm: int) -> None:
    qt_pdf.ensure_app()
    path = tmp_path / "thai.pdf"
    qt_pdf.write_pdf([Line(text) for text in THAI], paper_for(mm), path)
    assert pdftotext(path) == THAI
    assert pdftotext(path, "-layout") == THAI


@needs_poppler
def test_pairs_banners_and_sizes_read_back(qtbot: QtBot, tmp_path: Path) -> None:
    qt_pdf.ensure_app()
    path = tmp_path / "mixed.pdf"
    blocks = [
        Banner("ทดสอบ — ไม่ใช่ใบเสร็จ"),
        Line("ใบกำกับภาษีอย่างย่อ", Size.LARGE, bold=True, align=Align.CENTER),
        Pair("เลขที่ No.", "T01-000123"),
        Pair("ยอดรวม TOTAL", "300.00 บาท", Size.TOTAL, bold=True),
    ]
    qt_pdf.write_pdf(blocks, paper_for(58), path)
    rows = pdftotext(path, "-layout")
    assert rows[0] == "ทดสอบ — ไม่ใช่ใบเสร็จ"
    assert rows[1] == "ใบกำกับภาษีอย่างย่อ"
    assert rows[2].split() == ["เลขที่", "No.", "T01-000123"]
    assert rows[3].split() == ["ยอดรวม", "TOTAL", "300.00", "บาท"]


@needs_poppler
def test_a_receipt_pdf_keeps_its_marks(qtbot: QtBot, tmp_path: Path, receipt: Receipt) -> None:
    qt_pdf.ensure_app()
    path = tmp_path / "receipt.pdf"
    qt_pdf.write_pdf(receipt_blocks(receipt), paper_for(80), path)
    text = "\n".join(pdftotext(path))
    for words in ("เลขที่ No.", "วันที่ Date", "เครื่อง Terminal", "เลขประจำตัวผู้เสียภาษี"):
        assert words in text
    assert "ขอบคุณที่ใช้บริการ" in text


def _content(data: bytes) -> bytes:
    """The page's newest content stream (the incremental update's)."""
    head = data.rindex(b"/Filter /FlateDecode\n>>\nstream\n")
    start = head + len(b"/Filter /FlateDecode\n>>\nstream\n")
    return zlib.decompressobj().decompress(data[start:])


def test_each_string_is_one_actualtext_span_and_no_mark_is_left(
    qtbot: QtBot, tmp_path: Path
) -> None:
    qt_pdf.ensure_app()
    path = tmp_path / "spans.pdf"
    qt_pdf.write_pdf([Line("เลขที่"), Pair("วันที่", "01/12/2569")], paper_for(58), path)
    content = _content(path.read_bytes())
    assert content.count(b"BDC") == content.count(b"EMC") == 3
    assert b"<FEFF" + "เลขที่".encode("utf-16-be").hex().upper().encode() + b">" in content
    assert b"-9000 " not in content and b"-9100 " not in content


def test_marks_out_of_order_are_refused() -> None:
    content = b"q\n-9000 -10000 1 1 re\nf\nQ\nBT\nET\nq\n-9100 -10000 1 1 re\nf\nQ\n"
    assert pdf_text.span_content(content, ["a"]).count(b"BDC") == 1
    with pytest.raises(pdf_text.PdfTextError):
        pdf_text.span_content(content, ["a", "b"])  # string 1's marks are missing
    with pytest.raises(pdf_text.PdfTextError):
        pdf_text.span_content(content.replace(b"-9000", b"-9100", 1), ["a"])
    with pytest.raises(pdf_text.PdfTextError):
        pdf_text.mark_at(pdf_text.MAX_STRINGS + 1, True)


def test_a_pdf_laid_out_otherwise_keeps_qts_text(
    qtbot: QtBot, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with pytest.raises(pdf_text.PdfTextError):
        pdf_text.add_actual_text(b"%PDF-1.4\n%%EOF\n", ["a"])
    path = tmp_path / "plain.pdf"
    path.write_bytes(b"%PDF-1.4\n%%EOF\n")
    with caplog.at_level(logging.WARNING):
        qt_pdf._add_actual_text(path, ["a"])
    assert path.read_bytes() == b"%PDF-1.4\n%%EOF\n"
    assert "text layer left as Qt wrote it" in caplog.text


@needs_poppler
@pytest.mark.parametrize("name", ["slip", "abb", "tax-invoice", "z"])
def test_every_line_of_the_sample_documents_reads_back(
    qtbot: QtBot, tmp_path: Path, name: str
) -> None:
    from tests.receipts.samples import SAMPLES

    qt_pdf.ensure_app()
    path = tmp_path / f"{name}.pdf"
    blocks = SAMPLES[name]
    qt_pdf.write_pdf(blocks, paper_for(80), path)
    # Rows wrap on paper; compare without white space, every mark as written.
    text = "".join("".join(pdftotext(path)).split())
    written = [b.text for b in blocks if isinstance(b, (Line, Banner))]
    written += [part for b in blocks if isinstance(b, Pair) for part in (b.label, b.value)]
    for piece in written:
        assert "".join(piece.split()) in text, piece
