"""Shared timing helpers for the benchmark modules.

Each area has a module `bench/<area>.py` with `run() -> list[Row]`; `python -m bench` runs
them all and writes docs/performance.md. Every figure stands beside a naive baseline timed
in the same run, so the comparison holds whatever the machine.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Stats:
    n: int
    median_ms: float
    p95_ms: float
    max_ms: float

    def text(self) -> str:
        return f"median {self.median_ms:.2f} ms · p95 {self.p95_ms:.2f} ms (n={self.n})"


@dataclass(frozen=True)
class Row:
    """One measured task: ours beside the naive baseline, against a target if one is set."""

    name: str
    ours: Stats
    baseline_name: str
    baseline: Stats | None
    target: str = ""
    met: bool | None = None
    note: str = ""


def measure(fn: Callable[[], object], *, repeat: int, warmup: int = 1) -> Stats:
    """Call `fn` `repeat` times (after `warmup` calls) and return its timing statistics."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t0) * 1000)
    return stats(times)


def stats(times_ms: list[float]) -> Stats:
    ordered = sorted(times_ms)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return Stats(len(ordered), statistics.median(ordered), p95, ordered[-1])
