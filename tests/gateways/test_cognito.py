"""Cognito sign-in against a real local Cognito (moto_server on 127.0.0.1).

moto does not check SECRET_HASH on USER_PASSWORD_AUTH (it does on refresh):
what we send is asserted on the recorded request bodies, and the HMAC itself
against a vector computed with openssl.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from kiosk.domain.clock import ManualClock
from kiosk.domain.errors import (
    AuthError,
    BadGatewayResponse,
    ConfigError,
    GatewayTimeout,
    GatewayUnavailable,
)
from kiosk.gateways.cognito import (
    CONTENT_TYPE,
    TARGET,
    CognitoTokens,
    cognito_error,
    endpoint_for,
    error_type,
    jwt_claims,
    secret_hash,
)
from kiosk.infra.config import CognitoSettings
from kiosk.infra.secrets import Secrets
from tests.cognito_local import (  # noqa: F401 - fixtures
    Pool,
    cognito,
    cognito_server,
    free_port,
)
from tests.fakes import run
from tests.memkeyring import MemoryKeyring, memory_keyring  # noqa: F401 - fixture


class Recorder:
    """Records every InitiateAuth body the kiosk sends (moto does not check all of it)."""

    def __init__(self) -> None:
        self.bodies: list[dict[str, Any]] = []
        self.headers: list[httpx.Headers] = []

    async def hook(self, request: httpx.Request) -> None:
        self.bodies.append(json.loads(request.content))
        self.headers.append(request.headers)

    @property
    def flows(self) -> list[str]:
        return [b["AuthFlow"] for b in self.bodies]


def tokens_for(
    settings: CognitoSettings,
    secrets: Secrets,
    clock: ManualClock,
    recorder: Recorder | None = None,
    **kwargs: Any,
) -> CognitoTokens:
    hooks = {"request": [recorder.hook]} if recorder else {}
    client = httpx.AsyncClient(timeout=10, trust_env=False, event_hooks=hooks)
    return CognitoTokens(settings=settings, client=client, secrets=secrets, clock=clock, **kwargs)


@pytest.fixture
def secrets(memory_keyring: MemoryKeyring, cognito: Pool) -> Secrets:  # noqa: F811
    store = Secrets(environ={})
    store.set("COGNITO_PASSWORD", cognito.password)
    assert cognito.client_secret
    store.set("COGNITO_CLIENT_SECRET", cognito.client_secret)
    return store


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


# --- SECRET_HASH and small pieces


def test_secret_hash_matches_an_openssl_vector() -> None:
    # printf 'kiosk01client-abc' | openssl dgst -sha256 -hmac 'top-secret' -binary | base64
    assert (
        secret_hash("kiosk01", "client-abc", "top-secret")
        == "E8RFPkQAnDNnZizKfh91ax6f8PGLMi1zdyVkOzt1mIA="
    )


def test_endpoint_and_type_suffix() -> None:
    assert endpoint_for(CognitoSettings()) == "https://cognito-idp.ap-southeast-1.amazonaws.com/"
    assert endpoint_for(CognitoSettings(endpoint_url="http://127.0.0.1:9")) == "http://127.0.0.1:9/"
    assert error_type("com.amazonaws.cognito#NotAuthorizedException") == "NotAuthorizedException"
    assert error_type("UserNotFoundException") == "UserNotFoundException"
    assert error_type(None) is None and error_type("") is None
    assert jwt_claims("not-a-jwt") == {} and jwt_claims("a.b.c") == {}


def test_a_plain_http_endpoint_off_loopback_is_refused(clock: ManualClock) -> None:
    with pytest.raises(ConfigError, match="https"):
        tokens_for(
            CognitoSettings(endpoint_url="http://cognito.example", client_id="c", username="u"),
            Secrets(environ={}),
            clock,
        )


# --- against the local Cognito


def test_sign_in_gives_a_verified_id_token_and_keeps_it(
    cognito: Pool,  # noqa: F811
    secrets: Secrets,
    clock: ManualClock,
    memory_keyring: MemoryKeyring,  # noqa: F811
) -> None:
    recorder = Recorder()
    tokens = tokens_for(cognito.settings(), secrets, clock, recorder)

    async def scenario() -> tuple[str, str]:
        return await tokens.token(), await tokens.token()

    first, second = run(scenario())
    assert first == second and cognito.verify_id_token(first)
    assert tokens.sign_ins == 1 and recorder.flows == ["USER_PASSWORD_AUTH"]
    body, headers = recorder.bodies[0], recorder.headers[0]
    assert headers["X-Amz-Target"] == TARGET and headers["Content-Type"] == CONTENT_TYPE
    assert "authorization" not in headers  # unsigned, as the public API allows
    assert body == {
        "AuthFlow": "USER_PASSWORD_AUTH",
        "ClientId": cognito.client_id,
        "AuthParameters": {
            "USERNAME": "kiosk01",
            "PASSWORD": cognito.password,
            "SECRET_HASH": secret_hash("kiosk01", cognito.client_id, cognito.client_secret or ""),
        },
    }
    saved = memory_keyring.store[("qr-kiosk", "COGNITO_REFRESH_TOKEN")]
    assert saved and saved != first
    assert "kiosk01" in repr(tokens) and first not in repr(tokens)


def test_a_client_without_secret_sends_no_secret_hash(
    cognito_server: Any,  # noqa: F811
    memory_keyring: MemoryKeyring,  # noqa: F811
    clock: ManualClock,
) -> None:
    pool = cognito_server.new_pool(secret=False)
    store = Secrets(environ={"KIOSK_SECRET_COGNITO_PASSWORD": pool.password})
    recorder = Recorder()
    token = run(tokens_for(pool.settings(), store, clock, recorder).token())
    assert pool.verify_id_token(token)
    assert "SECRET_HASH" not in recorder.bodies[0]["AuthParameters"]


def test_the_token_is_refreshed_before_it_expires(
    cognito: Pool,  # noqa: F811
    secrets: Secrets,
    clock: ManualClock,
) -> None:
    recorder = Recorder()
    tokens = tokens_for(cognito.settings(), secrets, clock, recorder, margin_s=300)

    async def scenario() -> list[str]:
        seen = [await tokens.token()]
        clock.advance(3600 - 301)  # still outside the margin: no call
        seen.append(await tokens.token())
        clock.advance(2)  # inside the 300 s margin: refresh
        seen.append(await tokens.token())
        return seen

    first, same, renewed = run(scenario())
    assert same == first and renewed != first and cognito.verify_id_token(renewed)
    assert recorder.flows == ["USER_PASSWORD_AUTH", "REFRESH_TOKEN_AUTH"]
    refresh = recorder.bodies[1]["AuthParameters"]
    claims = jwt_claims(first)
    assert refresh["SECRET_HASH"] == secret_hash(
        claims["cognito:username"], cognito.client_id, cognito.client_secret or ""
    )
    assert tokens.sign_ins == 1 and tokens.refreshes == 1


def test_a_restart_uses_the_saved_refresh_token_and_no_password(
    cognito: Pool,  # noqa: F811
    secrets: Secrets,
    clock: ManualClock,
) -> None:
    run(tokens_for(cognito.settings(), secrets, clock).token())
    secrets.delete("COGNITO_PASSWORD")  # the restarted kiosk could not use it
    recorder = Recorder()
    restarted = tokens_for(cognito.settings(), secrets, clock, recorder)
    token = run(restarted.token())
    assert cognito.verify_id_token(token)
    assert recorder.flows == ["REFRESH_TOKEN_AUTH"] and restarted.sign_ins == 0


@pytest.mark.parametrize("how", ["revoked", "unknown"])
def test_a_refused_refresh_token_falls_back_to_the_password(
    how: str,
    cognito: Pool,  # noqa: F811
    secrets: Secrets,
    clock: ManualClock,
    memory_keyring: MemoryKeyring,  # noqa: F811
    caplog: pytest.LogCaptureFixture,
) -> None:
    first = tokens_for(cognito.settings(), secrets, clock)
    run(first.token())
    old_refresh = memory_keyring.store[("qr-kiosk", "COGNITO_REFRESH_TOKEN")]
    if how == "revoked":
        cognito.sign_out_everywhere()
    else:  # e.g. expired: Cognito no longer knows it
        secrets.set("COGNITO_REFRESH_TOKEN", "00000000-0000-0000-0000-000000000000")
    recorder = Recorder()
    restarted = tokens_for(cognito.settings(), secrets, clock, recorder)
    caplog.set_level(logging.INFO, logger="kiosk")
    token = run(restarted.token())
    assert cognito.verify_id_token(token)
    assert recorder.flows == ["REFRESH_TOKEN_AUTH", "USER_PASSWORD_AUTH"]
    new_refresh = memory_keyring.store[("qr-kiosk", "COGNITO_REFRESH_TOKEN")]
    assert new_refresh not in (old_refresh, "00000000-0000-0000-0000-000000000000")
    assert "signing in with the password" in caplog.text
    assert old_refresh not in caplog.text


def test_a_refused_refresh_token_and_no_password_is_a_clear_error(
    cognito: Pool,  # noqa: F811
    secrets: Secrets,
    clock: ManualClock,
    memory_keyring: MemoryKeyring,  # noqa: F811
) -> None:
    run(tokens_for(cognito.settings(), secrets, clock).token())
    cognito.sign_out_everywhere()
    secrets.delete("COGNITO_PASSWORD")
    with pytest.raises(AuthError) as caught:
        run(tokens_for(cognito.settings(), secrets, clock).token())
    assert caught.value.code == "no_password"
    assert "kiosk secrets set COGNITO_PASSWORD" in caught.value.text.en
    assert caught.value.text.th
    assert ("qr-kiosk", "COGNITO_REFRESH_TOKEN") not in memory_keyring.store


def expect_auth_error(tokens: CognitoTokens) -> AuthError:
    with pytest.raises(AuthError) as caught:
        run(tokens.token())
    return caught.value


def test_wrong_password(cognito: Pool, secrets: Secrets, clock: ManualClock) -> None:  # noqa: F811
    secrets.set("COGNITO_PASSWORD", "Wrong-Passw0rd!")
    error = expect_auth_error(tokens_for(cognito.settings(), secrets, clock))
    assert error.code == "NotAuthorizedException" and error.status == 400
    assert "user name or password" in error.text.en and "COGNITO_PASSWORD" in error.text.en
    assert "รหัสผ่าน" in error.text.th
    assert "Wrong-Passw0rd!" not in str(error)


def test_unknown_user(cognito: Pool, secrets: Secrets, clock: ManualClock) -> None:  # noqa: F811
    error = expect_auth_error(tokens_for(cognito.settings(username="nobody"), secrets, clock))
    assert error.code == "UserNotFoundException"
    assert "gateway.cognito.username" in error.text.en


def test_unknown_client(cognito: Pool, secrets: Secrets, clock: ManualClock) -> None:  # noqa: F811
    error = expect_auth_error(tokens_for(cognito.settings(client_id="nope"), secrets, clock))
    assert error.code == "ResourceNotFoundException"
    assert "gateway.cognito.client_id" in error.text.en


def test_a_disabled_user(cognito: Pool, secrets: Secrets, clock: ManualClock) -> None:  # noqa: F811
    cognito.admin("AdminDisableUser", Username=cognito.username)
    error = expect_auth_error(tokens_for(cognito.settings(), secrets, clock))
    assert error.code == "NotAuthorizedException" and "disabled" in error.text.en


def test_new_password_required_cannot_be_answered_unattended(
    cognito: Pool,  # noqa: F811
    secrets: Secrets,
    clock: ManualClock,
) -> None:
    cognito.add_user("fresh", "Temp-Passw0rd!", permanent=False)
    secrets.set("COGNITO_PASSWORD", "Temp-Passw0rd!")
    error = expect_auth_error(tokens_for(cognito.settings(username="fresh"), secrets, clock))
    assert error.code == "NEW_PASSWORD_REQUIRED"
    assert "permanent password" in error.text.en and error.text.th


def test_an_mfa_challenge_cannot_be_answered_unattended(
    cognito: Pool,  # noqa: F811
    secrets: Secrets,
    clock: ManualClock,
) -> None:
    cognito.admin(
        "AdminSetUserMFAPreference",
        Username=cognito.username,
        SMSMfaSettings={"Enabled": True, "PreferredMfa": True},
    )
    error = expect_auth_error(tokens_for(cognito.settings(), secrets, clock))
    assert error.code == "SMS_MFA" and "one-time code" in error.text.en


def test_missing_settings_name_the_key(clock: ManualClock) -> None:
    with pytest.raises(ConfigError) as caught:
        tokens_for(CognitoSettings(username="kiosk01"), Secrets(environ={}), clock)
    assert "gateway.cognito.client_id" in caught.value.text.en
    with pytest.raises(ConfigError, match=r"gateway\.cognito\.username"):
        tokens_for(CognitoSettings(client_id="c"), Secrets(environ={}), clock)


def test_only_one_sign_in_is_ever_in_flight(
    cognito: Pool,  # noqa: F811
    secrets: Secrets,
    clock: ManualClock,
) -> None:
    recorder = Recorder()
    tokens = tokens_for(cognito.settings(), secrets, clock, recorder)

    async def scenario() -> tuple[set[str], set[str]]:
        burst = await asyncio.gather(*(tokens.token() for _ in range(10)))
        refused = await asyncio.gather(*(tokens.refresh() for _ in range(5)))
        return set(burst), set(refused)

    burst, refused = run(scenario())
    assert len(burst) == 1 and len(refused) == 1 and burst != refused
    assert recorder.flows == ["USER_PASSWORD_AUTH", "REFRESH_TOKEN_AUTH"]


def test_without_a_keyring_the_session_stays_in_memory(
    cognito: Pool,  # noqa: F811
    clock: ManualClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    import keyring
    from keyring.backends import fail

    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        env = {
            "KIOSK_SECRET_COGNITO_PASSWORD": cognito.password,
            "KIOSK_SECRET_COGNITO_CLIENT_SECRET": cognito.client_secret or "",
        }
        tokens = tokens_for(cognito.settings(), Secrets(environ=env), clock)
        caplog.set_level(logging.WARNING, logger="kiosk")

        async def scenario() -> str:
            await tokens.token()
            clock.advance(3500)
            return await tokens.token()

        assert cognito.verify_id_token(run(scenario()))
    finally:
        keyring.set_keyring(previous)
    assert tokens.sign_ins == 1 and tokens.refreshes == 1
    assert caplog.text.count("kept in memory only") == 1


# --- failures that do not need Cognito


def mock_tokens(handler: Callable[[httpx.Request], httpx.Response], clock: ManualClock) -> Any:
    client = httpx.AsyncClient(transport=httpx.MockTransport(handler))
    env = {"KIOSK_SECRET_COGNITO_PASSWORD": "pw-123456", "KIOSK_SECRET_COGNITO_CLIENT_SECRET": "cs"}
    settings = CognitoSettings(client_id="client", username="kiosk01")
    return CognitoTokens(
        settings=settings, client=client, secrets=Secrets(environ=env), clock=clock
    )


def test_network_failures_are_unavailable_not_auth(clock: ManualClock) -> None:
    def timeout(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectTimeout("slow", request=request)

    with pytest.raises(GatewayTimeout, match="Cognito"):
        run(mock_tokens(timeout, clock).token())

    port = free_port()  # nobody listens there
    tokens = tokens_for(
        CognitoSettings(endpoint_url=f"http://127.0.0.1:{port}", client_id="c", username="u"),
        Secrets(environ={"KIOSK_SECRET_COGNITO_PASSWORD": "pw-123456"}),
        clock,
    )
    with pytest.raises(GatewayUnavailable) as caught:
        run(tokens.token())
    assert "127.0.0.1" in caught.value.text.en


def test_a_non_json_answer(clock: ManualClock) -> None:
    with pytest.raises(BadGatewayResponse):
        run(mock_tokens(lambda r: httpx.Response(200, text="<html>"), clock).token())
    with pytest.raises(GatewayUnavailable):
        run(mock_tokens(lambda r: httpx.Response(502, text="<html>"), clock).token())


def test_a_failed_refresh_keeps_a_still_valid_token(clock: ManualClock) -> None:
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        flow = json.loads(request.content)["AuthFlow"]
        calls.append(flow)
        if flow == "REFRESH_TOKEN_AUTH":
            return httpx.Response(400, json={"__type": "TooManyRequestsException"})
        result = {"IdToken": "id-1", "RefreshToken": "rt-1", "ExpiresIn": 3600}
        return httpx.Response(200, json={"AuthenticationResult": result})

    tokens = mock_tokens(handler, clock)

    async def scenario() -> str:
        await tokens.token()
        clock.advance(3400)  # inside the margin, not yet expired
        return str(await tokens.token())

    assert run(scenario()) == "id-1"
    assert calls == ["USER_PASSWORD_AUTH", "REFRESH_TOKEN_AUTH"]
    clock.advance(300)  # now expired: the failure shows
    with pytest.raises(GatewayUnavailable) as caught:
        run(tokens.token())
    assert caught.value.code == "TooManyRequestsException"


ALL_TYPES = {
    "NotAuthorizedException": AuthError,
    "UserNotFoundException": AuthError,
    "UserNotConfirmedException": AuthError,
    "PasswordResetRequiredException": AuthError,
    "ResourceNotFoundException": AuthError,
    "InvalidParameterException": AuthError,
    "UnsupportedOperationException": AuthError,
    "InvalidUserPoolConfigurationException": AuthError,
    "UserLambdaValidationException": AuthError,
    "UnexpectedLambdaException": AuthError,
    "InvalidLambdaResponseException": AuthError,
    "InvalidSmsRoleAccessPolicyException": AuthError,
    "InvalidSmsRoleTrustRelationshipException": AuthError,
    "InvalidEmailRoleAccessPolicyException": AuthError,
    "CodeDeliveryFailureException": AuthError,
    "ForbiddenException": AuthError,
    "AccessDeniedException": AuthError,
    "UnrecognizedClientException": AuthError,
    "InvalidClientTokenId": AuthError,
    "RequestExpired": AuthError,
    "TooManyRequestsException": GatewayUnavailable,
    "LimitExceededException": GatewayUnavailable,
    "ThrottlingException": GatewayUnavailable,
    "InternalErrorException": GatewayUnavailable,
    "InternalFailure": GatewayUnavailable,
    "ServiceUnavailable": GatewayUnavailable,
}


@pytest.mark.parametrize(("kind", "cls"), sorted(ALL_TYPES.items()))
@pytest.mark.parametrize("prefix", ["", "com.amazonaws.cognito.identity.idp.model#"])
def test_every_error_type_has_its_own_message(kind: str, cls: type, prefix: str) -> None:
    status = 500 if kind in ("InternalErrorException", "InternalFailure") else 400
    error = cognito_error(status, {"__type": prefix + kind, "message": "m"}, flow="F")
    assert type(error) is cls and error.code == kind
    assert error.text.en and error.text.th and error.text.en != AuthError.default_text.en
    assert kind in str(error)  # the detail names the type for the log


def test_messages_are_specific_per_type() -> None:
    texts = {
        cognito_error(400, {"__type": kind}, flow="F").text.en
        for kind in ("NotAuthorizedException", "UserNotFoundException", "ResourceNotFoundException")
    }
    assert len(texts) == 3


def test_not_authorized_variants_and_unknown_types() -> None:
    secret = cognito_error(
        400,
        {"__type": "NotAuthorizedException", "message": "Unable to verify secret hash for client"},
        flow="F",
    )
    assert "client secret" in secret.text.en
    many = cognito_error(
        400, {"__type": "NotAuthorizedException", "message": "Password attempts exceeded"}, flow="F"
    )
    assert "Too many wrong passwords" in many.text.en
    odd = cognito_error(400, {"__type": "BrandNewException"}, flow="F")
    assert isinstance(odd, AuthError) and "BrandNewException" in odd.text.en
    down = cognito_error(503, None, flow="F")
    assert isinstance(down, GatewayUnavailable)


def test_auth_parameters_never_reach_the_message() -> None:
    # moto answers a bad refresh SECRET_HASH with the hash itself as the message.
    error = cognito_error(
        400,
        {"__type": "NotAuthorizedException", "message": "hash-value-123 rt-secret-456"},
        flow="REFRESH_TOKEN_AUTH",
        hide=("hash-value-123", "rt-secret-456"),
    )
    assert "hash-value-123" not in str(error) and "rt-secret-456" not in str(error)


@pytest.mark.parametrize(
    "body",
    [
        {"__type": "pw-echoed-789", "message": "m"},
        {"__type": "com.amazonaws#pw-echoed-789", "message": "pw-echoed-789"},
        {"code": "x pw-echoed-789 y", "Message": "pw-echoed-789"},
        {"__type": "InternalErrorException", "message": "\npw-echoed-789\x1b"},
    ],
)
def test_a_password_echoed_in_type_or_message_reaches_no_part_of_the_error(
    body: dict[str, str],
) -> None:
    error = cognito_error(400, body, flow="USER_PASSWORD_AUTH", hide=("pw-echoed-789",))
    every = [str(error), error.detail, error.code or "", error.text.en, error.text.th]
    assert not any("pw-echoed-789" in part for part in every)
    assert "***" in error.detail  # what was there is marked, not silently dropped
