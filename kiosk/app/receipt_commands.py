"""The receipt commands of the terminal: ``kiosk print-test`` and ``kiosk reprint``.

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
from kiosk.domain.order import Order
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
        line += f"; print it with: kiosk reprint {record.number}"
    return line


def note_for(record: ArchivedReceipt | None) -> str | None:
    """The receipt line ``kiosk charge`` prints after a paid sale."""
    if record is None:
        return None
    number = record.receipt.number_text
    hint = f"print it with: kiosk reprint {record.number}"
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


def reprint(settings: Settings, directory: Path, number: int, out: TextIO = sys.stdout) -> int:
    async def run() -> int:
        service = build_receipts(settings, directory)
        try:
            if service.printer is None:
                print("kiosk: no receipt printer is set up (printer.kind)", file=sys.stderr)
                return ExitCode.USAGE
            if service.get(number) is None:
                print(f"kiosk: there is no receipt {number}", file=sys.stderr)
                return ExitCode.USAGE
            outcome = await service.reprint(number)
        finally:
            await service.aclose()
        print(describe(outcome), file=out if outcome.printed else sys.stderr)
        return exit_code(outcome)

    try:
        return asyncio.run(run())
    except KioskError as exc:
        print(f"kiosk: {exc.user_message('en')} ({exc.detail})", file=sys.stderr)
        return ExitCode.USAGE if exc.exit_code is ExitCode.FAILED else exc.exit_code
