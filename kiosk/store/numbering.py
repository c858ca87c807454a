"""Order numbers that go on past a replaced journal, and this install's id.

The gateway keeps our order id as its idempotency key: an id used twice hands
back the earlier customer's order. The random part of each id (README "Order
ids") keeps ids apart almost always; this module keeps the *sequence* honest
as well. When a journal starts empty (first install, or after a damaged one
was set aside by kiosk.store.health, or deleted by hand), every record of
earlier sales in the data folder is read once, read-only and best effort:

- the damaged copies ``journal.sqlite3.damaged-*``: through SQLite as far as
  it reads, and as raw bytes (with the ``-wal``), since an id is plain text in
  the file even where SQLite gives up on a page;
- every journal copy under ``backups/`` and the receipt archive
  ``receipts/archive.sqlite3``, through SQLite;
- the log files ``logs/kiosk.log*`` (each journaled order is logged).

The highest seq found per (store, terminal, Bangkok day) becomes a floor in
the new journal (``Journal.raise_seq_floors``) and ``new_order`` numbers
above it. A file that is corrupt, locked or unreadable is logged and skipped:
it never stops the kiosk. What cannot be a real number (a seq above 9999, a
day that is no date) is ignored, so garbage cannot use up a day's numbers;
a wrong but plausible one only skips numbers, it never repeats one.

The same read carries the Z reports on (kiosk.store.batches): the highest Z
number an earlier journal issued and its perpetual grand total (through
SQLite: its floor plus every PAID it holds, or its newest Z's figure,
whichever is higher; as raw bytes and from the log: the newest Z's figures
found as text) become the floors ``z_number_floor`` and
``grand_total_floor``, so the next Z is numbered after them and its grand
total goes on from there. A sandbox kiosk's TEST-Z series (schema 10, table
``test_z_reports``, printed ``TEST-Z000001``) goes on the same way from its
own floors (``test_z_number_floor``, ``test_grand_total_floor``: its test
sales only); neither series' floor is raised by the other's reports. Sales
after the last Z of a journal that no longer opens at all are not in that
floor (README "Tamper-evident journal").

Document numbers (kiosk.domain.documents: payment slips, sandbox slips, tax
invoices) go on the same way: the highest number of each series found in an
earlier journal (its ``documents`` and its own floors), in the receipt
archive (which outlives a journal: it is its own file) and in the log (each
issue is logged as ``document T01-000123 (receipt) issued``) becomes the
series' floor (``doc_floor/<series>``), so a number is never handed out twice.

The install id (kiosk_meta ``install_id``, 26 base32 characters, 130 random
bits) names this data folder in the log; it is carried over from an earlier
journal when one reads. It is not part of the order id (README "Order ids").
"""

from __future__ import annotations

import json
import logging
import re
import secrets
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

from kiosk.domain.documents import Series
from kiosk.domain.errors import Text
from kiosk.domain.order import SEQ_DIGITS, SUFFIX_ALPHABET, is_business_day
from kiosk.store.batches import (
    GRAND_TOTAL_FLOOR_KEY,
    TEST_GRAND_TOTAL_FLOOR_KEY,
    TEST_Z_FLOOR_KEY,
    Z_FLOOR_KEY,
)
from kiosk.store.health import damaged_copies
from kiosk.store.journal import Journal, SeqKey

log = logging.getLogger("kiosk.store.numbering")

INSTALL_ID_KEY = "install_id"
READ_KEY = "earlier_journals_read"  # set once the earlier records were read (and when)
MAX_SEQ = 10**SEQ_DIGITS - 1  # a floor above this is garbage, not a day's sales
MAX_Z = 10**6 - 1  # Z numbers print with 6 digits
MAX_SATANG = 10**15  # a grand total beyond this is garbage
TIME_PER_FILE_S = 10.0  # a corrupt or huge file is given up on after this
CHUNK = 4 << 20  # raw files are scanned in pieces this big

