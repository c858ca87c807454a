"""Walk the journal's hash chain and say whether anything was altered (``kiosk verify``).

Checks, each naming the record it finds broken:

1. the chain: positions without a gap, and each hash equal to
   SHA-256(previous record's hash + the canonical record) recomputed from the
   row *as it is now* in its table (an edited row, a row deleted under its
   link, an edited hash: the record after it no longer links);
2. every row of the chained tables is named by the chain (a row slipped in),
   and a part not yet written (a flag not cleared) still holds its defaults;
3. every order's row equals what its chained history says (each status
   change carries the order's fields it changed);
4. each Z report's stored chain head and record count match the chain at
   its position, and the chain's counter (``sqlite_sequence``) matches its
   end: records deleted from the end leave the counter ahead.

``quick`` (the window's start-up) checks only the newest ``QUICK_TAIL``
records, the status changes since the first of them, the orders they touch,
every Z's anchor and the counter.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any

from kiosk.store.chain import (
    DOCUMENT_ISSUE,
    GENESIS,
    PARTS,
    STATUS,
    TABLES,
    Z_REPORT,
    Z_TABLES,
    Part,
    canonical,
    digest,
)

QUICK_TAIL = 2000
MAX_BROKEN = 200  # enough to name what is wrong; a wholesale rewrite need not list it all
CHUNK = 5000
_LAST = 1 << 62  # sorts a finding without a chain position after those with one

# Every column of the chained tables, as the walk reads them back.
_COLUMNS: dict[str, tuple[str, ...]] = {
    "status_changes": STATUS.columns,
    "z_reports": Z_REPORT.columns,
    "test_z_reports": Z_REPORT.columns,
    "attention": ("kiosk_order_id", "reason", "raw", "raised_at", "cleared_at", "outcome", "note"),
    "notices": ("kiosk_order_id", "kind", "raised_at", "acknowledged_at"),
    "documents": DOCUMENT_ISSUE.columns,  # every column (the older part "row" reads fewer)
}
# The others: kiosk_order_id.
_KEYS = {
    "status_changes": "id",
    "z_reports": "number",
    "test_z_reports": "number",
    "documents": "id",
}


@dataclass(frozen=True)
class Broken:
    """One record that does not check out."""

    table: str
    id: str
    reason: str
    seq: int | None = None  # its chain position, when it has one

    def record(self) -> dict[str, str]:
        return {"table": self.table, "id": self.id, "reason": self.reason}


@dataclass(frozen=True)
class ChainCheck:
    """What a walk found: how much it checked, the chain's end, what is broken."""

    checked: int  # chain records walked
    orders: int  # orders recomputed from their history
    records: int  # the chain's length (its last position)
    head: str  # the newest record's hash
    quick: bool = False
    broken: tuple[Broken, ...] = field(default=())
    more: bool = False  # more were broken than listed

    @property
    def ok(self) -> bool:
        return not self.broken

    @property
    def first_broken(self) -> Broken | None:
        return self.broken[0] if self.broken else None


def verify_chain(
    db: sqlite3.Connection,
    order_row: Sequence[str],
    *,
    quick: bool = False,
    defaults: Mapping[str, object] | None = None,
) -> ChainCheck:
    """Check the journal on ``db`` (read only); ``order_row``: every column of ``orders``.

    ``defaults``: columns added to ``orders`` later with a NOT NULL default,
    which an older order's history does not name.
    """
    walk = _Walk(db, order_row, defaults or {})
    records, head = walk.chain_end()
    start = max(0, records - QUICK_TAIL) if quick else 0
    walk.links(start, quick)
    walk.orders(None if not quick else walk.touched)
    walk.anchors()
    walk.counter(records)
    broken = sorted(walk.found, key=lambda b: (_LAST if b.seq is None else b.seq, b.table, b.id))
    return ChainCheck(
        checked=walk.checked,
        orders=walk.replayed,
        records=records,
        head=head,
        quick=quick,
        broken=tuple(broken[:MAX_BROKEN]),
        more=walk.count > MAX_BROKEN,
    )


