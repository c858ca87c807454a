"""The attacks of issue 12 against the real window, driven as a cashier would.

The window is built with its real services (``make_gui``) on the villa
adapter, signing in at the hostile Cognito, talking to the hostile gateway
over a real socket. What the cashier must see: a refused or broken answer
ends the sale on the failed result (never back on the sale screen with the
order still open, where a second Charge made a second gateway order); a
"paid" that is not this sale's never shows Paid; text from outside is never
rendered as rich text.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from kiosk.app.gui import Gui
from kiosk.domain.order import OrderState
from kiosk.infra.config import Settings, parse_settings
from kiosk.infra.secrets import Secrets
from kiosk.services.connectivity import Link
from kiosk.ui.settings_dialog import SettingsDialog
from tests.e2e.test_window import button, result_title, type_on_keypad
from tests.hostile.conftest import MakeGateway
from tests.hostile.kiosk_run import settings_for as cli_settings
from tests.hostile.kiosk_run import toml_text
from tests.hostile.server import HostileGateway
from tests.memkeyring import MemoryKeyring, memory_keyring  # noqa: F401 - fixture
from tests.qt_fixtures import GuiFactory

pytestmark = pytest.mark.gui
CLICK = Qt.MouseButton.LeftButton
S = OrderState


@pytest.fixture
def signed_in(monkeypatch: pytest.MonkeyPatch, memory_keyring: MemoryKeyring) -> Any:  # noqa: F811
    """The kiosk's Cognito secrets as on a counter (env), its refresh token kept in memory."""

    def give(gateway: HostileGateway) -> None:
        monkeypatch.setenv("KIOSK_SECRET_COGNITO_PASSWORD", gateway.credentials.password)
        monkeypatch.setenv("KIOSK_SECRET_COGNITO_CLIENT_SECRET", gateway.credentials.client_secret)

    return give


def window_settings(gateway: HostileGateway, *, checkout_timeout_s: int = 120) -> Settings:
    tables = cli_settings(gateway, {"ui": {"sound": False, "result_clear_s": 0}})
    settings = parse_settings(toml_text(tables), source="hostile")
    # Below the settings' minimum of 10 s on purpose: the sale must end within the test.
    settings = replace(settings, poll=replace(settings.poll, max_backoff_s=0.5))
    return replace(settings, store=replace(settings.store, checkout_timeout_s=checkout_timeout_s))


def screen(gui: Gui) -> str:
    current = gui.window.stack.currentWidget()
    names = {gui.window.sale: "sale", gui.window.qr: "qr", gui.window.result: "result"}
    return names.get(current, type(current).__name__)


def settle(qtbot: Any, gui: Gui, orders: int, timeout_ms: int = 15000) -> None:
    """Wait until the charge is over for the window: a result on screen, or the sale screen
    ready for another Charge once ``orders`` orders are journaled."""

    def settled() -> bool:
        if screen(gui) == "result":
            return True
        ready = screen(gui) == "sale" and button(gui, "chargeButton").isEnabled()
        return ready and gui.services.journal.count() >= orders

    qtbot.waitUntil(settled, timeout=timeout_ms)


def journal_states(gui: Gui, gateway: HostileGateway) -> list[S]:
    states = []
    for orderid in gateway.create_calls() or {}:
        order = gui.services.journal.get(orderid)
        if order is not None:
            states.append(order.state)
    return states


@pytest.mark.parametrize("mode", ["qr-two-tag54", "long-qr", "deep-json"])
def test_a_refused_or_broken_answer_ends_the_sale_on_the_failed_result(
    qtbot: Any, make_gui: GuiFactory, hostile: MakeGateway, signed_in: Any, mode: str
) -> None:
    gateway = hostile(mode)
    signed_in(gateway)
    gui = make_gui(window_settings(gateway))
    type_on_keypad(qtbot, gui, "300")
    qtbot.mouseClick(button(gui, "chargeButton"), CLICK)
    settle(qtbot, gui, orders=1)
    first = (screen(gui), result_title(gui))
    if first[0] == "sale":  # the sale silently came back: what a cashier does next
        qtbot.mouseClick(button(gui, "chargeButton"), CLICK)
        settle(qtbot, gui, orders=2)
    seen = (
        f"after the first Charge: {first}; journal {journal_states(gui, gateway)}; "
        f"gateway orders {gateway.create_calls()}"
    )
    assert first == ("result", "Payment failed"), seen
    assert len(gateway.create_calls()) == 1, seen
    assert journal_states(gui, gateway) == [S.FAILED], seen
    assert gui.window.qr.qr.payload() is None, "the hostile QR was shown"
    # The failed sale is over: it does not block the counter, the next sale is a new one.
    (failed_id,) = gateway.create_calls()
    qtbot.mouseClick(button(gui, "newSaleButton"), CLICK)
    gateway.mode = "honest"
    # An unreadable answer counts as "no usable gateway": sales wait until it answers
    # again, which the monitor's next probe finds (asked for now, not waited for).
    probe = asyncio.ensure_future(gui.services.connectivity.probe_now())
    qtbot.waitUntil(probe.done, timeout=10000)
    assert gui.services.connectivity.status.link is not Link.OFFLINE
    type_on_keypad(qtbot, gui, "300")
    qtbot.mouseClick(button(gui, "chargeButton"), CLICK)
    qtbot.waitUntil(lambda: result_title(gui) == "Paid", timeout=10000)
    assert len(gateway.create_calls()) == 2
    failed = gui.services.journal.get(failed_id)
    assert failed is not None and failed.state is S.FAILED


