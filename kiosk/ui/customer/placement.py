"""Which screen the customer display goes on: chosen by identity, never by index.

Qt lists screens in no promised order (the primary first), and the order
changes when a monitor is plugged in. A screen is named by what the system
gives: its name (a connector such as "HDMI-1"), and its model and serial
number where known (empty on the offscreen platform and often under X11).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtGui import QScreen

AUTO = "auto"
OFF = "off"


@dataclass(frozen=True)
class ScreenId:
    name: str
    model: str = ""
    serial: str = ""

    @classmethod
    def of(cls, screen: QScreen) -> ScreenId:
        return cls(screen.name(), screen.model(), screen.serialNumber())

    def same(self, other: ScreenId) -> bool:
        """The same monitor: by serial number when both have one, else by name and model."""
        if self.serial and other.serial:
            return self.serial == other.serial and self.model == other.model
        return self.name == other.name and self.model == other.model

    def answers_to(self, wanted: str) -> bool:
        """Whether the setting ``screen = wanted`` names this monitor."""
        return wanted in (self.name, self.serial, self.model) and bool(wanted)


def choose(
    screens: Sequence[ScreenId],
    *,
    setting: str,
    cashier: ScreenId | None,
    remembered: ScreenId | None = None,
) -> ScreenId | None:
    """The screen for the customer display, or None for none.

    ``off``: none. A name: the screen that answers to it (by name, then serial,
    then model), none while it is unplugged. ``auto``: none with one screen;
    else a screen that is not the cashier's, the one used before when it is
    still there (``remembered``), else the first by name.
    """
    if setting == OFF:
        return None
    if setting != AUTO:
        for field in ("name", "serial", "model"):
            for screen in screens:
                if getattr(screen, field) == setting:
                    return screen
        return None
    if len(screens) < 2:
        return None
    others = [s for s in screens if cashier is None or not s.same(cashier)]
    if remembered is not None:
        for screen in others:
            if screen.same(remembered):
                return screen
    return min(others, key=lambda s: (s.name, s.model, s.serial), default=None)
