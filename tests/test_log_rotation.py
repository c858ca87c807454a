"""Logs in <data>/logs rotate: a bounded number of bounded files, secrets scrubbed in all."""

from __future__ import annotations

import logging
import logging.handlers
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.infra.logs import register_secret, setup_logging


@pytest.fixture
def kiosk_logger() -> Iterator[logging.Logger]:
    logger = logging.getLogger("kiosk")
    saved = (list(logger.handlers), logger.level, logger.propagate)
    yield logger
    for handler in list(logger.handlers):
        logger.removeHandler(handler)
        handler.close()
    for handler in saved[0]:
        logger.addHandler(handler)
    logger.setLevel(saved[1])
    logger.propagate = saved[2]


def test_the_log_file_rotates_and_keeps_five_old_files(
    tmp_path: Path, kiosk_logger: logging.Logger
) -> None:
    logs = tmp_path / "data" / "logs"
    setup_logging(logs)
    (handler,) = kiosk_logger.handlers
    assert isinstance(handler, logging.handlers.RotatingFileHandler)
    # What is configured: 2 MB per file, five old files kept (at most ~12 MB in all).
    assert (handler.maxBytes, handler.backupCount) == (2_000_000, 5)
    assert Path(handler.baseFilename) == logs / "kiosk.log"
    handler.maxBytes = 2_000  # the same rotation, on a smaller scale
    register_secret("s3cr3t-rotation-value")
    log = logging.getLogger("kiosk.test.rotation")
    for i in range(400):
        log.info("line %04d password=%s %s", i, "s3cr3t-rotation-value", "x" * 40)
    files = sorted(p.name for p in logs.iterdir())
    assert files == ["kiosk.log", *(f"kiosk.log.{n}" for n in range(1, 6))]
    for path in logs.iterdir():
        assert path.stat().st_size <= 2_000 + 200  # one record may cross the limit
        text = path.read_text(encoding="utf-8")
        assert "s3cr3t-rotation-value" not in text and "password=***" in text
    newest = (logs / "kiosk.log").read_text(encoding="utf-8")
    assert "line 0399" in newest
    oldest = (logs / "kiosk.log.5").read_text(encoding="utf-8")
    assert "line 0000" not in oldest  # the oldest lines were dropped, not kept forever
