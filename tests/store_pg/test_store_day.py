"""The store's day and the store close against a real PostgreSQL, three counters."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest

from kiosk.domain.errors import StoreCloseRefused, StoreDbError
from kiosk.domain.order import Method, OrderState
from kiosk.domain.reports import Tally
from kiosk.services.store_view import StoreClosing
from tests.store_pg.conftest import StoreDatabase
from tests.store_pg.pgserver import KIOSK_PASSWORD, OWNER_PASSWORD
from tests.store_pg.storeday_data import DAY, NEXT_DAY, StoreCounter, store_view, three_counters

S = OrderState


@pytest.fixture
def counters(tmp_path: Path, store_db: StoreDatabase) -> Iterator[Callable[[str], StoreCounter]]:
    yield from three_counters(tmp_path, store_db)


def direct_paid(db: StoreDatabase) -> dict[tuple[str, Method], Tally]:
    """The paid sums straight from the store branch's view over the events."""
    rows = db.rows(
        "SELECT terminal_id, method, count(*), sum(amount_satang) FROM kiosk_store.orders"
        " WHERE business_day = %s AND state = 'paid' GROUP BY terminal_id, method",
        (DAY,),
    )
    return {(str(t), Method(str(m))): Tally(int(c), int(s)) for t, m, c, s in rows}  # type: ignore[call-overload]


def sell_three(counters: Callable[[str], StoreCounter]) -> list[StoreCounter]:
    t1, t2, t3 = counters("T01"), counters("T02"), counters("T03")
    t1.sell_as(100, Method.QR)
    t1.sell_as(250, Method.WECHAT)
    t1.sell_as(75, Method.QR, S.FAILED)
    t2.sell_as(40, Method.QR)
    t2.sell_as(60, Method.QR)
    t3.sell_as(999, Method.WECHAT)
    t3.sell_as(5, Method.QR, S.EXPIRED)
    return [t1, t2, t3]


