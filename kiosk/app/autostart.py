"""Start the kiosk at login: an XDG autostart entry (Linux desktops), on or off.

``kiosk autostart enable`` writes ``qr-kiosk.desktop`` into the user's
``~/.config/autostart`` (``--all-users``: ``/etc/xdg/autostart``, as root);
``disable`` removes it. The entry runs the same command that enabled it: the
installed ``/usr/bin/kiosk``, a bundle's own executable, or this checkout's
``main.py``. ``TryExec`` makes desktops skip it once the program is gone.
On Windows the installer's "Start at login" option does this instead.
"""

from __future__ import annotations

import os
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path

from kiosk.domain.errors import ConfigError, Text

ENTRY_NAME = "qr-kiosk.desktop"
SYSTEM_DIR = Path("/etc/xdg/autostart")
INSTALLED_COMMAND = Path("/usr/bin/kiosk")


def user_dir() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "autostart"


def launch_command() -> list[str]:
    """How to start this very kiosk from a login session."""
    if getattr(sys, "frozen", False):
        me = Path(sys.executable).resolve()
        if INSTALLED_COMMAND.exists() and INSTALLED_COMMAND.resolve() == me:
            return [str(INSTALLED_COMMAND)]
        return [str(me)]
    return [sys.executable, str(Path(__file__).resolve().parents[2] / "main.py")]


def entry_text(command: list[str]) -> str:
    return "\n".join(
        [
            "[Desktop Entry]",
            "Type=Application",
            "Name=QR payment kiosk",
            "Name[th]=เครื่องรับชำระเงินคิวอาร์",
            "Comment=Start the QR payment kiosk at login",
            f"Exec={shlex.join(command)}",
            f"TryExec={command[0]}",
            "Icon=qr-kiosk",
            "Terminal=false",
            "NoDisplay=true",
            "X-GNOME-Autostart-enabled=true",
            "",
        ]
    )


@dataclass(frozen=True)
class AutostartState:
    user: Path | None  # the user's entry, if there is one
    system: Path | None  # the all-users entry, if there is one


def _where(all_users: bool) -> Path:
    return (SYSTEM_DIR if all_users else user_dir()) / ENTRY_NAME


def enable(*, all_users: bool = False, command: list[str] | None = None) -> Path:
    path = _where(all_users)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(entry_text(command or launch_command()), encoding="utf-8")
    except OSError as exc:
        raise _cannot(path, exc) from None
    return path


def disable(*, all_users: bool = False) -> bool:
    path = _where(all_users)
    try:
        path.unlink()
    except FileNotFoundError:
        return False
    except OSError as exc:
        raise _cannot(path, exc) from None
    return True


def state() -> AutostartState:
    user, system = _where(False), _where(True)
    return AutostartState(user if user.exists() else None, system if system.exists() else None)


def _cannot(path: Path, exc: OSError) -> ConfigError:
    return ConfigError(
        f"{path}: {exc.strerror or exc}",
        text=Text(
            f"Cannot change the autostart entry {path} (for all users, run as root).",
            f"แก้ไขรายการเริ่มอัตโนมัติ {path} ไม่ได้ (สำหรับผู้ใช้ทุกคน ต้องรันในฐานะ root)",
        ),
    )
