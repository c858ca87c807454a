"""Composition root of the GUI: settings -> runtime -> window, on one qasync loop."""

from __future__ import annotations

import asyncio
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import qasync
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from kiosk.config import Settings, data_dir, load_settings
from kiosk.domain.errors import KioskError
from kiosk.logs import setup_logging
from kiosk.runtime import Runtime, build_runtime
from kiosk.ui.controller import Controller
from kiosk.ui.gc import GuiThreadCollector
from kiosk.ui.i18n import Language
from kiosk.ui.main_window import MainWindow
from kiosk.ui.sound import Sounds
from kiosk.ui.theme import STYLE, load_fonts

STARTED = time.perf_counter()


@dataclass
class Gui:
    runtime: Runtime
    window: MainWindow
    controller: Controller
    language: Language

    async def aclose(self) -> None:
        await self.controller.shutdown()
        await self.runtime.aclose()


def build_gui(settings: Settings, *, directory: Path) -> Gui:
    """Runtime, window and controller; needs a QApplication and a running loop."""
    runtime = build_runtime(settings, directory=directory)
    language = Language(state_file=directory / "ui-state.json", default=settings.ui.language)
    language.apply()
    window = MainWindow(
        shop_name=settings.store.name,
        max_amount=settings.store.max_amount,
        methods=runtime.gateway.methods,
        clock=runtime.service.clock,
        sandbox=runtime.is_sandbox,
        language=language.current,
        result_clear_s=settings.ui.result_clear_s,
    )
    controller = Controller(
        runtime=runtime, window=window, language=language, sounds=Sounds(enabled=settings.ui.sound)
    )
    return Gui(runtime, window, controller, language)


async def run_gui(app: QApplication, settings: Settings, *, exit_when_ready: bool) -> int:
    collector = GuiThreadCollector(app)
    collector.start()
    gui = build_gui(settings, directory=data_dir())
    window, controller = gui.window, gui.controller
    # The loop must outlive the window so shutdown can await clean-up.
    app.setQuitOnLastWindowClosed(False)
    closed = asyncio.Event()
    window.closing.connect(closed.set)
    app.aboutToQuit.connect(closed.set)
    window.show()
    window.show_sale()
    if exit_when_ready:
        # Benchmarks: the window is interactive once the loop runs its first timer.
        def ready() -> None:
            print(f"ready_s={time.perf_counter() - STARTED:.4f}", flush=True)
            closed.set()

        QTimer.singleShot(0, ready)
    controller.spawn(controller.startup())
    try:
        await closed.wait()
    finally:
        await gui.aclose()
        collector.stop()
    return 0


def main(config: str | None = None, *, exit_when_ready: bool = False) -> int:
    try:
        settings = load_settings(config)
    except KioskError as exc:
        print(f"kiosk: {exc.user_message('en')}", file=sys.stderr)
        return 2
    setup_logging(data_dir() / "logs", verbose=bool(os.environ.get("KIOSK_VERBOSE")))
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("kiosk")
    load_fonts()
    app.setStyleSheet(STYLE)
    try:
        code: int = qasync.run(run_gui(app, settings, exit_when_ready=exit_when_ready))
    except KioskError as exc:
        print(f"kiosk: {exc.user_message('en')} ({exc.detail})", file=sys.stderr)
        return 2
    return code
