"""The sales journal: every order and every status change, in SQLite.

A sale is journaled before the gateway hears of it and each transition before
the UI does, so a crash or power cut at any moment leaves a record recovery can
act on. Hence WAL with ``synchronous=FULL``: a committed change is on disk.

Datetimes are stored as fixed-width ISO-8601 text in UTC
(``2026-11-24T03:00:00.000000+00:00``) so that text order is time order and SQL
can compare them; they come back timezone-aware, in UTC.

``history`` returns the state-machine moves only: the row written when an
order is created (``NULL -> new``) is kept in the table for the audit trail
but left out, so every returned Transition is a legal move under ``ALLOWED``
and replaying them from a NEW order gives the journaled state.

Order fields left out of equality (``extra``, ``qr_image_png``) are in-memory
only and come back empty.

Every record goes through one append path, ``_append``: the row and its link
in the hash chain (kiosk.store.chain) in one transaction — status changes
(each with the order's fields it changed, so the ``orders`` row can be
recomputed from them), flags and their clearing, notices and their
acknowledgement, Z reports of both series (``append_z_report``, inside
``write``).
``verify`` walks the chain (kiosk.store.verify). ``kiosk_meta`` holds
working values and is not chained.

Size (about 1 000 lines): every SQL statement that writes the journal lives
in this one class with its migrations, so the durability rules (one
transaction per change, WAL, synchronous=FULL, one chain link per record)
are checked in one place; report queries are in kiosk.store.reports, batch
queries in kiosk.store.batches.
"""

from __future__ import annotations

import json
import logging
import re
import secrets
import sqlite3
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from kiosk.domain.attention import Attention, Outcome, Reason
from kiosk.domain.documents import (
    IssuedDocument,
    Series,
    check_may_issue,
    parse_number_text,
    prefix_for,
)
from kiosk.domain.errors import IllegalTransition, StoreError
from kiosk.domain.events import Notice
from kiosk.domain.money import Money
from kiosk.domain.order import (
    ALLOWED,
    FINAL_STATES,
    LATE_FROM,
    Method,
    Order,
    OrderState,
    Transition,
    business_day,
    make_order_id,
    random_suffix,
)
from kiosk.store import chain
from kiosk.store.chain_migration import chain_existing
from kiosk.store.verify import ChainCheck, verify_chain

log = logging.getLogger("kiosk.store")

BUSY_TIMEOUT_MS = 5000

