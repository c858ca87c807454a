"""One kiosk per data folder: the lock refuses a second holder and dies with its process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.domain.errors import AlreadyRunning, StoreError
from kiosk.store.lock import LOCK_NAME, DataDirLock
from tests.conftest import ROOT

HOLDER = """
import sys
from pathlib import Path
from kiosk.store.lock import DataDirLock
lock = DataDirLock.acquire(Path(sys.argv[1]))
print("locked", flush=True)
sys.stdin.read()  # hold the lock until killed or stdin closes
"""


def test_second_holder_is_refused_until_the_first_releases(tmp_path: Path) -> None:
    first = DataDirLock.acquire(tmp_path)
    with pytest.raises(AlreadyRunning) as caught:
        DataDirLock.acquire(tmp_path)
    assert f"process {os.getpid()}" in caught.value.detail
    assert "already running" in caught.value.text.en
    assert isinstance(caught.value, StoreError)
    first.release()
    first.release()  # twice is fine
    with DataDirLock.acquire(tmp_path) as again:
        assert again.held
    assert not again.held
    assert (tmp_path / LOCK_NAME).exists()  # the file stays; only the lock goes


def test_a_sigkilled_holder_leaves_no_stale_lock(tmp_path: Path) -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(tmp_path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "locked"
        with pytest.raises(AlreadyRunning) as caught:
            DataDirLock.acquire(tmp_path)
        assert str(child.pid) in caught.value.detail
        child.send_signal(signal.SIGKILL)
        assert child.wait(timeout=10) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    with DataDirLock.acquire(tmp_path) as lock:
        assert lock.held
        assert (tmp_path / LOCK_NAME).read_text().strip() == str(os.getpid())


def test_unusable_folder_is_a_store_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    with pytest.raises(StoreError):
        DataDirLock.acquire(blocker)
