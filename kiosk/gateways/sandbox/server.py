"""The embedded sandbox gateway: a real HTTP server on 127.0.0.1 speaking the villa contract.

It answers exactly like the Villa Payment API with its default paths
(``/kbank/order``, ``/qrpayment``, ``/checkstatus/{orderid}``,
``/cancel/{orderid}``), so the default run of the kiosk exercises the real
villa adapter over a real socket. See docs: gateways.md §1 and §4.

The customer is simulated per order by a :class:`Scenario` (pay after N
seconds, decline, never pay, slow answers, HTTP 500s, garbage bodies, and
tampered answers for the safety tests). Order state is computed lazily from
the injected ``monotonic`` clock at request time; there are no timers.

Control endpoints under ``/_sandbox/`` (no auth) let the kiosk's sandbox
banner and tests steer it; ``GET /_sandbox/orders`` lists every order with its
true state, and ``GET /_sandbox/busy`` counts requests still being handled.
Everything it emits says sandbox: ids ``order_test_…``, merchant "SANDBOX
SHOP", ``livemode`` false.

Stdlib only; runs in a daemon thread of the kiosk process, or on its own::

    python -m kiosk.gateways.sandbox --port 8765 --scenario '{"kind": "never"}'
"""

from __future__ import annotations

import argparse
import hmac
import itertools
import json
import logging
import math
import re
import socket
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime, timedelta, timezone
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Literal, cast, get_args
from urllib.parse import unquote, urlsplit

from kiosk.domain.money import Money
from kiosk.domain.thaiqr import build_bill_payment

_log = logging.getLogger("kiosk.gateway.sandbox")

Kind = Literal["pay", "decline", "never"]
Fault = Literal["http500", "garbage"]
Tamper = Literal["amount", "currency", "qr_crc", "qr_amount", "qr_payee"]
State = Literal["pending", "paid", "declined", "expired", "cancelled"]

MERCHANT_NAME = "SANDBOX SHOP"
MERCHANT_CITY = "BANGKOK"
REF2 = "SANDBOX"
OTHER_PAYEE = "099999999999999"  # the payee of a "qr_payee" tampered QR
WECHAT_PREFIX = "weixin://wxpay/bizpayurl?pr=SANDBOX"

_BANGKOK = timezone(timedelta(hours=7), "ICT")  # Thailand has no DST
_AMOUNT_RE = re.compile(r"[0-9]{1,10}\.[0-9]{2}")
_REFERENCE_SEQ = itertools.count(1)


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


