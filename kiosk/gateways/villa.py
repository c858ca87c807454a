"""The Villa Payment API adapter (gateways.md §1) on httpx.AsyncClient.

Thin HTTP layer (``_call``: auth header, timeouts, size cap, error envelopes)
plus a mapping layer (``_created``, ``_qr``, ``_status``) from vendor JSON to
our dataclasses. The amount/QR safety checks live in the checkout service so
every backend gets them.

The server is not trusted (kiosk/gateways/answers.py does the reading):
whatever it sends, a call returns clean, bounded, typed data or raises a
GatewayError, never anything else.

- JSON: at most MAX_BODY_BYTES, UTF-8, nested at most 32 deep, numbers at
  most 40 characters, no NaN/Infinity; anything else is a bad answer.
- Ids (``id``, ``order_id``, ``reference_order``, ``metadata.orderid``) must be
  gateway ids (``[A-Za-z0-9._:-]``, at most 64), else the whole answer is a bad
  answer -- a status answer too, so the checkout never journals it.
- Text (codes, messages, states, currency) is cleaned and scrubbed of secrets,
  the token this adapter sent included, before it is put in a result, an
  error or a log line. Decisions (paid? declined?) use the exact values.
- ``expire_time_seconds`` is used only as a whole number of seconds in
  1..86 400; any other value (negative, zero, huge, float, bool, text) is
  ignored with a warning, and the kiosk's own checkout timeout applies: the
  expiry only bounds how long the kiosk waits, the money is checked anyway.
- QR: text at most 4 096 characters without control characters (the EMVCo
  rules are the domain's); an image at most 256 kB and a PNG.
- Amounts: ``Money.from_gateway`` of a value at most 40 characters long (None when
  unreadable: the checkout refuses an answer without the sale's amount).
"""

from __future__ import annotations

import asyncio
import logging
import math
import ssl
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any, TypeVar
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
from kiosk.domain.outside import is_gateway_id
from kiosk.gateways.answers import (
    MAX_EXPIRE_S,
    MAX_NUMBER_CHARS,
    OutsideText,
    UnreadableJson,
    expire_seconds,
    gateway_id,
    parse_json,
    qr_png,
    qr_text,
    read_capped,
)
from kiosk.gateways.base import (
    CreatedOrder,
    OrderRef,
    PaymentState,
    QrContent,
    StatusReport,
)
from kiosk.gateways.tls import verified
from kiosk.gateways.tokens import TokenSource
from kiosk.infra.config import PathsSettings, is_loopback

log = logging.getLogger("kiosk.gateway.villa")

MAX_BODY_BYTES = 1_000_000
PAID_STATES = frozenset({"Authorized", "Settled", "Refund Sent"})
PENDING_STATES = frozenset({"Initialize", "Pre-Authorized"})
VOID_STATES = frozenset({"Voided", "Reversed"})
MAX_CODE = 64  # codes, states and currencies are short; a message may have MAX_TEXT
MAX_UNKNOWN_STATES_LOGGED = 32  # a server inventing a state per answer must not grow a set
RAW_FIELDS = (
    "id",
    "order_id",
    "reference_order",
    "amount",
    "currency",
    "status",
    "transaction_state",
)
ID_FIELDS = frozenset({"id", "order_id", "reference_order"})

T = TypeVar("T")