class _Walk:
    def __init__(
        self, db: sqlite3.Connection, order_row: Sequence[str], defaults: Mapping[str, object]
    ) -> None:
        self.db = db
        self.order_row = tuple(order_row)
        self.defaults = dict(defaults)
        self.found: list[Broken] = []
        self.count = 0
        self.checked = 0
        self.replayed = 0
        self.chained: dict[tuple[str, str], set[object]] = {key: set() for key in PARTS}
        self.touched: set[str] = set()  # orders whose history the walk read

    def say(self, table: str, key: object, reason: str, seq: int | None = None) -> None:
        self.count += 1
        if len(self.found) < 10 * MAX_BROKEN:  # a rewritten journal: enough to sort and name
            self.found.append(Broken(table, str(key), reason, seq))

    def chain_end(self) -> tuple[int, str]:
        row = self.db.execute("SELECT seq, hash FROM chain ORDER BY seq DESC LIMIT 1").fetchone()
        return (int(row[0]), str(row[1])) if row else (0, GENESIS)

    # 1. links and hashes; 2. rows the chain does not name
    def links(self, start: int, quick: bool) -> None:
        """Walk the chain from ``start`` beside the status changes (both in journal order)."""
        prev_seq, prev_hash = start, GENESIS
        if start:
            row = self.db.execute(
                "SELECT hash FROM chain WHERE seq <= ? ORDER BY seq DESC LIMIT 1", (start,)
            ).fetchone()
            prev_hash = str(row[0]) if row else GENESIS
        # Status ids grow with chain positions: the two are walked side by side,
        # without a lookup per record. The few other rows are read up front.
        (first_id,) = self.db.execute(
            "SELECT MIN(ref) FROM chain WHERE seq > ? AND tbl = 'status_changes'", (start,)
        ).fetchone()
        since = (_LAST if first_id is None else first_id) if quick else None
        self.status = _Rows(self.db, since)
        others = {table: self._table(table) for table in TABLES if table != "status_changes"}
        cursor = self.db.execute(
            "SELECT seq, tbl, part, ref, hash FROM chain WHERE seq > ? ORDER BY seq", (start,)
        )
        for seq, table, part_name, ref, hash_ in _stream(cursor):
            self.checked += 1
            if seq != prev_seq + 1:
                first, last = prev_seq + 1, seq - 1
                gap = str(first) if first == last else f"{first}-{last}"
                self.say("chain", gap, f"records {gap} are missing from the chain", first)
            linked_to, prev_seq, prev_hash = prev_hash, seq, hash_
            part = PARTS.get((table, part_name))
            if part is None:
                self.say(table, ref, f"the chain names an unknown record ({part_name})", seq)
                continue
            if part is not STATUS:  # status rows are checked beside the walk
                self.chained[(table, part_name)].add(ref)
            values = self.status.take(ref, self) if part is STATUS else others[table].get(ref)
            if values is None:
                self.say(table, ref, "the record was deleted", seq)
                continue
            if digest(linked_to, canonical(seq, part, values)) != hash_:
                self.say(table, ref, "the record was changed after it was journaled", seq)
            if part is STATUS:
                self.touched.add(str(values["kiosk_order_id"]))
            elif part.table in Z_TABLES and values["chain_seq"] != seq:
                self.say(table, ref, f"it claims chain position {values['chain_seq']}", seq)
        for row in self.status.rest():
            self.unchained(row["id"])
        if not quick:  # the tail knows only its own flags and notices
            for table, rows in others.items():
                parts = [p for (t, _), p in PARTS.items() if t == table]
                for key, values in rows.items():
                    self._row(table, parts, key, values)

    def unchained(self, key: object) -> None:
        self.say("status_changes", key, "the row is not in the chain (added outside the kiosk)")

    def _table(self, table: str) -> dict[object, dict[str, Any]]:
        columns = _COLUMNS[table]
        key = _KEYS.get(table, "kiosk_order_id")
        rows = self.db.execute(f"SELECT {', '.join(columns)} FROM {table}").fetchall()
        return {
            values[key]: values for values in (dict(zip(columns, r, strict=True)) for r in rows)
        }

    def _row(self, table: str, parts: list[Part], key: object, values: dict[str, Any]) -> None:
        # A row is written by one of its table's creating parts (documents: "row"
        # before schema 8, "issue" since); the others are later changes.
        creating = [p for p in parts if not p.unset]
        if creating and not any(key in self.chained[(table, p.name)] for p in creating):
            self.say(table, key, "the row is not in the chain (added outside the kiosk)")
            return
        for part in parts:
            if key in self.chained[(table, part.name)] or not part.unset:
                continue
            changed = [c for c, v in part.unset.items() if values[c] != v]
            if changed:
                self.say(table, key, f"{', '.join(changed)} set outside the kiosk")

    # 3. every order's row from its history
    def orders(self, only: set[str] | None) -> None:
        columns = ", ".join(self.order_row)
        if only is None:
            history = self.db.execute(
                "SELECT kiosk_order_id, order_after FROM status_changes ORDER BY kiosk_order_id, id"
            )
            rows = self.db.execute(f"SELECT {columns} FROM orders ORDER BY kiosk_order_id")
            self._replay(_stream(history), _stream(rows))
            return
        for order_id in sorted(only):
            history = self.db.execute(
                "SELECT kiosk_order_id, order_after FROM status_changes"
                " WHERE kiosk_order_id = ? ORDER BY id",
                (order_id,),
            )
            rows = self.db.execute(
                f"SELECT {columns} FROM orders WHERE kiosk_order_id = ?", (order_id,)
            )
            self._replay(_stream(history), _stream(rows))

    def _replay(self, history: Iterator[tuple[Any, ...]], rows: Iterator[tuple[Any, ...]]) -> None:
        groups = groupby(history, key=lambda r: str(r[0]))
        group = next(groups, None)
        row = next(rows, None)
        while group is not None or row is not None:
            live_id = None if row is None else str(row[0])
            if group is not None and (live_id is None or group[0] < live_id):
                self.say("orders", group[0], "the order was deleted; its history remains")
                group = next(groups, None)
                continue
            if group is None or (live_id is not None and live_id < group[0]):
                self.say("orders", live_id, "the order has no history (added outside the kiosk)")
                row = next(rows, None)
                continue
            assert row is not None and live_id is not None
            self.replayed += 1
            self._compare(live_id, [r[1] for r in group[1]], row)
            group, row = next(groups, None), next(rows, None)

    def _compare(self, order_id: str, changes: list[Any], row: tuple[Any, ...]) -> None:
        # From nulls, each change's fields in turn (kiosk.store.chain.set_values).
        expected: dict[str, Any] = dict.fromkeys(self.order_row) | self.defaults
        try:
            for change in changes:
                if change is not None:
                    expected.update(json.loads(change))
        except (ValueError, TypeError):
            self.say("orders", order_id, "its history cannot be read")
            return
        for column, value in zip(self.order_row, row, strict=True):
            if expected[column] != value:
                self.say(
                    "orders",
                    order_id,
                    f"{column} is {value!r} but its history says {expected[column]!r}",
                )
                return

    # 4. the Z reports' anchors, and the chain's counter
    def anchors(self) -> None:
        for table in Z_TABLES:  # the real series and the sandbox's
            self._anchors(table)

    def _anchors(self, table: str) -> None:
        for number, chain_seq, content in self.db.execute(
            f"SELECT number, chain_seq, content FROM {table} ORDER BY number"
        ):
            try:
                data = json.loads(content)
            except (ValueError, TypeError):
                continue  # the chain walk says the row was changed
            if not isinstance(data, dict) or "chain_head" not in data:
                continue  # a report from before the chain
            link = self.db.execute(
                "SELECT tbl, ref, (SELECT hash FROM chain WHERE seq < ? ORDER BY seq DESC LIMIT 1)"
                " FROM chain WHERE seq = ?",
                (chain_seq, chain_seq),
            ).fetchone()
            if link is None or (link[0], link[1]) != (table, number):
                self.say(table, number, "its own record is gone from the chain", chain_seq)
            elif data.get("records") != (chain_seq or 0) - 1 or data["chain_head"] != (
                link[2] or GENESIS
            ):
                self.say(
                    table,
                    number,
                    "the chain head and count it printed do not match the chain",
                    chain_seq,
                )

    def counter(self, records: int) -> None:
        row = self.db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'chain'").fetchone()
        counter = int(row[0]) if row else 0
        if counter > records:
            missing = counter - records
            self.say(
                "chain",
                str(records + 1),
                f"the newest {missing} record(s) were deleted (the counter is at {counter})",
                records + 1,
            )
        elif counter < records:
            self.say("chain", str(counter), f"its counter was set back to {counter}", counter)


