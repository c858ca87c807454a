"""The settings dialog: human labels in both languages, fields by kind, validation as you
type, Test connection, Save (secrets to the keyring), Restart now."""

from __future__ import annotations

import socket
import tomllib
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel

from kiosk.gateways.sandbox import SandboxServer
from kiosk.infra.config import Settings, parse_settings
from kiosk.infra.secrets import Secrets
from kiosk.ui.settings_dialog import SettingsDialog
from kiosk.ui.settings_text import SETTINGS, THAI_HELP
from tests.memkeyring import MemoryKeyring, memory_keyring  # noqa: F401

CLICK = Qt.MouseButton.LeftButton


@pytest.fixture
def dialog(qtbot, loop, tmp_path: Path):  # type: ignore[no-untyped-def]
    made = SettingsDialog(
        current=Settings(),
        language="en",
        secrets=Secrets(environ={}),
        config_path=tmp_path / "c.toml",
    )
    qtbot.addWidget(made)
    made.show()
    return made


def is_thai(text: str) -> bool:
    return any("\u0e00" <= c <= "\u0e7f" for c in text)


def test_every_setting_has_a_field_a_label_and_thai_help(dialog: SettingsDialog) -> None:
    # Rows for keys not declared yet are allowed (other work adds them); a declared key
    # without a row is not.
    assert set(dialog.editors) <= set(SETTINGS) and set(dialog.editors) <= set(THAI_HELP)
    assert dialog.problem_keys() == []
    assert dialog.save_button.isEnabled()


@pytest.mark.parametrize("language", ["en", "th"])
def test_labels_are_words_with_the_key_in_small_print(qtbot, loop, language: str) -> None:  # type: ignore[no-untyped-def]
    made = SettingsDialog(current=Settings(), language=language, secrets=Secrets(environ={}))
    qtbot.addWidget(made)
    for key in made.editors:
        name = made.findChild(QLabel, f"label:{key}")
        small = made.findChild(QLabel, f"key:{key}")
        assert name is not None and small is not None, key
        assert name.text() and key not in name.text() and "_" not in name.text(), key
        assert small.text() == key
        assert small.font().pixelSize() < name.font().pixelSize()
        if language == "th":
            assert is_thai(name.text()) or name.text().startswith("Cognito"), key
            assert is_thai(made.editors[key].help.text()), key
    shown_as_keys = [
        label.text()
        for label in made.findChildren(QLabel)
        if label.text() in made.editors and not label.objectName().startswith("key:")
    ]
    assert shown_as_keys == []  # a key appears only in the small print
    assert made.labels["gateway.connect_timeout_s"].name.text() == (
        "Connection timeout (seconds)" if language == "en" else "เวลารอการเชื่อมต่อ (วินาที)"
    )
    printer = made.editors["printer.kind"].input
    assert isinstance(printer, QComboBox)
    assert printer.itemText(printer.findData("none")) == (
        "No printer" if language == "en" else "ไม่มีเครื่องพิมพ์"
    )


def test_fields_follow_the_gateway_and_printer_kind(dialog: SettingsDialog) -> None:
    assert dialog.values()["gateway.kind"] == "sandbox"
    assert not dialog.is_shown("gateway.cognito.username")
    assert dialog.is_shown("sandbox.scenario") and dialog.is_shown("gateway.base_url")
    dialog.set_value("gateway.cognito.username", "kiosk01")
    dialog.set_value("gateway.kind", "villa")
    assert dialog.is_shown("gateway.cognito.username") and not dialog.is_shown("sandbox.scenario")
    assert not dialog.credentials["COGNITO_PASSWORD"].isHidden()
    dialog.set_value("gateway.kind", "sandbox")
    assert dialog.credentials["COGNITO_PASSWORD"].isHidden()
    assert dialog.values()["gateway.cognito.username"] == "kiosk01"  # hidden keeps its value

    shown = {
        "none": set(),
        "pdf": {"printer.device", "printer.paper_mm", "printer.auto_print"},
        "network": {"printer.host", "printer.port", "printer.codepage", "printer.mode"},
        "usb": {"printer.device", "printer.mode"},
        "serial": {"printer.device", "printer.baudrate"},
        "file": {"printer.device", "printer.width_px"},
    }
    hidden = {
        "none": {"printer.host", "printer.device", "printer.paper_mm", "printer.auto_print"},
        "pdf": {"printer.host", "printer.port", "printer.baudrate", "printer.codepage"},
        "network": {"printer.device", "printer.baudrate"},
        "usb": {"printer.host", "printer.port", "printer.baudrate"},
        "serial": {"printer.host", "printer.port"},
        "file": {"printer.host", "printer.baudrate"},
    }
    for kind in shown:
        dialog.set_value("printer.kind", kind)
        assert dialog.is_shown("printer.kind") and dialog.is_shown("receipt.footer")
        assert all(dialog.is_shown(key) for key in shown[kind]), kind
        assert not any(dialog.is_shown(key) for key in hidden[kind]), kind


