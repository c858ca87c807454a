"""Reading a gateway's answer as data: bounded JSON, checked ids, clean text.

A server we do not control may send anything. These helpers hand on small,
typed, clean values or refuse the answer; for any input they raise nothing
but ``UnreadableJson`` (``parse_json``) or ``BadGatewayResponse``.

- ``parse_json``: UTF-8 only; nesting at most ``MAX_DEPTH``, measured before
  parsing in linear time so the parser's recursion is never reached; numbers
  at most ``MAX_NUMBER_CHARS`` characters (Python refuses to parse an int of
  more than 4 300 digits with a ValueError of its own); no NaN or Infinity.
- ``OutsideText.text``: every text field through ``kiosk.infra.logs.outside_text``,
  after the secrets the adapter itself sent (its tokens, whatever their
  shape) are replaced -- before the text is cut, so no piece of one survives.
- ``gateway_id``: an id must match ``kiosk.domain.outside.is_gateway_id`` or the
  answer is refused: ids go into URLs, the journal and receipts.
- ``expire_seconds``, ``qr_text``, ``qr_png``: the QR parts of an answer, bounded.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
import unicodedata
from array import array
from collections import deque
from collections.abc import Mapping
from itertools import accumulate
from typing import Any

import httpx

from kiosk.domain.errors import BadGatewayResponse
from kiosk.domain.outside import MAX_TEXT, clean_text, is_gateway_id
from kiosk.infra.logs import REDACTED, outside_text, scrub

MAX_DEPTH = 32  # a villa answer nests 3 deep
MAX_NUMBER_CHARS = 40
MAX_EXPIRE_S = 86_400  # a gateway order that lives longer than a day is not a QR sale
MAX_QR_TEXT = 4_096  # EMVCo caps a payload at 512 (checked in the domain); this is absurd-size only
MAX_QR_IMAGE_BYTES = 256_000  # a QR PNG is a few kB
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
MIN_SECRET = 4  # as kiosk.infra.logs.register_secret: shorter values would redact ordinary text

_MAX_B64 = 4 * ((MAX_QR_IMAGE_BYTES + 2) // 3)
# A JSON string (an unterminated one runs to the end: no backtracking), or anything else.
_STRING = re.compile(r'"(?:[^"\\]+|\\.)*"?', re.DOTALL)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = str.maketrans({"[": "\x01", "{": "\x01", "]": "\xff", "}": "\xff"})


class UnreadableJson(Exception):
    """The bytes are not a JSON value the kiosk will read; ``str()`` says why."""


def json_depth(text: str) -> int:
    """The deepest bracket nesting of ``text`` outside strings, in linear time.

    Strings and everything but brackets are dropped with regular expressions;
    the brackets become +1/-1 bytes whose running sum is the depth (all in C,
    about 0.1 s for a hostile megabyte).
    """
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text))
    steps = array("b", brackets.translate(_STEP).encode("latin-1"))
    return max(accumulate(steps), default=0)


def _int(text: str) -> int:
    if len(text) > MAX_NUMBER_CHARS:
        raise UnreadableJson(f"a number longer than {MAX_NUMBER_CHARS} characters")
    return int(text)


def _float(text: str) -> float:
    value = float(text) if len(text) <= MAX_NUMBER_CHARS else math.inf
    if not math.isfinite(value):
        raise UnreadableJson(f"a number too long or too large ({len(text)} characters)")
    return value


def _constant(text: str) -> Any:
    raise UnreadableJson(f"{text} is not a JSON number")


def parse_json(raw: bytes) -> Any:
    """The JSON value in ``raw``, or UnreadableJson saying why not."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableJson("not UTF-8") from None
    if json_depth(text) > MAX_DEPTH:
        raise UnreadableJson(f"JSON nested deeper than {MAX_DEPTH}")
    try:
        return json.loads(text, parse_int=_int, parse_float=_float, parse_constant=_constant)
    except RecursionError:  # not reached after the depth check; kept as a second fence
        raise UnreadableJson(f"JSON nested deeper than {MAX_DEPTH}") from None
    except ValueError:
        raise UnreadableJson("not JSON") from None


