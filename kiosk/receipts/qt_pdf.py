"""PDF receipts with Qt's PDF writer (the one receipts module allowed to use Qt).

The page is the paper roll: 58 or 80 mm wide and as long as the receipt.
The content is drawn at 203 dots per inch on the printable width of the
thermal head (48 mm of 384 dots, 72 mm of 576), so the PDF matches the
paper receipt, but as real text: it can be searched and copied. Qt shapes
Thai with HarfBuzz and falls back from Noto Sans to Noto Sans Thai per
character, like the raster renderer. Every string is drawn between two marks
that ``pdf_text`` turns into an ActualText span, so the text reads back with
its Thai marks (Qt alone loses the ones drawn with substituted glyphs).

Qt needs a QGuiApplication: the GUI's, or one on the offscreen platform made
by ``prepare`` (on the main thread) for the terminal commands.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QMarginsF, QPointF, QRectF, QSizeF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QFontMetricsF,
    QGuiApplication,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
)

from kiosk.domain.errors import PrinterError, Text
from kiosk.infra.qrmatrix import qr_modules
from kiosk.receipts import pdf_text
from kiosk.receipts.fonts import FONT_DIR, FONT_FILES
from kiosk.receipts.layout import Align, Banner, Block, Gap, Line, Pair, Paper, Qr, Rule, Size, wrap
from kiosk.receipts.printers import Document

DPI = 203
FAMILIES = ["Noto Sans", "Noto Sans Thai"]
TOP_PX, BOTTOM_PX = 16, 24
_app: QGuiApplication | None = None
_fonts_added = False
_log = logging.getLogger(__name__)


def ensure_app() -> None:
    """Qt's application object, made offscreen if the process has none (main thread only)."""
    global _app, _fonts_added
    if QGuiApplication.instance() is None:
        _app = QGuiApplication(["kiosk", "-platform", "offscreen"])
    if not _fonts_added:
        for name in FONT_FILES.values():
            QFontDatabase.addApplicationFont(str(FONT_DIR / name))
        _fonts_added = True


def mm(px: float) -> float:
    return px * 25.4 / DPI


def _font(px: int, bold: bool) -> QFont:
    font = QFont()
    font.setFamilies(FAMILIES)
    font.setPixelSize(px)
    font.setBold(bold)
    return font


@dataclass(frozen=True)
class _Piece:
    height: float
    paint: Callable[[QPainter, float], None]


class PdfLayout:
    """Blocks to pieces of known height; lengths are printer dots (1/203 inch)."""

    def __init__(self, paper: Paper) -> None:
        self.paper = paper
        self.width = paper.content_px
        self.left = 0.0  # set by the page: the printable width is centred on the paper
        self.texts: list[str] = []  # every string drawn, in order (ActualText)

    def draw(self, painter: QPainter, at: QPointF, text: str) -> None:
        """Draw ``text`` between the two marks that make it an ActualText span."""
        index = len(self.texts)
        self.texts.append(text)
        self._mark(painter, index, before=True)
        painter.drawText(at, text)
        self._mark(painter, index, before=False)

    @staticmethod
    def _mark(painter: QPainter, index: int, *, before: bool) -> None:
        x, y = pdf_text.mark_at(index, before)
        painter.fillRect(QRectF(x, y, 1, 1), QColor(1, 2, 3))

    def pieces(self, blocks: list[Block]) -> list[_Piece]:
        return [piece for block in blocks for piece in self._pieces(block)]

    def _pieces(self, block: Block) -> list[_Piece]:
        if isinstance(block, Line):
            px = self.paper.sizes[block.size]
            metrics = QFontMetricsF(_font(px, block.bold))
            rows = wrap(block.text, self.width, metrics.horizontalAdvance)
            return [self._row(row, px, block.bold, block.align) for row in rows]
        if isinstance(block, Pair):
            return self._pair(block)
        if isinstance(block, Rule):
            return [self._rule()]
        if isinstance(block, Banner):
            return [self._banner(block)]
        if isinstance(block, Qr):
            return [self._qr(block)]
        assert isinstance(block, Gap)
        height = block.lines * QFontMetricsF(_font(self.paper.sizes[Size.BODY], False)).height()
        return [_Piece(height, lambda p, y: None)]

    def _row(self, text: str, px: int, bold: bool, align: Align) -> _Piece:
        font = _font(px, bold)
        metrics = QFontMetricsF(font)
        width = metrics.horizontalAdvance(text)
        offset = {Align.LEFT: 0.0, Align.CENTER: (self.width - width) / 2}.get(
            align, self.width - width
        )

        def paint(painter: QPainter, y: float) -> None:
            painter.setFont(font)
            self.draw(painter, QPointF(self.left + offset, y + metrics.ascent()), text)

        return _Piece(metrics.height(), paint)

    def _pair(self, block: Pair) -> list[_Piece]:
        label_size = Size.BODY if block.size in (Size.LARGE, Size.TOTAL) else block.size
        label_font = _font(self.paper.sizes[label_size], False)
        value_font = _font(self.paper.sizes[block.size], block.bold)
        lm, vm = QFontMetricsF(label_font), QFontMetricsF(value_font)
        value_w = vm.horizontalAdvance(block.value)
        if lm.horizontalAdvance(block.label) + lm.height() / 2 + value_w > self.width:
            labels = wrap(block.label, self.width, lm.horizontalAdvance)
            values = wrap(block.value, self.width, vm.horizontalAdvance)
            return [
                *(self._row(r, self.paper.sizes[label_size], False, Align.LEFT) for r in labels),
                *(
                    self._row(r, self.paper.sizes[block.size], block.bold, Align.RIGHT)
                    for r in values
                ),
            ]
        ascent = max(lm.ascent(), vm.ascent())

        def paint(painter: QPainter, y: float) -> None:
            painter.setFont(label_font)
            self.draw(painter, QPointF(self.left, y + ascent), block.label)
            painter.setFont(value_font)
            self.draw(painter, QPointF(self.left + self.width - value_w, y + ascent), block.value)

        return [_Piece(ascent + max(lm.descent(), vm.descent()), paint)]

    def _rule(self) -> _Piece:
        height = QFontMetricsF(_font(self.paper.sizes[Size.SMALL], False)).height() / 2

        def paint(painter: QPainter, y: float) -> None:
            x, mid = 0, y + height / 2
            while x < self.width:
                painter.fillRect(
                    QRectF(self.left + x, mid - 1, min(5, self.width - x), 2), Qt.GlobalColor.black
                )
                x += 8

        return _Piece(height, paint)

    def _banner(self, block: Banner) -> _Piece:
        font = _font(self.paper.sizes[Size.LARGE], True)
        metrics = QFontMetricsF(font)
        band = metrics.height()
        width = metrics.horizontalAdvance(block.text)

        def paint(painter: QPainter, y: float) -> None:
            painter.fillRect(QRectF(self.left, y + 4, self.width, band), Qt.GlobalColor.black)
            painter.setPen(QColor("white"))
            painter.setFont(font)
            self.draw(
                painter,
                QPointF(self.left + (self.width - width) / 2, y + 4 + metrics.ascent()),
                block.text,
            )
            painter.setPen(QColor("black"))

        return _Piece(band + 8, paint)

    def _qr(self, block: Qr) -> _Piece:
        matrix = qr_modules(block.data, border=0)
        module = self.paper.qr_module_px
        side = len(matrix) * module
        quiet = 2 * module

        def paint(painter: QPainter, y: float) -> None:
            x0 = self.left + (self.width - side) / 2
            for row, cells in enumerate(matrix):
                for col, dark in enumerate(cells):
                    if dark:
                        painter.fillRect(
                            QRectF(x0 + col * module, y + quiet + row * module, module, module),
                            Qt.GlobalColor.black,
                        )

        return _Piece(side + 2 * quiet, paint)


