"""`kiosk --smoke`, the installer's self-test: one sandbox sale through the real window."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from kiosk.app import smoke
from kiosk.domain.errors import AlreadyRunning
from kiosk.domain.exitcodes import ExitCode
from kiosk.domain.order import OrderState
from kiosk.gateways.sandbox import Scenario
from kiosk.store.lock import DataDirLock
from kiosk.ui.already_running import EXIT_ALREADY_RUNNING, show_already_running
from tests.processes import clean_env
from tests.processes import run_kiosk as run_main
from tests.qt_fixtures import GuiFactory, finish, kiosk_settings


def run_kiosk(
    *args: str, data: Path | None, tmp: Path, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    # TMPDIR: where a smoke with no data folder makes its own
    env = clean_env(QT_QPA_PLATFORM="offscreen", TMPDIR=str(tmp))
    if data is not None:
        env["KIOSK_DATA_DIR"] = str(data)
    return run_main(*args, env=env, timeout=timeout)


def last_json(stdout: str) -> dict[str, object]:
    line = stdout.strip().splitlines()[-1]
    found: dict[str, object] = json.loads(line)
    return found


def test_smoke_as_the_installer_runs_it(tmp_path: Path) -> None:
    data = tmp_path / "data"
    result = run_kiosk("--smoke", "--smoke-timeout", "30", data=data, tmp=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    report = last_json(result.stdout)
    assert report["ok"] is True and report["smoke"] == "paid" and report["status"] == "paid"
    assert report["qt_platform"] == "offscreen" and report["data_dir"] == str(data)
    assert report["checks"] == {
        "thai_font": True,
        "translation_th": True,
        "sounds": True,
        "thai_shaping": True,
        "escpos_capabilities": True,
        "customer_display": "skipped",  # one screen: no customer display to check
    }
    assert json.loads((data / smoke.RESULT_FILE).read_text(encoding="utf-8")) == report
    assert (data / smoke.SCREENSHOT_FILE).stat().st_size > 1000
    assert (data / "logs" / "kiosk.log").exists()


def test_smoke_without_a_data_dir_uses_a_fresh_temporary_one(tmp_path: Path) -> None:
    result = run_kiosk("--smoke", "--smoke-timeout", "30", data=None, tmp=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    report = last_json(result.stdout)
    used = Path(str(report["data_dir"]))
    assert used.parent == tmp_path and used.name.startswith("kiosk-smoke-")
    assert (used / smoke.RESULT_FILE).exists()
    assert not (tmp_path / "xdg-data").exists()  # never the user's real data folder


def test_smoke_in_process_reports_each_step(qtbot, make_gui: GuiFactory, loop) -> None:  # type: ignore[no-untyped-def]
    gui = make_gui(smoke.smoke_settings(kiosk_settings()))
    report = finish(loop, smoke.drive(gui.window, gui.controller, gui.services, timeout_s=20))
    assert report.ok, report.detail
    assert list(report.steps) == [
        "window",
        "keypad",
        "charge",
        "qr",
        "simulate_payment",
        "paid_screen",
        "done",
    ]
    assert report.order is not None
    order = gui.services.journal.get(report.order)
    assert order is not None and order.state is OrderState.PAID and order.amount.plain() == "1.00"


def test_smoke_fails_when_the_sale_fails(qtbot, make_gui: GuiFactory, loop) -> None:  # type: ignore[no-untyped-def]
    gui = make_gui(smoke.smoke_settings(kiosk_settings()))
    assert gui.services.sandbox_server is not None
    gui.services.sandbox_server.set_scenario(Scenario(tamper="qr_amount"))
    report = finish(loop, smoke.drive(gui.window, gui.controller, gui.services, timeout_s=20))
    assert not report.ok and report.step == "qr"
    assert "failed before its QR" in report.detail
    assert smoke.write_report(report, gui.services.data_dir, out=sys.stderr) == ExitCode.FAILED
    saved = json.loads((gui.services.data_dir / smoke.RESULT_FILE).read_text(encoding="utf-8"))
    assert saved["ok"] is False and saved["smoke"] == "failed"


def test_smoke_always_uses_the_embedded_sandbox() -> None:
    settings = kiosk_settings()
    villa = settings.gateway.__class__(
        kind="villa", base_url="https://example.invalid/api", methods="qr"
    )
    from dataclasses import replace

    forced = smoke.smoke_settings(replace(settings, gateway=villa))
    assert forced.uses_embedded_sandbox and forced.sandbox.scenario == "never"
    assert forced.ui.sound is False and forced.store.name == settings.store.name


def test_a_second_kiosk_says_so_and_exits(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with DataDirLock.acquire(data):
        result = run_kiosk("--exit-when-ready", data=data, tmp=tmp_path)
        assert result.returncode == EXIT_ALREADY_RUNNING
        assert "already running" in result.stderr
        smoked = run_kiosk("--smoke", data=data, tmp=tmp_path)
        assert smoked.returncode == ExitCode.HELD
        assert "already running" in str(last_json(smoked.stdout)["detail"])


def test_the_second_kiosk_message_is_a_window(qtbot, loop) -> None:  # type: ignore[no-untyped-def]
    error = AlreadyRunning("/data/kiosk.lock is held by process 42")
    seen: list[str] = []

    def press_ok() -> None:  # as the cashier would, once the message is up
        for widget in QApplication.topLevelWidgets():
            if widget.objectName() == "alreadyRunningBox" and widget.isVisible():
                assert isinstance(widget, QMessageBox) and not widget.isModal()
                seen.append(widget.text() + " " + widget.informativeText())
                widget.button(QMessageBox.StandardButton.Ok).click()
                watcher.stop()

    watcher = QTimer()
    watcher.setInterval(10)
    watcher.timeout.connect(press_ok)
    watcher.start()
    try:
        code = finish(loop, show_already_running(error, "en", timeout_s=20))
    finally:
        watcher.stop()
    assert code == EXIT_ALREADY_RUNNING
    assert len(seen) == 1 and "already running" in seen[0] and "process 42" in seen[0]