def test_the_days_totals_equal_a_direct_sum_and_the_projection_matches_the_view(
    counters, store_db: StoreDatabase, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    for counter in sell_three(counters):
        counter.sync.ship()
    view = store_view(store_db, tmp_path)
    day = view.load_day(DAY)
    direct = direct_paid(store_db)
    assert direct  # the sales are there to compare
    ours = {
        (terminal, method): tally
        for (_, terminal), methods in day.paid.items()
        for method, tally in methods.items()
    }
    assert ours == direct
    assert day.paid_total() == sum(direct.values(), Tally())
    assert day.paid_total("T02") == Tally(2, 10_000)
    assert day.paid_by_method()[Method.WECHAT] == Tally(2, 124_900)
    # Every order of the view over the events, once, with its state.
    truth = store_db.rows(
        "SELECT terminal_id, kiosk_order_id, state, amount_satang FROM kiosk_store.orders"
        " WHERE business_day = %s ORDER BY 2",
        (DAY,),
    )
    got = sorted(
        ((o.terminal_id, o.kiosk_order_id, o.state.value, o.amount.satang) for o in day.orders),
        key=lambda r: r[1],
    )
    assert got == [tuple(r) for r in truth] and len(got) == 7
    assert [c.terminal_id for c in day.counters] == ["T01", "T02", "T03"]
    assert not any(c.behind or c.flagged for c in day.counters)
    view.close()


def test_a_store_close_names_the_counter_that_did_not_sync_its_close(
    counters, store_db: StoreDatabase, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    t1, t2, t3 = sell_three(counters)
    t3.sync.ship()  # its sales arrived earlier in the day ...
    for counter in (t1, t2, t3):
        counter.close_batch(tmp_path / "z")
    t1.sync.ship()
    t2.sync.ship()  # ... but T03's close and what followed did not
    closing = store_view(store_db, tmp_path, behind_after_s=0).close_store(DAY)
    assert closing.created and closing.attention
    close = closing.close
    assert close.number == 1
    assert close.not_closed == ("T03",) and close.not_synced == ("T03",)
    assert sorted(b.terminal_id for b in close.day_batches) == ["T01", "T02"]
    assert close.paid() == Tally(4, 45_000)  # T01 100 + 250, T02 40 + 60
    assert "T03" in closing.text().en and "T03" in closing.text().th


def test_a_z_that_arrives_after_the_close_goes_into_the_next_as_an_adjustment(
    counters, store_db: StoreDatabase, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    t1, t2, t3 = sell_three(counters)
    for counter in (t1, t2, t3):
        counter.close_batch(tmp_path / "z")
    t1.sync.ship()
    t2.sync.ship()
    view = store_view(store_db, tmp_path)
    first = view.close_store(DAY).close
    issued = store_db.rows("SELECT content FROM kiosk_store.store_closes WHERE number = 1")
    t3.sync.ship()  # late: after the store close of its day
    assert view.close_store(DAY) == StoreClosing(first, created=False)  # the day stays as issued
    second = view.close_store(NEXT_DAY).close
    assert second.number == 2 and not second.day_batches
    [late] = second.adjustments
    assert (late.terminal_id, late.business_day, late.paid) == ("T03", DAY, Tally(1, 99_900))
    assert store_db.rows("SELECT content FROM kiosk_store.store_closes WHERE number = 1") == issued
    with pytest.raises(StoreCloseRefused):
        view.close_store("20261120")  # before the newest close: its batches went there


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE kiosk_store.store_closes SET business_day = '20261130'",
        "DELETE FROM kiosk_store.store_closes",
        "UPDATE kiosk_store.store_close_items SET adjustment = true",
        "DELETE FROM kiosk_store.store_close_items",
        "TRUNCATE kiosk_store.store_closes CASCADE",
    ],
)
def test_an_issued_store_close_is_never_rewritten(
    counters, store_db: StoreDatabase, tmp_path: Path, statement: str
) -> None:  # type: ignore[no-untyped-def]
    t1 = counters("T01")
    t1.sell_as(100, Method.QR)
    t1.close_batch(tmp_path / "z")
    t1.sync.ship()
    store_view(store_db, tmp_path).close_store(DAY)
    before = store_db.rows("SELECT * FROM kiosk_store.store_closes")
    for url, password in (
        (store_db.owner_url, OWNER_PASSWORD),  # not even the owner: the trigger refuses
        (store_db.kiosk_url, KIOSK_PASSWORD),
    ):
        with (
            psycopg.connect(url, password=password, sslmode="disable") as db,
            pytest.raises((psycopg.errors.RaiseException, psycopg.errors.InsufficientPrivilege)),
        ):
            db.execute(statement.encode())
    assert store_db.rows("SELECT * FROM kiosk_store.store_closes") == before


def test_two_managers_closing_at_once_get_one_number(
    counters, store_db: StoreDatabase, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    for counter in sell_three(counters):
        counter.close_batch(tmp_path / "z")
        counter.sync.ship()
    views = [store_view(store_db, tmp_path, terminal=t) for t in ("T01", "T02")]
    for view in views:
        view.load_day(DAY)  # both connected: only the close is left to race
    start = threading.Barrier(2)
    results: list[StoreClosing] = []

    def close(view) -> None:  # type: ignore[no-untyped-def]
        start.wait()
        results.append(view.close_store(DAY))

    threads = [threading.Thread(target=close, args=(v,)) for v in views]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(results) == 2
    assert {r.close.number for r in results} == {1}
    assert sorted(r.created for r in results) == [False, True]
    assert store_db.rows("SELECT count(*) FROM kiosk_store.store_closes") == [(1,)]
    assert store_db.rows("SELECT count(*) FROM kiosk_store.store_close_items") == [(3,)]


def test_an_unreachable_database_is_a_store_db_error(tmp_path: Path) -> None:
    from kiosk.services.store_view import StoreViewService

    def refuse():  # type: ignore[no-untyped-def]
        raise StoreDbError("cannot connect to the store database: refused")

    view = StoreViewService(
        connect=refuse, store_id="S001", terminal_id="T01", shop_name="", folder=tmp_path
    )
    with pytest.raises(StoreDbError):
        view.load_day(DAY)


def test_this_counters_unsynced_records_and_a_late_outbox_make_it_behind(
    counters, store_db: StoreDatabase, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from kiosk.services.store_view import StoreViewService

    t1, t2 = counters("T01"), counters("T02")
    t1.sell_as(100, Method.QR)
    t2.sell_as(50, Method.QR)
    t1.sync.ship()
    t2.sync.ship()
    t1.sell_as(70, Method.QR)  # not shipped: 4 records wait in T01's outbox

    def view(behind_after_s: float) -> StoreViewService:
        return StoreViewService(
            connect=store_db.as_kiosk,
            store_id="S001",
            terminal_id="T01",
            shop_name="",
            folder=tmp_path,
            sync=t1.sync,
            behind_after_s=behind_after_s,
        )

    [mine, other] = view(600).load_day(DAY).counters
    assert (mine.terminal_id, mine.this_counter, mine.pending, mine.behind) == (
        "T01",
        True,
        4,
        False,
    )
    assert (other.this_counter, other.pending) == (False, None)  # not visible from the store
    [mine, _] = view(-1).load_day(DAY).counters  # its oldest pending record is "too old"
    assert mine.behind and mine.pending == 4
