"""Core benchmark (make bench): 50 sandbox checkouts through the service over a real socket.

Reports paid-detection latency (sandbox marks paid -> service journals PAID)
p50/p95, the status-request rate, and create -> QR checked minus the
sandbox's own answer time, against a bare httpx baseline in the same run.
"""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import replace
from pathlib import Path

import httpx

from kiosk.app.compose import build_services
from kiosk.domain.events import OrderChanged
from kiosk.domain.money import Money
from kiosk.domain.order import Method, Order, OrderState
from kiosk.gateways.sandbox import SandboxServer, Scenario
from kiosk.gateways.villa import VillaGateway
from kiosk.infra.config import Settings

CHECKOUTS = 50
CONCURRENT = 1  # one sale at a time, as at a counter


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def test_core_checkout_figures(tmp_path: Path) -> None:
    server = SandboxServer(scenario=Scenario(kind="pay", after_s=0.4)).start()
    settings = Settings()
    settings = replace(settings, gateway=replace(settings.gateway, base_url=server.base_url))
    rt = build_services(settings, directory=tmp_path / "data")
    gateway = rt.gateway
    assert isinstance(gateway, VillaGateway)
    server_ms: dict[str, float] = {}
    requests = {"status": 0, "all": 0}

    async def on_response(response: httpx.Response) -> None:
        requests["all"] += 1
        if "/checkstatus/" in response.request.url.path:
            requests["status"] += 1
        key = response.request.extensions.get("bench_key", "")
        server_ms[key] = server_ms.get(key, 0.0) + float(
            response.headers.get("X-Sandbox-Time-Ms", "0")
        )

    gateway._client.event_hooks["response"].append(on_response)
    known_at: dict[str, float] = {}

    def on_order(event: OrderChanged) -> None:
        if event.order.state is OrderState.PAID:
            known_at[event.order.kiosk_order_id] = time.monotonic()

    rt.checkout.bus.subscribe(OrderChanged, on_order)
    start_times: list[float] = []
    server_share: list[float] = []

    rng = random.Random(20261124)

    async def one(i: int) -> Order:
        # The customer pays at a random moment, so detection samples the whole poll interval.
        server.queue_scenario(Scenario(kind="pay", after_s=rng.uniform(0.2, 1.8)))
        before = dict(server_ms)
        t0 = time.perf_counter()
        order = await rt.checkout.start(Money(10000 + i), Method.QR)
        start_times.append((time.perf_counter() - t0) * 1000)
        server_share.append(sum(server_ms.values()) - sum(before.values()))
        return await rt.checkout.follow(order)

    async def run_all() -> tuple[list[Order], float]:
        t0 = time.perf_counter()
        done: list[Order] = []
        for batch in range(0, CHECKOUTS, CONCURRENT):
            done += await asyncio.gather(*(one(batch + k) for k in range(CONCURRENT)))
        return done, time.perf_counter() - t0

    async def baseline() -> list[float]:
        """Bare httpx create + QR against the same server: no journal, no checks."""
        times = []
        async with httpx.AsyncClient(
            base_url=server.base_url, headers={"Authorization": SandboxServer.TOKEN}
        ) as client:
            for i in range(CHECKOUTS):
                t0 = time.perf_counter()
                body = {"orderid": f"BASE-{i}", "source": "qr", "amount": "10.00"}
                await client.post("/kbank/order", json=body)
                await client.post("/qrpayment", json={"orderid": f"BASE-{i}", "source": "qr"})
                times.append((time.perf_counter() - t0) * 1000)
        return times

    try:
        finals, elapsed = asyncio.run(run_all())
        base = asyncio.run(baseline())
    finally:
        asyncio.run(rt.aclose())
        server.stop()
    assert all(o.state is OrderState.PAID for o in finals)
    latencies = []
    for order in finals:
        paid = server.paid_at_monotonic(order.kiosk_order_id)
        assert paid is not None
        latencies.append((known_at[order.kiosk_order_id] - paid) * 1000)
    concurrent_share = [t - s for t, s in zip(start_times, server_share, strict=True)]
    fast = settings.poll.fast_s * 1000
    print(
        "\n== core benchmark ==\n"
        f"checkouts: {len(finals)} ({CONCURRENT} at a time), all PAID, {elapsed:.1f} s\n"
        f"paid detection latency: p50 {pct(latencies, 0.5):.0f} ms,"
        f" p95 {pct(latencies, 0.95):.0f} ms"
        f" (poll interval {fast:.0f} ms: expected mean {fast / 2:.0f} ms; p50 ratio"
        f" {pct(latencies, 0.5) / (fast / 2):.2f}x)\n"
        f"requests: {requests['all']} total, {requests['all'] / elapsed:.1f} req/s overall;"
        f" status checks {requests['status'] / elapsed:.1f} req/s"
        f" ({requests['status'] / len(finals):.1f} per checkout)\n"
        f"create -> QR checked (journal + create + QR + checks), minus sandbox time:"
        f" p50 {pct(concurrent_share, 0.5):.1f} ms, p95 {pct(concurrent_share, 0.95):.1f} ms\n"
        f"baseline bare httpx create + QR: p50 {pct(base, 0.5):.1f} ms;"
        f" ratio kiosk/baseline p50 {pct(start_times, 0.5) / pct(base, 0.5):.2f}x"
    )
