"""`kiosk charge` prints its receipt; `kiosk print-test` and `kiosk reprint`, as real processes."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from tests.receipts.escpos_stream import LoopbackPrinter, parse, refusing_port
from tests.test_cli import journal_rows, kiosk

SALE = """
[sandbox]
scenario = "pay"
pay_after_s = 0
[poll]
fast_s = 0.1
"""


def printer_config(kind: str, **values: object) -> str:
    lines = [f'kind = "{kind}"'] + [
        f"{key} = {value!r}".replace("'", '"') for key, value in values.items()
    ]
    return SALE + "[printer]\n" + "\n".join(lines) + "\n"


def archive_rows(data: Path) -> list[tuple[int, int, str]]:
    with sqlite3.connect(data / "receipts" / "archive.sqlite3") as db:
        return list(db.execute("SELECT number, copy, status FROM receipts ORDER BY id"))


def test_charge_prints_the_receipt_when_auto_print_is_always(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with LoopbackPrinter() as printer:
        config = printer_config("network", host="127.0.0.1", port=printer.port, paper_mm=58)
        result = kiosk("charge", "300", data=data, config=config)
        job = printer.wait_job()
    assert result.returncode == 0, result.stderr
    # The sandbox gateway: a TEST slip, in its own series.
    assert f"Receipt TEST-T01-000001: printed ({len(job) - 3} bytes to network" in result.stdout
    stream = parse(job)
    assert stream.image().width == 384 and ("cut", 0) in stream.commands
    assert journal_rows(data)[0][1] == "paid"
    assert archive_rows(data) == [(1, 0, "printed")]


def test_a_refused_printer_does_not_fail_the_sale_and_reprint_prints_it(tmp_path: Path) -> None:
    data = tmp_path / "data"
    blocked = refusing_port()
    port = blocked.getsockname()[1]
    config = printer_config("network", host="127.0.0.1", port=port)
    result = kiosk("charge", "120.50", "--json", data=data, config=config)
    assert result.returncode == 0, result.stderr  # paid: the printer does not change that
    assert '"status": "paid"' in result.stdout
    assert "Receipt TEST-T01-000001: NOT printed" in result.stderr
    assert "kiosk reprint TEST-T01-000001" in result.stderr
    assert archive_rows(data) == [(1, 0, "failed")]

    unreachable = kiosk("reprint", "TEST-T01-000001", data=data, config=config)
    assert unreachable.returncode == 5 and "NOT printed" in unreachable.stderr
    blocked.close()
    with LoopbackPrinter(port=port) as printer:
        again = kiosk("reprint", "test-t01-000001", data=data, config=config)
        stream = parse(printer.wait_job())
    assert again.returncode == 0, again.stderr
    assert "Receipt TEST-T01-000001 (reprint 2): printed" in again.stdout
    assert stream.rasters
    assert archive_rows(data) == [(1, 0, "failed"), (1, 1, "failed"), (1, 2, "printed")]
    missing = kiosk("reprint", "T01-000001", data=data, config=config)  # not the TEST series
    assert missing.returncode == 2 and "no receipt T01-000001" in missing.stderr


def test_print_test_to_a_device_file(tmp_path: Path) -> None:
    device = tmp_path / "lp0"
    result = kiosk(
        "print-test", data=tmp_path / "data", config=printer_config("file", device=str(device))
    )
    assert result.returncode == 0, result.stderr
    assert "Test page: printed" in result.stdout
    stream = parse(device.read_bytes())
    assert stream.image().width == 576 and stream.commands[-1] == ("cut", 0)
    nothing = kiosk("print-test", data=tmp_path / "data", config=SALE)
    assert nothing.returncode == 2 and "No receipt printer is set up" in nothing.stderr


def test_charge_writes_a_pdf_receipt_without_a_display(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.delenv("DISPLAY", raising=False)
    data = tmp_path / "data"
    result = kiosk("charge", "300", data=data, config=printer_config("pdf", paper_mm=80))
    assert result.returncode == 0, result.stderr
    pdf = data / "receipts" / "pdf" / "receipt-TEST-T01-000001.pdf"
    assert pdf.read_bytes().startswith(b"%PDF") and str(pdf) in result.stdout
    assert "QT_QPA_PLATFORM" not in os.environ
