"""Issue 17: the bill number on the sale screen, typed or scanned, never charges by itself.

A USB barcode scanner is a keyboard: it types its characters fast and ends
with Enter. On the sale screen digits go to the amount and Enter charges, so
the field takes the keys only once tapped (or F2), and its Enter hands the
keys back to the amount.
"""

from __future__ import annotations

from PySide6.QtCore import Qt

from kiosk.domain.money import Money
from tests.e2e.test_window import button, label
from tests.qt_fixtures import GuiFactory
from tests.ui.test_keys import press, shown

CLICK = Qt.MouseButton.LeftButton


def scan(qtbot, widget, code: str) -> None:  # type: ignore[no-untyped-def]
    """What a scanner sends: the characters back to back, then Enter."""
    qtbot.keyClicks(widget, code)
    qtbot.keyClick(widget, Qt.Key.Key_Return)


def test_a_scanned_bill_number_does_not_charge_and_goes_with_the_sale(  # type: ignore[no-untyped-def]
    qtbot, make_gui: GuiFactory
) -> None:
    gui = make_gui()
    sale = gui.window.sale
    press(qtbot, gui, Qt.Key.Key_unknown, "300")
    field = sale.sale_ref
    qtbot.mouseClick(field, CLICK)  # the cashier taps the field ...
    assert gui.window.focusWidget() is field
    with qtbot.assertNotEmitted(sale.chargeRequested):
        scan(qtbot, field, "INV-0042")  # ... and scans the till's bill

    assert shown(gui) is sale and gui.controller.current is None  # no sale started
    assert gui.services.journal.count() == 0
    assert gui.window.focusWidget() is sale  # the keys are the amount's again
    assert field.text() == "INV-0042" and sale.entry.text == "300"
    press(qtbot, gui, Qt.Key.Key_unknown, "5")  # a digit goes to the amount, not the field
    assert sale.entry.text == "3005" and field.text() == "INV-0042"
    press(qtbot, gui, Qt.Key.Key_Backspace)

    press(qtbot, gui, Qt.Key.Key_Enter)  # now Enter charges, with the bill number
    qtbot.waitUntil(lambda: shown(gui) is gui.window.qr, timeout=5000)
    current = gui.controller.current
    assert current is not None and current.amount == Money(30000)
    assert current.sale_ref == "INV-0042"
    journaled = gui.services.journal.get(current.kiosk_order_id)
    assert journaled is not None and journaled.sale_ref == "INV-0042"


def test_f2_takes_the_keys_to_the_field_and_esc_gives_them_back(  # type: ignore[no-untyped-def]
    qtbot, make_gui: GuiFactory
) -> None:
    gui = make_gui()
    sale = gui.window.sale
    press(qtbot, gui, Qt.Key.Key_unknown, "12")
    press(qtbot, gui, Qt.Key.Key_F2)
    assert gui.window.focusWidget() is sale.sale_ref
    press(qtbot, gui, Qt.Key.Key_unknown, "7788")  # digits: the bill number now
    press(qtbot, gui, Qt.Key.Key_Escape)
    assert sale.entry.text == "12" and sale.sale_ref.text() == "7788"
    assert gui.window.focusWidget() is sale and gui.controller.current is None
    assert "F2" in label(gui, "saleKeyHint")


def test_a_bill_number_too_long_is_refused_on_screen(  # type: ignore[no-untyped-def]
    qtbot, make_gui: GuiFactory
) -> None:
    gui = make_gui()
    sale = gui.window.sale
    press(qtbot, gui, Qt.Key.Key_unknown, "50")
    qtbot.mouseClick(sale.sale_ref, CLICK)
    with qtbot.assertNotEmitted(sale.chargeRequested):
        scan(qtbot, sale.sale_ref, "X" * 33)
    assert "too long" in label(gui, "amountMessage")
    assert not button(gui, "chargeButton").isEnabled()
    press(qtbot, gui, Qt.Key.Key_Enter)
    assert shown(gui) is sale and gui.controller.current is None
    sale.sale_ref.setText("X" * 32)
    assert button(gui, "chargeButton").isEnabled()
