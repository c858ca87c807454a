"""`kiosk reconcile` as a real process against a sandbox gateway that outlives the kiosk."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.app.compose import build_services
from kiosk.domain.clock import ManualClock
from kiosk.domain.exitcodes import ExitCode
from kiosk.domain.money import Money
from kiosk.domain.order import Order
from kiosk.gateways.sandbox import SandboxServer, Scenario
from kiosk.infra.config import Settings
from kiosk.store.lock import DataDirLock
from tests.fakes import start_left_open
from tests.test_cli import journal_rows, kiosk


@pytest.fixture
def sandbox() -> Iterator[SandboxServer]:
    with SandboxServer(scenario=Scenario(kind="never")) as server:
        yield server


def config_for(sandbox: SandboxServer) -> str:
    return f'[gateway]\nkind = "sandbox"\nbase_url = "{sandbox.base_url}"\n'


def left_open(sandbox: SandboxServer, data: Path, n: int) -> list[Order]:
    """n sales that reached AWAITING_PAYMENT, then the kiosk went away."""
    settings = Settings()
    settings = replace(settings, gateway=replace(settings.gateway, base_url=sandbox.base_url))

    async def sell() -> list[Order]:
        rt = build_services(settings, directory=data)
        try:
            return [await start_left_open(rt.checkout, Money(1000 * (i + 1))) for i in range(n)]
        finally:
            await rt.aclose()

    return asyncio.run(sell())


def test_nothing_open(tmp_path: Path, sandbox: SandboxServer) -> None:
    result = kiosk("reconcile", data=tmp_path / "data", config=config_for(sandbox))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith(
        "0 open order(s) checked: 0 changed, 0 not checked"
        " (no answer from the gateway), 0 still open."
    )


def test_prints_what_changed_and_leaves_the_rest_open(
    tmp_path: Path, sandbox: SandboxServer
) -> None:
    data = tmp_path / "data"
    paid, expired, still = left_open(sandbox, data, 3)
    sandbox.pay(paid.kiosk_order_id)
    sandbox.expire(expired.kiosk_order_id)

    result = kiosk("reconcile", data=data, config=config_for(sandbox))

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert f"{paid.kiosk_order_id}: awaiting_payment -> paid  ฿10.00" in lines
    assert f"{expired.kiosk_order_id}: awaiting_payment -> expired  ฿20.00" in lines
    assert lines[-1] == (
        "3 open order(s) checked: 2 changed, 0 not checked (no answer from the gateway),"
        " 2 still open."  # still awaiting, and the expired one is watched for late money
    )
    states = {order_id: state for order_id, state, _ in journal_rows(data)}
    assert states == {
        paid.kiosk_order_id: "paid",
        expired.kiosk_order_id: "expired",
        still.kiosk_order_id: "awaiting_payment",
    }
    # The sandbox counted no second create for any of them.
    assert {o["create_calls"] for o in sandbox.orders()} == {1}

    # A late payment on the expired one; reconcile again, as JSON.
    sandbox.pay(expired.kiosk_order_id)
    again = kiosk("reconcile", "--json", data=data, config=config_for(sandbox))
    assert again.returncode == 0, again.stderr
    result_json = json.loads(again.stdout)
    assert result_json["checked"] == 2
    ((changed,),) = [result_json["changed"]]
    assert (changed["kiosk_order_id"], changed["from"], changed["status"], changed["late"]) == (
        expired.kiosk_order_id,
        "expired",
        "paid",
        True,
    )
    assert [o["kiosk_order_id"] for o in result_json["still_open"]] == [still.kiosk_order_id]


def test_unreachable_gateway_postpones_and_still_exits_0(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with SandboxServer(scenario=Scenario(kind="never")) as sandbox:
        (order,) = left_open(sandbox, data, 1)
        config = config_for(sandbox)
    # The sandbox is gone: nothing listens on its port any more.
    result = kiosk("reconcile", "--json", data=data, config=config)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["changed"] == []
    assert [o["kiosk_order_id"] for o in out["not_checked"]] == [order.kiosk_order_id]
    assert journal_rows(data)[0][1] == "awaiting_payment"


def test_refused_while_another_kiosk_runs_on_the_folder(
    tmp_path: Path, sandbox: SandboxServer
) -> None:
    data = tmp_path / "data"
    with DataDirLock.acquire(data):
        result = kiosk("reconcile", data=data, config=config_for(sandbox))
    assert result.returncode == ExitCode.HELD
    assert "already running" in result.stderr and "Traceback" not in result.stderr


def test_money_paid_after_the_gateways_expiry_is_found_a_day_later(
    tmp_path: Path, sandbox: SandboxServer
) -> None:
    """The issue's case: charge exits at its own expiry, the customer pays afterwards,
    and reconcile runs only when even the gateway's expiry is long past (a day later)."""
    data = tmp_path / "data"
    settings = Settings()
    settings = replace(settings, gateway=replace(settings.gateway, base_url=sandbox.base_url))
    yesterday = ManualClock(datetime.now(UTC) - timedelta(days=1))

    async def expired_yesterday() -> Order:
        rt = build_services(settings, directory=data, clock=yesterday)
        try:
            order = await rt.checkout.start(Money(4200))
            yesterday.advance(order.ttl_s or 0)
            return await rt.checkout.follow(order)
        finally:
            await rt.aclose()

    order = asyncio.run(expired_yesterday())
    assert order.state.value == "expired" and order.gateway_expires_at is not None
    assert order.gateway_expires_at < datetime.now(UTC)  # nothing watches it any more
    sandbox.pay(order.kiosk_order_id)  # the customer paid late

    result = kiosk("reconcile", "--json", data=data, config=config_for(sandbox))

    assert result.returncode == 0, result.stderr
    (changed,) = json.loads(result.stdout)["changed"]
    assert (changed["kiosk_order_id"], changed["status"], changed["late"]) == (
        order.kiosk_order_id,
        "paid",
        True,
    )
    assert journal_rows(data)[0][1] == "paid"
