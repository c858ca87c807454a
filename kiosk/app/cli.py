"""The terminal surface: ``kiosk [charge|sandbox|…]``; no arguments opens the GUI.

Every command exits with a code of the one table, ``kiosk.domain.exitcodes``
(README "Exit codes"): for ``charge`` 0 paid, 2 bad input or settings,
3 expired, 4 cancelled/declined/failed, 5 gateway unreachable or sign-in
failed, 8 the journal cannot be used, 9 another kiosk holds the data folder,
130/143 interrupted by SIGINT/SIGTERM (the order is left recoverable);
``close`` 0 or 10 nothing to close, ``verify`` 0 or 6 a record was changed
(kiosk.app.batch_commands).
Commands that sell get their services from ``kiosk.app.compose``.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import logging
import multiprocessing
import os
import signal
import sys
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, TextIO

from kiosk import __version__
from kiosk.app import batch_commands, cli_install, pin_commands, store_commands, tax_commands
from kiosk.domain.attention import CASHIER_TEXT
from kiosk.domain.documents import sale_ref_of
from kiosk.domain.errors import ConfigError, InputError, KioskError, SaleFailed, StoreError
from kiosk.domain.exitcodes import ExitCode
from kiosk.domain.money import Money, parse_amount
from kiosk.domain.order import Method, Order, OrderState
from kiosk.domain.thaidate import iso_local_optional
from kiosk.infra.config import Settings, data_dir, load_settings
from kiosk.infra.logs import setup_logging, unusable_folder
from kiosk.services.records import order_record
from kiosk.services.sweep import SweepPolicy, watched_until

if TYPE_CHECKING:
    from kiosk.services.container import Services

EXIT_BY_STATE = {
    OrderState.PAID: ExitCode.OK,
    OrderState.EXPIRED: ExitCode.EXPIRED,
    OrderState.CANCELLED: ExitCode.FAILED,
    OrderState.FAILED: ExitCode.FAILED,
}
SIGNAL_EXIT = {signal.SIGINT: ExitCode.SIGINT, signal.SIGTERM: ExitCode.SIGTERM}
PRIVATE_UMASK = 0o077


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kiosk", description="QR payment kiosk")
    parser.add_argument("--version", action="version", version=f"kiosk {__version__}")
    parser.add_argument("--config", help="settings file (default: $KIOSK_CONFIG or user dir)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log to stderr too")
    # Benchmarks: open the window, print the start-up time once interactive, exit.
    parser.add_argument("--exit-when-ready", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--no-first-run",
        action="store_true",
        help="with no settings file, start on the sandbox instead of the set-up wizard",
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="self-test: one sandbox sale through the window; JSON result, exit 0 if paid",
    )
    parser.add_argument(
        "--smoke-timeout", type=float, default=60.0, metavar="S", help="limit of --smoke"
    )
    sub = parser.add_subparsers(dest="command")

    charge = sub.add_parser("charge", help="take one payment from the terminal")
    charge.add_argument("amount", help="amount in THB, e.g. 300 or 300.50")
    charge.add_argument("--method", choices=[m.value for m in Method], default="qr")
    charge.add_argument("--json", action="store_true", help="print the final order as JSON")
    charge.add_argument(
        "--timeout", type=float, metavar="S", help="seconds to wait for payment (QR lifetime)"
    )
    charge.add_argument(
        "--ref", metavar="TEXT", help="sale reference: the main till's bill number (<= 32 chars)"
    )

    sub.add_parser("print-test", help="print a test receipt on the configured printer")
    reprint = sub.add_parser("reprint", help="print an archived slip again, marked COPY/REPRINT")
    reprint.add_argument(
        "number", nargs="?", help="the slip's number as printed, with its prefix (T01-000123)"
    )
    reprint.add_argument(
        "--order", metavar="ID", help="the order's slip (an unpaid order: its record, no number)"
    )

    reconcile = sub.add_parser(
        "reconcile", help="re-check every order not in a final state now; print what changed"
    )
    reconcile.add_argument("--json", action="store_true", help="print the result as JSON")

    report = sub.add_parser(
        "report", help="one day's orders as CSV (UTF-8 with BOM, as the manager exports) or JSON"
    )
    report.add_argument("--date", metavar="YYYY-MM-DD", help="business day (default: today)")
    report.add_argument("--format", choices=["csv", "json"], default="csv")
    report.add_argument(
        "--status", default="", help="only these: paid,pending,expired,cancelled,failed"
    )
    report.add_argument("--method", choices=[m.value for m in Method], action="append")
    report.add_argument("--search", default="", help="part of an order number, or an amount")
    report.add_argument(
        "--store", action="store_true", help="every counter's orders, from the store database"
    )
    tax_commands.add_report_options(report)  # --tax --month

    autostart = sub.add_parser("autostart", help="start the kiosk at login (Linux desktops)")
    autostart.add_argument("action", choices=["enable", "disable", "status"])
    autostart.add_argument(
        "--all-users", action="store_true", help="/etc/xdg/autostart instead of your own (root)"
    )

    sandbox = sub.add_parser("sandbox", help="run the sandbox gateway on its own")
    sandbox.add_argument("--port", type=int, default=8765)
    sandbox.add_argument("--scenario", choices=["pay", "decline", "never"], default="pay")
    sandbox.add_argument("--pay-after", type=float, default=3.0, metavar="S")
    sandbox.add_argument("--expire", type=int, default=600, metavar="S")
    cli_install.add_parsers(sub)  # secrets, doctor
    batch_commands.add_parsers(sub)  # close, verify
    pin_commands.add_parsers(sub)  # pin set
    store_commands.add_parsers(sub)  # store init, sync status|now
    tax_commands.add_parsers(sub)  # tax-invoice
    return parser


def keep_files_private() -> None:
    """Everything the kiosk creates from now on is its user's alone: files 0600, folders 0700.

    The journal and its WAL/SHM, logs, receipts, backups, exports and Z reports
    hold sales data. Set once at start; files made before keep their modes.
    """
    os.umask(PRIVATE_UMASK)


def main(argv: Sequence[str] | None = None) -> int:
    # A packaged kiosk is also the receipt render process's interpreter: that
    # child starts here and must not open a second kiosk (no-op from source).
    multiprocessing.freeze_support()
    if hasattr(signal, "SIGXFSZ"):
        # A file-size limit must fail the write (the sale then exits 8 with a
        # message), not kill the kiosk mid-sale without a word.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    # A log line that cannot be written (full disk) is dropped, not a traceback on stderr.
    logging.raiseExceptions = False
    args = _parser().parse_args(argv)
    if args.command != "autostart":
        # `autostart --all-users` writes a desktop entry every user must read.
        keep_files_private()
    if args.command is None:
        import importlib

        # The GUI stack (Qt) loads only when the window is wanted.
        app = importlib.import_module("kiosk.app.gui")
        code: int = app.main(
            config=args.config,
            exit_when_ready=args.exit_when_ready,
            first_run=not args.no_first_run,
            smoke=args.smoke,
            smoke_timeout_s=args.smoke_timeout,
        )
        return code
    installer = cli_install.run(args)
    if installer is not None:
        return installer
    if args.command == "pin":
        return pin_commands.run(args)
    store = store_commands.run(args)
    if store is not None:
        return store
    if args.command == "autostart":
        return _autostart(args)
    if args.command == "sandbox":
        return _sandbox(args)
    if args.command == "charge":
        return _charge(args)
    if args.command in ("print-test", "reprint"):
        return _receipt_command(args)
    if args.command == "reconcile":
        return _reconcile(args)
    if args.command == "report":
        return _day_report(args)
    if args.command == "close":
        return batch_commands.close_command(args, _settings, _compose)
    if args.command == "verify":
        return batch_commands.verify_command(args)
    if args.command == "tax-invoice":
        return tax_commands.tax_invoice_command(args, _settings, _compose)
    return ExitCode.USAGE  # pragma: no cover - argparse rejects unknown commands


def _error(message: str) -> None:
    print(f"kiosk: {message}", file=sys.stderr)


def _explain(exc: KioskError) -> None:
    """The cashier's words, then the technical detail, on stderr."""
    _error(exc.user_message("en") + (f" ({exc.detail})" if exc.detail else ""))


