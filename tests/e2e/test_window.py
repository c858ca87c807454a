"""The real window, driven as a cashier would, against the real sandbox over a real socket."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from kiosk.app.gui import Gui
from kiosk.domain import thaiqr
from kiosk.domain.money import Money
from kiosk.domain.order import Method, OrderState
from kiosk.gateways.sandbox import SandboxServer, Scenario
from kiosk.ui.i18n import Language
from tests.qt_fixtures import GuiFactory, finish, kiosk_settings

S = OrderState
CLICK = Qt.MouseButton.LeftButton


def find(gui: Gui, cls: type[QWidget], name: str) -> QWidget:
    widget = gui.window.findChild(cls, name)
    assert widget is not None, f"no {cls.__name__} named {name}"
    return widget


def button(gui: Gui, name: str) -> QPushButton:
    found = find(gui, QPushButton, name)
    assert isinstance(found, QPushButton)
    return found


def label(gui: Gui, name: str) -> str:
    found = find(gui, QLabel, name)
    assert isinstance(found, QLabel)
    return found.text()


def type_on_keypad(qtbot, gui: Gui, amount: str) -> None:  # type: ignore[no-untyped-def]
    names = {".": "key_dot"}
    for key in amount:
        qtbot.mouseClick(button(gui, names.get(key, f"key_{key}")), CLICK)


def charge(qtbot, gui: Gui, amount: str, method: str = "methodQr", wait_ms: int = 5000) -> str:  # type: ignore[no-untyped-def]
    type_on_keypad(qtbot, gui, amount)
    qtbot.mouseClick(button(gui, method), CLICK)
    qtbot.mouseClick(button(gui, "chargeButton"), CLICK)
    qtbot.waitUntil(lambda: gui.window.stack.currentWidget() is gui.window.qr, timeout=wait_ms)
    assert gui.controller.current is not None
    return gui.controller.current.kiosk_order_id


def result_title(gui: Gui) -> str | None:
    if gui.window.stack.currentWidget() is not gui.window.result:
        return None
    return label(gui, "resultTitle")


def journal_state(gui: Gui, order_id: str) -> tuple[S, bool]:
    order = gui.services.journal.get(order_id)
    assert order is not None
    return order.state, order.late


def test_type_300_charge_scan_simulate_paid(qtbot, make_gui: GuiFactory) -> None:  # type: ignore[no-untyped-def]
    gui = make_gui()
    assert gui.window.banner.isVisible() and "SANDBOX" in gui.window.windowTitle()
    type_on_keypad(qtbot, gui, "300.00")
    assert label(gui, "amountDisplay") == "฿300.00"
    order_id = charge(qtbot, gui, "")
    qr_view = gui.window.qr.qr
    qtbot.waitUntil(lambda: qr_view.payload() is not None, timeout=2000)
    parsed = thaiqr.check(qr_view.payload() or "", order_amount=Money(30000))
    assert parsed.amount == Money(30000) and parsed.kind == "bill_payment"
    assert label(gui, "countdownLabel") in ("02:00", "01:59")
    assert journal_state(gui, order_id) == (S.AWAITING_PAYMENT, False)
    started = time.monotonic()
    qtbot.mouseClick(button(gui, "sandboxPayButton"), CLICK)
    qtbot.waitUntil(lambda: result_title(gui) == "Paid", timeout=3000)
    assert time.monotonic() - started < 3
    assert journal_state(gui, order_id) == (S.PAID, False)
    assert label(gui, "resultAmount") == "฿300.00"
    qtbot.mouseClick(button(gui, "newSaleButton"), CLICK)
    assert gui.window.stack.currentWidget() is gui.window.sale
    assert label(gui, "amountDisplay") == "฿0"


def test_physical_keyboard_and_wechat(qtbot, make_gui: GuiFactory) -> None:  # type: ignore[no-untyped-def]
    gui = make_gui(kiosk_settings(sandbox={"scenario": "pay", "pay_after_s": 0.3}))
    sale = gui.window.sale
    qtbot.mouseClick(button(gui, "methodWechat"), CLICK)
    qtbot.keyClicks(sale, "45.5")
    qtbot.keyClick(sale, Qt.Key.Key_Enter)
    qtbot.waitUntil(lambda: result_title(gui) == "Paid", timeout=5000)
    order = gui.window.result.order()
    assert order is not None and order.method is Method.WECHAT
    assert order.amount == Money(4550) and (order.qr_payload or "").startswith("weixin://")


def test_decline(qtbot, make_gui: GuiFactory) -> None:  # type: ignore[no-untyped-def]
    gui = make_gui()
    order_id = charge(qtbot, gui, "12")
    assert gui.services.sandbox_server is not None
    gui.services.sandbox_server.decline(order_id)
    qtbot.waitUntil(lambda: result_title(gui) == "Payment failed", timeout=3000)
    assert "declined" in label(gui, "resultDetail")
    assert journal_state(gui, order_id) == (S.FAILED, False)


def test_expiry_greys_the_qr(qtbot, make_gui: GuiFactory) -> None:  # type: ignore[no-untyped-def]
    gui = make_gui(kiosk_settings(store={"checkout_timeout_s": 10}))
    gui.services.checkout.store = replace(gui.services.checkout.store, checkout_timeout_s=1)
    order_id = charge(qtbot, gui, "20")
    qtbot.waitUntil(gui.window.qr.qr.is_inactive, timeout=3000)
    qtbot.waitUntil(lambda: result_title(gui) == "QR code expired", timeout=3000)
    assert journal_state(gui, order_id) == (S.EXPIRED, False)


def test_cancel_then_late_payment(qtbot, make_gui: GuiFactory) -> None:  # type: ignore[no-untyped-def]
    gui = make_gui()
    order_id = charge(qtbot, gui, "75")
    qtbot.mouseClick(button(gui, "cancelButton"), CLICK)
    confirm = button(gui, "confirmCancelButton")
    assert confirm.isVisible()  # asks first
    qtbot.mouseClick(button(gui, "keepWaitingButton"), CLICK)
    assert not confirm.isVisible() and gui.window.stack.currentWidget() is gui.window.qr
    qtbot.mouseClick(button(gui, "cancelButton"), CLICK)
    qtbot.mouseClick(confirm, CLICK)
    qtbot.waitUntil(lambda: result_title(gui) == "Sale cancelled", timeout=3000)
    assert gui.window.qr.qr.is_inactive()
    assert journal_state(gui, order_id) == (S.CANCELLED, False)
    assert gui.services.sandbox_server is not None
    gui.services.sandbox_server.pay(order_id)  # the customer's bank had already sent it
    qtbot.waitUntil(lambda: journal_state(gui, order_id) == (S.PAID, True), timeout=3000)
    qtbot.waitUntil(lambda: gui.window.notice.isVisible(), timeout=1000)
    assert order_id in gui.window.notice.label.text()
    assert result_title(gui) == "Paid" and "Late payment" in label(gui, "resultDetail")


def test_slow_gateway_keeps_counting_down(qtbot, make_gui: GuiFactory) -> None:  # type: ignore[no-untyped-def]
    gui = make_gui()
    assert gui.services.sandbox_server is not None
    gui.services.sandbox_server.set_scenario(Scenario(kind="never", delay_s=2.0))
    type_on_keypad(qtbot, gui, "30")
    qtbot.mouseClick(button(gui, "chargeButton"), CLICK)
    # while the slow create is under way the screen answers and says so
    qtbot.waitUntil(lambda: "Creating" in label(gui, "amountMessage"), timeout=1000)
    assert not button(gui, "chargeButton").isEnabled()
    qtbot.waitUntil(lambda: gui.window.stack.currentWidget() is gui.window.qr, timeout=8000)
    first = label(gui, "countdownLabel")
    qtbot.waitUntil(lambda: label(gui, "statusLabel") == "Checking…", timeout=4000)
    qtbot.waitUntil(lambda: label(gui, "countdownLabel") != first, timeout=3000)
    assert gui.window.stack.currentWidget() is gui.window.qr


def test_bad_amounts_never_reach_the_gateway(qtbot, make_gui: GuiFactory) -> None:  # type: ignore[no-untyped-def]
    gui = make_gui(kiosk_settings(store={"max_amount": Money(100_000)}))
    sale = gui.window.sale
    charge_button = button(gui, "chargeButton")
    for typed in ("0", "1001"):
        qtbot.keyClick(sale, Qt.Key.Key_Escape)
        qtbot.keyClicks(sale, typed)
        assert not charge_button.isEnabled(), typed
        qtbot.keyClick(sale, Qt.Key.Key_Return)
        qtbot.mouseClick(charge_button, CLICK)
    assert "limit" in label(gui, "amountMessage")
    qtbot.keyClick(sale, Qt.Key.Key_Escape)
    qtbot.keyClicks(sale, "1.234")  # the third decimal is refused, with the reason
    assert label(gui, "amountDisplay") == "฿1.23"
    assert "2 digits" in label(gui, "amountMessage")
    assert gui.services.sandbox_server is not None and gui.services.sandbox_server.orders() == []
    assert gui.services.journal.count() == 0
    assert gui.window.stack.currentWidget() is gui.window.sale


def test_gateway_refusal_shows_a_clear_result(qtbot, make_gui: GuiFactory) -> None:  # type: ignore[no-untyped-def]
    gui = make_gui()
    assert gui.services.sandbox_server is not None
    gui.services.sandbox_server.set_scenario(Scenario(tamper="qr_amount"))
    type_on_keypad(qtbot, gui, "50")
    qtbot.mouseClick(button(gui, "chargeButton"), CLICK)
    qtbot.waitUntil(lambda: result_title(gui) == "Payment failed", timeout=5000)
    assert "different amount" in label(gui, "resultDetail")
    assert gui.window.qr.qr.payload() is None  # never shown


def test_language_switch_is_kept(qtbot, make_gui: GuiFactory, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    gui = make_gui()
    assert button(gui, "chargeButton").text() == "Charge"
    qtbot.mouseClick(button(gui, "languageButton"), CLICK)
    qtbot.waitUntil(lambda: button(gui, "chargeButton").text() == "เรียกเก็บเงิน", timeout=2000)
    assert button(gui, "languageButton").text() == "English"
    assert "ทดสอบ" in gui.window.banner.label.text()
    kept = Language(state_file=tmp_path / "data" / "ui-state.json")
    assert kept.current == "th"
    qtbot.mouseClick(button(gui, "languageButton"), CLICK)
    qtbot.waitUntil(lambda: button(gui, "chargeButton").text() == "Charge", timeout=2000)


def test_startup_tells_the_cashier_about_money_found(
    qtbot, make_gui: GuiFactory, loop, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from kiosk.app.compose import build_services

    # A previous run left an order awaiting payment; the money came while it was down.
    settings = kiosk_settings()
    sandbox_settings = replace(settings, gateway=replace(settings.gateway, base_url=""))
    first = build_services(sandbox_settings, directory=tmp_path / "data")
    bank = first.sandbox_server
    assert bank is not None
    order = finish(loop, first.checkout.start(Money(8800), Method.QR))
    bank.pay(order.kiosk_order_id)
    port = int(bank.base_url.rsplit(":", 1)[1])
    # The kiosk "crashed": the OS drops its lock and files; its sandbox (the bank) lives on.
    for name, close in first.resources.closers:
        if name in ("journal", "data folder lock"):
            close()
    try:
        again = replace(
            settings, gateway=replace(settings.gateway, base_url=f"http://127.0.0.1:{port}")
        )
        gui = make_gui(again)
        gui.controller.spawn(gui.controller.startup())
        qtbot.waitUntil(lambda: gui.window.notice.isVisible(), timeout=5000)
        assert order.kiosk_order_id in gui.window.notice.label.text()
        assert journal_state(gui, order.kiosk_order_id) == (S.PAID, False)
        qtbot.mouseClick(button(gui, "noticeBarDismiss"), CLICK)
        assert not gui.window.notice.isVisible()
    finally:
        finish(loop, first.gateway.aclose())
        bank.stop()


def test_sound_and_the_result_clears_itself(qtbot, make_gui: GuiFactory) -> None:  # type: ignore[no-untyped-def]
    gui = make_gui(kiosk_settings(ui={"sound": True, "result_clear_s": 1}))
    gui.controller.sounds._player = None  # no audio device here: Qt's beep stands in
    order_id = charge(qtbot, gui, "5")
    assert gui.services.sandbox_server is not None
    gui.services.sandbox_server.decline(order_id)
    qtbot.waitUntil(lambda: result_title(gui) == "Payment failed", timeout=3000)
    assert gui.controller.sounds.played == ["failed"]
    qtbot.waitUntil(lambda: gui.window.stack.currentWidget() is gui.window.sale, timeout=3000)
    order_id = charge(qtbot, gui, "6")
    qtbot.mouseClick(button(gui, "sandboxPayButton"), CLICK)
    qtbot.waitUntil(lambda: result_title(gui) == "Paid", timeout=3000)
    assert gui.controller.sounds.played == ["failed", "paid"]


def test_connection_problem_is_shown_and_the_sale_still_completes(
    qtbot, make_gui: GuiFactory
) -> None:  # type: ignore[no-untyped-def]
    gui = make_gui()
    order_id = charge(qtbot, gui, "40")
    sandbox = gui.services.sandbox_server
    assert sandbox is not None
    # status checks for this order now fail with HTTP 500 three times, then recover
    sandbox.set_order_scenario(order_id, Scenario(kind="never", fault="http500", fault_count=3))
    qtbot.waitUntil(lambda: "Connection problem" in label(gui, "statusLabel"), timeout=3000)
    sandbox.pay(order_id)
    qtbot.waitUntil(lambda: result_title(gui) == "Paid", timeout=5000)


def test_offline_refuses_new_sales_and_comes_back(qtbot, make_gui: GuiFactory) -> None:  # type: ignore[no-untyped-def]
    server = SandboxServer(scenario=Scenario(kind="pay", after_s=0.2)).start()
    port = int(server.base_url.rsplit(":", 1)[1])
    settings = kiosk_settings()
    settings = replace(
        settings,
        gateway=replace(settings.gateway, base_url=server.base_url, connect_timeout_s=0.5),
    )
    gui = make_gui(settings)
    gui.controller.spawn(gui.controller.startup())
    server.stop()  # the shop's internet goes down
    try:
        type_on_keypad(qtbot, gui, "15")
        qtbot.mouseClick(button(gui, "chargeButton"), CLICK)
        qtbot.waitUntil(lambda: result_title(gui) == "Payment failed", timeout=8000)
        assert "Cannot reach the payment service" in label(gui, "resultDetail")
        qtbot.waitUntil(gui.window.offline.isVisible, timeout=2000)
        before = gui.services.journal.count()
        qtbot.mouseClick(button(gui, "newSaleButton"), CLICK)
        type_on_keypad(qtbot, gui, "16")
        qtbot.mouseClick(button(gui, "chargeButton"), CLICK)
        qtbot.waitUntil(lambda: "paused" in label(gui, "amountMessage"), timeout=2000)
        assert gui.services.journal.count() == before  # refused before anything was journaled
        server = SandboxServer(port=port, scenario=Scenario(kind="pay", after_s=0.2)).start()
        qtbot.waitUntil(lambda: not gui.window.offline.isVisible(), timeout=10000)
        qtbot.mouseClick(button(gui, "chargeButton"), CLICK)
        qtbot.waitUntil(lambda: result_title(gui) == "Paid", timeout=8000)
    finally:
        server.stop()


def test_a_recovery_pass_before_the_follow_starts_leaves_the_sale_on_screen_alone(
    qtbot, make_gui: GuiFactory
) -> None:  # type: ignore[no-untyped-def]
    """The follow's task starts on a later turn of the loop; a pass landing first (the
    reconnection's, the sweep's) must not check the order on screen beside it."""
    gui = make_gui()
    controller, recovery = gui.controller, gui.services.recovery
    chosen: list[list[str]] = []
    real_spawn = controller.spawn

    def spawn(coro):  # type: ignore[no-untyped-def]
        if getattr(coro, "__name__", "") == "_follow":
            orders, _ = recovery._to_check()  # what a pass starting now would ask about
            chosen.append([order.kiosk_order_id for order in orders])
            recovery.resume_watchers()  # nor a watcher beside the cashier's follow
        return real_spawn(coro)

    controller.spawn = spawn  # type: ignore[method-assign]
    order_id = charge(qtbot, gui, "300")
    assert chosen == [[]] and order_id not in recovery.watching
    qtbot.mouseClick(button(gui, "sandboxPayButton"), CLICK)
    qtbot.waitUntil(lambda: result_title(gui) == "Paid", timeout=3000)
    assert not gui.services.checkout.is_followed(order_id)  # handed back once the sale ended
