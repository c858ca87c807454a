"""Counters as the installer runs them: `kiosk charge` against an honest villa gateway
(tests/hostile), `kiosk sync`, `kiosk report --store`, `kiosk store init`, on a real PostgreSQL."""

from __future__ import annotations

import json
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

from tests.hostile.conftest import MakeGateway
from tests.hostile.kiosk_run import (
    KioskRun,
    command,
    journal_rows,
    kiosk_env,
    run_kiosk,
    write_config,
)
from tests.hostile.server import HostileGateway
from tests.store_pg.conftest import StoreDatabase
from tests.store_pg.pgserver import KIOSK_PASSWORD, OWNER_PASSWORD, free_port


def store_settings(db_url: str, terminal: str) -> dict[str, dict[str, str | int | float | bool]]:
    return {
        "store": {"terminal_id": terminal, "store_id": "S001"},
        "store_db": {"url": db_url, "sync_interval_s": 1},
    }


def kiosk(
    gateway: HostileGateway, folder: Path, db_url: str, terminal: str, *args: str
) -> KioskRun:
    return run_kiosk(
        gateway,
        folder,
        *args,
        timeout=60,
        settings=store_settings(db_url, terminal),
        env={"KIOSK_SECRET_STORE_DB_PASSWORD": KIOSK_PASSWORD},
    )


def test_three_counters_sell_and_the_store_report_has_every_paid_order_once(
    hostile: MakeGateway, tmp_path: Path, store_db: StoreDatabase
) -> None:
    gateway = hostile("honest", pay_after_s=0.2)
    paid: dict[str, str] = {}
    for terminal in ("T01", "T02", "T03"):
        folder = tmp_path / terminal
        folder.mkdir()
        for amount in ("100", "250.50"):
            run = kiosk(gateway, folder, store_db.kiosk_url, terminal, "charge", amount, "--json")
            assert run.returncode == 0, run
            paid[run.record()["kiosk_order_id"]] = terminal
        sent = kiosk(gateway, folder, store_db.kiosk_url, terminal, "sync", "now")
        assert sent.returncode == 0, sent
        status = kiosk(gateway, folder, store_db.kiosk_url, terminal, "sync", "status", "--json")
        assert status.returncode == 0, status
        record = json.loads(status.stdout)
        assert record["configured"] and record["reachable"] and record["pending"] == 0
    report = kiosk(
        gateway, tmp_path / "T01", store_db.kiosk_url, "T01", "report", "--store", "--format",
        "json",
    )  # fmt: skip
    assert report.returncode == 0, report
    rows = [r for r in json.loads(report.stdout) if r["status"] == "paid"]
    assert sorted((r["kiosk_order_id"], r["terminal_id"]) for r in rows) == sorted(paid.items())
    csv = kiosk(gateway, tmp_path / "T02", store_db.kiosk_url, "T02", "report", "--store")
    assert csv.returncode == 0, csv
    header = csv.stdout.lstrip("\ufeff").splitlines()[0]
    assert header.endswith(",attention,terminal_id") and header.startswith("kiosk_order_id,")
    assert store_db.rows("SELECT count(*) FROM kiosk_store.conflicts") == [(0,)]


def test_a_counter_killed_after_its_journal_commit_sends_its_events_after_restart(
    hostile: MakeGateway, tmp_path: Path, store_db: StoreDatabase
) -> None:
    gateway = hostile("honest", pay_after_s=600)  # the customer has not paid yet
    folder = tmp_path / "T01"
    folder.mkdir()
    config = write_config(gateway, folder, store_settings(store_db.kiosk_url, "T01"))
    env = kiosk_env(gateway, folder / "data", config, KIOSK_SECRET_STORE_DB_PASSWORD=KIOSK_PASSWORD)
    process = subprocess.Popen(
        command("charge", "100", "--json"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    try:
        deadline = time.monotonic() + 30
        while not _awaiting(folder / "data"):
            assert time.monotonic() < deadline, "the sale never reached the QR"
            time.sleep(0.05)  # waiting for another process's journal, not for a UI
    finally:
        process.send_signal(signal.SIGKILL)  # committed, never sent
        process.wait()
    [order] = journal_rows(folder / "data")
    gateway.pay_after_s = 0  # the customer paid meanwhile
    again = kiosk(gateway, folder, store_db.kiosk_url, "T01", "reconcile", "--json")
    assert again.returncode == 0, again
    sent = kiosk(gateway, folder, store_db.kiosk_url, "T01", "sync", "now")
    assert sent.returncode == 0, sent
    assert store_db.rows(
        "SELECT state, terminal_id FROM kiosk_store.orders WHERE kiosk_order_id = %s",
        (order["kiosk_order_id"],),
    ) == [("paid", "T01")]
    assert store_db.rows("SELECT count(*) FROM kiosk_store.conflicts") == [(0,)]


def _awaiting(data: Path) -> bool:
    try:
        return any(r["state"] == "awaiting_payment" for r in journal_rows(data))
    except sqlite3.OperationalError:  # the journal is being created
        return False


def test_store_init_exit_codes(
    hostile: MakeGateway, tmp_path: Path, empty_db: StoreDatabase
) -> None:
    def init(url: str, password: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            command("store", "init", "--url", url, "--kiosk-role", "kiosk"),
            input=password + "\n",
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    first = init(empty_db.owner_url, OWNER_PASSWORD)
    assert first.returncode == 0, first.stderr
    assert OWNER_PASSWORD not in first.stdout + first.stderr
    assert init(empty_db.owner_url, OWNER_PASSWORD).returncode == 0  # again: up to date
    wrong = init(empty_db.owner_url, "not-the-password")
    assert wrong.returncode == 5, wrong.stderr
    assert "not-the-password" not in wrong.stdout + wrong.stderr
    nobody_there = f"postgresql://store_owner@127.0.0.1:{free_port()}/{empty_db.name}"
    assert init(nobody_there, OWNER_PASSWORD).returncode == 5
    with empty_db.as_kiosk() as db:
        assert db.privileges() == {
            "insert": True, "select": True, "update": False, "delete": False,
            "truncate": False, "owns": False,
        }  # fmt: skip


def test_sync_says_unreachable_with_exit_5_and_a_sandbox_counter_sends_nothing(
    hostile: MakeGateway, tmp_path: Path, store_db: StoreDatabase
) -> None:
    gateway = hostile("honest", pay_after_s=0.1)
    folder = tmp_path / "T01"
    folder.mkdir()
    assert kiosk(gateway, folder, store_db.kiosk_url, "T01", "charge", "100").returncode == 0
    away = f"postgresql://kiosk@127.0.0.1:{free_port()}/{store_db.name}"
    for args in (("sync", "now"), ("sync", "status", "--json")):
        run = kiosk(gateway, folder, away, "T01", *args)
        assert run.returncode == 5, run
    status = kiosk(gateway, folder, away, "T01", "sync", "status", "--json")
    with sqlite3.connect(folder / "data" / "journal.sqlite3") as journal:
        [(records,)] = journal.execute("SELECT count(*) FROM chain").fetchall()
    assert json.loads(status.stdout)["pending"] == records >= 4  # the sale's, all waiting
    sandbox = run_kiosk(
        gateway,
        folder,
        "sync",
        "now",
        settings={"gateway": {"kind": "sandbox"}, "store_db": {"url": store_db.kiosk_url}},
    )
    assert sandbox.returncode == 2 and "sandbox" in sandbox.stderr
    assert store_db.rows("SELECT count(*) FROM kiosk_store.events") == [(0,)]
