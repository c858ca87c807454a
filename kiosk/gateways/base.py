"""What every payment backend offers the rest of the kiosk.

Only these dataclasses cross the adapter boundary; vendor JSON never does.
Optional abilities (cancel) are separate protocols callers check for.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol, runtime_checkable

from kiosk.domain.money import Money
from kiosk.domain.order import Method


@dataclass(frozen=True)
class QrContent:
    """What to draw: the QR text (preferred) or a PNG the gateway rendered."""

    text: str | None = None
    image_png: bytes | None = None
    qr_id: str | None = None


@dataclass(frozen=True)
class CreatedOrder:
    gateway_order_id: str
    amount: Money | None
    currency: str | None
    expire_time_s: int | None
    reference_order: str | None = None
    qr: QrContent | None = None
    # KBank's additional_data mid / tid when given (checked ids): printed on the slip.
    merchant_ids: tuple[tuple[str, str], ...] = ()


class PaymentState(StrEnum):
    PENDING = "pending"
    PAID = "paid"
    DECLINED = "declined"
    EXPIRED = "expired"
    CANCELLED = "cancelled"
    NOT_FOUND = "not_found"


@dataclass(frozen=True)
class StatusReport:
    """What a gateway says of one order.

    ``gateway_order_id`` / ``kiosk_order_id`` / ``amount`` / ``currency`` are
    what the answer *itself* names (None when it does not say): the checkout
    cross-checks them against the order asked about before believing a "paid".
    """

    state: PaymentState
    charge_id: str | None = None
    gateway_order_id: str | None = None
    transaction_state: str | None = None
    failure_code: str | None = None
    failure_message: str | None = None
    kiosk_order_id: str | None = None
    amount: Money | None = None
    # The answer carried an amount that cannot be read: not the sale's.
    amount_unreadable: bool = False
    currency: str | None = None
    # Raw fields of the answer worth keeping when it does not add up (cleaned text only).
    raw: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class OrderRef:
    """How to name an order to the gateway: our id, and its id once known."""

    kiosk_order_id: str
    gateway_order_id: str | None = None
    method: Method = Method.QR


class PaymentGateway(Protocol):
    name: str
    methods: frozenset[Method]

    async def create_order(
        self, *, kiosk_order_id: str, amount: Money, method: Method, description: str
    ) -> CreatedOrder:
        """Create (or, for the same kiosk_order_id, return again) the gateway order."""
        ...

    async def get_qr(self, ref: OrderRef) -> QrContent: ...

    async def check_status(self, ref: OrderRef) -> StatusReport: ...

    async def aclose(self) -> None: ...


@runtime_checkable
class SupportsCancel(Protocol):
    async def cancel(self, ref: OrderRef) -> None: ...
