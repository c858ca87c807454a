"""A QR code drawn module by module at an integer scale, crisp at any size.

The widget keeps the payload it shows (automation reads it back), paints a
4-module quiet zone, and greys out when the sale is no longer payable.

The modules are computed on a worker thread: qrcode is pure Python (about
1 ms a code now that the mask is fixed, see kiosk.infra.qrmatrix; 6-25 ms
when it chose one, then the longest stall of a checkout). The screen around
the code paints meanwhile; ``painted`` fires once the code itself is drawn.
"""

from __future__ import annotations

import logging
from concurrent.futures import Future, ThreadPoolExecutor

from PySide6.QtCore import QObject, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from kiosk.infra.qrmatrix import qr_modules

log = logging.getLogger(__name__)

QUIET_ZONE = 4

# One worker: matrices come out in order; a newer payload simply supersedes.
# Its thread only builds lists of bools and touches no Qt object.
_WORKER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kiosk-qr")


def qr_matrix(payload: str) -> list[list[bool]]:
    """The modules of the QR for ``payload``, quiet zone included."""
    return qr_modules(payload, border=QUIET_ZONE)


def warm_up() -> None:
    """Load qrcode and draw one code on the worker now (at start-up), so the
    first sale does not wait ~40 ms for the import."""
    _WORKER.submit(qr_matrix, "warm-up")


class _Relay(QObject):
    """Carries a finished matrix to the GUI thread (a queued signal).

    It lives as long as the program, so the worker never emits on a deleted
    object and never holds the last reference to a widget.
    """

    done = Signal(object)  # the Future that finished


_relay: _Relay | None = None


def _the_relay() -> _Relay:
    global _relay
    if _relay is None:  # made on the GUI thread, by the first QrView
        _relay = _Relay()
    return _relay


class QrView(QWidget):
    painted = Signal()  # emitted after the first paint of a new payload

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("qrView")
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(240, 240)
        self._payload: str | None = None
        self._matrix: list[list[bool]] = []
        self._pending: Future[list[list[bool]]] | None = None
        self._image: QImage | None = None
        self._inactive = False
        self._announce = False
        _the_relay().done.connect(self._computed, Qt.ConnectionType.QueuedConnection)

    def payload(self) -> str | None:
        return self._payload

    def is_inactive(self) -> bool:
        return self._inactive

    def set_content(self, payload: str | None, image_png: bytes | None = None) -> None:
        self._payload = payload
        self._matrix = []
        self._pending = None
        if payload:
            relay = _the_relay()
            pending = _WORKER.submit(qr_matrix, payload)
            pending.add_done_callback(relay.done.emit)  # on the worker thread: queued
            self._pending = pending
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

    def _computed(self, finished: Future[list[list[bool]]]) -> None:
        if finished is self._pending:
            self._adopt(finished)
            self.update()

    def _adopt(self, pending: Future[list[list[bool]]]) -> None:
        """Take the finished (or, when asked for, awaited) matrix of the current payload."""
        self._pending = None
        try:
            self._matrix = pending.result()
        except Exception:
            # The checkout let only drawable texts through; this is a second line.
            log.exception("the QR for the order on screen could not be drawn")
            self._matrix = []

    def module_scale(self) -> int:
        """Pixels per module: the largest whole number that fits (waits for the matrix)."""
        if self._pending is not None:
            self._adopt(self._pending)
        if not self._matrix:
            return 0
        return max(1, min(self.width(), self.height()) // len(self._matrix))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(self.palette().window().color()))
        ink = QColor("#b8b8b8" if self._inactive else "#000000")
        if self._pending is not None and self._pending.done():
            self._adopt(self._pending)
        if self._matrix:  # (while it is being computed: the background alone, for ~10 ms)
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
        if self._announce and self._pending is None:
            self._announce = False
            self.painted.emit()
