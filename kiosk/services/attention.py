"""The manager's desk for sales that need attention (kiosk.domain.attention).

Only a manager clears a flag: each clear asks for the manager PIN again (the
screen it is done from is already behind the PIN, but a flag is about money,
and the journal records who could have cleared it), says what was done
(refunded in the bank app, or accepted) and is journaled. The order's state
does not change: an accepted payment of another amount is still not "this
sale's money", and the Z report lists it with its outcome.
"""

from __future__ import annotations

import logging

from kiosk.domain.attention import Outcome
from kiosk.domain.clock import Clock
from kiosk.domain.errors import InputError, Text
from kiosk.domain.events import OrderChanged
from kiosk.domain.order import Order
from kiosk.domain.outside import clean_text
from kiosk.infra.bus import EventBus
from kiosk.services.pin import ManagerPin
from kiosk.store.journal import Journal

log = logging.getLogger("kiosk.attention")

MAX_NOTE = 200


class AttentionDesk:
    def __init__(self, *, journal: Journal, clock: Clock, bus: EventBus, pin: ManagerPin) -> None:
        self.journal = journal
        self.clock = clock
        self.bus = bus
        self.pin = pin

    def open(self) -> list[Order]:
        """Flagged orders the manager has not cleared yet, oldest flag first."""
        return self.journal.orders_needing_attention()

    async def clear(self, kiosk_order_id: str, outcome: Outcome, pin: str, note: str = "") -> Order:
        """Clear one flag with the manager's decision; InputError (nothing changed) otherwise."""
        check = await self.pin.check(pin)
        if not check.ok:
            raise InputError("manager PIN refused", text=check.text)
        order = self.journal.get(kiosk_order_id)
        if order is None or not order.needs_attention:
            raise InputError(
                f"{kiosk_order_id} has no open flag",
                text=Text(
                    "This sale does not need attention any more.",
                    "รายการนี้ไม่ต้องตรวจสอบแล้ว",
                ),
            )
        if not self.journal.clear_attention(
            kiosk_order_id, outcome, self.clock.now(), clean_text(note, MAX_NOTE)
        ):
            raise InputError(f"{kiosk_order_id} was cleared meanwhile")
        cleared = self.journal.get(kiosk_order_id) or order
        self.bus.publish(OrderChanged(cleared))
        return cleared


__all__ = ["AttentionDesk"]
