"""Attacks 1-5 of issue 12 against ``python -m kiosk charge`` / ``reconcile``, one per mode.

Each test runs the real kiosk as a subprocess against the hostile gateway in
one mode and asserts the issue's "Must show": a defined exit code and a
final journal state, never PAID for money that is not this sale's, no
traceback, one gateway order for the sale, and no secret or token in
stdout, stderr, the journal, ``kiosk.log`` or the receipts.
"""

from __future__ import annotations

import json
import signal
import sqlite3
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from kiosk.domain.order import OrderState
from kiosk.store.journal import Journal
from tests.hostile.conftest import MakeGateway
from tests.hostile.kiosk_run import (
    DEFINED_EXITS,
    FINAL_STATES,
    KioskRun,
    Sections,
    expected_payee,
    finish,
    leaks,
    run_kiosk,
    start_kiosk,
)
from tests.hostile.modes import CONTROL_CHARS
from tests.hostile.server import HostileGateway
from tests.journal_data import sell

FAILED_EXITS = (4, 5)  # FAILED, or UNREACHABLE when the cause is a sign-in/connection


def charge(
    gateway: HostileGateway, tmp: Path, *, guard_s: float = 40, settings: Sections | None = None
) -> KioskRun:
    """``kiosk charge 300 --json --timeout 5`` against ``gateway``."""
    args = ("charge", "300", "--json", "--timeout", "5")
    return run_kiosk(gateway, tmp, *args, timeout=guard_s, settings=settings)


def assert_no_leak(run: KioskRun, gateway: HostileGateway) -> None:
    found = leaks(run, gateway.secrets())
    assert not found, f"secrets seen: {found}\n{run!r}"


def assert_safe(run: KioskRun, gateway: HostileGateway) -> None:
    """What every attack must leave: a defined end, not PAID, one order, nothing leaked."""
    assert "Traceback" not in run.stderr, run
    assert run.returncode in DEFINED_EXITS, run
    assert run.states() and set(run.states()) <= FINAL_STATES, run
    assert "paid" not in run.states(), run
    assert len(gateway.create_calls()) <= 1, f"a second gateway order: {gateway.create_calls()}"
    assert_no_leak(run, gateway)
    for log in (run.data / "receipts").glob("receipts-*.log"):
        assert "\tPAID" not in log.read_text(encoding="utf-8"), log


# --- attack 1: QR swap through ambiguity ---------------------------------------


@pytest.mark.parametrize(
    "mode",
    ["qr-two-tag54", "qr-payee-29-then-30", "qr-tag54-exponent", "qr-tag54-plus"],
)
def test_an_ambiguous_qr_is_refused_before_it_is_shown(
    hostile: MakeGateway, tmp_path: Path, mode: str
) -> None:
    gateway = hostile(mode)
    run = charge(gateway, tmp_path, settings={"store": expected_payee()})
    assert run.returncode in FAILED_EXITS, run
    assert run.states() == ["failed"], run
    assert "000201" not in run.stdout + run.stderr, "the hostile QR was shown"
    assert_safe(run, gateway)


def test_an_amount_in_exponent_form_is_refused(hostile: MakeGateway, tmp_path: Path) -> None:
    gateway = hostile("amount-exponent")
    run = charge(gateway, tmp_path)
    assert run.returncode in FAILED_EXITS, run
    assert run.states() == ["failed"], run
    assert "000201" not in run.stdout + run.stderr, "a QR was shown for a 3E+2 order"
    assert_safe(run, gateway)


# --- attack 2: a "paid" that is not this sale's --------------------------------


@pytest.mark.parametrize("mode", ["paid-wrong-amount", "paid-other-order"])
def test_a_mismatching_paid_needs_attention_and_is_never_paid(
    hostile: MakeGateway, tmp_path: Path, mode: str
) -> None:
    gateway = hostile(mode)
    run = charge(gateway, tmp_path)
    assert gateway.paid_answers() >= 1, "the attack never happened"
    record = run.record()
    assert record["status"] != "paid", run
    assert run.returncode == 7, run  # ATTENTION
    attention = record.get("attention")
    assert isinstance(attention, dict) and attention.get("reason"), record
    assert_safe(run, gateway)


