"""The store-wide manager view and the store close, over the store database.

The UI and ``kiosk close --store`` go through ``StoreView`` (a Protocol) and
get only our types (kiosk.domain.storeday). Every method but ``output``
blocks on the network: the UI calls them on a worker thread
(``asyncio.to_thread``), never on the GUI thread. One connection, made when
first needed and made again after a failure, serialised by a lock.

A counter is *behind* when the store database has heard nothing from it for
longer than ``behind_after_s`` (the database's clock, so a counter's wrong
clock does not matter), or, for this counter, when its own outbox holds a
record older than that. The database cannot see another counter's outbox: its
unsynced count is known for this counter only.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, TypeVar

from kiosk.domain.errors import KioskError, StoreCloseRefused, StoreDbError, Text
from kiosk.domain.storeday import StoreClose, StoreDay
from kiosk.services.storeclose_layout import store_close_blocks
from kiosk.services.zreport import BlockPrinter, PdfWriter, ZOutput, output_report
from kiosk.store.outbox import INSTALL_ID_KEY, Outbox

if TYPE_CHECKING:  # psycopg loads when the store database is first used, not with the UI
    from kiosk.store.storedb.client import StoreDb

log = logging.getLogger("kiosk.store_view")

T = TypeVar("T")
BEHIND_AFTER_S = 600.0  # ten minutes without a word from a counter during the day


class OwnSync(Protocol):
    """This counter's sync, as far as the view needs it (kiosk.services.sync.StoreSync)."""

    journal_path: Path


@dataclass(frozen=True)
class StoreClosing:
    """What a store close did: issued now, or the day's close someone issued already."""

    close: StoreClose
    created: bool

    @property
    def attention(self) -> bool:
        """Counters not closed or not synced were named: the manager should look."""
        return bool(self.close.not_closed or self.close.not_synced)

    def text(self) -> Text:
        c = self.close
        if not self.created:
            return Text(
                f"The store is closed for this day already: {c.number_text}.",
                f"ปิดยอดร้านของวันนี้ไปแล้ว: {c.number_text}",
            )
        en = [f"Store close {c.number_text} issued."]
        th = [f"ออกใบปิดยอดร้าน {c.number_text} แล้ว"]
        if c.not_closed:
            en.append(f"Not closed: {', '.join(c.not_closed)}.")
            th.append(f"ยังไม่ปิดรอบ: {', '.join(c.not_closed)}")
        if c.not_synced:
            en.append(f"Not synced: {', '.join(c.not_synced)}.")
            th.append(f"ยังไม่ซิงก์: {', '.join(c.not_synced)}")
        return Text(" ".join(en), " ".join(th))


class StoreView(Protocol):
    """What the manager's store view and ``kiosk close --store`` use."""

    store_id: str

    def load_day(self, day: str) -> StoreDay:
        """The store's day; StoreDbError when the database cannot be reached (blocks)."""
        ...

    def close_store(self, day: str) -> StoreClosing:
        """Issue the store close of ``day`` (blocks); StoreDbError, StoreCloseRefused."""
        ...

    async def output(self, close: StoreClose, *, copy: bool = False) -> ZOutput:
        """Save the PDF (once) and print it (a copy marked COPY)."""
        ...


