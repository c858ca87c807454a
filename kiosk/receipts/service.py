"""Receipts for sales: issue, archive, print, reprint. No Qt here; the UI and CLI call it.

A paid sale is final before a receipt exists: printing happens after the
order is journaled PAID, on its own thread, and whatever the printer does
the order stays PAID. Each receipt is archived first (numbered, with its
model), then rendered and archived again with its image and text, then
printed. A printer that cannot be reached is tried again (nothing was
sent); one that fails mid-job marks the job failed. Any archived receipt can
be printed again as a copy marked REPRINT.

    service = ReceiptService.from_settings(settings, data_dir, clock=clock)
    service.attach(bus)               # prints by itself when a sale is paid
    outcome = await service.on_paid(order)        # or call it yourself
    outcome = await service.reprint(outcome.record.number)
    outcome = await print_test_page(settings)          # "Test print" in settings

Size (about 400 lines): issuing, rendering in a process, printing on one
thread and reprinting share one archive and one job state; the pieces
they call (model, layout, raster, printers, archive) are modules of their own.
"""

from __future__ import annotations

import asyncio
import logging
import multiprocessing
from collections.abc import AsyncIterator, Awaitable, Callable
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TypeVar

from kiosk.domain.clock import Clock, SystemClock
from kiosk.domain.documents import IssuedDocument, Series, check_may_issue
from kiosk.domain.errors import (
    DocumentRefused,
    KioskError,
    NoPrinter,
    PrinterError,
    PrinterUnavailable,
    StoreError,
)
from kiosk.domain.events import OrderChanged
from kiosk.domain.order import Order, OrderState
from kiosk.infra.bus import EventBus, Subscription
from kiosk.infra.config import PrinterSettings, ReceiptSettings, Settings, StoreSettings, data_dir
from kiosk.receipts import tax
from kiosk.receipts.archive import ArchivedReceipt, JobStatus, ReceiptArchive, png_bytes
from kiosk.receipts.layout import Block, paper_of, plain_text, receipt_blocks, self_test_blocks
from kiosk.receipts.model import Receipt, abb_fields, build_receipt
from kiosk.receipts.printers import Document, Printer, make_printer

log = logging.getLogger("kiosk.receipts")

T = TypeVar("T")
RETRY_DELAYS_S = (1.0, 3.0)  # after the 1st and 2nd failed connection: three tries in all


@dataclass(frozen=True)
class PrintOutcome:
    """What became of one receipt: archived always; printed, failed, or waiting."""

    status: JobStatus
    record: ArchivedReceipt | None  # None for a test page
    ask: bool = False  # auto_print = "ask": offer the cashier to print it
    error: KioskError | None = None
    note: str = ""

    @property
    def printed(self) -> bool:
        return self.status is JobStatus.PRINTED

    def message(self, language: str = "en") -> str:
        if self.error is not None:
            return self.error.user_message(language)
        if self.printed and self.record is None and self.note.startswith("record"):
            return (
                "พิมพ์บันทึกรายการแล้ว (ไม่ได้รับเงิน)"
                if language == "th"
                else "Record printed (no money received)."
            )
        if self.printed:
            return "พิมพ์ใบเสร็จแล้ว" if language == "th" else "Receipt printed."
        return "เก็บใบเสร็จแล้ว" if language == "th" else "Receipt saved."


@dataclass(frozen=True)
class PrintFinished:
    """A receipt was issued, printed or failed (published on the bus)."""

    outcome: PrintOutcome


def document(
    blocks: list[Block], settings: PrinterSettings, name: str, receipt: Receipt | None
) -> Document:
    """Render blocks for this printer's paper (CPU-bound: call it off the event loop)."""
    from kiosk.receipts.raster import render  # Pillow loads here, not at start-up

    paper = paper_of(settings)
    return Document(
        name=name,
        blocks=blocks,
        image=render(blocks, paper),
        text=plain_text(blocks, paper.columns),
        paper=paper,
        receipt=receipt,
    )


def rendition(receipt: Receipt, settings: PrinterSettings) -> tuple[str, bytes]:
    """The archived form of a receipt: its text and its PNG (runs in the render process)."""
    doc = document(receipt_blocks(receipt), settings, receipt_name(receipt), receipt)
    return doc.text, png_bytes(doc.image)


