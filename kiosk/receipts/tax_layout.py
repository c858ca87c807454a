"""Tax invoices on paper: the abbreviated one (s. 86/6) and the full one (s. 86/4).

An **abbreviated tax invoice** (ใบกำกับภาษีอย่างย่อ) must show, by the Revenue
Code s. 86/6: the words "ใบกำกับภาษีอย่างย่อ" prominently; the seller's name (or
short name) and taxpayer id; its serial number; the name, kind, quantity and
value of what was sold; the price, stating that VAT is included; the date;
and what the Director-General adds — for a POS, the POS number the Revenue
Department assigned. This kiosk sells one line per sale, so the line is the
bill reference or the configured description, quantity 1.

A **full tax invoice** (ใบกำกับภาษี, s. 86/4) shows the seller's name, address,
tax id and head office or branch; the buyer's name, address, tax id and
branch; its serial number; what was sold with its value; the VAT apart; the
date; and here the abbreviated invoice it replaces.

Both print the VAT part and the rate they were issued with (kept with the
document), amounts as "1,234.50 บาท", dates with the Buddhist-era year; a
sandbox sale's say TEST — NOT A RECEIPT in large type, a reprint says COPY.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from kiosk.domain.money import Money
from kiosk.domain.thaidate import format_datetime
from kiosk.domain.vat import VatSplit, parse_rate
from kiosk.receipts.layout import (
    HEAD_OFFICE,
    REPRINT_BANNER,
    TEST_BANNERS,
    Align,
    Banner,
    Block,
    Gap,
    Line,
    Pair,
    Qr,
    Rule,
    Size,
)
from kiosk.receipts.model import Receipt

ABB_TITLE = "ใบกำกับภาษีอย่างย่อ"
FULL_TITLE = "ใบกำกับภาษี"


def _rate_text(rate: str) -> str:
    return VatSplit(Money(0), parse_rate(rate or "0"), Money(0), Money(0)).rate_text


def branch_text(branch: str) -> str:
    if branch == HEAD_OFFICE:
        return "สำนักงานใหญ่ Head office"
    return f"สาขา Branch {branch}"


def _seller(name: str, address: str, tax_id: str, branch: str) -> list[Block]:
    blocks: list[Block] = [Line(name, Size.LARGE, bold=True, align=Align.CENTER)]
    blocks += [
        Line(r.strip(), Size.SMALL, align=Align.CENTER) for r in address.splitlines() if r.strip()
    ]
    blocks.append(Line(f"เลขประจำตัวผู้เสียภาษี TAX ID {tax_id or '—'}", Size.SMALL, align=Align.CENTER))
    if branch:
        blocks.append(Line(branch_text(branch), Size.SMALL, align=Align.CENTER))
    return blocks


def _marks(test: bool, copy: int, reprinted_at: datetime | None) -> list[Block]:
    blocks: list[Block] = [Banner(text) for text in TEST_BANNERS] if test else []
    if copy:
        blocks.append(Banner(REPRINT_BANNER))
        if reprinted_at is not None:
            when = format_datetime(reprinted_at, "th")
            blocks.append(Line(f"พิมพ์ซ้ำ Copy #{copy} {when}", Size.SMALL, align=Align.CENTER))
    return blocks


def _amounts(amount: Money, vat: Money, rate: str) -> list[Block]:
    return [
        Pair("มูลค่าสินค้า Net", Money(amount.satang - vat.satang).on_paper()),
        Pair(f"ภาษีมูลค่าเพิ่ม VAT {_rate_text(rate)}", vat.on_paper()),
        Pair("รวมทั้งสิ้น TOTAL", amount.on_paper(), Size.TOTAL, bold=True),
        Line("(ราคารวมภาษีมูลค่าเพิ่มแล้ว VAT included)", Size.SMALL, align=Align.CENTER),
    ]


def abb_blocks(receipt: Receipt) -> list[Block]:
    """A paid sale's abbreviated tax invoice (series abb), top to bottom."""
    test = receipt.sandbox
    blocks: list[Block] = [Banner(text) for text in TEST_BANNERS] if test else []
    blocks += _seller(receipt.shop_name, receipt.address, receipt.tax_id, receipt.branch)
    blocks += [
        Rule(),
        Line(ABB_TITLE, Size.LARGE, bold=True, align=Align.CENTER),
        Line("TAX INVOICE (ABB)", Size.BODY, bold=True, align=Align.CENTER),
        *_marks(False, receipt.copy, receipt.reprinted_at),
        Gap(0.3),
        Pair("เลขที่ No.", receipt.number_text, bold=True),
        Pair("POS ID", receipt.pos_id or "—"),
        Pair("วันที่ Date", receipt.thai_time()),
        Pair("เครื่อง Terminal", f"{receipt.store_id}-{receipt.terminal_id}"),
        Rule(),
        Line(f"1 x {receipt.item}", Size.BODY),
        Pair("", receipt.amount.on_paper()),
        Rule(),
        *_amounts(receipt.amount, Money(receipt.vat_satang), receipt.vat_rate),
        Rule(),
    ]
    method_en, method_th = receipt.method_name()
    blocks.append(Pair("ชำระโดย Method", f"{method_th} {method_en}"))
    blocks.append(Pair("รายการ Order", receipt.kiosk_order_id, Size.SMALL))
    if receipt.gateway_charge_id:
        blocks.append(Pair("รหัสธุรกรรม Transaction", receipt.gateway_charge_id, Size.SMALL))
    if receipt.show_qr:
        blocks.append(Qr(receipt.kiosk_order_id))
    blocks += [
        Line(r.strip(), Size.BODY, align=Align.CENTER)
        for r in receipt.footer.splitlines()
        if r.strip()
    ]
    blocks += [Banner(text) for text in TEST_BANNERS] if test else []
    return blocks


