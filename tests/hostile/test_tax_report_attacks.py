"""``kiosk report --tax --month`` given what an accountant or a script might type (issue 17).

An empty report for a month nobody meant is worse than a refusal: the
accountant would file it. So a month in other digits, a Buddhist-era year
and options the tax report does not honour are refused with exit 2.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.domain.errors import InputError
from kiosk.services.tax_report import parse_month
from tests.test_cli import kiosk
from tests.test_cli_tax import ABB, charge


@pytest.mark.parametrize(
    "month",
    ["2026-13", "26-12", "", " ", "2026-00", "2026-1", "2026-012", "2026-12-01", "2026/12",
     "0000-01", "10000-01", "๒๐๒๖-๑๒", "２０２６-１２", "2569-12"],
)  # fmt: skip
def test_a_month_that_is_not_a_ce_yyyy_mm_is_refused(month: str) -> None:
    with pytest.raises(InputError) as refused:
        parse_month(month)
    assert refused.value.exit_code == 2


def test_a_buddhist_era_year_is_refused_with_the_year_to_give() -> None:
    with pytest.raises(InputError) as refused:
        parse_month("2569-12")
    assert "2026-12" in refused.value.user_message("en")


def test_a_ce_month_is_read() -> None:
    assert parse_month(" 2026-12 ") == (2026, 12)


@pytest.mark.slow
@pytest.mark.parametrize(
    "extra",
    [("--store",), ("--search", "x"), ("--status", "paid"), ("--method", "qr"),
     ("--date", "2026-12-01")],
)  # fmt: skip
def test_options_the_tax_report_ignores_are_refused(tmp_path: Path, extra: tuple[str, ...]) -> None:
    data = tmp_path / "data"
    charge(data, ABB)
    result = kiosk("report", "--tax", "--month", "2026-12", *extra, data=data, config=ABB)
    assert result.returncode == 2, result
    assert extra[0] in result.stderr and "Traceback" not in result.stderr


def test_a_month_without_tax_is_refused(tmp_path: Path) -> None:
    result = kiosk("report", "--month", "2026-12", data=tmp_path / "data")
    assert result.returncode == 2 and "--tax" in result.stderr, result