class OutsideText:
    """Cleans text from a gateway and takes out the secrets its adapter sent.

    The log filter redacts JWT-shaped tokens and registered secrets; the
    token an adapter sends may be neither (the sandbox's is a plain word),
    so the adapter tells this object each token it sends. Only the last few
    are kept: a kiosk signs in again every hour for months.
    """

    def __init__(self, keep: int = 4) -> None:
        self._secrets: deque[str] = deque(maxlen=keep)

    def remember(self, secret: str) -> None:
        if len(secret) >= MIN_SECRET and secret not in self._secrets:
            self._secrets.append(secret)

    def text(self, value: object, limit: int = MAX_TEXT) -> str | None:
        """``value`` as the kiosk may keep and show it; None if it is no text."""
        if not isinstance(value, str):
            return None
        # A lone surrogate (JSON "\ud800") cannot be written as UTF-8: to the log
        # file, the journal or a terminal it would be an error of its own.
        value = value.encode("utf-8", "replace").decode("utf-8")
        # Controls go first (they must not split a secret), cutting goes last
        # (a cut must not leave half a token that no pattern recognises).
        whole = clean_text(value, limit=len(value))
        for secret in self._secrets:
            whole = whole.replace(secret, REDACTED)
        return outside_text(scrub(whole), limit)


def gateway_id(data: Mapping[str, Any], key: str, what: str, name: str = "") -> str | None:
    """``data[key]`` if it is a gateway id, None if absent; else the answer is refused."""
    value = data.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str) or not is_gateway_id(value):
        # The value itself stays out of the message: it is not clean text.
        raise BadGatewayResponse(f"{what}: {name or key} is not a valid gateway id")
    return value


def expire_seconds(value: object) -> int | None:
    """A whole number of seconds in 1..MAX_EXPIRE_S, else None (the kiosk's own timeout)."""
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_EXPIRE_S:
        return value
    return None


def qr_text(value: object, what: str) -> str | None:
    """The QR text of an answer, stripped; None if there is none.

    Its content (EMVCo rules, 512 characters) is the domain's to check; here
    only an absurd size or a control/format character refuses the answer: a
    QR payload never carries them and the text is logged and journaled.
    """
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        return None
    if len(text) > MAX_QR_TEXT:
        raise BadGatewayResponse(f"{what}: QR text longer than {MAX_QR_TEXT} characters")
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs") for ch in text):
        raise BadGatewayResponse(f"{what}: control characters in the QR text")
    return text


def qr_png(value: object, what: str) -> bytes | None:
    """The PNG in ``image_with_base64`` (plain or a data: URL); None if there is none."""
    if not isinstance(value, str) or not value:
        return None
    if value.startswith("data:"):
        value = value.partition(",")[2]
    if len(value) > _MAX_B64:
        raise BadGatewayResponse(f"{what}: QR image larger than {MAX_QR_IMAGE_BYTES} bytes")
    try:
        png = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise BadGatewayResponse(f"{what}: image_with_base64 is not valid base64") from None
    if len(png) > MAX_QR_IMAGE_BYTES:
        raise BadGatewayResponse(f"{what}: QR image larger than {MAX_QR_IMAGE_BYTES} bytes")
    if not png.startswith(PNG_MAGIC):
        raise BadGatewayResponse(f"{what}: image_with_base64 is not a PNG")
    return png


async def read_capped(response: httpx.Response, limit: int, what: str) -> bytes:
    """The answer's body, refused (BadGatewayResponse) once it grows past ``limit`` bytes."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > limit:
            raise BadGatewayResponse(f"{what}: answer larger than {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


__all__ = [
    "MAX_DEPTH",
    "MAX_EXPIRE_S",
    "MAX_NUMBER_CHARS",
    "MAX_QR_IMAGE_BYTES",
    "MAX_QR_TEXT",
    "OutsideText",
    "UnreadableJson",
    "expire_seconds",
    "gateway_id",
    "json_depth",
    "parse_json",
    "qr_png",
    "qr_text",
    "read_capped",
]
