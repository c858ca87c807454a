"""Short sounds for paid and failed, through the desktop's player when there is one.

PySide6-Essentials has no QtMultimedia, and the Addons would add ~150 MB to
every install for two beeps; the system's ``paplay``/``aplay`` plays a WAV
without blocking us. Without either, Qt's beep.
"""

from __future__ import annotations

import asyncio
import logging
import shutil

from PySide6.QtWidgets import QApplication

from kiosk.ui.theme import RESOURCES

log = logging.getLogger("kiosk.ui.sound")
PLAYERS = ("paplay", "pw-play", "aplay")


class Sounds:
    def __init__(self, *, enabled: bool) -> None:
        self.enabled = enabled
        self._player = next((p for p in PLAYERS if shutil.which(p)), None)
        self.played: list[str] = []  # what was asked for, for tests and the log

    def play(self, name: str) -> None:
        if not self.enabled:
            return
        self.played.append(name)
        path = RESOURCES / "sounds" / f"{name}.wav"
        if self._player is None or not path.exists():
            QApplication.beep()
            return
        try:
            asyncio.get_running_loop().create_task(self._run(str(path)))
        except RuntimeError:
            QApplication.beep()

    async def _run(self, path: str) -> None:
        try:
            proc = await asyncio.create_subprocess_exec(
                self._player or "true",
                path,
                stdout=asyncio.subprocess.DEVNULL,
                stderr=asyncio.subprocess.DEVNULL,
            )
            await asyncio.wait_for(proc.wait(), 5)
        except (OSError, TimeoutError) as exc:
            log.info("sound player failed: %s", exc)
