"""What a scanner reads off the paper: tesseract (tha+eng) on the rendered pictures.

Amounts are printed "300.00 บาท": tesseract read "฿300.00" as "8300.00". The
samples (tests/receipts/samples.py, also the PNGs in docs/receipts/) are a
300.00 baht sale's payment slip, abbreviated and full tax invoice, and a Z.
"""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

from kiosk.receipts.layout import Block, paper_for
from kiosk.receipts.raster import render
from tests.receipts.samples import SAMPLES, SHOP


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
        # --psm 6: a receipt is one block of text, as a slip scanner would set it; tesseract's
        # own page segmentation (3) splits the bold, centred shop name and misreads it.
        ["tesseract", str(path), "-", "-l", "tha+eng", "--psm", "6"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [normal(row) for row in out.splitlines() if row.strip()]


@pytest.mark.parametrize("mm", [58, 80])
@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_ocr_reads_the_shop_name_and_the_amount(tmp_path: Path, name: str, mm: int) -> None:
    rows = ocr(SAMPLES[name], mm, tmp_path)
    assert rows[0] == normal(SHOP), rows
    assert any(row.endswith("300.00บาท") for row in rows), rows
    assert not any("8300.00" in row or "6300.00" in row for row in rows), rows
