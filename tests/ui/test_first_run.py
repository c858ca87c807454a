"""The first-run wizard: language first, sandbox or Villa (production unless development is
chosen), printer with a test print, receipt, payee, the PIN into the keyring; Back on every
step; a missing settings file at KIOSK_CONFIG opens it and it writes the file there."""

from __future__ import annotations

import asyncio
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from kiosk.app.compose import build_pin
from kiosk.infra.config import Settings, load_settings
from kiosk.infra.secrets import Secrets
from kiosk.services.setup import VILLA_DEV_URL, VILLA_PROD_URL, needs_first_run
from kiosk.ui.first_run import STEPS, FirstRunWizard
from tests.conftest import ROOT
from tests.memkeyring import MemoryKeyring, memory_keyring  # noqa: F401

CLICK = Qt.MouseButton.LeftButton


def is_thai(text: str) -> bool:
    return any("\u0e00" <= c <= "\u0e7f" for c in text)


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
    yield made
    made.set_language("en")  # the translator is global: leave English for the next test


def click(qtbot: Any, wizard: FirstRunWizard, button: Any) -> None:
    assert button.isVisible(), button.objectName()
    qtbot.mouseClick(button, CLICK)


def to_pin(qtbot: Any, wizard: FirstRunWizard) -> None:
    """From the details step on, with what is there, to the PIN step."""
    for step in ("details", "printer", "receipt", "payee"):
        assert wizard.current_step() == step, wizard.steps[step].message.text()
        click(qtbot, wizard, wizard.steps[step].next)
    assert wizard.current_step() == "pin"


def finish(qtbot: Any, wizard: FirstRunWizard, pin: str = "123456") -> None:
    wizard.pin1.setText(pin)
    wizard.pin2.setText(pin)
    click(qtbot, wizard, wizard.finish_button)


def test_language_comes_first_and_switches_the_wizard(qtbot, wizard: FirstRunWizard) -> None:  # type: ignore[no-untyped-def]
    assert wizard.current_step() == "language"
    assert not wizard.steps["language"].back.isVisible()
    click(qtbot, wizard, wizard.thai_button)
    assert wizard.current_step() == "mode"
    assert is_thai(wizard.sandbox_button.text()) and is_thai(wizard.title.text())
    assert is_thai(wizard.steps["mode"].back.text())
    click(qtbot, wizard, wizard.steps["mode"].back)
    click(qtbot, wizard, wizard.english_button)
    assert wizard.sandbox_button.text() == "Try it in sandbox mode"


def test_sandbox_then_pin(
    qtbot,
    wizard: FirstRunWizard,
    tmp_path: Path,
    memory_keyring: MemoryKeyring,  # noqa: F811
) -> None:  # type: ignore[no-untyped-def]
    assert needs_first_run(tmp_path / "config.toml")
    done: list[Settings] = []
    wizard.finished.connect(done.append)
    click(qtbot, wizard, wizard.thai_button)
    click(qtbot, wizard, wizard.sandbox_button)
    assert not wizard.base_url.isVisible()  # no Villa fields for the sandbox
    wizard.store_name.setText("ร้านกาแฟ")
    to_pin(qtbot, wizard)
    qtbot.keyClicks(wizard.pin1, "12345")
    click(qtbot, wizard, wizard.finish_button)
    qtbot.waitUntil(lambda: "6" in wizard.pin_message.text(), timeout=2000)  # needs 6 digits
    wizard.pin1.setText("123456")
    wizard.pin2.setText("123457")
    click(qtbot, wizard, wizard.finish_button)
    qtbot.waitUntil(lambda: "ไม่ตรงกัน" in wizard.pin_message.text(), timeout=2000)
    wizard.pin2.setText("123456")
    click(qtbot, wizard, wizard.finish_button)
    qtbot.waitUntil(lambda: bool(done), timeout=5000)
    assert done[0].gateway.kind == "sandbox" and done[0].store.name == "ร้านกาแฟ"
    loaded = load_settings(tmp_path / "config.toml")
    assert loaded.store.name == "ร้านกาแฟ" and loaded.ui.language == "th"
    assert memory_keyring.store[("qr-kiosk", "MANAGER_PIN_HASH")].startswith("$scrypt$")
    assert "123456" not in (tmp_path / "config.toml").read_text(encoding="utf-8")


