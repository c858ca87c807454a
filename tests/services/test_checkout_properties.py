"""No sequence of gateway answers breaks the rules of a checkout (hypothesis).

A scripted gateway answers the status checks of one sale with any sequence
of: pending, paid, declined, expired, cancelled, unknown order, 503, or an
unreadable body. Whatever the sequence, once the sale and its late-payment
watch are over:

- the order is in a final state, the journal agrees, and replaying its
  history from NEW is legal under the transition table and ends there;
- it is PAID only if the gateway said paid (never shown paid when not);
- if the gateway said paid with no decline before it, it is PAID (money is
  never lost), and ``late`` exactly when the kiosk had expired or cancelled
  it first;
- the gateway was asked to create the order once.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

import httpx
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.domain.clock import ManualClock
from kiosk.domain.events import Activity, ActivityChanged
from kiosk.domain.money import Money
from kiosk.domain.order import ALLOWED, FINAL_STATES, LATE_FROM, Method, Order, OrderState
from kiosk.services.checkout import CancelToken
from kiosk.store.journal import Journal
from tests.fakes import ScriptedVilla, paid, pending, run, status_body
from tests.services.conftest import make_service

S = OrderState
ANSWERS: dict[str, Callable[[], httpx.Response]] = {
    "pending": pending,
    "paid": paid,
    "declined": lambda: httpx.Response(
        200, json=status_body(status="fail", transaction_state="Declined")
    ),
    "expired": lambda: httpx.Response(
        200,
        json=status_body(
            status="expired", transaction_state="Initialize", failure_code="order_expired"
        ),
    ),
    "cancelled": lambda: httpx.Response(
        200, json=status_body(status="fail", transaction_state="Voided")
    ),
    "unknown": lambda: httpx.Response(404, json={"error": {"code": "invalid_order"}}),
    "down": lambda: httpx.Response(503, json={}),
    "garbage": lambda: httpx.Response(200, text="<html>"),
}


def replay(journal: Journal, order: Order) -> OrderState:
    state = S.NEW
    for move in journal.history(order.kiosk_order_id):
        assert move.from_state is state and move.to_state in ALLOWED[state]
        state = move.to_state
    return state


@settings(max_examples=80, deadline=None)
@given(
    answers=st.lists(st.sampled_from(sorted(ANSWERS)), max_size=14),
    cashier_cancels_after=st.none() | st.integers(min_value=0, max_value=6),
)
def test_no_answer_sequence_breaks_the_rules(
    answers: list[str], cashier_cancels_after: int | None
) -> None:
    backend = ScriptedVilla()
    # Then pending for ever: the sale ends by expiry unless an answer ended it.
    backend.statuses = [ANSWERS[name]() for name in answers] + [pending()]
    clock = ManualClock()
    with tempfile.TemporaryDirectory() as tmp, Journal.open(Path(tmp) / "j.sqlite3") as journal:
        service = make_service(backend, journal, clock, Path(tmp))
        checks = 0

        def count(event: ActivityChanged) -> None:
            nonlocal checks
            if event.activity is Activity.CHECKING:
                checks += 1
                if cashier_cancels_after is not None and checks > cashier_cancels_after:
                    cancel.cancel()

        cancel = CancelToken.new()
        service.bus.subscribe(ActivityChanged, count)

        async def sale() -> Order:
            order = await service.start(Money(30000), Method.QR)
            final = await service.follow(order, cancel)
            if final.state in LATE_FROM:
                final = await service.watch_late(final)
            return final

        final = run(sale())
        stored = journal.get(final.kiosk_order_id)

        status_calls = sum(p.startswith("/checkstatus/") for p in backend.paths_called())
        consumed = answers[: min(status_calls, len(answers))]

        assert stored is not None and stored == final
        assert stored.state in FINAL_STATES
        assert replay(journal, stored) is stored.state
        assert backend.paths_called().count("/kbank/order") == 1

        if stored.state is S.PAID:
            assert "paid" in consumed, (answers, consumed)
        if "paid" in consumed and "declined" not in consumed[: consumed.index("paid")]:
            assert stored.state is S.PAID, (answers, consumed, stored)
        history = [m.to_state for m in journal.history(stored.kiosk_order_id)]
        went_late_first = any(state in LATE_FROM for state in history[:-1])
        assert stored.late == (stored.state is S.PAID and went_late_first)
