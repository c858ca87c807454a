"""The customer display on the one offscreen screen of the test run.

Two screens and real monitors coming and going need their own Qt platform:
tests/ui/test_customer_display_screens.py runs those in a child process.
"""

from __future__ import annotations

import ast
import asyncio
import logging
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.domain.clock import ManualClock
from kiosk.domain.events import OrderChanged
from kiosk.domain.money import Money
from kiosk.domain.order import Method, Order, OrderState
from kiosk.infra.bus import EventBus
from kiosk.infra.config import CustomerDisplaySettings, parse_settings
from kiosk.ui.customer.placement import ScreenId, choose
from kiosk.ui.customer.view import CustomerView, Ending, Phase
from kiosk.ui.customer_display import CustomerDisplay
from tests.conftest import ROOT
from tests.qt_fixtures import GuiFactory, kiosk_settings

PAYLOAD = "00020101021230740016A000000677010112011501055580000000102201796142699061000000103"
A, B, C = ScreenId("A"), ScreenId("B"), ScreenId("C", "Dell P2419H", "CN0XYZ")


def order(state: OrderState = OrderState.AWAITING_PAYMENT, **changes: Any) -> Order:
    base = Order(
        kiosk_order_id="S001-T01-20261201-0001-ABCD",
        amount=Money(30000),
        method=Method.QR,
        created_at=datetime(2026, 12, 1, 9, 0, tzinfo=UTC),
        state=state,
        ttl_s=300,
        qr_payload=PAYLOAD,
    )
    return replace(base, **changes)


@pytest.fixture
def display(qtbot: Any, loop: asyncio.AbstractEventLoop) -> Any:
    bus = EventBus()  # (the tests hand events to the listener; the e2e tests use the bus)
    made: list[CustomerDisplay] = []

    def factory(**settings: Any) -> tuple[CustomerDisplay, EventBus]:
        shown = CustomerDisplay(
            bus=bus,
            settings=CustomerDisplaySettings(**settings),
            shop_name="Test Shop",
            clock=ManualClock(datetime(2026, 12, 1, 9, 1, tzinfo=UTC)),
            language=lambda: "en",
        )
        made.append(shown)
        return shown, bus

    yield factory
    for shown in made:
        shown.shutdown()


# --- placement, by identity


def test_auto_needs_a_second_screen_and_never_takes_the_cashiers() -> None:
    assert choose([A], setting="auto", cashier=A) is None
    assert choose([A, B], setting="auto", cashier=A) == B
    assert choose([B, A], setting="auto", cashier=A) == B  # Qt's order does not matter
    assert choose([A, B, C], setting="auto", cashier=A, remembered=C) == C
    assert choose([A, B], setting="off", cashier=A) is None


def test_a_named_screen_is_found_by_name_serial_or_model_and_absent_means_none() -> None:
    assert choose([A, B, C], setting="B", cashier=A) == B
    assert choose([A, C], setting="CN0XYZ", cashier=A) == C
    assert choose([A, C], setting="Dell P2419H", cashier=A) == C
    assert choose([A], setting="B", cashier=A) is None


def test_a_monitor_is_the_same_by_serial_even_on_another_connector() -> None:
    moved = ScreenId("HDMI-2", "Dell P2419H", "CN0XYZ")
    assert moved.same(C) and not ScreenId("HDMI-2", "Dell P2419H", "OTHER").same(C)


def test_settings_section_is_validated() -> None:
    settings = parse_settings('[customer_display]\nscreen = "HDMI-1"\nspeak = true\n')
    assert settings.customer_display.screen == "HDMI-1" and settings.customer_display.speak
    assert parse_settings("").customer_display == CustomerDisplaySettings()
    with pytest.raises(Exception, match=r"customer_display\.screen"):
        parse_settings('[customer_display]\nscreen = ""\n')
    with pytest.raises(Exception, match=r"customer_display\.speak"):
        parse_settings('[customer_display]\nspeak = "yes"\n')


# --- one screen


def test_one_screen_and_auto_shows_nothing(make_gui: GuiFactory, qtbot: Any) -> None:
    gui = make_gui()
    assert len(QApplication.screens()) == 1
    assert gui.customer is not None and not gui.customer.is_shown()
    visible = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    assert visible == [gui.window]


