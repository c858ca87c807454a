"""`kiosk store init`, `kiosk sync status|now` and `kiosk report --store`: the store database.

``kiosk store init --url postgresql://OWNER@host:port/db [--kiosk-role kiosk]``
is run once by the installer (and again after an upgrade): the owner's
password comes from a prompt, or one line of stdin when stdin is not a
terminal, and is never stored or printed. It creates or migrates the schema
under an advisory lock and grants the kiosk role INSERT and SELECT only.
Exit 0; 5 when the database cannot be reached or refuses the password; 2
for a bad URL or a missing kiosk role.

``kiosk sync status [--json]`` (``configured``, ``reachable``, ``pending``,
``last_success_at``, ``lag_s``; exit 0, 5 unreachable) and ``kiosk sync now``
(ships everything pending; exit 0, 5 unreachable, 2 no [store_db] or a
schema too old) work beside a running kiosk: they open the journal file on
a connection of their own, as the window's sync thread does.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from typing import Any
from urllib.parse import urlsplit

from kiosk.domain.errors import ConfigError, KioskError
from kiosk.domain.exitcodes import ExitCode
from kiosk.infra.config import Settings, data_dir, load_settings
from kiosk.infra.logs import register_secret, setup_logging

PASSWORD_LIMIT = 4096  # characters read from a pipe for the owner's password


def add_parsers(sub: Any) -> None:
    store = sub.add_parser("store", help="set up the store database (PostgreSQL) once")
    actions = store.add_subparsers(dest="action", required=True)
    init = actions.add_parser(
        "init", help="create or migrate the store database's schema; grant the kiosk role"
    )
    init.add_argument(
        "--url", required=True, help="postgresql://OWNER@host:port/database (no password)"
    )
    init.add_argument("--kiosk-role", default="kiosk", help="the counters' role (default kiosk)")
    init.add_argument("--sslmode", default="", help="TLS mode (default: require off loopback)")
    init.add_argument("--sslrootcert", default="", help="CA certificate of the server")
    sync = sub.add_parser("sync", help="this counter's sales to the store database")
    what = sync.add_subparsers(dest="action", required=True)
    status = what.add_parser(
        "status", help="pending events and the last success (exit 5 unreachable)"
    )
    status.add_argument("--json", action="store_true", help="print the status as JSON")
    what.add_parser("now", help="ship everything pending now (exit 5 unreachable)")


def run(args: argparse.Namespace) -> int | None:
    """Run ``args`` if it is one of these commands, else None."""
    if args.command == "store":
        return _init(args)
    if args.command == "sync":
        return _sync(args)
    return None


def _say(message: str) -> None:
    print(f"kiosk: {message}", file=sys.stderr)


def _explain(exc: KioskError) -> int:
    _say(exc.user_message("en") + (f" ({exc.detail})" if exc.detail else ""))
    return exc.exit_code


def _init(args: argparse.Namespace) -> int:
    from kiosk.infra.config import is_loopback, pg_url_problem
    from kiosk.store.storedb.client import StoreDb

    setup_logging(None, verbose=args.verbose)
    problem = pg_url_problem(args.url.strip())
    if problem is not None:  # never echoes the URL: it may hold a password
        _say(f"--url {problem}")
        return ExitCode.USAGE
    parts = urlsplit(args.url.strip())
    try:
        password = _read_password(f"password of {parts.username or 'the owner'}")
    except (EOFError, KeyboardInterrupt):
        _say("cancelled; nothing was changed")
        return ExitCode.USAGE
    register_secret(password)  # a hostile server may quote it back in its error: redacted
    sslmode = args.sslmode or (
        "verify-full"
        if args.sslrootcert
        else "prefer"
        if is_loopback(parts.hostname)
        else "require"
    )
    try:
        with StoreDb.connect(
            parts.geturl(), password=password, sslmode=sslmode, sslrootcert=args.sslrootcert
        ) as db:
            before, after = db.init(args.kiosk_role)
    except KioskError as exc:
        return _explain(exc)
    if before == after:
        print(f"store database schema version {after}: up to date; {args.kiosk_role} granted")
    else:
        print(f"store database schema {before} -> {after}; {args.kiosk_role} may INSERT, SELECT")
    return ExitCode.OK


def _read_password(label: str) -> str:
    if not sys.stdin.isatty():
        # Piped: one line, bounded (`< /dev/zero` must not read until memory runs out).
        return sys.stdin.readline(PASSWORD_LIMIT).rstrip("\r\n")
    return getpass.getpass(f"{label}: ")


def _settings(args: argparse.Namespace) -> Settings | int:
    try:
        settings = load_settings(args.config)
    except ConfigError as exc:
        return _explain(exc)
    try:
        setup_logging(data_dir() / "logs", verbose=args.verbose)
    except KioskError as exc:
        return _explain(exc)
    return settings


def _sync(args: argparse.Namespace) -> int:
    from kiosk.app.compose import build_sync

    settings = _settings(args)
    if not isinstance(settings, Settings):
        return settings
    sync = None
    try:
        sync = build_sync(settings, data_dir())
        if sync is None:
            return _not_configured(settings, args)
        if args.action == "now":
            shipped = sync.ship()
            status = sync.status()
            print(f"{shipped} record(s) sent; {status.pending} pending")
            return ExitCode.OK
        status = sync.status(probe=True)
    except KioskError as exc:
        return _explain(exc)
    finally:
        if sync is not None:
            sync.stop()
    if args.json:
        print(json.dumps(status.record(), ensure_ascii=False))
    else:
        print(
            f"store database: {'reachable' if status.reachable else 'NOT reachable'}"
            f"; {status.pending} pending; last success"
            f" {status.last_success_at.isoformat() if status.last_success_at else 'never'}"
            f"; lag {status.lag_s or 0:.0f} s"
            + (f"\n{status.error}" if status.error and not status.reachable else "")
        )
    return ExitCode.OK if status.reachable else ExitCode.UNREACHABLE


def _not_configured(settings: Settings, args: argparse.Namespace) -> int:
    why = (
        "the sandbox gateway's sales are never sent to the store database"
        if settings.store_db.url
        else "no [store_db] url in the settings: this counter works alone"
    )
    if args.action == "status" and args.json:
        print(json.dumps({"configured": False, "reachable": None, "pending": 0,
                          "last_success_at": None, "lag_s": None, "error": why}))  # fmt: skip
    else:
        _say(why)
    return ExitCode.OK if args.action == "status" else ExitCode.USAGE


def store_report(args: argparse.Namespace, day: str, where: Any) -> int:
    """``kiosk report --store``: every counter's orders of ``day`` from the store database."""
    from kiosk.app.compose import connect_store_db
    from kiosk.services.store_report import store_orders, store_report_bytes

    settings = _settings(args)
    if not isinstance(settings, Settings):
        return settings
    if not settings.store_db.url:
        _say("no [store_db] url in the settings: there is no store database to report from")
        return ExitCode.USAGE
    try:
        with connect_store_db(settings) as db:
            db.check_schema()
            data = store_report_bytes(store_orders(db, day, where), args.format)
    except KioskError as exc:
        return _explain(exc)
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()
    return ExitCode.OK


__all__ = ["add_parsers", "run", "store_report"]
