"""Dates and times as Thai and English readers expect them.

Thai readers count years in the Buddhist era (BE = CE + 543) on screens and on
paper; English screens keep the common era. Machine-readable output (JSON, CSV)
always carries ISO 8601 in Bangkok local time with its offset, so a person
reading a file sees the same clock time as on the screen and a program still
gets an unambiguous instant. Plain functions: no Qt, no I/O.
"""

from __future__ import annotations

from datetime import date, datetime

from kiosk.domain.order import BANGKOK

BE_OFFSET = 543

# U+2060 WORD JOINER forbids a line break where it stands and draws nothing;
# U+00A0 is a space that never breaks. Qt's line breaker may otherwise wrap
# "01/12/2569" after a slash.
_JOIN = "\u2060"
_NBSP = "\u00a0"


def year_for(year: int, language: str) -> int:
    """The year a reader of ``language`` counts: BE for Thai, CE otherwise."""
    return year + BE_OFFSET if language == "th" else year


def format_date(day: date, language: str) -> str:
    """``01/12/2569`` in Thai, ``01/12/2026`` in English (day first in both)."""
    return f"{day.day:02d}/{day.month:02d}/{year_for(day.year, language):04d}"


def format_datetime(at: datetime, language: str, *, seconds: bool = False) -> str:
    """Bangkok local date and time, e.g. ``01/12/2569 19:05``."""
    local = at.astimezone(BANGKOK)
    clock = f"{local:%H:%M:%S}" if seconds else f"{local:%H:%M}"
    return f"{format_date(local.date(), language)} {clock}"


def iso_local(at: datetime) -> str:
    """ISO 8601 in Bangkok time with its offset: ``2026-12-01T19:05:00+07:00``."""
    return at.astimezone(BANGKOK).isoformat()


def iso_local_optional(at: datetime | None) -> str | None:
    return None if at is None else iso_local(at)


def unbreakable(text: str) -> str:
    """The same text, but no line break inside it (for labels that word-wrap)."""
    return text.replace(" ", _NBSP).replace("/", "/" + _JOIN).replace(":", ":" + _JOIN)


__all__ = [
    "BE_OFFSET",
    "format_date",
    "format_datetime",
    "iso_local",
    "iso_local_optional",
    "unbreakable",
    "year_for",
]