def write_pdf(blocks: list[Block], paper: Paper, path: Path, *, title: str = "") -> None:
    """Write the blocks as a one-page PDF as wide as the paper and as long as the receipt."""
    layout = PdfLayout(paper)
    pieces = layout.pieces(blocks)
    height_px = TOP_PX + sum(p.height for p in pieces) + BOTTOM_PX
    page_px = paper.mm * DPI / 25.4
    layout.left = (page_px - paper.content_px) / 2
    writer = QPdfWriter(str(path))
    writer.setResolution(DPI)
    writer.setCreator("kiosk")
    writer.setTitle(title)
    writer.setPageSize(
        QPageSize(QSizeF(paper.mm, mm(height_px)), QPageSize.Unit.Millimeter, "receipt")
    )
    writer.setPageMargins(QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter)
    painter = QPainter()
    if not painter.begin(writer):
        raise OSError(f"cannot write {path}")
    try:
        painter.setPen(QColor("black"))
        y = float(TOP_PX)
        for piece in pieces:
            piece.paint(painter, y)
            y += piece.height
    finally:
        painter.end()
    _add_actual_text(path, layout.texts)


def _add_actual_text(path: Path, texts: list[str]) -> None:
    """Append the ActualText spans; a PDF laid out otherwise keeps Qt's text layer."""
    data = path.read_bytes()
    try:
        data = pdf_text.add_actual_text(data, texts)
    except pdf_text.PdfTextError as exc:
        _log.warning("PDF %s: text layer left as Qt wrote it (%s)", path.name, exc)
        return
    path.write_bytes(data)


class PdfPrinter:
    """``printer.kind = "pdf"``: one PDF per receipt in a folder."""

    kind = "pdf"

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def describe(self) -> str:
        return f"pdf {self.folder}"

    def prepare(self) -> None:
        ensure_app()

    def print(self, document: Document) -> str:
        path = self.folder / f"{document.name}.pdf"
        partial = path.with_name(f".{path.name}.partial")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            write_pdf(document.blocks, document.paper, partial, title=document.name)
            with partial.open("rb+") as fh:
                os.fsync(fh.fileno())
            partial.replace(path)
        except OSError as exc:
            raise PrinterError(
                f"{path}: {exc}",
                text=Text(
                    "The PDF receipt could not be saved. The sale is complete.",
                    "บันทึกใบเสร็จ PDF ไม่ได้ การขายเสร็จสมบูรณ์แล้ว",
                ),
            ) from exc
        return str(path)
