"""The sandbox's control endpoints, for the kiosk's "simulate payment" banner.

``scenario()`` asks the sandbox what its simulated customer does now, so the
banner shows the gateway's real scenario (an external sandbox may have been
started or steered with another one than this kiosk's setting). Its answer
is read like any answer from outside: bounded JSON, and only a known kind.
"""

from __future__ import annotations

from typing import get_args
from urllib.parse import quote

import httpx

from kiosk.domain.errors import BadGatewayResponse, GatewayError, GatewayUnavailable
from kiosk.gateways.answers import UnreadableJson, parse_json
from kiosk.gateways.sandbox.model import Kind
from kiosk.gateways.tls import context_for

KINDS: tuple[str, ...] = get_args(Kind)
MAX_ANSWER_BYTES = 64_000  # a scenario is a few hundred bytes


class SandboxControl:
    def __init__(self, *, base_url: str, client: httpx.AsyncClient | None = None) -> None:
        self._base = base_url.rstrip("/")
        self._client = client or httpx.AsyncClient(
            timeout=5.0, trust_env=False, verify=context_for(self._base)
        )

    async def _post(self, path: str, body: dict[str, object] | None = None) -> None:
        try:
            response = await self._client.post(self._base + path, json=body or {})
        except httpx.HTTPError as exc:
            raise GatewayUnavailable(f"sandbox control {path}: {exc}") from None
        if response.status_code != 200:
            raise GatewayError(f"sandbox control {path}: HTTP {response.status_code}")

    async def pay(self, kiosk_order_id: str) -> None:
        await self._post(f"/_sandbox/orders/{quote(kiosk_order_id, safe='')}/pay")

    async def set_scenario(self, kind: str, *, after_s: float, expire_s: int) -> None:
        await self._post(
            "/_sandbox/scenario", {"kind": kind, "after_s": after_s, "expire_s": expire_s}
        )

    async def scenario(self) -> str:
        """The kind ("pay", "decline" or "never") of the sandbox's scenario for new orders."""
        path = "/_sandbox/scenario"
        try:
            response = await self._client.get(self._base + path)
        except httpx.HTTPError as exc:
            raise GatewayUnavailable(f"sandbox control {path}: {exc}") from None
        if response.status_code != 200:
            raise GatewayError(f"sandbox control {path}: HTTP {response.status_code}")
        if len(response.content) > MAX_ANSWER_BYTES:
            raise BadGatewayResponse(f"sandbox control {path}: answer too large")
        try:
            data = parse_json(response.content)
        except UnreadableJson as exc:
            raise BadGatewayResponse(f"sandbox control {path}: {exc}") from None
        scenario = data.get("scenario") if isinstance(data, dict) else None
        kind = scenario.get("kind") if isinstance(scenario, dict) else None
        if kind not in KINDS:
            raise BadGatewayResponse(f"sandbox control {path}: no known scenario kind")
        return str(kind)

    async def aclose(self) -> None:
        await self._client.aclose()
