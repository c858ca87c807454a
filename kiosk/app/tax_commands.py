"""Tax commands: ``kiosk tax-invoice`` and ``kiosk report --tax``.

``kiosk tax-invoice ORDER_ID --name … --address … --tax-id … [--branch …]
[--json]`` issues the order's full tax invoice (kiosk.services.tax_invoices)
— or, asked again, a COPY of the first — writes
``<data>/invoices/<number>.pdf``, prints it when a printer is set up, and
prints the number and the path (JSON: ``number``, ``pdf``). Exit 0; 2 for
an unpaid order, an unknown one, a shop without ``tax_invoice = "abb"`` or
a buyer's tax id with a wrong check digit; 8 when the invoice was numbered but its
PDF could not be written (asked again, it is a COPY); 9 while another kiosk holds the
data folder.

``kiosk report --tax --month YYYY-MM [--format csv|json]``: the month's
sales-tax report (kiosk.services.tax_report), read beside a running kiosk.
A journal that fails its hash chain gives no sales-tax report: exit 6 (run
``kiosk verify``).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.domain.errors import KioskError
from kiosk.domain.exitcodes import ExitCode
from kiosk.infra.config import Settings, data_dir

if TYPE_CHECKING:
    from kiosk.receipts.layout import Block
    from kiosk.services.container import Services
    from kiosk.services.tax_invoices import TaxInvoiceDesk
    from kiosk.store.verify import Broken

SettingsOf = Callable[[argparse.Namespace], "Settings | ExitCode"]
Compose = Callable[[Settings], "Services | ExitCode"]


def add_parsers(sub: Any) -> None:
    invoice = sub.add_parser(
        "tax-invoice",
        help="issue the full tax invoice of a paid sale (abb mode); again: a COPY of it",
    )
    invoice.add_argument("order_id", metavar="ORDER_ID", help="the kiosk order number")
    invoice.add_argument("--name", required=True, help="the buyer's name")
    invoice.add_argument("--address", required=True, help="the buyer's address")
    invoice.add_argument("--tax-id", required=True, help="the buyer's 13-digit tax id")
    invoice.add_argument("--branch", default="", help="the buyer's branch: 00000 = head office")
    invoice.add_argument("--json", action="store_true", help="print the result as JSON")


def add_report_options(report: argparse.ArgumentParser) -> None:
    report.add_argument(
        "--tax", action="store_true", help="the sales-tax report (abbreviated tax invoices)"
    )
    report.add_argument("--month", metavar="YYYY-MM", help="the month of --tax")


def desk_for(services: Services, *, pdf: bool = True) -> TaxInvoiceDesk:
    """The full-tax-invoice desk of these services: PDFs by Qt, prints on the receipt printer."""
    from kiosk.services.tax_invoices import TaxInvoiceDesk

    write = _write_pdf(services.settings) if pdf else None
    receipts = services.receipts
    printer = receipts.printer if receipts is not None else None
    print_blocks = None
    if printer is not None:
        from kiosk.receipts.service import document

        def print_blocks(blocks: list[Block], name: str) -> str:
            printer.prepare()
            return printer.print(document(blocks, services.settings.printer, name, None))

    return TaxInvoiceDesk(
        journal=services.journal,
        settings=services.settings,
        clock=services.clock,
        folder=services.data_dir / "invoices",
        write_pdf=write,
        print_blocks=print_blocks,
    )


def _write_pdf(settings: Settings) -> Callable[[list[Block], Path, str], None]:
    def write(blocks: list[Block], path: Path, title: str) -> None:
        from kiosk.receipts import qt_pdf
        from kiosk.receipts.layout import paper_of

        qt_pdf.ensure_app()
        qt_pdf.write_pdf(blocks, paper_of(settings.printer), path, title=title)

    return write


def tax_invoice_command(args: argparse.Namespace, settings_of: SettingsOf, compose: Compose) -> int:
    from kiosk.services.tax_invoices import Buyer

    settings = settings_of(args)
    if isinstance(settings, ExitCode):
        return settings
    try:
        buyer = Buyer.checked(args.name, args.address, args.tax_id, args.branch)
    except KioskError as exc:
        return _fail(exc)
    services = compose(settings)
    if isinstance(services, ExitCode):
        return services
    try:
        issued = desk_for(services).issue(args.order_id, buyer)
    except KioskError as exc:
        return _fail(exc)
    finally:
        import asyncio

        asyncio.run(services.aclose())
    for problem in issued.problems:
        _say(problem.user_message("en") + (f" ({problem.detail})" if problem.detail else ""))
    if issued.copy and dict(issued.invoice.buyer) != buyer.record():
        # A COPY is of the first invoice, buyer included: say so rather than drop it silently.
        first_buyer = issued.invoice.buyer.get("name", "")
        _say(
            f"{issued.number} was first issued to {first_buyer!r}; this is a COPY of it,"
            f" not an invoice for {buyer.name!r} (one tax invoice per sale)"
        )
    if args.json:
        print(json.dumps(issued.record(), ensure_ascii=False))
    else:
        what = f"Tax invoice {issued.number}" + (f" (COPY {issued.copy})" if issued.copy else "")
        print(f"{what}: {issued.pdf or 'no PDF'}")
        if issued.printed:
            print(f"printed: {issued.printed}")
    if issued.pdf is None:
        return ExitCode.CANNOT_RECORD  # numbered, but no file: a script must not take it as done
    return ExitCode.OK


def tax_report_command(args: argparse.Namespace) -> int:
    from kiosk.services.tax_report import tax_report_bytes
    from kiosk.store.journal import Journal

    if not args.month:
        _say("report --tax needs --month YYYY-MM")
        return ExitCode.USAGE
    ignored = [flag for flag, value in _NOT_FOR_TAX if getattr(args, value, None)]
    if ignored:  # this counter's whole month, whatever else was asked: say so, not a wrong report
        _say(f"report --tax takes only --month and --format, not {', '.join(ignored)}")
        return ExitCode.USAGE
    path = data_dir() / "journal.sqlite3"
    if not path.exists():
        _say(f"no journal at {path}: no sale was ever recorded with this data folder")
        return ExitCode.USAGE
    try:
        with Journal.open(path) as journal:  # read beside a running kiosk (WAL), no lock
            # What the accountant files is never made from a journal changed outside
            # the kiosk: the whole chain first (also what keeps a hand-edited row,
            # which the report would have to trust, from reaching it).
            check = journal.verify()
            if not check.ok:
                return _broken(check.first_broken)
            data = tax_report_bytes(journal, args.month, args.format)
    except KioskError as exc:
        return _fail(exc)
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()
    return ExitCode.OK


_NOT_FOR_TAX = (
    ("--store", "store"),
    ("--date", "date"),
    ("--status", "status"),
    ("--method", "method"),
    ("--search", "search"),
)


def _broken(first: Broken | None) -> int:
    where = f" ({first.table} {first.id}: {first.reason})" if first else ""
    _say(
        f"the sales journal was changed outside the kiosk{where}; no sales-tax report is made"
        " from it. Run `kiosk verify` and call the manager."
    )
    return ExitCode.BROKEN_RECORD


def _fail(exc: KioskError) -> int:
    _say(exc.user_message("en") + (f" ({exc.detail})" if exc.detail else ""))
    return ExitCode.USAGE if exc.exit_code is ExitCode.FAILED else exc.exit_code


def _say(message: str) -> None:
    print(f"kiosk: {message}", file=sys.stderr)


__all__ = [
    "add_parsers",
    "add_report_options",
    "desk_for",
    "tax_invoice_command",
    "tax_report_command",
]