# Append only: a released migration is never edited, because kiosks in the
# field have already applied it. Index i brings the schema to version i + 1.
MIGRATIONS: list[str] = [
    """
    CREATE TABLE orders (
        kiosk_order_id     TEXT PRIMARY KEY,
        store_id           TEXT NOT NULL,
        terminal_id        TEXT NOT NULL,
        business_day       TEXT NOT NULL,
        seq                INTEGER NOT NULL CHECK (seq >= 1),
        amount_satang      INTEGER NOT NULL,
        currency           TEXT NOT NULL,
        method             TEXT NOT NULL,
        description        TEXT NOT NULL DEFAULT '',
        state              TEXT NOT NULL,
        late               INTEGER NOT NULL DEFAULT 0 CHECK (late IN (0, 1)),
        created_at         TEXT NOT NULL,
        updated_at         TEXT,
        ttl_s              INTEGER,
        gateway_expires_at TEXT,
        gateway_order_id   TEXT,
        gateway_charge_id  TEXT,
        reference_order    TEXT,
        qr_payload         TEXT,
        failure_code       TEXT,
        failure_message    TEXT,
        paid_at            TEXT,
        UNIQUE (store_id, terminal_id, business_day, seq)
    );
    CREATE INDEX orders_state ON orders (state);
    CREATE INDEX orders_business_day ON orders (business_day);
    CREATE TABLE status_changes (
        id                INTEGER PRIMARY KEY,
        kiosk_order_id    TEXT NOT NULL REFERENCES orders (kiosk_order_id),
        at                TEXT NOT NULL,
        from_state        TEXT,
        to_state          TEXT NOT NULL,
        gateway_order_id  TEXT,
        gateway_charge_id TEXT,
        failure_code      TEXT,
        failure_message   TEXT
    );
    CREATE INDEX status_changes_order ON status_changes (kiosk_order_id, id);
    """,
    # 2: what the cashier must be told once (a payment found by recovery, a
    # late payment), kept until acknowledged so a crash cannot swallow it.
    """
    CREATE TABLE notices (
        kiosk_order_id  TEXT PRIMARY KEY REFERENCES orders (kiosk_order_id),
        kind            TEXT NOT NULL,
        raised_at       TEXT NOT NULL,
        acknowledged_at TEXT
    );
    CREATE INDEX notices_pending ON notices (acknowledged_at);
    """,
    # 3: end-of-day (Z) reports, numbered, one per business day. A report is
    # immutable once issued: the triggers refuse any UPDATE or DELETE, so not
    # even a bug (or a hand-run SQL shell) can change a closed day's figures.
    """
    CREATE TABLE z_reports (
        number          INTEGER PRIMARY KEY CHECK (number >= 1),
        business_day    TEXT NOT NULL UNIQUE,
        store_id        TEXT NOT NULL,
        terminal_id     TEXT NOT NULL,
        issued_at       TEXT NOT NULL,
        previous_number INTEGER REFERENCES z_reports (number),
        content         TEXT NOT NULL
    );
    CREATE TRIGGER z_reports_immutable_update BEFORE UPDATE ON z_reports
    BEGIN
        SELECT RAISE(ABORT, 'a Z report is immutable once issued');
    END;
    CREATE TRIGGER z_reports_immutable_delete BEFORE DELETE ON z_reports
    BEGIN
        SELECT RAISE(ABORT, 'a Z report is immutable once issued');
    END;
    """,
    # 4: sales the manager must look at (kiosk.domain.attention): at most one
    # flag per order, never deleted; cleared once, and then never changed.
    """
    CREATE TABLE attention (
        kiosk_order_id TEXT PRIMARY KEY REFERENCES orders (kiosk_order_id),
        reason         TEXT NOT NULL,
        raw            TEXT NOT NULL,
        raised_at      TEXT NOT NULL,
        cleared_at     TEXT,
        outcome        TEXT,
        note           TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX attention_open ON attention (cleared_at);
    CREATE TRIGGER attention_kept BEFORE DELETE ON attention
    BEGIN
        SELECT RAISE(ABORT, 'an attention flag is never deleted');
    END;
    CREATE TRIGGER attention_cleared_once BEFORE UPDATE ON attention
    WHEN OLD.cleared_at IS NOT NULL
        OR NEW.kiosk_order_id IS NOT OLD.kiosk_order_id
        OR NEW.reason IS NOT OLD.reason
        OR NEW.raw IS NOT OLD.raw
        OR NEW.raised_at IS NOT OLD.raised_at
    BEGIN
        SELECT RAISE(ABORT, 'an attention flag is cleared once and otherwise never changes');
    END;
    """,
    # 5: small named values the kiosk keeps with its records (this install's
    # id, the manager PIN lockout, ...): in the journal, so deleting a side
    # file cannot reset them. Each key's owner documents its value.
    """
    CREATE TABLE kiosk_meta (
        key        TEXT PRIMARY KEY,
        value      TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    """,
    # 6: the hash chain (kiosk.store.chain) and batches. Every record of the
    # append path gets a chain row in its own transaction; a status change
    # carries the order's fields it changed (order_after), so an order's row
    # can be recomputed from its history. Z reports close batches (any number
    # a day): a new z_reports without the one-per-day rule, each report with
    # its chain position and the last status change it covers (the previous
    # number may be an earlier journal's); the reports are copied into it and
    # the old table is kept, read-only, as z_reports_by_day (nothing that
    # keeps records drops any). The Python step (kiosk.store.chain_migration)
    # then chains what exists and adds the triggers that refuse UPDATE/DELETE
    # on the history.
    """
    CREATE TABLE chain (
        seq       INTEGER PRIMARY KEY AUTOINCREMENT,
        tbl       TEXT NOT NULL,
        part      TEXT NOT NULL,
        ref       NOT NULL,
        hash      TEXT NOT NULL
    );
    ALTER TABLE status_changes ADD COLUMN order_after TEXT;
    ALTER TABLE z_reports RENAME TO z_reports_by_day;
    CREATE TABLE z_reports (
        number          INTEGER PRIMARY KEY CHECK (number >= 1),
        business_day    TEXT NOT NULL,
        store_id        TEXT NOT NULL,
        terminal_id     TEXT NOT NULL,
        issued_at       TEXT NOT NULL,
        previous_number INTEGER,
        content         TEXT NOT NULL,
        chain_seq       INTEGER,
        last_status_id  INTEGER NOT NULL DEFAULT 0
    );
    INSERT INTO z_reports (number, business_day, store_id, terminal_id, issued_at,
                           previous_number, content)
        SELECT number, business_day, store_id, terminal_id, issued_at, previous_number, content
        FROM z_reports_by_day;
    CREATE INDEX z_reports_day ON z_reports (business_day);
    """,
    # 7: issued document numbers (receipts now, tax invoices later) through the
    # append path, so a number is chained like every other record and a Z can
    # name the first and last document of its batch. Never changed or deleted.
    """
    CREATE TABLE documents (
        id             INTEGER PRIMARY KEY,
        kind           TEXT NOT NULL,
        number         INTEGER NOT NULL CHECK (number >= 1),
        copy           INTEGER NOT NULL CHECK (copy >= 0),
        kiosk_order_id TEXT NOT NULL,
        issued_at      TEXT NOT NULL,
        UNIQUE (kind, number, copy)
    );
    CREATE TRIGGER documents_kept_update BEFORE UPDATE ON documents
    BEGIN
        SELECT RAISE(ABORT, 'an issued document number is never changed');
    END;
    CREATE TRIGGER documents_kept_delete BEFORE DELETE ON documents
    BEGIN
        SELECT RAISE(ABORT, 'an issued document number is never deleted');
    END;
    """,
    # 8: the sale reference (the main till's bill number) and the sandbox mark
    # of an order, both fixed at creation; document series (kiosk.domain.documents):
    # ``kind`` is the series, each with its own counter, ``prefix`` the printed
    # prefix at issue (terminal and tag), ``detail`` what the issuer keeps
    # with the number (JSON; a tax invoice's VAT rate). Rows issued since are
    # chained as the part "issue" (kiosk.store.chain.DOCUMENT_ISSUE).
    """
    ALTER TABLE orders ADD COLUMN sale_ref TEXT;
    ALTER TABLE orders ADD COLUMN sandbox INTEGER NOT NULL DEFAULT 0 CHECK (sandbox IN (0, 1));
    ALTER TABLE documents ADD COLUMN prefix TEXT;
    ALTER TABLE documents ADD COLUMN detail TEXT;
    CREATE INDEX documents_order ON documents (kiosk_order_id, kind, copy);
    CREATE INDEX documents_number ON documents (number, prefix);
    CREATE INDEX orders_sale_ref ON orders (sale_ref) WHERE sale_ref IS NOT NULL;
    """,
    # 9: the outbox of the store database (kiosk.store.outbox, kiosk.services.sync).
    # One row per chain record, written by the append path in the record's own
    # transaction, so a record is never committed without its way out; the sync
    # sets sent_at once PostgreSQL has committed it. withheld: a sandbox sale's
    # record, of which only the place in the chain (hashes) ever leaves. The
    # records already chained are queued too: an upgraded counter's history
    # reaches the store.
    """
    CREATE TABLE outbox (
        seq       INTEGER PRIMARY KEY,
        prev_hash TEXT NOT NULL,
        hash      TEXT NOT NULL,
        withheld  INTEGER NOT NULL DEFAULT 0 CHECK (withheld IN (0, 1)),
        queued_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
        sent_at   TEXT
    );
    CREATE INDEX outbox_pending ON outbox (seq) WHERE sent_at IS NULL;
    INSERT INTO outbox (seq, prev_hash, hash)
        SELECT seq, COALESCE(LAG(hash) OVER (ORDER BY seq),
                             '0000000000000000000000000000000000000000000000000000000000000000'),
               hash
        FROM chain;
    """,
    # 10: a sandbox kiosk's Z reports, a series of their own (TEST-Z000001,
    # kiosk.store.batches): the columns of z_reports in a table of its own, so
    # the primary key is each series' counter, a test Z can never take or
    # skip a real number, and the real table stays as it was. Immutable like
    # z_reports; chained as "test_z_reports"/"row" (kiosk.store.chain).
    # Sandbox Zs issued before this schema stay in z_reports (immutable).
    """
    CREATE TABLE test_z_reports (
        number          INTEGER PRIMARY KEY CHECK (number >= 1),
        business_day    TEXT NOT NULL,
        store_id        TEXT NOT NULL,
        terminal_id     TEXT NOT NULL,
        issued_at       TEXT NOT NULL,
        previous_number INTEGER,
        content         TEXT NOT NULL,
        chain_seq       INTEGER,
        last_status_id  INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX test_z_reports_day ON test_z_reports (business_day);
    CREATE TRIGGER test_z_reports_kept_update BEFORE UPDATE ON test_z_reports
    BEGIN
        SELECT RAISE(ABORT, 'a Z report is immutable once issued');
    END;
    CREATE TRIGGER test_z_reports_kept_delete BEFORE DELETE ON test_z_reports
    BEGIN
        SELECT RAISE(ABORT, 'a Z report is immutable once issued');
    END;
    """,
]

