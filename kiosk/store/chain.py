"""The journal's hash chain: every record of the append path, linked by SHA-256.

Each record the journal appends (``Journal._append``) gets one row in the
table ``chain`` (schema 6), written in the same transaction as the record:

    hash = SHA-256(previous record's hash + canonical record)

The canonical record is sorted-key JSON of the record's chain position, its
table, its *part* and the row's values (``canonical``). A part is what one
append writes: a status change (with the order's fields it changed, column
``order_after``, so an order's current row can be recomputed from its
history), a Z report, a manager's flag and its clearing, a cashier notice and
its acknowledgement. Rows are read back from their own tables to check them,
so the chain holds only the record's key and its hash, never a second copy.

Positions come from the AUTOINCREMENT counter (``sqlite_sequence``): it never
goes back, so a record deleted from the end leaves a gap the verifier sees
even when nothing follows it yet.

What this does not stop: someone who can write the file can recompute the
whole chain. The printed Z reports carry the chain head and record count at
their close, to compare with (README "Tamper-evident journal").
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field

GENESIS = "0" * 64  # the "previous hash" of the first record


@dataclass(frozen=True)
class Part:
    """What one append writes: a table, which columns, and the row's key."""

    table: str
    name: str
    key: str
    columns: tuple[str, ...]
    # A part written later than the row (a flag's clearing): the values its
    # columns hold until it is written; any other value is an edit.
    unset: Mapping[str, object] = field(default_factory=dict)

    @property
    def is_test(self) -> bool:
        """A sandbox record by its table (a test Z): never sent to the store database."""
        return self.table.startswith("test_")


STATUS = Part(
    "status_changes",
    "row",
    "id",
    (
        "id",
        "kiosk_order_id",
        "at",
        "from_state",
        "to_state",
        "gateway_order_id",
        "gateway_charge_id",
        "failure_code",
        "failure_message",
        "order_after",
    ),
)
Z_REPORT = Part(
    "z_reports",
    "row",
    "number",
    (
        "number",
        "business_day",
        "store_id",
        "terminal_id",
        "issued_at",
        "previous_number",
        "content",
        "chain_seq",
        "last_status_id",
    ),
)
# Since schema 10: a sandbox kiosk's Z reports, a series of their own
# (``TEST-Z000001``): the same columns, in their own table and counter.
TEST_Z_REPORT = Part("test_z_reports", "row", "number", Z_REPORT.columns)
FLAG = Part(
    "attention", "raise", "kiosk_order_id", ("kiosk_order_id", "reason", "raw", "raised_at")
)
FLAG_CLEARED = Part(
    "attention",
    "clear",
    "kiosk_order_id",
    ("kiosk_order_id", "cleared_at", "outcome", "note"),
    unset={"cleared_at": None, "outcome": None, "note": ""},
)
NOTICE = Part("notices", "raise", "kiosk_order_id", ("kiosk_order_id", "kind", "raised_at"))
NOTICE_SEEN = Part(
    "notices",
    "ack",
    "kiosk_order_id",
    ("kiosk_order_id", "acknowledged_at"),
    unset={"acknowledged_at": None},
)
DOCUMENT = Part(
    "documents", "row", "id", ("id", "kind", "number", "copy", "kiosk_order_id", "issued_at")
)
# Since schema 8: a numbered document of a series (kind), with its printed
# prefix and what its issuer keeps with it (detail, JSON).
DOCUMENT_ISSUE = Part(
    "documents",
    "issue",
    "id",
    ("id", "kind", "prefix", "number", "copy", "kiosk_order_id", "issued_at", "detail"),
)
PARTS: dict[tuple[str, str], Part] = {
    (p.table, p.name): p
    for p in (
        STATUS,
        Z_REPORT,
        TEST_Z_REPORT,
        FLAG,
        FLAG_CLEARED,
        NOTICE,
        NOTICE_SEEN,
        DOCUMENT,
        DOCUMENT_ISSUE,
    )
}
# Tables whose every row must be named by the chain (orders: through its history).
TABLES = ("status_changes", "z_reports", "test_z_reports", "attention", "notices", "documents")
# The tables of Z reports: the real series, the sandbox's (schema 10).
Z_TABLES = {Z_REPORT.table: Z_REPORT, TEST_Z_REPORT.table: TEST_Z_REPORT}


@dataclass(frozen=True)
class Head:
    """Where the chain ends: the last position handed out and the newest record's hash."""

    position: int
    hash: str


# One encoder for every record: json.dumps would build one per call.
_JSON = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def canonical(seq: int, part: Part, values: Mapping[str, object]) -> str:
    """The record as it is hashed: sorted-key JSON of position, table, part and row values.

    ``{"part":"row","row":{"at":"...","id":7,...},"seq":12,"table":"status_changes"}``
    — compact, UTF-8, keys sorted, values as SQLite stores them (text,
    integers, null); an independent checker can rebuild it from the rows.
    """
    row = {column: values[column] for column in part.columns}
    return _JSON.encode({"part": part.name, "row": row, "seq": seq, "table": part.table})


def digest(prev_hash: str, record: str) -> str:
    return hashlib.sha256((prev_hash + record).encode("utf-8")).hexdigest()


def head(db: sqlite3.Connection) -> Head:
    """The chain's end (call inside the write transaction that appends after it)."""
    counter, newest, hash_ = db.execute(
        "SELECT (SELECT seq FROM sqlite_sequence WHERE name = 'chain'),"
        " (SELECT MAX(seq) FROM chain),"
        " (SELECT hash FROM chain ORDER BY seq DESC LIMIT 1)"
    ).fetchone()
    return Head(max(int(newest or 0), int(counter or 0)), str(hash_ or GENESIS))


@dataclass(frozen=True)
class Link:
    """One chain row as appended: its position, the hash it links to and its own."""

    seq: int
    prev_hash: str
    hash: str


def link(db: sqlite3.Connection, part: Part, values: Mapping[str, object]) -> Link:
    """Append the chain row of one record (already written); where it went.

    Inside the caller's transaction: the record and its link commit together.
    """
    end = head(db)
    seq = end.position + 1
    hash_ = digest(end.hash, canonical(seq, part, values))
    db.execute(
        "INSERT INTO chain (seq, tbl, part, ref, hash) VALUES (?, ?, ?, ?, ?)",
        (seq, part.table, part.name, values[part.key], hash_),
    )
    return Link(seq, end.hash, hash_)


def compact_json(value: Mapping[str, object]) -> str:
    """Sorted-key JSON without spaces: how the journal writes JSON it will hash."""
    return _JSON.encode(value)


def set_values(row: Mapping[str, object]) -> dict[str, object]:
    """An order row as its history holds it: the columns that are not null.

    An order's row is recomputed from null columns updated, change after
    change, with each status change's ``order_after``.
    """
    return {column: value for column, value in row.items() if value is not None}


__all__ = [
    "DOCUMENT",
    "DOCUMENT_ISSUE",
    "FLAG",
    "FLAG_CLEARED",
    "GENESIS",
    "NOTICE",
    "NOTICE_SEEN",
    "PARTS",
    "STATUS",
    "TABLES",
    "TEST_Z_REPORT",
    "Z_REPORT",
    "Z_TABLES",
    "Head",
    "Link",
    "Part",
    "canonical",
    "compact_json",
    "digest",
    "head",
    "link",
    "set_values",
]
