"""The checkout service on a scripted villa backend and a manual clock (no sleeping)."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import httpx
import pytest

from kiosk.domain import thaiqr
from kiosk.domain.clock import ManualClock
from kiosk.domain.errors import (
    GatewayUnavailable,
    InputError,
    InvalidAmount,
    QrRejected,
    SaleFailed,
    UnsafeAnswer,
)
from kiosk.domain.events import Activity, ActivityChanged, OrderChanged
from kiosk.domain.money import Money
from kiosk.domain.order import Method, Order, OrderState
from kiosk.gateways.base import PaymentState, StatusReport
from kiosk.services.checkout import CancelToken, CheckoutService
from kiosk.services.recovery import RecoveryService
from kiosk.store.journal import Journal
from tests.fakes import (
    ScriptedVilla,
    order_body,
    paid,
    pending,
    run,
    start_left_open,
    status_body,
    thai_qr,
)
from tests.services.conftest import make_service, with_store

S = OrderState
AMOUNT = Money(30000)


def flip_last(payload: str) -> str:
    return payload[:-1] + ("1" if payload[-1] == "0" else "0")


def journal_states(journal: Journal, order_id: str) -> list[str]:
    return [f"{t.from_state}>{t.to_state}" for t in journal.history(order_id)]


def test_paid_checkout_is_journaled_step_by_step(
    service: CheckoutService, backend: ScriptedVilla, journal: Journal, clock: ManualClock
) -> None:
    told: list[tuple[str, str]] = []

    def listener(event: OrderChanged) -> None:
        # Every change is journaled before anyone hears of it.
        order = event.order
        journaled = [t.to_state for t in journal.history(order.kiosk_order_id)]
        assert journal.get(order.kiosk_order_id) is not None
        assert order.state is S.NEW or order.state.value in journaled
        told.append((order.kiosk_order_id, order.state.value))

    service.bus.subscribe(OrderChanged, listener)
    backend.statuses = [pending(), pending(), paid()]
    order = run(service.start(AMOUNT, Method.QR))
    assert order.state is S.AWAITING_PAYMENT
    assert re.fullmatch(r"S001-T01-20261124-0001-[A-Z2-7]{4}", order.kiosk_order_id)
    assert order.ttl_s == 60  # min(gateway 3600, store 60)
    assert order.gateway_expires_at is not None
    assert (order.gateway_expires_at - order.created_at).total_seconds() == 3600
    assert thaiqr.check(order.qr_payload or "", order_amount=AMOUNT)
    final = run(service.follow(order))
    assert final.state is S.PAID and not final.late
    assert final.gateway_charge_id == "chrg_test_0001"
    assert clock.slept == [1, 1]
    assert [state for _, state in told] == ["new", "creating", "awaiting_payment", "paid"]
    assert journal_states(journal, order.kiosk_order_id) == [
        "new>creating",
        "creating>awaiting_payment",
        "awaiting_payment>paid",
    ]
    assert backend.paths_called()[:2] == ["/kbank/order", "/qrpayment"]


def test_receipt_line_for_the_final_order(
    service: CheckoutService, backend: ScriptedVilla, tmp_path: Path
) -> None:
    backend.statuses = [paid()]
    final = run(service.run(AMOUNT))
    lines = next(iter((tmp_path / "receipts").glob("*.log"))).read_text().splitlines()
    assert len(lines) == 1
    assert final.kiosk_order_id in lines[0] and "฿300.00" in lines[0] and "PAID" in lines[0]


@pytest.mark.parametrize("typed", [Money(0), Money(-500), Money(5_000_001)])
def test_bad_amounts_never_reach_the_gateway(
    service: CheckoutService, backend: ScriptedVilla, journal: Journal, typed: Money
) -> None:
    with pytest.raises(InvalidAmount):
        run(service.start(typed))
    assert backend.requests == [] and journal.count() == 0


def test_method_not_offered(
    backend: ScriptedVilla, journal: Journal, clock: ManualClock, tmp_path: Path
) -> None:
    service = make_service(backend, journal, clock, tmp_path)
    service.gateway.methods = frozenset({Method.QR})
    with pytest.raises(InputError, match="not offered"):
        run(service.start(AMOUNT, Method.WECHAT))
    assert journal.count() == 0


@pytest.mark.parametrize(
    ("answer", "why"),
    [
        ({"amount": 3000.0}, "amount"),
        ({"amount": 300.01}, "amount"),
        ({"amount": None}, "amount"),
        ({"currency": "USD"}, "currency"),
        ({"currency": None}, "currency"),
    ],
)
def test_amount_safety_rule(
    service: CheckoutService,
    backend: ScriptedVilla,
    journal: Journal,
    answer: dict[str, object],
    why: str,
) -> None:
    backend.create = lambda body: httpx.Response(200, json=order_body(**answer))
    with pytest.raises(SaleFailed) as info:
        run(service.start(AMOUNT))
    assert isinstance(info.value.cause, UnsafeAnswer)
    assert "different amount" in info.value.user_message("en")
    order = journal.get(info.value.order.kiosk_order_id)
    assert order is not None and order.state is S.FAILED
    assert order.failure_code == "amount_mismatch" and order.qr_payload is None
    assert "/qrpayment" not in backend.paths_called()  # no QR fetched, none shown
    assert backend.cancels == 1


@pytest.mark.parametrize(
    ("qr_text", "payee", "reason"),
    [
        (flip_last(thai_qr(AMOUNT)), "", "crc"),
        (thai_qr(Money(30100)), "", "amount-mismatch"),
        (thai_qr(AMOUNT, payee="099999999999999"), "010555800000001", "payee"),
        ("weixin://wxpay/bizpayurl?pr=x", "", "format"),
        (thaiqr.build_promptpay(target="0801234567"), "", "amount-mismatch"),
    ],
)
def test_qr_checks_before_display(
    backend: ScriptedVilla,
    journal: Journal,
    clock: ManualClock,
    tmp_path: Path,
    qr_text: str,
    payee: str,
    reason: str,
) -> None:
    service = make_service(
        backend, journal, clock, tmp_path, store=with_store(expected_payee=payee)
    )
    backend.qr = lambda: httpx.Response(200, json={"id": "q", "paint_text": qr_text})
    with pytest.raises(SaleFailed) as info:
        run(service.start(AMOUNT))
    assert isinstance(info.value.cause, QrRejected)
    assert info.value.cause.reason == reason
    stored = journal.get(info.value.order.kiosk_order_id)
    assert stored is not None and stored.state is S.FAILED
    assert stored.failure_code == f"qr_{reason}" and stored.qr_payload is None
    assert backend.cancels == 1


def test_expected_payee_accepts_our_qr(
    backend: ScriptedVilla, journal: Journal, clock: ManualClock, tmp_path: Path
) -> None:
    service = make_service(
        backend, journal, clock, tmp_path, store=with_store(expected_payee="010555800000001")
    )
    assert run(service.start(AMOUNT)).state is S.AWAITING_PAYMENT


def test_image_only_qr(
    backend: ScriptedVilla, journal: Journal, clock: ManualClock, tmp_path: Path
) -> None:
    import base64

    png = base64.b64encode(b"\x89PNG\r\n\x1a\n fake").decode()
    backend.qr = lambda: httpx.Response(200, json={"image_with_base64": png})
    order = run(make_service(backend, journal, clock, tmp_path).start(AMOUNT))
    assert order.qr_image_png == b"\x89PNG\r\n\x1a\n fake" and order.qr_payload is None
    strict = make_service(
        backend, journal, clock, tmp_path, store=with_store(expected_payee="0105558000000")
    )
    with pytest.raises(SaleFailed):
        run(start_left_open(strict, AMOUNT))


def test_wechat_url_is_shown_as_given(service: CheckoutService, backend: ScriptedVilla) -> None:
    backend.qr = lambda: httpx.Response(200, json={"paint_text": "weixin://wxpay/x"})
    order = run(service.start(AMOUNT, Method.WECHAT))
    assert order.qr_payload == "weixin://wxpay/x"
    backend.qr = lambda: httpx.Response(200, json={"id": "only-id", "paint_text": ""})
    with pytest.raises(SaleFailed):
        run(start_left_open(service, AMOUNT, Method.WECHAT))


def test_inline_qr_skips_the_qr_call(service: CheckoutService, backend: ScriptedVilla) -> None:
    backend.create = lambda body: httpx.Response(200, json=order_body(qr_text=thai_qr(AMOUNT)))
    run(service.start(AMOUNT))
    assert "/qrpayment" not in backend.paths_called()


def test_create_is_retried_with_the_same_order_id(
    service: CheckoutService, backend: ScriptedVilla, clock: ManualClock
) -> None:
    answers = [
        httpx.Response(503, json={}),
        httpx.Response(200, text="<html>proxy"),
        httpx.Response(200, json=order_body()),
    ]
    backend.create = lambda body: answers.pop(0)
    order = run(service.start(AMOUNT))
    creates = [r for r in backend.requests if r.url.path.endswith("/kbank/order")]
    assert len(creates) == 3
    assert {r.content for r in creates} == {creates[0].content}  # same orderid each time
    assert order.state is S.AWAITING_PAYMENT
    assert len(clock.slept) == 2 and all(0 < s <= 8 for s in clock.slept)


def test_unreachable_gateway_fails_the_sale_cleanly(
    service: CheckoutService, backend: ScriptedVilla, journal: Journal
) -> None:
    backend.create = lambda body: httpx.Response(500, json={"error": {"code": "internal_error"}})
    with pytest.raises(SaleFailed) as info:
        run(service.start(AMOUNT))
    assert isinstance(info.value.cause, GatewayUnavailable)
    assert info.value.order.state is S.FAILED
    assert info.value.order.failure_code == "internal_error"
    assert journal.count() == 1


def test_rejected_create_is_not_retried(service: CheckoutService, backend: ScriptedVilla) -> None:
    backend.create = lambda body: httpx.Response(400, json={"error": {"code": "invalid_order"}})
    with pytest.raises(SaleFailed) as info:
        run(service.start(AMOUNT))
    assert info.value.order.failure_code == "invalid_order"
    assert backend.paths_called() == ["/kbank/order"]  # no retry, nothing to cancel


def test_declined(service: CheckoutService, backend: ScriptedVilla) -> None:
    backend.statuses = [
        httpx.Response(200, json=status_body(status="fail", transaction_state="Declined"))
    ]
    final = run(service.run(AMOUNT))
    assert final.state is S.FAILED and final.failure_code == "declined"


@pytest.mark.parametrize(
    ("body", "state"),
    [
        (status_body(status="fail", transaction_state="Voided"), S.CANCELLED),
        (status_body(status="fail", failure_code="order_expired"), S.EXPIRED),
    ],
)
def test_gateway_side_endings(
    service: CheckoutService, backend: ScriptedVilla, body: dict[str, object], state: S
) -> None:
    backend.statuses = [httpx.Response(200, json=body)]
    assert run(service.run(AMOUNT)).state is state


def test_expiry_is_computed_and_cancels_at_the_gateway(
    service: CheckoutService, backend: ScriptedVilla, clock: ManualClock
) -> None:
    final = run(service.run(AMOUNT))
    assert final.state is S.EXPIRED and final.failure_code == "expired"
    assert sum(clock.slept) == pytest.approx(60)
    assert clock.slept[:10] == [1] * 10 and set(clock.slept[10:-1]) == {5}
    assert backend.cancels == 1
    # the last look before giving up happened after the expiry moment
    assert backend.paths_called()[-2].startswith("/checkstatus/")


def test_money_arriving_at_the_last_moment_is_paid(
    service: CheckoutService, backend: ScriptedVilla, clock: ManualClock
) -> None:
    order = run(service.start(AMOUNT))
    clock.advance(61)
    backend.statuses = [paid()]
    assert run(service.follow(order)).state is S.PAID
    assert backend.cancels == 0


def test_cashier_cancel(service: CheckoutService, backend: ScriptedVilla) -> None:
    token = CancelToken.new()

    async def scenario() -> Order:
        order = await service.start(AMOUNT)
        token.cancel()
        return await service.follow(order, token)

    final = run(scenario())
    assert final.state is S.CANCELLED and final.failure_code == "cancelled_by_cashier"
    assert backend.cancels == 1


def test_cancel_wakes_a_sleeping_poller(
    backend: ScriptedVilla, journal: Journal, tmp_path: Path
) -> None:
    from kiosk.domain.clock import SystemClock

    service = make_service(backend, journal, SystemClock(), tmp_path)  # type: ignore[arg-type]
    service.poll = type(service.poll)(fast_s=30, slow_s=30)
    token = CancelToken.new()

    async def scenario() -> Order:
        order = await service.start(AMOUNT)
        follower = asyncio.create_task(service.follow(order, token))
        await asyncio.sleep(0.05)
        token.cancel()
        return await asyncio.wait_for(follower, 5)

    assert run(scenario()).state is S.CANCELLED


def test_paid_when_cancelling_is_paid(service: CheckoutService, backend: ScriptedVilla) -> None:
    token = CancelToken.new()
    token.cancel()
    backend.statuses = [paid()]

    async def scenario() -> Order:
        return await service.follow(await service.start(AMOUNT), token)

    assert run(scenario()).state is S.PAID


def test_errors_back_off_with_jitter_and_report_activity(
    service: CheckoutService, backend: ScriptedVilla, clock: ManualClock
) -> None:
    activity: list[Activity] = []
    service.bus.subscribe(ActivityChanged, lambda event: activity.append(event.activity))
    backend.statuses = [httpx.Response(500, json={})] * 4 + [paid()]
    assert run(service.run(AMOUNT)).state is S.PAID
    steps = clock.slept
    assert 0.5 <= steps[0] <= 1 and 1 <= steps[1] <= 2 and 2 <= steps[2] <= 4
    assert 4 <= steps[3] <= 8
    assert activity.count(Activity.CONNECTION_PROBLEM) == 4
    assert activity[-1] is Activity.OK


def test_never_two_polls_in_flight(
    service: CheckoutService, backend: ScriptedVilla, clock: ManualClock
) -> None:
    in_flight = 0
    most = 0
    original = service.gateway.check_status

    async def tracked(ref):  # type: ignore[no-untyped-def]
        nonlocal in_flight, most
        in_flight += 1
        most = max(most, in_flight)
        await asyncio.sleep(0)
        try:
            return await original(ref)
        finally:
            in_flight -= 1

    service.gateway.check_status = tracked  # type: ignore[method-assign]
    backend.statuses = [pending()] * 20 + [paid()]
    assert run(service.run(AMOUNT)).state is S.PAID
    assert most == 1


def test_late_payment_after_expiry(
    service: CheckoutService, backend: ScriptedVilla, journal: Journal, clock: ManualClock
) -> None:
    expired = run(service.run(AMOUNT))
    assert expired.state is S.EXPIRED
    backend.statuses = [pending(), paid()]
    late = run(service.watch_late(expired))
    assert late.state is S.PAID and late.late
    stored = journal.get(late.kiosk_order_id)
    assert stored is not None and stored.late and stored.state is S.PAID


def test_late_watch_stops_at_the_gateway_expiry(
    service: CheckoutService, backend: ScriptedVilla, clock: ManualClock
) -> None:
    expired = run(service.run(AMOUNT))
    final = run(service.watch_late(expired))
    assert final.state is S.EXPIRED
    assert expired.gateway_expires_at is not None
    assert clock.now() >= expired.gateway_expires_at


def test_recovery_of_orders_left_open(
    service: CheckoutService, backend: ScriptedVilla, journal: Journal, clock: ManualClock
) -> None:
    never_sent = journal.new_order(
        store_id="S001", terminal_id="T01", amount=AMOUNT, method=Method.QR, created_at=clock.now()
    )
    awaiting = run(start_left_open(service, AMOUNT))
    reports = {
        never_sent.kiosk_order_id: httpx.Response(404, json={"error": {"code": "invalid_order"}}),
        awaiting.kiosk_order_id: paid(),
    }

    def status(request: httpx.Request) -> httpx.Response:
        return reports[request.url.path.rsplit("/", 1)[1]]

    original = backend.__call__
    backend_call = lambda r: status(r) if "/checkstatus/" in r.url.path else original(r)  # noqa: E731
    service.gateway._client._transport = httpx.MockTransport(backend_call)  # type: ignore[attr-defined]
    changes = run(recover(service))
    after = {before.kiosk_order_id: now.state for before, now in changes}
    assert after == {never_sent.kiosk_order_id: S.FAILED, awaiting.kiosk_order_id: S.PAID}
    assert run(recover(service)) == []


def test_recovery_cancels_a_created_order_whose_qr_was_never_shown(
    service: CheckoutService, backend: ScriptedVilla, journal: Journal, clock: ManualClock
) -> None:
    order = journal.new_order(
        store_id="S001", terminal_id="T01", amount=AMOUNT, method=Method.QR, created_at=clock.now()
    )
    creating, record = order.transition(S.CREATING, clock.now())
    journal.record(creating, record)
    ((_, after),) = run(recover(service))
    assert after.state is S.CANCELLED and after.failure_code == "interrupted"
    assert backend.cancels == 1
    assert after.needs_checking(clock.now())  # still watched for money


def test_recovery_expires_and_finds_late_money(
    service: CheckoutService, backend: ScriptedVilla, clock: ManualClock
) -> None:
    run(service.start(AMOUNT))
    clock.advance(120)
    ((_, expired),) = run(recover(service))
    assert expired.state is S.EXPIRED
    backend.statuses = [paid()]
    ((_, late),) = run(recover(service))
    assert late.state is S.PAID and late.late


def test_recovery_postpones_when_unreachable(
    service: CheckoutService, backend: ScriptedVilla, journal: Journal
) -> None:
    order = run(service.start(AMOUNT))
    backend.statuses = [httpx.Response(503, json={})]
    assert run(recover(service)) == []
    stored = journal.get(order.kiosk_order_id)
    assert stored is not None and stored.state is S.AWAITING_PAYMENT


async def recover(service: CheckoutService) -> list[tuple[Order, Order]]:
    """One recovery pass (the RecoveryService's) over what ``service`` journaled."""
    report = await RecoveryService(service=service, journal=service.journal).run()
    return list(report.changes)


def test_stale_order_is_reread_not_double_moved(
    service: CheckoutService, journal: Journal, clock: ManualClock
) -> None:
    order = run(service.start(AMOUNT))
    moved, record = order.transition(S.PAID, clock.now())
    journal.record(moved, record)  # another task got there first
    report = StatusReport(PaymentState.DECLINED)
    result = run(service.apply_report(order, report))
    assert result.state is S.PAID


def test_a_listener_that_raises_does_not_stop_the_checkout(
    service: CheckoutService, backend: ScriptedVilla, journal: Journal
) -> None:
    heard: list[S] = []

    def broken(event: OrderChanged) -> None:
        raise RuntimeError("a window bug")

    service.bus.subscribe(OrderChanged, broken)
    service.bus.subscribe(OrderChanged, lambda event: heard.append(event.order.state))
    backend.statuses = [pending(), paid()]

    final = run(service.run(AMOUNT))

    assert final.state is S.PAID
    stored = journal.get(final.kiosk_order_id)
    assert stored is not None and stored.state is S.PAID
    assert heard == [S.NEW, S.CREATING, S.AWAITING_PAYMENT, S.PAID]


def test_the_banks_mid_and_tid_and_the_bill_number_reach_the_paid_order(
    service: CheckoutService, backend: ScriptedVilla, journal: Journal
) -> None:
    from kiosk.infra.config import ReceiptSettings, StoreSettings
    from kiosk.receipts.layout import plain_text, receipt_blocks
    from kiosk.receipts.model import build_receipt

    def created(body: dict[str, object]) -> httpx.Response:
        answer = order_body(amount=float(str(body["amount"])), currency="THB")
        answer["additional_data"] = {"mid": "401016061365001", "tid": "70000921"}
        return httpx.Response(200, json=answer)

    backend.create = created
    backend.statuses = [paid()]
    final = run(service.run(AMOUNT, sale_ref=" INV-7 "))
    assert final.state is S.PAID and final.sale_ref == "INV-7" and not final.sandbox
    assert final.extra == {"mid": "401016061365001", "tid": "70000921"}
    stored = journal.get(final.kiosk_order_id)
    assert stored is not None and stored.sale_ref == "INV-7"
    slip = build_receipt(final, number=1, store=StoreSettings(), receipt=ReceiptSettings())
    text = plain_text(receipt_blocks(slip), 48)
    assert "MID" in text and "401016061365001" in text and "70000921" in text and "INV-7" in text
