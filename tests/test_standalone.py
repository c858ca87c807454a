"""The repository stands alone: no code path reads the design folder beside it."""

from __future__ import annotations

import re
from pathlib import Path

from tests.conftest import DATA, ROOT, data_json

# A path into a shared/ folder beside the checkout: up one level then shared, or a
# path part named shared. (Spelled apart in this file so that grep finds no such path.)
SIBLING = re.compile(r"\.\./shared\b|[\"']shared[\"']")


def test_no_code_reads_a_sibling_shared_folder() -> None:
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for folder in ("kiosk", "tests", "scripts", "benchmarks")
        for path in sorted((ROOT / folder).rglob("*"))
        if path.suffix in (".py", ".sh") and path != Path(__file__)
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if SIBLING.search(line)
    ]
    assert offenders == []


def test_the_vectors_are_in_the_repository() -> None:
    assert DATA == ROOT / "tests" / "data"
    assert data_json("vectors", "thaiqr.json")["vectors"]
    for name in ("order_created.json", "charge_inquiry_paid.json", "errors.json"):
        assert data_json("vectors", "villa", name)


def test_the_pattern_sees_the_old_paths() -> None:
    assert SIBLING.search('SHARED = ROOT.parent / "shared"')
    assert SIBLING.search("open('" + ".." + "/shared/vectors/thaiqr.json')")
    assert not SIBLING.search("# a busy shared machine")
