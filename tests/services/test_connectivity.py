"""Offline state, new sales refused while offline, checks resumed on return (no Qt, no sleeping)."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable

import httpx
import pytest

from kiosk.domain.clock import ManualClock
from kiosk.domain.errors import GatewayOffline, SaleFailed
from kiosk.domain.money import Money
from kiosk.domain.order import Order, OrderState
from kiosk.services.checkout import CheckoutService
from kiosk.services.connectivity import (
    ConnectivityMonitor,
    Link,
    LinkChanged,
    LinkStatus,
    Reconnected,
)
from kiosk.services.recovery import RecoveryReport, RecoveryService
from kiosk.store.journal import Journal
from tests.fakes import ScriptedVilla, order_body, paid, pending, run

S = OrderState
AMOUNT = Money(30000)


def down() -> httpx.Response:
    return httpx.Response(503, json={"error": {"code": "unavailable", "message": "down"}})


def monitor_for(service: CheckoutService, clock: ManualClock) -> ConnectivityMonitor:
    recovery = RecoveryService(service=service, journal=service.journal)
    return ConnectivityMonitor(
        service=service, clock=clock, recovery=recovery, rng=random.Random(5)
    )


async def until(condition: Callable[[], bool], turns: int = 500) -> None:
    for _ in range(turns):
        if condition():
            return
        await asyncio.sleep(0)
    raise AssertionError("condition not reached")


def test_unreachable_on_create_goes_offline_and_refuses_the_next_sale(
    service: CheckoutService, backend: ScriptedVilla, journal: Journal, clock: ManualClock
) -> None:
    monitor = monitor_for(service, clock)
    seen: list[LinkStatus] = []
    monitor.bus.subscribe(LinkChanged, lambda event: seen.append(event.status))
    assert monitor.status.link is Link.UNKNOWN and monitor.status.can_sell
    backend.create = lambda body: down()

    with pytest.raises(SaleFailed):
        run(monitor.start_sale(AMOUNT))

    assert [s.link for s in seen] == [Link.OFFLINE]
    assert not monitor.status.can_sell
    text = monitor.status.text
    assert text is not None and "New sales are paused" in text.en and text.th
    journaled = journal.count()
    with pytest.raises(GatewayOffline) as refused:
        run(monitor.start_sale(AMOUNT))
    assert refused.value.user_message("en") == GatewayOffline.default_text.en
    assert journal.count() == journaled  # refused before anything was journaled


def test_probes_with_backoff_until_back_then_recovers_and_tells_the_window(
    service: CheckoutService, backend: ScriptedVilla, journal: Journal, clock: ManualClock
) -> None:
    monitor = monitor_for(service, clock)
    left_open = run(service.start(AMOUNT))  # a sale whose checks were cut off
    links: list[Link] = []
    reports: list[RecoveryReport] = []
    monitor.bus.subscribe(LinkChanged, lambda event: links.append(event.status.link))
    monitor.bus.subscribe(Reconnected, lambda event: reports.append(event.report))
    backend.statuses = [down()]

    def state_of(order: Order) -> OrderState | None:
        stored = journal.get(order.kiosk_order_id)
        return stored.state if stored is not None else None

    async def scenario() -> None:
        report = await monitor.startup()
        assert report is not None and report.unreachable
        assert monitor.status.link is Link.OFFLINE
        loop = asyncio.ensure_future(monitor.run())
        await until(lambda: len(clock.slept) >= 3)  # a few failed probes
        assert monitor.status.link is Link.OFFLINE
        backend.statuses = [paid()]
        await until(lambda: monitor.status.link is Link.ONLINE)
        await monitor.wait_reconnected()
        # The order left open is followed by its watcher (resumed at start-up), so
        # the reconnection's pass leaves it alone; the watcher finds the money.
        await until(lambda: state_of(left_open) is S.PAID)
        loop.cancel()
        await asyncio.gather(loop, return_exceptions=True)
        await monitor.aclose()
        assert monitor.recovery is not None
        await monitor.recovery.aclose()

    run(scenario())
    assert links == [Link.OFFLINE, Link.ONLINE]
    waits = clock.slept[:3]
    assert all(0 < w <= service.poll.max_backoff_s for w in waits)
    assert waits[2] > waits[0] / 2  # grows (jitter is within half to full of each step)
    assert len(reports) == 1 and left_open.kiosk_order_id not in {
        o.kiosk_order_id for o, _ in reports[0].postponed
    }
    assert state_of(left_open) is S.PAID


def test_failed_status_checks_mark_offline_and_a_good_one_brings_it_back(
    service: CheckoutService, backend: ScriptedVilla, clock: ManualClock
) -> None:
    monitor = monitor_for(service, clock)
    links: list[Link] = []
    monitor.bus.subscribe(LinkChanged, lambda event: links.append(event.status.link))
    backend.statuses = [pending(), down(), down(), down(), pending(), paid()]

    async def scenario() -> OrderState:
        order = await monitor.start_sale(AMOUNT)
        final = await service.follow(order)
        await monitor.wait_reconnected()
        return final.state

    assert run(scenario()) is S.PAID
    # create: ONLINE; two failed checks: OFFLINE; the next answer: ONLINE again.
    assert links == [Link.ONLINE, Link.OFFLINE, Link.ONLINE]


def test_a_sale_the_gateway_refuses_keeps_it_online(
    service: CheckoutService, backend: ScriptedVilla, clock: ManualClock
) -> None:
    monitor = monitor_for(service, clock)
    backend.create = lambda body: httpx.Response(
        400, json={"error": {"code": "invalid_order", "message": "no"}}
    )
    with pytest.raises(SaleFailed):
        run(monitor.start_sale(AMOUNT))
    assert monitor.status.link is Link.ONLINE


@pytest.mark.parametrize(
    ("answer", "link"),
    [
        (httpx.Response(404, json={"error": {"code": "invalid_order", "message": "?"}}), "online"),
        (httpx.Response(401, json={"error": {"code": "unauthorized", "message": "?"}}), "online"),
        (httpx.Response(502, json={}), "offline"),
        (httpx.Response(200, text="<html>captive portal</html>"), "offline"),
    ],
)
def test_startup_with_nothing_to_recover_probes_once(
    service: CheckoutService,
    backend: ScriptedVilla,
    clock: ManualClock,
    answer: httpx.Response,
    link: str,
) -> None:
    monitor = monitor_for(service, clock)
    backend.statuses = [answer]
    report = run(monitor.startup())
    assert report is not None and report.checked == 0
    assert monitor.status.link == link
    assert backend.paths_called()[-1] == "/checkstatus/S001-T01-PROBE"


def test_without_recovery_it_still_tracks_the_link(
    service: CheckoutService, backend: ScriptedVilla, clock: ManualClock
) -> None:
    monitor = ConnectivityMonitor(service=service, clock=clock)
    backend.statuses = [down()]
    assert run(monitor.startup()) is None
    assert monitor.status.link is Link.OFFLINE
    backend.statuses = [httpx.Response(200, json=order_body())]
    assert run(monitor.probe_now()).link is Link.ONLINE
