"""What the services tell their listeners, as plain values (carried by ``kiosk.infra.bus``).

Pure data over domain types, so every layer can name them: the checkout
publishes, the window, the receipts and the commands listen.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from kiosk.domain.order import Order


class Activity(StrEnum):
    """What the poller is doing, for the status line (not journaled)."""

    CHECKING = "checking"
    OK = "ok"
    CONNECTION_PROBLEM = "connection_problem"


@dataclass(frozen=True)
class Notice:
    """Something the cashier must be told once about an order (see ``Journal.raise_notice``)."""

    order: Order
    kind: str
    raised_at: datetime


@dataclass(frozen=True)
class OrderChanged:
    """An order was journaled in a new state (published after the commit)."""

    order: Order


@dataclass(frozen=True)
class ActivityChanged:
    """The poller of ``order`` started a check, got an answer, or could not reach the gateway."""

    order: Order
    activity: Activity


@dataclass(frozen=True)
class NoticeRaised:
    """A notice was journaled; the cashier should see it until they acknowledge it."""

    notice: Notice


__all__ = ["Activity", "ActivityChanged", "Notice", "NoticeRaised", "OrderChanged"]
