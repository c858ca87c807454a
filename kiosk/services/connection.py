"""Test connection: can this kiosk reach, sign in to and talk to its payment API?

Used by the settings dialog and the first-run wizard (``await
test_connection(settings)``) and by ``kiosk doctor``. Three steps, each with
a result in plain words in both languages:

1. reach the API server: DNS, TCP, and the TLS handshake for https;
2. sign in to Cognito with the password (villa; the sandbox has a fixed token);
3. one harmless API call: the status of an order that does not exist.

Expected failures (network, sign-in, refusals, no keyring) never raise: they
are a failed step. The saved session in the keyring is neither used nor
changed, so testing settings that are not saved yet is safe; credentials typed
in the form can be tried before they are stored (``credentials=``).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import ssl
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from kiosk.domain.clock import Clock
from kiosk.domain.errors import (
    AuthError,
    BadGatewayResponse,
    GatewayRejected,
    KioskError,
    Text,
)
from kiosk.domain.order import Method
from kiosk.gateways.base import OrderRef, PaymentState
from kiosk.gateways.cognito import CognitoTokens, SecretStore
from kiosk.gateways.factory import build_gateway
from kiosk.gateways.sandbox import SandboxServer, Scenario
from kiosk.gateways.villa import VillaGateway, make_client
from kiosk.infra.config import Settings
from kiosk.infra.logs import register_secret
from kiosk.infra.secrets import Secrets

log = logging.getLogger("kiosk.connection")

TEST_ORDER_ID = "CONNECTION-TEST-0000"


@dataclass(frozen=True)
class Step:
    """One line of the result."""

    key: str  # "reach" | "sign_in" | "api"
    name: Text
    ok: bool
    text: Text
    skipped: bool = False
    detail: str = ""  # technical detail for the log (no secrets)


@dataclass(frozen=True)
class ConnectionResult:
    ok: bool
    text: Text  # one sentence for the dialog
    steps: tuple[Step, ...]
    elapsed_s: float


class OverlaySecrets:
    """Secrets typed in the form, over the stored ones; writes go nowhere."""

    def __init__(self, base: SecretStore, overrides: Mapping[str, str | None]) -> None:
        self._base = base
        self._overrides = {k: v for k, v in overrides.items() if v}
        for value in self._overrides.values():
            register_secret(value)

    def get(self, name: str) -> str | None:
        return self._overrides.get(name) or self._base.get(name)

    def set(self, name: str, value: str) -> None:
        return None

    def delete(self, name: str) -> bool:
        return False

    def overridden(self, name: str) -> bool:
        return name in self._overrides or self._base.overridden(name)


REACH = Text("Reach the API server", "เชื่อมต่อเซิร์ฟเวอร์ API")
# What the API said of the made-up test order, in words (not_found is the usual answer).
ANSWERS = {
    PaymentState.PENDING: Text("pending", "รอชำระ"),
    PaymentState.PAID: Text("paid", "ชำระแล้ว"),
    PaymentState.DECLINED: Text("declined", "ถูกปฏิเสธ"),
    PaymentState.EXPIRED: Text("expired", "หมดเวลา"),
    PaymentState.CANCELLED: Text("cancelled", "ยกเลิก"),
    PaymentState.NOT_FOUND: Text("not found, as expected", "ไม่พบรายการ ตามที่คาดไว้"),
}
SIGN_IN = Text("Sign in (Cognito)", "เข้าสู่ระบบ (Cognito)")
API = Text("One API call", "เรียก API หนึ่งครั้ง")


Resolver = Callable[[str, int], Awaitable[object]]


async def _resolve(host: str, port: int) -> object:
    return await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)


async def probe_server(url: str, *, timeout_s: float = 5.0, resolve: Resolver = _resolve) -> Step:
    """DNS, TCP and (for https) a verified TLS handshake to ``url``'s host; no request."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    https = parts.scheme == "https"
    port = parts.port or (443 if https else 80)
    where = f"{host}:{port}"
    try:
        await asyncio.wait_for(resolve(host, port), timeout=timeout_s)
    except (OSError, TimeoutError) as exc:
        return Step(
            "reach",
            REACH,
            False,
            Text(
                f"Cannot find the server {host} (DNS). Check the network and gateway.base_url.",
                f"หาเซิร์ฟเวอร์ {host} ไม่พบ (DNS) กรุณาตรวจสอบเครือข่ายและ gateway.base_url",
            ),
            detail=f"getaddrinfo {host}: {type(exc).__name__}: {exc}",
        )
    context = ssl.create_default_context() if https else None
    try:
        _, writer = await asyncio.wait_for(
            asyncio.open_connection(
                host, port, ssl=context, server_hostname=host if https else None
            ),
            timeout=timeout_s,
        )
    except ssl.SSLCertVerificationError as exc:
        return Step(
            "reach",
            REACH,
            False,
            Text(
                f"The server {host} showed a certificate that is not valid for it "
                f"({exc.verify_message}). Check gateway.base_url and the computer's date.",
                f"ใบรับรองของเซิร์ฟเวอร์ {host} ไม่ถูกต้อง ({exc.verify_message}) "
                "กรุณาตรวจสอบ gateway.base_url และวันที่ของเครื่อง",
            ),
            detail=f"TLS {where}: {exc}",
        )
    except (OSError, TimeoutError) as exc:
        phase = "TLS" if isinstance(exc, ssl.SSLError) else "connect"
        return Step(
            "reach",
            REACH,
            False,
            Text(
                f"Cannot connect to {where}. Check the network, a firewall or proxy, and "
                "gateway.base_url.",
                f"เชื่อมต่อ {where} ไม่ได้ กรุณาตรวจสอบเครือข่าย ไฟร์วอลล์หรือพร็อกซี และ gateway.base_url",
            ),
            detail=f"{phase} {where}: {type(exc).__name__}: {exc}",
        )
    writer.close()
    with contextlib.suppress(OSError):
        await writer.wait_closed()
    how = (
        Text("TLS verified", "ตรวจสอบ TLS แล้ว")
        if https
        else Text("plain HTTP on this computer", "HTTP ธรรมดาภายในเครื่องนี้")
    )
    return Step(
        "reach",
        REACH,
        True,
        Text(f"{where} answers ({how.en}).", f"{where} ตอบกลับ ({how.th})"),
    )


