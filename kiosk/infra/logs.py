"""Logging: one logger per subsystem under ``kiosk.``, and a filter that scrubs secrets.

The filter redacts every secret value the process has read (registered by
kiosk.infra.secrets) plus anything shaped like a bearer token or a JWT, from the
message and its arguments, before any handler sees the record.
"""

from __future__ import annotations

import logging
import logging.handlers
import re
from pathlib import Path

_SECRETS: set[str] = set()
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


class ScrubFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = scrub(message)
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = scrub(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        record.msg, record.args = cleaned, None
        return True


def setup_logging(log_dir: Path | None, *, verbose: bool = False) -> None:
    """Log to a rotating file in the data dir (and stderr when verbose)."""
    root = logging.getLogger("kiosk")
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    for handler in list(root.handlers):
        root.removeHandler(handler)
        handler.close()
    fmt = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    handlers: list[logging.Handler] = []
    if log_dir is not None:
        log_dir.mkdir(parents=True, exist_ok=True)
        handlers.append(
            logging.handlers.RotatingFileHandler(
                log_dir / "kiosk.log", maxBytes=2_000_000, backupCount=5, encoding="utf-8"
            )
        )
    if verbose:
        handlers.append(logging.StreamHandler())
    for handler in handlers:
        handler.setFormatter(fmt)
        handler.addFilter(ScrubFilter())
        root.addHandler(handler)
    root.propagate = False


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
