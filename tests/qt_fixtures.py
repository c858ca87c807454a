"""A qasync loop under pytest-qt, and the real window on the real sandbox server.

Pattern from machine-notes: the QEventLoop is set as the current AND the
running loop so asyncSlot tasks and httpx work while qtbot spins Qt; tests
wait with qtbot.waitUntil, never sleep. Teardown cancels leftovers, closes.
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import qasync
from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtWidgets import QApplication

from kiosk.app.gui import Gui, build_gui
from kiosk.infra.config import Settings
from kiosk.ui.theme import STYLE, load_fonts


@pytest.fixture
def loop(qapp: QApplication) -> Iterator[asyncio.AbstractEventLoop]:
    load_fonts()
    qapp.setStyleSheet(STYLE)
    qloop = qasync.QEventLoop(qapp)
    asyncio.set_event_loop(qloop)
    asyncio.events._set_running_loop(qloop)
    # As in the app (kiosk/ui/gc.py): never collect Qt objects on the sandbox's thread.
    gc.disable()
    try:
        yield qloop
    finally:
        gc.collect()
        gc.enable()
        asyncio.events._set_running_loop(None)
        pending = [t for t in asyncio.all_tasks(qloop) if not t.done()]
        for task in pending:
            task.cancel()
        if pending:
            qloop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
        qloop.close()
        asyncio.set_event_loop(None)


def finish(loop: asyncio.AbstractEventLoop, coro: Any) -> Any:
    """Run a coroutine to the end from a sync test (the running loop is unset meanwhile)."""
    asyncio.events._set_running_loop(None)
    try:
        return loop.run_until_complete(coro)
    finally:
        asyncio.events._set_running_loop(loop)


def finish_here(coro: Any) -> Any:
    """``finish`` on the loop the ``loop`` fixture set running (from a test's helper)."""
    loop = asyncio.events._get_running_loop()
    assert loop is not None, "needs the loop fixture"
    return finish(loop, coro)


def kiosk_settings(**sections: dict[str, Any]) -> Settings:
    settings = Settings()
    defaults = {
        "store": {"checkout_timeout_s": 120, "name": "Test Shop"},
        "sandbox": {"scenario": "never"},
        "ui": {"sound": False, "result_clear_s": 0},
        "poll": {"fast_s": 0.1, "slow_s": 0.2, "max_backoff_s": 0.5},
    }
    for name, values in {**defaults, **sections}.items():
        merged = {**defaults.get(name, {}), **values}
        settings = replace(settings, **{name: replace(getattr(settings, name), **merged)})
    return settings


GuiFactory = Callable[..., Gui]


@pytest.fixture
def make_gui(qtbot: Any, loop: asyncio.AbstractEventLoop, tmp_path: Path) -> Iterator[GuiFactory]:
    made: list[Gui] = []

    def factory(
        settings: Settings | None = None,
        *,
        directory: Path | None = None,
        touch_guard: bool = False,
    ) -> Gui:
        gui = build_gui(settings or kiosk_settings(), directory=directory or tmp_path / "data")
        if not touch_guard:
            # Tests tap at machine speed; the half-second hold of a new screen
            # has its own tests (tests/e2e/test_touch_safety.py, a fake clock).
            gui.controller.guard.hold_s = 0
        gui.window.show()
        gui.window.show_sale()
        made.append(gui)
        return gui

    yield factory
    for gui in made:
        finish(loop, gui.aclose())
        gui.window.close()
        gui.window.deleteLater()
    made.clear()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()