async def sign_in_step(tokens: CognitoTokens) -> tuple[Step, bool]:
    try:
        await tokens.sign_in()
    except KioskError as exc:
        return Step("sign_in", SIGN_IN, False, exc.text, detail=str(exc)), False
    session = tokens.session
    user = session.cognito_username if session else None
    return (
        Step(
            "sign_in",
            SIGN_IN,
            True,
            Text(
                "Signed in" + (f" as {user}." if user else "."),
                "เข้าสู่ระบบแล้ว" + (f" ในชื่อ {user}" if user else ""),
            ),
        ),
        True,
    )


async def api_step(gateway: VillaGateway) -> Step:
    ref = OrderRef(TEST_ORDER_ID, None, Method.QR)
    try:
        report = await gateway.check_status(ref)
    except AuthError as exc:
        return Step(
            "api",
            API,
            False,
            Text(
                f"The API refused the sign-in token (HTTP {exc.status or '?'}). Check "
                "gateway.auth_header (raw or bearer) and that this user may use the API.",
                f"API ปฏิเสธโทเคนเข้าสู่ระบบ (HTTP {exc.status or '?'}) กรุณาตรวจสอบ "
                "gateway.auth_header (raw หรือ bearer) และสิทธิ์ของผู้ใช้นี้",
            ),
            detail=str(exc),
        )
    except GatewayRejected as exc:
        # Signed in and understood: it only does not know the made-up order.
        return Step(
            "api",
            API,
            True,
            Text(
                f"The API answered (HTTP {exc.status or '?'} for a test order, as expected).",
                f"API ตอบกลับแล้ว (HTTP {exc.status or '?'} สำหรับรายการทดสอบ ตามที่คาดไว้)",
            ),
            detail=str(exc),
        )
    except BadGatewayResponse as exc:
        return Step(
            "api",
            API,
            False,
            Text(
                "The server answered, but not like the Villa Payment API. Check "
                "gateway.base_url and gateway.paths.status.",
                "เซิร์ฟเวอร์ตอบกลับแต่ไม่ใช่รูปแบบของ Villa Payment API กรุณาตรวจสอบ "
                "gateway.base_url และ gateway.paths.status",
            ),
            detail=str(exc),
        )
    except KioskError as exc:
        return Step("api", API, False, exc.text, detail=str(exc))
    answer = ANSWERS.get(report.state, Text(report.state.value, report.state.value))
    return Step(
        "api",
        API,
        True,
        Text(
            f"The API answered (test order: {answer.en}).",
            f"API ตอบกลับแล้ว (รายการทดสอบ: {answer.th})",
        ),
    )


