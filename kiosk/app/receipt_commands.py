"""The receipt commands of the terminal: ``kiosk print-test`` and ``kiosk reprint``.

``kiosk reprint T01-000123`` prints a copy of the slip with that number (its
prefix included; a bare number names a slip from before prefixes), marked
COPY/REPRINT, with no new number. ``kiosk reprint --order ID`` does the same
for an order's slip; an order that was not paid has none, and gets a record
that says no money was received (no number, no paid wording).

Exit codes (``kiosk.domain.exitcodes``): 0 printed; 2 bad settings, no printer
set up, or no such receipt; 4 the printer failed mid-job; 5 the printer could
not be reached.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import TextIO

from kiosk.app.compose import build_receipts
from kiosk.domain.errors import KioskError
from kiosk.domain.exitcodes import ExitCode
from kiosk.domain.order import Order, OrderState
from kiosk.infra.config import Settings
from kiosk.receipts.archive import ArchivedReceipt, JobStatus
from kiosk.receipts.service import PrintOutcome, ReceiptService, print_test_page


def exit_code(outcome: PrintOutcome) -> ExitCode:
    if outcome.printed:
        return ExitCode.OK
    if outcome.error is None:
        return ExitCode.USAGE  # saved, not printed: nothing to print on
    return outcome.error.exit_code


def describe(outcome: PrintOutcome) -> str:
    """One line for the terminal (English; details of failures included)."""
    record = outcome.record
    what = f"Receipt {record.receipt.number_text}" if record else "Test page"
    if record is None and outcome.note.startswith("record"):
        what = "Record (no money received)"
    if record is not None and record.copy:
        what += f" (reprint {record.copy})"
    if outcome.printed:
        return f"{what}: printed ({outcome.note})"
    if outcome.error is not None:
        detail = f" ({outcome.error.detail})" if outcome.error.detail else ""
        line = f"{what}: NOT printed - {outcome.error.user_message('en')}{detail}"
    else:
        line = f"{what}: saved, not printed"
    if record is not None:
        line += f"; print it with: kiosk reprint {record.receipt.number_text}"
    return line


def note_for(record: ArchivedReceipt | None) -> str | None:
    """The receipt line ``kiosk charge`` prints after a paid sale."""
    if record is None:
        return None
    number = record.receipt.number_text
    hint = f"print it with: kiosk reprint {number}"
    if record.status is JobStatus.PRINTED:
        return f"Receipt {number}: printed ({record.output})"
    if record.status is JobStatus.FAILED:
        return f"Receipt {number}: NOT printed ({record.error}); {hint}"
    return f"Receipt {number}: saved; {hint}"


async def after_sale(receipts: ReceiptService, order: Order, out: TextIO) -> None:
    """Wait for the receipt of a paid sale to be printed (or fail), and say so."""
    await receipts.drain()
    line = note_for(receipts.for_order(order.kiosk_order_id))
    if line:
        print(line, file=out)


def print_test(settings: Settings, directory: Path, out: TextIO = sys.stdout) -> int:
    outcome = asyncio.run(print_test_page(settings, directory))
    print(describe(outcome), file=out if outcome.printed else sys.stderr)
    return exit_code(outcome)


def reprint(
    settings: Settings,
    directory: Path,
    number: str | None,
    out: TextIO = sys.stdout,
    *,
    order_id: str | None = None,
) -> int:
    async def run() -> int:
        service = build_receipts(settings, directory)
        try:
            if service.printer is None:
                print("kiosk: no receipt printer is set up (printer.kind)", file=sys.stderr)
                return ExitCode.USAGE
            if order_id is not None:
                original = service.for_order(order_id)
                if original is None:
                    return await _record_of(service, directory, order_id, out)
            else:
                original = service.find(number or "")
            if original is None:
                print(f"kiosk: there is no receipt {number}", file=sys.stderr)
                return ExitCode.USAGE
            outcome = await service.reprint_archived(original)
        finally:
            await service.aclose()
        print(describe(outcome), file=out if outcome.printed else sys.stderr)
        return exit_code(outcome)

    try:
        return asyncio.run(run())
    except KioskError as exc:
        print(f"kiosk: {exc.user_message('en')} ({exc.detail})", file=sys.stderr)
        return ExitCode.USAGE if exc.exit_code is ExitCode.FAILED else exc.exit_code


async def _record_of(service: ReceiptService, directory: Path, order_id: str, out: TextIO) -> int:
    """An order without a slip: if it was not paid, print its record (no number)."""
    from kiosk.app.compose import open_order  # the journal, read-only, beside a running kiosk

    order = open_order(directory, order_id)
    if order is None:
        print(f"kiosk: there is no order {order_id}", file=sys.stderr)
        return ExitCode.USAGE
    if order.state is OrderState.PAID:
        print(f"kiosk: order {order_id} has no slip yet (the kiosk issues it)", file=sys.stderr)
        return ExitCode.USAGE
    outcome = await service.print_record(order)
    print(describe(outcome), file=out if outcome.printed else sys.stderr)
    return exit_code(outcome)
