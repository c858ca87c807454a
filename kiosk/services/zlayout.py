"""A Z report on paper: receipt blocks, Thai and English, like a receipt.

A batch's report (content version 3) shows its span, the payments by method,
the sales by outcome, the sales open at the close, payments for earlier
batches with their original batch, the first and last document, the flagged
sales, and at the foot the perpetual grand total, the record count and the
chain head (to compare with the journal: README "Tamper-evident journal").
A report of one business day (versions 1, 2) prints as it was issued.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kiosk.domain.labels import METHOD_LABELS, STATE_LABELS
from kiosk.domain.order import BANGKOK, Method, OrderState
from kiosk.domain.reports import BatchSale, OrderMark, Tally
from kiosk.receipts.layout import Align, Banner, Block, Gap, Line, Pair, Rule, Size
from kiosk.services.reports import date_of_day
from kiosk.services.zcontent import ZBatch, ZReport
from kiosk.services.zflags import attention_blocks, batch_attention_blocks

COPY_BANNER = "สำเนา COPY"
HASH_LINE = 32  # hex digits per printed line of the chain head


def z_blocks(report: ZReport, *, copy: bool = False) -> list[Block]:
    """The report as receipt blocks, top to bottom."""
    blocks: list[Block] = []
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
    return blocks


def _money_pair(label: str, tally: Tally, **kw: Any) -> Pair:
    return Pair(f"{label} ({tally.count})", tally.amount.thb(), **kw)


def _paid_blocks(report: ZReport) -> list[Block]:
    totals = report.totals
    blocks: list[Block] = [_money_pair("ชำระแล้ว Paid", totals.paid, size=Size.LARGE, bold=True)]
    for method in Method:
        en, th = METHOD_LABELS[method].en, METHOD_LABELS[method].th
        blocks.append(_money_pair(f"  {th} {en}", totals.method(method)))
    if totals.late.count:
        blocks.append(_money_pair("  รับล่าช้า Late", totals.late))
    return blocks


def _batch_blocks(report: ZReport, batch: ZBatch) -> list[Block]:
    totals = report.totals
    blocks: list[Block] = [
        Gap(0.3),
        Pair("เลขที่ No.", report.number_text, bold=True),
        Pair("รอบ Batch", str(report.number)),
        Pair("เปิด Opened", _when(batch.opened_at)),
        Pair("ปิด Closed", _when(report.issued_at)),
        Pair("เครื่อง Terminal", f"{report.store_id}-{report.terminal_id}"),
        Pair("ฉบับก่อน Previous", report.previous_text),
        Rule(),
        *_paid_blocks(report),
        Rule(),
        Line("ผลการขาย BY OUTCOME", Size.BODY, bold=True),
        _money_pair("  ชำระแล้ว Paid", totals.paid),
        _money_pair("  หมดเวลา Expired", totals.expired),
        _money_pair("  ยกเลิก Cancelled", totals.cancelled),
        _money_pair("  ไม่สำเร็จ Failed", totals.failed),
        Rule(),
        _money_pair("ยังไม่จบ Open at close", totals.pending, bold=True),
    ]
    blocks += [_sale_line(sale, sale.state) for sale in batch.open_at_close]
    if batch.open_at_close:
        blocks.append(Line("  นับในรอบที่ชำระ Counted where they settle", Size.SMALL))
    if batch.paid_earlier:
        tally = Tally(len(batch.paid_earlier), sum(s.amount.satang for s in batch.paid_earlier))
        blocks += [
            Rule(),
            _money_pair("รับล่าช้า/รอบก่อน Late / earlier", tally, bold=True),
            *[_sale_line(sale, None) for sale in batch.paid_earlier],
        ]
    blocks += [
        Rule(),
        Pair("เอกสารแรก First doc", _doc(report.first)),
        Pair("เอกสารสุดท้าย Last doc", _doc(report.last)),
        *_receipt_range(report),
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
        Pair("ยอดสะสม Grand total", batch.grand_total.thb(), bold=True),
        Pair("จำนวนบันทึก Records", str(batch.records)),
        Line("ห่วงโซ่ Chain head", Size.SMALL),
    ]
    head = batch.chain_head
    for start in range(0, len(head), HASH_LINE):
        blocks.append(Line(f"  {head[start : start + HASH_LINE]}", Size.SMALL))
    blocks.append(Rule())
    return blocks


def _sale_line(sale: BatchSale, state: OrderState | None) -> Pair:
    """One sale a batch names: the open state, or the batch it was rung up in."""
    if state is not None:
        note = STATE_LABELS[state].en
    else:
        note = f"Z{sale.batch:06d}" + (" late" if sale.late else "")
    return Pair(f"  {sale.kiosk_order_id} {note}", sale.amount.thb(), Size.SMALL)


def _day_blocks(report: ZReport) -> list[Block]:
    """A report of one business day (before batches), as it was issued."""
    totals = report.totals
    day = date_of_day(report.business_day).strftime("%d/%m/%Y")
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
        Line("จำนวนตามสถานะ BY STATUS", Size.BODY, bold=True),
        _money_pair("รอชำระ Pending", totals.pending),
        _money_pair("หมดเวลา Expired", totals.expired),
        _money_pair("ยกเลิก Cancelled", totals.cancelled),
        _money_pair("ไม่สำเร็จ Failed", totals.failed),
    ]
    for state in OrderState:
        en, th = STATE_LABELS[state].en, STATE_LABELS[state].th
        blocks.append(Pair(f"  {th} {en}", str(totals.state(state).count), Size.SMALL))
    blocks += [
        Pair("รวมรายการ Orders", str(totals.orders.count), bold=True),
        Rule(),
        Pair("รายการแรก First", _mark(report.first)),
        Pair("รายการสุดท้าย Last", _mark(report.last)),
        Rule(),
    ]
    if report.attention_open is not None:  # None: issued before the list existed
        blocks += attention_blocks(report.business_day, report.attention, report.attention_open)
    if totals.pending.count:
        blocks.append(
            Line(
                f"ยังรอชำระ {totals.pending.count} รายการ / {totals.pending.count} still pending",
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
    return at.astimezone(BANGKOK).strftime("%d/%m/%Y %H:%M:%S")


def _mark(mark: OrderMark | None) -> str:
    if mark is None:
        return "—"
    return f"{mark.kiosk_order_id} {mark.created_at.astimezone(BANGKOK):%H:%M:%S}"


def _receipt_range(report: ZReport) -> list[Block]:
    """The batch's receipt numbers, as chained in the journal (batch reports only)."""
    if report.batch is None:
        return []
    receipts = report.batch.receipts
    text = "—" if receipts is None else f"{receipts[0]:06d} – {receipts[1]:06d}"
    return [Pair("ใบเสร็จ Receipts", text)]


def _doc(mark: OrderMark | None) -> str:
    return "—" if mark is None else mark.kiosk_order_id


__all__ = ["COPY_BANNER", "z_blocks"]
