"""Cognito sign-in for the Villa Payment API (gateways.md §1), over httpx, no boto3.

One unsigned JSON-1.1 call, ``InitiateAuth``, in two flows:

- ``USER_PASSWORD_AUTH`` with the password from the keyring, plus
  ``SECRET_HASH`` = base64(HMAC-SHA256(client_secret, username + client_id))
  when the app client has a secret;
- ``REFRESH_TOKEN_AUTH`` with the refresh token; its SECRET_HASH uses the
  ``cognito:username`` claim of the last ID token (the login name may be an
  alias). After a restart there is no ID token yet, so the configured user
  name is used; if Cognito refuses that, the kiosk signs in with the password.

:class:`CognitoTokens` is the gateway's :class:`~kiosk.gateways.tokens.TokenSource`:
the ID token lives in memory only and is renewed ``margin_s`` before it
expires, and once more when the API answers 401 (the adapter then retries
once). The refresh token goes to the keyring (``COGNITO_REFRESH_TOKEN``) so a
restart needs no password; a refused refresh token is forgotten and the
password used instead. One lock: never more than one sign-in in flight.

Every failure is a :class:`GatewayError` with a specific message in both
languages: :class:`AuthError` when a person must fix something (password,
user, client id, a challenge such as NEW_PASSWORD_REQUIRED or MFA that an
unattended kiosk cannot answer), :class:`GatewayUnavailable` when trying again
later may work. ``code`` is Cognito's error type or challenge name. Secrets
and tokens never reach a message or a log line.

Cognito's answers are outside text: every field we keep (type, message,
challenge name, user name) goes through ``kiosk.infra.logs.outside_text``
(controls and bidi out, secrets redacted, length capped) after the auth
parameters we sent are blanked out of it. An answer is read with a size cap
and a nesting cap (kiosk.gateways.cognito_answers), and one deadline
(``total_timeout_s``) covers a whole sign-in: the wait for the lock, keyring
reads, every request and an answer however slowly it trickles in.

Size (about 520 lines): the sign-in, challenge and refresh flows of one
protocol with their deadline and secret handling; the message table is
kiosk.gateways.cognito_messages, the reading of answers
kiosk.gateways.cognito_answers.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol
from urllib.parse import urlsplit

import httpx

from kiosk.domain.clock import Clock
from kiosk.domain.errors import (
    AuthError,
    BadGatewayResponse,
    ConfigError,
    GatewayError,
    GatewayTimeout,
    GatewayUnavailable,
    KeyringUnavailable,
    Text,
)
from kiosk.gateways import cognito_messages as messages
from kiosk.gateways.cognito_answers import (
    MAX_NAME_CHARS,
    error_type,
    expires_in,
    is_token,
    jwt_claims,
    outside_field,
    read_answer,
    read_capped,
)
from kiosk.infra.config import CognitoSettings, is_loopback
from kiosk.infra.logs import outside_text, register_secret

log = logging.getLogger("kiosk.gateway.cognito")

TARGET = "AWSCognitoIdentityProviderService.InitiateAuth"
CONTENT_TYPE = "application/x-amz-json-1.1"
DEFAULT_MARGIN_S = 300.0
DEFAULT_TOTAL_TIMEOUT_S = 30.0
PASSWORD = "COGNITO_PASSWORD"
CLIENT_SECRET = "COGNITO_CLIENT_SECRET"
REFRESH_TOKEN = "COGNITO_REFRESH_TOKEN"


class SecretStore(Protocol):
    """What sign-in needs of kiosk.infra.secrets.Secrets (a fake in tests)."""

    def get(self, name: str) -> str | None: ...

    def set(self, name: str, value: str) -> None: ...

    def delete(self, name: str) -> bool: ...

    def overridden(self, name: str) -> bool: ...


def secret_hash(username: str, client_id: str, client_secret: str) -> str:
    """Cognito's SECRET_HASH: base64(HMAC-SHA256(key=client_secret, msg=username + client_id))."""
    digest = hmac.new(
        client_secret.encode("utf-8"), (username + client_id).encode("utf-8"), hashlib.sha256
    ).digest()
    return base64.b64encode(digest).decode("ascii")


