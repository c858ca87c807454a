"""``kiosk close --store [--date YYYY-MM-DD] [--json]``: the store close of a business day.

What the store view's "Close the store" button does, from a counter's
command line (beside a running kiosk: it takes no data-folder lock). The
store database numbers the close; the PDF is saved to
``reports/store-close-NNNNNN.pdf`` (the counter Z's folder), and it is printed
when this counter has a receipt printer. Exit codes (kiosk.domain.exitcodes):

- 0 issued, every counter of the store closed its batch and synced;
- 7 issued, naming counters that had not closed or not synced (their batches
  go into the next store close as after-close adjustments);
- 10 the day is closed already (its number is printed; nothing changes);
- 5 the store database cannot be reached; 2 no ``[store_db]``, a bad date,
  or a day before the newest store close.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from typing import Any

from kiosk.domain.errors import KioskError
from kiosk.domain.exitcodes import ExitCode
from kiosk.infra.config import Settings, data_dir

PAPER_COLUMNS = 48


def add_arguments(close: Any) -> None:
    """``--store`` and ``--date`` on the ``close`` parser (kiosk.app.batch_commands)."""
    close.add_argument(
        "--store",
        action="store_true",
        help="close the whole store's business day from the store database (exit 7: counters"
        " not closed or not synced, named; 10: the day is closed already)",
    )
    close.add_argument("--date", help="with --store: the business day, YYYY-MM-DD (default today)")


def close_store_command(args: argparse.Namespace, settings: Settings) -> int:
    from kiosk.domain.clock import SystemClock
    from kiosk.services.reports import parse_date, today

    if not settings.store_db.url:
        _say("no [store_db] url in the settings: there is no store to close")
        return ExitCode.USAGE
    try:
        day = parse_date(args.date) if args.date else today(SystemClock().now())
    except KioskError as exc:
        return _explain(exc)
    return asyncio.run(_close(settings, day, as_json=args.json))


async def _close(settings: Settings, day: str, *, as_json: bool) -> int:
    from kiosk.app.compose import _pdf_writer, build_store_view
    from kiosk.receipts.layout import paper_of, plain_text
    from kiosk.services.storeclose_layout import store_close_blocks

    view = build_store_view(settings, data_dir())
    assert view is not None
    view.pdf_writer = _pdf_writer(paper_of(settings.printer))
    view.printer = await _printer(settings)
    try:
        closing = await asyncio.to_thread(view.close_store, day)
    except KioskError as exc:
        return _explain(exc)
    finally:
        await asyncio.to_thread(view.close)
    close = closing.close
    if not closing.created:
        _say(closing.text().en)
        if as_json:
            print(json.dumps({"closed": False, "number": close.number, "day": day}))
        return ExitCode.NOTHING_TO_DO
    out = await view.output(close)
    for error in out.errors:
        _say(error.en)
    if as_json:
        record = close.record() | {
            "closed": True,
            "pdf": str(out.pdf) if out.pdf else None,
            "printed": out.printed,
        }
        print(json.dumps(record, ensure_ascii=False))
    else:
        print(plain_text(store_close_blocks(close), PAPER_COLUMNS), end="")
        print(closing.text().en)
        if out.pdf:
            print(f"PDF: {out.pdf}")
    return ExitCode.ATTENTION if closing.attention else ExitCode.OK


async def _printer(settings: Settings) -> Any:
    """This counter's receipt printer, or None (no printer, or its archive cannot open)."""
    if settings.printer.kind == "none":
        return None
    from kiosk.app.compose import build_receipts
    from kiosk.services.zreport import ReceiptPrinter

    try:
        receipts = build_receipts(settings, data_dir())
    except KioskError as exc:
        _say(f"not printed: {exc.user_message('en')}")
        return None
    return ReceiptPrinter(receipts) if receipts.printer else None


def _say(message: str) -> None:
    print(f"kiosk: {message}", file=sys.stderr)


def _explain(exc: KioskError) -> int:
    _say(exc.user_message("en") + (f" ({exc.detail})" if exc.detail else ""))
    return exc.exit_code


__all__ = ["add_arguments", "close_store_command"]
