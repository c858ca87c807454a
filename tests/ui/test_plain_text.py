"""Outside text is text, never markup (issue 12, attack 5): every label of the kiosk
shows its text as it is, and a rich-text Cognito ``__type`` in the first-run
wizard and in Settings shows as literal characters, not as a big green "PAID ✓".

Set KIOSK_TEST_SHOTS=<folder> to keep the screenshots the rich-text tests take.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QLabel, QMessageBox, QPushButton, QWidget

from kiosk.app.compose import build_pin
from kiosk.app.gui import Gui
from kiosk.domain.errors import AlreadyRunning
from kiosk.infra.config import Settings
from kiosk.infra.secrets import Secrets
from kiosk.services.pin import ScryptCost, hash_pin
from kiosk.ui.already_running import AlreadyRunningBox
from kiosk.ui.first_run import FirstRunWizard
from kiosk.ui.manager import ManagerScreen
from kiosk.ui.pin_pad import PinPad
from kiosk.ui.plain import RICH_LABELS, plain_tooltip
from kiosk.ui.settings_dialog import SettingsDialog
from tests.cognito_hostile import RICH_TYPE, HostileCognito
from tests.qt_fixtures import GuiFactory

CLICK = Qt.MouseButton.LeftButton
PIN = "246810"
GREEN = (0, 128, 0)  # CSS "green", what the hostile markup asks for


def rich_labels(root: QWidget) -> list[str]:
    """Every label under ``root`` that Qt may read as markup (none may, but the allowed)."""
    widgets = [root, *root.findChildren(QWidget)]
    found = []
    for widget in widgets:
        if not isinstance(widget, (QLabel, QMessageBox)):
            continue
        if widget.objectName() in RICH_LABELS:
            continue
        if widget.textFormat() != Qt.TextFormat.PlainText:
            found.append(f"{type(widget).__name__} {widget.objectName()!r}: {widget.text()!r}")
    return found


def count_labels(root: QWidget) -> int:
    return len(root.findChildren(QLabel))


def open_manager(qtbot, gui: Gui) -> ManagerScreen:  # type: ignore[no-untyped-def]
    gui.window.sale.manager_button.click()
    pad = gui.window.findChild(PinPad, "pinPad")
    assert isinstance(pad, PinPad) and pad.isVisible()
    for digit in PIN:
        qtbot.mouseClick(pad.findChild(QPushButton, f"pinKey_{digit}"), CLICK)
    qtbot.waitUntil(
        lambda: isinstance(gui.window.stack.currentWidget(), ManagerScreen), timeout=5000
    )
    screen = gui.window.stack.currentWidget()
    assert isinstance(screen, ManagerScreen)
    return screen


def test_every_label_of_the_window_and_the_manager_screen_is_plain_text(
    qtbot,  # type: ignore[no-untyped-def]
    make_gui: GuiFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KIOSK_SECRET_MANAGER_PIN_HASH", hash_pin(PIN, cost=ScryptCost(log_n=10)))
    gui = make_gui()
    window = gui.window
    window.show_about()
    assert window.about is not None
    screen = open_manager(qtbot, gui)
    walked = [window, window.about, screen]
    assert count_labels(window) > 30  # the sale, QR and result screens, banners, PIN pad
    assert count_labels(screen) > 10  # the manager's table, totals, detail, Z page
    assert [found for root in walked for found in rich_labels(root)] == []


def test_every_label_of_the_wizard_settings_and_messages_is_plain_text(
    qtbot,  # type: ignore[no-untyped-def]
    loop: object,
    tmp_path: Path,
) -> None:
    secrets = Secrets(environ={})
    wizard = FirstRunWizard(
        data_dir=tmp_path / "data", pin=build_pin(tmp_path / "data", secrets=secrets)
    )
    dialog = SettingsDialog(current=Settings(), language="th", secrets=secrets)
    box = AlreadyRunningBox(AlreadyRunning(f"{RICH_TYPE}/kiosk.lock"), "en")
    for widget in (wizard, dialog, box):
        qtbot.addWidget(widget)
        widget.show()
    assert count_labels(wizard) > 15 and count_labels(dialog) > 100
    assert rich_labels(wizard) + rich_labels(dialog) + rich_labels(box) == []


def test_a_tooltip_from_outside_is_shown_literally() -> None:
    assert plain_tooltip("ธนาคารปฏิเสธ") == "ธนาคารปฏิเสธ"  # plain stays plain
    shown = plain_tooltip(RICH_TYPE)
    assert "<h1" not in shown and "&lt;h1" in shown  # escaped inside markup we write


# --- a rich-text Cognito __type shown by Test connection


def green_pixels(image: QImage) -> int:
    """Pixels of the CSS colour "green" the hostile markup asks for."""
    step = 2
    return sum(
        1
        for y in range(0, image.height(), step)
        for x in range(0, image.width(), step)
        if image.pixelColor(x, y).getRgb()[:3] == GREEN
    )


def shot(widget: QWidget, label: QLabel, name: str, tmp_path: Path) -> QImage:
    image = label.grab().toImage()
    folder = Path(os.environ.get("KIOSK_TEST_SHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    assert widget.grab().save(str(folder / f"{name}.png"))
    assert label.grab().save(str(folder / f"{name}-message.png"))
    return image


def test_the_wizard_shows_a_rich_text_type_as_literal_text(
    qtbot,  # type: ignore[no-untyped-def]
    loop: object,
    tmp_path: Path,
) -> None:
    secrets = Secrets(environ={})
    wizard = FirstRunWizard(
        data_dir=tmp_path / "data", pin=build_pin(tmp_path / "data", secrets=secrets)
    )
    qtbot.addWidget(wizard)
    wizard.show()
    with HostileCognito("rich") as server:
        qtbot.mouseClick(wizard.villa_button, CLICK)
        wizard.store_name.setText("Villa Test")
        wizard.base_url.setText(server.url)
        wizard.client_id.setText("client-1")
        wizard.username.setText("kiosk01")
        wizard.password.setText("typed-Passw0rd")
        # The wizard has no endpoint field (it signs in to AWS for the region): the
        # test points its values at the hostile Cognito instead.
        values = wizard.values
        wizard.values = lambda: {  # type: ignore[method-assign]
            **values(),
            "gateway.cognito.endpoint_url": server.url,
        }
        qtbot.mouseClick(wizard.test_button, CLICK)
        qtbot.waitUntil(lambda: "PAID" in wizard.details_message.text(), timeout=10_000)
    message = wizard.details_message
    assert RICH_TYPE in message.text()  # the characters themselves, tags and all
    assert message.textFormat() == Qt.TextFormat.PlainText
    image = shot(wizard, message, "wizard-rich-type", tmp_path)
    assert green_pixels(image) == 0  # not drawn as the green heading the markup asks for


def test_settings_show_a_rich_text_type_as_literal_text(
    qtbot,  # type: ignore[no-untyped-def]
    loop: object,
    tmp_path: Path,
) -> None:
    dialog = SettingsDialog(
        current=Settings(),
        language="en",
        secrets=Secrets(environ={}),
        config_path=tmp_path / "c.toml",
    )
    qtbot.addWidget(dialog)
    dialog.show()
    with HostileCognito("rich") as server:
        for key, value in {
            "gateway.kind": "villa",
            "gateway.base_url": server.url,
            "gateway.cognito.endpoint_url": server.url,
            "gateway.cognito.client_id": "client-1",
            "gateway.cognito.username": "kiosk01",
        }.items():
            dialog.set_value(key, value)
        dialog.credentials["COGNITO_PASSWORD"].setText("typed-Passw0rd")
        assert dialog.problem_keys() == []
        qtbot.mouseClick(dialog.test_button, CLICK)
        qtbot.waitUntil(lambda: "PAID" in dialog.outcome.text(), timeout=10_000)
    assert RICH_TYPE in dialog.outcome.text()
    assert dialog.outcome.textFormat() == Qt.TextFormat.PlainText
    image = shot(dialog, dialog.outcome, "settings-rich-type", tmp_path)
    assert green_pixels(image) == 0
