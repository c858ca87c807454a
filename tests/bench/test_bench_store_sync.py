"""Store-sync benchmark (make bench; needs PostgreSQL's server binaries, as tests/store_pg).

1. Click on Charge -> QR painted (minus the sandbox's own answer time) through
   the real window, 20 sales with no sync, then 20 with a sync thread shipping
   to a real PostgreSQL after every change (nudged as ``build_services`` does).
   Goal: no difference beyond noise. The embedded sandbox is used for the
   window, so the records go out withheld (hashes only): the same reads,
   inserts and marks as a real sale's, without a gateway of its own.
2. Records a second one counter ships (a journal of 500 paid sales).

The figures move with the machine's load: run it a few times.
"""

from __future__ import annotations

import time
from pathlib import Path

import httpx
from PySide6.QtCore import Qt

from kiosk.app.gui import Gui, start_background
from kiosk.domain.clock import SystemClock
from kiosk.domain.events import OrderChanged
from kiosk.gateways.villa import VillaGateway
from kiosk.services.sync import StoreSync
from tests.bench.test_bench_window import pct
from tests.qt_fixtures import GuiFactory, kiosk_settings
from tests.store_pg.conftest import StoreDatabase
from tests.store_pg.test_sync import Counter

CHECKOUTS = 20
SALES = 500


def checkouts(qtbot, gui: Gui, count: int) -> list[float]:  # type: ignore[no-untyped-def]
    window = gui.window
    gateway = gui.services.gateway
    assert isinstance(gateway, VillaGateway)
    sandbox_ms: list[float] = []

    async def on_response(response: httpx.Response) -> None:
        sandbox_ms.append(float(response.headers.get("X-Sandbox-Time-Ms", "0")))

    gateway._client.event_hooks["response"] = [on_response]
    painted_at: list[float] = []
    window.qr.qr.painted.connect(lambda: painted_at.append(time.perf_counter()))
    click_to_paint: list[float] = []
    for i in range(count):
        window.sale.clear()
        for key in str(100 + i):
            window.sale.press(key)
        sandbox_ms.clear()
        painted_at.clear()
        t0 = time.perf_counter()
        qtbot.mouseClick(window.sale.charge_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: bool(painted_at), timeout=5000)
        click_to_paint.append((painted_at[0] - t0) * 1000 - sum(sandbox_ms))
        qtbot.mouseClick(window.banner.pay, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: window.stack.currentWidget() is window.result, timeout=5000)
        qtbot.mouseClick(window.result.new_sale, Qt.MouseButton.LeftButton)
    return click_to_paint


def test_click_to_qr_with_the_sync_running_and_off(  # type: ignore[no-untyped-def]
    qtbot, make_gui: GuiFactory, store_db: StoreDatabase
) -> None:
    gui = make_gui(kiosk_settings(ui={"sound": False, "result_clear_s": 0}))
    start_background(gui)
    receipts = gui.services.receipts
    qtbot.waitUntil(lambda: receipts is None or receipts._renderer is not None, timeout=5000)
    checkouts(qtbot, gui, 3)  # warm-up
    off = checkouts(qtbot, gui, CHECKOUTS)
    sync = StoreSync(
        journal_path=gui.services.data_dir / "journal.sqlite3",
        connect=store_db.as_kiosk,
        store_id="S001",
        terminal_id="T01",
        clock=SystemClock(),
        interval_s=1,
    )
    sync.start()
    handle = gui.services.bus.subscribe(OrderChanged, lambda _e: sync.nudge())
    try:
        on = checkouts(qtbot, gui, CHECKOUTS)
        qtbot.waitUntil(lambda: sync.status().pending == 0, timeout=10_000)
    finally:
        handle.cancel()
        sync.stop()
    shipped = store_db.rows("SELECT count(*) FROM kiosk_store.events")[0][0]
    print(
        "\n== store sync: click Charge -> QR painted minus sandbox time ==\n"
        f"sync off: p50 {pct(off, 0.5):.1f} ms, p95 {pct(off, 0.95):.1f} ms,"
        f" worst {max(off):.1f} ms\n"
        f"sync on:  p50 {pct(on, 0.5):.1f} ms, p95 {pct(on, 0.95):.1f} ms,"
        f" worst {max(on):.1f} ms ({shipped} events in the store database)"
    )


def test_records_a_second_one_counter_ships(tmp_path: Path, store_db: StoreDatabase) -> None:
    counter = Counter(tmp_path / "T01", "T01", store_db)
    try:
        for _ in range(SALES):
            counter.sell()
        records = counter.journal.chain_head().position
        t0 = time.perf_counter()
        assert counter.sync.ship() == records
        seconds = time.perf_counter() - t0
    finally:
        counter.close()
    print(
        f"\n== store sync: one counter ships {records} records in {seconds:.2f} s:"
        f" {records / seconds:.0f} records/s (batches of 500, checked by the store's trigger)"
    )
