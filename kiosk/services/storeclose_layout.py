"""A store close on paper: receipt blocks, Thai and English, like a counter's Z report.

Its number and day, then the paid totals by method of the counters' batches
closed that day, each batch (terminal, Z number, paid), the after-close
adjustments (Z reports of an earlier day that arrived after that day's
close), and the counters that had not closed or not synced when it was
issued, each named. Its own module: the counter Z's wording
(kiosk.services.zlayout) changes apart from it.
"""

from __future__ import annotations

from kiosk.domain.labels import METHOD_LABELS
from kiosk.domain.order import Method
from kiosk.domain.reports import Tally
from kiosk.domain.storeday import ClosedBatch, StoreClose
from kiosk.domain.thaidate import format_date, format_datetime
from kiosk.receipts.layout import Align, Banner, Block, Gap, Line, Pair, Rule, Size
from kiosk.services.reports import date_of_day

COPY_BANNER = "สำเนา COPY"


def store_close_blocks(close: StoreClose, *, copy: bool = False) -> list[Block]:
    """The store close as receipt blocks, top to bottom."""
    blocks: list[Block] = []
    if close.shop_name:
        blocks.append(Line(close.shop_name, Size.LARGE, bold=True, align=Align.CENTER))
    blocks.append(Line("ปิดยอดร้าน STORE CLOSE", Size.LARGE, bold=True, align=Align.CENTER))
    if copy:
        blocks.append(Banner(COPY_BANNER))
    day = date_of_day(close.business_day)
    blocks += [
        Gap(0.3),
        Pair("เลขที่ No.", close.number_text, bold=True),
        Pair("วันทำการ Business day", f"{format_date(day, 'th')} ({format_date(day, 'en')})"),
        Pair("ออกเมื่อ Issued", format_datetime(close.issued_at, "en", seconds=True)),
        Pair("ร้าน Store", close.store_id),
        Pair("ออกจากเครื่อง Issued at", close.issued_by),
        Rule(),
        _pair("ชำระแล้ว Paid", close.paid(close.day_batches), bold=True, size=Size.LARGE),
    ]
    totals = close.totals(close.day_batches)
    for method in Method:
        label = METHOD_LABELS[method]
        blocks.append(_pair(f"  {label.th} {label.en}", totals.get(method, Tally())))
    blocks += [Rule(), Line("รอบของแต่ละเครื่อง COUNTER BATCHES", Size.BODY, bold=True)]
    blocks += [_batch_line(b) for b in close.day_batches] or [Line("  —", Size.SMALL)]
    if close.adjustments:
        blocks += [
            Rule(),
            _pair("ปรับปรุงหลังปิด After-close adjustments", close.paid(close.adjustments), bold=True),
            *[_batch_line(b) for b in close.adjustments],
        ]
    blocks.append(Rule())
    blocks.append(Pair("ยังไม่ปิดรอบ Not closed", ", ".join(close.not_closed) or "—", bold=True))
    blocks.append(Pair("ยังไม่ซิงก์ Not synced", ", ".join(close.not_synced) or "—", bold=True))
    if close.not_closed or close.not_synced:
        blocks.append(
            Line(
                "ยอดที่มาถึงภายหลังจะอยู่ในการปิดยอดครั้งถัดไป"
                " / What arrives later goes into the next store close",
                Size.SMALL,
                align=Align.CENTER,
            )
        )
    blocks += [Rule(), Line("*** จบรายงาน END OF REPORT ***", Size.SMALL, align=Align.CENTER)]
    return blocks


def _pair(label: str, tally: Tally, *, size: Size = Size.BODY, bold: bool = False) -> Pair:
    return Pair(f"{label} ({tally.count})", tally.amount.thb(), size, bold)


def _batch_line(batch: ClosedBatch) -> Pair:
    day = "" if not batch.adjustment else f" {batch.business_day}"
    return Pair(
        f"  {batch.terminal_id} Z{batch.batch:06d}{day}", batch.paid.amount.thb(), Size.SMALL
    )


__all__ = ["store_close_blocks"]
