import asyncio
from datetime import timedelta

import pytest

from kiosk.domain import errors
from kiosk.domain.clock import ManualClock, SystemClock
from kiosk.domain.errors import GatewayUnavailable, KioskError, SaleFailed, Text
from kiosk.domain.money import Money
from kiosk.domain.order import Method, Order


def all_error_classes() -> list[type[KioskError]]:
    found: list[type[KioskError]] = []
    for value in vars(errors).values():
        if isinstance(value, type) and issubclass(value, KioskError):
            found.append(value)
    return found


@pytest.mark.parametrize("cls", all_error_classes(), ids=lambda c: c.__name__)
def test_every_error_speaks_thai_and_english(cls: type[KioskError]) -> None:
    text = cls.default_text
    assert text.en and text.th
    assert text.en != text.th
    assert any("\u0e00" <= ch <= "\u0e7f" for ch in text.th), "Thai text is Thai"


def test_message_and_detail() -> None:
    error = GatewayUnavailable("POST /kbank/order: ConnectError", code="x", retry_after=2.0)
    assert str(error).startswith("Cannot reach the payment service")
    assert "ConnectError" in str(error)
    assert error.user_message("th").startswith("ไม่สามารถ")
    assert error.user_message("en") == GatewayUnavailable.default_text.en
    assert (error.code, error.retry_after, error.status) == ("x", 2.0, None)
    assert str(KioskError()) == KioskError.default_text.en
    assert Text("a", "ข").get("th") == "ข" and Text("a", "ข").get("fr") == "a"


def test_sale_failed_carries_order_and_cause_message() -> None:
    from datetime import UTC, datetime

    o = Order("id", Money(1), Method.QR, datetime.now(UTC))
    cause = GatewayUnavailable("down")
    failed = SaleFailed(o, cause)
    assert failed.order is o and failed.cause is cause
    assert failed.user_message("en") == cause.user_message("en")


def test_manual_clock_moves_only_when_told() -> None:
    clock = ManualClock()
    start = clock.now()
    asyncio.run(clock.sleep(2.5))
    clock.advance(0.5)
    asyncio.run(clock.sleep(-1))
    assert (clock.now() - start).total_seconds() == 3.0
    assert clock.slept == [2.5, -1]


def test_manual_clock_counts_running_time_apart_from_the_wall_clock() -> None:
    clock = ManualClock()
    assert clock.monotonic() == 0.0
    clock.advance(90)
    asyncio.run(clock.sleep(10))
    assert clock.monotonic() == 100.0
    clock.set_wall(clock.now() + timedelta(hours=2))  # someone sets the computer's clock
    clock.set_wall(clock.now() - timedelta(days=3))
    clock.advance(-5)  # the wall clock may go back; running time never does
    assert clock.monotonic() == 100.0


def test_system_clock_is_aware_and_sleeps() -> None:
    clock = SystemClock()
    assert clock.now().tzinfo is not None
    first = clock.monotonic()
    asyncio.run(clock.sleep(0))
    assert clock.monotonic() >= first


def test_each_error_names_its_journal_code_and_exit_code() -> None:
    from kiosk.domain import errors as e
    from kiosk.domain.exitcodes import ExitCode

    assert e.KioskError().failure_code == "error"
    assert e.GatewayTimeout().failure_code == "timeout"
    assert e.GatewayUnavailable().failure_code == "unreachable"
    assert e.GatewayRejected(code="invalid_order").failure_code == "invalid_order"
    assert e.UnsafeAnswer().failure_code == "amount_mismatch"
    assert e.QrRejected("payee").failure_code == "qr_payee"
    expected = {
        e.KioskError: ExitCode.FAILED,
        e.InvalidAmount: ExitCode.USAGE,
        e.KeyringUnavailable: ExitCode.USAGE,
        e.StoreError: ExitCode.CANNOT_RECORD,
        e.AlreadyRunning: ExitCode.HELD,
        e.GatewayOffline: ExitCode.UNREACHABLE,
        e.AuthError: ExitCode.UNREACHABLE,
        e.GatewayRejected: ExitCode.FAILED,
        e.PrinterError: ExitCode.FAILED,
        e.NoPrinter: ExitCode.USAGE,
        e.PrinterUnavailable: ExitCode.UNREACHABLE,
    }
    assert {cls: cls.exit_code for cls in expected} == expected


def test_the_readme_and_the_architecture_list_every_exit_code() -> None:
    import re
    from pathlib import Path

    from kiosk.domain.exitcodes import ExitCode

    root = Path(__file__).resolve().parents[2]
    for doc in ("README.md", "docs/architecture.md"):
        text = (root / doc).read_text(encoding="utf-8")
        rows = re.findall(r"^\| (\d+)(?: / (\d+))? \|", text, re.M)
        listed = {int(code) for row in rows for code in row if code}
        assert listed == {int(code) for code in ExitCode}, doc


def test_a_gateway_code_that_is_not_a_code_is_not_journaled() -> None:
    from kiosk.domain.errors import AuthError

    assert AuthError("x", code="NotAuthorizedException").failure_code == "NotAuthorizedException"
    assert AuthError("x", code="<h1>PAID ✓</h1>").failure_code == AuthError.reason_code
    assert AuthError("x", code="a" * 65).failure_code == AuthError.reason_code