def test_off_makes_no_display(make_gui: GuiFactory) -> None:
    gui = make_gui(kiosk_settings(customer_display={"screen": "off"}))
    assert gui.customer is None


def test_the_manager_can_open_it_as_a_window_that_never_takes_focus(
    make_gui: GuiFactory, qtbot: Any
) -> None:
    gui = make_gui()
    window = gui.window
    window.activateWindow()
    manager = gui.controller.manager
    screen = manager.open()
    button = screen.action_bar.customer_button
    assert button.isVisible() and button.text() == "Customer display"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    display = gui.customer
    assert display is not None
    qtbot.waitUntil(display.is_shown)
    view = display.view
    assert view.windowFlags() & Qt.WindowType.WindowDoesNotAcceptFocus
    assert view.focusPolicy() == Qt.FocusPolicy.NoFocus
    assert not view.isFullScreen()
    assert QApplication.activeWindow() is not view
    assert button.text() == "Close customer display"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert not display.is_shown() and button.text() == "Customer display"


# --- states, from the bus


def test_sale_paid_and_back_to_idle(display: Any, qtbot: Any) -> None:
    shown, _ = display()
    shown.open_as_window()
    shown.on_order_changed(OrderChanged(order()))
    assert shown.phase() is Phase.SALE
    qtbot.waitUntil(lambda: shown.payload() == PAYLOAD)
    assert shown.view.drawn_modules and len(shown.view.drawn_modules) == len(
        shown.view.drawn_modules[0]
    )
    shown.paid_hold_s = 0.05
    shown.on_order_changed(OrderChanged(order(OrderState.PAID)))
    assert shown.phase() is Phase.PAID and not shown.view.late
    qtbot.waitUntil(lambda: shown.phase() is Phase.IDLE)


