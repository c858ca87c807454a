"""Text from outside is shown as text, never as markup.

A QLabel guesses whether its text is rich text (``Qt.AutoText``): a Cognito
error type such as ``<h1 style='color:green'>PAID ✓</h1>`` in a sign-in
message would show as a big green "PAID ✓". So every label of the kiosk is
made with ``plain`` (tests/ui/test_plain_text.py walks them all); the screens
use no markup of their own, so ``RICH_LABELS`` is empty. A tooltip guesses
too: its text goes through ``plain_tooltip``.
"""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtGui import Qt
from PySide6.QtWidgets import QLabel, QMessageBox

# Labels that deliberately show markup we write ourselves (objectName: why). None today.
RICH_LABELS: dict[str, str] = {}

Shows = TypeVar("Shows", QLabel, QMessageBox)


def plain(widget: Shows) -> Shows:
    """``widget`` set to show its text exactly as it is."""
    widget.setTextFormat(Qt.TextFormat.PlainText)
    return widget


def plain_tooltip(text: str) -> str:
    """A tooltip that shows ``text`` literally: as it is when Qt would not take it for
    markup, else escaped inside markup we write."""
    return str(Qt.convertFromPlainText(text)) if Qt.mightBeRichText(text) else text