def seed_open_orders(data: Path) -> list[str]:
    """What a crash left: one order still CREATING (never reached the gateway) and one
    AWAITING_PAYMENT under a gateway order id this gateway never issued."""
    data.mkdir(parents=True, exist_ok=True)
    at = datetime.now(UTC) - timedelta(seconds=30)
    with Journal.open(data / "journal.sqlite3") as journal:
        creating = sell(journal, at, 300, outcome=OrderState.CREATING)
        awaiting = sell(
            journal,
            at,
            300,
            outcome=OrderState.AWAITING_PAYMENT,
            gateway_order_id="order_test_issued_elsewhere",
        )
    return [creating.kiosk_order_id, awaiting.kiosk_order_id]


def records_in(data: object) -> list[dict[str, Any]]:
    """Every order record anywhere in ``reconcile --json``'s answer."""
    if isinstance(data, dict):
        found = [data] if "kiosk_order_id" in data else []
        return found + [r for value in data.values() for r in records_in(value)]
    if isinstance(data, list):
        return [r for value in data for r in records_in(value)]
    return []


def test_reconcile_never_believes_a_paid_for_an_order_the_gateway_never_made(
    hostile: MakeGateway, tmp_path: Path
) -> None:
    gateway = hostile("paid-unknown-order")
    seeded = seed_open_orders(tmp_path / "data")
    run = run_kiosk(gateway, tmp_path, "reconcile", "--json", timeout=40)
    assert gateway.paid_answers() >= 1, "the attack never happened"
    assert "Traceback" not in run.stderr, run
    assert "paid" not in run.states(), run
    assert gateway.create_calls() == {}, "reconcile created an order"
    assert_no_leak(run, gateway)
    records = [r for r in records_in(json.loads(run.stdout)) if r["kiosk_order_id"] in seeded]
    assert {r["kiosk_order_id"] for r in records} == set(seeded), run
    for record in records:
        assert record["status"] != "paid", record
        assert isinstance(record.get("attention"), dict), record
    assert run.returncode == 7, run  # ATTENTION


# --- attack 3: answers that crashed a checkout ---------------------------------


@pytest.mark.parametrize("mode", ["deep-json", "long-qr"])
def test_an_answer_that_crashed_the_checkout_ends_it_failed(
    hostile: MakeGateway, tmp_path: Path, mode: str
) -> None:
    gateway = hostile(mode)
    run = charge(gateway, tmp_path)
    assert run.returncode in FAILED_EXITS, run
    assert run.states() == ["failed"], run
    assert_safe(run, gateway)


def test_an_absurd_expiry_is_not_believed(hostile: MakeGateway, tmp_path: Path) -> None:
    gateway = hostile("huge-expiry")
    run = charge(gateway, tmp_path)
    assert "Traceback" not in run.stderr, run
    # The kiosk's own QR lifetime (--timeout 5) applies; the honest customer paid this sale.
    assert run.returncode == 0 and run.states() == ["paid"], run
    assert "up to 5 s" in run.stderr, run  # --json: the chatter goes to stderr
    assert len(gateway.create_calls()) == 1
    assert_no_leak(run, gateway)


def test_a_negative_expiry_is_never_shown_as_a_wait(hostile: MakeGateway, tmp_path: Path) -> None:
    gateway = hostile("negative-expiry")
    run = charge(gateway, tmp_path)
    assert "Traceback" not in run.stderr, run
    assert "-100" not in run.stdout + run.stderr, run  # "up to -100 s"
    assert run.returncode in (0, 3, 4, 5), run
    assert run.states() and set(run.states()) <= FINAL_STATES, run
    assert len(gateway.create_calls()) == 1
    assert_no_leak(run, gateway)


# --- attack 4: no overall deadline on sign-in ----------------------------------


@pytest.mark.slow
def test_a_trickling_sign_in_ends_at_the_deadline(hostile: MakeGateway, tmp_path: Path) -> None:
    gateway = hostile("cognito-trickle")
    # total_timeout_s is 4 s: the hang guard allows several attempts, then calls it a hang.
    run = charge(gateway, tmp_path, guard_s=45)
    assert run.returncode == 5, run  # UNREACHABLE: the sign-in did not finish in time
    assert run.states() == ["failed"], run
    assert gateway.create_calls() == {}, "the create went out without a token?"
    assert_safe(run, gateway)


