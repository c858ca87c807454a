"""Colours, fonts and the style sheet, sized from the screen the kiosk runs on.

Every size in the screens is written in *design pixels*: pixels of a
1280x800 landscape canvas (800x1280 when the screen stands upright).
``Metrics`` turns them into screen pixels for the screen in use
(``use_screen``): ``px`` scales a length, ``font`` a text size; both follow
the screen, from the smallest counter monitor (1024x768) to 1920x1080 and a
portrait 1080x1920. Two floors come from the screen's physical size instead
(docs/architecture.md "Screen sizes"):

* ``readable``: the amount, the countdown and the payment status have
  capital letters at least 9.3 mm tall, 16 minutes of arc at 2 m;
* ``touch``: anything touched is at least 10 mm high.

Millimetres come from the screen's physical DPI when it is believable, else
its logical DPI, else 96 DPI. A screen too small to meet them (a tablet, not
read from 2 m) gets the largest size that still fits: the floors are capped
at a fraction of the screen's short side.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QRect
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication, QScreen

RESOURCES = Path(__file__).resolve().parent.parent.parent / "resources"
FONT_FILES = (
    "NotoSans-Regular.ttf",
    "NotoSans-Bold.ttf",
    "NotoSansThai-Regular.ttf",
    "NotoSansThai-Bold.ttf",
)
FAMILIES = ["Noto Sans", "Noto Sans Thai"]

GREEN = "#1b873f"
RED = "#c62828"
AMBER = "#b26a00"
GREY = "#5f6368"
INK = "#1d1d1f"
PAPER = "#f7f7f5"
SANDBOX = "#ffcc00"

DESIGN_LONG, DESIGN_SHORT = 1280, 800  # the design canvas, in design pixels
MIN_SCALE = 0.8  # 1024x768: the smallest screen the layouts are made to fit
MAX_SCALE = 4.0
CAP_HEIGHT = 0.714  # Noto Sans: capital height / font pixel size (em)
READABLE_CAP_MM = 9.3  # 2000 mm * tan(16') : readable from 2 m
TOUCH_MM = 10.0
TOUCH_MIN_PX = 40  # when nothing is known of the screen's size
READABLE_CAP_SHARE = 0.068  # floors never above these shares of the short side
TOUCH_CAP_SHARE = 0.075
BELIEVABLE_DPI = (50.0, 400.0)
ARROW = (RESOURCES / "icons" / "arrow-down.svg").as_posix()  # combo and date arrows


@dataclass(frozen=True)
class Metrics:
    """How design pixels and millimetres map to pixels on one screen."""

    area: QRect  # where the window goes (the screen's available geometry)
    px_per_mm: float
    source: str  # where px_per_mm came from: "physical", "logical" or "default"

    @classmethod
    def for_area(
        cls, area: QRect, *, physical_dpi: float = 0.0, logical_dpi: float = 0.0
    ) -> Metrics:
        low, high = BELIEVABLE_DPI
        if low <= physical_dpi <= high:
            return cls(QRect(area), physical_dpi / 25.4, "physical")
        if low <= logical_dpi <= high:
            return cls(QRect(area), logical_dpi / 25.4, "logical")
        return cls(QRect(area), 96 / 25.4, "default")

    @classmethod
    def for_screen(cls, screen: QScreen) -> Metrics:
        return cls.for_area(
            screen.availableGeometry(),
            physical_dpi=screen.physicalDotsPerInch(),
            logical_dpi=screen.logicalDotsPerInch(),
        )

    @classmethod
    def design(cls) -> Metrics:
        """The design canvas itself (scale 1) at 96 DPI: what tests get by default."""
        return cls.for_area(QRect(0, 0, DESIGN_LONG, DESIGN_SHORT), logical_dpi=96)

    @property
    def portrait(self) -> bool:
        return self.area.height() > self.area.width()

    @property
    def short_side(self) -> int:
        return min(self.area.width(), self.area.height())

    @property
    def scale(self) -> float:
        """Screen pixels per design pixel: the canvas fitted into the screen."""
        long, short = max(self.area.width(), 1), max(self.area.height(), 1)
        if self.portrait:
            long, short = short, long
        fit = min(long / DESIGN_LONG, short / DESIGN_SHORT)
        return min(MAX_SCALE, max(MIN_SCALE, fit))

    @property
    def readable_px(self) -> int:
        """The smallest font pixel size whose capitals are READABLE_CAP_MM tall."""
        wanted = math.ceil(READABLE_CAP_MM / CAP_HEIGHT * self.px_per_mm)
        return min(wanted, round(self.short_side * READABLE_CAP_SHARE))

    @property
    def touch_px(self) -> int:
        """The smallest height (and width) of anything touched: TOUCH_MM."""
        wanted = max(TOUCH_MIN_PX, math.ceil(TOUCH_MM * self.px_per_mm))
        return min(wanted, round(self.short_side * TOUCH_CAP_SHARE))

    def px(self, design: float) -> int:
        return max(1, round(design * self.scale)) if design > 0 else 0

    def touch(self, design: float) -> int:
        """A touch target's size: ``design`` scaled, never below ``touch_px``."""
        return max(self.px(design), self.touch_px)

    def font_px(self, design: float, *, readable: bool = False) -> int:
        size = self.px(design)
        return max(size, self.readable_px) if readable else size


_current = Metrics.design()


def metrics() -> Metrics:
    """The metrics the screens are being built with."""
    return _current


