"""`kiosk tax-invoice` and `kiosk report --tax` as real processes (issue 17)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.test_cli import kiosk

ABB = (
    "[sandbox]\npay_after_s = 0\n"
    '[receipt]\ntax_invoice = "abb"\npos_id = "E0512345"\ntax_id = "0105561234567"\n'
)
BUYER = ("--name", "บริษัท ตัวอย่าง จำกัด", "--address", "99 ถนนสีลม กรุงเทพฯ")


def charge(data: Path, config: str, amount: str = "300") -> str:
    result = kiosk("charge", amount, "--json", data=data, config=config)
    assert result.returncode == 0, result.stderr
    order_id: str = json.loads(result.stdout)["kiosk_order_id"]
    return order_id


@pytest.mark.slow
def test_tax_invoice_writes_its_pdf_and_a_second_request_is_a_copy(tmp_path: Path) -> None:
    data = tmp_path / "data"
    order_id = charge(data, ABB)
    first = kiosk(
        "tax-invoice", order_id, *BUYER, "--tax-id", "1101700207030", "--json",
        data=data, config=ABB,
    )  # fmt: skip
    assert first.returncode == 0, first.stderr
    record = json.loads(first.stdout)
    # The embedded sandbox's sales are test sales: their own TEST series.
    assert record["number"] == "TEST-INV-T01-000001" and record["copy"] == 0
    assert record["replaces"] == "TEST-ABB-T01-000001" and record["vat"] == "19.63"
    pdf = Path(record["pdf"])
    assert pdf == data / "invoices" / "TEST-INV-T01-000001.pdf" and pdf.exists()
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "ใบกำกับภาษี" in text and "ทดสอบ — ไม่ใช่ใบเสร็จ" in text and "300.00 บาท" in text
    again = kiosk(
        "tax-invoice", order_id, *BUYER, "--tax-id", "1101700207030", data=data, config=ABB
    )
    assert again.returncode == 0, again.stderr
    assert "TEST-INV-T01-000001 (COPY 1)" in again.stdout
    assert (data / "invoices" / "TEST-INV-T01-000001-copy-1.pdf").exists()


@pytest.mark.slow
def test_tax_invoice_refusals_exit_2(tmp_path: Path) -> None:
    data = tmp_path / "data"
    order_id = charge(data, ABB)
    bad_id = kiosk(
        "tax-invoice", order_id, *BUYER, "--tax-id", "1101700207031", data=data, config=ABB
    )
    assert bad_id.returncode == 2 and "tax id" in bad_id.stderr
    off = "[sandbox]\npay_after_s = 0\n"
    none_mode = kiosk(
        "tax-invoice", order_id, *BUYER, "--tax-id", "1101700207030", data=data, config=off
    )
    assert none_mode.returncode == 2 and "tax_invoice" in none_mode.stderr
    declined = '[sandbox]\nscenario = "decline"\n' + ABB.removeprefix(
        "[sandbox]\npay_after_s = 0\n"
    )
    result = kiosk("charge", "50", "--json", data=data, config=declined)
    unpaid_id = json.loads(result.stdout)["kiosk_order_id"]
    unpaid = kiosk(
        "tax-invoice", unpaid_id, *BUYER, "--tax-id", "1101700207030", data=data, config=ABB
    )
    assert unpaid.returncode == 2 and "Traceback" not in unpaid.stderr
    assert not (data / "invoices").exists()


def test_report_tax_needs_a_month_and_reads_an_empty_month(tmp_path: Path) -> None:
    data = tmp_path / "data"
    no_journal = kiosk("report", "--tax", "--month", "2026-12", data=data)
    assert no_journal.returncode == 2
    no_month = kiosk("report", "--tax", data=data)
    assert no_month.returncode == 2 and "--month" in no_month.stderr
