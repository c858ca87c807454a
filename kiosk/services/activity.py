"""What the poller is doing, for the status line (not journaled).

Its own module so the screens can name it without importing the service.
"""

from __future__ import annotations

from enum import StrEnum


class Activity(StrEnum):
    """What the poller is doing, for the status line (not journaled)."""

    CHECKING = "checking"
    OK = "ok"
    CONNECTION_PROBLEM = "connection_problem"
