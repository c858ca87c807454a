"""The receipt service against real transports on this machine: a TCP printer on
127.0.0.1, a serial line (a pseudo-terminal), a device file, a missing USB printer.

The sale is final before any of this: whatever the printer does, the order
stays PAID, the job is marked, and the receipt can be printed again.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from kiosk.domain.clock import ManualClock
from kiosk.domain.errors import PrinterError, PrinterUnavailable
from kiosk.domain.money import Money
from kiosk.domain.order import Method, OrderState
from kiosk.infra.config import PrinterSettings
from kiosk.receipts.archive import JobStatus, ReceiptArchive
from kiosk.receipts.escpos_jobs import encode_cp874, raster_job
from kiosk.receipts.layout import REPRINT_BANNER, paper_of, receipt_blocks
from kiosk.receipts.model import build_receipt
from kiosk.receipts.printers import make_printer
from kiosk.receipts.raster import render
from kiosk.receipts.service import PrintFinished, PrintOutcome, ReceiptService, print_test_page
from kiosk.store.journal import Journal
from tests.fakes import ScriptedVilla, paid, pending, run
from tests.receipts.conftest import RECEIPT, STORE, paid_order
from tests.receipts.escpos_stream import LoopbackPrinter, parse, refusing_port
from tests.services.conftest import make_service

Factory = Callable[..., ReceiptService]


@pytest.fixture
def make(tmp_path: Path) -> Iterator[Factory]:
    made: list[ReceiptService] = []

    def factory(settings: PrinterSettings, **kwargs: object) -> ReceiptService:
        service = ReceiptService(
            archive=ReceiptArchive.open(tmp_path / "receipts" / "archive.sqlite3"),
            printer=make_printer(settings, tmp_path),
            settings=settings,
            store=STORE,
            receipt=RECEIPT,
            clock=kwargs.pop("clock", ManualClock()),  # type: ignore[arg-type]
            **kwargs,  # type: ignore[arg-type]
        )
        made.append(service)
        return service

    yield factory
    for service in made:
        run(service.aclose())


def network(port: int, **changes: object) -> PrinterSettings:
    return replace(PrinterSettings(kind="network", host="127.0.0.1", port=port), **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize("mm", [58, 80])
def test_tcp_printer_receives_the_receipt_pixel_exact_and_cut(make: Factory, mm: int) -> None:
    with LoopbackPrinter() as printer:
        service = make(network(printer.port, paper_mm=mm))
        outcome = run(service.on_paid(paid_order()))
        data = printer.wait_job()
    assert outcome.printed and outcome.record is not None
    record = outcome.record
    assert record.status is JobStatus.PRINTED and record.attempts == 1
    assert record.output == f"{len(data) - 3} bytes to network 127.0.0.1:{printer.port}"
    stream = parse(data)
    archived = record.image()
    assert archived is not None and archived.width == {58: 384, 80: 576}[mm]
    assert stream.image().size == archived.size
    assert stream.image().tobytes() == archived.tobytes()  # pixel for pixel
    # Feed, cut, then the status request that confirms the printer took it all.
    assert stream.commands[-3:] == [("feed", 6), ("cut", 0), ("status", 1)]
    assert "สลิปการชำระเงิน PAYMENT SLIP" in record.text and "1,234.50 บาท" in record.text


def test_text_mode_sends_a_thai_line_as_cp874(make: Factory) -> None:
    with LoopbackPrinter() as printer:
        service = make(network(printer.port, mode="text", codepage=21))
        outcome = run(service.on_paid(paid_order()))
        stream = parse(printer.wait_job())
    assert outcome.printed
    assert stream.commands[:2] == [("init", 0), ("codepage", 21)]
    assert encode_cp874("ขอบคุณที่ใช้บริการ / Thank you") in stream.text
    assert ("cut", 0) in stream.commands


def checkout_with_receipts(
    tmp_path: Path, receipts: ReceiptService, told: list[PrintOutcome] | None = None
) -> tuple[Callable[[], object], Journal]:
    backend = ScriptedVilla()
    backend.statuses = [pending(), paid()]
    journal = Journal.open(tmp_path / "journal.sqlite3")
    checkout = make_service(backend, journal, ManualClock(), tmp_path)
    receipts.attach(checkout.bus)
    if told is not None:
        checkout.bus.subscribe(PrintFinished, lambda event: told.append(event.outcome))

    async def sale() -> object:
        order = await checkout.run(Money(30000), Method.QR)
        await checkout.bus.drain()  # the receipt starts when the bus delivers PAID
        await receipts.drain()  # the print job runs after the sale is final
        await checkout.bus.drain()
        return order

    return sale, journal


def test_refused_connection_leaves_the_sale_paid_and_the_job_failed_then_reprint_works(
    make: Factory, tmp_path: Path
) -> None:
    blocked = refusing_port()
    port = blocked.getsockname()[1]
    clock = ManualClock()
    receipts = make(network(port), clock=clock)
    told: list[PrintOutcome] = []
    sale, journal = checkout_with_receipts(tmp_path, receipts, told)

    order = run(sale())  # type: ignore[arg-type]

    stored = journal.get(order.kiosk_order_id)  # type: ignore[attr-defined]
    assert stored is not None and stored.state is OrderState.PAID
    record = receipts.for_order(stored.kiosk_order_id)
    assert record is not None and record.status is JobStatus.FAILED
    assert record.attempts == 3 and "Connection refused" in (record.error or "")
    assert clock.slept == [1.0, 3.0]  # nothing was sent, so it was tried again
    assert told[-1].status is JobStatus.FAILED
    assert isinstance(told[-1].error, PrinterUnavailable)
    assert "printer" in told[-1].message("en") and told[-1].message("th")

    blocked.close()  # the printer is back, on the same port
    with LoopbackPrinter(port=port) as printer:
        again = run(receipts.reprint(record.number))
        stream = parse(printer.wait_job())
    assert again.printed and again.record is not None
    assert (again.record.number, again.record.copy) == (record.number, 1)
    assert REPRINT_BANNER in again.record.text
    reprint_image = again.record.image()
    assert reprint_image is not None and stream.image().tobytes() == reprint_image.tobytes()
    original = receipts.get(record.number)
    assert original is not None and original.status is JobStatus.FAILED
    journal.close()


def test_connection_dropped_mid_job_fails_without_a_retry_and_reprint_works(
    make: Factory,
) -> None:
    clock = ManualClock()
    with LoopbackPrinter(drop_after=4096) as printer:
        service = make(network(printer.port), clock=clock)
        order = paid_order()
        outcome = run(service.on_paid(order))
        partial = printer.wait_job()
        assert outcome.status is JobStatus.FAILED and outcome.record is not None
        assert isinstance(outcome.error, PrinterError)
        assert not isinstance(outcome.error, PrinterUnavailable)
        assert outcome.record.attempts == 1 and clock.slept == []  # bytes went out: no retry
        assert 4096 <= len(partial) < len(raster_job(outcome.record.image()))  # type: ignore[arg-type]
        assert order.state is OrderState.PAID  # the sale is untouched

        printer.drop_after = None
        again = run(service.reprint(outcome.record.number))
        stream = parse(printer.wait_job())
    assert again.printed and again.record is not None and again.record.copy == 1
    reprint_image = again.record.image()
    assert reprint_image is not None and stream.image().tobytes() == reprint_image.tobytes()
    original_image = outcome.record.image()
    assert original_image is not None
    assert reprint_image.tobytes() != original_image.tobytes()  # it says REPRINT


def test_printer_that_never_answers_the_status_still_counts_the_job(
    make: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kiosk.receipts.printers as printers

    monkeypatch.setattr(printers, "CONFIRM_TIMEOUT_S", 0.05)
    with LoopbackPrinter() as printer:
        printer.answers_status = False
        service = make(network(printer.port))
        outcome = run(service.on_paid(paid_order()))
        printer.wait_job()
    assert outcome.printed


def test_ask_and_never_archive_without_printing(make: Factory) -> None:
    with LoopbackPrinter() as printer:
        ask = make(network(printer.port, auto_print="ask"))
        outcome = run(ask.on_paid(paid_order(1)))
        assert outcome.status is JobStatus.ISSUED and outcome.ask
        assert outcome.record is not None and outcome.record.image_png
        assert printer.jobs == []
        # The cashier says yes: the archived receipt is printed as it is.
        yes = run(ask.print_receipt(outcome.record.number))
        assert yes.printed and printer.wait_job()
        never = make(network(printer.port, auto_print="never"))
        skipped = run(never.on_paid(paid_order(2)))
    assert skipped.status is JobStatus.ISSUED and not skipped.ask
    assert len(printer.jobs) == 1


def test_no_printer_still_archives_and_an_order_prints_once(make: Factory) -> None:
    service = make(PrinterSettings(kind="none"))
    outcome = run(service.on_paid(paid_order()))
    assert outcome.status is JobStatus.ISSUED and outcome.record is not None
    assert outcome.record.number == 1 and outcome.record.text

    async def twice() -> list[PrintOutcome]:
        return list(
            await asyncio.gather(service.on_paid(paid_order(2)), service.on_paid(paid_order(2)))
        )

    first, second = run(twice())
    assert first.record is not None and second.record is not None
    assert first.record.id == second.record.id and first.record.number == 2


def test_same_order_twice_prints_one_original(make: Factory) -> None:
    with LoopbackPrinter() as printer:
        service = make(network(printer.port))

        async def twice() -> list[PrintOutcome]:
            order = paid_order()
            return list(await asyncio.gather(service.on_paid(order), service.on_paid(order)))

        first, second = run(twice())
        printer.wait_job()
        later = run(service.on_paid(paid_order()))
    assert first.printed and second.printed and later.note == "already handled"
    assert len(printer.jobs) == 1


def test_missing_usb_printer_fails_the_job_not_the_sale(make: Factory) -> None:
    clock = ManualClock()
    service = make(PrinterSettings(kind="usb", device="04b8:0e15"), clock=clock)
    outcome = run(service.on_paid(paid_order()))
    assert outcome.status is JobStatus.FAILED and isinstance(outcome.error, PrinterUnavailable)
    assert outcome.record is not None and outcome.record.attempts == 3
    assert "usb 04b8:0e15" in (outcome.record.error or "")
    # A person asking for a reprint hears at once: one try, no waiting.
    again = run(service.reprint(outcome.record.number))
    assert again.status is JobStatus.FAILED and again.record is not None
    assert again.record.attempts == 1 and clock.slept == [1.0, 3.0]


def test_device_file_printer_gets_the_raster_job(make: Factory, tmp_path: Path) -> None:
    device = tmp_path / "lp0"
    service = make(PrinterSettings(kind="file", device=str(device)))
    outcome = run(service.on_paid(paid_order()))
    assert outcome.printed and outcome.record is not None
    stream = parse(device.read_bytes())
    image = outcome.record.image()
    assert image is not None and stream.image().tobytes() == image.tobytes()
    assert stream.commands[-1] == ("cut", 0)


def test_serial_printer_on_a_pseudo_terminal(make: Factory) -> None:
    settings = PrinterSettings(kind="serial", device="", baudrate=115200, paper_mm=58)
    order = paid_order()
    receipt = build_receipt(order, number=1, store=STORE, receipt=RECEIPT)
    expected = raster_job(render(receipt_blocks(receipt), paper_of(settings)))
    main, line = os.openpty()
    received = bytearray()

    def read() -> None:
        while len(received) < len(expected):
            received.extend(os.read(main, 65536))

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        service = make(replace(settings, device=os.ttyname(line)))
        outcome = run(service.on_paid(order))
        reader.join(10)
    finally:
        os.close(line)
        os.close(main)
    assert outcome.printed
    assert bytes(received) == expected


def test_test_print_with_unsaved_settings(tmp_path: Path) -> None:
    from kiosk.infra.config import Settings

    with LoopbackPrinter() as printer:
        outcome = run(print_test_page(Settings(printer=network(printer.port)), tmp_path))
        stream = parse(printer.wait_job())
    assert outcome.printed and outcome.record is None
    assert stream.image().width == 576 and ("cut", 0) in stream.commands
    nothing = run(print_test_page(Settings(), tmp_path))
    assert nothing.status is JobStatus.FAILED and nothing.error is not None
    assert nothing.message("en") == "No receipt printer is set up."


def test_rendering_runs_in_its_own_process_and_matches(make: Factory) -> None:
    from kiosk.receipts.service import rendition

    service = make(PrinterSettings(kind="none"))
    order = paid_order()

    async def scenario() -> tuple[str, bytes, int]:
        record = await service.issue(order)
        assert service._renderer is not None
        child = await asyncio.get_running_loop().run_in_executor(service._renderer, os.getpid)
        assert record.image_png is not None
        return record.text, record.image_png, child

    text, image, child = run(scenario())
    assert child != os.getpid()  # the event loop's process never renders
    expected_text, expected_image = rendition(
        build_receipt(order, number=1, store=STORE, receipt=RECEIPT), service.settings
    )
    assert (text, image) == (expected_text, expected_image)


def test_rendering_falls_back_to_a_thread_without_a_process(
    make: Factory, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kiosk.receipts.service as module

    def no_process() -> object:
        raise OSError("no processes here")

    monkeypatch.setattr(module, "_render_process", no_process)
    service = make(PrinterSettings(kind="none"))
    record = run(service.issue(paid_order()))
    assert record.image_png is not None and record.text
