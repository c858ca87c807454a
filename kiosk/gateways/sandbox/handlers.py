"""The sandbox's routes: what each endpoint answers, one function per endpoint.

The villa API (auth required; the paths are the Villa Payment API's defaults,
see docs: gateways.md §1 and §4)::

    POST /kbank/order             create an order (again: the first one is answered)
    POST /qrpayment               the QR of an order
    GET  /checkstatus/{orderid}   the order's state
    POST /cancel/{orderid}        cancel a pending order

The control endpoints under ``/_sandbox/`` (no auth) let the kiosk's banner
and tests steer it: ``health``, ``busy`` (requests in flight), ``orders``
(true states), ``scenario`` (GET / POST the default), ``next`` (for the next
order only) and ``orders/{orderid}/pay|decline|expire``.

A handler takes the :class:`Context`, the path's groups and the body, and
returns a :class:`Reply`; :func:`dispatch` picks it from a route table.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple, cast
from urllib.parse import unquote

from kiosk.domain.money import Money
from kiosk.gateways.sandbox.model import (
    MERCHANT_NAME,
    OrderBook,
    SandboxOrder,
    Scenario,
    as_float,
    order_object,
    qr_text,
)

_log = logging.getLogger("kiosk.gateway.sandbox")

CREATE_PATH = "/kbank/order"
QR_PATH = "/qrpayment"
STATUS_PATH = "/checkstatus/{orderid}"
CANCEL_PATH = "/cancel/{orderid}"

_AMOUNT_RE = re.compile(r"[0-9]{1,10}\.[0-9]{2}")


@dataclass(frozen=True)
class Reply:
    """One HTTP answer; the server waits ``delay_s`` before sending it."""

    status: int
    body: bytes
    content_type: str = "application/json; charset=utf-8"
    delay_s: float = 0.0
    headers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Context:
    """What the handlers use of the server: its orders, its payee, its busy count."""

    book: OrderBook
    biller_id: str
    in_flight: Callable[[], int]


Handler = Callable[[Context, Sequence[str], bytes], Reply]


class Route(NamedTuple):
    pattern: re.Pattern[str]
    method: str
    handler: Handler


# --- answers ------------------------------------------------------------------


def json_reply(status: int, payload: object, *, delay_s: float = 0.0) -> Reply:
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    return Reply(status, body, delay_s=delay_s)


def seed_error(status: int, code: str, message: str, *, delay_s: float = 0.0) -> Reply:
    return json_reply(status, {"error": {"code": code, "message": message}}, delay_s=delay_s)


def kbank_error(message: str, *, delay_s: float = 0.0) -> Reply:
    payload = {"object": "error", "code": "invalid_request", "message": message}
    return json_reply(400, payload, delay_s=delay_s)


def _unknown_order(delay_s: float = 0.0) -> Reply:
    return seed_error(404, "invalid_order", "Invalid order ID.", delay_s=delay_s)


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


def _take_fault(order: SandboxOrder) -> Reply | None:
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
        return seed_error(500, "internal_error", "Sandbox internal error.", delay_s=sc.delay_s)
    return Reply(200, b"<html>oops", content_type="text/html", delay_s=sc.delay_s)


# --- the villa API ------------------------------------------------------------


def create(ctx: Context, args: Sequence[str], body: bytes) -> Reply:
    data = _json_object(body)
    if isinstance(data, str):
        return kbank_error(data)
    orderid = data.get("orderid")
    if orderid is None:
        return kbank_error("orderid is required")
    if not isinstance(orderid, str) or not 1 <= len(orderid) <= 64:
        return kbank_error("orderid must be a string of 1 to 64 characters")
    source = data.get("source", "qr")
    if source not in ("qr", "wechat"):
        return kbank_error('source must be "qr" or "wechat"')
    raw_amount = data.get("amount")
    if raw_amount is None:
        return kbank_error("amount is required")
    if not isinstance(raw_amount, str) or not _AMOUNT_RE.fullmatch(raw_amount):
        return kbank_error('amount must be a string with 2 decimals, like "300.00"')
    amount = Money.from_gateway(raw_amount)
    if amount is None or amount.satang <= 0:
        return kbank_error("amount must be more than 0")
    currency = data.get("currency", "THB")
    if currency != "THB":
        return kbank_error('currency must be "THB"')
    description = data.get("description")
    if description is None:
        description = f"SANDBOX order {orderid}"
    if not isinstance(description, str) or len(description) > 255:
        return kbank_error("description must be a string of at most 255 characters")

    book = ctx.book
    with book.lock:
        order = book.find(orderid)
        if order is not None:
            order.create_calls += 1
            if order.amount != amount or order.method != source:
                _log.warning(
                    "SANDBOX create again for %s with different amount/source; "
                    "answering the first order",
                    orderid,
                )
        else:
            scenario = book.next_scenario()
            order = SandboxOrder.new(
                orderid=orderid,
                amount=amount,
                method=str(source),
                description=description,
                scenario=scenario,
                created_mono=book.monotonic(),
            )
            book.add(order)
            _log.info(
                "SANDBOX order %s created: %s %s THB, scenario %s",
                orderid,
                order.gateway_order_id,
                amount.plain(),
                scenario,
            )
        delay = order.scenario.delay_s
        fault = _take_fault(order)
        if fault is not None:
            return fault
        answer = order_object(order, status="success", tampered=True, biller_id=ctx.biller_id)
    return json_reply(200, answer, delay_s=delay)


def qrpayment(ctx: Context, args: Sequence[str], body: bytes) -> Reply:
    data = _json_object(body)
    if isinstance(data, str):
        return kbank_error(data)
    orderid = data.get("orderid")
    if orderid is None:
        return kbank_error("orderid is required")
    if not isinstance(orderid, str):
        return kbank_error("orderid must be a string of 1 to 64 characters")
    source = data.get("source")
    if source is not None and source not in ("qr", "wechat"):
        return kbank_error('source must be "qr" or "wechat"')
    book = ctx.book
    with book.lock:
        order = book.find(orderid)
        if order is None:
            return _unknown_order()
        delay = order.scenario.delay_s
        fault = _take_fault(order)
        if fault is not None:
            return fault
        if source is not None and source != order.method:
            return kbank_error(f"source does not match the order ({order.method})", delay_s=delay)
        answer = {
            "id": order.qr_id,
            "object": "qr",
            "order_id": order.gateway_order_id,
            "account_name": MERCHANT_NAME,
            "paint_text": qr_text(order, ctx.biller_id),
            "image_with_base64": None,
            "status": "success",
            "expire_time_seconds": order.seconds_left(book.monotonic()),
            "failure_code": None,
            "failure_message": None,
        }
    return json_reply(200, answer, delay_s=delay)


_STATUS_MAP: Mapping[str, tuple[str, str, str | None, str | None]] = {
    "pending": ("success", "Initialize", None, None),
    "paid": ("success", "Authorized", None, None),
    "declined": ("fail", "Declined", "declined", "Declined by the customer's bank."),
    "cancelled": ("fail", "Voided", "order_cancelled", "Order was cancelled."),
    "expired": ("fail", "Initialize", "order_expired", "QR code expired."),
}


def checkstatus(ctx: Context, args: Sequence[str], body: bytes) -> Reply:
    book = ctx.book
    with book.lock:
        order = book.find(args[0])
        if order is None:
            payload = {
                "statusCode": 404,
                "body": {"error": "Order not found", "code": "ORDER_NOT_FOUND", "details": {}},
            }
            return json_reply(404, payload)
        delay = order.scenario.delay_s
        fault = _take_fault(order)
        if fault is not None:
            return fault
        state = order.state(book.monotonic())
        status, transaction_state, code, message = _STATUS_MAP[state]
        answer = {
            "id": order.charge_id,
            "object": "qr",
            "order_id": order.gateway_order_id,
            "amount": as_float(order.amount),
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
    return json_reply(200, answer, delay_s=delay)


def cancel(ctx: Context, args: Sequence[str], body: bytes) -> Reply:
    orderid = args[0]
    book = ctx.book
    with book.lock:
        order = book.find(orderid)
        if order is None:
            return _unknown_order()
        delay = order.scenario.delay_s
        fault = _take_fault(order)
        if fault is not None:
            return fault
        if order.state(book.monotonic()) == "paid":
            return seed_error(400, "already_paid", "Order is already paid.", delay_s=delay)
        order.final = "cancelled"
        answer = order_object(order, status="cancelled", tampered=False, biller_id=ctx.biller_id)
    _log.info("SANDBOX order %s cancelled", orderid)
    return json_reply(200, answer, delay_s=delay)


# --- control ------------------------------------------------------------------


def health(ctx: Context, args: Sequence[str], body: bytes) -> Reply:
    return json_reply(200, {"ok": True})


def busy(ctx: Context, args: Sequence[str], body: bytes) -> Reply:
    return json_reply(200, {"in_flight": ctx.in_flight() - 1})  # not this request


def orders(ctx: Context, args: Sequence[str], body: bytes) -> Reply:
    return json_reply(200, {"orders": ctx.book.orders()})


def get_scenario(ctx: Context, args: Sequence[str], body: bytes) -> Reply:
    return json_reply(200, {"scenario": ctx.book.default_scenario().to_dict()})


def _apply_scenario(body: bytes, apply: Callable[[Scenario], None]) -> Reply:
    data = _json_object(body) if body.strip() else {}
    if isinstance(data, str):
        return seed_error(400, "invalid_scenario", f"scenario: {data}")
    try:
        scenario = Scenario.from_dict(data)
    except (TypeError, ValueError) as exc:
        return seed_error(400, "invalid_scenario", str(exc))
    apply(scenario)
    return json_reply(200, {"ok": True, "scenario": scenario.to_dict()})


def set_scenario(ctx: Context, args: Sequence[str], body: bytes) -> Reply:
    return _apply_scenario(body, ctx.book.set_scenario)


def next_scenario(ctx: Context, args: Sequence[str], body: bytes) -> Reply:
    return _apply_scenario(body, ctx.book.queue_scenario)


def force(ctx: Context, args: Sequence[str], body: bytes) -> Reply:
    orderid, action = args
    book = ctx.book
    actions: dict[str, Callable[[str], None]] = {
        "pay": book.pay,
        "decline": book.decline,
        "expire": book.expire,
    }
    try:
        actions[action](orderid)
    except KeyError:
        return _unknown_order()
    return json_reply(200, {"ok": True, "order": book.summary(orderid)})


# --- routing ------------------------------------------------------------------


def _pattern(template: str) -> re.Pattern[str]:
    """``/cancel/{orderid}`` -> a pattern capturing one path segment per ``{name}``."""
    return re.compile("([^/]+)".join(re.escape(part) for part in re.split(r"\{\w+\}", template)))


API_ROUTES: tuple[Route, ...] = (
    Route(_pattern(CREATE_PATH), "POST", create),
    Route(_pattern(QR_PATH), "POST", qrpayment),
    Route(_pattern(STATUS_PATH), "GET", checkstatus),
    Route(_pattern(CANCEL_PATH), "POST", cancel),
)
CONTROL_ROUTES: tuple[Route, ...] = (
    Route(re.compile(r"/_sandbox/health"), "GET", health),
    Route(re.compile(r"/_sandbox/busy"), "GET", busy),
    Route(re.compile(r"/_sandbox/orders"), "GET", orders),
    Route(re.compile(r"/_sandbox/scenario"), "GET", get_scenario),
    Route(re.compile(r"/_sandbox/scenario"), "POST", set_scenario),
    Route(re.compile(r"/_sandbox/next"), "POST", next_scenario),
    Route(re.compile(r"/_sandbox/orders/([^/]+)/(pay|decline|expire)"), "POST", force),
)


def dispatch(ctx: Context, routes: Sequence[Route], method: str, path: str, body: bytes) -> Reply:
    """The answer of the route matching ``path`` and ``method``; 405 or 404 if none."""
    allowed: list[str] = []
    for pattern, route_method, handler in routes:
        match = pattern.fullmatch(path)
        if match is None:
            continue
        if route_method != method:
            allowed.append(route_method)
            continue
        return handler(ctx, [unquote(group) for group in match.groups()], body)
    if allowed:
        reply = seed_error(405, "method_not_allowed", f"{method} is not allowed here.")
        return Reply(
            reply.status, reply.body, headers=(("Allow", ", ".join(sorted(set(allowed)))),)
        )
    return seed_error(404, "not_found", "Not found.")
