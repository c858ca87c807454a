"""The composition root and [store_db]: a sync for a real gateway's counter, none on the sandbox."""

from __future__ import annotations

import asyncio
from pathlib import Path

from kiosk.app.compose import build_services, build_sync
from kiosk.infra.config import parse_settings

VILLA = (
    '[gateway]\nkind = "villa"\nbase_url = "https://villa.example"\n'
    '[gateway.cognito]\nclient_id = "c"\nusername = "u"\n'
)
STORE_DB = '[store_db]\nurl = "postgresql://kiosk@127.0.0.1:5432/store"\n'


def test_no_store_db_no_sync(tmp_path: Path) -> None:
    assert build_sync(parse_settings(VILLA), tmp_path) is None


def test_a_real_gateways_counter_gets_a_sync_the_window_starts(tmp_path: Path) -> None:
    services = build_services(parse_settings(VILLA + STORE_DB), directory=tmp_path)
    try:
        assert services.sync is not None and not services.journal.withhold_from_store
        assert services.sync.journal_path == tmp_path / "journal.sqlite3"
        assert services.sync._thread is None  # not started by the composition: by the window
    finally:
        asyncio.run(services.aclose())


def test_a_sandbox_counter_gets_no_sync_and_withholds_its_records(tmp_path: Path) -> None:
    services = build_services(parse_settings(STORE_DB), directory=tmp_path)
    try:
        assert services.sync is None and services.journal.withhold_from_store
    finally:
        asyncio.run(services.aclose())