@dataclass(frozen=True)
class Scenario:
    """How the simulated customer and gateway behave for one order."""

    kind: Kind = "pay"
    after_s: float = 3.0  # pay/decline this many seconds after the order was created
    expire_s: int = 600  # expire_time_seconds; after it the order is expired
    delay_s: float = 0.0  # every API answer for this order is delayed by this much
    fault: Fault | None = None  # "http500": 500 + error envelope; "garbage": 200 + non-JSON
    fault_count: int | None = None  # API calls that fail before answering normally; None = all
    inline_qr: bool = False  # put the QR text in the create-order answer as "qr_text"
    tamper: Tamper | None = None  # for the safety tests

    def __post_init__(self) -> None:
        if self.kind not in get_args(Kind):
            raise ValueError(f"kind: must be one of {', '.join(get_args(Kind))}")
        if not _is_number(self.after_s) or self.after_s < 0:
            raise ValueError("after_s: must be a number >= 0")
        if (
            not isinstance(self.expire_s, int)
            or isinstance(self.expire_s, bool)
            or self.expire_s <= 0
        ):
            raise ValueError("expire_s: must be a whole number of seconds > 0")
        if not _is_number(self.delay_s) or self.delay_s < 0:
            raise ValueError("delay_s: must be a number >= 0")
        if self.fault is not None and self.fault not in get_args(Fault):
            raise ValueError(f"fault: must be null or one of {', '.join(get_args(Fault))}")
        if self.fault_count is not None and (
            not isinstance(self.fault_count, int)
            or isinstance(self.fault_count, bool)
            or self.fault_count < 0
        ):
            raise ValueError("fault_count: must be null or a whole number >= 0")
        if not isinstance(self.inline_qr, bool):
            raise ValueError("inline_qr: must be true or false")
        if self.tamper is not None and self.tamper not in get_args(Tamper):
            raise ValueError(f"tamper: must be null or one of {', '.join(get_args(Tamper))}")

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Scenario:
        """Build from JSON-like data; ValueError naming the key on bad input."""
        if not isinstance(data, Mapping):
            raise ValueError("scenario: must be a JSON object")
        known = {f.name for f in fields(cls)}
        for key in data:
            if key not in known:
                raise ValueError(f"{key}: unknown scenario key")
        kwargs: dict[str, Any] = dict(data)
        return cls(**kwargs)

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass
class _Order:
    orderid: str
    gateway_order_id: str
    reference_order: str
    amount: Money
    currency: str
    description: str
    method: str  # "qr" | "wechat"
    scenario: Scenario
    created_mono: float
    created_text: str
    faults_left: int | None
    qr_id: str = field(default_factory=lambda: "qr_test_" + uuid.uuid4().hex[:24])
    charge_id: str = field(default_factory=lambda: "chrg_test_" + uuid.uuid4().hex[:24])
    source_id: str = field(default_factory=lambda: "src_test_" + uuid.uuid4().hex[:24])
    wechat_token: str = field(default_factory=lambda: uuid.uuid4().hex)
    create_calls: int = 1
    final: State | None = None  # set once the state is fixed (lazily, or forced)
    paid_at: float | None = None

    def state(self, now: float) -> State:
        """The state at ``now``; fixes a scheduled pay/decline/expiry once it is due."""
        if self.final is None:
            sc = self.scenario
            act_at = self.created_mono + sc.after_s
            expire_at = self.created_mono + sc.expire_s
            if sc.kind != "never" and act_at < expire_at and now >= act_at:
                if sc.kind == "pay":
                    self.final, self.paid_at = "paid", act_at
                else:
                    self.final = "declined"
            elif now >= expire_at:
                self.final = "expired"
        return self.final or "pending"

    def seconds_left(self, now: float) -> int:
        return max(0, math.ceil(self.created_mono + self.scenario.expire_s - now))


@dataclass(frozen=True)
class _Reply:
    status: int
    body: bytes
    content_type: str = "application/json; charset=utf-8"
    delay_s: float = 0.0
    headers: tuple[tuple[str, str], ...] = ()


def _json(status: int, payload: object, *, delay_s: float = 0.0) -> _Reply:
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    return _Reply(status, body, delay_s=delay_s)


def _seed_error(status: int, code: str, message: str, *, delay_s: float = 0.0) -> _Reply:
    return _json(status, {"error": {"code": code, "message": message}}, delay_s=delay_s)


def _kbank_error(message: str, *, delay_s: float = 0.0) -> _Reply:
    payload = {"object": "error", "code": "invalid_request", "message": message}
    return _json(400, payload, delay_s=delay_s)


def _unknown_order(delay_s: float = 0.0) -> _Reply:
    return _seed_error(404, "invalid_order", "Invalid order ID.", delay_s=delay_s)


def _json_object(body: bytes) -> dict[str, object] | str:
    """The request body as a JSON object, or an error message naming the problem."""
    if not body.strip():
        return "body must be a JSON object"
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return "body is not valid JSON"
    if not isinstance(data, dict):
        return "body must be a JSON object"
    return cast(dict[str, object], data)


def _bangkok_stamp() -> str:
    now = datetime.now(_BANGKOK)
    return now.strftime("%Y%m%d%H%M%S") + f"{now.microsecond // 1000:03d}"


def _new_reference() -> str:
    """20 unique digits: wall-clock milliseconds and a process-wide sequence number."""
    return f"{time.time_ns() // 1_000_000:013d}{next(_REFERENCE_SEQ) % 10_000_000:07d}"


def _plus_one_baht(amount: Money) -> Money:
    return Money(amount.satang + 100)


def _as_float(amount: Money) -> float:
    return float(amount.to_decimal())


