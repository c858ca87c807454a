"""Imports only point down (ARCHITECTURE.md "Layers"): checked on the source, by AST."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

KIOSK = Path(__file__).resolve().parent.parent / "kiosk"
QT = ("PySide6", "qasync", "shiboken6")
IO = ("httpx", "sqlite3", "socket", "http", "keyring")
BELOW_UI = ("domain", "gateways", "store", "services", "receipts")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def files(package: str) -> list[Path]:
    return sorted((KIOSK / package).rglob("*.py"))


@pytest.mark.parametrize("package", BELOW_UI)
def test_no_qt_below_the_ui(package: str) -> None:
    offenders = {
        str(path.relative_to(KIOSK)): sorted(m for m in imported_modules(path) if m.startswith(QT))
        for path in files(package)
        if not qt_allowed(path)
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def qt_allowed(path: Path) -> bool:
    """Receipts may use Qt's PDF writer, only in modules named qt_*.py (loaded on demand)."""
    return path.parent == KIOSK / "receipts" and path.name.startswith("qt_")


def test_only_qt_modules_of_receipts_are_exempt() -> None:
    assert qt_allowed(KIOSK / "receipts" / "qt_pdf.py")
    assert not qt_allowed(KIOSK / "receipts" / "service.py")
    assert not qt_allowed(KIOSK / "services" / "qt_pdf.py")
    for path in files("receipts"):
        if not qt_allowed(path):
            assert "kiosk.receipts.qt_pdf" not in imported_modules(path), path.name


def test_domain_is_pure() -> None:
    for path in files("domain"):
        for module in imported_modules(path):
            assert not module.startswith(IO), f"{path.name} imports {module}"
            if module.startswith("kiosk."):
                assert module.startswith("kiosk.domain"), f"{path.name} imports {module}"


UI_MAY_USE = ("kiosk.ui", "kiosk.services", "kiosk.domain", "kiosk.infra")


def test_the_manager_screen_reaches_the_journal_and_receipts_only_through_services() -> None:
    """kiosk/ui/manager: no store, gateways, receipts or app (SalesHistory, OrderReceipts)."""
    offenders = {
        path.name: sorted(
            m
            for m in imported_modules(path)
            if m.startswith("kiosk")
            and not any(m == allowed or m.startswith(allowed + ".") for allowed in UI_MAY_USE)
        )
        for path in files("ui/manager")
    }
    assert files("ui/manager")
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_checker_sees_a_violation(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("import os\nfrom PySide6.QtCore import QObject\nfrom . import sibling\n")
    assert imported_modules(bad) == {"os", "PySide6.QtCore"}


def test_every_layer_exists() -> None:
    for package in (*BELOW_UI, "ui"):
        assert files(package), f"kiosk/{package} has no modules"
