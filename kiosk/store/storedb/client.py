"""The store database through psycopg 3's synchronous API (run it off the GUI thread).

Why the synchronous API in a worker thread: psycopg's async API does not run
on Windows' Proactor event loop, which is the loop qasync gives the window
there. Every error of the driver becomes a StoreDbError (exit 5) whose text
names no secret; a schema older than this kiosk needs is StoreDbSchemaTooOld.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from types import TracebackType
from typing import Any, Self, TypeVar

import psycopg
from psycopg import sql

from kiosk.domain.errors import ConfigError, StoreDbError, StoreDbSchemaTooOld, Text
from kiosk.infra.logs import outside_text
from kiosk.store.storedb.schema import GRANTS, LOCK_KEY, MIGRATIONS, SCHEMA_VERSION

T = TypeVar("T")
CONNECT_TIMEOUT_S = 5
STATEMENT_TIMEOUT_MS = 30_000


@dataclass(frozen=True)
class StoreEvent:
    """One row of ``kiosk_store.events`` as a counter sends it."""

    event_id: str
    install_id: str
    generation: int
    seq: int
    kind: str  # record | withheld | generation
    tbl: str
    part: str
    ref: str
    prev_hash: str
    hash: str
    record: str | None
    store_id: str
    terminal_id: str
    queued_at: str | None

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> StoreEvent:
        return cls(**json.loads(text))


@dataclass(frozen=True)
class CounterHead:
    """Where a counter's events end in the store database."""

    generation: int
    seq: int
    hash: str


_COLUMNS = tuple(StoreEvent.__dataclass_fields__)
_INSERT = (
    f"INSERT INTO kiosk_store.events ({', '.join(_COLUMNS)})"
    f" VALUES ({', '.join(['%s'] * len(_COLUMNS))}) ON CONFLICT (event_id) DO NOTHING"
)


def _unreachable(exc: Exception, what: str) -> StoreDbError:
    # libpq's text names the host and the role, never the password; cleaned anyway.
    detail = outside_text(
        str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    )
    return StoreDbError(f"{what}: {detail}")


