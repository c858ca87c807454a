"""Fixtures of the hostile-gateway tests: a started :class:`HostileGateway` per mode."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from tests.hostile.server import HostileGateway, Mode

MakeGateway = Callable[..., HostileGateway]


@pytest.fixture
def hostile() -> Iterator[MakeGateway]:
    """``hostile("qr-two-tag54")``: a gateway in that mode on 127.0.0.1, stopped after the test."""
    made: list[HostileGateway] = []

    def make(mode: Mode | str = "honest", **options: float) -> HostileGateway:
        gateway = HostileGateway(mode, **options).start()  # type: ignore[arg-type]
        made.append(gateway)
        return gateway

    yield make
    for gateway in made:
        gateway.stop()
