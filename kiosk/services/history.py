"""Past sales as the manager's screen reads them: a day's orders, its figures, an order's moves.

``SalesHistory`` is the screen's one way into the journal. The UI is given
this facade (built from a ``Journal`` where the app is composed) instead of
the store, and every answer is a domain value: ``Order``, ``Transition``,
``DayTotals``. Like the journal it reads, use it from the event-loop thread;
a figure it returns includes every change journaled before the call.
"""

from __future__ import annotations

from kiosk.domain.order import Order, Transition
from kiosk.domain.reports import DayTotals
from kiosk.services.reports import Reports
from kiosk.store.journal import Journal


class SalesHistory:
    """The manager's read-only questions about past sales, answered from the journal."""

    def __init__(self, *, journal: Journal, sandbox: bool | None = None) -> None:
        self._journal = journal
        # The day's totals count this kiosk's kind of sale (test sales are in no real total).
        self._reports = Reports(journal, sandbox=sandbox)

    def orders(self, day: str) -> list[Order]:
        """Every order of the business day ``YYYYMMDD``, in time order."""
        return self._reports.orders(day)

    def totals(self, day: str) -> DayTotals:
        """The day's counts and sums by state, paid by method, and the late payments."""
        return self._reports.totals(day)

    def hourly_paid(self, day: str) -> list[int]:
        """Paid satang per Bangkok hour of the sale (24 values, index = hour)."""
        return self._reports.hourly_paid(day)

    def order(self, kiosk_order_id: str) -> Order | None:
        """One order as journaled now (None if the journal has no such order)."""
        return self._journal.get(kiosk_order_id)

    def history(self, kiosk_order_id: str) -> list[Transition]:
        """The order's status changes, oldest first (its creation is not one)."""
        return self._journal.history(kiosk_order_id)


__all__ = ["SalesHistory"]
