"""Three counters selling into one store database, with Z reports, for the store view's tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from pathlib import Path

from kiosk.domain.clock import ManualClock
from kiosk.domain.money import Money
from kiosk.domain.order import Method, Order, OrderState
from kiosk.infra.config import StoreSettings
from kiosk.services.store_view import StoreViewService
from kiosk.services.zcontent import ZReport
from kiosk.services.zreport import ZReportService
from tests.store_pg.conftest import StoreDatabase
from tests.store_pg.test_sync import DAY, Counter

S = OrderState
NEXT_DAY = "20261125"
__all__ = ["DAY", "NEXT_DAY", "StoreCounter", "store_view", "three_counters"]


class StoreCounter(Counter):
    """A counter that also sells by WeChat, fails sales and closes its batch (its Z)."""

    def sell_as(self, baht: int, method: Method, end: OrderState = S.PAID) -> Order:
        self.at += timedelta(minutes=1)
        order = self.journal.new_order(
            store_id="S001",
            terminal_id=self.terminal,
            amount=Money(baht * 100),
            method=method,
            created_at=self.at,
        )
        steps = (S.CREATING, S.AWAITING_PAYMENT, end) if end is S.PAID else (S.CREATING, end)
        for to in steps:
            kw = {"gateway_order_id": f"g-{order.kiosk_order_id}"} if to is S.CREATING else {}
            if to is S.FAILED:
                kw = {"failure_code": "declined"}
            order, transition = order.transition(to, self.at + timedelta(seconds=1), **kw)  # type: ignore[arg-type]
            self.journal.record(order, transition)
        return order

    def close_batch(self, folder: Path) -> ZReport:
        """Issue the Z of everything since the last, a minute after the last sale."""
        service = ZReportService(
            journal=self.journal,
            clock=ManualClock(self.at + timedelta(minutes=1)),
            store=StoreSettings(store_id="S001", terminal_id=self.terminal),
            folder=folder,
        )
        closing = service.close()
        assert closing.issued and closing.report is not None
        return closing.report


def three_counters(tmp_path: Path, db: StoreDatabase) -> Iterator[Callable[[str], StoreCounter]]:
    made: list[StoreCounter] = []

    def make(terminal: str) -> StoreCounter:
        counter = StoreCounter(tmp_path / terminal, terminal, db)
        made.append(counter)
        return counter

    yield make
    for counter in made:
        counter.close()


def store_view(
    db: StoreDatabase, tmp_path: Path, *, behind_after_s: float = 600, terminal: str = "T01"
) -> StoreViewService:
    return StoreViewService(
        connect=db.as_kiosk,
        store_id="S001",
        terminal_id=terminal,
        shop_name="Test Shop",
        folder=tmp_path / "reports",
        behind_after_s=behind_after_s,
    )
