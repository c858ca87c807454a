"""Logging: one logger per subsystem under ``kiosk.``, and a filter that scrubs secrets.

The filter redacts every secret value the process has read (registered by
kiosk.infra.secrets) plus anything shaped like a bearer token or a JWT, from the
message and its arguments, the exception text, the stack and any extra field,
before any handler sees the record.

It also keeps one record one line: text from outside (already cleaned by
``outside_text`` at the adapter; this is the second line) cannot forge a log
line or drive the terminal. Control and bidi characters in the message and
extra fields are shown as escapes (``\\n``, ``\\x1b``); a traceback keeps its
lines, each indented, so no line of it can pass for a record of its own.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
from pathlib import Path

from kiosk.domain.errors import StoreError, Text

_SECRETS: set[str] = set()
# C0, DEL, C1, the line and paragraph separators, and the bidi overrides/isolates.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_STANDARD = frozenset(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {
    "message",
    "asctime",
}
_DONE = "kiosk_scrubbed"
INDENT = "  "
_PATTERNS = [
    re.compile(r"eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+"),  # JWT
    re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]{8,}"),
    re.compile(r"\bskey_(?:test|prod)_[A-Za-z0-9]+"),
]
REDACTED = "***"


def register_secret(value: str | None) -> None:
    """Remember a secret value so no log line ever shows it."""
    if value and len(value) >= 4:
        _SECRETS.add(value)


def contains_secret(text: str) -> bool:
    """Whether ``text`` holds a secret value this process has read (a guard for files)."""
    return any(secret in text for secret in _SECRETS)


def scrub(text: str) -> str:
    for secret in sorted(_SECRETS, key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    for pattern in _PATTERNS:
        text = pattern.sub(lambda m: (m.group(1) if m.groups() else "") + REDACTED, text)
    return text


def one_line(text: str) -> str:
    """``text`` with every control or bidi character shown as an escape (``\\n``)."""
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)


def _block(text: str) -> str:
    """A traceback or stack: its own lines kept, indented; other controls escaped."""
    return "\n".join(INDENT + one_line(line) for line in text.split("\n"))


class ScrubFilter(logging.Filter):
    """Secrets out of every part of a record; one record, one line (plus an indented
    traceback). Runs once per record, whichever handler sees it first."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, _DONE, False):
            return True
        try:
            message = record.getMessage()
        except Exception:  # a bad format string must not lose the record, nor raise here
            message = f"{record.msg!s} {record.args!r}"
        record.msg, record.args = one_line(scrub(message)), None
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
            record.exc_info = None
        if record.exc_text:
            record.exc_text = _block(scrub(record.exc_text))
        if record.stack_info:
            record.stack_info = _block(scrub(record.stack_info))
        for key, value in list(record.__dict__.items()):
            if key in _STANDARD or value is None or isinstance(value, (bool, int, float)):
                continue
            record.__dict__[key] = one_line(scrub(value if isinstance(value, str) else str(value)))
        setattr(record, _DONE, True)
        return True


def unusable_folder(folder: Path, problem: OSError | str) -> StoreError:
    """The error for a data folder (or one inside it) the kiosk cannot create or write in."""
    why = problem if isinstance(problem, str) else problem.strerror or type(problem).__name__
    return StoreError(
        f"{folder}: {problem}",
        text=Text(
            f"The kiosk cannot use the folder {folder} ({why}), so it cannot record sales. "
            "Call the manager: the data folder must be a folder the kiosk's user can write "
            "in (or set KIOSK_DATA_DIR to one).",
            f"เครื่องใช้โฟลเดอร์ {folder} ไม่ได้ ({why}) จึงบันทึกรายการขายไม่ได้ "
            "กรุณาแจ้งผู้จัดการ: โฟลเดอร์ต้องเป็นโฟลเดอร์ที่ผู้ใช้ของเครื่องเขียนได้ "
            "(หรือตั้ง KIOSK_DATA_DIR ไปที่โฟลเดอร์อื่น)",
        ),
    )


def setup_logging(log_dir: Path | None, *, verbose: bool = False) -> None:
    """Log to a rotating file in the data dir (and stderr when verbose).

    StoreError (exit 8, naming the folder) when the folder cannot be made or
    written: a read-only data folder, a file in its place, a full disk.
    """
    root = logging.getLogger("kiosk")
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    for handler in list(root.handlers):
        root.removeHandler(handler)
        handler.close()
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    handlers: list[logging.Handler] = []
    if log_dir is not None:
        try:
            log_dir.mkdir(parents=True, exist_ok=True)
            handlers.append(
                logging.handlers.RotatingFileHandler(
                    log_dir / "kiosk.log", maxBytes=2_000_000, backupCount=5, encoding="utf-8"
                )
            )
        except OSError as exc:
            blocking = _file_in_the_way(log_dir)
            if blocking is not None:
                raise unusable_folder(blocking, "a file, not a folder") from exc
            raise unusable_folder(log_dir, exc) from exc
    if verbose:
        handlers.append(logging.StreamHandler())
    for handler in handlers:
        handler.setFormatter(fmt)
        handler.addFilter(ScrubFilter())
        root.addHandler(handler)
    root.propagate = False


def _file_in_the_way(folder: Path) -> Path | None:
    """The file standing where ``folder`` or one of its parents should be, if any."""
    for path in (folder, *folder.parents):
        if path.exists():
            return None if path.is_dir() else path
    return None


def outside_text(value: object, limit: int | None = None) -> str | None:
    """Text from outside as the kiosk keeps it: cleaned (controls, bidi, length), no secrets.

    The one scrubber for every field a gateway or Cognito sends (type, code,
    message, detail) before it reaches the journal, logs, receipts or a terminal.
    """
    from kiosk.domain.outside import MAX_TEXT, clean_optional

    cleaned = clean_optional(value, MAX_TEXT if limit is None else limit)
    if cleaned is None:
        return None
    return scrub(cleaned) or None
