"""The window closes while the sale's PAID is still being written (the writer thread).

The composed services against the embedded sandbox: the customer pays, the
PAID commit is slow (the disk), the sale's task is cancelled and the services
close meanwhile. Closing waits for the write instead of hanging or dropping it:
the journal holds the sale PAID with its receipt line, and the next start tells
nothing is left open.
"""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import Any

import pytest

from kiosk.app.compose import build_services
from kiosk.domain.money import Money
from kiosk.domain.order import Method, Order, OrderState
from kiosk.store.journal import Journal
from kiosk.store.writer import JournalThread
from tests.e2e.test_writes_off_loop import paying_sandbox

S = OrderState
GATE_S = 10.0  # only bounds a failing test; a passing one never waits for it


def test_closing_while_the_paid_write_is_slow_waits_for_it_and_loses_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = paying_sandbox()
    disk = threading.Event()  # the slow disk: the PAID commit waits for it
    writing = threading.Event()  # set once the PAID commit is on the writer thread
    answered: list[bool] = []  # the disk answered (True), not the bound (False)
    record = Journal.record

    def slow_paid(self: Journal, order: Order, *args: Any, **kwargs: Any) -> None:
        if order.state is S.PAID:
            writing.set()
            answered.append(disk.wait(GATE_S))
        record(self, order, *args, **kwargs)

    close = JournalThread.close

    def closing(self: JournalThread) -> None:
        disk.set()  # the disk answers while close waits for the write in flight
        close(self)

    monkeypatch.setattr(Journal, "record", slow_paid)
    monkeypatch.setattr(JournalThread, "close", closing)
    data = tmp_path / "data"

    async def sale_then_close() -> str:
        services = build_services(settings, directory=data)
        loop = asyncio.get_running_loop()
        sale = asyncio.ensure_future(services.checkout.run(Money(30000), Method.QR))
        try:
            await loop.run_in_executor(None, writing.wait, GATE_S)
            assert writing.is_set(), "the sale never came to its PAID write"
            (order,) = services.journal.select_orders("ORDER BY created_at")
            assert order.state is S.AWAITING_PAYMENT and not disk.is_set()
            sale.cancel()  # the window closing, the services with it
        finally:
            await services.aclose()  # the slow write is still in flight here
        with pytest.raises(asyncio.CancelledError):
            await sale
        return order.kiosk_order_id

    kiosk_order_id = asyncio.run(sale_then_close())
    assert answered == [True]  # the commit waited for the disk, not for the bound

    with Journal.open(data / "journal.sqlite3") as journal:
        order = journal.get(kiosk_order_id)
        assert order is not None and order.state is S.PAID
        assert [t.to_state for t in journal.history(kiosk_order_id)][-1] is S.PAID
        assert journal.verify().ok
    lines = [
        line
        for log in (data / "receipts").glob("receipts-*.log")
        for line in log.read_text(encoding="utf-8").splitlines()
        if kiosk_order_id in line
    ]
    assert len(lines) == 1 and "\tPAID" in lines[0]
