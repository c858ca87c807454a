"""Imports only point down (ARCHITECTURE.md "Layers"): a table, checked on the source by AST.

An import is any of: ``import a.b`` / ``from a.b import c`` anywhere in a module (inside
functions too), relative imports (``from ..store import journal``, resolved with the
file's package), and a literal name given to ``importlib.import_module(...)`` or
``__import__(...)``.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import ROOT

QT = ("PySide6", "qasync", "shiboken6")
IO = ("httpx", "sqlite3", "socket", "http", "keyring")
TOP = "kiosk"  # the table's row for the top-level modules kiosk/__init__.py, kiosk/__main__.py
LAYERS = ("domain", "infra", "store", "gateways", "receipts", "services", "ui", "app")

# Which kiosk package may import which (the target architecture). The root package
# `kiosk` itself (``from kiosk import __version__``) is open to all: importing any
# kiosk.* module runs kiosk/__init__.py anyway, and its own row limits what it imports.
MAY_IMPORT: dict[str, frozenset[str]] = {
    "domain": frozenset({"domain"}),
    "infra": frozenset({"domain", "infra"}),
    "store": frozenset({"domain", "infra", "store"}),
    "gateways": frozenset({"domain", "infra", "gateways"}),
    "receipts": frozenset({"domain", "infra", "receipts"}),
    "services": frozenset({"domain", "infra", "store", "gateways", "receipts", "services"}),
    "ui": frozenset({"domain", "infra", "services", "ui"}),
    "app": frozenset(LAYERS),
    TOP: frozenset({"app", "domain"}),
}
BELOW_UI = ("domain", "infra", "store", "gateways", "services", "receipts")  # never Qt

# Imports against the table that are tolerated: none. The test of the test below
# keeps the mechanism (a listed violation that disappears must be deleted too).
KNOWN_VIOLATIONS: frozenset[tuple[str, str]] = frozenset()


@dataclass(frozen=True)
class Imported:
    module: str  # absolute, e.g. "kiosk.store.journal" or "PySide6.QtCore"
    line: int
    dynamic: bool  # named in importlib.import_module(...) / __import__(...)


def module_name(path: Path, root: Path) -> str:
    """kiosk/ui/bad.py -> kiosk.ui.bad; kiosk/ui/__init__.py -> kiosk.ui (root holds kiosk/)."""
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_module(root: Path, name: str) -> bool:
    base = root.joinpath(*name.split("."))
    return base.with_suffix(".py").is_file() or (base / "__init__.py").is_file()


def imports(path: Path, root: Path) -> Iterator[Imported]:
    """Every module that the file at path imports, as absolute names."""
    this = module_name(path, root)
    package = this if path.name == "__init__.py" else this.rpartition(".")[0]

    def absolute(name: str, level: int) -> str:
        if level == 0:
            return name
        base = package.split(".")
        if level - 1 >= len(base):
            raise ValueError(f"{path}: relative import beyond the top package")
        base = base[: len(base) - (level - 1)]
        return ".".join([*base, name] if name else base)

    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Imported(alias.name, node.lineno, dynamic=False)
        elif isinstance(node, ast.ImportFrom):
            base = absolute(node.module or "", node.level)
            for alias in node.names:
                # `from kiosk.store import journal` imports the module kiosk.store.journal
                candidate = f"{base}.{alias.name}"
                module = candidate if alias.name != "*" and is_module(root, candidate) else base
                yield Imported(module, node.lineno, dynamic=False)
        elif isinstance(node, ast.Call) and (name := literal_import(node)) is not None:
            level = len(name) - len(name.lstrip("."))
            yield Imported(absolute(name[level:], level), node.lineno, dynamic=True)


def literal_import(call: ast.Call) -> str | None:
    """The literal name in importlib.import_module("..."), import_module(...), __import__(...)."""
    func = call.func
    named = (isinstance(func, ast.Attribute) and func.attr in ("import_module", "__import__")) or (
        isinstance(func, ast.Name) and func.id in ("import_module", "__import__")
    )
    if named and call.args and isinstance(first := call.args[0], ast.Constant):
        return first.value if isinstance(first.value, str) else None
    return None


def layer_of_file(path: Path, root: Path) -> str:
    """The table row of a source file: its package under kiosk/, or TOP."""
    parts = path.relative_to(root).parts  # ("kiosk", "ui", "bad.py")
    return parts[1] if len(parts) > 2 else TOP


def layer_of_module(module: str) -> str | None:
    """The table row an imported kiosk module belongs to; None outside kiosk or the root."""
    parts = module.split(".")
    if parts[0] != "kiosk" or len(parts) == 1:
        return None
    return parts[1] if parts[1] in MAY_IMPORT else TOP


def sources(root: Path, package: str | None = None) -> list[Path]:
    return sorted((root / "kiosk" / package if package else root / "kiosk").rglob("*.py"))


def layer_violations(root: Path) -> set[tuple[str, str]]:
    """(importing module, imported module) for every kiosk import the table forbids."""
    found: set[tuple[str, str]] = set()
    for path in sources(root):
        allowed = MAY_IMPORT.get(layer_of_file(path, root), frozenset())
        for imported in imports(path, root):
            layer = layer_of_module(imported.module)
            if layer is not None and layer not in allowed:
                found.add((module_name(path, root), imported.module))
    return found


def qt_allowed(path: Path, root: Path) -> bool:
    """Receipts may use Qt's PDF writer, only in modules named qt_*.py (loaded on demand)."""
    parts = path.relative_to(root).parts
    return parts[:2] == ("kiosk", "receipts") and len(parts) == 3 and parts[2].startswith("qt_")


