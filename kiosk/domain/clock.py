"""Time as a dependency: the real clock, and a manual one tests can move.

Two kinds of time: ``now()`` is the wall clock (what receipts and the journal
show; someone may set it), ``monotonic()`` only counts seconds while this
process runs and never jumps (what a lockout counts down on).
"""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware (UTC)."""
        ...

    def monotonic(self) -> float:
        """Seconds from an arbitrary start; never goes back, unmoved by setting the clock."""
        ...

    async def sleep(self, seconds: float) -> None: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    def monotonic(self) -> float:
        return time.monotonic()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(max(0.0, seconds))


class ManualClock:
    """A clock that only moves when told to; ``sleep`` moves it and yields once.

    ``advance`` is time passing (both clocks move); ``set_wall`` is someone
    setting the computer's clock (only ``now`` moves).
    """

    def __init__(self, start: datetime | None = None) -> None:
        self._now = start or datetime(2026, 11, 24, 3, 0, tzinfo=UTC)
        self._monotonic = 0.0
        self.slept: list[float] = []

    def now(self) -> datetime:
        return self._now

    def monotonic(self) -> float:
        return self._monotonic

    def advance(self, seconds: float) -> None:
        self._now += timedelta(seconds=seconds)
        self._monotonic += max(0.0, seconds)

    def set_wall(self, when: datetime) -> None:
        self._now = when

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.advance(max(0.0, seconds))
        await asyncio.sleep(0)
