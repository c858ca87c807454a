"""The villa adapter against httpx.MockTransport: wire format, envelopes, faults."""

from __future__ import annotations

import base64
import json
import logging

import httpx
import pytest

from kiosk.domain.errors import (
    AuthError,
    BadGatewayResponse,
    ConfigError,
    GatewayRejected,
    GatewayTimeout,
    GatewayUnavailable,
)
from kiosk.domain.money import Money
from kiosk.domain.order import Method
from kiosk.gateways.base import OrderRef, PaymentState
from kiosk.gateways.villa import MAX_BODY_BYTES, VillaGateway
from kiosk.infra.config import PathsSettings
from tests.conftest import data_json
from tests.fakes import CountingToken, order_body, run, status_body, villa

REF = OrderRef("S001-T01-20261124-0001", "order_test_1", Method.QR)
ERRORS = data_json("vectors", "villa", "errors.json")


def create(gw: VillaGateway, amount: Money = Money(30000), method: Method = Method.QR):  # type: ignore[no-untyped-def]
    return run(
        gw.create_order(
            kiosk_order_id=REF.kiosk_order_id, amount=amount, method=method, description="d"
        )
    )


@pytest.mark.parametrize(("style", "header"), [("raw", "tok-1"), ("bearer", "Bearer tok-1")])
def test_create_sends_the_contract(style: str, header: str) -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=order_body())

    created = create(villa(handler, auth_header=style), method=Method.WECHAT)
    request = seen[0]
    assert request.method == "POST"
    assert str(request.url) == "https://villa.example/api/kbank/order"
    assert request.headers["Authorization"] == header
    assert json.loads(request.content) == {
        "orderid": REF.kiosk_order_id,
        "source": "wechat",
        "amount": "300.00",
        "currency": "THB",
        "description": "d",
    }
    assert created.gateway_order_id == "order_test_222110adff3affb5844c497fa9c22366b5bc6"
    assert created.amount == Money(30000) and created.currency == "THB"
    assert created.expire_time_s == 3600
    assert created.reference_order == "4925000046321748613417.737979"
    assert created.qr is None


def test_every_path_is_a_setting() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(f"{request.method} {request.url.path}")
        if "status" in request.url.path:
            return httpx.Response(200, json=status_body())
        return httpx.Response(200, json=order_body(paint_text="x"))

    paths = PathsSettings(
        create_order="/qrpayment",
        qr="/qr2",
        status="/status/{gateway_order_id}/{orderid}",
        cancel="/x/{orderid}/cancel",
    )
    gw = villa(handler, paths=paths)
    create(gw)
    run(gw.get_qr(REF))
    run(gw.check_status(REF))
    run(gw.cancel(REF))
    assert seen == [
        "POST /api/qrpayment",
        "POST /api/qr2",
        f"GET /api/status/order_test_1/{REF.kiosk_order_id}",
        f"POST /api/x/{REF.kiosk_order_id}/cancel",
    ]


def test_create_reads_an_inline_qr_text_or_image() -> None:
    png = b"\x89PNG\r\n\x1a\nfake"
    text = create(villa(lambda r: httpx.Response(200, json=order_body(qr_text=" 000201x "))))
    assert text.qr is not None and text.qr.text == "000201x"
    image = create(
        villa(
            lambda r: httpx.Response(
                200,
                json=order_body(
                    image_with_base64="data:image/png;base64," + base64.b64encode(png).decode()
                ),
            )
        )
    )
    assert image.qr is not None and image.qr.image_png == png and image.qr.text is None


def test_bad_base64_image_is_a_bad_answer() -> None:
    gw = villa(lambda r: httpx.Response(200, json=order_body(image_with_base64="@@@")))
    with pytest.raises(BadGatewayResponse):
        create(gw)


def test_get_qr_prefers_paint_text_and_needs_something() -> None:
    gw = villa(lambda r: httpx.Response(200, json={"id": "qr_9", "paint_text": "000201abc"}))
    qr = run(gw.get_qr(REF))
    assert (qr.text, qr.qr_id) == ("000201abc", "qr_9")
    empty = villa(lambda r: httpx.Response(200, json={"id": "qr_9"}))
    with pytest.raises(BadGatewayResponse, match="neither"):
        run(empty.get_qr(REF))


