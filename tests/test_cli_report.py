"""`kiosk report`: the same bytes as the manager's CSV export, or the charge --json records."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kiosk.app import cli
from kiosk.domain.order import Method, OrderState
from kiosk.services.records import order_record
from kiosk.services.reports import OrderFilter, Reports, StatusGroup, csv_bytes
from kiosk.store.journal import Journal
from tests.journal_data import DAY, a_day_of_sales
from tests.processes import clean_env, run_kiosk

S = OrderState


@pytest.fixture
def data(tmp_path: Path) -> Path:
    folder = tmp_path / "data"  # KIOSK_DATA_DIR (tests/conftest.py)
    with Journal.open(folder / "journal.sqlite3") as journal:
        a_day_of_sales(journal)
    return folder


def expected_csv(data: Path, where: OrderFilter) -> bytes:
    with Journal.open(data / "journal.sqlite3") as journal:
        return csv_bytes(Reports(journal).orders(DAY, where))


def report(capsysbinary: pytest.CaptureFixture[bytes], *args: str) -> tuple[int, bytes, str]:
    code = cli.main(["report", *args])
    out, err = capsysbinary.readouterr()
    return code, out, err.decode("utf-8")


def test_csv_equals_the_export_for_the_same_filter(
    data: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    code, out, _ = report(capsysbinary, "--date", "2026-11-24")
    assert code == 0 and out == expected_csv(data, OrderFilter())
    assert out.startswith("\ufeffkiosk_order_id,".encode())
    where = OrderFilter(
        groups=frozenset({StatusGroup.PAID, StatusGroup.FAILED}),
        methods=frozenset({Method.QR}),
        search="12",
    )
    code, out, _ = report(
        capsysbinary,
        *("--date", "2026-11-24", "--status", "paid,failed", "--method", "qr", "--search", "12"),
    )
    assert code == 0 and out == expected_csv(data, where)
    assert out.decode("utf-8-sig").count("\r\n") == 1 + 2  # header, ฿12 failed, order 12


def test_json_is_an_array_of_charge_records(
    data: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    code, out, _ = report(capsysbinary, "--date", "2026-11-24", "--format", "json")
    records = json.loads(out)
    with Journal.open(data / "journal.sqlite3") as journal:
        orders = Reports(journal).orders(DAY)
    assert code == 0 and records == [order_record(o) for o in orders]
    assert set(records[0]) == set(order_record(orders[0]))
    assert "ธนาคารปฏิเสธรายการ" in out.decode("utf-8")


def test_another_day_is_empty_and_bad_input_exits_2(
    data: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    code, out, _ = report(capsysbinary, "--date", "2026-11-01", "--format", "json")
    assert code == 0 and json.loads(out) == []
    code, out, err = report(capsysbinary, "--date", "24/11/2026")
    assert code == 2 and out == b"" and "YYYY-MM-DD" in err
    code, out, err = report(capsysbinary, "--status", "refunded")
    assert code == 2 and "Unknown status" in err


def test_no_journal_exits_2(tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    code, out, err = report(capsysbinary)
    assert code == 2 and out == b"" and "no journal" in err
    assert not (tmp_path / "data" / "journal.sqlite3").exists()


def test_the_real_command_prints_the_same_bytes(data: Path) -> None:
    result = run_kiosk(
        "report", "--date", "2026-11-24", env=clean_env(KIOSK_DATA_DIR=str(data)), text=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == expected_csv(data, OrderFilter())
