"""The customer display's window: everything painted, sized from its own screen.

States: idle (shop name, optional picture and text), sale (the QR in a Thai
QR Payment style frame we draw ourselves, the amount, the shop name, the
countdown), paid (green, a tick, the amount, the late-payment words when they
apply), ended (expired / cancelled / failed: a short message). Which state
shows is decided by ``kiosk.ui.customer_display``; this widget only paints.

It never takes focus: no focus policy, ``WindowDoesNotAcceptFocus`` and
``WA_ShowWithoutActivating`` (the cashier's keys keep going to the cashier).
A paint that raises is caught here and reported through ``broken``: the
display is reset by its owner, the sale goes on.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from PySide6.QtCore import QEvent, QPointF, QRect, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QImage,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QWidget

from kiosk.domain.money import Money
from kiosk.domain.order import Method
from kiosk.ui.theme import FAMILIES

log = logging.getLogger("kiosk.ui.customer")

NAVY = "#113566"  # the Thai QR Payment frame's colour
WECHAT = "#1aad19"
GREEN = "#1b873f"
AMBER = "#b26a00"
GREY = "#5f6368"
RED = "#c62828"
INK = "#1d1d1f"
PAPER = "#f7f7f5"


class Phase(StrEnum):
    IDLE = "idle"
    SALE = "sale"
    PAID = "paid"
    ENDED = "ended"


class Ending(StrEnum):
    EXPIRED = "expired"
    CANCELLED = "cancelled"
    FAILED = "failed"
    ASK = "ask"  # flagged for the manager: no "paid" to the customer


@dataclass(frozen=True)
class Sale:
    """What the customer sees of one order (plain values, no order object)."""

    order_id: str
    amount: Money
    method: Method
    payload: str | None
    image_png: bytes | None
    expires_at: datetime | None


def amount_text(amount: Money) -> str:
    whole, frac = divmod(abs(amount.satang), 100)
    return f"{whole:,}.{frac:02d}"


def mm_ss(seconds: float) -> str:
    whole = max(0, int(seconds + 0.999))
    return f"{whole // 60:02d}:{whole % 60:02d}"


def modules_image(matrix: list[list[bool]]) -> QImage:
    """One pixel a module: black dark modules, white light ones (the quiet zone too)."""
    n = len(matrix)
    stride = (n + 3) // 4 * 4  # scan lines 32-bit aligned
    padding = bytes(stride - n)
    data = b"".join(bytes(row) + padding for row in matrix)  # True -> 1, False -> 0
    image = QImage(data, n, n, stride, QImage.Format.Format_Indexed8).copy()  # owns its bytes
    image.setColorTable([0xFFFFFFFF, 0xFF000000])
    return image


def face(pixels: float, *, bold: bool = False) -> QFont:
    f = QFont()
    f.setFamilies(FAMILIES)
    f.setPixelSize(max(8, int(pixels)))
    f.setBold(bold)
    return f


def draw_line(
    painter: QPainter,
    rect: QRect | QRectF,
    text: str,
    pixels: float,
    *,
    bold: bool = False,
    color: str = INK,
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignCenter,
) -> None:
    """``text`` on one line in ``rect``, shrunk until it fits its width."""
    f = face(pixels, bold=bold)
    width = QFontMetrics(f).horizontalAdvance(text)
    if width > rect.width() > 0:
        f = face(pixels * rect.width() / width * 0.97, bold=bold)
    painter.setFont(f)
    painter.setPen(QColor(color))
    painter.drawText(rect, int(align | Qt.AlignmentFlag.AlignVCenter), text)


class CustomerView(QWidget):
    broken = Signal()  # a paint failed: the owner resets the display
    qrPainted = Signal(str)  # the payload whose modules were just painted

    def __init__(self, *, shop_name: str, idle_text: str, idle_image: QImage | None) -> None:
        super().__init__(None)
        self.setObjectName("customerDisplay")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.set_framed(False)
        self.shop_name = shop_name
        self.idle_text = idle_text
        self.idle_image = idle_image
        self.phase = Phase.IDLE
        self.sale: Sale | None = None
        self.matrix: list[list[bool]] = []
        self.late = False
        self.ending = Ending.EXPIRED
        self.now: datetime | None = None  # set by the owner each tick
        self.drawn_payload: str | None = None  # the payload of the modules last painted
        self.drawn_modules: list[list[bool]] = []
        self._image = QImage()  # ``matrix`` one pixel a module, made at its first paint
        self._image_of: list[list[bool]] | None = None
        self._announced: str | None = None
        self.text_area = QRect()  # where the sale's words are: the countdown repaints only there

    def set_framed(self, framed: bool) -> None:
        """Frameless on its own screen; framed (to drag) when the manager opens it as a window."""
        flags = Qt.WindowType.Window | Qt.WindowType.WindowDoesNotAcceptFocus
        if not framed:
            flags |= Qt.WindowType.FramelessWindowHint
        self.setWindowFlags(flags)
        self.setWindowTitle(self.tr("Customer display"))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.update()  # every text is looked up when painted
        super().changeEvent(event)

    # --- painting

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
            self.paint_content(painter)
        except Exception:
            log.exception("the customer display could not paint; it is reset")
            QTimer.singleShot(0, self.broken.emit)  # not from inside a paint
        finally:
            painter.end()
        if (
            self.phase is Phase.SALE
            and self.drawn_payload
            and self._announced != self.drawn_payload
        ):
            self._announced = self.drawn_payload
            self.qrPainted.emit(self.drawn_payload)

    def paint_content(self, painter: QPainter) -> None:
        if self.phase is Phase.SALE and self.sale is not None:
            self.paint_sale(painter, self.sale)
        elif self.phase is Phase.PAID and self.sale is not None:
            self.paint_paid(painter, self.sale)
        elif self.phase is Phase.ENDED:
            self.paint_ended(painter)
        else:
            self.paint_idle(painter)

    def tick(self) -> None:
        """Repaint what the clock changes: the sale's words (the QR stays as painted)."""
        if self.phase is Phase.SALE and self.text_area.isValid():
            self.update(self.text_area)
        else:
            self.update()

    def unit(self) -> float:
        return min(self.width(), self.height()) / 100

    def paint_idle(self, painter: QPainter) -> None:
        painter.fillRect(self.rect(), QColor(PAPER))
        u, w, h = self.unit(), self.width(), self.height()
        top = int(h * 0.1)
        if self.idle_image is not None and not self.idle_image.isNull():
            area = QRect(int(w * 0.1), top, int(w * 0.8), int(h * 0.45))
            image = self.idle_image.scaled(
                area.size(),
                Qt.AspectRatioMode.KeepAspectRatio,
                Qt.TransformationMode.SmoothTransformation,
            )
            painter.drawImage(
                area.x() + (area.width() - image.width()) // 2,
                area.y() + (area.height() - image.height()) // 2,
                image,
            )
            top = area.bottom() + int(4 * u)
        else:
            top = int(h * 0.33)
        draw_line(painter, QRect(0, top, w, int(16 * u)), self.shop_name, 11 * u, bold=True)
        top += int(18 * u)
        # The shop's own line, else a plain welcome.
        line = self.idle_text or self.tr("Welcome")
        draw_line(painter, QRect(0, top, w, int(10 * u)), line, 6 * u, color=GREY)

    def paint_sale(self, painter: QPainter, sale: Sale) -> None:
        painter.fillRect(self.rect(), QColor(PAPER))
        u, w, h = self.unit(), self.width(), self.height()
        margin = int(3 * u)
        portrait = h > w
        if portrait:
            card_h = int(h * 0.66) - margin
            card = self._card_rect(QRect(margin, margin, w - 2 * margin, card_h))
            text = QRect(
                margin, card.bottom() + margin, w - 2 * margin, h - card.bottom() - 2 * margin
            )
        else:
            card = self._card_rect(QRect(margin, margin, int(w * 0.62), h - 2 * margin))
            text = QRect(
                card.right() + 2 * margin, margin, w - card.right() - 3 * margin, h - 2 * margin
            )
        self.paint_card(painter, card, sale)
        self.paint_sale_text(painter, text, sale)

    def _card_rect(self, room: QRect) -> QRect:
        """The frame: a header band (9.5 %), a brand row (6.5 %), the square QR below."""
        header = 0.16  # of the card's height, both rows
        side = min(room.width(), int(room.height() * (1 - header)))
        height = int(side / (1 - header))
        if height > room.height():
            height = room.height()
            side = int(height * (1 - header))
        return QRect(
            room.x() + (room.width() - side) // 2,
            room.y() + (room.height() - height) // 2,
            side,
            height,
        )

    def paint_card(self, painter: QPainter, card: QRect, sale: Sale) -> None:
        colour = QColor(WECHAT if sale.method is Method.WECHAT else NAVY)
        radius = card.width() * 0.03
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("white"))
        painter.drawRoundedRect(QRectF(card), radius, radius)
        band = QRect(card.x(), card.y(), card.width(), int(card.height() * 0.095))
        path = QPainterPath()
        path.addRoundedRect(QRectF(band.adjusted(0, 0, 0, int(radius))), radius, radius)
        painter.setClipRect(band)
        painter.fillPath(path, colour)
        painter.setClipping(False)
        brand = QRect(card.x(), band.bottom(), card.width(), int(card.height() * 0.065))
        pad = int(card.width() * 0.06)
        if sale.method is Method.WECHAT:
            draw_line(
                painter,
                band.adjusted(pad, 0, -pad, 0),
                "WeChat Pay",
                band.height() * 0.5,
                bold=True,
                color="white",
            )
            draw_line(
                painter,
                brand.adjusted(pad, 0, -pad, 0),
                self.tr("Scan with WeChat"),
                brand.height() * 0.55,
                bold=True,
                color=WECHAT,
            )
        else:
            draw_line(
                painter,
                band.adjusted(pad, 0, -pad, 0),
                "THAI QR PAYMENT",
                band.height() * 0.5,
                bold=True,
                color="white",
            )
            draw_line(
                painter,
                brand.adjusted(pad, 0, -pad, 0),
                "PromptPay",
                brand.height() * 0.62,
                bold=True,
                color=NAVY,
            )
        painter.setPen(QPen(colour, max(2, card.width() * 0.012)))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(QRectF(card), radius, radius)
        room = QRect(card.x(), brand.bottom(), card.width(), card.bottom() - brand.bottom())
        self.paint_qr(painter, room, sale)

    def paint_qr(self, painter: QPainter, room: QRect, sale: Sale) -> None:
        """The modules at a whole number of pixels each (crisp), the quiet zone included."""
        n = len(self.matrix)
        if n:
            scale = max(1, min(room.width(), room.height()) // n)
            side = n * scale
            left = room.x() + (room.width() - side) // 2
            top = room.y() + (room.height() - side) // 2
            if self._image_of is not self.matrix:  # once a code, not each paint
                self._image, self._image_of = modules_image(self.matrix), self.matrix
            # One scaled drawImage in C++ (nearest pixel: crisp, no smoothing
            # hint) instead of a Python loop of hundreds of rectangles.
            painter.drawImage(QRect(left, top, side, side), self._image)
            self.drawn_payload, self.drawn_modules = sale.payload, self.matrix
        elif sale.payload is None and sale.image_png:
            image = QImage()
            if image.loadFromData(sale.image_png):
                side = min(room.width(), room.height())
                image = image.scaled(
                    side,
                    side,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.FastTransformation,
                )
                painter.drawImage(
                    room.x() + (room.width() - image.width()) // 2,
                    room.y() + (room.height() - image.height()) // 2,
                    image,
                )

    def paint_sale_text(self, painter: QPainter, area: QRect, sale: Sale) -> None:
        self.text_area = QRect(area)
        u = self.unit()
        rows = [
            (self.shop_name, 6 * u, True, INK),
            (self.tr("Amount to pay"), 4.5 * u, False, GREY),
            (self.tr("%1 baht").replace("%1", amount_text(sale.amount)), 11 * u, True, INK),
            (self.tr("Scan the QR code to pay"), 4.5 * u, False, GREY),
        ]
        left = self.seconds_left(sale)
        if left is not None:
            rows.append(
                (
                    self.tr("Time left %1").replace("%1", mm_ss(left)),
                    6 * u,
                    True,
                    AMBER if left <= 30 else INK,
                )
            )
        heights = [size * 1.7 for _, size, _, _ in rows]
        top = area.y() + max(0, (area.height() - sum(heights)) / 2)
        for (text, size, bold, colour), height in zip(rows, heights, strict=True):
            draw_line(
                painter,
                QRectF(area.x(), top, area.width(), height).toRect(),
                text,
                size,
                bold=bold,
                color=colour,
            )
            top += height

    def seconds_left(self, sale: Sale) -> float | None:
        if sale.expires_at is None or self.now is None:
            return None
        return max(0.0, (sale.expires_at - self.now).total_seconds())

    def paint_paid(self, painter: QPainter, sale: Sale) -> None:
        painter.fillRect(self.rect(), QColor(GREEN))
        u, w, h = self.unit(), self.width(), self.height()
        radius = 14 * u
        centre = QPointF(w / 2, h * 0.27)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("white"))
        painter.drawEllipse(centre, radius, radius)
        tick = QPainterPath(QPointF(centre.x() - radius * 0.45, centre.y() + radius * 0.02))
        tick.lineTo(centre.x() - radius * 0.1, centre.y() + radius * 0.38)
        tick.lineTo(centre.x() + radius * 0.5, centre.y() - radius * 0.32)
        pen = QPen(QColor(GREEN), radius * 0.2)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(tick)
        top = centre.y() + radius + 3 * u
        rows = [
            (self.tr("Payment received"), 9 * u),
            (self.tr("%1 baht").replace("%1", amount_text(sale.amount)), 12 * u),
        ]
        if self.late:
            rows.append((self.tr("Paid after the QR code had expired. Thank you!"), 4.5 * u))
        else:
            rows.append((self.tr("Thank you!"), 5 * u))
        rows.append((self.shop_name, 4 * u))
        for text, size in rows:
            draw_line(
                painter,
                QRectF(w * 0.05, top, w * 0.9, size * 1.6).toRect(),
                text,
                size,
                bold=size > 8 * u,
                color="white",
            )
            top += size * 1.6

    def paint_ended(self, painter: QPainter) -> None:
        colours = {
            Ending.EXPIRED: AMBER,
            Ending.CANCELLED: GREY,
            Ending.FAILED: RED,
            Ending.ASK: RED,
        }
        titles = {
            Ending.EXPIRED: self.tr("QR code expired"),
            Ending.CANCELLED: self.tr("Sale cancelled"),
            Ending.FAILED: self.tr("Payment not completed"),
            Ending.ASK: self.tr("Please wait"),
        }
        painter.fillRect(self.rect(), QColor(colours[self.ending]))
        u, w, h = self.unit(), self.width(), self.height()
        draw_line(
            painter,
            QRect(int(w * 0.05), int(h * 0.3), int(w * 0.9), int(16 * u)),
            titles[self.ending],
            10 * u,
            bold=True,
            color="white",
        )
        draw_line(
            painter,
            QRect(int(w * 0.05), int(h * 0.3 + 18 * u), int(w * 0.9), int(10 * u)),
            self.tr("Please ask the cashier."),
            6 * u,
            color="white",
        )
