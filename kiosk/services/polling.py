"""When to ask the gateway again: fast at first, slower later, backoff on errors."""

from __future__ import annotations

import random
from dataclasses import dataclass

from kiosk.infra.config import PollSettings


@dataclass(frozen=True)
class PollPolicy:
    fast_s: float = 1.0
    slow_s: float = 3.0
    fast_for_s: float = 30.0
    base_backoff_s: float = 1.0
    max_backoff_s: float = 15.0

    @classmethod
    def from_settings(cls, poll: PollSettings) -> PollPolicy:
        return cls(
            fast_s=poll.fast_s,
            slow_s=poll.slow_s,
            fast_for_s=poll.fast_for_s,
            base_backoff_s=min(1.0, poll.max_backoff_s),
            max_backoff_s=poll.max_backoff_s,
        )

    def interval(self, elapsed_s: float) -> float:
        """The pause before the next check of a healthy poll."""
        return self.fast_s if elapsed_s < self.fast_for_s else self.slow_s

    def backoff(self, failures: int, rng: random.Random, retry_after: float | None = None) -> float:
        """Capped exponential backoff with jitter (half to full of the step).

        A server's Retry-After is honoured, still within the cap.
        """
        step = min(self.max_backoff_s, self.base_backoff_s * 2 ** max(0, failures - 1))
        delay = rng.uniform(step / 2, step)
        if retry_after is not None:
            delay = max(delay, min(retry_after, self.max_backoff_s))
        return delay
