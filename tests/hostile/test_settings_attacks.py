"""Careless settings of this session's keys (issues 17-19): each a ConfigError naming the key.

The CLI turns a ConfigError into exit 2 and the window into its message; a
value that would print wrongly on a tax document is refused, not printed.
"""

from __future__ import annotations

import pytest

from kiosk.domain.errors import ConfigError
from kiosk.infra.config import parse_settings

ABB = '[receipt]\ntax_invoice = "abb"\n'


@pytest.mark.parametrize(
    ("body", "key"),
    [
        (ABB + 'tax_id = "0105556001234"\n', "receipt.pos_id"),  # no POS number
        (ABB + 'pos_id = "E0512345"\n', "receipt.tax_id"),  # no seller tax id
        (ABB + 'pos_id = "  "\ntax_id = "0105556001234"\n', "receipt.pos_id"),
        ('[receipt]\ntax_id = "๐๑๐๕๕๕๖๐๐๑๒๓๔"\n', "receipt.tax_id"),  # Thai digits
        ('[receipt]\nvat_rate = "abc"\n', "receipt.vat_rate"),
        ('[receipt]\nvat_rate = "-1"\n', "receipt.vat_rate"),
        ('[receipt]\nvat_rate = "1000"\n', "receipt.vat_rate"),
        ('[receipt]\nvat_rate = "NaN"\n', "receipt.vat_rate"),
        ('[receipt]\nvat_rate = "1e1"\n', "receipt.vat_rate"),  # "VAT 1e1%" on paper
        ('[receipt]\nvat_rate = "๗"\n', "receipt.vat_rate"),  # Decimal reads Thai digits
        ('[receipt]\nvat_rate = "7.0000000000000000001"\n', "receipt.vat_rate"),
        ("[receipt]\nvat_rate = 7.5\n", "receipt.vat_rate"),
        ("[customer_display]\nscreen = 3\n", "customer_display.screen"),
        ('[customer_display]\nscreen = " "\n', "customer_display.screen"),
        ("[store_db]\nsync_interval_s = 0\n", "store_db.sync_interval_s"),
        ('[store_db]\nsslmode = "allow"\n', "store_db.sslmode"),
    ],
)
def test_a_bad_value_is_a_config_error_naming_its_key(body: str, key: str) -> None:
    with pytest.raises(ConfigError) as refused:
        parse_settings(body)
    assert key in str(refused.value), refused.value
    assert refused.value.exit_code == 2


@pytest.mark.parametrize("rate", ["7", "0", "100", "7.5", "10.25"])
def test_a_plain_vat_rate_is_kept_as_written(rate: str) -> None:
    assert parse_settings(f'[receipt]\nvat_rate = "{rate}"\n').receipt.vat_rate == rate


def test_an_abb_shop_with_its_pos_number_and_tax_id_loads() -> None:
    body = ABB + 'pos_id = "E0512345"\ntax_id = "0105556001234"\n'
    assert parse_settings(body).receipt.tax_invoice == "abb"