_API_ROUTES: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (re.compile(r"/kbank/order"), "POST", "create"),
    (re.compile(r"/qrpayment"), "POST", "qr"),
    (re.compile(r"/checkstatus/([^/]+)"), "GET", "status"),
    (re.compile(r"/cancel/([^/]+)"), "POST", "cancel"),
)
_CONTROL_ROUTES: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (re.compile(r"/_sandbox/health"), "GET", "health"),
    (re.compile(r"/_sandbox/busy"), "GET", "busy"),
    (re.compile(r"/_sandbox/orders"), "GET", "orders"),
    (re.compile(r"/_sandbox/scenario"), "GET", "get_scenario"),
    (re.compile(r"/_sandbox/scenario"), "POST", "set_scenario"),
    (re.compile(r"/_sandbox/next"), "POST", "next"),
    (re.compile(r"/_sandbox/orders/([^/]+)/(pay|decline|expire)"), "POST", "force"),
)


class SandboxServer:
    """A villa-contract gateway on a real socket; ``start()`` it, ``stop()`` it."""

    TOKEN = "sandbox-token"
    BILLER_ID = "010555800000001"  # the sandbox shop's payee (tag 30 biller id)

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        scenario: Scenario = Scenario(),
        token: str = TOKEN,
        token_check: Callable[[str], bool] | None = None,
        auth_style: Literal["any", "raw", "bearer"] = "any",
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        """``token_check`` replaces the fixed ``token`` (e.g. verify a Cognito ID token);
        ``auth_style`` demands one form of the Authorization header (default: both)."""
        self._host = host
        self._port = port
        self._token = token
        self._token_check = token_check
        self._auth_style = auth_style
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self._default = scenario
        self._queue: deque[Scenario] = deque()
        self._orders: dict[str, _Order] = {}
        self._httpd: _HttpServer | None = None
        self._thread: threading.Thread | None = None
        self._base_url: str | None = None
        self._in_flight = 0  # requests accepted and not yet answered (see in_flight)

    # -- lifecycle ---------------------------------------------------------

    def start(self) -> SandboxServer:
        """Bind, start serving in a daemon thread, and return self."""
        if self._httpd is not None:
            return self
        httpd = _HttpServer((self._host, self._port), _Handler, self)
        host, port = httpd.server_address[:2]
        host_text = host.decode() if isinstance(host, bytes) else str(host)
        self._base_url = f"http://{host_text}:{port}"
        thread = threading.Thread(
            target=httpd.serve_forever,
            kwargs={"poll_interval": 0.1},
            name=f"sandbox-gateway-{port}",
            daemon=True,
        )
        self._httpd, self._thread = httpd, thread
        thread.start()
        _log.info("SANDBOX gateway listening on %s", self._base_url)
        return self

    def stop(self) -> None:
        """Stop serving and close the socket; safe to call more than once."""
        httpd, thread = self._httpd, self._thread
        self._httpd = self._thread = None
        if httpd is None:
            return
        httpd.shutdown()
        httpd.server_close()
        if thread is not None:
            thread.join(timeout=5)
        _log.info("SANDBOX gateway on %s stopped", self._base_url)

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        if self._base_url is None:
            raise RuntimeError("the sandbox gateway is not started")
        return self._base_url

    # -- steering ----------------------------------------------------------

    def set_scenario(self, scenario: Scenario) -> None:
        """The default scenario for orders created from now on."""
        with self._lock:
            self._default = scenario
        _log.info("SANDBOX default scenario: %s", scenario)

    def queue_scenario(self, scenario: Scenario) -> None:
        """A scenario for the next created order only (FIFO), then the default again."""
        with self._lock:
            self._queue.append(scenario)
        _log.info("SANDBOX queued scenario: %s", scenario)

    def set_order_scenario(self, orderid: str, scenario: Scenario) -> None:
        """Change how an existing order's answers behave (faults, delays) from now on."""
        with self._lock:
            order = self._get(orderid)
            order.scenario = scenario
            order.faults_left = scenario.fault_count
        _log.info("SANDBOX order %s scenario: %s", orderid, scenario)

    def pay(self, orderid: str) -> None:
        """The customer pays now; works even after cancel or expiry (a late payment)."""
        with self._lock:
            order = self._get(orderid)
            now = self._monotonic()
            if order.state(now) != "paid":
                order.final, order.paid_at = "paid", now
        _log.info("SANDBOX order %s paid (forced)", orderid)

    def decline(self, orderid: str) -> None:
        """The customer's bank declines now (a pending order only; final states stay)."""
        self._force(orderid, "declined")

    def expire(self, orderid: str) -> None:
        """The order expires now (a pending order only; final states stay)."""
        self._force(orderid, "expired")

    def orders(self) -> list[dict[str, object]]:
        with self._lock:
            now = self._monotonic()
            return [self._summary(order, now) for order in self._orders.values()]

    def paid_at_monotonic(self, orderid: str) -> float | None:
        with self._lock:
            order = self._get(orderid)
            order.state(self._monotonic())
            return order.paid_at

    def in_flight(self) -> int:
        """Requests accepted and not answered yet, this one excluded when asked over HTTP.

        After a client dies mid-request, ``GET /_sandbox/busy`` until 0 tells
        when everything it sent has been handled: connections are accepted in
        order, so its request is counted before the one asking.
        """
        with self._lock:
            return self._in_flight

    def _request_started(self) -> None:
        with self._lock:
            self._in_flight += 1

    def _request_done(self) -> None:
        with self._lock:
            self._in_flight -= 1

    def _get(self, orderid: str) -> _Order:
        order = self._orders.get(orderid)
        if order is None:
            raise KeyError(orderid)
        return order

    def _force(self, orderid: str, state: State) -> None:
        with self._lock:
            order = self._get(orderid)
            if order.state(self._monotonic()) == "pending":
                order.final = state
        _log.info("SANDBOX order %s %s (forced)", orderid, state)

    @staticmethod
    def _summary(order: _Order, now: float) -> dict[str, object]:
        return {
            "orderid": order.orderid,
            "gateway_order_id": order.gateway_order_id,
            "amount": order.amount.plain(),
            "method": order.method,
            "state": order.state(now),
            "create_calls": order.create_calls,
            "paid_at_monotonic": order.paid_at,
        }

    # -- HTTP --------------------------------------------------------------

    def _handle(self, method: str, raw_path: str, headers: Message, body: bytes) -> _Reply:
        path = urlsplit(raw_path).path
        if path == "/_sandbox" or path.startswith("/_sandbox/"):
            return self._route(_CONTROL_ROUTES, method, path, body)
        if not self._authorized(headers.get("Authorization")):
            return _seed_error(401, "unauthorized", "Missing or invalid token.")
        return self._route(_API_ROUTES, method, path, body)

    def _authorized(self, value: str | None) -> bool:
        if value is None:
            return False
        value = value.strip()
        bearer = value[:7].lower() == "bearer "
        if bearer:
            value = value[7:].strip()
        if (self._auth_style == "raw" and bearer) or (self._auth_style == "bearer" and not bearer):
            return False
        if self._token_check is not None:
            return self._token_check(value)
        return hmac.compare_digest(value.encode(), self._token.encode())

    def _route(
        self,
        routes: tuple[tuple[re.Pattern[str], str, str], ...],
        method: str,
        path: str,
        body: bytes,
    ) -> _Reply:
        allowed: list[str] = []
        for pattern, route_method, name in routes:
            match = pattern.fullmatch(path)
            if match is None:
                continue
            if route_method != method:
                allowed.append(route_method)
                continue
            args = [unquote(group) for group in match.groups()]
            return self._call(name, args, body)
        if allowed:
            reply = _seed_error(405, "method_not_allowed", f"{method} is not allowed here.")
            return _Reply(
                reply.status, reply.body, headers=(("Allow", ", ".join(sorted(set(allowed)))),)
            )
        return _seed_error(404, "not_found", "Not found.")

    def _call(self, name: str, args: list[str], body: bytes) -> _Reply:
        if name == "create":
            return self._create(body)
        if name == "qr":
            return self._qrpayment(body)
        if name == "status":
            return self._checkstatus(args[0])
        if name == "cancel":
            return self._cancel(args[0])
        if name == "health":
            return _json(200, {"ok": True})
        if name == "busy":
            return _json(200, {"in_flight": self.in_flight() - 1})
        if name == "orders":
            return _json(200, {"orders": self.orders()})
        if name == "get_scenario":
            with self._lock:
                current = self._default
            return _json(200, {"scenario": current.to_dict()})
        if name in ("set_scenario", "next"):
            return self._control_scenario(name, body)
        if name == "force":
            return self._control_force(args[0], args[1])
        raise AssertionError(f"no handler for route {name}")

    # -- the villa API -----------------------------------------------------

    def _take_fault(self, order: _Order) -> _Reply | None:
        """The fault answer this call gets, if any (counts fault_count down). Under lock."""
        sc = order.scenario
        if sc.fault is None:
            return None
        if order.faults_left is not None:
            if order.faults_left <= 0:
                return None
            order.faults_left -= 1
        _log.info("SANDBOX fault %s for order %s", sc.fault, order.orderid)
        if sc.fault == "http500":
            return _seed_error(500, "internal_error", "Sandbox internal error.", delay_s=sc.delay_s)
        return _Reply(200, b"<html>oops", content_type="text/html", delay_s=sc.delay_s)

    def _order_object(self, order: _Order, *, status: str, tampered: bool) -> dict[str, object]:
        tamper = order.scenario.tamper if tampered else None
        amount = _plus_one_baht(order.amount) if tamper == "amount" else order.amount
        answer: dict[str, object] = {
            "id": order.gateway_order_id,
            "object": "order",
            "created": order.created_text,
            "livemode": False,
            "amount": _as_float(amount),
            "currency": "USD" if tamper == "currency" else order.currency,
            "customer": None,
            "description": order.description,
            "metadata": {"orderid": order.orderid},
            "status": status,
            "reference_order": order.reference_order,
            "source_type": order.method,
            "additional_data": {
                "term": None,
                "mid": None,
                "tid": None,
                "smartpay_id": None,
                "campaign_id": None,
            },
            "failure_code": None,
            "failure_message": None,
            "expire_time_seconds": order.scenario.expire_s,
        }
        if tampered and order.scenario.inline_qr:
            answer["qr_text"] = self._qr_text(order)
        return answer

    def _qr_text(self, order: _Order) -> str:
        if order.method == "wechat":
            return WECHAT_PREFIX + order.wechat_token
        tamper = order.scenario.tamper
        text = build_bill_payment(
            biller_id=OTHER_PAYEE if tamper == "qr_payee" else self.BILLER_ID,
            ref1=order.reference_order[-20:],
            ref2=REF2,
            amount=_plus_one_baht(order.amount) if tamper == "qr_amount" else order.amount,
            merchant_name=MERCHANT_NAME,
            city=MERCHANT_CITY,
        )
        if tamper == "qr_crc":
            text = text[:-1] + f"{int(text[-1], 16) ^ 1:X}"
        return text

    def _create(self, body: bytes) -> _Reply:
        data = _json_object(body)
        if isinstance(data, str):
            return _kbank_error(data)
        orderid = data.get("orderid")
        if orderid is None:
            return _kbank_error("orderid is required")
        if not isinstance(orderid, str) or not 1 <= len(orderid) <= 64:
            return _kbank_error("orderid must be a string of 1 to 64 characters")
        source = data.get("source", "qr")
        if source not in ("qr", "wechat"):
            return _kbank_error('source must be "qr" or "wechat"')
        raw_amount = data.get("amount")
        if raw_amount is None:
            return _kbank_error("amount is required")
        if not isinstance(raw_amount, str) or not _AMOUNT_RE.fullmatch(raw_amount):
            return _kbank_error('amount must be a string with 2 decimals, like "300.00"')
        amount = Money.from_gateway(raw_amount)
        if amount is None or amount.satang <= 0:
            return _kbank_error("amount must be more than 0")
        currency = data.get("currency", "THB")
        if currency != "THB":
            return _kbank_error('currency must be "THB"')
        description = data.get("description")
        if description is None:
            description = f"SANDBOX order {orderid}"
        if not isinstance(description, str) or len(description) > 255:
            return _kbank_error("description must be a string of at most 255 characters")

        with self._lock:
            order = self._orders.get(orderid)
            if order is not None:
                order.create_calls += 1
                if order.amount != amount or order.method != source:
                    _log.warning(
                        "SANDBOX create again for %s with different amount/source; "
                        "answering the first order",
                        orderid,
                    )
            else:
                scenario = self._queue.popleft() if self._queue else self._default
                order = _Order(
                    orderid=orderid,
                    gateway_order_id="order_test_" + uuid.uuid4().hex,
                    reference_order=_new_reference(),
                    amount=amount,
                    currency="THB",
                    description=description,
                    method=str(source),
                    scenario=scenario,
                    created_mono=self._monotonic(),
                    created_text=_bangkok_stamp(),
                    faults_left=scenario.fault_count,
                )
                self._orders[orderid] = order
                _log.info(
                    "SANDBOX order %s created: %s %s THB, scenario %s",
                    orderid,
                    order.gateway_order_id,
                    amount.plain(),
                    scenario,
                )
            delay = order.scenario.delay_s
            fault = self._take_fault(order)
            if fault is not None:
                return fault
            answer = self._order_object(order, status="success", tampered=True)
        return _json(200, answer, delay_s=delay)

    def _qrpayment(self, body: bytes) -> _Reply:
        data = _json_object(body)
        if isinstance(data, str):
            return _kbank_error(data)
        orderid = data.get("orderid")
        if orderid is None:
            return _kbank_error("orderid is required")
        if not isinstance(orderid, str):
            return _kbank_error("orderid must be a string of 1 to 64 characters")
        source = data.get("source")
        if source is not None and source not in ("qr", "wechat"):
            return _kbank_error('source must be "qr" or "wechat"')
        with self._lock:
            order = self._orders.get(orderid)
            if order is None:
                return _unknown_order()
            delay = order.scenario.delay_s
            fault = self._take_fault(order)
            if fault is not None:
                return fault
            if source is not None and source != order.method:
                return _kbank_error(
                    f"source does not match the order ({order.method})", delay_s=delay
                )
            answer = {
                "id": order.qr_id,
                "object": "qr",
                "order_id": order.gateway_order_id,
                "account_name": MERCHANT_NAME,
                "paint_text": self._qr_text(order),
                "image_with_base64": None,
                "status": "success",
                "expire_time_seconds": order.seconds_left(self._monotonic()),
                "failure_code": None,
                "failure_message": None,
            }
        return _json(200, answer, delay_s=delay)

    _STATUS_MAP: Mapping[str, tuple[str, str, str | None, str | None]] = {
        "pending": ("success", "Initialize", None, None),
        "paid": ("success", "Authorized", None, None),
        "declined": ("fail", "Declined", "declined", "Declined by the customer's bank."),
        "cancelled": ("fail", "Voided", "order_cancelled", "Order was cancelled."),
        "expired": ("fail", "Initialize", "order_expired", "QR code expired."),
    }

    def _checkstatus(self, orderid: str) -> _Reply:
        with self._lock:
            order = self._orders.get(orderid)
            if order is None:
                payload = {
                    "statusCode": 404,
                    "body": {"error": "Order not found", "code": "ORDER_NOT_FOUND", "details": {}},
                }
                return _json(404, payload)
            delay = order.scenario.delay_s
            fault = self._take_fault(order)
            if fault is not None:
                return fault
            state = order.state(self._monotonic())
            status, transaction_state, code, message = self._STATUS_MAP[state]
            answer = {
                "id": order.charge_id,
                "object": "qr",
                "order_id": order.gateway_order_id,
                "amount": _as_float(order.amount),
                "currency": order.currency,
                "description": order.description,
                "status": status,
                "transaction_state": transaction_state,
                "reference_order": order.reference_order,
                "created": order.created_text,
                "livemode": False,
                "metadata": {"orderid": order.orderid},
                "failure_code": code,
                "failure_message": message,
                "source": {
                    "id": order.source_id,
                    "object": "source",
                    "brand": "WeChatPay" if order.method == "wechat" else "ThaiQR",
                },
            }
        return _json(200, answer, delay_s=delay)

    def _cancel(self, orderid: str) -> _Reply:
        with self._lock:
            order = self._orders.get(orderid)
            if order is None:
                return _unknown_order()
            delay = order.scenario.delay_s
            fault = self._take_fault(order)
            if fault is not None:
                return fault
            if order.state(self._monotonic()) == "paid":
                return _seed_error(400, "already_paid", "Order is already paid.", delay_s=delay)
            order.final = "cancelled"
            answer = self._order_object(order, status="cancelled", tampered=False)
        _log.info("SANDBOX order %s cancelled", orderid)
        return _json(200, answer, delay_s=delay)

    # -- control -----------------------------------------------------------

    def _control_scenario(self, name: str, body: bytes) -> _Reply:
        data = _json_object(body) if body.strip() else {}
        if isinstance(data, str):
            return _seed_error(400, "invalid_scenario", f"scenario: {data}")
        try:
            scenario = Scenario.from_dict(data)
        except (TypeError, ValueError) as exc:
            return _seed_error(400, "invalid_scenario", str(exc))
        if name == "next":
            self.queue_scenario(scenario)
        else:
            self.set_scenario(scenario)
        return _json(200, {"ok": True, "scenario": scenario.to_dict()})

    def _control_force(self, orderid: str, action: str) -> _Reply:
        actions: dict[str, Callable[[str], None]] = {
            "pay": self.pay,
            "decline": self.decline,
            "expire": self.expire,
        }
        try:
            actions[action](orderid)
        except KeyError:
            return _unknown_order()
        with self._lock:
            summary = self._summary(self._orders[orderid], self._monotonic())
        return _json(200, {"ok": True, "order": summary})


