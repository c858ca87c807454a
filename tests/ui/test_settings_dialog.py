"""The settings dialog: validation as you type, Test connection, Save (secrets to the keyring)."""

from __future__ import annotations

import socket
import tomllib
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from kiosk.gateways.sandbox import SandboxServer
from kiosk.infra.config import Settings, parse_settings
from kiosk.infra.secrets import Secrets
from kiosk.ui.settings_dialog import SettingsDialog
from kiosk.ui.settings_text import THAI_HELP
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


def test_every_setting_has_a_field_and_thai_help(dialog: SettingsDialog) -> None:
    assert set(dialog.editors) == set(THAI_HELP)
    assert dialog.problem_keys() == []
    assert dialog.save_button.isEnabled()


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