# Columns written from an Order on every change; store_id, terminal_id,
# business_day and seq are fixed at creation and are not part of an Order.
_ORDER_COLUMNS = (
    "amount_satang",
    "currency",
    "method",
    "description",
    "state",
    "late",
    "created_at",
    "updated_at",
    "ttl_s",
    "gateway_expires_at",
    "gateway_order_id",
    "gateway_charge_id",
    "reference_order",
    "qr_payload",
    "failure_code",
    "failure_message",
    "paid_at",
    "sale_ref",  # schema 8
    "sandbox",  # schema 8
)
_KEY_COLUMNS = ("kiosk_order_id", "store_id", "terminal_id", "business_day", "seq")

# Every column of an orders row: what a creation's order_after holds.
ORDER_ROW = (*_KEY_COLUMNS, *_ORDER_COLUMNS)
# The orders row when schema 6 chained the journal (its Python step runs on that table).
_ORDER_ROW_6 = (*_KEY_COLUMNS, *_ORDER_COLUMNS[: _ORDER_COLUMNS.index("sale_ref")])
# Columns added later with a NOT NULL default: an older order's history does
# not name them, so replaying it starts from these values (kiosk.store.verify).
ORDER_DEFAULTS: Mapping[str, object] = {"sandbox": 0}

# Python run after the SQL of a migration, in its transaction (index as MIGRATIONS).
MIGRATION_STEPS: dict[int, Callable[[sqlite3.Connection], None]] = {
    5: lambda db: chain_existing(db, _ORDER_ROW_6),
}

_ATTENTION_COLUMNS = ("reason", "raw", "raised_at", "cleared_at", "outcome", "note")
_ATTENTION_SELECT = ", ".join(f"a.{c}" for c in _ATTENTION_COLUMNS)

_DAY = re.compile(r"\d{8}")

SeqKey = tuple[str, str, str]  # (store_id, terminal_id, business_day)


