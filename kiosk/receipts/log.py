"""A plain-text receipt line for every order that reaches a final state.

One file per Bangkok business day under ``<data>/receipts/``; each line is
appended and fsynced, so the log survives a crash like the journal does.
"""

from __future__ import annotations

import os
from pathlib import Path

from kiosk.domain.order import BANGKOK, Order


class ReceiptLog:
    def __init__(self, directory: Path, *, shop_name: str) -> None:
        self.directory = directory
        self._shop = shop_name

    def path_for(self, order: Order) -> Path:
        day = (order.updated_at or order.created_at).astimezone(BANGKOK)
        return self.directory / f"receipts-{day:%Y-%m-%d}.log"

    def line(self, order: Order) -> str:
        at = (order.updated_at or order.created_at).astimezone(BANGKOK)
        status = order.state.value.upper() + (" (LATE)" if order.late else "")
        parts = [
            at.isoformat(timespec="seconds"),
            self._shop,
            order.kiosk_order_id,
            order.method.value.upper(),
            order.amount.thb(),
            status,
            f"gateway={order.gateway_order_id or '-'}",
            f"charge={order.gateway_charge_id or '-'}",
        ]
        if order.failure_code:
            parts.append(f"reason={order.failure_code}")
        return "\t".join(parts)

    def append(self, order: Order) -> Path:
        path = self.path_for(order)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as fh:
            fh.write(self.line(order) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        return path