def _load_renderer() -> None:
    """Import the renderer (and Pillow) in the render process, ahead of its first receipt."""
    import kiosk.receipts.raster  # noqa: F401


def _render_process() -> ProcessPoolExecutor:
    # spawn, not fork: the parent has Qt and threads running.
    return ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))


def receipt_name(receipt: Receipt) -> str:
    name = f"receipt-{receipt.number_text}"
    return f"{name}-reprint-{receipt.copy}" if receipt.copy else name


class ReceiptService:
    def __init__(
        self,
        *,
        archive: ReceiptArchive,
        printer: Printer | None,
        settings: PrinterSettings,
        store: StoreSettings,
        receipt: ReceiptSettings,
        clock: Clock | None = None,
        retry_delays: tuple[float, ...] = RETRY_DELAYS_S,
    ) -> None:
        self.archive = archive
        self.printer = printer
        self.settings = settings
        self.store = store
        self.receipt_settings = receipt
        self.clock = clock or SystemClock()
        self.retry_delays = retry_delays
        # Numbers a paid sale's slip (set by the composition root: the journal's
        # Journal.issue_document, so every number is chained and never repeats).
        # Without it (a service on its own, in tests) the archive numbers each series.
        # The third argument is the document's detail (a tax invoice's VAT, kiosk.receipts.tax).
        # Awaited: the kiosk's runs on the journal's writer thread (kiosk.store.writer).
        self.number_for: (
            Callable[[Order, Series, dict[str, object]], Awaitable[IssuedDocument]] | None
        ) = None
        # One print thread: jobs never interleave on the printer, and the
        # event loop never waits for a socket or for rendering.
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kiosk-print")
        # The archive's writes (each a durable commit: it waits for the disk) on a
        # thread of their own, in order, and never behind a slow printer.
        self._archive_io = ThreadPoolExecutor(max_workers=1, thread_name_prefix="receipt-archive")
        # Rendering is pure Python and Pillow holding the GIL for ~30 ms a receipt;
        # in a thread it stalls the window's event loop, so it runs in a process.
        self._renderer: ProcessPoolExecutor | None = None
        self._tasks: set[asyncio.Task[PrintOutcome]] = set()
        self._inflight: dict[str, asyncio.Future[PrintOutcome]] = {}
        # Per order: the lock of whoever issues or prints its original now, and how many wait.
        self._originals: dict[str, tuple[asyncio.Lock, int]] = {}
        self._bus: EventBus | None = None
        self._subscription: Subscription | None = None
        self._closed = False

    @classmethod
    def from_settings(
        cls, settings: Settings, directory: Path | None = None, *, clock: Clock | None = None
    ) -> ReceiptService:
        directory = directory or data_dir()
        archive = ReceiptArchive.open(directory / "receipts" / "archive.sqlite3")
        return cls(
            archive=archive,
            printer=make_printer(settings.printer, directory),
            settings=settings.printer,
            store=settings.store,
            receipt=settings.receipt,
            clock=clock,
        )

    def recover(self) -> None:
        """At start-up (holding the data folder): jobs a crash cut off are failed."""
        failed = self.archive.interrupted()
        if failed:
            log.warning("%d print job(s) were interrupted; marked failed", failed)

    # --- wiring

    def attach(self, bus: EventBus) -> None:
        """Issue (and, per auto_print, print) a receipt whenever a sale becomes PAID.

        Outcomes are published on the same bus (``PrintFinished``).
        """
        self._bus = bus
        self._subscription = bus.subscribe(OrderChanged, self._on_order)

    def _on_order(self, event: OrderChanged) -> None:
        order = event.order
        if order.state is not OrderState.PAID or self._closed:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            log.warning("%s paid outside the event loop: no receipt yet", order.kiosk_order_id)
            return
        task = loop.create_task(self.on_paid(order), name=f"receipt {order.kiosk_order_id}")
        self._tasks.add(task)
        task.add_done_callback(self._task_done)

    def _task_done(self, task: asyncio.Task[PrintOutcome]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            log.error("receipt task failed", exc_info=task.exception())

    async def drain(self) -> None:
        """Wait for the receipts of sales already paid (before the CLI exits)."""
        while self._tasks or self._inflight:
            pending = [*self._tasks, *self._inflight.values()]
            await asyncio.gather(*pending, return_exceptions=True)

    async def aclose(self) -> None:
        self._closed = True
        if self._subscription is not None:
            self._subscription.cancel()
        await self.drain()
        self._executor.shutdown(wait=True)
        self._archive_io.shutdown(wait=True)
        if self._renderer is not None:
            self._renderer.shutdown(wait=True)
        self.archive.close()

    def _tell(self, outcome: PrintOutcome) -> PrintOutcome:
        if self._bus is not None:
            self._bus.publish(PrintFinished(outcome))
        return outcome

    async def _off_loop(self, work: Callable[[], T]) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._executor, work)

    async def _store(self, work: Callable[[], T]) -> T:
        """An archive write, on the archive's thread; awaited, so its order is kept."""
        return await asyncio.get_running_loop().run_in_executor(self._archive_io, work)

    # --- issuing

    async def issue(self, order: Order) -> ArchivedReceipt:
        """Number and archive the payment slip of a PAID sale (once per order), with its image.

        DocumentRefused for any other order: only a paid sale gets a number.
        A sandbox sale's slip is numbered in the TEST series.
        """
        series = tax.series_for(order, self.receipt_settings)  # a slip, or an ABB
        record = self.archive.original_for(order.kiosk_order_id)
        if record is None:
            check_may_issue(order, series)
            detail = tax.detail_for(order, series, self.receipt_settings)
            document = None
            if self.number_for is not None:
                document = await self.number_for(order, series, detail)
            draft = build_receipt(
                order,
                number=0,
                store=self.store,
                receipt=self.receipt_settings,
                document=document,
            )
            if document is None:  # numbered by the archive (no journal): same series, detail
                draft = replace(draft, series=series.value, **abb_fields(series, detail))
            issued_at = self.clock.now()
            record = await self._store(lambda: self.archive.add(draft, issued_at=issued_at))
        if record.image_png is None:
            record = await self._render(record)
        return record

    async def _render(self, record: ArchivedReceipt) -> ArchivedReceipt:
        text, image = await self._rendition(record.receipt)
        await self._store(
            lambda: self.archive.store_rendition(record.id, text=text, image_png=image)
        )
        stored = self.archive.get_id(record.id)
        assert stored is not None
        return stored

    def warm_up(self) -> None:
        """Start the threads and the render process now (at start-up): the first sale pays for none.

        Starting a process blocks the caller for tens of milliseconds.
        """
        if self._closed:
            return
        # A pool starts its thread on the first submit and waits for it to
        # run: a stall of the first paid sale on a busy machine, unless now.
        for pool in (self._executor, self._archive_io):
            pool.submit(int)
        if self._renderer is None:
            try:
                self._renderer = _render_process()
                self._renderer.submit(_load_renderer)
            except OSError as exc:
                log.warning("render process not started: %s", exc)
                self._renderer = None

    async def _rendition(self, receipt: Receipt) -> tuple[str, bytes]:
        loop = asyncio.get_running_loop()
        try:
            if self._renderer is None:
                self._renderer = _render_process()
            return await loop.run_in_executor(self._renderer, rendition, receipt, self.settings)
        except (BrokenProcessPool, OSError) as exc:
            # No second process here (or it died): render on the print thread instead.
            log.warning("render process unavailable (%s); rendering in a thread", exc)
            if self._renderer is not None:
                self._renderer.shutdown(wait=False, cancel_futures=True)
                self._renderer = None
            return await self._off_loop(lambda: rendition(receipt, self.settings))

    def _document(self, receipt: Receipt) -> Document:
        return document(receipt_blocks(receipt), self.settings, receipt_name(receipt), receipt)

    async def on_paid(self, order: Order) -> PrintOutcome:
        """The receipt of a paid sale: archived, then printed as ``auto_print`` says.

        Never raises for a printer or archive problem: the sale is already final.
        Calls for an order whose receipt is under way share that one job.
        """
        key = order.kiosk_order_id
        job = self._inflight.get(key)
        if job is None:
            job = asyncio.ensure_future(self._on_paid(order))
            self._inflight[key] = job
            job.add_done_callback(lambda _: self._inflight.pop(key, None))
        return await asyncio.shield(job)

    async def _on_paid(self, order: Order) -> PrintOutcome:
        async with self._original_of(order.kiosk_order_id):
            try:
                record = await self.issue(order)
            except (StoreError, DocumentRefused, OSError) as exc:
                log.error("%s: receipt not archived: %s", order.kiosk_order_id, exc)
                error = exc if isinstance(exc, KioskError) else StoreError(str(exc))
                return self._tell(PrintOutcome(JobStatus.FAILED, None, error=error))
            if record.status is not JobStatus.ISSUED:
                return PrintOutcome(record.status, record, note="already handled")
            policy = self.settings.auto_print
            if self.printer is None or policy == "never":
                return self._tell(PrintOutcome(JobStatus.ISSUED, record))
            if policy == "ask":
                return self._tell(PrintOutcome(JobStatus.ISSUED, record, ask=True))
            return await self.print_archived(record, retry=True)

    @asynccontextmanager
    async def _original_of(self, kiosk_order_id: str) -> AsyncIterator[None]:
        """One task at a time issues and prints an order's original slip.

        The sale's own print and the manager's print of the same order can
        overlap (each awaits the number on the journal's thread, the archive's
        thread, the renderer): without this both found no printed original and
        both printed one. The second now finds it printed and prints a COPY.
        """
        lock, waiting = self._originals.get(kiosk_order_id, (asyncio.Lock(), 0))
        self._originals[kiosk_order_id] = (lock, waiting + 1)
        try:
            async with lock:
                yield
        finally:
            lock, waiting = self._originals[kiosk_order_id]
            if waiting > 1:
                self._originals[kiosk_order_id] = (lock, waiting - 1)
            else:
                del self._originals[kiosk_order_id]

    # --- printing

    async def print_archived(self, record: ArchivedReceipt, *, retry: bool = False) -> PrintOutcome:
        """Print an archived receipt as it is (after "ask", or again after a failure).

        ``retry``: try an unreachable printer again after ``retry_delays`` (the
        automatic print of a sale); a person who asked for a print hears at once.
        """
        if self.printer is None:
            return self._tell(PrintOutcome(JobStatus.ISSUED, record, error=NoPrinter()))
        printer = self.printer
        printer.prepare()
        doc = await self._off_loop(lambda: self._document(record.receipt))
        attempts = (0.0, *self.retry_delays) if retry else (0.0,)
        error: PrinterError | None = None
        for attempt, delay in enumerate(attempts, start=1):
            if delay:
                await self.clock.sleep(delay)
            await self._store(lambda: self.archive.job_started(record.id, printer.kind))
            try:
                note = await self._off_loop(lambda: printer.print(doc))
            except PrinterUnavailable as exc:
                error = exc
                log.warning("receipt %s: try %d: %s", receipt_name(record.receipt), attempt, exc)
                failure = exc.detail or str(exc)
                await self._store(partial(self.archive.job_failed, record.id, failure))
                continue
            except PrinterError as exc:
                error = exc
                log.error("receipt %s: %s", receipt_name(record.receipt), exc)
                failure = exc.detail or str(exc)
                await self._store(partial(self.archive.job_failed, record.id, failure))
                break
            done = partial(self.archive.job_done, record.id, output=note, at=self.clock.now())
            await self._store(done)
            log.info("receipt %s printed: %s", receipt_name(record.receipt), note)
            return self._tell(PrintOutcome(JobStatus.PRINTED, self._reload(record), note=note))
        return self._tell(PrintOutcome(JobStatus.FAILED, self._reload(record), error=error))

    def _reload(self, record: ArchivedReceipt) -> ArchivedReceipt:
        return self.archive.get_id(record.id) or record

    async def print_receipt(self, number: int, copy: int = 0) -> PrintOutcome:
        record = self.archive.get(number, copy)
        if record is None:
            raise KeyError(f"no receipt {number} copy {copy}")
        return await self.print_archived(record)

    def find(self, number: int | str) -> ArchivedReceipt | None:
        """An original slip by its printed number (``T01-000123``) or an old bare number."""
        return self.archive.find(str(number))

    async def reprint(self, number: int | str) -> PrintOutcome:
        """A new copy of slip ``number`` (``T01-000123``), marked COPY/REPRINT; no new number."""
        original = self.find(number)
        if original is None:
            raise KeyError(f"no receipt {number}")
        return await self.reprint_archived(original)

    async def reprint_archived(self, original: ArchivedReceipt) -> PrintOutcome:
        copy = original.receipt.as_reprint(copy=1, at=self.clock.now())
        issued_at = self.clock.now()
        record = await self._store(lambda: self.archive.add(copy, issued_at=issued_at))
        record = await self._render(record)
        return await self.print_archived(record)

    async def receipt_for(self, order: Order) -> PrintOutcome:
        """For a transaction list: reprint the order's slip, or issue its first one.

        An order that is not PAID gets no slip and no number: a record that
        says no money was received is printed (and not archived).
        """
        if order.state is not OrderState.PAID:
            return await self.print_record(order)
        async with self._original_of(order.kiosk_order_id):
            original = self.archive.original_for(order.kiosk_order_id)
            if original is not None and original.status is JobStatus.PRINTED:
                return await self.reprint_archived(original)
            record = original or await self.issue(order)
            return await self.print_archived(record)

    async def print_record(self, order: Order) -> PrintOutcome:
        """Print "record — no money received" for an order that is not PAID; no number."""
        if self.printer is None:
            return self._tell(PrintOutcome(JobStatus.FAILED, None, error=NoPrinter()))
        draft = build_receipt(order, number=0, store=self.store, receipt=self.receipt_settings)
        printer = self.printer
        printer.prepare()
        name = f"record-{order.kiosk_order_id}"  # describe() knows a record by its note
        doc = await self._off_loop(
            lambda: document(receipt_blocks(draft), self.settings, name, draft)
        )
        try:
            note = await self._off_loop(lambda: printer.print(doc))
        except PrinterError as exc:
            log.error("record of %s: %s", order.kiosk_order_id, exc)
            return self._tell(PrintOutcome(JobStatus.FAILED, None, error=exc))
        log.info("record of %s printed: %s", order.kiosk_order_id, note)
        return self._tell(PrintOutcome(JobStatus.PRINTED, None, note=f"record: {note}"))

    async def print_test_page(self) -> PrintOutcome:
        return await _print_test_page(
            self.printer, self.settings, self.store.name, self.clock, self._executor
        )

    # --- reading, for the manager's screen and the CLI

    def recent(self, limit: int = 50) -> list[ArchivedReceipt]:
        return self.archive.recent(limit)

    def get(self, number: int, copy: int = 0) -> ArchivedReceipt | None:
        return self.archive.get(number, copy)

    def for_order(self, kiosk_order_id: str) -> ArchivedReceipt | None:
        return self.archive.original_for(kiosk_order_id)


