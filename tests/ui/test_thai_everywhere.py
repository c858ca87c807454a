"""In Thai mode, no English on any screen: every widget of every screen and dialog is read.

The real window (services, embedded sandbox) in Thai at 1280x800 is walked: the
sale screen (and a refusal), the QR screen (and its cancel prompt), results
(paid, declined, expired), the manager screen with a day of sales (paid,
late, declined, expired, cancelled, failed by our own checks, flagged), the
detail of each of them, reconcile, the Z page, the attention page, the PIN
pad (asking, wrong PIN, no keyring), About, the already-running message
box, Settings and the first-run wizard. From each shown widget the walk
reads its text, placeholder, tool tip, window title, combo items, list and
table cells and headers (display and tool-tip roles), tab texts; any Latin
word not on the allow-list below is English left in Thai mode.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backends import fail
from PySide6.QtCore import QAbstractItemModel, QAbstractListModel, QModelIndex, QSize, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTabBar,
    QTextEdit,
    QWidget,
)

from kiosk.app.compose import build_pin
from kiosk.app.gui import Gui, build_gui
from kiosk.domain.attention import Reason
from kiosk.domain.errors import AlreadyRunning
from kiosk.domain.order import BANGKOK, Method, OrderState
from kiosk.infra.secrets import Secrets
from kiosk.ui.already_running import AlreadyRunningBox
from kiosk.ui.first_run import FirstRunWizard
from kiosk.ui.i18n import Language
from kiosk.ui.manager import ManagerScreen
from kiosk.ui.manager.attention import (
    ANSWER_ROLE,
    BUTTON_ROLE,
    REASON_ROLE,
    TITLE_ROLE,
    WHEN_ROLE,
    AttentionModel,
)
from kiosk.ui.manager_access import ManagerPinPad
from kiosk.ui.pin_pad import PinPad
from kiosk.ui.theme import STYLE, Metrics, style_sheet, use_metrics
from tests.journal_data import sell
from tests.qt_fixtures import finish, finish_here, kiosk_settings
from tests.thai_words import english_words
from tests.ui.test_layout import LONG_ID, RAW, metrics_for, settle

S = OrderState

# What the bank sent for the flagged sale (tests.ui.test_layout.RAW): outside data,
# shown as it came on purpose (the manager compares it with the bank's app).
OUTSIDE = tuple(f"{key}: {value}" for key, value in RAW)


@dataclass
class Found:
    where: str
    widget: str
    what: str
    text: str

    def __str__(self) -> str:
        return f"{self.where}: {self.widget} {self.what}: {self.text!r}"


def _name(widget: QWidget) -> str:
    return widget.objectName() or type(widget).__name__


# The item roles a view shows: display and tool tip; and the roles the attention
# cards' delegate paints (when, why, the bank's answer, the button).
SHOWN_ROLES = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)
CARD_ROLES = (TITLE_ROLE, WHEN_ROLE, REASON_ROLE, ANSWER_ROLE, BUTTON_ROLE)


def model_texts(model: QAbstractItemModel) -> Iterator[tuple[str, str]]:
    """Every header and cell of ``model`` in every role it shows, one level deep."""
    roles = (*SHOWN_ROLES, *CARD_ROLES) if isinstance(model, AttentionModel) else SHOWN_ROLES
    top = QModelIndex()
    # A list model's columnCount is private in Qt: one column.
    columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount(top)
    for orientation, count in (
        (Qt.Orientation.Horizontal, columns),
        (Qt.Orientation.Vertical, 0),  # row numbers only
    ):
        for section in range(count):
            for role in roles:
                value = model.headerData(section, orientation, role)
                if isinstance(value, str):
                    yield f"header {section}", value
    for row in range(model.rowCount(top)):
        for column in range(max(1, columns)):
            index = model.index(row, column, top)
            for role in roles:
                value = model.data(index, role)
                if isinstance(value, str):
                    yield f"cell {row},{column}", value


def texts_of(widget: QWidget) -> Iterator[tuple[str, str]]:
    """(what, text) pairs the widget shows the user."""
    if widget.isWindow():
        yield "window title", widget.windowTitle()
    yield "tool tip", widget.toolTip()
    if isinstance(widget, QLabel | QAbstractButton):
        yield "text", widget.text()
    if isinstance(widget, QLineEdit):
        # What a field holds is data (a setting's value, a typed amount); its hint is ours.
        yield "placeholder", widget.placeholderText()
    if isinstance(widget, QTextEdit):
        yield "text", widget.toPlainText()
        yield "placeholder", widget.placeholderText()
    if isinstance(widget, QAbstractSpinBox):
        yield "text", widget.text()  # a date edit's text is ours (checked by the BE test too)
    if isinstance(widget, QGroupBox):
        yield "title", widget.title()
    if isinstance(widget, QComboBox):
        yield "placeholder", widget.placeholderText()
        for i in range(widget.count()):
            yield f"item {i}", widget.itemText(i)
            tip = widget.itemData(i, Qt.ItemDataRole.ToolTipRole)
            if isinstance(tip, str):
                yield f"item {i} tool tip", tip
    if isinstance(widget, QTabBar):
        for i in range(widget.count()):
            yield f"tab {i}", widget.tabText(i)
            yield f"tab {i} tool tip", widget.tabToolTip(i)
    if isinstance(widget, QAbstractItemView) and not isinstance(widget, QHeaderView):
        # (a header view shows its table's model: read once, with the table)
        assert widget.model() is not None
        yield from model_texts(widget.model())


class Walk:
    """Reads screen after screen; collects every English word with where it was."""

    def __init__(self) -> None:
        self.found: list[Found] = []
        self.seen: list[str] = []
        self.texts = 0  # non-empty texts read over all screens

    def check(self, where: str, *tops: QWidget) -> None:
        settle()
        self.seen.append(where)
        for top in tops:
            assert top.isVisible(), f"{where}: {_name(top)} is not shown"
            for widget in [top, *top.findChildren(QWidget)]:
                if not widget.isVisible():
                    continue
                for what, text in texts_of(widget):
                    if not text:
                        continue
                    self.texts += 1
                    if english_words(text, OUTSIDE):
                        self.found.append(Found(where, _name(widget), what, text))

    def report(self) -> str:
        """Each English text once, with the first place it was seen."""
        first: dict[str, Found] = {}
        for found in self.found:
            first.setdefault(found.text, found)
        return "\n".join(str(f) for f in first.values())


@pytest.fixture(name="thai_gui")
def thai_gui_fixture(
    qtbot: Any,
    qapp: QApplication,
    loop: asyncio.AbstractEventLoop,
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> Iterator[Gui]:
    """The window in Thai: set so from the start, or (param "switched") started in English
    and switched by the cashier's language button, so every screen had to retranslate."""
    switched = getattr(request, "param", "") == "switched"
    m = use_metrics(metrics_for(QSize(1280, 800)))
    qapp.setStyleSheet(style_sheet(m))
    settings = kiosk_settings(
        ui={"language": "en" if switched else "th"},
        printer={"kind": "pdf"},
        store={"name": "ร้านกาแฟทดสอบ"},
    )
    gui = build_gui(settings, directory=tmp_path / "data", metrics=m)
    gui.controller.guard.hold_s = 0
    gui.window.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)
    gui.window.setGeometry(m.area)
    gui.window.show()
    gui.window.show_sale()
    settle()
    if switched:
        gui.window.sale.language_button.click()
        settle()
    assert gui.language.current == "th"
    try:
        yield gui
    finally:
        gui.language.set("en")
        finish(loop, gui.aclose())
        gui.window.close()
        gui.window.deleteLater()
        use_metrics(Metrics.design())
        qapp.setStyleSheet(STYLE)
        settle()


