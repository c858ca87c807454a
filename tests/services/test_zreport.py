"""Z reports: each closes a batch; numbered, immutable once issued, printed and PDF; old ones load.

The batch rules themselves (midnight, late payments, every paid sale in one Z):
tests/services/test_batches.py."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from kiosk.domain.attention import Attention, Outcome, Reason
from kiosk.domain.clock import ManualClock
from kiosk.domain.errors import PrinterUnavailable
from kiosk.domain.money import Money
from kiosk.domain.order import Method, OrderState
from kiosk.infra.config import PrinterSettings, StoreSettings
from kiosk.receipts.layout import Banner, Block, Pair, paper_of, plain_text
from kiosk.services.zreport import ZFlag, ZReport, ZReportService, paper_writer, z_blocks
from kiosk.store.journal import Journal
from kiosk.store.reports import StoredZReport, Tally
from tests.fakes import run
from tests.journal_data import DAY, T0, a_day_of_sales, sell

S = OrderState
STORE = StoreSettings(name="ร้านทดสอบ Test Shop", store_id="S001", terminal_id="T01")
EVENING = T0 + timedelta(hours=12)  # 22:00 in Bangkok


class FakePrinter:
    def __init__(self, fail: bool = False) -> None:
        self.jobs: list[tuple[str, list[Block]]] = []
        self.fail = fail

    async def print_blocks(self, blocks: list[Block], name: str) -> str:
        if self.fail:
            raise PrinterUnavailable("printer off")
        self.jobs.append((name, blocks))
        return f"printed {name}"


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    with Journal.open(tmp_path / "journal.sqlite3") as j:
        yield j


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(EVENING)


def service(journal: Journal, clock: ManualClock, tmp_path: Path, **kw: object) -> ZReportService:
    return ZReportService(
        journal=journal,
        clock=clock,
        store=STORE,
        folder=tmp_path / "reports",
        **kw,  # type: ignore[arg-type]
    )


def text_of(blocks: list[Block]) -> str:
    return plain_text(blocks, 48)


def test_closing_issues_report_1_with_the_batchs_figures(
    journal: Journal, clock: ManualClock, tmp_path: Path
) -> None:
    orders = a_day_of_sales(journal)
    closing = service(journal, clock, tmp_path).close()
    assert closing.issued
    report = closing.report
    assert report is not None
    assert report.number == 1 and report.previous_number is None
    assert report.number_text == "Z000001" and report.previous_text == "—"
    assert report.business_day == DAY and report.issued_at == EVENING
    assert report.batch is not None and report.batch.opened_at == orders[0].created_at
    assert report.totals.paid == Tally(7, 226075)
    assert report.totals.method(Method.QR) == Tally(5, 191525)
    assert report.totals.late == Tally(2, 38000)
    assert report.totals.pending == Tally(2, 11500)
    assert report.first is not None and report.first.kiosk_order_id == orders[0].kiosk_order_id
    assert report.last is not None and report.last.kiosk_order_id == orders[-1].kiosk_order_id
    assert "Z000001" in closing.text().en and "24/11/2569" in closing.text().th
    assert "24/11/2026" in closing.text().en  # English: the common era


def set_time(clock: ManualClock, at: datetime) -> None:
    clock.advance((at - clock.now()).total_seconds())


def closed(zs: ZReportService) -> ZReport:
    closing = zs.close()
    assert closing.issued and closing.report is not None
    return closing.report


def test_numbering_follows_on_and_names_the_previous_report(
    journal: Journal, clock: ManualClock, tmp_path: Path
) -> None:
    zs = service(journal, clock, tmp_path)
    sell(journal, T0 - timedelta(days=1), 100)
    set_time(clock, T0 - timedelta(hours=12))  # 22:00 the day before
    first = closed(zs)
    sell(journal, T0, 200)
    set_time(clock, EVENING)
    second = closed(zs)
    assert (first.number, first.previous_number) == (1, None)
    assert (second.number, second.previous_number) == (2, 1)
    assert second.previous_text == "Z000001"
    assert "ฉบับก่อน Previous" in text_of(z_blocks(second))
    assert "Z000001" in text_of(z_blocks(second))
    assert (first.totals.paid.satang, second.totals.paid.satang) == (10000, 20000)
    assert second.batch is not None and second.batch.grand_total == Money(30000)
    assert zs.latest() == second and zs.report(1) == first
    assert zs.report_for("20261123") == first and zs.report_for(DAY) == second


def test_nothing_to_close_is_said_and_an_issued_report_never_changes(
    journal: Journal, clock: ManualClock, tmp_path: Path
) -> None:
    zs = service(journal, clock, tmp_path)
    empty = zs.close()
    assert not empty.issued and empty.report is None
    assert "no sale has been recorded yet" in empty.text().en
    a_day_of_sales(journal)
    issued = closed(zs)
    clock.advance(600)
    again = zs.close()
    assert not again.issued and again.report == issued
    assert "nothing was recorded since Z report Z000001 (24/11/2026 22:00)" in again.text().en
    assert "ไม่มีรายการให้ปิด" in again.text().th
    # A late payment after closing goes to the next batch, never into the report.
    late = sell(journal, T0 + timedelta(hours=6), 500, outcome=S.EXPIRED)
    paid, record = late.transition(S.PAID, clock.now(), gateway_charge_id="chrg_late")
    journal.record(paid, record)
    assert zs.report(1) == issued
    second = closed(zs)
    assert second.number == 2 and second.totals.paid == Tally(1, 50000)
    assert [z.number for z in zs.reports.store.z_reports()] == [1, 2]


def test_the_stored_report_is_what_was_issued(
    journal: Journal, clock: ManualClock, tmp_path: Path
) -> None:
    a_day_of_sales(journal)
    report = closed(service(journal, clock, tmp_path))
    with sqlite3.connect(journal.path) as db:
        (content,) = db.execute("SELECT content FROM z_reports WHERE number = 1").fetchone()
        with pytest.raises(sqlite3.IntegrityError, match="immutable"):
            db.execute("UPDATE z_reports SET content = ? WHERE number = 1", (content,))
    data = json.loads(content)
    assert data["version"] == 3 and data["kind"] == "batch"
    assert data["totals"]["by_outcome"]["paid"] == {"count": 7, "amount": "2260.75"}
    assert data["totals"]["by_method"]["wechat"] == {"count": 2, "amount": "345.50"}
    assert data["previous_number"] is None and data["shop_name"] == STORE.name
    assert data["grand_total"] == "2260.75" and data["records"] == 45
    assert data == json.loads(report.to_json())
    assert ZReport.from_stored(service(journal, clock, tmp_path).reports.store.z_reports()[0]) == (
        report
    )


def test_the_report_shows_payments_outcomes_open_sales_documents_and_the_chain(
    journal: Journal, clock: ManualClock, tmp_path: Path
) -> None:
    a_day_of_sales(journal)
    report = closed(service(journal, clock, tmp_path))
    blocks = z_blocks(report)
    pairs = {b.label.strip(): b.value for b in blocks if isinstance(b, Pair)}
    # Buddhist-era dates; amounts as "… บาท" (never ฿, which OCR reads as a digit).
    assert pairs["รอบ Batch"] == "1" and pairs["ตั้งแต่ From"] == "24/11/2569 08:00:00"
    assert pairs["ถึง To"] == "24/11/2569 22:00:00"
    assert pairs["ชำระแล้ว Paid (7)"] == Money(226075).on_paper() == "2,260.75 บาท"
    assert pairs["วีแชทเพย์ WeChat Pay (2)"] == "345.50 บาท"
    assert pairs["รับล่าช้า Paid late (2)"] == "380.00 บาท"
    # Not paid: every move into it in the batch (a late payment ended expired first).
    assert pairs["หมดเวลา Expired (2)"] == "200.00 บาท"
    assert pairs["ยกเลิก Cancelled (2)"] == "399.00 บาท"
    assert pairs["ไม่สำเร็จ Failed (1)"] == "12.00 บาท"
    assert pairs["ค้างตอนปิด Still open at close (2)"] == "115.00 บาท"
    assert re.fullmatch(r"S001-T01-20261124-0001-[A-Z2-7]{4}", pairs["รายการแรก First sale"])
    assert re.fullmatch(r"S001-T01-20261124-0012-[A-Z2-7]{4}", pairs["รายการสุดท้าย Last sale"])
    assert pairs["ยอดสะสม Grand total"] == "2,260.75 บาท" and pairs["จำนวนบันทึก Records"] == "45"
    assert report.batch is not None
    head = report.batch.chain_head
    text = text_of(blocks)
    assert len(head) == 64 and all(head[i : i + 16] in text for i in range(0, 64, 16))
    assert "รอชำระ waiting for payment" in text and "Z000001 ล่าช้า late" in text
    # Words a manager uses: no internal state names, no baht sign.
    for internal in ("Creating", "กำลังสร้าง", "New", "Awaiting", "฿"):
        assert internal not in text
    assert not any(isinstance(b, Banner) for b in blocks)
    assert any(isinstance(b, Banner) for b in z_blocks(report, copy=True))


def test_output_prints_and_saves_the_pdf_once(
    journal: Journal, clock: ManualClock, tmp_path: Path
) -> None:
    a_day_of_sales(journal)
    written: list[Path] = []

    def writer(blocks: list[Block], path: Path) -> None:
        written.append(path)
        path.write_text(text_of(blocks), encoding="utf-8")

    printer = FakePrinter()
    zs = service(journal, clock, tmp_path, printer=printer, pdf_writer=writer)
    report = closed(zs)
    out = run(zs.output(report))
    assert out.pdf == tmp_path / "reports" / "z-000001.pdf" and out.pdf.exists()
    assert "Z000001" in out.pdf.read_text(encoding="utf-8")
    assert out.printed == "printed z-000001" and out.errors == ()
    copy = run(zs.output(report, copy=True))
    assert len(written) == 1 and copy.pdf == out.pdf  # the PDF is kept, not rewritten
    assert printer.jobs[1][0] == "z-000001-copy"
    assert any(isinstance(b, Banner) for b in printer.jobs[1][1])
    assert "Printed." in out.text().en and "PDF:" in out.text().th


def test_printer_trouble_is_said_and_the_report_stands(
    journal: Journal, clock: ManualClock, tmp_path: Path
) -> None:
    zs = service(journal, clock, tmp_path, printer=FakePrinter(fail=True))
    sell(journal, T0, 10)
    report = closed(zs)
    out = run(zs.output(report))
    assert out.printed is None and out.pdf is None
    assert "Cannot reach the receipt printer" in out.text().en
    assert zs.report_for(DAY) == report


def test_the_real_pdf_writer(
    qapp: QApplication, journal: Journal, clock: ManualClock, tmp_path: Path
) -> None:
    from kiosk.receipts import qt_pdf

    a_day_of_sales(journal)
    writer = paper_writer(qt_pdf.write_pdf, paper_of(PrinterSettings()))
    zs = service(journal, clock, tmp_path, pdf_writer=writer)
    report = closed(zs)
    path = tmp_path / "z.pdf"
    writer(z_blocks(report), path)
    data = path.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 2000


def flag(
    journal: Journal,
    order_id: str,
    reason: Reason,
    at: datetime,
    raw: tuple[tuple[str, str], ...] = (),
) -> None:
    assert journal.flag_attention(Attention(order_id, reason, at, raw=raw))


def test_every_z_lists_the_batchs_flagged_sales_and_the_flags_still_open(
    journal: Journal, clock: ManualClock, tmp_path: Path
) -> None:
    zs = service(journal, clock, tmp_path)
    yesterday_open = sell(journal, T0 - timedelta(days=1), 300, outcome=S.EXPIRED)
    yesterday_cleared = sell(journal, T0 - timedelta(days=1, hours=1), 40, outcome=S.FAILED)
    flag(journal, yesterday_open.kiosk_order_id, Reason.NOT_NAMED, T0 - timedelta(days=1))
    flag(journal, yesterday_cleared.kiosk_order_id, Reason.CURRENCY, T0 - timedelta(days=1))
    assert journal.clear_attention(
        yesterday_cleared.kiosk_order_id, Outcome.ACCEPTED, T0 - timedelta(hours=20)
    )
    set_time(clock, T0 - timedelta(hours=12))  # yesterday's close
    yesterday = closed(zs)
    assert [f.kiosk_order_id for f in yesterday.attention] == [
        yesterday_open.kiosk_order_id,
        yesterday_cleared.kiosk_order_id,
    ]
    set_time(clock, EVENING)
    orders = a_day_of_sales(journal)
    cancelled, failed = orders[3], orders[5]  # 09:01 ฿99, 10:02 ฿12
    raw = (("amount", "1.0"), ("currency", "THB"), ("order_id", "order_0004"))
    flag(journal, cancelled.kiosk_order_id, Reason.AMOUNT, T0, raw)
    flag(journal, failed.kiosk_order_id, Reason.OTHER_ORDER, T0 + timedelta(hours=1))
    cleared_at = T0 + timedelta(hours=2)
    assert journal.clear_attention(cancelled.kiosk_order_id, Outcome.REFUNDED, cleared_at, "slip 7")

    report = closed(zs)

    assert [f.kiosk_order_id for f in report.attention] == [
        cancelled.kiosk_order_id,
        failed.kiosk_order_id,
        yesterday_open.kiosk_order_id,  # open, of an earlier batch: on every Z until cleared
    ]
    refunded, still_open, older = report.attention
    assert refunded == ZFlag(
        kiosk_order_id=cancelled.kiosk_order_id,
        created_at=cancelled.created_at,
        amount=Money(9900),
        reason=Reason.AMOUNT,
        raised_at=T0,
        reported_amount="1.0",
        reported_currency="THB",
        cleared_at=cleared_at,
        outcome=Outcome.REFUNDED,
        note="slip 7",
    )
    assert still_open.is_open and still_open.reported == "" and still_open.outcome is None
    assert report.day_flags == (refunded, still_open) and report.other_open_flags == (older,)
    assert report.attention_open == 2

    content = zs.reports.store.z_reports()[1].content
    data = json.loads(content)
    assert data["attention_open"] == 2
    assert data["attention"][0]["reason"] == "paid_amount_mismatch"
    assert data["attention"][0]["outcome"] == "refunded"
    assert data["attention"][0]["reported_amount"] == "1.0"
    assert data["attention"][1]["cleared_at"] is None
    assert ZReport.from_stored(zs.reports.store.z_reports()[1]) == report

    text = text_of(z_blocks(report))
    assert "NEEDS ATTENTION (2)" in text
    assert "Bank said: 1.0 THB" in text
    assert "Refunded 24/11/2569 12:00" in text and "Note: slip 7" in text
    assert text.count("STILL OPEN") == 2
    assert "OPEN FROM EARLIER BATCHES (1)" in text
    assert "2 still need attention" in text
    assert yesterday_cleared.kiosk_order_id not in text

    # Clearing after the Z changes the journal, never the issued report.
    assert journal.clear_attention(failed.kiosk_order_id, Outcome.ACCEPTED, clock.now())
    assert zs.report(2) == report and zs.open_flags() == 1


def test_a_day_without_flags_says_none(
    journal: Journal, clock: ManualClock, tmp_path: Path
) -> None:
    a_day_of_sales(journal)
    report = closed(service(journal, clock, tmp_path))
    assert report.attention == () and report.attention_open == 0
    text = text_of(z_blocks(report))
    assert "NEEDS ATTENTION (0)" in text and "None" in text
    assert "still need attention" not in text


def day_report_content(version: int) -> str:
    """A Z report of one business day as kiosks before batches stored it (content 1 or 2)."""
    tally = {"count": 0, "amount": "0.00"}
    data: dict[str, object] = {
        "version": version,
        "number": 1,
        "previous_number": None,
        "business_day": DAY,
        "store_id": "S001",
        "terminal_id": "T01",
        "shop_name": "ร้านเก่า",
        "issued_at": EVENING.isoformat(),
        "states": {
            **{s.value: tally for s in S},
            "paid": {"count": 7, "amount": "2260.75"},
            "awaiting_payment": {"count": 1, "amount": "55.00"},
        },
        "paid_by_method": {"qr": {"count": 7, "amount": "2260.75"}, "wechat": tally},
        "late": {"count": 2, "amount": "380.00"},
        "first_order": {"kiosk_order_id": "S001-T01-20261124-0001", "created_at": T0.isoformat()},
        "last_order": None,
    }
    if version >= 2:
        data |= {"attention": [], "attention_open": 0}
    return json.dumps(data, ensure_ascii=False)


@pytest.mark.parametrize("version", [1, 2])
def test_a_days_report_from_before_batches_reads_and_prints_as_issued(
    version: int, journal: Journal, clock: ManualClock, tmp_path: Path
) -> None:
    old = StoredZReport(
        number=1,
        business_day=DAY,
        store_id="S001",
        terminal_id="T01",
        issued_at=EVENING,
        previous_number=None,
        content=day_report_content(version),
    )
    report = ZReport.from_stored(old)
    assert report.batch is None and report.totals.paid == Tally(7, 226075)
    assert report.totals.pending == Tally(1, 5500) and report.attention == ()
    assert report.attention_open == (None if version == 1 else 0)
    text = text_of(z_blocks(report))
    assert "รายงานปิดวัน Z REPORT" in text and "NOT PAID" in text and "24/11/2569" in text
    assert "Creating" not in text and "กำลังสร้าง" not in text
    assert ("NEEDS ATTENTION" in text) == (version == 2) and "Grand total" not in text
    assert "1 still open" in text and "END OF REPORT" in text
    record = report.record()
    assert record["batch"] == 1 and record["paid_total"] == "2260.75" and "chain_head" not in record
    # Printing a copy of it after the upgrade names the file as every Z is named now.
    zs = service(journal, clock, tmp_path)
    assert zs.pdf_path(report).name == "z-000001.pdf"


def test_close_json_times_are_bangkok_but_the_stored_content_is_as_before(
    journal: Journal, clock: ManualClock, tmp_path: Path
) -> None:
    a_day_of_sales(journal)
    report = closed(service(journal, clock, tmp_path))
    assert report.batch is not None
    record = report.record()
    assert record["closed_at"] == "2026-11-24T22:00:00+07:00"
    assert datetime.fromisoformat(record["closed_at"]) == report.issued_at
    assert record["opened_at"].endswith("+07:00")
    for sale in record["open_at_close"] + record["late"]:
        assert sale["created_at"].endswith("+07:00")
    # What the journal keeps (and chains) is written as it always was.
    stored = json.loads(report.to_json())
    assert stored["closed_at"] == report.issued_at.isoformat()
    assert stored["opened_at"] == report.batch.opened_at.isoformat()
    assert not stored["closed_at"].endswith("+07:00")


def test_an_abb_shops_z_names_its_tax_invoices_and_their_vat_and_a_test_z_says_test(
    journal: Journal, clock: ManualClock, tmp_path: Path
) -> None:
    from kiosk.domain.documents import Series
    from kiosk.infra.config import ReceiptSettings
    from kiosk.receipts.layout import TEST_BANNERS
    from kiosk.receipts.tax import abb_detail
    from tests.journal_data import sell

    abb = ReceiptSettings(tax_invoice="abb", pos_id="E1")
    for baht in (107, 300):
        order = sell(journal, T0, baht)
        journal.issue_document(order.kiosk_order_id, Series.ABB, T0, detail=abb_detail(order, abb))
    report = closed(service(journal, clock, tmp_path))
    assert report.batch is not None and report.batch.abbs is not None
    assert report.record()["tax_invoices"] == {
        "first": "ABB-T01-000001",
        "last": "ABB-T01-000002",
        "count": 2,
        "vat": "26.63",  # 7.00 + 19.63, each as issued
    }
    stored = ZReport.from_stored(service(journal, clock, tmp_path).reports.store.z_reports()[0])
    assert stored == report
    text = text_of(z_blocks(report))
    assert "VAT (2)" in text and "26.63 บาท" in text and "ABB-T01-000002" in text
    assert not any(banner in text for banner in TEST_BANNERS)
    # The next batch has none: no VAT line, no range.
    sell(journal, T0, 5)
    clock.advance(3600)
    second = closed(service(journal, clock, tmp_path))
    assert second.batch is not None and second.batch.abbs is None
    assert "VAT" not in text_of(z_blocks(second))

    # A sandbox kiosk's Z (a test batch) says TEST in large type, top and bottom.
    sell(journal, T0, 9, sandbox=True)
    clock.advance(3600)
    test = closed(service(journal, clock, tmp_path, sandbox=True))
    blocks = z_blocks(test)
    assert isinstance(blocks[0], Banner) and blocks[0].text in TEST_BANNERS
    assert isinstance(blocks[-1], Banner)
