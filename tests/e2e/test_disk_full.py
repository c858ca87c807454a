"""The disk fills after the QR is shown and the customer pays: the kiosk says so, never lies.

A real ``SQLITE_FULL`` (the journal's ``max_page_count`` pinned to its size and
its free space used up), and a real ``EFBIG`` (``RLIMIT_FSIZE`` set on a running
``kiosk charge``): the cashier is told at once that the sale cannot be recorded
and must not take the money twice, the CLI exits 8 without a traceback, and the
order is found PAID once the disk has room again.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from kiosk.domain.exitcodes import ExitCode
from kiosk.domain.order import OrderState
from kiosk.gateways.sandbox import SandboxServer, Scenario
from tests.conftest import ROOT
from tests.diskfull import full
from tests.e2e.test_window import button, charge, label, result_title
from tests.processes import clean_env
from tests.qt_fixtures import GuiFactory
from tests.test_cli import journal_rows, kiosk

S = OrderState
CLICK = Qt.MouseButton.LeftButton


@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_FSIZE and SIGXFSZ: Linux")
def test_the_window_says_at_once_that_the_sale_cannot_be_recorded(
    qtbot, make_gui: GuiFactory
) -> None:  # type: ignore[no-untyped-def]
    gui = make_gui()
    order_id = charge(qtbot, gui, "300")
    sandbox = gui.services.sandbox_server
    assert sandbox is not None
    with full(gui.services.data_dir):
        sandbox.pay(order_id)  # the customer pays; the kiosk cannot write it down
        qtbot.waitUntil(lambda: result_title(gui) == "Sale not recorded", timeout=5000)
        detail = label(gui, "resultDetail")
        assert "Do not take the money again" in detail and order_id in detail
        order = gui.services.journal.get(order_id)
        assert order is not None and order.state is S.AWAITING_PAYMENT  # nothing invented
        qtbot.mouseClick(button(gui, "newSaleButton"), CLICK)
    # Room again: the next pass finds the money.
    task = gui.controller.spawn(gui.services.recovery.run())
    qtbot.waitUntil(task.done, timeout=5000)
    order = gui.services.journal.get(order_id)
    assert order is not None and order.state is S.PAID


def wait_for_state(data: Path, state: str, proc: subprocess.Popen[str]) -> str:
    """The id of the order once the running kiosk has journaled ``state`` (bounded wait)."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert proc.poll() is None, proc.communicate()
        try:
            rows = [row for row in journal_rows(data) if row[1] == state]
        except sqlite3.Error:  # the kiosk is still creating its journal
            rows = []
        if rows:
            return rows[0][0]
        time.sleep(0.05)  # polling another process's file; nothing to signal on
    raise AssertionError(f"the kiosk never journaled {state}")


@pytest.mark.skipif(sys.platform != "linux", reason="prlimit on a running process: Linux")
def test_a_file_size_limit_mid_sale_exits_8_with_a_message_and_reconcile_finds_the_money(
    tmp_path: Path,
) -> None:
    import resource

    data = tmp_path / "data"
    config = tmp_path / "config.toml"
    with SandboxServer(scenario=Scenario(kind="never")) as sandbox:
        config.write_text(
            f'[gateway]\nkind = "sandbox"\nbase_url = "{sandbox.base_url}"\n', encoding="utf-8"
        )
        env = clean_env(KIOSK_DATA_DIR=str(data), KIOSK_CONFIG=str(config))
        proc = subprocess.Popen(
            [sys.executable, str(ROOT / "main.py"), "charge", "300", "--json", "--timeout", "60"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            order_id = wait_for_state(data, "awaiting_payment", proc)  # the QR is shown
            biggest = max(p.stat().st_size for p in data.rglob("*") if p.is_file())
            resource.prlimit(proc.pid, resource.RLIMIT_FSIZE, (biggest, biggest))
            sandbox.pay(order_id)
            _, err = proc.communicate(timeout=30)
        finally:
            proc.kill()
        assert proc.returncode == ExitCode.CANNOT_RECORD, err
        assert "Traceback" not in err
        assert "Do NOT take the money again" in err and order_id in err
        assert journal_rows(data) == [(order_id, "awaiting_payment", 0)]

        result = kiosk("reconcile", "--json", data=data, config=config.read_text())
        assert result.returncode == 0, result.stderr
        (changed,) = json.loads(result.stdout)["changed"]
        assert (changed["kiosk_order_id"], changed["status"]) == (order_id, "paid")
