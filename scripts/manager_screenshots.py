"""The manager screen's demo day for ``scripts/screenshots.py``: a day of sales, a PIN.

``seed`` journals a day of sales yesterday and a few this morning through
the real Journal API and returns an order paid late (the one the
screenshots select). ``make screenshots`` shows them on the manager screen.
"""

from __future__ import annotations

import random
import sys
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kiosk.domain.order import BANGKOK, Method, OrderState  # noqa: E402
from kiosk.store.journal import Journal  # noqa: E402
from tests.journal_data import sell  # noqa: E402

PIN = "135790"
S = OrderState


def seed(journal: Journal, now: datetime) -> str:
    """Yesterday 07:00-21:30, busy at lunch; this morning a few. Returns the late order."""
    rng = random.Random(24)
    local = now.astimezone(BANGKOK)
    yesterday = (local - timedelta(days=1)).replace(hour=7, minute=0, second=0, microsecond=0)
    outcomes = [S.PAID] * 16 + [S.EXPIRED, S.CANCELLED, S.FAILED]
    late_id = ""
    expired = 0
    at = yesterday
    while at.hour < 21 or (at.hour == 21 and at.minute < 30):
        lunch = 11 <= at.hour <= 13 or 17 <= at.hour <= 19
        at += timedelta(minutes=rng.randint(4, 12) if lunch else rng.randint(10, 35))
        outcome = rng.choice(outcomes)
        method = Method.WECHAT if rng.random() < 0.2 else Method.QR
        baht = rng.choice(["35", "45.50", "60", "89", "120", "150", "199", "250", "320.75", "480"])
        expired += outcome is S.EXPIRED
        late = outcome is S.EXPIRED and expired % 2 == 1  # every other one paid after all
        order = sell(
            journal,
            at,
            baht,
            method=method,
            outcome=outcome,
            late=late,
            failure_message="ธนาคารปฏิเสธรายการ" if outcome is S.FAILED else None,
            # the main till's bill number on some sales, as a cashier would type it
            sale_ref=f"B-{7700 + rng.randint(0, 99)}" if rng.random() < 0.3 else None,
            sandbox=True,  # the screenshots run on the embedded sandbox
        )
        if late and not late_id:
            late_id = order.kiosk_order_id
    morning = local.replace(hour=7, minute=5, second=0, microsecond=0)
    for i, baht in enumerate(["80", "45", "150"]):
        when = morning + timedelta(minutes=20 * i)
        if when < now:
            sell(journal, when, baht, sandbox=True)
    return late_id
