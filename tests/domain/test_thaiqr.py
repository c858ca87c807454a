from typing import Any

import pytest

from kiosk.domain import thaiqr
from kiosk.domain.errors import QrRejected
from kiosk.domain.money import Money, parse_amount
from tests.conftest import data_json

VECTORS: dict[str, Any] = data_json("vectors", "thaiqr.json")


def test_crc_check_value() -> None:
    check = VECTORS["crc_check"]
    assert thaiqr.crc_hex(check["input"]) == check["crc"] == "29B1"


@pytest.mark.parametrize("vector", VECTORS["vectors"], ids=lambda v: v["name"])
def test_every_vector(vector: dict[str, Any]) -> None:
    payload = vector["payload"]
    if not vector["valid"]:
        with pytest.raises(QrRejected) as info:
            thaiqr.parse(payload)
        assert info.value.reason == vector["why"]
        return
    qr = thaiqr.parse(payload)
    expected = parse_amount(vector["amount"]) if vector["amount"] else None
    assert qr.amount == expected
    assert qr.currency == "764"
    assert qr.dynamic == (vector["amount"] is not None)
    assert qr.kind == ("bill_payment" if "bill payment" in vector["name"] else "promptpay")
    if vector.get("why") == "amount-mismatch":
        with pytest.raises(QrRejected) as info:
            thaiqr.check(payload, order_amount=parse_amount(vector["order_amount"]))
        assert info.value.reason == "amount-mismatch"
    elif expected is not None:
        assert thaiqr.check(payload, order_amount=expected).payload == payload


@pytest.mark.parametrize(
    ("target", "amount", "name"),
    [
        ("0801234567", None, "promptpay mobile 0801234567, static"),
        ("1111111111111", None, "promptpay national id 1111111111111, static"),
        ("012345678901234", None, "promptpay e-wallet 012345678901234, static"),
        ("0801234567", "456.25", "promptpay mobile 0801234567, 456.25 THB"),
        ("0000000000", "4.22", "promptpay mobile 0000000000, 4.22 THB"),
    ],
)
def test_build_promptpay_matches_published_vectors(
    target: str, amount: str | None, name: str
) -> None:
    vector = next(v for v in VECTORS["vectors"] if v["name"] == name)
    money = parse_amount(amount) if amount else None
    assert thaiqr.build_promptpay(target=target, amount=money) == vector["payload"]


def test_bill_payment_round_trip_and_fields() -> None:
    payload = thaiqr.build_bill_payment(
        biller_id="010555800000001",
        ref1="ORDER0001",
        ref2="SANDBOX",
        amount=Money(30000),
        merchant_name="SANDBOX SHOP WITH A VERY LONG NAME",
        city="BANGKOK METROPOLIS AREA",
    )
    qr = thaiqr.check(payload, order_amount=Money(30000), expected_payee="010555800000001")
    assert qr.kind == "bill_payment"
    assert qr.template("30") == {
        "00": thaiqr.AID_BILL_PAYMENT,
        "01": "010555800000001",
        "02": "ORDER0001",
        "03": "SANDBOX",
    }
    assert qr.merchant_name == "SANDBOX SHOP WITH A VERY "  # cut to 25
    assert qr.field("60") == "BANGKOK METROPO"  # cut to 15
    assert qr.field("99") is None
    assert qr.template("62") == {}


def test_static_bill_payment_without_ref2() -> None:
    payload = thaiqr.build_bill_payment(biller_id="0112233445566", ref1="R1")
    qr = thaiqr.parse(payload)
    assert qr.amount is None and not qr.dynamic
    assert "03" not in qr.template("30")


def test_kind_other_for_unknown_merchant_template() -> None:
    body = "000201010211" + thaiqr.tlv("31", thaiqr.tlv("00", "A000000677010113")) + "5303764"
    qr = thaiqr.parse(body + "6304" + thaiqr.crc_hex(body + "6304"))
    assert qr.kind == "other"
    assert qr.payee_ids == ()


def _with_crc(body: str) -> str:
    return body + "6304" + thaiqr.crc_hex(body + "6304")


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        ("", "format"),
        ("hello", "format"),
        ("0002010102", "format"),  # cut short
        ("00020201", "format"),  # wrong version
        ("000201010211", "format"),  # no CRC field
        (_with_crc("000201010211" + "3005AB"), "format"),  # broken template
        ("00020101021163051234X", "format"),  # CRC field of wrong length
    ],
)
def test_parse_rejects_damaged_payloads(payload: str, reason: str) -> None:
    with pytest.raises(QrRejected) as info:
        thaiqr.parse(payload)
    assert info.value.reason == reason
    assert "No QR was shown" in info.value.user_message("en")


def test_check_rejects_other_currency() -> None:
    payload = _with_crc("000201010212" + "5303840" + "5406300.00" + "5802TH")
    with pytest.raises(QrRejected) as info:
        thaiqr.check(payload, order_amount=Money(30000))
    assert info.value.reason == "currency"


def test_check_rejects_missing_amount() -> None:
    payload = thaiqr.build_promptpay(target="0801234567")
    with pytest.raises(QrRejected) as info:
        thaiqr.check(payload, order_amount=Money(100))
    assert info.value.reason == "amount-mismatch"


def test_check_rejects_another_payee_and_accepts_ours() -> None:
    payload = thaiqr.build_promptpay(target="0801234567", amount=Money(100))
    assert thaiqr.check(payload, order_amount=Money(100), expected_payee="080-123-4567")
    assert thaiqr.check(payload, order_amount=Money(100), expected_payee="0066801234567")
    with pytest.raises(QrRejected) as info:
        thaiqr.check(payload, order_amount=Money(100), expected_payee="0899999999")
    assert info.value.reason == "payee"
    assert "someone other than this shop" in info.value.user_message("en")


def test_is_emvco() -> None:
    assert thaiqr.is_emvco(thaiqr.build_promptpay(target="0801234567"))
    assert not thaiqr.is_emvco("weixin://wxpay/bizpayurl?pr=abc")


def test_tlv_refuses_long_values() -> None:
    with pytest.raises(ValueError, match="longer than 99"):
        thaiqr.tlv("62", "x" * 100)
