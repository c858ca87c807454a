"""Journals with sales in them: a few through the real Journal API, or many in bulk.

``sell`` rings up one order and moves it through the state machine exactly as
the checkout would (each move journaled with ``Journal.record``). ``bulk_fill``
writes a large journal directly in one transaction, for benchmarks: the same
columns and values an earlier Journal wrote, without an fsync per row; the
next open chains them (schema 6).
"""

from __future__ import annotations

import random
import sqlite3
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from kiosk.domain.money import Money
from kiosk.domain.order import BANGKOK, Method, Order, OrderState, business_day, order_number
from kiosk.store.journal import MIGRATIONS, Journal
from kiosk.store.journal import _statements as journal_statements

S = OrderState
STORE, TERMINAL = "S001", "T01"
# 2026-11-24 10:00 in Bangkok.
T0 = datetime(2026, 11, 24, 3, 0, tzinfo=UTC)
DAY = "20261124"


def sell(
    journal: Journal,
    at: datetime,
    baht: str | int,
    *,
    method: Method = Method.QR,
    outcome: OrderState = S.PAID,
    late: bool = False,
    failure_message: str | None = None,
    gateway_order_id: str | None = None,
    sale_ref: str | None = None,
    sandbox: bool = False,
) -> Order:
    """One order rung up at ``at`` and taken to ``outcome`` (``late``: paid after expiry)."""
    satang = Money.from_decimal(Decimal(str(baht))).satang
    order = journal.new_order(
        store_id=STORE,
        terminal_id=TERMINAL,
        amount=Money(satang),
        method=method,
        created_at=at,
        sale_ref=sale_ref,
        sandbox=sandbox,
    )
    if outcome is S.NEW:
        return order
    step = timedelta(seconds=1)
    gid = gateway_order_id or f"order_{order_number(order.kiosk_order_id) or 0:04d}"

    def move(o: Order, to: OrderState, when: datetime, **kw: object) -> Order:
        moved, record = o.transition(to, when, **kw)  # type: ignore[arg-type]
        journal.record(moved, record)
        return moved

    order = move(order, S.CREATING, at + step)
    if outcome is S.CREATING:
        return order
    if outcome is S.FAILED:
        return move(
            order,
            S.FAILED,
            at + 2 * step,
            failure_code="declined",
            failure_message=failure_message or "Declined by the customer's bank.",
        )
    order = move(
        order,
        S.AWAITING_PAYMENT,
        at + 2 * step,
        gateway_order_id=gid,
        ttl_s=120,
        gateway_expires_at=at + timedelta(minutes=10),
    )
    if outcome is S.AWAITING_PAYMENT:
        return order
    if outcome is S.PAID and not late:
        return move(order, S.PAID, at + 30 * step, gateway_charge_id=f"chrg_{gid}")
    if outcome is S.CANCELLED:
        order = move(order, S.CANCELLED, at + 40 * step, failure_code="cancelled_by_cashier")
    else:
        order = move(order, S.EXPIRED, at + 120 * step, failure_code="expired")
    if late:
        order = move(order, S.PAID, at + 200 * step, gateway_charge_id=f"chrg_{gid}")
    return order


def a_day_of_sales(journal: Journal, start: datetime = T0) -> list[Order]:
    """Twelve orders over one Bangkok day: every outcome, both methods, one Thai message."""
    h = timedelta(hours=1)
    return [
        sell(journal, start - 2 * h, 300),  # 08:00
        sell(journal, start - 2 * h + timedelta(minutes=5), "45.50", method=Method.WECHAT),
        sell(journal, start - h, 120, outcome=S.EXPIRED),  # 09:00
        sell(journal, start - h + timedelta(minutes=1), 99, outcome=S.CANCELLED),
        sell(journal, start, "1234.50"),  # 10:00
        sell(
            journal,
            start + timedelta(minutes=2),
            12,
            outcome=S.FAILED,
            failure_message="ธนาคารปฏิเสธรายการ (บัตรถูกระงับ)",
        ),
        sell(journal, start + h, 80, outcome=S.EXPIRED, late=True),  # 11:00, paid late
        sell(journal, start + 2 * h, 300, method=Method.WECHAT),  # 12:00
        sell(journal, start + 3 * h, 55, outcome=S.AWAITING_PAYMENT),  # 13:00
        sell(journal, start + 3 * h + timedelta(minutes=1), 60, outcome=S.NEW),
        sell(journal, start + 4 * h, "0.75"),  # 14:00
        sell(journal, start + 5 * h, 300, outcome=S.CANCELLED, late=True),  # 15:00
    ]


# --- bulk, for benchmarks