class _HttpServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(
        self,
        address: tuple[str, int],
        handler: type[BaseHTTPRequestHandler],
        sandbox: SandboxServer,
    ) -> None:
        self.sandbox = sandbox
        super().__init__(address, handler)

    # Counted from accept (on the serving thread, in order) to the end of the
    # handler thread, for SandboxServer.in_flight.
    def process_request(
        self, request: socket.socket | tuple[bytes, socket.socket], client_address: Any
    ) -> None:
        self.sandbox._request_started()
        try:
            super().process_request(request, client_address)
        except BaseException:
            self.sandbox._request_done()
            raise

    def process_request_thread(
        self, request: socket.socket | tuple[bytes, socket.socket], client_address: Any
    ) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.sandbox._request_done()


class _Handler(BaseHTTPRequestHandler):
    server_version = "SandboxGateway/1.0"
    sys_version = ""
    protocol_version = "HTTP/1.0"  # one request per connection: stop() really stops

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def do_PUT(self) -> None:
        self._serve("PUT")

    def do_PATCH(self) -> None:
        self._serve("PATCH")

    def do_DELETE(self) -> None:
        self._serve("DELETE")

    def version_string(self) -> str:
        return self.server_version

    def log_message(self, format: str, *args: Any) -> None:
        _log.debug("%s - " + format, self.address_string(), *args)

    def _serve(self, method: str) -> None:
        started = time.perf_counter()
        sandbox = cast(_HttpServer, self.server).sandbox
        try:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length > 0 else b""
        except (ValueError, OSError):
            reply = _kbank_error("body could not be read")
        else:
            try:
                reply = sandbox._handle(method, self.path, self.headers, body)
            except Exception:
                _log.exception("SANDBOX failed on %s %s", method, self.path)
                reply = _seed_error(500, "internal_error", "Sandbox internal error.")
        if reply.delay_s > 0:
            time.sleep(reply.delay_s)
        elapsed_ms = (time.perf_counter() - started - reply.delay_s) * 1000
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(reply.body)))
            self.send_header("X-Sandbox-Time-Ms", f"{max(0.0, elapsed_ms):.3f}")
            for name, value in reply.headers:
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(reply.body)
        except (BrokenPipeError, ConnectionResetError) as exc:
            _log.debug("SANDBOX client went away during %s %s: %s", method, self.path, exc)


def run_forever(
    *,
    port: int,
    scenario: Scenario = Scenario(),
    host: str = "127.0.0.1",
) -> None:
    """Serve until Ctrl-C; prints the base URL on its own line first."""
    server = SandboxServer(host=host, port=port, scenario=scenario).start()
    print(server.base_url, flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Run the SANDBOX villa gateway.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--scenario", default="{}", help='JSON, e.g. \'{"kind": "never"}\'')
    args = parser.parse_args(argv)
    try:
        data = json.loads(args.scenario)
        scenario = Scenario.from_dict(data)
    except (ValueError, TypeError) as exc:
        parser.error(f"--scenario: {exc}")
    logging.basicConfig(level=logging.INFO)
    run_forever(port=args.port, scenario=scenario, host=args.host)


if __name__ == "__main__":
    main()
