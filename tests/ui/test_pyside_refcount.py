"""Guard against the PySide6 6.12.0 regression that decrefs None/False on each slot call.

Under CPython 3.11 those objects are not immortal, so the kiosk would abort
after a few thousand button presses. This fails on an upgrade that brings it back.
"""

import sys

from PySide6.QtWidgets import QPushButton


def test_many_clicks_do_not_drop_references(qtbot) -> None:  # type: ignore[no-untyped-def]
    button = QPushButton()
    qtbot.addWidget(button)
    button.clicked.connect(lambda checked=False: None)
    before = (sys.getrefcount(None), sys.getrefcount(False))
    for _ in range(3000):
        button.click()
    after = (sys.getrefcount(None), sys.getrefcount(False))
    assert after[0] - before[0] > -100, "None lost references on slot calls"
    assert after[1] - before[1] > -100, "False lost references on slot calls"
