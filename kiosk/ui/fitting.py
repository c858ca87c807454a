"""Labels that keep the layout still: reserved lines, text that shrinks or wraps to fit.

A screen must not jump when a message appears or grows (issue 15): lines for
a message are reserved up front (``reserve_lines``), an amount shrinks to
its width instead of widening the column (``FitLabel``), and a long
unbroken id wraps anywhere instead of being cut at the edge
(``WrapAnywhereLabel``). All of them show plain text only.

Fitting runs on the GUI thread each time a screen shows (issue 15: no
event-loop slice over 16 ms), so its font measurements are remembered:
``shrunk`` and ``line_height`` by (font, text, width), and a ``FitLabel``
does nothing when its text and width are those it last fitted. Every Qt
call that measures may hand the GIL to a worker for a while; a remembered
answer makes none. The memory is dropped whenever the application's fonts
change (``QGuiApplication.fontDatabaseChanged``: ``theme.load_fonts``), as
a width measured with a fallback font is wrong once the real one is loaded.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import TypeVar

from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import (
    QFont,
    QFontMetrics,
    QGuiApplication,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QTextLayout,
    QTextOption,
)
from PySide6.QtWidgets import QLabel, QPushButton, QSizePolicy, QWidget

_K = TypeVar("_K", bound=Hashable)


FontKey = tuple[str, tuple[str, ...]]
CACHE_LIMIT = 2048  # entries of each memory: a few screens' texts at a few widths

_sizes: dict[tuple[FontKey, str, int], int] = {}  # (font, text, width) -> pixel size that fits
_spacings: dict[FontKey, int] = {}
_generation = 0  # bumped when the fonts change: a FitLabel's "already fitted" expires too
_watching = False


def font_key(face: QFont) -> FontKey:
    """What the metrics of ``face`` depend on: its description and its fallback families."""
    return face.key(), tuple(face.families())


def forget_metrics() -> None:
    """Drop every remembered measurement (the application's fonts changed)."""
    global _generation
    _sizes.clear()
    _spacings.clear()
    _generation += 1


def _remember(memory: dict[_K, int], key: _K, value: int) -> int:
    global _watching
    if not _watching:
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.fontDatabaseChanged.connect(forget_metrics)
            _watching = True
    if len(memory) >= CACHE_LIMIT:
        memory.clear()  # rare (texts of many orders): simpler than an LRU, and still bounded
    memory[key] = value
    return value


def line_height(face: QFont) -> int:
    key = font_key(face)
    known = _spacings.get(key)
    if known is None:
        known = _remember(_spacings, key, QFontMetrics(face).lineSpacing())
    return known


def restyle(widget: QWidget, sheet: str) -> None:
    """``widget.setStyleSheet(sheet)`` unless it has that sheet already.

    Setting a style sheet re-polishes the widget even when nothing changed;
    the screens set a label's colour on every refresh, most of them the same.
    """
    if widget.styleSheet() != sheet:
        widget.setStyleSheet(sheet)


def reserve_lines(label: QLabel, lines: int) -> QLabel:
    """Give ``label`` the height of ``lines`` lines of its font, whatever it shows."""
    margins = label.contentsMargins()
    label.setFixedHeight(lines * line_height(label.font()) + margins.top() + margins.bottom() + 2)
    label.setWordWrap(lines > 1)
    return label


def reserve_for(label: QLabel, texts: Sequence[str], width: int) -> int:
    """Fix ``label``'s height to the tallest of ``texts`` wrapped at ``width``; that height.

    For a label whose possible texts are known (a status, a prompt): it keeps
    one height whichever it shows. Measured with the fonts the text falls
    back to (Thai lines are taller than Latin ones).
    """
    metrics = QFontMetrics(label.font())
    flags = int(Qt.TextFlag.TextWordWrap)
    box = QRect(0, 0, max(1, width), 99999)
    tallest = max((metrics.boundingRect(box, flags, t).height() for t in texts), default=0)
    margins = label.contentsMargins()
    height = max(tallest, metrics.lineSpacing()) + margins.top() + margins.bottom() + 2
    label.setWordWrap(True)
    label.setFixedHeight(height)
    return height


class FitLabel(QLabel):
    """One line of plain text at its font's size, or smaller when the width is too short.

    Its width never comes from its text (a long amount does not widen the
    column); its height is that of the full-size font, so shrinking never
    moves what is below it.
    """

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self._full = QFont(self.font())
        self._height = line_height(self._full) + 2
        self._fitted: tuple[str, int, int] | None = None  # (text, width, generation) fitted last
        self.setText(text)

    def setFont(self, face: QFont | str | Sequence[str]) -> None:
        face = face if isinstance(face, QFont) else QFont(face)
        self._full = QFont(face)
        self._fitted = None
        super().setFont(face)
        self._height = line_height(face) + 2
        self.setFixedHeight(self._height)
        self._fit()

    def setText(self, text: str) -> None:
        super().setText(text)
        self._fit()

    def full_font(self) -> QFont:
        return QFont(self._full)

    def minimumSizeHint(self) -> QSize:
        return QSize(0, self._height)  # called by every layout pass: no measuring here

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        text, width = self.text(), self.contentsRect().width() - 4
        if self._fitted == (text, width, _generation):
            return  # the same text at the same width: the font it has is the answer
        self._fitted = (text, width, _generation)
        face = shrunk(self._full, text, width)
        if face.pixelSize() != self.font().pixelSize():
            super().setFont(face)


def shrunk(face: QFont, text: str, width: int) -> QFont:
    """``face``, smaller if it must be for the longest line of ``text`` to fit ``width``.

    Remembered by (font, text, width); ``shrunk_uncached`` measures every time.
    """
    face = QFont(face)
    if face.pixelSize() <= 8 or width <= 0:
        return face
    key = (font_key(face), text, width)
    size = _sizes.get(key)
    if size is None:
        size = _remember(_sizes, key, shrunk_uncached(face, text, width).pixelSize())
    if size != face.pixelSize():
        face.setPixelSize(size)
    return face


def shrunk_uncached(face: QFont, text: str, width: int) -> QFont:
    """``shrunk`` measured afresh: about 6 % smaller at a time until the widest line fits."""
    face = QFont(face)
    size = face.pixelSize()

    def widest() -> int:
        return max(QFontMetrics(face).horizontalAdvance(line) for line in text.split("\n"))

    while size > 8 and width > 0 and widest() > width:
        size = max(8, int(size * 0.94))
        face.setPixelSize(size)
    return face


class ShrinkWrapLabel(QLabel):
    """Word-wrapped plain text in the height of ``lines`` lines; a smaller font when it must.

    For a message of unknown length in a place that must not grow (the PIN
    pad's answer above its keys): the height is fixed up front, and a text
    that would need more lines, or holds a word wider than the label (a
    command, a variable name), is drawn smaller instead of being cut.
    """

    def __init__(self, lines: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)
        self._lines = lines
        self._full = QFont(self.font())

    def setFont(self, face: QFont | str | Sequence[str]) -> None:
        face = face if isinstance(face, QFont) else QFont(face)
        self._full = QFont(face)
        super().setFont(face)
        margins = self.contentsMargins()
        extra = margins.top() + margins.bottom() + 2
        self.setFixedHeight(self._lines * line_height(face) + extra)
        self._fit()

    def setText(self, text: str) -> None:
        super().setText(text)
        self._fit()

    def full_font(self) -> QFont:
        return QFont(self._full)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fits(self, face: QFont, width: int) -> bool:
        # Words as the line breaker sees them: a no-break space keeps a command whole.
        words = self.text().replace("\n", " ").split(" ")
        widest = max((QFontMetrics(face).horizontalAdvance(w) for w in words), default=0)
        return widest <= width and self.heightForWidth(self.width()) <= self.height()

    def _fit(self) -> None:
        width = self.contentsRect().width() - 2
        if width <= 0:
            return
        face = QFont(self._full)
        size = face.pixelSize()
        super().setFont(face)
        while size > 8 and not self._fits(face, width):
            size = max(8, int(size * 0.94))
            face.setPixelSize(size)
            super().setFont(face)


class FitButton(QPushButton):
    """A button whose text shrinks to its width instead of widening the screen."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = QFont(self.font())
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)

    def setFont(self, face: QFont | str | Sequence[str]) -> None:
        face = face if isinstance(face, QFont) else QFont(face)
        self._full = QFont(face)
        super().setFont(face)
        self._fit()

    def setText(self, text: str) -> None:
        super().setText(text)
        self._fit()

    def minimumSizeHint(self) -> QSize:
        return QSize(0, super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        padding = super().sizeHint().width() - QFontMetrics(self.font()).horizontalAdvance(
            self.text()
        )
        face = shrunk(self._full, self.text(), self.width() - max(0, padding))
        if face.pixelSize() != self.font().pixelSize():
            super().setFont(face)


class WrapAnywhereLabel(QLabel):
    """Plain text that wraps at word boundaries, and anywhere inside a word too long for a line.

    A gateway id has no spaces: QLabel would cut it at the edge. ``text()``
    stays the text as given.
    """

    PREFERRED_WIDTH_EM = 24

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setWordWrap(True)
        self.setText(text)

    def _layouts(self, width: int) -> tuple[list[QTextLayout], float]:
        option = QTextOption()
        option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        layouts: list[QTextLayout] = []
        top = 0.0
        for paragraph in self.text().split("\n"):
            layout = QTextLayout(paragraph, self.font())
            layout.setTextOption(option)
            layout.beginLayout()
            while True:
                line = layout.createLine()
                if not line.isValid():
                    break
                line.setLineWidth(max(1, width))
                line.setPosition(QPointF(0, top))
                top += line.height()
            layout.endLayout()
            layouts.append(layout)
        return layouts, top

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        margins = self.contentsMargins()
        inner = width - margins.left() - margins.right()
        return round(self._layouts(inner)[1]) + margins.top() + margins.bottom() + 1

    def sizeHint(self) -> QSize:
        """As wide as the text on one line, up to PREFERRED_WIDTH_EM font sizes."""
        widest = max(
            (QFontMetrics(self.font()).horizontalAdvance(line) for line in self.text().split("\n")),
            default=0,
        )
        width = max(1, min(widest + 2, self.PREFERRED_WIDTH_EM * self.font().pixelSize()))
        return QSize(width, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:
        return QSize(0, line_height(self.font()))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setPen(self.palette().color(self.foregroundRole()))
        rect = QRectF(self.contentsRect())
        layouts, _ = self._layouts(int(rect.width()))
        for layout in layouts:
            layout.draw(painter, rect.topLeft())
        painter.end()


__all__ = [
    "FitButton",
    "FitLabel",
    "ShrinkWrapLabel",
    "WrapAnywhereLabel",
    "font_key",
    "forget_metrics",
    "line_height",
    "reserve_for",
    "reserve_lines",
    "restyle",
    "shrunk",
    "shrunk_uncached",
]
