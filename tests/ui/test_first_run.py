"""The first-run wizard: sandbox in two steps, Villa with its checks, the PIN into the keyring."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from kiosk.app.compose import build_pin
from kiosk.infra.config import Settings, load_settings
from kiosk.infra.secrets import Secrets
from kiosk.services.setup import needs_first_run
from kiosk.ui.first_run import FirstRunWizard
from tests.memkeyring import MemoryKeyring, memory_keyring  # noqa: F401

CLICK = Qt.MouseButton.LeftButton


@pytest.fixture
def wizard(qtbot, loop, tmp_path: Path):  # type: ignore[no-untyped-def]
    secrets = Secrets(environ={})
    made = FirstRunWizard(
        data_dir=tmp_path / "data",
        config_path=tmp_path / "config.toml",
        pin=build_pin(tmp_path / "data", secrets=secrets),
        secrets=secrets,
    )
    qtbot.addWidget(made)
    made.show()
    return made


def test_sandbox_then_pin(
    qtbot,
    wizard: FirstRunWizard,
    tmp_path: Path,
    memory_keyring: MemoryKeyring,  # noqa: F811
) -> None:  # type: ignore[no-untyped-def]
    assert needs_first_run(tmp_path / "config.toml")
    done: list[Settings] = []
    wizard.finished.connect(done.append)
    qtbot.mouseClick(wizard.sandbox_button, CLICK)
    assert not wizard.base_url.isVisible()  # no Villa fields for the sandbox
    wizard.store_name.setText("ร้านกาแฟ")
    qtbot.mouseClick(wizard.details_next, CLICK)
    qtbot.keyClicks(wizard.pin1, "12345")
    qtbot.mouseClick(wizard.finish_button, CLICK)
    qtbot.waitUntil(lambda: "6" in wizard.pin_message.text(), timeout=2000)  # needs 6 digits
    wizard.pin1.setText("123456")
    wizard.pin2.setText("123457")
    qtbot.mouseClick(wizard.finish_button, CLICK)
    qtbot.waitUntil(lambda: "not the same" in wizard.pin_message.text(), timeout=2000)
    wizard.pin2.setText("123456")
    qtbot.mouseClick(wizard.finish_button, CLICK)
    qtbot.waitUntil(lambda: bool(done), timeout=5000)
    assert done[0].gateway.kind == "sandbox" and done[0].store.name == "ร้านกาแฟ"
    assert load_settings(tmp_path / "config.toml").store.name == "ร้านกาแฟ"
    assert memory_keyring.store[("qr-kiosk", "MANAGER_PIN_HASH")].startswith("$scrypt$")
    assert "123456" not in (tmp_path / "config.toml").read_text(encoding="utf-8")


def test_villa_needs_its_fields(qtbot, wizard: FirstRunWizard) -> None:  # type: ignore[no-untyped-def]
    qtbot.mouseClick(wizard.villa_button, CLICK)
    assert wizard.base_url.isVisible() and wizard.password.isVisible()
    qtbot.mouseClick(wizard.details_next, CLICK)
    assert wizard.details_message.text()  # e.g. the Cognito client id is required
    assert wizard.pages.currentIndex() == 1
    wizard.store_name.setText("Villa Sukhumvit")
    wizard.client_id.setText("client-1")
    wizard.username.setText("kiosk01")
    qtbot.mouseClick(wizard.details_next, CLICK)
    assert "password" in wizard.details_message.text()
    wizard.password.setText("pw")
    qtbot.mouseClick(wizard.details_next, CLICK)
    assert wizard.pages.currentIndex() == 2


def test_no_keyring_says_so_and_sandbox_may_go_on(
    qtbot, wizard: FirstRunWizard, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    import keyring
    from keyring.backends.fail import Keyring as FailKeyring

    previous = keyring.get_keyring()
    keyring.set_keyring(FailKeyring())
    try:
        done: list[Settings] = []
        wizard.finished.connect(done.append)
        qtbot.mouseClick(wizard.sandbox_button, CLICK)
        qtbot.mouseClick(wizard.details_next, CLICK)
        wizard.pin1.setText("123456")
        wizard.pin2.setText("123456")
        qtbot.mouseClick(wizard.finish_button, CLICK)
        qtbot.waitUntil(wizard.skip_pin_button.isVisible, timeout=5000)
        assert "keyring" in wizard.pin_message.text().lower()
        assert not (tmp_path / "config.toml").exists()
        qtbot.mouseClick(wizard.skip_pin_button, CLICK)
        assert done and done[0].gateway.kind == "sandbox"
    finally:
        keyring.set_keyring(previous)


def test_the_app_runs_the_wizard_until_it_saves(  # type: ignore[no-untyped-def]
    qtbot,
    loop,
    tmp_path: Path,
    memory_keyring: MemoryKeyring,  # noqa: F811
) -> None:
    import asyncio

    from PySide6.QtWidgets import QApplication

    from kiosk.app.gui import run_first_run

    task = asyncio.ensure_future(run_first_run(tmp_path / "d", tmp_path / "c.toml", "th"))

    def shown() -> FirstRunWizard | None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, FirstRunWizard) and widget.isVisible():
                return widget
        return None

    qtbot.waitUntil(lambda: shown() is not None, timeout=2000)
    found = shown()
    assert found is not None
    qtbot.mouseClick(found.sandbox_button, CLICK)
    qtbot.mouseClick(found.details_next, CLICK)
    found.pin1.setText("246810")
    found.pin2.setText("246810")
    qtbot.mouseClick(found.finish_button, CLICK)
    qtbot.waitUntil(task.done, timeout=5000)
    settings = task.result()
    assert settings is not None and settings.gateway.kind == "sandbox"
    assert (tmp_path / "c.toml").exists()


def test_closing_the_wizard_ends_it(qtbot, loop, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    import asyncio

    from PySide6.QtWidgets import QApplication

    from kiosk.app.gui import run_first_run

    task = asyncio.ensure_future(run_first_run(tmp_path / "d", tmp_path / "c.toml", "en"))
    qtbot.waitUntil(
        lambda: any(isinstance(w, FirstRunWizard) for w in QApplication.topLevelWidgets()),
        timeout=2000,
    )
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, FirstRunWizard):
            widget.close()
    qtbot.waitUntil(task.done, timeout=2000)
    assert task.result() is None and not (tmp_path / "c.toml").exists()
