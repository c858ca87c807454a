"""The event bus: queued delivery, isolated listeners, unsubscribe, any thread may publish."""

from __future__ import annotations

import asyncio
import logging
import threading
from dataclasses import dataclass

import pytest

from kiosk.infra.bus import EventBus


@dataclass(frozen=True)
class Ping:
    n: int


@dataclass(frozen=True)
class LoudPing(Ping):
    pass


def test_publishing_only_queues_and_delivery_comes_on_the_loop() -> None:
    async def scenario() -> list[str]:
        bus = EventBus(asyncio.get_running_loop())
        seen: list[str] = []
        bus.subscribe(Ping, lambda e: seen.append(f"got {e.n}"))
        bus.publish(Ping(1))
        seen.append("publish returned")  # the listener has not run yet
        await bus.drain()
        return seen

    assert asyncio.run(scenario()) == ["publish returned", "got 1"]


def test_a_raising_listener_is_logged_and_the_others_still_hear(
    caplog: pytest.LogCaptureFixture,
) -> None:
    async def scenario() -> list[int]:
        bus = EventBus(asyncio.get_running_loop())
        seen: list[int] = []

        def broken(event: Ping) -> None:
            raise RuntimeError("listener bug")

        bus.subscribe(Ping, broken)
        bus.subscribe(Ping, lambda e: seen.append(e.n))
        bus.publish(Ping(1))
        bus.publish(Ping(2))
        await bus.drain()
        return seen

    with caplog.at_level(logging.ERROR, logger="kiosk.bus"):
        assert asyncio.run(scenario()) == [1, 2]
    assert sum("listener bug" in (r.exc_text or "") for r in caplog.records) == 2


def test_unsubscribe_stops_even_events_already_queued() -> None:
    async def scenario() -> list[int]:
        bus = EventBus(asyncio.get_running_loop())
        seen: list[int] = []
        sub = bus.subscribe(Ping, lambda e: seen.append(e.n))
        bus.publish(Ping(1))
        sub.cancel()
        bus.publish(Ping(2))
        await bus.drain()
        assert bus.listeners(Ping) == 0
        return seen

    assert asyncio.run(scenario()) == []


def test_subclasses_reach_listeners_of_the_base_type_only_once() -> None:
    async def scenario() -> tuple[list[Ping], list[Ping]]:
        bus = EventBus(asyncio.get_running_loop())
        base: list[Ping] = []
        loud: list[Ping] = []
        bus.subscribe(Ping, base.append)
        bus.subscribe(LoudPing, loud.append)
        bus.publish(LoudPing(1))
        bus.publish(Ping(2))
        await bus.drain()
        return base, loud

    base, loud = asyncio.run(scenario())
    assert base == [LoudPing(1), Ping(2)] and loud == [LoudPing(1)]


def test_another_thread_publishes_and_the_loop_thread_delivers() -> None:
    async def scenario() -> set[int]:
        loop = asyncio.get_running_loop()
        bus = EventBus(loop)
        threads: set[int] = set()
        got = asyncio.Event()

        def listener(event: Ping) -> None:
            threads.add(threading.get_ident())
            got.set()

        bus.subscribe(Ping, listener)
        worker = threading.Thread(target=bus.publish, args=(Ping(7),))
        worker.start()
        worker.join()
        await asyncio.wait_for(got.wait(), 5)
        await bus.drain()
        return threads

    main = threading.get_ident()
    assert asyncio.run(scenario()) == {main}


def test_listeners_that_publish_are_drained_too() -> None:
    async def scenario() -> list[int]:
        bus = EventBus(asyncio.get_running_loop())
        seen: list[int] = []

        def relay(event: Ping) -> None:
            seen.append(event.n)
            if event.n < 3:
                bus.publish(Ping(event.n + 1))

        bus.subscribe(Ping, relay)
        bus.publish(Ping(1))
        await bus.drain()
        return seen

    assert asyncio.run(scenario()) == [1, 2, 3]


def test_without_any_loop_delivery_is_immediate_and_still_isolated() -> None:
    bus = EventBus()
    seen: list[int] = []
    bus.subscribe(Ping, lambda e: 1 / 0)  # type: ignore[arg-type, return-value]
    bus.subscribe(Ping, lambda e: seen.append(e.n))
    bus.publish(Ping(5))
    assert seen == [5]


def test_two_drains_at_once_both_return() -> None:
    async def scenario() -> list[int]:
        bus = EventBus(asyncio.get_running_loop())
        seen: list[int] = []

        def relay(event: Ping) -> None:
            seen.append(event.n)
            if event.n == 1:
                bus.publish(Ping(2))  # queued behind both drains' first look

        bus.subscribe(Ping, relay)
        first = asyncio.ensure_future(bus.drain())
        second = asyncio.ensure_future(bus.drain())
        bus.publish(Ping(1))
        await asyncio.wait_for(asyncio.gather(first, second), 5)
        return seen

    assert asyncio.run(scenario()) == [1, 2]
