"""The documents a batch's Z names: its slip and abbreviated-tax-invoice numbers and their VAT.

A batch's documents are those chained after the previous Z's own record
(its ``chain_seq``, in the batch's own series), as the slip range of
kiosk.store.batches. For a
shop in abb mode the Z prints the batch's first and last abbreviated tax
invoice and the VAT they carry — each invoice's VAT as it was issued (its
journaled detail), never recomputed. A sandbox kiosk's Z (a TEST-Z) counts
its TEST series since the previous TEST-Z. Read inside the Z's own
transaction (``ZReportService.close``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from kiosk.domain.documents import Series, number_text
from kiosk.domain.money import Money
from kiosk.store.journal import Journal


@dataclass(frozen=True)
class DocRange:
    first: str  # "ABB-T01-000041"
    last: str
    count: int
    vat: Money | None = None  # tax invoices only


def batch_documents(journal: Journal, series: Series, after_seq: int) -> DocRange | None:
    """The range of ``series`` chained after position ``after_seq`` (None when there is none).

    ``after_seq``: the previous Z's own chain position in the batch's series
    (``BatchFigures.after_chain_seq``: a TEST series' batch follows a TEST-Z).
    """
    with journal.read("the batch's documents") as db:
        rows = db.execute(
            "SELECT d.prefix, d.number, d.detail FROM documents AS d"
            " JOIN chain AS c ON c.tbl = 'documents' AND c.ref = d.id"
            " WHERE d.kind = ? AND d.copy = 0 AND c.seq > ? ORDER BY d.number",
            (series.value, after_seq),
        ).fetchall()
    if not rows:
        return None
    vat: Money | None = None
    if series in (Series.ABB, Series.TEST_ABB):
        vat = Money(
            sum(int(json.loads(detail or "{}").get("vat_satang", 0)) for *_, detail in rows)
        )
    first, last = rows[0], rows[-1]
    return DocRange(
        number_text(str(first[0]), int(first[1])),
        number_text(str(last[0]), int(last[1])),
        len(rows),
        vat,
    )


__all__ = ["DocRange", "batch_documents"]
