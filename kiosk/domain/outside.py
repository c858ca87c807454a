"""Text and ids that come from outside the kiosk: data, never markup or control.

A gateway, Cognito, a file or a setting may send anything. Before such text
reaches the screen, a receipt, an ESC/POS printer or the journal it goes
through ``clean_text``: Thai and every other printable character stay;
C0/C1 control characters and the bidi overrides/isolates that can make a
line read backwards (U+202A-202E, U+2066-2069) go; the result is at most
``MAX_TEXT`` characters. Ids a gateway hands us are used in URLs, file
names and receipts, so they must match ``GATEWAY_ID`` exactly or the answer
is refused (``is_gateway_id``).

Secrets are a separate concern: ``kiosk.infra.logs.outside_text`` applies
``clean_text`` and then redacts every secret the process knows.
"""

from __future__ import annotations

import re
import unicodedata

MAX_TEXT = 200
MAX_ID = 64
GATEWAY_ID = re.compile(rf"[A-Za-z0-9._:-]{{1,{MAX_ID}}}")

_BIDI = frozenset(chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A)))


def _dropped(ch: str) -> bool:
    if ch in _BIDI:
        return True
    # Cc covers C0 (U+0000-001F), DEL and C1 (U+0080-009F).
    return unicodedata.category(ch) == "Cc"


def clean_text(value: str, limit: int = MAX_TEXT) -> str:
    """``value`` with controls and bidi overrides removed, at most ``limit`` characters.

    Line breaks and tabs become spaces (a message is one line wherever it
    is shown); runs of spaces collapse; the ends are stripped. A cut text ends
    in "…" so a reader knows it was cut.
    """
    out: list[str] = []
    for ch in value:
        if ch in "\t\n\r\v\f\x85\u2028\u2029":
            ch = " "
        elif _dropped(ch):
            continue
        if ch == " " and out and out[-1] == " ":
            continue
        out.append(ch)
    text = "".join(out).strip()
    if len(text) > limit:
        text = text[: max(0, limit - 1)].rstrip() + "…"
    return text


def clean_optional(value: object, limit: int = MAX_TEXT) -> str | None:
    """``clean_text`` of a string; None for anything else or for nothing left."""
    if not isinstance(value, str):
        return None
    return clean_text(value, limit) or None


def is_gateway_id(value: object) -> bool:
    """Whether ``value`` may be used as an id a gateway gave us."""
    return isinstance(value, str) and GATEWAY_ID.fullmatch(value) is not None


__all__ = ["GATEWAY_ID", "MAX_ID", "MAX_TEXT", "clean_optional", "clean_text", "is_gateway_id"]
