"""`kiosk close` and `kiosk verify`: the batch's Z report and the journal's chain, by terminal.

``kiosk close [--json]`` does what the manager's Z button does: closes the
batch (every sale journaled since the previous Z), prints the report on the
receipt printer when one is set up and saves ``reports/z-NNNNNN.pdf`` (a
sandbox kiosk: the TEST-Z series, ``reports/test-z-NNNNNN.pdf``). Exit
0 when a report was issued (a printer or PDF problem is said on stderr; the
report stands), 10 when there is nothing to close, 9 while another kiosk
holds the data folder.

``kiosk verify [--json]`` walks the journal's hash chain (kiosk.store.verify)
beside a running kiosk (no lock: it only reads, on one snapshot). Exit 0
when every record checks out, 6 naming the first broken one, 2 when there
is no journal.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kiosk.app import store_close_commands
from kiosk.domain.documents import z_number_text
from kiosk.domain.errors import KioskError
from kiosk.domain.exitcodes import ExitCode
from kiosk.infra.config import Settings, data_dir
from kiosk.infra.logs import setup_logging, unusable_folder

if TYPE_CHECKING:
    from kiosk.services.container import Services
    from kiosk.store.reports import StoredZReport
    from kiosk.store.verify import ChainCheck

SettingsOf = Callable[[argparse.Namespace], "Settings | ExitCode"]
Compose = Callable[[Settings], "Services | ExitCode"]
PAPER_COLUMNS = 48  # the text form of the report: an 80 mm receipt's columns


def add_parsers(sub: Any) -> None:
    close = sub.add_parser(
        "close",
        help="close the batch: issue the Z report of every sale since the last (exit 10: nothing"
        " to close)",
    )
    close.add_argument("--json", action="store_true", help="print the report as JSON")
    store_close_commands.add_arguments(close)  # --store, --date: the whole store's close
    verify = sub.add_parser(
        "verify", help="check the journal's hash chain: exit 0 intact, 6 a record was changed"
    )
    verify.add_argument("--json", action="store_true", help="print the result as JSON")


def close_command(args: argparse.Namespace, settings_of: SettingsOf, compose: Compose) -> int:
    settings = settings_of(args)
    if isinstance(settings, ExitCode):
        return settings
    if args.store:
        return store_close_commands.close_store_command(args, settings)
    if args.date:
        _say("--date goes with --store (a counter's close takes its open batch)")
        return ExitCode.USAGE
    return asyncio.run(_close(settings, compose, as_json=args.json))


async def _close(settings: Settings, compose: Compose, *, as_json: bool) -> int:
    from kiosk.receipts.layout import plain_text
    from kiosk.services.zreport import z_blocks

    services = compose(settings)
    if isinstance(services, ExitCode):
        return services
    try:
        try:
            closing = services.zreports.close()
        except KioskError as exc:
            _say(exc.user_message("en") + (f" ({exc.detail})" if exc.detail else ""))
            return exc.exit_code
        report = closing.report
        if not closing.issued or report is None:
            _say(closing.text().en)
            if as_json:
                latest = None if report is None else report.number
                print(json.dumps({"closed": False, "latest_batch": latest}))
            return ExitCode.NOTHING_TO_DO
        out = await services.zreports.output(report)
    finally:
        await services.aclose()
    for error in out.errors:
        _say(error.en)
    if as_json:
        record = report.record() | {
            "closed": True,
            "pdf": str(out.pdf) if out.pdf else None,
            "printed": out.printed,
        }
        print(json.dumps(record, ensure_ascii=False))
    else:
        print(plain_text(z_blocks(report), PAPER_COLUMNS), end="")
        print(closing.text().en)
        if out.pdf:
            print(f"PDF: {out.pdf}")
    return ExitCode.OK


def verify_command(args: argparse.Namespace) -> int:
    from kiosk.store.journal import Journal
    from kiosk.store.reports import ReportStore

    setup_logging(None, verbose=args.verbose)  # it only reads: no log file of its own
    directory = data_dir()
    if directory.exists() and not directory.is_dir():
        _say(unusable_folder(directory, "a file, not a folder").text.en)
        return ExitCode.CANNOT_RECORD
    path = directory / "journal.sqlite3"
    if not path.exists():
        _say(f"no journal at {path}: nothing to verify")
        return ExitCode.USAGE
    try:
        with Journal.open(path) as journal:
            check = journal.verify()
            # The newest Z of either series (a sandbox kiosk's are TEST-Zs).
            newest = [
                ReportStore(journal, sandbox=kind).latest_z_report() for kind in (False, True)
            ]
            latest = max(
                (z for z in newest if z is not None),
                key=lambda z: z.chain_seq or 0,
                default=None,
            )
    except KioskError as exc:  # a journal that cannot be opened or read: 8
        _say(exc.user_message("en") + (f" ({exc.detail})" if exc.detail else ""))
        return exc.exit_code
    if args.json:
        print(json.dumps(_verify_record(check, latest), ensure_ascii=False))
    else:
        _verify_lines(check, latest)
    return ExitCode.OK if check.ok else ExitCode.BROKEN_RECORD


def _verify_record(check: ChainCheck, latest: StoredZReport | None) -> dict[str, Any]:
    first = check.first_broken
    return {
        "ok": check.ok,
        "checked": check.checked,
        "orders": check.orders,
        "records": check.records,
        "chain_head": check.head,
        "latest_z": _anchor(latest),
        "first_broken": None if first is None else first.record(),
        "broken": [b.record() for b in check.broken],
        "more": check.more,
    }


def _anchor(latest: StoredZReport | None) -> dict[str, Any] | None:
    """The newest Z's number and the chain head and count it printed (to compare on paper)."""
    if latest is None:
        return None
    try:
        data = json.loads(latest.content)
    except ValueError:
        data = {}
    head = data.get("chain_head") if isinstance(data, dict) else None
    records = data.get("records") if isinstance(data, dict) else None
    number = z_number_text(latest.number, sandbox=latest.sandbox)
    return {"batch": latest.number, "number_text": number, "chain_head": head, "records": records}


def _verify_lines(check: ChainCheck, latest: StoredZReport | None) -> None:
    for broken in check.broken:
        print(f"BROKEN {broken.table} {broken.id}: {broken.reason}")
    if check.more:
        print("(more broken records not listed)")
    state = "intact" if check.ok else f"{len(check.broken)} broken record(s)"
    print(
        f"{state}: {check.checked} record(s) checked, {check.orders} order(s) recomputed;"
        f" chain head {check.head} at record {check.records}"
    )
    anchor = _anchor(latest)
    if anchor is not None and anchor["chain_head"]:
        print(
            f"latest {anchor['number_text']} printed chain head {anchor['chain_head']}"
            f" at record {anchor['records']}"
        )


def _say(message: str) -> None:
    print(f"kiosk: {message}", file=sys.stderr)


__all__ = ["add_parsers", "close_command", "verify_command"]