@dataclass(frozen=True)
class FullInvoice:
    """A full tax invoice as its document's detail keeps it (never recomputed)."""

    number: str  # "INV-T01-000001"
    issued_at: datetime
    kiosk_order_id: str
    replaces: str  # the abbreviated invoice's number, "" if the sale had none
    seller: Mapping[str, str]  # name, address, tax_id, branch (as at issue)
    buyer: Mapping[str, str]  # name, address, tax_id, branch
    item: str
    amount: Money
    vat: Money
    vat_rate: str
    test: bool = False
    copy: int = 0
    reprinted_at: datetime | None = None

    @property
    def net(self) -> Money:
        return Money(self.amount.satang - self.vat.satang)

    def detail(self) -> dict[str, object]:
        """What the journal keeps with the number (JSON-able)."""
        return {
            "replaces": self.replaces,
            "seller": dict(self.seller),
            "buyer": dict(self.buyer),
            "item": self.item,
            "amount_satang": self.amount.satang,
            "vat_satang": self.vat.satang,
            "net_satang": self.net.satang,
            "vat_rate": self.vat_rate,
        }

    @classmethod
    def from_detail(
        cls,
        number: str,
        issued_at: datetime,
        kiosk_order_id: str,
        detail: Mapping[str, object],
        *,
        test: bool,
    ) -> FullInvoice:
        def texts(value: object) -> dict[str, str]:
            return (
                {str(k): str(v) for k, v in dict(value).items()}
                if isinstance(value, Mapping)
                else {}
            )

        return cls(
            number=number,
            issued_at=issued_at,
            kiosk_order_id=kiosk_order_id,
            replaces=str(detail.get("replaces", "")),
            seller=texts(detail.get("seller")),
            buyer=texts(detail.get("buyer")),
            item=str(detail.get("item", "")),
            amount=Money(int(str(detail.get("amount_satang", 0)))),
            vat=Money(int(str(detail.get("vat_satang", 0)))),
            vat_rate=str(detail.get("vat_rate", "")),
            test=test,
        )


def full_invoice_blocks(invoice: FullInvoice) -> list[Block]:
    """A full tax invoice (s. 86/4), top to bottom."""
    seller, buyer = invoice.seller, invoice.buyer
    blocks: list[Block] = [Banner(text) for text in TEST_BANNERS] if invoice.test else []
    blocks += _seller(
        seller.get("name", ""),
        seller.get("address", ""),
        seller.get("tax_id", ""),
        seller.get("branch", ""),
    )
    blocks += [
        Rule(),
        Line(FULL_TITLE, Size.LARGE, bold=True, align=Align.CENTER),
        Line("TAX INVOICE", Size.BODY, bold=True, align=Align.CENTER),
        *_marks(False, invoice.copy, invoice.reprinted_at),
        Gap(0.3),
        Pair("เลขที่ No.", invoice.number, bold=True),
        Pair("วันที่ Date", format_datetime(invoice.issued_at, "th")),
        Pair("ออกแทน Replaces", invoice.replaces or "—"),
        Pair("รายการ Order", invoice.kiosk_order_id, Size.SMALL),
        Rule(),
        Line("ผู้ซื้อ BUYER", Size.BODY, bold=True),
        Line(buyer.get("name", ""), Size.BODY),
    ]
    blocks += [
        Line(r.strip(), Size.SMALL) for r in buyer.get("address", "").splitlines() if r.strip()
    ]
    blocks.append(Pair("เลขประจำตัวผู้เสียภาษี Tax ID", buyer.get("tax_id", "")))
    if buyer.get("branch"):
        blocks.append(Line(branch_text(buyer["branch"]), Size.SMALL))
    blocks += [
        Rule(),
        Line(f"1 x {invoice.item}", Size.BODY),
        Pair("", invoice.amount.on_paper()),
        Rule(),
        *_amounts(invoice.amount, invoice.vat, invoice.vat_rate),
        Rule(),
    ]
    blocks += [Banner(text) for text in TEST_BANNERS] if invoice.test else []
    return blocks


__all__ = [
    "ABB_TITLE",
    "FULL_TITLE",
    "FullInvoice",
    "abb_blocks",
    "branch_text",
    "full_invoice_blocks",
]
