"""What the manager screen's parts share: a touch-size button, and a day as a Qt date."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QPushButton

from kiosk.ui.theme import font


def touch_button(name: str, text: str, size: int) -> QPushButton:
    """A bold button that never takes the keyboard focus (the screen is touched, not typed)."""
    button = QPushButton(text)
    button.setObjectName(name)
    button.setFont(font(size, bold=True))
    button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    return button


def qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


__all__ = ["qdate", "touch_button"]
