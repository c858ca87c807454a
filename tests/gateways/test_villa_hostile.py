"""The villa adapter against a hostile server: every answer ends in clean data or a GatewayError.

Each attack of issue 12 that reaches the adapter is one test here (on
httpx.MockTransport, and a few over a real 127.0.0.1 socket): the adapter
returns a clean, bounded, typed result or raises a GatewayError subclass,
never anything else, and the token it sent is in no result, error or log line.
"""

from __future__ import annotations

import base64
import gzip
import json
import logging
import threading
import unicodedata
from collections.abc import Callable, Coroutine, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar, TypeVar

import httpx
import pytest

from kiosk.domain.errors import (
    AuthError,
    BadGatewayResponse,
    GatewayError,
    GatewayRejected,
    GatewayUnavailable,
)
from kiosk.domain.money import Money
from kiosk.domain.order import Method
from kiosk.gateways.answers import (
    MAX_DEPTH,
    MAX_QR_IMAGE_BYTES,
    MAX_QR_TEXT,
    json_depth,
    parse_json,
)
from kiosk.gateways.base import CreatedOrder, OrderRef, PaymentState, QrContent, StatusReport
from kiosk.gateways.tokens import StaticToken
from kiosk.gateways.villa import VillaGateway
from kiosk.infra.config import PathsSettings
from tests.fakes import CountingToken, order_body, run, status_body, villa

T = TypeVar("T")
REF = OrderRef("S001-T01-20261124-0001", "order_test_1", Method.QR)
# Not JWT-shaped: only the adapter knows it is a secret (the log filter's patterns miss it).
TOKEN = "villa-id-token-5f2a9c81d7e4"
JWT = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJraW9zay0xIiwiZXhwIjoxfQ.c2lnbmF0dXJlLXNpZ25hdHVyZQ"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
BIDI = "\u202e"
CONTROLS = "\x00\x07\x1b[31m\x85"


def outcome(coro: Coroutine[Any, Any, T]) -> T | GatewayError:
    """The call's result or its GatewayError; anything else fails the test (by raising)."""
    try:
        return run(coro)
    except GatewayError as exc:
        return exc


def create(gw: VillaGateway) -> CreatedOrder | GatewayError:
    return outcome(
        gw.create_order(
            kiosk_order_id=REF.kiosk_order_id,
            amount=Money(30000),
            method=Method.QR,
            description="d",
        )
    )


def hostile(
    body: object = None, *, status: int = 200, raw: bytes | None = None, **kw: Any
) -> VillaGateway:
    """A gateway whose server answers every call with ``body`` (JSON) or ``raw`` bytes."""

    def handler(request: httpx.Request) -> httpx.Response:
        if raw is not None:
            return httpx.Response(status, content=raw)
        return httpx.Response(status, json=body)

    return villa(handler, tokens=kw.pop("tokens", CountingToken(TOKEN)), **kw)


def assert_clean(text: str | None) -> None:
    """Text the kiosk may journal, log and show: no controls, no bidi, bounded, no secret."""
    if text is None:
        return
    assert len(text) <= 200
    assert not any(unicodedata.category(ch) in ("Cc", "Cs") for ch in text), repr(text)
    assert not any(0x202A <= ord(ch) <= 0x202E or 0x2066 <= ord(ch) <= 0x2069 for ch in text)
    text.encode("utf-8")
    for secret in (TOKEN, JWT):
        assert secret[:12] not in text, text


def report_texts(report: StatusReport) -> list[str | None]:
    return [
        report.charge_id,
        report.gateway_order_id,
        report.transaction_state,
        report.failure_code,
        report.failure_message,
        report.kiosk_order_id,
        report.currency,
        *(value for _, value in report.raw),
    ]


def error_texts(exc: GatewayError) -> list[str | None]:
    return [str(exc), exc.detail, exc.code, exc.failure_code]


def nested(depth: int) -> bytes:
    """A create answer whose ignored field nests ``depth`` deep (the answer itself is 1 deep)."""
    inner = "[" * (depth - 1) + "]" * (depth - 1)
    return json.dumps(order_body()).encode()[:-1] + b', "additional_data": ' + inner.encode() + b"}"


# --- 1. bounded parsing


@pytest.mark.parametrize("depth", [10_000, 100_000])
def test_deep_nesting_is_a_bad_answer(depth: int) -> None:
    for call in (
        create,
        lambda gw: outcome(gw.check_status(REF)),
        lambda gw: outcome(gw.get_qr(REF)),
    ):
        result = call(hostile(raw=b"[" * depth + b"]" * depth))
        assert isinstance(result, BadGatewayResponse), result
        assert "nested deeper" in str(result)


