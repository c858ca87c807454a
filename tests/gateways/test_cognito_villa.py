"""The villa adapter signed in through the local Cognito, against a sandbox that
accepts only genuine ID tokens of that pool (RS256 against its JWKS, issuer,
audience, expiry) in one Authorization style."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Literal

import httpx
import pytest

from kiosk.domain.clock import ManualClock
from kiosk.domain.errors import AuthError
from kiosk.domain.money import Money
from kiosk.domain.order import Method
from kiosk.gateways.base import OrderRef, PaymentState
from kiosk.gateways.cognito import CognitoTokens
from kiosk.gateways.sandbox import SandboxServer, Scenario
from kiosk.gateways.villa import VillaGateway
from kiosk.infra.secrets import Secrets
from tests.cognito_local import Pool, cognito, cognito_server  # noqa: F401 - fixtures
from tests.fakes import run


class TokenGate:
    """The API's token check: a genuine ID token of the pool, not on the deny list."""

    def __init__(self, pool: Pool) -> None:
        self.pool = pool
        self.denied: set[str] = set()
        self.seen: list[str] = []
        self._lock = threading.Lock()

    def __call__(self, token: str) -> bool:
        with self._lock:
            self.seen.append(token)
            return token not in self.denied and self.pool.verify_id_token(token)


@pytest.fixture
def gate(cognito: Pool) -> TokenGate:  # noqa: F811
    cognito.jwks()  # fetched once, outside the server thread
    return TokenGate(cognito)


def server(gate: TokenGate, style: Literal["raw", "bearer"]) -> SandboxServer:
    return SandboxServer(
        scenario=Scenario(kind="never"), token_check=gate, auth_style=style
    ).start()


@pytest.fixture
def env(cognito: Pool) -> dict[str, str]:  # noqa: F811
    return {
        "KIOSK_SECRET_COGNITO_PASSWORD": cognito.password,
        "KIOSK_SECRET_COGNITO_CLIENT_SECRET": cognito.client_secret or "",
    }


def gateway(
    cognito: Pool,  # noqa: F811
    env: dict[str, str],
    base_url: str,
    style: str,
) -> tuple[VillaGateway, CognitoTokens]:
    client = httpx.AsyncClient(timeout=10, trust_env=False)
    tokens = CognitoTokens(
        settings=cognito.settings(),
        client=client,
        secrets=Secrets(environ=env),
        clock=ManualClock(),
        remember=False,
    )
    gw = VillaGateway(base_url=base_url, client=client, tokens=tokens, auth_header=style)
    return gw, tokens


@pytest.fixture
def no_keyring_writes() -> Iterator[None]:
    import keyring
    from keyring.backends import fail

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    yield
    keyring.set_keyring(previous)


@pytest.mark.parametrize("style", ["raw", "bearer"])
def test_a_signed_in_gateway_passes_a_token_checking_api(
    style: Literal["raw", "bearer"],
    cognito: Pool,  # noqa: F811
    gate: TokenGate,
    env: dict[str, str],
    no_keyring_writes: None,
) -> None:
    with server(gate, style) as api:
        gw, tokens = gateway(cognito, env, api.base_url, style)

        async def scenario() -> PaymentState:
            created = await gw.create_order(
                kiosk_order_id="S001-T01-20261124-0001",
                amount=Money(1000),
                method=Method.QR,
                description="test",
            )
            ref = OrderRef("S001-T01-20261124-0001", created.gateway_order_id)
            state = (await gw.check_status(ref)).state
            await gw.aclose()
            return state

        assert run(scenario()) == PaymentState.PENDING
    assert tokens.sign_ins == 1 and len(set(gate.seen)) == 1
    assert cognito.verify_id_token(gate.seen[0])


@pytest.mark.parametrize(("sent", "wanted"), [("raw", "bearer"), ("bearer", "raw")])
def test_the_wrong_header_style_is_refused(
    sent: str,
    wanted: Literal["raw", "bearer"],
    cognito: Pool,  # noqa: F811
    gate: TokenGate,
    env: dict[str, str],
    no_keyring_writes: None,
) -> None:
    with server(gate, wanted) as api:
        gw, _ = gateway(cognito, env, api.base_url, sent)
        with pytest.raises(AuthError) as caught:
            run(gw.check_status(OrderRef("S001-T01-20261124-0001")))
        assert caught.value.status == 401


def test_a_401_refreshes_once_and_the_call_is_retried(
    cognito: Pool,  # noqa: F811
    gate: TokenGate,
    env: dict[str, str],
    no_keyring_writes: None,
) -> None:
    with server(gate, "raw") as api:
        gw, tokens = gateway(cognito, env, api.base_url, "raw")
        ref = OrderRef("S001-T01-20261124-0009")

        async def scenario() -> PaymentState:
            first = (await gw.check_status(ref)).state
            gate.denied.add(gate.seen[-1])  # the API stops accepting that token
            second = (await gw.check_status(ref)).state
            await gw.aclose()
            assert first == second
            return second

        assert run(scenario()) == PaymentState.NOT_FOUND
    assert tokens.sign_ins == 1 and tokens.refreshes == 1
    first, refused, retried = gate.seen
    assert first == refused != retried and cognito.verify_id_token(retried)


def test_a_token_of_another_pool_is_refused(
    cognito_server: object,  # noqa: F811
    cognito: Pool,  # noqa: F811
    gate: TokenGate,
    no_keyring_writes: None,
) -> None:
    other = cognito_server.new_pool()  # type: ignore[attr-defined]
    env = {
        "KIOSK_SECRET_COGNITO_PASSWORD": other.password,
        "KIOSK_SECRET_COGNITO_CLIENT_SECRET": other.client_secret,
    }
    with server(gate, "raw") as api:
        gw, tokens = gateway(other, env, api.base_url, "raw")
        with pytest.raises(AuthError):
            run(gw.check_status(OrderRef("S001-T01-20261124-0001")))
    assert tokens.refreshes == 1  # refreshed once on the 401, then gave up
