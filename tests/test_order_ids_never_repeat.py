"""Issue 13 (1): a journal damaged mid-day, or a second data folder, never reuses an order id.

The gateway keeps our order id as its idempotency key; before this, a reset
journal restarted the day at -0001 and a new ฿300 sale went PAID at once on
an earlier customer's payment. The sandbox here outlives the kiosk, as the
real gateway does, and counts create calls per order id.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.app.compose import build_services
from kiosk.domain.clock import SystemClock
from kiosk.domain.errors import Text
from kiosk.domain.money import Money
from kiosk.domain.order import Method, Order, OrderState, order_number
from kiosk.gateways.sandbox import SandboxServer, Scenario
from kiosk.infra.config import Settings, StoreSettings
from tests.fakes import run
from tests.store.test_health import flip_bytes, page_of
from tests.test_cli import kiosk

S = OrderState


class Midday(SystemClock):
    """Real time passing from 10:00 Bangkok, so no test ever straddles midnight."""

    def __init__(self) -> None:
        self._start = time.monotonic()

    def now(self) -> datetime:
        base = datetime(2026, 11, 24, 3, 0, tzinfo=UTC)
        return base + timedelta(seconds=time.monotonic() - self._start)


@pytest.fixture
def sandbox() -> Iterator[SandboxServer]:
    with SandboxServer(scenario=Scenario(kind="pay", after_s=0.05)) as server:
        yield server


def settings_for(sandbox: SandboxServer) -> Settings:
    settings = Settings()
    return replace(
        settings,
        gateway=replace(settings.gateway, base_url=sandbox.base_url),
        store=StoreSettings(checkout_timeout_s=30),
        poll=replace(settings.poll, fast_s=0.05, slow_s=0.1, max_backoff_s=0.2),
    )


def sell(sandbox: SandboxServer, data: Path, baht: int) -> tuple[Order, tuple[Text, ...]]:
    """One sale by a kiosk started on ``data`` (and closed after); its start-up notices too."""
    services = build_services(settings_for(sandbox), directory=data, clock=Midday())

    async def sale() -> Order:
        try:
            return await services.checkout.run(Money(baht * 100), Method.QR)
        finally:
            await services.aclose()

    return run(sale()), services.startup_notices


def at_gateway(sandbox: SandboxServer) -> dict[str, dict[str, object]]:
    return {str(o["orderid"]): o for o in sandbox.orders()}


def damage(path: Path, how: str) -> None:
    if how == "a table page":
        root, size = page_of(path, "orders")
        flip_bytes(path, (root - 1) * size, 8)
    elif how == "the header zeroed":
        data = bytearray(path.read_bytes())
        data[:100] = bytes(100)
        path.write_bytes(bytes(data))
    else:  # nothing of it left to read
        path.write_bytes(b"\x00garbage" * 4096)


@pytest.mark.parametrize("how", ["a table page", "the header zeroed", "all of it overwritten"])
def test_a_journal_damaged_mid_day_then_a_sale_makes_a_new_gateway_order(
    sandbox: SandboxServer, tmp_path: Path, how: str
) -> None:
    data = tmp_path / "data"
    earlier = [sell(sandbox, data, baht)[0] for baht in (300, 120, 45)]
    assert [o.state for o in earlier] == [S.PAID] * 3
    assert [order_number(o.kiosk_order_id) for o in earlier] == [1, 2, 3]

    damage(data / "journal.sqlite3", how)
    again, notices = sell(sandbox, data, 300)  # the same ฿300 as the first customer's

    assert notices and "damaged" in notices[0].en  # the window shows it; the CLI prints it
    assert again.state is S.PAID and again.amount == Money(30000)
    assert again.kiosk_order_id not in {o.kiosk_order_id for o in earlier}
    gateway = at_gateway(sandbox)
    assert len(gateway) == 4  # a new gateway order, not the first customer's handed back
    assert gateway[again.kiosk_order_id]["create_calls"] == 1
    assert gateway[again.kiosk_order_id]["amount"] == "300.00"
    assert gateway[again.kiosk_order_id]["state"] == "paid"
    assert all(gateway[o.kiosk_order_id]["create_calls"] == 1 for o in earlier)
    # Numbers go on past the damaged copy: read from what is left of it, or
    # (all overwritten) from the receipt archive, which names every paid sale.
    assert order_number(again.kiosk_order_id) == 4


def test_a_second_data_folder_with_the_same_store_and_terminal_makes_distinct_ids(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    first = [sell(sandbox, tmp_path / "first", 300)[0] for _ in range(2)]
    second = [sell(sandbox, tmp_path / "second", 300)[0] for _ in range(2)]

    numbers = [order_number(o.kiosk_order_id) for o in first + second]
    assert numbers == [1, 2, 1, 2]  # same store, terminal, day and numbers ...
    ids = {o.kiosk_order_id for o in first + second}
    assert len(ids) == 4  # ... and still four ids
    gateway = at_gateway(sandbox)
    assert set(gateway) == ids and all(o["create_calls"] == 1 for o in gateway.values())
    assert all(o.state is S.PAID for o in first + second)


@pytest.mark.slow
def test_every_cli_command_that_opens_a_replaced_journal_says_so_on_stderr(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    config = f'[gateway]\nkind = "sandbox"\nbase_url = "{sandbox.base_url}"\n'
    first = kiosk("charge", "300", "--json", data=data, config=config)
    assert first.returncode == 0, first.stderr
    assert "damaged" not in first.stderr
    first_id = json.loads(first.stdout)["kiosk_order_id"]

    damage(data / "journal.sqlite3", "all of it overwritten")
    again = kiosk("charge", "300", "--json", data=data, config=config)

    assert again.returncode == 0, again.stderr
    (copy,) = data.glob("journal.sqlite3.damaged-*[0-9Z]")
    assert "The sales journal was damaged" in again.stderr and copy.name in again.stderr
    record = json.loads(again.stdout)  # stdout stays one JSON record
    assert record["status"] == "paid" and record["amount"] == "300.00"
    assert record["kiosk_order_id"] != first_id
    # The journal is unreadable, but the log names the first sale: numbers go on.
    assert order_number(record["kiosk_order_id"]) == order_number(first_id) + 1  # type: ignore[operator]
    assert at_gateway(sandbox)[record["kiosk_order_id"]]["create_calls"] == 1

    report = kiosk("report", "--format", "json", data=data, config=config)
    assert report.returncode == 0, report.stderr
    assert copy.name in report.stderr and "damaged journal" in report.stderr
    assert [r["kiosk_order_id"] for r in json.loads(report.stdout)] in (
        [],
        [record["kiosk_order_id"]],
    )

    damage(data / "journal.sqlite3", "all of it overwritten")
    reconcile = kiosk("reconcile", "--json", data=data, config=config)
    assert reconcile.returncode == 0, reconcile.stderr
    assert reconcile.stderr.count("The sales journal was damaged") == 1
    assert json.loads(reconcile.stdout)["checked"] == 0
