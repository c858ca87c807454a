"""What a receipt says, built once from a final order and archived as JSON.

The archive keeps this model, so a reprint shows the shop name, address and
times of the sale even after the settings have changed. Times are stored in
UTC and printed in Bangkok time.

Every text of a receipt came from outside the code (the gateway's ids, the
settings, an archive written by an older version), so a Receipt cleans its own
fields when it is made (``kiosk.domain.outside.clean_text``): no control
character reaches a printer as a command, no bidi override turns a line
around, and the fonts can lay out every line (a newline or C1 control makes
Pillow's layout fail).
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields, replace
from datetime import datetime
from typing import Any

from kiosk.domain.labels import METHOD_LONG_LABELS
from kiosk.domain.money import Money
from kiosk.domain.order import BANGKOK, Order, OrderState
from kiosk.domain.outside import MAX_ID, clean_text
from kiosk.infra.config import ReceiptSettings, StoreSettings

METHOD_NAMES = {m.value: (t.en, t.th) for m, t in METHOD_LONG_LABELS.items()}
STATUS_NAMES = {
    "paid": ("PAID", "ชำระแล้ว"),
    "failed": ("FAILED", "ไม่สำเร็จ"),
    "expired": ("EXPIRED", "หมดเวลา"),
    "cancelled": ("CANCELLED", "ยกเลิก"),
}
LATE_NAME = ("LATE", "ล่าช้า")
_IDS = ("kiosk_order_id", "gateway_order_id", "gateway_charge_id", "store_id", "terminal_id")
_ONE_LINE = ("shop_name", "tax_id", "method", "currency", "status")
_MULTI_LINE = ("address", "footer")  # rows kept: each row is cleaned


def clean_rows(text: str) -> str:
    """``text`` cleaned row by row (its line breaks are rows of the receipt)."""
    rows = (clean_text(row) for row in text.splitlines())
    return "\n".join(row for row in rows if row)


@dataclass(frozen=True)
class Receipt:
    number: int  # 0 for a test print
    shop_name: str
    address: str
    tax_id: str
    store_id: str
    terminal_id: str
    kiosk_order_id: str
    gateway_order_id: str
    gateway_charge_id: str
    method: str
    amount_satang: int
    currency: str
    status: str
    late: bool
    at: datetime  # when the sale ended (paid, or final)
    footer: str
    show_qr: bool = True
    copy: int = 0  # 0 = the original, 1, 2, ... = reprints
    reprinted_at: datetime | None = None

    def __post_init__(self) -> None:
        for name in _IDS:
            object.__setattr__(self, name, clean_text(str(getattr(self, name)), MAX_ID))
        for name in _ONE_LINE:
            object.__setattr__(self, name, clean_text(str(getattr(self, name))))
        for name in _MULTI_LINE:
            object.__setattr__(self, name, clean_rows(str(getattr(self, name))))

    @property
    def amount(self) -> Money:
        return Money(self.amount_satang)

    @property
    def is_paid(self) -> bool:
        return self.status == OrderState.PAID.value

    @property
    def is_reprint(self) -> bool:
        return self.copy > 0

    @property
    def number_text(self) -> str:
        return f"{self.number:06d}"

    def local_time(self) -> str:
        return f"{self.at.astimezone(BANGKOK):%d/%m/%Y %H:%M:%S}"

    def reprint_time(self) -> str:
        at = self.reprinted_at or self.at
        return f"{at.astimezone(BANGKOK):%d/%m/%Y %H:%M}"

    def method_name(self) -> tuple[str, str]:
        return METHOD_NAMES.get(self.method, (self.method.upper(), self.method.upper()))

    def status_name(self) -> tuple[str, str]:
        en, th = STATUS_NAMES.get(self.status, (self.status.upper(), self.status.upper()))
        if self.late:
            return f"{en} ({LATE_NAME[0]})", f"{th} ({LATE_NAME[1]})"
        return en, th

    def as_reprint(self, copy: int, at: datetime) -> Receipt:
        return replace(self, copy=copy, reprinted_at=at)

    def to_json(self) -> str:
        data: dict[str, Any] = asdict(self)
        data["at"] = self.at.isoformat()
        data["reprinted_at"] = self.reprinted_at.isoformat() if self.reprinted_at else None
        return json.dumps(data, ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Receipt:
        data = json.loads(text)
        known = {f.name for f in fields(cls)}
        data = {k: v for k, v in data.items() if k in known}
        data["at"] = datetime.fromisoformat(data["at"])
        if data.get("reprinted_at"):
            data["reprinted_at"] = datetime.fromisoformat(data["reprinted_at"])
        return cls(**data)


def build_receipt(
    order: Order, *, number: int, store: StoreSettings, receipt: ReceiptSettings
) -> Receipt:
    """The receipt of a final order (normally PAID, possibly late)."""
    at = order.paid_at or order.updated_at or order.created_at
    return Receipt(
        number=number,
        shop_name=store.name,
        address=receipt.address,
        tax_id=receipt.tax_id,
        store_id=store.store_id,
        terminal_id=store.terminal_id,
        kiosk_order_id=order.kiosk_order_id,
        gateway_order_id=order.gateway_order_id or "",
        gateway_charge_id=order.gateway_charge_id or "",
        method=order.method.value,
        amount_satang=order.amount.satang,
        currency=order.currency,
        status=order.state.value,
        late=order.late,
        at=at,
        footer=receipt.footer,
        show_qr=receipt.show_qr,
    )
