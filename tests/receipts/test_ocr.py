"""What a scanner reads off the paper: tesseract (tha+eng) on the rendered pictures.

Amounts are printed "300.00 บาท": tesseract read "฿300.00" as "8300.00".
"""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from kiosk.receipts.layout import Block, paper_for
from kiosk.receipts.raster import render
from kiosk.services.zlayout import z_blocks
from tests.receipts.samples import SHOP, sample_z


def _has_thai_ocr() -> bool:
    if shutil.which("tesseract") is None:
        return False
    langs = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True).stdout
    return {"tha", "eng"} <= set(langs.split())


pytestmark = pytest.mark.skipif(
    not _has_thai_ocr(), reason="tesseract-ocr(-tha) not installed (scripts/setup.sh)"
)


def normal(text: str) -> str:
    """Compare as a reader would: ำ and ํา alike (NFKC), spaces ignored."""
    return unicodedata.normalize("NFKC", text).replace(" ", "")


def ocr(blocks: list[Block], mm: int, tmp_path: Path) -> list[str]:
    path = tmp_path / f"page-{mm}.png"
    render(blocks, paper_for(mm)).save(path)
    out = subprocess.run(
        ["tesseract", str(path), "-", "-l", "tha+eng"], capture_output=True, text=True, check=True
    ).stdout
    return [normal(row) for row in out.splitlines() if row.strip()]


@pytest.mark.parametrize("mm", [58, 80])
def test_ocr_reads_the_z_reports_shop_and_amounts(tmp_path: Path, mm: int) -> None:
    rows = ocr(z_blocks(sample_z()), mm, tmp_path)
    assert rows[0] == normal(SHOP)
    paid = [row for row in rows if "Paid(3)" in row]
    assert paid and paid[0].endswith("300.00บาท"), rows
    assert any(row.endswith("250.00บาท") for row in rows), rows  # the QR payments
    assert not any("8300.00" in row for row in rows)
