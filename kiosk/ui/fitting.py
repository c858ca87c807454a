"""Labels that keep the layout still: reserved lines, text that shrinks or wraps to fit.

A screen must not jump when a message appears or grows (issue 15): lines for
a message are reserved up front (``reserve_lines``), an amount shrinks to
its width instead of widening the column (``FitLabel``), and a long
unbroken id wraps anywhere instead of being cut at the edge
(``WrapAnywhereLabel``). All of them show plain text only.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import (
    QFont,
    QFontMetrics,
    QPainter,
    QPaintEvent,
    QResizeEvent,
    QTextLayout,
    QTextOption,
)
from PySide6.QtWidgets import QLabel, QPushButton, QSizePolicy, QWidget


def line_height(face: QFont) -> int:
    return QFontMetrics(face).lineSpacing()


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
        self.setText(text)

    def setFont(self, face: QFont | str | Sequence[str]) -> None:
        face = face if isinstance(face, QFont) else QFont(face)
        self._full = QFont(face)
        super().setFont(face)
        self.setFixedHeight(line_height(face) + 2)
        self._fit()

    def setText(self, text: str) -> None:
        super().setText(text)
        self._fit()

    def full_font(self) -> QFont:
        return QFont(self._full)

    def minimumSizeHint(self) -> QSize:
        return QSize(0, line_height(self._full) + 2)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        face = shrunk(self._full, self.text(), self.contentsRect().width() - 4)
        if face.pixelSize() != self.font().pixelSize():
            super().setFont(face)


def shrunk(face: QFont, text: str, width: int) -> QFont:
    """``face``, smaller if it must be for the longest line of ``text`` to fit ``width``."""
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
    "line_height",
    "reserve_for",
    "reserve_lines",
    "shrunk",
]
