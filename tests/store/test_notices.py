"""Notices: what the cashier must be told once, kept until acknowledged."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from kiosk.domain.errors import StoreError
from kiosk.domain.money import Money
from kiosk.domain.order import Method
from kiosk.store.journal import Journal

NOW = datetime(2026, 11, 24, 3, 0, tzinfo=UTC)


def test_raised_once_listed_until_acknowledged_and_kept_across_restarts(tmp_path: Path) -> None:
    path = tmp_path / "journal.sqlite3"
    with Journal.open(path) as j:
        a = j.new_order(
            store_id="S1", terminal_id="T1", amount=Money(100), method=Method.QR, created_at=NOW
        )
        b = j.new_order(
            store_id="S1", terminal_id="T1", amount=Money(200), method=Method.QR, created_at=NOW
        )
        assert j.raise_notice(b.kiosk_order_id, "paid_late", NOW)
        assert j.raise_notice(a.kiosk_order_id, "paid_recovered", NOW + timedelta(seconds=1))
        assert not j.raise_notice(b.kiosk_order_id, "paid_late", NOW)  # once per order
    with Journal.open(path) as j:  # a restart does not lose them
        pending = j.pending_notices()
        assert [(n.order.kiosk_order_id, n.kind) for n in pending] == [
            (b.kiosk_order_id, "paid_late"),
            (a.kiosk_order_id, "paid_recovered"),
        ]
        assert pending[0].raised_at == NOW and pending[0].order.amount == Money(200)
        assert j.acknowledge_notice(b.kiosk_order_id, NOW)
        assert not j.acknowledge_notice(b.kiosk_order_id, NOW)
        assert not j.raise_notice(b.kiosk_order_id, "paid_late", NOW)  # never comes back
        assert [n.order.kiosk_order_id for n in j.pending_notices()] == [a.kiosk_order_id]


def test_a_notice_needs_a_journaled_order(tmp_path: Path) -> None:
    with Journal.open(tmp_path / "j.sqlite3") as j, pytest.raises(StoreError):
        j.raise_notice("S1-T1-20261124-0001", "paid_late", NOW)