def _compose(settings: Settings) -> Services | ExitCode:
    """The services of this kiosk, or the exit code that says why there are none.

    A replaced journal (damaged, or missing where sales were recorded) is said
    on stderr by every command that opens it, never only in the log.
    """
    from kiosk.app.compose import build_services

    try:
        services = build_services(settings)
    except KioskError as exc:
        _explain(exc)
        return ExitCode.USAGE if exc.exit_code is ExitCode.FAILED else exc.exit_code
    for text in services.startup_notices:
        _error(text.en)
    return services


def _autostart(args: argparse.Namespace) -> int:
    from kiosk.app import autostart

    if sys.platform == "win32":
        _error("on Windows, use the installer's 'Start at login' option")
        return ExitCode.USAGE
    try:
        if args.action == "enable":
            print(f"autostart on: {autostart.enable(all_users=args.all_users)}")
        elif args.action == "disable":
            removed = autostart.disable(all_users=args.all_users)
            print("autostart off" + ("" if removed else " (it was not on)"))
        else:
            now = autostart.state()
            print(f"this user: {now.user or 'off'}\nall users: {now.system or 'off'}")
    except KioskError as exc:
        _explain(exc)
        return ExitCode.USAGE
    return ExitCode.OK


def _sandbox(args: argparse.Namespace) -> int:
    from kiosk.gateways.sandbox import Scenario, run_forever

    setup_logging(None, verbose=args.verbose)
    scenario = Scenario(kind=args.scenario, after_s=args.pay_after, expire_s=args.expire)
    run_forever(port=args.port, scenario=scenario)
    return ExitCode.OK


