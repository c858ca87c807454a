"""The store-database fixtures (a throwaway PostgreSQL) for the store-sync benchmark."""

from tests.store_pg.conftest import empty_db, pg_server, store_db  # noqa: F401 - fixtures