def test_create_with_unsuccessful_status_is_rejected() -> None:
    gw = villa(
        lambda r: httpx.Response(
            200, json=order_body(status="fail", failure_code="limit", failure_message="Too big")
        )
    )
    with pytest.raises(GatewayRejected) as info:
        create(gw)
    assert info.value.code == "limit"


@pytest.mark.parametrize(
    ("body", "state"),
    [
        (status_body(), PaymentState.PAID),
        (status_body(transaction_state="Settled"), PaymentState.PAID),
        (status_body(transaction_state="Initialize"), PaymentState.PENDING),
        (status_body(transaction_state="Pre-Authorized"), PaymentState.PENDING),
        (status_body(status="fail", transaction_state="Declined"), PaymentState.DECLINED),
        (status_body(status="fail", transaction_state="Voided"), PaymentState.CANCELLED),
        (
            status_body(
                status="fail", transaction_state="Initialize", failure_code="order_expired"
            ),
            PaymentState.EXPIRED,
        ),
        (status_body(status="pending", transaction_state="Authorized"), PaymentState.PENDING),
    ],
)
def test_status_mapping(body: dict[str, object], state: PaymentState) -> None:
    report = run(villa(lambda r: httpx.Response(200, json=body)).check_status(REF))
    assert report.state is state
    assert report.charge_id == "chrg_test_0001"


def test_unknown_transaction_state_is_pending_and_logged_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    gw = villa(lambda r: httpx.Response(200, json=status_body(transaction_state="Martian")))
    with caplog.at_level(logging.WARNING, logger="kiosk.gateway.villa"):
        for _ in range(3):
            assert run(gw.check_status(REF)).state is PaymentState.PENDING
    assert [r.getMessage() for r in caplog.records].count(
        "unknown transaction_state 'Martian' (status 'success'): not paid yet"
    ) == 1


def test_status_404_means_not_found() -> None:
    gw = villa(lambda r: httpx.Response(404, json=ERRORS["older_villa_envelope"]))
    report = run(gw.check_status(REF))
    assert report.state is PaymentState.NOT_FOUND
    assert report.failure_code == "ORDER_NOT_FOUND"


@pytest.mark.parametrize(
    ("status", "body", "code"),
    [
        (400, ERRORS["seed_envelope"], "invalid_order"),
        (400, ERRORS["older_villa_envelope"], "ORDER_NOT_FOUND"),
        (400, ERRORS["kbank_envelope"], "invalid_request"),
        (200, ERRORS["kbank_envelope"], "invalid_request"),
        (200, ERRORS["seed_envelope"], "invalid_order"),
        (404, {"message": "no envelope"}, "http_404"),
        (409, {"error": {"message": "no code"}}, "error"),
        (400, {"object": "error"}, "error"),
        (400, {"statusCode": 400, "body": {"error": "x"}}, "http_400"),
    ],
)
def test_every_error_envelope_is_read(status: int, body: object, code: str) -> None:
    with pytest.raises(GatewayRejected) as info:
        create(villa(lambda r: httpx.Response(status, json=body)))
    assert info.value.code == code
    assert info.value.status == status


def test_401_refreshes_the_token_once_then_retries() -> None:
    tokens = CountingToken("old", "new")
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["Authorization"])
        if request.headers["Authorization"] == "old":
            return httpx.Response(401, json={"message": "Unauthorized"})
        return httpx.Response(200, json=order_body())

    create(villa(handler, tokens=tokens))
    assert seen == ["old", "new"] and tokens.refreshes == 1


@pytest.mark.parametrize("status", [401, 403])
def test_refused_token_is_an_auth_error(status: int) -> None:
    tokens = CountingToken("t")
    with pytest.raises(AuthError) as info:
        create(villa(lambda r: httpx.Response(status, json=ERRORS["seed_envelope"]), tokens=tokens))
    assert info.value.status == status
    assert tokens.refreshes == (1 if status == 401 else 0)
    assert "t" not in str(info.value).split()  # the token is not in the message


