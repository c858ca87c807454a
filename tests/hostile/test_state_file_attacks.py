"""Hand-edited or corrupt state files in the data folder (issues 16, 18).

``customer-display.json`` (the screen used last) and ``ui-state.json`` (the
language) are conveniences: whatever is in them, the kiosk starts as if
they were absent, never with a traceback.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.ui.customer.placement import ScreenId
from kiosk.ui.customer_display import load_remembered
from kiosk.ui.i18n import Language

CORRUPT = [
    b"",
    b"[]",
    b"null",
    b"\xff\xfe\x00garbage",
    b"[" * 100_000,  # nesting deeper than the JSON parser's recursion
    b'{"language": {"th": 1}, "name": {"a": 1}, "model": [], "serial": null}',
    b'{"language": ["th"]}',
    b'{"language": "fr"}',
]


@pytest.mark.parametrize("content", CORRUPT, ids=range(len(CORRUPT)))
def test_a_corrupt_language_state_is_the_default_language(tmp_path: Path, content: bytes) -> None:
    state = tmp_path / "ui-state.json"
    state.write_bytes(content)
    assert Language(state_file=state, default="th").current == "th"


@pytest.mark.parametrize("content", CORRUPT, ids=range(len(CORRUPT)))
def test_a_corrupt_remembered_screen_is_none_or_a_harmless_id(
    tmp_path: Path, content: bytes
) -> None:
    state = tmp_path / "customer-display.json"
    state.write_bytes(content)
    remembered = load_remembered(state)
    assert remembered is None or isinstance(remembered, ScreenId)


def test_a_state_file_that_is_a_folder_is_ignored(tmp_path: Path) -> None:
    assert load_remembered(tmp_path) is None
    assert Language(state_file=tmp_path, default="en").current == "en"
