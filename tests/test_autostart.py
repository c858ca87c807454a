"""`kiosk autostart`: the XDG autostart entry, per user or for all users."""

from __future__ import annotations

import configparser
from pathlib import Path

import pytest

from kiosk.app import autostart
from kiosk.app.cli import main
from kiosk.domain.errors import ConfigError


def read_entry(path: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


def test_enable_status_disable_for_this_user(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["autostart", "enable"]) == 0
    path = tmp_path / "xdg-config" / "autostart" / "qr-kiosk.desktop"
    entry = read_entry(path)
    assert entry["Type"] == "Application" and entry["Terminal"] == "false"
    assert entry["Exec"].endswith("main.py") and entry["TryExec"] == entry["Exec"].split()[0]
    assert main(["autostart", "status"]) == 0
    assert f"this user: {path}" in capsys.readouterr().out
    assert main(["autostart", "disable"]) == 0
    assert not path.exists()
    assert main(["autostart", "disable"]) == 0
    assert "(it was not on)" in capsys.readouterr().out


def test_all_users_goes_to_the_system_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(autostart, "SYSTEM_DIR", tmp_path / "etc-xdg-autostart")
    path = autostart.enable(all_users=True, command=["/usr/bin/kiosk"])
    assert path == tmp_path / "etc-xdg-autostart" / "qr-kiosk.desktop"
    assert read_entry(path)["Exec"] == "/usr/bin/kiosk"
    assert autostart.state().system == path and autostart.state().user is None
    assert autostart.disable(all_users=True) and autostart.state().system is None


def test_a_folder_that_cannot_be_written_is_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setattr(autostart, "SYSTEM_DIR", blocker / "autostart")
    with pytest.raises(ConfigError):
        autostart.enable(all_users=True)
    assert main(["autostart", "enable", "--all-users"]) == 2
    assert "Cannot change the autostart entry" in capsys.readouterr().err
