"""Sweep cost (make bench): status requests per hour the late-money sweep sends.

500 unpaid orders spread over the 7-day window (a busy counter's week of
expired, cancelled and declined sales), a sweep round every 10 minutes for
two simulated days on a manual clock, the default settings. Printed: the
busiest hour, the mean per hour, and the share of the hourly cap; the
baseline in the same run is one live sale's polling for one hour at the
default 1 s / 3 s rates.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from pathlib import Path

from kiosk.domain.clock import ManualClock
from kiosk.domain.money import Money
from kiosk.domain.order import Method, OrderState
from kiosk.infra.config import PollSettings, RecoverySettings
from kiosk.services.checkout import CheckoutService
from kiosk.services.polling import PollPolicy
from kiosk.services.recovery import RecoveryService
from kiosk.services.sweep import SweepPolicy
from kiosk.store.journal import Journal
from tests.fakes import run
from tests.services.conftest import STORE
from tests.services.test_sweep import Bank

ORDERS = 500


def test_sweep_requests_per_hour(tmp_path: Path) -> None:
    defaults = RecoverySettings()
    policy = SweepPolicy(
        days=defaults.sweep_days,
        max_per_hour=defaults.sweep_max_per_hour,
        every_s=defaults.sweep_every_s,
    )
    clock = ManualClock()
    start = clock.now()
    with Journal.open(tmp_path / "journal.sqlite3") as journal:
        step = timedelta(days=policy.days) / ORDERS
        for i in range(ORDERS):
            at = start + i * step
            order = journal.new_order(
                store_id="S001",
                terminal_id="T01",
                amount=Money(30000),
                method=Method.QR,
                created_at=at,
            )
            for to, changes in (
                (OrderState.CREATING, {}),
                (
                    OrderState.AWAITING_PAYMENT,
                    {
                        "gateway_order_id": f"order_{i}",
                        "ttl_s": 120,
                        "gateway_expires_at": at + timedelta(minutes=10),
                    },
                ),
                (OrderState.EXPIRED, {"failure_code": "expired"}),
            ):
                order, record = order.transition(to, at, **changes)  # type: ignore[arg-type]
                journal.record(order, record)
        clock.advance((start + timedelta(days=policy.days) - clock.now()).total_seconds())
        bank = Bank(clock)
        checkout = CheckoutService(gateway=bank, journal=journal, clock=clock, store=STORE)
        recovery = RecoveryService(service=checkout, journal=journal, sweep=policy)
        rounds = 2 * 24 * 3600 // policy.every_s
        for _ in range(rounds):
            run(recovery.run())
            clock.advance(policy.every_s)
    per_hour = Counter(int((at - start).total_seconds() // 3600) for at, _ in bank.checks)
    busiest, mean = max(per_hour.values()), len(bank.checks) / (rounds * policy.every_s / 3600)
    poll = PollPolicy.from_settings(PollSettings())
    live = poll.fast_for_s / poll.fast_s + (3600 - poll.fast_for_s) / poll.slow_s
    print(
        f"\nsweep over {ORDERS} orders in a {policy.days}-day window,"
        f" a round every {policy.every_s} s for 48 h:"
        f"\n  busiest hour {busiest} requests, mean {mean:.0f}/h"
        f" (cap {policy.max_per_hour}/h: {busiest / policy.max_per_hour:.0%})"
        f"\n  baseline, one live sale polled for an hour: {live:.0f} requests"
        f" -> the sweep's mean is {mean / live:.1%} of it"
    )
    assert busiest <= policy.max_per_hour