class Journal:
    """One open journal connection. Not thread-safe: one thread uses it (``twin`` for another)."""

    def __init__(
        self,
        connection: sqlite3.Connection,
        path: Path,
        randbelow: Callable[[int], int] = secrets.randbelow,
    ) -> None:
        self._db = connection
        self.path = path
        self._randbelow = randbelow  # draws the random part of order ids
        self._closed = False
        # A sandbox kiosk's records are queued as withheld: only their place in
        # the chain goes to the store database (kiosk.store.outbox).
        self.withhold_from_store = False

    # -- lifecycle ---------------------------------------------------------

    @classmethod
    def open(cls, path: Path, *, randbelow: Callable[[int], int] = secrets.randbelow) -> Journal:
        """Open (or create) the journal at ``path`` and bring its schema up to date.

        ``randbelow`` draws the random part of each order id (tests pass a seeded one).
        """
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the journal folder {path.parent}: {exc}") from exc
        try:
            db = sqlite3.connect(path, isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the journal {path}: {exc}") from exc
        try:
            _configure(db, path)
            _migrate(db, path)
        except BaseException:
            db.close()
            raise
        return cls(db, path, randbelow)

    def twin(self) -> Journal:
        """A second connection to this journal's file, with this one's settings.

        For another thread (``kiosk.store.writer``): a SQLite connection
        stays on the thread that opened it. WAL lets the two read and write
        side by side; each write's ``BEGIN IMMEDIATE`` keeps them in turn.
        """
        other = Journal.open(self.path, randbelow=self._randbelow)
        other.withhold_from_store = self.withhold_from_store
        return other

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def schema_version(self) -> int:
        with _errors("read the schema version"):
            return _user_version(self._db)

    # -- writes ------------------------------------------------------------

    def new_order(
        self,
        *,
        store_id: str,
        terminal_id: str,
        amount: Money,
        method: Method,
        created_at: datetime,
        description: str = "",
        sale_ref: str | None = None,
        sandbox: bool = False,
    ) -> Order:
        """Journal a NEW order with the next id of its store, terminal and Bangkok day.

        The seq is one above both this journal's highest of the day and the
        floor an earlier journal left (``raise_seq_floors``): numbering goes on
        past a replaced journal. StoreError if the id would not fit 32 characters.
        ``sale_ref`` (already checked: kiosk.domain.documents.sale_ref_of) and
        ``sandbox`` are kept with the order from its first record.
        """
        created = _to_text(created_at)
        day = business_day(created_at)
        suffix = random_suffix(self._randbelow)
        with self._transaction("create an order"):
            # Inside BEGIN IMMEDIATE no other connection can take the same
            # seq between this read and the insert; UNIQUE backs that up.
            (seq,) = self._db.execute(
                "SELECT MAX("
                "  (SELECT COALESCE(MAX(seq), 0) FROM orders"
                "   WHERE store_id = ? AND terminal_id = ? AND business_day = ?),"
                "  (SELECT COALESCE(MAX(CAST(value AS INTEGER)), 0) FROM kiosk_meta"
                "   WHERE key = ?)"
                ") + 1",
                (store_id, terminal_id, day, seq_floor_key(store_id, terminal_id, day)),
            ).fetchone()
            try:
                kiosk_order_id = make_order_id(store_id, terminal_id, created_at, seq, suffix)
            except ValueError as exc:
                raise StoreError(f"no order id left for {day}: {exc}") from exc
            order = Order(
                kiosk_order_id=kiosk_order_id,
                amount=amount,
                method=method,
                created_at=created_at,
                description=description,
                sale_ref=sale_ref,
                sandbox=sandbox,
            )
            row = (order.kiosk_order_id, store_id, terminal_id, day, seq, *_order_values(order))
            self._db.execute(
                f"INSERT INTO orders ({', '.join(ORDER_ROW)})"
                f" VALUES ({', '.join('?' * len(ORDER_ROW))})",
                row,
            )
            # The creation is the order's first chained record: the whole row.
            self._append_status(
                order.kiosk_order_id, created, None, OrderState.NEW.value, None, None, None, None,
                chain.set_values(dict(zip(ORDER_ROW, row, strict=True))),
            )  # fmt: skip
        log.info("journaled %s (%s, %s)", order.kiosk_order_id, amount.plain(), method.value)
        return order

    def record(
        self, order: Order, transition: Transition, *, attention: Attention | None = None
    ) -> None:
        """Journal ``transition`` and the order as it is after it, atomically.

        With ``attention``, the flag is journaled in the same transaction (the
        first flag of an order is kept; a later one is ignored).
        Raises IllegalTransition, writing nothing, when the journaled state is
        not ``transition.from_state``: another task moved the order first.
        """
        if transition.kiosk_order_id != order.kiosk_order_id:
            raise ValueError(
                f"transition for {transition.kiosk_order_id} given with {order.kiosk_order_id}"
            )
        if transition.to_state is not order.state:
            raise ValueError(
                f"{order.kiosk_order_id}: order is {order.state.value}"
                f" but the transition goes to {transition.to_state.value}"
            )
        if transition.to_state not in ALLOWED[transition.from_state]:
            raise IllegalTransition(
                f"{order.kiosk_order_id}: {transition.from_state.value}"
                f" -> {transition.to_state.value} is not allowed"
            )
        values = _order_values(order)
        at = _to_text(transition.at)
        with self._transaction(f"record {order.kiosk_order_id}"):
            row = self._db.execute(
                f"SELECT {', '.join(_ORDER_COLUMNS)} FROM orders WHERE kiosk_order_id = ?",
                (order.kiosk_order_id,),
            ).fetchone()
            if row is None:
                raise StoreError(f"{order.kiosk_order_id} is not in the journal")
            state = row[_ORDER_COLUMNS.index("state")]
            if state != transition.from_state.value:
                log.warning(
                    "%s is %s in the journal, not %s; %s refused",
                    order.kiosk_order_id,
                    state,
                    transition.from_state.value,
                    transition.to_state.value,
                )
                raise IllegalTransition(
                    f"{order.kiosk_order_id} is {state} in the journal,"
                    f" not {transition.from_state.value}"
                )
            self._db.execute(
                f"UPDATE orders SET {', '.join(f'{c} = ?' for c in _ORDER_COLUMNS)}"
                " WHERE kiosk_order_id = ?",
                (*values, order.kiosk_order_id),
            )
            changed = {
                column: new
                for column, old, new in zip(_ORDER_COLUMNS, row, values, strict=True)
                if old != new
            }
            self._append_status(
                order.kiosk_order_id,
                at,
                transition.from_state.value,
                transition.to_state.value,
                transition.gateway_order_id,
                transition.gateway_charge_id,
                transition.failure_code,
                transition.failure_message,
                changed,
            )
            if attention is not None:
                self._insert_attention(attention)
        log.info(
            "%s: %s -> %s%s",
            order.kiosk_order_id,
            transition.from_state.value,
            transition.to_state.value,
            " (late)" if order.late else "",
        )

    # -- reads -------------------------------------------------------------

    def get(self, kiosk_order_id: str) -> Order | None:
        rows = self._orders("WHERE kiosk_order_id = ?", (kiosk_order_id,))
        return rows[0] if rows else None

    def history(self, kiosk_order_id: str) -> list[Transition]:
        """The order's moves, oldest first (in journal order); creation is not one."""
        with _errors(f"read the history of {kiosk_order_id}"):
            rows = self._db.execute(
                "SELECT at, from_state, to_state, gateway_order_id, gateway_charge_id,"
                " failure_code, failure_message FROM status_changes"
                " WHERE kiosk_order_id = ? AND from_state IS NOT NULL ORDER BY id",
                (kiosk_order_id,),
            ).fetchall()
        with _corrupt(kiosk_order_id):
            return [
                Transition(
                    kiosk_order_id=kiosk_order_id,
                    at=_from_text(at),
                    from_state=OrderState(from_state),
                    to_state=OrderState(to_state),
                    gateway_order_id=gateway_order_id,
                    gateway_charge_id=gateway_charge_id,
                    failure_code=failure_code,
                    failure_message=failure_message,
                )
                for (
                    at,
                    from_state,
                    to_state,
                    gateway_order_id,
                    gateway_charge_id,
                    failure_code,
                    failure_message,
                ) in rows
            ]

    def orders_needing_check(self, now: datetime) -> list[Order]:
        """Orders to ask the gateway about (``Order.needs_checking``), oldest first."""
        final = sorted(s.value for s in FINAL_STATES)
        late_from = sorted(s.value for s in LATE_FROM)
        return self._orders(
            f"WHERE state NOT IN ({', '.join('?' * len(final))})"
            f" OR (state IN ({', '.join('?' * len(late_from))})"
            "     AND gateway_expires_at IS NOT NULL AND gateway_expires_at > ?)"
            " ORDER BY created_at, kiosk_order_id",
            (*final, *late_from, _to_text(now)),
        )

    def orders_to_sweep(self, since: datetime) -> list[Order]:
        """Orders created since ``since`` that are not PAID, newest first (the late-money sweep)."""
        return self._orders(
            "WHERE business_day >= ? AND created_at >= ? AND state != ?"
            " ORDER BY created_at DESC, kiosk_order_id",
            (business_day(since), _to_text(since), OrderState.PAID.value),
        )

    def orders_for_day(self, day: str) -> list[Order]:
        """Every order of one Bangkok business day (``YYYYMMDD``), by terminal and seq."""
        return self._orders(
            "WHERE business_day = ? ORDER BY store_id, terminal_id, seq", (check_day(day),)
        )

    # -- notices -----------------------------------------------------------

    def raise_notice(self, kiosk_order_id: str, kind: str, at: datetime) -> bool:
        """Remember to tell the cashier about an order; False if it was raised before.

        One notice per order, ever: once acknowledged it does not come back.
        """
        values: dict[str, object] = {
            "kiosk_order_id": kiosk_order_id,
            "kind": kind,
            "raised_at": _to_text(at),
        }
        with self._transaction(f"raise a notice for {kiosk_order_id}"):
            return self._append(
                chain.NOTICE,
                values,
                "INSERT OR IGNORE INTO notices (kiosk_order_id, kind, raised_at) VALUES (?, ?, ?)",
                (kiosk_order_id, kind, values["raised_at"]),
            )

    def pending_notices(self) -> list[Notice]:
        """Notices not yet acknowledged, oldest first, with their orders as journaled now."""
        with _errors("read notices"):
            rows = self._db.execute(
                "SELECT kiosk_order_id, kind, raised_at FROM notices"
                " WHERE acknowledged_at IS NULL ORDER BY raised_at, kiosk_order_id"
            ).fetchall()
        notices: list[Notice] = []
        for kiosk_order_id, kind, raised_at in rows:
            order = self.get(kiosk_order_id)
            if order is not None:
                with _corrupt(kiosk_order_id):
                    notices.append(Notice(order, kind, _from_text(raised_at)))
        return notices

    def acknowledge_notice(self, kiosk_order_id: str, at: datetime) -> bool:
        """The cashier has seen it; False if there was nothing pending."""
        seen = _to_text(at)
        with self._transaction(f"acknowledge the notice for {kiosk_order_id}"):
            return self._append(
                chain.NOTICE_SEEN,
                {"kiosk_order_id": kiosk_order_id, "acknowledged_at": seen},
                "UPDATE notices SET acknowledged_at = ?"
                " WHERE kiosk_order_id = ? AND acknowledged_at IS NULL",
                (seen, kiosk_order_id),
            )

    # -- named values (table kiosk_meta) -------------------------------------

    def meta(self, key: str) -> str | None:
        """The value kept under ``key``, or None."""
        with _errors(f"read {key}"):
            row = self._db.execute("SELECT value FROM kiosk_meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def set_meta(self, key: str, value: str, at: datetime) -> None:
        """Keep ``value`` under ``key`` (replacing what was there), durably."""
        with self._transaction(f"write {key}"):
            self._db.execute(
                "INSERT INTO kiosk_meta (key, value, updated_at) VALUES (?, ?, ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value,"
                " updated_at = excluded.updated_at",
                (key, value, _to_text(at)),
            )

    def raise_seq_floors(
        self,
        floors: Mapping[SeqKey, int],
        at: datetime,
        *,
        marks: Mapping[str, str] | None = None,
        documents: Mapping[Series, int] | None = None,
    ) -> int:
        """Keep, per (store, terminal, day), the highest seq an earlier journal used.

        A floor only ever goes up; ``new_order`` numbers above it. ``documents``:
        the highest number of each document series, kept the same way
        (``issue_document`` numbers above it). ``marks`` are meta values
        written in the same transaction (so "the earlier copies were read" is
        never kept without their floors). Returns how many floors went up.
        """
        raised = 0
        when = _to_text(at)
        keyed = [
            (seq_floor_key(store_id, terminal_id, day), seq)
            for (store_id, terminal_id, day), seq in sorted(floors.items())
        ]
        keyed += [(document_floor_key(s), n) for s, n in sorted((documents or {}).items())]
        with self._transaction("keep the order numbers of an earlier journal"):
            for key, number in keyed:
                cursor = self._db.execute(
                    "INSERT INTO kiosk_meta (key, value, updated_at) VALUES (?, ?, ?)"
                    " ON CONFLICT (key) DO UPDATE SET value = excluded.value,"
                    " updated_at = excluded.updated_at"
                    " WHERE CAST(value AS INTEGER) < CAST(excluded.value AS INTEGER)",
                    (key, str(int(number)), when),
                )
                raised += cursor.rowcount
            for key, value in (marks or {}).items():
                self._db.execute(
                    "INSERT INTO kiosk_meta (key, value, updated_at) VALUES (?, ?, ?)"
                    " ON CONFLICT (key) DO UPDATE SET value = excluded.value,"
                    " updated_at = excluded.updated_at",
                    (key, value, when),
                )
        return raised

    # -- attention (kiosk.domain.attention) ----------------------------------

    def flag_attention(self, attention: Attention) -> bool:
        """Flag an order for the manager; False if it was flagged before (the first flag stays)."""
        with self._transaction(f"flag {attention.kiosk_order_id} for the manager"):
            return self._insert_attention(attention)

    def _insert_attention(self, attention: Attention) -> bool:
        values: dict[str, object] = {
            "kiosk_order_id": attention.kiosk_order_id,
            "reason": attention.reason.value,
            "raw": json.dumps(dict(attention.raw), ensure_ascii=False, sort_keys=True),
            "raised_at": _to_text(attention.raised_at),
        }
        raised = self._append(
            chain.FLAG,
            values,
            "INSERT OR IGNORE INTO attention (kiosk_order_id, reason, raw, raised_at)"
            " VALUES (?, ?, ?, ?)",
            tuple(values[c] for c in chain.FLAG.columns),
        )
        if raised:
            log.warning(
                "%s needs the manager's attention: %s",
                attention.kiosk_order_id,
                attention.reason.value,
            )
        return raised

    def clear_attention(
        self, kiosk_order_id: str, outcome: Outcome, at: datetime, note: str = ""
    ) -> bool:
        """The manager's decision on a flagged order; False if nothing was open to clear."""
        values: dict[str, object] = {
            "kiosk_order_id": kiosk_order_id,
            "cleared_at": _to_text(at),
            "outcome": outcome.value,
            "note": note,
        }
        with self._transaction(f"clear the flag on {kiosk_order_id}"):
            cleared = self._append(
                chain.FLAG_CLEARED,
                values,
                "UPDATE attention SET cleared_at = ?, outcome = ?, note = ?"
                " WHERE kiosk_order_id = ? AND cleared_at IS NULL",
                (values["cleared_at"], outcome.value, note, kiosk_order_id),
            )
        if cleared:
            log.info("%s: attention cleared (%s)", kiosk_order_id, outcome.value)
        return cleared

    def orders_needing_attention(self) -> list[Order]:
        """Orders whose flag the manager has not cleared yet, oldest flag first."""
        return self._orders(
            "WHERE a.kiosk_order_id IS NOT NULL AND a.cleared_at IS NULL"
            " ORDER BY a.raised_at, kiosk_order_id",
            (),
        )

    def count(self) -> int:
        with _errors("count orders"):
            (n,) = self._db.execute("SELECT COUNT(*) FROM orders").fetchone()
        return int(n)

    # -- for the report queries (kiosk.store.reports) ------------------------

    @contextmanager
    def read(self, what: str) -> Iterator[sqlite3.Connection]:
        """The journal's connection, for SELECT queries only; errors become StoreError.

        Read-only by contract: a change must go through ``record``/``new_order``
        and the other writes of this class (each appends its chain link).
        """
        with _errors(what):
            yield self._db

    @contextmanager
    def write(self, what: str) -> Iterator[sqlite3.Connection]:
        """The connection inside one ``BEGIN IMMEDIATE`` transaction, committed at the end.

        For a Z report: read its figures, then ``append_z_report`` in the same
        transaction. Rolled back if the block raises.
        """
        with self._transaction(what):
            yield self._db

    def select_orders(self, where: str, params: tuple[object, ...] = ()) -> list[Order]:
        """Orders by an SQL ``WHERE ... ORDER BY`` clause over ``orders`` (``?`` parameters)."""
        return self._orders(where, params)

    def append_z_report(self, values: Mapping[str, object], *, sandbox: bool = False) -> int:
        """Append a Z report row and its chain link; its chain position.

        Only inside ``write`` (the report's figures are read in the same
        transaction). ``values`` holds every column of ``z_reports``; its
        ``chain_seq`` must be the position the chain hands out next
        (``chain_head().position + 1``), or StoreError. ``sandbox``: a test
        batch's Z, in the TEST series (``test_z_reports``), never sent to the
        store database.
        """
        if not self._db.in_transaction:
            raise StoreError("a Z report is appended only inside Journal.write")
        row = dict(values)
        part = chain.TEST_Z_REPORT if sandbox else chain.Z_REPORT
        with _errors(f"append Z report {row.get('number')}"):
            self._append(part, row)
            (seq,) = self._db.execute("SELECT MAX(seq) FROM chain").fetchone()
        if seq != row["chain_seq"]:
            raise StoreError(f"Z report at chain position {seq}, not {row['chain_seq']}")
        return int(seq)

    def verify(self, *, quick: bool = False) -> ChainCheck:
        """Walk the hash chain (kiosk.store.verify) on one snapshot of the journal."""
        with _errors("verify the journal"):
            # One read transaction: a sale journaled meanwhile by another
            # process cannot show as half a record.
            self._db.execute("BEGIN")
            try:
                return verify_chain(self._db, ORDER_ROW, quick=quick, defaults=ORDER_DEFAULTS)
            finally:
                _rollback(self._db)

    def chain_head(self) -> chain.Head:
        """Where the chain ends now (in ``write``: where the next record links)."""
        with _errors("read the chain head"):
            return chain.head(self._db)

    # -- helpers -----------------------------------------------------------

    def _append(
        self,
        part: chain.Part,
        values: dict[str, object],
        sql: str | None = None,
        params: tuple[object, ...] = (),
    ) -> bool:
        """THE append path: write one record, its chain link and its outbox row, in one transaction.

        ``sql``/``params`` write the record (default: an INSERT of ``values``);
        ``values`` are the part's columns as SQLite will store them (the hash
        is over these, and the verifier reads them back). False, and no link,
        when the statement changed no row (a flag raised before, ...).
        """
        if sql is None:
            columns = [c for c in part.columns if c in values]  # an INTEGER PRIMARY KEY
            sql = (  # left out is given by SQLite, below
                f"INSERT INTO {part.table} ({', '.join(columns)})"
                f" VALUES ({', '.join('?' * len(columns))})"
            )
            params = tuple(values[c] for c in columns)
        cursor = self._db.execute(sql, params)
        if cursor.rowcount != 1:
            return False
        if part.key not in values:
            values[part.key] = cursor.lastrowid
        link = chain.link(self._db, part, values)
        # The way out to the store database, in the same transaction (outbox).
        self._db.execute(
            "INSERT INTO outbox (seq, prev_hash, hash, withheld) VALUES (?, ?, ?, ?)",
            # A test Z is withheld even when a sandbox kiosk has turned real since.
            (link.seq, link.prev_hash, link.hash, int(self.withhold_from_store or part.is_test)),
        )
        return True

    def record_document(
        self, *, kind: str, number: int, copy: int, kiosk_order_id: str, at: datetime
    ) -> None:
        """Journal an issued document's number (a receipt, a reprint) through the append path."""
        values: dict[str, object] = {
            "kind": kind,
            "number": number,
            "copy": copy,
            "kiosk_order_id": kiosk_order_id,
            "issued_at": _to_text(at),
        }
        columns = tuple(values)
        with self._transaction(f"record {kind} {number} copy {copy}"):
            # Once per document: journaling the same number again changes nothing.
            self._append(
                chain.DOCUMENT,
                values,
                f"INSERT OR IGNORE INTO documents ({', '.join(columns)})"
                f" VALUES ({', '.join('?' * len(columns))})",
                tuple(values.values()),
            )

    # -- numbered documents (kiosk.domain.documents) --------------------------

    def issue_document(
        self,
        kiosk_order_id: str,
        series: Series,
        at: datetime,
        *,
        detail: Mapping[str, object] | None = None,
    ) -> IssuedDocument:
        """The order's document of ``series``: numbered now, or the one it already has.

        The number is one above both the series' highest in this journal and
        the floor an earlier journal left (``raise_seq_floors``), so it never
        repeats; the prefix is the series' tag and the order's terminal. The
        row and its chain link are written in one transaction (the part
        "issue"). ``detail`` (JSON-able: a tax invoice's VAT rate, the buyer)
        is chained with it. A second call for the same order and series
        returns the first document, unchanged: print it as a COPY.

        DocumentRefused (exit 2) unless the journaled order is PAID and of
        the right kind (a sandbox order only in a TEST series); StoreError
        when the order is not in the journal.
        """
        when = _to_text(at)
        with self._transaction(f"issue a {series.value} number for {kiosk_order_id}"):
            found = self._orders("WHERE kiosk_order_id = ?", (kiosk_order_id,))
            if not found:
                raise StoreError(f"{kiosk_order_id} is not in the journal")
            existing = self._documents(
                "WHERE kiosk_order_id = ? AND kind = ? AND copy = 0 ORDER BY id LIMIT 1",
                (kiosk_order_id, series.value),
            )
            if existing:
                return existing[0]
            check_may_issue(found[0], series)
            (terminal_id,) = self._db.execute(
                "SELECT terminal_id FROM orders WHERE kiosk_order_id = ?", (kiosk_order_id,)
            ).fetchone()
            (number,) = self._db.execute(
                "SELECT MAX("
                "  (SELECT COALESCE(MAX(number), 0) FROM documents WHERE kind = ?),"
                "  (SELECT COALESCE(MAX(CAST(value AS INTEGER)), 0) FROM kiosk_meta"
                "   WHERE key = ?)"
                ") + 1",
                (series.value, document_floor_key(series)),
            ).fetchone()
            values: dict[str, object] = {
                "kind": series.value,
                "prefix": prefix_for(series, str(terminal_id)),
                "number": int(number),
                "copy": 0,
                "kiosk_order_id": kiosk_order_id,
                "issued_at": when,
                "detail": chain.compact_json(dict(detail or {})),
            }
            self._append(chain.DOCUMENT_ISSUE, values)
            issued = self._documents("WHERE id = ?", (values["id"],))[0]
        log.info("document %s (%s) issued for %s", issued.text, series.value, kiosk_order_id)
        return issued

    def record_reprint(self, document: IssuedDocument, at: datetime) -> IssuedDocument:
        """Journal a copy of an issued document (a reprint): the next copy, the same number."""
        with self._transaction(f"record a copy of {document.text}"):
            (copy,) = self._db.execute(
                "SELECT COALESCE(MAX(copy), 0) + 1 FROM documents WHERE kind = ? AND number = ?",
                (document.series.value, document.number),
            ).fetchone()
            values: dict[str, object] = {
                "kind": document.series.value,
                "prefix": document.prefix,
                "number": document.number,
                "copy": int(copy),
                "kiosk_order_id": document.kiosk_order_id,
                "issued_at": _to_text(at),
                "detail": chain.compact_json(dict(document.detail)),
            }
            self._append(chain.DOCUMENT_ISSUE, values)
            return self._documents("WHERE id = ?", (values["id"],))[0]

    def find_document(self, text: str) -> IssuedDocument | None:
        """The original document printed as ``text`` (``T01-000123``), or None.

        ValueError when ``text`` is not a number with its prefix.
        """
        prefix, number = parse_number_text(text)
        found = self._documents(
            "WHERE UPPER(prefix) = ? AND number = ? AND copy = 0 ORDER BY id LIMIT 1",
            (prefix, number),
        )
        return found[0] if found else None

    def documents_for(self, kiosk_order_id: str) -> list[IssuedDocument]:
        """Every numbered document of an order (originals and copies), oldest first."""
        return self._documents("WHERE kiosk_order_id = ? ORDER BY id", (kiosk_order_id,))

    def document_of(self, kiosk_order_id: str, series: Series) -> IssuedDocument | None:
        """The order's original document of ``series``, or None."""
        found = self._documents(
            "WHERE kiosk_order_id = ? AND kind = ? AND copy = 0 ORDER BY id LIMIT 1",
            (kiosk_order_id, series.value),
        )
        return found[0] if found else None

    def _documents(self, where: str, params: tuple[object, ...]) -> list[IssuedDocument]:
        with _errors("read documents"):
            rows = self._db.execute(
                "SELECT id, kind, prefix, number, copy, kiosk_order_id, issued_at, detail"
                f" FROM documents {where}",
                params,
            ).fetchall()
        documents = []
        for id_, kind, prefix, number, copy, order_id, issued_at, detail in rows:
            with _corrupt(str(order_id)):
                extra = json.loads(detail) if detail else {}
                if not isinstance(extra, dict):
                    raise ValueError("a document's detail is not an object")
                documents.append(
                    IssuedDocument(
                        id=int(id_),
                        series=Series(kind),
                        prefix=str(prefix or ""),
                        number=int(number),
                        copy=int(copy),
                        kiosk_order_id=str(order_id),
                        issued_at=_from_text(issued_at),
                        detail=extra,
                    )
                )
        return documents

    def _append_status(
        self,
        kiosk_order_id: str,
        at: str,
        from_state: str | None,
        to_state: str,
        gateway_order_id: str | None,
        gateway_charge_id: str | None,
        failure_code: str | None,
        failure_message: str | None,
        order_after: Mapping[str, object],
    ) -> None:
        self._append(
            chain.STATUS,
            {
                "kiosk_order_id": kiosk_order_id,
                "at": at,
                "from_state": from_state,
                "to_state": to_state,
                "gateway_order_id": gateway_order_id,
                "gateway_charge_id": gateway_charge_id,
                "failure_code": failure_code,
                "failure_message": failure_message,
                "order_after": chain.compact_json(order_after),
            },
        )

    def _orders(self, where: str, params: tuple[object, ...]) -> list[Order]:
        with _errors("read orders"):
            cursor = self._db.execute(
                f"SELECT kiosk_order_id, {', '.join(_ORDER_COLUMNS)}, {_ATTENTION_SELECT}"
                f" FROM orders LEFT JOIN attention AS a USING (kiosk_order_id) {where}",
                params,
            )
            rows = cursor.fetchall()
        return [_order_from_row(row) for row in rows]

    @contextmanager
    def _transaction(self, what: str) -> Iterator[None]:
        with _errors(what):
            # IMMEDIATE takes the write lock up front, so a read-then-write
            # cannot be overtaken by another connection in between.
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield
                self._db.execute("COMMIT")
            except BaseException:
                _rollback(self._db)
                raise


def _configure(db: sqlite3.Connection, path: Path) -> None:
    with _errors(f"open the journal {path}"):
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        (mode,) = db.execute("PRAGMA journal_mode = WAL").fetchone()
        if str(mode).lower() != "wal":
            log.warning("journal %s runs in %s mode, not WAL", path, mode)
        db.execute("PRAGMA synchronous = FULL")
        db.execute("PRAGMA foreign_keys = ON")


def _migrate(db: sqlite3.Connection, path: Path) -> None:
    known = len(MIGRATIONS)
    while True:
        with _errors(f"upgrade the journal {path}"):
            # The version is read under the write lock: two kiosk processes
            # opening a fresh file at once must not both apply a migration.
            db.execute("BEGIN IMMEDIATE")
            try:
                version = _user_version(db)
                if version > known:
                    raise StoreError(
                        f"the journal {path} has schema version {version}, but this kiosk"
                        f" only knows versions up to {known}; it was written by a newer"
                        " kiosk version, so install that version (or newer) to open it"
                    )
                if version == known:
                    db.execute("COMMIT")
                    return
                for statement in _statements(MIGRATIONS[version]):
                    db.execute(statement)
                step = MIGRATION_STEPS.get(version)
                if step is not None:
                    step(db)
                # PRAGMA takes no parameters; version is an int we computed.
                db.execute(f"PRAGMA user_version = {version + 1:d}")
                db.execute("COMMIT")
            except BaseException:
                _rollback(db)
                raise
        log.info("journal %s upgraded to schema version %d", path, version + 1)


def _statements(script: str) -> list[str]:
    """Split a script into statements (executescript would commit our transaction)."""
    statements: list[str] = []
    current = ""
    for part in script.split(";"):
        current += part + ";"
        # complete_statement knows about ';' inside strings and trigger bodies.
        if sqlite3.complete_statement(current):
            if current.strip(" \t\n;"):
                statements.append(current.strip())
            current = ""
    if current.strip(" \t\n;"):
        raise StoreError(f"incomplete SQL at the end of a migration: {current.strip()!r}")
    return statements


def _user_version(db: sqlite3.Connection) -> int:
    (version,) = db.execute("PRAGMA user_version").fetchone()
    return int(version)


def _rollback(db: sqlite3.Connection) -> None:
    if db.in_transaction:
        try:
            db.execute("ROLLBACK")
        except sqlite3.Error:
            # SQLite may already have rolled back by itself (e.g. on a full
            # disk); the original error is the one worth reporting.
            log.exception("rollback failed")


@contextmanager
def _errors(what: str) -> Iterator[None]:
    try:
        yield
    except sqlite3.Error as exc:
        raise StoreError(f"could not {what}: {exc}") from exc


@contextmanager
def _corrupt(kiosk_order_id: str) -> Iterator[None]:
    try:
        yield
    except (ValueError, TypeError) as exc:
        raise StoreError(f"{kiosk_order_id}: unreadable journal row: {exc}") from exc


def seq_floor_key(store_id: str, terminal_id: str, day: str) -> str:
    """The kiosk_meta key of a seq floor (see ``Journal.raise_seq_floors``)."""
    return f"seq_floor/{store_id}/{terminal_id}/{day}"


def document_floor_key(series: Series | str) -> str:
    """The kiosk_meta key of a series' floor: the highest number an earlier journal issued."""
    return f"doc_floor/{Series(series).value}"


def check_day(day: str) -> str:
    """``day`` if it is a business day ``YYYYMMDD``; ValueError otherwise."""
    if not _DAY.fullmatch(day):
        # A "2026-11-24" would match nothing and look like a quiet day.
        raise ValueError(f"business day must be YYYYMMDD, not {day!r}")
    return day


def time_to_text(at: datetime) -> str:
    """A time as the journal stores it: fixed-width ISO-8601 text in UTC."""
    return _to_text(at)


def time_from_text(text: str) -> datetime:
    """A time as the journal stored it, back as an aware datetime in UTC."""
    return _from_text(text)


def _to_text(at: datetime) -> str:
    if at.tzinfo is None or at.utcoffset() is None:
        # A naive time would silently be read as the machine's local zone.
        raise StoreError(f"naive datetime {at.isoformat()} cannot be journaled")
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def _opt_text(at: datetime | None) -> str | None:
    return None if at is None else _to_text(at)


def _from_text(text: str) -> datetime:
    at = datetime.fromisoformat(text)
    if at.tzinfo is None:
        raise ValueError(f"naive datetime {text!r} in the journal")
    return at.astimezone(UTC)


def _opt_from_text(text: str | None) -> datetime | None:
    return None if text is None else _from_text(text)


def _order_values(order: Order) -> tuple[object, ...]:
    """The row values of ``order`` in ``_ORDER_COLUMNS`` order."""
    return (
        order.amount.satang,
        order.currency,
        order.method.value,
        order.description,
        order.state.value,
        int(order.late),
        _to_text(order.created_at),
        _opt_text(order.updated_at),
        order.ttl_s,
        _opt_text(order.gateway_expires_at),
        order.gateway_order_id,
        order.gateway_charge_id,
        order.reference_order,
        order.qr_payload,
        order.failure_code,
        order.failure_message,
        _opt_text(order.paid_at),
        order.sale_ref,
        int(order.sandbox),
    )


def _attention_from_row(kiosk_order_id: str, row: tuple[Any, ...]) -> Attention | None:
    value = dict(zip(_ATTENTION_COLUMNS, row, strict=True))
    if value["reason"] is None:
        return None
    raw = json.loads(value["raw"])
    if not isinstance(raw, dict):
        raise ValueError("attention raw fields are not an object")
    return Attention(
        kiosk_order_id=kiosk_order_id,
        reason=Reason(value["reason"]),
        raised_at=_from_text(value["raised_at"]),
        raw=tuple((str(k), str(v)) for k, v in sorted(raw.items())),
        cleared_at=_opt_from_text(value["cleared_at"]),
        outcome=Outcome(value["outcome"]) if value["outcome"] is not None else None,
        note=value["note"] or "",
    )


def _order_from_row(row: tuple[Any, ...]) -> Order:
    kiosk_order_id = row[0]
    width = 1 + len(_ORDER_COLUMNS)
    with _corrupt(str(kiosk_order_id)):
        value = dict(zip(_ORDER_COLUMNS, row[1:width], strict=True))
        attention = _attention_from_row(kiosk_order_id, row[width:])
        return Order(
            kiosk_order_id=kiosk_order_id,
            amount=Money(int(value["amount_satang"])),
            method=Method(value["method"]),
            created_at=_from_text(value["created_at"]),
            state=OrderState(value["state"]),
            currency=value["currency"],
            description=value["description"],
            late=bool(value["late"]),
            updated_at=_opt_from_text(value["updated_at"]),
            ttl_s=value["ttl_s"],
            gateway_expires_at=_opt_from_text(value["gateway_expires_at"]),
            gateway_order_id=value["gateway_order_id"],
            gateway_charge_id=value["gateway_charge_id"],
            reference_order=value["reference_order"],
            qr_payload=value["qr_payload"],
            failure_code=value["failure_code"],
            failure_message=value["failure_message"],
            paid_at=_opt_from_text(value["paid_at"]),
            sale_ref=value["sale_ref"],
            sandbox=bool(value["sandbox"]),
            attention=attention,
        )
