"""Sample documents for the OCR tests and the pictures in docs/receipts/.

``python -m tests.receipts.samples FOLDER`` writes the PNGs (58 and 80 mm).
"""

from __future__ import annotations

import sys
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from kiosk.domain.documents import IssuedDocument, Series, prefix_for
from kiosk.domain.money import Money
from kiosk.domain.order import Method, Order, OrderState
from kiosk.domain.reports import BatchSale, DayTotals, OrderMark, Tally
from kiosk.infra.config import ReceiptSettings, StoreSettings
from kiosk.receipts.layout import Block, paper_for, receipt_blocks
from kiosk.receipts.model import Receipt, build_receipt
from kiosk.receipts.raster import render
from kiosk.receipts.tax import abb_detail
from kiosk.receipts.tax_layout import FullInvoice, full_invoice_blocks
from kiosk.services.zcontent import ZBatch, ZReport
from kiosk.services.zdocs import DocRange
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
            abbs=DocRange("ABB-T01-000040", "ABB-T01-000042", 3, Money(1963)),
        ),
    )


STORE = StoreSettings(name=SHOP, store_id="S001", terminal_id="T01")
RECEIPT = ReceiptSettings(
    address="12 ถนนนิมมานเหมินท์ เชียงใหม่ 50200",
    tax_id="0105561234567",
    branch="00000",
    tax_invoice="abb",
    pos_id="E051234567890",
)
BUYER = {
    "name": "บริษัท ตัวอย่าง จำกัด",
    "address": "99 ถนนสีลม กรุงเทพฯ 10500",
    "tax_id": "1101700207030",
    "branch": "00000",
}


def sample_order(sandbox: bool = False) -> Order:
    """A 300.00 baht QR sale paid at 19:05 Bangkok with a bill reference."""
    order = Order(
        "S001-T01-20261201-0042-K7QX", Money(30000), Method.QR, OPENED, sale_ref="B-7781",
        sandbox=sandbox,
    )  # fmt: skip
    order, _ = order.transition(OrderState.CREATING, CLOSED)
    order, _ = order.transition(
        OrderState.AWAITING_PAYMENT, CLOSED, gateway_order_id="order_test_000042a1b2c3"
    )
    order, _ = order.transition(OrderState.PAID, CLOSED, gateway_charge_id="chrg_test_0042d4e5")
    return order


def _document(series: Series, number: int, detail: dict[str, object]) -> IssuedDocument:
    prefix = prefix_for(series, "T01")
    return IssuedDocument(
        1, series, prefix, number, "S001-T01-20261201-0042-K7QX", CLOSED, 0, detail
    )


def sample_slip() -> Receipt:
    settings = replace(RECEIPT, tax_invoice="none")
    return build_receipt(
        sample_order(), number=0, store=STORE, receipt=settings,
        document=_document(Series.SLIP, 123, {}),
    )  # fmt: skip


def sample_abb() -> Receipt:
    order = sample_order()
    document = _document(Series.ABB, 42, abb_detail(order, RECEIPT))
    return build_receipt(order, number=0, store=STORE, receipt=RECEIPT, document=document)


def sample_invoice() -> FullInvoice:
    abb = sample_abb()
    seller = {"name": SHOP, "address": RECEIPT.address, "tax_id": RECEIPT.tax_id, "branch": "00000"}
    return FullInvoice(
        number="INV-T01-000007",
        issued_at=CLOSED,
        kiosk_order_id=abb.kiosk_order_id,
        replaces=abb.number_text,
        seller=seller,
        buyer=BUYER,
        item=abb.item,
        amount=abb.amount,
        vat=Money(abb.vat_satang),
        vat_rate=abb.vat_rate,
    )


SAMPLES: dict[str, list[Block]] = {
    "slip": receipt_blocks(sample_slip()),
    "abb": receipt_blocks(sample_abb()),
    "tax-invoice": full_invoice_blocks(sample_invoice()),
    "z": z_blocks(sample_z()),
}


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