# An id as text: store, terminal, day, the first 4 digits of the seq. No
# boundary checks: in a raw SQLite page the byte before an id may be a letter
# (so every tail of the store part is taken too) and the next column follows
# the id without a separator.
_RAW_ID = re.compile(rb"([A-Za-z0-9]{1,12})-([A-Za-z0-9]{1,12})-(\d{8})-(\d{4})")
# A Z report's content as the journal stores it (JSON with sorted keys), and
# the log line of its issue (kiosk.services.zreport): plain text in a file
# SQLite no longer opens.
# A real Z's content names its number as text too since schema 10 ("Z000123");
# a test Z's ("TEST-Z000001") is not a real number, and is read on its own.
_RAW_Z_NUMBER = re.compile(
    rb'"number": (\d{1,6}), (?:"number_text": "Z\d{6}", )?"(?:open_at_close|paid_by_method)"'
)
_RAW_TEST_Z_NUMBER = re.compile(rb'"number_text": "TEST-Z(\d{6})"')
_RAW_GRAND_TOTAL = re.compile(rb'"grand_total_satang": (\d{1,15})[,}]')
_LOGGED_Z = re.compile(
    rb"Z report (TEST-)?Z(\d{6}) issued: paid [0-9.]+, grand total (\d{1,13})\.(\d\d)"
)
_PART = re.compile(r"[A-Za-z0-9]{1,12}")  # store/terminal ids as settings allow(ed) them
_FLOOR_KEY = re.compile(r"seq_floor/([A-Za-z0-9]{1,12})/([A-Za-z0-9]{1,12})/(\d{8})")
_DOC_FLOOR_KEY = re.compile(r"doc_floor/([a-z-]{1,16})")
# The log line of an issued document (kiosk.store.journal.Journal.issue_document).
_LOGGED_DOCUMENT = re.compile(rb"document [A-Za-z0-9-]*?(\d{6,9}) \(([a-z-]{1,16})\) issued")
MAX_DOCUMENT = 10**9 - 1

Found = dict[SeqKey, int]


class ZFloors(NamedTuple):
    """What one earlier record says of the Z series: the highest number, the grand total."""

    number: int = 0
    grand_total: int = 0  # satang
    test_number: int = 0  # the sandbox's TEST-Z series
    test_grand_total: int = 0


@dataclass(frozen=True)
class Numbering:
    """What the start-up read found (``read`` is False when nothing needed reading)."""

    install_id: str
    read: bool = False
    sources: tuple[Path, ...] = ()
    unreadable: tuple[Path, ...] = ()
    floors: Found = field(default_factory=dict)
    z_floor: int = 0  # the highest Z number of an earlier journal
    grand_total_floor: int = 0  # satang paid in earlier journals
    test_z_floor: int = 0  # the same of the TEST-Z series (sandbox)
    test_grand_total_floor: int = 0
    document_floors: dict[Series, int] = field(default_factory=dict)  # per series

    def text_for(self, *, journal_was_new: bool) -> Text | None:
        """The cashier's notice when a new journal starts where sales were recorded.

        (A damaged journal has its own notice: kiosk.store.health.)
        """
        if not (journal_was_new and self.floors):
            return None
        return Text(
            "No sales journal was found, but this data folder holds records of earlier"
            " sales: a new journal was started and order numbers go on after them."
            " Call the manager.",
            "ไม่พบสมุดบันทึกการขาย แต่โฟลเดอร์ข้อมูลนี้มีบันทึกการขายก่อนหน้า"
            " จึงเริ่มสมุดบันทึกใหม่และเลขรายการจะต่อจากเดิม กรุณาแจ้งผู้จัดการ",
        )


