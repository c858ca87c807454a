"""The one table of exit codes, for every command (README "Exit codes").

Scripts on a counter read these numbers, so each keeps one meaning across
``charge``, ``reconcile``, ``report``, ``doctor``, ``print-test``, ``verify``,
``close``, ``--smoke`` and every later command. Errors carry theirs as the
class attribute ``KioskError.exit_code``.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0  # done; for charge: paid
    UNHANDLED = 1  # never on purpose: an error no handler expected (a bug)
    USAGE = 2  # usage, bad input or settings, not found; doctor: a check failed
    EXPIRED = 3  # the sale expired unpaid
    FAILED = 4  # cancelled, declined or failed; a printer that failed mid-job
    UNREACHABLE = 5  # gateway, printer or database unreachable; sign-in failed
    BROKEN_RECORD = 6  # verify found a broken record
    ATTENTION = 7  # a sale the manager must look at
    CANNOT_RECORD = 8  # the journal or the data folder cannot be used
    HELD = 9  # another kiosk holds the data folder
    NOTHING_TO_DO = 10  # e.g. nothing to close
    SIGINT = 130  # interrupted (Ctrl+C); the order is left recoverable
    SIGTERM = 143  # terminated; the order is left recoverable


__all__ = ["ExitCode"]
