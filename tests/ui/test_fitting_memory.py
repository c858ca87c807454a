"""The fitting's remembered measurements give the answers a fresh measurement gives.

``shrunk`` and ``line_height`` remember by (font, text, width) and a
``FitLabel`` skips a text and width it fitted last (kiosk/ui/fitting.py): a
key that left out what the metrics depend on (boldness, the fallback
families, the size) or an "already fitted" that outlived a change would show
a text too wide or needlessly small. Each case here is asked in an order that
makes a stale answer come out.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from PySide6.QtGui import QFont, QFontMetrics, QGuiApplication
from PySide6.QtWidgets import QApplication

from kiosk.ui import fitting
from kiosk.ui.fitting import FitLabel, line_height, shrunk, shrunk_uncached
from kiosk.ui.theme import FAMILIES, load_fonts

TEXTS = ["฿123.00", "฿1,234,567,890.00", "Waiting for payment…", "รอการชำระเงิน…", "a\n฿99,999.00"]
WIDTHS = [40, 120, 260, 900]


def face(pixels: int, *, bold: bool = False, families: list[str] = FAMILIES) -> QFont:
    made = QFont()
    made.setFamilies(families)
    made.setPixelSize(pixels)
    made.setBold(bold)
    return made


def faces() -> list[QFont]:
    """Fonts that differ in one thing only from one another: size, weight, families."""
    return [
        face(pixels, bold=bold, families=families)
        for pixels, bold, families in itertools.product(
            (18, 76), (False, True), (FAMILIES, ["DejaVu Sans Mono"])
        )
    ]


@pytest.fixture(autouse=True)
def fonts(qapp: QApplication) -> None:
    load_fonts()  # (the widths below are those of the kiosk's own fonts)
    fitting.forget_metrics()


def test_shrunk_remembered_equals_measured_for_every_font_text_and_width() -> None:
    cases = list(itertools.product(range(len(faces())), TEXTS, WIDTHS))
    for _ in range(2):  # the second round answers from memory
        for index, text, width in cases:
            font = faces()[index]
            assert shrunk(font, text, width).pixelSize() == (
                shrunk_uncached(font, text, width).pixelSize()
            ), (font.toString(), font.families(), text, width)


def test_the_cases_tell_the_fonts_apart() -> None:
    """(Else the test above could not catch a key that leaves something out.)"""
    answers = {
        (font.pixelSize(), font.bold(), tuple(font.families())): tuple(
            shrunk_uncached(font, text, width).pixelSize() for text in TEXTS for width in WIDTHS
        )
        for font in faces()
    }
    by_weight: dict[Any, set[Any]] = {}
    by_family: dict[Any, set[Any]] = {}
    for (pixels, bold, families), sizes in answers.items():
        by_weight.setdefault((pixels, families), set()).add(sizes)
        by_family.setdefault((pixels, bold), set()).add(sizes)
    assert any(len(sizes) == 2 for sizes in by_weight.values())
    assert any(len(sizes) == 2 for sizes in by_family.values())


def test_line_height_follows_the_font() -> None:
    for font in faces() * 2:
        assert line_height(font) == QFontMetrics(font).lineSpacing()


def test_a_fit_label_fits_again_whenever_its_text_width_or_font_changes(qtbot: Any) -> None:
    label = FitLabel()
    qtbot.addWidget(label)
    label.setFont(face(18, bold=True))
    label.show()  # (a hidden widget hears of a resize only when shown)
    qtbot.waitExposed(label)
    label.resize(200, label.height())

    def expected() -> int:
        width = label.contentsRect().width() - 4
        return shrunk_uncached(label.full_font(), label.text(), width).pixelSize()

    steps = [
        lambda: label.setText("฿1,234,567,890.00"),
        lambda: label.resize(60, label.height()),
        lambda: label.setText("฿1.00"),
        lambda: label.setText("฿1,234,567,890.00"),  # a text it had, at another width
        lambda: label.resize(200, label.height()),
        lambda: label.setFont(face(76)),  # much too wide again
        lambda: label.setText("฿1,234,567,890.00"),  # the same text again: unchanged
        lambda: label.resize(900, label.height()),
    ]
    sizes = []
    for step in steps:
        step()
        assert label.font().pixelSize() == expected()
        sizes.append(label.font().pixelSize())
    assert len(set(sizes)) > 2  # the steps did change the answer
    assert label.minimumSizeHint().height() == QFontMetrics(face(76)).lineSpacing() + 2


def test_new_fonts_mean_measuring_again(monkeypatch: pytest.MonkeyPatch) -> None:
    """A width measured with a fallback font is wrong once the real font is loaded."""
    font = face(18, bold=True)
    shrunk(font, "฿1,234,567,890.00", 120)
    measured: list[str] = []
    real = fitting.shrunk_uncached

    def counting(font: QFont, text: str, width: int) -> QFont:
        measured.append(text)
        return real(font, text, width)

    monkeypatch.setattr(fitting, "shrunk_uncached", counting)
    shrunk(font, "฿1,234,567,890.00", 120)
    assert measured == []  # remembered
    app = QGuiApplication.instance()
    assert isinstance(app, QGuiApplication)
    app.fontDatabaseChanged.emit()  # as QFontDatabase.addApplicationFont does
    shrunk(font, "฿1,234,567,890.00", 120)
    assert measured == ["฿1,234,567,890.00"]


def test_a_fit_label_fits_again_after_new_fonts(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    label = FitLabel("฿1,234,567,890.00")
    qtbot.addWidget(label)
    label.setFont(face(76))
    label.show()
    qtbot.waitExposed(label)
    label.resize(300, label.height())
    fitted = label.font().pixelSize()
    assert fitted < 76
    monkeypatch.setattr(fitting, "shrunk_uncached", lambda font, text, width: QFont(font))
    label.setText("฿1,234,567,890.00")  # the same text and width: nothing measured
    assert label.font().pixelSize() == fitted
    fitting.forget_metrics()
    label.setText("฿1,234,567,890.00")
    assert label.font().pixelSize() == 76  # measured again (by the stub)
