"""The repository stands alone: no code path leaves the checkout to read files beside it."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import DATA, ROOT, data_json

# A path out of the checkout: the repository root's parent, or a quoted path that
# starts by going up a folder (the design brief and its vectors live out there).
OUTSIDE = re.compile(r"\bROOT\.parent\b|[\"']\.\./[A-Za-z_]")


def test_no_code_reads_beside_the_checkout() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for folder in ("kiosk", "tests", "scripts", "benchmarks")
        for path in sorted((ROOT / folder).rglob("*"))
        if path.suffix in (".py", ".sh") and path != Path(__file__)
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if OUTSIDE.search(line)
    ]
    assert offenders == []


def test_the_vectors_are_in_the_repository() -> None:
    assert DATA == ROOT / "tests" / "data"
    assert data_json("vectors", "thaiqr.json")["vectors"]
    for name in ("order_created.json", "charge_inquiry_paid.json", "errors.json"):
        assert data_json("vectors", "villa", name)


def test_the_pattern_sees_paths_out_of_the_checkout() -> None:
    assert OUTSIDE.search('BRIEF = ROOT.parent / "design"')
    assert OUTSIDE.search("open('../vectors/thaiqr.json')")
    assert not OUTSIDE.search('RESOURCES = ROOT / "resources"')
    assert not OUTSIDE.search('search="../300"')  # an amount typed with slashes, not a path
