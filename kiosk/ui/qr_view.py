"""A QR code drawn module by module at an integer scale, crisp at any size.

The widget keeps the payload it shows (automation reads it back), paints a
4-module quiet zone, and greys out when the sale is no longer payable.

The modules are computed on a worker thread: qrcode is pure Python (about
1 ms a code now that the mask is fixed, see kiosk.infra.qrmatrix; 6-25 ms
when it chose one, then the longest stall of a checkout). The screen around
the code paints meanwhile; ``painted`` fires once the code itself is drawn.
The worker also packs the modules into a one-byte-a-module image, so a paint
is one scaled ``drawImage`` in C++ (nearest pixel: crisp) instead of a
Python loop of a few hundred rectangles (~1.6 ms of the GUI thread a paint).
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
LIGHT = 0xFFFFFFFF
DARK = 0xFF000000
GREYED = 0xFFB8B8B8  # the ink of a code that can no longer be paid

# One worker: matrices come out in order; a newer payload simply supersedes.
# Its thread only builds lists of bools and touches no Qt object.
_WORKER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kiosk-qr")


def qr_matrix(payload: str) -> list[list[bool]]:
    """The modules of the QR for ``payload``, quiet zone included."""
    return qr_modules(payload, border=QUIET_ZONE)


def modules_image(matrix: list[list[bool]]) -> QImage:
    """One pixel a module, colour index 1 dark and 0 light (the colours are the painter's).

    QImage is reentrant: made on the worker, handed over, never shared.
    """
    n = len(matrix)
    stride = (n + 3) // 4 * 4  # scan lines 32-bit aligned
    padding = bytes(stride - n)
    data = b"".join(bytes(row) + padding for row in matrix)  # True -> 1, False -> 0
    image = QImage(data, n, n, stride, QImage.Format.Format_Indexed8).copy()  # owns its bytes
    image.setColorTable([LIGHT, DARK])
    return image


def _encode(payload: str) -> QImage:
    return modules_image(qr_matrix(payload))


def warm_up() -> None:
    """Load qrcode and draw one code on the worker now (at start-up), so the
    first sale does not wait ~40 ms for the import."""
    _WORKER.submit(_encode, "warm-up")


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
        # It paints every pixel of itself: Qt need not paint the style sheet's
        # background here first, nor the screen's behind it (two fills of half
        # the screen for each paint).
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self._payload: str | None = None
        self._modules: QImage | None = None  # n x n, one pixel a module
        self._pending: Future[QImage] | None = None
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
        self._modules = None
        self._pending = None
        if payload:
            relay = _the_relay()
            pending = _WORKER.submit(_encode, payload)
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

    def _computed(self, finished: Future[QImage]) -> None:
        if finished is self._pending:
            self._adopt(finished)
            self.update()

    def _adopt(self, pending: Future[QImage]) -> None:
        """Take the finished (or, when asked for, awaited) modules of the current payload."""
        self._pending = None
        try:
            self._modules = pending.result()
        except Exception:
            # The checkout let only drawable texts through; this is a second line.
            log.exception("the QR for the order on screen could not be drawn")
            self._modules = None

    def module_scale(self) -> int:
        """Pixels per module: the largest whole number that fits (waits for the modules)."""
        if self._pending is not None:
            self._adopt(self._pending)
        if self._modules is None:
            return 0
        return max(1, min(self.width(), self.height()) // self._modules.width())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor(self.palette().window().color()))
        if self._pending is not None and self._pending.done():
            self._adopt(self._pending)
        modules = self._modules
        if modules is not None:  # (while it is being computed: the background alone, ~1 ms)
            scale = self.module_scale()
            side = modules.width() * scale
            ink = GREYED if self._inactive else DARK
            if modules.color(1) != ink:
                modules.setColor(1, ink)
            # A whole number of pixels a module, no smoothing: every module a sharp square.
            square = QRect((self.width() - side) // 2, (self.height() - side) // 2, side, side)
            painter.drawImage(square, modules)
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