def continue_numbering(journal: Journal, *, at: datetime) -> Numbering:
    """Once per journal, before its first sale: floors from every earlier record.

    Also makes sure the journal has an install id. Raises StoreError only when
    the journal itself cannot be used; earlier records are best effort.
    """
    if journal.meta(READ_KEY) is not None or _has_orders(journal):
        return Numbering(install_id=_install_id(journal, at))
    floors: Found = {}
    install_ids: list[str] = []
    totals: list[ZFloors] = []  # of each earlier journal
    documents: dict[Series, int] = {}  # the highest number of each document series
    sources: list[Path] = []
    unreadable: list[Path] = []
    for path, readers in _plan(journal.path, install_ids, totals, documents):
        found: Found = {}
        failures = []
        for reader in readers:
            try:
                _merge(found, reader(path))
            except (sqlite3.Error, OSError) as exc:
                failures.append(str(exc))
        if len(failures) == len(readers):
            log.warning("%s could not be read for order numbers: %s", path, "; ".join(failures))
            unreadable.append(path)
        else:
            sources.append(path)
        _merge(floors, found)
    install_id = journal.meta(INSTALL_ID_KEY) or (install_ids[-1] if install_ids else new_id())
    summary = f"{at.astimezone(UTC).isoformat()}: {len(sources)} read, {len(unreadable)} not"
    z_floor = max((t.number for t in totals), default=0)
    total_floor = max((t.grand_total for t in totals), default=0)
    test_z_floor = max((t.test_number for t in totals), default=0)
    test_total_floor = max((t.test_grand_total for t in totals), default=0)
    marks = {INSTALL_ID_KEY: install_id, READ_KEY: summary}
    if z_floor or total_floor:
        marks |= {Z_FLOOR_KEY: str(z_floor), GRAND_TOTAL_FLOOR_KEY: str(total_floor)}
        log.warning(
            "Z reports go on after no. %d of an earlier journal (grand total %d satang)",
            z_floor,
            total_floor,
        )
    if test_z_floor or test_total_floor:
        marks |= {
            TEST_Z_FLOOR_KEY: str(test_z_floor),
            TEST_GRAND_TOTAL_FLOOR_KEY: str(test_total_floor),
        }
        log.warning("TEST-Z reports go on after no. %d of an earlier journal", test_z_floor)
    if documents:
        log.warning(
            "document numbers go on after those of an earlier journal: %s",
            ", ".join(f"{s.value} {n}" for s, n in sorted(documents.items())),
        )
    raised = journal.raise_seq_floors(floors, at, marks=marks, documents=documents)
    if floors:
        day, top = max((d, n) for (_, _, d), n in floors.items())
        log.warning(
            "a new journal where sales were recorded before: order numbers go on after"
            " %d earlier record(s) (%d floor(s) kept; the latest day %s had up to no. %d)",
            len(sources),
            raised,
            day,
            top,
        )
    return Numbering(
        install_id=install_id,
        read=True,
        sources=tuple(sources),
        unreadable=tuple(unreadable),
        floors=floors,
        z_floor=z_floor,
        grand_total_floor=total_floor,
        test_z_floor=test_z_floor,
        test_grand_total_floor=test_total_floor,
        document_floors=documents,
    )


def earlier_records(journal_path: Path) -> list[Path]:
    """Files beside ``journal_path`` that may name orders of an earlier journal."""
    return [path for path, _ in _plan(journal_path, [], [], {})]


def new_id() -> str:
    """26 random base32 characters (130 bits)."""
    return "".join(secrets.choice(SUFFIX_ALPHABET) for _ in range(26))


Reader = Callable[[Path], Found]


def _plan(
    journal_path: Path,
    install_ids: list[str],
    totals: list[ZFloors],
    documents: dict[Series, int],
) -> list[tuple[Path, list[Reader]]]:
    def sqlite(path: Path) -> Found:
        return _read_sqlite(path, install_ids, totals, documents)

    def raw(path: Path) -> Found:
        return _scan_bytes(path, totals, documents)

    directory = journal_path.parent
    plan: list[tuple[Path, list[Reader]]] = []
    for copy in damaged_copies(journal_path):
        plan.append((copy, [sqlite, raw]))
        wal = Path(f"{copy}-wal")
        if wal.is_file():
            plan.append((wal, [raw]))
    backups = directory / "backups"
    if backups.is_dir():
        # Every *.sqlite3 at any depth, whatever the retention scheme names them.
        plan += [(p, [sqlite]) for p in sorted(backups.rglob("*.sqlite3")) if p.is_file()]
    archive = directory / "receipts" / "archive.sqlite3"
    if archive.is_file():
        plan.append((archive, [sqlite]))
    logs = directory / "logs"
    if logs.is_dir():
        plan += [(p, [raw]) for p in sorted(logs.glob("kiosk.log*")) if p.is_file()]
    return plan


def _install_id(journal: Journal, at: datetime) -> str:
    value = journal.meta(INSTALL_ID_KEY)
    if value is None:
        value = new_id()
        journal.set_meta(INSTALL_ID_KEY, value, at)
    return value


def _has_orders(journal: Journal) -> bool:
    with journal.read("look for orders") as db:
        return bool(db.execute("SELECT EXISTS (SELECT 1 FROM orders)").fetchone()[0])


def _merge(floors: Found, found: Found) -> None:
    for key, seq in found.items():
        if _plausible(key, seq) and seq > floors.get(key, 0):
            floors[key] = seq


def _plausible(key: SeqKey, seq: int) -> bool:
    store, terminal, day = key
    ids = _PART.fullmatch(store) and _PART.fullmatch(terminal)
    return bool(ids) and 1 <= seq <= MAX_SEQ and is_business_day(day)


def _note(found: Found, store: str, terminal: str, day: str, seq: int) -> None:
    key = (store, terminal, day)
    if seq > found.get(key, 0):
        found[key] = seq


