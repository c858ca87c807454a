"""TLS contexts: one verified context per process; plain http gets one that trusts nothing."""

from __future__ import annotations

import ssl
import threading

import pytest

from kiosk.gateways import tls
from kiosk.gateways.tls import context_for, load_in_background, verified


def test_https_clients_share_one_context_with_the_ca_bundle() -> None:
    assert context_for("https://api.example.com/v1") is verified() is verified()
    assert verified().cert_store_stats()["x509_ca"] > 0
    assert verified().verify_mode == ssl.CERT_REQUIRED
    assert verified().check_hostname


@pytest.mark.parametrize("url", ["http://127.0.0.1:8765", "HTTP://localhost/"])
def test_a_plain_http_client_loads_no_bundle_and_would_verify_anyway(url: str) -> None:
    context = context_for(url)
    assert context is not verified()
    assert context.cert_store_stats()["x509_ca"] == 0  # nothing loaded, nothing trusted
    assert context.verify_mode == ssl.CERT_REQUIRED  # an https URL would fail, not pass
    assert context.check_hostname


def test_a_background_load_and_every_thread_get_the_one_context(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(tls, "_verified", None)  # as in a new process
    load_in_background()
    seen: list[ssl.SSLContext] = []
    askers = [threading.Thread(target=lambda: seen.append(verified())) for _ in range(4)]
    for asker in askers:
        asker.start()
    for asker in askers:
        asker.join()
    assert len({id(context) for context in seen}) == 1
    assert seen[0] is verified() and verified().cert_store_stats()["x509_ca"] > 0