def use_metrics(value: Metrics) -> Metrics:
    """Build the next screens for ``value`` (tests and screenshots pick a size this way)."""
    global _current
    _current = value
    return value


def use_screen(screen: QScreen | None = None) -> Metrics:
    """Build the next screens for ``screen`` (the primary screen when None)."""
    screen = screen or QGuiApplication.primaryScreen()
    if screen is None:
        return _current
    return use_metrics(Metrics.for_screen(screen))


def px(design: float) -> int:
    """A length in design pixels, in pixels of the current screen."""
    return _current.px(design)


def touch(design: float) -> int:
    """A touch target's height in pixels: ``design`` scaled, at least ~10 mm."""
    return _current.touch(design)


def load_fonts() -> None:
    """Register the bundled fonts so Thai renders the same on every counter."""
    for name in FONT_FILES:
        QFontDatabase.addApplicationFont(str(RESOURCES / "fonts" / name))


def font(pixels: float, *, bold: bool = False, readable: bool = False) -> QFont:
    """The kiosk's face at ``pixels`` design pixels; ``readable``: never below 9.3 mm capitals."""
    f = QFont()
    f.setFamilies(FAMILIES)
    f.setPixelSize(_current.font_px(pixels, readable=readable))
    f.setBold(bold)
    return f


def style_sheet(m: Metrics | None = None) -> str:
    """The application's style sheet, its sizes for ``m`` (the current metrics)."""
    m = m or _current
    touch_px, arrow = m.touch(64), m.touch(40)
    return f"""
QWidget {{ background: {PAPER}; color: {INK}; }}
QPushButton {{
    background: white; border: 2px solid #c8c8c8; border-radius: {m.px(14)}px;
    padding: {m.px(10)}px {m.px(18)}px; min-height: {touch_px - 2 * m.px(10) - 4}px;
}}
QPushButton:pressed {{ background: #e6e6e6; }}
QPushButton[keypad="true"] {{ min-height: {m.touch_px - 4}px; padding: {m.px(4)}px; }}
QPushButton:disabled {{ color: #a0a0a0; border-color: #e0e0e0; background: #f0f0f0; }}
QPushButton:checked {{ background: #e3f1ff; border: 3px solid #1565c0; }}
QPushButton#chargeButton {{
    background: {GREEN}; color: white; border: none; min-height: {m.touch(96)}px;
}}
QPushButton#chargeButton:disabled {{ background: #9fc9ad; color: #eef6f0; }}
QPushButton#cancelButton, QPushButton#confirmCancelButton {{
    color: {RED}; border-color: {RED};
}}
QPushButton#newSaleButton {{
    background: #1565c0; color: white; border: none; min-height: {m.touch(96)}px;
}}
QComboBox, QDateEdit, QLineEdit {{
    background: white; border: 2px solid #c8c8c8; border-radius: {m.px(8)}px;
    min-height: {m.touch_px - 4}px; padding: 0 {m.px(10)}px;
}}
QComboBox:disabled, QDateEdit:disabled, QLineEdit:disabled {{ background: #f0f0f0; }}
QComboBox::drop-down, QDateEdit::drop-down {{
    subcontrol-origin: border; subcontrol-position: center right;
    width: {arrow}px; height: {m.touch_px}px; border-left: 2px solid #c8c8c8;
}}
QComboBox::down-arrow, QDateEdit::down-arrow {{
    image: url({ARROW}); width: {m.px(22)}px; height: {m.px(22)}px;
}}
QComboBox QAbstractItemView {{ background: white; }}
QComboBox QAbstractItemView::item {{ min-height: {m.touch_px}px; }}
QCalendarWidget QAbstractItemView {{ font-size: {m.px(22)}px; }}
QCalendarWidget QToolButton {{
    min-height: {m.touch_px}px; min-width: {m.touch_px}px; font-size: {m.px(20)}px;
}}
QCheckBox::indicator {{ width: {m.touch(28)}px; height: {m.touch(28)}px; }}
QTabBar::tab {{ min-height: {m.touch_px - 8}px; padding: 0 {m.px(16)}px; }}
QScrollBar:vertical {{ width: {m.px(20)}px; }}
QScrollBar:horizontal {{ height: {m.px(20)}px; }}
QWidget#sandboxBanner {{ background: {SANDBOX}; }}
QWidget#sandboxBanner QLabel {{ background: {SANDBOX}; color: black; }}
QWidget#sandboxBanner QPushButton, QWidget#sandboxBanner QComboBox {{
    min-height: {m.touch_px - 2 * m.px(4) - 4}px; padding: {m.px(4)}px {m.px(12)}px;
    border-radius: {m.px(8)}px;
}}
QWidget#noticeBar {{ background: #e8f5e9; border: 2px solid {GREEN}; border-radius: 10px; }}
QWidget#noticeBar QLabel {{ background: transparent; }}
QWidget#offlineBar {{ background: #fdecea; border: 2px solid {RED}; border-radius: 10px; }}
QWidget#offlineBar QLabel {{ background: transparent; color: {RED}; }}
QProgressBar {{
    border: none; border-radius: {m.px(8)}px; background: #e0e0e0; max-height: {m.px(16)}px;
}}
QProgressBar::chunk {{ border-radius: {m.px(8)}px; background: #1565c0; }}
"""


STYLE = style_sheet(Metrics.design())  # the design canvas (tests that pick no screen)
