"""The window paints its QR and result screens once, offscreen, before the first sale.

A screen's first paint costs several times a later one (kiosk/ui/main_window.py):
the warm-up takes that cost a moment after start-up, out of the first sale's
slices. It must show nothing and change nothing a cashier or automation sees.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from PySide6.QtGui import QPaintEvent

from kiosk.ui.qr_view import QrView
from kiosk.ui.result_screen import ResultIcon
from tests.qt_fixtures import GuiFactory


@pytest.fixture
def painted(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How many times the QR view and the result icon were painted (before any window is made)."""
    counts: Counter[str] = Counter()
    for kind in (QrView, ResultIcon):
        paint = kind.paintEvent

        def counting(
            self: Any, event: QPaintEvent, paint: Any = paint, name: str = kind.__name__
        ) -> None:
            counts[name] += 1
            paint(self, event)

        monkeypatch.setattr(kind, "paintEvent", counting)
    return counts


def test_warm_up_paints_the_hidden_screens_and_changes_nothing(
    make_gui: GuiFactory, qtbot: Any, painted: Counter[str]
) -> None:
    window = make_gui().window
    painted.clear()
    window.warm_up()
    qtbot.waitUntil(lambda: painted["QrView"] > 0 and painted["ResultIcon"] > 0)
    assert window.stack.currentWidget() is window.sale
    assert window.qr.order() is None and window.qr.qr.payload() is None
    assert window.result.order() is None
    assert window.qr.size() == window.stack.contentsRect().size()  # as it will be shown


def test_a_screen_already_shown_is_not_painted_again(
    make_gui: GuiFactory, qtbot: Any, painted: Counter[str]
) -> None:
    window = make_gui().window
    window.show_qr()
    window.show_sale()
    qtbot.waitUntil(lambda: window.sale.isVisible())
    painted.clear()
    window.warm_up()
    qtbot.waitUntil(lambda: painted["ResultIcon"] > 0)
    assert painted["QrView"] == 0


def test_it_happens_by_itself_after_the_window_shows(
    make_gui: GuiFactory, qtbot: Any, painted: Counter[str]
) -> None:
    window = make_gui().window
    qtbot.waitUntil(lambda: painted["QrView"] > 0 and painted["ResultIcon"] > 0, timeout=10000)
    assert window.stack.currentWidget() is window.sale