@pytest.fixture(name="manager_pin", autouse=True)
def manager_pin_fixture(monkeypatch: pytest.MonkeyPatch) -> None:
    from kiosk.services.pin import ScryptCost, hash_pin

    monkeypatch.setenv("KIOSK_SECRET_MANAGER_PIN_HASH", hash_pin("135790", cost=ScryptCost(10)))


def a_day_of_every_outcome(gui: Gui) -> dict[str, str]:
    """Sales earlier today ending every way an order can end; their ids by outcome."""
    now = gui.services.checkout.clock.now()
    midnight = now.astimezone(BANGKOK).replace(hour=0, minute=1, second=0, microsecond=0)
    step = (now - midnight) / 10
    journal = gui.services.journal
    at: Callable[[int], datetime] = lambda i: midnight + step * i  # noqa: E731
    ids = {
        "paid": sell(journal, at(1), 300, gateway_order_id=LONG_ID),
        "wechat": sell(journal, at(2), "45.50", method=Method.WECHAT),
        "late": sell(journal, at(3), 80, outcome=S.EXPIRED, late=True),
        "declined": sell(journal, at(4), 12, outcome=S.FAILED),
        "expired": sell(journal, at(5), 20, outcome=S.EXPIRED),
        "cancelled": sell(journal, at(6), 30, outcome=S.CANCELLED),
    }
    flagged = sell(journal, at(7), 999, outcome=S.AWAITING_PAYMENT, gateway_order_id=LONG_ID)
    finish_here(gui.services.checkout.flag(flagged, Reason.AMOUNT, RAW))
    ids["flagged"] = flagged
    return {name: order.kiosk_order_id for name, order in ids.items()}


