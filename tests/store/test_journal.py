"""The SQLite journal: ids, schema, round-trips, transitions, durability."""

from __future__ import annotations

import dataclasses
import logging
import re
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kiosk.domain.errors import IllegalTransition, StoreError
from kiosk.domain.money import Money
from kiosk.domain.order import (
    ALLOWED,
    BANGKOK,
    Method,
    Order,
    OrderState,
    Transition,
)
from kiosk.store import journal as journal_module
from kiosk.store.journal import MIGRATIONS, Journal

S = OrderState
T0 = datetime(2026, 11, 24, 3, 0, tzinfo=UTC)  # 10:00 in Bangkok
ONE_BAHT = Money(100)
REPO = Path(journal_module.__file__).resolve().parents[2]


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "journal.sqlite3"


@pytest.fixture
def journal(path: Path) -> Iterator[Journal]:
    with Journal.open(path) as j:
        yield j


def new(
    journal: Journal,
    at: datetime = T0,
    *,
    store_id: str = "S01",
    terminal_id: str = "T1",
    satang: int = 30000,
    method: Method = Method.QR,
) -> Order:
    return journal.new_order(
        store_id=store_id,
        terminal_id=terminal_id,
        amount=Money(satang),
        method=method,
        created_at=at,
    )


def drive(
    journal: Journal, order: Order, *states: OrderState, **changes: object
) -> tuple[Order, list[Transition]]:
    """Move ``order`` through ``states`` a minute apart, recording each step."""
    records = []
    at = order.updated_at or order.created_at
    for state in states:
        at += timedelta(minutes=1)
        order, record = order.transition(state, at, **changes)  # type: ignore[arg-type]
        journal.record(order, record)
        records.append(record)
    return order, records


def base(order_id: str) -> str:
    """``order_id`` without its random part, which must be there (4 base32 characters)."""
    stem, _, suffix = order_id.rpartition("-")
    assert re.fullmatch(r"[A-Z2-7]{4}", suffix), order_id
    return stem


