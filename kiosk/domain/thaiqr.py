"""Thai QR (EMVCo merchant-presented) payloads: build, parse, and check.

A payload is a run of TLV fields: 2-digit id, 2-digit length, value. The
last field is ``63`` (CRC-16/CCITT-FALSE over everything before its value,
including the literal ``6304``). Before the kiosk shows a Thai QR it checks
the CRC, the currency (764), the amount (tag 54) against the order, and,
where the store set one, the payee (QR-swap fraud).
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.domain.errors import QrRejected, Text
from kiosk.domain.money import Money

AID_PROMPTPAY = "A000000677010111"
AID_BILL_PAYMENT = "A000000677010112"
CURRENCY_THB = "764"
TEMPLATE_TAGS = frozenset({"29", "30", "31", "62"})

_TEXTS = {
    "format": Text(
        "The payment QR code is damaged. No QR was shown.",
        "คิวอาร์โค้ดชำระเงินเสียหาย จึงไม่แสดง",
    ),
    "crc": Text(
        "The payment QR code failed its checksum. No QR was shown.",
        "คิวอาร์โค้ดชำระเงินมีค่าตรวจสอบไม่ถูกต้อง จึงไม่แสดง",
    ),
    "currency": Text(
        "The payment QR code is not in Thai baht. No QR was shown.",
        "คิวอาร์โค้ดชำระเงินไม่ใช่สกุลเงินบาท จึงไม่แสดง",
    ),
    "amount-mismatch": Text(
        "The payment QR code is for a different amount. No QR was shown.",
        "คิวอาร์โค้ดชำระเงินมีจำนวนเงินไม่ตรงกับรายการ จึงไม่แสดง",
    ),
    "payee": Text(
        "The payment QR code pays someone other than this shop. No QR was shown.",
        "คิวอาร์โค้ดชำระเงินไม่ได้โอนเข้าร้านนี้ จึงไม่แสดง",
    ),
}


def reject(reason: str, detail: str = "") -> QrRejected:
    return QrRejected(reason, detail, text=_TEXTS[reason])


def crc16_ccitt_false(data: bytes) -> int:
    """CRC-16/CCITT-FALSE: poly 0x1021, init 0xFFFF, no reflection, xorout 0."""
    crc = 0xFFFF
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return crc


def crc_hex(text: str) -> str:
    return f"{crc16_ccitt_false(text.encode('utf-8')):04X}"


def parse_tlv(text: str) -> list[tuple[str, str]]:
    """Split a TLV run into (id, value) pairs; raises QrRejected('format')."""
    fields: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        head = text[pos : pos + 4]
        if len(head) < 4 or not head.isdigit():
            raise reject("format", f"bad field header at {pos}")
        tag, length = head[:2], int(head[2:])
        value = text[pos + 4 : pos + 4 + length]
        if len(value) != length:
            raise reject("format", f"field {tag} is cut short")
        fields.append((tag, value))
        pos += 4 + length
    return fields


def tlv(tag: str, value: str) -> str:
    if len(value) > 99:
        raise ValueError(f"field {tag} is longer than 99 characters")
    return f"{tag}{len(value):02d}{value}"


@dataclass(frozen=True)
class ThaiQr:
    payload: str
    fields: tuple[tuple[str, str], ...]

    def field(self, tag: str) -> str | None:
        for key, value in self.fields:
            if key == tag:
                return value
        return None

    def template(self, tag: str) -> dict[str, str]:
        value = self.field(tag)
        return dict(parse_tlv(value)) if value is not None else {}

    @property
    def dynamic(self) -> bool:
        return self.field("01") == "12"

    @property
    def currency(self) -> str | None:
        return self.field("53")

    @property
    def amount(self) -> Money | None:
        value = self.field("54")
        if value is None:
            return None
        return Money.from_gateway(value)

    @property
    def merchant_name(self) -> str | None:
        return self.field("59")

    @property
    def kind(self) -> str:
        if self.template("30").get("00") == AID_BILL_PAYMENT:
            return "bill_payment"
        if self.template("29").get("00") == AID_PROMPTPAY:
            return "promptpay"
        return "other"

    @property
    def payee_ids(self) -> tuple[str, ...]:
        """Who receives the money: PromptPay ids of tag 29 and the biller id of tag 30."""
        ids: list[str] = []
        promptpay = self.template("29")
        for sub in ("01", "02", "03"):
            if sub in promptpay:
                ids.append(normalize_payee(promptpay[sub]))
        bill = self.template("30")
        if "01" in bill:
            ids.append(normalize_payee(bill["01"]))
        return tuple(ids)


def normalize_payee(value: str) -> str:
    """Digits only; a PromptPay phone ``0066812345678`` reads as ``0812345678``."""
    digits = "".join(ch for ch in value if ch.isdigit())
    if len(digits) == 13 and digits.startswith("0066"):
        return "0" + digits[4:]
    return digits


def is_emvco(text: str) -> bool:
    """True for an EMVCo payload (starts with ``000201``); WeChat/Alipay use URLs."""
    return text.startswith("000201")


def parse(payload: str) -> ThaiQr:
    """Parse a payload and verify its structure and CRC (nothing about the sale)."""
    payload = payload.strip()
    fields = parse_tlv(payload)
    if not fields or fields[0] != ("00", "01"):
        raise reject("format", "payload does not start with 000201")
    if fields[-1][0] != "63" or len(fields[-1][1]) != 4:
        raise reject("format", "payload does not end with a 4-digit CRC field")
    for tag, value in fields:
        if tag in TEMPLATE_TAGS:
            parse_tlv(value)
    expected = crc_hex(payload[:-4])
    if payload[-4:].upper() != expected:
        raise reject("crc", f"CRC {payload[-4:]} != {expected}")
    return ThaiQr(payload=payload, fields=tuple(fields))


def check(payload: str, *, order_amount: Money, expected_payee: str | None = None) -> ThaiQr:
    """Everything that must hold before a Thai QR is shown for this order."""
    qr = parse(payload)
    if qr.currency != CURRENCY_THB:
        raise reject("currency", f"tag 53 is {qr.currency!r}")
    raw_amount = qr.field("54")
    if raw_amount is None or len(raw_amount) > 13 or qr.amount != order_amount:
        raise reject(
            "amount-mismatch", f"tag 54 is {raw_amount!r}, order is {order_amount.plain()}"
        )
    if expected_payee:
        wanted = normalize_payee(expected_payee)
        if wanted not in qr.payee_ids:
            raise reject("payee", f"payee ids {qr.payee_ids} do not include {wanted}")
    return qr


def _finish(body: str) -> str:
    body += "6304"
    return body + crc_hex(body)


def build_bill_payment(
    *,
    biller_id: str,
    ref1: str,
    ref2: str | None = None,
    amount: Money | None = None,
    merchant_name: str | None = None,
    city: str | None = None,
) -> str:
    """A tag-30 (bill payment) payload; dynamic when it carries an amount."""
    merchant = tlv("00", AID_BILL_PAYMENT) + tlv("01", biller_id) + tlv("02", ref1)
    if ref2:
        merchant += tlv("03", ref2)
    return _finish(_common(tlv("30", merchant), amount, merchant_name, city))


def build_promptpay(*, target: str, amount: Money | None = None) -> str:
    """A tag-29 (PromptPay credit transfer) payload to a phone, id or e-wallet."""
    digits = "".join(ch for ch in target if ch.isdigit())
    if len(digits) >= 15:
        sub = tlv("03", digits)
    elif len(digits) >= 13:
        sub = tlv("02", digits)
    else:
        national = digits[1:] if digits.startswith("0") else digits
        sub = tlv("01", ("0000000000000" + "66" + national)[-13:])
    return _finish(_common(tlv("29", tlv("00", AID_PROMPTPAY) + sub), amount, None, None))


def _common(merchant: str, amount: Money | None, name: str | None, city: str | None) -> str:
    # Field order follows the common PromptPay generators (58, 53, 54), so
    # built payloads match the published test vectors byte for byte.
    body = tlv("00", "01") + tlv("01", "12" if amount is not None else "11") + merchant
    body += tlv("58", "TH") + tlv("53", CURRENCY_THB)
    if amount is not None:
        body += tlv("54", amount.plain())
    if name:
        body += tlv("59", name[:25])
    if city:
        body += tlv("60", city[:15])
    return body