async def _print_test_page(
    printer: Printer | None,
    settings: PrinterSettings,
    shop_name: str,
    clock: Clock,
    executor: ThreadPoolExecutor | None = None,
) -> PrintOutcome:
    if printer is None:
        error = NoPrinter()
        return PrintOutcome(JobStatus.FAILED, None, error=error)
    printer.prepare()
    at = clock.now()

    def job() -> str:
        blocks = self_test_blocks(settings, shop_name, at)
        return printer.print(document(blocks, settings, _test_name(at), None))

    try:
        note = await asyncio.get_running_loop().run_in_executor(executor, job)
    except PrinterError as exc:
        return PrintOutcome(JobStatus.FAILED, None, error=exc)
    return PrintOutcome(JobStatus.PRINTED, None, note=note)


def _test_name(at: datetime) -> str:
    return f"test-{at:%Y%m%d-%H%M%S}"


async def print_test_page(settings: Settings, directory: Path | None = None) -> PrintOutcome:
    """Print a test page with these (perhaps unsaved) settings: the settings dialog's button."""
    printer = make_printer(settings.printer, directory or data_dir())
    return await _print_test_page(printer, settings.printer, settings.store.name, SystemClock())


__all__ = ["PrintFinished", "PrintOutcome", "ReceiptService", "print_test_page"]