def test_villa_is_production_unless_development_is_chosen(qtbot, wizard: FirstRunWizard) -> None:  # type: ignore[no-untyped-def]
    click(qtbot, wizard, wizard.english_button)
    click(qtbot, wizard, wizard.villa_button)
    assert wizard.base_url.isVisible() and wizard.password.isVisible()
    assert wizard.base_url.text() == VILLA_PROD_URL and wizard.base_url.isReadOnly()
    assert wizard.values()["gateway.base_url"] == VILLA_PROD_URL
    wizard.choose_server("development")
    assert wizard.values()["gateway.base_url"] == VILLA_DEV_URL
    wizard.choose_server("other")
    assert not wizard.base_url.isReadOnly() and wizard.base_url.text() == ""
    wizard.base_url.setText("http://villa.example/api")
    wizard.choose_server("production")
    assert wizard.values()["gateway.base_url"] == VILLA_PROD_URL


def test_villa_needs_its_fields_said_in_words(qtbot, wizard: FirstRunWizard) -> None:  # type: ignore[no-untyped-def]
    click(qtbot, wizard, wizard.english_button)
    click(qtbot, wizard, wizard.villa_button)
    click(qtbot, wizard, wizard.details_next)
    message = wizard.details_message.text()
    assert message and "Shop name" in message  # the villa form starts without a name
    assert "store." not in message and "gateway." not in message  # words, not keys
    assert wizard.current_step() == "details"
    wizard.store_name.setText("Villa Sukhumvit")
    click(qtbot, wizard, wizard.details_next)
    assert "Cognito client id" in wizard.details_message.text()
    assert "gateway." not in wizard.details_message.text()
    wizard.client_id.setText("client-1")
    wizard.username.setText("kiosk01")
    click(qtbot, wizard, wizard.details_next)
    assert "password" in wizard.details_message.text()
    wizard.password.setText("pw")
    wizard.set_language("th")
    wizard.choose_server("other")
    wizard.base_url.setText("http://villa.example/api")
    click(qtbot, wizard, wizard.details_next)
    assert is_thai(wizard.details_message.text()) and "https" in wizard.details_message.text()
    wizard.choose_server("production")
    click(qtbot, wizard, wizard.details_next)
    assert wizard.current_step() == "printer"