class StoreDb:
    """One connection to the store database (as the kiosk role, or the owner for ``init``)."""

    def __init__(self, connection: psycopg.Connection[Any]) -> None:
        self._db = connection

    @classmethod
    def connect(
        cls,
        url: str,
        *,
        password: str | None,
        sslmode: str,
        sslrootcert: str = "",
        timeout_s: int = CONNECT_TIMEOUT_S,
    ) -> StoreDb:
        """StoreDbError when the server cannot be reached or refuses the sign-in."""
        options: dict[str, Any] = {
            "sslmode": sslmode,
            "connect_timeout": max(2, int(timeout_s)),
            "application_name": "kiosk",
            "options": f"-c statement_timeout={STATEMENT_TIMEOUT_MS}",
        }
        if sslrootcert:
            options["sslrootcert"] = sslrootcert
        if password:
            options["password"] = password
        try:
            connection = psycopg.connect(url, autocommit=True, **options)
        except psycopg.Error as exc:
            raise _unreachable(exc, "cannot connect to the store database") from None
        return cls(connection)

    def close(self) -> None:
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
    def closed(self) -> bool:
        return bool(self._db.closed)

    # -- the counter's side ---------------------------------------------------

    def schema_version(self) -> int | None:
        """The schema's version; None when ``kiosk store init`` never ran here."""
        try:
            row = self._db.execute(
                "SELECT value FROM kiosk_store.meta WHERE key = 'schema_version'"
            ).fetchone()
        except psycopg.errors.UndefinedTable:
            return None
        except psycopg.Error as exc:
            raise _unreachable(exc, "cannot read the store database's schema version") from None
        return None if row is None else int(row[0])

    def check_schema(self) -> int:
        """The version, or StoreDbSchemaTooOld (with what to do) when older than this kiosk's."""
        version = self.schema_version()
        if version is None or version < SCHEMA_VERSION:
            have = "no kiosk schema" if version is None else f"schema version {version}"
            raise StoreDbSchemaTooOld(
                f"the store database has {have}; this kiosk needs version {SCHEMA_VERSION}",
                text=Text(
                    f"The store database has {have}, but this kiosk needs version"
                    f" {SCHEMA_VERSION}. The installer runs `kiosk store init` with this"
                    " kiosk version; until then this counter keeps its sales to itself.",
                    f"ฐานข้อมูลของร้านมี {have} แต่โปรแกรมนี้ต้องการรุ่น {SCHEMA_VERSION}"
                    " ผู้ติดตั้งต้องรัน `kiosk store init` ด้วยโปรแกรมรุ่นนี้ก่อน"
                    " ระหว่างนี้รายการขายจะเก็บไว้ที่เครื่องนี้",
                ),
            )
        return version

    def head(self, install_id: str) -> CounterHead | None:
        """The newest event of this install (highest generation, then position)."""
        try:
            row = self._db.execute(
                "SELECT generation, seq, hash FROM kiosk_store.events WHERE install_id = %s"
                " ORDER BY generation DESC, seq DESC LIMIT 1",
                (install_id,),
            ).fetchone()
        except psycopg.Error as exc:
            raise _unreachable(exc, "cannot read this counter's head") from None
        return None if row is None else CounterHead(int(row[0]), int(row[1]), str(row[2]))

    def insert(self, events: Sequence[StoreEvent]) -> None:
        """Insert ``events`` in one transaction; returns once PostgreSQL committed them."""
        try:
            with self._db.transaction(), self._db.cursor() as cursor:
                cursor.executemany(
                    _INSERT, [tuple(getattr(e, c) for c in _COLUMNS) for e in events]
                )
        except psycopg.Error as exc:
            raise _unreachable(exc, "the store database did not take the events") from None

    def query(self, text: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        """Rows of a SELECT (reports, status, doctor)."""
        try:
            return list(self._db.execute(text.encode(), params).fetchall())
        except psycopg.Error as exc:
            raise _unreachable(exc, "cannot read the store database") from None

    def transaction(self, work: Callable[[psycopg.Connection[Any]], T], what: str) -> T:
        """``work(connection)`` in one transaction (issue 20's store close); StoreDbError."""
        try:
            with self._db.transaction():
                return work(self._db)
        except psycopg.Error as exc:
            raise _unreachable(exc, what) from None

    def tls(self) -> bool:
        """Whether this connection is encrypted."""
        return bool(self._db.pgconn.ssl_in_use)

    def privileges(self) -> dict[str, bool]:
        """What the signed-in role may do to ``events`` (and whether it owns anything)."""
        rows = self.query(
            "SELECT has_table_privilege(current_user, 'kiosk_store.events', 'INSERT'),"
            " has_table_privilege(current_user, 'kiosk_store.events', 'SELECT'),"
            " has_table_privilege(current_user, 'kiosk_store.events', 'UPDATE'),"
            " has_table_privilege(current_user, 'kiosk_store.events', 'DELETE'),"
            " has_table_privilege(current_user, 'kiosk_store.events', 'TRUNCATE'),"
            " EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            "  WHERE n.nspname = 'kiosk_store' AND pg_get_userbyid(c.relowner) = current_user)"
        )
        keys = ("insert", "select", "update", "delete", "truncate", "owns")
        return dict(zip(keys, (bool(v) for v in rows[0]), strict=True))

    # -- the installer's side (as the owner) ----------------------------------

    def init(self, kiosk_role: str) -> tuple[int, int]:
        """Create or migrate the schema under an advisory lock; grant the kiosk role.

        Returns (version before, version after). ConfigError when the kiosk role
        does not exist or is the owner itself.
        """
        try:
            self._db.execute("SELECT pg_advisory_lock(%s)", (LOCK_KEY,))
            try:
                return self._init(kiosk_role)
            finally:
                self._db.execute("SELECT pg_advisory_unlock(%s)", (LOCK_KEY,))
        except psycopg.Error as exc:
            raise _unreachable(exc, "could not set up the store database") from None

    def _init(self, kiosk_role: str) -> tuple[int, int]:
        exists, owner = self._db.execute(
            "SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = %s), current_user",
            (kiosk_role,),
        ).fetchone() or (False, "")
        if not exists:
            raise ConfigError(
                f"no role {kiosk_role!r}",
                text=Text(
                    f"The database has no role '{kiosk_role}'. Create it first (docs/"
                    "store-setup.md): CREATE ROLE kiosk LOGIN PASSWORD '...';",
                    f"ฐานข้อมูลยังไม่มีบทบาท '{kiosk_role}' กรุณาสร้างก่อน (docs/store-setup.md)",
                ),
            )
        if kiosk_role == owner:
            raise ConfigError(
                "the kiosk role is the owner",
                text=Text(
                    "The kiosk role must not be the owner: counters may only add and read.",
                    "บทบาทของเครื่องขายต้องไม่ใช่เจ้าของฐานข้อมูล",
                ),
            )
        before = self.schema_version() or 0
        if before > SCHEMA_VERSION:
            raise StoreDbSchemaTooOld(
                f"the store database has schema version {before}, newer than this kiosk's"
                f" {SCHEMA_VERSION}: run `kiosk store init` with the newer kiosk"
            )
        for version in range(before, SCHEMA_VERSION):
            with self._db.transaction():
                self._db.execute(MIGRATIONS[version].encode())
                self._db.execute(
                    "INSERT INTO kiosk_store.meta (key, value) VALUES ('schema_version', %s)"
                    " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (str(version + 1),),
                )
        with self._db.transaction():
            role = sql.Identifier(kiosk_role)
            self._db.execute(sql.SQL(GRANTS).format(role=role))
        return before, SCHEMA_VERSION


__all__ = ["CounterHead", "StoreDb", "StoreEvent"]
