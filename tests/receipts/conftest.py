"""A paid order and its receipt, as the receipt tests need them."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from kiosk.domain.money import Money
from kiosk.domain.order import Method, Order, OrderState
from kiosk.infra.config import ReceiptSettings, StoreSettings
from kiosk.receipts.model import Receipt, build_receipt

STORE = StoreSettings(name="ร้านกาแฟ ดอยช้าง Doi Chang Coffee", store_id="S001", terminal_id="T01")
RECEIPT = ReceiptSettings(
    address="99/1 ถนนสุขุมวิท แขวงคลองเตยเหนือ เขตวัฒนา กรุงเทพฯ 10110",
    tax_id="0105561234567",
    footer="ขอบคุณที่ใช้บริการ / Thank you",
)
START = datetime(2026, 11, 24, 3, 0, tzinfo=UTC)


def paid_order(
    seq: int = 1, satang: int = 123450, *, late: bool = False, method: Method = Method.QR
) -> Order:
    order = Order(
        kiosk_order_id=f"S001-T01-20261124-{seq:04d}",
        amount=Money(satang),
        method=method,
        created_at=START,
    )
    order, _ = order.transition(OrderState.CREATING, START)
    order, _ = order.transition(
        OrderState.AWAITING_PAYMENT, START, gateway_order_id=f"order_test_{seq:06d}a1b2c3"
    )
    if late:
        order, _ = order.transition(OrderState.EXPIRED, START)
    paid_at = START.replace(minute=2, second=5)
    order, _ = order.transition(
        OrderState.PAID, paid_at, gateway_charge_id=f"chrg_test_{seq:06d}d4e5"
    )
    return order


@pytest.fixture
def receipt() -> Receipt:
    return build_receipt(paid_order(), number=42, store=STORE, receipt=RECEIPT)


def reprinted(receipt: Receipt, copy: int = 1) -> Receipt:
    return replace(receipt, copy=copy, reprinted_at=START.replace(hour=5))
