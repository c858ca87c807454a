"""The order a cashier rings up, and its payment state machine.

    NEW ──> CREATING ──> AWAITING_PAYMENT ──> PAID
     │         │  │            │  │  └──────> FAILED ────┐
     │         │  │            │  └─────────> EXPIRED ───┤
     │         │  │            └────────────> CANCELLED ─┤ late payment
     │         │  └─> PAID / FAILED / EXPIRED            └──> PAID (late)
     └─────────┴─> FAILED / CANCELLED

PAID is terminal. FAILED, EXPIRED and CANCELLED are final for the cashier,
but money that still arrives is recorded: they may move to PAID with
``late`` (a sweep re-checks them for ``[recovery] sweep_days``). Every move
goes through ``transition`` and is checked against ``ALLOWED``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from kiosk.domain.attention import Attention
from kiosk.domain.errors import IllegalTransition
from kiosk.domain.money import CURRENCY, Money

BANGKOK = ZoneInfo("Asia/Bangkok")


class OrderState(StrEnum):
    NEW = "new"
    CREATING = "creating"
    AWAITING_PAYMENT = "awaiting_payment"
    PAID = "paid"
    FAILED = "failed"
    EXPIRED = "expired"
    CANCELLED = "cancelled"

    @property
    def is_final(self) -> bool:
        """Final for the cashier: the sale is over (a late payment may still come)."""
        return self in FINAL_STATES

    @property
    def is_terminal(self) -> bool:
        """Nothing can ever change again."""
        return not ALLOWED[self]


class Method(StrEnum):
    QR = "qr"
    WECHAT = "wechat"


S = OrderState
ALLOWED: dict[OrderState, frozenset[OrderState]] = {
    S.NEW: frozenset({S.CREATING, S.FAILED, S.CANCELLED}),
    # A crash mid-create leaves CREATING; recovery may find any outcome.
    S.CREATING: frozenset({S.AWAITING_PAYMENT, S.PAID, S.FAILED, S.EXPIRED, S.CANCELLED}),
    S.AWAITING_PAYMENT: frozenset({S.PAID, S.FAILED, S.EXPIRED, S.CANCELLED}),
    S.EXPIRED: frozenset({S.PAID}),
    S.CANCELLED: frozenset({S.PAID}),
    # Money after a failure (a declined scan paid again, a QR refused after the
    # gateway made it): recorded as a late payment, never lost.
    S.FAILED: frozenset({S.PAID}),
    S.PAID: frozenset(),
}
FINAL_STATES = frozenset({S.PAID, S.FAILED, S.EXPIRED, S.CANCELLED})
LATE_FROM = frozenset({S.EXPIRED, S.CANCELLED, S.FAILED})


@dataclass(frozen=True)
class Transition:
    """One journaled status change."""

    kiosk_order_id: str
    at: datetime
    from_state: OrderState
    to_state: OrderState
    gateway_order_id: str | None = None
    gateway_charge_id: str | None = None
    failure_code: str | None = None
    failure_message: str | None = None


@dataclass(frozen=True)
class Order:
    kiosk_order_id: str
    amount: Money
    method: Method
    created_at: datetime
    state: OrderState = OrderState.NEW
    currency: str = CURRENCY
    description: str = ""
    late: bool = False
    updated_at: datetime | None = None
    ttl_s: int | None = None
    gateway_expires_at: datetime | None = None
    gateway_order_id: str | None = None
    gateway_charge_id: str | None = None
    reference_order: str | None = None
    qr_payload: str | None = None
    failure_code: str | None = None
    failure_message: str | None = None
    paid_at: datetime | None = None
    # The main till's bill number the cashier typed or scanned (kiosk.domain.documents.sale_ref_of).
    sale_ref: str | None = None
    # Made through the sandbox gateway: its slips say TEST and use their own series.
    sandbox: bool = False
    # A gateway may send only a rendered QR; kept in memory, never journaled.
    qr_image_png: bytes | None = field(default=None, compare=False, repr=False)
    extra: dict[str, str] = field(default_factory=dict, compare=False)
    # The manager's flag (kiosk.domain.attention), journaled beside the order, not a state.
    attention: Attention | None = field(default=None, compare=False)

    @property
    def needs_attention(self) -> bool:
        """A flag the manager has not cleared yet: nothing automatic may make it PAID."""
        return self.attention is not None and self.attention.is_open

    @property
    def expires_at(self) -> datetime | None:
        """When the cashier's QR stops being valid: created_at + ttl."""
        if self.ttl_s is None:
            return None
        return self.created_at + timedelta(seconds=self.ttl_s)

    def has_expired(self, now: datetime) -> bool:
        expires = self.expires_at
        return expires is not None and now >= expires

    def seconds_left(self, now: datetime) -> float | None:
        expires = self.expires_at
        if expires is None:
            return None
        return max(0.0, (expires - now).total_seconds())

    def needs_checking(self, now: datetime) -> bool:
        """Should the gateway still be asked about this order?

        Every order not final for the cashier; and an expired or cancelled one
        while the gateway's own expiry has not passed (money may still come).
        """
        if not self.state.is_final:
            return True
        if self.state in LATE_FROM and self.gateway_expires_at is not None:
            return now < self.gateway_expires_at
        return False

    def transition(
        self,
        to: OrderState,
        at: datetime,
        *,
        gateway_order_id: str | None = None,
        gateway_charge_id: str | None = None,
        failure_code: str | None = None,
        failure_message: str | None = None,
        **changes: object,
    ) -> tuple[Order, Transition]:
        """Move to ``to`` or raise IllegalTransition; returns the new order and the record."""
        if to not in ALLOWED[self.state]:
            raise IllegalTransition(
                f"{self.kiosk_order_id}: {self.state.value} -> {to.value} is not allowed"
            )
        late = self.late or (to is OrderState.PAID and self.state in LATE_FROM)
        updated = replace(
            self,
            state=to,
            late=late,
            updated_at=at,
            gateway_order_id=gateway_order_id or self.gateway_order_id,
            gateway_charge_id=gateway_charge_id or self.gateway_charge_id,
            failure_code=failure_code if failure_code is not None else self.failure_code,
            failure_message=(
                failure_message if failure_message is not None else self.failure_message
            ),
            paid_at=at if to is OrderState.PAID else self.paid_at,
            **changes,  # type: ignore[arg-type]
        )
        record = Transition(
            kiosk_order_id=self.kiosk_order_id,
            at=at,
            from_state=self.state,
            to_state=to,
            gateway_order_id=updated.gateway_order_id,
            gateway_charge_id=updated.gateway_charge_id,
            failure_code=failure_code,
            failure_message=failure_message,
        )
        return updated, record