def _charge(args: argparse.Namespace) -> int:
    try:
        settings = load_settings(args.config)
        amount = parse_amount(args.amount)
        sale_ref = sale_ref_of(args.ref)  # InvalidSaleRef before anything is opened
        if args.timeout is not None:
            if not 1 <= args.timeout <= 3600:
                raise ConfigError("--timeout must be between 1 and 3600 seconds")
            settings = replace(
                settings, store=replace(settings.store, checkout_timeout_s=int(args.timeout))
            )
    except (InputError, ConfigError) as exc:
        _explain(exc)
        return ExitCode.USAGE
    problem = _start_logging(args.verbose)
    if problem is not None:
        return problem
    try:
        return asyncio.run(
            _charge_async(settings, amount, Method(args.method), args.json, sale_ref)
        )
    except KeyboardInterrupt:  # pragma: no cover - handled by the signal below
        return ExitCode.SIGINT


async def _charge_async(
    settings: Settings, amount: Money, method: Method, as_json: bool, sale_ref: str | None = None
) -> int:
    from kiosk.services.checkout import CancelToken

    out = sys.stderr if as_json else sys.stdout
    services = _compose(settings)
    if isinstance(services, ExitCode):
        return services
    cancel = CancelToken.new()
    interrupted: list[signal.Signals] = []
    starting: list[asyncio.Task[Order]] = []

    def on_signal(sig: signal.Signals) -> None:
        interrupted.append(sig)
        cancel.cancel()  # while waiting for payment: cancel the QR, one last check
        for task in starting:  # while creating: stop now, the order stays recoverable
            task.cancel()

    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, on_signal, sig)
    try:
        try:
            if services.checkout.unresolved():
                # An earlier charge was cut off: find out how it ended before selling again.
                await services.recovery.run()
            starting.append(
                asyncio.ensure_future(services.checkout.start(amount, method, sale_ref))
            )
            order = await starting[0]
        except asyncio.CancelledError:
            if not interrupted:
                raise
            _error("interrupted while starting the sale; `kiosk reconcile` finds out how it ended")
            return SIGNAL_EXIT[interrupted[0]]
        except StoreError as exc:
            _cannot_record(exc, None)
            return ExitCode.CANNOT_RECORD
        except InputError as exc:
            _explain(exc)
            return ExitCode.USAGE
        except SaleFailed as exc:
            _explain(exc)
            _report(exc.order, as_json, out, services.recovery.sweep)
            if exc.order.needs_attention:
                return ExitCode.ATTENTION
            unreachable = exc.cause.exit_code is ExitCode.UNREACHABLE
            return ExitCode.UNREACHABLE if unreachable else ExitCode.FAILED
        finally:
            starting.clear()
        if interrupted:
            # The signal came as the QR arrived: cancel it rather than show it.
            cancel.cancel()
        banner = " [SANDBOX]" if services.is_sandbox else ""
        ref = f" (bill {order.sale_ref})" if order.sale_ref else ""
        print(f"Order {order.kiosk_order_id}: {order.amount.thb()}{ref}{banner}", file=out)
        _print_qr(order, out)
        print(f"Waiting for payment (up to {order.ttl_s} s)…", file=out, flush=True)
        try:
            order = await services.checkout.follow(order, cancel)
        except StoreError as exc:
            _cannot_record(exc, order)
            return ExitCode.CANNOT_RECORD
        await services.bus.drain()  # the receipt starts from the bus's OrderChanged
        if services.receipts is not None and order.state is OrderState.PAID:
            from kiosk.app.receipt_commands import after_sale

            await after_sale(services.receipts, order, out)  # printed per printer.auto_print
        _report(order, as_json, out, services.recovery.sweep)
        if order.needs_attention:
            return ExitCode.ATTENTION
        if interrupted and order.state is not OrderState.PAID:
            return SIGNAL_EXIT[interrupted[0]]
        return EXIT_BY_STATE.get(order.state, ExitCode.FAILED)
    finally:
        await services.aclose()


