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
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace
from datetime import datetime
from typing import Any

from kiosk.domain.documents import IssuedDocument, Series, number_text, prefix_for
from kiosk.domain.labels import METHOD_LONG_LABELS
from kiosk.domain.money import Money
from kiosk.domain.order import BANGKOK, Order, OrderState
from kiosk.domain.outside import MAX_ID, clean_text
from kiosk.domain.thaidate import format_datetime
from kiosk.infra.config import ReceiptSettings, StoreSettings

METHOD_NAMES = {m.value: (t.en, t.th) for m, t in METHOD_LONG_LABELS.items()}
STATUS_NAMES = {
    "paid": ("PAID", "ชำระแล้ว"),
    "failed": ("FAILED", "ไม่สำเร็จ"),
    "expired": ("EXPIRED", "หมดเวลา"),
    "cancelled": ("CANCELLED", "ยกเลิก"),
}
LATE_NAME = ("LATE", "ล่าช้า")
_IDS = (
    "kiosk_order_id",
    "gateway_order_id",
    "gateway_charge_id",
    "store_id",
    "terminal_id",
    "merchant_id",
    "gateway_terminal",
)
_ONE_LINE = (
    *("shop_name", "tax_id", "method", "currency", "status", "document", "branch"),
    *("vat_rate", "pos_id", "item"),
)
_SALE_REF = 32  # kiosk.domain.documents.MAX_SALE_REF
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
    # Since document series (kiosk.domain.documents); archives from before load with these.
    series: str = Series.SLIP.value
    document: str = ""  # the number with its prefix, "T01-000123"; "" for a record
    sale_ref: str = ""  # the main till's bill number
    sandbox: bool = False  # a test sale: TEST — NOT A RECEIPT, its own series
    branch: str = ""
    merchant_id: str = ""  # the gateway's MID / TID, when it gives them
    gateway_terminal: str = ""
    merchant_copy: bool = False  # a merchant copy follows the customer's
    # An abbreviated tax invoice's (series abb): as the journal's document keeps them.
    vat_rate: str = ""  # "7": the rate it was issued with ("" = not a tax invoice)
    vat_satang: int = 0
    pos_id: str = ""
    item: str = ""  # what was sold: the bill reference or the configured description

    def __post_init__(self) -> None:
        object.__setattr__(self, "sale_ref", clean_text(str(self.sale_ref), _SALE_REF))
        for name in _IDS:
            object.__setattr__(self, name, clean_text(str(getattr(self, name)), MAX_ID))
        for name in _ONE_LINE:
            object.__setattr__(self, name, clean_text(str(getattr(self, name))))
        for name in _MULTI_LINE:
            object.__setattr__(self, name, clean_rows(str(getattr(self, name))))

    @property
    def amount(self) -> Money:
        return Money(self.amount_satang)

    def amount_text(self) -> str:
        """``1,234.50``: no baht sign (OCR reads "฿300.00" as "8300.00"; the slip says บาท/THB)."""
        return self.amount.thb().replace("฿", "")

    @property
    def is_paid(self) -> bool:
        return self.status == OrderState.PAID.value

    @property
    def is_reprint(self) -> bool:
        return self.copy > 0

    @property
    def is_slip(self) -> bool:
        """A numbered payment slip; anything else prints as a record of no money received."""
        return self.is_paid and self.number > 0

    @property
    def number_text(self) -> str:
        return self.document or f"{self.number:06d}"

    def local_time(self) -> str:
        return f"{self.at.astimezone(BANGKOK):%d/%m/%Y %H:%M:%S}"

    def thai_time(self) -> str:
        """``01/12/2569 19:05``: Bangkok time, Buddhist-era year (kiosk.domain.thaidate)."""
        return format_datetime(self.at, "th")

    def reprint_time(self) -> str:
        return format_datetime(self.reprinted_at or self.at, "th")

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
    order: Order,
    *,
    number: int,
    store: StoreSettings,
    receipt: ReceiptSettings,
    document: IssuedDocument | None = None,
) -> Receipt:
    """The slip of a final order: numbered by ``document`` (a PAID sale's), else by ``number``.

    An order that is not PAID gets number 0 and no document: it prints as a
    record of no money received, outside every series.
    """
    at = order.paid_at or order.updated_at or order.created_at
    paid = order.state is OrderState.PAID
    series = Series.SLIP.for_sandbox(order.sandbox)
    tax: dict[str, Any] = {}
    if document is not None:
        number, series, text = document.number, document.series, document.text
        tax = abb_fields(document.series, document.detail)
    elif paid and number > 0:
        text = number_text(prefix_for(series, store.terminal_id), number)
    else:
        number, text = 0, ""
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
        series=series.value,
        document=text,
        sale_ref=order.sale_ref or "",
        sandbox=order.sandbox,
        branch=receipt.branch,
        merchant_id=order.extra.get("mid", ""),
        gateway_terminal=order.extra.get("tid", ""),
        merchant_copy=receipt.merchant_copy and paid,
        **tax,
    )


def abb_fields(series: Series, detail: Mapping[str, object]) -> dict[str, Any]:
    """What an abbreviated tax invoice prints, from its document's stored detail."""
    if series not in (Series.ABB, Series.TEST_ABB):
        return {}
    return {
        "vat_rate": str(detail.get("vat_rate", "")),
        "vat_satang": int(str(detail.get("vat_satang", 0))),
        "pos_id": str(detail.get("pos_id", "")),
        "item": str(detail.get("item", "")),
    }
