"""One deadline per gateway call, the sign-in included (issue: a trickling sign-in held a sale)."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from kiosk.domain.errors import GatewayTimeout
from kiosk.domain.money import Money
from kiosk.domain.order import Method
from kiosk.gateways.villa import VillaGateway
from tests.fakes import ScriptedVilla, run


class StuckSignIn:
    """A token source whose sign-in never finishes (Cognito trickling one byte at a time)."""

    def __init__(self) -> None:
        self.calls = 0

    async def token(self) -> str:
        self.calls += 1
        await asyncio.Event().wait()
        raise AssertionError("unreachable")

    async def refresh(self) -> str:
        return await self.token()


def test_a_sign_in_that_never_ends_is_cut_by_the_call_deadline() -> None:
    backend = ScriptedVilla()
    tokens = StuckSignIn()
    gateway = VillaGateway(
        base_url="https://villa.example/api",
        client=httpx.AsyncClient(transport=httpx.MockTransport(backend)),
        tokens=tokens,
        total_timeout_s=0.05,
    )

    async def create() -> None:
        try:
            await gateway.create_order(
                kiosk_order_id="S001-T01-20261201-0001",
                amount=Money(30000),
                method=Method.QR,
                description="x",
            )
        finally:
            await gateway.aclose()

    with pytest.raises(GatewayTimeout, match="sign-in included"):
        run(create())
    assert tokens.calls == 1 and backend.requests == []  # nothing was sent without a token
