"""Thai QR payloads a hostile gateway sends: structurally valid (TLV, CRC), wrong in one way.

Each builder returns a payload whose CRC is right and whose fields parse, so
a checker that refuses it refuses it for the attack, not for damage.
"""

from __future__ import annotations

from kiosk.domain.money import Money
from kiosk.domain.thaiqr import AID_BILL_PAYMENT, AID_PROMPTPAY, CURRENCY_THB, crc_hex, tlv

SHOP_BILLER_ID = "010753600031508"  # the shop's biller id (store.expected_payee in the tests)
OTHER_PROMPTPAY = "0812345678"  # someone else's PromptPay phone number
MERCHANT_NAME = "HOSTILE TEST SHOP"
MERCHANT_CITY = "BANGKOK"
EMVCO_MAX = 512  # EMVCo's cap on a merchant-presented payload


def finish(body: str) -> str:
    """``body`` with the CRC field (63) appended."""
    body += "6304"
    return body + crc_hex(body)


def bill_payment(biller_id: str = SHOP_BILLER_ID, ref1: str = "REF1", ref2: str = "HOSTILE") -> str:
    """A tag-30 (bill payment) template."""
    return tlv(
        "30", tlv("00", AID_BILL_PAYMENT) + tlv("01", biller_id) + tlv("02", ref1) + tlv("03", ref2)
    )


def promptpay(phone: str = OTHER_PROMPTPAY) -> str:
    """A tag-29 (PromptPay) template to a phone number."""
    return tlv("29", tlv("00", AID_PROMPTPAY) + tlv("01", "0066" + phone.lstrip("0")))


def payload(*, amounts: list[str], payees: list[str], extra: str = "") -> str:
    """A dynamic Thai QR with these tag-54 values and payee templates, in this order."""
    body = tlv("00", "01") + tlv("01", "12") + "".join(payees)
    body += tlv("53", CURRENCY_THB) + "".join(tlv("54", text) for text in amounts)
    body += tlv("58", "TH") + tlv("59", MERCHANT_NAME) + tlv("60", MERCHANT_CITY) + extra
    return finish(body)


def honest(amount: Money, ref1: str = "REF1") -> str:
    """What a genuine gateway sends: one payee (the shop), one amount (the sale's)."""
    return payload(amounts=[amount.plain()], payees=[bill_payment(ref1=ref1)])


def two_amounts(amount: Money, second: str = "9999.00") -> str:
    """Attack 1: tag 54 twice; a checker reading only the first sees the sale's amount."""
    return payload(amounts=[amount.plain(), second], payees=[bill_payment()])


def other_payee_first(amount: Money) -> str:
    """Attack 1: someone else's PromptPay (tag 29) before the shop's biller id (tag 30)."""
    return payload(amounts=[amount.plain()], payees=[promptpay(), bill_payment()])


def amount_text(text: str) -> str:
    """Attack 1: tag 54 written as ``text`` (``3E+2``, ``+300``) with the shop as payee."""
    return payload(amounts=[text], payees=[bill_payment()])


def long_payload(amount: Money, length: int = 3500) -> str:
    """Attack 3: a valid payload of exactly ``length`` characters (tags 65-99 once each).

    Far above EMVCo's 512 and above what a QR code of any version holds, so
    drawing it fails unless the kiosk refuses it first.
    """
    base = honest(amount)[:-8]  # without "6304" + CRC
    room = length - len(base) - 8
    extra = ""
    for tag in range(65, 100):
        if room <= 0:
            break
        size = min(99, room - 4)
        if 0 < room - 4 - size < 5:
            size -= 5  # leave room for one more whole field
        filler = ("hostile" * 15)[:size]  # lowercase: byte mode, the smallest QR capacity
        extra += tlv(str(tag), filler)
        room -= 4 + size
    text = finish(base + extra)
    if len(text) != length:
        raise ValueError(f"built {len(text)} characters, not {length}")
    return text
