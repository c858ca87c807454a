"""Report figures as plain values: tallies, a day's or a batch's totals, orders a report names.

The journal's queries (``kiosk.store.reports``) build these, the manager's
screen shows them and the Z report records them. Pure data: no I/O, no
SQL, no Qt.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from kiosk.domain.money import Money
from kiosk.domain.order import Method, OrderState

S = OrderState
PENDING_STATES = frozenset({S.NEW, S.CREATING, S.AWAITING_PAYMENT})


@dataclass(frozen=True)
class Tally:
    """How many orders, and their amount."""

    count: int = 0
    satang: int = 0

    @property
    def amount(self) -> Money:
        return Money(self.satang)

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.count + other.count, self.satang + other.satang)


@dataclass(frozen=True)
class DayTotals:
    """Counts and sums of one business day, by state, and paid by method."""

    day: str
    by_state: dict[OrderState, Tally] = field(default_factory=dict)
    paid_by_method: dict[Method, Tally] = field(default_factory=dict)
    late: Tally = Tally()  # paid after the kiosk had expired or cancelled them (in paid)

    def state(self, state: OrderState) -> Tally:
        return self.by_state.get(state, Tally())

    def method(self, method: Method) -> Tally:
        return self.paid_by_method.get(method, Tally())

    @property
    def paid(self) -> Tally:
        return self.state(S.PAID)

    @property
    def pending(self) -> Tally:
        """Not final yet: new, creating, awaiting payment."""
        total = Tally()
        for state in PENDING_STATES:
            total += self.state(state)
        return total

    @property
    def expired(self) -> Tally:
        return self.state(S.EXPIRED)

    @property
    def cancelled(self) -> Tally:
        return self.state(S.CANCELLED)

    @property
    def failed(self) -> Tally:
        return self.state(S.FAILED)

    @property
    def orders(self) -> Tally:
        total = Tally()
        for tally in self.by_state.values():
            total += tally
        return total


@dataclass(frozen=True)
class OrderMark:
    """An order named on a report: which one, and when it was rung up."""

    kiosk_order_id: str
    created_at: datetime


@dataclass(frozen=True)
class BatchSale:
    """A sale a batch's Z report names: open at the close, or paid in it for an earlier batch.

    ``batch`` is the batch it was rung up in (its original batch); ``paid_at``
    and ``late`` (paid after it expired, was cancelled or failed) are for a
    payment.
    """

    kiosk_order_id: str
    amount: Money
    method: Method
    state: OrderState
    created_at: datetime
    batch: int
    paid_at: datetime | None = None
    late: bool = False


__all__ = ["PENDING_STATES", "BatchSale", "DayTotals", "OrderMark", "Tally"]
