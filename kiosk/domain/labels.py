"""The one table of state and method names, in Thai and English.

Screens, the manager's table, receipts and the Z report all name an order's
state and method from here, so a word changes in one place and the
languages never drift apart. Plain data: no Qt, no I/O.
"""

from __future__ import annotations

from kiosk.domain.errors import Text
from kiosk.domain.order import Method, OrderState

S = OrderState

STATE_LABELS: dict[OrderState, Text] = {
    S.NEW: Text("New", "ใหม่"),
    S.CREATING: Text("Creating", "กำลังสร้าง"),
    S.AWAITING_PAYMENT: Text("Awaiting payment", "รอชำระเงิน"),
    S.PAID: Text("Paid", "ชำระแล้ว"),
    S.FAILED: Text("Failed", "ไม่สำเร็จ"),
    S.EXPIRED: Text("Expired", "หมดเวลา"),
    S.CANCELLED: Text("Cancelled", "ยกเลิก"),
}

# Short names: buttons, table cells, the Z report.
METHOD_LABELS: dict[Method, Text] = {
    Method.QR: Text("Thai QR", "พร้อมเพย์"),
    Method.WECHAT: Text("WeChat Pay", "วีแชทเพย์"),
}

# The scheme's full name: the sale screen's buttons, the QR screen, the receipt.
METHOD_LONG_LABELS: dict[Method, Text] = {
    Method.QR: Text("Thai QR (PromptPay)", "พร้อมเพย์"),
    Method.WECHAT: Text("WeChat Pay", "วีแชทเพย์"),
}

LATE_LABEL = Text("Late", "ล่าช้า")


def state_label(state: OrderState, language: str) -> str:
    return STATE_LABELS[state].get(language)


def method_label(method: Method, language: str) -> str:
    return METHOD_LABELS[method].get(language)


__all__ = [
    "LATE_LABEL",
    "METHOD_LABELS",
    "METHOD_LONG_LABELS",
    "STATE_LABELS",
    "method_label",
    "state_label",
]
