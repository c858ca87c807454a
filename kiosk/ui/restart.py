"""How a screen asks for the kiosk program to restart ("Restart now" after a settings save).

The app layer provides the way (``kiosk.app.gui``: shut down cleanly, then start
the same command again); screens only call what was provided and never start
processes themselves. Nothing provided (tests, scripts): no restart is offered.
"""

from __future__ import annotations

from collections.abc import Callable

_provided: Callable[[], None] | None = None


def provide_restart(restart: Callable[[], None] | None) -> None:
    """Set (or with None, clear) how the program restarts."""
    global _provided
    _provided = restart


def provided_restart() -> Callable[[], None] | None:
    return _provided
