"""Does a gateway's status answer speak of *this* order, with this sale's money?

Every backend's answers go through ``mismatch`` before the checkout acts on
them (gateways.md "Every answer is cross-checked"): a status answer must name
this order — the gateway's order id or ours — and, where it carries an amount
or a currency, they must be the sale's. The checkout decides what a mismatch
means: a "paid" that fails is flagged for the manager (never PAID); any other
answer that fails is ignored.
"""

from __future__ import annotations

from kiosk.domain.attention import Reason
from kiosk.domain.money import CURRENCY
from kiosk.domain.order import Order, OrderState
from kiosk.gateways.base import PaymentState, StatusReport


def mismatch(order: Order, report: StatusReport) -> Reason | None:
    """Why ``report`` cannot be taken as an answer about ``order``; None if it can."""
    if report.state is PaymentState.NOT_FOUND:
        return None  # a 404 names nothing and says nothing about money
    named = False
    if report.kiosk_order_id is not None:
        if report.kiosk_order_id != order.kiosk_order_id:
            return Reason.OTHER_ORDER
        named = True
    if report.gateway_order_id is not None and order.gateway_order_id is not None:
        if report.gateway_order_id != order.gateway_order_id:
            return Reason.OTHER_ORDER
        named = True
    if report.currency is not None and report.currency != CURRENCY:
        return Reason.CURRENCY
    if report.amount_unreadable or (report.amount is not None and report.amount != order.amount):
        return Reason.AMOUNT
    if report.state is PaymentState.PAID:
        if order.state is OrderState.NEW:
            # NEW is journaled before the create call: the gateway never had it.
            return Reason.NEVER_SENT
        if not named:
            return Reason.NOT_NAMED
    return None


__all__ = ["mismatch"]
