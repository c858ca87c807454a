"""The journal's hash chain: one link per record of the append path, and what verify catches."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from kiosk.domain.attention import Attention, Outcome, Reason
from kiosk.domain.order import OrderState
from kiosk.store import verify as verify_module
from kiosk.store.chain import GENESIS, STATUS, canonical
from kiosk.store.journal import MIGRATIONS, Journal
from kiosk.store.verify import QUICK_TAIL, Broken
from tests.journal_data import DAY, T0, a_day_of_sales, journal_at_version, sell

S = OrderState


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    with Journal.open(tmp_path / "journal.sqlite3") as j:
        yield j


def chain_rows(path: Path) -> list[tuple[int, str, str, object, str]]:
    with sqlite3.connect(path) as db:
        return list(db.execute("SELECT seq, tbl, part, ref, hash FROM chain"))


def shell(path: Path, *statements: str, params: tuple[object, ...] = ()) -> None:
    """What someone with sqlite3 on the data folder does: triggers dropped first."""
    db = sqlite3.connect(path)
    try:
        triggers = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='trigger'")]
        for name in triggers:
            db.execute(f"DROP TRIGGER {name}")
        for statement in statements:
            db.execute(statement, params if "?" in statement else ())
        db.commit()
    finally:
        db.close()


def named(broken: tuple[Broken, ...]) -> set[tuple[str, str]]:
    return {(b.table, b.id) for b in broken}


def test_every_record_of_the_append_path_gets_one_link(journal: Journal) -> None:
    order = sell(journal, T0, 300, outcome=S.EXPIRED)
    assert [r[1:3] for r in chain_rows(journal.path)] == [("status_changes", "row")] * 4
    attention = Attention(order.kiosk_order_id, Reason.AMOUNT, T0, raw=(("amount", "1.0"),))
    assert journal.flag_attention(attention)
    assert not journal.flag_attention(attention)  # the first flag stays: no second link
    assert journal.clear_attention(order.kiosk_order_id, Outcome.REFUNDED, T0, "slip 1")
    assert journal.raise_notice(order.kiosk_order_id, "paid_late", T0)
    assert journal.acknowledge_notice(order.kiosk_order_id, T0)
    assert not journal.acknowledge_notice(order.kiosk_order_id, T0)
    parts = [r[1:4] for r in chain_rows(journal.path)[4:]]
    assert parts == [
        ("attention", "raise", order.kiosk_order_id),
        ("attention", "clear", order.kiosk_order_id),
        ("notices", "raise", order.kiosk_order_id),
        ("notices", "ack", order.kiosk_order_id),
    ]
    check = journal.verify()
    assert check.ok and check.checked == 8 and check.orders == 1 and check.records == 8


def test_each_hash_is_sha256_of_the_previous_hash_and_the_canonical_record(
    journal: Journal,
) -> None:
    order = sell(journal, T0, "45.50")
    rows = chain_rows(journal.path)
    with sqlite3.connect(journal.path) as db:
        status = db.execute(
            f"SELECT {', '.join(STATUS.columns)} FROM status_changes ORDER BY id"
        ).fetchall()
    prev = GENESIS
    for (seq, _, _, ref, hash_), row in zip(rows, status, strict=True):
        values = dict(zip(STATUS.columns, row, strict=True))
        assert ref == values["id"]
        record = json.dumps(
            {"part": "row", "row": values, "seq": seq, "table": "status_changes"},
            sort_keys=True,
            ensure_ascii=False,
            separators=(",", ":"),
        )
        assert record == canonical(seq, STATUS, values)
        assert hash_ == hashlib.sha256((prev + record).encode()).hexdigest()
        prev = hash_
    # The creation holds the order row (its columns not null); each later change
    # what it changed.
    first, *later = (json.loads(r[-1]) for r in status)
    assert first["kiosk_order_id"] == order.kiosk_order_id and first["amount_satang"] == 4550
    assert "paid_at" not in first and first["description"] == ""
    assert later[-1]["state"] == "paid" and "amount_satang" not in later[-1]


def test_the_history_tables_refuse_update_and_delete(journal: Journal) -> None:
    sell(journal, T0, 300)
    db = sqlite3.connect(journal.path)
    try:
        for statement in (
            "UPDATE status_changes SET at = 'x'",
            "DELETE FROM status_changes",
            "UPDATE chain SET hash = 'x'",
            "DELETE FROM chain WHERE seq = 1",
        ):
            with pytest.raises(sqlite3.IntegrityError, match="never"):
                db.execute(statement)
    finally:
        db.close()
    assert journal.verify().ok


@pytest.fixture
def sold(journal: Journal) -> Journal:
    """A day of sales, a Z report (written as the batches do), then one more sale."""
    from kiosk.store.batches import BatchStore

    a_day_of_sales(journal)
    BatchStore(journal).issue(
        store_id="S001",
        terminal_id="T01",
        issued_at=T0 + timedelta(hours=12),
        content=lambda f: json.dumps(
            {"version": 3, "chain_head": f.head.hash, "records": f.head.position}
        ),
    )
    sell(journal, T0 + timedelta(hours=13), 77)
    assert journal.verify().ok
    return journal


def test_an_edited_status_row_is_named(sold: Journal) -> None:
    shell(sold.path, "UPDATE status_changes SET to_state = 'paid' WHERE id = 7")
    check = sold.verify()
    assert not check.ok and check.first_broken == Broken(
        "status_changes", "7", "the record was changed after it was journaled", 7
    )


def test_an_edited_order_row_is_named_with_its_history(sold: Journal) -> None:
    (order,) = sold.select_orders("WHERE amount_satang = 30000 AND state = 'paid' LIMIT 1")
    shell(
        sold.path,
        "UPDATE orders SET amount_satang = 100 WHERE kiosk_order_id = ?",
        params=(order.kiosk_order_id,),
    )
    check = sold.verify()
    assert check.first_broken == Broken(
        "orders", order.kiosk_order_id, "amount_satang is 100 but its history says 30000"
    )
    assert len(check.broken) == 1


def test_an_edited_z_report_is_named(sold: Journal) -> None:
    shell(sold.path, "UPDATE z_reports SET content = '{\"paid\": 1}' WHERE number = 1")
    check = sold.verify()
    first = check.first_broken
    assert first is not None and (first.table, first.id) == ("z_reports", "1")
    assert first.reason == "the record was changed after it was journaled"


def test_the_newest_record_deleted_is_named(sold: Journal) -> None:
    (newest,) = sold._db.execute("SELECT MAX(id) FROM status_changes").fetchone()
    shell(sold.path, f"DELETE FROM status_changes WHERE id = {newest}")
    check = sold.verify()
    assert check.first_broken is not None
    assert (check.first_broken.table, check.first_broken.id) == ("status_changes", str(newest))
    assert check.first_broken.reason == "the record was deleted"


def test_the_newest_record_deleted_with_its_link_is_caught_by_the_counter(sold: Journal) -> None:
    (newest,) = sold._db.execute("SELECT MAX(id) FROM status_changes").fetchone()
    (end,) = sold._db.execute("SELECT MAX(seq) FROM chain").fetchone()
    order_id = sold._db.execute(
        "SELECT kiosk_order_id, from_state FROM status_changes WHERE id = ?", (newest,)
    ).fetchone()[0]
    # Everything a careful forger would undo: the record, its link, the order's row.
    shell(
        sold.path,
        f"DELETE FROM status_changes WHERE id = {newest}",
        f"DELETE FROM chain WHERE seq = {end}",
        "UPDATE orders SET state = 'expired', paid_at = NULL, gateway_charge_id = NULL"
        f" WHERE kiosk_order_id = '{order_id}'",
    )
    check = sold.verify()
    assert check.first_broken == Broken(
        "chain", str(end), f"the newest 1 record(s) were deleted (the counter is at {end})", end
    )
    # What the next sale appends leaves the gap in place.
    sell(sold, T0 + timedelta(hours=14), 5)
    assert any(
        b.reason == f"records {end} are missing from the chain" for b in sold.verify().broken
    )


def test_a_deleted_tail_before_the_latest_z_breaks_its_anchor(sold: Journal) -> None:
    (z_seq,) = sold._db.execute("SELECT chain_seq FROM z_reports WHERE number = 1").fetchone()
    shell(sold.path, f"DELETE FROM chain WHERE seq >= {z_seq - 2}")
    broken = named(sold.verify().broken)
    assert ("z_reports", "1") in broken


def test_rows_added_outside_the_kiosk_are_named(sold: Journal) -> None:
    (order,) = sold.select_orders("WHERE state = 'new'")
    shell(
        sold.path,
        "INSERT INTO status_changes (kiosk_order_id, at, from_state, to_state)"
        f" VALUES ('{order.kiosk_order_id}', '2026-11-24T09:00:00.000000+00:00', 'new', 'failed')",
        f"UPDATE attention SET note = 'x' WHERE kiosk_order_id = '{order.kiosk_order_id}'",
    )
    check = sold.verify()
    (forged,) = [b for b in check.broken if b.table == "status_changes"]
    assert forged.reason == "the row is not in the chain (added outside the kiosk)"


def test_a_flag_cleared_with_a_shell_is_named(journal: Journal) -> None:
    order = sell(journal, T0, 300, outcome=S.FAILED)
    assert journal.flag_attention(Attention(order.kiosk_order_id, Reason.AMOUNT, T0))
    shell(
        journal.path,
        "UPDATE attention SET cleared_at = '2026-11-24T04:00:00.000000+00:00',"
        " outcome = 'accepted'",
    )
    assert journal.verify().first_broken == Broken(
        "attention", order.kiosk_order_id, "cleared_at, outcome set outside the kiosk"
    )


def test_a_changed_hash_is_named(sold: Journal) -> None:
    shell(
        sold.path,
        "UPDATE chain SET hash = (CASE substr(hash, 1, 1) WHEN '0' THEN '1' ELSE '0' END)"
        " || substr(hash, 2) WHERE seq = 5",
    )
    check = sold.verify()
    assert [(b.seq, b.reason) for b in check.broken[:2]] == [
        (5, "the record was changed after it was journaled"),
        (6, "the record was changed after it was journaled"),  # it no longer links
    ]


def test_quick_walks_the_newest_records_and_the_orders_they_touch(journal: Journal) -> None:
    orders = a_day_of_sales(journal)
    assert journal.verify(quick=True).ok
    shell(journal.path, "UPDATE orders SET description = 'x'")
    quick = journal.verify(quick=True)
    assert quick.quick and quick.checked == journal.verify().checked  # a short chain: all of it
    assert {b.id for b in quick.broken} == {o.kiosk_order_id for o in orders}


def test_quick_stops_at_the_tail(journal: Journal, monkeypatch: pytest.MonkeyPatch) -> None:
    assert QUICK_TAIL >= 1000  # the window's start-up walks this many
    monkeypatch.setattr(verify_module, "QUICK_TAIL", 10)
    early = sell(journal, T0, 1)  # 4 records
    for n in range(1, 4):
        sell(journal, T0 + timedelta(seconds=n), 1)
    shell(
        journal.path,
        "UPDATE orders SET amount_satang = 7 WHERE kiosk_order_id = ?",
        params=(early.kiosk_order_id,),
    )
    quick = journal.verify(quick=True)
    assert quick.checked == 10 and quick.ok  # the old edit is beyond its reach
    assert journal.verify().first_broken is not None  # kiosk verify walks it all


def test_a_journal_from_before_the_chain_is_chained_when_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    journal_at_version(path, 5)
    db = sqlite3.connect(path)
    try:
        db.execute(
            "INSERT INTO orders (kiosk_order_id, store_id, terminal_id, business_day, seq,"
            " amount_satang, currency, method, description, state, late, created_at, paid_at)"
            " VALUES ('S1-T1-20261124-0001', 'S1', 'T1', ?, 1, 500, 'THB', 'qr', '', 'paid',"
            " 0, '2026-11-24T03:00:00.000000+00:00', '2026-11-24T03:00:30.000000+00:00')",
            (DAY,),
        )
        for at, before, after in (("00", None, "new"), ("30", "awaiting_payment", "paid")):
            db.execute(
                "INSERT INTO status_changes (kiosk_order_id, at, from_state, to_state)"
                " VALUES ('S1-T1-20261124-0001', ?, ?, ?)",
                (f"2026-11-24T03:00:{at}.000000+00:00", before, after),
            )
        db.execute(
            "INSERT INTO z_reports (number, business_day, store_id, terminal_id, issued_at,"
            " content) VALUES (1, ?, 'S1', 'T1', '2026-11-24T15:00:00.000000+00:00', '{}')",
            (DAY,),
        )
        db.execute(
            "INSERT INTO notices (kiosk_order_id, kind, raised_at)"
            " VALUES ('S1-T1-20261124-0001', 'paid_late', '2026-11-24T03:00:31.000000+00:00')"
        )
        db.commit()
    finally:
        db.close()

    with Journal.open(path) as journal:
        assert journal.schema_version == len(MIGRATIONS) >= 8
        check = journal.verify()
        assert check.ok and check.checked == 4 and check.orders == 1
        parts = [r[1] for r in chain_rows(path)]
        assert parts == ["status_changes", "status_changes", "notices", "z_reports"]
        z = journal._db.execute("SELECT chain_seq, last_status_id FROM z_reports").fetchone()
        assert z == (4, 2)  # after both status changes: the next batch starts past them
        order = journal.get("S1-T1-20261124-0001")
        assert order is not None and order.state is S.PAID
        # New records link on to the migrated ones.
        sell(journal, T0 + timedelta(days=1), 9)
        assert journal.verify().ok
    shell(path, "UPDATE orders SET amount_satang = 5 WHERE kiosk_order_id = 'S1-T1-20261124-0001'")
    with Journal.open(path) as journal:
        assert named(journal.verify().broken) == {("orders", "S1-T1-20261124-0001")}


def test_any_sequence_of_sales_checks_out(journal: Journal) -> None:
    for n, outcome in enumerate([S.PAID, S.EXPIRED, S.CANCELLED, S.FAILED, S.NEW, S.CREATING]):
        sell(journal, T0 + timedelta(minutes=n), f"{n}.25", outcome=outcome, late=n == 1)
    sell(journal, T0, "1.00", failure_message="ปฏิเสธ \u202e bidi and Thai")
    check = journal.verify()
    assert check.ok and check.orders == 7
