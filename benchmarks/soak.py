"""Soak: many sandbox checkouts in one kiosk process; does memory or the journal run away?

The sandbox gateway runs as its own process (``kiosk sandbox --port 0``,
customer pays at once) so only the kiosk's memory is measured. This process
builds the real services (lock, journal health check, backup, villa adapter
on httpx, journal, receipts) plus the recovery and connectivity services the
window runs, takes ``--warmup`` checkouts, measures RSS, takes
``--checkouts`` more, and reports RSS growth (goal: at most ``--max-growth-mb``)
and the size of the journal. Exit 1 when the goal is missed.

    python benchmarks/soak.py --checkouts 1000
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kiosk.app.compose import Services, build_services  # noqa: E402
from kiosk.domain.money import Money  # noqa: E402
from kiosk.domain.order import Method, OrderState  # noqa: E402
from kiosk.infra.config import Settings  # noqa: E402
from kiosk.services.connectivity import ConnectivityMonitor  # noqa: E402
from kiosk.services.recovery import RecoveryService  # noqa: E402


def rss_bytes() -> int:
    """Resident set size now (Linux /proc), not the peak."""
    with open("/proc/self/statm", encoding="ascii") as statm:
        resident_pages = int(statm.read().split()[1])
    return resident_pages * os.sysconf("SC_PAGE_SIZE")


@contextmanager
def sandbox_process() -> Iterator[str]:
    with tempfile.TemporaryDirectory() as tmp:
        env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
        env["KIOSK_DATA_DIR"] = tmp
        proc = subprocess.Popen(
            [sys.executable, str(ROOT / "main.py"), "sandbox", "--port", "0", "--pay-after", "0"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            cwd=ROOT,
            env=env,
        )
        try:
            assert proc.stdout is not None
            url = proc.stdout.readline().strip()
            if not url.startswith("http://"):
                raise RuntimeError(f"the sandbox did not start: {url!r}")
            yield url
        finally:
            proc.terminate()
            proc.wait(timeout=10)


def size(path: Path) -> int:
    if path.is_file():
        return path.stat().st_size
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


async def settle(services: Services) -> None:
    """Let receipts still being rendered finish before measuring.

    Receipts render in their own process, slower than this loop sells
    (~15 ms a sale here; a counter sells every half minute), so a queue of
    receipts would otherwise count as growth.
    """
    if services.receipts is not None:
        await services.receipts.drain()


async def soak(base_url: str, data: Path, warmup: int, checkouts: int) -> dict[str, float]:
    settings = Settings()
    settings = replace(
        settings,
        gateway=replace(settings.gateway, base_url=base_url),
        poll=replace(settings.poll, fast_s=0.05, slow_s=0.1),
    )
    services = build_services(settings, directory=data)
    service = services.checkout
    recovery = RecoveryService(service=service, journal=services.journal)
    monitor = ConnectivityMonitor(service=service, clock=service.clock, recovery=recovery)
    await monitor.startup()
    samples: list[tuple[int, int]] = []
    started = 0.0
    base = 0
    try:
        for n in range(warmup + checkouts):
            if n == warmup:
                await settle(services)
                gc.collect()
                base = rss_bytes()
                samples.append((0, base))
                started = time.perf_counter()
            order = await monitor.start_sale(Money(100 + n % 50_000), Method.QR)
            final = await service.follow(order)
            if final.state is not OrderState.PAID:
                raise RuntimeError(f"checkout {n} ended {final.state}")
            if n >= warmup and (n - warmup + 1) % 100 == 0:
                await settle(services)
                gc.collect()
                samples.append((n - warmup + 1, rss_bytes()))
        elapsed = time.perf_counter() - started
    finally:
        await monitor.aclose()
        await recovery.aclose()
        await services.aclose()
    journal = data / "journal.sqlite3"
    wal = data / "journal.sqlite3-wal"
    print("checkouts  RSS MB  (after warm-up)")
    for done, rss in samples:
        print(f"{done:9d}  {rss / 2**20:6.1f}  {(rss - base) / 2**20:+6.2f}")
    return {
        "checkouts": checkouts,
        "seconds": elapsed,
        "rss_start_mb": base / 2**20,
        "rss_end_mb": samples[-1][1] / 2**20,
        "rss_growth_mb": (samples[-1][1] - base) / 2**20,
        "rss_peak_growth_mb": (max(r for _, r in samples) - base) / 2**20,
        "journal_kb": size(journal) / 1024,
        "wal_kb": size(wal) / 1024 if wal.exists() else 0.0,
        "journal_rows": float(warmup + checkouts),
        "receipts_kb": size(data / "receipts") / 1024,
        "logs_kb": size(data / "logs") / 1024 if (data / "logs").exists() else 0.0,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Soak the kiosk with sandbox checkouts.")
    parser.add_argument("--checkouts", type=int, default=1000)
    parser.add_argument("--warmup", type=int, default=100)
    parser.add_argument("--max-growth-mb", type=float, default=10.0)
    args = parser.parse_args(argv)
    with sandbox_process() as url, tempfile.TemporaryDirectory() as tmp:
        result = asyncio.run(soak(url, Path(tmp) / "data", args.warmup, args.checkouts))
    per = result["seconds"] / args.checkouts * 1000
    print(
        f"soak: {args.checkouts} checkouts after {args.warmup} warm-up in"
        f" {result['seconds']:.1f} s ({per:.1f} ms each)\n"
        f"  RSS {result['rss_start_mb']:.1f} MB -> {result['rss_end_mb']:.1f} MB:"
        f" growth {result['rss_growth_mb']:+.2f} MB (peak {result['rss_peak_growth_mb']:+.2f} MB;"
        f" goal <= {args.max_growth_mb:g} MB)\n"
        f"  journal {result['journal_kb']:.0f} KB + WAL {result['wal_kb']:.0f} KB for"
        f" {result['journal_rows']:.0f} orders"
        f" ({(result['journal_kb'] + result['wal_kb']) / result['journal_rows']:.2f} KB/order);"
        f" receipts {result['receipts_kb']:.0f} KB"
    )
    return 0 if result["rss_growth_mb"] <= args.max_growth_mb else 1


if __name__ == "__main__":
    sys.exit(main())
