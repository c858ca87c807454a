"""Every string on screen has a Thai translation, and the compiled file is current."""

from __future__ import annotations

import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.conftest import ROOT

TS = ROOT / "resources" / "translations" / "kiosk_th.ts"
QM = ROOT / "resources" / "translations" / "kiosk_th.qm"
BIN = Path(__import__("sys").executable).parent


def messages(path: Path) -> dict[tuple[str, str], str | None]:
    found: dict[tuple[str, str], str | None] = {}
    for context in ET.parse(path).getroot().iter("context"):
        name = context.findtext("name") or ""
        for message in context.iter("message"):
            translation = message.find("translation")
            unfinished = translation is not None and translation.get("type") == "unfinished"
            text = None if translation is None or unfinished else translation.text
            found[(name, message.findtext("source") or "")] = text
    return found


def test_every_message_is_translated() -> None:
    found = messages(TS)
    assert len(found) > 30
    missing = [key for key, text in found.items() if not text]
    assert missing == []
    thai = [
        text for text in found.values() if text and any("\u0e00" <= c <= "\u0e7f" for c in text)
    ]
    assert len(thai) >= len(found) - 2  # all Thai but the language button ("English")


def translation_sources() -> list[str]:
    """What `make translations` scans: every module of the UI and of the entry points."""
    kiosk = ROOT / "kiosk"
    return sorted(str(p) for p in [*(kiosk / "ui").rglob("*.py"), *(kiosk / "app").glob("*.py")])


@pytest.mark.skipif(not (BIN / "pyside6-lupdate").exists(), reason="Qt tools not in this venv")
def test_the_sources_have_no_new_strings(tmp_path: Path) -> None:
    copy = tmp_path / "kiosk_th.ts"
    shutil.copy(TS, copy)
    sources = translation_sources()
    subprocess.run(
        [
            str(BIN / "pyside6-lupdate"),
            *sources,
            "-ts",
            str(copy),
            "-no-obsolete",
        ],
        check=True,
        capture_output=True,
    )
    assert set(messages(copy)) == set(messages(TS)), "run `make translations`"


@pytest.mark.skipif(not (BIN / "pyside6-lrelease").exists(), reason="Qt tools not in this venv")
def test_the_compiled_file_is_current(tmp_path: Path) -> None:
    out = tmp_path / "kiosk_th.qm"
    subprocess.run(
        [str(BIN / "pyside6-lrelease"), str(TS), "-qm", str(out)], check=True, capture_output=True
    )
    assert out.read_bytes() == QM.read_bytes(), "run `make translations`"
