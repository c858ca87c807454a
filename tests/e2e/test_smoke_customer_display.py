"""`kiosk --smoke` with a customer display: it must show the sale's QR, or the smoke fails."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from kiosk.app import smoke
from kiosk.domain.exitcodes import ExitCode
from kiosk.ui.customer.view import Phase
from tests.e2e.test_smoke import last_json
from tests.processes import clean_env, run_kiosk
from tests.qt_fixtures import finish
from tests.ui.test_customer_display_screens import TWO_SCREENS


def smoke_on_two_screens(tmp: Path, settings: str) -> tuple[int, dict[str, object], Path]:
    screens = tmp / "screens.json"
    screens.write_text(json.dumps(TWO_SCREENS), encoding="utf-8")
    config = tmp / "config.toml"
    config.write_text(settings, encoding="utf-8")
    data = tmp / "data"
    env = clean_env(
        QT_QPA_PLATFORM=f"offscreen:configfile={screens}", TMPDIR=str(tmp), KIOSK_DATA_DIR=str(data)
    )
    result = run_kiosk("--config", str(config), "--smoke", "--smoke-timeout", "30", env=env)
    return result.returncode, last_json(result.stdout), data


def test_smoke_checks_the_customers_qr_and_keeps_a_picture(tmp_path: Path) -> None:
    code, report, data = smoke_on_two_screens(tmp_path, '[customer_display]\nscreen = "auto"\n')
    assert code == 0, report
    assert report["checks"]["customer_display"] == "qr_matched"  # type: ignore[index]
    picture = data / smoke.CUSTOMER_SCREENSHOT_FILE
    assert picture.stat().st_size > 1000
    assert picture.parent == (data / smoke.RESULT_FILE).parent


def test_smoke_fails_when_the_configured_screen_shows_nothing(tmp_path: Path) -> None:
    code, report, _ = smoke_on_two_screens(tmp_path, '[customer_display]\nscreen = "HDMI-9"\n')
    assert code == ExitCode.FAILED and report["ok"] is False
    assert report["checks"]["customer_display"] == "failed"  # type: ignore[index]
    assert "customer display" in str(report["detail"])


def test_a_display_showing_another_qr_fails_the_check(qtbot, make_gui, loop) -> None:  # type: ignore[no-untyped-def]
    gui = make_gui()
    display = gui.customer
    display.open_as_window()
    qtbot.waitUntil(display.is_shown)
    display.view.phase = Phase.SALE
    display.view.drawn_payload = "000201-not-this-sale"
    report = smoke.SmokeReport()

    async def check() -> None:
        deadline = asyncio.get_running_loop().time() + 0.3
        await smoke.check_customer_display(
            display, gui.services, "000201-the-sale", report, deadline
        )

    with pytest.raises(smoke.SmokeFailed):
        finish(loop, check())
    assert report.checks["customer_display"] == "failed"
