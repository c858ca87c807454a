"""Colours, fonts and the style sheet: readable from two metres, big touch targets."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFont, QFontDatabase

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


def load_fonts() -> None:
    """Register the bundled fonts so Thai renders the same on every counter."""
    for name in FONT_FILES:
        QFontDatabase.addApplicationFont(str(RESOURCES / "fonts" / name))


def font(pixels: int, *, bold: bool = False) -> QFont:
    f = QFont()
    f.setFamilies(FAMILIES)
    f.setPixelSize(pixels)
    f.setBold(bold)
    return f


STYLE = f"""
QWidget {{ background: {PAPER}; color: {INK}; }}
QPushButton {{
    background: white; border: 2px solid #c8c8c8; border-radius: 14px;
    padding: 10px 18px; min-height: 64px;
}}
QPushButton:pressed {{ background: #e6e6e6; }}
QPushButton[keypad="true"] {{ min-height: 48px; padding: 4px; }}
QPushButton:disabled {{ color: #a0a0a0; border-color: #e0e0e0; background: #f0f0f0; }}
QPushButton:checked {{ background: #e3f1ff; border: 3px solid #1565c0; }}
QPushButton#chargeButton {{
    background: {GREEN}; color: white; border: none; min-height: 96px;
}}
QPushButton#chargeButton:disabled {{ background: #9fc9ad; color: #eef6f0; }}
QPushButton#cancelButton, QPushButton#confirmCancelButton {{
    color: {RED}; border-color: {RED};
}}
QPushButton#newSaleButton {{
    background: #1565c0; color: white; border: none; min-height: 96px;
}}
QWidget#sandboxBanner {{ background: {SANDBOX}; }}
QWidget#sandboxBanner QLabel {{ background: {SANDBOX}; color: black; }}
QWidget#sandboxBanner QPushButton, QWidget#sandboxBanner QComboBox {{
    min-height: 36px; padding: 4px 12px; border-radius: 8px;
}}
QWidget#noticeBar {{ background: #e8f5e9; border: 2px solid {GREEN}; border-radius: 10px; }}
QWidget#noticeBar QLabel {{ background: transparent; }}
QWidget#offlineBar {{ background: #fdecea; border: 2px solid {RED}; border-radius: 10px; }}
QWidget#offlineBar QLabel {{ background: transparent; color: {RED}; }}
QProgressBar {{
    border: none; border-radius: 8px; background: #e0e0e0; max-height: 16px;
}}
QProgressBar::chunk {{ border-radius: 8px; background: #1565c0; }}
"""
