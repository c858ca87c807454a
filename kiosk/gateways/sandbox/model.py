"""The sandbox's model: :class:`Scenario`, its orders, and the book that keeps them.

A :class:`Scenario` says how the simulated customer and gateway behave for
one order (pay after N seconds, decline, never pay, slow answers, HTTP 500s,
garbage bodies, and tampered answers for the safety tests). A
:class:`SandboxOrder`'s state is computed lazily from the injected
``monotonic`` clock at request time; there are no timers. The
:class:`OrderBook` holds every order and the scenarios for new ones behind
one lock. Also here: the sandbox shop's identity and the QR / amount helpers.
"""

from __future__ import annotations

import itertools
import logging
import math
import threading
import time
import uuid
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime, timedelta, timezone
from typing import Any, Literal, get_args

from kiosk.domain.money import Money
from kiosk.domain.thaiqr import build_bill_payment

_log = logging.getLogger("kiosk.gateway.sandbox")

Kind = Literal["pay", "decline", "never"]
Fault = Literal["http500", "garbage"]
Tamper = Literal["amount", "currency", "qr_crc", "qr_amount", "qr_payee"]
State = Literal["pending", "paid", "declined", "expired", "cancelled"]

MERCHANT_NAME = "SANDBOX SHOP"
MERCHANT_CITY = "BANGKOK"
BILLER_ID = "010555800000001"  # the sandbox shop's payee (tag 30 biller id)
REF2 = "SANDBOX"
OTHER_PAYEE = "099999999999999"  # the payee of a "qr_payee" tampered QR
WECHAT_PREFIX = "weixin://wxpay/bizpayurl?pr=SANDBOX"

_BANGKOK = timezone(timedelta(hours=7), "ICT")  # Thailand has no DST
_REFERENCE_SEQ = itertools.count(1)


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


@dataclass(frozen=True)
class Scenario:
    """How the simulated customer and gateway behave for one order."""

    kind: Kind = "pay"
    after_s: float = 3.0  # pay/decline this many seconds after the order was created
    expire_s: int = 600  # expire_time_seconds; after it the order is expired
    delay_s: float = 0.0  # every API answer for this order is delayed by this much
    fault: Fault | None = None  # "http500": 500 + error envelope; "garbage": 200 + non-JSON
    fault_count: int | None = None  # API calls that fail before answering normally; None = all
    inline_qr: bool = False  # put the QR text in the create-order answer as "qr_text"
    tamper: Tamper | None = None  # for the safety tests

    def __post_init__(self) -> None:
        if self.kind not in get_args(Kind):
            raise ValueError(f"kind: must be one of {', '.join(get_args(Kind))}")
        if not _is_number(self.after_s) or self.after_s < 0:
            raise ValueError("after_s: must be a number >= 0")
        if (
            not isinstance(self.expire_s, int)
            or isinstance(self.expire_s, bool)
            or self.expire_s <= 0
        ):
            raise ValueError("expire_s: must be a whole number of seconds > 0")
        if not _is_number(self.delay_s) or self.delay_s < 0:
            raise ValueError("delay_s: must be a number >= 0")
        if self.fault is not None and self.fault not in get_args(Fault):
            raise ValueError(f"fault: must be null or one of {', '.join(get_args(Fault))}")
        if self.fault_count is not None and (
            not isinstance(self.fault_count, int)
            or isinstance(self.fault_count, bool)
            or self.fault_count < 0
        ):
            raise ValueError("fault_count: must be null or a whole number >= 0")
        if not isinstance(self.inline_qr, bool):
            raise ValueError("inline_qr: must be true or false")
        if self.tamper is not None and self.tamper not in get_args(Tamper):
            raise ValueError(f"tamper: must be null or one of {', '.join(get_args(Tamper))}")

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Scenario:
        """Build from JSON-like data; ValueError naming the key on bad input."""
        if not isinstance(data, Mapping):
            raise ValueError("scenario: must be a JSON object")
        known = {f.name for f in fields(cls)}
        for key in data:
            if key not in known:
                raise ValueError(f"{key}: unknown scenario key")
        kwargs: dict[str, Any] = dict(data)
        return cls(**kwargs)

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


DEFAULT_SCENARIO = Scenario()  # pay after 3 s, expire after 10 min


