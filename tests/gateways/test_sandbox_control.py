"""SandboxControl.scenario: the real sandbox's answer, and any other answer refused."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from kiosk.domain.errors import BadGatewayResponse, GatewayError, GatewayUnavailable
from kiosk.gateways.sandbox import SandboxServer, Scenario
from kiosk.gateways.sandbox.control import SandboxControl


def ask(control: SandboxControl) -> str:
    async def run() -> str:
        try:
            return await control.scenario()
        finally:
            await control.aclose()

    return asyncio.run(run())


def answering(status: int, body: bytes) -> SandboxControl:
    transport = httpx.MockTransport(lambda request: httpx.Response(status, content=body))
    return SandboxControl(
        base_url="http://127.0.0.1:9", client=httpx.AsyncClient(transport=transport)
    )


def test_the_real_sandbox_says_its_scenario() -> None:
    with SandboxServer(scenario=Scenario(kind="decline")) as server:
        assert ask(SandboxControl(base_url=server.base_url)) == "decline"
        server.set_scenario(Scenario(kind="never"))
        assert ask(SandboxControl(base_url=server.base_url)) == "never"


@pytest.mark.parametrize(
    "body",
    [
        b"<html>oops",
        b'{"scenario": {"kind": "pay later, honest"}}',
        b'{"scenario": "pay"}',
        b"[]",
        b'{"scenario": {"kind": "pay"}, "pad": "' + b"x" * 70_000 + b'"}',
        b"[" * 5000,
    ],
)
def test_an_answer_that_is_not_a_known_scenario_is_refused(body: bytes) -> None:
    with pytest.raises(BadGatewayResponse):
        ask(answering(200, body))


def test_errors_and_silence() -> None:
    with pytest.raises(GatewayError):
        ask(answering(500, b'{"scenario": {"kind": "pay"}}'))
    with SandboxServer() as server:
        url = server.base_url
    with pytest.raises(GatewayUnavailable):  # nobody listens there any more
        ask(SandboxControl(base_url=url))
