from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.errors import IllegalTransition
from kiosk.domain.money import Money
from kiosk.domain.order import (
    ALLOWED,
    FINAL_STATES,
    Method,
    Order,
    OrderState,
    business_day,
    make_order_id,
)

S = OrderState
T0 = datetime(2026, 11, 24, 3, 0, tzinfo=UTC)


def order(**kw: object) -> Order:
    base: dict[str, object] = {
        "kiosk_order_id": "S001-T01-20261124-0001",
        "amount": Money(30000),
        "method": Method.QR,
        "created_at": T0,
    }
    base.update(kw)
    return Order(**base)  # type: ignore[arg-type]


def walk(o: Order, *states: OrderState) -> Order:
    for i, to in enumerate(states):
        o, _ = o.transition(to, T0 + timedelta(seconds=i + 1))
    return o


def test_happy_path_records_each_move() -> None:
    o = order()
    o, rec = o.transition(S.CREATING, T0)
    assert (rec.from_state, rec.to_state) == (S.NEW, S.CREATING)
    o, rec = o.transition(
        S.AWAITING_PAYMENT, T0, gateway_order_id="order_test_1", ttl_s=300, qr_payload="x"
    )
    assert rec.gateway_order_id == "order_test_1" and o.ttl_s == 300
    paid_at = T0 + timedelta(seconds=20)
    o, rec = o.transition(S.PAID, paid_at, gateway_charge_id="chrg_1")
    assert o.state is S.PAID and not o.late
    assert o.paid_at == paid_at == o.updated_at
    assert rec.gateway_charge_id == "chrg_1" and rec.gateway_order_id == "order_test_1"


@pytest.mark.parametrize("via", [S.EXPIRED, S.CANCELLED, S.FAILED])
def test_payment_after_expiry_cancel_or_failure_is_late_paid(via: OrderState) -> None:
    o = walk(order(), S.CREATING, S.AWAITING_PAYMENT, via)
    assert o.state.is_final and not o.state.is_terminal
    o = walk(o, S.PAID)
    assert o.state is S.PAID and o.late


def test_paid_is_terminal_and_failed_only_takes_late_money() -> None:
    paid = walk(order(), S.CREATING, S.AWAITING_PAYMENT, S.PAID)
    assert paid.state.is_terminal
    for to in OrderState:
        with pytest.raises(IllegalTransition):
            paid.transition(to, T0)
    failed = walk(order(), S.CREATING, S.FAILED)
    assert not failed.state.is_terminal
    for to in set(OrderState) - {S.PAID}:
        with pytest.raises(IllegalTransition):
            failed.transition(to, T0)


def test_illegal_move_names_the_order_and_states() -> None:
    with pytest.raises(IllegalTransition, match=r"0001: new -> paid"):
        order().transition(S.PAID, T0)


def test_failure_fields_kept_unless_replaced() -> None:
    o = walk(order(), S.CREATING)
    o, _ = o.transition(S.AWAITING_PAYMENT, T0)
    o, _ = o.transition(S.EXPIRED, T0, failure_code="expired", failure_message="Gone")
    o, rec = o.transition(S.PAID, T0)
    assert o.failure_code == "expired" and rec.failure_code is None


def test_expiry_is_computed_from_created_at_and_ttl() -> None:
    o = order(ttl_s=60)
    assert o.expires_at == T0 + timedelta(seconds=60)
    assert not o.has_expired(T0 + timedelta(seconds=59))
    assert o.has_expired(T0 + timedelta(seconds=60))
    assert o.seconds_left(T0 + timedelta(seconds=15)) == 45
    assert o.seconds_left(T0 + timedelta(seconds=600)) == 0
    untimed = order()
    assert untimed.expires_at is None and untimed.seconds_left(T0) is None
    assert not untimed.has_expired(T0 + timedelta(days=9))


def test_needs_checking() -> None:
    later = T0 + timedelta(minutes=10)
    assert order().needs_checking(later)
    expired = walk(order(), S.CREATING, S.AWAITING_PAYMENT, S.EXPIRED)
    assert not expired.needs_checking(later)  # no gateway expiry known
    from dataclasses import replace

    watched = replace(expired, gateway_expires_at=T0 + timedelta(minutes=60))
    assert watched.needs_checking(later)
    assert not watched.needs_checking(T0 + timedelta(minutes=61))
    assert not walk(order(), S.CREATING, S.FAILED).needs_checking(T0)


def test_order_ids_use_the_bangkok_business_day() -> None:
    evening_utc = datetime(2026, 11, 24, 17, 30, tzinfo=UTC)  # 00:30 on the 25th in Bangkok
    assert business_day(evening_utc) == "20261125"
    assert make_order_id("S001", "T01", evening_utc, 7, "K7QX") == "S001-T01-20261125-0007-K7QX"


def test_transition_table_shape() -> None:
    assert set(ALLOWED) == set(OrderState)
    assert {S.PAID, S.FAILED, S.EXPIRED, S.CANCELLED} == FINAL_STATES
    for state, targets in ALLOWED.items():
        assert state not in targets, "no self-loops"


@given(st.lists(st.sampled_from(list(OrderState)), max_size=12))
def test_no_sequence_of_events_breaks_the_rules(moves: list[OrderState]) -> None:
    o = order()
    paid_seen = False
    for to in moves:
        before = o
        try:
            o, rec = o.transition(to, T0)
        except IllegalTransition:
            assert to not in ALLOWED[before.state]
            assert o is before
            continue
        assert to in ALLOWED[before.state]
        assert rec.from_state is before.state and rec.to_state is to
        assert not paid_seen, "nothing moves after PAID"
        paid_seen = o.state is S.PAID
        assert o.late == (to is S.PAID and before.state in (S.EXPIRED, S.CANCELLED, S.FAILED))
