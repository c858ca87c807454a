"""A full disk, for real: no file in a folder may grow (RLIMIT_FSIZE, Linux)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def full(data: Path) -> Iterator[None]:
    """No file in ``data`` may grow until the block ends (a real EFBIG on every write).

    RLIMIT_FSIZE on this process at the size of the biggest file there (the
    journal's WAL, which every commit appends to); SIGXFSZ ignored, as the
    kiosk does, so a write fails instead of killing the process.
    """
    import resource
    import signal

    biggest = max(p.stat().st_size for p in data.rglob("*") if p.is_file())
    before = resource.getrlimit(resource.RLIMIT_FSIZE)
    handler = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (biggest, before[1]))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, before)
        signal.signal(signal.SIGXFSZ, handler)
