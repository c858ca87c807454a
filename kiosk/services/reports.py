"""The manager's figures without Qt: a day's orders under a filter, totals, CSV and JSON.

One filter (``OrderFilter``) decides which orders a manager sees, for the
screen's table, its CSV export and ``kiosk report`` alike, so the three
cannot disagree. Exports hold the order record of ``kiosk charge --json``
(``order_record``): same keys, same values, in time order.

CSV is UTF-8 with a byte-order mark (so Excel opens Thai correctly), one
header row of the record's keys, ``true``/``false`` for flags (as in JSON)
and empty cells for missing values. A text cell that a spreadsheet would run
as a formula (starting with ``= + - @``, tab or CR) gets a leading
apostrophe: the gateway's messages and ids are not ours to trust. The last
column, ``attention``, is one cell, not the JSON object: the flag's reason
code and what became of it, ``paid_amount_mismatch (open)`` or
``paid_amount_mismatch (refunded)``; empty for a sale never flagged (the
JSON report keeps the whole record, raw fields included).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

from kiosk.domain.errors import InputError, Text
from kiosk.domain.money import Money, parse_amount
from kiosk.domain.order import BANGKOK, Method, Order, OrderState, business_day, order_number
from kiosk.domain.reports import PENDING_STATES, DayTotals, OrderMark, Tally
from kiosk.services.records import order_record
from kiosk.store.journal import Journal
from kiosk.store.reports import ReportStore, StoredZReport, check_day

S = OrderState
BOM = "\ufeff"
# The columns of the CSV: exactly the keys of the JSON order record.
CSV_COLUMNS: tuple[str, ...] = tuple(
    order_record(Order("", Money(0), Method.QR, datetime(2000, 1, 1, tzinfo=UTC)))
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMERIC_COLUMNS = frozenset({"amount"})
MIN_DIGITS_INSIDE_IDS = 6


class StatusGroup(StrEnum):
    """What a manager filters by: a sale's outcome (pending = not final yet)."""

    PAID = "paid"
    PENDING = "pending"
    EXPIRED = "expired"
    CANCELLED = "cancelled"
    FAILED = "failed"

    @property
    def states(self) -> frozenset[OrderState]:
        if self is StatusGroup.PENDING:
            return PENDING_STATES
        return frozenset({OrderState(self.value)})

    @classmethod
    def of(cls, state: OrderState) -> StatusGroup:
        return cls.PENDING if state in PENDING_STATES else cls(state.value)


@dataclass(frozen=True)
class SearchQuery:
    """What the manager typed: an order number, an amount, or part of an id.

    - digits only (``7``, ``0007``): the order with that number of the day
      (the ``0007`` after the date in the kiosk order id), or that amount in baht;
    - an amount (``45.50``, ``฿1,234.50``): orders of exactly that amount;
    - anything else, and digit runs of 6 or more: part of the kiosk order id,
      of a gateway id or of the sale reference (case-insensitive);
    - the whole sale reference (the main till's bill number), however short.

    Short digit runs are not matched inside ids: every id of the day holds
    its date, so "12" would match them all.
    """

    text: str = ""
    amount: Money | None = None
    seq: int | None = None

    @classmethod
    def parse(cls, text: str) -> SearchQuery:
        text = text.strip()
        try:
            amount: Money | None = parse_amount(text) if text else None
        except InputError:
            amount = None
        if amount is not None and amount.satang <= 0:
            amount = None
        seq = int(text) if text.isascii() and text.isdigit() and int(text) > 0 else None
        return cls(text.casefold(), amount, seq)

    def matches(self, order: Order) -> bool:
        if not self.text:
            return True
        if order.sale_ref and order.sale_ref.casefold() == self.text:
            return True  # a bill number, however short: the one the customer shows
        if self.amount is not None and order.amount == self.amount:
            return True
        if self.seq is not None:
            if order_number(order.kiosk_order_id) == self.seq:
                return True
            if len(self.text) < MIN_DIGITS_INSIDE_IDS:
                return False
        ids = (
            order.kiosk_order_id,
            order.gateway_order_id,
            order.gateway_charge_id,
            order.reference_order,
            order.sale_ref,
        )
        return any(value and self.text in value.casefold() for value in ids)


@dataclass(frozen=True)
class OrderFilter:
    """Status groups and methods (empty = all) and a search; ``accepts`` decides."""

    groups: frozenset[StatusGroup] = frozenset()
    methods: frozenset[Method] = frozenset()
    search: str = ""
    query: SearchQuery = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "query", SearchQuery.parse(self.search))

    @property
    def states(self) -> frozenset[OrderState] | None:
        if not self.groups:
            return None
        return frozenset(s for group in self.groups for s in group.states)

    def accepts(self, order: Order) -> bool:
        states = self.states
        if states is not None and order.state not in states:
            return False
        if self.methods and order.method not in self.methods:
            return False
        return self.query.matches(order)

    @property
    def is_empty(self) -> bool:
        return not (self.groups or self.methods or self.query.text)

    def slug(self) -> str:
        """A short file-name part naming the filter ("" for none)."""
        parts = [*sorted(g.value for g in self.groups), *sorted(m.value for m in self.methods)]
        if self.query.text:
            safe = "".join(c for c in self.query.text if c.isalnum() or c in ".-")
            parts.append(f"search-{safe[:20]}")
        return "-".join(parts)


# --- days


def today(now: datetime) -> str:
    """The Bangkok business day of ``now`` (``YYYYMMDD``)."""
    return business_day(now)


def day_of_date(value: date) -> str:
    # Zero-padded by hand: strftime("%Y") gives "999", not "0999", on Linux.
    return f"{value.year:04d}{value.month:02d}{value.day:02d}"


