"""A Z report on paper: receipt blocks, Thai and English, like a receipt.

Written for the manager who reads it: a batch's report (content version 3)
shows its number and time span, the money received by method, then what was
not paid (expired, cancelled, failed), the sales still open at the close in
plain words (waiting for payment, to be checked), payments that came in for
earlier batches, the receipt numbers it covers, the flagged sales, and at the
foot the perpetual grand total, the record count and the chain head (to
compare with the journal: README "Tamper-evident journal"). Dates carry the
Buddhist-era year (``kiosk.domain.thaidate``); amounts are written
"1,234.50 บาท" (``Money.on_paper``: OCR misreads ฿ as a digit). Internal
states (New, Creating) never appear. A report of one business day
(versions 1, 2) prints its stored figures the same way.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kiosk.domain.documents import z_number_text
from kiosk.domain.errors import Text
from kiosk.domain.labels import METHOD_LABELS
from kiosk.domain.order import Method, OrderState
from kiosk.domain.reports import BatchSale, OrderMark, Tally
from kiosk.domain.thaidate import format_date, format_datetime
from kiosk.receipts.layout import TEST_BANNERS, Align, Banner, Block, Gap, Line, Pair, Rule, Size
from kiosk.services.reports import date_of_day
from kiosk.services.zcontent import ZBatch, ZReport
from kiosk.services.zdocs import DocRange
from kiosk.services.zflags import attention_blocks, batch_attention_blocks

COPY_BANNER = "สำเนา COPY"
HASH_LINE = 16  # hex digits per printed line of the chain head (fits 58 mm paper)

# A sale open at the close, as a manager says it (never "New" or "Creating").
OPEN_WORDS: dict[OrderState, Text] = {
    OrderState.NEW: Text("to be checked", "รอตรวจสอบ"),
    OrderState.CREATING: Text("to be checked", "รอตรวจสอบ"),
    OrderState.AWAITING_PAYMENT: Text("waiting for payment", "รอชำระ"),
}


def z_blocks(report: ZReport, *, copy: bool = False) -> list[Block]:
    """The report as receipt blocks, top to bottom."""
    test = report.sandbox
    blocks: list[Block] = [Banner(text) for text in TEST_BANNERS] if test else []
    if report.shop_name:
        blocks.append(Line(report.shop_name, Size.LARGE, bold=True, align=Align.CENTER))
    title = "รายงานปิดวัน Z REPORT" if report.batch is None else "รายงานปิดรอบ Z REPORT"
    blocks.append(Line(title, Size.LARGE, bold=True, align=Align.CENTER))
    if copy:
        blocks.append(Banner(COPY_BANNER))
    if report.batch is None:
        blocks += _day_blocks(report)
    else:
        blocks += _batch_blocks(report, report.batch)
    blocks.append(Line("*** จบรายงาน END OF REPORT ***", Size.SMALL, align=Align.CENTER))
    blocks += [Banner(text) for text in TEST_BANNERS] if test else []
    return blocks


def _money_pair(label: str, tally: Tally, **kw: Any) -> Pair:
    return Pair(f"{label} ({tally.count})", tally.amount.on_paper(), **kw)


def _paid_blocks(report: ZReport) -> list[Block]:
    totals = report.totals
    blocks: list[Block] = [
        Line("ได้รับเงิน MONEY RECEIVED", Size.BODY, bold=True),
        _money_pair("ชำระแล้ว Paid", totals.paid, size=Size.LARGE, bold=True),
    ]
    for method in Method:
        en, th = METHOD_LABELS[method].en, METHOD_LABELS[method].th
        blocks.append(_money_pair(f"  {th} {en}", totals.method(method)))
    if totals.late.count:
        blocks.append(_money_pair("  รับล่าช้า Paid late", totals.late))
    abbs = report.batch.abbs if report.batch is not None else None
    if abbs is not None and abbs.vat is not None:
        blocks.append(Pair(f"  ภาษีมูลค่าเพิ่ม VAT ({abbs.count})", abbs.vat.on_paper(), bold=True))
    return blocks


def _not_paid_blocks(report: ZReport) -> list[Block]:
    totals = report.totals
    return [
        Line("ไม่ได้รับเงิน NOT PAID", Size.BODY, bold=True),
        _money_pair("  หมดเวลา Expired", totals.expired),
        _money_pair("  ยกเลิก Cancelled", totals.cancelled),
        _money_pair("  ไม่สำเร็จ Failed", totals.failed),
    ]


def _batch_blocks(report: ZReport, batch: ZBatch) -> list[Block]:
    totals = report.totals
    blocks: list[Block] = [
        Gap(0.3),
        Pair("เลขที่ No.", report.number_text, bold=True),
        Pair("รอบ Batch", str(report.number)),
        Pair("เครื่อง Terminal", f"{report.store_id}-{report.terminal_id}"),
        Pair("ตั้งแต่ From", _when(batch.opened_at)),
        Pair("ถึง To", _when(report.issued_at)),
        Pair("ฉบับก่อน Previous", report.previous_text),
        Rule(),
        *_paid_blocks(report),
        Rule(),
        *_not_paid_blocks(report),
        Rule(),
        _money_pair("ค้างตอนปิด Still open at close", totals.pending, bold=True),
    ]
    for sale in batch.open_at_close:
        blocks += _sale_lines(sale, sale.state, sandbox=report.sandbox)
    if batch.open_at_close:
        blocks.append(Line("  นับในรอบที่ชำระ Counted where they settle", Size.SMALL))
    if batch.paid_earlier:
        tally = Tally(len(batch.paid_earlier), sum(s.amount.satang for s in batch.paid_earlier))
        blocks += [
            Rule(),
            _money_pair("รับเงินของรอบก่อน Paid for earlier batches", tally, bold=True),
        ]
        for sale in batch.paid_earlier:
            blocks += _sale_lines(sale, None, sandbox=report.sandbox)
    blocks += [
        Rule(),
        *_receipt_range(report),
        Pair("รายการแรก First sale", _doc(report.first), Size.SMALL),
        Pair("รายการสุดท้าย Last sale", _doc(report.last), Size.SMALL),
        Rule(),
    ]
    if report.attention_open is not None:
        blocks += batch_attention_blocks(batch.opened_at, report.attention, report.attention_open)
    if report.attention_open:
        blocks.append(
            Line(
                f"ยังต้องตรวจสอบ {report.attention_open} รายการ"
                f" / {report.attention_open} still need attention",
                Size.SMALL,
                bold=True,
                align=Align.CENTER,
            )
        )
    blocks += [
        Pair("ยอดสะสม Grand total", batch.grand_total.on_paper(), bold=True),
        Pair("จำนวนบันทึก Records", str(batch.records)),
        Line("ห่วงโซ่ Chain head", Size.SMALL),
    ]
    head = batch.chain_head
    for start in range(0, len(head), HASH_LINE):
        blocks.append(Line(f"  {head[start : start + HASH_LINE]}", Size.SMALL))
    blocks.append(Rule())
    return blocks


def _sale_lines(sale: BatchSale, state: OrderState | None, *, sandbox: bool) -> list[Block]:
    """One sale a batch names, and on its own line why it is open or its batch."""
    if state is not None:
        words = OPEN_WORDS.get(state, Text(state.value, state.value))
        note = f"{words.th} {words.en}"
    else:
        batch = z_number_text(sale.batch, sandbox=sandbox)
        note = f"รอบ Batch {batch}" + (" ล่าช้า late" if sale.late else "")
    return [
        Pair(f"  {sale.kiosk_order_id}", sale.amount.on_paper(), Size.SMALL),
        Line(f"    {note}", Size.SMALL),
    ]


def _day_blocks(report: ZReport) -> list[Block]:
    """A report of one business day (before batches), as it was issued."""
    totals = report.totals
    day = format_date(date_of_day(report.business_day), "th")
    blocks: list[Block] = [
        Gap(0.3),
        Pair("เลขที่ No.", report.number_text, bold=True),
        Pair("วันที่ขาย Day", day),
        Pair("ออกเมื่อ Issued", _when(report.issued_at)),
        Pair("เครื่อง Terminal", f"{report.store_id}-{report.terminal_id}"),
        Pair("ฉบับก่อน Previous", report.previous_text),
        Rule(),
        *_paid_blocks(report),
        Rule(),
        *_not_paid_blocks(report),
        _money_pair("ค้างตอนปิด Still open", totals.pending),
        Pair("รวมรายการ Sales", str(totals.orders.count), bold=True),
        Rule(),
        Pair("รายการแรก First sale", _mark(report.first), Size.SMALL),
        Pair("รายการสุดท้าย Last sale", _mark(report.last), Size.SMALL),
        Rule(),
    ]
    if report.attention_open is not None:  # None: issued before the list existed
        blocks += attention_blocks(report.business_day, report.attention, report.attention_open)
    if totals.pending.count:
        blocks.append(
            Line(
                f"ยังค้าง {totals.pending.count} รายการ / {totals.pending.count} still open",
                Size.SMALL,
                align=Align.CENTER,
            )
        )
    if report.attention_open:
        blocks.append(
            Line(
                f"ยังต้องตรวจสอบ {report.attention_open} รายการ"
                f" / {report.attention_open} still need attention",
                Size.SMALL,
                bold=True,
                align=Align.CENTER,
            )
        )
    return blocks


def _when(at: datetime) -> str:
    """Bangkok time with the Buddhist-era year: ``24/11/2569 08:00:00``."""
    return format_datetime(at, "th", seconds=True)


def _mark(mark: OrderMark | None) -> str:
    if mark is None:
        return "—"
    return f"{mark.kiosk_order_id} {format_datetime(mark.created_at, 'th', seconds=True)[-8:]}"


def _receipt_range(report: ZReport) -> list[Block]:
    """The batch's receipt numbers, as chained in the journal (batch reports only)."""
    if report.batch is None:
        return []
    batch = report.batch
    blocks: list[Block] = []
    if batch.slips is not None:
        blocks += _doc_range("สลิป Slips", batch.slips)
    elif batch.receipts is not None:  # a report from before prefixed numbers
        first, last = batch.receipts
        blocks += [
            Pair("ใบเสร็จแรก First receipt", f"{first:06d}"),
            Pair("ใบเสร็จสุดท้าย Last receipt", f"{last:06d}"),
        ]
    if batch.abbs is not None:
        blocks += _doc_range("ใบกำกับภาษีอย่างย่อ Tax invoices", batch.abbs)
    return blocks or [Pair("ใบเสร็จ Receipts", "ไม่มี none")]


def _doc_range(title: str, docs: DocRange) -> list[Block]:
    return [
        Line(f"{title} ({docs.count})", Size.BODY),
        Pair("  แรก First", docs.first),
        Pair("  สุดท้าย Last", docs.last),
    ]


def _doc(mark: OrderMark | None) -> str:
    return "—" if mark is None else mark.kiosk_order_id


__all__ = ["COPY_BANNER", "OPEN_WORDS", "z_blocks"]
