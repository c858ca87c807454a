"""The sales-tax report for the accountant (รายงานภาษีขาย): a month's abbreviated tax invoices.

``kiosk report --tax --month YYYY-MM [--format csv|json]``: one row per
Bangkok day and terminal with the first and last abbreviated-tax-invoice
number, how many, their total, VAT and net. The figures are the ones each
invoice was issued with (its journaled detail: VAT part and rate), never
recomputed. Sandbox invoices (TEST-ABB) are not sales and are left out.
Dates in the CSV/JSON are ISO (common era).
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from kiosk.domain.documents import Series, number_text
from kiosk.domain.errors import InputError, Text
from kiosk.domain.money import Money
from kiosk.domain.order import BANGKOK
from kiosk.domain.vat import parse_rate, vat_included
from kiosk.store.journal import Journal

COLUMNS = ("day", "terminal", "first", "last", "count", "total", "vat", "net")
_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")  # ASCII: \d would take ๒๕๖๙ and ２０２６
BE_YEARS = 2400  # a year from here on is Buddhist era (CE + 543): CE 1857, long before any sale
BOM = "\ufeff"  # Excel reads UTF-8 only with it (as the day's CSV)


def parse_month(text: str) -> tuple[int, int]:
    """``2026-12`` -> (2026, 12); InputError (exit 2) otherwise."""
    m = _MONTH.fullmatch(text.strip())
    if m is None or not 1 <= int(m[2]) <= 12 or int(m[1]) < 1:
        raise InputError(
            f"not a month YYYY-MM: {text!r}",
            text=Text("Give the month as YYYY-MM, e.g. 2026-12.", "ระบุเดือนเป็น ปปปป-ดด เช่น 2026-12"),
        )
    year, month = int(m[1]), int(m[2])
    if year >= BE_YEARS:  # an empty report of a month nobody meant would be filed as nil
        ce = f"{year - 543:04d}-{month:02d}"
        raise InputError(
            f"Buddhist-era year in {text!r}",
            text=Text(
                f"Give the month with the Christian-era year: {ce}, not {text.strip()}.",
                f"ระบุเดือนเป็นปี ค.ศ.: {ce} ไม่ใช่ {text.strip()}",
            ),
        )
    return year, month


@dataclass
class TaxDay:
    """One day's abbreviated tax invoices of one terminal."""

    day: date
    terminal: str
    prefix: str
    first: int
    last: int
    count: int = 0
    total: int = 0  # satang, VAT included
    vat: int = 0

    def record(self) -> dict[str, Any]:
        return {
            "day": self.day.isoformat(),
            "terminal": self.terminal,
            "first": number_text(self.prefix, self.first),
            "last": number_text(self.prefix, self.last),
            "count": self.count,
            "total": Money(self.total).plain(),
            "vat": Money(self.vat).plain(),
            "net": Money(self.total - self.vat).plain(),
        }


def _vat_of(detail: dict[str, Any], amount: int) -> int:
    if "vat_satang" in detail:
        return int(detail["vat_satang"])
    # An invoice without its VAT part (should not happen): its own stored rate, else none.
    rate = detail.get("vat_rate")
    return vat_included(Money(amount), parse_rate(rate)).vat.satang if rate else 0


def tax_days(journal: Journal, month: str) -> list[TaxDay]:
    """The month's rows, by day then terminal."""
    year, mon = parse_month(month)
    with journal.read("the sales-tax report") as db:
        rows = db.execute(
            "SELECT d.prefix, d.number, d.issued_at, d.detail, o.amount_satang, o.terminal_id"
            " FROM documents d JOIN orders o ON o.kiosk_order_id = d.kiosk_order_id"
            " WHERE d.kind = ? AND d.copy = 0 ORDER BY d.number",
            (Series.ABB.value,),
        ).fetchall()
    days: dict[tuple[date, str], TaxDay] = {}
    for prefix, number, issued_at, detail_text, amount, terminal in rows:
        day = datetime.fromisoformat(issued_at).astimezone(BANGKOK).date()
        if (day.year, day.month) != (year, mon):
            continue
        detail = json.loads(detail_text or "{}")
        amount = int(detail.get("amount_satang", amount))
        key = (day, str(terminal))
        row = days.setdefault(key, TaxDay(day, str(terminal), str(prefix), number, number))
        row.first, row.last = min(row.first, number), max(row.last, number)
        row.count += 1
        row.total += amount
        row.vat += _vat_of(detail, amount)
    return [days[key] for key in sorted(days)]


def tax_report_bytes(journal: Journal, month: str, fmt: str) -> bytes:
    records = [row.record() for row in tax_days(journal, month)]
    if fmt == "json":
        return (json.dumps(records, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(records)
    return buffer.getvalue().encode("utf-8")


__all__ = ["COLUMNS", "TaxDay", "parse_month", "tax_days", "tax_report_bytes"]
