"""A sandbox kiosk's Z reports are a series of their own (issue 17: sandbox unmistakable on paper).

TEST-Z000001 onwards, in ``test_z_reports`` (journal schema 10): their own
counter, span and grand total; the real series is never advanced, reused or
closed by them, both go on after a journal reset, the PDF is named
test-z-NNNNNN.pdf, the paper says TEST in large type, the chain verifies, and
a test Z never leaves for the store database.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.domain.clock import ManualClock
from kiosk.domain.documents import Series, z_file_stem, z_number_text
from kiosk.domain.money import Money
from kiosk.domain.order import BANGKOK, OrderState
from kiosk.infra.config import StoreSettings
from kiosk.receipts.layout import TEST_BANNERS, Banner, Block, plain_text
from kiosk.services.zreport import ZReport, ZReportService, z_blocks
from kiosk.store.journal import Journal
from kiosk.store.numbering import continue_numbering
from kiosk.store.reports import ReportStore
from tests.fakes import run
from tests.journal_data import sell

S = OrderState
STORE = StoreSettings(name="Shop", store_id="S001", terminal_id="T01")


def bangkok(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=BANGKOK).astimezone(UTC)


NOON = bangkok("2026-12-01T12:00:00")


@pytest.fixture
def journal(tmp_path: Path) -> Iterator[Journal]:
    with Journal.open(tmp_path / "journal.sqlite3") as j:
        yield j


def zs(journal: Journal, clock: ManualClock, tmp_path: Path, *, sandbox: bool) -> ZReportService:
    def pdf(blocks: list[Block], path: Path) -> None:  # the text of the page, for the test
        path.write_bytes(b"%PDF " + plain_text(blocks, 48).encode())

    return ZReportService(
        journal=journal,
        clock=clock,
        store=STORE,
        folder=tmp_path / "reports",
        pdf_writer=pdf,
        sandbox=sandbox,
    )


def close(service: ZReportService) -> ZReport:
    closing = service.close()
    assert closing.issued and closing.report is not None
    return closing.report


def test_the_names_of_the_two_series() -> None:
    assert z_number_text(12) == "Z000012" and z_file_stem(12) == "z-000012"
    assert z_number_text(1, sandbox=True) == "TEST-Z000001"
    assert z_file_stem(1, sandbox=True) == "test-z-000001"


def test_a_sandbox_kiosks_z_is_test_z_on_paper_file_and_json(
    journal: Journal, tmp_path: Path
) -> None:
    clock = ManualClock(NOON)
    test = sell(journal, NOON - timedelta(hours=1), 300, sandbox=True)
    journal.issue_document(test.kiosk_order_id, Series.TEST_SLIP, NOON)
    service = zs(journal, clock, tmp_path, sandbox=True)
    report = close(service)
    assert (report.number, report.number_text, report.file_stem) == (
        1,
        "TEST-Z000001",
        "test-z-000001",
    )
    assert report.sandbox and report.totals.paid.satang == 30000
    record = report.record()
    assert record["number_text"] == "TEST-Z000001" and record["sandbox"] is True
    assert record["slips"]["first"] == "TEST-T01-000001"

    out = run(service.output(report))
    assert out.pdf == tmp_path / "reports" / "test-z-000001.pdf"
    assert not (tmp_path / "reports" / "z-000001.pdf").exists()
    blocks = z_blocks(report)
    # TEST in large type, top and bottom; the number printed is the TEST one.
    assert isinstance(blocks[0], Banner) and blocks[0].text in TEST_BANNERS
    assert isinstance(blocks[-1], Banner) and blocks[-1].text in TEST_BANNERS
    text = out.pdf.read_text()
    assert "TEST — NOT A RECEIPT" in text and "ทดสอบ — ไม่ใช่ใบเสร็จ" in text
    assert "TEST-Z000001" in text and " Z000001" not in text.replace("TEST-Z000001", "")

    # Kept apart: the sandbox's reader sees it, the real series has none.
    assert ReportStore(journal).z_reports() == []
    assert [z.number for z in ReportStore(journal, sandbox=True).z_reports()] == [1]
    assert service.latest() == report and service.report(1) == report

    clock.advance(3600)
    sell(journal, clock.now(), 5, sandbox=True)
    second = close(service)
    assert (second.number_text, second.previous_text) == ("TEST-Z000002", "TEST-Z000001")
    assert journal.verify().ok


def test_a_real_kiosk_after_sandbox_zs_starts_its_own_series_at_z000001(
    journal: Journal, tmp_path: Path
) -> None:
    clock = ManualClock(NOON)
    sell(journal, NOON - timedelta(hours=3), 100)  # a real sale before the sandbox session
    sandbox = zs(journal, clock, tmp_path, sandbox=True)
    sell(journal, NOON - timedelta(hours=2), 5000, sandbox=True)
    assert close(sandbox).number_text == "TEST-Z000001"
    clock.advance(60)
    sell(journal, clock.now(), 7000, sandbox=True)
    assert close(sandbox).number_text == "TEST-Z000002"

    # The kiosk goes real: its first Z is Z000001, and counts the real sale
    # journaled before the test Zs (a test Z never closes a real span).
    clock.advance(60)
    real = zs(journal, clock, tmp_path, sandbox=False)
    first = close(real)
    assert (first.number_text, first.previous_number, first.file_stem) == (
        "Z000001",
        None,
        "z-000001",
    )
    assert not first.sandbox and first.totals.paid.satang == 10000
    assert first.batch is not None and first.batch.grand_total == Money(10000)
    assert not any(isinstance(b, Banner) and b.text in TEST_BANNERS for b in z_blocks(first))
    assert real.close().issued is False  # nothing journaled since
    clock.advance(60)
    sell(journal, clock.now(), 5, sandbox=True)

    # Back to the sandbox: the TEST series goes on where it stopped.
    third = close(sandbox)
    assert (third.number_text, third.previous_text) == ("TEST-Z000003", "TEST-Z000002")
    assert third.totals.paid.satang == 500
    assert third.batch is not None and third.batch.grand_total == Money((5000 + 7000 + 5) * 100)
    clock.advance(60)
    sell(journal, clock.now(), 20)
    second = close(real)
    assert (second.number_text, second.previous_text) == ("Z000002", "Z000001")
    assert second.totals.paid.satang == 2000  # the test sale in its span is not counted
    assert second.batch is not None and second.batch.grand_total == Money(12000)
    assert [z.number for z in ReportStore(journal).z_reports()] == [1, 2]
    assert journal.verify().ok


def test_both_series_go_on_after_a_journal_reset_without_reuse(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    clock = ManualClock(NOON)
    with Journal.open(path) as journal:
        sell(journal, NOON - timedelta(hours=2), 300)
        assert close(zs(journal, clock, tmp_path, sandbox=False)).number_text == "Z000001"
        sell(journal, NOON - timedelta(hours=1), 40, sandbox=True)
        test = zs(journal, clock, tmp_path, sandbox=True)
        assert close(test).number_text == "TEST-Z000001"
        clock.advance(60)
        sell(journal, clock.now(), 2, sandbox=True)
        assert close(test).number_text == "TEST-Z000002"

    # The journal is set aside as damaged (it still reads through SQLite).
    path.rename(path.with_name("journal.sqlite3.damaged-20261202T000000Z"))
    clock.advance(86400)
    with Journal.open(path) as journal:
        numbering = continue_numbering(journal, at=clock.now())
        assert (numbering.z_floor, numbering.grand_total_floor) == (1, 30000)
        assert (numbering.test_z_floor, numbering.test_grand_total_floor) == (2, 4200)
        sell(journal, clock.now() - timedelta(minutes=5), 1, sandbox=True)
        test = close(zs(journal, clock, tmp_path, sandbox=True))
        assert (test.number_text, test.previous_text) == ("TEST-Z000003", "TEST-Z000002")
        assert test.batch is not None and test.batch.grand_total == Money(4300)
        sell(journal, clock.now() - timedelta(minutes=4), 7)
        real = close(zs(journal, clock, tmp_path, sandbox=False))
        assert (real.number_text, real.previous_text) == ("Z000002", "Z000001")
        assert real.batch is not None and real.batch.grand_total == Money(30700)
        assert journal.verify().ok


def test_the_test_series_is_read_back_from_a_copy_sqlite_no_longer_opens(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    clock = ManualClock(NOON)
    with Journal.open(path) as journal:
        sell(journal, NOON - timedelta(hours=1), 40, sandbox=True)
        close(zs(journal, clock, tmp_path, sandbox=True))
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    with path.open("r+b") as f:
        f.write(b"\0" * 100)  # the header gone: only the bytes can be read
    path.rename(path.with_name("journal.sqlite3.damaged-20261202T000000Z"))
    with Journal.open(path) as journal:
        numbering = continue_numbering(journal, at=clock.now())
        # The TEST-Z's number is found as text, and never lifts the real series.
        assert (numbering.z_floor, numbering.test_z_floor) == (0, 1)
        assert numbering.test_grand_total_floor == 4000 and numbering.grand_total_floor == 0


def test_a_test_z_is_immutable_chained_and_never_sent_to_the_store(
    journal: Journal, tmp_path: Path
) -> None:
    clock = ManualClock(NOON)
    sell(journal, NOON - timedelta(hours=1), 40, sandbox=True)
    journal.withhold_from_store = False  # even a kiosk turned real since withholds it
    report = close(zs(journal, clock, tmp_path, sandbox=True))
    with journal.read("look") as db:
        seq, tbl = db.execute("SELECT seq, tbl FROM chain ORDER BY seq DESC LIMIT 1").fetchone()
        (withheld,) = db.execute("SELECT withheld FROM outbox WHERE seq = ?", (seq,)).fetchone()
    with sqlite3.connect(journal.path) as db:  # someone with a SQL shell
        for statement in (
            "UPDATE test_z_reports SET content = '{}'",
            "DELETE FROM test_z_reports",
        ):
            with pytest.raises(sqlite3.IntegrityError, match="immutable"):
                db.execute(statement)
    assert (tbl, withheld) == ("test_z_reports", 1)
    assert report.batch is not None and report.batch.records == seq - 1
    check = journal.verify()
    assert check.ok and check.checked >= seq


def test_sandbox_zs_issued_before_schema_10_are_passed_over_by_the_real_series(
    journal: Journal, tmp_path: Path
) -> None:
    clock = ManualClock(NOON)
    real = zs(journal, clock, tmp_path, sandbox=False)
    sell(journal, NOON - timedelta(hours=3), 100)
    assert close(real).number == 1
    # A sandbox Z as the kiosk issued it before schema 10: in z_reports, numbered
    # in the one series, its content saying sandbox (what a real Z's append path
    # writes, with the sandbox's content).
    test_sale = sell(journal, NOON - timedelta(hours=2), 40, sandbox=True)
    legacy = zs(journal, clock, tmp_path, sandbox=True)
    figures = legacy.batches.pending(clock.now())
    assert figures is not None
    with journal.write("a Z as before schema 10") as db:
        head = journal.chain_head()
        content = (
            f'{{"sandbox": true, "grand_total_satang": 4000, "chain_head": "{head.hash}",'
            f' "records": {head.position}}}'
        )
        (last,) = db.execute("SELECT MAX(id) FROM status_changes").fetchone()
        journal.append_z_report(
            {
                "number": 2,
                "business_day": "20261201",
                "store_id": "S001",
                "terminal_id": "T01",
                "issued_at": "2026-12-01T05:00:00.000000+00:00",
                "previous_number": 1,
                "content": content,
                "chain_seq": head.position + 1,
                "last_status_id": last,
            }
        )
    assert figures.first is not None and figures.first.kiosk_order_id == test_sale.kiosk_order_id

    clock.advance(60)
    sell(journal, clock.now(), 20)
    second = close(real)
    # Numbered after the table's highest (the old test Z's 2), but its span and
    # grand total go on from the previous *real* Z.
    assert (second.number_text, second.totals.paid.satang) == ("Z000003", 2000)
    assert second.batch is not None and second.batch.grand_total == Money(12000)
    clock.advance(60)
    sell(journal, clock.now(), 3, sandbox=True)
    first_test = close(legacy)
    # The TEST series starts at 1, after the old test Z's span: its sale is not counted twice.
    assert (first_test.number_text, first_test.totals.paid.satang) == ("TEST-Z000001", 300)
    assert first_test.batch is not None and first_test.batch.grand_total == Money(4300)
    assert journal.verify().ok
