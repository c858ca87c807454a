"""Touch safety (issue 15, defect 2) on the real window and the real sandbox.

Fast repeated taps (and keys) on Charge never cancel the sale: the QR screen
has nothing destructive where Charge was, input in the first half second of
a screen or prompt is ignored, and cancelling takes a deliberate second step
that is not where "Cancel sale" was. The half second runs on a fake clock
put into the window's ``InputGuard``: nothing here sleeps.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.app.gui import Gui
from kiosk.domain.order import OrderState
from kiosk.ui.input_guard import HOLD_S
from tests.qt_fixtures import GuiFactory
from tests.ui.test_layout import (  # noqa: F401 - the two fixtures
    SIZES,
    global_rect,
    manager_pin_fixture,
    settle,
    sized_fixture,
)

S = OrderState
CLICK = Qt.MouseButton.LeftButton


class FakeMonotonic:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t

    def advance(self, seconds: float) -> None:
        self.t += seconds


def guarded_gui(make_gui: GuiFactory) -> tuple[Gui, FakeMonotonic]:
    gui = make_gui(touch_guard=True)
    clock = FakeMonotonic()
    gui.controller.guard.now = clock
    gui.controller.guard.release()  # the hold armed on the real clock when the window opened
    return gui, clock


def rect_in_window(gui: Gui, widget: QWidget) -> QRect:
    return QRect(widget.mapTo(gui.window, QPoint(0, 0)), widget.size())


def centre_in_window(gui: Gui, widget: QWidget) -> QPoint:
    return rect_in_window(gui, widget).center()


def tap_at(qtbot, gui: Gui, point: QPoint, *, double: bool = False) -> None:  # type: ignore[no-untyped-def]
    """A finger on the window at ``point``: whatever widget is there now gets it.

    ``double``: a double tap as Qt 6 delivers it (press, release, then press,
    double click and release on whatever is there by the second touch).
    """
    target = gui.window.childAt(point) or gui.window
    qtbot.mouseClick(target, CLICK, pos=target.mapFrom(gui.window, point))
    if double:
        target = gui.window.childAt(point) or gui.window
        local = target.mapFrom(gui.window, point)
        qtbot.mousePress(target, CLICK, pos=local)
        qtbot.mouseDClick(target, CLICK, pos=local)
        qtbot.mouseRelease(target, CLICK, pos=local)


def press(qtbot, gui: Gui, key: Qt.Key, text: str = "") -> None:  # type: ignore[no-untyped-def]
    """Keys as the keyboard sends them, each to the focus widget of that moment."""
    if not text:
        qtbot.keyClick(gui.window.focusWidget() or gui.window, key)
    for char in text:
        qtbot.keyClicks(gui.window.focusWidget() or gui.window, char)


def on_qr(gui: Gui) -> bool:
    return gui.window.stack.currentWidget() is gui.window.qr


def awaiting(gui: Gui) -> bool:
    current = gui.controller.current
    assert current is not None
    order = gui.services.journal.get(current.kiosk_order_id)
    return order is not None and order.state is S.AWAITING_PAYMENT


def test_fast_repeated_taps_on_charge_never_cancel_the_sale(qtbot, make_gui: GuiFactory) -> None:  # type: ignore[no-untyped-def]
    gui, clock = guarded_gui(make_gui)
    window, guard = gui.window, gui.controller.guard
    for key in "75":
        qtbot.mouseClick(window.sale.keys[key], CLICK)
    charge = centre_in_window(gui, window.sale.charge_button)
    for _ in range(6):  # a nervous cashier: the first tap charges, the rest must do nothing
        tap_at(qtbot, gui, charge)
    tap_at(qtbot, gui, charge, double=True)
    qtbot.waitUntil(lambda: on_qr(gui), timeout=5000)
    assert gui.services.journal.count() == 1  # one sale, however many taps
    qr = window.qr
    # Nothing destructive where Charge was: "Cancel sale" is at the other end of the screen.
    assert not rect_in_window(gui, qr.cancel_button).contains(charge)
    dropped = guard.dropped
    for _ in range(6):  # the QR has just appeared: these taps are ignored
        tap_at(qtbot, gui, charge)
    tap_at(qtbot, gui, charge, double=True)
    assert guard.dropped > dropped
    clock.advance(HOLD_S + 0.1)
    for _ in range(6):  # later taps land where Charge was: still nothing to cancel there
        tap_at(qtbot, gui, charge)
    tap_at(qtbot, gui, charge, double=True)
    assert on_qr(gui) and not qr.asking() and awaiting(gui)
    assert gui.controller._cancel is not None and not gui.controller._cancel.requested


def test_cancelling_takes_a_second_step_away_from_the_first(qtbot, make_gui: GuiFactory) -> None:  # type: ignore[no-untyped-def]
    gui, clock = guarded_gui(make_gui)
    window = gui.window
    for key in "42":
        qtbot.mouseClick(window.sale.keys[key], CLICK)
    charge = centre_in_window(gui, window.sale.charge_button)
    tap_at(qtbot, gui, charge)
    qtbot.waitUntil(lambda: on_qr(gui), timeout=5000)
    qr = window.qr
    clock.advance(HOLD_S + 0.1)
    cancel = centre_in_window(gui, qr.cancel_button)
    tap_at(qtbot, gui, cancel, double=True)  # a double tap on "Cancel sale"
    assert qr.asking() and awaiting(gui)
    yes, keep = rect_in_window(gui, qr.confirm_button), rect_in_window(gui, qr.keep_button)
    assert not yes.contains(cancel) and not yes.contains(charge)  # apart from both
    assert not yes.intersects(keep)
    for _ in range(4):  # more taps at once where "Cancel sale" was, and on "Yes, cancel"
        tap_at(qtbot, gui, cancel)
        tap_at(qtbot, gui, yes.center())
    assert qr.asking() and awaiting(gui)
    clock.advance(HOLD_S + 0.1)
    tap_at(qtbot, gui, cancel)  # a late tap there still cancels nothing
    assert awaiting(gui)
    qtbot.mouseClick(qr.keep_button, CLICK)
    assert not qr.asking() and on_qr(gui) and awaiting(gui)
    clock.advance(HOLD_S + 0.1)
    tap_at(qtbot, gui, cancel)
    clock.advance(HOLD_S + 0.1)
    tap_at(qtbot, gui, rect_in_window(gui, qr.confirm_button).center())  # deliberate
    qtbot.waitUntil(lambda: window.result.order() is not None, timeout=5000)
    result = window.result.order()
    assert result is not None and result.state is S.CANCELLED


def test_repeated_enter_and_esc_never_cancel_the_sale(qtbot, make_gui: GuiFactory) -> None:  # type: ignore[no-untyped-def]
    gui, clock = guarded_gui(make_gui)
    window = gui.window
    assert window.focusWidget() is window.sale  # the keyboard types into the amount at once
    press(qtbot, gui, Qt.Key.Key_unknown, "30")
    for _ in range(5):  # Enter held down or hit again and again
        press(qtbot, gui, Qt.Key.Key_Enter)
    qtbot.waitUntil(lambda: on_qr(gui), timeout=5000)
    assert gui.services.journal.count() == 1
    qr = window.qr
    assert window.focusWidget() is qr
    for key in (Qt.Key.Key_Enter, Qt.Key.Key_Return, Qt.Key.Key_Escape, Qt.Key.Key_Minus):
        press(qtbot, gui, key)  # the first half second: ignored
    assert not qr.asking()
    clock.advance(HOLD_S + 0.1)
    for _ in range(3):
        press(qtbot, gui, Qt.Key.Key_Enter)  # Enter does nothing on the QR screen
    assert not qr.asking() and awaiting(gui)
    for _ in range(3):  # Esc Esc Esc: the first asks, the rest come too soon
        press(qtbot, gui, Qt.Key.Key_Escape)
    press(qtbot, gui, Qt.Key.Key_Minus)
    assert qr.asking() and awaiting(gui)
    clock.advance(HOLD_S + 0.1)
    press(qtbot, gui, Qt.Key.Key_Enter)  # the default answer: keep waiting
    assert not qr.asking() and awaiting(gui)
    clock.advance(HOLD_S + 0.1)
    press(qtbot, gui, Qt.Key.Key_Escape)
    clock.advance(HOLD_S + 0.1)
    press(qtbot, gui, Qt.Key.Key_Escape)  # Esc on the question: keep waiting too
    assert not qr.asking() and awaiting(gui)
    clock.advance(HOLD_S + 0.1)
    press(qtbot, gui, Qt.Key.Key_Escape)
    clock.advance(HOLD_S + 0.1)
    press(qtbot, gui, Qt.Key.Key_Minus)  # the deliberate second step
    qtbot.waitUntil(lambda: window.result.order() is not None, timeout=5000)
    result = window.result.order()
    assert result is not None and result.state is S.CANCELLED


def test_a_new_result_ignores_input_for_a_moment(qtbot, make_gui: GuiFactory) -> None:  # type: ignore[no-untyped-def]
    gui, clock = guarded_gui(make_gui)
    window = gui.window
    for key in "12":
        qtbot.mouseClick(window.sale.keys[key], CLICK)
    tap_at(qtbot, gui, centre_in_window(gui, window.sale.charge_button))
    qtbot.waitUntil(lambda: on_qr(gui), timeout=5000)
    current = gui.controller.current
    assert current is not None and gui.services.sandbox_server is not None
    gui.services.sandbox_server.decline(current.kiosk_order_id)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.result, timeout=5000)
    # An Enter or a tap meant for the QR screen must not skip the result.
    press(qtbot, gui, Qt.Key.Key_Enter)
    press(qtbot, gui, Qt.Key.Key_Plus)
    qtbot.mouseClick(window.result.new_sale, CLICK)
    qtbot.mouseClick(window.result.retry_button, CLICK)
    assert window.stack.currentWidget() is window.result
    assert gui.services.journal.count() == 1
    clock.advance(HOLD_S + 0.1)
    press(qtbot, gui, Qt.Key.Key_Enter)
    assert window.stack.currentWidget() is window.sale


def test_keys_typed_on_the_sale_screen_are_never_dropped(qtbot, make_gui: GuiFactory) -> None:  # type: ignore[no-untyped-def]
    """Dropping the first digits of a fast typist would change the amount: keys pass."""
    gui, clock = guarded_gui(make_gui)
    window = gui.window
    window.show_result()
    window.show_sale()  # a new screen: taps are held now, keys are not
    assert gui.controller.guard.holding()
    press(qtbot, gui, Qt.Key.Key_unknown, "45")
    assert window.sale.entry.text == "45"
    qtbot.mouseClick(window.sale.keys["7"], CLICK)  # a tap this soon is held
    assert window.sale.entry.text == "45"
    clock.advance(HOLD_S + 0.1)
    qtbot.mouseClick(window.sale.keys["7"], CLICK)
    assert window.sale.entry.text == "457"


def test_other_windows_are_not_held(qtbot, make_gui: GuiFactory) -> None:  # type: ignore[no-untyped-def]
    gui, _ = guarded_gui(make_gui)
    guard = gui.controller.guard
    guard.arm()
    other = QWidget()
    qtbot.addWidget(other)
    other.show()
    assert guard.holding()
    assert not guard.eventFilter(other, _press_event())
    assert guard.eventFilter(gui.window.sale, _press_event())
    assert QApplication.instance() is not None


def _press_event():  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QEvent, QPointF
    from PySide6.QtGui import QMouseEvent

    return QMouseEvent(
        QEvent.Type.MouseButtonPress,
        QPointF(1, 1),
        QPointF(1, 1),
        CLICK,
        CLICK,
        Qt.KeyboardModifier.NoModifier,
    )


@pytest.mark.parametrize("language", ["en", "th"])
def test_nothing_destructive_where_charge_was_at_any_screen_size(
    qtbot, sized: Callable[[QSize, str], Gui], language: str
) -> None:  # type: ignore[no-untyped-def]
    """At 1024x768, 1280x800, 1920x1080 and 1080x1920: Cancel sale and Yes, cancel are
    nowhere near where Charge was, and Yes, cancel is not where Cancel sale was."""
    for size in SIZES:
        gui = sized(size, language)
        window = gui.window
        for key in "35":
            window.sale.press(key)
        charge = global_rect(window.sale.charge_button)
        window.sale.charge_button.click()
        qtbot.waitUntil(lambda w=window: w.stack.currentWidget() is w.qr, timeout=5000)
        qr = window.qr
        settle()
        cancel = global_rect(qr.cancel_button)
        assert not cancel.intersects(charge), (size, cancel, charge)
        qr.cancel_button.click()
        settle()
        yes, keep = global_rect(qr.confirm_button), global_rect(qr.keep_button)
        assert not yes.intersects(charge) and not yes.intersects(cancel), (size, yes)
        assert not yes.contains(cancel.center()) and not keep.intersects(yes), size
        assert qr.keep_button.isVisible()