def test_hidden_it_draws_no_code_until_it_is_on_a_screen(
    display: Any, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One screen: the display is hidden, and its QR worker must not take the GIL
    in the slice the cashier's QR screen shows; opened mid-sale, it draws the code."""
    from kiosk.ui.customer import qr

    asked: list[str] = []
    compute = qr.compute

    def counting(payload: str, done: Any) -> Any:
        asked.append(payload)
        return compute(payload, done)

    monkeypatch.setattr(qr, "compute", counting)
    shown, _ = display()
    assert not shown.is_shown()
    shown.on_order_changed(OrderChanged(order()))
    assert shown.phase() is Phase.SALE and asked == []
    shown.open_as_window()
    qtbot.waitUntil(lambda: shown.payload() == PAYLOAD)
    assert asked == [PAYLOAD]


def test_expired_then_paid_late_says_late(display: Any, qtbot: Any) -> None:
    shown, _ = display()
    shown.open_as_window()
    shown.on_order_changed(OrderChanged(order()))
    shown.on_order_changed(OrderChanged(order(OrderState.EXPIRED)))
    assert shown.phase() is Phase.ENDED and shown.view.ending is Ending.EXPIRED
    shown.on_order_changed(OrderChanged(order(OrderState.PAID, late=True)))
    assert shown.phase() is Phase.PAID and shown.view.late
    shown.view.grab()  # the late wording paints


def test_another_orders_news_is_not_shown(display: Any) -> None:
    shown, _ = display()
    shown.on_order_changed(OrderChanged(order()))
    other = order(OrderState.PAID, kiosk_order_id="S001-T01-20261201-0009-ZZZZ")
    shown.on_order_changed(OrderChanged(other))
    assert shown.phase() is Phase.SALE


def test_a_flagged_payment_is_not_shown_as_paid(display: Any) -> None:
    from kiosk.domain.attention import Attention, Reason

    shown, _ = display()
    shown.on_order_changed(OrderChanged(order()))
    flag = Attention(
        kiosk_order_id=order().kiosk_order_id,
        reason=next(iter(Reason)),
        raised_at=datetime(2026, 12, 1, tzinfo=UTC),
    )
    shown.on_order_changed(OrderChanged(order(OrderState.FAILED, attention=flag)))
    assert shown.phase() is Phase.ENDED and shown.view.ending is Ending.ASK


def test_countdown_follows_the_clock(display: Any) -> None:
    shown, _ = display()
    shown.on_order_changed(OrderChanged(order()))
    assert shown.view.sale is not None
    assert shown.view.seconds_left(shown.view.sale) == 240.0  # 09:05 - 09:01
    shown.clock.advance(30)  # type: ignore[attr-defined]
    shown.on_tick()
    assert shown.view.seconds_left(shown.view.sale) == 210.0


# --- isolation


def test_a_display_that_raises_never_stops_a_sale(
    make_gui: GuiFactory, qtbot: Any, monkeypatch: pytest.MonkeyPatch, caplog: Any
) -> None:
    def broken(*args: Any) -> None:
        raise RuntimeError("the customer's screen broke")

    monkeypatch.setattr(CustomerView, "paint_content", broken)
    monkeypatch.setattr(CustomerDisplay, "show_paid", broken)
    gui = make_gui(kiosk_settings(sandbox={"scenario": "pay", "pay_after_s": 0.2}))
    display = gui.customer
    assert display is not None
    display.open_as_window()  # shown, so that it paints (and fails)
    caplog.set_level(logging.ERROR)
    window = gui.window
    window.sale.prefill(Money(30000), Method.QR)
    window.sale.request_charge()
    qtbot.waitUntil(lambda: window.result.order() is not None, timeout=20000)
    result = window.result.order()
    assert result is not None and result.state is OrderState.PAID
    assert display.failures >= 1 and not display.is_shown()
    assert "customer display" in caplog.text


def test_too_many_failures_turn_it_off_until_restart(display: Any) -> None:
    shown, bus = display()
    for _ in range(3):
        shown.failed()
    assert shown.disabled and bus.listeners(OrderChanged) == 0
    shown.open_as_window()
    assert not shown.is_shown()


def test_it_imports_nothing_from_the_cashiers_screens() -> None:
    cashier = {"main_window", "qr_screen", "qr_view", "sale_screen", "result_screen", "controller"}
    files = [ROOT / "kiosk/ui/customer_display.py", *(ROOT / "kiosk/ui/customer").glob("*.py")]
    for path in files:
        for node in ast.walk(ast.parse(Path(path).read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                assert node.module.removeprefix("kiosk.ui.") not in cashier, (path, node.module)


def test_never_focusable(display: Any) -> None:
    shown, _ = display()
    view: QWidget = shown.view
    assert view.testAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
    assert view.windowFlags() & Qt.WindowType.WindowDoesNotAcceptFocus


def test_paid_is_spoken_when_asked_after_the_paid_screen(display: Any, qtbot: Any) -> None:
    shown, _ = display(speak=True)
    phases: list[Phase] = []
    shown.speaker.say_paid = lambda amount, language: phases.append(shown.phase())
    shown.on_order_changed(OrderChanged(order()))
    shown.on_order_changed(OrderChanged(order(OrderState.PAID)))
    assert phases == [Phase.PAID]  # asked once the paid screen was set, never before


def test_the_screen_used_last_is_remembered_by_identity(tmp_path: Path) -> None:
    from kiosk.ui.customer_display import load_remembered, save_remembered

    state = tmp_path / "customer-display.json"
    assert load_remembered(state) is None
    save_remembered(state, C)
    assert load_remembered(state) == C
    state.write_text("[1, 2]", encoding="utf-8")
    assert load_remembered(state) is None  # a damaged file: choose again


def test_cancelled_and_failed_say_so_then_idle(display: Any, qtbot: Any) -> None:
    shown, _ = display()
    shown.ended_hold_s = 0.05
    for state, ending in (
        (OrderState.CANCELLED, Ending.CANCELLED),
        (OrderState.FAILED, Ending.FAILED),
    ):
        shown.on_order_changed(OrderChanged(order()))
        shown.on_order_changed(OrderChanged(order(state)))
        assert shown.phase() is Phase.ENDED and shown.view.ending is ending
        qtbot.waitUntil(lambda: shown.phase() is Phase.IDLE)
        assert shown.payload() is None


def test_idle_picture_from_settings(tmp_path: Path, qapp: Any) -> None:
    from kiosk.ui.customer_display import load_image

    assert load_image("") is None
    assert load_image(str(tmp_path / "missing.png")) is None  # logged, idle without it
    picture = load_image(str(ROOT / "resources/icons/qr-kiosk.svg"))
    assert picture is not None and not picture.isNull()
