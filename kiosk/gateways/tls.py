"""The TLS contexts of the kiosk's HTTP clients: the CA bundle loaded at most once.

An ``httpx.AsyncClient`` left to its default (``verify=True``) builds its own
context and loads certifi's CA bundle into it, 40-70 ms of start-up for each
client on this hardware. Every client is given one of these instead:

- ``verified()``: exactly httpx's default with ``trust_env=False``
  (``ssl.create_default_context(cafile=certifi.where())``), built on first
  use and shared by every client in the process;
- ``context_for(url)``: the same, unless every request of the client goes to
  a plain ``http://`` URL (the sandbox on 127.0.0.1), which needs no TLS at
  all: then a context that trusts no authority. It is never used; if an
  https URL ever reached such a client, its handshake would fail (nothing
  is trusted, hostname and certificate are still required), never succeed
  unverified.
"""

from __future__ import annotations

import ssl
import threading
from functools import cache
from urllib.parse import urlsplit

import certifi

_lock = threading.Lock()  # one load, whichever thread asks first
_verified: ssl.SSLContext | None = None


def verified() -> ssl.SSLContext:
    """The shared context that checks servers against certifi's CA bundle."""
    global _verified
    with _lock:
        if _verified is None:
            _verified = ssl.create_default_context(cafile=certifi.where())
        return _verified


def load_in_background() -> None:
    """Start loading the verified context on a daemon thread (40-70 ms, mostly without the GIL)."""
    threading.Thread(target=verified, name="kiosk-tls-load", daemon=True).start()


@cache
def _trusting_nothing() -> ssl.SSLContext:
    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # CERT_REQUIRED, check_hostname


def context_for(url: str) -> ssl.SSLContext:
    """The context for a client whose every request goes to ``url``."""
    if urlsplit(url).scheme.lower() == "http":
        return _trusting_nothing()
    return verified()


__all__ = ["context_for", "load_in_background", "verified"]