def status_rows(path: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(path) as db:
        return db.execute(
            "SELECT kiosk_order_id, from_state, to_state FROM status_changes ORDER BY id"
        ).fetchall()


# -- ids and seq -----------------------------------------------------------


def test_first_order_of_the_day_is_seq_1_in_a_bangkok_dated_id(journal: Journal) -> None:
    order = new(journal)

    assert base(order.kiosk_order_id) == "S01-T1-20261124-0001"
    assert order.state is S.NEW
    assert order.amount == Money(30000)
    assert order.created_at == T0


def test_seq_counts_separately_per_store_and_terminal(journal: Journal) -> None:
    ids = [
        base(new(journal).kiosk_order_id),
        base(new(journal).kiosk_order_id),
        base(new(journal, terminal_id="T2").kiosk_order_id),
        base(new(journal, store_id="S02").kiosk_order_id),
        base(new(journal).kiosk_order_id),
        base(new(journal, terminal_id="T2").kiosk_order_id),
    ]

    assert ids == [
        "S01-T1-20261124-0001",
        "S01-T1-20261124-0002",
        "S01-T2-20261124-0001",
        "S02-T1-20261124-0001",
        "S01-T1-20261124-0003",
        "S01-T2-20261124-0002",
    ]


def test_seq_restarts_when_the_bangkok_day_changes_before_the_utc_day(
    journal: Journal,
) -> None:
    before_midnight = datetime(2026, 11, 24, 16, 59, 59, tzinfo=UTC)  # 23:59:59 Bangkok
    after_midnight = datetime(2026, 11, 24, 17, 30, tzinfo=UTC)  # 00:30 on the 25th

    assert base(new(journal, T0).kiosk_order_id) == "S01-T1-20261124-0001"
    assert base(new(journal, before_midnight).kiosk_order_id) == "S01-T1-20261124-0002"
    assert base(new(journal, after_midnight).kiosk_order_id) == "S01-T1-20261125-0001"
    assert base(new(journal, after_midnight).kiosk_order_id) == "S01-T1-20261125-0002"
    # A late-arriving order of the previous day continues that day's numbers.
    assert base(new(journal, before_midnight).kiosk_order_id) == "S01-T1-20261124-0003"


def test_seq_comes_from_the_file_so_two_journals_never_share_an_id(path: Path) -> None:
    with Journal.open(path) as a, Journal.open(path) as b:
        ids = [base(new(j).kiosk_order_id) for j in (a, b, a)]

    assert ids == [
        "S01-T1-20261124-0001",
        "S01-T1-20261124-0002",
        "S01-T1-20261124-0003",
    ]


def test_new_order_writes_the_order_and_a_creation_status_row(journal: Journal, path: Path) -> None:
    order = journal.new_order(
        store_id="S01",
        terminal_id="T1",
        amount=Money(12345),
        method=Method.WECHAT,
        created_at=T0,
        description="coffee",
    )

    assert journal.count() == 1
    assert journal.get(order.kiosk_order_id) == order
    assert status_rows(path) == [(order.kiosk_order_id, None, "new")]
    # Creation is not a state-machine move, so history leaves it out.
    assert journal.history(order.kiosk_order_id) == []


def test_new_order_refuses_a_naive_datetime_and_writes_nothing(journal: Journal) -> None:
    with pytest.raises(StoreError, match="naive"):
        new(journal, datetime(2026, 11, 24, 10, 0))

    assert journal.count() == 0


# -- connection settings and schema ----------------------------------------


def test_connection_is_wal_with_full_sync_foreign_keys_and_busy_timeout(
    journal: Journal, path: Path
) -> None:
    db = journal._db  # the settings are per connection: ask the journal's own

    assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert db.execute("PRAGMA synchronous").fetchone() == (2,)  # 2 = FULL
    assert db.execute("PRAGMA foreign_keys").fetchone() == (1,)
    assert db.execute("PRAGMA busy_timeout").fetchone() == (5000,)
    # WAL is a property of the file: a stranger's connection sees it too.
    with sqlite3.connect(path) as other:
        assert other.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_foreign_keys_are_enforced(journal: Journal) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        journal._db.execute(
            "INSERT INTO status_changes (kiosk_order_id, at, to_state) VALUES ('nope', 'x', 'new')"
        )


def test_open_creates_missing_folders(tmp_path: Path) -> None:
    deep = tmp_path / "a" / "b" / "journal.sqlite3"

    with Journal.open(deep) as j:
        new(j)

    assert deep.is_file()


def test_an_empty_file_is_migrated_to_the_latest_schema(path: Path) -> None:
    path.touch()

    with Journal.open(path) as j:
        assert j.schema_version == len(MIGRATIONS) >= 1
        tables = {r[0] for r in j._db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        indexes = {r[0] for r in j._db.execute("SELECT name FROM sqlite_master WHERE type='index'")}
    assert {"orders", "status_changes"} <= tables
    assert {"orders_state", "orders_business_day"} <= indexes


def test_reopening_is_idempotent_and_keeps_the_data(path: Path) -> None:
    with Journal.open(path) as j:
        order = new(j)
    with Journal.open(path) as j:
        assert j.schema_version == len(MIGRATIONS)
        assert j.get(order.kiosk_order_id) == order
    with Journal.open(path) as j:
        assert j.schema_version == len(MIGRATIONS)
        assert j.count() == 1
    assert len(status_rows(path)) == 1


def test_open_applies_only_the_missing_migrations(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Journal.open(path) as j:
        order = new(j)
    extra = "CREATE TABLE receipts (id INTEGER PRIMARY KEY); CREATE INDEX r ON receipts (id);"
    monkeypatch.setattr(journal_module, "MIGRATIONS", [*MIGRATIONS, extra])

    with Journal.open(path) as j:
        assert j.schema_version == len(MIGRATIONS) + 1
        assert j._db.execute("SELECT COUNT(*) FROM receipts").fetchone() == (0,)
        assert j.get(order.kiosk_order_id) == order


def test_a_failing_migration_leaves_the_previous_version_intact(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Journal.open(path):
        pass
    broken = "CREATE TABLE half (x); INSERT INTO no_such_table VALUES (1);"
    monkeypatch.setattr(journal_module, "MIGRATIONS", [*MIGRATIONS, broken])

    with pytest.raises(StoreError, match="no_such_table"):
        Journal.open(path)

    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone() == (len(MIGRATIONS),)
        assert db.execute("SELECT name FROM sqlite_master WHERE name = 'half'").fetchall() == []


def test_a_journal_from_a_newer_kiosk_is_refused(path: Path) -> None:
    with Journal.open(path) as j:
        new(j)
    newer = len(MIGRATIONS) + 5
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {newer}")

    with pytest.raises(StoreError, match=rf"schema version {newer}.*newer kiosk"):
        Journal.open(path)

    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone() == (newer,)


def test_a_file_that_is_not_a_database_is_a_store_error(path: Path) -> None:
    path.write_bytes(b"this is not sqlite" * 100)

    with pytest.raises(StoreError):
        Journal.open(path)


def test_a_closed_journal_raises_store_error(path: Path) -> None:
    with Journal.open(path) as j:
        pass
    j.close()  # closing twice is harmless

    with pytest.raises(StoreError):
        j.count()


# -- round trips -------------------------------------------------------------


def full_order(journal: Journal) -> Order:
    """An order with every field set: created, shown, expired, then paid late."""
    order = journal.new_order(
        store_id="S01",
        terminal_id="T1",
        amount=Money(123456),
        method=Method.WECHAT,
        created_at=T0.astimezone(BANGKOK),
        description="2 × ข้าวมันไก่",
        sale_ref="BILL-0042/ก",
        sandbox=True,
    )
    order, _ = drive(journal, order, S.CREATING)
    order, _ = drive(
        journal,
        order,
        S.AWAITING_PAYMENT,
        gateway_order_id="G-1",
        ttl_s=180,
        gateway_expires_at=T0 + timedelta(minutes=15),
        reference_order="REF-9",
        qr_payload="00020101021229370016A000000677010111",
        qr_image_png=b"\x89PNG",
        extra={"note": "in memory only"},
    )
    order, _ = drive(journal, order, S.EXPIRED, failure_code="expired", failure_message="late")
    order, _ = drive(journal, order, S.PAID, gateway_charge_id="CH-7")
    return order


def test_every_order_field_round_trips(journal: Journal, path: Path) -> None:
    order = full_order(journal)
    # Fields left out of equality (extra, qr_image_png) live in memory only.
    stored = [f.name for f in dataclasses.fields(Order) if f.compare]
    # Keep the fixture honest: a field added to Order must be set here too.
    assert [n for n in stored if getattr(order, n) in (None, "", False)] == []
    assert order.late is True
    assert order.qr_image_png is not None
    assert order.extra

    with Journal.open(path) as fresh:
        loaded = fresh.get(order.kiosk_order_id)

    assert loaded is not None
    for name in stored:
        assert getattr(loaded, name) == getattr(order, name), name
    assert loaded == order
    assert loaded.qr_image_png is None
    assert loaded.extra == {}
    for name in ("created_at", "updated_at", "gateway_expires_at", "paid_at"):
        at = getattr(loaded, name)
        assert isinstance(at, datetime)
        assert at.utcoffset() == timedelta(0), name


def test_none_fields_and_false_late_round_trip(journal: Journal) -> None:
    order = new(journal)

    loaded = journal.get(order.kiosk_order_id)

    assert loaded == order
    assert loaded is not None
    assert loaded.late is False
    assert loaded.updated_at is None
    assert loaded.ttl_s is None
    assert loaded.gateway_expires_at is None
    assert loaded.paid_at is None
    assert loaded.qr_payload is None
    assert loaded.created_at.tzinfo is not None


def test_microseconds_and_other_zones_keep_the_same_instant(journal: Journal) -> None:
    at = datetime(2026, 11, 24, 22, 15, 1, 999999, tzinfo=timezone(timedelta(hours=-5)))
    order = new(journal, at)

    loaded = journal.get(order.kiosk_order_id)

    assert loaded is not None
    assert loaded.created_at == at
    assert loaded.created_at.tzinfo is UTC
    assert base(order.kiosk_order_id).endswith("-20261125-0001")  # 10:15 next day in Bangkok


def test_get_unknown_is_none(journal: Journal) -> None:
    assert journal.get("S01-T1-20261124-0099") is None
    assert journal.history("S01-T1-20261124-0099") == []


# -- record --------------------------------------------------------------------


def test_record_updates_the_order_and_appends_a_status_row(journal: Journal, path: Path) -> None:
    order = new(journal)

    moved, record = order.transition(S.CREATING, T0 + timedelta(seconds=1))
    journal.record(moved, record)

    assert journal.get(order.kiosk_order_id) == moved
    assert journal.history(order.kiosk_order_id) == [record]
    assert status_rows(path) == [
        (order.kiosk_order_id, None, "new"),
        (order.kiosk_order_id, "new", "creating"),
    ]


def test_record_with_a_stale_from_state_raises_and_writes_nothing(
    journal: Journal, path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    order = new(journal)
    paid, _ = drive(journal, order, S.CREATING, S.AWAITING_PAYMENT, S.PAID)
    rows_before = status_rows(path)
    # A second task still holds the AWAITING_PAYMENT copy and wants to expire it.
    awaiting, _ = order.transition(S.CREATING, T0)
    awaiting, _ = awaiting.transition(S.AWAITING_PAYMENT, T0)
    expired, record = awaiting.transition(S.EXPIRED, T0 + timedelta(hours=1))

    with (
        caplog.at_level(logging.WARNING, logger="kiosk.store"),
        pytest.raises(IllegalTransition, match="is paid in the journal"),
    ):
        journal.record(expired, record)

    assert journal.get(order.kiosk_order_id) == paid
    assert status_rows(path) == rows_before
    assert any(r.name == "kiosk.store" for r in caplog.records)


def test_record_of_an_order_not_in_the_journal_is_a_store_error(journal: Journal) -> None:
    ghost = Order("S09-T9-20261124-0001", amount=ONE_BAHT, method=Method.QR, created_at=T0)
    moved, record = ghost.transition(S.CREATING, T0)

    with pytest.raises(StoreError, match="not in the journal"):
        journal.record(moved, record)

    assert journal.count() == 0


def test_record_refuses_a_transition_that_does_not_match_the_order(journal: Journal) -> None:
    a, b = new(journal), new(journal)
    _, record_a = a.transition(S.CREATING, T0)
    moved_b, _ = b.transition(S.CANCELLED, T0)

    with pytest.raises(ValueError):
        journal.record(moved_b, record_a)  # another order's record
    with pytest.raises(ValueError):
        journal.record(a, record_a)  # the order before the move

    assert journal.history(a.kiosk_order_id) == []


def test_record_refuses_a_move_the_state_machine_forbids(journal: Journal) -> None:
    order = new(journal)
    forged = dataclasses.replace(order, state=S.PAID)
    record = Transition(order.kiosk_order_id, T0, from_state=S.NEW, to_state=S.PAID)

    with pytest.raises(IllegalTransition):
        journal.record(forged, record)

    assert journal.get(order.kiosk_order_id) == order


def test_history_is_in_journal_order_even_when_the_clock_went_back(journal: Journal) -> None:
    order = new(journal)
    creating, r1 = order.transition(S.CREATING, T0 + timedelta(minutes=5))
    journal.record(creating, r1)
    awaiting, r2 = creating.transition(S.AWAITING_PAYMENT, T0 + timedelta(minutes=1))
    journal.record(awaiting, r2)
    cancelled, r3 = awaiting.transition(S.CANCELLED, T0 + timedelta(minutes=2))
    journal.record(cancelled, r3)
    paid, r4 = cancelled.transition(S.PAID, T0 + timedelta(minutes=3), gateway_charge_id="C")
    journal.record(paid, r4)

    assert journal.history(order.kiosk_order_id) == [r1, r2, r3, r4]
    assert [(t.from_state, t.to_state) for t in journal.history(order.kiosk_order_id)] == [
        (S.NEW, S.CREATING),
        (S.CREATING, S.AWAITING_PAYMENT),
        (S.AWAITING_PAYMENT, S.CANCELLED),
        (S.CANCELLED, S.PAID),
    ]
    assert journal.history(order.kiosk_order_id)[-1].gateway_charge_id == "C"


# -- queries -------------------------------------------------------------------

NOW = T0 + timedelta(hours=2)
FUTURE = NOW + timedelta(minutes=5)
PAST = NOW - timedelta(minutes=5)

# (path from NEW, gateway_expires_at, expected to need checking at NOW)
CHECK_CASES: list[tuple[tuple[OrderState, ...], datetime | None, bool]] = [
    ((), None, True),
    ((S.CREATING,), None, True),
    ((S.CREATING, S.AWAITING_PAYMENT), PAST, True),
    ((S.CREATING, S.AWAITING_PAYMENT, S.PAID), FUTURE, False),
    ((S.CREATING, S.AWAITING_PAYMENT, S.EXPIRED, S.PAID), FUTURE, False),
    ((S.CREATING, S.FAILED), FUTURE, True),  # money after a failure is late money
    ((S.CREATING, S.FAILED), None, False),
    ((S.CREATING, S.AWAITING_PAYMENT, S.EXPIRED), FUTURE, True),
    ((S.CREATING, S.AWAITING_PAYMENT, S.EXPIRED), PAST, False),
    ((S.CREATING, S.AWAITING_PAYMENT, S.EXPIRED), NOW, False),
    ((S.CREATING, S.AWAITING_PAYMENT, S.EXPIRED), None, False),
    ((S.CREATING, S.AWAITING_PAYMENT, S.CANCELLED), FUTURE, True),
    ((S.CREATING, S.AWAITING_PAYMENT, S.CANCELLED), PAST, False),
    ((S.CANCELLED,), None, False),
]


@pytest.mark.parametrize(("states", "gateway_expires_at", "expected"), CHECK_CASES)
def test_orders_needing_check_for_one_order(
    journal: Journal,
    states: tuple[OrderState, ...],
    gateway_expires_at: datetime | None,
    expected: bool,
) -> None:
    order, _ = drive(journal, new(journal), *states, gateway_expires_at=gateway_expires_at)

    found = journal.orders_needing_check(NOW)

    assert order.needs_checking(NOW) is expected  # the case agrees with the domain
    assert found == ([order] if expected else [])


def test_orders_needing_check_lists_the_right_ones_oldest_first(journal: Journal) -> None:
    orders = []
    # Created newest first, so seq order is the opposite of time order.
    for i, (states, expires, _) in enumerate(CHECK_CASES):
        created = T0 + timedelta(minutes=len(CHECK_CASES) - i)
        order, _ = drive(journal, new(journal, created), *states, gateway_expires_at=expires)
        orders.append(order)

    found = journal.orders_needing_check(NOW)

    expected = sorted((o for o in orders if o.needs_checking(NOW)), key=lambda o: o.created_at)
    assert found == expected
    assert len(found) == sum(1 for case in CHECK_CASES if case[2])


def test_orders_for_day_is_one_business_day_in_seq_order(journal: Journal) -> None:
    day2 = datetime(2026, 11, 24, 17, 30, tzinfo=UTC)
    first = new(journal)
    new(journal, day2)
    second, _ = drive(journal, new(journal), S.CREATING)
    new(journal, day2 - timedelta(days=2))

    assert journal.orders_for_day("20261124") == [first, second]
    assert [base(o.kiosk_order_id) for o in journal.orders_for_day("20261125")] == [
        "S01-T1-20261125-0001"
    ]
    assert journal.orders_for_day("20261126") == []
    assert journal.count() == 4


def test_orders_for_day_refuses_a_dashed_date(journal: Journal) -> None:
    with pytest.raises(ValueError, match="YYYYMMDD"):
        journal.orders_for_day("2026-11-24")


def test_read_write_and_select_orders_are_the_public_way_in_for_queries(
    journal: Journal,
) -> None:
    order = new(journal)
    with journal.read("count") as db:
        assert db.execute("SELECT COUNT(*) FROM orders").fetchone() == (1,)
    with (
        pytest.raises(StoreError, match="could not read nonsense"),
        journal.read("read nonsense") as db,
    ):
        db.execute("SELECT nothing FROM nowhere")
    assert journal.select_orders("WHERE kiosk_order_id = ?", (order.kiosk_order_id,)) == [order]
    with pytest.raises(StoreError), journal.write("write twice") as db:
        db.execute("CREATE TABLE scratch (x INTEGER)")
        db.execute("CREATE TABLE scratch (x INTEGER)")  # fails: the first is rolled back too
    with journal.read("tables") as db:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "scratch" not in tables


# -- durability ----------------------------------------------------------------


def test_a_fresh_open_after_close_sees_everything(path: Path) -> None:
    with Journal.open(path) as j:
        order = full_order(j)
        history = j.history(order.kiosk_order_id)

    with Journal.open(path) as fresh:
        assert fresh.get(order.kiosk_order_id) == order
        assert fresh.history(order.kiosk_order_id) == history
        assert fresh.count() == 1


def test_a_second_connection_sees_commits_while_the_first_is_open(path: Path) -> None:
    with Journal.open(path) as first:
        order = new(first)
        with sqlite3.connect(path) as raw:
            assert raw.execute("SELECT state FROM orders").fetchall() == [("new",)]
        with Journal.open(path) as second:
            assert second.get(order.kiosk_order_id) == order
            moved, _ = drive(second, order, S.CREATING)
        assert first.get(order.kiosk_order_id) == moved


def test_a_commit_survives_a_process_that_dies_without_closing(path: Path) -> None:
    script = textwrap.dedent(
        f"""
        import os
        from datetime import datetime, timezone
        from pathlib import Path
        from kiosk.domain.money import Money
        from kiosk.domain.order import Method, OrderState
        from kiosk.store.journal import Journal

        j = Journal.open(Path({str(path)!r}))
        at = datetime(2026, 11, 24, 3, 0, tzinfo=timezone.utc)
        order = j.new_order(store_id="S01", terminal_id="T1", amount=Money(5000),
                            method=Method.QR, created_at=at)
        paid, record = order.transition(OrderState.CANCELLED, at)
        j.record(paid, record)
        os._exit(0)  # no close, no checkpoint: like pulling the plug on the app
        """
    )
    subprocess.run([sys.executable, "-c", script], check=True, cwd=REPO, timeout=60)
    wal = path.with_name(path.name + "-wal")
    assert wal.exists() and wal.stat().st_size > 0  # the data is only in the WAL

    with Journal.open(path) as j:
        (order,) = j.orders_for_day("20261124")
    assert order.state is S.CANCELLED
    assert order.amount == Money(5000)


# -- property ------------------------------------------------------------------

ZONES = st.sampled_from([UTC, BANGKOK, timezone(timedelta(hours=-3, minutes=-30))])
AWARE = st.datetimes(
    min_value=datetime(2000, 1, 1), max_value=datetime(2099, 1, 1), timezones=ZONES
)
TEXT = st.none() | st.text(max_size=30)
CHANGES = st.fixed_dictionaries(
    {},
    optional={
        "gateway_order_id": TEXT,
        "gateway_charge_id": TEXT,
        "failure_code": TEXT,
        "failure_message": TEXT,
        "ttl_s": st.none() | st.integers(min_value=0, max_value=86_400),
        "gateway_expires_at": st.none() | AWARE,
        "qr_payload": TEXT,
        "reference_order": TEXT,
        "description": st.text(max_size=30),
    },
)


@settings(max_examples=60, deadline=None, database=None)
@given(data=st.data())
def test_random_allowed_transitions_reload_equal_to_memory(data: st.DataObject) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "journal.sqlite3"
        with Journal.open(path) as j:
            order = j.new_order(
                store_id=data.draw(st.sampled_from(["S01", "BKK-7"])),
                terminal_id=data.draw(st.sampled_from(["T1", "CTR2"])),
                amount=Money(data.draw(st.integers(min_value=1, max_value=10**10))),
                method=data.draw(st.sampled_from(list(Method))),
                created_at=data.draw(AWARE),
                description=data.draw(st.text(max_size=30)),
            )
            records: list[Transition] = []
            while not order.state.is_terminal and data.draw(st.booleans()):
                to = data.draw(st.sampled_from(sorted(ALLOWED[order.state])))
                at = data.draw(AWARE)
                changes = data.draw(CHANGES)
                order, record = order.transition(to, at, **changes)  # type: ignore[arg-type]
                j.record(order, record)
                records.append(record)
            assert j.get(order.kiosk_order_id) == order

        with Journal.open(path) as reopened:
            assert reopened.get(order.kiosk_order_id) == order
            assert reopened.history(order.kiosk_order_id) == records
            assert reopened.orders_needing_check(order.created_at) == (
                [order] if order.needs_checking(order.created_at) else []
            )
