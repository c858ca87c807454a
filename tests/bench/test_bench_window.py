"""Window benchmark (make bench): 20 checkouts through the real window, offscreen.

Reports the event-loop stall (a 5 ms timer probe: worst and p99 lateness),
click on Charge -> QR painted minus the sandbox's own answer time (p50, p95),
and cold start to an interactive window against a bare PySide6 window in the
same run, and to Charge-ready. The figures move with the machine's load: run
it a few times (docs/architecture.md, "Performance").
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx
from PySide6.QtCore import QCoreApplication, QElapsedTimer, Qt, QTimer

from kiosk.app.gui import start_background
from kiosk.gateways.villa import VillaGateway
from kiosk.ui import qr_view
from tests.conftest import ROOT
from tests.qt_fixtures import GuiFactory, kiosk_settings

CHECKOUTS = 20
PROBE_MS = 5

BARE = """
import sys, time
t0 = time.perf_counter()
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow
app = QApplication(sys.argv)
w = QMainWindow(); w.setCentralWidget(QLabel("bare")); w.resize(1280, 800); w.show()
QTimer.singleShot(0, lambda: (print("interactive", flush=True), app.quit()))
app.exec()
"""


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def cold_start(args: list[str], env: dict[str, str]) -> tuple[float, float, float]:
    """Seconds from spawn to the interactive window, to Charge ready and to the process's end.

    Each is when its line arrives (the kiosk prints them, flushed, as they
    happen); the end (reading to EOF) also holds the shut-down, which no
    cashier waits for, so it is reported beside Charge ready, not as it.
    """
    t0 = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, text=True, env=env, cwd=ROOT)
    assert proc.stdout is not None
    line = proc.stdout.readline()
    interactive = time.perf_counter() - t0
    assert "interactive" in line, line
    line = proc.stdout.readline()
    ready = time.perf_counter() - t0
    if "charge_ready" not in line:  # the bare window prints one line
        assert not line.strip(), line
        ready = interactive
    proc.stdout.read()
    gone = time.perf_counter() - t0
    proc.wait(30)
    return interactive, ready, gone


def cold_env(tmp_path: Path) -> dict[str, str]:
    """The environment of a cold start: offscreen, a fresh data folder, bytecode cached.

    An installed kiosk runs compiled modules (pip compiles them, the bundle
    ships them); a PYTHONDONTWRITEBYTECODE in the caller's environment would
    make every run compile the kiosk's sources again (~125 ms of CPU here).
    The cache goes to tmp_path, not into the source tree; an untimed run fills it.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["QT_QPA_PLATFORM"] = "offscreen"
    env["KIOSK_DATA_DIR"] = str(tmp_path / "cold")
    env["PYTHONPYCACHEPREFIX"] = str(tmp_path / "pycache")
    return env


def test_window_figures(qtbot, make_gui: GuiFactory, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    gui = make_gui(kiosk_settings(ui={"sound": False, "result_clear_s": 0}))
    window = gui.window
    start_background(gui)  # as the app does: recovery, the link monitor, receipts warm-up
    receipts = gui.services.receipts
    qtbot.waitUntil(lambda: receipts is None or receipts._renderer is not None, timeout=5000)
    # The start-up warm-ups are done (the QR worker's qrcode import holds the GIL
    # ~25 ms): the figures are of a counter selling, cold start is measured below.
    qr_view._WORKER.submit(int).result(timeout=30)
    gateway = gui.services.gateway
    assert isinstance(gateway, VillaGateway) and gui.services.sandbox_server is not None
    sandbox_ms: list[float] = []

    async def on_response(response: httpx.Response) -> None:
        sandbox_ms.append(float(response.headers.get("X-Sandbox-Time-Ms", "0")))

    gateway._client.event_hooks["response"].append(on_response)

    lateness: list[float] = []
    clock = QElapsedTimer()
    clock.start()
    last = [clock.elapsed()]

    def probe() -> None:
        now = clock.elapsed()
        lateness.append(max(0, now - last[0] - PROBE_MS))
        last[0] = now

    timer = QTimer()
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.setInterval(PROBE_MS)
    timer.timeout.connect(probe)
    timer.start()
    gui_cpu = time.thread_time()  # this (the GUI) thread's CPU time: load-independent

    click_to_paint: list[float] = []
    painted_at: list[float] = []
    window.qr.qr.painted.connect(lambda: painted_at.append(time.perf_counter()))

    def then_the_loop() -> None:
        # A cashier's inputs are separate events, each handled in its own turn
        # of the loop; without this the driver's clear, three digits and click
        # ran as one slice of the loop that no cashier makes.
        QCoreApplication.processEvents()

    for i in range(CHECKOUTS):
        window.sale.clear()
        then_the_loop()
        for key in str(100 + i):
            window.sale.press(key)
            then_the_loop()
        sandbox_ms.clear()
        painted_at.clear()
        t0 = time.perf_counter()
        qtbot.mouseClick(window.sale.charge_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: bool(painted_at), timeout=5000)
        click_to_paint.append((painted_at[0] - t0) * 1000 - sum(sandbox_ms))
        qtbot.mouseClick(window.banner.pay, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: window.stack.currentWidget() is window.result, timeout=5000)
        qtbot.mouseClick(window.result.new_sale, Qt.MouseButton.LeftButton)
        then_the_loop()
    timer.stop()
    gui_cpu_ms = (time.thread_time() - gui_cpu) * 1000 / CHECKOUTS

    env = cold_env(tmp_path)
    kiosk_args = [sys.executable, str(ROOT / "main.py"), "--exit-when-ready"]
    cold_start([sys.executable, "-c", BARE], env)  # fill the bytecode cache (untimed)
    cold_start(kiosk_args, env)
    kiosk_runs, bare_runs = [], []
    for _ in range(5):
        bare_runs.append(cold_start([sys.executable, "-c", BARE], env))
        kiosk_runs.append(cold_start(kiosk_args, env))
    kiosk = statistics.median(run[0] for run in kiosk_runs)
    charge_ready = statistics.median(run[1] for run in kiosk_runs)
    gone = statistics.median(run[2] for run in kiosk_runs)
    bare = statistics.median(run[0] for run in bare_runs)
    print(
        "\n== window benchmark ==\n"
        f"checkouts through the window: {CHECKOUTS}\n"
        f"event-loop stall ({PROBE_MS} ms probe, {len(lateness)} ticks):"
        f" worst {max(lateness):.0f} ms,"
        f" p99 {pct(lateness, 0.99):.0f} ms (goal <= 16 ms);"
        f" GUI-thread CPU {gui_cpu_ms:.1f} ms a checkout\n"
        f"click Charge -> QR painted minus sandbox time: p50 {pct(click_to_paint, 0.5):.1f} ms,"
        f" p95 {pct(click_to_paint, 0.95):.1f} ms, worst {max(click_to_paint):.1f} ms"
        " (goal: p95 <= 50 ms)\n"
        f"cold start to interactive window: kiosk {kiosk * 1000:.0f} ms, bare PySide6 window"
        f" {bare * 1000:.0f} ms, ratio {kiosk / bare:.2f}x (goal <= 1.3x);"
        f" Charge usable at {charge_ready * 1000:.0f} ms (journal, gateway, sandbox up;"
        f" worst {max(run[1] for run in kiosk_runs) * 1000:.0f} ms; goal <= 600 ms);"
        f" process gone at {gone * 1000:.0f} ms"
    )
