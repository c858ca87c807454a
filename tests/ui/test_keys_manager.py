"""The manager screen and the dialogs: Esc goes back; the manager screen locks itself.

Issue 15, defects 1 (the manager was stuck: no Esc) and 3 (never locked).
The lock is ``[manager] lock_after_s`` without a tap or key; the tests set
one second and wait for it with ``qtbot.waitUntil``.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt

from kiosk.app.gui import Gui
from kiosk.domain.errors import ConfigError
from kiosk.infra.config import Settings, parse_settings
from kiosk.services.pin import ScryptCost, hash_pin
from kiosk.ui.about import AboutInfo
from kiosk.ui.manager import ManagerScreen
from kiosk.ui.pin_pad import PinPad
from tests.qt_fixtures import GuiFactory, kiosk_settings

CLICK = Qt.MouseButton.LeftButton
PIN = "246810"


@pytest.fixture(autouse=True)
def manager_pin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KIOSK_SECRET_MANAGER_PIN_HASH", hash_pin(PIN, cost=ScryptCost(log_n=10)))


@pytest.fixture
def gui(make_gui: GuiFactory) -> Iterator[Gui]:
    yield make_gui(kiosk_settings(manager={"lock_after_s": 1}))


def manager_shown(gui: Gui) -> bool:
    return isinstance(gui.window.stack.currentWidget(), ManagerScreen)


def open_manager(qtbot, gui: Gui) -> ManagerScreen:  # type: ignore[no-untyped-def]
    """The Manager button and the PIN, typed on the keyboard (the pad takes keys too)."""
    gui.window.sale.managerRequested.emit()
    pad = gui.window.findChild(PinPad, "pinPad")
    assert isinstance(pad, PinPad) and pad.isVisible()
    qtbot.keyClicks(pad, PIN)
    qtbot.waitUntil(lambda: manager_shown(gui), timeout=5000)
    screen = gui.window.stack.currentWidget()
    assert isinstance(screen, ManagerScreen)
    return screen


def test_the_lock_setting() -> None:
    assert Settings().manager.lock_after_s == 120
    assert parse_settings("[manager]\nlock_after_s = 300\n").manager.lock_after_s == 300
    with pytest.raises(ConfigError, match=r"manager\.lock_after_s"):
        parse_settings("[manager]\nlock_after_s = 0\n")


def test_esc_on_the_manager_screen_goes_back_to_the_sale(qtbot, gui: Gui) -> None:  # type: ignore[no-untyped-def]
    screen = open_manager(qtbot, gui)
    assert gui.window.focusWidget() is screen  # Esc works at once
    assert "Esc" in screen.keys_hint.text()
    screen.show_attention()
    qtbot.keyClick(gui.window.focusWidget(), Qt.Key.Key_Escape)  # the flags list -> the day
    assert manager_shown(gui) and screen.body.currentWidget() is screen.day_view
    search = screen.filters.search
    search.setFocus()
    qtbot.keyClicks(search, "12")
    qtbot.keyClick(search, Qt.Key.Key_Escape)  # from a typing field too
    assert gui.window.stack.currentWidget() is gui.window.sale
    assert gui.window.focusWidget() is gui.window.sale


def test_the_manager_screen_locks_itself_when_left_alone(qtbot, gui: Gui) -> None:  # type: ignore[no-untyped-def]
    open_manager(qtbot, gui)
    access = gui.controller.manager
    settings = access.open_settings()
    assert settings.isVisible()
    qtbot.waitUntil(lambda: gui.window.stack.currentWidget() is gui.window.sale, timeout=4000)
    assert not settings.isVisible()  # behind the PIN as well
    assert not access.idle.is_on()  # off until the PIN opens the screen again


def test_a_tap_or_a_key_keeps_the_manager_screen_open(qtbot, gui: Gui) -> None:  # type: ignore[no-untyped-def]
    screen = open_manager(qtbot, gui)
    timer = gui.controller.manager.idle.timer
    qtbot.waitUntil(lambda: 0 <= timer.remainingTime() < 500, timeout=2000)
    qtbot.keyClick(screen, Qt.Key.Key_F5)
    assert timer.remainingTime() > 600 and manager_shown(gui)
    qtbot.waitUntil(lambda: 0 <= timer.remainingTime() < 500, timeout=2000)
    qtbot.mouseClick(screen.table, CLICK)
    assert timer.remainingTime() > 600 and manager_shown(gui)
    qtbot.waitUntil(lambda: not manager_shown(gui), timeout=4000)


def test_leaving_by_hand_stops_the_lock(qtbot, gui: Gui) -> None:  # type: ignore[no-untyped-def]
    screen = open_manager(qtbot, gui)
    qtbot.mouseClick(screen.day_bar.back, CLICK)
    assert gui.window.stack.currentWidget() is gui.window.sale
    assert not gui.controller.manager.idle.is_on()


def test_esc_closes_the_dialogs(qtbot, gui: Gui, tmp_path) -> None:  # type: ignore[no-untyped-def]
    gui.window.sale.managerRequested.emit()
    pad = gui.window.findChild(PinPad, "pinPad")
    assert isinstance(pad, PinPad) and pad.isVisible()
    qtbot.keyClick(pad, Qt.Key.Key_Escape)
    assert not pad.isVisible()
    gui.window.about_info = AboutInfo(
        version="0",
        config_file=tmp_path / "c.toml",
        config_found=False,
        data_dir=tmp_path,
        log_dir=tmp_path,
        gateway="sandbox",
        kiosk_mode=False,
    )
    gui.window.show_about()
    about = gui.window.about
    assert about is not None and about.isVisible()
    qtbot.keyClick(about, Qt.Key.Key_Escape)
    assert not about.isVisible()
    open_manager(qtbot, gui)
    settings = gui.controller.manager.open_settings()
    assert settings.isVisible()
    qtbot.keyClick(settings, Qt.Key.Key_Escape)
    assert not settings.isVisible() and manager_shown(gui)
