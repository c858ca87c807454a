"""Reconcile from the manager's screen: progress per order checked, and what changed."""

from __future__ import annotations

from kiosk.domain.clock import ManualClock
from kiosk.domain.order import OrderState
from kiosk.services.checkout import CheckoutService
from kiosk.services.recovery import RecoveryService
from kiosk.store.journal import Journal
from tests.fakes import ScriptedVilla, paid, pending, run, start_left_open

S = OrderState


def test_progress_is_reported_before_each_order_and_at_the_end(
    service: CheckoutService, backend: ScriptedVilla, journal: Journal, clock: ManualClock
) -> None:
    first = run(start_left_open(service))
    second = run(start_left_open(service))
    backend.statuses = [paid(), pending()]
    progress: list[tuple[int, int]] = []

    recovery = RecoveryService(service=service, journal=journal)
    report = run(recovery.run(lambda done, total: progress.append((done, total))))

    assert progress == [(0, 2), (1, 2), (2, 2)]
    assert [(b.kiosk_order_id, a.state) for b, a in report.changes] == [
        (first.kiosk_order_id, S.PAID)
    ]
    assert [o.kiosk_order_id for o in report.still_open] == [second.kiosk_order_id]


def test_nothing_open_is_done_at_once(service: CheckoutService) -> None:
    progress: list[tuple[int, int]] = []
    recovery = RecoveryService(service=service, journal=service.journal)
    report = run(recovery.run(on_progress=lambda d, t: progress.append((d, t))))
    assert report.changes == ()
    assert progress == [(0, 0)]
