"""The order record as scripts see it (``kiosk charge --json``, ``kiosk report``).

Times are Bangkok local time with the offset (``2026-12-01T19:05:00+07:00``):
a person reading the CSV sees the screen's clock, a program the same instant.
"""

from __future__ import annotations

from typing import Any

from kiosk.domain.order import Order
from kiosk.domain.thaidate import iso_local_optional as _iso


def order_record(order: Order) -> dict[str, Any]:
    return {
        "kiosk_order_id": order.kiosk_order_id,
        "amount": order.amount.plain(),
        "currency": order.currency,
        "method": order.method.value,
        "status": order.state.value,
        "late": order.late,
        "gateway_order_id": order.gateway_order_id,
        "gateway_charge_id": order.gateway_charge_id,
        "reference_order": order.reference_order,
        "sale_ref": order.sale_ref,
        "sandbox": order.sandbox,
        "created_at": _iso(order.created_at),
        "updated_at": _iso(order.updated_at),
        "expires_at": _iso(order.expires_at),
        "paid_at": _iso(order.paid_at),
        "failure_code": order.failure_code,
        "failure_message": order.failure_message,
        "attention": order.attention.record() if order.attention is not None else None,
    }
