"""Start-up time of the kiosk window: a packaged bundle next to the source tree.

    python3 packaging/coldstart.py --bundle DIR/qr-kiosk/kiosk --source .venv/bin/python main.py
        [--runs 5] [--drop-caches] [--json OUT]

Each run is a new process with a fresh data folder and
``kiosk --exit-when-ready`` on the offscreen platform: the time from spawn to
the first line it prints (``interactive_s=``: the window is shown and the loop
runs) and to the last (``charge_ready_s=``: journal, gateway and sandbox are up,
Charge works). Medians of ``--runs``. ``--drop-caches`` empties the kernel's
page cache before every run (root only; slows the whole machine for a moment),
so the numbers include reading every file from disk: a true cold start.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def drop_caches() -> bool:
    try:
        os.sync()
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
    except OSError:
        return False
    return True


def one_run(command: list[str], *, cold: bool) -> tuple[float, float]:
    with tempfile.TemporaryDirectory(prefix="kiosk-coldstart-") as tmp:
        env = {
            "PATH": "/usr/bin:/bin",
            "HOME": tmp,
            "TMPDIR": tmp,
            "KIOSK_DATA_DIR": str(Path(tmp) / "data"),
            "QT_QPA_PLATFORM": "offscreen",
            "LANG": "C.UTF-8",
        }
        if cold and not drop_caches():
            raise SystemExit("--drop-caches needs root (write access to /proc/sys/vm/drop_caches)")
        started = time.perf_counter()
        proc = subprocess.Popen(
            [*command, "--exit-when-ready"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env=env,
            cwd=tmp,
        )
        assert proc.stdout is not None
        first = proc.stdout.readline()
        interactive = time.perf_counter() - started
        rest = proc.stdout.read()
        charge_ready = time.perf_counter() - started
        code = proc.wait(timeout=60)
        if code != 0 or not first.startswith("interactive_s=") or "charge_ready_s=" not in rest:
            raise SystemExit(f"{command}: exit {code}, printed {first!r} {rest!r}")
        return interactive, charge_ready


def measure(command: list[str], runs: int, *, cold: bool) -> dict[str, object]:
    one_run(command, cold=False)  # the first start after a copy pays one-off costs; not counted
    results = [one_run(command, cold=cold) for _ in range(runs)]
    interactive = [r[0] for r in results]
    ready = [r[1] for r in results]
    return {
        "command": command,
        "runs": runs,
        "cold_page_cache": cold,
        "interactive_s_median": round(statistics.median(interactive), 3),
        "charge_ready_s_median": round(statistics.median(ready), 3),
        "interactive_s_all": [round(v, 3) for v in interactive],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bundle", nargs="+", help="the bundle's kiosk executable")
    parser.add_argument("--source", nargs="+", help="python main.py of a checkout")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--drop-caches", action="store_true")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    report: dict[str, object] = {}
    for name, command in (("bundle", args.bundle), ("source", args.source)):
        if command:
            report[name] = figures = measure(command, args.runs, cold=args.drop_caches)
            print(
                f"cold start {name}: window {figures['interactive_s_median']} s, "
                f"Charge ready {figures['charge_ready_s_median']} s "
                f"(median of {args.runs}{', page cache dropped' if args.drop_caches else ''})",
                flush=True,
            )
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
