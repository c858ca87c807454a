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


# --- strictness: an attacker's payload is ambiguous, not malformed

SHOP = "010555800000001"  # the shop's biller id
OTHER_PHONE = "0899999999"  # someone else's PromptPay
THB300 = Money(30000)


def _promptpay(phone: str) -> str:
    return thaiqr.tlv("29", thaiqr.tlv("00", thaiqr.AID_PROMPTPAY) + thaiqr.tlv("01", phone))


def _bill(biller: str = SHOP, ref1: str = "ORDER1") -> str:
    return thaiqr.tlv(
        "30",
        thaiqr.tlv("00", thaiqr.AID_BILL_PAYMENT)
        + thaiqr.tlv("01", biller)
        + thaiqr.tlv("02", ref1),
    )


def _kbank31(*subs: tuple[str, str]) -> str:
    fields = subs or (("00", "A000000677010113"), ("01", "004"), ("02", "LEX11"))
    return thaiqr.tlv("31", "".join(thaiqr.tlv(tag, value) for tag, value in fields))


def _payload(*fields: str, amount: str | None = "300.00") -> str:
    body = "000201010212" + "".join(fields) + "5303764" + "5802TH"
    if amount is not None:
        body += thaiqr.tlv("54", amount)
    return _with_crc(body)


def test_kbank_vector_with_tags_30_and_31_stays_valid() -> None:
    vector = next(v for v in VECTORS["vectors"] if "tag 31" in v["name"])
    qr = thaiqr.check(vector["payload"], order_amount=Money(1281), expected_payee="0105558080778")
    assert qr.kind == "bill_payment"
    assert qr.payee == "0105558080778"  # tag 31's ids ("004", refs) are not payees
    assert qr.payee_ids == ("0105558080778",)
    with pytest.raises(QrRejected) as info:
        thaiqr.check(vector["payload"], order_amount=Money(1281), expected_payee="004")
    assert info.value.reason == "payee"


