"""Small doubles for the outer edge: a scripted villa backend on httpx.MockTransport."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Coroutine
from contextlib import ExitStack
from typing import Any, TypeVar

import httpx

from kiosk.domain import thaiqr
from kiosk.domain.money import Money
from kiosk.domain.order import Method, Order
from kiosk.gateways.villa import VillaGateway
from kiosk.infra.config import PathsSettings
from kiosk.services.checkout import CheckoutService
from tests.conftest import data_json

T = TypeVar("T")
Handler = Callable[[httpx.Request], httpx.Response]


def run(coro: Coroutine[Any, Any, T]) -> T:
    return asyncio.run(coro)


class CountingToken:
    def __init__(self, *tokens: str) -> None:
        self.tokens = list(tokens)
        self.refreshes = 0

    async def token(self) -> str:
        return self.tokens[0]

    async def refresh(self) -> str:
        self.refreshes += 1
        if len(self.tokens) > 1:
            self.tokens.pop(0)
        return self.tokens[0]


def villa(
    handler: Handler,
    *,
    tokens: CountingToken | None = None,
    paths: PathsSettings | None = None,
    auth_header: str = "raw",
) -> VillaGateway:
    client = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    return VillaGateway(
        base_url="https://villa.example/api",
        client=client,
        tokens=tokens or CountingToken("tok-1"),
        paths=paths,
        auth_header=auth_header,
    )


def order_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = data_json("vectors", "villa", "order_created.json")
    body.update(changes)
    return body


def status_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = data_json("vectors", "villa", "charge_inquiry_paid.json")
    body.update(changes)
    return body


PAYEE = "010555800000001"


def thai_qr(amount: Money, payee: str = PAYEE) -> str:
    return thaiqr.build_bill_payment(biller_id=payee, ref1="REF1", amount=amount)


class ScriptedVilla:
    """A villa backend whose answers a test sets; records every request."""

    def __init__(self, amount: Money = Money(30000)) -> None:
        self.requests: list[httpx.Request] = []
        self.create: Callable[[dict[str, Any]], httpx.Response] = lambda body: httpx.Response(
            200, json=order_body(amount=float(body["amount"]), currency="THB")
        )
        self.qr: Callable[[], httpx.Response] = lambda: httpx.Response(
            200, json={"id": "qr_1", "paint_text": thai_qr(amount)}
        )
        self.statuses: list[httpx.Response] = []
        self.cancels = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        path = request.url.path.removeprefix("/api")
        body = json.loads(request.content) if request.content else {}
        if path == "/kbank/order":
            return self.create(body)
        if path == "/qrpayment":
            return self.qr()
        if path.startswith("/checkstatus/"):
            if len(self.statuses) > 1:
                return self.statuses.pop(0)
            return self.statuses[0] if self.statuses else pending()
        if path.startswith("/cancel/"):
            self.cancels += 1
            return httpx.Response(200, json=order_body(status="cancelled"))
        return httpx.Response(404, json={"error": {"code": "nope", "message": path}})

    def paths_called(self) -> list[str]:
        return [r.url.path.removeprefix("/api") for r in self.requests]


def pending() -> httpx.Response:
    return httpx.Response(200, json=status_body(transaction_state="Initialize"))


def paid() -> httpx.Response:
    return httpx.Response(200, json=status_body())


async def start_left_open(
    service: CheckoutService, amount: Money = Money(30000), method: Method = Method.QR
) -> Order:
    """A sale started while earlier ones were still followed, then left (as by a crash).

    ``CheckoutService.start`` refuses a sale while an earlier one's outcome is
    unknown; tests that need several open orders hold each earlier one as
    "followed" (as the crashed process was) while the next one starts.
    """
    with ExitStack() as held:
        for order in service.unresolved():
            held.enter_context(service.follows(order.kiosk_order_id))
        return await service.start(amount, method)
