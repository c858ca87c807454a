"""`kiosk charge` and `kiosk sandbox` as real processes, as scripts and installers use them."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.processes import clean_env, run_kiosk


def kiosk(
    *args: str, data: Path, config: str | None = None, timeout: float = 60
) -> subprocess.CompletedProcess[str]:
    env = clean_env(KIOSK_DATA_DIR=str(data))
    if config is not None:
        path = data.parent / "config.toml"
        path.write_text(config, encoding="utf-8")
        env["KIOSK_CONFIG"] = str(path)
    return run_kiosk(*args, env=env, timeout=timeout)


def journal_rows(data: Path) -> list[tuple[str, str, int]]:
    path = data / "journal.sqlite3"
    if not path.exists():
        return []
    with sqlite3.connect(path) as db:
        return list(db.execute("SELECT kiosk_order_id, state, late FROM orders"))


@pytest.mark.slow
def test_charge_300_on_a_fresh_data_dir_is_paid(tmp_path: Path) -> None:
    data = tmp_path / "data"
    result = kiosk("charge", "300", data=data)
    assert result.returncode == 0, result.stderr
    assert "S001-T01-" in result.stdout and "PAID ฿300.00" in result.stdout
    assert "000201" in result.stdout  # the Thai QR text under the terminal QR
    ((order_id, state, late),) = journal_rows(data)
    assert state == "paid" and late == 0
    receipts = list((data / "receipts").glob("receipts-*.log"))
    assert order_id in receipts[0].read_text(encoding="utf-8")


@pytest.mark.parametrize("amount", ["0", "-5", "1.234", "abc", "50000.01", ""])
def test_bad_amounts_exit_2_and_journal_nothing(tmp_path: Path, amount: str) -> None:
    data = tmp_path / "data"
    result = kiosk("charge", amount, data=data, config='[store]\nmax_amount = "50000"\n')
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith("kiosk: ")
    assert "Traceback" not in result.stderr
    assert journal_rows(data) == []


def test_bad_settings_exit_2(tmp_path: Path) -> None:
    result = kiosk("charge", "10", data=tmp_path / "d", config='[gateway]\nkind = "paypal"\n')
    assert result.returncode == 2
    assert "gateway.kind" in result.stderr


def test_never_paid_with_a_3s_timeout_exits_3_expired(tmp_path: Path) -> None:
    data = tmp_path / "data"
    result = kiosk(
        "charge",
        "20",
        "--timeout",
        "3",
        "--json",
        data=data,
        config='[sandbox]\nscenario = "never"\n',
    )
    assert result.returncode == 3, result.stderr
    record = json.loads(result.stdout)
    assert record["status"] == "expired" and record["amount"] == "20.00"
    assert journal_rows(data)[0][1] == "expired"


def test_declined_exits_4_with_json(tmp_path: Path) -> None:
    data = tmp_path / "data"
    result = kiosk(
        "charge",
        "1234.5",
        "--json",
        "--method",
        "wechat",
        data=data,
        config='[sandbox]\nscenario = "decline"\npay_after_s = 0.5\n',
    )
    assert result.returncode == 4, result.stderr
    record = json.loads(result.stdout)
    assert {
        "kiosk_order_id",
        "amount",
        "currency",
        "method",
        "status",
        "late",
        "gateway_order_id",
        "gateway_charge_id",
        "created_at",
        "updated_at",
        "paid_at",
    } <= set(record)
    assert (record["status"], record["method"], record["amount"], record["currency"]) == (
        "failed",
        "wechat",
        "1234.50",
        "THB",
    )
    assert record["late"] is False and record["gateway_order_id"].startswith("order_test_")


def test_unreachable_gateway_exits_5(tmp_path: Path) -> None:
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    result = kiosk(
        "charge",
        "10",
        data=tmp_path / "d",
        config=f'[gateway]\nbase_url = "http://127.0.0.1:{port}"\nconnect_timeout_s = 1\n',
    )
    assert result.returncode == 5, result.stderr
    assert "Cannot reach the payment service" in result.stderr
    assert journal_rows(tmp_path / "d")[0][1] == "failed"


def test_charge_against_a_separately_running_sandbox(tmp_path: Path) -> None:
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), "sandbox", "--port", "0", "--pay-after", "0.5"],
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    try:
        assert server.stdout is not None
        base_url = server.stdout.readline().strip().split()[-1]
        assert base_url.startswith("http://127.0.0.1:")
        data = tmp_path / "data"
        result = kiosk(
            "charge", "55", "--json", data=data, config=f'[gateway]\nbase_url = "{base_url}"\n'
        )
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout)["status"] == "paid"
    finally:
        server.terminate()
        server.wait(10)
