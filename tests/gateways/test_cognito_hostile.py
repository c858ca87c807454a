"""Cognito as an attacker would answer (issue 12, attacks 3-5 on sign-in): one deadline
for a whole sign-in, bounded parsing, and every field it sends treated as outside text."""

from __future__ import annotations

import asyncio
import base64
import json
import logging
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from kiosk.domain.clock import ManualClock
from kiosk.domain.errors import AuthError, BadGatewayResponse, GatewayError, GatewayTimeout
from kiosk.domain.outside import clean_text
from kiosk.gateways.cognito import CognitoTokens, cognito_error
from kiosk.gateways.cognito_answers import DEFAULT_EXPIRES_IN_S, jwt_claims, read_answer
from kiosk.infra.config import CognitoSettings
from kiosk.infra.secrets import Secrets
from tests.cognito_hostile import CONTROL_TYPE, RICH_TYPE, HostileCognito

PASSWORD = "Hostile-Passw0rd-42"


def tokens_at(url: str, *, total_timeout_s: float = 30.0, read_timeout_s: float = 10.0) -> Any:
    client = httpx.AsyncClient(timeout=read_timeout_s, trust_env=False)
    return CognitoTokens(
        settings=CognitoSettings(endpoint_url=url, client_id="client", username="kiosk01"),
        client=client,
        secrets=Secrets(environ={"KIOSK_SECRET_COGNITO_PASSWORD": PASSWORD}),
        clock=ManualClock(),
        remember=False,
        total_timeout_s=total_timeout_s,
    )


def mock_tokens(handler: Callable[[httpx.Request], httpx.Response]) -> Any:
    client = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    return CognitoTokens(
        settings=CognitoSettings(client_id="client", username="kiosk01"),
        client=client,
        secrets=Secrets(environ={"KIOSK_SECRET_COGNITO_PASSWORD": PASSWORD}),
        clock=ManualClock(),
        remember=False,
    )


async def bounded(coro: Any) -> Any:
    """Run ``coro``; a hang shows as a test failure, not as a stuck suite."""
    return await asyncio.wait_for(coro, timeout=60)


def sign_in_error(tokens: CognitoTokens) -> GatewayError:
    async def scenario() -> None:
        await bounded(tokens.token())

    with pytest.raises(GatewayError) as caught:
        asyncio.run(scenario())
    return caught.value


# --- attack 4: one overall deadline


def test_an_answer_trickling_a_byte_every_2_s_ends_in_a_timeout_within_the_deadline() -> None:
    # httpx's read timeout (10 s) never trips: each byte comes well within it.
    with HostileCognito("trickle") as server:
        error = sign_in_error(tokens_at(server.url, total_timeout_s=1.0, read_timeout_s=10.0))
    assert type(error) is GatewayTimeout
    assert "within 1 s" in error.detail and "1 seconds" in error.text.en and error.text.th
    assert len(server.requests) == 1  # no second try after the deadline


def test_the_deadline_covers_the_wait_for_another_sign_in() -> None:
    with HostileCognito("trickle") as server:
        tokens = tokens_at(server.url, total_timeout_s=1.0)

        async def scenario() -> list[BaseException | str]:
            return await bounded(
                asyncio.gather(tokens.token(), tokens.refresh(), return_exceptions=True)
            )

        outcomes = asyncio.run(scenario())
    assert [type(o) for o in outcomes] == [GatewayTimeout, GatewayTimeout]


def test_sign_in_for_test_connection_has_the_deadline_too() -> None:
    with HostileCognito("trickle") as server:
        tokens = tokens_at(server.url, total_timeout_s=1.0)
        with pytest.raises(GatewayTimeout):
            asyncio.run(bounded(tokens.sign_in()))


# --- attack 3: bounded parsing


def test_json_nested_10000_deep_is_a_bad_answer_not_a_recursion_error() -> None:
    with HostileCognito("deep") as server:
        error = sign_in_error(tokens_at(server.url))
    assert type(error) is BadGatewayResponse and "nested deeper than 32" in error.detail


@pytest.mark.parametrize("status", [200, 400, 500])
def test_deep_json_is_refused_whatever_the_status(status: int) -> None:
    deep = b'{"__type": ' + b"[" * 5000 + b"]" * 5000 + b"}"
    error = sign_in_error(mock_tokens(lambda r: httpx.Response(status, content=deep)))
    assert type(error) is BadGatewayResponse


def test_an_answer_larger_than_the_cap_is_refused() -> None:
    with HostileCognito("big") as server:
        error = sign_in_error(tokens_at(server.url))
    assert type(error) is BadGatewayResponse and "larger than" in error.detail


