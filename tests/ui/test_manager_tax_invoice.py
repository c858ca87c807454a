"""The manager's order detail issues a full tax invoice (abb mode): the form, the PDF, a COPY."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from kiosk.app.gui import Gui
from kiosk.domain.order import OrderState
from kiosk.ui.manager import ManagerScreen
from kiosk.ui.manager.tax_form import TaxInvoiceForm
from tests.journal_data import sell
from tests.qt_fixtures import GuiFactory, kiosk_settings
from tests.ui.test_manager_screen import PIN, button, label, manager_pin, open_manager

S = OrderState
CLICK = Qt.MouseButton.LeftButton
__all__ = ["manager_pin"]  # the PIN fixture, used by every test here (autouse)

ABB = {"tax_invoice": "abb", "pos_id": "E0512345", "tax_id": "0105561234567"}


@pytest.fixture
def gui(make_gui: GuiFactory) -> Iterator[Gui]:
    yield make_gui(kiosk_settings(printer={"kind": "pdf"}, receipt=ABB))


def form_of(screen: ManagerScreen) -> TaxInvoiceForm:
    form = screen.detail.tax_form
    assert isinstance(form, TaxInvoiceForm) and form.isVisible()
    return form


def is_open(screen: ManagerScreen) -> bool:
    return screen.detail.tax_form is not None and screen.detail.tax_form.isVisible()


def test_a_paid_sale_gets_a_full_tax_invoice_from_the_detail(qtbot, gui: Gui) -> None:  # type: ignore[no-untyped-def]
    now = gui.services.checkout.clock.now()
    kind = {"sandbox": gui.services.checkout.sandbox}  # the window's own kind of sale
    assert kind["sandbox"]  # the embedded sandbox: test sales, TEST series
    paid = sell(gui.services.journal, now, 300, **kind)
    expired = sell(gui.services.journal, now, 45, outcome=S.EXPIRED, **kind)
    screen = open_manager(qtbot, gui, PIN)
    assert screen.select_order(paid.kiosk_order_id)
    issue = button(screen, "taxInvoiceButton")
    assert issue.isVisible()
    qtbot.mouseClick(issue, CLICK)
    qtbot.waitUntil(lambda: is_open(screen), timeout=3000)
    form = form_of(screen)
    form.name.setText("บริษัท ตัวอย่าง จำกัด")
    form.address.setPlainText("99 ถนนสีลม กรุงเทพฯ")
    form.tax_id.setText("1101700207031")  # a wrong check digit: the form says so and stays
    qtbot.mouseClick(form.findChild(QPushButton, "taxInvoiceIssue"), CLICK)
    assert form.isVisible() and "13-digit" in form.error.text()
    form.tax_id.setText("1101700207030")
    qtbot.mouseClick(form.findChild(QPushButton, "taxInvoiceIssue"), CLICK)
    qtbot.waitUntil(lambda: "Printed" in label(screen, "managerMessage"), timeout=10000)
    message = label(screen, "managerMessage")
    assert "TEST-INV-T01-000001" in message
    assert (gui.services.data_dir / "invoices" / "TEST-INV-T01-000001.pdf").exists()
    assert list((gui.services.data_dir / "receipts" / "pdf").glob("invoice-TEST-INV-T01-000001*"))
    # Again: a copy of the first, not a second invoice.
    qtbot.mouseClick(issue, CLICK)
    qtbot.waitUntil(lambda: is_open(screen), timeout=3000)
    again = form_of(screen)
    again.name.setText("X")
    again.address.setPlainText("Y")
    again.tax_id.setText("1101700207030")
    qtbot.mouseClick(again.findChild(QPushButton, "taxInvoiceIssue"), CLICK)
    qtbot.waitUntil(lambda: "Copy of tax invoice" in label(screen, "managerMessage"), timeout=5000)
    assert (gui.services.data_dir / "invoices" / "TEST-INV-T01-000001-copy-1.pdf").exists()
    assert screen.select_order(expired.kiosk_order_id)
    assert not button(screen, "taxInvoiceButton").isVisible()  # only a paid sale


def test_no_button_when_the_shop_prints_payment_slips(qtbot, make_gui: GuiFactory) -> None:  # type: ignore[no-untyped-def]
    gui = make_gui(kiosk_settings(printer={"kind": "pdf"}))
    assert gui.services.tax_invoices is None
    paid = sell(gui.services.journal, gui.services.checkout.clock.now(), 300)
    screen = open_manager(qtbot, gui, PIN)
    assert screen.select_order(paid.kiosk_order_id)
    assert not button(screen, "taxInvoiceButton").isVisible()
