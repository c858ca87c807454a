"""Full tax invoices on request and the month's sales-tax report (issue 17)."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from kiosk.domain.clock import ManualClock
from kiosk.domain.documents import Series
from kiosk.domain.errors import DocumentRefused, InputError
from kiosk.domain.money import Money
from kiosk.domain.order import Method, Order, OrderState
from kiosk.infra.config import ReceiptSettings, Settings, StoreSettings
from kiosk.receipts.layout import Block, plain_text
from kiosk.receipts.tax import abb_detail
from kiosk.services.tax_invoices import Buyer, InvalidBuyer, NotAbbShop, TaxInvoiceDesk
from kiosk.services.tax_report import parse_month, tax_days, tax_report_bytes
from kiosk.store.journal import Journal
from tests.receipts.conftest import START

S = OrderState
STORE = StoreSettings(name="ร้านอาหารบ้านสวน", store_id="S001", terminal_id="T01")
ABB = ReceiptSettings(
    address="1 ถนนพระราม 4 กรุงเทพฯ",
    tax_id="0105561234567",
    tax_invoice="abb",
    pos_id="E0512345",
    branch="00000",
)
SETTINGS = Settings(store=STORE, receipt=ABB)
BUYER = Buyer.checked("บริษัท ตัวอย่าง จำกัด", "99 ถนนสีลม\nกรุงเทพฯ 10500", "1101700207030")


def sale(
    journal: Journal, satang: int, *, end: OrderState = S.PAID, sandbox: bool = False, at=START
) -> Order:
    order = journal.new_order(
        store_id="S001",
        terminal_id="T01",
        amount=Money(satang),
        method=Method.QR,
        created_at=at,
        sandbox=sandbox,
    )
    for state in (S.CREATING, S.AWAITING_PAYMENT, end):
        order, move = order.transition(state, at)
        journal.record(order, move)
    return order


def abb(journal: Journal, order: Order, settings: ReceiptSettings = ABB, at=START) -> None:
    series = Series.ABB.for_sandbox(order.sandbox)
    journal.issue_document(order.kiosk_order_id, series, at, detail=abb_detail(order, settings))


class Pdfs:
    def __init__(self) -> None:
        self.written: dict[Path, list[Block]] = {}

    def __call__(self, blocks: list[Block], path: Path, title: str) -> None:
        path.write_text(plain_text(blocks, 48), encoding="utf-8")
        self.written[path] = blocks


def desk(journal: Journal, tmp_path: Path, settings: Settings = SETTINGS) -> TaxInvoiceDesk:
    return TaxInvoiceDesk(
        journal=journal,
        settings=settings,
        clock=ManualClock(START + timedelta(hours=2)),
        folder=tmp_path / "invoices",
        write_pdf=Pdfs(),
    )


def test_a_full_tax_invoice_replaces_the_abb_with_its_figures(tmp_path: Path) -> None:
    with Journal.open(tmp_path / "journal.sqlite3") as journal:
        order = sale(journal, 30000)
        abb(journal, order)
        issued = desk(journal, tmp_path).issue(order.kiosk_order_id, BUYER)
        (document,) = [
            d for d in journal.documents_for(order.kiosk_order_id) if d.series is Series.FULL
        ]
    assert issued.number == "INV-T01-000001" and issued.copy == 0
    assert issued.pdf == tmp_path / "invoices" / "INV-T01-000001.pdf" and issued.pdf.exists()
    assert document.detail["replaces"] == "ABB-T01-000001"
    assert document.detail["vat_satang"] == 1963 and document.detail["vat_rate"] == "7"
    assert document.detail["buyer"] == BUYER.record()
    text = " ".join(issued.pdf.read_text(encoding="utf-8").split())
    for words in (
        "ใบกำกับภาษี TAX INVOICE",
        "เลขที่ No. INV-T01-000001",
        "ออกแทน Replaces ABB-T01-000001",
        "บริษัท ตัวอย่าง จำกัด",
        "99 ถนนสีลม กรุงเทพฯ 10500",
        "Tax ID 1101700207030",
        f"TAX ID {ABB.tax_id}",
        "สำนักงานใหญ่ Head office",
        "VAT 7% 19.63 บาท",
        "มูลค่าสินค้า Net 280.37 บาท",
        "รวมทั้งสิ้น TOTAL 300.00 บาท",
        "วันที่ Date 24/11/2569 12:00",
    ):
        assert words in text, words
    assert issued.record()["number"] == "INV-T01-000001"
    assert issued.record()["pdf"] == str(issued.pdf)


def test_a_second_request_prints_a_copy_of_the_first(tmp_path: Path) -> None:
    with Journal.open(tmp_path / "journal.sqlite3") as journal:
        order = sale(journal, 10700)
        abb(journal, order)
        first = desk(journal, tmp_path).issue(order.kiosk_order_id, BUYER)
        other = Buyer.checked("Someone Else", "Elsewhere", "1101700207030")
        again = desk(journal, tmp_path).issue(order.kiosk_order_id, other)
        nxt = sale(journal, 5000)
        second = desk(journal, tmp_path).issue(nxt.kiosk_order_id, BUYER)
        copies = [
            d.copy for d in journal.documents_for(order.kiosk_order_id) if d.series is Series.FULL
        ]
    assert again.number == first.number == "INV-T01-000001" and again.copy == 1
    assert again.invoice.buyer == first.invoice.buyer  # a copy of the first, not a new invoice
    assert again.pdf is not None and again.pdf.name == "INV-T01-000001-copy-1.pdf"
    assert "COPY" in again.pdf.read_text(encoding="utf-8")
    assert copies == [0, 1]
    # A sale without an ABB: the VAT from the settings' rate, nothing replaced.
    assert second.number == "INV-T01-000002" and second.invoice.replaces == ""
    assert second.invoice.vat == Money(327)  # 5 000 × 7 / 107 = 327.1 satang


def test_refusals_exit_2(tmp_path: Path) -> None:
    with Journal.open(tmp_path / "journal.sqlite3") as journal:
        unpaid = sale(journal, 5000, end=S.EXPIRED)
        paid = sale(journal, 5000)
        with pytest.raises(DocumentRefused) as refused:
            desk(journal, tmp_path).issue(unpaid.kiosk_order_id, BUYER)
        assert refused.value.exit_code == 2
        none_mode = replace(SETTINGS, receipt=replace(ABB, tax_invoice="none"))
        with pytest.raises(NotAbbShop) as off:
            desk(journal, tmp_path, none_mode).issue(paid.kiosk_order_id, BUYER)
        assert off.value.exit_code == 2
        with pytest.raises(InputError):
            desk(journal, tmp_path).issue("S001-T01-20261124-0999-ZZZZ", BUYER)
        assert journal.documents_for(unpaid.kiosk_order_id) == []
    for name, address, tax_id, branch in (
        ("A", "B", "1101700207031", ""),  # wrong check digit
        ("A", "B", "110170020703", ""),
        ("", "B", "1101700207030", ""),
        ("A", "  ", "1101700207030", ""),
        ("A", "B", "1101700207030", "1"),
    ):
        with pytest.raises(InvalidBuyer) as bad:
            Buyer.checked(name, address, tax_id, branch)
        assert bad.value.exit_code == 2
    assert Buyer.checked("A", "B", "1-1017-00207-03-0", "00001").tax_id == "1101700207030"


def test_a_sandbox_sale_gets_a_test_invoice(tmp_path: Path) -> None:
    with Journal.open(tmp_path / "journal.sqlite3") as journal:
        order = sale(journal, 5000, sandbox=True)
        abb(journal, order)
        issued = desk(journal, tmp_path).issue(order.kiosk_order_id, BUYER)
    assert (
        issued.number == "TEST-INV-T01-000001" and issued.invoice.replaces == "TEST-ABB-T01-000001"
    )
    assert issued.pdf is not None and "TEST — NOT A RECEIPT" in issued.pdf.read_text(
        encoding="utf-8"
    )


def test_the_sales_tax_report_sums_each_day_and_terminal(tmp_path: Path) -> None:
    next_day = START + timedelta(days=1)
    with Journal.open(tmp_path / "journal.sqlite3") as journal:
        for satang in (10700, 30000):
            abb(journal, sale(journal, satang))
        abb(journal, sale(journal, 5000, at=next_day), at=next_day)
        ten = replace(ABB, vat_rate="10")  # a later rate: each invoice keeps its own
        abb(journal, sale(journal, 11000, at=next_day), ten, at=next_day)
        abb(journal, sale(journal, 9999, sandbox=True))  # a test sale is not a sale
        abb(
            journal,
            sale(journal, 7000, at=START - timedelta(days=30)),
            at=START - timedelta(days=30),
        )
        rows = [row.record() for row in tax_days(journal, "2026-11")]
        csv_data = tax_report_bytes(journal, "2026-11", "csv")
        json_data = tax_report_bytes(journal, "2026-11", "json")
        assert tax_days(journal, "2026-12") == []
        october = tax_days(journal, "2026-10")
    assert rows == [
        {
            "day": "2026-11-24",
            "terminal": "T01",
            "first": "ABB-T01-000001",
            "last": "ABB-T01-000002",
            "count": 2,
            "total": "407.00",
            "vat": "26.63",
            "net": "380.37",
        },
        {
            "day": "2026-11-25",
            "terminal": "T01",
            "first": "ABB-T01-000003",
            "last": "ABB-T01-000004",
            "count": 2,
            "total": "160.00",
            "vat": "13.27",
            "net": "146.73",
        },
    ]
    assert [r.record()["first"] for r in october] == ["ABB-T01-000005"]  # TEST-ABB apart
    assert json.loads(json_data) == rows
    table = list(csv.DictReader(io.StringIO(csv_data.decode("utf-8-sig"))))
    assert [dict(r) for r in table] == [{k: str(v) for k, v in r.items()} for r in rows]
    with pytest.raises(InputError):
        parse_month("2026-13")
    with pytest.raises(InputError):
        parse_month("11/2026")
