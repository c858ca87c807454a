"""The bundled receipt fonts, and which one draws which character.

Noto Sans Thai covers only the Thai block and Noto Sans only Latin (it has
no ฿), so a line such as ``ยอดรวม ฿1,234.50 TOTAL`` is cut into runs that each
go to the font that has their glyphs. A Thai run keeps its combining vowels
and tone marks, so the shaper (HarfBuzz, through Pillow's raqm layout or Qt)
can stack and shift them. Spaces stay in the run they follow, so a Thai
phrase with spaces is shaped as one piece.
"""

from __future__ import annotations

import unicodedata
from enum import StrEnum
from pathlib import Path

FONT_DIR = Path(__file__).resolve().parent.parent.parent / "resources" / "fonts"


class Script(StrEnum):
    LATIN = "latin"
    THAI = "thai"


FONT_FILES: dict[tuple[Script, bool], str] = {
    (Script.LATIN, False): "NotoSans-Regular.ttf",
    (Script.LATIN, True): "NotoSans-Bold.ttf",
    (Script.THAI, False): "NotoSansThai-Regular.ttf",
    (Script.THAI, True): "NotoSansThai-Bold.ttf",
}


def font_path(script: Script, bold: bool = False) -> Path:
    return FONT_DIR / FONT_FILES[(script, bold)]


def is_thai(ch: str) -> bool:
    return "\u0e00" <= ch <= "\u0e7f"


def script_of(ch: str) -> Script:
    return Script.THAI if is_thai(ch) else Script.LATIN


def runs(text: str) -> list[tuple[Script, str]]:
    """Split ``text`` into maximal runs of one script; a space joins the run before it."""
    out: list[tuple[Script, str]] = []
    for ch in text:
        script = script_of(ch)
        if out and (ch == " " or out[-1][0] is script):
            out[-1] = (out[-1][0], out[-1][1] + ch)
        else:
            out.append((script, ch))
    return out


def is_mark(ch: str) -> bool:
    """A character printed over or under the one before it (Thai vowels, tone marks)."""
    return unicodedata.category(ch) in ("Mn", "Me")


def cell_width(text: str) -> int:
    """Columns the text takes on a character printer: marks sit in their base's cell."""
    return sum(0 if is_mark(ch) else 1 for ch in text)


def clusters(text: str) -> list[str]:
    """Base characters with their marks; a line is never broken inside one."""
    out: list[str] = []
    for ch in text:
        if out and is_mark(ch):
            out[-1] += ch
        else:
            out.append(ch)
    return out