def make_client(
    *, connect_timeout_s: float, read_timeout_s: float, tls: ssl.SSLContext | None = None
) -> httpx.AsyncClient:
    """The one HTTP client of a gateway: explicit timeouts on every phase.

    ``tls``: the client's TLS context, by default the process's one verified
    context (``kiosk.gateways.tls``), so the CA bundle is loaded once.
    """
    timeout = httpx.Timeout(read_timeout_s, connect=connect_timeout_s)
    return httpx.AsyncClient(
        timeout=timeout,
        follow_redirects=False,
        trust_env=False,
        verify=tls if tls is not None else verified(),
    )


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
        self._outside = OutsideText()
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
        return self._read("create-order answer", lambda what: self._created(data, what))

    async def get_qr(self, ref: OrderRef) -> QrContent:
        body = {"orderid": ref.kiosk_order_id, "source": ref.method.value}
        data = await self._call("POST", self._paths.qr, json_body=body)
        qr = self._read("QR answer", lambda what: _qr(data, what))
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
        return self._read("status answer", lambda what: self._status(data, what))

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
        # One deadline for the whole call, sign-in and the one retry after a
        # 401 included: a sign-in that trickles must not hold a sale for minutes.
        try:
            async with asyncio.timeout(self._total_timeout_s):
                token = await self._tokens.token()
                response, raw = await self._send(method, path, json_body, token)
                if response.status_code == 401:
                    log.info("401 from %s %s: refreshing the token once", method, path)
                    token = await self._tokens.refresh()
                    response, raw = await self._send(method, path, json_body, token)
        except TimeoutError:
            raise GatewayTimeout(
                f"{method} {path}: no complete answer within {self._total_timeout_s} s"
                " (sign-in included)"
            ) from None
        return self._read(
            f"{method} {path}", lambda what: _interpret(response, raw, what, self._outside)
        )

    async def _send(
        self, method: str, path: str, json_body: Mapping[str, Any] | None, token: str
    ) -> tuple[httpx.Response, bytes]:
        self._outside.remember(token)
        headers = {
            "Authorization": f"Bearer {token}" if self._bearer else token,
            "Accept": "application/json",
        }
        request = self._client.build_request(
            method, self._base + path, json=json_body, headers=headers
        )
        try:
            # The whole-call deadline is ``_call``'s (sign-in included): not set twice.
            response = await self._client.send(request, stream=True)
            try:
                raw = await read_capped(response, MAX_BODY_BYTES, f"{method} {path}")
            finally:
                await response.aclose()
        except httpx.TimeoutException as exc:
            raise GatewayTimeout(f"{method} {path}: {type(exc).__name__}") from None
        except httpx.TransportError as exc:
            cls = GatewayTlsError if _is_tls_failure(exc) else GatewayUnavailable
            why = self._outside.text(str(exc)) or ""  # h11 may quote what the server sent
            raise cls(f"{method} {path}: {type(exc).__name__}: {why}") from None
        except httpx.DecodingError:  # a Content-Encoding the body does not follow
            raise BadGatewayResponse(f"{method} {path}: undecodable body") from None
        except httpx.HTTPError as exc:
            raise GatewayUnavailable(f"{method} {path}: {type(exc).__name__}") from None
        self.last_server_ms = _finite(response.headers.get("X-Sandbox-Time-Ms"))
        return response, raw

    def _read(self, what: str, read: Callable[[str], T]) -> T:
        """``read(what)``, with any unforeseen error in it a bad answer, never a traceback."""
        try:
            return read(what)
        except GatewayError:
            raise
        except Exception as exc:
            log.warning(
                "%s: unreadable (%s: %s)", what, type(exc).__name__, self._outside.text(str(exc))
            )
            raise BadGatewayResponse(f"{what}: unreadable ({type(exc).__name__})") from None

    # --- mapping layer: vendor JSON to our dataclasses, every field checked or cleaned

    def _created(self, data: Mapping[str, Any], what: str) -> CreatedOrder:
        text = self._outside.text
        order_id = gateway_id(data, "id", what)
        if order_id is None:
            raise BadGatewayResponse(f"{what} has no id")
        reference_order = gateway_id(data, "reference_order", what)
        _metadata_orderid(data, what)  # checked like every id, though not used
        status = _opt_str(data.get("status"))
        if status is not None and status != "success":
            shown = text(status, MAX_CODE) or "?"
            raise GatewayRejected(
                f"order status {shown}: {text(data.get('failure_message')) or '-'}",
                code=text(data.get("failure_code"), MAX_CODE) or f"order_{shown}",
            )
        expire = data.get("expire_time_seconds")
        expire_s = expire_seconds(expire)
        if expire is not None and expire_s is None:
            log.warning(
                "%s: expire_time_seconds %s is not a whole number of seconds in 1..%d:"
                " the kiosk's own timeout applies",
                what,
                _shown(expire, text),
                MAX_EXPIRE_S,
            )
        return CreatedOrder(
            gateway_order_id=order_id,
            amount=_amount(data.get("amount")),
            currency=text(data.get("currency"), MAX_CODE),
            expire_time_s=expire_s,
            reference_order=reference_order,
            qr=_qr(data, what),
            merchant_ids=_merchant_ids(data),
        )

    def _status(self, data: Mapping[str, Any], what: str) -> StatusReport:
        text = self._outside.text
        # Decisions on the exact values; what is kept and shown is the cleaned text.
        status = _opt_str(data.get("status"))
        tstate = _opt_str(data.get("transaction_state"))
        failure_code = _opt_str(data.get("failure_code"))
        amount = _amount(data.get("amount"))
        report = StatusReport(
            PaymentState.PENDING,
            charge_id=gateway_id(data, "id", what),
            gateway_order_id=gateway_id(data, "order_id", what),
            transaction_state=text(tstate, MAX_CODE),
            failure_code=text(failure_code, MAX_CODE),
            failure_message=text(data.get("failure_message")),
            kiosk_order_id=_metadata_orderid(data, what),
            amount=amount,
            amount_unreadable=data.get("amount") is not None and amount is None,
            currency=text(data.get("currency"), MAX_CODE),
            raw=self._raw_fields(data, what),
        )
        if status == "success" and tstate in PAID_STATES:
            return replace(report, state=PaymentState.PAID)
        if tstate == "Declined":
            return replace(report, state=PaymentState.DECLINED)
        if tstate in VOID_STATES or (failure_code and "cancel" in failure_code):
            return replace(report, state=PaymentState.CANCELLED)
        if status == "expired" or (failure_code and "expire" in failure_code):
            return replace(report, state=PaymentState.EXPIRED)
        if tstate not in PENDING_STATES:
            self._log_unknown_state(report.transaction_state, text(status, MAX_CODE))
        return report

    def _log_unknown_state(self, tstate: str | None, status: str | None) -> None:
        """Once per state (a bounded number of them: a server may invent one per answer)."""
        key = tstate or ""
        if key in self._unknown_states_logged:
            return
        if len(self._unknown_states_logged) < MAX_UNKNOWN_STATES_LOGGED:
            self._unknown_states_logged.add(key)
            log.warning("unknown transaction_state %r (status %r): not paid yet", tstate, status)

    def _raw_fields(self, data: Mapping[str, Any], what: str) -> tuple[tuple[str, str], ...]:
        """The fields of a status answer kept with a sale that needs attention (clean text)."""
        kept: list[tuple[str, str | None]] = []
        for key in RAW_FIELDS:
            value = data.get(key)
            if key in ID_FIELDS:
                kept.append((key, gateway_id(data, key, what)))
            elif isinstance(value, (int, float)) and not isinstance(value, bool):
                kept.append((key, str(value)))  # at most MAX_NUMBER_CHARS: parse_json
            else:
                kept.append((key, self._outside.text(value, MAX_CODE)))
        kept.append(("metadata.orderid", _metadata_orderid(data, what)))
        return tuple((key, value) for key, value in kept if value is not None)