def test_our_own_payloads_pass_with_the_payee() -> None:
    assert thaiqr.check(_payload(_bill()), order_amount=THB300, expected_payee=SHOP)
    assert thaiqr.check(_payload(_bill(), _kbank31()), order_amount=THB300, expected_payee=SHOP)
    assert thaiqr.check(_payload(_promptpay("0066812345678")), order_amount=THB300)


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        # attack 1: two amounts; the first is the sale's
        (
            _with_crc("000201010212" + _bill() + "5303764" + "5406300.00" + "54079999.00"),
            "duplicate",
        ),
        (
            _with_crc("000201010212" + _bill() + "5303764" + "5406300.00" + "5406300.00"),
            "duplicate",
        ),
        # attack 1: someone else's PromptPay first, the shop's biller id second
        (_payload(_promptpay(OTHER_PHONE), _bill()), "payees"),
        (_payload(_bill(), _promptpay(OTHER_PHONE)), "payees"),
        (_payload(_bill(), _bill()), "duplicate"),
        # attack 1: amounts a Decimal would read, a banking app might not
        (_payload(_bill(), amount="3E+2"), "amount-format"),
        (_payload(_bill(), amount="+300.00"), "amount-format"),
        (_payload(_bill(), amount="300"), "amount-format"),
        (_payload(_bill(), amount="300.0"), "amount-format"),
        (_payload(_bill(), amount=" 300.00"), "amount-format"),
        (_payload(_bill(), amount="-300.00"), "amount-format"),
        (_payload(_bill(), amount="๓๐๐.๐๐"), "amount-format"),
        (_payload(_bill(), amount="12345678901.00"), "amount-format"),
        (_payload(_bill(), amount="0300.00"), None),  # plain digits: the same amount
        (_payload(_bill(), amount=None), "amount-mismatch"),
        # no payee, or a payee template that says two things
        (_payload(), "payees"),
        (_payload(_kbank31()), "payees"),  # 31 alone: its ids are not payees
        (_payload(_promptpay("0812345678"), _kbank31()), "payees"),  # 31 only beside 30
        (_payload(_bill(), _kbank31(("00", thaiqr.AID_PROMPTPAY), ("01", "0812345678"))), "payees"),
        (
            _payload(
                _bill(), _kbank31(("00", "A000000677010113"), ("05", thaiqr.AID_BILL_PAYMENT))
            ),
            "payees",
        ),
        (_payload(_bill(), thaiqr.tlv("26", thaiqr.tlv("00", "A000000677010111"))), "payees"),
        (_payload(_bill(), thaiqr.tlv("02", "4000123456789010")), "payees"),  # a card scheme id
        (
            _payload(
                thaiqr.tlv("29", thaiqr.tlv("00", thaiqr.AID_BILL_PAYMENT) + thaiqr.tlv("01", SHOP))
            ),
            "payees",
        ),
        (
            _payload(
                thaiqr.tlv("30", thaiqr.tlv("00", "A000000677010113") + thaiqr.tlv("01", SHOP))
            ),
            "payees",
        ),
        (
            _payload(
                thaiqr.tlv("30", thaiqr.tlv("00", thaiqr.AID_BILL_PAYMENT) + thaiqr.tlv("02", "R1"))
            ),
            "payees",
        ),
        (
            _payload(
                thaiqr.tlv(
                    "29",
                    thaiqr.tlv("00", thaiqr.AID_PROMPTPAY)
                    + thaiqr.tlv("01", "0066812345678")
                    + thaiqr.tlv("02", "1111111111111"),
                )
            ),
            "payees",
        ),
        (
            _payload(
                thaiqr.tlv(
                    "30",
                    thaiqr.tlv("00", thaiqr.AID_BILL_PAYMENT)
                    + thaiqr.tlv("01", SHOP)
                    + thaiqr.tlv("09", "X"),
                )
            ),
            "payees",
        ),
        (_payload(_bill("0105558000000-01")), "payees"),  # not all digits
        (_payload(_bill("01055580000000X1")), "payees"),
        (_payload(_promptpay("0\u0e58\u0e51\u0e52345678")), "payees"),  # Thai digits
        # a second payee hidden a level down (additional data, unreserved template)
        (
            _payload(_bill(), thaiqr.tlv("80", thaiqr.tlv("00", thaiqr.AID_PROMPTPAY.lower()))),
            "payees",
        ),
        (_payload(_bill(), thaiqr.tlv("62", thaiqr.tlv("05", _promptpay(OTHER_PHONE)))), "payees"),
        (_payload(_bill(), thaiqr.tlv("80", thaiqr.tlv("00", thaiqr.AID_PROMPTPAY))), "payees"),
        # a tag twice inside a template
        (
            _payload(
                thaiqr.tlv(
                    "30",
                    thaiqr.tlv("00", thaiqr.AID_BILL_PAYMENT)
                    + thaiqr.tlv("01", "0999")
                    + thaiqr.tlv("01", SHOP),
                )
            ),
            "duplicate",
        ),
        (_payload(_bill(), thaiqr.tlv("62", "0703SCB0703KTB")), "duplicate"),
        (_payload(_bill(), thaiqr.tlv("80", "0703SCB0703KTB")), "duplicate"),
        (_payload(_bill(), thaiqr.tlv("80", "not tlv")), "format"),
    ],
)
def test_check_refuses_every_ambiguity(payload: str, reason: str | None) -> None:
    if reason is None:
        assert thaiqr.check(payload, order_amount=THB300, expected_payee=SHOP)
        return
    with pytest.raises(QrRejected) as info:
        thaiqr.check(payload, order_amount=THB300, expected_payee=SHOP)
    assert info.value.reason == reason
    assert info.value.failure_code == f"qr_{reason}"
    assert "No QR was shown" in info.value.user_message("en")
    assert "จึงไม่แสดง" in info.value.user_message("th")


def test_the_payee_is_checked_without_an_expected_payee_too() -> None:
    with pytest.raises(QrRejected) as info:
        thaiqr.check(_payload(_promptpay(OTHER_PHONE), _bill()), order_amount=THB300)
    assert info.value.reason == "payees"


def test_a_payload_for_another_payee_names_it() -> None:
    with pytest.raises(QrRejected) as info:
        thaiqr.check(_payload(_bill("099999999999999")), order_amount=THB300, expected_payee=SHOP)
    assert info.value.reason == "payee"
    assert "099999999999999" in str(info.value)