class _Rows:
    """The status changes in id order, taken as the chain names them."""

    def __init__(self, db: sqlite3.Connection, since: int | None) -> None:
        self.db = db
        where, params = ("WHERE id >= ?", (since,)) if since is not None else ("", ())
        cursor = db.execute(
            f"SELECT {', '.join(STATUS.columns)} FROM status_changes {where} ORDER BY id", params
        )
        self.rows = (dict(zip(STATUS.columns, r, strict=True)) for r in _stream(cursor))
        self.next: dict[str, Any] | None = next(self.rows, None)
        self.seen = -1

    def take(self, ref: object, walk: _Walk) -> dict[str, Any] | None:
        """The row ``ref``; rows passed on the way are named as not in the chain."""
        if not isinstance(ref, int) or ref <= self.seen:
            # Out of journal order (an edited chain): look it up alone.
            row = self.db.execute(
                f"SELECT {', '.join(STATUS.columns)} FROM status_changes WHERE id = ?", (ref,)
            ).fetchone()
            return None if row is None else dict(zip(STATUS.columns, row, strict=True))
        while self.next is not None and self.next["id"] < ref:
            walk.unchained(self.next["id"])
            self.next = next(self.rows, None)
        self.seen = ref
        if self.next is None or self.next["id"] != ref:
            return None
        found, self.next = self.next, next(self.rows, None)
        return found

    def rest(self) -> Iterator[dict[str, Any]]:
        while self.next is not None:
            yield self.next
            self.next = next(self.rows, None)


def _stream(cursor: sqlite3.Cursor) -> Iterator[tuple[Any, ...]]:
    while rows := cursor.fetchmany(CHUNK):
        yield from rows


__all__ = ["MAX_BROKEN", "QUICK_TAIL", "Broken", "ChainCheck", "verify_chain"]