def test_printer_step_prints_a_test_page_to_a_file(
    qtbot, wizard: FirstRunWizard, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    click(qtbot, wizard, wizard.english_button)
    click(qtbot, wizard, wizard.sandbox_button)
    click(qtbot, wizard, wizard.details_next)
    fields = wizard.fields
    assert wizard.current_step() == "printer"
    assert not wizard.test_print_button.isEnabled()  # "No printer": nothing to test
    assert not fields["printer.host"].isVisible() and not fields["printer.device"].isVisible()
    fields["printer.kind"].input.setCurrentIndex(fields["printer.kind"].input.findData("network"))
    assert fields["printer.host"].isVisible() and fields["printer.port"].isVisible()
    click(qtbot, wizard, wizard.steps["printer"].next)
    message = wizard.steps["printer"].message.text()
    assert "Printer address" in message and "printer.host" not in message
    fields["printer.kind"].input.setCurrentIndex(fields["printer.kind"].input.findData("file"))
    assert fields["printer.device"].isVisible() and not fields["printer.host"].isVisible()
    device = tmp_path / "lp0"
    fields["printer.device"].input.setText(str(device))
    with qtbot.waitSignal(wizard.test_printed, timeout=20000) as printed:
        click(qtbot, wizard, wizard.test_print_button)
    assert printed.args == [True], wizard.steps["printer"].message.text()
    assert "printed" in wizard.steps["printer"].message.text()
    assert device.stat().st_size > 100  # ESC/POS bytes of the test page
    click(qtbot, wizard, wizard.steps["printer"].next)
    assert wizard.current_step() == "receipt"
    assert wizard.values()["printer.device"] == str(device)


def test_receipt_and_payee_steps_check_what_is_typed(
    qtbot,
    wizard: FirstRunWizard,
    tmp_path: Path,
    memory_keyring: MemoryKeyring,  # noqa: F811
) -> None:  # type: ignore[no-untyped-def]
    done: list[Settings] = []
    wizard.finished.connect(done.append)
    click(qtbot, wizard, wizard.thai_button)
    click(qtbot, wizard, wizard.sandbox_button)
    click(qtbot, wizard, wizard.details_next)
    click(qtbot, wizard, wizard.steps["printer"].next)
    assert wizard.current_step() == "receipt"
    assert {"receipt.address", "receipt.tax_id", "receipt.footer"} <= set(
        wizard.fields_of("receipt")
    )
    wizard.fields["receipt.tax_id"].input.setText("12345")
    click(qtbot, wizard, wizard.steps["receipt"].next)
    message = wizard.steps["receipt"].message.text()
    assert "เลขประจำตัวผู้เสียภาษี" in message and "13" in message and "receipt." not in message
    wizard.fields["receipt.tax_id"].input.setText("0105558000000")
    wizard.fields["receipt.address"].input.setText("33 สุขุมวิท กรุงเทพฯ")
    wizard.fields["receipt.footer"].input.setText("ขอบคุณค่ะ")
    click(qtbot, wizard, wizard.steps["receipt"].next)
    assert wizard.current_step() == "payee"
    payee = wizard.fields["store.expected_payee"].input
    payee.setText("12345")
    click(qtbot, wizard, wizard.steps["payee"].next)
    assert "พร้อมเพย์" in wizard.steps["payee"].message.text()
    assert wizard.current_step() == "payee"
    payee.setText("081-234-5678")
    click(qtbot, wizard, wizard.steps["payee"].next)
    assert wizard.current_step() == "pin"
    finish(qtbot, wizard)
    qtbot.waitUntil(lambda: bool(done), timeout=5000)
    loaded = load_settings(tmp_path / "config.toml")
    assert loaded.receipt.tax_id == "0105558000000" and loaded.receipt.footer == "ขอบคุณค่ะ"
    assert loaded.receipt.address == "33 สุขุมวิท กรุงเทพฯ"
    assert loaded.store.expected_payee == "081-234-5678"


def test_back_on_every_step(qtbot, wizard: FirstRunWizard) -> None:  # type: ignore[no-untyped-def]
    click(qtbot, wizard, wizard.english_button)
    click(qtbot, wizard, wizard.villa_button)
    wizard.store_name.setText("Villa")
    wizard.client_id.setText("client-1")
    wizard.username.setText("kiosk01")
    wizard.password.setText("pw")
    to_pin(qtbot, wizard)
    for step in reversed(STEPS[1:]):
        assert wizard.current_step() == step
        click(qtbot, wizard, wizard.steps[step].back)
    assert wizard.current_step() == "language"
    assert wizard.client_id.text() == "client-1"  # going back keeps what was typed


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
        click(qtbot, wizard, wizard.english_button)
        click(qtbot, wizard, wizard.sandbox_button)
        to_pin(qtbot, wizard)
        finish(qtbot, wizard)
        qtbot.waitUntil(wizard.skip_pin_button.isVisible, timeout=5000)
        assert "keyring" in wizard.pin_message.text().lower()
        assert not (tmp_path / "config.toml").exists()
        click(qtbot, wizard, wizard.skip_pin_button)
        assert done and done[0].gateway.kind == "sandbox"
    finally:
        keyring.set_keyring(previous)


def run_at_once(coro: Any) -> Any:
    """A coroutine that never waits, run to its end without an event loop."""
    try:
        coro.send(None)
    except StopIteration as done:
        return done.value
    raise AssertionError("it waited")


def shown_wizard() -> FirstRunWizard | None:
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, FirstRunWizard) and widget.isVisible():
            return widget
    return None


