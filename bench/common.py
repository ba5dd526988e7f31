"""Shared timing helpers for the benchmark modules.

Each area has a module `bench/<area>.py` with `run() -> list[Row]`; `python -m bench` runs
them all and writes docs/performance.md. Every figure stands beside a naive baseline timed
in the same run, so the comparison holds whatever the machine.
"""

from __future__ import annotations

import os
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Stats:
    n: int
    median_ms: float
    p95_ms: float
    max_ms: float
    unit: str = "ms"  # "MB": the figures are megabytes (a memory row), not milliseconds

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


@contextmanager
def app_environment(today: str) -> Iterator[Path]:
    """For AppTest runs of app.py: a throwaway database (its path is yielded), a fixed today
    and no first-run sample; the caller's environment is put back afterwards."""
    names = ("PLANNER_DB", "PLANNER_TODAY", "PLANNER_NO_SAMPLE")
    saved = {k: os.environ.get(k) for k in names}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            db = Path(tmp) / "bench.db"
            os.environ.update(PLANNER_DB=str(db), PLANNER_TODAY=today, PLANNER_NO_SAMPLE="1")
            yield db
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
