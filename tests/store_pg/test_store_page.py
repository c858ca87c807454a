"""The whole store's day on the manager screen (pytest-qt), a real PostgreSQL, three counters."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from kiosk.domain.errors import StoreDbError
from kiosk.domain.order import Method, OrderState
from kiosk.domain.reports import Tally
from kiosk.receipts.layout import Block, plain_text
from kiosk.services.store_view import StoreViewService
from kiosk.ui.manager.store_page import StorePage
from tests.store_pg.conftest import StoreDatabase
from tests.store_pg.pgserver import KIOSK_PASSWORD
from tests.store_pg.storeday_data import DAY, StoreCounter, store_view, three_counters

S = OrderState
CLICK = Qt.MouseButton.LeftButton


@pytest.fixture
def counters(tmp_path: Path, store_db: StoreDatabase) -> Iterator[Callable[[str], StoreCounter]]:
    yield from three_counters(tmp_path, store_db)


def silent_s(db: StoreDatabase, terminal: str) -> float:
    [(seconds,)] = db.rows(
        "SELECT extract(epoch FROM now() - last_sync_at) FROM kiosk_store.counter_rows"
        " WHERE terminal_id = %s",
        (terminal,),
    )
    return float(seconds)  # type: ignore[arg-type]


def sql_paid(db: StoreDatabase, terminal: str | None = None) -> Tally:
    [(count, satang)] = db.rows(
        "SELECT count(*), COALESCE(sum(amount_satang), 0) FROM kiosk_store.orders"
        " WHERE business_day = %s AND state = 'paid' AND (%s::text IS NULL OR terminal_id = %s)",
        (DAY, terminal, terminal),
    )
    return Tally(int(count), int(satang))  # type: ignore[call-overload]


def sql_orders(db: StoreDatabase, terminal: str | None = None) -> int:
    [(count,)] = db.rows(
        "SELECT count(*) FROM kiosk_store.orders WHERE business_day = %s"
        " AND (%s::text IS NULL OR terminal_id = %s)",
        (DAY, terminal, terminal),
    )
    return int(count)  # type: ignore[call-overload]


def open_page(qtbot, view: StoreViewService) -> StorePage:  # type: ignore[no-untyped-def]
    page = StorePage(view=view, language=lambda: "en")
    qtbot.addWidget(page)
    page.show()
    with qtbot.waitSignal(page.loaded, timeout=15000):
        page.show_day(DAY)
    return page


def test_the_store_page_totals_filter_and_a_counter_behind(  # type: ignore[no-untyped-def]
    qtbot, loop: asyncio.AbstractEventLoop, counters, store_db: StoreDatabase, tmp_path: Path
) -> None:
    t1, t2, t3 = counters("T01"), counters("T02"), counters("T03")
    t3.sell_as(999, Method.WECHAT)
    t3.sync.ship()  # T03 synced early and then went quiet
    qtbot.waitUntil(lambda: silent_s(store_db, "T03") > 4.0, timeout=20000)
    t1.sell_as(100, Method.QR)
    t1.sell_as(250, Method.WECHAT)
    t1.sell_as(75, Method.QR, S.FAILED)
    t2.sell_as(40, Method.QR)
    t2.sell_as(60, Method.QR)
    t1.sync.ship()
    t2.sync.ship()
    page = open_page(qtbot, store_view(store_db, tmp_path, behind_after_s=3.0))
    assert page.reachable is True
    day = page.store_day
    assert day is not None
    # The totals equal a direct SQL sum over the store branch's view.
    assert day.paid_total() == sql_paid(store_db) == Tally(5, 144_900)
    assert "1449.00" in page.totals.text() and "(5)" in page.totals.text()
    assert page.model.rowCount() == sql_orders(store_db) == 6
    assert page.counters.rowCount() == 3
    # The counter behind is named, the others are not.
    assert page.warning.isVisible() and "T03" in page.warning.text()
    assert "T01" not in page.warning.text() and "T02" not in page.warning.text()
    assert not page.flags.isVisible()
    # The counter filter: the table and the totals follow it.
    page.choose_counter("T02")
    assert page.model.rowCount() == sql_orders(store_db, "T02") == 2
    assert {page.model.index(r, 1).data() for r in range(page.model.rowCount())} == {"T02"}
    assert day.paid_total("T02") == sql_paid(store_db, "T02")
    assert "100.00" in page.totals.text() and "(2)" in page.totals.text()
    page.choose_counter("")
    assert page.model.rowCount() == 6


def test_the_close_button_issues_the_store_close_naming_the_counter_not_synced(  # type: ignore[no-untyped-def]
    qtbot, loop: asyncio.AbstractEventLoop, counters, store_db: StoreDatabase, tmp_path: Path
) -> None:
    t1, t2, t3 = counters("T01"), counters("T02"), counters("T03")
    for counter in (t1, t2, t3):
        counter.sell_as(100, Method.QR)
    t3.sync.ship()
    for counter in (t1, t2, t3):
        counter.close_batch(tmp_path / "z")
    t1.sync.ship()
    t2.sync.ship()
    written: dict[str, str] = {}

    def pdf(blocks: list[Block], path: Path) -> None:
        path.write_text(plain_text(blocks, 48))
        written[path.name] = path.read_text()

    view = store_view(store_db, tmp_path, behind_after_s=0)
    view.pdf_writer = pdf
    page = open_page(qtbot, view)
    button = page.findChild(QPushButton, "storeCloseButton")
    assert isinstance(button, QPushButton) and button.isEnabled()
    closings = []
    page.closed.connect(closings.append)
    with qtbot.waitSignals([page.closed, page.loaded], timeout=15000, order="strict"):
        qtbot.mouseClick(button, CLICK)  # then the page reloads the day
    [closing] = closings
    assert closing.created and closing.close.number_text == "S000001"
    assert "S000001" in page.close_result.text() and "T03" in page.close_result.text()
    [text] = written.values()
    assert (tmp_path / "reports" / "store-close-000001.pdf").exists()
    assert "S000001" in text and "Not closed" in text and "T03" in text
    assert "200.00" in text  # T01 + T02


def test_without_the_database_the_page_says_so_and_keeps_what_it_read(  # type: ignore[no-untyped-def]
    qtbot, loop: asyncio.AbstractEventLoop, counters, store_db: StoreDatabase, tmp_path: Path
) -> None:
    t1 = counters("T01")
    t1.sell_as(100, Method.QR)
    t1.sync.ship()
    away = {"now": False}

    def connect():  # type: ignore[no-untyped-def]
        if away["now"]:
            raise StoreDbError("cannot connect to the store database: connection refused")
        return store_db.as_kiosk()

    view = StoreViewService(
        connect=connect, store_id="S001", terminal_id="T01", shop_name="", folder=tmp_path
    )
    page = open_page(qtbot, view)
    assert page.reachable is True and page.model.rowCount() == 1
    view.close()  # the connection goes; the next load must connect again
    away["now"] = True
    with qtbot.waitSignal(page.loaded, timeout=15000):
        page.show_day(DAY)
    assert page.reachable is False
    assert "Read-only" in page.notice.text() and "cannot reach" in page.notice.text()
    assert "Showing what was read at" in page.notice.text()
    assert page.model.rowCount() == 1  # what it read stays on screen
    assert not page.close_button.isEnabled()


def test_the_manager_screen_switches_to_the_whole_store(  # type: ignore[no-untyped-def]
    qtbot, make_gui, counters, store_db: StoreDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kiosk.services.pin import ScryptCost, hash_pin
    from tests.qt_fixtures import kiosk_settings
    from tests.ui.test_manager_screen import PIN, open_manager

    monkeypatch.setenv("KIOSK_SECRET_MANAGER_PIN_HASH", hash_pin(PIN, cost=ScryptCost(log_n=10)))
    monkeypatch.setenv("KIOSK_SECRET_STORE_DB_PASSWORD", KIOSK_PASSWORD)
    t2 = counters("T02")
    t2.sell_as(40, Method.QR)
    t2.sync.ship()
    settings = kiosk_settings(store_db={"url": store_db.kiosk_url, "sslmode": "disable"})
    gui = make_gui(settings)
    screen = open_manager(qtbot, gui)
    page = screen.store_page
    assert page is not None and page.switch is not None
    screen.show_day(DAY)
    with qtbot.waitSignal(page.loaded, timeout=15000):
        qtbot.mouseClick(page.switch.store_button, CLICK)
    assert screen.body.currentWidget() is page
    assert page.model.rowCount() == 1 and page.store_day is not None
    assert page.store_day.paid_total() == Tally(1, 4_000)
    qtbot.mouseClick(page.switch.counter_button, CLICK)
    assert screen.body.currentWidget() is screen.day_view
