"""Thai QR (EMVCo merchant-presented) payloads: build, parse, and check.

A payload is a run of TLV fields: 2-digit id, 2-digit length, value. The
last field is ``63`` (CRC-16/CCITT-FALSE over everything before its value,
including the literal ``6304``). Before the kiosk shows a QR it calls
``check_shown``; for a Thai QR that is ``check``: the CRC, the currency
(764), the amount (tag 54) against the order and, where the store set one,
the payee (QR-swap fraud).

An attacker's payload is ambiguous rather than malformed, and two readers
(this module, the customer's banking app) must never read it two ways. So:

- a tag appears at most once at each level (top level and each template);
- exactly one payee template: tag 29 (PromptPay) or tag 30 (bill payment),
  with its AID and exactly one payee id; no other merchant-account tag
  (02-51) except tag 31 beside tag 30 (KBank's "payment innovation"
  template: its ids are not payees);
- the PromptPay and bill-payment AIDs occur once in the whole payload, in
  the payee template, so no nested template can pass for a second payee;
- tag 54 is plain ``digits.2digits`` (no sign, no exponent);
- at most ``MAX_PAYLOAD`` characters (EMVCo), every one printable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from kiosk.domain.errors import QrRejected, Text
from kiosk.domain.money import Money

AID_PROMPTPAY = "A000000677010111"
AID_BILL_PAYMENT = "A000000677010112"
CURRENCY_THB = "764"
# EMVCo: 26-51 merchant account templates, 62 additional data, 64 language,
# 80-99 unreserved templates. Their values are TLV runs too.
TEMPLATE_TAGS = frozenset(
    {*(f"{t:02d}" for t in range(26, 52)), "62", "64", *(f"{t:02d}" for t in range(80, 100))}
)
# Every id that says who is paid (02-25 card schemes, 26-51 templates).
MERCHANT_ACCOUNT_TAGS = frozenset(f"{t:02d}" for t in range(2, 52))
PAYEE_AIDS = {"29": AID_PROMPTPAY, "30": AID_BILL_PAYMENT}
# Sub-fields each payee template may hold, and those that name the payee:
# PromptPay 01 mobile, 02 national/tax id, 03 e-wallet, 04 bank account;
# bill payment 01 biller id (02 ref1 and 03 ref2 say what is paid for).
PAYEE_SUBFIELDS = {
    "29": frozenset({"00", "01", "02", "03", "04"}),
    "30": frozenset({"00", "01", "02", "03"}),
}
PAYEE_IDS = {"29": ("01", "02", "03", "04"), "30": ("01",)}
KBANK_TEMPLATE = "31"
AMOUNT = re.compile(r"[0-9]{1,10}\.[0-9]{2}")
# EMVCo caps a merchant-presented payload at 512 characters. A WeChat Pay or
# Alipay QR is a short URL (weixin://wxpay/bizpayurl?pr=..., about 40
# characters); the same cap leaves it ten times the room it needs. Both
# caps also keep any accepted text drawable: 512 characters are at most
# 2 048 UTF-8 bytes, under the 2 331 bytes of a version-40 QR at error
# correction M (kiosk.infra.qrmatrix).
MAX_PAYLOAD = 512
MAX_URL = 512

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
    "amount-format": Text(
        "The payment QR code writes its amount in a non-standard way. No QR was shown.",
        "คิวอาร์โค้ดชำระเงินระบุจำนวนเงินในรูปแบบที่ไม่ถูกต้อง จึงไม่แสดง",
    ),
    "payee": Text(
        "The payment QR code pays someone other than this shop. No QR was shown.",
        "คิวอาร์โค้ดชำระเงินไม่ได้โอนเข้าร้านนี้ จึงไม่แสดง",
    ),
    "payees": Text(
        "The payment QR code does not name exactly one payee. No QR was shown.",
        "คิวอาร์โค้ดชำระเงินไม่ได้ระบุผู้รับเงินเพียงรายเดียว จึงไม่แสดง",
    ),
    "duplicate": Text(
        "The payment QR code repeats a field, so it could be read two ways. No QR was shown.",
        "คิวอาร์โค้ดชำระเงินมีข้อมูลซ้ำกัน อาจอ่านได้สองแบบ จึงไม่แสดง",
    ),
    "too-long": Text(
        "The payment QR code is too long to be a payment code. No QR was shown.",
        "คิวอาร์โค้ดชำระเงินยาวเกินกว่าจะเป็นรหัสชำระเงิน จึงไม่แสดง",
    ),
    "undrawable": Text(
        "The payment QR code is too large to draw. No QR was shown.",
        "คิวอาร์โค้ดชำระเงินมีขนาดใหญ่เกินกว่าจะแสดงได้ จึงไม่แสดง",
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
        # isascii: int() would read Thai or Arabic-Indic digits as a length too.
        if len(head) < 4 or not (head.isascii() and head.isdigit()):
            raise reject("format", f"bad field header at {pos}")
        tag, length = head[:2], int(head[2:])
        value = text[pos + 4 : pos + 4 + length]
        if len(value) != length:
            raise reject("format", f"field {tag} is cut short")
        fields.append((tag, value))
        pos += 4 + length
    return fields


def parse_unique(text: str, where: str = "payload") -> dict[str, str]:
    """``parse_tlv`` where each tag may appear once; raises QrRejected('duplicate')."""
    fields = parse_tlv(text)
    tags = [tag for tag, _ in fields]
    repeated = sorted({tag for tag in tags if tags.count(tag) > 1})
    if repeated:
        raise reject("duplicate", f"{where} repeats tag {', '.join(repeated)}")
    return dict(fields)


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
        """Tag 54 when it is a plain ``digits.2digits`` amount, else None."""
        value = self.field("54")
        if value is None or not AMOUNT.fullmatch(value):
            return None
        return Money.from_decimal(Decimal(value))

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
        """Who receives the money: PromptPay ids of tag 29 and the biller id of tag 30.

        Descriptive only; ``check`` insists on exactly one (``payee``).
        """
        ids: list[str] = []
        for tag, subs in PAYEE_IDS.items():
            template = self.template(tag)
            ids.extend(normalize_payee(template[sub]) for sub in subs if sub in template)
        return tuple(ids)

    @property
    def payee(self) -> str:
        """The one payee id of the one payee template; raises QrRejected('payees')."""
        merchant = [tag for tag, _ in self.fields if tag in MERCHANT_ACCOUNT_TAGS]
        payees = [tag for tag in merchant if tag in PAYEE_AIDS]
        if len(payees) != 1:
            raise reject("payees", f"payee templates {payees}")
        (tag,) = payees
        others = [other for other in merchant if other != tag]
        if others not in ([], [KBANK_TEMPLATE]) or (others and tag != "30"):
            raise reject("payees", f"tag {tag} beside merchant account tags {others}")
        template = self.template(tag)
        if template.get("00") != PAYEE_AIDS[tag]:
            raise reject("payees", f"tag {tag} has AID {template.get('00')!r}")
        if not set(template) <= PAYEE_SUBFIELDS[tag]:
            raise reject("payees", f"tag {tag} has sub-fields {sorted(template)}")
        ids = [template[sub] for sub in PAYEE_IDS[tag] if sub in template]
        if len(ids) != 1:
            raise reject("payees", f"tag {tag} names {len(ids)} payee ids")
        if not (ids[0].isascii() and ids[0].isdigit()):
            # normalize_payee drops what is not a digit; the bank does not.
            raise reject("payees", f"tag {tag} payee id is not all digits")
        # The AIDs once each in the whole text, in any case: a PromptPay or
        # bill-payment template nested in tag 31, 62 or 80-99 is a second
        # payee to some reader.
        text = self.payload.upper()
        seen = sum(text.count(aid) for aid in PAYEE_AIDS.values())
        if seen != 1:
            raise reject("payees", f"payee AIDs occur {seen} times")
        return normalize_payee(ids[0])


def normalize_payee(value: str) -> str:
    """Digits only; a PromptPay phone ``0066812345678`` reads as ``0812345678``."""
    digits = "".join(ch for ch in value if ch.isascii() and ch.isdigit())
    if len(digits) == 13 and digits.startswith("0066"):
        return "0" + digits[4:]
    return digits


def is_emvco(text: str) -> bool:
    """True for an EMVCo payload (starts with ``000201``); WeChat/Alipay use URLs."""
    return text.startswith("000201")


def parse(payload: str) -> ThaiQr:
    """Parse a payload and verify its structure and CRC (nothing about the sale).

    Structure: at most ``MAX_PAYLOAD`` printable characters, ``000201``
    first, a 4-character ``63`` last, each tag once at the top level and once
    in each template (``TEMPLATE_TAGS``).
    """
    if len(payload) > MAX_PAYLOAD:
        raise reject("too-long", f"{len(payload)} characters, EMVCo allows {MAX_PAYLOAD}")
    if not payload.isprintable():
        raise reject("format", "control or invisible characters")
    fields = parse_tlv(payload)
    if not fields or fields[0] != ("00", "01"):
        raise reject("format", "payload does not start with 000201")
    if fields[-1][0] != "63" or len(fields[-1][1]) != 4:
        raise reject("format", "payload does not end with a 4-digit CRC field")
    for tag, value in parse_unique(payload).items():
        if tag in TEMPLATE_TAGS:
            parse_unique(value, f"tag {tag}")
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
    if raw_amount is not None and not AMOUNT.fullmatch(raw_amount):
        raise reject("amount-format", f"tag 54 is {raw_amount!r}")
    if qr.amount != order_amount:
        raise reject(
            "amount-mismatch", f"tag 54 is {raw_amount!r}, order is {order_amount.plain()}"
        )
    payee = qr.payee
    if expected_payee:
        wanted = normalize_payee(expected_payee)
        if payee != wanted:
            raise reject("payee", f"payee {payee} is not {wanted}")
    return qr


def check_shown(
    text: str,
    *,
    thai_qr: bool,
    order_amount: Money,
    expected_payee: str | None = None,
) -> None:
    """Everything that must hold before any QR text is drawn for this order.

    ``thai_qr``: the sale's method is Thai QR, so the text must be an EMVCo
    payload that passes ``check``. Otherwise (WeChat Pay, Alipay) it is a
    URL shown as given: at most ``MAX_URL`` printable ASCII characters,
    no spaces; and should it be an EMVCo payload after all, it must pass
    ``check`` too (a PromptPay code under another method is still a payee).
    Raises QrRejected with a cashier reason; whatever passes can be drawn.
    """
    if thai_qr or is_emvco(text):
        if not is_emvco(text):
            raise reject("format", "not an EMVCo payload")
        check(text, order_amount=order_amount, expected_payee=expected_payee)
        return
    if len(text) > MAX_URL:
        raise reject("too-long", f"{len(text)} characters, the cap for a URL is {MAX_URL}")
    if not text or not (text.isascii() and text.isprintable()) or " " in text:
        raise reject("format", "not a URL of printable ASCII characters")


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