def test_read_answer() -> None:
    nested = b'{"a": [[["x"]]], "b": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}'
    assert read_answer(nested, "F", 200) == {"a": [[["x"]]], "b": "[" * 37}  # strings: no depth
    with pytest.raises(BadGatewayResponse, match="nested"):
        read_answer(b"[" * 100_000, "F", 400)
    assert read_answer(b"<html>502 Bad Gateway</html>", "F", 502) is None  # a proxy's page
    assert read_answer(b"\xff\xfe", "F", 400) is None
    assert read_answer(b'{"ExpiresIn": ' + b"1" * 5000 + b"}", "F", 200) is None  # no crash
    assert read_answer(b"", "F", 400) is None


def test_a_deeply_nested_jwt_payload_gives_no_claims() -> None:
    payload = base64.urlsafe_b64encode(b'{"a":' * 5000 + b"1" + b"}" * 5000).decode().rstrip("=")
    assert jwt_claims(f"eyJhbGciOiJub25lIn0.{payload}.sig") == {}


@pytest.mark.parametrize(
    "result",
    [
        {"IdToken": "a.b.c\r\nX-Evil: 1"},  # would go into the Authorization header
        {"IdToken": "x" * 20_000},
        {"IdToken": 42},
        {"IdToken": ""},
    ],
)
def test_an_unusable_id_token_is_a_bad_answer(result: dict[str, Any]) -> None:
    answer = {"AuthenticationResult": result}
    error = sign_in_error(mock_tokens(lambda r: httpx.Response(200, json=answer)))
    assert type(error) is BadGatewayResponse


@pytest.mark.parametrize("expires_in", [10**12, -5, 0, "3600", 1.5, True])
def test_an_absurd_expiry_gives_the_usual_hour_not_an_overflow(expires_in: object) -> None:
    answer = {"AuthenticationResult": {"IdToken": "id.tok.en", "ExpiresIn": expires_in}}
    tokens = mock_tokens(lambda r: httpx.Response(200, json=answer))
    assert asyncio.run(tokens.token()) == "id.tok.en"
    session = tokens.session
    assert (session.expires_at - ManualClock().now()).total_seconds() == DEFAULT_EXPIRES_IN_S


def test_a_refresh_token_that_is_no_token_is_not_kept() -> None:
    answer = {"AuthenticationResult": {"IdToken": "id.tok.en", "RefreshToken": "rt\n\x1b[2J"}}
    tokens = mock_tokens(lambda r: httpx.Response(200, json=answer))
    asyncio.run(tokens.token())
    assert tokens._refresh_token is None


# --- attack 5: outside text


def every_text(error: GatewayError) -> str:
    return " ".join([str(error), error.detail, error.code or "", error.text.en, error.text.th])


def test_the_password_echoed_in_type_and_message_reaches_no_error_nor_log(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="kiosk")
    with HostileCognito("echo") as server:
        error = sign_in_error(tokens_at(server.url))
    assert server.requests[0]["AuthParameters"]["PASSWORD"] == PASSWORD  # it was echoed
    assert isinstance(error, AuthError)
    assert PASSWORD not in every_text(error) and PASSWORD not in caplog.text
    assert error.code == "***" and "Incorrect password *** for user" in error.detail


def test_a_password_split_by_a_control_character_is_still_hidden() -> None:
    split = PASSWORD[:6] + "\x00" + PASSWORD[6:]
    error = cognito_error(
        400, {"__type": split, "message": f"pw {split}"}, flow="F", hide=(PASSWORD,)
    )
    assert PASSWORD not in every_text(error)


def test_rich_text_and_controls_in_type_stay_text() -> None:
    rich = cognito_error(400, {"__type": RICH_TYPE, "message": "<b>x</b>"}, flow="F")
    assert rich.code == RICH_TYPE and RICH_TYPE in rich.text.en  # shown, as literal text
    odd = cognito_error(400, {"__type": CONTROL_TYPE, "message": "a\nb\x1b[2Jc\u202e"}, flow="F")
    for text in (every_text(odd), odd.code or ""):
        assert not any(ch in text for ch in "\x1b\n\x00\u202e")
    assert odd.code == clean_text(CONTROL_TYPE)
    long = cognito_error(400, {"__type": "X" * 5000, "message": "m" * 5000}, flow="F")
    assert len(long.code or "") <= 128 and len(long.detail) < 600


def test_a_challenge_name_is_outside_text() -> None:
    answer = {"ChallengeName": f"{RICH_TYPE}\n{PASSWORD}\x1b"}
    error = sign_in_error(mock_tokens(lambda r: httpx.Response(200, json=answer)))
    assert isinstance(error, AuthError) and PASSWORD not in every_text(error)
    assert "\n" not in every_text(error) and "\x1b" not in every_text(error)


def test_the_user_name_in_the_token_is_outside_text() -> None:
    claims = {"cognito:username": "kiosk01\n\u202eevil\x1b"}
    payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).decode().rstrip("=")
    answer = {"AuthenticationResult": {"IdToken": f"eyJhbGciOiJub25lIn0.{payload}.sig"}}
    tokens = mock_tokens(lambda r: httpx.Response(200, json=answer))
    asyncio.run(tokens.token())
    assert tokens.session.cognito_username == "kiosk01 evil"
