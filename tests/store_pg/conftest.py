"""Fixtures of the store-database tests: one throwaway PostgreSQL for the session,
a fresh database (schema initialised, kiosk role granted) for each test."""

from __future__ import annotations

import itertools
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from kiosk.store.storedb.client import StoreDb
from tests.hostile.conftest import hostile  # noqa: F401 - the honest villa gateway, a fixture
from tests.store_pg.pgserver import (
    KIOSK,
    KIOSK_PASSWORD,
    OWNER,
    OWNER_PASSWORD,
    PgServer,
    bin_dir,
)

_numbers = itertools.count(1)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    found = bin_dir()
    if found is None:
        pytest.skip(
            "PostgreSQL server binaries not installed (scripts/setup.sh test installs them)"
        )
    # Not under pytest's temporary folders (0700, and their modes change between
    # tests): a server run as another user must keep reaching its own folder.
    folder = Path(tempfile.mkdtemp(prefix="kiosk-pg-"))
    server = PgServer.create(folder / "cluster", found)
    try:
        yield server
    finally:
        server.destroy()
        shutil.rmtree(folder, ignore_errors=True)


@dataclass
class StoreDatabase:
    """One test's database: its name, URLs and connections as either role."""

    server: PgServer
    name: str

    @property
    def owner_url(self) -> str:
        return self.server.url(OWNER, self.name)

    @property
    def kiosk_url(self) -> str:
        return self.server.url(KIOSK, self.name)

    def as_owner(self) -> StoreDb:
        return StoreDb.connect(self.owner_url, password=OWNER_PASSWORD, sslmode="disable")

    def as_kiosk(self) -> StoreDb:
        return StoreDb.connect(self.kiosk_url, password=KIOSK_PASSWORD, sslmode="disable")

    def rows(self, query: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        with self.as_owner() as db:
            return db.query(query, params)


@pytest.fixture
def store_db(pg_server: PgServer) -> StoreDatabase:
    """A new database owned by the store owner, `store init` run (as the library call)."""
    name = f"store_{next(_numbers)}"
    pg_server.psql(f"CREATE DATABASE {name} OWNER {OWNER}")
    database = StoreDatabase(pg_server, name)
    with database.as_owner() as db:
        db.init(KIOSK)
    return database


@pytest.fixture
def empty_db(pg_server: PgServer) -> StoreDatabase:
    """A new database with nothing in it (for `kiosk store init` itself)."""
    name = f"store_{next(_numbers)}"
    pg_server.psql(f"CREATE DATABASE {name} OWNER {OWNER}")
    return StoreDatabase(pg_server, name)


def data_folder(tmp_path: Path, name: str) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    return folder
