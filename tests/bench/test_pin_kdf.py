"""How long one manager-PIN hash takes at the production cost (make bench).

Target: 100-300 ms on the 2-core kiosk class of machine, so a guess costs
something but the manager does not wait. Prints the median of a few runs.
"""

from __future__ import annotations

import statistics
import time

from kiosk.services.pin import DEFAULT_COST, hash_pin, verify_pin


def test_pin_kdf_time() -> None:
    encoded = hash_pin("482913")
    runs = []
    for _ in range(5):
        started = time.perf_counter()
        assert verify_pin("482913", encoded)
        runs.append((time.perf_counter() - started) * 1000)
    median = statistics.median(runs)
    print(
        f"\nscrypt ln={DEFAULT_COST.log_n} r={DEFAULT_COST.r} p={DEFAULT_COST.p}: "
        f"median {median:.0f} ms (min {min(runs):.0f}, max {max(runs):.0f}) per PIN check"
    )
    assert 50 <= median <= 1500