@dataclass
class SandboxOrder:
    """One order the sandbox was asked to create, keyed by the kiosk's ``orderid``."""

    orderid: str
    gateway_order_id: str
    reference_order: str
    amount: Money
    currency: str
    description: str
    method: str  # "qr" | "wechat"
    scenario: Scenario
    created_mono: float
    created_text: str
    faults_left: int | None
    qr_id: str = field(default_factory=lambda: "qr_test_" + uuid.uuid4().hex[:24])
    charge_id: str = field(default_factory=lambda: "chrg_test_" + uuid.uuid4().hex[:24])
    source_id: str = field(default_factory=lambda: "src_test_" + uuid.uuid4().hex[:24])
    wechat_token: str = field(default_factory=lambda: uuid.uuid4().hex)
    create_calls: int = 1
    final: State | None = None  # set once the state is fixed (lazily, or forced)
    paid_at: float | None = None

    @classmethod
    def new(
        cls,
        *,
        orderid: str,
        amount: Money,
        method: str,
        description: str,
        scenario: Scenario,
        created_mono: float,
    ) -> SandboxOrder:
        """A fresh THB order with new sandbox ids, created now."""
        return cls(
            orderid=orderid,
            gateway_order_id="order_test_" + uuid.uuid4().hex,
            reference_order=new_reference(),
            amount=amount,
            currency="THB",
            description=description,
            method=method,
            scenario=scenario,
            created_mono=created_mono,
            created_text=bangkok_stamp(),
            faults_left=scenario.fault_count,
        )

    def state(self, now: float) -> State:
        """The state at ``now``; fixes a scheduled pay/decline/expiry once it is due."""
        if self.final is None:
            sc = self.scenario
            act_at = self.created_mono + sc.after_s
            expire_at = self.created_mono + sc.expire_s
            if sc.kind != "never" and act_at < expire_at and now >= act_at:
                if sc.kind == "pay":
                    self.final, self.paid_at = "paid", act_at
                else:
                    self.final = "declined"
            elif now >= expire_at:
                self.final = "expired"
        return self.final or "pending"

    def seconds_left(self, now: float) -> int:
        return max(0, math.ceil(self.created_mono + self.scenario.expire_s - now))

    def summary(self, now: float) -> dict[str, object]:
        """The order's true state, as ``GET /_sandbox/orders`` lists it."""
        return {
            "orderid": self.orderid,
            "gateway_order_id": self.gateway_order_id,
            "amount": self.amount.plain(),
            "method": self.method,
            "state": self.state(now),
            "create_calls": self.create_calls,
            "paid_at_monotonic": self.paid_at,
        }


class OrderBook:
    """Every order and the scenarios for new ones, behind one lock.

    The public methods take ``lock`` themselves; :meth:`find`, :meth:`add` and
    :meth:`next_scenario` are for the request handlers, which hold ``lock``
    across a whole answer.
    """

    def __init__(self, *, scenario: Scenario, monotonic: Callable[[], float]) -> None:
        self.lock = threading.Lock()
        self.monotonic = monotonic
        self._default = scenario
        self._queue: deque[Scenario] = deque()
        self._orders: dict[str, SandboxOrder] = {}

    # -- steering (takes the lock) -------------------------------------------

    def default_scenario(self) -> Scenario:
        with self.lock:
            return self._default

    def set_scenario(self, scenario: Scenario) -> None:
        """The default scenario for orders created from now on."""
        with self.lock:
            self._default = scenario
        _log.info("SANDBOX default scenario: %s", scenario)

    def queue_scenario(self, scenario: Scenario) -> None:
        """A scenario for the next created order only (FIFO), then the default again."""
        with self.lock:
            self._queue.append(scenario)
        _log.info("SANDBOX queued scenario: %s", scenario)

    def set_order_scenario(self, orderid: str, scenario: Scenario) -> None:
        """Change how an existing order's answers behave (faults, delays) from now on."""
        with self.lock:
            order = self._get(orderid)
            order.scenario = scenario
            order.faults_left = scenario.fault_count
        _log.info("SANDBOX order %s scenario: %s", orderid, scenario)

    def pay(self, orderid: str) -> None:
        """The customer pays now; works even after cancel or expiry (a late payment)."""
        with self.lock:
            order = self._get(orderid)
            now = self.monotonic()
            if order.state(now) != "paid":
                order.final, order.paid_at = "paid", now
        _log.info("SANDBOX order %s paid (forced)", orderid)

    def decline(self, orderid: str) -> None:
        """The customer's bank declines now (a pending order only; final states stay)."""
        self._force(orderid, "declined")

    def expire(self, orderid: str) -> None:
        """The order expires now (a pending order only; final states stay)."""
        self._force(orderid, "expired")

    def orders(self) -> list[dict[str, object]]:
        with self.lock:
            now = self.monotonic()
            return [order.summary(now) for order in self._orders.values()]

    def summary(self, orderid: str) -> dict[str, object]:
        with self.lock:
            return self._get(orderid).summary(self.monotonic())

    def paid_at_monotonic(self, orderid: str) -> float | None:
        with self.lock:
            order = self._get(orderid)
            order.state(self.monotonic())
            return order.paid_at

    # -- for the handlers (the caller holds the lock) --------------------------

    def find(self, orderid: str) -> SandboxOrder | None:
        return self._orders.get(orderid)

    def add(self, order: SandboxOrder) -> None:
        self._orders[order.orderid] = order

    def next_scenario(self) -> Scenario:
        """The queued scenario for a new order (used up), else the default."""
        return self._queue.popleft() if self._queue else self._default

    # -- inside ----------------------------------------------------------------

    def _get(self, orderid: str) -> SandboxOrder:
        order = self._orders.get(orderid)
        if order is None:
            raise KeyError(orderid)
        return order

    def _force(self, orderid: str, state: State) -> None:
        with self.lock:
            order = self._get(orderid)
            if order.state(self.monotonic()) == "pending":
                order.final = state
        _log.info("SANDBOX order %s %s (forced)", orderid, state)


