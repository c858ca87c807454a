"""Fuzz the Thai QR check with payloads an attacker could send.

Every generated payload is structurally valid (well-formed TLV, correct
CRC), so only the strict rules stand between it and the screen. The
generator knows what it put where: every amount it placed at the top level
and every payee it placed anywhere (payee templates, tag 31 carrying a
payee AID, templates nested in tags 62 and 80-99). The property: whatever
``check`` accepts carries exactly one amount, the sale's, and exactly one
payee, the shop's. Since a property that holds because nothing is accepted
proves nothing, the test also asserts that a good share of the payloads is
accepted, mutated ones included.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from kiosk.domain import thaiqr
from kiosk.domain.errors import QrRejected
from kiosk.domain.money import Money

SHOP_BILLER = "010555800000001"
SHOP_PHONE = "0812345678"
OTHER_BILLER = "099999999999999"
OTHER_PHONE = "0899999999"
KBANK_AID = "A000000677010113"  # tag 31 in KBank's payloads: not a payee


@dataclass
class Item:
    """One top-level field and what a reader could take from it."""

    tag: str
    value: str
    payees: list[str] = field(default_factory=list)  # payee ids it names, at any depth


def tlv(tag: str, value: str) -> str:
    return thaiqr.tlv(tag, value)


def bill(biller: str) -> Item:
    value = tlv("00", thaiqr.AID_BILL_PAYMENT) + tlv("01", biller) + tlv("02", "ORDER0001")
    return Item("30", value, [biller])


def promptpay(phone: str) -> Item:
    value = tlv("00", thaiqr.AID_PROMPTPAY) + tlv("01", "0066" + phone[1:])
    return Item("29", value, [phone])


def two_id_promptpay(phone: str) -> Item:
    value = tlv("00", thaiqr.AID_PROMPTPAY) + tlv("01", "0066" + phone[1:])
    return Item("29", value + tlv("02", "1111111111111"), [phone, "1111111111111"])


PAYEES = {
    "shop-bill": lambda: bill(SHOP_BILLER),
    "shop-promptpay": lambda: promptpay(SHOP_PHONE),
    "other-bill": lambda: bill(OTHER_BILLER),
    "other-promptpay": lambda: promptpay(OTHER_PHONE),
    "two-ids": lambda: two_id_promptpay(SHOP_PHONE),
}


def amount_forms(sale: Money) -> st.SearchStrategy[str]:
    """Tag 54 as it should be, mostly; else other amounts and tricky spellings of the sale."""
    plain = sale.plain()
    whole = str(sale.satang // 100)
    tricky = [
        "0" + plain,  # leading zero: still plain digits, the same amount
        Money(sale.satang + 100).plain(),
        Money(max(sale.satang - 1, 1)).plain(),
        f"{Decimal(plain):E}",  # 3.00E+2
        "+" + plain,
        whole,
        plain[:-1],
        " " + plain,
        plain + "0",
    ]
    return st.sampled_from([plain] * 3 * len(tricky) + tricky)  # mostly as it should be


def extras() -> st.SearchStrategy[Item]:
    """Fields that may sit beside the payee: harmless ones, and payees in disguise."""
    nested_payee = st.sampled_from(["other-bill", "other-promptpay", "shop-bill"]).map(
        lambda name: PAYEES[name]()
    )
    harmless = st.sampled_from(
        [
            Item("31", tlv("00", KBANK_AID) + tlv("01", "004") + tlv("02", "LEX11")),
            Item("59", "SANDBOX SHOP"),
            Item("60", "BANGKOK"),
            Item("62", tlv("05", "REF0001") + tlv("07", "SCB")),
            Item("80", tlv("00", "A000000999") + tlv("01", "LOYALTY")),
            Item("62", tlv("54", "0699999.00")),  # an "amount" one level down is not tag 54
        ]
    )
    disguised = st.one_of(
        nested_payee.map(lambda p: Item("31", p.value, p.payees)),  # tag 31 as a payee
        nested_payee.map(lambda p: Item("62", tlv("50", tlv(p.tag, p.value)), p.payees)),
        nested_payee.map(lambda p: Item("80", tlv(p.tag, p.value), p.payees)),
        st.just(Item("26", tlv("00", "A000000999") + tlv("01", "1234"), ["scheme-26"])),
        st.just(Item("02", "4000123456789010", ["card-scheme-02"])),
    )
    return st.one_of(harmless, harmless, harmless, harmless, disguised)


@dataclass
class Case:
    payload: str
    sale: Money
    expected_payee: str | None
    amounts: list[str]  # every top-level tag 54
    payees: list[str]  # every payee id anywhere
    mutated: bool


@st.composite
def cases(draw: st.DrawFn) -> Case:
    sale = Money(draw(st.integers(min_value=1, max_value=10**9)))
    # Mostly the shop's own payee, else another or an ambiguous one.
    payee = draw(st.sampled_from(["shop-bill", "shop-promptpay"] * 4 + sorted(PAYEES)))
    items = [PAYEES[payee](), Item("53", "764"), Item("58", "TH")]
    items.append(Item("54", draw(amount_forms(sale))))
    items += draw(st.lists(extras(), max_size=2, unique_by=lambda item: item.tag))
    mutated = len(items) > 4 or items[3].value != sale.plain()
    # A third of the time: a field twice, a second amount or a second payee.
    mutations = ["duplicate", "second-amount", "second-payee"]
    for choice in draw(st.lists(st.sampled_from([None] * 6 + mutations), max_size=2)):
        if choice == "duplicate":
            items.append(draw(st.sampled_from(items)))
        elif choice == "second-amount":
            items.append(Item("54", draw(amount_forms(sale))))
        elif choice == "second-payee":
            items.append(PAYEES[draw(st.sampled_from(sorted(PAYEES)))]())
        mutated = mutated or choice is not None
    if draw(st.booleans()):
        items = list(draw(st.permutations(items)))
        mutated = True
    body = "000201" + "010212" + "".join(tlv(item.tag, item.value) for item in items) + "6304"
    expected = draw(st.sampled_from([SHOP_BILLER if "bill" in payee else SHOP_PHONE, None]))
    return Case(
        payload=body + thaiqr.crc_hex(body),
        sale=sale,
        expected_payee=expected,
        amounts=[item.value for item in items if item.tag == "54"],
        payees=[pid for item in items for pid in item.payees],
        mutated=mutated,
    )


def fuzz(max_examples: int) -> Counter[str]:
    """Run the property; returns how the payloads fared (a reason, or accepted)."""
    outcomes: Counter[str] = Counter()

    @settings(
        max_examples=max_examples, deadline=None, suppress_health_check=[HealthCheck.too_slow]
    )
    @given(cases())
    def accepted_is_safe(case: Case) -> None:
        try:
            qr = thaiqr.check(
                case.payload, order_amount=case.sale, expected_payee=case.expected_payee
            )
        except QrRejected as exc:
            outcomes[exc.reason] += 1
            event(f"refused: {exc.reason}")
            return
        outcomes["accepted-mutated" if case.mutated else "accepted"] += 1
        event("accepted")
        assert len(case.amounts) == 1
        (amount,) = case.amounts
        assert thaiqr.AMOUNT.fullmatch(amount)
        assert Money.from_decimal(Decimal(amount)) == case.sale == qr.amount
        assert len(case.payees) == 1
        if case.expected_payee is not None:
            assert case.payees == [case.expected_payee]

    accepted_is_safe()
    return outcomes


def test_whatever_check_accepts_has_one_amount_and_the_shops_payee() -> None:
    outcomes = fuzz(600)
    total = sum(outcomes.values())
    accepted = outcomes["accepted"] + outcomes["accepted-mutated"]
    # Measured (25 runs of 600, one of 10 000): 21-23 % accepted, of which
    # 40 % reordered or with extra fields; the lowest run was 19 % and 6 %.
    assert accepted / total > 0.12, outcomes
    assert outcomes["accepted-mutated"] / total > 0.03, outcomes
    for reason in ("duplicate", "payees", "payee", "amount-format", "amount-mismatch"):
        assert outcomes[reason], (reason, outcomes)
