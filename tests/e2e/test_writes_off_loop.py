"""A kiosk's sale writes to disk off its event loop (the window never waits for an fsync).

The composed services, the embedded sandbox and a customer who pays: every
journal write, the receipt log and every receipt-archive write of the sale run
on a thread other than the loop's, and the sale still ends PAID with its slip.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from kiosk.app.compose import build_services
from kiosk.domain.money import Money
from kiosk.domain.order import Method, Order, OrderState
from kiosk.infra.config import Settings
from kiosk.receipts.archive import ReceiptArchive
from kiosk.receipts.log import ReceiptLog
from kiosk.store.journal import Journal
from tests.fakes import run

WRITES = {
    Journal: ("new_order", "record", "issue_document"),
    ReceiptLog: ("append",),
    ReceiptArchive: ("add", "store_rendition"),
}


def paying_sandbox() -> Settings:
    """The embedded sandbox with a customer who pays at once, and quick polls."""
    settings = Settings()
    return replace(
        settings,
        sandbox=replace(settings.sandbox, scenario="pay", pay_after_s=0.05),
        poll=replace(settings.poll, fast_s=0.05, slow_s=0.1, max_backoff_s=0.2),
        printer=replace(settings.printer, auto_print="never"),
    )


def spy_threads(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, int]]:
    """Each write of the sale, named, with the thread it ran on."""
    seen: list[tuple[str, int]] = []

    def spying(cls: type, name: str) -> Callable[..., Any]:
        real = getattr(cls, name)

        def write(*args: Any, **kwargs: Any) -> Any:
            seen.append((f"{cls.__name__}.{name}", threading.get_ident()))
            return real(*args, **kwargs)

        return write

    for cls, names in WRITES.items():
        for name in names:
            monkeypatch.setattr(cls, name, spying(cls, name))
    return seen


def test_a_paid_sale_writes_nothing_on_the_loops_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = paying_sandbox()
    seen = spy_threads(monkeypatch)
    loop_thread = threading.get_ident()

    async def sale() -> tuple[Order, int]:
        services = build_services(settings, directory=tmp_path / "data")
        try:
            order = await services.checkout.run(Money(30000), Method.QR)
            assert services.receipts is not None
            await services.bus.drain()  # the receipts have heard of the payment
            await services.receipts.drain()
            record = services.receipts.for_order(order.kiosk_order_id)
            return order, 0 if record is None else record.number
        finally:
            await services.aclose()

    order, slip = run(sale())
    assert order.state is OrderState.PAID and slip >= 1
    names = {name for name, _ in seen}
    assert names == {f"{cls.__name__}.{n}" for cls, ns in WRITES.items() for n in ns}
    on_loop = [name for name, thread in seen if thread == loop_thread]
    assert on_loop == []