def test_restart_now_after_a_save_that_needs_it(qtbot, loop, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    restarts: list[str] = []
    made = SettingsDialog(
        current=Settings(),
        language="en",
        secrets=Secrets(environ={}),
        config_path=tmp_path / "c.toml",
        restart=lambda: restarts.append("restart"),
    )
    qtbot.addWidget(made)
    made.show()
    qtbot.mouseClick(made.save_button, CLICK)  # nothing changed: nothing to restart
    assert (tmp_path / "c.toml").exists()
    assert made.restart_button.isHidden() and "Nothing changed" in made.outcome.text()
    made.set_value("gateway.connect_timeout_s", "7")
    qtbot.mouseClick(made.save_button, CLICK)
    assert not made.restart_button.isHidden() and "Restart now" in made.outcome.text()
    assert "machine" not in made.outcome.text()
    assert restarts == []
    qtbot.mouseClick(made.restart_button, CLICK)
    assert restarts == ["restart"]


def test_without_a_restart_hook_it_says_what_to_do(qtbot, dialog: SettingsDialog) -> None:  # type: ignore[no-untyped-def]
    dialog.set_value("store.name", "Another shop")
    qtbot.mouseClick(dialog.save_button, CLICK)
    assert dialog.restart_button.isHidden()
    assert "start it again" in dialog.outcome.text()


def test_validation_as_you_type_names_the_problem(qtbot, dialog: SettingsDialog) -> None:  # type: ignore[no-untyped-def]
    qtbot.keyClicks(dialog.editors["store.max_amount"].input, "x")  # "50000.00x"
    problem = dialog.editors["store.max_amount"].problem
    assert not problem.isHidden() and problem.text()
    assert not dialog.save_button.isEnabled() and not dialog.test_button.isEnabled()
    dialog.set_value("store.max_amount", "2000")
    assert problem.isHidden() and dialog.save_button.isEnabled()
    dialog.set_value("gateway.base_url", "http://shop.example")  # plain http off loopback
    assert dialog.problem_keys() == ["gateway.base_url"]
    assert "https" in dialog.editors["gateway.base_url"].problem.text()
    assert "gateway.base_url" not in dialog.editors["gateway.base_url"].problem.text()
    dialog.set_language("th")
    assert is_thai(dialog.editors["gateway.base_url"].problem.text())
    dialog.set_language("en")
    dialog.set_value("gateway.base_url", "")
    dialog.set_value("store.expected_payee", "12345")
    assert dialog.problem_keys() == ["store.expected_payee"]
    assert "PromptPay" in dialog.editors["store.expected_payee"].problem.text()
    dialog.set_value("store.expected_payee", "081-234-5678")
    assert dialog.problem_keys() == []
    dialog.set_language("th")
    assert any("\u0e00" <= c <= "\u0e7f" for c in dialog.editors["store.name"].help.text())


def test_save_writes_the_file_and_keeps_secrets_out(
    qtbot,
    dialog: SettingsDialog,
    tmp_path: Path,
    memory_keyring: MemoryKeyring,  # noqa: F811
) -> None:  # type: ignore[no-untyped-def]
    saved: list[Settings] = []
    dialog.saved.connect(saved.append)
    dialog.set_value("store.name", "ร้านทดสอบ")
    dialog.set_value("gateway.kind", "villa")
    dialog.set_value("gateway.base_url", "https://villa.example/api")
    dialog.set_value("gateway.cognito.client_id", "client-1")
    dialog.set_value("gateway.cognito.username", "kiosk01")
    dialog.credentials["COGNITO_PASSWORD"].setText("pw-very-secret-1")
    qtbot.mouseClick(dialog.save_button, CLICK)
    assert saved and saved[0].store.name == "ร้านทดสอบ"
    text = (tmp_path / "c.toml").read_text(encoding="utf-8")
    assert "pw-very-secret-1" not in text
    assert parse_settings(text).gateway.cognito.username == "kiosk01"
    assert tomllib.loads(text)["gateway"]["kind"] == "villa"
    assert memory_keyring.store[("qr-kiosk", "COGNITO_PASSWORD")] == "pw-very-secret-1"
    assert dialog.credentials["COGNITO_PASSWORD"].text() == ""  # not kept on screen
    assert "Saved" in dialog.outcome.text()


def test_test_connection_success_and_failure(qtbot, dialog: SettingsDialog) -> None:  # type: ignore[no-untyped-def]
    with SandboxServer() as sandbox:
        dialog.set_value("gateway.base_url", sandbox.base_url)
        qtbot.mouseClick(dialog.test_button, CLICK)
        qtbot.waitUntil(lambda: "sandbox gateway works" in dialog.outcome.text(), timeout=5000)
    with socket.socket() as s:  # nobody listens here
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    dialog.set_value("gateway.base_url", f"http://127.0.0.1:{port}")
    dialog.set_value("gateway.connect_timeout_s", "1")
    qtbot.mouseClick(dialog.test_button, CLICK)
    qtbot.waitUntil(lambda: "✗" in dialog.outcome.text(), timeout=8000)
    assert "works" not in dialog.outcome.text()


def test_test_print_uses_the_typed_printer(qtbot, dialog: SettingsDialog, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert dialog.print_button.isHidden()  # no printer: nothing to test
    device = tmp_path / "lp0"
    dialog.set_value("printer.kind", "file")
    dialog.set_value("printer.device", str(device))
    assert not dialog.print_button.isHidden()
    qtbot.mouseClick(dialog.print_button, CLICK)
    qtbot.waitUntil(lambda: "printed" in dialog.outcome.text(), timeout=20000)
    assert device.stat().st_size > 100  # the test page's ESC/POS bytes, nothing saved
    assert not (tmp_path / "c.toml").exists()
