"""Charge while offline, and the sandbox bar's scenario (issue 15, defect 5), in the real window.

Charge is off, with the reason under the amount, while the connectivity
monitor says the gateway cannot be reached (``LinkChanged`` on the bus); no
tap or key can start a sale then. The sandbox bar shows what the sandbox
itself says its customer does, not the kiosk's setting.
"""

from __future__ import annotations

from dataclasses import replace

import httpx
from PySide6.QtCore import Qt

from kiosk.domain.errors import GatewayUnavailable
from kiosk.gateways.sandbox import SandboxServer, Scenario
from tests.e2e.test_window import button, label, type_on_keypad
from tests.qt_fixtures import GuiFactory, kiosk_settings

CLICK = Qt.MouseButton.LeftButton


def test_charge_is_off_with_the_reason_while_the_gateway_is_unreachable(
    qtbot, make_gui: GuiFactory
) -> None:  # type: ignore[no-untyped-def]
    gui = make_gui()
    charge = button(gui, "chargeButton")
    type_on_keypad(qtbot, gui, "15")
    assert charge.isEnabled()
    gui.services.connectivity.report_failure(GatewayUnavailable("test: cable out"), immediate=True)
    qtbot.waitUntil(gui.window.offline.isVisible, timeout=2000)
    assert not charge.isEnabled()
    assert "cannot be reached" in label(gui, "amountMessage")
    qtbot.mouseClick(charge, CLICK)
    qtbot.keyClick(gui.window.sale, Qt.Key.Key_Enter)
    type_on_keypad(qtbot, gui, "0")  # typing the next amount still works
    assert label(gui, "amountDisplay") == "฿150"
    assert gui.window.stack.currentWidget() is gui.window.sale
    assert gui.services.journal.count() == 0
    qtbot.mouseClick(button(gui, "languageButton"), CLICK)  # the reason in Thai too
    qtbot.waitUntil(lambda: "ไม่สามารถเชื่อมต่อ" in label(gui, "amountMessage"), timeout=2000)
    qtbot.mouseClick(button(gui, "languageButton"), CLICK)
    gui.services.connectivity.report_ok()
    qtbot.waitUntil(charge.isEnabled, timeout=2000)
    assert not gui.window.offline.isVisible()
    assert "cannot be reached" not in label(gui, "amountMessage")
    qtbot.mouseClick(charge, CLICK)
    qtbot.waitUntil(lambda: gui.window.stack.currentWidget() is gui.window.qr, timeout=5000)


def test_the_sandbox_bar_shows_the_external_sandboxs_real_scenario(
    qtbot, make_gui: GuiFactory
) -> None:  # type: ignore[no-untyped-def]
    server = SandboxServer(scenario=Scenario(kind="pay", after_s=60)).start()
    try:
        settings = kiosk_settings(sandbox={"scenario": "never"})  # the setting says "never"
        settings = replace(settings, gateway=replace(settings.gateway, base_url=server.base_url))
        gui = make_gui(settings)
        banner = gui.window.banner
        assert banner.isVisible() and banner.shown_scenario() is None  # not asked yet
        assert banner.scenario.currentText() == ""  # the placeholder, not "never pay"
        gui.controller.spawn(gui.controller.refresh_scenario())
        qtbot.waitUntil(lambda: banner.shown_scenario() == "pay", timeout=3000)
        assert banner.scenario.currentText() == "pay after a few seconds"
        server.set_scenario(Scenario(kind="decline"))  # steered from outside the kiosk
        gui.controller.spawn(gui.controller.refresh_scenario())
        qtbot.waitUntil(lambda: banner.shown_scenario() == "decline", timeout=3000)
        banner.scenarioChosen.emit("never")  # the cashier's choice reaches the sandbox
        qtbot.waitUntil(lambda: sandbox_kind(server) == "never", timeout=3000)
    finally:
        server.stop()
    gui.controller.spawn(gui.controller.refresh_scenario())  # the sandbox is gone: not known
    qtbot.waitUntil(lambda: banner.shown_scenario() is None, timeout=5000)


def sandbox_kind(server: SandboxServer) -> object:
    """What the sandbox says it does, asked from outside the kiosk."""
    answer = httpx.get(server.base_url + "/_sandbox/scenario", trust_env=False).json()
    return answer["scenario"]["kind"]


def test_the_embedded_sandbox_shows_its_scenario_at_once(make_gui: GuiFactory) -> None:
    gui = make_gui(kiosk_settings(sandbox={"scenario": "decline"}))
    assert gui.window.banner.shown_scenario() == "decline"
