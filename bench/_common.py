"""What the benchmark scripts share."""

from __future__ import annotations

import time


def best_of(fn, runs: int) -> tuple[float, object]:
    """The best wall time of ``runs`` calls of ``fn``, and the last result."""
    best, out = float("inf"), None
    for _ in range(runs):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out
