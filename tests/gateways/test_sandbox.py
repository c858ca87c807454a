"""The sandbox gateway: a real HTTP server on 127.0.0.1, driven with plain httpx.

Time is a fake monotonic clock the tests move, so nothing sleeps (except the
slow-gateway test, which shows a tiny real delay is applied).
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from kiosk.domain import thaiqr
from kiosk.domain.errors import QrRejected
from kiosk.domain.money import Money
from kiosk.gateways.sandbox import SandboxServer, Scenario

ORDER_KEYS = {
    "id",
    "object",
    "created",
    "livemode",
    "amount",
    "currency",
    "customer",
    "description",
    "metadata",
    "status",
    "reference_order",
    "source_type",
    "additional_data",
    "failure_code",
    "failure_message",
    "expire_time_seconds",
}
CHARGE_KEYS = {
    "id",
    "object",
    "order_id",
    "amount",
    "currency",
    "description",
    "status",
    "transaction_state",
    "reference_order",
    "created",
    "livemode",
    "metadata",
    "failure_code",
    "failure_message",
    "source",
}
THB300 = Money(30000)


class FakeMonotonic:
    """A list-backed monotonic clock that moves only when told to."""

    def __init__(self, start: float = 1000.0) -> None:
        self.values = [start]

    def __call__(self) -> float:
        return self.values[-1]

    def advance(self, seconds: float) -> None:
        self.values.append(self.values[-1] + seconds)


@pytest.fixture
def clock() -> FakeMonotonic:
    return FakeMonotonic()


@pytest.fixture
def server(clock: FakeMonotonic) -> Iterator[SandboxServer]:
    srv = SandboxServer(monotonic=clock).start()
    try:
        yield srv
    finally:
        srv.stop()


def _client(srv: SandboxServer, auth: str | None = SandboxServer.TOKEN) -> httpx.Client:
    headers = {"Authorization": auth} if auth is not None else {}
    return httpx.Client(base_url=srv.base_url, headers=headers, timeout=5.0, trust_env=False)


@pytest.fixture
def client(server: SandboxServer) -> Iterator[httpx.Client]:
    with _client(server) as c:
        yield c


def create(
    client: httpx.Client,
    orderid: str = "K-0001",
    amount: str = "300.00",
    source: str = "qr",
) -> httpx.Response:
    body = {
        "orderid": orderid,
        "source": source,
        "amount": amount,
        "currency": "THB",
        "description": f"Sale {orderid}",
    }
    return client.post("/kbank/order", json=body)


def status(client: httpx.Client, orderid: str = "K-0001") -> dict[str, object]:
    reply = client.get(f"/checkstatus/{orderid}")
    assert reply.status_code == 200, reply.text
    data: dict[str, object] = reply.json()
    return data


def qr_text(client: httpx.Client, orderid: str = "K-0001", source: str = "qr") -> str:
    reply = client.post("/qrpayment", json={"orderid": orderid, "source": source})
    assert reply.status_code == 200, reply.text
    text = reply.json()["paint_text"]
    assert isinstance(text, str)
    return text


# -- auth ---------------------------------------------------------------------


@pytest.mark.parametrize("auth", ["sandbox-token", "Bearer sandbox-token"])
def test_raw_and_bearer_token_are_accepted(server: SandboxServer, auth: str) -> None:
    with _client(server, auth) as c:
        assert create(c).status_code == 200


@pytest.mark.parametrize("auth", [None, "", "wrong", "Bearer wrong", "Bearer", "sandbox-token2"])
def test_missing_or_wrong_token_is_401(server: SandboxServer, auth: str | None) -> None:
    with _client(server, auth) as c:
        for reply in (create(c), c.get("/checkstatus/K-0001"), c.get("/nowhere")):
            assert reply.status_code == 401
            assert reply.json() == {
                "error": {"code": "unauthorized", "message": "Missing or invalid token."}
            }
    assert server.orders() == []


def test_control_paths_need_no_token(server: SandboxServer) -> None:
    with _client(server, None) as c:
        assert c.get("/_sandbox/health").json() == {"ok": True}


# -- create -------------------------------------------------------------------


def test_create_answers_the_kbank_order_object(client: httpx.Client) -> None:
    reply = create(client)
    assert reply.status_code == 200
    assert reply.headers["content-type"] == "application/json; charset=utf-8"
    order = reply.json()
    assert set(order) == ORDER_KEYS
    assert re.fullmatch(r"order_test_[0-9a-f]{32}", order["id"])
    assert order["object"] == "order"
    assert order["livemode"] is False
    assert order["amount"] == 300.0 and isinstance(order["amount"], float)
    assert Money.from_gateway(order["amount"]) == THB300
    assert order["currency"] == "THB"
    assert order["customer"] is None
    assert order["description"] == "Sale K-0001"
    assert order["metadata"] == {"orderid": "K-0001"}
    assert order["status"] == "success"
    assert re.fullmatch(r"[0-9]+", order["reference_order"])
    assert order["source_type"] == "qr"
    assert order["additional_data"] == {
        "term": None,
        "mid": None,
        "tid": None,
        "smartpay_id": None,
        "campaign_id": None,
    }
    assert order["failure_code"] is None and order["failure_message"] is None
    assert order["expire_time_seconds"] == 600
    created = datetime.strptime(order["created"][:14], "%Y%m%d%H%M%S")
    bangkok_now = datetime.now(UTC).replace(tzinfo=None) + timedelta(hours=7)
    assert abs(created - bangkok_now) < timedelta(minutes=1)
    assert re.fullmatch(r"[0-9]{17}", order["created"])


def test_create_is_idempotent_per_orderid(client: httpx.Client, server: SandboxServer) -> None:
    first = create(client).json()
    second = create(client).json()
    assert second == first
    [summary] = server.orders()
    assert summary["create_calls"] == 2
    assert summary["gateway_order_id"] == first["id"]
    assert summary["amount"] == "300.00"
    assert summary["method"] == "qr"
    assert summary["state"] == "pending"


def test_reference_orders_are_unique(client: httpx.Client) -> None:
    refs = {create(client, f"K-{n}").json()["reference_order"] for n in range(20)}
    assert len(refs) == 20


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"source": "qr", "amount": "300.00"}, "orderid"),
        ({"orderid": "", "amount": "300.00"}, "orderid"),
        ({"orderid": "x" * 65, "amount": "300.00"}, "orderid"),
        ({"orderid": 12, "amount": "300.00"}, "orderid"),
        ({"orderid": "K-1", "source": "qr"}, "amount"),
        ({"orderid": "K-1", "amount": 300.0}, "amount"),
        ({"orderid": "K-1", "amount": "300"}, "amount"),
        ({"orderid": "K-1", "amount": "300.001"}, "amount"),
        ({"orderid": "K-1", "amount": "0.00"}, "amount"),
        ({"orderid": "K-1", "amount": "-1.00"}, "amount"),
        ({"orderid": "K-1", "amount": "300.00", "source": "card"}, "source"),
        ({"orderid": "K-1", "amount": "300.00", "currency": "USD"}, "currency"),
        ({"orderid": "K-1", "amount": "300.00", "description": 5}, "description"),
    ],
)
def test_create_validation_names_the_field(
    client: httpx.Client, server: SandboxServer, body: dict[str, object], field: str
) -> None:
    reply = client.post("/kbank/order", json=body)
    assert reply.status_code == 400
    data = reply.json()
    assert data["object"] == "error"
    assert data["code"] == "invalid_request"
    assert field in data["message"]
    assert server.orders() == []


def test_missing_amount_message_matches_the_vector(client: httpx.Client) -> None:
    reply = client.post("/kbank/order", json={"orderid": "K-1", "source": "qr"})
    assert reply.json() == {
        "object": "error",
        "code": "invalid_request",
        "message": "amount is required",
    }


@pytest.mark.parametrize("content", [b"", b"not json", b"[1, 2]", b"\xff\xfe"])
def test_create_rejects_a_body_that_is_not_a_json_object(
    client: httpx.Client, content: bytes
) -> None:
    reply = client.post("/kbank/order", content=content)
    assert reply.status_code == 400
    assert reply.json()["code"] == "invalid_request"
    assert "body" in reply.json()["message"]


# -- QR -----------------------------------------------------------------------


def test_qrpayment_gives_a_genuine_thai_qr(client: httpx.Client, clock: FakeMonotonic) -> None:
    order = create(client).json()
    clock.advance(100)
    reply = client.post("/qrpayment", json={"orderid": "K-0001", "source": "qr"})
    assert reply.status_code == 200
    body = reply.json()
    assert set(body) == {
        "id",
        "object",
        "order_id",
        "account_name",
        "paint_text",
        "image_with_base64",
        "status",
        "expire_time_seconds",
        "failure_code",
        "failure_message",
    }
    assert body["id"].startswith("qr_test_")
    assert body["object"] == "qr"
    assert body["order_id"] == order["id"]
    assert body["account_name"] == "SANDBOX SHOP"
    assert body["image_with_base64"] is None
    assert body["status"] == "success"
    assert body["expire_time_seconds"] == 500
    qr = thaiqr.check(
        body["paint_text"], order_amount=THB300, expected_payee=SandboxServer.BILLER_ID
    )
    assert qr.kind == "bill_payment"
    assert qr.dynamic
    assert qr.amount == THB300
    assert qr.merchant_name == "SANDBOX SHOP"
    bill = qr.template("30")
    assert bill["01"] == SandboxServer.BILLER_ID
    assert re.fullmatch(r"[0-9A-Z]{20}", bill["02"])
    assert bill["03"] == "SANDBOX"
    assert qr_text(client) == body["paint_text"]  # stable for the order


def test_inline_qr_puts_the_text_in_the_create_answer(
    client: httpx.Client, server: SandboxServer
) -> None:
    server.set_scenario(Scenario(inline_qr=True))
    order = create(client, amount="45.50").json()
    assert set(order) == ORDER_KEYS | {"qr_text"}
    thaiqr.check(order["qr_text"], order_amount=Money(4550), expected_payee=server.BILLER_ID)
    assert order["qr_text"] == qr_text(client)


def test_wechat_gets_a_weixin_url(client: httpx.Client) -> None:
    order = create(client, source="wechat").json()
    assert order["source_type"] == "wechat"
    text = qr_text(client, source="wechat")
    assert re.fullmatch(r"weixin://wxpay/bizpayurl\?pr=SANDBOX[0-9a-f]+", text)
    assert not thaiqr.is_emvco(text)
    source = status(client)["source"]
    assert isinstance(source, dict)
    assert source["brand"] == "WeChatPay" and source["object"] == "source"
    assert str(source["id"]).startswith("src_test_")


def test_qrpayment_source_must_match_the_order(client: httpx.Client) -> None:
    create(client)
    reply = client.post("/qrpayment", json={"orderid": "K-0001", "source": "wechat"})
    assert reply.status_code == 400
    assert "source" in reply.json()["message"]
    reply = client.post("/qrpayment", json={"source": "qr"})
    assert reply.status_code == 400
    assert "orderid" in reply.json()["message"]


@pytest.mark.parametrize(
    ("tamper", "reason"),
    [("qr_crc", "crc"), ("qr_amount", "amount-mismatch"), ("qr_payee", "payee")],
)
def test_qr_tampers_are_caught_by_the_thai_qr_check(
    client: httpx.Client, server: SandboxServer, tamper: str, reason: str
) -> None:
    server.set_scenario(Scenario.from_dict({"tamper": tamper, "inline_qr": True}))
    order = create(client).json()
    assert order["amount"] == 300.0 and order["currency"] == "THB"
    for text in (order["qr_text"], qr_text(client)):
        with pytest.raises(QrRejected) as caught:
            thaiqr.check(text, order_amount=THB300, expected_payee=server.BILLER_ID)
        assert caught.value.reason == reason
    if tamper != "qr_crc":
        thaiqr.parse(qr_text(client))  # a well-formed QR with a valid CRC: only the check saves us


def test_amount_and_currency_tampers_show_in_the_create_answer(
    client: httpx.Client, server: SandboxServer
) -> None:
    server.queue_scenario(Scenario(tamper="amount"))
    server.queue_scenario(Scenario(tamper="currency"))
    first = create(client, "K-1").json()
    second = create(client, "K-2").json()
    assert first["amount"] == 301.0 and first["currency"] == "THB"
    assert second["amount"] == 300.0 and second["currency"] == "USD"
    # The order itself (status, QR) is still for the real amount.
    assert status(client, "K-1")["amount"] == 300.0
    thaiqr.check(qr_text(client, "K-1"), order_amount=THB300)


# -- status -------------------------------------------------------------------


def test_pay_after_n_seconds(
    client: httpx.Client, server: SandboxServer, clock: FakeMonotonic
) -> None:
    server.set_scenario(Scenario(kind="pay", after_s=3.0))
    order = create(client).json()
    created_at = clock()
    body = status(client)
    assert set(body) == CHARGE_KEYS
    assert re.fullmatch(r"chrg_test_[0-9a-f]+", str(body["id"]))
    assert body["object"] == "qr"
    assert body["order_id"] == order["id"]
    assert body["amount"] == 300.0
    assert body["currency"] == "THB"
    assert body["reference_order"] == order["reference_order"]
    assert body["created"] == order["created"]
    assert body["livemode"] is False
    assert body["metadata"] == {"orderid": "K-0001"}
    source = body["source"]
    assert isinstance(source, dict)
    assert source["brand"] == "ThaiQR" and source["object"] == "source"
    assert str(source["id"]).startswith("src_test_")
    assert (body["status"], body["transaction_state"]) == ("success", "Initialize")
    assert server.paid_at_monotonic("K-0001") is None

    clock.advance(2.9)
    assert status(client)["transaction_state"] == "Initialize"
    clock.advance(0.2)
    body = status(client)
    assert (body["status"], body["transaction_state"]) == ("success", "Authorized")
    assert body["failure_code"] is None
    assert server.paid_at_monotonic("K-0001") == pytest.approx(created_at + 3.0)
    clock.advance(1000)  # paid stays paid, never expires
    assert status(client)["transaction_state"] == "Authorized"
    assert server.orders()[0]["state"] == "paid"


def test_decline(client: httpx.Client, server: SandboxServer, clock: FakeMonotonic) -> None:
    server.set_scenario(Scenario(kind="decline", after_s=5))
    create(client)
    clock.advance(5)
    body = status(client)
    assert (body["status"], body["transaction_state"]) == ("fail", "Declined")
    assert body["failure_code"] == "declined"
    assert body["failure_message"] == "Declined by the customer's bank."
    assert server.orders()[0]["state"] == "declined"
    assert server.paid_at_monotonic("K-0001") is None


def test_never_pays_then_expires(
    client: httpx.Client, server: SandboxServer, clock: FakeMonotonic
) -> None:
    server.set_scenario(Scenario(kind="never", expire_s=600))
    assert create(client).json()["expire_time_seconds"] == 600
    clock.advance(599.5)
    assert status(client)["transaction_state"] == "Initialize"
    assert status(client)["failure_code"] is None
    clock.advance(0.5)
    body = status(client)
    assert (body["status"], body["transaction_state"]) == ("fail", "Initialize")
    assert body["failure_code"] == "order_expired"
    assert body["failure_message"] == "QR code expired."
    assert server.orders()[0]["state"] == "expired"
    reply = client.post("/qrpayment", json={"orderid": "K-0001", "source": "qr"})
    assert reply.json()["expire_time_seconds"] == 0


def test_expiry_wins_when_payment_would_come_too_late(
    client: httpx.Client, server: SandboxServer, clock: FakeMonotonic
) -> None:
    server.set_scenario(Scenario(kind="pay", after_s=60, expire_s=30))
    create(client)
    clock.advance(100)
    assert status(client)["failure_code"] == "order_expired"


# -- cancel -------------------------------------------------------------------


def test_cancel_then_late_payment(
    client: httpx.Client, server: SandboxServer, clock: FakeMonotonic
) -> None:
    server.set_scenario(Scenario(kind="never"))
    order = create(client).json()
    reply = client.post("/cancel/K-0001")
    assert reply.status_code == 200
    cancelled = reply.json()
    assert cancelled["status"] == "cancelled"
    assert cancelled["id"] == order["id"]
    assert set(cancelled) == ORDER_KEYS
    body = status(client)
    assert (body["status"], body["transaction_state"]) == ("fail", "Voided")
    assert body["failure_code"] == "order_cancelled"
    assert client.post("/cancel/K-0001").status_code == 200  # cancelling again is harmless

    clock.advance(10)
    server.pay("K-0001")  # the bank raced the cancel
    assert server.orders()[0]["state"] == "paid"
    assert server.paid_at_monotonic("K-0001") == clock()
    assert status(client)["transaction_state"] == "Authorized"


def test_scheduled_payment_does_not_undo_a_cancel(
    client: httpx.Client, server: SandboxServer, clock: FakeMonotonic
) -> None:
    server.set_scenario(Scenario(kind="pay", after_s=3))
    create(client)
    clock.advance(1)
    assert client.post("/cancel/K-0001").status_code == 200
    clock.advance(10)
    assert status(client)["transaction_state"] == "Voided"


def test_cancel_after_paid_is_refused(
    client: httpx.Client, server: SandboxServer, clock: FakeMonotonic
) -> None:
    server.set_scenario(Scenario(kind="pay", after_s=3))
    create(client)
    clock.advance(3)  # paid at t+3 even though nobody asked for the status
    reply = client.post("/cancel/K-0001")
    assert reply.status_code == 400
    assert reply.json() == {"error": {"code": "already_paid", "message": "Order is already paid."}}
    assert server.orders()[0]["state"] == "paid"


# -- not found, wrong method -------------------------------------------------


def test_not_found_envelopes(client: httpx.Client) -> None:
    seed = {"error": {"code": "invalid_order", "message": "Invalid order ID."}}
    reply = client.post("/qrpayment", json={"orderid": "nope", "source": "qr"})
    assert (reply.status_code, reply.json()) == (404, seed)
    reply = client.post("/cancel/nope")
    assert (reply.status_code, reply.json()) == (404, seed)
    reply = client.get("/checkstatus/nope")
    assert reply.status_code == 404
    assert reply.json() == {
        "statusCode": 404,
        "body": {"error": "Order not found", "code": "ORDER_NOT_FOUND", "details": {}},
    }
    reply = client.get("/nowhere")
    assert reply.status_code == 404
    assert set(reply.json()["error"]) == {"code", "message"}
    assert client.get("/_sandbox/nowhere").status_code == 404


def test_wrong_method_is_405(client: httpx.Client) -> None:
    for reply in (
        client.get("/kbank/order"),
        client.post("/checkstatus/K-1"),
        client.delete("/cancel/K-1"),
        client.post("/_sandbox/health"),
    ):
        assert reply.status_code == 405
        assert "error" in reply.json()
        assert "allow" in reply.headers


def test_orderid_in_the_path_is_url_decoded(client: httpx.Client) -> None:
    create(client, "K 1/ä")
    assert status(client, "K%201%2F%C3%A4")["metadata"] == {"orderid": "K 1/ä"}


# -- faults and slowness ------------------------------------------------------


def test_http500_twice_then_ok(client: httpx.Client, server: SandboxServer) -> None:
    server.set_scenario(Scenario(fault="http500", fault_count=2))
    for _ in range(2):
        reply = create(client)
        assert reply.status_code == 500
        assert reply.json() == {
            "error": {"code": "internal_error", "message": "Sandbox internal error."}
        }
    reply = create(client)
    assert reply.status_code == 200
    assert server.orders()[0]["create_calls"] == 3  # the first 500 still made the order
    assert status(client)["transaction_state"] == "Initialize"
    assert client.post("/qrpayment", json={"orderid": "K-0001"}).status_code == 200


def test_fault_always_when_no_count(client: httpx.Client, server: SandboxServer) -> None:
    server.set_scenario(Scenario(fault="http500"))
    create(client)
    for _ in range(3):
        assert client.get("/checkstatus/K-0001").status_code == 500
    assert client.post("/cancel/K-0001").status_code == 500
    assert client.get("/_sandbox/health").status_code == 200  # control paths never fault


def test_garbage_body(client: httpx.Client, server: SandboxServer) -> None:
    server.set_scenario(Scenario(fault="garbage", fault_count=1))
    reply = create(client)
    assert reply.status_code == 200
    assert reply.headers["content-type"].startswith("text/html")
    assert reply.text == "<html>oops"
    with pytest.raises(json.JSONDecodeError):
        reply.json()
    assert create(client).json()["object"] == "order"


def test_faults_count_per_order(client: httpx.Client, server: SandboxServer) -> None:
    server.set_scenario(Scenario(fault="http500", fault_count=1))
    assert create(client, "K-1").status_code == 500
    assert create(client, "K-2").status_code == 500
    assert create(client, "K-1").status_code == 200
    assert create(client, "K-2").status_code == 200


def test_delay_is_applied_and_other_requests_keep_going(
    client: httpx.Client, server: SandboxServer
) -> None:
    server.set_scenario(Scenario(delay_s=0.3))
    started = time.perf_counter()
    reply = create(client)
    assert time.perf_counter() - started >= 0.3
    assert float(reply.headers["x-sandbox-time-ms"]) < 300  # own time, not the delay

    finished: dict[str, float] = {}

    def slow() -> None:
        with _client(server) as other:
            other.get("/checkstatus/K-0001")
        finished["slow"] = time.perf_counter()

    thread = threading.Thread(target=slow)
    thread.start()
    time.sleep(0.05)
    assert client.get("/_sandbox/health").status_code == 200
    finished["health"] = time.perf_counter()
    thread.join(timeout=5)
    assert finished["health"] < finished["slow"]


def test_time_header_on_every_answer(client: httpx.Client, server: SandboxServer) -> None:
    replies = [
        create(client),
        client.get("/checkstatus/K-0001"),
        client.get("/checkstatus/nope"),
        client.get("/nowhere"),
        client.get("/_sandbox/health"),
        client.get("/kbank/order"),
    ]
    with _client(server, None) as anonymous:
        replies.append(anonymous.get("/checkstatus/K-0001"))
    server.set_scenario(Scenario(fault="garbage"))
    replies.append(create(client, "K-2"))
    for reply in replies:
        value = reply.headers["X-Sandbox-Time-Ms"]
        assert re.fullmatch(r"[0-9]+(\.[0-9]+)?", value)
        assert 0 <= float(value) < 5000


# -- scenarios and control ---------------------------------------------------


def test_queued_scenario_is_used_once(
    client: httpx.Client, server: SandboxServer, clock: FakeMonotonic
) -> None:
    server.set_scenario(Scenario(kind="pay", after_s=1))
    server.queue_scenario(Scenario(kind="decline", after_s=1))
    server.queue_scenario(Scenario(kind="never"))
    for n in range(4):
        create(client, f"K-{n}")
    create(client, "K-0")  # a repeated create takes nothing from the queue
    clock.advance(2)
    states = {str(o["orderid"]): o["state"] for o in server.orders()}
    assert states == {"K-0": "declined", "K-1": "pending", "K-2": "paid", "K-3": "paid"}


def test_control_endpoints(
    client: httpx.Client, server: SandboxServer, clock: FakeMonotonic
) -> None:
    assert client.get("/_sandbox/health").json() == {"ok": True}
    assert client.get("/_sandbox/orders").json() == {"orders": []}

    reply = client.post("/_sandbox/scenario", json={"kind": "never", "expire_s": 120})
    assert reply.status_code == 200
    assert client.get("/_sandbox/scenario").json()["scenario"]["kind"] == "never"
    reply = client.post("/_sandbox/next", json={"kind": "pay", "after_s": 0})
    assert reply.status_code == 200

    for n in range(4):
        create(client, f"K-{n}")
    orders = client.get("/_sandbox/orders").json()["orders"]
    assert [o["orderid"] for o in orders] == ["K-0", "K-1", "K-2", "K-3"]
    assert orders[0]["state"] == "paid"  # the queued scenario: paid at once
    assert orders[0]["paid_at_monotonic"] == clock()
    assert {o["state"] for o in orders[1:]} == {"pending"}
    assert set(orders[1]) == {
        "orderid",
        "gateway_order_id",
        "amount",
        "method",
        "state",
        "create_calls",
        "paid_at_monotonic",
    }

    reply = client.post("/_sandbox/orders/K-1/pay")
    assert reply.status_code == 200
    assert reply.json()["order"]["state"] == "paid"
    assert client.post("/_sandbox/orders/K-2/decline").json()["order"]["state"] == "declined"
    assert client.post("/_sandbox/orders/K-3/expire").json()["order"]["state"] == "expired"
    assert status(client, "K-1")["transaction_state"] == "Authorized"
    assert status(client, "K-2")["transaction_state"] == "Declined"
    assert status(client, "K-3")["failure_code"] == "order_expired"
    # decline/expire leave a final state alone; pay always lands (late payment)
    assert client.post("/_sandbox/orders/K-1/decline").json()["order"]["state"] == "paid"
    assert client.post("/_sandbox/orders/K-3/pay").json()["order"]["state"] == "paid"

    reply = client.post("/_sandbox/orders/nope/pay")
    assert reply.status_code == 404
    assert reply.json()["error"]["code"] == "invalid_order"
    with pytest.raises(KeyError):
        server.pay("nope")


@pytest.mark.parametrize(
    ("body", "key"),
    [
        ({"kind": "maybe"}, "kind"),
        ({"after_s": -1}, "after_s"),
        ({"after_s": "3"}, "after_s"),
        ({"expire_s": 0}, "expire_s"),
        ({"expire_s": 1.5}, "expire_s"),
        ({"delay_s": True}, "delay_s"),
        ({"fault": "boom"}, "fault"),
        ({"fault_count": -1}, "fault_count"),
        ({"inline_qr": "yes"}, "inline_qr"),
        ({"tamper": "everything"}, "tamper"),
        ({"colour": "red"}, "colour"),
    ],
)
def test_bad_scenarios_name_the_key(
    client: httpx.Client, server: SandboxServer, body: dict[str, object], key: str
) -> None:
    with pytest.raises(ValueError, match=key):
        Scenario.from_dict(body)
    for path in ("/_sandbox/scenario", "/_sandbox/next"):
        reply = client.post(path, json=body)
        assert reply.status_code == 400
        assert key in reply.json()["error"]["message"]
    assert client.post("/_sandbox/scenario", content=b"[]").status_code == 400


def test_scenario_from_dict_round_trip() -> None:
    scenario = Scenario(
        kind="decline",
        after_s=1.5,
        expire_s=30,
        delay_s=0.1,
        fault="garbage",
        fault_count=2,
        inline_qr=True,
        tamper="qr_payee",
    )
    assert Scenario.from_dict(scenario.to_dict()) == scenario
    assert Scenario.from_dict({}) == Scenario()


# -- lifecycle ----------------------------------------------------------------


def test_two_servers_at_once() -> None:
    with (
        SandboxServer().start() as one,
        SandboxServer(token="other-token", scenario=Scenario(kind="never")).start() as two,
    ):
        assert one.base_url != two.base_url
        assert re.fullmatch(r"http://127\.0\.0\.1:[0-9]+", one.base_url)
        with _client(one) as a, _client(two, "Bearer other-token") as b:
            assert create(a, "A-1").status_code == 200
            assert create(b, "B-1").status_code == 200
        with _client(two) as wrong_token:
            assert wrong_token.post("/kbank/order", json={}).status_code == 401
        assert [o["orderid"] for o in one.orders()] == ["A-1"]
        assert [o["orderid"] for o in two.orders()] == ["B-1"]


def test_stop_is_idempotent_and_really_stops() -> None:
    srv = SandboxServer().start()
    assert srv.start() is srv  # starting twice is harmless
    url = srv.base_url
    with _client(srv) as c:
        assert c.get("/_sandbox/health").status_code == 200
    srv.stop()
    srv.stop()
    with httpx.Client(timeout=2.0, trust_env=False) as c, pytest.raises(httpx.ConnectError):
        c.get(url + "/_sandbox/health")


def test_base_url_needs_a_started_server() -> None:
    with pytest.raises(RuntimeError):
        _ = SandboxServer().base_url
