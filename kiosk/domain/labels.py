"""The one table of state and method names, and of why a sale failed, in Thai and English.

Screens, the manager's table, receipts and the Z report all name an order's
state and method from here, so a word changes in one place and the
languages never drift apart. An order's ``failure_code`` (our error classes'
``reason_code``, the checkout's and recovery's own codes, and the gateway
codes we act on) is named by :func:`failure_label`; the ``failure_message``
journaled with it is English (ours) or the gateway's words, never shown in
Thai in place of the label. Plain data: no Qt, no I/O.
"""

from __future__ import annotations

from kiosk.domain import errors as e
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

# Why a sale ended unpaid, by the failure code journaled with it.
DECLINED = Text("Declined by the customer's bank.", "ธนาคารของลูกค้าปฏิเสธรายการ")
EXPIRED = Text("The QR code expired before it was paid.", "คิวอาร์โค้ดหมดเวลาก่อนมีการชำระเงิน")
CANCELLED = Text("The payment service cancelled the order.", "ระบบชำระเงินยกเลิกรายการ")
FAILURE_LABELS: dict[str, Text] = {
    # the checkout's and recovery's own codes
    "declined": DECLINED,
    "expired": EXPIRED,
    "cancelled_by_cashier": Text("Cancelled by the cashier.", "พนักงานขายยกเลิกรายการ"),
    "not_sent": Text(
        "Never reached the payment service: the kiosk stopped first. No money was taken.",
        "รายการไม่ถึงระบบชำระเงินเพราะโปรแกรมหยุดก่อน ไม่มีการเก็บเงิน",
    ),
    "interrupted": Text(
        "Interrupted before its QR code was shown; cancelled at the payment service.",
        "รายการถูกขัดจังหวะก่อนแสดงคิวอาร์โค้ด จึงยกเลิกที่ระบบชำระเงินแล้ว",
    ),
    "needs_attention": Text(
        "The bank's answer did not match this sale: see Needs attention.",
        "คำตอบจากธนาคารไม่ตรงกับรายการนี้: ดูที่ ต้องตรวจสอบ",
    ),
    # the gateway's codes we act on (kiosk.gateways.villa: cancelled, expired)
    "order_cancelled": CANCELLED,
    "order_expired": EXPIRED,
    # our error classes, by reason_code (the class's own words)
    **{
        cls.reason_code: cls.default_text
        for cls in (
            e.KioskError,
            e.InputError,
            e.SaleOpen,
            e.ConfigError,
            e.StoreError,
            e.GatewayUnavailable,
            e.GatewayTimeout,
            e.AuthError,
            e.GatewayRejected,
            e.BadGatewayResponse,
            e.UnsafeAnswer,
            e.UnexpectedError,
        )
    },
}
UNKNOWN_FAILURE = Text(
    "The payment service ended the payment (its code: {code}).",
    "ระบบชำระเงินปิดรายการนี้ (รหัสจากระบบ: {code})",
)


# Codes only the kiosk journals: their failure_message is our own English, never the gateway's.
OWN_CODES = frozenset(FAILURE_LABELS) - {"declined", "order_cancelled", "order_expired"}


def _ours(code: str) -> bool:
    """Whether we name ``code`` in our own words (else it is an unknown code of the gateway)."""
    return code in FAILURE_LABELS or code.startswith("qr_") or "expire" in code or "cancel" in code


def gateway_words(code: str | None, message: str | None) -> str | None:
    """What the payment service itself said of a failure, when it said more than our label.

    Data from outside, shown as it came (cleaned when it was read). None for the
    kiosk's own codes (their message is our English) and for a message that is
    one of our labels (the checkout's default for a decline).
    """
    if not message or (code and (code in OWN_CODES or code.startswith("qr_"))):
        return None
    if any(message == label.en for label in FAILURE_LABELS.values()):
        return None
    return message


def failure_label(code: str | None) -> Text | None:
    """Why a sale with this ``failure_code`` ended, in both languages; None without a code.

    Codes of the QR check (``qr_*``) and gateway codes that name a cancel or an
    expiry (as the gateway adapter reads them) get our words; any other
    gateway code is named as the gateway's, the code itself shown as data.
    """
    if not code:
        return None
    known = FAILURE_LABELS.get(code)
    if known is not None:
        return known
    if not _ours(code):
        return Text(UNKNOWN_FAILURE.en.format(code=code), UNKNOWN_FAILURE.th.format(code=code))
    if code.startswith("qr_"):
        return e.QrRejected.default_text
    return EXPIRED if "expire" in code else CANCELLED


def state_label(state: OrderState, language: str) -> str:
    return STATE_LABELS[state].get(language)


def method_label(method: Method, language: str) -> str:
    return METHOD_LABELS[method].get(language)


__all__ = [
    "FAILURE_LABELS",
    "LATE_LABEL",
    "METHOD_LABELS",
    "METHOD_LONG_LABELS",
    "STATE_LABELS",
    "failure_label",
    "gateway_words",
    "method_label",
    "state_label",
]