# Kiosk order ids (README "Order ids"): ``<store>-<terminal>-<yyyymmdd>-<seq>-<rand>``,
# e.g. ``S001-T01-20261124-0042-K7QX``. The gateway keeps the id as the
# idempotency key, so an id must never be handed out twice: ``seq`` counts the
# terminal's sales of the Bangkok day (continued past a replaced journal, see
# kiosk.store.numbering) and ``rand`` is 4 random RFC 4648 base32 characters
# (20 bits) that keep two data folders with the same store and terminal apart.
ORDER_ID_MAX = 32
STORE_ID_MAX = 8
TERMINAL_ID_MAX = 4
SEQ_DIGITS = 4  # zero-padded; more digits only while the id still fits ORDER_ID_MAX
SUFFIX_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"  # RFC 4648 base32
SUFFIX_LENGTH = 4


def make_order_id(store_id: str, terminal_id: str, day: datetime, seq: int, suffix: str) -> str:
    """``<store>-<terminal>-<yyyymmdd>-<seq>-<suffix>``; the date is the Bangkok business day.

    ValueError for a suffix that is not 4 base32 characters, a seq below 1, or
    an id longer than ``ORDER_ID_MAX`` (store and terminal ids are limited by
    the settings so that 4-digit seqs always fit).
    """
    if len(suffix) != SUFFIX_LENGTH or any(ch not in SUFFIX_ALPHABET for ch in suffix):
        raise ValueError(f"order id suffix must be {SUFFIX_LENGTH} base32 characters: {suffix!r}")
    if seq < 1:
        raise ValueError(f"order seq must be 1 or more, not {seq}")
    order_id = f"{store_id}-{terminal_id}-{business_day(day)}-{seq:0{SEQ_DIGITS}d}-{suffix}"
    if len(order_id) > ORDER_ID_MAX:
        raise ValueError(f"order id {order_id} is longer than {ORDER_ID_MAX} characters")
    return order_id


def random_suffix(randbelow: Callable[[int], int]) -> str:
    """4 base32 characters drawn with ``randbelow`` (``secrets.randbelow`` in the kiosk)."""
    return "".join(SUFFIX_ALPHABET[randbelow(len(SUFFIX_ALPHABET))] for _ in range(SUFFIX_LENGTH))


def order_number(kiosk_order_id: str) -> int | None:
    """The seq of a kiosk order id (the "number of the day"), in either format.

    ``...-<yyyymmdd>-<seq>-<rand>`` (now) or ``...-<yyyymmdd>-<seq>`` (journals
    written before the random part): the seq is the digit group right after
    the 8-digit date. None for any other id.
    """
    parts = kiosk_order_id.split("-")
    if (
        len(parts) >= 5
        and _is_suffix(parts[-1])
        and is_business_day(parts[-3])
        and _digits(parts[-2])
    ):
        return int(parts[-2])
    if len(parts) >= 4 and is_business_day(parts[-2]) and _digits(parts[-1]):
        return int(parts[-1])
    return None


def _digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


def is_business_day(text: str) -> bool:
    """Whether ``text`` looks like a ``yyyymmdd`` day (month 01-12, day 01-31)."""
    if len(text) != 8 or not _digits(text):
        return False
    return 1 <= int(text[4:6]) <= 12 and 1 <= int(text[6:]) <= 31


def _is_suffix(text: str) -> bool:
    return len(text) == SUFFIX_LENGTH and all(ch in SUFFIX_ALPHABET for ch in text)


def business_day(at: datetime) -> str:
    return at.astimezone(BANGKOK).strftime("%Y%m%d")
