"""``kiosk close --store`` as a process: exit codes, JSON, the PDF, against a real PostgreSQL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from kiosk.domain.exitcodes import ExitCode
from kiosk.domain.order import Method
from tests.conftest import ROOT
from tests.store_pg.conftest import StoreDatabase
from tests.store_pg.pgserver import KIOSK_PASSWORD, free_port
from tests.store_pg.storeday_data import StoreCounter, three_counters


@pytest.fixture
def counters(tmp_path: Path, store_db: StoreDatabase) -> Iterator[Callable[[str], StoreCounter]]:
    yield from three_counters(tmp_path, store_db)


def close_store(
    tmp_path: Path, url: str, *args: str, store: bool = True
) -> subprocess.CompletedProcess[str]:
    config = tmp_path / "config.toml"
    config.write_text(
        '[store]\nstore_id = "S001"\nterminal_id = "T01"\n'
        f'[store_db]\nurl = "{url}"\nsslmode = "disable"\n',
        encoding="utf-8",
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    env.update(
        KIOSK_DATA_DIR=str(tmp_path / "data"),
        KIOSK_CONFIG=str(config),
        KIOSK_SECRET_STORE_DB_PASSWORD=KIOSK_PASSWORD,
        PYTHONPATH=str(ROOT),
        QT_QPA_PLATFORM="offscreen",
    )
    return subprocess.run(
        [sys.executable, "-m", "kiosk", "close", *(["--store"] if store else []), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
        check=False,
    )


def test_close_store_exit_codes_json_and_pdf(
    counters, store_db: StoreDatabase, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    t1, t2 = counters("T01"), counters("T02")
    t1.sell_as(100, Method.QR)
    t2.sell_as(50, Method.WECHAT)
    t1.close_batch(tmp_path / "z")
    t1.sync.ship()
    t2.sync.ship()  # T02 sold and synced, but has not closed its batch
    first = close_store(tmp_path, store_db.kiosk_url, "--date", "2026-11-24", "--json")
    assert first.returncode == ExitCode.ATTENTION, first.stderr
    record = json.loads(first.stdout)
    assert record["closed"] is True and record["number"] == 1
    assert record["business_day"] == "20261124" and record["not_closed"] == ["T02"]
    assert record["paid"] == {"count": 1, "amount": "100.00"}
    assert Path(record["pdf"]).is_file() and Path(record["pdf"]).name == "store-close-000001.pdf"
    again = close_store(tmp_path, store_db.kiosk_url, "--date", "2026-11-24", "--json")
    assert again.returncode == ExitCode.NOTHING_TO_DO, again.stderr
    assert json.loads(again.stdout) == {"closed": False, "number": 1, "day": "20261124"}
    assert store_db.rows("SELECT count(*) FROM kiosk_store.store_closes") == [(1,)]
    text = close_store(tmp_path, store_db.kiosk_url, "--date", "2026-11-25")
    assert text.returncode == ExitCode.ATTENTION, text.stderr
    assert "S000002" in text.stdout and "STORE CLOSE" in text.stdout


def test_close_store_unreachable_and_bad_input(tmp_path: Path) -> None:
    away = f"postgresql://kiosk@127.0.0.1:{free_port()}/store"
    assert close_store(tmp_path, away).returncode == ExitCode.UNREACHABLE
    assert close_store(tmp_path, away, "--date", "2026-13-01").returncode == ExitCode.USAGE
    alone = close_store(tmp_path, away, "--date", "2026-11-24", store=False)
    assert alone.returncode == ExitCode.USAGE and "--store" in alone.stderr
