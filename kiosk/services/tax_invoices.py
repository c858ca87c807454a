"""Full tax invoices on request (ใบกำกับภาษี, Revenue Code s. 86/4).

A customer of a shop in ``tax_invoice = "abb"`` mode may ask for a full tax
invoice in place of the abbreviated one: ``kiosk tax-invoice ORDER_ID --name
… --address … --tax-id …`` or the manager's order detail. The invoice takes
the next number of its own series (``INV-T01-000001``; a sandbox sale's in
``TEST-INV``) through the journal's append path, names the abbreviated
invoice it replaces, and keeps in its chained detail everything it prints
(seller as configured then, buyer, item, amount, VAT and its rate: the
ABB's figures when there is one, so the two never disagree). A second
request for the same order prints a COPY of the first (journaled as a
copy), whatever buyer it names. Each is written to
``<data>/invoices/<number>.pdf`` (a copy: ``<number>-copy-<n>.pdf``) and
printed when a printer is set up.

Refused (exit 2): a shop not in abb mode, a sale not PAID, a buyer's tax id
whose check digit is wrong, a missing name or address.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from kiosk.domain.clock import Clock
from kiosk.domain.documents import IssuedDocument, Series, check_may_issue
from kiosk.domain.errors import DocumentRefused, InputError, KioskError, StoreError, Text
from kiosk.domain.outside import clean_text
from kiosk.domain.taxid import is_valid, normalize
from kiosk.domain.vat import parse_rate, vat_included
from kiosk.infra.config import Settings
from kiosk.receipts.layout import Block
from kiosk.receipts.tax import ABB_SERIES, issues_abb, item_of
from kiosk.receipts.tax_layout import FullInvoice, full_invoice_blocks
from kiosk.store.journal import Journal

log = logging.getLogger("kiosk.receipts")

BRANCH_DIGITS = 5
MAX_FIELD = 200
MAX_ADDRESS_LINES = 6  # what fits the invoice's buyer block

WritePdf = Callable[[list[Block], Path, str], None]  # blocks, path, title
PrintBlocks = Callable[[list[Block], str], str]  # blocks, name -> the printer's note


class NotAbbShop(DocumentRefused):
    reason_code = "tax_invoice_off"
    default_text = Text(
        'This shop does not issue tax invoices here ([receipt] tax_invoice = "none").',
        "ร้านนี้ไม่ได้ออกใบกำกับภาษีจากเครื่องนี้ (ตั้งค่า tax_invoice = none)",
    )


class InvalidBuyer(InputError):
    reason_code = "buyer"
    default_text = Text(
        "The buyer's name, address and 13-digit tax id are needed (check the tax id).",
        "ต้องมีชื่อ ที่อยู่ และเลขประจำตัวผู้เสียภาษี 13 หลักของผู้ซื้อ (ตรวจเลขประจำตัวอีกครั้ง)",
    )


@dataclass(frozen=True)
class Buyer:
    name: str
    address: str
    tax_id: str
    branch: str = ""

    @classmethod
    def checked(cls, name: str, address: str, tax_id: str, branch: str = "") -> Buyer:
        """The buyer as typed, cleaned; InvalidBuyer (exit 2) for what cannot go on an invoice."""
        # Cleaned with room to spare, then refused when too long: a legal document
        # never carries a buyer's name cut short ("…") as if it were the name.
        name = clean_text(name, MAX_FIELD + 1)
        rows = [row for row in (clean_text(r, MAX_FIELD + 1) for r in address.splitlines()) if row]
        address = "\n".join(rows)
        digits = normalize(clean_text(tax_id, 40))
        branch = clean_text(branch, 20)
        if not name or not address:
            raise InvalidBuyer("name and address are required")
        if len(name) > MAX_FIELD or len(rows) > MAX_ADDRESS_LINES:
            raise InvalidBuyer(
                f"name or address too long (lines of at most {MAX_FIELD} characters)"
            )
        if any(len(row) > MAX_FIELD for row in rows):
            raise InvalidBuyer(f"an address line of more than {MAX_FIELD} characters")
        if not is_valid(digits):
            raise InvalidBuyer(f"tax id {digits!r}: not 13 digits with a valid check digit")
        # ASCII only: "๐๐๐๐๐" or "0000²" pass str.isdigit() but are no RD branch code.
        if branch and (len(branch) != BRANCH_DIGITS or not (branch.isascii() and branch.isdigit())):
            raise InvalidBuyer(f"branch {branch!r}: five digits, 00000 = head office")
        return cls(name, address, digits, branch)

    def record(self) -> dict[str, str]:
        return {
            "name": self.name,
            "address": self.address,
            "tax_id": self.tax_id,
            "branch": self.branch,
        }


@dataclass(frozen=True)
class IssuedInvoice:
    invoice: FullInvoice
    pdf: Path | None
    printed: str | None = None  # the printer's note
    problems: tuple[KioskError, ...] = ()

    @property
    def number(self) -> str:
        return self.invoice.number

    @property
    def copy(self) -> int:
        return self.invoice.copy

    def record(self) -> dict[str, object]:
        """``kiosk tax-invoice --json``."""
        return {
            "number": self.number,
            "pdf": str(self.pdf) if self.pdf else None,
            "copy": self.copy,
            "replaces": self.invoice.replaces or None,
            "kiosk_order_id": self.invoice.kiosk_order_id,
            "amount": self.invoice.amount.plain(),
            "vat": self.invoice.vat.plain(),
            "vat_rate": self.invoice.vat_rate,
            "printed": self.printed,
        }


class TaxInvoiceDesk:
    """Issues (or copies) an order's full tax invoice; writes its PDF and prints it."""

    def __init__(
        self,
        *,
        journal: Journal,
        settings: Settings,
        clock: Clock,
        folder: Path,
        write_pdf: WritePdf | None,
        print_blocks: PrintBlocks | None = None,
    ) -> None:
        self.journal = journal
        self.settings = settings
        self.clock = clock
        self.folder = folder
        self.write_pdf = write_pdf
        self.print_blocks = print_blocks

    @property
    def enabled(self) -> bool:
        return issues_abb(self.settings.receipt)

    @property
    def can_print(self) -> bool:
        return self.print_blocks is not None

    def issue(self, kiosk_order_id: str, buyer: Buyer, *, printing: bool = True) -> IssuedInvoice:
        """The order's full tax invoice: the first one, or a COPY of it.

        ``printing=False``: journal it and write its PDF only; the caller prints
        it with ``print_invoice`` off its thread (the window's event loop).
        """
        if not self.enabled:
            raise NotAbbShop()
        order = self.journal.get(kiosk_order_id)
        if order is None:
            raise InputError(f"no order {kiosk_order_id!r}", text=_NO_ORDER)
        series = Series.FULL.for_sandbox(order.sandbox)
        check_may_issue(order, series)
        now = self.clock.now()
        first = self.journal.document_of(kiosk_order_id, series)
        if first is not None:
            copy = self.journal.record_reprint(first, now)
            invoice = self._from_document(first, copy=copy.copy)
        else:
            document = self.journal.issue_document(
                kiosk_order_id, series, now, detail=self._draft(order.kiosk_order_id, buyer)
            )
            invoice = self._from_document(document)
        return self._output(invoice, printing=printing)

    def print_invoice(self, invoice: FullInvoice) -> str | None:
        """Print it on the receipt printer (blocking); the printer's note, None without one."""
        if self.print_blocks is None:
            return None
        return self.print_blocks(full_invoice_blocks(invoice), f"invoice-{_name(invoice)}")

    def _draft(self, kiosk_order_id: str, buyer: Buyer) -> dict[str, object]:
        """What the new invoice keeps: the ABB's figures when there is one."""
        order = self.journal.get(kiosk_order_id)
        assert order is not None
        receipt, store = self.settings.receipt, self.settings.store
        abb = next(
            (d for s in ABB_SERIES if (d := self.journal.document_of(kiosk_order_id, s))),
            None,
        )
        detail = dict(abb.detail) if abb is not None else {}
        rate = str(detail.get("vat_rate") or receipt.vat_rate)
        vat = detail.get("vat_satang")
        if vat is None:
            vat = vat_included(order.amount, parse_rate(rate)).vat.satang
        seller = {
            "name": store.name,
            "address": receipt.address,
            "tax_id": receipt.tax_id,
            "branch": receipt.branch or "00000",
        }
        return {
            "replaces": abb.text if abb is not None else "",
            "seller": seller,
            "buyer": buyer.record(),
            "item": str(detail.get("item") or item_of(order, receipt)),
            "amount_satang": order.amount.satang,
            "vat_satang": int(str(vat)),
            "net_satang": order.amount.satang - int(str(vat)),
            "vat_rate": rate,
        }

    def _from_document(self, document: IssuedDocument, *, copy: int = 0) -> FullInvoice:
        invoice = FullInvoice.from_detail(
            document.text,
            document.issued_at,
            document.kiosk_order_id,
            document.detail,
            test=document.series.is_test,
        )
        if copy:
            invoice = replace(invoice, copy=copy, reprinted_at=self.clock.now())
        return invoice

    def _output(self, invoice: FullInvoice, *, printing: bool) -> IssuedInvoice:
        blocks = full_invoice_blocks(invoice)
        name = _name(invoice)
        problems: list[KioskError] = []
        pdf: Path | None = None
        if self.write_pdf is not None:
            pdf = self.folder / f"{name}.pdf"
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
                self.write_pdf(blocks, pdf, name)
            except OSError as exc:
                log.error("tax invoice %s: PDF not written: %s", name, exc)
                problems.append(StoreError(f"{pdf}: {exc}", text=_NO_PDF))
                pdf = None
        printed: str | None = None
        if printing and self.print_blocks is not None:
            try:
                printed = self.print_blocks(blocks, f"invoice-{name}")
            except KioskError as exc:
                log.error("tax invoice %s: not printed: %s", name, exc)
                problems.append(exc)
        log.info(
            "tax invoice %s for %s (copy %d)", invoice.number, invoice.kiosk_order_id, invoice.copy
        )
        return IssuedInvoice(invoice, pdf, printed, tuple(problems))


def _name(invoice: FullInvoice) -> str:
    return invoice.number + (f"-copy-{invoice.copy}" if invoice.copy else "")


_NO_PDF = Text(
    "The invoice is numbered and kept in the journal, but its PDF could not be written: "
    "make the invoices folder writable, then ask again for a copy.",
    "ออกเลขใบกำกับภาษีและบันทึกแล้ว แต่เขียนไฟล์ PDF ไม่ได้ "
    "กรุณาแก้ไขโฟลเดอร์ invoices ให้เขียนได้ แล้วขอสำเนาอีกครั้ง",
)
_NO_ORDER = Text("No such order in this kiosk's journal.", "ไม่พบรายการนี้ในบันทึกของเครื่อง")

__all__ = ["Buyer", "InvalidBuyer", "IssuedInvoice", "NotAbbShop", "TaxInvoiceDesk"]