def _note_document(documents: dict[Series, int], kind: object, number: object) -> None:
    try:
        series = Series(str(kind))
    except ValueError:
        return  # not a series this kiosk knows: nothing it could hand out again
    value = _count(number)
    if 0 < value <= MAX_DOCUMENT and value > documents.get(series, 0):
        documents[series] = value


def _scan_bytes(path: Path, totals: list[ZFloors], documents: dict[Series, int]) -> Found:
    """Every id-shaped run of bytes in ``path`` (a damaged copy, its WAL, a log).

    Also the Z numbers and grand totals it holds as text (a report's content,
    the log line of its issue), added to ``totals``.
    """
    raw: dict[tuple[bytes, bytes, bytes], int] = {}
    z_number = grand_total = test_number = 0
    logged = {False: (0, 0), True: (0, 0)}  # (number, grand total) by series: TEST-Z True
    deadline = time.monotonic() + TIME_PER_FILE_S
    with path.open("rb") as f:
        tail = b""
        while chunk := f.read(CHUNK):
            data = tail + chunk
            for m in _RAW_ID.finditer(data):
                key = (m[1], m[2], m[3])
                raw[key] = max(raw.get(key, 0), int(m[4]))
            for m in _RAW_Z_NUMBER.finditer(data):
                z_number = max(z_number, int(m[1]))
            for m in _RAW_GRAND_TOTAL.finditer(data):
                grand_total = max(grand_total, int(m[1]))
            for m in _LOGGED_DOCUMENT.finditer(data):
                _note_document(documents, m[2].decode(), int(m[1]))
            for m in _RAW_TEST_Z_NUMBER.finditer(data):
                test_number = max(test_number, int(m[1]))
            for m in _LOGGED_Z.finditer(data):  # the log names the series of each Z
                number, total = logged[bool(m[1])]
                satang = int(m[3]) * 100 + int(m[4])
                logged[bool(m[1])] = (max(number, int(m[2])), max(total, satang))
            tail = data[-128:]  # what the chunk edge cut is found whole next time
            if time.monotonic() > deadline:
                log.warning("%s: scan stopped after %.0f s", path.name, TIME_PER_FILE_S)
                break
    # A report's content does not say its series before its grand total: the
    # figure found as text is the series' whose reports the file holds, and
    # of neither when it holds both (the log lines above still name theirs).
    test_total = grand_total if test_number and not z_number else 0
    real_total = grand_total if not test_number else 0
    totals.append(
        ZFloors(
            min(max(z_number, logged[False][0]), MAX_Z),
            min(max(real_total, logged[False][1]), MAX_SATANG),
            min(max(test_number, logged[True][0]), MAX_Z),
            min(max(test_total, logged[True][1]), MAX_SATANG),
        )
    )
    found: Found = {}
    for (store, terminal, day), seq in raw.items():
        for start in range(len(store)):  # the byte before the id may have joined it
            _note(found, store[start:].decode(), terminal.decode(), day.decode(), seq)
    return found


def _read_sqlite(
    path: Path,
    install_ids: list[str],
    totals: list[ZFloors],
    documents: dict[Series, int],
) -> Found:
    """Every order number a journal copy or the receipt archive names, as far as it reads.

    A journal's Z number and grand total are added to ``totals``.

    Each query stands alone, so a damaged index or table still lets the others
    answer, and rows read before a query breaks are kept. Raises sqlite3.Error
    only when the file does not open as a database at all.
    """
    # Read-only, so the file stays as it was found. With a -wal beside it the
    # WAL is read too (SQLite may add an empty -shm/-wal); without one the file
    # is opened as immutable, which creates nothing beside it.
    wal = Path(f"{path}-wal").exists()
    mode = "mode=ro" if wal else "immutable=1"
    db = sqlite3.connect(f"{path.resolve().as_uri()}?{mode}", uri=True, timeout=1.0)
    deadline = time.monotonic() + TIME_PER_FILE_S
    db.set_progress_handler(lambda: int(time.monotonic() > deadline), 10_000)
    found: Found = {}
    try:
        db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()  # is it a database?
        # Through the (store, terminal, day, seq) index, then the table itself.
        for query in (
            "SELECT store_id, terminal_id, business_day, MAX(seq) FROM orders GROUP BY 1, 2, 3",
            "SELECT store_id, terminal_id, business_day, seq FROM orders NOT INDEXED",
        ):
            for store, terminal, day, seq in _rows(db, path, query):
                if isinstance(seq, int):
                    _note(found, str(store), str(terminal), str(day), seq)
        for table in ("orders", "status_changes", "notices", "attention", "receipts"):
            for (order_id,) in _rows(db, path, f"SELECT kiosk_order_id FROM {table}"):
                for m in _RAW_ID.finditer(str(order_id).encode()):
                    _note(found, m[1].decode(), m[2].decode(), m[3].decode(), int(m[4]))
        for key, value in _rows(db, path, "SELECT key, value FROM kiosk_meta"):
            if key == INSTALL_ID_KEY and re.fullmatch(r"[A-Z2-7]{26}", str(value)):
                install_ids.append(str(value))
            floor = _FLOOR_KEY.fullmatch(str(key))
            if floor and str(value).isdigit():
                _note(found, floor[1], floor[2], floor[3], int(str(value)))
            doc_floor = _DOC_FLOOR_KEY.fullmatch(str(key))
            if doc_floor:
                _note_document(documents, doc_floor[1], value)
        # A journal's documents, and the receipt archive's (before its schema 2,
        # every number in it was a payment slip's).
        for kind, number in _rows(
            db, path, "SELECT kind, MAX(number) FROM documents GROUP BY kind"
        ):
            _note_document(documents, kind, number)
        series = "SELECT 1 FROM pragma_table_info('receipts') WHERE name = 'series'"
        by_series = "SELECT series, MAX(number) FROM receipts GROUP BY series"
        legacy = f"SELECT '{Series.SLIP.value}', MAX(number) FROM receipts"
        for kind, number in _rows(db, path, by_series if _rows(db, path, series) else legacy):
            _note_document(documents, kind, number)
        totals.append(_z_totals(db, path))
    finally:
        db.close()
    return found