class StoreViewService:
    def __init__(
        self,
        *,
        connect: Callable[[], StoreDb],
        store_id: str,
        terminal_id: str,
        shop_name: str,
        folder: Path,
        sync: OwnSync | None = None,
        behind_after_s: float = BEHIND_AFTER_S,
        printer: BlockPrinter | None = None,
        pdf_writer: PdfWriter | None = None,
    ) -> None:
        self._connect = connect
        self.store_id = store_id
        self.terminal_id = terminal_id
        self.shop_name = shop_name
        self.folder = folder
        self.sync = sync
        self.behind_after_s = behind_after_s
        self.printer = printer
        self.pdf_writer = pdf_writer
        self._db: StoreDb | None = None
        self._lock = threading.Lock()
        self._install_id: str | None = None

    # --- reading (worker thread)

    def load_day(self, day: str) -> StoreDay:
        from kiosk.store.storedb import store_day

        pending, behind = self._own_outbox()
        with self._lock:
            return self._with_db(
                lambda db: store_day.read_day(
                    db,
                    self.store_id,
                    day,
                    behind_after_s=self.behind_after_s,
                    own_install=self._install_id,
                    own_pending=pending,
                    own_behind=behind,
                )
            )

    def _own_outbox(self) -> tuple[int | None, bool]:
        """This counter's unsynced records and whether they wait too long (never raises).

        Read on a connection of its own, not through the sync: the sync's lock
        is held while it waits on the network, and the view must not wait too.
        """
        if self.sync is None:
            return None, False
        try:
            outbox = Outbox.open(self.sync.journal_path)
            try:
                if self._install_id is None:
                    self._install_id = outbox.meta(INSTALL_ID_KEY)
                pending, oldest = outbox.count_pending()
            finally:
                outbox.close()
        except KioskError as exc:
            log.warning("this counter's outbox could not be read: %s", exc)
            return None, False
        waited = 0.0 if oldest is None else (datetime.now(UTC) - oldest).total_seconds()
        return pending, bool(pending and waited > self.behind_after_s)

    def close_store(self, day: str) -> StoreClosing:
        from kiosk.store.storedb import store_day

        with self._lock:
            try:
                close, created = self._with_db(
                    lambda db: store_day.issue_close(
                        db,
                        store_id=self.store_id,
                        day=day,
                        issued_by=self.terminal_id,
                        shop_name=self.shop_name,
                        behind_after_s=self.behind_after_s,
                    )
                )
            except ValueError as exc:
                raise StoreCloseRefused(
                    str(exc),
                    text=Text(
                        f"A later day is closed already ({exc}); this day's Z reports went"
                        " into it as after-close adjustments.",
                        f"ปิดยอดวันที่ใหม่กว่าไปแล้ว ({exc}) ยอดของวันนี้รวมอยู่ในนั้น",
                    ),
                ) from None
        if created:
            log.info(
                "store close %s of %s issued: paid %s; not closed %s; not synced %s",
                close.number_text,
                day,
                close.paid(close.day_batches).amount.plain(),
                ",".join(close.not_closed) or "-",
                ",".join(close.not_synced) or "-",
            )
        return StoreClosing(close, created)

    def _with_db(self, work: Callable[[StoreDb], T]) -> T:
        if self._db is None or self._db.closed:
            db = self._connect()
            try:
                db.check_schema()
            except BaseException:
                db.close()
                raise
            self._db = db
        try:
            return work(self._db)
        except StoreDbError:
            self._drop()
            raise

    def _drop(self) -> None:
        if self._db is not None:
            try:
                self._db.close()
            except Exception:  # a broken connection: nothing to keep
                log.debug("closing the store database connection failed", exc_info=True)
            self._db = None

    def close(self) -> None:
        with self._lock:
            self._drop()

    # --- paper

    def pdf_path(self, close: StoreClose) -> Path:
        return self.folder / f"{close.file_stem}.pdf"

    async def output(self, close: StoreClose, *, copy: bool = False) -> ZOutput:
        """Save the PDF (once; kept if there) and print, as the counter's Z is."""
        return await output_report(
            lambda copy: store_close_blocks(close, copy=copy),
            what=f"store close {close.number_text}",
            pdf=self.pdf_path(close) if self.pdf_writer is not None else None,
            pdf_writer=self.pdf_writer,
            printer=self.printer,
            file_stem=close.file_stem,
            copy=copy,
        )


__all__ = [
    "BEHIND_AFTER_S",
    "StoreClosing",
    "StoreView",
    "StoreViewService",
]
