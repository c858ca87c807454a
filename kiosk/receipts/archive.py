"""The receipt archive: every issued receipt, numbered, with its image and text.

One SQLite file, ``<data>/receipts/archive.sqlite3`` (WAL, synchronous=FULL,
like the journal). A row is one printed document: the original of an order
(``copy`` 0, one per order, numbered in sequence) or a reprint of it
(``copy`` 1, 2, ... with the original's number). Each row keeps the receipt
model (JSON), the plain text, the raster image (PNG) and its print job:
status, attempts, the last error, where it went.

Safe to share between threads: the receipt service writes it on a thread
of its own (a durable commit waits for the disk, and the window's event
loop must not) while the loop reads it. One lock keeps each call whole.
"""

from __future__ import annotations

import functools
import io
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Concatenate, ParamSpec, TypeVar

from kiosk.domain.documents import Series, number_text, parse_number_text, prefix_for
from kiosk.domain.errors import StoreError
from kiosk.receipts.model import Receipt

if TYPE_CHECKING:  # Pillow loads on the first image, not at start-up (~10-20 ms)
    from PIL import Image

SCHEMA_VERSION = 2
_MIGRATIONS: dict[int, list[str]] = {
    1: [
        """CREATE TABLE receipts (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            number INTEGER NOT NULL,
            copy INTEGER NOT NULL,
            kiosk_order_id TEXT NOT NULL,
            issued_at TEXT NOT NULL,
            model TEXT NOT NULL,
            text TEXT NOT NULL DEFAULT '',
            image_png BLOB,
            status TEXT NOT NULL,
            printer TEXT NOT NULL DEFAULT '',
            attempts INTEGER NOT NULL DEFAULT 0,
            error TEXT,
            output TEXT,
            printed_at TEXT,
            UNIQUE (number, copy)
        )""",
        "CREATE UNIQUE INDEX receipts_one_original ON receipts (kiosk_order_id) WHERE copy = 0",
        "CREATE INDEX receipts_by_time ON receipts (issued_at)",
    ],
    # 2: document series (kiosk.domain.documents): each series counts on its
    # own, so a number is unique per series, and the printed number with its
    # prefix is kept to find it by. SQLite cannot drop a UNIQUE constraint:
    # the rows (all payment slips) are copied into a new table and the old one
    # is kept, renamed, as it was (nothing that keeps records drops any).
    2: [
        """CREATE TABLE receipts_2 (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            series TEXT NOT NULL DEFAULT 'receipt',
            document TEXT NOT NULL DEFAULT '',
            number INTEGER NOT NULL,
            copy INTEGER NOT NULL,
            kiosk_order_id TEXT NOT NULL,
            issued_at TEXT NOT NULL,
            model TEXT NOT NULL,
            text TEXT NOT NULL DEFAULT '',
            image_png BLOB,
            status TEXT NOT NULL,
            printer TEXT NOT NULL DEFAULT '',
            attempts INTEGER NOT NULL DEFAULT 0,
            error TEXT,
            output TEXT,
            printed_at TEXT,
            UNIQUE (series, number, copy)
        )""",
        """INSERT INTO receipts_2 (id, number, copy, kiosk_order_id, issued_at, model, text,
            image_png, status, printer, attempts, error, output, printed_at)
           SELECT id, number, copy, kiosk_order_id, issued_at, model, text,
            image_png, status, printer, attempts, error, output, printed_at FROM receipts""",
        "ALTER TABLE receipts RENAME TO receipts_before_series",
        "ALTER TABLE receipts_2 RENAME TO receipts",
        "CREATE UNIQUE INDEX receipts_one_original_2 ON receipts (kiosk_order_id) WHERE copy = 0",
        "CREATE INDEX receipts_by_time_2 ON receipts (issued_at)",
        "CREATE INDEX receipts_by_document ON receipts (document)",
    ],
}


class JobStatus(StrEnum):
    ISSUED = "issued"  # archived; not sent to a printer (yet)
    PRINTING = "printing"
    PRINTED = "printed"
    FAILED = "failed"


