"""Whether the journal's history is as it was journaled: the hash chain, for people.

``kiosk verify`` walks the whole chain (kiosk.store.verify); the window's
start-up walks its newest records (``quick``) and, when something does not
check out, tells the cashier to call the manager. Selling goes on: the
chain is evidence, not a lock — a broken record is named, not repaired.
"""

from __future__ import annotations

import logging

from kiosk.domain.errors import KioskError, Text
from kiosk.store.journal import Journal
from kiosk.store.verify import ChainCheck

log = logging.getLogger("kiosk.store.verify")


def check_at_start(journal: Journal) -> tuple[ChainCheck | None, Text | None]:
    """The quick walk, and the cashier's notice when it found a broken record."""
    try:
        check = journal.verify(quick=True)
    except KioskError as exc:
        log.exception("the journal's chain could not be checked at start-up")
        return None, Text(
            f"The sales journal's records could not be checked ({exc.detail or exc}). Call the"
            " manager (kiosk verify).",
            f"ตรวจสอบบันทึกการขายไม่ได้ ({exc.detail or exc}) กรุณาแจ้งผู้จัดการ (kiosk verify)",
        )
    if check.ok:
        log.info("journal chain: the newest %d record(s) check out", check.checked)
        return check, None
    return check, broken_text(check)


def broken_text(check: ChainCheck) -> Text:
    first = check.first_broken
    assert first is not None
    log.error(
        "JOURNAL ALTERED: %d broken record(s), the first %s %s: %s",
        len(check.broken),
        first.table,
        first.id,
        first.reason,
    )
    where = f"{first.table} {first.id}: {first.reason}"
    return Text(
        f"The sales journal was changed outside the kiosk ({where}). Sales go on;"
        " call the manager (kiosk verify).",
        f"บันทึกการขายถูกแก้ไขนอกโปรแกรม ({where}) ขายต่อได้ กรุณาแจ้งผู้จัดการ (kiosk verify)",
    )


__all__ = ["broken_text", "check_at_start"]
