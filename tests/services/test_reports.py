"""One filter for screen, export and CLI; CSV that round-trips with Thai intact."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.domain.errors import InputError
from kiosk.domain.money import Money
from kiosk.domain.order import Method, Order, OrderState, order_number
from kiosk.domain.thaidate import iso_local
from kiosk.services.records import order_record
from kiosk.services.reports import (
    BOM,
    CSV_COLUMNS,
    OrderFilter,
    Reports,
    SearchQuery,
    StatusGroup,
    csv_bytes,
    csv_cell,
    day_of_date,
    export_name,
    json_text,
    parse_date,
    parse_groups,
    report_bytes,
    today,
)
from kiosk.store.journal import Journal
from tests.journal_data import DAY, T0, sell

S = OrderState
THAI = "ธนาคารปฏิเสธรายการ (บัตรถูกระงับ)"


def ids(orders: list[Order]) -> list[str]:
    return [f"{order_number(o.kiosk_order_id):04d}" for o in orders]


def test_csv_columns_are_the_json_record_keys(day: list[Order]) -> None:
    assert list(CSV_COLUMNS) == list(order_record(day[0]))
    assert "kiosk_order_id" in CSV_COLUMNS and "status" in CSV_COLUMNS


def test_filters_by_status_group_method_and_search(journal: Journal, day: list[Order]) -> None:
    reports = Reports(journal)
    assert len(reports.orders(DAY)) == 12
    paid = reports.orders(DAY, OrderFilter(groups=frozenset({StatusGroup.PAID})))
    assert ids(paid) == ["0001", "0002", "0005", "0007", "0008", "0011", "0012"]
    pending = reports.orders(DAY, OrderFilter(groups=frozenset({StatusGroup.PENDING})))
    assert [o.state for o in pending] == [S.AWAITING_PAYMENT, S.NEW]
    wechat = reports.orders(DAY, OrderFilter(methods=frozenset({Method.WECHAT})))
    assert ids(wechat) == ["0002", "0008"]
    # An amount matches exactly; a number names the order of the day.
    assert ids(reports.orders(DAY, OrderFilter(search="300"))) == ["0001", "0008", "0012"]
    assert ids(reports.orders(DAY, OrderFilter(search="฿1,234.50"))) == ["0005"]
    assert ids(reports.orders(DAY, OrderFilter(search="7"))) == ["0007"]
    assert ids(reports.orders(DAY, OrderFilter(search="0007"))) == ["0007"]
    # "12": order 12, or ฿12 (not every id: they all hold the date 20261124).
    assert ids(reports.orders(DAY, OrderFilter(search="12"))) == ["0006", "0012"]
    # Text, and long digit runs, match inside the kiosk and gateway ids.
    assert ids(reports.orders(DAY, OrderFilter(search="-0007"))) == ["0007"]
    assert ids(reports.orders(DAY, OrderFilter(search="ORDER_0003"))) == ["0003"]
    assert len(reports.orders(DAY, OrderFilter(search="20261124"))) == 12
    both = OrderFilter(
        groups=frozenset({StatusGroup.PAID}), methods=frozenset({Method.QR}), search="300"
    )
    assert ids(reports.orders(DAY, both)) == ["0001", "0012"]
    assert ids(reports.orders(DAY, OrderFilter(search="s001-t01-20261124-0011"))) == ["0011"]
    assert reports.orders(DAY, OrderFilter(search="no such thing")) == []


def test_the_filter_decides_alike_in_sql_and_in_python(journal: Journal, day: list[Order]) -> None:
    reports = Reports(journal)
    every = reports.orders(DAY)
    for where in (
        OrderFilter(groups=frozenset({StatusGroup.EXPIRED, StatusGroup.CANCELLED})),
        OrderFilter(methods=frozenset({Method.QR}), search="12"),
        OrderFilter(groups=frozenset({StatusGroup.FAILED}), search="0006"),
    ):
        assert reports.orders(DAY, where) == [o for o in every if where.accepts(o)]


def test_search_query() -> None:
    assert SearchQuery.parse("  ") == SearchQuery("", None, None)
    assert SearchQuery.parse("0042") == SearchQuery("0042", Money(4200), 42)
    assert SearchQuery.parse("300").amount == Money(30000)
    assert SearchQuery.parse("45.5").amount == Money(4550)
    assert SearchQuery.parse("S001-T01").amount is None
    assert SearchQuery.parse("-5").amount is None and SearchQuery.parse("0").amount is None


def test_csv_round_trips_through_the_csv_module_with_thai_intact(
    journal: Journal, day: list[Order], tmp_path: Path
) -> None:
    orders = Reports(journal).orders(DAY)
    data = csv_bytes(orders)
    assert data.startswith(BOM.encode("utf-8"))  # Excel needs it to read UTF-8
    path = tmp_path / "export.csv"
    path.write_bytes(data)
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == len(orders) == 12
    for row, order in zip(rows, orders, strict=True):
        record = order_record(order)
        assert list(row) == list(record)
        assert row == {k: csv_cell(k, v) for k, v in record.items()}
    failed = next(r for r in rows if r["status"] == "failed")
    assert failed["failure_message"] == THAI
    assert rows[0]["amount"] == "300.00" and rows[0]["late"] == "false"
    assert next(r for r in rows if r["late"] == "true")["status"] == "paid"


def test_csv_defuses_spreadsheet_formulas(journal: Journal) -> None:
    order = sell(
        journal, T0, 10, outcome=S.FAILED, failure_message='=HYPERLINK("http://x","ยกเลิก")'
    )
    (row,) = list(csv.DictReader(io.StringIO(csv_bytes([order]).decode("utf-8-sig"))))
    assert row["failure_message"] == '\'=HYPERLINK("http://x","ยกเลิก")'
    assert csv_cell("amount", "-1.00") == "-1.00"  # numbers are left as numbers


def test_json_report_is_an_array_of_charge_records(journal: Journal, day: list[Order]) -> None:
    where = OrderFilter(groups=frozenset({StatusGroup.PAID}))
    data = report_bytes(Reports(journal), DAY, where, "json")
    records = json.loads(data)
    orders = Reports(journal).orders(DAY, where)
    assert records == [order_record(o) for o in orders]
    assert data.decode("utf-8") == json_text(orders) + "\n"
    assert report_bytes(Reports(journal), DAY, where, "csv") == csv_bytes(orders)
    assert THAI in report_bytes(Reports(journal), DAY, OrderFilter(), "json").decode("utf-8")


def test_dates_and_days() -> None:
    assert parse_date("2026-11-24") == "20261124"
    assert parse_date(" 2000-01-01 ") == "20000101"
    bad_dates = ("24/11/2026", "2026-13-01", "20261124", "tomorrow", "2026-1-5", "2026-W48-2")
    out_of_range = ("0999-01-01", "0001-01-01", "1999-12-31", "2026-02-30", "99999-01-01")
    for bad in bad_dates + out_of_range:
        with pytest.raises(InputError) as caught:
            parse_date(bad)
        assert bad.strip() in caught.value.text.en and bad.strip() in caught.value.text.th
    assert day_of_date(date(999, 1, 2)) == "09990102"  # eight digits, as the journal keeps days
    # 23:30 UTC on the 23rd is already the 24th in Bangkok.
    assert today(T0.replace(day=23, hour=23, minute=30)) == "20261124"
    assert today(T0 - timedelta(hours=10, seconds=1)) == "20261123"  # 23:59:59


def test_status_groups_from_text() -> None:
    assert parse_groups("") == frozenset()
    assert parse_groups("paid, Pending") == {StatusGroup.PAID, StatusGroup.PENDING}
    with pytest.raises(InputError, match="refunded"):
        parse_groups("paid,refunded")
    assert StatusGroup.of(S.CREATING) is StatusGroup.PENDING
    assert StatusGroup.of(S.EXPIRED) is StatusGroup.EXPIRED


def test_export_file_names_say_the_day_and_filter() -> None:
    assert export_name(DAY, OrderFilter()) == "orders-2026-11-24.csv"
    where = OrderFilter(
        groups=frozenset({StatusGroup.PAID}), methods=frozenset({Method.QR}), search="../300"
    )
    assert export_name(DAY, where) == "orders-2026-11-24-paid-qr-search-..300.csv"


TIME_COLUMNS = ("created_at", "updated_at", "expires_at", "paid_at")


def test_csv_and_json_times_are_bangkok_with_the_offset_and_the_same_instant(
    journal: Journal, day: list[Order]
) -> None:
    orders = Reports(journal).orders(DAY)
    rows = list(csv.DictReader(io.StringIO(csv_bytes(orders).decode("utf-8-sig"))))
    records = json.loads(json_text(orders))
    seen = 0
    for order, row, record in zip(orders, rows, records, strict=True):
        for column in TIME_COLUMNS:
            instant = getattr(order, column)
            if instant is None:
                assert row[column] == "" and record[column] is None
                continue
            assert row[column] == record[column] and record[column].endswith("+07:00")
            assert datetime.fromisoformat(record[column]) == instant  # the same instant
            seen += 1
    assert seen >= 3 * len(orders)
    flagged = sell(journal, T0, 10, outcome=S.FAILED)
    assert order_record(flagged)["created_at"] == iso_local(flagged.created_at)
