"""Garbage collection only on the GUI thread.

CPython runs the cycle collector in whichever thread happens to allocate.
When a cycle holding Qt wrappers is collected on another thread (the
in-process sandbox server, an executor), Qt objects are destroyed off the
GUI thread and the process can crash. So automatic collection is turned off
and a timer collects on the GUI thread instead.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

FULL_EVERY = 60  # ticks


class GuiThreadCollector(QObject):
    def __init__(self, parent: QObject | None = None, *, interval_ms: int = 1000) -> None:
        super().__init__(parent)
        self._ticks = 0
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.collect)

    def start(self) -> None:
        gc.disable()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        gc.collect()
        gc.enable()

    def collect(self) -> None:
        self._ticks += 1
        if self._ticks % FULL_EVERY == 0:
            gc.collect()
        elif gc.get_count()[0] > gc.get_threshold()[0]:
            gc.collect(0)
