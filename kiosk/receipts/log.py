"""A plain-text receipt line for every order that reaches a final state.

One file per Bangkok business day under ``<data>/receipts/``; each line is
appended and fsynced, so the log survives a crash like the journal does.

One order, one line of tab-separated fields: every field that came from
outside (the shop name from the settings, the gateway's ids and reason code)
goes through ``kiosk.infra.logs.outside_text`` first, so a tab, a newline or a
secret in it can neither add a line nor reach the file.
"""

from __future__ import annotations

import os
from pathlib import Path

from kiosk.domain.order import BANGKOK, Order
from kiosk.infra.logs import outside_text


def _field(value: str | None) -> str:
    return outside_text(value) or "-"


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
            _field(self._shop),
            _field(order.kiosk_order_id),
            order.method.value.upper(),
            order.amount.thb(),
            status,
            f"gateway={_field(order.gateway_order_id)}",
            f"charge={_field(order.gateway_charge_id)}",
        ]
        if order.failure_code:
            parts.append(f"reason={_field(order.failure_code)}")
        return "\t".join(parts)

    def append(self, order: Order) -> Path:
        path = self.path_for(order)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as fh:
            fh.write(self.line(order) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        return path
