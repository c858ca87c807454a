"""Draw receipt blocks into a 1-bit image exactly as wide as the print head.

Pillow's raqm layout shapes Thai with HarfBuzz: upper vowels, tone marks
and lower vowels stack and shift as the font's mark positioning says (the
basic layout would draw them on top of each other). Each line is split into
Thai and Latin runs (kiosk.receipts.fonts) drawn on one baseline.

Images are mode "1": 0 is a black dot, 255 is paper.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

from kiosk.infra.qrmatrix import qr_modules
from kiosk.receipts.fonts import Script, font_path, runs
from kiosk.receipts.layout import (
    Align,
    Banner,
    Block,
    Gap,
    Line,
    Pair,
    Paper,
    Qr,
    Rule,
    Size,
    wrap,
)

BLACK, WHITE = 0, 255
TOP_PX, BOTTOM_PX = 8, 16
QR_QUIET_MODULES = 2
# FreeType faces are not safe to share between threads while drawing.
_LOCK = threading.Lock()

Paint = Callable[[ImageDraw.ImageDraw, int], None]


@lru_cache(maxsize=64)
def _font(script: Script, bold: bool, px: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(font_path(script, bold)), px, layout_engine=ImageFont.Layout.RAQM)


def _language(script: Script) -> str | None:
    return "th" if script is Script.THAI else None


@lru_cache(maxsize=64)
def _metrics(px: int) -> tuple[int, int]:
    """Ascent and descent that fit both scripts (Thai marks reach far up and down)."""
    ascent = descent = 0
    for script in Script:
        for bold in (False, True):
            a, d = _font(script, bold, px).getmetrics()
            ascent, descent = max(ascent, a), max(descent, d)
    return ascent, descent


def text_width(text: str, px: int, bold: bool = False) -> float:
    return sum(
        _font(script, bold, px).getlength(part, language=_language(script))
        for script, part in runs(text)
    )


def _draw_text(
    draw: ImageDraw.ImageDraw,
    x: float,
    baseline: int,
    text: str,
    px: int,
    bold: bool,
    fill: int = BLACK,
) -> None:
    for script, part in runs(text):
        font = _font(script, bold, px)
        language = _language(script)
        draw.text((x, baseline), part, font=font, fill=fill, anchor="ls", language=language)
        x += font.getlength(part, language=language)


@dataclass(frozen=True)
class _Piece:
    height: int
    paint: Paint


class RasterRenderer:
    def __init__(self, paper: Paper) -> None:
        self.paper = paper
        self.left = paper.margin_px
        self.width = paper.content_px

    def px(self, size: Size) -> int:
        return self.paper.sizes[size]

    def render(self, blocks: list[Block]) -> Image.Image:
        with _LOCK:
            pieces = [piece for block in blocks for piece in self._pieces(block)]
            height = TOP_PX + sum(p.height for p in pieces) + BOTTOM_PX
            image = Image.new("1", (self.paper.width_px, height), WHITE)
            draw = ImageDraw.Draw(image)
            draw.fontmode = "1"  # no grey: every dot is black or paper
            y = TOP_PX
            for piece in pieces:
                piece.paint(draw, y)
                y += piece.height
            return image

    # --- one block -> pieces (each one row of height)

    def _pieces(self, block: Block) -> list[_Piece]:
        if isinstance(block, Line):
            return self._line(block)
        if isinstance(block, Pair):
            return self._pair(block)
        if isinstance(block, Rule):
            return [self._rule()]
        if isinstance(block, Banner):
            return [self._banner(block)]
        if isinstance(block, Qr):
            return [self._qr(block)]
        assert isinstance(block, Gap)
        return [_Piece(round(block.lines * self._line_height(Size.BODY)), lambda d, y: None)]

    def _line_height(self, size: Size) -> int:
        ascent, descent = _metrics(self.px(size))
        return ascent + descent

    def _row(self, text: str, size: Size, bold: bool, align: Align) -> _Piece:
        px = self.px(size)
        ascent, _ = _metrics(px)
        width = text_width(text, px, bold)
        if align is Align.CENTER:
            x = self.left + (self.width - width) / 2
        elif align is Align.RIGHT:
            x = self.left + self.width - width
        else:
            x = self.left

        def paint(draw: ImageDraw.ImageDraw, y: int) -> None:
            _draw_text(draw, x, y + ascent, text, px, bold)

        return _Piece(self._line_height(size), paint)

    def _wrap(self, text: str, size: Size, bold: bool) -> list[str]:
        px = self.px(size)
        return wrap(text, self.width, lambda t: text_width(t, px, bold))

    def _line(self, block: Line) -> list[_Piece]:
        return [
            self._row(row, block.size, block.bold, block.align)
            for row in self._wrap(block.text, block.size, block.bold)
        ]

    def _pair(self, block: Pair) -> list[_Piece]:
        # The label stays at body size; a big value (the total) shares its baseline.
        label_size = Size.BODY if block.size in (Size.LARGE, Size.TOTAL) else block.size
        label_px, value_px = self.px(label_size), self.px(block.size)
        label_w = text_width(block.label, label_px)
        value_w = text_width(block.value, value_px, block.bold)
        gap = label_px // 2
        if label_w + gap + value_w > self.width:
            labels = [
                self._row(r, label_size, False, Align.LEFT)
                for r in self._wrap(block.label, label_size, False)
            ]
            values = [
                self._row(r, block.size, block.bold, Align.RIGHT)
                for r in self._wrap(block.value, block.size, block.bold)
            ]
            return labels + values
        ascent = max(_metrics(label_px)[0], _metrics(value_px)[0])
        descent = max(_metrics(label_px)[1], _metrics(value_px)[1])
        left, right = self.left, self.left + self.width - value_w

        def paint(draw: ImageDraw.ImageDraw, y: int) -> None:
            _draw_text(draw, left, y + ascent, block.label, label_px, False)
            _draw_text(draw, right, y + ascent, block.value, value_px, block.bold)

        return [_Piece(ascent + descent, paint)]

    def _rule(self) -> _Piece:
        height = self._line_height(Size.SMALL) // 2
        left, right = self.left, self.left + self.width

        def paint(draw: ImageDraw.ImageDraw, y: int) -> None:
            mid = y + height // 2
            for x in range(left, right, 8):
                draw.rectangle((x, mid - 1, min(x + 4, right - 1), mid), fill=BLACK)

        return _Piece(height, paint)

    def _banner(self, block: Banner) -> _Piece:
        px = self.px(Size.LARGE)
        ascent, descent = _metrics(px)
        band = ascent + descent
        width = text_width(block.text, px, True)
        x = self.left + (self.width - width) / 2
        left, right = self.left, self.left + self.width - 1

        def paint(draw: ImageDraw.ImageDraw, y: int) -> None:
            draw.rectangle((left, y + 4, right, y + 4 + band - 1), fill=BLACK)
            _draw_text(draw, x, y + 4 + ascent, block.text, px, True, fill=WHITE)

        return _Piece(band + 8, paint)

    def _qr(self, block: Qr) -> _Piece:
        matrix = qr_modules(block.data, border=0)
        module = self.paper.qr_module_px
        side = len(matrix) * module
        quiet = QR_QUIET_MODULES * module
        x0 = self.left + (self.width - side) // 2

        def paint(draw: ImageDraw.ImageDraw, y: int) -> None:
            for row, cells in enumerate(matrix):
                for col, dark in enumerate(cells):
                    if dark:
                        x, top = x0 + col * module, y + quiet + row * module
                        draw.rectangle((x, top, x + module - 1, top + module - 1), fill=BLACK)

        return _Piece(side + 2 * quiet, paint)


def render(blocks: list[Block], paper: Paper) -> Image.Image:
    return RasterRenderer(paper).render(blocks)
