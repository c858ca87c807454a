"""Kiosk mode on the real window: full screen, frameless, and the manager PIN to close."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backends import fail
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QPushButton

from kiosk.app.gui import Gui
from kiosk.services.pin import FREE_TRIES, LOCKOUT_KEY, ScryptCost, hash_pin
from kiosk.ui.pin_pad import PinPad
from kiosk.ui.theme import metrics
from tests.memkeyring import MemoryKeyring, memory_keyring  # noqa: F401 - fixture
from tests.qt_fixtures import GuiFactory, kiosk_settings

CLICK = Qt.MouseButton.LeftButton
PIN = "482916"
CHEAP = ScryptCost(log_n=10)  # the stored hash names its cost; a cheap one keeps tests fast


@pytest.fixture
def pin_hash(monkeypatch: pytest.MonkeyPatch) -> str:
    encoded = hash_pin(PIN, cost=CHEAP)
    monkeypatch.setenv("KIOSK_SECRET_MANAGER_PIN_HASH", encoded)
    return encoded


def kiosk_gui(make_gui: GuiFactory, tmp_path: Path, **ui: Any) -> Gui:
    gui = make_gui(kiosk_settings(ui={"kiosk_mode": True, **ui}), directory=tmp_path / "data")
    assert gui.kiosk is not None
    return gui


def pad_of(gui: Gui) -> PinPad:
    assert gui.kiosk is not None and gui.kiosk.pad is not None
    return gui.kiosk.pad


def enter(qtbot: Any, pad: PinPad, digits: str) -> None:
    for digit in digits:
        button = pad.findChild(QPushButton, f"pinKey_{digit}")
        assert button is not None
        qtbot.mouseClick(button, CLICK)


def message(pad: PinPad) -> str:
    label = pad.findChild(QLabel, "pinMessage")
    assert label is not None
    return label.text().replace("\u00a0", " ").replace("\u2060", "")  # commands kept whole


def failures(gui: Gui) -> int:
    """Wrong tries in a row, as the journal keeps them (kiosk.services.pin)."""
    state = json.loads(gui.services.journal.meta(LOCKOUT_KEY) or "{}")
    return int(state["failures"])


def test_fullscreen_and_frameless(qtbot, make_gui: GuiFactory, tmp_path: Path, pin_hash) -> None:  # type: ignore[no-untyped-def]
    gui = kiosk_gui(make_gui, tmp_path)
    window = gui.window
    assert window.windowFlags() & Qt.WindowType.FramelessWindowHint
    qtbot.waitUntil(window.isFullScreen, timeout=2000)
    window.showMinimized()  # leaving the kiosk this way is undone
    qtbot.waitUntil(lambda: window.isFullScreen() and not window.isMinimized(), timeout=2000)


def test_kiosk_mode_off_is_a_normal_window(make_gui: GuiFactory, tmp_path: Path) -> None:
    gui = make_gui(kiosk_settings(), directory=tmp_path / "data")
    assert gui.kiosk is None
    assert not gui.window.windowFlags() & Qt.WindowType.FramelessWindowHint
    assert not gui.window.isFullScreen()


def test_close_is_refused_and_the_right_pin_closes(
    qtbot, make_gui: GuiFactory, tmp_path: Path, pin_hash
) -> None:  # type: ignore[no-untyped-def]
    gui = kiosk_gui(make_gui, tmp_path)
    window = gui.window
    closing: list[bool] = []
    window.closing.connect(lambda: closing.append(True))
    assert window.close() is False  # Alt+F4 and the window manager's close arrive like this
    assert window.isVisible() and closing == []
    pad = pad_of(gui)
    assert pad.isVisible() and not pad.isModal()
    assert "6-digit manager PIN" in message(pad)
    # the pad's keys are for fingers: at least ~10 mm (kiosk.ui.theme.Metrics.touch_px)
    key = pad.findChild(QPushButton, "pinKey_5")
    touch = metrics().touch_px
    assert key is not None and key.minimumWidth() >= 2 * touch and key.minimumHeight() >= touch
    with qtbot.waitSignal(window.closing, timeout=5000):
        enter(qtbot, pad, PIN)  # the sixth digit submits
    assert closing == [True]
    assert not pad.isVisible()


def test_wrong_pin_keeps_it_open_and_counts_toward_the_lockout(
    qtbot, make_gui: GuiFactory, tmp_path: Path, pin_hash
) -> None:  # type: ignore[no-untyped-def]
    gui = kiosk_gui(make_gui, tmp_path)
    window = gui.window
    window.close()
    pad = pad_of(gui)
    enter(qtbot, pad, "000000")
    qtbot.waitUntil(lambda: "Wrong PIN" in message(pad), timeout=5000)
    assert f"{FREE_TRIES - 1} tries left" in message(pad)
    assert failures(gui) == 1
    assert window.isVisible()
    enter(qtbot, pad, "111111")
    qtbot.waitUntil(lambda: f"{FREE_TRIES - 2} tries left" in message(pad), timeout=5000)
    assert failures(gui) == 2
    assert window.isVisible() and not window.isHidden()
    # Cancel, then a later close asks again from an empty pad
    qtbot.mouseClick(pad.findChild(QPushButton, "pinCancel"), CLICK)
    assert not pad.isVisible()
    assert window.close() is False
    assert pad.isVisible() and pad.entered() == 0


def test_lockout_disables_the_keys(qtbot, make_gui: GuiFactory, tmp_path: Path, pin_hash) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "data"
    data.mkdir(parents=True)
    # An older version's side file: moved into the journal on the first read.
    (data / "pin_state.json").write_text(
        json.dumps({"failures": FREE_TRIES - 1, "locked_until": None}), encoding="utf-8"
    )
    gui = kiosk_gui(make_gui, tmp_path)
    gui.window.close()
    pad = pad_of(gui)
    enter(qtbot, pad, "999999")  # the fifth wrong try in a row: locked for 30 s
    qtbot.waitUntil(lambda: "Too many wrong PINs" in message(pad), timeout=5000)
    key = pad.findChild(QPushButton, "pinKey_1")
    assert key is not None and not key.isEnabled()
    enter(qtbot, pad, PIN)  # ignored while locked
    assert pad.entered() == 0 and gui.window.isVisible()
    assert failures(gui) == FREE_TRIES and not (data / "pin_state.json").exists()


def test_no_pin_set_refuses_to_close_and_says_so(
    qtbot,
    make_gui: GuiFactory,
    tmp_path: Path,
    memory_keyring: MemoryKeyring,  # noqa: F811
) -> None:  # type: ignore[no-untyped-def]
    gui = kiosk_gui(make_gui, tmp_path)
    window = gui.window
    assert gui.kiosk is not None
    gui.controller.spawn(gui.kiosk.tell_if_no_pin(window.notice))
    qtbot.waitUntil(lambda: window.notice.isVisible(), timeout=3000)
    assert "no manager PIN is set up" in window.notice.label.text()
    assert window.close() is False
    pad = pad_of(gui)
    enter(qtbot, pad, "123456")
    qtbot.waitUntil(lambda: "No manager PIN is set up" in message(pad), timeout=3000)
    assert "operating system" in message(pad)
    assert window.isVisible()
    assert window.close() is False


def test_no_keyring_refuses_to_close(qtbot, make_gui: GuiFactory, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        gui = kiosk_gui(make_gui, tmp_path)
        assert gui.window.close() is False
        pad = pad_of(gui)
        enter(qtbot, pad, "123456")
        qtbot.waitUntil(lambda: "cannot be read" in message(pad), timeout=3000)
        assert "kiosk pin set --print-hash" in message(pad)
        assert gui.window.isVisible()
    finally:
        keyring.set_keyring(previous)


def test_hidden_cursor_is_restored(make_gui: GuiFactory, tmp_path: Path) -> None:
    gui = make_gui(kiosk_settings(ui={"hide_cursor": True}), directory=tmp_path / "data")
    cursor = QGuiApplication.overrideCursor()
    assert cursor is not None and cursor.shape() == Qt.CursorShape.BlankCursor
    assert gui.kiosk is not None and not gui.kiosk.enforce  # kiosk mode itself stays off
    assert gui.window.close() is True  # no PIN without kiosk mode
    gui.kiosk.release()  # as Gui.aclose does
    assert QGuiApplication.overrideCursor() is None
