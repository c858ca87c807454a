"""The receipt archive's writes on their own thread, the slip's number on the journal's (issue 15).

A paid sale's slip is being numbered and archived (on the journal's writer
thread, then the archive's) while the manager prints from the transaction
list and reprints another slip: each slip is numbered once, archived once as
the original, and the original is printed once; every other print says COPY.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from kiosk.domain.clock import ManualClock
from kiosk.domain.documents import IssuedDocument, Series
from kiosk.domain.money import Money
from kiosk.domain.order import Method, Order, OrderState
from kiosk.infra.config import PrinterSettings
from kiosk.receipts.archive import ReceiptArchive
from kiosk.receipts.model import Receipt
from kiosk.receipts.service import ReceiptService
from kiosk.store.journal import Journal
from kiosk.store.writer import JournalThread
from tests.receipts.conftest import RECEIPT, START, STORE
from tests.receipts.test_slip import Collecting

S = OrderState


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    with Journal.open(tmp_path / "journal.sqlite3") as j:
        yield j


@pytest.fixture
def writer(journal: Journal) -> Iterator[JournalThread]:
    writes = JournalThread(journal)
    yield writes
    writes.close()


def service(
    data: Path, writer: JournalThread, printer: Collecting, auto_print: str = "always"
) -> ReceiptService:
    """As the kiosk builds it (kiosk.app.compose): numbers from the journal's writer thread."""
    clock = ManualClock(START)
    receipts = ReceiptService(
        archive=ReceiptArchive.open(data / "receipts" / "archive.sqlite3"),
        printer=printer,  # type: ignore[arg-type]
        settings=PrinterSettings(kind="file", paper_mm=58, auto_print=auto_print),  # type: ignore[arg-type]
        store=STORE,
        receipt=RECEIPT,
        clock=clock,
    )

    async def number_for(order: Order, series: Series, detail: dict[str, object]) -> IssuedDocument:
        at = clock.now()
        return await writer.run(
            lambda own: own.issue_document(order.kiosk_order_id, series, at, detail=detail)
        )

    receipts.number_for = number_for

    async def rendition(receipt: Receipt) -> tuple[str, bytes]:
        # Rendering's time (a process) must not decide who prints first: the awaits do.
        await asyncio.sleep(0)
        return receipt.number_text, b"PNG"

    receipts._rendition = rendition  # type: ignore[method-assign]
    return receipts


def paid(journal: Journal) -> Order:
    order = journal.new_order(
        store_id="S001", terminal_id="T01", amount=Money(9950), method=Method.QR, created_at=START
    )
    for state in (S.CREATING, S.AWAITING_PAYMENT, S.PAID):
        order, move = order.transition(state, START + timedelta(seconds=1))
        journal.record(order, move)
    return order


def originals_printed(printer: Collecting) -> Counter[str]:
    return Counter(d.name for d in printer.documents if "reprint" not in d.name)


@pytest.mark.parametrize("first", ["sale", "manager"])
def test_the_managers_print_in_the_gap_of_the_sales_slip_number_prints_one_original(
    tmp_path: Path, journal: Journal, writer: JournalThread, first: str
) -> None:
    """The other lands exactly while the first awaits its number on the writer thread."""
    printer = Collecting()
    receipts = service(tmp_path, writer, printer)
    sale = paid(journal)
    numbered = receipts.number_for
    assert numbered is not None
    others: list[asyncio.Task[object]] = []

    async def number_for(order: Order, series: Series, detail: dict[str, object]) -> IssuedDocument:
        if not others:
            other = receipts.receipt_for(sale) if first == "sale" else receipts.on_paid(sale)
            others.append(asyncio.ensure_future(other))
            await asyncio.sleep(0)  # it runs up to its own first wait
        return await numbered(order, series, detail)

    receipts.number_for = number_for

    async def scenario() -> None:
        if first == "sale":
            await receipts.on_paid(sale)
        else:
            await receipts.receipt_for(sale)
        await asyncio.gather(*others)
        await receipts.drain()

    asyncio.run(scenario())

    assert len(others) == 1
    (issued,) = journal.documents_for(sale.kiosk_order_id)  # numbered once
    (original,) = [r for r in receipts.archive.recent() if r.copy == 0]
    assert original.receipt.number_text == issued.text
    asyncio.run(receipts.aclose())
    # Printed once as the original; the second print (if any) says COPY.
    assert originals_printed(printer) == Counter({f"receipt-{issued.text}": 1}), [
        d.name for d in printer.documents
    ]


def test_the_managers_prints_while_slips_are_issued_number_each_once_and_copy_the_rest(
    tmp_path: Path, journal: Journal, writer: JournalThread
) -> None:
    printer = Collecting()
    receipts = service(tmp_path, writer, printer)
    earlier = paid(journal)
    sale = paid(journal)

    async def scenario() -> None:
        first = await receipts.on_paid(earlier)  # printed before: the manager reprints it
        assert first.printed and first.record is not None
        await asyncio.gather(
            receipts.on_paid(sale),  # the sale just paid: its slip numbered and printed
            receipts.receipt_for(sale),  # the manager's "print" on the same sale meanwhile
            receipts.reprint(first.record.receipt.number_text),
            receipts.receipt_for(earlier),
        )
        await receipts.drain()

    asyncio.run(scenario())

    for order in (earlier, sale):
        assert len(journal.documents_for(order.kiosk_order_id)) == 1  # numbered once
        assert receipts.archive.original_for(order.kiosk_order_id) is not None
    numbers = [r.receipt.number_text for r in receipts.archive.recent() if r.copy == 0]
    assert len(numbers) == len(set(numbers)) == 2
    copies = [(r.number, r.copy) for r in receipts.archive.recent()]
    assert len(copies) == len(set(copies))
    asyncio.run(receipts.aclose())
    assert all(n == 1 for n in originals_printed(printer).values()), [
        d.name for d in printer.documents
    ]
