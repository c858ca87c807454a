"""A "paid" that does not add up is never PAID: the order is flagged for the manager."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import httpx
import pytest

from kiosk.domain.attention import Outcome, Reason
from kiosk.domain.clock import ManualClock
from kiosk.domain.errors import InputError, SaleFailed, StoreError
from kiosk.domain.events import OrderChanged
from kiosk.domain.money import Money
from kiosk.domain.order import Method, OrderState
from kiosk.infra.bus import EventBus
from kiosk.services.attention import AttentionDesk
from kiosk.services.checkout import FLAGGED, CheckoutService
from kiosk.services.pin import JournalLockout, ManagerPin, ScryptCost
from kiosk.services.recovery import RecoveryService
from kiosk.store.journal import Journal
from tests.fakes import ScriptedVilla, pending, run, status_body

S = OrderState
AMOUNT = Money(30000)
GATEWAY_ID = "order_test_222110adff3affb5844c497fa9c22366b5bc6"  # the vector's order id


def answer(**changes: Any) -> Callable[[], httpx.Response]:
    return lambda: httpx.Response(200, json=status_body(**changes))


LIES = {
    "paid one baht": (dict(amount=1.0), Reason.AMOUNT),
    "paid 3000.00": (dict(amount="3000.00"), Reason.AMOUNT),
    "paid an unreadable amount": (dict(amount="lots"), Reason.AMOUNT),
    "paid in dollars": (dict(currency="USD"), Reason.CURRENCY),
    "paid another gateway order": (dict(order_id="order_test_someone_else"), Reason.OTHER_ORDER),
    "paid naming another of our orders": (
        dict(metadata={"orderid": "S001-T01-20261124-0099"}),
        Reason.OTHER_ORDER,
    ),
    "paid naming no order": (dict(order_id=None, metadata=None), Reason.NOT_NAMED),
}


@pytest.mark.parametrize("lie", LIES, ids=list(LIES))
def test_a_paid_answer_that_does_not_add_up_flags_the_sale_and_never_pays_it(
    lie: str, service: CheckoutService, backend: ScriptedVilla, journal: Journal
) -> None:
    changes, reason = LIES[lie]
    heard: list[OrderChanged] = []
    service.bus.subscribe(OrderChanged, heard.append)
    backend.statuses = [pending(), answer(**changes)(), answer()()]
    order = run(service.start(AMOUNT))

    final = run(service.follow(order))

    assert final.state is S.FAILED and final.failure_code == FLAGGED
    assert final.attention is not None and final.attention.reason is reason
    journaled = journal.get(order.kiosk_order_id)
    assert journaled is not None and journaled.needs_attention
    assert journaled.attention == final.attention
    assert dict(journaled.attention.raw)["transaction_state"] == "Authorized"
    assert "paid" not in [t.to_state.value for t in journal.history(order.kiosk_order_id)]
    run(service.bus.drain())
    assert heard[-1].order.needs_attention  # listeners hear of it after the journal has it
    assert journal.orders_needing_attention() == [journaled]


def test_a_correct_paid_still_pays(service: CheckoutService, backend: ScriptedVilla) -> None:
    order = run(service.start(AMOUNT))
    backend.statuses = [answer(metadata={"orderid": order.kiosk_order_id})()]
    final = run(service.follow(order))
    assert final.state is S.PAID and final.attention is None


def test_other_answers_about_another_order_are_ignored(
    service: CheckoutService, backend: ScriptedVilla
) -> None:
    declined_elsewhere = answer(
        order_id="order_test_other", status="fail", transaction_state="Declined"
    )
    backend.statuses = [declined_elsewhere(), answer(amount=999.0, status="expired")(), answer()()]
    final = run(service.follow(run(service.start(AMOUNT))))
    assert final.state is S.PAID  # neither lie ended the sale; the true answer did


def test_a_late_paid_that_does_not_add_up_flags_an_expired_order_and_nothing_pays_it_after(
    service: CheckoutService, backend: ScriptedVilla, journal: Journal, clock: ManualClock
) -> None:
    order = run(service.start(AMOUNT))
    clock.advance(120)  # past the kiosk's 60 s, inside the gateway's hour
    expired = run(service.follow(order))
    assert expired.state is S.EXPIRED
    backend.statuses = [answer(amount=1.0)()]
    flagged = run(service.watch_late(expired))
    assert flagged.state is S.EXPIRED and flagged.needs_attention
    backend.statuses = [answer()()]  # now a "correct" paid: still not believed by itself
    assert run(service.watch_late(flagged)).state is S.EXPIRED
    recovery = RecoveryService(service=service, journal=journal)
    run(recovery.run())
    after = journal.get(order.kiosk_order_id)
    assert after is not None and after.state is S.EXPIRED and after.needs_attention


def test_paid_for_an_order_never_sent_is_flagged_by_recovery(
    service: CheckoutService, backend: ScriptedVilla, journal: Journal, clock: ManualClock
) -> None:
    never_sent = journal.new_order(
        store_id="S001", terminal_id="T01", amount=AMOUNT, method=Method.QR, created_at=clock.now()
    )
    backend.statuses = [answer(metadata={"orderid": never_sent.kiosk_order_id})()]
    report = run(RecoveryService(service=service, journal=journal).run())
    after = journal.get(never_sent.kiosk_order_id)
    assert after is not None and after.state is S.FAILED
    assert after.attention is not None and after.attention.reason is Reason.NEVER_SENT
    assert report.paid == ()


def test_a_sale_waits_while_an_earlier_outcome_is_unknown(
    service: CheckoutService, backend: ScriptedVilla, journal: Journal, clock: ManualClock
) -> None:
    left = run(service.start(AMOUNT))  # AWAITING_PAYMENT and followed by nobody
    with pytest.raises(InputError) as refused:
        run(service.start(AMOUNT))
    assert refused.value.reason_code == "sale_open"
    assert journal.count() == 1  # nothing journaled for the refused sale
    with service.follows(left.kiosk_order_id):  # a watcher has it: the counter is free
        second = run(service.start(AMOUNT))
    assert second.kiosk_order_id != left.kiosk_order_id
    clock.advance(120)
    for order in (left, second):
        assert run(service.follow(order)).state is S.EXPIRED
    run(service.start(AMOUNT))  # expired orders watched for late money do not block


def test_an_unexpected_exception_while_starting_ends_the_sale_failed(
    service: CheckoutService, backend: ScriptedVilla, journal: Journal
) -> None:
    def explode() -> httpx.Response:
        raise RecursionError("maximum recursion depth exceeded")

    backend.qr = explode
    with pytest.raises(SaleFailed) as failed:
        run(service.start(AMOUNT))
    order = journal.get(failed.value.order.kiosk_order_id)
    assert order is not None and order.state is S.FAILED
    assert order.failure_code == "unexpected"
    assert "recursion" not in (order.failure_message or "").lower()
    assert backend.cancels == 1  # the gateway order is stopped
    backend.qr = ScriptedVilla().qr
    assert run(service.start(AMOUNT)).state is S.AWAITING_PAYMENT  # the counter is free


def test_an_absurd_gateway_expiry_is_not_believed(
    service: CheckoutService, backend: ScriptedVilla
) -> None:
    for expiry in (10**12, -100, 0):
        backend.create = lambda body, e=expiry: httpx.Response(  # type: ignore[misc]
            200,
            json={**status_body(), "id": GATEWAY_ID, "expire_time_seconds": e, "amount": 300.0},
        )
        order = run(service.start(AMOUNT))
        assert order.ttl_s == 60
        assert order.gateway_expires_at == order.created_at + timedelta(seconds=60)
        run(service.follow(order))  # paid by the default status answer; frees the counter


class MemorySecrets:
    def __init__(self) -> None:
        self.values: dict[str, str] = {}

    def get(self, name: str) -> str | None:
        return self.values.get(name)

    def set(self, name: str, value: str) -> None:
        self.values[name] = value


@pytest.fixture
def desk(journal: Journal, clock: ManualClock) -> AttentionDesk:
    pin = ManagerPin(
        secrets=MemorySecrets(),
        lockout=JournalLockout(journal, clock),
        clock=clock,
        cost=ScryptCost(log_n=10),
    )
    run(pin.set_pin("246810"))
    return AttentionDesk(journal=journal, clock=clock, bus=EventBus(), pin=pin)


def test_only_the_manager_clears_a_flag_once_and_it_is_journaled(
    service: CheckoutService, backend: ScriptedVilla, journal: Journal, desk: AttentionDesk
) -> None:
    backend.statuses = [answer(amount=1.0)()]
    order = run(service.follow(run(service.start(AMOUNT))))
    assert desk.open() == [journal.get(order.kiosk_order_id)]
    with pytest.raises(InputError):
        run(desk.clear(order.kiosk_order_id, Outcome.REFUNDED, "000000"))
    assert desk.open() != []  # a wrong PIN changes nothing
    cleared = run(desk.clear(order.kiosk_order_id, Outcome.REFUNDED, "246810", "K-Plus\x1b[2J"))
    assert cleared.attention is not None and cleared.attention.outcome is Outcome.REFUNDED
    assert cleared.attention.note == "K-Plus[2J"
    assert cleared.state is S.FAILED and not cleared.needs_attention
    assert desk.open() == []
    with pytest.raises(InputError):
        run(desk.clear(order.kiosk_order_id, Outcome.ACCEPTED, "246810"))
    assert cleared.attention.record()["outcome"] == "refunded"


def test_the_journal_keeps_a_flag_as_raised(
    service: CheckoutService, backend: ScriptedVilla, journal: Journal
) -> None:
    backend.statuses = [answer(amount=1.0)()]
    order = run(service.follow(run(service.start(AMOUNT))))
    db = sqlite3.connect(journal.path)
    with pytest.raises(sqlite3.DatabaseError, match="never deleted"):
        db.execute("DELETE FROM attention")
    with pytest.raises(sqlite3.DatabaseError, match="cleared once"):
        db.execute("UPDATE attention SET reason = 'accepted_by_bug'")
    db.close()
    again = journal.get(order.kiosk_order_id)
    assert again is not None and again.attention == order.attention


def test_an_unreadable_flag_row_is_a_store_error(
    service: CheckoutService, backend: ScriptedVilla, journal: Journal
) -> None:
    backend.statuses = [answer(amount=1.0)()]
    order = run(service.follow(run(service.start(AMOUNT))))
    db = sqlite3.connect(journal.path)
    db.execute("DROP TRIGGER attention_cleared_once")
    db.execute("UPDATE attention SET raw = '[1, 2]'")
    db.commit()
    db.close()
    with pytest.raises(StoreError):
        journal.get(order.kiosk_order_id)
