"""The sync against a real PostgreSQL, in process: replays, conflicts, flags, privileges,
a database that goes away, a replaced journal, an edited one, sandbox sales."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest

from kiosk.domain.clock import SystemClock
from kiosk.domain.errors import StoreDbError, StoreDbSchemaTooOld
from kiosk.domain.exitcodes import ExitCode
from kiosk.domain.money import Money
from kiosk.domain.order import Method, Order, OrderState
from kiosk.services.sync import StoreSync
from kiosk.store.journal import Journal
from kiosk.store.numbering import new_id
from kiosk.store.storedb.client import StoreEvent
from tests.store_pg.conftest import StoreDatabase
from tests.store_pg.pgserver import KIOSK_PASSWORD, PgServer

S = OrderState
T0 = datetime(2026, 11, 24, 3, 0, tzinfo=UTC)
DAY = "20261124"


class Counter:
    """One data folder: its journal and its sync, as the window has them."""

    def __init__(
        self, folder: Path, terminal: str, db: StoreDatabase, install_id: str = ""
    ) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder, self.terminal, self.db = folder, terminal, db
        self.journal = Journal.open(folder / "journal.sqlite3")
        if self.journal.meta("install_id") is None:
            self.journal.set_meta("install_id", install_id or new_id(), T0)
        self.sync = StoreSync(
            journal_path=folder / "journal.sqlite3",
            connect=db.as_kiosk,
            store_id="S001",
            terminal_id=terminal,
            clock=SystemClock(),
            interval_s=1,
        )
        self.at = T0

    @property
    def install_id(self) -> str:
        return str(self.journal.meta("install_id"))

    def sell(self, baht: int = 100) -> Order:
        self.at += timedelta(minutes=1)
        order = self.journal.new_order(
            store_id="S001",
            terminal_id=self.terminal,
            amount=Money(baht * 100),
            method=Method.QR,
            created_at=self.at,
        )
        for to in (S.CREATING, S.AWAITING_PAYMENT, S.PAID):
            kw = {"gateway_order_id": f"g-{order.kiosk_order_id}"} if to is S.CREATING else {}
            order, transition = order.transition(to, self.at + timedelta(seconds=1), **kw)  # type: ignore[arg-type]
            self.journal.record(order, transition)
        return order

    def close(self) -> None:
        self.sync.stop()
        self.journal.close()


MakeCounter = Callable[..., Counter]


@pytest.fixture
def counters(tmp_path: Path, store_db: StoreDatabase) -> Iterator[MakeCounter]:
    made: list[Counter] = []

    def make(terminal: str, name: str = "", install_id: str = "") -> Counter:
        counter = Counter(tmp_path / (name or terminal), terminal, store_db, install_id)
        made.append(counter)
        return counter

    yield make
    for counter in made:
        counter.close()


def paid_orders(db: StoreDatabase) -> list[tuple[object, ...]]:
    return db.rows(
        "SELECT kiosk_order_id, terminal_id, amount_satang FROM kiosk_store.orders"
        " WHERE state = 'paid' ORDER BY kiosk_order_id"
    )


def count(db: StoreDatabase, what: str) -> int:
    return int(db.rows(f"SELECT count(*) FROM kiosk_store.{what}")[0][0])  # type: ignore[call-overload]


def test_every_record_arrives_once_and_the_orders_view_rebuilds_the_sales(
    counters: MakeCounter, store_db: StoreDatabase
) -> None:
    t1 = counters("T01")
    sold = [t1.sell(100), t1.sell(250)]
    records = t1.journal.chain_head().position
    assert t1.sync.ship() == records
    assert t1.sync.ship() == 0
    assert paid_orders(store_db) == sorted((o.kiosk_order_id, "T01", o.amount.satang) for o in sold)
    assert count(store_db, "events") == records + 1  # and the generation's opening
    assert count(store_db, "conflicts") == 0
    status = t1.sync.status()
    assert status.pending == 0 and status.lag_s == 0 and status.last_success_at is not None
    [(generation, head_seq, flagged)] = store_db.rows(
        "SELECT generation, head_seq, flagged FROM kiosk_store.counters"
    )
    assert (generation, head_seq, flagged) == (1, records, False)


def test_a_replayed_batch_changes_nothing(counters: MakeCounter, store_db: StoreDatabase) -> None:
    t1 = counters("T01")
    t1.sell()
    t1.sell()
    shipped = t1.sync.ship()
    before = store_db.rows("SELECT event_id, hash, received_at FROM kiosk_store.events ORDER BY 1")
    # As if PostgreSQL had committed but the counter died before marking them sent.
    with sqlite3.connect(t1.folder / "journal.sqlite3") as db:
        db.execute("UPDATE outbox SET sent_at = NULL")
    assert t1.sync.ship() == shipped
    after = store_db.rows("SELECT event_id, hash, received_at FROM kiosk_store.events ORDER BY 1")
    assert after == before
    assert count(store_db, "conflicts") == 0
    assert len(paid_orders(store_db)) == 2


def test_an_event_id_again_with_other_content_is_a_conflict_and_flags_the_counter(
    counters: MakeCounter, store_db: StoreDatabase
) -> None:
    t1 = counters("T01")
    t1.sell()
    t1.sync.ship()
    [(event_id, seq, prev, record)] = store_db.rows(
        "SELECT event_id, seq, prev_hash, record FROM kiosk_store.events"
        " WHERE kind = 'record' ORDER BY seq DESC LIMIT 1"
    )
    forged = StoreEvent(
        event_id=str(event_id), install_id=t1.install_id, generation=1, seq=int(seq),  # type: ignore[call-overload]
        kind="record", tbl="status_changes", part="row", ref="4", prev_hash=str(prev),
        hash="f" * 64, record=str(record).replace("paid", "failed"), store_id="S001",
        terminal_id="T01", queued_at=None,
    )  # fmt: skip
    with store_db.as_kiosk() as db:
        db.insert([forged])
    [(reason, expected)] = store_db.rows("SELECT reason, hash FROM kiosk_store.conflicts")
    assert (reason, expected) == ("different_content", "f" * 64)
    assert store_db.rows("SELECT flagged, conflicts FROM kiosk_store.counters") == [(True, 1)]
    assert store_db.rows(
        "SELECT hash <> %s FROM kiosk_store.events WHERE event_id = %s", ("f" * 64, event_id)
    ) == [(True,)]
    assert len(paid_orders(store_db)) == 1  # the stored record stands


def test_two_installs_with_one_terminal_id_give_distinct_orders_and_a_flag(
    counters: MakeCounter, store_db: StoreDatabase
) -> None:
    a, b = counters("T01", "a"), counters("T01", "b")
    for counter in (a, b):
        counter.sell(100)
        counter.sync.ship()
    orders = paid_orders(store_db)
    assert len(orders) == 2 and len({o[0] for o in orders}) == 2
    assert {o[1] for o in orders} == {"T01"}
    shared = store_db.rows("SELECT install_id, terminal_shared, flagged FROM kiosk_store.counters")
    assert sorted(shared) == sorted([(a.install_id, True, True), (b.install_id, True, True)])


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE kiosk_store.events SET terminal_id = 'T09'",
        "DELETE FROM kiosk_store.events",
        "TRUNCATE kiosk_store.events",
        "UPDATE kiosk_store.conflicts SET reason = 'x'",
        "DELETE FROM kiosk_store.conflicts",
        "INSERT INTO kiosk_store.conflicts (install_id, generation, seq, event_id, reason,"
        " terminal_id) VALUES ('x', 1, 1, 'x', 'x', 'T01')",
        "CREATE TABLE kiosk_store.mine (x int)",
    ],
)
def test_the_kiosk_role_cannot_change_or_remove_anything(
    counters: MakeCounter, store_db: StoreDatabase, statement: str
) -> None:
    t1 = counters("T01")
    t1.sell()
    t1.sync.ship()
    kiosk_role = psycopg.connect(store_db.kiosk_url, password=KIOSK_PASSWORD, sslmode="disable")
    with kiosk_role as db, pytest.raises(psycopg.errors.InsufficientPrivilege):
        db.execute(statement.encode())
    assert len(paid_orders(store_db)) == 1


def test_not_even_the_owner_changes_an_event(
    counters: MakeCounter, store_db: StoreDatabase
) -> None:
    t1 = counters("T01")
    t1.sell()
    t1.sync.ship()
    with store_db.as_owner() as db:
        for statement in ("UPDATE kiosk_store.events SET hash = ''", "TRUNCATE kiosk_store.events"):
            with pytest.raises(StoreDbError, match="never changed or removed"):
                db.query(statement)


def test_a_journal_edited_before_it_left_is_flagged_by_the_chain(
    counters: MakeCounter, store_db: StoreDatabase
) -> None:
    t1 = counters("T01")
    order = t1.sell(100)
    with sqlite3.connect(t1.folder / "journal.sqlite3") as db:  # someone with the file
        db.execute("DROP TRIGGER status_changes_kept_update")
        db.execute(
            "UPDATE status_changes SET order_after = replace(order_after, '10000', '1')"
            " WHERE kiosk_order_id = ? AND from_state IS NULL",
            (order.kiosk_order_id,),
        )
    t1.sync.ship()
    [(reason,)] = store_db.rows("SELECT reason FROM kiosk_store.conflicts")
    assert reason == "hash_mismatch"
    assert store_db.rows("SELECT flagged FROM kiosk_store.counters") == [(True,)]
    assert not t1.journal.verify().ok  # and the counter's own verify agrees


def test_the_database_away_while_the_counter_sells_then_back_nothing_lost_nothing_doubled(
    counters: MakeCounter, store_db: StoreDatabase, pg_server: PgServer
) -> None:
    t1 = counters("T01")
    t1.sell()
    t1.sync.ship()
    pg_server.stop()
    try:
        sold_meanwhile = [t1.sell() for _ in range(3)]  # the journal does not care
        with pytest.raises(StoreDbError) as away:
            t1.sync.ship()
        assert away.value.exit_code is ExitCode.UNREACHABLE
        status = t1.sync.status(probe=True)
        assert (status.reachable, status.pending) == (False, 12)
        assert t1.sync.failures >= 1
    finally:
        pg_server.start()
    assert t1.sync.ship() == 12
    orders = paid_orders(store_db)
    assert len(orders) == 4
    assert {o.kiosk_order_id for o in sold_meanwhile} <= {o[0] for o in orders}
    records = t1.journal.chain_head().position
    assert count(store_db, "events") == records + 1
    assert count(store_db, "conflicts") == 0


def test_backoff_is_capped(counters: MakeCounter) -> None:
    sync = counters("T01").sync
    sync.failures = 1000
    assert all(sync.backoff_s() <= 60 for _ in range(50))
    sync.failures = 1
    assert all(1 <= sync.backoff_s() <= 2 for _ in range(50))


def test_a_replaced_journal_is_a_new_generation_that_names_the_last_head(
    counters: MakeCounter, store_db: StoreDatabase, tmp_path: Path
) -> None:
    old = counters("T01", "old")
    old.sell()
    old.sync.ship()
    head = store_db.rows("SELECT head_hash FROM kiosk_store.counters")[0][0]
    new = counters("T01", "new", install_id=old.install_id)  # a new file, the same install
    new.sell()
    new.sync.ship()
    [(generation, replaced, flagged, conflicts)] = store_db.rows(
        "SELECT generation, journal_replaced, flagged, conflicts FROM kiosk_store.counters"
    )
    assert (generation, replaced, flagged, conflicts) == (2, True, False, 0)
    [(prev, record)] = store_db.rows(
        "SELECT prev_hash, record FROM kiosk_store.events WHERE kind = 'generation'"
        " AND generation = 2"
    )
    assert prev == head and "journal replaced" in str(record)
    assert len(paid_orders(store_db)) == 2


def test_sandbox_sales_leave_only_their_hashes(
    counters: MakeCounter, store_db: StoreDatabase
) -> None:
    t1 = counters("T01")
    t1.journal.withhold_from_store = True
    t1.sell()
    t1.sync.ship()
    assert paid_orders(store_db) == []
    assert store_db.rows(
        "SELECT DISTINCT kind, record IS NULL FROM kiosk_store.events WHERE kind <> 'generation'"
    ) == [("withheld", True)]
    assert count(store_db, "conflicts") == 0


def test_a_schema_older_than_the_kiosk_is_refused_with_what_to_do(
    counters: MakeCounter, store_db: StoreDatabase
) -> None:
    with store_db.as_owner() as db:
        db.query("UPDATE kiosk_store.meta SET value = '0' WHERE key = 'schema_version' RETURNING 1")
    t1 = counters("T01")
    t1.sell()
    with pytest.raises(StoreDbSchemaTooOld) as old:
        t1.sync.ship()
    assert "kiosk store init" in old.value.text.en
    assert t1.sync.status().pending == 4


def test_the_worker_ships_after_a_nudge_without_the_caller_waiting(
    counters: MakeCounter, store_db: StoreDatabase
) -> None:
    t1 = counters("T01")
    t1.sync.start()
    t1.sell()
    t1.sync.nudge()
    deadline = 200
    while deadline and len(paid_orders(store_db)) < 1:
        deadline -= 1
        t1.sync._stop.wait(0.05)  # polling the database, not a sleep in the kiosk
    assert len(paid_orders(store_db)) == 1


def test_doctor_checks_the_store_database(store_db: StoreDatabase) -> None:
    from kiosk.infra.config import parse_settings
    from kiosk.infra.secrets import Secrets
    from kiosk.services.doctor import check_store_db

    def doctor(url: str, password: str) -> list[tuple[str, str, str]]:
        settings = parse_settings(
            '[gateway]\nkind = "villa"\nbase_url = "https://villa.example"\n'
            '[gateway.cognito]\nclient_id = "c"\nusername = "u"\n'
            f'[store_db]\nurl = "{url}"\n'
        )
        secrets = Secrets(environ={"KIOSK_SECRET_STORE_DB_PASSWORD": password})
        return [(ln.status, ln.name, ln.detail.en) for ln in check_store_db(settings, secrets)]

    good = doctor(store_db.kiosk_url, KIOSK_PASSWORD)
    assert [status for status, _, _ in good] == ["ok", "ok", "ok", "ok"], good
    assert "add and read events only" in good[-1][2]
    as_owner = doctor(store_db.owner_url, "owner-secret-1")
    assert as_owner[-1][:2] == ("FAIL", "store database role") and "owns" in as_owner[-1][2]
    wrong = doctor(store_db.kiosk_url, "wrong-password")
    assert [(s, n) for s, n, _ in wrong] == [("FAIL", "store database")]
    assert "wrong-password" not in wrong[0][2]


def test_a_test_z_leaves_only_its_hashes_and_is_no_store_z(
    counters: MakeCounter, store_db: StoreDatabase, tmp_path: Path
) -> None:
    from kiosk.domain.clock import ManualClock
    from kiosk.infra.config import StoreSettings
    from kiosk.services.zreport import ZReportService

    t1 = counters("T01")
    t1.sell(100)
    t1.at += timedelta(minutes=1)
    test = t1.journal.new_order(
        store_id="S001",
        terminal_id="T01",
        amount=Money(5000),
        method=Method.QR,
        created_at=t1.at,
        sandbox=True,
    )
    test, transition = test.transition(S.CANCELLED, t1.at)
    t1.journal.record(test, transition)

    def close(sandbox: bool) -> str:
        closing = ZReportService(
            journal=t1.journal,
            clock=ManualClock(t1.at + timedelta(minutes=1)),
            store=StoreSettings(store_id="S001", terminal_id="T01"),
            folder=tmp_path / "reports",
            sandbox=sandbox,
        ).close()
        assert closing.report is not None
        return closing.report.number_text

    # Not withheld by the kiosk's setting (it is real now): the test Z is, by its series.
    assert (close(True), close(False)) == ("TEST-Z000001", "Z000001")
    t1.sync.ship()
    assert store_db.rows(
        "SELECT tbl, kind, record IS NULL FROM kiosk_store.events"
        " WHERE tbl IN ('z_reports', 'test_z_reports') ORDER BY seq"
    ) == [("test_z_reports", "withheld", True), ("z_reports", "record", False)]
