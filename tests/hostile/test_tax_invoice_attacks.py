"""Hostile buyer fields for a full tax invoice (`kiosk tax-invoice`, the manager's form).

Issue 17.

A tax invoice is a legal document: what cannot be printed as typed (a name
too long, a branch in other digits) is refused with exit 2, never cut or
printed differently from what the buyer gave.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.services.tax_invoices import MAX_FIELD, Buyer, InvalidBuyer
from tests.test_cli import kiosk
from tests.test_cli_tax import ABB, BUYER, charge

TAX_ID = "1101700207030"


@pytest.mark.parametrize(
    ("name", "address", "tax_id", "branch"),
    [
        ("N" * (MAX_FIELD + 1), "99 Silom", TAX_ID, ""),  # cut would be a different buyer
        ("Buyer", "A" * (MAX_FIELD + 1), TAX_ID, ""),
        ("Buyer", "\n".join(["line"] * 50), TAX_ID, ""),  # a page of address lines
        ("Buyer", "99 Silom", TAX_ID, "๐๐๐๐๐"),  # Thai digits: not the RD's branch code
        ("Buyer", "99 Silom", TAX_ID, "0000²"),  # str.isdigit() says yes
        ("Buyer", "99 Silom", TAX_ID, "0000"),
        ("Buyer", "99 Silom", "1101700207031", ""),  # wrong check digit
        ("Buyer", "99 Silom", "110170020703A", ""),
        ("Buyer", "99 Silom", "๑๑๐๑๗๐๐๒๐๗๐๓๐", ""),
        ("\u202e\x1b\x07", "99 Silom", TAX_ID, ""),  # nothing visible left
        ("Buyer", "\r\n\t", TAX_ID, ""),
    ],
    ids=[
        "long-name", "long-address", "many-lines", "thai-branch", "superscript-branch",
        "short-branch", "check-digit", "letter", "thai-tax-id", "invisible-name", "blank-address",
    ],
)  # fmt: skip
def test_what_cannot_go_on_an_invoice_as_typed_is_refused(
    name: str, address: str, tax_id: str, branch: str
) -> None:
    with pytest.raises(InvalidBuyer) as refused:
        Buyer.checked(name, address, tax_id, branch)
    assert refused.value.exit_code == 2


def test_a_buyer_is_kept_as_typed_minus_controls() -> None:
    buyer = Buyer.checked(
        "A\x1b[31m<b>Co</b>\u202e", " 99 Silom\r\n\r\nBangkok ", "1-1017-00207-03-0", "00001"
    )
    assert buyer == Buyer("A[31m<b>Co</b>", "99 Silom\nBangkok", TAX_ID, "00001")


@pytest.mark.slow
def test_an_invoices_folder_that_cannot_be_written_is_exit_8_and_a_retry_gives_the_copy(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    order_id = charge(data, ABB)
    data.joinpath("invoices").write_text("a file where the folder should be", encoding="utf-8")
    blocked = kiosk("tax-invoice", order_id, *BUYER, "--tax-id", TAX_ID, data=data, config=ABB)
    assert blocked.returncode == 8, blocked
    assert "Traceback" not in blocked.stderr and "PDF" in blocked.stderr
    assert "sales journal could not be written" not in blocked.stderr  # it was: numbered
    data.joinpath("invoices").unlink()
    again = kiosk("tax-invoice", order_id, *BUYER, "--tax-id", TAX_ID, data=data, config=ABB)
    assert again.returncode == 0, again.stderr
    assert "(COPY 1)" in again.stdout  # the number was issued once, the PDF is its copy


@pytest.mark.slow
def test_a_second_request_with_another_buyer_says_the_copy_keeps_the_first(
    tmp_path: Path,
) -> None:
    data = tmp_path / "data"
    order_id = charge(data, ABB)
    first = kiosk("tax-invoice", order_id, *BUYER, "--tax-id", TAX_ID, data=data, config=ABB)
    assert first.returncode == 0, first.stderr
    other = ("--name", "Another Co", "--address", "1 Sathorn", "--tax-id", "0105556001234")
    again = kiosk("tax-invoice", order_id, *other, data=data, config=ABB)
    assert again.returncode == 0 and "(COPY 1)" in again.stdout, again
    assert "Another Co" in again.stderr and "first" in again.stderr  # not silently dropped
    same = kiosk("tax-invoice", order_id, *BUYER, "--tax-id", TAX_ID, data=data, config=ABB)
    assert same.returncode == 0 and same.stderr == "", same
