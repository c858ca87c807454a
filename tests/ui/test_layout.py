"""Every screen fits every counter screen: 1024x768, 1280x800, 1920x1080, 1080x1920; en and th.

The window is built for a screen of each size (``kiosk.ui.theme.Metrics``, as
``kiosk.app.gui.make_window`` does from the real screen) and given exactly
that geometry. Then every screen is walked: sale, QR (and its cancel
prompt), result, the manager screen and each of its pages, Settings, the
PIN pad, About and the first-run wizard. On each, every visible interactive
widget — buttons, fields, combos, date edits, lists, tables, scroll bars,
tabs; named or not — must lie fully inside the screen, and no text may be
cut (a label shows all its lines; a one-line label its whole text).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication, QPoint, QRect, QSize, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSlider,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QTabBar,
    QWidget,
)

from kiosk.app.compose import build_pin
from kiosk.app.gui import Gui, build_gui
from kiosk.domain.attention import Reason
from kiosk.domain.order import BANGKOK, Method, OrderState
from kiosk.ui.first_run import FirstRunWizard
from kiosk.ui.fitting import FitLabel, WrapAnywhereLabel
from kiosk.ui.manager import ManagerScreen
from kiosk.ui.theme import STYLE, Metrics, style_sheet, use_metrics
from tests.journal_data import sell
from tests.qt_fixtures import finish, finish_here, kiosk_settings

S = OrderState
SIZES = [QSize(1024, 768), QSize(1280, 800), QSize(1920, 1080), QSize(1080, 1920)]
LANGUAGES = ("en", "th")
INTERACTIVE = (
    QAbstractButton,
    QLineEdit,
    QComboBox,
    QAbstractSpinBox,
    QAbstractItemView,
    QAbstractScrollArea,
    QAbstractSlider,
    QTabBar,
)
LONG_ID = "gw_ord_" + "7f3a9c2e" * 7  # a gateway id longer than any line
RAW = (
    ("amount", "1.0"),
    ("currency", "THB"),
    ("order_id", "order_test_222110adff3affb5844c497fa9c22366b5bc6"),
    ("transaction_state", "Authorized"),
)


def metrics_for(size: QSize) -> Metrics:
    """A screen of ``size`` at 96 DPI (as Xvfb and most counter monitors report)."""
    return Metrics.for_area(QRect(QPoint(0, 0), size), physical_dpi=96, logical_dpi=96)


def settle() -> None:
    """Deliver what is posted (layout requests, language changes) without waiting."""
    for _ in range(3):
        QCoreApplication.sendPostedEvents()
        QApplication.processEvents()


def describe(widget: QWidget) -> str:
    name = widget.objectName() or type(widget).__name__
    text = getattr(widget, "text", None)
    words = text() if callable(text) else ""
    parent = widget.parentWidget()
    where = parent.objectName() if parent is not None else ""
    return f"{name}{f' {words!r}' if words else ''} (in {where or '?'})"


def global_rect(widget: QWidget) -> QRect:
    return QRect(widget.mapToGlobal(QPoint(0, 0)), widget.size())


def scrolled_by(widget: QWidget) -> QWidget | None:
    """The viewport of the scroll area ``widget`` scrolls in, if any."""
    child, parent = widget, widget.parentWidget()
    while parent is not None:
        area = parent.parentWidget()
        if isinstance(area, QAbstractScrollArea) and parent is area.viewport():
            return parent
        child, parent = parent, parent.parentWidget()
    del child
    return None


def interactive(top: QWidget) -> list[QWidget]:
    """``top`` and its descendants that take input and are shown."""
    widgets = [top, *top.findChildren(QWidget)]
    return [w for w in widgets if isinstance(w, INTERACTIVE) and w.isVisible()]


def offscreen(top: QWidget, screen: QRect) -> list[str]:
    """Every visible interactive widget of ``top`` not fully inside ``screen``.

    Inside a scroll area a widget may lie below the fold (it scrolls into
    view), but never beside it: no sideways cut.
    """
    found = []
    for widget in interactive(top):
        rect = global_rect(widget)
        viewport = scrolled_by(widget)
        if viewport is not None:
            frame = global_rect(viewport)
            inside = frame.left() <= rect.left() and rect.right() <= frame.right()
        else:
            inside = screen.contains(rect)
        if not inside:
            found.append(f"{describe(widget)} at {rect.getRect()} outside {screen.getRect()}")
    return found


def cut_text(top: QWidget) -> list[str]:
    """Visible labels whose text does not fit them."""
    found = []
    for label in top.findChildren(QLabel):
        if not label.isVisible() or not label.text() or label.width() <= 1:
            continue
        inner = label.contentsRect()
        if isinstance(label, FitLabel):
            fits = QFontMetrics(label.font()).horizontalAdvance(label.text()) <= inner.width()
        elif isinstance(label, WrapAnywhereLabel) or label.wordWrap():
            if scrolled_by(label) is not None:
                continue  # it scrolls
            fits = label.heightForWidth(label.width()) <= label.height() + 2
        else:
            widest = max(
                QFontMetrics(label.font()).horizontalAdvance(line)
                for line in label.text().split("\n")
            )
            fits = widest <= inner.width() + 1
        if not fits:
            found.append(f"text cut: {describe(label)} {label.size().toTuple()}")
    return found


class Walk:
    """Checks screen after screen; collects what does not fit, with where it was."""

    def __init__(self, screen: QRect) -> None:
        self.screen = screen
        self.problems: list[str] = []
        self.seen: list[str] = []
        self.checked = 0  # interactive widgets looked at, over all the screens

    def window_is_the_screen(self, window: QWidget) -> None:
        """The window covers the screen exactly: its minimum size never made it larger."""
        settle()
        if window.geometry() != self.screen:
            minimum = window.minimumSizeHint().toTuple()
            self.problems.append(f"window at {window.geometry().getRect()}, minimum {minimum}")

    def check(self, where: str, *tops: QWidget) -> None:
        settle()
        self.seen.append(where)
        for top in tops:
            assert top.isVisible(), f"{where}: {describe(top)} is not shown"
            if top.isWindow():
                frame = top.frameGeometry()
                if not self.screen.contains(frame):
                    self.problems.append(f"{where}: window {describe(top)} at {frame.getRect()}")
            self.checked += len(interactive(top))
            self.problems += [f"{where}: {p}" for p in offscreen(top, self.screen)]
            self.problems += [f"{where}: {p}" for p in cut_text(top)]


@pytest.fixture(name="sized")
def sized_fixture(
    qtbot: Any, qapp: QApplication, loop: asyncio.AbstractEventLoop, tmp_path: Path
) -> Iterator[Callable[[QSize, str], Gui]]:
    """The real window (services, sandbox) built for a screen of a size, in a language."""
    made: list[Gui] = []

    def factory(size: QSize, language: str) -> Gui:
        m = use_metrics(metrics_for(size))
        qapp.setStyleSheet(style_sheet(m))
        settings = kiosk_settings(ui={"language": language}, printer={"kind": "pdf"})
        gui = build_gui(settings, directory=tmp_path / f"data-{len(made)}", metrics=m)
        gui.controller.guard.hold_s = 0  # taps at machine speed (the hold: test_touch_safety)
        made.append(gui)
        gui.window.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)  # as in kiosk mode
        gui.window.setGeometry(m.area)
        gui.window.show()
        gui.window.show_sale()
        settle()
        return gui

    yield factory
    for gui in made:
        gui.language.set("en")  # takes its translator away again
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


def a_day_of_sales(gui: Gui) -> str:
    """Sales earlier today: paid, late, declined with the bank's words, one flagged."""
    now = gui.services.checkout.clock.now()
    midnight = now.astimezone(BANGKOK).replace(hour=0, minute=1, second=0, microsecond=0)
    step = (now - midnight) / 8
    journal = gui.services.journal
    at: Callable[[int], datetime] = lambda i: midnight + step * i  # noqa: E731
    sell(journal, at(1), 300, gateway_order_id=LONG_ID)
    sell(journal, at(2), "45.50", method=Method.WECHAT)
    sell(journal, at(3), 80, outcome=S.EXPIRED, late=True)
    sell(journal, at(4), 12, outcome=S.FAILED, failure_message="ธนาคารปฏิเสธรายการ " * 4)
    flagged = sell(journal, at(5), 999, outcome=S.AWAITING_PAYMENT, gateway_order_id=LONG_ID)
    finish_here(gui.services.checkout.flag(flagged, Reason.AMOUNT, RAW))
    return flagged.kiosk_order_id


