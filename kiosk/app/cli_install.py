"""The installer's terminal commands: ``kiosk secrets set|delete|list`` and ``kiosk doctor``.

``kiosk secrets set NAME`` asks for the value without echo (twice on a
terminal; one line when piped, for provisioning scripts). For
``MANAGER_PIN_HASH`` it is ``kiosk pin set`` (kiosk.app.pin_commands): a
6-digit PIN, only its hash stored.
Exit codes: 0 done, 2 bad name or input, or no keyring (with what to do).

``kiosk doctor`` prints one line per check, ``ok`` / ``FAIL`` / ``skip``, each
FAIL with its fix; exit 0 only if nothing failed, else 2 (``ExitCode.USAGE``:
something in the set-up needs fixing).
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import sys
from collections.abc import Callable
from typing import Any

from kiosk.domain.errors import ConfigError, InputError, Text
from kiosk.domain.exitcodes import ExitCode
from kiosk.infra.secrets import NAMES, Secrets, check_name

Prompt = Callable[[str], str]


def add_parsers(sub: Any) -> None:
    """Register ``secrets`` and ``doctor`` on the main parser's subparsers."""
    secrets = sub.add_parser(
        "secrets", help="store or delete a secret in the OS keyring (never echoed)"
    )
    actions = secrets.add_subparsers(dest="action", required=True)
    for action, text in (
        ("set", "ask for NAME's value and store it in the keyring"),
        ("delete", "remove NAME from the keyring"),
    ):
        parser = actions.add_parser(action, help=text)
        parser.add_argument("name", metavar="NAME", help=", ".join(NAMES))
    actions.add_parser("list", help="which secrets are set, and where (never their values)")

    doctor = sub.add_parser("doctor", help="check settings, keyring, network, sign-in, journal")
    doctor.add_argument("--lang", choices=["en", "th"], default="en")


def run(args: argparse.Namespace, *, prompt: Prompt | None = None) -> int | None:
    """Run ``args`` if it is one of these commands, else None."""
    if args.command == "secrets":
        return secrets_command(args.action, getattr(args, "name", None), prompt=prompt)
    if args.command == "doctor":
        return doctor_command(args.config, language=args.lang)
    return None


SECRET_LINE_LIMIT = 4096  # characters of piped stdin read for one secret


def _say(message: str) -> None:
    print(f"kiosk: {message}", file=sys.stderr)


def _read_secret(label: str, prompt: Prompt | None) -> str:
    if prompt is None and not sys.stdin.isatty():
        # Piped: one line, no confirmation; bounded (`< /dev/zero` must not eat all memory).
        return sys.stdin.readline(SECRET_LINE_LIMIT).rstrip("\r\n")
    ask = prompt or getpass.getpass
    first = ask(f"{label}: ")
    if first and ask(f"{label} again: ") != first:
        raise InputError(
            "the two entries differ",
            text=Text("The two entries differ; nothing was stored.", "ป้อนสองครั้งไม่ตรงกัน"),
        )
    return first


def secrets_command(
    action: str,
    name: str | None,
    *,
    secrets: Secrets | None = None,
    prompt: Prompt | None = None,
) -> int:
    store = secrets or Secrets()
    try:
        if action == "list":
            unreachable: ConfigError | None = None
            for each in NAMES:
                where: str
                try:
                    where = store.source(each) or "not set"
                except ConfigError as exc:
                    where, unreachable = "unknown: the keyring cannot be reached", exc
                print(f"{each:<24} {where}")
            if unreachable is not None:
                _say(unreachable.user_message("en"))
            return ExitCode.OK
        canonical = check_name(name or "")
        if action == "delete":
            removed = store.delete(canonical)
            print(f"{canonical}: {'deleted from the keyring' if removed else 'was not set'}")
        else:
            if canonical == "MANAGER_PIN_HASH":  # the same as `kiosk pin set`
                from kiosk.app.pin_commands import set_pin

                return set_pin(secrets=store, prompt=prompt)
            value = _read_secret(canonical, prompt)
            if not value:
                raise InputError("empty", text=Text("Nothing was entered.", "ไม่ได้ป้อนค่า"))
            store.set(canonical, value)
            print(f"{canonical}: stored in the keyring")
        if store.overridden(canonical):
            print(
                f"note: KIOSK_SECRET_{canonical} is set in this environment and overrides "
                "the keyring"
            )
    except (InputError, ConfigError) as exc:  # ConfigError includes KeyringUnavailable
        _say(exc.user_message("en"))
        return ExitCode.USAGE
    except (EOFError, KeyboardInterrupt):
        _say("cancelled; nothing was stored")
        return ExitCode.USAGE
    return ExitCode.OK


def doctor_command(config: str | None, *, language: str = "en") -> int:
    from kiosk.infra.config import data_dir
    from kiosk.services.doctor import exit_code, render, run_doctor

    lines = asyncio.run(run_doctor(config=config, directory=data_dir()))
    print(render(lines, language))
    code = exit_code(lines)
    failed = sum(1 for line in lines if line.status == "FAIL")
    print("all checks passed" if code == 0 else f"{failed} check(s) failed")
    return code
