"""Batches: every paid sale in exactly one Z, whatever the clock; numbers and totals go on.

Issue 14, must show (1) and (3) at the services level, on a ManualClock:
a sale across midnight with a Z taken while it is open, a sale after a Z,
a late payment after its batch closed; a walk that finds every paid order's
Z; the grand total and Z numbers across restarts and a journal reset.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.domain.clock import ManualClock
from kiosk.domain.money import Money
from kiosk.domain.order import BANGKOK, Method, Order, OrderState
from kiosk.domain.reports import Tally
from kiosk.infra.config import StoreSettings
from kiosk.receipts.layout import Block
from kiosk.services.zreport import ZReport, ZReportService, next_time, parse_clock
from kiosk.store.journal import Journal
from kiosk.store.numbering import continue_numbering
from kiosk.store.reports import ReportStore
from tests.fakes import run
from tests.journal_data import sell

S = OrderState
STORE = StoreSettings(name="Shop", store_id="S001", terminal_id="T01")


def bangkok(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=BANGKOK).astimezone(UTC)


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    with Journal.open(tmp_path / "journal.sqlite3") as j:
        yield j


def service(journal: Journal, clock: ManualClock, tmp_path: Path, **kw: object) -> ZReportService:
    return ZReportService(
        journal=journal,
        clock=clock,
        store=STORE,
        folder=tmp_path / "reports",
        **kw,  # type: ignore[arg-type]
    )


def at(clock: ManualClock, when: datetime) -> None:
    clock.advance((when - clock.now()).total_seconds())


def close(zs: ZReportService) -> ZReport:
    closing = zs.close()
    assert closing.issued and closing.report is not None
    return closing.report


def move(journal: Journal, order: Order, to: OrderState, when: datetime, **kw: object) -> Order:
    moved, record = order.transition(to, when, **kw)  # type: ignore[arg-type]
    journal.record(moved, record)
    return moved


def awaiting(journal: Journal, when: datetime, satang: int) -> Order:
    order = journal.new_order(
        store_id="S001", terminal_id="T01", amount=Money(satang), method=Method.QR, created_at=when
    )
    order = move(journal, order, S.CREATING, when + timedelta(seconds=1))
    return move(
        journal,
        order,
        S.AWAITING_PAYMENT,
        when + timedelta(seconds=2),
        gateway_order_id=f"g{satang}",
        ttl_s=120,
        gateway_expires_at=when + timedelta(minutes=10),
    )


def ids(sales: tuple[object, ...]) -> list[str]:
    return [s.kiosk_order_id for s in sales]  # type: ignore[attr-defined]


def test_a_sale_across_midnight_a_sale_after_a_z_and_a_late_payment(
    journal: Journal, tmp_path: Path
) -> None:
    clock = ManualClock(bangkok("2026-12-01T20:00:00"))
    zs = service(journal, clock, tmp_path)
    sell(journal, bangkok("2026-12-01T20:00:00"), 100)  # an ordinary sale of Dec 1

    # Charged 23:59:52, the Z at 23:59:56 with the order still open.
    midnight = awaiting(journal, bangkok("2026-12-01T23:59:50"), 30000)
    at(clock, bangkok("2026-12-01T23:59:56"))
    z1 = close(zs)
    assert z1.totals.paid == Tally(1, 10000)
    assert z1.batch is not None and ids(z1.batch.open_at_close) == [midnight.kiosk_order_id]
    assert z1.batch.open_at_close[0].state is S.AWAITING_PAYMENT
    assert z1.totals.pending.satang == 30000

    # Paid 00:00:01 on Dec 2: counted in the next batch, which names its original batch.
    move(journal, midnight, S.PAID, bangkok("2026-12-02T00:00:01"), gateway_charge_id="c1")
    after = sell(journal, bangkok("2026-12-02T00:05:00"), 200)  # a sale after the Z
    expires = sell(journal, bangkok("2026-12-02T09:00:00"), 40, outcome=S.EXPIRED)
    at(clock, bangkok("2026-12-02T22:00:00"))
    z2 = close(zs)
    assert z2.totals.paid == Tally(2, 30000 + 20000)
    assert z2.batch is not None
    (carried,) = z2.batch.paid_earlier
    assert (carried.kiosk_order_id, carried.batch, carried.late) == (
        midnight.kiosk_order_id,
        1,
        False,
    )
    assert z2.first is not None and z2.first.kiosk_order_id == after.kiosk_order_id
    assert z2.totals.expired.satang == 4000 and z2.batch.open_at_close == ()

    # Paid late, after its batch (2) closed: in Z 3, with its original batch.
    move(journal, expires, S.PAID, bangkok("2026-12-03T08:00:00"), gateway_charge_id="c3")
    at(clock, bangkok("2026-12-03T22:00:00"))
    z3 = close(zs)
    assert z3.totals.paid == Tally(1, 4000) and z3.totals.late.satang == 4000
    assert z3.batch is not None
    (late,) = z3.batch.paid_earlier
    assert (late.kiosk_order_id, late.batch, late.late) == (expires.kiosk_order_id, 2, True)
    assert z3.record()["late"][0]["batch"] == 2

    # Each payment is in exactly one Z; the grand total is every payment.
    paid = [z.totals.paid.satang for z in (z1, z2, z3)]
    assert paid == [10000, 50000, 4000]
    assert [z.batch.grand_total.satang for z in (z1, z2, z3) if z.batch] == [10000, 60000, 64000]
    assert journal.verify().ok


def waiting(orders: list[Order]) -> list[Order]:
    return [o for o in orders if o.state is S.AWAITING_PAYMENT]


def test_a_walk_finds_every_paid_order_in_exactly_one_z(journal: Journal, tmp_path: Path) -> None:
    rng = random.Random(14)
    clock = ManualClock(bangkok("2026-12-01T08:00:00"))
    zs = service(journal, clock, tmp_path)
    open_orders: list[Order] = []
    for step in range(240):
        clock.advance(rng.choice([30, 300, 1800, 3600]))
        now = clock.now()
        roll = rng.random()
        if roll < 0.45:
            outcome = rng.choice([S.PAID, S.PAID, S.EXPIRED, S.CANCELLED, S.FAILED])
            sell(journal, now, rng.randrange(1, 500), outcome=outcome)
        elif roll < 0.6:
            open_orders.append(awaiting(journal, now, rng.randrange(1, 500) * 100 + step))
        elif roll < 0.75 and waiting(open_orders):
            order = rng.choice(waiting(open_orders))
            open_orders.remove(order)
            to = rng.choice([S.PAID, S.EXPIRED])
            order = move(journal, order, to, now, gateway_charge_id="c" if to is S.PAID else None)
            if to is S.EXPIRED and rng.random() < 0.5:
                open_orders.append(order)  # money may still come: a late payment
        elif roll < 0.8:
            late = [o for o in open_orders if o.state is S.EXPIRED]
            if late:
                open_orders.remove(late[0])
                move(journal, late[0], S.PAID, now, gateway_charge_id="late")
        else:
            zs.close()  # any time, any number a day; maybe nothing to close
    clock.advance(60)
    zs.close()

    reports = ReportStore(journal)
    zrows = reports.z_reports()
    assert len(zrows) > 10
    with journal.read("walk") as db:
        paid = db.execute(
            "SELECT s.id, o.kiosk_order_id, o.amount_satang FROM status_changes AS s"
            " JOIN orders AS o USING (kiosk_order_id) WHERE s.to_state = 'paid'"
        ).fetchall()
    assert paid
    per_z: dict[int, int] = {}
    for status_id, order_id, satang in paid:
        holders = [
            z.number
            for previous, z in zip([None, *zrows], zrows, strict=False)
            if (previous.last_status_id if previous else 0) < status_id <= z.last_status_id
        ]
        assert len(holders) == 1, (order_id, holders)
        per_z[holders[0]] = per_z.get(holders[0], 0) + satang
    for z in zrows:
        report = ZReport.from_stored(z)
        assert report.totals.paid.satang == per_z.get(z.number, 0)
    last = ZReport.from_stored(zrows[-1])
    assert last.batch is not None
    assert last.batch.grand_total.satang == sum(satang for _, _, satang in paid)
    assert journal.verify().ok


def test_z_numbers_and_the_grand_total_go_on_across_restarts_and_a_journal_reset(
    tmp_path: Path,
) -> None:
    path = tmp_path / "journal.sqlite3"
    clock = ManualClock(bangkok("2026-12-01T22:00:00"))
    with Journal.open(path) as journal:
        sell(journal, bangkok("2026-12-01T10:00:00"), 300)
        z1 = close(service(journal, clock, tmp_path))
    clock.advance(86400)
    with Journal.open(path) as journal:  # a restart
        sell(journal, bangkok("2026-12-02T10:00:00"), 200)
        z2 = close(service(journal, clock, tmp_path))
    assert (z1.number, z2.number, z2.previous_number) == (1, 2, 1)
    assert z2.batch is not None and z2.batch.grand_total == Money(50000)

    # The journal is damaged and set aside (kiosk.store.health); a new one starts.
    path.rename(path.with_name("journal.sqlite3.damaged-20261203T000000Z"))
    clock.advance(86400)
    with Journal.open(path) as journal:
        numbering = continue_numbering(journal, at=clock.now())
        assert (numbering.z_floor, numbering.grand_total_floor) == (2, 50000)
        sell(journal, bangkok("2026-12-03T10:00:00"), 7)
        z3 = close(service(journal, clock, tmp_path))
        assert (z3.number, z3.previous_number) == (3, 2)
        assert z3.batch is not None and z3.batch.grand_total == Money(50700)
        assert journal.verify().ok
    clock.advance(86400)
    with Journal.open(path) as journal:  # and a restart of the new journal
        assert continue_numbering(journal, at=clock.now()).z_floor == 0  # read once only
        sell(journal, bangkok("2026-12-04T10:00:00"), 1)
        z4 = close(service(journal, clock, tmp_path))
        assert z4.number == 4 and z4.batch is not None
        assert z4.batch.grand_total == Money(50800)


def test_the_batch_closes_by_itself_at_the_set_time(journal: Journal, tmp_path: Path) -> None:
    clock = ManualClock(bangkok("2026-12-01T09:00:00"))
    written: list[Path] = []

    def writer(blocks: list[Block], path: Path) -> None:
        written.append(path)
        path.write_bytes(b"%PDF")

    zs = service(journal, clock, tmp_path, auto_close="23:00", pdf_writer=writer)
    assert zs.next_auto_close() is None  # nothing journaled: nothing to wait for
    sales = {
        bangkok("2026-12-01T10:00:00"): 100,
        bangkok("2026-12-03T10:00:00"): 300,  # nothing on Dec 2
    }
    end = bangkok("2026-12-04T09:00:00")

    async def sleep(seconds: float) -> None:
        before = clock.now()
        clock.advance(seconds)
        for when, baht in sales.items():
            if before < when <= clock.now():
                sell(journal, when, baht)
        if clock.now() >= end:
            raise asyncio.CancelledError
        await asyncio.sleep(0)

    with pytest.raises(asyncio.CancelledError):
        run(zs.auto_close_forever(sleep=sleep))
    reports = [ZReport.from_stored(z) for z in ReportStore(journal).z_reports()]
    assert [(z.number, z.issued_at) for z in reports] == [
        (1, bangkok("2026-12-01T23:00:00")),
        (2, bangkok("2026-12-03T23:00:00")),
    ]
    assert [z.totals.paid.satang for z in reports] == [10000, 30000]
    assert [p.name for p in written] == [".z-000001.pdf.partial", ".z-000002.pdf.partial"]
    assert (tmp_path / "reports" / "z-000002.pdf").exists()


def test_a_kiosk_started_after_a_missed_close_closes_at_once(
    journal: Journal, tmp_path: Path
) -> None:
    clock = ManualClock(bangkok("2026-12-01T23:30:00"))
    sell(journal, bangkok("2026-12-01T10:00:00"), 100)
    close(service(journal, clock, tmp_path))  # by hand, 23:30
    sell(journal, bangkok("2026-12-02T10:00:00"), 200)
    at(clock, bangkok("2026-12-03T08:00:00"))  # the kiosk was off at 23:00 on Dec 2
    zs = service(journal, clock, tmp_path, auto_close="23:00")
    assert zs.next_auto_close() == bangkok("2026-12-02T23:00:00")

    async def sleep(seconds: float) -> None:
        raise asyncio.CancelledError

    with pytest.raises(asyncio.CancelledError):
        run(zs.auto_close_forever(sleep=sleep))
    latest = zs.latest()
    assert latest is not None and latest.number == 2 and latest.issued_at == clock.now()
    assert zs.next_auto_close() == bangkok("2026-12-03T23:00:00")


def test_auto_close_times() -> None:
    assert parse_clock("") is None and parse_clock(" 23:00 ") is not None
    for bad in ("23", "7:5", "ab:cd"):
        with pytest.raises(ValueError):
            parse_clock(bad)
    eleven = parse_clock("23:00")
    assert eleven is not None
    assert next_time(eleven, bangkok("2026-12-01T22:59:59")) == bangkok("2026-12-01T23:00:00")
    assert next_time(eleven, bangkok("2026-12-01T23:00:00")) == bangkok("2026-12-02T23:00:00")


def test_a_journal_that_no_longer_opens_still_passes_on_its_last_z(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    clock = ManualClock(bangkok("2026-12-01T22:00:00"))
    with Journal.open(path) as journal:
        sell(journal, bangkok("2026-12-01T10:00:00"), 300)
        close(service(journal, clock, tmp_path))
        sell(journal, bangkok("2026-12-01T11:00:00"), 20)
        close(service(journal, clock, tmp_path))
    copy = path.with_name("journal.sqlite3.damaged-20261202T000000Z")
    path.rename(copy)
    with copy.open("r+b") as f:
        f.write(b"\0" * 100)  # SQLite no longer opens it; its pages are still there
    with Journal.open(path) as journal:
        numbering = continue_numbering(journal, at=clock.now())
        assert (numbering.z_floor, numbering.grand_total_floor) == (2, 32000)
        assert copy in numbering.sources
