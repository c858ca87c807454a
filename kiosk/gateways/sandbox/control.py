"""The sandbox's control endpoints, for the kiosk's "simulate payment" banner."""

from __future__ import annotations

from urllib.parse import quote

import httpx

from kiosk.domain.errors import GatewayError, GatewayUnavailable


class SandboxControl:
    def __init__(self, *, base_url: str, client: httpx.AsyncClient | None = None) -> None:
        self._base = base_url.rstrip("/")
        self._client = client or httpx.AsyncClient(timeout=5.0, trust_env=False)

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

    async def aclose(self) -> None:
        await self._client.aclose()