def bangkok_stamp() -> str:
    """Now in Bangkok as the gateway writes ``created``: yyyymmddHHMMSS + milliseconds."""
    now = datetime.now(_BANGKOK)
    return now.strftime("%Y%m%d%H%M%S") + f"{now.microsecond // 1000:03d}"


def new_reference() -> str:
    """20 unique digits: wall-clock milliseconds and a process-wide sequence number."""
    return f"{time.time_ns() // 1_000_000:013d}{next(_REFERENCE_SEQ) % 10_000_000:07d}"


def plus_one_baht(amount: Money) -> Money:
    return Money(amount.satang + 100)


def as_float(amount: Money) -> float:
    return float(amount.to_decimal())


def qr_text(order: SandboxOrder, biller_id: str) -> str:
    """The order's QR payload: a Thai QR bill payment, or a WeChat Pay URL (maybe tampered)."""
    if order.method == "wechat":
        return WECHAT_PREFIX + order.wechat_token
    tamper = order.scenario.tamper
    text = build_bill_payment(
        biller_id=OTHER_PAYEE if tamper == "qr_payee" else biller_id,
        ref1=order.reference_order[-20:],
        ref2=REF2,
        amount=plus_one_baht(order.amount) if tamper == "qr_amount" else order.amount,
        merchant_name=MERCHANT_NAME,
        city=MERCHANT_CITY,
    )
    if tamper == "qr_crc":
        text = text[:-1] + f"{int(text[-1], 16) ^ 1:X}"
    return text


def order_object(
    order: SandboxOrder, *, status: str, tampered: bool, biller_id: str
) -> dict[str, object]:
    """The order as the create and cancel answers show it (``tampered``: as the scenario says)."""
    tamper = order.scenario.tamper if tampered else None
    amount = plus_one_baht(order.amount) if tamper == "amount" else order.amount
    answer: dict[str, object] = {
        "id": order.gateway_order_id,
        "object": "order",
        "created": order.created_text,
        "livemode": False,
        "amount": as_float(amount),
        "currency": "USD" if tamper == "currency" else order.currency,
        "customer": None,
        "description": order.description,
        "metadata": {"orderid": order.orderid},
        "status": status,
        "reference_order": order.reference_order,
        "source_type": order.method,
        "additional_data": {
            "term": None,
            "mid": None,
            "tid": None,
            "smartpay_id": None,
            "campaign_id": None,
        },
        "failure_code": None,
        "failure_message": None,
        "expire_time_seconds": order.scenario.expire_s,
    }
    if tampered and order.scenario.inline_qr:
        answer["qr_text"] = qr_text(order, biller_id)
    return answer
