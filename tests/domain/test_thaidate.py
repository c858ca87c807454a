from __future__ import annotations

from datetime import UTC, date, datetime

from hypothesis import given
from hypothesis import strategies as st

from kiosk.domain.thaidate import (
    format_date,
    format_datetime,
    iso_local,
    iso_local_optional,
    unbreakable,
    year_for,
)


def test_thai_readers_count_buddhist_era_years_english_readers_common_era() -> None:
    assert format_date(date(2026, 12, 1), "th") == "01/12/2569"
    assert format_date(date(2026, 12, 1), "en") == "01/12/2026"
    assert year_for(2026, "th") == 2569


def test_times_are_bangkok_local_whatever_zone_they_come_in() -> None:
    at = datetime(2026, 12, 1, 12, 5, 9, tzinfo=UTC)
    assert format_datetime(at, "th") == "01/12/2569 19:05"
    assert format_datetime(at, "en", seconds=True) == "01/12/2026 19:05:09"
    # Just before midnight UTC is already the next day in Bangkok.
    late = datetime(2026, 12, 31, 17, 30, tzinfo=UTC)
    assert format_datetime(late, "th") == "01/01/2570 00:30"


def test_files_get_iso_8601_with_the_bangkok_offset() -> None:
    at = datetime(2026, 12, 1, 12, 5, tzinfo=UTC)
    assert iso_local(at) == "2026-12-01T19:05:00+07:00"
    assert iso_local_optional(None) is None
    assert datetime.fromisoformat(iso_local(at)) == at


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(9000, 12, 31)))
def test_a_date_reads_back_in_both_eras(day: date) -> None:
    d, m, y = format_date(day, "th").split("/")
    assert date(int(y) - 543, int(m), int(d)) == day
    d, m, y = format_date(day, "en").split("/")
    assert date(int(y), int(m), int(d)) == day


def test_an_unbreakable_date_has_no_break_opportunity_but_reads_the_same() -> None:
    text = unbreakable("01/12/2569 19:05")
    assert " " not in text
    visible = text.replace("\u2060", "").replace("\u00a0", " ")
    assert visible == "01/12/2569 19:05"
