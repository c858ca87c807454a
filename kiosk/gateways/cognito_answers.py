"""Reading Cognito's answers as data from outside (kiosk.gateways.cognito uses these).

- ``read_capped``: the body, refused past ``MAX_ANSWER_BYTES``;
- ``read_answer``: the JSON through the villa adapter's bounded parser
  (``kiosk.gateways.answers.parse_json``: depth, number size, no NaN); an
  answer nested too deep is hostile (BadGatewayResponse, whatever its status),
  one that is simply not JSON (a proxy's HTML page) reads as None;
- ``outside_field``: a text field (type, message, challenge) without the auth
  parameters we sent, through ``kiosk.infra.logs.outside_text``;
- ``is_token`` / ``expires_in``: what may go into a header or the keyring, and
  a sane token lifetime (``10**12`` seconds would overflow a datetime).
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Mapping
from typing import Any

import httpx

from kiosk.domain.errors import BadGatewayResponse
from kiosk.gateways import answers
from kiosk.gateways.answers import MAX_DEPTH, UnreadableJson, json_depth, parse_json
from kiosk.infra.logs import REDACTED, outside_text

DEFAULT_EXPIRES_IN_S = 3600
MAX_EXPIRES_IN_S = 86_400  # Cognito's longest ID token validity: one day
MAX_ANSWER_BYTES = 64_000
MAX_TOKEN_CHARS = 16_384
MAX_NAME_CHARS = 128  # an error type, challenge or user name as we keep it
# A JWT (ID token) or Cognito's opaque refresh token: base64url pieces and dots.
_TOKEN = re.compile(r"[A-Za-z0-9_\-.=+/]+")


def jwt_claims(token: str) -> dict[str, Any]:
    """The payload of a JWT, unverified ({} if it is not one).

    Only read for ``cognito:username`` and ``exp``: the token came straight from
    Cognito over TLS, and the API verifies it.
    """
    parts = token.split(".")
    if len(parts) != 3:
        return {}
    payload = parts[1] + "=" * (-len(parts[1]) % 4)
    try:
        data = parse_json(base64.urlsafe_b64decode(payload.encode("ascii")))
    except (UnreadableJson, ValueError, binascii.Error):
        return {}
    return data if isinstance(data, dict) else {}


def error_type(raw: object) -> str | None:
    """The Cognito error type: the part of ``__type`` after the last ``#``."""
    if not isinstance(raw, str) or not raw:
        return None
    return raw.rsplit("#", 1)[-1].strip() or None


def outside_field(value: object, hide: tuple[str, ...], limit: int) -> str | None:
    """A field of a Cognito answer as we keep it: no auth parameter we sent (moto even
    echoes them), no control or bidi character, no known secret, at most ``limit``."""
    if not isinstance(value, str):
        return None
    secrets = sorted((v for v in hide if v), key=len, reverse=True)
    for secret in secrets:
        value = value.replace(secret, REDACTED)
    cleaned = outside_text(value, limit)
    # Again after cleaning: a control character inside an echoed secret is gone now.
    for secret in secrets:
        cleaned = cleaned.replace(secret, REDACTED) if cleaned else cleaned
    return cleaned or None


def is_token(value: object) -> bool:
    """Whether ``value`` may be a token: it goes into a header and the keyring as it is."""
    return (
        isinstance(value, str)
        and 0 < len(value) <= MAX_TOKEN_CHARS
        and _TOKEN.fullmatch(value) is not None
    )


def expires_in(result: Mapping[str, Any]) -> int:
    """``ExpiresIn`` when it is a sane number of seconds, else the usual hour."""
    value = result.get("ExpiresIn")
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= MAX_EXPIRES_IN_S:
        return DEFAULT_EXPIRES_IN_S
    return value


async def read_capped(response: httpx.Response, flow: str) -> bytes:
    return await answers.read_capped(response, MAX_ANSWER_BYTES, f"Cognito {flow}")


def read_answer(raw: bytes, flow: str, status: int) -> Any:
    """The JSON of an answer; None when it is not JSON (an HTML error page, say).

    JSON nested deeper than we read is no error page but a hostile answer:
    BadGatewayResponse whatever the status.
    """
    if not raw:
        return None
    try:
        return parse_json(raw)
    except UnreadableJson as exc:
        if json_depth(raw.decode("utf-8", "replace")) > MAX_DEPTH:
            raise BadGatewayResponse(f"Cognito {flow}: HTTP {status}: {exc}") from None
        return None


__all__ = [
    "DEFAULT_EXPIRES_IN_S",
    "MAX_ANSWER_BYTES",
    "MAX_NAME_CHARS",
    "error_type",
    "expires_in",
    "is_token",
    "jwt_claims",
    "outside_field",
    "read_answer",
    "read_capped",
]
