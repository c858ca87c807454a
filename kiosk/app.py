"""Composition root of the GUI: settings -> runtime -> window, on one qasync loop."""

from __future__ import annotations

import asyncio
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import qasync
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from kiosk.config import Settings, data_dir, load_settings
from kiosk.domain.clock import SystemClock
from kiosk.domain.errors import KioskError
from kiosk.logs import setup_logging
from kiosk.ui.gc import GuiThreadCollector
from kiosk.ui.i18n import Language
from kiosk.ui.main_window import MainWindow
from kiosk.ui.theme import STYLE, load_fonts

if TYPE_CHECKING:
    from kiosk.runtime import Runtime
    from kiosk.ui.controller import Controller

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


def make_window(settings: Settings, language: Language) -> MainWindow:
    """The window alone, from settings: cheap, so it can show before the rest loads."""
    return MainWindow(
        shop_name=settings.store.name,
        max_amount=settings.store.max_amount,
        methods=settings.gateway.method_set,
        clock=SystemClock(),
        sandbox=settings.gateway.kind == "sandbox",
        language=language.current,
        result_clear_s=settings.ui.result_clear_s,
    )


def attach(window: MainWindow, settings: Settings, language: Language, *, directory: Path) -> Gui:
    """Journal, gateway and service behind a window; Charge works from here on."""
    # Imported here: httpx, sqlite and the sandbox are not needed to draw the window.
    from kiosk.runtime import build_runtime
    from kiosk.ui.controller import Controller
    from kiosk.ui.sound import Sounds

    runtime = build_runtime(settings, directory=directory)
    window.qr.set_clock(runtime.service.clock)
    controller = Controller(
        runtime=runtime, window=window, language=language, sounds=Sounds(enabled=settings.ui.sound)
    )
    return Gui(runtime, window, controller, language)


def build_gui(settings: Settings, *, directory: Path) -> Gui:
    """Window, runtime and controller in one go; needs a QApplication and a running loop."""
    language = Language(state_file=directory / "ui-state.json", default=settings.ui.language)
    language.apply()
    return attach(make_window(settings, language), settings, language, directory=directory)


async def run_gui(app: QApplication, settings: Settings, *, exit_when_ready: bool) -> int:
    collector = GuiThreadCollector(app)
    collector.start()
    directory = data_dir()
    language = Language(state_file=directory / "ui-state.json", default=settings.ui.language)
    language.apply()
    window = make_window(settings, language)
    window.show()
    window.show_sale()
    await asyncio.sleep(0)  # let the window paint before the slower parts load
    if exit_when_ready:
        print(f"interactive_s={time.perf_counter() - STARTED:.4f}", flush=True)
    gui = attach(window, settings, language, directory=directory)
    controller = gui.controller
    # The loop must outlive the window so shutdown can await clean-up.
    app.setQuitOnLastWindowClosed(False)
    closed = asyncio.Event()
    window.closing.connect(closed.set)
    app.aboutToQuit.connect(closed.set)
    if exit_when_ready:
        # Benchmarks: when the window took input, and when Charge could work.
        def ready() -> None:
            print(f"charge_ready_s={time.perf_counter() - STARTED:.4f}", flush=True)
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