@pytest.mark.parametrize("status", [500, 502, 503])
def test_server_errors_mean_unavailable(status: int) -> None:
    with pytest.raises(GatewayUnavailable) as info:
        create(villa(lambda r: httpx.Response(status, text="Bad Gateway")))
    assert info.value.status == status


def test_429_carries_retry_after() -> None:
    gw = villa(lambda r: httpx.Response(429, headers={"Retry-After": "7"}, json={}))
    with pytest.raises(GatewayUnavailable) as info:
        create(gw)
    assert info.value.retry_after == 7.0
    odd = villa(lambda r: httpx.Response(429, headers={"Retry-After": "soon"}, json={}))
    with pytest.raises(GatewayUnavailable) as info:
        create(odd)
    assert info.value.retry_after is None


@pytest.mark.parametrize(
    "response",
    [
        httpx.Response(200, text="<html>oops"),
        httpx.Response(200, json=[1, 2]),
        httpx.Response(200, content=b""),
        httpx.Response(200, content=b"\xff\xfe\x00garbage"),
        httpx.Response(302, headers={"Location": "https://elsewhere"}),
        httpx.Response(200, json={"object": "order"}),  # no id
    ],
    ids=["html", "list", "empty", "binary", "redirect", "no-id"],
)
def test_unreadable_answers(response: httpx.Response) -> None:
    with pytest.raises(BadGatewayResponse):
        create(villa(lambda r: response))


def test_oversized_body_is_refused() -> None:
    big = b'{"id": "' + b"x" * (MAX_BODY_BYTES + 10) + b'"}'
    with pytest.raises(BadGatewayResponse, match="larger than"):
        create(villa(lambda r: httpx.Response(200, content=big)))


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (httpx.ReadTimeout("slow"), GatewayTimeout),
        (httpx.ConnectTimeout("slow"), GatewayTimeout),
        (httpx.ConnectError("refused"), GatewayUnavailable),
        (httpx.RemoteProtocolError("reset"), GatewayUnavailable),
    ],
)
def test_transport_faults(exc: Exception, expected: type[Exception]) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc

    with pytest.raises(expected):
        create(villa(handler))


def test_cancel_needs_a_configured_path() -> None:
    gw = villa(lambda r: httpx.Response(200, json={}))
    assert not gw.can_cancel
    with pytest.raises(GatewayRejected) as info:
        run(gw.cancel(REF))
    assert info.value.code == "unsupported"


@pytest.mark.parametrize(
    "url",
    ["http://villa.example/api", "ftp://villa.example", "villa.example", "http://10.0.0.5/api"],
)
def test_plain_http_only_for_loopback(url: str) -> None:
    with pytest.raises(ConfigError):
        VillaGateway(base_url=url, client=httpx.AsyncClient(), tokens=CountingToken("t"))


def test_loopback_http_and_https_are_fine() -> None:
    for url in ("http://127.0.0.1:8080", "http://localhost:1", "https://shop.example/api"):
        VillaGateway(base_url=url, client=httpx.AsyncClient(), tokens=CountingToken("t"))
    with pytest.raises(ConfigError):
        VillaGateway(
            base_url="https://x.example",
            client=httpx.AsyncClient(),
            tokens=CountingToken("t"),
            auth_header="basic",
        )


def test_create_reads_kbank_mid_and_tid_for_the_slip_and_drops_odd_ones() -> None:
    body = order_body()
    body["additional_data"] = {"term": None, "mid": "401016061365001", "tid": 70000921}
    given = create(villa(lambda r: httpx.Response(200, json=body)))
    assert given.merchant_ids == (("mid", "401016061365001"), ("tid", "70000921"))
    body["additional_data"] = {"mid": "<b>\u202e", "tid": None}
    odd = create(villa(lambda r: httpx.Response(200, json=body)))
    assert odd.merchant_ids == ()
    assert create(villa(lambda r: httpx.Response(200, json=order_body()))).merchant_ids == ()