def test_amount_reads_only_the_plain_form() -> None:
    assert thaiqr.parse(_payload(_bill(), amount="3E+2")).amount is None
    assert thaiqr.parse(_payload(_bill(), amount="300.00")).amount == THB300


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (_payload(_bill(), thaiqr.tlv("59", "SHOP\nNAME")), "format"),
        (_payload(_bill(), thaiqr.tlv("59", "SHOP\u202eNAME")), "format"),  # bidi override
        (_payload(_bill())[:-8] + thaiqr.tlv("59", "\ud800") + "6304ABCD", "format"),  # no UTF-8
        (_payload(_bill()) + "\n", "format"),
        (" " + _payload(_bill()), "format"),
        (_with_crc("000201010212" + "٣٠" + "04SHOP"), "format"),  # Arabic-Indic tag
    ],
)
def test_parse_refuses_what_cannot_be_a_payload(payload: str, reason: str) -> None:
    with pytest.raises(QrRejected) as info:
        thaiqr.parse(payload)
    assert info.value.reason == reason


def _padded_to(length: int) -> str:
    """A payload for the shop, of exactly ``length`` characters, each tag once."""
    head = "000201010212" + _bill() + "5303764" + "5406300.00"
    room = length - len(head) - len("6304XXXX")
    extra = ""
    for tag in range(65, 100):  # RFU and unreserved templates, each at most 4 + 99 characters
        if room <= 0:
            break
        size = min(99, room - 4)
        extra += thaiqr.tlv(f"{tag}", thaiqr.tlv("00", "x" * (size - 4)))
        room -= size + 4
    payload = _with_crc(head + extra)
    assert len(payload) == length
    return payload


def test_the_emvco_cap_is_512_characters() -> None:
    assert thaiqr.check(_padded_to(512), order_amount=THB300, expected_payee=SHOP)
    for length in (513, 3500):  # attack 3: a valid 3 500-character EMVCo QR
        with pytest.raises(QrRejected) as info:
            thaiqr.check(_padded_to(length), order_amount=THB300, expected_payee=SHOP)
        assert info.value.reason == "too-long"
        assert "too long" in info.value.user_message("en")


def test_parse_unique_names_the_repeated_tags() -> None:
    assert thaiqr.parse_unique("0001A0101B") == {"00": "A", "01": "B"}
    with pytest.raises(QrRejected, match="tag 62 repeats tag 07"):
        thaiqr.parse_unique("0703SCB0703KTB", "tag 62")


# --- check_shown: what the checkout calls for any QR text


def test_check_shown_a_thai_qr_is_checked_in_full() -> None:
    thaiqr.check_shown(_payload(_bill()), thai_qr=True, order_amount=THB300, expected_payee=SHOP)
    with pytest.raises(QrRejected) as info:
        thaiqr.check_shown(
            _payload(_bill(), amount="3E+2"),
            thai_qr=True,
            order_amount=THB300,
            expected_payee=SHOP,
        )
    assert info.value.reason == "amount-format"
    with pytest.raises(QrRejected) as info:
        thaiqr.check_shown("weixin://wxpay/bizpayurl?pr=abc", thai_qr=True, order_amount=THB300)
    assert info.value.reason == "format"


def test_check_shown_an_emvco_payload_under_another_method_is_still_checked() -> None:
    with pytest.raises(QrRejected) as info:
        thaiqr.check_shown(
            _payload(_promptpay(OTHER_PHONE)),
            thai_qr=False,
            order_amount=THB300,
            expected_payee=SHOP,
        )
    assert info.value.reason == "payee"


@pytest.mark.parametrize(
    "url",
    [
        "weixin://wxpay/bizpayurl?pr=abc123",
        "https://qr.alipay.com/bax01234567890abcdef",
        "w" * thaiqr.MAX_URL,
    ],
)
def test_check_shown_a_wechat_or_alipay_url_is_shown_as_given(url: str) -> None:
    thaiqr.check_shown(url, thai_qr=False, order_amount=THB300, expected_payee=SHOP)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("w" * (thaiqr.MAX_URL + 1), "too-long"),
        ("weixin://" + "x" * 3500, "too-long"),
        ("", "format"),
        ("weixin://wxpay/bizpayurl?pr=abc def", "format"),
        ("weixin://wxpay/bizpayurl?pr=abc\n", "format"),
        ("weixin://wxpay/bizpayurl?pr=abc\x1b[2J", "format"),
        ("weixin://wxpay/bizpayurl?pr=ราคา", "format"),
    ],
)
def test_check_shown_refuses_a_url_that_is_not_plain(url: str, reason: str) -> None:
    with pytest.raises(QrRejected) as info:
        thaiqr.check_shown(url, thai_qr=False, order_amount=THB300)
    assert info.value.reason == reason
    assert info.value.user_message("th")