def _skipped(key: str, name: Text, why: Text) -> Step:
    return Step(key, name, True, why, skipped=True)


_NOT_TRIED = Text("Not tried (an earlier step failed).", "ไม่ได้ทดสอบ (ขั้นตอนก่อนหน้าไม่ผ่าน)")


async def connection_steps(
    settings: Settings,
    *,
    secrets: SecretStore | None = None,
    credentials: Mapping[str, str | None] | None = None,
    clock: Clock | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> list[Step]:
    """The three steps for ``settings`` (see the module doc); never raises for
    network, sign-in or keyring trouble."""
    gw = settings.gateway
    sandbox: SandboxServer | None = None
    steps: list[Step] = []
    if transport is not None:
        timeout = httpx.Timeout(gw.read_timeout_s, connect=gw.connect_timeout_s)
        client = httpx.AsyncClient(transport=transport, timeout=timeout, trust_env=False)
    else:
        client = make_client(
            connect_timeout_s=gw.connect_timeout_s, read_timeout_s=gw.read_timeout_s
        )
    try:
        if settings.uses_embedded_sandbox:
            sandbox = SandboxServer(scenario=Scenario(kind="never")).start()
        try:
            gateway = build_gateway(
                settings,
                sandbox_url=sandbox.base_url if sandbox else None,
                client=client,
                secrets=OverlaySecrets(secrets or Secrets(), credentials or {})
                if gw.kind != "sandbox"
                else None,
                clock=clock,
                remember_token=False,
            )
        except KioskError as exc:
            steps.append(Step("sign_in", SIGN_IN, False, exc.text, detail=str(exc)))
            return steps
        base_url = sandbox.base_url if sandbox else gw.base_url
        tokens = gateway.tokens
        cognito = tokens if isinstance(tokens, CognitoTokens) else None
        if transport is None:
            reach = await probe_server(base_url, timeout_s=gw.connect_timeout_s)
        else:
            reach = _skipped("reach", REACH, Text("Not checked (test transport).", "ไม่ได้ตรวจ"))
        steps.append(reach)
        if cognito is None:
            steps.append(
                _skipped(
                    "sign_in",
                    SIGN_IN,
                    Text(
                        "Not needed: the sandbox uses a fixed test token.",
                        "ไม่จำเป็น: โหมดทดสอบใช้โทเคนคงที่",
                    ),
                )
            )
        elif reach.ok:
            step, signed_in = await sign_in_step(cognito)
            steps.append(step)
            if not signed_in:
                steps.append(_skipped("api", API, _NOT_TRIED))
                return steps
        else:
            steps.append(_skipped("sign_in", SIGN_IN, _NOT_TRIED))
        if not reach.ok:
            steps.append(_skipped("api", API, _NOT_TRIED))
            return steps
        steps.append(await api_step(gateway))
        return steps
    finally:
        await client.aclose()
        if sandbox is not None:
            sandbox.stop()


async def test_connection(
    settings: Settings,
    *,
    secrets: SecretStore | None = None,
    credentials: Mapping[str, str | None] | None = None,
    clock: Clock | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> ConnectionResult:
    """The settings dialog's **Test connection**: sign in + one harmless API call."""
    started = time.monotonic()
    steps = await connection_steps(
        settings, secrets=secrets, credentials=credentials, clock=clock, transport=transport
    )
    failed = [s for s in steps if not s.ok]
    for step in steps:
        log.info(
            "test connection: %s %s %s",
            step.key,
            "skip" if step.skipped else ("ok" if step.ok else "FAIL"),
            step.detail,
        )
    if failed:
        text = failed[0].text
    elif settings.gateway.kind == "sandbox":
        text = Text(
            "The sandbox gateway works (no real payments).",
            "เกตเวย์ทดสอบใช้งานได้ (ไม่มีการชำระเงินจริง)",
        )
    else:
        text = Text(
            "Connected: the kiosk signed in and the Villa Payment API answered.",
            "เชื่อมต่อสำเร็จ: เครื่องเข้าสู่ระบบและ Villa Payment API ตอบกลับแล้ว",
        )
    return ConnectionResult(not failed, text, tuple(steps), time.monotonic() - started)


test_connection.__test__ = False  # type: ignore[attr-defined]  # not a pytest test
