"""The About box: reached from the sale screen, non-modal, shows version and paths."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton

from kiosk import __version__
from kiosk.app.gui import Gui
from kiosk.services.pin import ScryptCost, hash_pin
from kiosk.ui.about import AboutBox
from tests.qt_fixtures import GuiFactory, kiosk_settings

CLICK = Qt.MouseButton.LeftButton


def open_about(qtbot, gui: Gui) -> AboutBox:  # type: ignore[no-untyped-def]
    button = gui.window.findChild(QPushButton, "aboutButton")
    assert button is not None and button.isVisible()
    qtbot.mouseClick(button, CLICK)
    box = gui.window.about
    assert box is not None and box.isVisible() and not box.isModal()
    return box


def text(box: AboutBox, name: str) -> str:
    label = box.findChild(QLabel, name)
    assert label is not None
    return label.text()


def test_about_shows_version_and_paths(qtbot, make_gui: GuiFactory, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    data = tmp_path / "data"
    gui = make_gui(kiosk_settings(), directory=data)
    box = open_about(qtbot, gui)
    assert text(box, "aboutVersion") == __version__
    assert text(box, "aboutData") == str(data)
    assert text(box, "aboutLogs") == str(data / "logs")
    # no settings file in the test: where one would be read from, and that defaults are used
    assert text(box, "aboutConfig").endswith("config.toml")
    assert "defaults" in text(box, "aboutConfigNote")
    assert text(box, "aboutGateway").startswith("Sandbox")
    assert text(box, "aboutKioskMode") == "Off"
    # the sale goes on behind it
    sale_key = gui.window.findChild(QPushButton, "key_7")
    assert sale_key is not None
    qtbot.mouseClick(sale_key, CLICK)
    assert gui.window.sale.entry.text == "7"
    qtbot.mouseClick(box.findChild(QPushButton, "aboutCloseButton"), CLICK)
    assert not box.isVisible()
    assert open_about(qtbot, gui) is box  # one box, shown again


def test_about_close_the_kiosk_asks_for_the_pin_in_kiosk_mode(
    qtbot, make_gui: GuiFactory, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("KIOSK_SECRET_MANAGER_PIN_HASH", hash_pin("246810", cost=ScryptCost(10)))
    gui = make_gui(kiosk_settings(ui={"kiosk_mode": True}), directory=tmp_path / "data")
    box = open_about(qtbot, gui)
    assert text(box, "aboutKioskMode").startswith("On")
    qtbot.mouseClick(box.findChild(QPushButton, "aboutQuitButton"), CLICK)
    assert gui.kiosk is not None and gui.kiosk.pad is not None and gui.kiosk.pad.isVisible()
    assert gui.window.isVisible() and gui.kiosk.refused == 1
