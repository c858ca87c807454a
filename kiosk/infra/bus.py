"""One event bus from the services to whoever listens (the window, the receipts, the CLI).

Services ``publish`` plain event values (see ``kiosk.services.events``);
listeners ``subscribe`` to an event type and get every event of that type
(or of a subclass). The rules that make it safe to hang a UI on it:

- **Publishing only queues.** Delivery happens later, on the event loop the
  bus is bound to (qasync's loop is Qt's GUI thread), so a listener never
  runs inside a journal write, and a slow listener never holds the writer.
- **Any thread may publish.** A background worker (a sync task, the receipt
  renderer) hands the event over with ``call_soon_threadsafe``.
- **Listeners are isolated.** One that raises is logged and the others still
  run; a checkout never sees a listener's error.
- **Unsubscribe** with the handle ``subscribe`` returns (or ``unsubscribe``):
  a window that closes stops hearing at once, even of events already queued.

``drain()`` waits until everything published so far has been delivered
(commands use it before they exit, tests before they assert).
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

log = logging.getLogger("kiosk.bus")

E = TypeVar("E")


@dataclass(eq=False)
class Subscription:
    """The handle of one listener; ``cancel()`` stops its deliveries."""

    bus: EventBus
    event_type: type[Any]
    listener: Callable[[Any], None]
    active: bool = field(default=True)

    def cancel(self) -> None:
        self.bus.unsubscribe(self)


class EventBus:
    def __init__(self, loop: asyncio.AbstractEventLoop | None = None) -> None:
        self._loop = loop
        self._lock = threading.Lock()
        self._subscriptions: list[Subscription] = []
        self._queued = 0
        self._idle: asyncio.Event | None = None

    # --- listeners

    def subscribe(self, event_type: type[E], listener: Callable[[E], None]) -> Subscription:
        sub = Subscription(self, event_type, listener)
        with self._lock:
            self._subscriptions.append(sub)
        return sub

    def unsubscribe(self, sub: Subscription) -> None:
        with self._lock:
            sub.active = False
            if sub in self._subscriptions:
                self._subscriptions.remove(sub)

    def listeners(self, event_type: type[Any]) -> int:
        """How many listeners would hear an event of this type (for tests and the log)."""
        with self._lock:
            return sum(1 for s in self._subscriptions if issubclass(event_type, s.event_type))

    # --- publishing

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        """Deliver on ``loop`` from now on, whichever thread publishes.

        The composition root binds the loop it runs in (the GUI thread's);
        unbound, a bus delivers on the loop running where ``publish`` is called.
        """
        self._loop = loop

    def publish(self, event: object) -> None:
        """Queue ``event`` for delivery on the bus's loop; returns at once."""
        loop = self._loop if self._loop is not None and not self._loop.is_closed() else None
        loop = loop or _running_loop()
        if loop is None:
            # No loop at all (a synchronous script or test): nothing can be
            # "inside" anything here, so deliver now, still isolated.
            self._deliver(event, counted=False)
            return
        with self._lock:
            self._queued += 1
        try:
            loop.call_soon_threadsafe(self._deliver, event)
        except RuntimeError:  # the loop closed between the check and the call
            with self._lock:
                self._queued -= 1
            log.debug("event dropped, loop closed: %r", event)

    def _deliver(self, event: object, counted: bool = True) -> None:
        try:
            with self._lock:
                subs = [s for s in self._subscriptions if isinstance(event, s.event_type)]
            for sub in subs:
                if not sub.active:
                    continue  # unsubscribed after this event was queued
                try:
                    sub.listener(event)
                except Exception:
                    log.exception(
                        "listener %r failed on %s; others go on", sub.listener, type(event).__name__
                    )
        finally:
            if counted:
                with self._lock:
                    self._queued -= 1
                    idle = self._queued == 0
                if idle and self._idle is not None:
                    self._idle.set()

    async def drain(self) -> None:
        """Return once every event published so far (and any they publish) has been delivered."""
        while True:
            with self._lock:
                if self._queued == 0:
                    return
                # One event for every waiter until it is set (two drains at once both wake).
                if self._idle is None or self._idle.is_set():
                    self._idle = asyncio.Event()
                idle = self._idle
            await idle.wait()


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


__all__ = ["EventBus", "Subscription"]
