"""The manager screen's two bars: the title row with the day, and the row of actions.

``DayBar``: the screen's name, whether the day is closed, the day shown (any
date up to today: back, a calendar, forward, Today), Settings and Back to
sale. ``ActionBar``: Reconcile, Export CSV, Close the day (Z), and the line
where the screen says what came of them.
"""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QDate, QDateTime, QEvent, QLocale, Qt, QTime, Signal
from PySide6.QtGui import QShowEvent, QValidator
from PySide6.QtWidgets import (
    QCalendarWidget,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from kiosk.domain.clock import Clock
from kiosk.domain.thaidate import BE_OFFSET, format_date, year_for
from kiosk.services.reports import date_of_day, day_of_date, today
from kiosk.ui.fitting import FitLabel
from kiosk.ui.i18n import shown_language
from kiosk.ui.manager.common import qdate, touch_button
from kiosk.ui.plain import plain
from kiosk.ui.theme import GREY, RED, font, metrics, px, touch


class EraCalendar(QCalendarWidget):
    """The date edit's calendar: Thai month names and the BE year on Thai screens.

    Qt's calendar knows only the common era; the year it shows in its title
    (its child ``qt_calendar_yearbutton``) is rewritten whenever the page
    changes, and typing a year there is off (it would be a CE year).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # As Qt's own popup calendar: no week numbers (they would narrow the day cells).
        self.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.currentPageChanged.connect(self._show_year)
        self._year = self.findChild(QToolButton, "qt_calendar_yearbutton")
        if self._year is not None:
            self._year.setEnabled(False)
            self._year.setStyleSheet("QToolButton:disabled { color: palette(button-text); }")
        self.retranslate()

    def _show_year(self, year: int, _month: int = 0) -> None:
        if self._year is not None:
            self._year.setText(str(year_for(year, shown_language())))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._show_year(self.yearShown())

    def retranslate(self) -> None:
        thai = shown_language() == "th"
        self.setLocale(QLocale(QLocale.Language.Thai if thai else QLocale.Language.English))
        self._show_year(self.yearShown())


class EraDateEdit(QDateEdit):
    """A day as ``dd/MM/yyyy`` with the year the reader counts: BE on Thai screens, CE in English.

    Qt's date edit only knows the common era; the text it shows and reads is
    converted here, so typing 01/12/2569 on a Thai screen picks 1 December 2026.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDisplayFormat("dd/MM/yyyy")
        self.setCalendarPopup(True)  # before the calendar: Qt takes one only for a popup
        self.setCalendarWidget(EraCalendar(self))

    def textFromDateTime(self, value: QDateTime | datetime) -> str:
        if isinstance(value, datetime):
            return format_date(value.date(), shown_language())
        day = value.date()
        return format_date(date(day.year(), day.month(), day.day()), shown_language())

    def _read(self, text: str) -> QDate | None:
        parts = text.strip().split("/")
        if len(parts) != 3 or not all(p.isascii() and p.isdigit() for p in parts):
            return None
        day, month, year = (int(p) for p in parts)
        if shown_language() == "th":
            year -= BE_OFFSET
        value = QDate(year, month, day)
        return value if value.isValid() else None

    def dateTimeFromText(self, text: str) -> QDateTime:
        value = self._read(text)
        return QDateTime(value, QTime(0, 0)) if value is not None else self.dateTime()

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        value = self._read(text)
        if value is None:
            state = QValidator.State.Intermediate
        elif self.minimumDate() <= value <= self.maximumDate():
            state = QValidator.State.Acceptable
        else:
            state = QValidator.State.Invalid
        return state, text, pos

    def retranslate(self) -> None:
        """The language changed: show the year as the new reader counts it."""
        self.lineEdit().setText(self.textFromDateTime(self.dateTime()))
        calendar = self.calendarWidget()
        if isinstance(calendar, EraCalendar):
            calendar.retranslate()


class DayBar(QWidget):
    """The title row; ``dayChosen`` names the business day the manager asked for."""

    dayChosen = Signal(str)
    settingsRequested = Signal()
    backRequested = Signal()

    def __init__(self, *, clock: Clock, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.clock = clock
        self.day = ""
        self.title = plain(QLabel())
        self.title.setFont(font(28, bold=True))
        self.closed = FitLabel()  # whether the day has its Z report (the screen says)
        self.closed.setObjectName("zStatusLabel")
        self.closed.setFont(font(15))
        self.closed.setStyleSheet(f"color: {GREY};")
        self.prev_day = touch_button("managerPrevDay", "◀", 24)
        self.next_day = touch_button("managerNextDay", "▶", 24)
        self.today_button = touch_button("managerToday", "", 20)
        self.date_edit = self._date_edit()
        self.settings_button = touch_button("managerSettingsButton", "", 20)
        self.back = touch_button("managerBackButton", "", 20)
        self.prev_day.clicked.connect(lambda: self._step_day(-1))
        self.next_day.clicked.connect(lambda: self._step_day(1))
        self.today_button.clicked.connect(self.on_today_clicked)
        self.settings_button.clicked.connect(self.settingsRequested)
        self.back.clicked.connect(self.backRequested)
        self._lay_out()
        self.retranslate()

    def _date_edit(self) -> EraDateEdit:
        edit = EraDateEdit()
        edit.setObjectName("managerDate")
        edit.setFont(font(22, bold=True))
        edit.setCalendarPopup(True)
        edit.setMinimumHeight(touch(46))
        edit.setMinimumWidth(px(190) + touch(40))
        calendar = edit.calendarWidget()  # cells a finger can hit: 7 columns, 7 rows
        calendar.setMinimumSize(touch(48) * 7 + px(16), touch(48) * 8 + px(16))
        calendar.setFont(font(20))
        edit.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        edit.dateChanged.connect(self.on_date_edit_changed)
        return edit

    def _lay_out(self) -> None:
        """One row; two on an upright screen (the day's buttons below the title)."""
        rows = QVBoxLayout(self)
        rows.setContentsMargins(0, 0, 0, 0)
        rows.setSpacing(px(8))
        top, days = QHBoxLayout(), QHBoxLayout()
        for row in (top, days):
            row.setSpacing(px(10))
        rows.addLayout(top)
        top.addWidget(self.title)
        top.addSpacing(px(12))
        top.addWidget(self.closed, 1)
        portrait = metrics().portrait
        row = days if portrait else top
        for widget in (self.prev_day, self.date_edit, self.next_day, self.today_button):
            row.addWidget(widget)
        if portrait:
            days.addStretch(1)
            rows.addLayout(days)
        top.addSpacing(px(18))
        top.addWidget(self.settings_button)
        top.addWidget(self.back)

    def show_day(self, day: str) -> None:
        """Show ``day`` (no ``dayChosen``); no day after today can be chosen."""
        self.day = day
        value = date_of_day(day)
        self.date_edit.blockSignals(True)
        self.date_edit.setMaximumDate(qdate(date_of_day(today(self.clock.now()))))
        self.date_edit.setDate(qdate(value))
        self.date_edit.blockSignals(False)
        self.next_day.setEnabled(day < today(self.clock.now()))

    def on_date_edit_changed(self, value: QDate) -> None:
        self.dayChosen.emit(day_of_date(date(value.year(), value.month(), value.day())))

    def on_today_clicked(self) -> None:
        self.dayChosen.emit(today(self.clock.now()))

    def _step_day(self, days: int) -> None:
        current = date_of_day(self.day or today(self.clock.now()))
        target = day_of_date(date.fromordinal(current.toordinal() + days))
        if target <= today(self.clock.now()):
            self.dayChosen.emit(target)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.date_edit.blockSignals(True)
        self.date_edit.retranslate()
        self.date_edit.blockSignals(False)
        self.title.setText(self.tr("Manager"))
        self.today_button.setText(self.tr("Today"))
        self.back.setText(self.tr("Back to sale"))
        self.settings_button.setText(self.tr("Settings"))


class ActionBar(QWidget):
    """The bottom row: the day's actions, and the message line (``say``)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reconcile_button = touch_button("reconcileButton", "", 22)
        self.export_button = touch_button("exportButton", "", 22)
        self.z_button = touch_button("zReportButton", "", 22)
        # Only while the customer display has no screen of its own (kiosk.ui.customer_display).
        self.customer_button = touch_button("customerDisplayButton", "", 22)
        self.customer_button.hide()
        self._customer_opened = False
        self.message = plain(QLabel())
        self.message.setObjectName("managerMessage")
        self.message.setFont(font(18))
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        actions = QGridLayout(self)
        actions.setContentsMargins(0, 0, 0, 0)
        actions.setSpacing(px(12))
        for column, button in enumerate((self.reconcile_button, self.export_button, self.z_button)):
            button.setMinimumWidth(px(220))
            actions.addWidget(button, 0, column)
        if metrics().portrait:  # narrow: the message (and the customer display) below
            actions.addWidget(self.customer_button, 1, 0)
            actions.addWidget(self.message, 1, 1, 1, 2)
        else:
            actions.addWidget(self.customer_button, 0, 3)
            actions.addWidget(self.message, 0, 4)
            actions.setColumnStretch(4, 1)
        self.retranslate()

    def say(self, text: str, error: bool = False) -> None:
        self.message.setStyleSheet(f"color: {RED if error else GREY};")
        self.message.setText(text)

    def offer_customer_display(self, offer: bool, *, opened: bool) -> None:
        self._customer_opened = opened
        self.customer_button.setVisible(offer)
        self.retranslate()

    def on_z_busy(self, busy: bool) -> None:
        self.z_button.setEnabled(not busy)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.reconcile_button.setText(self.tr("Reconcile"))
        self.export_button.setText(self.tr("Export CSV"))
        self.z_button.setText(self.tr("Close the day (Z)"))
        self.customer_button.setText(
            self.tr("Close customer display")
            if self._customer_opened
            else self.tr("Customer display")
        )


__all__ = ["ActionBar", "DayBar"]
