"""Render the sample receipts in docs/: what a 58 mm and an 80 mm printer print, dot for dot.

    .venv/bin/python scripts/receipt_samples.py [--out docs]

Each PNG is the 1-bit raster image the ESC/POS job carries (384 or 576 dots
wide, 203 dpi); tests/receipts prove the printer receives exactly that image.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kiosk.receipts.layout import paper_for, receipt_blocks  # noqa: E402
from kiosk.receipts.model import Receipt  # noqa: E402
from kiosk.receipts.raster import render  # noqa: E402

SAMPLE = Receipt(
    number=128,
    shop_name="ร้านกาแฟ ดอยช้าง สุขุมวิท 33",
    address="99/1 ถนนสุขุมวิท แขวงคลองเตยเหนือ เขตวัฒนา กรุงเทพฯ 10110",
    tax_id="0105561234567",
    store_id="S001",
    terminal_id="T01",
    kiosk_order_id="S001-T01-20261124-0042",
    gateway_order_id="order_prod_5f3a9c2e81b4",
    gateway_charge_id="chrg_prod_77a1d0c9e3",
    method="qr",
    amount_satang=123450,
    currency="THB",
    status="paid",
    late=False,
    at=datetime(2026, 11, 24, 7, 41, 9, tzinfo=UTC),
    footer="ขอบคุณที่ใช้บริการ / Thank you\nแล้วพบกันใหม่ครับ",
    document="T01-000128",
    sale_ref="INV-0042",
    branch="00000",
)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for mm in (58, 80):
        path = args.out / f"receipt-{mm}mm.png"
        render(receipt_blocks(SAMPLE), paper_for(mm)).save(path, optimize=True)
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
