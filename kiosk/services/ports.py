"""What the UI needs of services it is handed but does not own, as Protocols.

A screen types its collaborators against these, so it depends on the
services layer only, never on the module that implements them (the receipt
service lives in ``kiosk.receipts``, beside the UI, not below it). Each
Protocol holds exactly the members a screen calls.
"""

from __future__ import annotations

from typing import Protocol

from kiosk.domain.errors import KioskError
from kiosk.domain.order import Order


class ReceiptOutcome(Protocol):
    """What became of a receipt asked for (``kiosk.receipts.service.PrintOutcome`` fits)."""

    @property
    def error(self) -> KioskError | None: ...

    def message(self, language: str = "en") -> str:
        """One line for the screen, in ``language`` ("en" or "th")."""
        ...


class OrderReceipts(Protocol):
    """An order's receipt from a transaction list (``ReceiptService`` fits).

    ``receipt_for`` prints the order's receipt again, or issues its first
    one; it may raise ``KioskError`` (or ``KeyError`` for a receipt that went
    missing from the archive).
    """

    async def receipt_for(self, order: Order) -> ReceiptOutcome: ...


__all__ = ["OrderReceipts", "ReceiptOutcome"]
