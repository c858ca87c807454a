"""The whole core over a real socket: checkout service -> villa adapter -> sandbox server."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from kiosk.app.compose import build_services
from kiosk.domain.errors import SaleFailed
from kiosk.domain.money import Money
from kiosk.domain.order import Method, OrderState
from kiosk.gateways.sandbox import SandboxServer, Scenario
from kiosk.infra.config import Settings, StoreSettings
from kiosk.services.container import Services
from tests.fakes import run

S = OrderState


@pytest.fixture
def sandbox() -> Iterator[SandboxServer]:
    with SandboxServer() as server:
        yield server


def runtime_for(sandbox: SandboxServer, tmp_path: Path, **store: object) -> Services:
    settings = Settings()
    settings = replace(
        settings,
        gateway=replace(settings.gateway, base_url=sandbox.base_url),
        store=replace(StoreSettings(checkout_timeout_s=30), **store),  # type: ignore[arg-type]
        poll=replace(settings.poll, fast_s=0.05, slow_s=0.1, max_backoff_s=0.2),
    )
    return build_services(settings, directory=tmp_path / "data")


def sandbox_state(sandbox: SandboxServer, order_id: str) -> object:
    return next(o["state"] for o in sandbox.orders() if o["orderid"] == order_id)


def test_paid_over_a_real_socket(sandbox: SandboxServer, tmp_path: Path) -> None:
    sandbox.set_scenario(Scenario(kind="pay", after_s=0.3))
    rt = runtime_for(sandbox, tmp_path, expected_payee=SandboxServer.BILLER_ID)

    async def scenario() -> None:
        try:
            final = await rt.checkout.run(Money(30000), Method.QR)
            assert final.state is S.PAID
            assert sandbox_state(sandbox, final.kiosk_order_id) == "paid"
            stored = rt.journal.get(final.kiosk_order_id)
            assert stored is not None and stored.state is S.PAID
            assert stored.gateway_order_id and stored.gateway_order_id.startswith("order_test_")
        finally:
            await rt.aclose()

    run(scenario())


def test_declined_and_wechat(sandbox: SandboxServer, tmp_path: Path) -> None:
    sandbox.set_scenario(Scenario(kind="decline", after_s=0.1))
    rt = runtime_for(sandbox, tmp_path)

    async def scenario() -> None:
        try:
            final = await rt.checkout.run(Money(4500), Method.WECHAT)
            assert final.state is S.FAILED and final.failure_code == "declined"
            assert (final.qr_payload or "").startswith("weixin://")
        finally:
            await rt.aclose()

    run(scenario())


def test_paid_after_expiry_is_late_paid(sandbox: SandboxServer, tmp_path: Path) -> None:
    sandbox.set_scenario(Scenario(kind="never", expire_s=5))
    rt = runtime_for(sandbox, tmp_path)
    rt.checkout.store = replace(rt.checkout.store, checkout_timeout_s=1)

    async def scenario() -> None:
        try:
            expired = await rt.checkout.run(Money(12000))
            assert expired.state is S.EXPIRED
            watcher = asyncio.create_task(rt.checkout.watch_late(expired))
            await asyncio.sleep(0.2)
            sandbox.pay(expired.kiosk_order_id)  # the bank's money arrives after all
            late = await asyncio.wait_for(watcher, 5)
            assert late.state is S.PAID and late.late
            stored = rt.journal.get(late.kiosk_order_id)
            assert stored is not None and stored.late and stored.state is S.PAID
        finally:
            await rt.aclose()

    run(scenario())


@pytest.mark.parametrize(
    ("tamper", "code"),
    [
        ("amount", "amount_mismatch"),
        ("currency", "amount_mismatch"),
        ("qr_crc", "qr_crc"),
        ("qr_amount", "qr_amount-mismatch"),
        ("qr_payee", "qr_payee"),
    ],
)
def test_tampered_answers_show_no_qr(
    sandbox: SandboxServer, tmp_path: Path, tamper: str, code: str
) -> None:
    sandbox.set_scenario(Scenario(tamper=tamper))  # type: ignore[arg-type]
    rt = runtime_for(sandbox, tmp_path, expected_payee=SandboxServer.BILLER_ID)

    async def scenario() -> None:
        try:
            with pytest.raises(SaleFailed) as info:
                await rt.checkout.start(Money(30000))
            assert info.value.order.failure_code == code
            assert info.value.order.qr_payload is None
            assert sandbox_state(sandbox, info.value.order.kiosk_order_id) == "cancelled"
        finally:
            await rt.aclose()

    run(scenario())


def test_http500_then_recovers_without_a_second_order(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    sandbox.set_scenario(Scenario(kind="pay", after_s=0.2, fault="http500", fault_count=2))
    rt = runtime_for(sandbox, tmp_path)

    async def scenario() -> None:
        try:
            final = await rt.checkout.run(Money(100))
            assert final.state is S.PAID
            (record,) = sandbox.orders()
            assert record["create_calls"] == 3
        finally:
            await rt.aclose()

    run(scenario())


def test_garbage_answers_fail_the_sale_with_a_clear_message(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    sandbox.set_scenario(Scenario(fault="garbage"))
    rt = runtime_for(sandbox, tmp_path)

    async def scenario() -> None:
        try:
            with pytest.raises(SaleFailed) as info:
                await rt.checkout.start(Money(100))
            assert info.value.user_message("en").startswith("The payment service sent an answer")
            assert info.value.order.state is S.FAILED
        finally:
            await rt.aclose()

    run(scenario())


def test_slow_answers_still_get_paid(sandbox: SandboxServer, tmp_path: Path) -> None:
    sandbox.set_scenario(Scenario(kind="pay", after_s=0.3, delay_s=0.3))
    rt = runtime_for(sandbox, tmp_path)

    async def scenario() -> None:
        try:
            assert (await rt.checkout.run(Money(100))).state is S.PAID
        finally:
            await rt.aclose()

    run(scenario())


def test_embedded_sandbox_runtime(tmp_path: Path) -> None:
    settings = Settings()
    rt = build_services(settings, directory=tmp_path / "d")
    try:
        assert rt.sandbox_server is not None and rt.is_sandbox
        assert rt.gateway.name == "sandbox"
    finally:
        run(rt.aclose())
    assert (tmp_path / "d" / "journal.sqlite3").exists()
