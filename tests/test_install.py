"""`pip install -e .` (scripts/setup.sh) gives a `kiosk` command that is main.py."""

from __future__ import annotations

import importlib
import inspect
import tomllib
from typing import Any

from tests.conftest import ROOT


def pyproject() -> dict[str, Any]:
    with (ROOT / "pyproject.toml").open("rb") as file:
        data: dict[str, Any] = tomllib.load(file)
    return data


def test_the_kiosk_script_is_the_cli_main() -> None:
    target = pyproject()["project"]["scripts"]["kiosk"]
    assert target == "kiosk.app.cli:main"
    module_name, _, attribute = target.partition(":")
    main = getattr(importlib.import_module(module_name), attribute)
    assert callable(main)
    assert list(inspect.signature(main).parameters) == ["argv"]  # main() reads sys.argv
    launcher = (ROOT / "main.py").read_text(encoding="utf-8")
    assert "from kiosk.app.cli import main" in launcher  # main.py runs the same function


def test_the_pinned_build_backend_satisfies_pyproject() -> None:
    """setup.sh builds without isolation, with the setuptools of requirements-build.txt."""
    build = pyproject()["build-system"]
    assert build["build-backend"] == "setuptools.build_meta"
    lines = (ROOT / "requirements-build.txt").read_text(encoding="utf-8").splitlines()
    pins = dict(line.split("==") for line in lines if line.strip() and not line.startswith("#"))
    assert set(pins) == {"setuptools"}
    (needed,) = build["requires"]
    name, _, minimum = needed.partition(">=")
    assert version(pins[name]) >= version(minimum), (needed, pins)


def version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.strip().split("."))
