"""TLS contexts: one verified context per process; plain http gets one that trusts nothing."""

from __future__ import annotations

import ssl

import pytest

from kiosk.gateways.tls import context_for, verified


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