def walk_cashier(qtbot: Any, gui: Gui, walk: Walk) -> None:
    window, sale = gui.window, gui.window.sale
    walk.check("sale", window)
    for key in "1500000":
        sale.press(key)
    walk.check("sale with a refusal", window)
    sale.clear()
    for key in "300":
        sale.press(key)
    sale.charge_button.click()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.qr, timeout=5000)
    walk.check("QR", window)
    window.qr.cancel_button.click()
    walk.check("QR, cancel prompt", window)
    window.qr.keep_button.click()
    server = gui.services.sandbox_server
    current = gui.controller.current
    assert current is not None and server is not None
    server.pay(current.kiosk_order_id)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.result, timeout=5000)
    walk.check("result: paid", window)
    window.result.newSaleRequested.emit()
    for key in "4550":
        sale.press(key)
    sale.charge_button.click()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.qr, timeout=5000)
    current = gui.controller.current
    assert current is not None
    server.decline(current.kiosk_order_id)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.result, timeout=5000)
    walk.check("result: declined", window)
    window.result.newSaleRequested.emit()
    window.show_about()
    assert window.about is not None
    walk.check("About", window, window.about)
    window.about.hide()


def walk_pin_pad(qtbot: Any, gui: Gui, walk: Walk) -> None:
    gui.controller.manager.request()
    pad = gui.controller.manager.pad
    assert pad is not None
    walk.check("manager PIN pad", pad)
    for key in "111111":
        pad.press(key)
    qtbot.waitUntil(lambda: "ไม่ถูกต้อง" in pad.message.text(), timeout=5000)  # "wrong"
    walk.check("manager PIN pad: a wrong PIN", pad)
    pad.reject()


def walk_manager(qtbot: Any, gui: Gui, walk: Walk, ids: dict[str, str]) -> None:
    screen = gui.controller.manager.open()
    assert isinstance(screen, ManagerScreen)
    window = gui.window
    walk.check("manager: the day", window)
    for name, kiosk_order_id in ids.items():
        assert screen.select_order(kiosk_order_id)
        walk.check(f"manager: {name} sale selected", window)
    message = screen.action_bar.message
    assert screen.select_order(ids["paid"])
    screen.detail.reprint.click()  # the PDF printer: what came of it is said on the bar
    qtbot.waitUntil(
        lambda: screen.detail.reprint.isEnabled() and message.text() != "", timeout=10000
    )
    qtbot.waitUntil(lambda: "…" not in message.text(), timeout=10000)
    walk.check("manager: receipt printed again", window)
    screen.action_bar.export_button.click()
    qtbot.waitUntil(lambda: "exports" in message.text(), timeout=10000)
    walk.check("manager: CSV exported", window)
    screen.action_bar.reconcile_button.click()
    progress = screen.reconcile_page.progress
    # Done when the page shows its summary (the button alone may not have been disabled yet).
    qtbot.waitUntil(lambda: progress.maximum() == 1 and progress.value() == 1, timeout=10000)
    qtbot.waitUntil(lambda: screen.action_bar.reconcile_button.isEnabled(), timeout=10000)
    walk.check("manager: reconcile", window)
    screen.action_bar.z_button.click()
    qtbot.waitUntil(lambda: screen.side.currentWidget() is screen.z_page, timeout=5000)
    walk.check("manager: close the day", window)
    screen.z_page.confirm.click()  # issued, printed as a PDF: what came of it is said
    qtbot.waitUntil(lambda: "Z000001" in screen.z_page.text.text(), timeout=10000)
    qtbot.waitUntil(
        lambda: screen.z_page.print_copy.isEnabled() and "…" not in message.text(),
        timeout=10000,
    )
    walk.check("manager: Z report issued", window)
    screen.attention_bar.click()
    page = screen.attention_page
    page.view.setCurrentIndex(page.model.index(0))
    page.form.show_order(page.model.order_at(0))
    walk.check("manager: needs attention", window)
    screen.show_day_view()


@pytest.mark.parametrize("thai_gui", ["from the start", "switched"], indirect=True)
def test_no_english_in_thai_mode(qtbot: Any, thai_gui: Gui, tmp_path: Path) -> None:
    walk = Walk()
    ids = a_day_of_every_outcome(thai_gui)
    walk_cashier(qtbot, thai_gui, walk)
    walk_pin_pad(qtbot, thai_gui, walk)
    walk_manager(qtbot, thai_gui, walk, ids)
    assert walk.texts >= 300
    assert not walk.found, walk.report()