def qt_below_the_ui(root: Path, package: str) -> dict[str, list[str]]:
    """Qt modules imported (statically or by name) in a package below the ui."""
    offenders = {
        module_name(path, root): sorted(
            {i.module for i in imports(path, root) if i.module.startswith(QT)}
        )
        for path in sources(root, package)
        if not qt_allowed(path, root)
    }
    return {module: qt for module, qt in offenders.items() if qt}


# The real code base.


def differences(found: set[tuple[str, str]], known: frozenset[tuple[str, str]]) -> list[str]:
    """What makes the layer test fail: a violation not known, or a known one gone."""
    problems = [f"imports against the layer table (MAY_IMPORT): {v}" for v in sorted(found - known)]
    problems += [f"fixed, delete it from KNOWN_VIOLATIONS: {v}" for v in sorted(known - found)]
    return problems


def test_imports_follow_the_table() -> None:
    assert differences(layer_violations(ROOT), KNOWN_VIOLATIONS) == []


@pytest.mark.parametrize("package", BELOW_UI)
def test_no_qt_below_the_ui(package: str) -> None:
    assert qt_below_the_ui(ROOT, package) == {}


def test_only_qt_modules_of_receipts_are_exempt() -> None:
    assert qt_allowed(ROOT / "kiosk" / "receipts" / "qt_pdf.py", ROOT)
    assert not qt_allowed(ROOT / "kiosk" / "receipts" / "service.py", ROOT)
    assert not qt_allowed(ROOT / "kiosk" / "services" / "qt_pdf.py", ROOT)
    assert not qt_allowed(ROOT / "kiosk" / "receipts" / "sub" / "qt_pdf.py", ROOT)
    for path in sources(ROOT, "receipts"):
        if not qt_allowed(path, ROOT):
            static = {i.module for i in imports(path, ROOT) if not i.dynamic}
            # loaded on demand only, by importlib.import_module("kiosk.receipts.qt_pdf")
            assert "kiosk.receipts.qt_pdf" not in static, path.name


def test_domain_is_pure() -> None:
    for path in sources(ROOT, "domain"):
        for imported in imports(path, ROOT):
            assert not imported.module.startswith(IO), f"{path.name} imports {imported}"
            assert not imported.module.startswith(QT), f"{path.name} imports {imported}"


def test_the_table_names_every_package() -> None:
    packages = {p.name for p in (ROOT / "kiosk").iterdir() if (p / "__init__.py").is_file()}
    assert packages == set(LAYERS)
    assert set(MAY_IMPORT) == {*LAYERS, TOP}
    for layer, allowed in MAY_IMPORT.items():
        assert allowed <= set(MAY_IMPORT), layer
        assert layer == TOP or layer in allowed, layer  # a package may import itself
    for package in LAYERS:
        assert sources(ROOT, package), f"kiosk/{package} has no modules"
    tops = {p.name for p in (ROOT / "kiosk").glob("*.py")}
    assert tops == {"__init__.py", "__main__.py"}


# The checker itself, on small fake packages.


def write_tree(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


FAKE_PACKAGES = {
    "kiosk/__init__.py": "",
    "kiosk/__main__.py": "from kiosk.app.cli import main\n",
    **{f"kiosk/{layer}/__init__.py": "" for layer in LAYERS},
    "kiosk/domain/money.py": "",
    "kiosk/infra/config.py": "",
    "kiosk/store/journal.py": "class Journal: ...\n",
    "kiosk/gateways/villa.py": "",
    "kiosk/receipts/model.py": "",
    "kiosk/services/checkout.py": "",
    "kiosk/app/cli.py": "import kiosk.ui.local\nfrom kiosk.store.journal import Journal\n",
}


def test_the_checker_reports_each_kind_of_forbidden_import(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            **FAKE_PACKAGES,
            "kiosk/ui/local.py": (
                "def journal():\n    from kiosk.store.journal import Journal\n    return Journal\n"
            ),
            "kiosk/ui/dynamic.py": (
                "import importlib\n\n\n"
                "def gateway():\n"
                '    return importlib.import_module("kiosk.gateways.villa")\n'
            ),
            "kiosk/ui/relative.py": "from ..store import journal\n",
            "kiosk/ui/dunder.py": '__import__("kiosk.receipts.model")\n',
            "kiosk/ui/by_name.py": (
                'from importlib import import_module\n\nmodel = import_module(".model", "x")\n'
                'checkout = import_module("kiosk.app.cli")\n'
            ),
            "kiosk/ui/__init__.py": "from .. import store\n",
            "kiosk/domain/leak.py": "from ..infra import config\n",
            "kiosk/store/upward.py": "from kiosk import gateways\n",
            "kiosk/receipts/sibling.py": "import kiosk.services.checkout as c\n",
        },
    )
    assert layer_violations(tmp_path) == {
        ("kiosk.ui.local", "kiosk.store.journal"),
        ("kiosk.ui.dynamic", "kiosk.gateways.villa"),
        ("kiosk.ui.relative", "kiosk.store.journal"),
        ("kiosk.ui.dunder", "kiosk.receipts.model"),
        ("kiosk.ui.by_name", "kiosk.app.cli"),  # not its ".model": kiosk.ui.model is allowed
        ("kiosk.ui", "kiosk.store"),
        ("kiosk.domain.leak", "kiosk.infra.config"),
        ("kiosk.store.upward", "kiosk.gateways"),
        ("kiosk.receipts.sibling", "kiosk.services.checkout"),
    }