def _is_tls_failure(exc: BaseException) -> bool:
    seen: BaseException | None = exc
    for _ in range(8):  # httpx -> httpcore -> ssl; bounded in case of a cycle
        if seen is None:
            return False
        if isinstance(seen, ssl.SSLError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _interpret(
    response: httpx.Response, raw: bytes, what: str, outside: OutsideText
) -> dict[str, Any]:
    """Turn an HTTP answer into a JSON object or the right GatewayError."""
    status = response.status_code
    data: Any = None
    unreadable: str | None = None
    try:
        data = parse_json(raw) if raw else None
    except UnreadableJson as exc:
        unreadable = str(exc)
    code, message = _envelope(data, outside)
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
        kind = unreadable or ("no JSON object" if data is None else type(data).__name__)
        raise BadGatewayResponse(f"{what}: {kind} in the answer", status=status)
    return data


def _envelope(data: Any, outside: OutsideText) -> tuple[str | None, str | None]:
    """Read any of the three error envelopes, cleaned; (None, None) if it is not one."""
    if not isinstance(data, dict):
        return None, None
    text = outside.text
    error = data.get("error")
    if isinstance(error, dict):  # seed: {"error": {"code", "message"}}
        return text(error.get("code"), MAX_CODE) or "error", text(error.get("message"))
    body = data.get("body")
    status_code = data.get("statusCode")
    if isinstance(status_code, int) and status_code >= 400 and isinstance(body, dict):
        # older villa: {"statusCode": 400, "body": {"error", "code", "details"}}
        message = text(body.get("error"))
        details = text(body.get("details"))
        if details:
            message = f"{message or ''} ({details})".strip()
        return text(body.get("code"), MAX_CODE) or f"http_{status_code}", message
    if data.get("object") == "error":  # KBank: {"object": "error", "code", "message"}
        return text(data.get("code"), MAX_CODE) or "error", text(data.get("message"))
    return None, None


def _retry_after(response: httpx.Response) -> float | None:
    value = _finite(response.headers.get("Retry-After"))
    return max(0.0, value) if value is not None else None


def _finite(value: str | None) -> float | None:
    """A header's number, if it is one (a server may send anything)."""
    try:
        number = float(value) if value and len(value) <= MAX_NUMBER_CHARS else math.nan
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _merchant_ids(data: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    """KBank's ``additional_data`` ``mid``/``tid``, for the slip; an odd one is left out.

    Decoration only (nothing is decided by them), so a value that is not an id
    is dropped rather than refusing the answer.
    """
    extra = data.get("additional_data")
    if not isinstance(extra, dict):
        return ()
    found = []
    for key in ("mid", "tid"):
        value = extra.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if is_gateway_id(value):
            found.append((key, str(value)))
    return tuple(found)


def _metadata_orderid(data: Mapping[str, Any], what: str) -> str | None:
    """Our order id as the answer names it (``metadata.orderid``), if it does."""
    metadata = data.get("metadata")
    if not isinstance(metadata, dict):
        return None
    return gateway_id(metadata, "orderid", what, "metadata.orderid")


def _shown(value: object, text: Callable[[object, int], str | None]) -> str:
    """A value for a log line: a number as it is (bounded by parse_json), text cleaned."""
    if isinstance(value, (int, float)):
        return repr(value)
    return repr(text(value, MAX_CODE)) if isinstance(value, str) else type(value).__name__


def _amount(value: object) -> Money | None:
    """Money.from_gateway of a bounded value: 5 000 digits of baht could not even be printed."""
    if isinstance(value, str) and len(value) > MAX_NUMBER_CHARS:
        return None
    return Money.from_gateway(value)


def _opt_str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _qr(data: Mapping[str, Any], what: str) -> QrContent | None:
    qr_id = gateway_id(data, "id", what)
    gateway_id(data, "order_id", what)  # checked like every id, though not used
    text = qr_text(data.get("qr_text"), what) or qr_text(data.get("paint_text"), what)
    if text:
        return QrContent(text=text, qr_id=qr_id)
    image = qr_png(data.get("image_with_base64"), what)
    if image:
        return QrContent(image_png=image, qr_id=qr_id)
    return None


__all__ = ["GatewayError", "VillaGateway", "make_client"]
