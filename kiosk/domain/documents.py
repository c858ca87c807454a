"""Numbered documents (slips, tax invoices) and the sale reference: pure rules.

Every document a paid sale gets has a number of its own *series*: one
counter per series, handed out by the journal's append path
(``kiosk.store.journal.Journal.issue_document``) so each number is chained and
never repeats, even after a replaced journal (kiosk.store.numbering). A
number is printed with its prefix: the series' tag, if any, and the
terminal, e.g. ``T01-000123`` (a payment slip), ``TEST-T01-000001`` (a
sandbox slip), ``ABB-T01-000042`` (an abbreviated tax invoice). The tags keep
the printed numbers of different series apart, so a number with its prefix
names one document (``kiosk reprint T01-000123``).

A sandbox order's documents are always of a TEST series: a test sale can
never use up, or appear in, a real series.

The *sale reference* is the main till's bill number a cashier types or scans
on the sale screen (``kiosk charge --ref``): text from outside, cleaned like
any (kiosk.domain.outside) and at most ``MAX_SALE_REF`` characters.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from kiosk.domain.errors import DocumentRefused, InvalidSaleRef
from kiosk.domain.order import Order, OrderState
from kiosk.domain.outside import clean_text

MAX_SALE_REF = 32
NUMBER_DIGITS = 6


class Series(StrEnum):
    """A numbered series; its value is the journal's ``documents.kind``."""

    # "receipt" is the kind the journal gave the numbers of paid sales before
    # series existed (schema 7): the payment slips go on counting from them.
    SLIP = "receipt"
    TEST_SLIP = "test"
    ABB = "abb"  # abbreviated tax invoice (ใบกำกับภาษีอย่างย่อ)
    FULL = "full"  # full tax invoice (ใบกำกับภาษี)
    TEST_ABB = "test-abb"
    TEST_FULL = "test-full"

    @property
    def tag(self) -> str:
        return _TAGS[self]

    @property
    def is_test(self) -> bool:
        return self in _TEST

    def for_sandbox(self, sandbox: bool) -> Series:
        """This series, or its TEST twin for a sandbox order."""
        if not sandbox:
            return _REAL.get(self, self)
        return _TWIN.get(self, self)


_TAGS = {
    Series.SLIP: "",
    Series.TEST_SLIP: "TEST",
    Series.ABB: "ABB",
    Series.FULL: "INV",
    Series.TEST_ABB: "TEST-ABB",
    Series.TEST_FULL: "TEST-INV",
}
_TWIN = {Series.SLIP: Series.TEST_SLIP, Series.ABB: Series.TEST_ABB, Series.FULL: Series.TEST_FULL}
_REAL = {test: real for real, test in _TWIN.items()}
_TEST = frozenset(_TWIN.values())
_NUMBER_TEXT = re.compile(r"([A-Za-z0-9]+(?:-[A-Za-z0-9]+)*)-(\d{1,9})")


def z_number_text(number: int, *, sandbox: bool = False) -> str:
    """A Z report's printed number: ``Z000123``, a sandbox kiosk's ``TEST-Z000001``.

    The two are separate series, each with its own counter
    (kiosk.store.batches): the TEST tag keeps a test Z from passing as a real one.
    """
    return f"{'TEST-' if sandbox else ''}Z{number:0{NUMBER_DIGITS}d}"


def z_file_stem(number: int, *, sandbox: bool = False) -> str:
    """The file name (without ``.pdf``) of a Z report: ``z-000123``, ``test-z-000001``."""
    return f"{'test-' if sandbox else ''}z-{number:0{NUMBER_DIGITS}d}"


def prefix_for(series: Series, terminal_id: str) -> str:
    """``T01`` for a payment slip, ``TEST-T01`` for a sandbox slip, ..."""
    return f"{series.tag}-{terminal_id}" if series.tag else terminal_id


def number_text(prefix: str, number: int) -> str:
    """``T01-000123``: the number as printed and typed."""
    return f"{prefix}-{number:0{NUMBER_DIGITS}d}" if prefix else f"{number:0{NUMBER_DIGITS}d}"


def parse_number_text(text: str) -> tuple[str, int]:
    """(prefix, number) of ``T01-000123``; ValueError for anything else."""
    m = _NUMBER_TEXT.fullmatch(text.strip())
    if m is None or int(m[2]) < 1:
        raise ValueError(f"not a document number with its prefix: {text!r}")
    return m[1].upper(), int(m[2])


@dataclass(frozen=True)
class IssuedDocument:
    """One numbered document as the journal keeps it (``copy`` 0: the original)."""

    id: int
    series: Series
    prefix: str
    number: int
    kiosk_order_id: str
    issued_at: datetime
    copy: int = 0
    # What the document's issuer keeps with it (a tax invoice's VAT rate, ...):
    # chained with the number, never recomputed.
    detail: Mapping[str, object] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return number_text(self.prefix, self.number)


def check_may_issue(order: Order, series: Series) -> None:
    """DocumentRefused unless ``order`` may get a number in ``series``.

    Only a PAID sale gets a numbered document; a sandbox sale only in a
    TEST series, a real one never.
    """
    if order.state is not OrderState.PAID:
        raise DocumentRefused(f"{order.kiosk_order_id} is {order.state.value}, not paid")
    if series.is_test != order.sandbox:
        raise DocumentRefused(
            f"{order.kiosk_order_id}: a {'sandbox' if order.sandbox else 'real'}"
            f" sale gets no number in the {series.value} series"
        )


def sale_ref_of(text: str | None) -> str | None:
    """The sale reference to keep for ``text``: cleaned, None when empty.

    InvalidSaleRef (exit 2) when more than ``MAX_SALE_REF`` characters are
    left: a bill number is never cut, a cut one would match the wrong bill.
    """
    if text is None:
        return None
    # Invisible format characters (zero-width space, joiners, BOM) go too: a bill
    # number is matched by what a person types, and one with a hidden character
    # would look like another bill and never match it.
    visible = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
    cleaned = clean_text(visible, limit=10 * MAX_SALE_REF)
    if len(cleaned) > MAX_SALE_REF:
        raise InvalidSaleRef(f"{len(cleaned)} characters, at most {MAX_SALE_REF}")
    return cleaned or None


__all__ = [
    "MAX_SALE_REF",
    "IssuedDocument",
    "Series",
    "check_may_issue",
    "number_text",
    "parse_number_text",
    "prefix_for",
    "sale_ref_of",
    "z_file_stem",
    "z_number_text",
]
