"""A QR code drawn module by module at an integer scale, crisp at any size.

The widget keeps the payload it shows (automation reads it back), paints a
4-module quiet zone, and greys out when the sale is no longer payable.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from kiosk.infra.qrmatrix import qr_modules

QUIET_ZONE = 4


def qr_matrix(payload: str) -> list[list[bool]]:
    """The modules of the QR for ``payload``, quiet zone included."""
    return qr_modules(payload, border=QUIET_ZONE)


class QrView(QWidget):
    painted = Signal()  # emitted after the first paint of a new payload

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("qrView")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(240, 240)
        self._payload: str | None = None
        self._matrix: list[list[bool]] = []
        self._image: QImage | None = None
        self._inactive = False
        self._announce = False

    def payload(self) -> str | None:
        return self._payload

    def is_inactive(self) -> bool:
        return self._inactive

    def set_content(self, payload: str | None, image_png: bytes | None = None) -> None:
        self._payload = payload
        self._matrix = qr_matrix(payload) if payload else []
        self._image = None
        if not payload and image_png:
            image = QImage()
            if image.loadFromData(image_png):
                self._image = image
        self._inactive = False
        self._announce = True
        self.update()

    def set_inactive(self, inactive: bool) -> None:
        if inactive != self._inactive:
            self._inactive = inactive
            self.update()

    def sizeHint(self) -> QSize:
        return QSize(520, 520)

    def module_scale(self) -> int:
        """Pixels per module: the largest whole number that fits."""
        if not self._matrix:
            return 0
        return max(1, min(self.width(), self.height()) // len(self._matrix))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(self.palette().window().color()))
        ink = QColor("#b8b8b8" if self._inactive else "#000000")
        if self._matrix:
            n = len(self._matrix)
            scale = self.module_scale()
            side = n * scale
            left = (self.width() - side) // 2
            top = (self.height() - side) // 2
            painter.fillRect(QRect(left, top, side, side), QColor("white"))
            for y, row in enumerate(self._matrix):
                x = 0
                while x < n:  # one rectangle per run of dark modules
                    if row[x]:
                        start = x
                        while x < n and row[x]:
                            x += 1
                        painter.fillRect(
                            left + start * scale, top + y * scale, (x - start) * scale, scale, ink
                        )
                    else:
                        x += 1
        elif self._image is not None:
            target = self._image.scaled(
                self.size(),
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.FastTransformation,
            )
            if self._inactive:
                target = target.convertToFormat(QImage.Format.Format_Grayscale8)
                painter.setOpacity(0.35)
            painter.drawImage(
                (self.width() - target.width()) // 2, (self.height() - target.height()) // 2, target
            )
        painter.end()
        if self._announce:
            self._announce = False
            self.painted.emit()
