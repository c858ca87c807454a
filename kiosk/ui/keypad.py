"""The one keypad layout of the kiosk: the sale keypad and the PIN pads share it.

7-8-9 on top, as on a USB numpad and a cash register: the cashier types
amounts all day on the screen or on a numpad, and the rare PIN is typed on
the same layout, so a finger never has to know two. Backspace and Clear are
tall keys on the right, in the same places on every pad.
"""

from __future__ import annotations

from PySide6.QtWidgets import QGridLayout, QPushButton, QSizePolicy

ROWS = ("789", "456", "123")


def keypad_grid(keys: dict[str, QPushButton], *, spacing: int) -> QGridLayout:
    """The digits in rows of three under ``keys`` named "0".."9"; "⌫" and "C" tall on the right.

    The one keypad layout of the kiosk (sale and PIN): 7-8-9 / 4-5-6 / 1-2-3,
    then "00" "0" "." (the PIN pad has "0" alone, as wide as the row).
    """
    grid = QGridLayout()
    grid.setSpacing(spacing)
    for row, digits in enumerate(ROWS):
        for column, digit in enumerate(digits):
            grid.addWidget(keys[digit], row, column)
    if "00" in keys:
        for column, key in enumerate(("00", "0", ".")):
            grid.addWidget(keys[key], 3, column)
    else:
        grid.addWidget(keys["0"], 3, 0, 1, 3)
    for key, row in (("⌫", 0), ("C", 2)):  # tall keys: they fill their two rows
        policy = keys[key].sizePolicy()
        policy.setVerticalPolicy(QSizePolicy.Policy.Expanding)
        keys[key].setSizePolicy(policy)
        grid.addWidget(keys[key], row, 3, 2, 1)
    return grid


__all__ = ["ROWS", "keypad_grid"]