def endpoint_for(settings: CognitoSettings) -> str:
    """``cognito.endpoint_url``, else the AWS endpoint of ``cognito.region``."""
    if settings.endpoint_url:
        return settings.endpoint_url.rstrip("/") + "/"
    return f"https://cognito-idp.{settings.region}.amazonaws.com/"


def cognito_error(
    status: int, body: object, *, flow: str, hide: tuple[str, ...] = ()
) -> GatewayError:
    """Map a failed InitiateAuth answer to our exception with a specific message.

    Every field of ``body`` is outside text: cleaned and redacted (``hide``:
    what we sent) before it reaches the code, the detail or a message.
    """
    data = body if isinstance(body, Mapping) else {}
    kind = outside_field(error_type(data.get("__type") or data.get("code")), hide, MAX_NAME_CHARS)
    message = outside_field(data.get("message") or data.get("Message"), hide, 300) or ""
    detail = f"Cognito {flow}: HTTP {status} {kind or '?'}" + (f": {message}" if message else "")
    lowered = message.lower()
    if kind == "NotAuthorizedException":
        if "disabled" in lowered:
            return AuthError(detail, code=kind, status=status, text=messages.DISABLED)
        if "attempts exceeded" in lowered:
            return AuthError(detail, code=kind, status=status, text=messages.ATTEMPTS)
        if "secret" in lowered and "refresh" not in lowered:
            return AuthError(detail, code=kind, status=status, text=messages.SECRET_HASH)
    if kind in messages.BY_TYPE:
        cls, text = messages.BY_TYPE[kind]
        return cls(detail, code=kind, status=status, text=text)
    shown = kind or f"HTTP {status}"
    if status >= 500 or status == 429:
        return GatewayUnavailable(
            detail,
            code=kind,
            status=status,
            text=Text(
                f"The sign-in service (Cognito) is not working right now ({shown}). "
                "Try again in a moment.",
                f"บริการเข้าสู่ระบบ (Cognito) ใช้งานไม่ได้ขณะนี้ ({shown}) กรุณาลองใหม่ในอีกสักครู่",
            ),
        )
    return AuthError(
        detail,
        code=kind,
        status=status,
        text=Text(
            f"Cognito refused the sign-in ({shown}). Check the gateway.cognito settings.",
            f"Cognito ปฏิเสธการเข้าสู่ระบบ ({shown}) กรุณาตรวจสอบการตั้งค่า gateway.cognito",
        ),
    )


class _RefreshRefused(Exception):
    """The refresh token is no good (expired, revoked, or its SECRET_HASH refused)."""


# --- the token source -------------------------------------------------------


@dataclass(frozen=True)
class Session:
    """A signed-in state: the ID token (memory only) and when to renew it."""

    id_token: str
    expires_at: datetime
    renew_at: datetime
    cognito_username: str | None

    def __repr__(self) -> str:  # never show the token
        return f"Session(expires_at={self.expires_at.isoformat()}, user={self.cognito_username!r})"