@dataclass(frozen=True)
class ArchivedReceipt:
    id: int
    number: int
    copy: int
    kiosk_order_id: str
    issued_at: datetime
    receipt: Receipt
    text: str
    image_png: bytes | None
    status: JobStatus
    printer: str
    attempts: int
    error: str | None
    output: str | None
    printed_at: datetime | None

    @property
    def is_reprint(self) -> bool:
        return self.copy > 0

    def image(self) -> Image.Image | None:
        if self.image_png is None:
            return None
        from PIL import Image

        with Image.open(io.BytesIO(self.image_png)) as image:
            image.load()
            return image.copy()


def png_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def _iso(at: datetime) -> str:
    return at.astimezone(UTC).isoformat()


P = ParamSpec("P")
R = TypeVar("R")


def _guarded(
    method: Callable[Concatenate[ReceiptArchive, P], R],
) -> Callable[Concatenate[ReceiptArchive, P], R]:
    """One call at a time on the shared connection (a transaction is never entered twice)."""

    @functools.wraps(method)
    def call(self: ReceiptArchive, /, *args: P.args, **kwargs: P.kwargs) -> R:
        with self._guard:
            return method(self, *args, **kwargs)

    return call


class ReceiptArchive:
    def __init__(self, connection: sqlite3.Connection, path: Path) -> None:
        self._db = connection
        self.path = path
        self._guard = threading.RLock()

    @classmethod
    def open(cls, path: Path) -> ReceiptArchive:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # Shared by the loop and the archive's writer thread, under _guard.
            db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            db.row_factory = sqlite3.Row
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")
            db.execute("PRAGMA busy_timeout=5000")
            archive = cls(db, path)
            archive._migrate()
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"receipt archive {path}: {exc}") from exc
        return archive

    @_guarded
    def close(self) -> None:
        self._db.close()

    def _migrate(self) -> None:
        version = int(self._db.execute("PRAGMA user_version").fetchone()[0])
        for target in range(version + 1, SCHEMA_VERSION + 1):
            with self._write():
                for statement in _MIGRATIONS[target]:
                    self._db.execute(statement)
                self._db.execute(f"PRAGMA user_version = {target}")

    @contextmanager
    def _write(self) -> Iterator[None]:
        try:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")
        except sqlite3.Error as exc:
            raise StoreError(f"receipt archive {self.path}: {exc}") from exc

    # --- writing

    @_guarded
    def original_for(self, kiosk_order_id: str) -> ArchivedReceipt | None:
        row = self._db.execute(
            "SELECT * FROM receipts WHERE kiosk_order_id = ? AND copy = 0", (kiosk_order_id,)
        ).fetchone()
        return _record(row) if row else None

    @_guarded
    def next_number(self, series: str = Series.SLIP.value) -> int:
        row = self._db.execute(
            "SELECT COALESCE(MAX(number), 0) + 1 FROM receipts WHERE series = ?", (series,)
        ).fetchone()
        return int(row[0])

    @_guarded
    def add(self, receipt: Receipt, *, issued_at: datetime) -> ArchivedReceipt:
        """Store a new slip (original or reprint) before it is rendered.

        An original keeps the number it was issued with its ``document`` text
        (the journal's, through ``ReceiptService.number_for``) or takes the
        next of its series here (a service without a journal); a reprint keeps its
        original's number and takes the next copy. A second original for one
        order is refused by the database, and the existing one is returned.
        """
        with self._write():
            series = receipt.series
            document = receipt.document
            if receipt.copy == 0:
                existing = self.original_for(receipt.kiosk_order_id)
                if existing is not None:
                    return existing
                if document:  # numbered by the journal
                    number = receipt.number
                else:
                    number = self.next_number(series)
                    document = number_text(prefix_for(Series(series), receipt.terminal_id), number)
                copy = 0
            else:
                number = receipt.number
                row = self._db.execute(
                    "SELECT COALESCE(MAX(copy), 0) + 1 FROM receipts"
                    " WHERE series = ? AND number = ?",
                    (series, number),
                ).fetchone()
                copy = int(row[0])
            receipt = replace(receipt, number=number, copy=copy, document=document)
            cursor = self._db.execute(
                "INSERT INTO receipts (series, document, number, copy, kiosk_order_id, issued_at,"
                " model, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    series,
                    document,
                    number,
                    copy,
                    receipt.kiosk_order_id,
                    _iso(issued_at),
                    receipt.to_json(),
                    JobStatus.ISSUED.value,
                ),
            )
            row_id = cursor.lastrowid
        found = self.get_id(int(row_id or 0))
        assert found is not None
        return found

    @_guarded
    def store_rendition(self, row_id: int, *, text: str, image_png: bytes) -> None:
        with self._write():
            self._db.execute(
                "UPDATE receipts SET text = ?, image_png = ? WHERE id = ?",
                (text, image_png, row_id),
            )

    @_guarded
    def job_started(self, row_id: int, printer: str) -> None:
        with self._write():
            self._db.execute(
                "UPDATE receipts SET status = ?, printer = ?, attempts = attempts + 1 WHERE id = ?",
                (JobStatus.PRINTING.value, printer, row_id),
            )

    @_guarded
    def job_done(self, row_id: int, *, output: str, at: datetime) -> None:
        with self._write():
            self._db.execute(
                "UPDATE receipts SET status = ?, output = ?, error = NULL, printed_at = ?"
                " WHERE id = ?",
                (JobStatus.PRINTED.value, output, _iso(at), row_id),
            )

    @_guarded
    def job_failed(self, row_id: int, error: str) -> None:
        with self._write():
            self._db.execute(
                "UPDATE receipts SET status = ?, error = ? WHERE id = ?",
                (JobStatus.FAILED.value, error, row_id),
            )

    @_guarded
    def interrupted(self) -> int:
        """Jobs a crash left PRINTING are failed: nobody knows how far they got."""
        with self._write():
            cursor = self._db.execute(
                "UPDATE receipts SET status = ?, error = ? WHERE status = ?",
                (JobStatus.FAILED.value, "interrupted", JobStatus.PRINTING.value),
            )
        return cursor.rowcount

    # --- reading

    @_guarded
    def get_id(self, row_id: int) -> ArchivedReceipt | None:
        row = self._db.execute("SELECT * FROM receipts WHERE id = ?", (row_id,)).fetchone()
        return _record(row) if row else None

    @_guarded
    def get(
        self, number: int, copy: int = 0, series: str = Series.SLIP.value
    ) -> ArchivedReceipt | None:
        row = self._db.execute(
            "SELECT * FROM receipts WHERE series = ? AND number = ? AND copy = ?",
            (series, number, copy),
        ).fetchone()
        return _record(row) if row else None

    @_guarded
    def find(self, text: str) -> ArchivedReceipt | None:
        """The original printed as ``text``: ``T01-000123`` (any case), or a bare number
        (a payment slip from before series had prefixes)."""
        text = text.strip()
        if text.isascii() and text.isdigit():
            return self.get(int(text))
        try:
            prefix, number = parse_number_text(text)
        except ValueError:
            return None
        row = self._db.execute(
            "SELECT * FROM receipts WHERE UPPER(document) = ? AND copy = 0",
            (number_text(prefix, number),),
        ).fetchone()
        return _record(row) if row else None

    @_guarded
    def copies(self, number: int, series: str = Series.SLIP.value) -> list[ArchivedReceipt]:
        rows = self._db.execute(
            "SELECT * FROM receipts WHERE series = ? AND number = ? ORDER BY copy",
            (series, number),
        ).fetchall()
        return [_record(row) for row in rows]

    @_guarded
    def recent(self, limit: int = 50) -> list[ArchivedReceipt]:
        rows = self._db.execute(
            "SELECT * FROM receipts ORDER BY id DESC LIMIT ?", (limit,)
        ).fetchall()
        return [_record(row) for row in rows]


def _record(row: sqlite3.Row) -> ArchivedReceipt:
    printed = row["printed_at"]
    return ArchivedReceipt(
        id=row["id"],
        number=row["number"],
        copy=row["copy"],
        kiosk_order_id=row["kiosk_order_id"],
        issued_at=datetime.fromisoformat(row["issued_at"]),
        receipt=Receipt.from_json(row["model"]),
        text=row["text"],
        image_png=row["image_png"],
        status=JobStatus(row["status"]),
        printer=row["printer"],
        attempts=row["attempts"],
        error=row["error"],
        output=row["output"],
        printed_at=datetime.fromisoformat(printed) if printed else None,
    )
