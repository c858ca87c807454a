"""PDF receipts (Qt's PDF writer): page as wide as the paper, real text inside."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from pytestqt.qtbot import QtBot

from kiosk.infra.config import PrinterSettings
from kiosk.receipts.archive import JobStatus, ReceiptArchive
from kiosk.receipts.printers import make_printer
from kiosk.receipts.service import ReceiptService
from tests.fakes import run
from tests.receipts.conftest import RECEIPT, STORE, paid_order
from tests.receipts.pdf_text import extract_text

MM_PER_PT = 25.4 / 72


def service(tmp_path: Path, mm: int) -> ReceiptService:
    settings = PrinterSettings(kind="pdf", paper_mm=mm)
    return ReceiptService(
        archive=ReceiptArchive.open(tmp_path / "archive.sqlite3"),
        printer=make_printer(settings, tmp_path / "data"),
        settings=settings,
        store=STORE,
        receipt=RECEIPT,
    )


def media_box_mm(data: bytes) -> tuple[float, float]:
    (box,) = re.findall(rb"/MediaBox \[([\d. ]+)\]", data)
    x0, y0, x1, y1 = (float(v) for v in box.split())
    return (x1 - x0) * MM_PER_PT, (y1 - y0) * MM_PER_PT


@pytest.mark.parametrize("mm", [58, 80])
def test_pdf_receipt_has_the_paper_width_and_its_text(
    qtbot: QtBot, tmp_path: Path, mm: int
) -> None:
    receipts = service(tmp_path, mm)
    outcome = run(receipts.on_paid(paid_order()))
    run(receipts.aclose())
    assert outcome.printed and outcome.record is not None
    path = tmp_path / "data" / "receipts" / "pdf" / "receipt-T01-000001.pdf"
    assert outcome.record.output == str(path) and path.exists()
    assert outcome.record.status is JobStatus.PRINTED
    data = path.read_bytes()
    assert data.startswith(b"%PDF-")
    width, height = media_box_mm(data)
    assert abs(width - mm) < 0.2  # Qt rounds the page to whole points
    assert 100 < height < 250  # as long as the receipt, not an A4 page
    text = extract_text(data)
    assert "1,234.50" in text and "S001-T01-20261124-0001" in text
    assert "T01-000001" in text.replace("\t", "") and "SLIP" in text


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_pdf_text_and_picture_with_poppler(qtbot: QtBot, tmp_path: Path) -> None:
    receipts = service(tmp_path, 58)
    outcome = run(receipts.reprint(run(receipts.on_paid(paid_order())).record.number))  # type: ignore[union-attr]
    run(receipts.aclose())
    path = Path(outcome.record.output or "")  # type: ignore[union-attr]
    assert path.name == "receipt-T01-000001-reprint-1.pdf"
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "1,234.50" in text and "S001-T01-20261124-0001" in text and "REPRINT" in text
    subprocess.run(
        ["pdftoppm", "-r", "203", "-png", "-singlefile", str(path), str(tmp_path / "page")],
        check=True,
    )
    with Image.open(tmp_path / "page.png") as page:
        assert abs(page.width - 58 / 25.4 * 203) < 3  # 203 dpi: one pixel per printer dot
        dark = sum(page.convert("L").histogram()[:128])
        assert dark > 0.03 * page.width * page.height
