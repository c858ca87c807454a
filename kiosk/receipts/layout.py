"""Receipt layouts for 58 mm and 80 mm paper, as a list of blocks.

The same blocks are drawn by every back end: the raster renderer (Pillow),
the text-mode encoder (CP874 columns) and the PDF writer (Qt). ``plain_text``
gives the archived text of a receipt.

A block's text is cleaned when the block is made (``clean_text``): whatever
builds the blocks (a receipt, a Z report, the test page with the shop name
from the settings), no control character reaches an ESC/POS stream, a PDF or
the raster layout.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from kiosk.domain.order import BANGKOK
from kiosk.domain.outside import clean_text
from kiosk.infra.config import PrinterSettings
from kiosk.receipts.fonts import cell_width, clusters
from kiosk.receipts.model import Receipt

DEFAULT_WIDTH_PX = {58: 384, 80: 576}
MAX_BLOCK_TEXT = 1000  # a row wraps on paper; this only bounds what one block may carry


def _clean(block: object, *names: str) -> None:
    for name in names:
        object.__setattr__(block, name, clean_text(getattr(block, name), MAX_BLOCK_TEXT))


class Size(StrEnum):
    SMALL = "small"
    BODY = "body"
    LARGE = "large"
    TOTAL = "total"


class Align(StrEnum):
    LEFT = "left"
    CENTER = "center"
    RIGHT = "right"


@dataclass(frozen=True)
class Line:
    """Text, wrapped to the paper width."""

    text: str
    size: Size = Size.BODY
    bold: bool = False
    align: Align = Align.LEFT

    def __post_init__(self) -> None:
        _clean(self, "text")


@dataclass(frozen=True)
class Pair:
    """A label on the left and its value on the right (the value wraps below if long)."""

    label: str
    value: str
    size: Size = Size.BODY
    bold: bool = False

    def __post_init__(self) -> None:
        _clean(self, "label", "value")


@dataclass(frozen=True)
class Rule:
    """A dashed separator."""


@dataclass(frozen=True)
class Banner:
    """White text on a black band: REPRINT, TEST."""

    text: str

    def __post_init__(self) -> None:
        _clean(self, "text")


@dataclass(frozen=True)
class Qr:
    data: str


@dataclass(frozen=True)
class Gap:
    """Empty space, in body lines."""

    lines: float = 0.5


Block = Line | Pair | Rule | Banner | Qr | Gap


@dataclass(frozen=True)
class Paper:
    """The geometry of one paper width; sizes are pixel heights of the font (em)."""

    mm: int
    width_px: int
    columns: int  # characters per line in text mode (Font A, 12 dots wide)
    margin_px: int
    sizes: dict[Size, int]
    qr_module_px: int

    @property
    def content_px(self) -> int:
        return self.width_px - 2 * self.margin_px


def paper_for(mm: int, width_px: int = 0) -> Paper:
    width = width_px or DEFAULT_WIDTH_PX[mm]
    if mm == 58:
        sizes = {Size.SMALL: 20, Size.BODY: 22, Size.LARGE: 30, Size.TOTAL: 36}
        return Paper(58, width, width // 12, 6, sizes, 5)
    sizes = {Size.SMALL: 22, Size.BODY: 25, Size.LARGE: 36, Size.TOTAL: 44}
    return Paper(80, width, width // 12, 10, sizes, 6)


def paper_of(settings: PrinterSettings) -> Paper:
    return paper_for(settings.paper_mm, settings.width_px)


REPRINT_BANNER = "สำเนา COPY — REPRINT"
# Every sandbox document says this in large type (slips here; Z reports and invoices too).
TEST_BANNERS = ("ทดสอบ — ไม่ใช่ใบเสร็จ", "TEST — NOT A RECEIPT")
NO_MONEY_BANNERS = ("ไม่ได้รับเงิน", "NO MONEY RECEIVED")
CUSTOMER_COPY = "สำเนาลูกค้า CUSTOMER COPY"
MERCHANT_COPY = "สำเนาร้านค้า MERCHANT COPY"
HEAD_OFFICE = "00000"


def receipt_blocks(receipt: Receipt) -> list[Block]:
    """What is printed for an order, top to bottom.

    A PAID sale with a number: the payment slip (the customer's copy, then
    the merchant's when ``[receipt] merchant_copy``). Anything else: a record
    that says no money was received, with no number and no paid wording.
    """
    if not receipt.is_slip:
        return record_blocks(receipt)
    if receipt.series in ("abb", "test-abb"):
        # Imported here: tax_layout builds on this module's blocks.
        from kiosk.receipts.tax_layout import abb_blocks

        return abb_blocks(receipt)
    blocks = slip_blocks(receipt, CUSTOMER_COPY)
    if receipt.merchant_copy:
        blocks += [Gap(1.0), Line("- - - - - ✂ - - - - -", Size.SMALL, align=Align.CENTER)]
        blocks += [Gap(1.0), *slip_blocks(receipt, MERCHANT_COPY)]
    return blocks


def slip_blocks(receipt: Receipt, which_copy: str) -> list[Block]:
    """The payment slip of a paid sale, laid out like a bank terminal's (EDC) slip."""
    blocks = _test_mark(receipt)
    blocks += _shop(receipt)
    blocks += [
        Rule(),
        Line("สลิปการชำระเงิน PAYMENT SLIP", Size.LARGE, bold=True, align=Align.CENTER),
    ]
    blocks += _reprint_mark(receipt)
    method_en, method_th = receipt.method_name()
    blocks += [
        Gap(0.3),
        Pair("เลขที่ No.", receipt.number_text, bold=True),
        Pair("วันที่ Date", receipt.thai_time()),
        Pair("เครื่อง Terminal", f"{receipt.store_id}-{receipt.terminal_id}"),
    ]
    if receipt.merchant_id:
        blocks.append(Pair("MID", receipt.merchant_id, Size.SMALL))
    if receipt.gateway_terminal:
        blocks.append(Pair("TID", receipt.gateway_terminal, Size.SMALL))
    blocks.append(Pair("ชำระโดย Method", f"{method_th} {method_en}"))
    if receipt.sale_ref:
        blocks.append(Pair("เลขที่บิล Bill no.", receipt.sale_ref, bold=True))
    blocks.append(Pair("รายการ Order", receipt.kiosk_order_id, Size.SMALL))
    if receipt.gateway_order_id:
        blocks.append(Pair("อ้างอิง Ref.", receipt.gateway_order_id, Size.SMALL))
    if receipt.gateway_charge_id:
        blocks.append(Pair("รหัสธุรกรรม Transaction", receipt.gateway_charge_id, Size.SMALL))
    blocks += [
        Rule(),
        Line("จำนวนเงิน AMOUNT", Size.BODY, align=Align.CENTER),
        Line(f"{receipt.amount_text()} บาท", Size.TOTAL, bold=True, align=Align.CENTER),
        Line(f"THB {receipt.amount_text()}", Size.BODY, align=Align.CENTER),
        Line("ชำระเงินสำเร็จ PAYMENT RECEIVED", Size.BODY, bold=True, align=Align.CENTER),
    ]
    if receipt.late:
        blocks.append(Line("ชำระล่าช้า LATE PAYMENT", Size.SMALL, align=Align.CENTER))
    blocks += [Rule(), Line(which_copy, Size.BODY, bold=True, align=Align.CENTER)]
    if receipt.show_qr:
        blocks.append(Qr(receipt.kiosk_order_id))
    blocks += [Line(row, Size.BODY, align=Align.CENTER) for row in _rows(receipt.footer)]
    blocks += _test_mark(receipt)
    return blocks


def record_blocks(receipt: Receipt) -> list[Block]:
    """An order that was not paid: a record of it, never something that looks like payment.

    No number (it is outside every series), no "paid" or "ยอดชำระ" anywhere.
    """
    status_en, status_th = receipt.status_name()
    blocks = _test_mark(receipt)
    blocks += _shop(receipt)
    blocks += [
        Rule(),
        Line("บันทึกรายการ RECORD", Size.LARGE, bold=True, align=Align.CENTER),
        *(Banner(text) for text in NO_MONEY_BANNERS),
    ]
    blocks += _reprint_mark(receipt)
    method_en, method_th = receipt.method_name()
    blocks += [
        Gap(0.3),
        Pair("วันที่ Date", receipt.thai_time()),
        Pair("เครื่อง Terminal", f"{receipt.store_id}-{receipt.terminal_id}"),
        Pair("รายการ Order", receipt.kiosk_order_id, Size.SMALL),
    ]
    if receipt.sale_ref:
        blocks.append(Pair("เลขที่บิล Bill no.", receipt.sale_ref))
    blocks += [
        Pair("วิธี Method", f"{method_th} {method_en}"),
        Pair("จำนวนเงินที่ขอ Amount asked", f"{receipt.amount_text()} บาท"),
        Pair("สถานะ Status", f"{status_th} {status_en}", bold=True),
        Rule(),
        Line("เอกสารนี้ไม่ใช่หลักฐานการชำระเงิน", Size.BODY, bold=True, align=Align.CENTER),
        Line("This is not proof of payment.", Size.BODY, bold=True, align=Align.CENTER),
    ]
    blocks += _test_mark(receipt)
    return blocks


def _shop(receipt: Receipt) -> list[Block]:
    blocks: list[Block] = [Line(receipt.shop_name, Size.LARGE, bold=True, align=Align.CENTER)]
    if receipt.branch:
        branch = (
            "สำนักงานใหญ่ Head office"
            if receipt.branch == HEAD_OFFICE
            else f"สาขา Branch {receipt.branch}"
        )
        blocks.append(Line(branch, Size.SMALL, align=Align.CENTER))
    blocks += [Line(row, Size.SMALL, align=Align.CENTER) for row in _rows(receipt.address)]
    if receipt.tax_id:
        blocks.append(
            Line(f"เลขประจำตัวผู้เสียภาษี Tax ID {receipt.tax_id}", Size.SMALL, align=Align.CENTER)
        )
    return blocks


def _test_mark(receipt: Receipt) -> list[Block]:
    return [Banner(text) for text in TEST_BANNERS] if receipt.sandbox else []


def _reprint_mark(receipt: Receipt) -> list[Block]:
    if not receipt.is_reprint:
        return []
    return [
        Banner(REPRINT_BANNER),
        Line(
            f"พิมพ์ซ้ำ Reprint #{receipt.copy} {receipt.reprint_time()}",
            Size.SMALL,
            align=Align.CENTER,
        ),
    ]


def self_test_blocks(settings: PrinterSettings, shop_name: str, at: datetime) -> list[Block]:
    """A test page: Thai with stacked marks, both fonts, the width, the settings."""
    paper = paper_of(settings)
    return [
        Line(shop_name, Size.LARGE, bold=True, align=Align.CENTER),
        Banner("ทดสอบเครื่องพิมพ์ TEST"),
        Line(f"{at.astimezone(BANGKOK):%d/%m/%Y %H:%M:%S}", Size.SMALL, align=Align.CENTER),
        Rule(),
        Line("เป็นมนุษย์สุดประเสริฐเลิศคุณค่า", Size.BODY),
        Line("ที่นี่ ผู้ใหญ่ ปั้น ฟ้า ป่า ญู ฐุ กำไร", Size.BODY),
        Line("ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789", Size.SMALL),
        Pair("ยอดชำระ TOTAL", "฿1,234.50", Size.TOTAL, bold=True),
        Rule(),
        Pair("Printer", settings.kind),
        Pair("Paper", f"{paper.mm} mm, {paper.width_px} dots"),
        Pair(
            "Mode",
            settings.mode + (f", ESC t {settings.codepage}" if settings.mode == "text" else ""),
        ),
        Qr("TEST"),
        Line("ถ้าอ่านออกครบ การตั้งค่าถูกต้อง", Size.SMALL, align=Align.CENTER),
        Line("All lines readable = settings OK", Size.SMALL, align=Align.CENTER),
    ]


def _rows(text: str) -> list[str]:
    return [row.strip() for row in text.splitlines() if row.strip()]


# --- the plain text rendition (archive text, and the rows of text mode)


def wrap(text: str, width: float, measure: Callable[[str], float]) -> list[str]:
    """Wrap to ``width``, at spaces when possible, never inside a cluster.

    Thai writes no spaces between words; a Thai run longer than the line is
    broken between clusters (a base character with its marks).
    """
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        candidate = f"{current} {word}" if current else word
        if measure(candidate) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = ""
        for cluster in clusters(word):
            if current and measure(current + cluster) > width:
                lines.append(current)
                current = ""
            current += cluster
    if current or not lines:
        lines.append(current)
    return lines


def wrap_cells(text: str, width: int) -> list[str]:
    return wrap(text, width, cell_width)


def pad(text: str, width: int, align: Align) -> str:
    gap = max(0, width - cell_width(text))
    if align is Align.RIGHT:
        return " " * gap + text
    if align is Align.CENTER:
        return " " * (gap // 2) + text
    return text


def pair_rows(label: str, value: str, width: int) -> list[str]:
    """``label ....... value``, or the value right-aligned on its own rows when it is long."""
    room = width - cell_width(label) - 1
    if cell_width(value) <= room:
        return [label + " " * (width - cell_width(label) - cell_width(value)) + value]
    return [
        *wrap_cells(label, width),
        *(pad(r, width, Align.RIGHT) for r in wrap_cells(value, width)),
    ]


def text_rows(block: Block, columns: int) -> list[str]:
    """One block as rows of exactly-measured text (QR codes are left out)."""
    if isinstance(block, Line):
        return [pad(r, columns, block.align) for r in wrap_cells(block.text, columns)]
    if isinstance(block, Pair):
        return pair_rows(block.label, block.value, columns)
    if isinstance(block, Rule):
        return ["-" * columns]
    if isinstance(block, Banner):
        return [pad(f"*** {block.text} ***", columns, Align.CENTER)]
    if isinstance(block, Gap):
        return [] if block.lines < 1 else [""] * int(block.lines)
    return []


def plain_text(blocks: list[Block], columns: int) -> str:
    rows: list[str] = []
    for block in blocks:
        rows += text_rows(block, columns)
    return "\n".join(row.rstrip() for row in rows) + "\n"