def test_the_checker_lets_allowed_imports_pass(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            **FAKE_PACKAGES,
            "kiosk/ui/fine.py": (
                "import os\n"
                "import kiosk\n"
                "import kiosk.infra.config\n"
                "from kiosk import __version__\n"
                "from kiosk.services import checkout\n"
                "from . import local\n"
                "from ..domain import money\n"
                "from .local import helper\n\n\n"
                "def later():\n"
                '    return __import__("kiosk.services.checkout")\n'
            ),
            "kiosk/ui/local.py": "def helper(): ...\n",
            "kiosk/services/uses_all.py": (
                "from kiosk.store.journal import Journal\n"
                "from kiosk.gateways import villa\n"
                "from ..receipts import model\n"
            ),
            "kiosk/domain/pure.py": "from .money import *\nfrom . import money\n",
        },
    )
    assert layer_violations(tmp_path) == set()


def test_the_checker_resolves_names(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            **FAKE_PACKAGES,
            "kiosk/ui/mixed.py": (
                "import importlib\n"
                "from PySide6.QtCore import QObject\n"
                "from . import sibling\n"
                "from ..store.journal import Journal\n"
                "from kiosk.store import journal, Journal\n\n\n"
                "def later(name):\n"
                '    importlib.import_module(".sibling", __package__)\n'
                "    importlib.import_module(name)  # not a literal: not known\n"
            ),
            "kiosk/ui/sibling.py": "",
        },
    )
    found = list(imports(tmp_path / "kiosk" / "ui" / "mixed.py", tmp_path))
    assert sorted((i.line, i.module, i.dynamic) for i in found) == [
        (1, "importlib", False),
        (2, "PySide6.QtCore", False),
        (3, "kiosk.ui.sibling", False),
        (4, "kiosk.store.journal", False),
        (5, "kiosk.store", False),  # Journal is a name in kiosk.store, not a module
        (5, "kiosk.store.journal", False),
        (9, "kiosk.ui.sibling", True),
    ]
    assert module_name(tmp_path / "kiosk" / "ui" / "__init__.py", tmp_path) == "kiosk.ui"
    assert layer_of_file(tmp_path / "kiosk" / "__main__.py", tmp_path) == TOP
    assert layer_of_file(tmp_path / "kiosk" / "ui" / "mixed.py", tmp_path) == "ui"


def test_the_qt_check_sees_local_and_dynamic_imports(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            **FAKE_PACKAGES,
            "kiosk/services/lazy.py": (
                "import importlib\n\n\n"
                "def window():\n"
                '    return importlib.import_module("PySide6.QtWidgets")\n'
            ),
            "kiosk/infra/local.py": "def f():\n    from qasync import asyncSlot\n",
            "kiosk/receipts/qt_pdf.py": "from PySide6.QtGui import QPdfWriter\n",
            "kiosk/receipts/render.py": "from PySide6.QtGui import QImage\n",
        },
    )
    assert qt_below_the_ui(tmp_path, "services") == {"kiosk.services.lazy": ["PySide6.QtWidgets"]}
    assert qt_below_the_ui(tmp_path, "infra") == {"kiosk.infra.local": ["qasync"]}
    assert qt_below_the_ui(tmp_path, "receipts") == {"kiosk.receipts.render": ["PySide6.QtGui"]}
    assert qt_below_the_ui(tmp_path, "store") == {}


def test_known_violations_may_only_shrink(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            **FAKE_PACKAGES,
            "kiosk/ui/old.py": "from kiosk.store.journal import Journal\n",
            "kiosk/ui/new.py": "from ..gateways import villa\n",
        },
    )
    found = layer_violations(tmp_path)
    old = ("kiosk.ui.old", "kiosk.store.journal")
    new = ("kiosk.ui.new", "kiosk.gateways.villa")
    gone = ("kiosk.ui.gone", "kiosk.store.journal")
    assert differences(found, frozenset({old, new})) == []
    assert differences(found, frozenset({old})) == [
        f"imports against the layer table (MAY_IMPORT): {new}"
    ]
    assert differences(found, frozenset({old, new, gone})) == [
        f"fixed, delete it from KNOWN_VIOLATIONS: {gone}"
    ]
