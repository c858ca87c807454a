"""One checkout through the real adapter over real sockets, with an event-loop probe.

``checkout`` builds the production pieces (VillaGateway on httpx, journal,
CheckoutService, ConnectivityMonitor) against any base URL (the sandbox,
or the fault proxy in front of it), runs one sale on a fresh asyncio loop
while a probe measures how late the loop wakes up (the UI's frame budget),
and returns what happened, as journaled.
"""

from __future__ import annotations

import asyncio
import random
import ssl
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from kiosk.domain.clock import SystemClock
from kiosk.domain.errors import KioskError, SaleFailed
from kiosk.domain.money import Money
from kiosk.domain.order import Method, Order
from kiosk.gateways.sandbox import SandboxServer
from kiosk.gateways.tokens import StaticToken
from kiosk.gateways.villa import VillaGateway
from kiosk.infra.config import PathsSettings, StoreSettings
from kiosk.services.checkout import CheckoutService
from kiosk.services.connectivity import ConnectivityMonitor, Link, LinkChanged
from kiosk.services.polling import PollPolicy
from kiosk.services.recovery import RecoveryService
from kiosk.store.journal import Journal

POLL = PollPolicy(fast_s=0.05, slow_s=0.1, fast_for_s=5, base_backoff_s=0.1, max_backoff_s=0.3)


class LoopProbe:
    """A timer on the loop under test: how much later than asked did it ever wake?"""

    def __init__(self, period_s: float = 0.005) -> None:
        self.period_s = period_s
        self.max_stall_s = 0.0
        self.ticks = 0

    async def run(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            asked = loop.time() + self.period_s
            await asyncio.sleep(self.period_s)
            self.max_stall_s = max(self.max_stall_s, loop.time() - asked)
            self.ticks += 1


@dataclass
class Outcome:
    order: Order  # as journaled at the end
    error: KioskError | None
    max_stall_s: float
    elapsed_s: float
    links: list[Link] = field(default_factory=list)
    ticks: int = 0


@dataclass
class Timeouts:
    connect_s: float = 0.3
    read_s: float = 0.5
    total_s: float = 1.0


During = Callable[[CheckoutService, ConnectivityMonitor, Order], Awaitable[None]]


def checkout(
    base_url: str,
    tmp_path: Path,
    *,
    timeouts: Timeouts | None = None,
    verify: ssl.SSLContext | bool = True,
    during: During | None = None,
    amount: Money = Money(30000),
    poll: PollPolicy = POLL,
) -> Outcome:
    """One sale; ``during`` runs next to the payment wait (e.g. to break and mend the road)."""
    t = timeouts or Timeouts()
    journal = Journal.open(tmp_path / "journal.sqlite3")
    client = httpx.AsyncClient(
        timeout=httpx.Timeout(t.read_s, connect=t.connect_s),
        follow_redirects=False,
        trust_env=False,
        verify=verify,
    )
    gateway = VillaGateway(
        base_url=base_url,
        client=client,
        tokens=StaticToken(SandboxServer.TOKEN),
        paths=PathsSettings(cancel="/cancel/{orderid}"),
        total_timeout_s=t.total_s,
        name="sandbox",
    )
    service = CheckoutService(
        gateway=gateway,
        journal=journal,
        clock=SystemClock(),
        store=StoreSettings(checkout_timeout_s=20),
        poll=poll,
        rng=random.Random(7),
    )
    monitor = ConnectivityMonitor(
        service=service,
        clock=service.clock,
        recovery=RecoveryService(service=service, journal=journal),
        rng=random.Random(8),
    )
    links: list[Link] = []
    monitor.bus.subscribe(LinkChanged, lambda event: links.append(event.status.link))
    probe = LoopProbe()

    async def sale() -> tuple[Order, KioskError | None]:
        try:
            order = await monitor.start_sale(amount, Method.QR)
        except SaleFailed as exc:
            return exc.order, exc
        helpers = [asyncio.ensure_future(monitor.run())]
        if during is not None:
            helpers.append(asyncio.ensure_future(during(service, monitor, order)))
        try:
            return await service.follow(order), None
        finally:
            for task in helpers:
                task.cancel()
            await asyncio.gather(*helpers, return_exceptions=True)
            await monitor.wait_reconnected()

    async def scenario() -> tuple[Order, KioskError | None]:
        watcher = asyncio.ensure_future(probe.run())
        try:
            return await asyncio.wait_for(sale(), timeout=60)
        finally:
            watcher.cancel()
            await asyncio.gather(watcher, return_exceptions=True)
            await monitor.aclose()
            assert monitor.recovery is not None
            await monitor.recovery.aclose()
            await gateway.aclose()

    started = time.perf_counter()
    try:
        order, error = asyncio.run(scenario())
        stored = journal.get(order.kiosk_order_id)
    finally:
        journal.close()
    assert stored is not None
    # Shown with pytest -s: the figures behind the responsiveness assertions.
    print(
        f"[fault-matrix] {stored.state.value:>8} in {time.perf_counter() - started:5.2f} s,"
        f" loop max stall {probe.max_stall_s * 1000:5.1f} ms over {probe.ticks} ticks"
    )
    return Outcome(
        order=stored,
        error=error,
        max_stall_s=probe.max_stall_s,
        elapsed_s=time.perf_counter() - started,
        links=links,
        ticks=probe.ticks,
    )


async def until(condition: Callable[[], bool], limit_s: float = 10.0) -> None:
    """Wait on the loop, checking every few milliseconds, for at most ``limit_s``."""
    deadline = asyncio.get_running_loop().time() + limit_s
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.005)