def _cannot_record(exc: StoreError, order: Order | None) -> None:
    """The journal cannot be written mid-sale: say so, and how not to take the money twice."""
    _explain(exc)
    if order is not None:
        _error(
            f"Order {order.kiosk_order_id} ({order.amount.thb()}) may have been paid and could"
            " not be recorded. Do NOT take the money again: free the disk, then run"
            " `kiosk reconcile` to find out how it ended."
        )


def _start_logging(verbose: bool) -> ExitCode | None:
    """Log into the data folder; or say why it cannot be used (exit 8, never a traceback)."""
    try:
        setup_logging(data_dir() / "logs", verbose=verbose)
    except StoreError as exc:
        _error(exc.user_message("en"))
        return exc.exit_code
    return None


def _settings(args: argparse.Namespace) -> Settings | ExitCode:
    """The settings a command runs with, logging to the data folder; or why not (exit 2, 8)."""
    try:
        settings = load_settings(args.config)
    except ConfigError as exc:
        _explain(exc)
        return ExitCode.USAGE
    return _start_logging(args.verbose) or settings


def _reconcile(args: argparse.Namespace) -> int:
    """Exit 0 once the pass is done (orders the gateway could not answer for stay open)."""
    settings = _settings(args)
    if isinstance(settings, ExitCode):
        return settings
    return asyncio.run(_reconcile_async(settings, args.json))


async def _reconcile_async(settings: Settings, as_json: bool) -> int:
    services = _compose(settings)
    if isinstance(services, ExitCode):
        return services
    try:
        report = await services.recovery.run()
        flagged = services.journal.orders_needing_attention()
    finally:
        await services.aclose()
    for order in flagged:
        _error(f"{order.kiosk_order_id} NEEDS ATTENTION ({order.amount.thb()}): see the manager")
    code = ExitCode.ATTENTION if flagged else ExitCode.OK
    if as_json:
        result = {
            "checked": report.checked,
            "changed": [
                {"from": before.state.value, **order_record(after)}
                for before, after in report.changes
            ],
            "not_checked": [
                {**order_record(order), "reason": exc.detail} for order, exc in report.postponed
            ],
            "still_open": [order_record(order) for order in report.still_open],
            "needs_attention": [order_record(order) for order in flagged],
            "deferred": report.deferred,
        }
        print(json.dumps(result, ensure_ascii=False))
        return code
    for line in report.lines():
        print(line)
    print(
        f"{report.checked} open order(s) checked: {len(report.changes)} changed,"
        f" {len(report.postponed)} not checked (no answer from the gateway),"
        f" {len(report.still_open)} still open."
        + (f" {report.deferred} left for a later pass (hourly limit)." if report.deferred else "")
        + (f" {len(flagged)} need the manager's attention." if flagged else "")
    )
    return code


