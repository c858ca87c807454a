"""The Villa Payment API adapter (gateways.md §1) on httpx.AsyncClient.

Thin HTTP layer (``_call``: auth header, timeouts, size cap, error envelopes)
plus a mapping layer (``_created``, ``_qr``, ``_status``) from vendor JSON to
our dataclasses. The amount/QR safety checks live in the checkout service so
every backend gets them.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
import logging
import ssl
from collections.abc import Mapping
from dataclasses import replace
from typing import Any
from urllib.parse import quote, urlsplit

import httpx

from kiosk.domain.errors import (
    AuthError,
    BadGatewayResponse,
    ConfigError,
    GatewayError,
    GatewayRejected,
    GatewayTimeout,
    GatewayTlsError,
    GatewayUnavailable,
)
from kiosk.domain.money import Money
from kiosk.domain.order import Method
from kiosk.gateways.base import (
    CreatedOrder,
    OrderRef,
    PaymentState,
    QrContent,
    StatusReport,
)
from kiosk.gateways.tokens import TokenSource
from kiosk.infra.config import PathsSettings, is_loopback

log = logging.getLogger("kiosk.gateway.villa")

MAX_BODY_BYTES = 1_000_000
PAID_STATES = frozenset({"Authorized", "Settled", "Refund Sent"})
PENDING_STATES = frozenset({"Initialize", "Pre-Authorized"})
VOID_STATES = frozenset({"Voided", "Reversed"})


def make_client(*, connect_timeout_s: float, read_timeout_s: float) -> httpx.AsyncClient:
    """The one HTTP client of a gateway: explicit timeouts on every phase."""
    timeout = httpx.Timeout(read_timeout_s, connect=connect_timeout_s)
    return httpx.AsyncClient(timeout=timeout, follow_redirects=False, trust_env=False)


class VillaGateway:
    name = "villa"

    def __init__(
        self,
        *,
        base_url: str,
        client: httpx.AsyncClient,
        tokens: TokenSource,
        paths: PathsSettings | None = None,
        auth_header: str = "raw",
        methods: frozenset[Method] = frozenset(Method),
        name: str = "villa",
        total_timeout_s: float | None = None,
    ) -> None:
        parts = urlsplit(base_url)
        if parts.scheme == "http" and not is_loopback(parts.hostname):
            raise ConfigError("gateway.base_url: plain http is allowed only for loopback hosts")
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ConfigError(f"gateway.base_url: not an http(s) URL: {base_url!r}")
        if auth_header not in ("raw", "bearer"):
            raise ConfigError(f"gateway.auth_header: {auth_header!r}")
        self.name = name
        self.methods = methods
        self._base = base_url.rstrip("/")
        self._client = client
        self._tokens = tokens
        self._paths = paths or PathsSettings()
        self._bearer = auth_header == "bearer"
        # httpx's timeouts are per phase and per read: an answer that trickles
        # in a byte at a time never trips them. This caps the whole call.
        self._total_timeout_s = total_timeout_s
        self._unknown_states_logged: set[str] = set()
        self.last_server_ms: float | None = None

    @property
    def tokens(self) -> TokenSource:
        """Where the ID token comes from (Test connection signs in through it first)."""
        return self._tokens

    @property
    def can_cancel(self) -> bool:
        return bool(self._paths.cancel)

    async def aclose(self) -> None:
        await self._client.aclose()

    # --- the four calls

    async def create_order(
        self, *, kiosk_order_id: str, amount: Money, method: Method, description: str
    ) -> CreatedOrder:
        body = {
            "orderid": kiosk_order_id,
            "source": method.value,
            "amount": amount.plain(),
            "currency": "THB",
            "description": description,
        }
        data = await self._call("POST", self._paths.create_order, json_body=body)
        return _created(data)

    async def get_qr(self, ref: OrderRef) -> QrContent:
        body = {"orderid": ref.kiosk_order_id, "source": ref.method.value}
        data = await self._call("POST", self._paths.qr, json_body=body)
        qr = _qr(data)
        if qr is None:
            raise BadGatewayResponse("QR answer has neither paint_text nor image_with_base64")
        return qr

    async def check_status(self, ref: OrderRef) -> StatusReport:
        try:
            data = await self._call("GET", self._fill(self._paths.status, ref))
        except GatewayRejected as exc:
            if exc.status == 404:
                return StatusReport(PaymentState.NOT_FOUND, failure_code=exc.code)
            raise
        return self._status(data)

    async def cancel(self, ref: OrderRef) -> None:
        if not self.can_cancel:
            raise GatewayRejected("cancel is not supported by this gateway", code="unsupported")
        await self._call("POST", self._fill(self._paths.cancel, ref), json_body={})

    # --- HTTP layer

    def _fill(self, template: str, ref: OrderRef) -> str:
        return template.replace("{orderid}", quote(ref.kiosk_order_id, safe="")).replace(
            "{gateway_order_id}", quote(ref.gateway_order_id or "", safe="")
        )

    async def _call(
        self, method: str, path: str, *, json_body: Mapping[str, Any] | None = None
    ) -> dict[str, Any]:
        response, raw = await self._send(method, path, json_body, await self._tokens.token())
        if response.status_code == 401:
            log.info("401 from %s %s: refreshing the token once", method, path)
            response, raw = await self._send(method, path, json_body, await self._tokens.refresh())
        return _interpret(response, raw, f"{method} {path}")

    async def _send(
        self, method: str, path: str, json_body: Mapping[str, Any] | None, token: str
    ) -> tuple[httpx.Response, bytes]:
        headers = {
            "Authorization": f"Bearer {token}" if self._bearer else token,
            "Accept": "application/json",
        }
        request = self._client.build_request(
            method, self._base + path, json=json_body, headers=headers
        )
        try:
            async with asyncio.timeout(self._total_timeout_s):
                response = await self._client.send(request, stream=True)
                try:
                    raw = await _read_capped(response)
                finally:
                    await response.aclose()
        except TimeoutError:
            raise GatewayTimeout(
                f"{method} {path}: no complete answer within {self._total_timeout_s} s"
            ) from None
        except httpx.TimeoutException as exc:
            raise GatewayTimeout(f"{method} {path}: {type(exc).__name__}") from None
        except httpx.TransportError as exc:
            cls = GatewayTlsError if _is_tls_failure(exc) else GatewayUnavailable
            raise cls(f"{method} {path}: {type(exc).__name__}: {exc}") from None
        server_ms = response.headers.get("X-Sandbox-Time-Ms")
        self.last_server_ms = float(server_ms) if server_ms else None
        return response, raw

    # --- mapping layer (status needs the per-instance log-once set)

    def _status(self, data: Mapping[str, Any]) -> StatusReport:
        status = _opt_str(data.get("status"))
        tstate = _opt_str(data.get("transaction_state"))
        failure_code = _opt_str(data.get("failure_code"))
        amount = Money.from_gateway(data.get("amount"))
        report = StatusReport(
            PaymentState.PENDING,
            charge_id=_opt_str(data.get("id")),
            gateway_order_id=_opt_str(data.get("order_id")),
            transaction_state=tstate,
            failure_code=failure_code,
            failure_message=_opt_str(data.get("failure_message")),
            kiosk_order_id=_metadata_orderid(data),
            amount=amount,
            amount_unreadable=data.get("amount") is not None and amount is None,
            currency=_opt_str(data.get("currency")),
            raw=_raw_fields(data),
        )
        if status == "success" and tstate in PAID_STATES:
            return replace(report, state=PaymentState.PAID)
        if tstate == "Declined":
            return replace(report, state=PaymentState.DECLINED)
        if tstate in VOID_STATES or (failure_code and "cancel" in failure_code):
            return replace(report, state=PaymentState.CANCELLED)
        if status == "expired" or (failure_code and "expire" in failure_code):
            return replace(report, state=PaymentState.EXPIRED)
        if tstate not in PENDING_STATES and (tstate or "") not in self._unknown_states_logged:
            self._unknown_states_logged.add(tstate or "")
            log.warning("unknown transaction_state %r (status %r): not paid yet", tstate, status)
        return report


def _is_tls_failure(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    for _ in range(8):  # httpx -> httpcore -> ssl; bounded in case of a cycle
        if seen is None:
            return False
        if isinstance(seen, ssl.SSLError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


async def _read_capped(response: httpx.Response) -> bytes:
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise BadGatewayResponse(f"answer larger than {MAX_BODY_BYTES} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _interpret(response: httpx.Response, raw: bytes, what: str) -> dict[str, Any]:
    """Turn an HTTP answer into a JSON object or the right GatewayError."""
    status = response.status_code
    data: Any = None
    try:
        data = json.loads(raw) if raw else None
    except (ValueError, UnicodeDecodeError):
        data = None
    code, message = _envelope(data)
    detail = f"{what}: HTTP {status}" + (f" {code}: {message}" if code or message else "")
    if status in (401, 403):
        raise AuthError(detail, code=code, status=status)
    if status == 429 or status >= 500:
        raise GatewayUnavailable(
            detail, code=code, status=status, retry_after=_retry_after(response)
        )
    if status >= 400 or code is not None:
        raise GatewayRejected(detail, code=code or f"http_{status}", status=status)
    if status >= 300:
        raise BadGatewayResponse(detail, status=status)
    if not isinstance(data, dict):
        kind = "no JSON object" if data is None else type(data).__name__
        raise BadGatewayResponse(f"{what}: {kind} in the answer", status=status)
    return data


def _envelope(data: Any) -> tuple[str | None, str | None]:
    """Read any of the three error envelopes; (None, None) if it is not one."""
    if not isinstance(data, dict):
        return None, None
    error = data.get("error")
    if isinstance(error, dict):  # seed: {"error": {"code", "message"}}
        return _opt_str(error.get("code")) or "error", _opt_str(error.get("message"))
    body = data.get("body")
    status_code = data.get("statusCode")
    if isinstance(status_code, int) and status_code >= 400 and isinstance(body, dict):
        # older villa: {"statusCode": 400, "body": {"error", "code", "details"}}
        return _opt_str(body.get("code")) or f"http_{status_code}", _opt_str(body.get("error"))
    if data.get("object") == "error":  # KBank: {"object": "error", "code", "message"}
        return _opt_str(data.get("code")) or "error", _opt_str(data.get("message"))
    return None, None


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None


def _metadata_orderid(data: Mapping[str, Any]) -> str | None:
    """Our order id as the answer names it (``metadata.orderid``), if it does."""
    metadata = data.get("metadata")
    return _opt_str(metadata.get("orderid")) if isinstance(metadata, dict) else None


RAW_FIELDS = ("id", "order_id", "amount", "currency", "status", "transaction_state")


def _raw_fields(data: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    """The fields of a status answer kept with a sale that needs attention (scalars, as text)."""
    kept = [(key, data[key]) for key in RAW_FIELDS if key in data]
    orderid = _metadata_orderid(data)
    if orderid is not None:
        kept.append(("metadata.orderid", orderid))
    return tuple(
        (key, str(value)[:64]) for key, value in kept if isinstance(value, (str, int, float))
    )


def _opt_str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _created(data: Mapping[str, Any]) -> CreatedOrder:
    order_id = _opt_str(data.get("id"))
    if order_id is None:
        raise BadGatewayResponse("create-order answer has no id")
    status = _opt_str(data.get("status"))
    if status is not None and status != "success":
        raise GatewayRejected(
            f"order status {status}: {data.get('failure_message')}",
            code=_opt_str(data.get("failure_code")) or f"order_{status}",
        )
    expire = data.get("expire_time_seconds")
    return CreatedOrder(
        gateway_order_id=order_id,
        amount=Money.from_gateway(data.get("amount")),
        currency=_opt_str(data.get("currency")),
        expire_time_s=expire if isinstance(expire, int) and not isinstance(expire, bool) else None,
        reference_order=_opt_str(data.get("reference_order")),
        qr=_qr(data),
    )


def _qr(data: Mapping[str, Any]) -> QrContent | None:
    qr_id = _opt_str(data.get("id"))
    text = _opt_str(data.get("qr_text")) or _opt_str(data.get("paint_text"))
    if text:
        return QrContent(text=text.strip(), qr_id=qr_id)
    image = _opt_str(data.get("image_with_base64"))
    if image:
        if image.startswith("data:"):
            image = image.partition(",")[2]
        try:
            return QrContent(image_png=base64.b64decode(image, validate=True), qr_id=qr_id)
        except (binascii.Error, ValueError):
            raise BadGatewayResponse("image_with_base64 is not valid base64") from None
    return None


__all__ = ["GatewayError", "VillaGateway", "make_client"]
