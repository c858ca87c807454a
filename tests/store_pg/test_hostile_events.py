"""One counter's unreadable event must not take the store's report from every counter.

The kiosk role may INSERT any row into ``kiosk_store.events`` (a counter with
a bug, an old version, or someone with the kiosk password). A record whose
JSON is well formed but whose fields are not what the views cast them to
(a time that is no time, an amount that is text) is flagged in ``conflicts``
like any other bad event; the store's views and ``report --store`` go on
with every other counter's sales.
"""

from __future__ import annotations

import json

import pytest

from kiosk.services.store_report import store_orders
from kiosk.store.storedb.client import StoreEvent
from tests.store_pg.conftest import StoreDatabase
from tests.store_pg.test_sync import DAY, MakeCounter, counters  # noqa: F401 - fixture

ORDER_ID = "S001-T09-20261124-0001-EVIL"
GOOD_AFTER = {
    "kiosk_order_id": ORDER_ID, "store_id": "S001", "terminal_id": "T09",
    "business_day": DAY, "seq": 1, "amount_satang": 100, "currency": "THB",
    "method": "qr", "state": "paid", "created_at": "2026-11-24T03:00:00+00:00",
}  # fmt: skip
BAD_ROWS = {
    "at-not-a-time": {"at": "the day after never", "order_after": json.dumps(GOOD_AFTER)},
    "amount-text": {
        "at": "2026-11-24T03:00:00+00:00",
        "order_after": json.dumps(GOOD_AFTER | {"amount_satang": "lots"}),
    },
    "order-after-not-json": {"at": "2026-11-24T03:00:00+00:00", "order_after": "{oops"},
    "created-not-a-time": {
        "at": "2026-11-24T03:00:00+00:00",
        "order_after": json.dumps(GOOD_AFTER | {"created_at": "soon"}),
    },
}


@pytest.mark.parametrize("bad", list(BAD_ROWS))
def test_an_unreadable_event_is_flagged_and_the_store_report_goes_on(
    counters: MakeCounter,  # noqa: F811
    store_db: StoreDatabase,
    bad: str,
) -> None:
    t1 = counters("T01")
    sold = t1.sell(100)
    t1.sync.ship()
    row = {"kiosk_order_id": ORDER_ID, "to_state": "paid"} | BAD_ROWS[bad]
    hostile = StoreEvent(
        event_id=f"evil-{bad}", install_id="evil-install", generation=1, seq=1,
        kind="record", tbl="status_changes", part="row", ref="1", prev_hash="0" * 64,
        hash="1" * 64, record=json.dumps({"row": row}), store_id="S001",
        terminal_id="T09", queued_at=None,
    )  # fmt: skip
    with store_db.as_kiosk() as db:
        db.insert([hostile])
    with store_db.as_kiosk() as db:
        found = store_orders(db, DAY)
    assert [order.kiosk_order_id for _, order in found] == [sold.kiosk_order_id]
    reasons = store_db.rows(
        "SELECT reason FROM kiosk_store.conflicts WHERE event_id = %s", (hostile.event_id,)
    )
    assert reasons, "the bad event is not flagged"


@pytest.mark.parametrize("raw", ["[1, 2]", "3", '"text"', "[" * 5000 + "]" * 5000])
def test_an_attention_flag_with_odd_raw_fields_does_not_stop_the_store_report(
    counters: MakeCounter,  # noqa: F811
    store_db: StoreDatabase,
    raw: str,
) -> None:
    t1 = counters("T01")
    sold = t1.sell(100)
    t1.sync.ship()
    row = {
        "kiosk_order_id": sold.kiosk_order_id, "reason": "paid_amount_mismatch", "raw": raw,
        "raised_at": "2026-11-24T03:00:00+00:00",
    }  # fmt: skip
    flag = StoreEvent(
        event_id=f"odd-flag-{len(raw)}", install_id=t1.install_id, generation=1, seq=10_000,
        kind="record", tbl="attention", part="row", ref=sold.kiosk_order_id,
        prev_hash="0" * 64, hash="1" * 64, record=json.dumps({"row": row}), store_id="S001",
        terminal_id="T01", queued_at=None,
    )  # fmt: skip
    with store_db.as_kiosk() as db:
        db.insert([flag])
        found = store_orders(db, DAY)
    assert sold.kiosk_order_id in [order.kiosk_order_id for _, order in found]