def test_a_missing_file_at_kiosk_config_opens_the_wizard_which_writes_it_there(  # type: ignore[no-untyped-def]
    qtbot,
    loop,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    memory_keyring: MemoryKeyring,  # noqa: F811
) -> None:
    from kiosk.app import gui

    target = tmp_path / "etc" / "kiosk.toml"
    monkeypatch.setenv("KIOSK_CONFIG", str(target))
    asked: dict[str, Any] = {}

    async def run_gui(app: Any, settings: Settings, **kw: Any) -> int:
        asked.update(kw)
        return 0

    # main() as the window starts it, up to the GUI loop (which is the wizard test below)
    monkeypatch.setattr(gui, "run_gui", run_gui)
    monkeypatch.setattr(gui.qasync, "run", run_at_once)
    # Nothing process-wide for the tests after this one: umask, logging, style sheet.
    monkeypatch.setattr("kiosk.app.cli.keep_files_private", lambda: None)
    monkeypatch.setattr(gui, "setup_logging", lambda *a, **kw: None)
    monkeypatch.setattr(gui, "use_screen", lambda *a: None)
    monkeypatch.setattr(gui, "style_sheet", lambda m: QApplication.instance().styleSheet())
    assert gui.main() == 0
    assert asked["first_run_config"] == target

    task = asyncio.ensure_future(gui.run_first_run(tmp_path / "d", target, "en"))
    qtbot.waitUntil(lambda: shown_wizard() is not None, timeout=2000)
    found = shown_wizard()
    assert found is not None
    click(qtbot, found, found.english_button)
    click(qtbot, found, found.sandbox_button)
    found.store_name.setText("Counter Shop")
    found.store_id.setText("S042")
    to_pin(qtbot, found)
    finish(qtbot, found, "246810")
    qtbot.waitUntil(task.done, timeout=5000)
    settings = task.result()
    assert settings is not None and settings.gateway.kind == "sandbox"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    loaded = load_settings(target)
    assert loaded.store.name == "Counter Shop" and loaded.store.store_id == "S042"


def test_a_command_with_a_missing_kiosk_config_still_exits_2(tmp_path: Path) -> None:
    from tests.processes import clean_env

    target = tmp_path / "missing.toml"
    env = clean_env(KIOSK_DATA_DIR=str(tmp_path / "d"), KIOSK_CONFIG=str(target))
    result = subprocess.run(
        [sys.executable, "-m", "kiosk", "charge", "10"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2, result.stderr
    assert str(target) in result.stderr and "set-up wizard" in result.stderr
    assert "Traceback" not in result.stderr and not target.exists()


def test_closing_the_wizard_ends_it(qtbot, loop, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from kiosk.app.gui import run_first_run

    task = asyncio.ensure_future(run_first_run(tmp_path / "d", tmp_path / "c.toml", "en"))
    qtbot.waitUntil(lambda: shown_wizard() is not None, timeout=2000)
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, FirstRunWizard):
            widget.close()
    qtbot.waitUntil(task.done, timeout=2000)
    assert task.result() is None and not (tmp_path / "c.toml").exists()


def test_restart_starts_the_same_command_again(monkeypatch: pytest.MonkeyPatch) -> None:
    from kiosk.app import gui

    calls: list[tuple[str, list[str]]] = []
    monkeypatch.setattr(gui.os, "execv", lambda path, argv: calls.append((path, list(argv))))
    monkeypatch.setattr(sys, "orig_argv", ["python3", "-X", "utf8", "-m", "kiosk", "--config", "c"])
    gui.restart_program()
    assert calls == [
        (sys.executable, [sys.executable, "-X", "utf8", "-m", "kiosk", "--config", "c"])
    ]