def walk_cashier(qtbot: Any, gui: Gui, walk: Walk) -> None:
    window, sale = gui.window, gui.window.sale
    walk.check("sale", window)
    for key in "1500000":  # above the limit: the refusal is on screen
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
    current = gui.controller.current
    assert current is not None and gui.services.sandbox_server is not None
    gui.services.sandbox_server.pay(current.kiosk_order_id)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.result, timeout=5000)
    walk.check("result: paid", window)
    window.result.newSaleRequested.emit()
    for key in "4550":
        sale.press(key)
    sale.charge_button.click()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.qr, timeout=5000)
    current = gui.controller.current
    assert current is not None
    gui.services.sandbox_server.decline(current.kiosk_order_id)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.result, timeout=5000)
    walk.check("result: declined", window)
    window.result.newSaleRequested.emit()
    gui.controller.manager.request()
    pad = gui.controller.manager.pad
    assert pad is not None
    walk.check("manager PIN pad", window, pad)
    pad.reject()
    window.show_about()
    assert window.about is not None
    walk.check("About", window, window.about)
    window.about.hide()


def walk_manager(qtbot: Any, gui: Gui, walk: Walk, flagged_id: str) -> None:
    screen = gui.controller.manager.open()
    assert isinstance(screen, ManagerScreen)
    window = gui.window
    walk.check("manager: the day", window)
    assert screen.select_order(flagged_id)
    walk.check("manager: a flagged sale selected", window)
    screen.action_bar.reconcile_button.click()
    qtbot.waitUntil(lambda: screen.action_bar.reconcile_button.isEnabled(), timeout=10000)
    walk.check("manager: reconcile", window)
    screen.action_bar.z_button.click()
    qtbot.waitUntil(lambda: screen.side.currentWidget() is screen.z_page, timeout=5000)
    walk.check("manager: close the day", window)
    screen.attention_bar.click()
    page = screen.attention_page
    page.view.setCurrentIndex(page.model.index(0))
    page.form.show_order(page.model.order_at(0))
    walk.check("manager: needs attention", window)
    dialog = gui.controller.manager.open_settings()
    for tab in range(dialog.tabs.count()):
        dialog.tabs.setCurrentIndex(tab)
        walk.check(f"settings, tab {tab}", window, dialog)
    dialog.set_value("gateway.kind", "villa")  # its fields, and the network printer's
    dialog.set_value("printer.kind", "network")
    for tab in range(2):
        dialog.tabs.setCurrentIndex(tab)
        walk.check(f"settings (villa, network printer), tab {tab}", window, dialog)
    dialog.close()
    screen.show_day_view()


