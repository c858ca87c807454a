from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from kiosk.domain.clock import ManualClock
from kiosk.domain.order import Order
from kiosk.infra.config import PathsSettings, StoreSettings
from kiosk.receipts.log import ReceiptLog
from kiosk.services.checkout import CheckoutService
from kiosk.services.polling import PollPolicy
from kiosk.store.journal import Journal
from kiosk.store.writer import JournalThread
from tests.fakes import ScriptedVilla, villa
from tests.journal_data import a_day_of_sales

STORE = StoreSettings(checkout_timeout_s=60)
_WRITERS: list[JournalThread] = []


@pytest.fixture(autouse=True)
def _close_writers() -> Iterator[None]:
    """Each test's journal writer threads end with the test."""
    yield
    while _WRITERS:
        _WRITERS.pop().close()


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    with Journal.open(tmp_path / "journal.sqlite3") as j:
        yield j


@pytest.fixture
def day(journal: Journal) -> list[Order]:
    """A business day of sales (tests.journal_data.a_day_of_sales) in the journal."""
    return a_day_of_sales(journal)


@pytest.fixture
def backend() -> ScriptedVilla:
    return ScriptedVilla()


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


class Harness:
    def __init__(self, service: CheckoutService, seen: list[Order]) -> None:
        self.service = service
        self.seen = seen


def make_service(
    backend: ScriptedVilla,
    journal: Journal,
    clock: ManualClock,
    tmp_path: Path,
    *,
    store: StoreSettings = STORE,
    cancel: bool = True,
) -> CheckoutService:
    paths = PathsSettings(cancel="/cancel/{orderid}" if cancel else "")
    # As in the kiosk: the writes on their own thread, so every test here
    # also runs the checkout with the loop free while the disk works.
    writes = JournalThread(journal)
    _WRITERS.append(writes)
    return CheckoutService(
        gateway=villa(backend, paths=paths),
        journal=journal,
        clock=clock,
        store=store,
        poll=PollPolicy(fast_s=1, slow_s=5, fast_for_s=10, max_backoff_s=8),
        receipts=ReceiptLog(tmp_path / "receipts", shop_name="Test Shop"),
        writes=writes,
    )


@pytest.fixture
def service(
    backend: ScriptedVilla, journal: Journal, clock: ManualClock, tmp_path: Path
) -> CheckoutService:
    return make_service(backend, journal, clock, tmp_path)


def with_store(**changes: object) -> StoreSettings:
    return replace(STORE, **changes)  # type: ignore[arg-type]
