"""The manager PIN pad on a computer without a keyring: at every size, in both languages,
its text fits, the keys never overlap, and it says what to do (``kiosk pin set``)."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backends import fail
from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtWidgets import QApplication, QLabel, QPushButton

from kiosk.app.compose import build_pin
from kiosk.infra.secrets import Secrets
from kiosk.ui.fitting import ShrinkWrapLabel
from kiosk.ui.i18n import Language
from kiosk.ui.manager_access import ManagerPinPad
from kiosk.ui.pin_pad import PinPad
from kiosk.ui.theme import STYLE, Metrics, style_sheet, use_metrics
from tests.ui.test_layout import SIZES, cut_text, global_rect, metrics_for, offscreen, settle

SAYS = {
    "en": ("kiosk pin set", "KIOSK_SECRET_MANAGER_PIN_HASH", "kiosk pin set --print-hash"),
    "th": ("kiosk pin set", "KIOSK_SECRET_MANAGER_PIN_HASH", "พวงกุญแจ", "บนเครื่องนี้"),
}


@pytest.fixture(name="no_keyring")
def no_keyring_fixture() -> Iterator[None]:
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())
    try:
        yield
    finally:
        keyring.set_keyring(previous)


@pytest.fixture(name="language")
def language_fixture(qapp: QApplication, tmp_path: Path) -> Iterator[Language]:
    language = Language(state_file=tmp_path / "language.json")
    yield language
    language.set("en")  # takes the translator away again
    settle()


def overlapping(buttons: list[QPushButton]) -> list[str]:
    found = []
    for a, b in itertools.combinations(buttons, 2):
        if global_rect(a).intersects(global_rect(b)):
            found.append(f"{a.objectName()} overlaps {b.objectName()}")
    return found


@pytest.mark.parametrize("kind", [ManagerPinPad, PinPad], ids=["manager", "close"])
@pytest.mark.parametrize("lang", ["en", "th"])
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s.width()}x{s.height()}")
def test_without_a_keyring_the_pad_fits_and_says_what_to_do(
    qtbot: Any,
    qapp: QApplication,
    loop: asyncio.AbstractEventLoop,
    tmp_path: Path,
    no_keyring: None,
    language: Language,
    size: QSize,
    lang: str,
    kind: type[PinPad],
) -> None:
    m = use_metrics(metrics_for(size))
    qapp.setStyleSheet(style_sheet(m))
    try:
        language.set(lang)
        pad = kind(pin=build_pin(tmp_path / "data", secrets=Secrets()), language=lang)
        qtbot.addWidget(pad)
        pad.open_pad(language=lang)
        settle()
        for key in "135790":
            pad.press(key)
        message = pad.findChild(QLabel, "pinMessage")
        assert isinstance(message, ShrinkWrapLabel)
        qtbot.waitUntil(lambda: "KIOSK_SECRET" in message.text(), timeout=5000)
        settle()
        text = message.text().replace("\u00a0", " ").replace("\u2060", "")
        assert all(words in text for words in SAYS[lang]), text
        assert "gnome-keyring" not in text  # the keyring's page-long advice stays in the log
        screen = QRect(QPoint(0, 0), size)
        assert screen.contains(pad.frameGeometry()), pad.frameGeometry()
        assert offscreen(pad, screen) == []
        assert cut_text(pad) == []
        buttons = [b for b in pad.findChildren(QPushButton) if b.isVisible()]
        assert len(buttons) == 14  # ten digits, backspace, Clear, Cancel, OK
        assert overlapping(buttons) == []
        inside = global_rect(pad)
        assert all(inside.contains(global_rect(b)) for b in buttons)
        assert not global_rect(message).intersects(global_rect(pad.keys["7"]))
        # still readable: shrunk, but not to a footnote
        assert message.font().pixelSize() >= message.full_font().pixelSize() * 0.6
    finally:
        use_metrics(Metrics.design())
        qapp.setStyleSheet(STYLE)


def test_the_message_shrinks_only_when_it_must(qtbot: Any) -> None:
    label = ShrinkWrapLabel(2)
    qtbot.addWidget(label)
    face = label.font()
    face.setPixelSize(20)
    label.setFont(face)
    label.resize(300, label.height())
    label.setText("short")
    label.show()
    settle()
    assert label.font().pixelSize() == 20
    label.setText("a sentence that is far too long to fit in two lines of this narrow label " * 2)
    settle()
    assert label.font().pixelSize() < 20
    assert label.heightForWidth(label.width()) <= label.height()
    label.setText("KIOSK_SECRET_MANAGER_PIN_HASH_THAT_IS_ONE_VERY_LONG_WORD")
    settle()
    assert label.fontMetrics().horizontalAdvance(label.text()) <= label.contentsRect().width()
