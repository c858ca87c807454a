"""Schema 6's Python step: chain the records a journal already holds.

Runs once, inside the migration's transaction (kiosk.store.journal), after
its SQL added the ``chain`` table, the column ``status_changes.order_after``
and a new ``z_reports`` (any number of reports a day, each with its chain
position; the old table stays as ``z_reports_by_day``). In order:

1. each order's newest status change gets the order's row (its columns
   that are not null) as its ``order_after``: the row is the order as it
   was after that change, so every order's current row can be recomputed
   from its history;
2. every existing record is chained in time order (status changes, Z
   reports, flags and their clearing, notices and their acknowledgement); an
   earlier Z report is given its position and the last status change before
   it, so the first batch after the upgrade starts where it ended;
3. from then on the history tables refuse UPDATE and DELETE (triggers; the
   chain catches an edit made with them dropped).

Never edited once released: a journal in the field was upgraded by it.
"""

from __future__ import annotations

import heapq
import sqlite3
from collections.abc import Iterator, Sequence

from kiosk.store.chain import (
    FLAG,
    FLAG_CLEARED,
    GENESIS,
    NOTICE,
    NOTICE_SEEN,
    STATUS,
    Z_REPORT,
    Part,
    canonical,
    compact_json,
    digest,
    set_values,
)

CHUNK = 5000

PROTECT = (
    """
    CREATE TRIGGER z_reports_kept_update BEFORE UPDATE ON z_reports
    BEGIN
        SELECT RAISE(ABORT, 'a Z report is immutable once issued');
    END
    """,
    """
    CREATE TRIGGER z_reports_kept_delete BEFORE DELETE ON z_reports
    BEGIN
        SELECT RAISE(ABORT, 'a Z report is immutable once issued');
    END
    """,
    """
    CREATE TRIGGER status_changes_kept_update BEFORE UPDATE ON status_changes
    BEGIN
        SELECT RAISE(ABORT, 'a status change is history: it is never changed');
    END
    """,
    """
    CREATE TRIGGER status_changes_kept_delete BEFORE DELETE ON status_changes
    BEGIN
        SELECT RAISE(ABORT, 'a status change is history: it is never deleted');
    END
    """,
    """
    CREATE TRIGGER chain_kept_update BEFORE UPDATE ON chain
    BEGIN
        SELECT RAISE(ABORT, 'the journal chain is never changed');
    END
    """,
    """
    CREATE TRIGGER chain_kept_delete BEFORE DELETE ON chain
    BEGIN
        SELECT RAISE(ABORT, 'the journal chain is never changed');
    END
    """,
    """
    CREATE TRIGGER notices_kept BEFORE DELETE ON notices
    BEGIN
        SELECT RAISE(ABORT, 'a notice is never deleted');
    END
    """,
    """
    CREATE TRIGGER notices_seen_once BEFORE UPDATE ON notices
    WHEN OLD.acknowledged_at IS NOT NULL
        OR NEW.kiosk_order_id IS NOT OLD.kiosk_order_id
        OR NEW.kind IS NOT OLD.kind
        OR NEW.raised_at IS NOT OLD.raised_at
    BEGIN
        SELECT RAISE(ABORT, 'a notice is acknowledged once and otherwise never changes');
    END
    """,
)

# (time, rank, tie, part, key, values): rank keeps a flag before its clearing at
# one instant, tie keeps the order of equal ones; values when already read.
Entry = tuple[str, int, int, Part, object, dict[str, object] | None]


def chain_existing(db: sqlite3.Connection, order_columns: Sequence[str]) -> None:
    """Steps 1-3 of the module doc; ``order_columns``: every column of ``orders``."""
    _last_rows_as_history(db, order_columns)
    prev = GENESIS
    last_status = 0
    links: list[tuple[int, str, str, object, str]] = []
    entries = heapq.merge(_status_entries(db), _other_entries(db))
    for seq, (_, _, _, part, key, read) in enumerate(entries, start=1):
        if part is Z_REPORT:
            db.execute(
                "UPDATE z_reports SET chain_seq = ?, last_status_id = ? WHERE number = ?",
                (seq, last_status, key),
            )
        elif part is STATUS:
            last_status = int(str(key))
        values = read if read is not None else _values(db, part, key)
        hash_ = digest(prev, canonical(seq, part, values))
        links.append((seq, part.table, part.name, key, hash_))
        prev = hash_
        if len(links) >= CHUNK:
            _flush(db, links)
    _flush(db, links)
    for statement in PROTECT:
        db.execute(statement)


def _last_rows_as_history(db: sqlite3.Connection, columns: Sequence[str]) -> None:
    cursor = db.execute(
        f"SELECT {', '.join(f'o.{c}' for c in columns)},"
        " (SELECT MAX(s.id) FROM status_changes AS s WHERE s.kiosk_order_id = o.kiosk_order_id)"
        " FROM orders AS o"
    )
    while rows := cursor.fetchmany(CHUNK):
        db.executemany(
            "UPDATE status_changes SET order_after = ? WHERE id = ?",
            [
                (compact_json(set_values(dict(zip(columns, row[:-1], strict=True)))), row[-1])
                for row in rows
                if row[-1] is not None  # an order without history: verify names it
            ],
        )


def _status_entries(db: sqlite3.Connection) -> Iterator[Entry]:
    # Journal order (id); heapq.merge places the few other records by time.
    cursor = db.execute(f"SELECT {', '.join(STATUS.columns)} FROM status_changes ORDER BY id")
    while rows := cursor.fetchmany(CHUNK):
        for row in rows:
            values = dict(zip(STATUS.columns, row, strict=True))
            id_ = int(str(values["id"]))
            yield str(values["at"]), 1, id_, STATUS, id_, values


def _other_entries(db: sqlite3.Connection) -> Iterator[Entry]:
    found: list[tuple[str, int, str, Part, object]] = []
    for issued_at, number in db.execute("SELECT issued_at, number FROM z_reports"):
        found.append((str(issued_at), 2, str(number), Z_REPORT, int(number)))
    for raised, cleared, key in db.execute(
        "SELECT raised_at, cleared_at, kiosk_order_id FROM attention"
    ):
        found.append((str(raised), 0, str(key), FLAG, key))
        if cleared is not None:
            found.append((str(cleared), 3, str(key), FLAG_CLEARED, key))
    for raised, seen, key in db.execute(
        "SELECT raised_at, acknowledged_at, kiosk_order_id FROM notices"
    ):
        found.append((str(raised), 0, str(key), NOTICE, key))
        if seen is not None:
            found.append((str(seen), 3, str(key), NOTICE_SEEN, key))
    found.sort(key=lambda e: (e[0], e[1], e[3].table, e[2]))
    return iter(
        [(at, rank, i, part, key, None) for i, (at, rank, _, part, key) in enumerate(found)]
    )


def _values(db: sqlite3.Connection, part: Part, key: object) -> dict[str, object]:
    row = db.execute(
        f"SELECT {', '.join(part.columns)} FROM {part.table} WHERE {part.key} = ?", (key,)
    ).fetchone()
    return dict(zip(part.columns, row, strict=True))


def _flush(db: sqlite3.Connection, links: list[tuple[int, str, str, object, str]]) -> None:
    db.executemany("INSERT INTO chain (seq, tbl, part, ref, hash) VALUES (?, ?, ?, ?, ?)", links)
    links.clear()


__all__ = ["PROTECT", "chain_existing"]
