"""``kiosk report --store``: one day's orders of every counter, from the store database.

The rows come from the view ``kiosk_store.orders`` (each order's row rebuilt
from its synced status changes), are read back into the domain's ``Order``
(text from the database is outside data: an unreadable row is skipped and
logged, never printed as it is) and written with the counter report's
columns (``kiosk.services.reports``) plus ``terminal_id``. Sandbox sales are
never in the database, so never here.
"""

from __future__ import annotations

import csv
import io
import json
import logging
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from kiosk.domain.attention import Attention, Outcome, Reason
from kiosk.domain.money import Money
from kiosk.domain.order import Method, Order, OrderState
from kiosk.services.records import order_record
from kiosk.services.reports import BOM, CSV_COLUMNS, OrderFilter, csv_cell
from kiosk.store.storedb.client import StoreDb

log = logging.getLogger("kiosk.store_report")

STORE_COLUMNS = (*CSV_COLUMNS, "terminal_id")
_SELECT = (
    "SELECT kiosk_order_id, terminal_id, amount_satang, currency, method, description, state,"
    " late, created_at, updated_at, ttl_s, gateway_expires_at, gateway_order_id,"
    " gateway_charge_id, reference_order, failure_code, failure_message, paid_at,"
    " attention_reason, attention_raw, attention_raised_at, attention_cleared_at,"
    " attention_outcome, attention_note"
    " FROM kiosk_store.orders WHERE business_day = %s"
    " ORDER BY created_at, terminal_id, kiosk_order_id"
)

StoreOrder = tuple[str, Order]  # (terminal id, the order)


def store_orders(db: StoreDb, day: str, where: OrderFilter | None = None) -> list[StoreOrder]:
    """Every counter's orders of ``day`` (``YYYYMMDD``) the filter accepts, in time order."""
    where = where or OrderFilter()
    found: list[StoreOrder] = []
    for row in db.query(_SELECT, (day,)):
        try:
            terminal, order = _order(row)
        except (ValueError, TypeError, KeyError) as exc:
            log.warning("an unreadable order row in the store database skipped: %s", exc)
            continue
        if where.accepts(order):
            found.append((terminal, order))
    return found


def _order(row: tuple[Any, ...]) -> StoreOrder:
    (order_id, terminal, satang, currency, method, description, state, late, created,
     updated, ttl_s, expires, gw_order, gw_charge, reference, failure_code, failure_message,
     paid_at, reason, raw, raised, cleared, outcome, note) = row  # fmt: skip
    attention = None
    if reason is not None:
        attention = Attention(
            kiosk_order_id=str(order_id),
            reason=Reason(reason),
            raised_at=_time(raised),
            raw=_raw_fields(raw),
            cleared_at=cleared,
            outcome=Outcome(outcome) if outcome is not None else None,
            note=note or "",
        )
    order = Order(
        kiosk_order_id=str(order_id),
        amount=Money(int(satang)),
        method=Method(method),
        created_at=_time(created),
        state=OrderState(state),
        currency=str(currency),
        description=description or "",
        late=bool(late),
        updated_at=updated,
        ttl_s=ttl_s,
        gateway_expires_at=expires,
        gateway_order_id=gw_order,
        gateway_charge_id=gw_charge,
        reference_order=reference,
        failure_code=failure_code,
        failure_message=failure_message,
        paid_at=paid_at,
        attention=attention,
    )
    return str(terminal), order


def _raw_fields(raw: object) -> tuple[tuple[str, str], ...]:
    """A flag's gateway fields; none when another counter sent something that is no object."""
    try:
        fields = json.loads(str(raw)) if raw else {}
    except (ValueError, RecursionError):
        return ()
    if not isinstance(fields, dict):
        return ()
    return tuple((str(k), str(v)) for k, v in sorted(fields.items()))


def _time(value: object) -> datetime:
    if not isinstance(value, datetime):
        raise ValueError(f"not a time: {value!r}")
    return value


def store_report_bytes(rows: Iterable[StoreOrder], fmt: str) -> bytes:
    """The counter report's CSV (BOM, CRLF) or JSON array, each order with its terminal."""
    records = [{**order_record(order), "terminal_id": terminal} for terminal, order in rows]
    if fmt == "json":
        return (json.dumps(records, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    if fmt != "csv":
        raise ValueError(f"unknown report format {fmt!r}")
    buffer = io.StringIO()
    buffer.write(BOM)
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(STORE_COLUMNS)
    writer.writerows([csv_cell(c, record[c]) for c in STORE_COLUMNS] for record in records)
    return buffer.getvalue().encode("utf-8")


__all__ = ["STORE_COLUMNS", "StoreOrder", "store_orders", "store_report_bytes"]