def test_deep_nesting_in_an_error_answer_is_still_a_rejection() -> None:
    result = create(hostile(raw=b'{"error": ' + b"[" * 10_000 + b"]" * 10_000 + b"}", status=400))
    assert isinstance(result, GatewayRejected) and result.code == "http_400"


def test_nesting_up_to_the_cap_is_read() -> None:
    assert isinstance(create(hostile(raw=nested(MAX_DEPTH))), CreatedOrder)
    assert isinstance(create(hostile(raw=nested(MAX_DEPTH + 1))), BadGatewayResponse)


@pytest.mark.parametrize(
    ("text", "depth"),
    [
        ('{"a": "[[[[{{{{"}', 1),  # brackets in strings do not count
        ('["\\"[[[", [1]]', 2),  # nor after an escaped quote
        ('"unterminated [[[[', 0),
        ('{"a": [{"b": []}]}', 4),
        ("", 0),
    ],
)
def test_json_depth_skips_strings(text: str, depth: int) -> None:
    assert json_depth(text) == depth


@pytest.mark.parametrize(
    "raw",
    [
        b'{"id": "order_1", "amount": ' + b"9" * 5_000 + b"}",
        b'{"id": "order_1", "amount": 300.0, "x": -' + b"9" * 5_000 + b"}",
        b'{"id": "order_1", "amount": 1' + b"0" * 400 + b".5}",
        b'{"id": "order_1", "amount": 1e400}',
        b'{"id": "order_1", "amount": NaN}',
        b'{"id": "order_1", "amount": Infinity}',
        b'{"id": "order_1", "amount": -Infinity}',
        b'{"id": "order_1", "expire_time_seconds": ' + b"1" * 5_000 + b"}",
    ],
    ids=[
        "int-5000",
        "negative-int",
        "long-float",
        "float-overflow",
        "nan",
        "inf",
        "-inf",
        "expiry",
    ],
)
def test_huge_and_non_finite_numbers_are_a_bad_answer(raw: bytes) -> None:
    for call in (create, lambda gw: outcome(gw.check_status(REF))):
        result = call(hostile(raw=raw))
        assert isinstance(result, BadGatewayResponse), result


@pytest.mark.parametrize(
    "raw",
    [
        b'{"id": "order_\xff\xfe"}',
        json.dumps(order_body()).encode("utf-16"),
        b"\xef\xbb\xbf\xef\xbb\xbf{}",
    ],
    ids=["latin-1", "utf-16", "double-bom"],
)
def test_non_utf8_is_a_bad_answer(raw: bytes) -> None:
    result = create(hostile(raw=raw))
    assert isinstance(result, BadGatewayResponse) and "in the answer" in str(result)


def test_parse_json_reads_ordinary_json_exactly() -> None:
    value = parse_json(b'\xef\xbb\xbf{"a": [1, 2.5, -3, true, null, "\\u0e01"]}')
    assert value == {"a": [1, 2.5, -3, True, None, "ก"]}


def test_an_unforeseen_error_in_the_mapping_is_a_bad_answer(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def boom(value: object) -> Money | None:
        raise RuntimeError(f"cannot read {value} {TOKEN}")

    monkeypatch.setattr(Money, "from_gateway", staticmethod(boom))
    with caplog.at_level(logging.WARNING, logger="kiosk.gateway.villa"):
        created = create(hostile(order_body()))
        status = outcome(hostile(status_body()).check_status(REF))
    for result in (created, status):
        assert isinstance(result, BadGatewayResponse) and "RuntimeError" in str(result)
    assert any("RuntimeError" in r.getMessage() for r in caplog.records)
    assert all(TOKEN not in r.getMessage() for r in caplog.records)


def test_undecodable_content_encoding_is_a_bad_answer() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=b"not gzip at all", headers={"Content-Encoding": "gzip"})

    assert isinstance(create(villa(handler)), BadGatewayResponse)


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e999", "9" * 5_000, "soon", "-5"])
def test_odd_numeric_headers_never_crash(value: str) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        headers = {"Retry-After": value, "X-Sandbox-Time-Ms": value}
        return httpx.Response(
            503 if "status" in request.url.path else 200, headers=headers, json=order_body()
        )

    gw = villa(handler)
    assert isinstance(create(gw), CreatedOrder)
    assert gw.last_server_ms is None or gw.last_server_ms == -5.0
    result = outcome(gw.check_status(REF))
    assert isinstance(result, GatewayUnavailable)
    assert result.retry_after is None or result.retry_after == 0.0