@pytest.mark.slow
def test_sigterm_while_the_sign_in_trickles_ends_promptly_and_recoverably(
    hostile: MakeGateway, tmp_path: Path
) -> None:
    gateway = hostile("cognito-trickle")
    args = ("charge", "300", "--json", "--timeout", "60")
    started = time.monotonic()
    process = start_kiosk(gateway, tmp_path, *args, settings={"gateway": {"total_timeout_s": 60}})
    try:
        assert gateway.cognito_called.wait(20), "the kiosk never signed in"
        process.send_signal(signal.SIGTERM)
    finally:
        run = finish(process, tmp_path / "data", args, guard_s=15, started=started)
    assert run.returncode == 143, run  # SIGTERM: the order is left recoverable
    assert "Traceback" not in run.stderr, run
    assert run.states() and set(run.states()) <= {"new", "creating"}, run
    assert_no_leak(run, gateway)


# --- attack 5: text from outside is data ----------------------------------------


@pytest.mark.parametrize("mode", ["cognito-richtext-type", "cognito-echo-password"])
def test_a_refused_sign_in_fails_the_sale_and_shows_no_secret(
    hostile: MakeGateway, tmp_path: Path, mode: str
) -> None:
    gateway = hostile(mode)
    run = charge(gateway, tmp_path)
    assert gateway.cognito_calls >= 1
    assert run.returncode == 5, run  # UNREACHABLE: sign-in failed
    assert run.states() == ["failed"], run
    assert gateway.create_calls() == {}
    assert_safe(run, gateway)


@pytest.mark.parametrize("mode", ["token-echo-error", "token-echo-detail", "token-echo-decline"])
def test_a_token_echoed_by_the_api_goes_nowhere(
    hostile: MakeGateway, tmp_path: Path, mode: str
) -> None:
    gateway = hostile(mode)
    run = charge(gateway, tmp_path)
    assert run.returncode == 4, run  # FAILED: refused or declined
    assert run.states() == ["failed"], run
    assert_safe(run, gateway)


# Raw, or as JSON writes them (``--json`` escapes C0 controls); a Python repr such as
# "\\x1b" in a log line is harmless text and not looked for.
CONTROL_TEXT = (*CONTROL_CHARS, *(f"\\u{ord(ch):04x}" for ch in CONTROL_CHARS))


def sqlite_text(path: Path) -> str:
    """Every text value of every table of a SQLite file (its bytes hold NULs by design)."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        values = [
            value
            for table in tables
            for row in db.execute(f'SELECT * FROM "{table}"')
            for value in row
            if isinstance(value, str)
        ]
    return "\n".join(values)


def control_chars_in(run: KioskRun) -> list[str]:
    """Where the hostile ids' control characters (raw or escaped) show up."""
    places = {"stdout": run.stdout, "stderr": run.stderr}
    for path in sorted(run.data.rglob("*")):
        if path.suffix == ".sqlite3":
            places[path.name] = sqlite_text(path)
        elif path.is_file() and path.suffix in (".log", ".txt", ".json", ".csv"):
            places[path.name] = path.read_text(encoding="utf-8", errors="backslashreplace")
    return [
        f"{needle!r} in {place}"
        for place, content in places.items()
        for needle in CONTROL_TEXT
        if needle in content
    ]


@pytest.mark.parametrize("mode", ["control-ids", "control-charge-id"])
def test_control_characters_in_gateway_ids_never_reach_a_record(
    hostile: MakeGateway, tmp_path: Path, mode: str
) -> None:
    gateway = hostile(mode)
    printer = {"kind": "file", "device": str(tmp_path / "printer.bin")}
    run = charge(gateway, tmp_path, settings={"printer": printer})
    assert "Traceback" not in run.stderr, run
    assert run.returncode in DEFINED_EXITS, run
    assert run.states() and set(run.states()) <= FINAL_STATES, run
    if "paid" in run.states():  # whatever was paid must print again (it crashed once)
        reprint = run_kiosk(
            gateway, tmp_path, "reprint", "1", timeout=40, settings={"printer": printer}
        )
        assert "Traceback" not in reprint.stderr, reprint
        assert reprint.returncode == 0, reprint
    found = control_chars_in(run)
    assert not found, f"{found}\n{run!r}"
    printed = (
        (tmp_path / "printer.bin").read_bytes() if (tmp_path / "printer.bin").exists() else b""
    )
    assert b"\x1b[2J" not in printed and "\u202e".encode() not in printed
    assert_no_leak(run, gateway)
