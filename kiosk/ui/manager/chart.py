"""A small bar chart of paid amounts per hour, painted with QPainter (no QtCharts here)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from kiosk.domain.money import Money
from kiosk.ui.theme import GREEN, GREY, INK, font, px

FIRST_HOUR, LAST_HOUR = 6, 23  # shown at least; hours with sales outside widen it


class HourlyChart(QWidget):
    """Paid satang per Bangkok hour (0-23), as bars with hour labels and the peak."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("hourlyChart")
        self.setMinimumHeight(px(100))
        self.setMinimumWidth(px(260))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self._hours = [0] * 24
        self._label_font = font(15)
        self._value_font = font(15, bold=True)
        self.retranslate()

    def set_hours(self, satang_by_hour: list[int]) -> None:
        if len(satang_by_hour) != 24:
            raise ValueError("one value per hour, 24 in all")
        if satang_by_hour != self._hours:
            self._hours = list(satang_by_hour)
            self.update()

    def hours(self) -> list[int]:
        return list(self._hours)

    def shown_hours(self) -> range:
        with_sales = [h for h, v in enumerate(self._hours) if v]
        first = min([FIRST_HOUR, *with_sales])
        last = max([LAST_HOUR, *with_sales])
        return range(first, last + 1)

    def sizeHint(self) -> QSize:
        return QSize(px(380), px(120))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        hours = self.shown_hours()
        labels = QFontMetricsF(self._label_font)
        top = labels.height() + 6
        bottom = self.height() - labels.height() - 6
        left, right = 8.0, self.width() - 8.0
        slot = (right - left) / len(hours)
        peak = max(self._hours)
        painter.setPen(QPen(QColor("#d0d0d0"), 2))
        painter.drawLine(int(left), int(bottom), int(right), int(bottom))
        if peak == 0:
            painter.setFont(self._label_font)
            painter.setPen(QColor(GREY))
            painter.drawText(
                QRectF(left, top, right - left, bottom - top),
                Qt.AlignmentFlag.AlignCenter,
                self._empty,
            )
        painter.setFont(self._label_font)
        for i, hour in enumerate(hours):
            x = left + i * slot
            value = self._hours[hour]
            if value:
                height = (bottom - top) * value / peak
                colour = QColor(GREEN)
                if value != peak:
                    colour.setAlpha(170)
                painter.fillRect(
                    QRectF(x + slot * 0.15, bottom - height, slot * 0.7, height), colour
                )
            if hour % 3 == 0:
                painter.setPen(QColor(GREY))
                painter.drawText(
                    QRectF(x - slot, bottom + 3, 3 * slot, labels.height()),
                    Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop,
                    f"{hour:02d}",
                )
        if peak:
            best = self._hours.index(peak)
            painter.setPen(QColor(INK))
            painter.setFont(self._value_font)
            painter.drawText(
                QRectF(left, 0, right - left, top),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                self._peak.replace("%1", f"{best:02d}:00").replace("%2", Money(peak).thb()),
            )
        painter.end()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self._empty = self.tr("No paid sales on this day")
        self._peak = self.tr("Busiest hour %1: %2")
        self.setToolTip(self.tr("Paid amounts per hour of the day"))
        self.update()