def _z_totals(db: sqlite3.Connection, path: Path) -> ZFloors:
    """The highest Z number and the grand total an earlier journal reached, in each series."""
    meta = {str(row[0]): row[1] for row in _rows(db, path, "SELECT key, value FROM kiosk_meta")}
    # Before schema 8 no sale was marked sandbox: every PAID is the real series'.
    marked = bool(
        _rows(db, path, "SELECT 1 FROM pragma_table_info('orders') WHERE name = 'sandbox'")
    )
    real = _series_totals(
        db, path, meta, "z_reports", (Z_FLOOR_KEY, GRAND_TOTAL_FLOOR_KEY), 0 if marked else None
    )
    test = (0, 0)
    if marked:
        keys = (TEST_Z_FLOOR_KEY, TEST_GRAND_TOTAL_FLOOR_KEY)
        test = _series_totals(db, path, meta, "test_z_reports", keys, 1)
    return ZFloors(*real, *test)


def _series_totals(
    db: sqlite3.Connection,
    path: Path,
    meta: dict[str, object],
    table: str,
    keys: tuple[str, str],
    sandbox: int | None,
) -> tuple[int, int]:
    """(highest number, grand total) of one Z series: its table, its floors, its kind of sale."""
    number = max(_count(meta.get(keys[0])), _first(db, path, f"SELECT MAX(number) FROM {table}"))
    kind = "" if sandbox is None else f" AND sandbox = {sandbox}"
    paid = _first(db, path, f"SELECT SUM(amount_satang) FROM orders WHERE state = 'paid'{kind}")
    total = _count(meta.get(keys[1])) + paid
    latest = f"SELECT content FROM {table} ORDER BY number DESC LIMIT 1"
    for (content,) in _rows(db, path, latest):
        try:
            stored = json.loads(str(content)).get("grand_total_satang")
        except (ValueError, AttributeError):
            stored = None
        if isinstance(stored, int):
            total = max(total, stored)
    return min(number, MAX_Z), min(total, MAX_SATANG)


def _first(db: sqlite3.Connection, path: Path, query: str) -> int:
    rows = _rows(db, path, query)
    return _count(rows[0][0]) if rows else 0


def _count(value: object) -> int:
    """A non-negative whole number read from a file, else 0 (garbage is not a floor)."""
    if isinstance(value, int):
        return max(value, 0)
    text = str(value or "")
    return int(text) if text.isdigit() else 0


def _rows(db: sqlite3.Connection, path: Path, query: str) -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = []
    try:
        for row in db.execute(query):
            rows.append(tuple(row))
    except sqlite3.Error as exc:
        if "no such table" not in str(exc):  # the receipt archive has no orders, ...
            log.warning("%s: %r broke off (%s); rows before kept", path.name, query, exc)
    return rows


__all__ = [
    "INSTALL_ID_KEY",
    "READ_KEY",
    "Numbering",
    "ZFloors",
    "continue_numbering",
    "earlier_records",
    "new_id",
]
