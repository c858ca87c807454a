"""One running kiosk per data folder.

Two kiosk processes on one journal would both poll, both cancel and both
print receipts. The guard is an OS lock on ``<data>/kiosk.lock`` (``flock``
on POSIX, ``msvcrt.locking`` on Windows): the kernel drops it when the
holder dies, however it dies, so a crash or SIGKILL never leaves a stale
lock behind. The file itself stays (deleting it would let a third process
lock a fresh inode while the second still holds the old one); it holds the
holder's pid for the error message only.
"""

from __future__ import annotations

import errno
import logging
import os
import sys
from pathlib import Path
from types import TracebackType

from kiosk.domain.errors import AlreadyRunning, StoreError

log = logging.getLogger("kiosk.store.lock")

LOCK_NAME = "kiosk.lock"


class DataDirLock:
    """Held from ``acquire`` until ``release`` (or process exit)."""

    def __init__(self, path: Path, fd: int) -> None:
        self.path = path
        self._fd: int | None = fd

    @classmethod
    def acquire(cls, directory: Path) -> DataDirLock:
        """Take the folder's lock now or raise AlreadyRunning; never waits."""
        path = directory / LOCK_NAME
        try:
            directory.mkdir(parents=True, exist_ok=True)
            # os.open descriptors are not inherited by child processes, so a
            # helper the kiosk starts cannot keep the lock alive after it.
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise StoreError(f"cannot open the lock file {path}: {exc}") from exc
        try:
            _lock(fd)
        except OSError as exc:
            holder = _read_pid(fd)
            os.close(fd)
            if exc.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                who = f"process {holder}" if holder else "another process"
                raise AlreadyRunning(f"{path} is held by {who}") from None
            raise StoreError(f"cannot lock {path}: {exc}") from exc
        _write_pid(fd)
        log.info("data folder locked: %s", path)
        return cls(path, fd)

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        try:
            _unlock(fd)
        finally:
            os.close(fd)

    def __enter__(self) -> DataDirLock:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()


if sys.platform == "win32":  # pragma: no cover - exercised on Windows builds only
    import msvcrt

    def _lock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

    def _write_pid(fd: int) -> None:
        # Byte 0 is the locked range; the pid goes after it.
        os.lseek(fd, 1, os.SEEK_SET)
        os.write(fd, f"{os.getpid()}\n".encode())

    def _read_pid(fd: int) -> str:
        try:
            os.lseek(fd, 1, os.SEEK_SET)
            return os.read(fd, 32).decode(errors="replace").strip()
        except OSError:
            return ""

else:
    import fcntl

    def _lock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)

    def _write_pid(fd: int) -> None:
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)

    def _read_pid(fd: int) -> str:
        try:
            return os.pread(fd, 32, 0).decode(errors="replace").strip()
        except OSError:
            return ""


__all__ = ["LOCK_NAME", "DataDirLock"]