def test_an_absurd_expiry_is_not_believed_and_the_sale_goes_on(
    qtbot: Any, make_gui: GuiFactory, hostile: MakeGateway, signed_in: Any
) -> None:
    gateway = hostile("huge-expiry")
    signed_in(gateway)
    gui = make_gui(window_settings(gateway))
    type_on_keypad(qtbot, gui, "300")
    qtbot.mouseClick(button(gui, "chargeButton"), CLICK)
    qtbot.waitUntil(lambda: screen(gui) == "result", timeout=15000)
    (orderid,) = gateway.create_calls()
    order = gui.services.journal.get(orderid)
    assert order is not None and order.ttl_s == 120  # the kiosk's own lifetime, not 10**12 s
    # The honest customer paid this sale's money: PAID is the right outcome.
    assert result_title(gui) == "Paid" and order.state is S.PAID


@pytest.mark.parametrize("mode", ["paid-wrong-amount", "paid-other-order"])
def test_a_mismatching_paid_never_shows_paid(
    qtbot: Any, make_gui: GuiFactory, hostile: MakeGateway, signed_in: Any, mode: str
) -> None:
    gateway = hostile(mode)
    signed_in(gateway)
    gui = make_gui(window_settings(gateway, checkout_timeout_s=3))
    type_on_keypad(qtbot, gui, "300")
    qtbot.mouseClick(button(gui, "chargeButton"), CLICK)
    # The sale ends by itself at the latest when its 3 s QR lifetime is over.
    qtbot.waitUntil(lambda: screen(gui) == "result", timeout=15000)
    assert gateway.paid_answers() >= 1, "the attack never happened"
    states = journal_states(gui, gateway)
    assert result_title(gui) != "Paid", f"shown Paid; journal {states}"
    assert S.PAID not in states
    assert len(gateway.create_calls()) == 1


def rich_labels(root: QWidget) -> list[str]:
    """Labels that would render outside text (an HTML tag in it) as rich text."""
    return [
        f"{label.objectName() or type(label).__name__}: {label.text()[:80]!r}"
        for label in root.findChildren(QLabel)
        if "<h1" in label.text() and label.textFormat() != Qt.TextFormat.PlainText
    ]


def test_rich_text_from_cognito_is_shown_as_literal_text_in_the_window(
    qtbot: Any, make_gui: GuiFactory, hostile: MakeGateway, signed_in: Any
) -> None:
    gateway = hostile("cognito-richtext-type")
    signed_in(gateway)
    gui = make_gui(window_settings(gateway))
    type_on_keypad(qtbot, gui, "300")
    qtbot.mouseClick(button(gui, "chargeButton"), CLICK)
    settle(qtbot, gui, orders=1)
    assert gateway.cognito_calls >= 1
    assert screen(gui) == "result" and result_title(gui) == "Payment failed"
    assert rich_labels(gui.window) == []
    assert gateway.create_calls() == {}


def test_rich_text_from_cognito_is_shown_as_literal_text_in_settings(
    qtbot: Any,
    loop: Any,
    tmp_path: Path,
    hostile: MakeGateway,
    memory_keyring: MemoryKeyring,  # noqa: F811
) -> None:
    gateway = hostile("cognito-richtext-type")
    dialog = SettingsDialog(
        current=Settings(),
        language="en",
        secrets=Secrets(environ={}),
        config_path=tmp_path / "c.toml",
    )
    qtbot.addWidget(dialog)
    dialog.show()
    tables = cli_settings(gateway)
    for table in ("gateway", "gateway.cognito"):
        for key, value in tables[table].items():
            dialog.set_value(f"{table}.{key}", str(value))
    dialog.credentials["COGNITO_PASSWORD"].setText(gateway.credentials.password)
    dialog.credentials["COGNITO_CLIENT_SECRET"].setText(gateway.credentials.client_secret)
    assert dialog.problem_keys() == []
    qtbot.mouseClick(dialog.test_button, CLICK)
    qtbot.waitUntil(lambda: "✗" in dialog.outcome.text(), timeout=10000)
    assert gateway.cognito_calls >= 1
    assert rich_labels(dialog) == []
