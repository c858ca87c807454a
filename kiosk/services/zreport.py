"""The end-of-day (Z) report: numbered, immutable once issued, printed and saved as PDF.

``close_day`` issues the report of a business day once: the figures are
read and the next number taken in one journal transaction, and the journal
refuses to change the row afterwards (migration 3's triggers). Closing the
same day again gives back the report already issued, with ``issued=False``,
so the screen can say so (and whether sales changed since).

A report shows the day's totals (paid by method, late payments, pending,
expired, cancelled, failed), counts per status, the first and last order,
and the previous report's number. It also lists the sales that needed the
manager's attention (``kiosk.domain.attention``): the day's flagged orders,
open or cleared (with the outcome), then any flag of another day still open,
and how many are open when it is issued, so an open flag is on every Z until
a manager clears it. Reports issued before this list existed have none
(``attention_open`` is None) and print as they were issued.

It is laid out as receipt blocks (Thai and English, like a receipt),
printed on the receipt printer when one is set up and written as a PDF by
an injected writer (Qt's, from the window: no Qt here). Printing and the
PDF never undo the report: they are outputs of it.

Size: the report, its layout and its issuing are one unit (about 470
lines; its list of flagged sales is ``kiosk.services.zflags``); the
printer/PDF outputs are injected, so splitting further would only scatter
one document over several files.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol

from kiosk.domain.clock import Clock
from kiosk.domain.errors import InputError, KioskError, NoPrinter, PrinterError, Text
from kiosk.domain.labels import METHOD_LABELS, STATE_LABELS
from kiosk.domain.money import Money
from kiosk.domain.order import BANGKOK, Method, OrderState, business_day
from kiosk.domain.reports import DayTotals, OrderMark, Tally
from kiosk.infra.config import StoreSettings
from kiosk.receipts.layout import Align, Banner, Block, Gap, Line, Pair, Paper, Rule, Size
from kiosk.receipts.service import ReceiptService, document
from kiosk.services.reports import Reports, date_of_day, today
from kiosk.services.zflags import ZFlag, attention_blocks, split_flags
from kiosk.store.journal import Journal
from kiosk.store.reports import StoredZReport, check_day

log = logging.getLogger("kiosk.reports")

S = OrderState
# 2: adds "attention" and "attention_open" (a version-1 report has neither).
CONTENT_VERSION = 2
COPY_BANNER = "สำเนา COPY"


# Short names for the paper (the screen says the whole REASON_TEXTS sentence).
@dataclass(frozen=True)
class ZReport:
    """One issued Z report, as stored (it never changes after issue)."""

    number: int
    previous_number: int | None
    business_day: str
    store_id: str
    terminal_id: str
    shop_name: str
    issued_at: datetime
    totals: DayTotals
    first: OrderMark | None
    last: OrderMark | None
    # The day's flagged sales (open or cleared), then other days' still open.
    attention: tuple[ZFlag, ...] = ()
    # Flags still open (any day) when issued; None: issued before the list existed.
    attention_open: int | None = None

    @property
    def day_flags(self) -> tuple[ZFlag, ...]:
        """The flagged sales rung up on the report's day."""
        return split_flags(self.business_day, self.attention)[0]

    @property
    def other_open_flags(self) -> tuple[ZFlag, ...]:
        """Flags of other days that were still open when the report was issued."""
        return split_flags(self.business_day, self.attention)[1]

    @property
    def number_text(self) -> str:
        return f"Z{self.number:06d}"

    @property
    def previous_text(self) -> str:
        return "—" if self.previous_number is None else f"Z{self.previous_number:06d}"

    @property
    def file_stem(self) -> str:
        return f"z-{self.number:06d}-{date_of_day(self.business_day).isoformat()}"

    def to_json(self) -> str:
        def tally(t: Tally) -> dict[str, Any]:
            return {"count": t.count, "amount": t.amount.plain()}

        def mark(m: OrderMark | None) -> dict[str, str] | None:
            if m is None:
                return None
            return {"kiosk_order_id": m.kiosk_order_id, "created_at": m.created_at.isoformat()}

        data = {
            "version": CONTENT_VERSION,
            "number": self.number,
            "previous_number": self.previous_number,
            "business_day": self.business_day,
            "store_id": self.store_id,
            "terminal_id": self.terminal_id,
            "shop_name": self.shop_name,
            "issued_at": self.issued_at.isoformat(),
            "states": {s.value: tally(self.totals.state(s)) for s in OrderState},
            "paid_by_method": {m.value: tally(self.totals.method(m)) for m in Method},
            "late": tally(self.totals.late),
            "first_order": mark(self.first),
            "last_order": mark(self.last),
            "attention": [flag.record() for flag in self.attention],
            "attention_open": self.attention_open,
        }
        return json.dumps(data, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_stored(cls, stored: StoredZReport) -> ZReport:
        data = json.loads(stored.content)

        def tally(value: dict[str, Any]) -> Tally:
            return Tally(int(value["count"]), Money.from_decimal(Decimal(value["amount"])).satang)

        def mark(value: dict[str, str] | None) -> OrderMark | None:
            if value is None:
                return None
            return OrderMark(value["kiosk_order_id"], datetime.fromisoformat(value["created_at"]))

        totals = DayTotals(
            stored.business_day,
            {OrderState(k): tally(v) for k, v in data["states"].items() if int(v["count"])},
            {Method(k): tally(v) for k, v in data["paid_by_method"].items() if int(v["count"])},
            tally(data["late"]),
        )
        return cls(
            number=stored.number,
            previous_number=stored.previous_number,
            business_day=stored.business_day,
            store_id=stored.store_id,
            terminal_id=stored.terminal_id,
            shop_name=str(data.get("shop_name", "")),
            issued_at=stored.issued_at,
            totals=totals,
            first=mark(data.get("first_order")),
            last=mark(data.get("last_order")),
            # Optional: reports issued before the attention list have neither field.
            attention=tuple(ZFlag.from_record(v) for v in data.get("attention") or ()),
            attention_open=(
                None if data.get("attention_open") is None else int(data["attention_open"])
            ),
        )


@dataclass(frozen=True)
class ZClosing:
    """The answer to "close this day": the report, and whether this call issued it."""

    report: ZReport
    issued: bool
    changed_since: bool = False  # closed before, and the day's figures moved since

    def text(self) -> Text:
        report = self.report
        day = date_of_day(report.business_day).strftime("%d/%m/%Y")
        if self.issued:
            return Text(
                f"Z report {report.number_text} issued for {day}.",
                f"ออกรายงานปิดวัน {report.number_text} สำหรับวันที่ {day} แล้ว",
            )
        at = report.issued_at.astimezone(BANGKOK).strftime("%d/%m/%Y %H:%M")
        en = f"{day} was already closed by Z report {report.number_text} at {at}."
        th = f"วันที่ {day} ปิดไปแล้วด้วยรายงาน {report.number_text} เมื่อ {at}"
        if self.changed_since:
            en += " Sales changed since then; the report stays as issued."
            th += " มีการเปลี่ยนแปลงยอดขายหลังจากนั้น รายงานยังคงเดิมตามที่ออกไว้"
        return Text(en, th)


@dataclass(frozen=True)
class ZOutput:
    """Where a Z report went: a PDF file, the printer; problems said, not raised."""

    pdf: Path | None = None
    printed: str | None = None  # the printer's note
    errors: tuple[Text, ...] = field(default=())

    def text(self) -> Text:
        en: list[str] = []
        th: list[str] = []
        if self.printed:
            en.append("Printed.")
            th.append("พิมพ์แล้ว")
        if self.pdf is not None:
            en.append(f"PDF: {self.pdf}")
            th.append(f"PDF: {self.pdf}")
        for error in self.errors:
            en.append(error.en)
            th.append(error.th)
        return Text(" ".join(en), " ".join(th))


class BlockPrinter(Protocol):
    """Something that prints receipt blocks on the receipt printer (see ReceiptPrinter)."""

    async def print_blocks(self, blocks: list[Block], name: str) -> str: ...


PdfWriter = Callable[[list[Block], Path], None]


def z_blocks(report: ZReport, *, copy: bool = False) -> list[Block]:
    """The report as receipt blocks, top to bottom."""
    totals = report.totals
    day = date_of_day(report.business_day).strftime("%d/%m/%Y")
    issued = report.issued_at.astimezone(BANGKOK).strftime("%d/%m/%Y %H:%M:%S")

    def money_pair(label: str, tally: Tally, **kw: Any) -> Pair:
        return Pair(f"{label} ({tally.count})", tally.amount.thb(), **kw)

    blocks: list[Block] = []
    if report.shop_name:
        blocks.append(Line(report.shop_name, Size.LARGE, bold=True, align=Align.CENTER))
    blocks.append(Line("รายงานปิดวัน Z REPORT", Size.LARGE, bold=True, align=Align.CENTER))
    if copy:
        blocks.append(Banner(COPY_BANNER))
    blocks += [
        Gap(0.3),
        Pair("เลขที่ No.", report.number_text, bold=True),
        Pair("วันที่ขาย Day", day),
        Pair("ออกเมื่อ Issued", issued),
        Pair("เครื่อง Terminal", f"{report.store_id}-{report.terminal_id}"),
        Pair("ฉบับก่อน Previous", report.previous_text),
        Rule(),
        money_pair("ชำระแล้ว Paid", totals.paid, size=Size.LARGE, bold=True),
    ]
    for method in Method:
        en, th = METHOD_LABELS[method].en, METHOD_LABELS[method].th
        blocks.append(money_pair(f"  {th} {en}", totals.method(method)))
    if totals.late.count:
        blocks.append(money_pair("  รับล่าช้า Late", totals.late))
    blocks += [
        Rule(),
        Line("จำนวนตามสถานะ BY STATUS", Size.BODY, bold=True),
        money_pair("รอชำระ Pending", totals.pending),
        money_pair("หมดเวลา Expired", totals.expired),
        money_pair("ยกเลิก Cancelled", totals.cancelled),
        money_pair("ไม่สำเร็จ Failed", totals.failed),
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
    blocks.append(Line("*** จบรายงาน END OF REPORT ***", Size.SMALL, align=Align.CENTER))
    return blocks


def _mark(mark: OrderMark | None) -> str:
    if mark is None:
        return "—"
    return f"{mark.kiosk_order_id} {mark.created_at.astimezone(BANGKOK):%H:%M:%S}"


class ZReportService:
    def __init__(
        self,
        *,
        journal: Journal,
        clock: Clock,
        store: StoreSettings,
        folder: Path,
        printer: BlockPrinter | None = None,
        pdf_writer: PdfWriter | None = None,
    ) -> None:
        self.reports = Reports(journal)
        self.clock = clock
        self.store = store
        self.folder = folder
        self.printer = printer
        self.pdf_writer = pdf_writer

    def report_for(self, day: str) -> ZReport | None:
        stored = self.reports.store.z_report_for_day(day)
        return None if stored is None else ZReport.from_stored(stored)

    def latest(self) -> ZReport | None:
        stored = self.reports.store.latest_z_report()
        return None if stored is None else ZReport.from_stored(stored)

    def flags(self, day: str) -> tuple[ZFlag, ...]:
        """The day's flagged sales (open or cleared), then every other day's still open."""
        check_day(day)
        journal = self.reports.store.journal
        of_day = journal.select_orders(
            "WHERE business_day = ? AND kiosk_order_id IN (SELECT kiosk_order_id FROM attention)"
            " ORDER BY created_at, kiosk_order_id",
            (day,),
        )
        others = [
            o for o in journal.orders_needing_attention() if business_day(o.created_at) != day
        ]
        return tuple(ZFlag.of(order) for order in (*of_day, *others))

    def open_flags(self) -> int:
        """How many flags no manager has cleared yet (any day)."""
        return len(self.reports.store.journal.orders_needing_attention())

    def close_day(self, day: str) -> ZClosing:
        """Issue the day's Z report, or give back the one issued before."""
        now = self.clock.now()
        if day > today(now):
            raise InputError(
                f"cannot close {day}: it has not begun",
                text=Text("A day that has not begun cannot be closed.", "ยังปิดวันที่ยังมาไม่ถึงไม่ได้"),
            )

        def content(number: int, previous: int | None) -> str:
            first, last = self.reports.first_and_last(day)
            flags = self.flags(day)
            return ZReport(
                number=number,
                previous_number=previous,
                business_day=day,
                store_id=self.store.store_id,
                terminal_id=self.store.terminal_id,
                shop_name=self.store.name,
                issued_at=now,
                totals=self.reports.totals(day),
                first=first,
                last=last,
                attention=flags,
                attention_open=sum(1 for flag in flags if flag.is_open),
            ).to_json()

        stored, issued = self.reports.store.issue_z_report(
            day=day,
            store_id=self.store.store_id,
            terminal_id=self.store.terminal_id,
            issued_at=now,
            content=content,
        )
        report = ZReport.from_stored(stored)
        if issued:
            log.info("Z report %s issued for %s", report.number_text, day)
            return ZClosing(report, True)
        changed = self.reports.totals(day) != report.totals
        log.info("%s was already closed by Z report %s", day, report.number_text)
        return ZClosing(report, False, changed_since=changed)

    def pdf_path(self, report: ZReport) -> Path:
        return self.folder / f"{report.file_stem}.pdf"

    async def output(self, report: ZReport, *, copy: bool = False) -> ZOutput:
        """Save the PDF (once; kept if there) and print (a copy is marked COPY)."""
        errors: list[Text] = []
        pdf: Path | None = None
        if self.pdf_writer is not None:
            path = self.pdf_path(report)
            try:
                if not path.exists():
                    self.folder.mkdir(parents=True, exist_ok=True)
                    partial = path.with_name(f".{path.name}.partial")
                    self.pdf_writer(z_blocks(report), partial)
                    partial.replace(path)
                pdf = path
            except OSError as exc:
                log.error("Z report %s: PDF not saved: %s", report.number_text, exc)
                errors.append(
                    Text(
                        f"The PDF could not be saved ({exc.strerror or exc}).",
                        f"บันทึก PDF ไม่ได้ ({exc.strerror or exc})",
                    )
                )
        printed: str | None = None
        if self.printer is not None:
            name = report.file_stem + ("-copy" if copy else "")
            try:
                printed = await self.printer.print_blocks(z_blocks(report, copy=copy), name)
            except PrinterError as exc:
                log.error("Z report %s: not printed: %s", report.number_text, exc)
                errors.append(exc.text)
        return ZOutput(pdf=pdf, printed=printed, errors=tuple(errors))


class ReceiptPrinter:
    """Prints blocks on the receipt service's printer, on a worker thread."""

    def __init__(self, receipts: ReceiptService) -> None:
        self._receipts = receipts

    @property
    def available(self) -> bool:
        return self._receipts.printer is not None

    async def print_blocks(self, blocks: list[Block], name: str) -> str:
        printer = self._receipts.printer
        if printer is None:
            raise NoPrinter()
        printer.prepare()
        settings = self._receipts.settings

        def job() -> str:
            note: str = printer.print(document(blocks, settings, name, None))
            return note

        try:
            return await asyncio.to_thread(job)
        except PrinterError:
            raise
        except (OSError, KioskError) as exc:
            raise PrinterError(str(exc)) from exc


def paper_writer(write: Callable[..., None], paper: Paper) -> PdfWriter:
    """Adapt ``kiosk.receipts.qt_pdf.write_pdf`` (blocks, paper, path, title=) to a PdfWriter."""

    def writer(blocks: list[Block], path: Path) -> None:
        write(blocks, paper, path, title=path.stem.lstrip("."))

    return writer


__all__ = [
    "BlockPrinter",
    "ReceiptPrinter",
    "ZClosing",
    "ZFlag",
    "ZOutput",
    "ZReport",
    "ZReportService",
    "paper_writer",
    "z_blocks",
]