_OUTCOMES = (
    (S.PAID, 0.80),
    (S.EXPIRED, 0.08),
    (S.CANCELLED, 0.05),
    (S.FAILED, 0.04),
    (S.AWAITING_PAYMENT, 0.03),
)


_COLUMNS = (
    "kiosk_order_id", "store_id", "terminal_id", "business_day", "seq", "amount_satang",
    "currency", "method", "description", "state", "late", "created_at", "updated_at", "ttl_s",
    "gateway_expires_at", "gateway_order_id", "gateway_charge_id", "reference_order",
    "qr_payload", "failure_code", "failure_message", "paid_at",
)  # fmt: skip


def _iso(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def journal_at_version(path: Path, version: int) -> None:
    """Create a journal with the schema of an earlier kiosk (the first ``version`` migrations)."""
    db = sqlite3.connect(path, isolation_level=None)
    try:
        db.execute("BEGIN")
        for script in MIGRATIONS[:version]:
            for statement in journal_statements(script):
                db.execute(statement)
        db.execute(f"PRAGMA user_version = {version:d}")
        db.execute("COMMIT")
    finally:
        db.close()


def bulk_fill(
    path: Path,
    *,
    rows: int,
    days: int,
    last_day: datetime,
    seed: int = 7,
    history: bool = False,
) -> int:
    """``rows`` orders spread evenly over ``days`` Bangkok days ending on ``last_day``'s.

    Each order has two status changes (created, final); ``history``: every
    move a checkout journals (new, creating, awaiting payment, final).

    Fills a schema-5 journal (before the hash chain) in one transaction, the
    same columns and values the Journal wrote then; the next ``Journal.open``
    upgrades it and chains every row, as on a kiosk in the field. Returns the
    number of orders on the last day.
    """
    journal_at_version(path, 5)
    rng = random.Random(seed)
    states = [s for s, _ in _OUTCOMES]
    weights = [w for _, w in _OUTCOMES]
    local_last = last_day.astimezone(BANGKOK).replace(hour=0, minute=0, second=0, microsecond=0)
    per_day = rows // days
    last_count = 0
    db = sqlite3.connect(path, isolation_level=None)
    try:
        db.execute("PRAGMA synchronous = OFF")
        db.execute("BEGIN")
        for d in range(days):
            day_start = local_last - timedelta(days=days - 1 - d)
            count = per_day + (1 if d < rows % days else 0)
            orders, changes = [], []
            for seq in range(1, count + 1):
                # Opening hours 07:00-22:00, in time order.
                created = day_start + timedelta(hours=7, seconds=seq * (15 * 3600 // count))
                day = business_day(created)
                kid = f"{STORE}-{TERMINAL}-{day}-{seq:04d}"
                state = rng.choices(states, weights)[0]
                method = Method.QR if rng.random() < 0.85 else Method.WECHAT
                satang = rng.randrange(2000, 200000, 25)
                late = state is S.PAID and rng.random() < 0.01
                updated = created + timedelta(seconds=30)
                gid = f"order_{day}{seq:05d}"
                paid_at = _iso(updated) if state is S.PAID else None
                orders.append(
                    (
                        kid, STORE, TERMINAL, day, seq, satang, "THB", method.value,
                        f"Shop {satang / 100:.2f} THB", state.value, int(late),
                        _iso(created), _iso(updated), 120,
                        _iso(created + timedelta(minutes=10)), gid,
                        f"chrg_{gid}" if state is S.PAID else None, None, None,
                        None if state in (S.PAID, S.AWAITING_PAYMENT) else state.value,
                        None, paid_at,
                    )
                )  # fmt: skip
                changes.append((kid, _iso(created), None, S.NEW.value))
                if history:
                    second = timedelta(seconds=1)
                    changes.append((kid, _iso(created + second), S.NEW.value, S.CREATING.value))
                    changes.append(
                        (
                            kid,
                            _iso(created + 2 * second),
                            S.CREATING.value,
                            S.AWAITING_PAYMENT.value,
                        )
                    )
                if not history or state is not S.AWAITING_PAYMENT:
                    changes.append((kid, _iso(updated), S.AWAITING_PAYMENT.value, state.value))
            db.executemany(
                f"INSERT INTO orders ({', '.join(_COLUMNS)})"
                f" VALUES ({', '.join('?' * len(_COLUMNS))})",
                orders,
            )
            db.executemany(
                "INSERT INTO status_changes (kiosk_order_id, at, from_state, to_state)"
                " VALUES (?, ?, ?, ?)",
                changes,
            )
            last_count = count
        db.execute("COMMIT")
    finally:
        db.close()
    return last_count
