"""The late-money sweep: which orders to ask the gateway about again, and how often.

Money can arrive after the kiosk gave up on a sale: after its own expiry,
after the gateway's, after a failure. So every order that is not PAID and is
younger than ``[recovery] sweep_days`` is re-checked — at start-up, every
``sweep_every_s`` while the window runs, and by ``kiosk reconcile`` — within
two limits that keep a busy shop well below what one live sale costs (one
check a second while a QR is on screen):

- an order is due again after an interval that grows with its age (every
  round while it is young, every 6 hours once it is two days old): late money
  is most likely soon after the sale;
- at most ``sweep_max_per_hour`` requests in any hour (``SweepBudget``), so
  no backlog can turn into a burst.

Orders nobody knows the outcome of (``Order.needs_checking``) are always
checked; orders flagged for the manager are never (nothing may make them
PAID by itself); FAILED orders the gateway never created cannot take money.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from datetime import datetime, timedelta

from kiosk.domain.order import Order, OrderState

S = OrderState
LONGEST_INTERVAL = timedelta(hours=6)


@dataclass(frozen=True)
class SweepPolicy:
    days: int = 7
    max_per_hour: int = 600
    every_s: int = 600

    def window_start(self, now: datetime) -> datetime:
        return now - timedelta(days=self.days)

    def interval(self, order: Order, now: datetime) -> timedelta:
        """How long after a check the order is due again: an eighth of its age, bounded."""
        age = max(timedelta(0), now - order.created_at)
        return max(timedelta(seconds=self.every_s), min(LONGEST_INTERVAL, age / 8))

    def is_due(self, order: Order, last_checked: datetime | None, now: datetime) -> bool:
        return last_checked is None or now - last_checked >= self.interval(order, now)


def can_take_money(order: Order) -> bool:
    """Whether a re-check could still find money for this order."""
    if order.state is S.PAID or order.needs_attention:
        return False
    # Failed before the gateway created it: no QR was ever shown.
    return not (order.state is S.FAILED and order.gateway_order_id is None)


def watched_until(order: Order, policy: SweepPolicy) -> datetime | None:
    """Until when a re-check may still find this order's money (None: nothing to find)."""
    if not can_take_money(order):
        return None
    return order.created_at + timedelta(days=policy.days)


class SweepBudget:
    """At most ``per_hour`` requests in any hour: a log of the last hour's requests.

    A clock moved back keeps every logged request counting (nothing refills);
    a clock moved forward frees at most one hour's worth.
    """

    def __init__(self, per_hour: int) -> None:
        self.per_hour = per_hour
        self._taken: deque[datetime] = deque()

    def take(self, now: datetime) -> bool:
        hour_ago = now - timedelta(hours=1)
        while self._taken and self._taken[0] <= hour_ago:
            self._taken.popleft()
        if len(self._taken) >= self.per_hour:
            return False
        # Kept in order even if the clock went back: the newest time stays last.
        self._taken.append(max(now, self._taken[-1]) if self._taken else now)
        return True


__all__ = ["SweepBudget", "SweepPolicy", "can_take_money", "watched_until"]
