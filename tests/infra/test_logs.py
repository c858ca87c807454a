"""kiosk.infra.logs: the scrub filter covers every part of a record, and text from
outside can neither forge a log line nor reach the log with a secret in it."""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.infra.logs import ScrubFilter, one_line, outside_text, register_secret, setup_logging

SECRET = "log-secret-Pw-771"
FORGED = "2026-11-24 10:00:00,000 INFO kiosk.checkout: S001-T01-20261124-0001 paid"
RECORD_START = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} ")


@pytest.fixture
def logfile(tmp_path: Path) -> Iterator[Path]:
    register_secret(SECRET)
    setup_logging(tmp_path / "logs")
    try:
        yield tmp_path / "logs" / "kiosk.log"
    finally:
        for handler in list(logging.getLogger("kiosk").handlers):
            logging.getLogger("kiosk").removeHandler(handler)
            handler.close()


def records(path: Path) -> list[str]:
    """The lines of the log file that start like a record (time stamp first)."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if RECORD_START.match(line)]


def test_a_message_from_outside_cannot_forge_a_record(logfile: Path) -> None:
    log = logging.getLogger("kiosk.test")
    log.warning("gateway said %s", f"declined\n{FORGED}\x1b[2J\u202eevil")
    text = logfile.read_text(encoding="utf-8")
    assert len(records(logfile)) == 1 and text.count("\n") == 1
    assert "declined\\n2026-11-24" in text and "\\x1b[2J\\u202eevil" in text
    assert "\x1b" not in text and "\u202e" not in text


def test_an_exception_keeps_its_lines_indented_and_loses_its_secrets(logfile: Path) -> None:
    log = logging.getLogger("kiosk.test")
    try:
        raise ValueError(f"bad answer {SECRET}\n{FORGED}\x1b]0;title\x07")
    except ValueError:
        log.exception("checkout failed")
    text = logfile.read_text(encoding="utf-8")
    assert records(logfile) == [line for line in text.splitlines() if "checkout failed" in line]
    assert "  Traceback (most recent call last):" in text  # our own traceback, still readable
    assert f"  {FORGED}" in text  # the forged line is there, but indented: not a record
    assert SECRET not in text and "bad answer ***" in text
    assert "\x1b" not in text and "\x07" not in text


def test_args_extra_fields_and_the_stack_are_scrubbed(logfile: Path) -> None:
    log = logging.getLogger("kiosk.test")
    log.info(
        "token %s",
        f"Bearer {SECRET}",
        extra={"answer": f"type={SECRET}\nx", "raw": {"detail": SECRET}, "count": 3},
        stack_info=True,
    )
    record = logging.LogRecord("kiosk.x", logging.INFO, __file__, 1, "m", None, None)
    record.answer = f"{SECRET}\n"
    record.raw = {"detail": SECRET}
    record.count = 3
    ScrubFilter().filter(record)
    assert record.answer == "***\\n" and record.raw == "{'detail': '***'}" and record.count == 3
    text = logfile.read_text(encoding="utf-8")
    assert SECRET not in text and "token Bearer ***" in text
    assert "  Stack (most recent call last):" in text


def test_the_filter_runs_once_whatever_the_number_of_handlers() -> None:
    record = logging.LogRecord("kiosk.x", logging.INFO, __file__, 1, "a %s", ("b\nc",), None)
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        record.exc_info = sys.exc_info()
    first, second = ScrubFilter(), ScrubFilter()
    assert first.filter(record) and second.filter(record)
    assert record.getMessage() == "a b\\nc"
    assert record.exc_text is not None and record.exc_text.startswith("  Traceback")
    assert not record.exc_text.startswith("    Traceback")  # not indented twice


def test_a_bad_format_string_does_not_raise_in_the_filter() -> None:
    record = logging.LogRecord("kiosk.x", logging.INFO, __file__, 1, "%d items", ("many",), None)
    assert ScrubFilter().filter(record)
    assert "%d items" in record.getMessage() and "many" in record.getMessage()


def test_one_line_and_outside_text() -> None:
    assert one_line("a\r\nb\tc\x00\u2028\u2066") == "a\\r\\nb\\tc\\x00\\u2028\\u2066"
    assert one_line("ไทย ok") == "ไทย ok"  # Thai stays as it is
    register_secret(SECRET)
    assert outside_text(f"declined {SECRET}\n\x1b[31m") == "declined *** [31m"