def _day_report(args: argparse.Namespace) -> int:
    """Print a day's orders (bytes identical to the manager screen's CSV export); 0 or 2."""
    if args.tax:
        return tax_commands.tax_report_command(args)
    if args.month:  # without --tax it would be ignored: today's orders for a month asked
        _error("--month is for the sales-tax report: report --tax --month YYYY-MM")
        return ExitCode.USAGE
    from kiosk.app.compose import open_reports
    from kiosk.domain.clock import SystemClock
    from kiosk.services import reports

    try:
        day = reports.parse_date(args.date) if args.date else reports.today(SystemClock().now())
        where = reports.OrderFilter(
            groups=reports.parse_groups(args.status),
            methods=frozenset(Method(m) for m in args.method or ()),
            search=args.search,
        )
    except InputError as exc:
        _explain(exc)
        return ExitCode.USAGE
    if args.store:
        return store_commands.store_report(args, day, where)
    directory = data_dir()
    path = directory / "journal.sqlite3"
    if directory.exists() and not directory.is_dir():
        _error(unusable_folder(directory, "a file, not a folder").text.en)
        return ExitCode.CANNOT_RECORD
    if not path.exists():
        _error(f"no journal at {path}: no sale was ever recorded with this data folder")
        return ExitCode.USAGE
    try:
        with open_reports(directory) as day_reports:
            data = reports.report_bytes(day_reports, day, where, args.format)
    except KioskError as exc:
        _explain(exc)  # a journal that cannot be opened or read: 8
        return ExitCode.USAGE if exc.exit_code is ExitCode.FAILED else exc.exit_code
    from kiosk.store.health import damaged_copies

    for copy in damaged_copies(path):  # a replaced journal: this report may lack sales
        _error(f"a damaged journal was set aside as {copy.name}; sales only in it are not here")
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()
    return ExitCode.OK


def _receipt_command(args: argparse.Namespace) -> int:
    """print-test, reprint: 0 printed, 2 settings/no such receipt, 4 failed, 5 unreachable."""
    from kiosk.app import receipt_commands as commands

    settings = _settings(args)
    if isinstance(settings, ExitCode):
        return settings
    if args.command == "print-test":
        return commands.print_test(settings, data_dir())
    if (args.number is None) == (args.order is None):
        _error("reprint takes a slip number (T01-000123) or --order ID")
        return ExitCode.USAGE
    return commands.reprint(settings, data_dir(), args.number, order_id=args.order)


def _print_qr(order: Order, out: TextIO) -> None:
    if not order.qr_payload:
        print("(the gateway sent only a QR image; scan it on the kiosk screen)", file=out)
        return
    import qrcode

    qr = qrcode.QRCode(border=2)
    qr.add_data(order.qr_payload)
    qr.make(fit=True)
    buffer = io.StringIO()
    qr.print_ascii(out=buffer, invert=True)
    print(buffer.getvalue(), file=out, end="")
    print(order.qr_payload, file=out)


def _report(order: Order, as_json: bool, out: TextIO, sweep: SweepPolicy) -> None:
    watched = watched_until(order, sweep)
    if as_json:
        record = order_record(order)
        record["watched_until"] = iso_local_optional(watched)
        print(json.dumps(record, ensure_ascii=False))
    else:
        status = order.state.value.upper() + (" (late payment)" if order.late else "")
        reason = f" — {order.failure_message or order.failure_code}" if order.failure_code else ""
        print(f"{order.kiosk_order_id}: {status} {order.amount.thb()}{reason}", file=out)
        if watched is not None:
            print(
                f"Money that still arrives is found until {watched:%Y-%m-%d %H:%M} UTC"
                " (kiosk reconcile, or the kiosk window).",
                file=out,
            )
    if order.needs_attention:
        _error(f"{order.kiosk_order_id} NEEDS ATTENTION: {CASHIER_TEXT.en}")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
