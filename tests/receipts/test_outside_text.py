"""Control characters and bidi overrides from outside on a receipt (issue 12, attack 5):
the receipt still renders (raster, ESC/POS text mode, PDF), nothing of it reaches the
printer as a command, an archive written before the fix reprints, and the receipt
log keeps one line per order."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from kiosk.domain.order import Order
from kiosk.infra.config import PrinterSettings, StoreSettings
from kiosk.infra.logs import register_secret
from kiosk.receipts.archive import ReceiptArchive
from kiosk.receipts.escpos_jobs import text_job
from kiosk.receipts.layout import Line, paper_for, receipt_blocks, self_test_blocks
from kiosk.receipts.log import ReceiptLog
from kiosk.receipts.model import Receipt, build_receipt
from kiosk.receipts.printers import make_printer
from kiosk.receipts.service import ReceiptService, rendition
from tests.fakes import run
from tests.receipts.conftest import RECEIPT, STORE, paid_order
from tests.receipts.escpos_stream import parse
from tests.receipts.pdf_text import extract_text
from tests.test_cli import kiosk

HOSTILE_ID = "ord\x1b@\x00_1\u202eA\nB\x85\t\x1d!Z"
HOSTILE_CHARGE = "chrg\x1bd\x05_2\u2066"
CONTROLS = [chr(c) for c in (*range(0x20), *range(0x7F, 0xA0))] + ["\u202e", "\u2066"]


def hostile_order() -> Order:
    return replace(paid_order(), gateway_order_id=HOSTILE_ID, gateway_charge_id=HOSTILE_CHARGE)


def hostile_receipt() -> Receipt:
    store = replace(STORE, name="Doi\x1b@ Chang\u202e")
    return build_receipt(hostile_order(), number=7, store=store, receipt=RECEIPT)


def has_control(text: str) -> bool:
    return any(ch in text for ch in CONTROLS)


def test_the_receipt_keeps_only_clean_text() -> None:
    receipt = hostile_receipt()
    assert receipt.gateway_order_id == "ord@_1A B !Z"
    assert receipt.gateway_charge_id == "chrgd_2" and receipt.shop_name == "Doi@ Chang"
    assert Receipt.from_json(receipt.to_json()) == receipt
    for block in receipt_blocks(receipt):
        assert not has_control(" ".join(str(v) for v in vars(block).values()))


@pytest.mark.parametrize("mm", [58, 80])
def test_it_renders_as_a_picture_and_as_text(mm: int) -> None:
    # Before: Pillow's layout failed on the newline and the C1 control (raqm_layout()).
    settings = PrinterSettings(kind="file", device="/dev/null", paper_mm=mm)
    text, png = rendition(hostile_receipt(), settings)
    assert (
        png.startswith(b"\x89PNG")
        and "ord@_1A B !Z" in text
        and not has_control(text.replace("\n", ""))
    )


def test_nothing_reaches_an_esc_pos_printer_as_a_command() -> None:
    paper = paper_for(80)
    stream = parse(text_job(receipt_blocks(hostile_receipt()), paper, codepage=21))
    assert stream.names().count("init") == 1  # the ESC @ in the id is not sent
    printed = b"\n".join(stream.text)
    assert b"ord@_1A B !Z" in printed and b"chrgd_2" in printed
    assert not any(byte < 0x20 for line in stream.text for byte in line)


def test_the_pdf_receipt_is_written(qtbot: QtBot, tmp_path: Path) -> None:
    settings = PrinterSettings(kind="pdf")
    receipts = ReceiptService(
        archive=ReceiptArchive.open(tmp_path / "archive.sqlite3"),
        printer=make_printer(settings, tmp_path / "data"),
        settings=settings,
        store=STORE,
        receipt=RECEIPT,
    )
    outcome = run(receipts.on_paid(hostile_order()))
    run(receipts.aclose())
    assert outcome.printed and outcome.record is not None
    text = extract_text(Path(outcome.record.output or "").read_bytes())
    assert "ord@_1A" in text and "\x1b" not in text


def poison_archive(path: Path) -> None:
    """Put the raw id back into an archived model, as an older kiosk stored it."""
    with sqlite3.connect(path) as db:
        (model,) = db.execute("SELECT model FROM receipts WHERE number = 1").fetchone()
        data = dict(json.loads(model), gateway_order_id=HOSTILE_ID, shop_name="Shop\x85\n")
        db.execute(
            "UPDATE receipts SET model = ? WHERE number = 1",
            (json.dumps(data, ensure_ascii=False),),
        )


def test_kiosk_reprint_of_an_old_archive_with_controls_prints(tmp_path: Path) -> None:
    data = tmp_path / "data"
    device = tmp_path / "lp0"
    config = f'[printer]\nkind = "file"\ndevice = "{device}"\n'
    settings = PrinterSettings(kind="file", device=str(device))
    receipts = ReceiptService(
        archive=ReceiptArchive.open(data / "receipts" / "archive.sqlite3"),
        printer=make_printer(settings, data),
        settings=settings,
        store=StoreSettings(),
        receipt=RECEIPT,
    )
    assert run(receipts.on_paid(hostile_order())).printed
    run(receipts.aclose())
    poison_archive(data / "receipts" / "archive.sqlite3")
    with sqlite3.connect(data / "receipts" / "archive.sqlite3") as db:
        (model,) = db.execute("SELECT model FROM receipts WHERE number = 1").fetchone()
    assert "\\u001b@" in model  # the archive does hold the raw id now
    result = kiosk("reprint", "1", data=data, config=config)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr and "reprint 1): printed" in result.stdout
    stream = parse(device.read_bytes())
    assert stream.rasters and stream.names().count("init") >= 1


def test_the_receipt_log_keeps_one_line_per_order(tmp_path: Path) -> None:
    register_secret("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl")
    order = replace(
        hostile_order(),
        failure_code="declined\tfor eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl\n",
        updated_at=datetime(2026, 11, 24, 3, 5, tzinfo=UTC),
    )
    log = ReceiptLog(tmp_path, shop_name="Shop\n2026-11-24T10:00:00\tFAKE")
    path = log.append(order)
    (line,) = path.read_text(encoding="utf-8").splitlines()
    fields = line.split("\t")
    assert len(fields) == 9 and not has_control(line.replace("\t", ""))
    assert fields[1] == "Shop 2026-11-24T10:00:00 FAKE"
    assert fields[6] == "gateway=ord@_1A B !Z" and fields[8] == "reason=declined for ***"


def test_z_report_and_test_page_blocks_are_clean() -> None:
    assert Line("a\x1b@b\u202e\nc").text == "a@b c"
    blocks = self_test_blocks(PrinterSettings(), "Shop\x1bd\x03", datetime(2026, 1, 1, tzinfo=UTC))
    first = blocks[0]
    assert isinstance(first, Line) and first.text == "Shopd"
