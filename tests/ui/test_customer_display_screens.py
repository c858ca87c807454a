"""The customer display with two screens, and with monitors plugged in and out.

Each case runs tests/ui/customer_scenarios.py in a child process: Qt reads
its screens once, when the application starts, so a second screen needs its
own platform — the offscreen plugin with a JSON screen list (Qt 6's
``offscreen:configfile=``), or the xcb plugin on Xvfb where xrandr adds and
removes monitors while the kiosk runs (Qt emits screenAdded/screenRemoved).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT
from tests.ui.customer_scenarios import RESULT

TWO_SCREENS = {
    "screens": [
        {"name": "A", "x": 0, "y": 0, "width": 1280, "height": 800,
         "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1},
        {"name": "B", "x": 1280, "y": 0, "width": 1920, "height": 1080,
         "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1},
    ]
}  # fmt: skip


def run_scenario(out: Path, *args: str, env: dict[str, str], timeout: float = 120) -> Any:
    out.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run(
        [sys.executable, "-m", "tests.ui.customer_scenarios", *args, "--out", str(out)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT), **env},
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    lines = [line for line in proc.stdout.splitlines() if line.startswith(RESULT)]
    assert proc.returncode == 0 and lines, proc.stdout[-2000:] + proc.stderr[-4000:]
    return json.loads(lines[-1].removeprefix(RESULT))


def two_screens(tmp: Path) -> dict[str, str]:
    config = tmp / "screens.json"
    config.write_text(json.dumps(TWO_SCREENS), encoding="utf-8")
    return {"QT_QPA_PLATFORM": f"offscreen:configfile={config}"}


@pytest.fixture(scope="module")
def sale(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Path]:
    tmp = tmp_path_factory.mktemp("two-screens")
    return run_scenario(tmp / "out", "sale", env=two_screens(tmp)), tmp / "out"


def test_it_opens_full_screen_on_the_second_screen(sale: tuple[Any, Path]) -> None:
    report, _ = sale
    assert [s[0] for s in report["screens"]] == ["A", "B"]
    assert report["shown"] and report["screen"] == "B" and report["full_screen"]
    assert report["geometry"] == [1280, 0, 1920, 1080]
    assert report["accepts_focus"] is False and report["focus_on_cashier"]


def test_its_qr_is_the_orders_own(sale: tuple[Any, Path]) -> None:
    report, _ = sale
    assert report["order_payload"].startswith("000201")
    assert report["customer_payload"] == report["order_payload"] == report["cashier_payload"]


def test_paid_then_expired(sale: tuple[Any, Path]) -> None:
    report, _ = sale
    assert report["paid_phase"] == "paid" and report["paid_late"] is False
    assert report["expired"] and report["cashier_focus_end"]
    assert report["errors"] == []
    assert report["remembered"] == {"name": "B", "model": "", "serial": ""}


def test_an_independent_decoder_reads_the_orders_payload_off_the_screen(
    sale: tuple[Any, Path],
) -> None:
    report, out = sale
    zbarimg = shutil.which("zbarimg")
    assert zbarimg, "zbarimg is missing: scripts/setup.sh test installs zbar-tools"
    decoded = subprocess.run(
        [zbarimg, "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(out / "qr.png")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert decoded.returncode == 0, decoded.stderr
    assert decoded.stdout.strip() == report["order_payload"]


def test_off_shows_nothing_even_with_two_screens(tmp_path: Path) -> None:
    report = run_scenario(tmp_path / "out", "sale", "--screen", "off", env=two_screens(tmp_path))
    assert report["display"] is False and report["shown"] is False
    assert report["top_level_visible"] == ["mainWindow"] or len(report["top_level_visible"]) == 1


@pytest.fixture
def xvfb(tmp_path: Path) -> Iterator[str]:
    """One wide X screen, kept across clients (-noreset), its left third monitor A."""
    for tool in ("Xvfb", "xrandr"):
        assert shutil.which(tool), f"{tool} is missing: scripts/setup.sh test installs it"
    read, write = os.pipe()
    proc = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write), "-noreset", "-nolisten", "tcp",
         "-screen", "0", "5760x1080x24"],
        pass_fds=(write,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    os.close(write)
    try:
        with os.fdopen(read) as answer:
            display = ":" + answer.readline().strip()
        env = {**os.environ, "DISPLAY": display}
        # Monitor A takes the X screen's one output, so the automatic monitor
        # covering the whole 3840 px ("screen") is gone and Qt lists A alone.
        subprocess.run(
            ["xrandr", "--setmonitor", "A", "1920/508x1080/286+0+0", "screen"],
            env=env,
            check=True,
            timeout=20,
            capture_output=True,
        )
        yield display
    finally:
        proc.terminate()
        proc.wait(10)


def test_hot_plug_under_xvfb_moves_it_to_the_new_monitor_and_back(
    xvfb: str, tmp_path: Path
) -> None:
    report = run_scenario(
        tmp_path / "out", "hotplug", env={"QT_QPA_PLATFORM": "xcb", "DISPLAY": xvfb}
    )
    steps = {step["step"]: step for step in report["steps"]}
    assert steps["one monitor"]["shown"] is False
    for round_ in (1, 2):
        plugged = steps[f"B plugged in ({round_})"]
        assert plugged["shown"] and plugged["screen"] == "B"
        assert plugged["geometry"] == [1920, 0, 1920, 1080]
        assert steps[f"B unplugged ({round_})"]["shown"] is False
    assert steps["C plugged in"]["screen"] == "B"  # a new monitor does not take it
    assert steps["B unplugged, C left"]["screen"] == "C"
    assert steps["B unplugged, C left"]["geometry"] == [3840, 0, 1920, 1080]
    assert steps["B back"]["screen"] == "C"  # no jump back while C is there
    assert steps["C unplugged"]["screen"] == "B"
    assert steps["C unplugged"]["geometry"] == [1920, 0, 1920, 1080]
    assert report["events"][:4] == ["added B", "removed B", "added B", "removed B"]
    assert report["events"][4:] == ["added B", "added C", "removed B", "added B", "removed C"]
    assert report["errors"] == [] and report["failures"] == 0
