"""Sample documents for the OCR tests and the pictures in docs/receipts/.

``python -m tests.receipts.samples FOLDER`` writes the PNGs (58 and 80 mm).
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

from kiosk.domain.money import Money
from kiosk.domain.order import Method, OrderState
from kiosk.domain.reports import BatchSale, DayTotals, OrderMark, Tally
from kiosk.receipts.layout import Block, paper_for
from kiosk.receipts.raster import render
from kiosk.services.zcontent import ZBatch, ZReport
from kiosk.services.zlayout import z_blocks

SHOP = "ร้านอาหารบ้านสวน"
OPENED = datetime(2026, 12, 1, 1, 0, tzinfo=UTC)  # 08:00 Bangkok
CLOSED = datetime(2026, 12, 1, 12, 5, tzinfo=UTC)  # 19:05 Bangkok


def sample_z() -> ZReport:
    """Batch 12 of a day: 30 000 satang paid by QR among others."""
    totals = DayTotals(
        "2026-12-01",
        {
            OrderState.PAID: Tally(3, 30000),
            OrderState.EXPIRED: Tally(1, 4500),
            OrderState.AWAITING_PAYMENT: Tally(1, 5500),
        },
        {Method.QR: Tally(2, 25000), Method.WECHAT: Tally(1, 5000)},
    )
    open_sale = BatchSale(
        "S001-T01-20261201-0005-K7QX",
        Money(5500),
        Method.QR,
        OrderState.AWAITING_PAYMENT,
        CLOSED,
        12,
    )
    return ZReport(
        number=12,
        previous_number=11,
        business_day="2026-12-01",
        store_id="S001",
        terminal_id="T01",
        shop_name=SHOP,
        issued_at=CLOSED,
        totals=totals,
        first=OrderMark("S001-T01-20261201-0001-ABCD", OPENED),
        last=OrderMark("S001-T01-20261201-0005-K7QX", CLOSED),
        attention_open=0,
        batch=ZBatch(
            opened_at=OPENED,
            open_at_close=(open_sale,),
            grand_total=Money(1234500),
            chain_head="ab" * 32,
            records=120,
            receipts=(41, 43),
        ),
    )


SAMPLES: dict[str, list[Block]] = {"z": z_blocks(sample_z())}


def write(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for name, blocks in SAMPLES.items():
        for mm in (58, 80):
            path = folder / f"{name}-{mm}mm.png"
            render(blocks, paper_for(mm)).save(path)
            written.append(path)
    return written


if __name__ == "__main__":
    for written in write(Path(sys.argv[1])):
        print(written)