# --- 2. expire_time_seconds


@pytest.mark.parametrize(
    "expiry", [10**12, -100, 0, True, False, 600.0, 600.5, "600", 86_401, [600], {"s": 1}]
)
def test_an_insane_expiry_is_ignored_with_a_warning(
    expiry: object, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="kiosk.gateway.villa"):
        created = create(hostile(order_body(expire_time_seconds=expiry)))
    assert isinstance(created, CreatedOrder)
    assert created.expire_time_s is None  # the kiosk's own checkout timeout applies
    assert any("expire_time_seconds" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("expiry", [1, 600, 86_400])
def test_a_sane_expiry_is_kept(expiry: int, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="kiosk.gateway.villa"):
        created = create(hostile(order_body(expire_time_seconds=expiry)))
    assert isinstance(created, CreatedOrder) and created.expire_time_s == expiry
    assert not caplog.records


def test_no_expiry_is_no_warning(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="kiosk.gateway.villa"):
        created = create(hostile(order_body(expire_time_seconds=None)))
    assert isinstance(created, CreatedOrder) and created.expire_time_s is None
    assert not caplog.records


# --- 3. gateway ids

BAD_IDS = [
    "order\x00_1",
    "order_1\n",
    "order_" + BIDI + "1",
    "order 1",
    "order/../1",
    "x" * 65,
    "ออเดอร์",
    42,
    ["order_1"],
    {"id": "order_1"},
    True,
]


@pytest.mark.parametrize("bad", BAD_IDS, ids=repr)
@pytest.mark.parametrize("field", ["id", "reference_order", "metadata.orderid"])
def test_a_bad_id_in_the_create_answer_is_a_bad_answer(field: str, bad: object) -> None:
    body = order_body(
        **({"metadata": {"orderid": bad}} if field == "metadata.orderid" else {field: bad})
    )
    result = create(hostile(body))
    assert isinstance(result, BadGatewayResponse), result
    assert field in str(result)
    assert_clean(str(result))


@pytest.mark.parametrize("bad", BAD_IDS, ids=repr)
@pytest.mark.parametrize("field", ["id", "order_id"])
def test_a_bad_id_in_the_qr_answer_is_a_bad_answer(field: str, bad: object) -> None:
    body = {"id": "qr_1", "order_id": "order_1", "paint_text": "000201x", field: bad}
    result = outcome(hostile(body).get_qr(REF))
    assert isinstance(result, BadGatewayResponse) and field in str(result)


@pytest.mark.parametrize("bad", BAD_IDS, ids=repr)
@pytest.mark.parametrize("field", ["id", "order_id", "reference_order", "metadata.orderid"])
def test_a_bad_id_makes_a_status_answer_unusable(field: str, bad: object) -> None:
    body = status_body(
        **({"metadata": {"orderid": bad}} if field == "metadata.orderid" else {field: bad})
    )
    result = outcome(hostile(body).check_status(REF))
    assert isinstance(result, BadGatewayResponse) and field in str(result)  # never a PAID report


def test_ids_up_to_64_characters_are_kept() -> None:
    longest = "o" * 64
    body = status_body(
        id=longest, order_id="order_test.1:a-b", metadata={"orderid": REF.kiosk_order_id}
    )
    report = outcome(hostile(body).check_status(REF))
    assert isinstance(report, StatusReport) and report.state is PaymentState.PAID
    assert (report.charge_id, report.gateway_order_id) == (longest, "order_test.1:a-b")
    assert report.kiosk_order_id == REF.kiosk_order_id
    assert ("reference_order", "4925000046321748613417.737979") in report.raw


def test_absent_or_null_ids_are_none() -> None:
    body = status_body(id=None, reference_order="", metadata=None)
    del body["order_id"]
    report = outcome(hostile(body).check_status(REF))
    assert isinstance(report, StatusReport)
    assert (report.charge_id, report.gateway_order_id, report.kiosk_order_id) == (None, None, None)


# --- 4. text from outside: cleaned, and no token


def test_messages_lose_controls_and_bidi_but_keep_thai() -> None:
    body = status_body(
        status="fail",
        transaction_state="Declined" + CONTROLS,
        failure_code="de" + BIDI + "clined\n",
        failure_message="ธนาคาร\u2066ปฏิเสธ\x1b[2J\r\nline two" + "!" * 400,
        currency="TH" + CONTROLS + "B",
    )
    report = outcome(hostile(body).check_status(REF))
    assert isinstance(report, StatusReport)
    for text in report_texts(report):
        assert_clean(text)
    assert report.failure_message is not None
    assert report.failure_message.startswith("ธนาคารปฏิเสธ[2J line two!")
    assert report.failure_message.endswith("…")
    assert report.failure_code == "declined"
    assert report.currency == "TH[31m B"  # NEL is a line break: a space


def test_a_state_is_decided_on_its_exact_value() -> None:
    """Cleaning may make "Authorized\\u202e" read "Authorized"; it is still not a paid state."""
    for tstate in ("Authorized" + BIDI, "Author\x00ized", " Authorized"):
        report = outcome(hostile(status_body(transaction_state=tstate)).check_status(REF))
        assert isinstance(report, StatusReport) and report.state is PaymentState.PENDING
        assert_clean(report.transaction_state)


@pytest.mark.parametrize("style", ["raw", "bearer"])
@pytest.mark.parametrize("status", [200, 400, 401, 403, 404, 409, 429, 500])
@pytest.mark.parametrize(
    "envelope",
    [
        lambda t: {"error": {"code": f"bad_{t}", "message": f"Invalid token {t} for order"}},
        lambda t: {
            "statusCode": 400,
            "body": {"error": f"Bad token: {t}", "code": t, "details": f"got {t}"},
        },
        lambda t: {
            "object": "error",
            "code": "invalid_token",
            "message": f"Authorization: Bearer {t}",
        },
    ],
    ids=["seed", "older-villa", "kbank"],
)
@pytest.mark.parametrize("token", [TOKEN, JWT], ids=["plain-token", "jwt"])
def test_a_token_echoed_in_an_error_envelope_reaches_nothing(
    token: str,
    envelope: Callable[[str], object],
    status: int,
    style: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    body = envelope(token)
    with caplog.at_level(logging.DEBUG, logger="kiosk"):
        results = [
            create(hostile(body, status=status, tokens=CountingToken(token), auth_header=style)),
            outcome(
                hostile(
                    body, status=status, tokens=CountingToken(token), auth_header=style
                ).check_status(REF)
            ),
        ]
    for result in results:
        assert isinstance(result, (GatewayError, StatusReport)), result
        texts = error_texts(result) if isinstance(result, GatewayError) else report_texts(result)
        for text in texts:
            assert_clean(text)
            assert token not in (text or "")
    assert isinstance(results[0], GatewayError)
    for record in caplog.records:
        assert token[:12] not in record.getMessage()


def test_a_token_echoed_in_a_decline_message_reaches_nothing(
    caplog: pytest.LogCaptureFixture,
) -> None:
    message = f"Declined: token {TOKEN} {JWT} {CONTROLS}"
    with caplog.at_level(logging.DEBUG, logger="kiosk"):
        report = outcome(
            hostile(
                status_body(
                    status="fail",
                    transaction_state="Declined",
                    failure_code=TOKEN,
                    failure_message=message,
                )
            ).check_status(REF)
        )
        rejected = create(
            hostile(order_body(status="fail", failure_code=JWT, failure_message=message))
        )
        unknown = outcome(
            hostile(status_body(transaction_state=f"Weird {TOKEN}", status=TOKEN)).check_status(REF)
        )
    assert isinstance(report, StatusReport) and report.state is PaymentState.DECLINED
    assert isinstance(unknown, StatusReport) and unknown.state is PaymentState.PENDING
    assert isinstance(rejected, GatewayRejected)
    assert report.failure_message == "Declined: token *** *** [31m"
    for text in [*report_texts(report), *report_texts(unknown), *error_texts(rejected)]:
        assert_clean(text)
    messages = [r.getMessage() for r in caplog.records]
    assert any("Weird ***" in m for m in messages)  # the unknown state was logged, scrubbed
    assert all(TOKEN not in m and JWT[:12] not in m for m in messages)


def test_no_piece_of_a_long_token_survives_the_cut() -> None:
    """The text is cut at 200 characters after the token is taken out, not before."""
    token = "T" * 40 + "-" + "k" * 300  # longer than the text limit, not JWT-shaped
    for prefix in ("", "x" * 150 + " "):
        body = status_body(
            status="fail", transaction_state="Declined", failure_message=prefix + token
        )
        report = outcome(
            villa(
                lambda r, b=body: httpx.Response(200, json=b), tokens=CountingToken(token)
            ).check_status(REF)
        )
        assert isinstance(report, StatusReport) and report.failure_message is not None
        assert "TTTT" not in report.failure_message and "kkkk" not in report.failure_message
    jwt_body = status_body(failure_message="y" * 150 + " " + JWT + JWT[20:] * 5)
    report = outcome(hostile(jwt_body).check_status(REF))
    assert isinstance(report, StatusReport) and JWT[:12] not in (report.failure_message or "")


def test_a_token_split_by_control_characters_is_still_found() -> None:
    split = TOKEN[:10] + "\x00\u202e" + TOKEN[10:]
    report = outcome(hostile(status_body(failure_message=f"tok {split}")).check_status(REF))
    assert isinstance(report, StatusReport) and report.failure_message == "tok ***"


def test_a_refreshed_token_echoed_after_401_reaches_nothing() -> None:
    tokens = CountingToken("old-token-value", "new-token-value")

    def handler(request: httpx.Request) -> httpx.Response:
        seen = request.headers["Authorization"]
        return httpx.Response(
            401, json={"error": {"code": "expired", "message": f"{seen} and old-token-value"}}
        )

    result = create(villa(handler, tokens=tokens))
    assert isinstance(result, AuthError) and tokens.refreshes == 1
    assert "token-value" not in str(result)


def test_lone_surrogates_never_reach_the_journal() -> None:
    body = b'{"id": "chrg_1", "transaction_state": "Declined", "failure_message": "a\\ud800b"}'
    report = outcome(hostile(raw=body).check_status(REF))
    assert isinstance(report, StatusReport) and report.failure_message == "a?b"


def test_invented_states_are_logged_a_bounded_number_of_times(
    caplog: pytest.LogCaptureFixture,
) -> None:
    count = iter(range(1_000))
    gw = villa(lambda r: httpx.Response(200, json=status_body(transaction_state=f"S{next(count)}")))
    with caplog.at_level(logging.WARNING, logger="kiosk.gateway.villa"):
        for _ in range(100):
            assert run(gw.check_status(REF)).state is PaymentState.PENDING
    assert 1 <= len(caplog.records) <= 32


# --- 5. the QR answer


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


@pytest.mark.parametrize(
    "image",
    [
        "@@@not base64@@@",
        "data:image/png;base64,@@@",
        "iVBORw0KGgo=\n",  # a line break: strict base64 only
        "ก" * 8,
        b64(b"\xff\xd8\xff\xe0JFIF"),  # a JPEG
        b64(b"GIF89a"),
        b64(b"<svg onload=alert(1)>"),
        "data:image/png;base64," + b64(b"%PDF-1.4"),
        b64(PNG + b"\x00" * MAX_QR_IMAGE_BYTES),  # decoded, just over the cap
    ],
    ids=[
        "garbage",
        "data-url-garbage",
        "newline",
        "thai",
        "jpeg",
        "gif",
        "svg",
        "pdf",
        "oversized",
    ],
)
def test_a_bad_qr_image_is_a_bad_answer(image: str) -> None:
    result = outcome(hostile({"id": "qr_1", "image_with_base64": image}).get_qr(REF))
    assert isinstance(result, BadGatewayResponse), result
    inline = create(hostile(order_body(image_with_base64=image)))
    assert isinstance(inline, BadGatewayResponse), inline


def test_a_png_up_to_the_cap_is_handed_on() -> None:
    png = PNG + b"\x00" * (MAX_QR_IMAGE_BYTES - len(PNG))
    for image in (b64(png), "data:image/png;base64," + b64(png)):
        qr = outcome(hostile({"id": "qr_1", "image_with_base64": image}).get_qr(REF))
        assert isinstance(qr, QrContent) and qr.image_png == png and qr.text is None


@pytest.mark.parametrize(
    "text",
    [
        "0" * (MAX_QR_TEXT + 1),
        "000201" + "x" * 100_000,
        "000201\x00abc",
        "000201" + BIDI + "abc",
        "0002\u200b01",
    ],
    ids=["just-over", "huge", "nul", "bidi", "zero-width"],
)
@pytest.mark.parametrize("field", ["paint_text", "qr_text"])
def test_an_absurd_qr_text_is_a_bad_answer(field: str, text: str) -> None:
    result = outcome(hostile({"id": "qr_1", field: text}).get_qr(REF))
    assert isinstance(result, BadGatewayResponse), result
    assert isinstance(create(hostile(order_body(**{field: text}))), BadGatewayResponse)


def test_a_qr_text_up_to_the_cap_is_handed_on_for_the_domain_to_check() -> None:
    text = "0" * MAX_QR_TEXT  # far over EMVCo's 512: the domain refuses it, with its reason
    qr = outcome(hostile({"id": "qr_1", "paint_text": f"\n {text} \t"}).get_qr(REF))
    assert isinstance(qr, QrContent) and qr.text == text


# --- 6. amounts (Money.from_gateway decides; the adapter only hands it a bounded value)


@pytest.mark.parametrize(
    "amount",
    ["3E+2", "+300", "1" * 41, "9" * 5_000, True, [300], {"v": 300}, None, "๓๐๐", "300.00"],
)
def test_an_odd_amount_never_crashes(amount: object) -> None:
    created = create(hostile(order_body(amount=amount)))
    assert isinstance(created, CreatedOrder)
    assert created.amount is None or created.amount == Money.from_gateway(amount)
    assert created.amount is None or len(created.amount.plain()) <= 45  # printable, comparable
    report = outcome(hostile(status_body(amount=amount)).check_status(REF))
    assert isinstance(report, StatusReport)
    for text in report_texts(report):
        assert_clean(text)


# --- 7. behaviour kept


def test_the_401_refresh_once_is_kept() -> None:
    tokens = CountingToken("old-token", "new-token")
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["Authorization"])
        if request.headers["Authorization"] == "old-token":
            return httpx.Response(401, content=b"[" * 50_000)
        return httpx.Response(200, json=order_body())

    assert isinstance(create(villa(handler, tokens=tokens)), CreatedOrder)
    assert seen == ["old-token", "new-token"]


# --- over a real socket


class _Hostile(BaseHTTPRequestHandler):
    answers: ClassVar[dict[str, tuple[int, dict[str, str], bytes]]] = {}

    def _answer(self) -> None:
        if self.command == "POST":
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
        status, headers, body = self.answers[self.path.split("/")[1]]
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = _answer

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture()
def server() -> Iterator[tuple[str, dict[str, tuple[int, dict[str, str], bytes]]]]:
    answers: ClassVar[dict[str, tuple[int, dict[str, str], bytes]]] = {}
    handler = type("Handler", (_Hostile,), {"answers": answers})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", answers
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


SOCKET_ATTACKS: dict[str, tuple[int, dict[str, str], bytes, type[GatewayError]]] = {
    "deep": (200, {}, b"[" * 10_000 + b"]" * 10_000, BadGatewayResponse),
    "huge-int": (200, {}, b'{"id": "o", "amount": ' + b"9" * 5_000 + b"}", BadGatewayResponse),
    "nan": (200, {}, b'{"id": "o", "amount": NaN}', BadGatewayResponse),
    "gzip-lie": (200, {"Content-Encoding": "gzip"}, b"plain text", BadGatewayResponse),
    "gzip-deep": (
        200,
        {"Content-Encoding": "gzip"},
        gzip.compress(b"{" * 50_000),
        BadGatewayResponse,
    ),
    "token-echo": (
        400,
        {},
        json.dumps({"error": {"code": "x", "message": "bad sandbox-token"}}).encode(),
        GatewayRejected,
    ),
}


@pytest.mark.parametrize("attack", list(SOCKET_ATTACKS))
def test_hostile_answers_over_a_real_socket(
    attack: str, server: tuple[str, dict[str, tuple[int, dict[str, str], bytes]]]
) -> None:
    url, answers = server
    status, headers, body, expected = SOCKET_ATTACKS[attack]
    answers[attack] = (status, headers, body)
    paths = PathsSettings(
        create_order=f"/{attack}/order", qr=f"/{attack}/qr", status=f"/{attack}/s/{{orderid}}"
    )
    client = httpx.AsyncClient(timeout=5)
    gw = VillaGateway(
        base_url=url,
        client=client,
        tokens=StaticToken("sandbox-token"),
        paths=paths,
        total_timeout_s=10,
    )

    async def calls() -> list[object]:
        results: list[object] = []
        for call in (
            lambda: gw.create_order(
                kiosk_order_id=REF.kiosk_order_id,
                amount=Money(30000),
                method=Method.QR,
                description="d",
            ),
            lambda: gw.get_qr(REF),
            lambda: gw.check_status(REF),
        ):
            try:
                results.append(await call())
            except GatewayError as exc:
                results.append(exc)
        await gw.aclose()
        return results

    for result in run(calls()):
        assert isinstance(result, expected), result
        assert "sandbox-token" not in str(result)