class CognitoTokens:
    """The villa gateway's TokenSource: Cognito ID tokens, kept fresh.

    ``remember=False`` (Test connection, doctor) neither reads nor stores the
    saved refresh token: the password itself is tried, and the kiosk's own
    session is left alone. ``total_timeout_s``: the longest one call of
    ``token``, ``refresh`` or ``sign_in`` may take in all (GatewayTimeout).
    """

    def __init__(
        self,
        *,
        settings: CognitoSettings,
        client: httpx.AsyncClient,
        secrets: SecretStore,
        clock: Clock,
        margin_s: float = DEFAULT_MARGIN_S,
        remember: bool = True,
        total_timeout_s: float = DEFAULT_TOTAL_TIMEOUT_S,
    ) -> None:
        self._settings = settings
        self._total_timeout_s = total_timeout_s
        self._client = client
        self._secrets = secrets
        self._clock = clock
        self._margin_s = margin_s
        self._remember = remember
        for key in ("client_id", "username"):
            if not getattr(settings, key).strip():
                raise ConfigError(
                    f"gateway.cognito.{key} is empty",
                    text=Text(
                        f"The setting gateway.cognito.{key} is empty: the kiosk cannot sign in "
                        "to the Villa Payment API.",
                        f"การตั้งค่า gateway.cognito.{key} ว่างอยู่ เครื่องจึงเข้าสู่ระบบ "
                        "Villa Payment API ไม่ได้",
                    ),
                )
        self._endpoint = endpoint_for(settings)
        parts = urlsplit(self._endpoint)
        if parts.scheme != "https" and not is_loopback(parts.hostname):
            raise ConfigError(
                f"cognito endpoint {self._endpoint!r} is not https",
                text=Text(
                    "gateway.cognito.endpoint_url must use https:// (http only for 127.0.0.1).",
                    "gateway.cognito.endpoint_url ต้องใช้ https:// (http ได้เฉพาะ 127.0.0.1)",
                ),
            )
        self._lock = asyncio.Lock()
        self._session: Session | None = None
        self._refresh_token: str | None = None
        self._refresh_loaded = not remember
        self._refresh_from_keyring = False
        self._keyring_warned = False
        self._warned: set[str] = set()
        self.sign_ins = 0  # password sign-ins done (for tests and doctor)
        self.refreshes = 0  # REFRESH_TOKEN_AUTH calls that succeeded

    def __repr__(self) -> str:
        return f"CognitoTokens(client_id={self._settings.client_id!r}, session={self._session!r})"

    @property
    def session(self) -> Session | None:
        return self._session

    # --- TokenSource

    async def token(self) -> str:
        """An ID token with at least ``margin_s`` left (renewed first if needed)."""
        session = self._session
        if session is not None and self._clock.now() < session.renew_at:
            return session.id_token

        async def locked() -> str:
            session = self._session
            if session is not None and self._clock.now() < session.renew_at:
                return session.id_token  # renewed while this call waited for the lock
            return await self._renew()

        return await self._within_deadline(locked)

    async def refresh(self) -> str:
        """The API refused the token: renew it now (once for a burst of refusals)."""
        seen = self._session.id_token if self._session is not None else None

        async def locked() -> str:
            current = self._session
            if current is not None and current.id_token != seen:
                return current.id_token  # another call renewed it while this one waited
            return await self._renew(refused=True)

        return await self._within_deadline(locked)

    async def sign_in(self) -> str:
        """Sign in with the password now, whatever the state (Test connection)."""
        return await self._within_deadline(self._password_sign_in)

    async def _within_deadline(self, work: Callable[[], Awaitable[str]]) -> str:
        """``work`` under the lock, all of it (the wait for the lock too) within one deadline.

        httpx's timeouts are per phase and per read: an answer that trickles in
        a byte at a time never trips them, nor does a keyring that hangs.
        """
        host = urlsplit(self._endpoint).hostname or self._endpoint
        try:
            async with asyncio.timeout(self._total_timeout_s):
                async with self._lock:
                    return await work()
        except TimeoutError:
            raise GatewayTimeout(
                f"Cognito sign-in: not done within {self._total_timeout_s:g} s",
                text=Text(
                    f"The sign-in service (Cognito at {host}) did not finish within "
                    f"{self._total_timeout_s:g} seconds. Check the network.",
                    f"บริการเข้าสู่ระบบ (Cognito ที่ {host}) ทำงานไม่เสร็จภายใน "
                    f"{self._total_timeout_s:g} วินาที กรุณาตรวจสอบเครือข่าย",
                ),
            ) from None

    def forget(self) -> None:
        """Drop the in-memory session (the saved refresh token stays)."""
        self._session = None

    # --- the flows

    async def _renew(self, *, refused: bool = False) -> str:
        refresh_token = await self._load_refresh_token()
        if refresh_token is not None:
            try:
                return await self._refresh_with(refresh_token)
            except _RefreshRefused:
                log.info("saved Cognito session refused: signing in with the password")
                await self._drop_refresh_token()
            except GatewayUnavailable:
                session = self._session
                if not refused and session is not None and self._clock.now() < session.expires_at:
                    log.warning(
                        "token refresh failed; the current token is still valid", exc_info=True
                    )
                    return session.id_token
                raise
        return await self._password_sign_in()

    async def _password_sign_in(self) -> str:
        s = self._settings
        password = await self._secret(PASSWORD)
        if not password:
            raise AuthError(
                "no Cognito password",
                code="no_password",
                text=Text(
                    "No Cognito password is set up. Store it with "
                    "`kiosk secrets set COGNITO_PASSWORD` (or set KIOSK_SECRET_COGNITO_PASSWORD).",
                    "ยังไม่ได้ตั้งรหัสผ่าน Cognito กรุณาบันทึกด้วย `kiosk secrets set COGNITO_PASSWORD` "
                    "(หรือกำหนด KIOSK_SECRET_COGNITO_PASSWORD)",
                ),
            )
        client_secret = await self._secret(CLIENT_SECRET, required=False)
        params = {"USERNAME": s.username, "PASSWORD": password}
        if client_secret:
            params["SECRET_HASH"] = secret_hash(s.username, s.client_id, client_secret)
        started = self._clock.now()
        data = await self._initiate("USER_PASSWORD_AUTH", params)
        challenge = outside_field(data.get("ChallengeName"), tuple(params.values()), MAX_NAME_CHARS)
        if challenge:
            raise messages.challenge_error(challenge)
        result = self._result(data, "USER_PASSWORD_AUTH")
        new_refresh = result.get("RefreshToken")
        self._session = self._new_session(result, started)
        self.sign_ins += 1
        log.info(
            "signed in to Cognito as %s (token valid %d s)",
            s.username,
            expires_in(result),
        )
        if is_token(new_refresh):
            await self._keep_refresh_token(str(new_refresh))
        return self._session.id_token

    async def _refresh_with(self, refresh_token: str) -> str:
        s = self._settings
        params = {"REFRESH_TOKEN": refresh_token}
        client_secret = await self._secret(CLIENT_SECRET, required=False)
        if client_secret:
            session = self._session
            name = (session.cognito_username if session else None) or s.username
            params["SECRET_HASH"] = secret_hash(name, s.client_id, client_secret)
        started = self._clock.now()
        try:
            data = await self._initiate("REFRESH_TOKEN_AUTH", params)
        except AuthError as exc:
            if exc.code == "NotAuthorizedException":
                raise _RefreshRefused() from None
            raise
        result = self._result(data, "REFRESH_TOKEN_AUTH")
        self._session = self._new_session(result, started)
        self.refreshes += 1
        log.info("Cognito ID token refreshed (valid %d s)", expires_in(result))
        return self._session.id_token

    # --- pieces

    async def _initiate(self, flow: str, params: dict[str, str]) -> dict[str, Any]:
        body = {"AuthFlow": flow, "ClientId": self._settings.client_id, "AuthParameters": params}
        headers = {"Content-Type": CONTENT_TYPE, "X-Amz-Target": TARGET}
        host = urlsplit(self._endpoint).hostname or self._endpoint
        request = self._client.build_request(
            "POST", self._endpoint, content=json.dumps(body).encode("utf-8"), headers=headers
        )
        try:
            response = await self._client.send(request, stream=True)
            try:
                raw = await read_capped(response, flow)
            finally:
                await response.aclose()
        except httpx.TimeoutException as exc:
            raise GatewayTimeout(
                f"Cognito {flow}: {type(exc).__name__}",
                text=Text(
                    f"The sign-in service (Cognito at {host}) is not answering in time. "
                    "Check the network.",
                    f"บริการเข้าสู่ระบบ (Cognito ที่ {host}) ตอบสนองช้าเกินไป กรุณาตรวจสอบเครือข่าย",
                ),
            ) from None
        except httpx.DecodingError as exc:  # e.g. a body that claims gzip and is not
            raise BadGatewayResponse(f"Cognito {flow}: {type(exc).__name__}") from None
        except httpx.TransportError as exc:
            raise GatewayUnavailable(
                f"Cognito {flow}: {type(exc).__name__}: {exc}",
                text=Text(
                    f"Cannot reach the sign-in service (Cognito at {host}). Check the network "
                    "and gateway.cognito.region / endpoint_url.",
                    f"ไม่สามารถเชื่อมต่อบริการเข้าสู่ระบบ (Cognito ที่ {host}) กรุณาตรวจสอบเครือข่าย "
                    "และ gateway.cognito.region / endpoint_url",
                ),
            ) from None
        data = read_answer(raw, flow, response.status_code)
        if response.status_code != 200:
            hide = tuple(params.values())
            raise cognito_error(response.status_code, data, flow=flow, hide=hide)
        if not isinstance(data, dict):
            raise BadGatewayResponse(f"Cognito {flow}: HTTP 200 without a JSON object")
        return data

    @staticmethod
    def _result(data: Mapping[str, Any], flow: str) -> Mapping[str, Any]:
        result = data.get("AuthenticationResult")
        if not isinstance(result, Mapping) or not is_token(result.get("IdToken")):
            raise BadGatewayResponse(f"Cognito {flow}: no usable IdToken in the answer")
        return result

    def _new_session(self, result: Mapping[str, Any], started: datetime) -> Session:
        # Not registered with the scrubber (one an hour would pile up): kiosk.infra.logs
        # redacts anything shaped like a JWT, which every Cognito ID token is.
        id_token: str = result["IdToken"]
        lifetime = expires_in(result)
        margin = min(self._margin_s, lifetime / 2)
        expires_at = started + timedelta(seconds=lifetime)
        claims = jwt_claims(id_token)
        # Shown ("Signed in as …") and used in SECRET_HASH: outside text like the rest.
        name = outside_text(claims.get("cognito:username"), MAX_NAME_CHARS)
        return Session(
            id_token=id_token,
            expires_at=expires_at,
            renew_at=expires_at - timedelta(seconds=margin),
            cognito_username=name,
        )

    async def _secret(self, name: str, *, required: bool = True) -> str | None:
        """A secret; an unreachable keyring is an AuthError saying so, or "not set" if optional."""
        try:
            # A keyring call may wait on D-Bus (or an unlock prompt): off the event loop.
            return await asyncio.to_thread(self._secrets.get, name)
        except KeyringUnavailable as exc:
            if not required:
                if name not in self._warned:
                    self._warned.add(name)
                    log.warning("%s treated as not set: %s", name, exc.detail)
                return None
            raise AuthError(exc.detail, code="keyring", text=exc.text) from None

    async def _load_refresh_token(self) -> str | None:
        if not self._refresh_loaded:
            self._refresh_loaded = True
            try:
                value = await asyncio.to_thread(self._secrets.get, REFRESH_TOKEN)
            except KeyringUnavailable as exc:
                log.warning("cannot read the saved Cognito session: %s", exc.detail)
                value = None
            if value:
                self._refresh_token = value
                self._refresh_from_keyring = not self._secrets.overridden(REFRESH_TOKEN)
        return self._refresh_token

    async def _keep_refresh_token(self, value: str) -> None:
        register_secret(value)
        self._refresh_token = value
        self._refresh_from_keyring = False
        if not self._remember or self._secrets.overridden(REFRESH_TOKEN):
            return
        try:
            await asyncio.to_thread(self._secrets.set, REFRESH_TOKEN, value)
            self._refresh_from_keyring = True
        except KeyringUnavailable as exc:
            if not self._keyring_warned:
                self._keyring_warned = True
                log.warning(
                    "Cognito refresh token kept in memory only (a restart signs in with the "
                    "password): %s",
                    exc.detail,
                )

    async def _drop_refresh_token(self) -> None:
        self._refresh_token = None
        if self._refresh_from_keyring:
            self._refresh_from_keyring = False
            try:
                await asyncio.to_thread(self._secrets.delete, REFRESH_TOKEN)
            except KeyringUnavailable as exc:
                log.warning("cannot delete the refused Cognito session: %s", exc.detail)


__all__ = [
    "CognitoTokens",
    "Session",
    "cognito_error",
    "endpoint_for",
    "error_type",
    "jwt_claims",
    "secret_hash",
]
