"""The receipt archive: numbered, one original per order, copies, durable."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image

from kiosk.receipts.archive import _MIGRATIONS, JobStatus, ReceiptArchive, png_bytes
from kiosk.receipts.model import Receipt
from tests.receipts.conftest import START, reprinted


@pytest.fixture
def receipt(receipt: Receipt) -> Receipt:
    """Not numbered yet: the archive numbers it (a service without a journal)."""
    return replace(receipt, number=0, document="")


@pytest.fixture
def archive(tmp_path: Path) -> ReceiptArchive:
    return ReceiptArchive.open(tmp_path / "receipts" / "archive.sqlite3")


def test_originals_are_numbered_in_sequence_once_per_order(
    archive: ReceiptArchive, receipt: Receipt
) -> None:
    first = archive.add(receipt, issued_at=START)
    again = archive.add(receipt, issued_at=START)
    second = archive.add(replace(receipt, kiosk_order_id="S001-T01-20261124-0002"), issued_at=START)
    assert (first.number, first.copy) == (1, 0)
    assert again.id == first.id  # the same order never gets a second original
    assert (second.number, second.copy) == (2, 0)
    assert first.receipt.number == 1 and second.receipt.number == 2
    assert first.status is JobStatus.ISSUED and first.image_png is None


def test_reprints_keep_the_number_and_count_copies(
    archive: ReceiptArchive, receipt: Receipt
) -> None:
    original = archive.add(receipt, issued_at=START)
    one = archive.add(reprinted(original.receipt), issued_at=START)
    two = archive.add(reprinted(original.receipt), issued_at=START)
    assert (one.number, one.copy, two.copy) == (original.number, 1, 2)
    assert two.receipt.copy == 2 and two.is_reprint
    assert [r.copy for r in archive.copies(original.number)] == [0, 1, 2]
    assert archive.next_number() == original.number + 1


def test_rendition_and_job_survive_a_reopen(tmp_path: Path, receipt: Receipt) -> None:
    path = tmp_path / "archive.sqlite3"
    archive = ReceiptArchive.open(path)
    record = archive.add(receipt, issued_at=START)
    image = Image.new("1", (384, 20), 255)
    archive.store_rendition(record.id, text="receipt text", image_png=png_bytes(image))
    archive.job_started(record.id, "network")
    archive.job_failed(record.id, "refused")
    archive.job_started(record.id, "network")
    archive.job_done(record.id, output="to 127.0.0.1", at=START)
    archive.close()

    reopened = ReceiptArchive.open(path)
    stored = reopened.get(record.number)
    assert stored is not None
    assert stored.status is JobStatus.PRINTED and stored.attempts == 2 and stored.error is None
    assert stored.text == "receipt text" and stored.printed_at == START
    loaded = stored.image()
    assert loaded is not None and loaded.tobytes() == image.tobytes()
    assert reopened.recent()[0].id == record.id
    assert reopened.original_for(receipt.kiosk_order_id) == stored


def test_a_job_a_crash_left_printing_is_failed_on_open(tmp_path: Path, receipt: Receipt) -> None:
    path = tmp_path / "archive.sqlite3"
    archive = ReceiptArchive.open(path)
    record = archive.add(receipt, issued_at=START)
    archive.job_started(record.id, "usb")
    archive.close()
    reopened = ReceiptArchive.open(path)
    assert reopened.interrupted() == 1
    stored = reopened.get_id(record.id)
    assert stored is not None and stored.status is JobStatus.FAILED
    assert stored.error == "interrupted"


def test_an_archive_from_before_series_keeps_its_slips_and_numbers(
    tmp_path: Path, receipt: Receipt
) -> None:
    path = tmp_path / "archive.sqlite3"
    db = sqlite3.connect(path)
    for statement in _MIGRATIONS[1]:
        db.execute(statement)
    old = replace(receipt, number=7, document="")
    db.execute(
        "INSERT INTO receipts (number, copy, kiosk_order_id, issued_at, model, status)"
        " VALUES (7, 0, ?, ?, ?, 'printed')",
        (old.kiosk_order_id, START.isoformat(), old.to_json()),
    )
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()

    archive = ReceiptArchive.open(path)
    found = archive.find("7")
    assert found is not None and found.receipt.number_text == "000007"
    assert archive.next_number() == 8
    test = archive.add(replace(receipt, series="test", kiosk_order_id="X-2"), issued_at=START)
    assert (test.number, test.receipt.number_text) == (1, "TEST-T01-000001")  # its own series
    assert archive.find("test-t01-000001") == test
    archive.close()
