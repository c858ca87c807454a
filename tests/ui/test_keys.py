"""Numpad-complete (issue 15, defect 4) and the method reset (defect 6), on the real window.

The key map (README "Keys"): sale — digits, `.`, Backspace, Enter charges,
Esc clears; QR — Esc asks to cancel (Enter or Esc keep waiting, minus
cancels), Enter does nothing; result — Enter new sale, a digit starts the
next amount, `+` Try again, `*` Switch method. Keys go where the keyboard
sends them: the window's focus widget.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from PySide6.QtCore import Qt

from kiosk.app.gui import Gui
from kiosk.domain.attention import Attention, Reason
from kiosk.domain.money import Money
from kiosk.domain.order import Method, Order, OrderState
from kiosk.ui.result_screen import can_charge_again
from tests.e2e.test_window import button, charge, label, result_title
from tests.qt_fixtures import GuiFactory, kiosk_settings

S = OrderState
CLICK = Qt.MouseButton.LeftButton


def press(qtbot, gui: Gui, key: Qt.Key, text: str = "") -> None:  # type: ignore[no-untyped-def]
    """Keys as the keyboard sends them, each to the focus widget of that moment."""
    if not text:
        qtbot.keyClick(gui.window.focusWidget() or gui.window, key)
    for char in text:
        qtbot.keyClicks(gui.window.focusWidget() or gui.window, char)


def shown(gui: Gui) -> object:
    return gui.window.stack.currentWidget()


def decline_current(qtbot, gui: Gui) -> Order:  # type: ignore[no-untyped-def]
    current = gui.controller.current
    assert current is not None and gui.services.sandbox_server is not None
    gui.services.sandbox_server.decline(current.kiosk_order_id)
    qtbot.waitUntil(lambda: result_title(gui) == "Payment failed", timeout=5000)
    return current


def new_order_on_qr(qtbot, gui: Gui, before: str) -> Order:  # type: ignore[no-untyped-def]
    def ready() -> bool:
        current = gui.controller.current
        return (
            shown(gui) is gui.window.qr and current is not None and current.kiosk_order_id != before
        )

    qtbot.waitUntil(ready, timeout=5000)
    assert gui.controller.current is not None
    return gui.controller.current


def test_sale_keys(qtbot, make_gui: GuiFactory) -> None:  # type: ignore[no-untyped-def]
    gui = make_gui()
    sale = gui.window.sale
    assert gui.window.focusWidget() is sale
    press(qtbot, gui, Qt.Key.Key_unknown, "12.5")
    qtbot.keyClick(gui.window.focusWidget(), Qt.Key.Key_Backspace)
    assert sale.entry.text == "12."
    press(qtbot, gui, Qt.Key.Key_Escape)
    assert sale.entry.text == "" and label(gui, "amountDisplay") == "฿0"
    press(qtbot, gui, Qt.Key.Key_unknown, "8")
    press(qtbot, gui, Qt.Key.Key_Enter)
    qtbot.waitUntil(lambda: shown(gui) is gui.window.qr, timeout=5000)
    assert gui.controller.current is not None
    assert gui.controller.current.amount == Money(800)
    assert "Enter charges" in label(gui, "saleKeyHint")


def test_try_again_key_charges_the_same_amount_the_same_way(qtbot, make_gui: GuiFactory) -> None:  # type: ignore[no-untyped-def]
    gui = make_gui()
    first = charge(qtbot, gui, "12.50", "methodWechat")
    decline_current(qtbot, gui)
    result = gui.window.result
    assert result.retry_button.isVisible() and result.switch_button.isVisible()
    assert result.switch_button.text() == "Use Thai QR"
    assert "+ try again" in label(gui, "resultKeyHint")
    assert gui.window.focusWidget() is result
    press(qtbot, gui, Qt.Key.Key_Plus)
    again = new_order_on_qr(qtbot, gui, first)
    assert (again.amount, again.method) == (Money(1250), Method.WECHAT)
    assert gui.services.journal.count() == 2


def test_switch_method_key_after_a_cancel(qtbot, make_gui: GuiFactory) -> None:  # type: ignore[no-untyped-def]
    gui = make_gui()
    first = charge(qtbot, gui, "33")
    assert gui.window.focusWidget() is gui.window.qr
    press(qtbot, gui, Qt.Key.Key_Escape)  # asks
    assert gui.window.qr.asking()
    press(qtbot, gui, Qt.Key.Key_Minus)  # yes, cancel
    qtbot.waitUntil(lambda: result_title(gui) == "Sale cancelled", timeout=5000)
    assert gui.window.result.switch_button.text() == "Use WeChat Pay"
    press(qtbot, gui, Qt.Key.Key_Asterisk)
    switched = new_order_on_qr(qtbot, gui, first)
    assert (switched.amount, switched.method) == (Money(3300), Method.WECHAT)


def test_the_buttons_do_what_the_keys_do(qtbot, make_gui: GuiFactory) -> None:  # type: ignore[no-untyped-def]
    gui = make_gui(kiosk_settings(store={"checkout_timeout_s": 10}))
    first = charge(qtbot, gui, "7")
    decline_current(qtbot, gui)
    qtbot.mouseClick(button(gui, "switchMethodButton"), CLICK)
    second = new_order_on_qr(qtbot, gui, first)
    assert (second.amount, second.method) == (Money(700), Method.WECHAT)
    decline_current(qtbot, gui)
    qtbot.mouseClick(button(gui, "tryAgainButton"), CLICK)
    third = new_order_on_qr(qtbot, gui, second.kiosk_order_id)
    assert (third.amount, third.method) == (Money(700), Method.WECHAT)


def test_only_one_method_offers_no_switch(qtbot, make_gui: GuiFactory) -> None:  # type: ignore[no-untyped-def]
    gui = make_gui(kiosk_settings(gateway={"methods": "qr"}))
    first = charge(qtbot, gui, "9")
    decline_current(qtbot, gui)
    assert gui.window.result.retry_button.isVisible()
    assert not gui.window.result.switch_button.isVisible()
    assert "switch" not in label(gui, "resultKeyHint")
    press(qtbot, gui, Qt.Key.Key_Asterisk)
    assert shown(gui) is gui.window.result and gui.controller.current is not None
    assert gui.controller.current.kiosk_order_id == first


def test_after_a_paid_sale_enter_starts_a_new_one_with_thai_qr(qtbot, make_gui: GuiFactory) -> None:  # type: ignore[no-untyped-def]
    gui = make_gui()
    charge(qtbot, gui, "20", "methodWechat")
    qtbot.mouseClick(button(gui, "sandboxPayButton"), CLICK)
    qtbot.waitUntil(lambda: result_title(gui) == "Paid", timeout=5000)
    result = gui.window.result
    assert not result.retry_button.isVisible() and not result.switch_button.isVisible()
    press(qtbot, gui, Qt.Key.Key_Plus)  # nothing to try again
    press(qtbot, gui, Qt.Key.Key_Asterisk)
    assert shown(gui) is result and gui.services.journal.count() == 1
    press(qtbot, gui, Qt.Key.Key_Return)
    assert shown(gui) is gui.window.sale
    # The next customer's sale is not WeChat unnoticed (issue 15, defect 6).
    assert gui.window.sale.selected_method() is Method.QR
    assert button(gui, "methodQr").isChecked() and not button(gui, "methodWechat").isChecked()


def test_a_digit_on_the_result_starts_the_next_amount(qtbot, make_gui: GuiFactory) -> None:  # type: ignore[no-untyped-def]
    gui = make_gui()
    charge(qtbot, gui, "5", "methodWechat")
    decline_current(qtbot, gui)
    press(qtbot, gui, Qt.Key.Key_unknown, "45")
    assert shown(gui) is gui.window.sale
    assert label(gui, "amountDisplay") == "฿45"
    assert gui.window.sale.selected_method() is Method.QR  # a new sale, not "try again"
    press(qtbot, gui, Qt.Key.Key_Enter)
    qtbot.waitUntil(lambda: shown(gui) is gui.window.qr, timeout=5000)
    assert gui.controller.current is not None
    assert gui.controller.current.amount == Money(4500)


def test_the_qr_screen_ignores_enter(qtbot, make_gui: GuiFactory) -> None:  # type: ignore[no-untyped-def]
    gui = make_gui()
    charge(qtbot, gui, "6")
    for key in (Qt.Key.Key_Enter, Qt.Key.Key_Return, Qt.Key.Key_Minus, Qt.Key.Key_5):
        press(qtbot, gui, key)
    assert shown(gui) is gui.window.qr and not gui.window.qr.asking()
    assert "Esc" in label(gui, "qrKeyHint")
    press(qtbot, gui, Qt.Key.Key_Escape)
    assert "keep waiting" in label(gui, "qrKeyHint")
    press(qtbot, gui, Qt.Key.Key_Return)  # the default answer
    assert not gui.window.qr.asking() and shown(gui) is gui.window.qr


def test_only_a_sale_that_ended_clean_can_be_charged_again() -> None:
    at = datetime(2026, 11, 24, 3, 0, tzinfo=UTC)
    order = Order("S001-T01-20261124-0001-AAAA", Money(100), Method.QR, at)
    again = [state for state in S if can_charge_again(replace(order, state=state))]
    assert again == [S.FAILED, S.EXPIRED, S.CANCELLED]
    flag = Attention(order.kiosk_order_id, Reason.AMOUNT, at)
    flagged = replace(order, state=S.FAILED, attention=flag)
    assert flagged.needs_attention and not can_charge_again(flagged)


def test_the_key_hints_are_translated(qtbot, make_gui: GuiFactory) -> None:  # type: ignore[no-untyped-def]
    gui = make_gui()
    english = label(gui, "saleKeyHint")
    qtbot.mouseClick(button(gui, "languageButton"), CLICK)
    qtbot.waitUntil(lambda: label(gui, "saleKeyHint") != english, timeout=2000)
    for name in ("saleKeyHint", "qrKeyHint", "resultKeyHint"):
        assert any("\u0e00" <= c <= "\u0e7f" for c in label(gui, name)), name
    qtbot.mouseClick(button(gui, "languageButton"), CLICK)
    qtbot.waitUntil(lambda: label(gui, "saleKeyHint") == english, timeout=2000)
