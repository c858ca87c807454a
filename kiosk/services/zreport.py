"""Z reports: each closes a batch — everything journaled since the previous one.

``close`` issues the Z of the open batch (kiosk.store.batches): the figures
are read, the next number taken and the report appended to the journal
(with its chain link) in one transaction; the journal refuses to change it
afterwards. Any number may be issued a day; with nothing journaled since the
last one there is nothing to close (``ZClosing.issued`` False; ``kiosk
close`` exits 10). A Z never waits for open sales: they are listed open at
the close and counted in the batch where they settle.

The window closes the batch by itself at ``[batch] auto_close`` ("HH:MM",
Bangkok; empty = never) — ``auto_close_forever``, a task of the window —
and, started after a missed time, closes once at start-up.

The report's content and JSON are ``kiosk.services.zcontent``, its paper
layout ``kiosk.services.zlayout``, its list of flagged sales
``kiosk.services.zflags``. It is printed on the receipt printer when one is
set up and written as ``z-NNNNNN.pdf`` (a sandbox kiosk's TEST-Z series:
``test-z-NNNNNN.pdf``, under the TEST banners) by an injected writer (Qt's, from the
window: no Qt here). Printing and the PDF never undo the report: they are
outputs of it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Protocol

from kiosk.domain.clock import Clock
from kiosk.domain.documents import Series
from kiosk.domain.errors import KioskError, NoPrinter, PrinterError, Text
from kiosk.domain.order import BANGKOK
from kiosk.domain.thaidate import format_datetime
from kiosk.infra.config import StoreSettings
from kiosk.receipts.layout import Block, Paper
from kiosk.receipts.service import ReceiptService, document
from kiosk.services.reports import Reports
from kiosk.services.zcontent import ZBatch, ZReport
from kiosk.services.zdocs import batch_documents
from kiosk.services.zflags import ZFlag, in_batch
from kiosk.services.zlayout import COPY_BANNER, z_blocks
from kiosk.store.batches import BatchFigures, BatchStore
from kiosk.store.journal import Journal, time_to_text

log = logging.getLogger("kiosk.reports")

AUTO_CLOSE_POLL_S = 60.0  # the auto-close task looks at the clock at least this often


@dataclass(frozen=True)
class ZClosing:
    """The answer to "close the batch": the report issued now, or the latest before."""

    report: ZReport | None
    issued: bool

    def text(self) -> Text:
        report = self.report
        if report is None:
            return Text(
                "Nothing to close: no sale has been recorded yet.",
                "ไม่มีรายการให้ปิด: ยังไม่มีการบันทึกการขาย",
            )
        # The year as the reader counts it: BE in Thai (kiosk.domain.thaidate).
        at = {lang: format_datetime(report.issued_at, lang) for lang in ("en", "th")}
        if not self.issued:
            return Text(
                f"Nothing to close: nothing was recorded since Z report {report.number_text}"
                f" ({at['en']}).",
                f"ไม่มีรายการให้ปิด: ไม่มีการบันทึกใดหลังรายงาน {report.number_text} ({at['th']})",
            )
        opened = {"en": "—", "th": "—"}
        if report.batch is not None:
            start = report.batch.opened_at
            opened = {lang: format_datetime(start, lang) for lang in ("en", "th")}
        return Text(
            f"Z report {report.number_text} issued: every sale from {opened['en']} to {at['en']}.",
            f"ออกรายงาน {report.number_text} แล้ว: ทุกรายการตั้งแต่ {opened['th']} ถึง {at['th']}",
        )


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
Sleep = Callable[[float], Awaitable[None]]


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
        auto_close: str = "",
        sandbox: bool = False,
    ) -> None:
        self.reports = Reports(journal)
        # A sandbox kiosk closes test batches: its sales never reach a real Z.
        self.batches = BatchStore(journal, sandbox=sandbox)
        self.clock = clock
        self.store = store
        self.folder = folder
        self.printer = printer
        self.pdf_writer = pdf_writer
        self.auto_close = parse_clock(auto_close)
        self._auto_done: datetime | None = None  # the last auto-close time handled

    # The Zs of this kiosk's series: a sandbox kiosk's TEST-Zs, a real one's Zs.

    def report(self, number: int) -> ZReport | None:
        stored = self.batches.reports.z_report(number)
        return None if stored is None else ZReport.from_stored(stored)

    def report_for(self, day: str) -> ZReport | None:
        """The last Z report issued on ``day`` (Bangkok)."""
        stored = self.batches.reports.z_report_for_day(day)
        return None if stored is None else ZReport.from_stored(stored)

    def latest(self) -> ZReport | None:
        stored = self.batches.reports.latest_z_report()
        return None if stored is None else ZReport.from_stored(stored)

    def pending(self) -> BatchFigures | None:
        """The open batch as a Z would close it now; None when there is nothing to close."""
        return self.batches.pending(self.clock.now())

    def flags(self, since: datetime | None) -> tuple[ZFlag, ...]:
        """Flags raised or cleared since ``since`` (None: every one), then earlier ones open."""
        journal = self.reports.store.journal
        where = "WHERE a.kiosk_order_id IS NOT NULL"
        params: tuple[object, ...] = ()
        if since is not None:
            at = time_to_text(since)
            where += " AND (a.cleared_at IS NULL OR a.raised_at >= ? OR a.cleared_at >= ?)"
            params = (at, at)
        orders = journal.select_orders(f"{where} ORDER BY a.raised_at, kiosk_order_id", params)
        flags = [ZFlag.of(order) for order in orders]
        return tuple(sorted(flags, key=lambda f: not in_batch(f, since)))

    def open_flags(self) -> int:
        """How many flags no manager has cleared yet (any day)."""
        return len(self.reports.store.journal.orders_needing_attention())

    def close(self) -> ZClosing:
        """Issue the Z of the open batch, or say there is nothing to close."""
        now = self.clock.now()

        def content(figures: BatchFigures) -> str:
            flags = self.flags(figures.opened_at if figures.previous_in_journal else None)
            sandbox = bool(self.batches.sandbox)
            journal = self.reports.store.journal
            return ZReport(
                number=figures.number,
                previous_number=figures.previous_number,
                business_day=figures.totals.day,
                store_id=self.store.store_id,
                terminal_id=self.store.terminal_id,
                shop_name=self.store.name,
                issued_at=now,
                totals=figures.totals,
                first=figures.first,
                last=figures.last,
                attention=flags,
                attention_open=sum(1 for flag in flags if flag.is_open),
                batch=ZBatch(
                    opened_at=figures.opened_at,
                    open_at_close=figures.open_at_close,
                    paid_earlier=figures.paid_earlier,
                    grand_total=figures.grand_total,
                    chain_head=figures.head.hash,
                    records=figures.head.position,
                    receipts=figures.receipts,
                    slips=batch_documents(
                        journal, Series.SLIP.for_sandbox(sandbox), figures.after_chain_seq
                    ),
                    abbs=batch_documents(
                        journal, Series.ABB.for_sandbox(sandbox), figures.after_chain_seq
                    ),
                    sandbox=sandbox,
                ),
            ).to_json()

        stored = self.batches.issue(
            store_id=self.store.store_id,
            terminal_id=self.store.terminal_id,
            issued_at=now,
            content=content,
        )
        if stored is None:
            log.info("nothing to close since the last Z report")
            return ZClosing(self.latest(), issued=False)
        report = ZReport.from_stored(stored)
        log.info(
            "Z report %s issued: paid %s, grand total %s, %d open at close",
            report.number_text,
            report.totals.paid.amount.plain(),
            report.batch.grand_total.plain() if report.batch else "-",
            report.totals.pending.count,
        )
        return ZClosing(report, issued=True)

    # --- automatic close ([batch] auto_close)

    def next_auto_close(self) -> datetime | None:
        """When the batch is next closed by itself (maybe past: due now); None if never."""
        if self.auto_close is None:
            return None
        latest = self.latest()
        since = [t for t in (latest.issued_at if latest else None, self._auto_done) if t]
        if not since:
            first = self.batches.first_change_at()
            if first is None:
                return None  # nothing journaled yet: nothing to wait for
            since = [first]
        return next_time(self.auto_close, max(since))

    async def auto_close_forever(self, sleep: Sleep = asyncio.sleep) -> None:
        """Close the batch at ``[batch] auto_close`` every day (a task of the window)."""
        while self.auto_close is not None:
            due = self.next_auto_close()
            now = self.clock.now()
            if due is None or due > now:
                wait = AUTO_CLOSE_POLL_S if due is None else (due - now).total_seconds()
                await sleep(min(AUTO_CLOSE_POLL_S, max(wait, 0.0)))
                continue
            try:
                closing = self.close()
            except KioskError:
                log.exception("automatic close at %s failed; trying again", due)
                await sleep(AUTO_CLOSE_POLL_S)
                continue
            self._auto_done = due
            if closing.issued and closing.report is not None:
                log.info("batch closed by itself (due %s)", due.astimezone(BANGKOK))
                await self.output(closing.report)

    def pdf_path(self, report: ZReport) -> Path:
        return self.folder / f"{report.file_stem}.pdf"

    async def output(self, report: ZReport, *, copy: bool = False) -> ZOutput:
        """Save the PDF (once; kept if there) and print (a copy is marked COPY)."""
        return await output_report(
            lambda copy: z_blocks(report, copy=copy),
            what=f"Z report {report.number_text}",
            pdf=self.pdf_path(report) if self.pdf_writer is not None else None,
            pdf_writer=self.pdf_writer,
            printer=self.printer,
            file_stem=report.file_stem,
            copy=copy,
        )


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


def parse_clock(text: str) -> time | None:
    """``"23:00"`` as a time of day; None for ``""``; ValueError otherwise."""
    text = text.strip()
    if not text:
        return None
    hours, sep, minutes = text.partition(":")
    if not (sep and hours.isdigit() and minutes.isdigit() and len(minutes) == 2):
        raise ValueError(f"not a time of day HH:MM: {text!r}")
    return time(int(hours), int(minutes))


def next_time(at: time, after: datetime) -> datetime:
    """The first ``at`` (Bangkok) strictly after ``after``."""
    local = after.astimezone(BANGKOK)
    due = local.replace(hour=at.hour, minute=at.minute, second=0, microsecond=0)
    if due <= local:
        due += timedelta(days=1)
    return due


def _save_pdf(
    blocks: list[Block], pdf: Path, writer: PdfWriter, what: str, errors: list[Text]
) -> Path | None:
    """Write ``pdf`` once (kept if there), beside its name then renamed; None on failure.

    On the calling thread: Qt's PDF writer wants the GUI thread.
    """
    try:
        if not pdf.exists():
            pdf.parent.mkdir(parents=True, exist_ok=True)
            partial = pdf.with_name(f".{pdf.name}.partial")
            writer(blocks, partial)
            partial.replace(pdf)
        return pdf
    except OSError as exc:
        log.error("%s: PDF not saved: %s", what, exc)
        errors.append(
            Text(
                f"The PDF could not be saved ({exc.strerror or exc}).",
                f"บันทึก PDF ไม่ได้ ({exc.strerror or exc})",
            )
        )
        return None


async def output_report(
    blocks: Callable[[bool], list[Block]],
    *,
    what: str,
    pdf: Path | None,
    pdf_writer: PdfWriter | None,
    printer: BlockPrinter | None,
    file_stem: str,
    copy: bool = False,
) -> ZOutput:
    """Save a report's PDF at ``pdf`` (once; kept if there) and print it.

    The counter's Z and the store close share this: the PDF is written beside
    its final name and renamed, so a crash never leaves half a report under it;
    ``blocks(copy)`` lays the paper out (a copy is marked COPY).
    """
    errors: list[Text] = []
    saved: Path | None = None
    if pdf_writer is not None and pdf is not None:
        saved = _save_pdf(blocks(False), pdf, pdf_writer, what, errors)
    printed: str | None = None
    if printer is not None:
        name = file_stem + ("-copy" if copy else "")
        try:
            printed = await printer.print_blocks(blocks(copy), name)
        except PrinterError as exc:
            log.error("%s: not printed: %s", what, exc)
            errors.append(exc.text)
    return ZOutput(pdf=saved, printed=printed, errors=tuple(errors))


__all__ = [
    "COPY_BANNER",
    "BlockPrinter",
    "ReceiptPrinter",
    "ZClosing",
    "ZFlag",
    "ZOutput",
    "ZReport",
    "ZReportService",
    "next_time",
    "output_report",
    "paper_writer",
    "parse_clock",
    "z_blocks",
]