def test_the_settings_dialog_in_thai(qtbot: Any, thai_gui: Gui) -> None:
    walk = Walk()
    thai_gui.controller.manager.open()
    dialog = thai_gui.controller.manager.open_settings()
    try:
        for tab in range(dialog.tabs.count()):
            dialog.tabs.setCurrentIndex(tab)
            walk.check(f"settings, tab {tab}", dialog)
        # The fields shown only for Villa, a network printer and ABB mode too.
        dialog.set_value("gateway.kind", "villa")
        dialog.set_value("printer.kind", "network")
        dialog.set_value("receipt.tax_invoice", "abb")
        for tab in range(dialog.tabs.count()):
            dialog.tabs.setCurrentIndex(tab)
            walk.check(f"settings (villa, network printer, abb), tab {tab}", dialog)
    finally:
        dialog.close()
    assert walk.texts >= 20
    assert not walk.found, walk.report()


def test_the_first_run_wizard_in_thai(qtbot: Any, tmp_path: Path, thai: Language) -> None:
    walk = Walk()
    wizard = FirstRunWizard(
        data_dir=tmp_path / "wizard",
        config_path=tmp_path / "wizard.toml",
        pin=build_pin(tmp_path / "wizard"),
        language="th",
        languages=thai,  # one translator, removed by the fixture afterwards
    )
    qtbot.addWidget(wizard)
    wizard.show()
    walk.check("first run", wizard)
    for page in range(wizard.pages.count()):  # every page, whatever the rewrite names them
        wizard.pages.setCurrentIndex(page)
        walk.check(f"first run, page {page}", wizard)
    wizard.close()
    assert walk.texts >= 10
    assert not walk.found, walk.report()


@pytest.fixture(name="thai")
def thai_fixture(qapp: QApplication, tmp_path: Path) -> Iterator[Language]:
    """Thai screens (the translator installed) without a window, for dialogs of their own."""
    language = Language(state_file=tmp_path / "language.json")
    language.set("th")
    try:
        yield language
    finally:
        language.set("en")
        settle()


def test_the_pin_pad_without_a_keyring_and_the_already_running_box(
    qtbot: Any,
    loop: asyncio.AbstractEventLoop,
    tmp_path: Path,
    thai: Language,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("KIOSK_SECRET_MANAGER_PIN_HASH")  # a headless counter: nothing anywhere
    walk = Walk()
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        for kind in (ManagerPinPad, PinPad):
            pad = kind(pin=build_pin(tmp_path / "data", secrets=Secrets()), language="th")
            qtbot.addWidget(pad)
            pad.open_pad(language="th")
            for key in "135790":
                pad.press(key)
            qtbot.waitUntil(lambda: "KIOSK_SECRET" in pad.message.text(), timeout=5000)  # noqa: B023
            walk.check(f"{kind.__name__} without a keyring", pad)
            pad.reject()
    finally:
        keyring.set_keyring(previous)
    box = AlreadyRunningBox(AlreadyRunning(str(tmp_path / "data" / "kiosk.lock")), "th")
    qtbot.addWidget(box)
    box.show()
    walk.check("already running", box)
    assert len(walk.seen) == 3 and walk.texts >= 30
    assert not walk.found, walk.report()


def test_the_check_finds_english() -> None:
    """The allow-list lets ids, amounts, commands and brands through, and nothing else."""
    assert english_words("ชำระแล้ว 300.00 THB S001-T01-20261124-0042-K7QX") == []
    assert english_words("ให้รันคำสั่ง `kiosk pin set` หรือ KIOSK_SECRET_MANAGER_PIN_HASH") == []
    assert english_words("https://api.example.com/v1 gw_ord_7f3a9c2e PromptPay WeChat Pay") == []
    assert english_words("1 orders") == ["orders"]
    assert english_words("Declined by the customer's bank.") == [
        "Declined",
        "by",
        "the",
        "customer",
        "bank",
    ]
    assert english_words("ตรวจสอบ OK") == ["OK"]
    assert english_words("เชื่อมต่อ Villa Payment API") == []
    assert english_words("Payment API") == ["Payment"]
    assert english_words("API ตอบกลับแล้ว (รายการทดสอบ: not_found)") == ["not", "found"]
    assert english_words("เวลาขาย: 01/\u206012/\u20602569\xa016:\u206029") == []
    assert english_words("คำตอบจากธนาคาร: transaction_state: Authorized", OUTSIDE) == []
    assert english_words("state: Authorized") == ["state", "Authorized"]