def date_of_day(day: str) -> date:
    check_day(day)
    return date(int(day[:4]), int(day[4:6]), int(day[6:]))


# The days a report may ask for: no kiosk sold before 2000 (a typed "0206" or
# "206" for 2026 is a typing error to point out, not an empty day).
FIRST_DAY = date(2000, 1, 1)


def parse_date(text: str) -> str:
    """``YYYY-MM-DD`` (as typed on the command line) to a business day; InputError if not.

    Refused: anything but exactly ``YYYY-MM-DD``, days that do not exist
    (2026-02-30) and days before ``FIRST_DAY``.
    """
    typed = text.strip()
    try:
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", typed):
            raise ValueError(text)  # fromisoformat also takes 20261124 or 2026-W48-2
        value = date.fromisoformat(typed)
    except ValueError:
        raise InputError(
            f"not a date: {text!r}",
            text=Text(
                f"'{text}' is not a date; use YYYY-MM-DD, e.g. 2026-11-24.",
                f"'{text}' ไม่ใช่วันที่ กรุณาใช้รูปแบบ ปปปป-ดด-วว เช่น 2026-11-24",
            ),
        ) from None
    if value < FIRST_DAY:
        first = FIRST_DAY.isoformat()
        raise InputError(
            f"date out of range: {text!r}",
            text=Text(
                f"'{text}' is before {first}: no sale can be on that day.",
                f"'{text}' อยู่ก่อน {first} ไม่มีรายการขายในวันนั้น",
            ),
        )
    return day_of_date(value)


def day_label(day: str) -> str:
    """``2026-11-24`` for a business day."""
    return date_of_day(day).isoformat()


def local_time(at: datetime) -> str:
    """Bangkok wall-clock time, ``14:05:09``."""
    return at.astimezone(BANGKOK).strftime("%H:%M:%S")


# --- the reports


class Reports:
    """What the manager's screen and ``kiosk report`` ask of the journal."""

    def __init__(self, journal: Journal, *, sandbox: bool | None = None) -> None:
        self.store = ReportStore(journal, sandbox=sandbox)  # totals of that kind only

    def orders(self, day: str, where: OrderFilter | None = None) -> list[Order]:
        """The day's orders the filter accepts, in time order."""
        where = where or OrderFilter()
        rows = self.store.orders(day, states=where.states, methods=where.methods or None)
        if not where.query.text:
            return rows
        return [order for order in rows if where.query.matches(order)]

    def totals(self, day: str) -> DayTotals:
        return self.store.totals(day)

    def hourly_paid(self, day: str) -> list[int]:
        return self.store.hourly_paid(day)

    def first_and_last(self, day: str) -> tuple[OrderMark | None, OrderMark | None]:
        return self.store.first_and_last(day)


# --- exports


def csv_cell(column: str, value: Any) -> str:
    """One CSV cell of an order record value."""
    if value is None:
        return ""
    if column == "attention" and isinstance(value, dict):
        return f"{value['reason']} ({value.get('outcome') or 'open'})"
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if column not in _NUMERIC_COLUMNS and text.startswith(_FORMULA_START):
        return "'" + text
    return text


def csv_row(order: Order) -> list[str]:
    record = order_record(order)
    return [csv_cell(column, record[column]) for column in CSV_COLUMNS]


def csv_text(orders: Iterable[Order]) -> str:
    """The CSV export, BOM first; ``\\r\\n`` line ends (RFC 4180, what Excel writes)."""
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(csv_row(order) for order in orders)
    return buffer.getvalue()


def csv_bytes(orders: Iterable[Order]) -> bytes:
    return csv_text(orders).encode("utf-8")


def json_text(orders: Iterable[Order]) -> str:
    """An array of order records, as ``kiosk charge --json`` prints one."""
    return json.dumps([order_record(order) for order in orders], ensure_ascii=False, indent=2)


def write_atomically(path: Path, data: bytes) -> Path:
    """Write ``data`` to ``path`` via a temporary file: a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.partial")
    with partial.open("wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    partial.replace(path)
    return path


def report_bytes(reports: Reports, day: str, where: OrderFilter, fmt: str) -> bytes:
    """``kiosk report``'s output: the CSV export's bytes, or the JSON array (and a newline)."""
    orders = reports.orders(day, where)
    if fmt == "json":
        return (json_text(orders) + "\n").encode("utf-8")
    if fmt == "csv":
        return csv_bytes(orders)
    raise ValueError(f"unknown report format {fmt!r}")


def parse_groups(text: str) -> frozenset[StatusGroup]:
    """``paid,pending`` to status groups; InputError naming the known ones."""
    groups: set[StatusGroup] = set()
    for part in (p.strip().lower() for p in text.split(",")):
        if not part:
            continue
        try:
            groups.add(StatusGroup(part))
        except ValueError:
            known = ", ".join(g.value for g in StatusGroup)
            raise InputError(
                f"unknown status {part!r}",
                text=Text(
                    f"Unknown status '{part}'. Known: {known}.",
                    f"ไม่รู้จักสถานะ '{part}' ที่ใช้ได้: {known}",
                ),
            ) from None
    return frozenset(groups)


def export_name(day: str, where: OrderFilter) -> str:
    slug = where.slug()
    return f"orders-{day_label(day)}{'-' + slug if slug else ''}.csv"


__all__ = [
    "BOM",
    "CSV_COLUMNS",
    "DayTotals",
    "OrderFilter",
    "OrderMark",
    "Reports",
    "SearchQuery",
    "StatusGroup",
    "StoredZReport",
    "Tally",
    "csv_bytes",
    "csv_cell",
    "csv_text",
    "day_label",
    "day_of_date",
    "export_name",
    "json_text",
    "local_time",
    "parse_date",
    "parse_groups",
    "report_bytes",
    "today",
    "write_atomically",
]
