from __future__ import annotations

from datetime import UTC, datetime

from kiosk.domain.storeday import StoreClosedRef


def test_a_store_close_is_named_by_its_six_digit_number() -> None:
    ref = StoreClosedRef(number=42, business_day="2026-12-01", issued_at=datetime.now(UTC))
    assert ref.number_text == "S000042"