def walk_wizard(qtbot: Any, tmp_path: Path, language: str, walk: Walk) -> None:
    wizard = FirstRunWizard(
        data_dir=tmp_path / "wizard",
        config_path=tmp_path / "wizard.toml",
        pin=build_pin(tmp_path / "wizard"),
        language=language,
    )
    qtbot.addWidget(wizard)
    wizard.setWindowFlag(Qt.WindowType.FramelessWindowHint, True)  # maximized, no frame
    wizard.setGeometry(walk.screen)
    wizard.show()
    walk.check("first run: language", wizard)
    wizard.choose_language(language)
    walk.check("first run", wizard)
    wizard.sandbox_button.click()
    walk.check("first run: sandbox", wizard)
    wizard.details_back.click()
    wizard.villa_button.click()
    walk.check("first run: Villa", wizard)
    kind = wizard.fields["printer.kind"].input
    for step in ("printer", "receipt", "payee", "pin"):
        wizard.go(step)
        long = ("เครื่องพิมพ์ไม่ตอบ " if language == "th" else "the printer did not answer ") * 8
        wizard.steps[step].message.setText(long)  # a long message keeps the buttons on screen
        if step == "printer":
            for printer in ("network", "usb"):
                kind.setCurrentIndex(kind.findData(printer))
                walk.check(f"first run: printer {printer}", wizard)
            continue
        if step == "pin":
            wizard.skip_pin_button.show()
        walk.check(f"first run: {step}", wizard)
    wizard.set_language("en")  # the translator is global
    wizard.close()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s.width()}x{s.height()}")
def test_every_interactive_widget_fits_the_screen(
    qtbot: Any, sized: Callable[[QSize, str], Gui], tmp_path: Path, size: QSize, language: str
) -> None:
    gui = sized(size, language)
    window = gui.window
    screen = QRect(QPoint(0, 0), size)
    walk = Walk(screen)
    walk.window_is_the_screen(window)
    flagged_id = a_day_of_sales(gui)
    walk_cashier(qtbot, gui, walk)
    walk_manager(qtbot, gui, walk, flagged_id)
    walk_wizard(qtbot, tmp_path, language, walk)
    walk.window_is_the_screen(window)  # nothing on the way made the window grow
    assert len(walk.seen) >= 18 and walk.checked >= 600
    assert not walk.problems, "\n".join(walk.problems)


def test_the_walk_finds_a_widget_off_the_screen(qtbot: Any) -> None:
    """The check itself: a button past the right edge, and a cut label, are reported."""
    top = QWidget()
    qtbot.addWidget(top)
    top.setGeometry(0, 0, 400, 300)
    button = QLineEdit(top)
    button.setObjectName("wide")
    button.setGeometry(300, 10, 200, 40)
    label = QLabel("a label far too long for its width", top)
    label.setGeometry(0, 100, 40, 30)
    top.show()
    settle()
    screen = QRect(0, 0, 400, 300)
    assert [p.split(" at ")[0] for p in offscreen(top, screen)] == ["wide (in ?)"]
    assert len(cut_text(top)) == 1
    button.setGeometry(200, 10, 190, 40)
    assert offscreen(top, screen) == []
