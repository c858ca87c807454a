"""``kiosk pin set [--print-hash]``: the manager PIN from the terminal.

On a terminal the PIN is asked twice without echo (getpass); from a pipe
exactly one line is read (provisioning scripts), with no confirmation. The
PIN is checked as the screens check it (6 digits), hashed
(``kiosk.services.pin.hash_pin``) and only the hash is kept: in the keyring
(``MANAGER_PIN_HASH``), or with ``--print-hash`` printed as the one line
``KIOSK_SECRET_MANAGER_PIN_HASH=<hash>`` for the environment of a counter
without a keyring, storing nothing. The PIN itself is never echoed, printed
or logged. ``kiosk secrets set MANAGER_PIN_HASH`` runs the same code.

Exit codes: 0 done; 2 bad or mismatched PIN, nothing entered, or no keyring
(with what to do), and then nothing was stored.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable
from typing import Any, TextIO

from kiosk.domain.errors import ConfigError, InputError, Text
from kiosk.domain.exitcodes import ExitCode
from kiosk.infra.secrets import ENV_PREFIX, Secrets

Prompt = Callable[[str], str]
SECRET_NAME = "MANAGER_PIN_HASH"  # as kiosk.services.pin.SECRET_NAME (not imported: hashlib cost)
ENV_NAME = ENV_PREFIX + SECRET_NAME
LINE_LIMIT = 1024  # characters of piped stdin read for one PIN; longer is not a PIN anyway

DIFFER = Text("The two entries differ; nothing was stored.", "ป้อนสองครั้งไม่ตรงกัน ไม่ได้บันทึกอะไร")
NOTHING = Text("No PIN was entered; nothing was stored.", "ไม่ได้ป้อน PIN ไม่ได้บันทึกอะไร")


def add_parsers(sub: Any) -> None:
    """Register ``pin set`` on the main parser's subparsers."""
    pin = sub.add_parser("pin", help="set the manager PIN (only its hash is kept)")
    actions = pin.add_subparsers(dest="pin_action", required=True)
    set_pin = actions.add_parser(
        "set",
        help="ask for a 6-digit PIN (twice on a terminal, one line from a pipe); keep its hash"
        " in the keyring",
    )
    set_pin.add_argument(
        "--print-hash",
        action="store_true",
        help=f"print {ENV_NAME}=<hash> for a machine without a keyring; store nothing",
    )


def run(args: argparse.Namespace) -> int:
    return set_pin(print_hash=args.print_hash)


def _say(message: str) -> None:
    print(f"kiosk: {message}", file=sys.stderr)


def read_pin(prompt: Prompt | None = None, stdin: TextIO | None = None) -> str:
    """The new PIN: asked twice without echo on a terminal, else exactly one line of stdin.

    InputError when the PIN is not 6 digits, the two entries differ or nothing came.
    """
    from kiosk.services.pin import check_pin_format

    source = stdin if stdin is not None else sys.stdin
    if prompt is None and not source.isatty():
        # One line only (a script's PIN, never the rest of the pipe), and a bounded
        # one: `kiosk pin set < /dev/zero` must not read until memory runs out.
        line = source.readline(LINE_LIMIT)
        pin = line.rstrip("\r\n")
        if not line:
            raise InputError("nothing entered", text=NOTHING)
    else:
        ask = prompt or getpass.getpass
        pin = ask("New manager PIN (6 digits): ")
        if not pin:
            raise InputError("nothing entered", text=NOTHING)
        problem = check_pin_format(pin)
        if problem is None and ask("The same PIN again: ") != pin:
            raise InputError("the two entries differ", text=DIFFER)
    problem = check_pin_format(pin)
    if problem is not None:
        raise InputError("bad PIN format", text=problem)  # never the PIN itself
    return pin


def set_pin(
    *,
    print_hash: bool = False,
    secrets: Secrets | None = None,
    prompt: Prompt | None = None,
    stdin: TextIO | None = None,
) -> int:
    """``kiosk pin set``: 0 stored (or printed), 2 nothing stored (the reason on stderr)."""
    from kiosk.services.pin import hash_pin

    store = secrets or Secrets()
    try:
        if not print_hash:
            status = store.status()  # before the PIN is asked: no keyring, nothing to type
            if not status.ok:
                _say((status.text.en if status.text else status.backend) + " " + _no_keyring_hint())
                return ExitCode.USAGE
        encoded = hash_pin(read_pin(prompt, stdin))
        if print_hash:
            print(f"{ENV_NAME}={encoded}", flush=True)
            return ExitCode.OK
        store.set(SECRET_NAME, encoded)
    except InputError as exc:
        _say(exc.user_message("en"))
        return ExitCode.USAGE
    except ConfigError as exc:  # KeyringUnavailable: locked, or refused while writing
        _say(exc.user_message("en") + " " + _no_keyring_hint())
        return ExitCode.USAGE
    except (EOFError, KeyboardInterrupt):
        _say("cancelled; nothing was stored")
        return ExitCode.USAGE
    print(f"manager PIN set: its hash is stored in the keyring ({SECRET_NAME})")
    if store.overridden(SECRET_NAME):
        print(f"note: {ENV_NAME} is set in this environment and overrides the keyring")
    return ExitCode.OK


def _no_keyring_hint() -> str:
    return (
        f"Without a keyring: run `kiosk pin set --print-hash` and put the line it prints "
        f"({ENV_NAME}=...) in the kiosk's environment."
    )


__all__ = ["ENV_NAME", "add_parsers", "read_pin", "run", "set_pin"]
