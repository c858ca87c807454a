"""The QR modules for the customer display, computed on a worker thread.

The same matrix code as every other QR (``kiosk.infra.qrmatrix``); its own
worker and relay, so the display shares nothing with the cashier's screens.
A newer payload simply supersedes an older one (the caller drops the old job).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

from PySide6.QtCore import QObject, Qt, Signal

from kiosk.infra.qrmatrix import qr_modules

QUIET_ZONE = 4
Matrix = list[list[bool]]
_WORKER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kiosk-customer-qr")
_callbacks: dict[Future[Matrix], Callable[[Future[Matrix]], None]] = {}


class _Relay(QObject):
    """Brings a finished Future to the GUI thread; lives as long as the program."""

    done = Signal(object)


_relay: _Relay | None = None


def matrix(payload: str) -> Matrix:
    """The modules of ``payload``'s QR, quiet zone included (QrRejected when undrawable)."""
    return qr_modules(payload, border=QUIET_ZONE)


def _dispatch(future: Future[Matrix]) -> None:
    callback = _callbacks.pop(future, None)
    if callback is not None:
        callback(future)


def compute(payload: str, on_done: Callable[[Future[Matrix]], None]) -> Future[Matrix]:
    """Start ``payload``'s matrix on the worker; ``on_done(future)`` runs on the GUI thread."""
    global _relay
    if _relay is None:  # made on the GUI thread by the first display
        _relay = _Relay()
        _relay.done.connect(_dispatch, Qt.ConnectionType.QueuedConnection)
    future = _WORKER.submit(matrix, payload)
    _callbacks[future] = on_done
    future.add_done_callback(_relay.done.emit)  # on the worker thread: queued
    return future


def forget(future: Future[Matrix] | None) -> None:
    """No callback for ``future`` any more (the display moved on)."""
    if future is not None:
        _callbacks.pop(future, None)
