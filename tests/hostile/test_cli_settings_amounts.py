"""Attacks 6 (settings) and 7 (amounts) of issue 12, against ``python -m kiosk charge``.

No hostile answer is needed here: the gateway is honest, the attack is in the
settings file or on the command line. Every refusal must come before anything
is journaled or sent (exit 2, USAGE), and a lookup of an attacker's host
name must never even be tried (the kiosk processes run with
``tests/hostile/nodns``, which records lookups instead of making them).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.hostile.conftest import MakeGateway
from tests.hostile.kiosk_run import leaks, run_kiosk

ATTACKER = "127.0.0.1.attacker.example"  # starts with "127." and is not this machine


# --- attack 6: settings -------------------------------------------------------


@pytest.mark.parametrize(
    ("table", "key", "url"),
    [
        ("gateway", "base_url", f"http://{ATTACKER}:8080/api"),
        ("gateway.cognito", "endpoint_url", f"http://{ATTACKER}"),
    ],
    ids=["base_url", "cognito-endpoint_url"],
)
def test_a_host_that_only_starts_like_loopback_is_no_plain_http_exception(
    hostile: MakeGateway, tmp_path: Path, table: str, key: str, url: str
) -> None:
    gateway = hostile()
    args = ("charge", "300", "--json", "--timeout", "5")
    run = run_kiosk(gateway, tmp_path, *args, timeout=40, settings={table: {key: url}})
    assert run.returncode == 2, run  # USAGE: the setting is refused, naming it
    assert f"{table}.{key}" in run.stderr, run
    assert "Traceback" not in run.stderr, run
    assert run.blocked_lookups() == [], "the kiosk tried to reach the attacker's host"
    assert run.journal() == [], run
    assert gateway.create_calls() == {}


def test_a_secret_typed_into_a_setting_is_refused(hostile: MakeGateway, tmp_path: Path) -> None:
    gateway = hostile()
    password = gateway.credentials.password
    args = ("charge", "300", "--json", "--timeout", "5")
    run = run_kiosk(gateway, tmp_path, *args, timeout=40, settings={"store": {"name": password}})
    sent = [body for _, _, body in gateway.api_requests if password.encode() in body]
    assert sent == [], "the password went to the payment API"
    assert leaks(run, gateway.secrets()) == [], run
    assert run.returncode == 2, run
    assert "store.name" in run.stderr, run
    assert run.journal() == [], run


# --- attack 7: amounts ---------------------------------------------------------


@pytest.mark.parametrize(
    "amount",
    [
        pytest.param("1,50", id="comma-as-decimal-point"),
        pytest.param("𝟑𝟎𝟎", id="mathematical-bold-digits"),
        pytest.param("３００", id="fullwidth-digits"),
        pytest.param("9" * 4400, id="4400-digits"),
    ],
)
def test_an_amount_that_is_not_plainly_one_is_refused(
    hostile: MakeGateway, tmp_path: Path, amount: str
) -> None:
    gateway = hostile()
    run = run_kiosk(gateway, tmp_path, "charge", amount, "--json", "--timeout", "5", timeout=40)
    assert "Traceback" not in run.stderr, run
    assert run.returncode == 2, run
    assert run.journal() == [], run
    assert gateway.create_calls() == {}, "the amount reached the gateway"


@pytest.mark.parametrize(
    ("typed", "plain"),
    [("๓๐๐", "300.00"), ("1,500.50", "1500.50")],
    ids=["thai-digits", "thousands-separator"],
)
def test_amounts_a_cashier_may_type_are_charged(
    hostile: MakeGateway, tmp_path: Path, typed: str, plain: str
) -> None:
    gateway = hostile()
    run = run_kiosk(gateway, tmp_path, "charge", typed, "--json", "--timeout", "5", timeout=40)
    assert run.returncode == 0, run
    record = run.record()
    assert (record["status"], record["amount"]) == ("paid", plain), run
    assert list(gateway.create_calls().values()) == [1]
