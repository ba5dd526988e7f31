"""Plan store: the cost of an autosave of a 0.6 MB plan, beside whole-snapshot versions.

The plan is the sample's sections repeated into 140 top-level sections (about 0.6 MB of
JSON). Each save changes one section title, as an autosave after one edit does. Timed in
the same run:

- `PlanStore.save` (newest two versions whole, older ones as reverse deltas) vs a naive
  store that inserts the whole JSON as a new row per save (what the store did before);
- bytes the database file grows per save, both ways (in the notes);
- `PlanStore.open` of the newest version after 200 saves vs reading and parsing the newest
  whole row of the naive store.
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

from bench.common import Row, measure, stats
from bench.export import big_plan
from planner.model import Plan, plan_from_dict, plan_to_dict
from planner.store.delta import KEYFRAME_EVERY
from planner.store.plans import PlanStore

SECTIONS = 140
SAVES = 200
T0 = datetime(2024, 9, 1, 8, 0, 0)


def edited(plan: Plan, i: int) -> Plan:
    """`plan` with the title of section `i` (mod the count) changed."""
    k = i % len(plan.sections)
    section = replace(plan.sections[k], title=f"{plan.sections[k].title} (sửa {i})")
    return replace(plan, sections=(*plan.sections[:k], section, *plan.sections[k + 1 :]))


def file_bytes(path: Path) -> int:
    sides = [path, path.with_name(path.name + "-wal")]
    return sum(p.stat().st_size for p in sides if p.exists())


class NaiveStore:
    """Every save a new row holding the whole plan (the store before deltas)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        con = self._connect()
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("CREATE TABLE v (version INTEGER PRIMARY KEY, data TEXT NOT NULL)")
        con.close()

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, isolation_level=None)

    def save(self, plan: Plan) -> None:
        con = self._connect()
        try:
            con.execute("BEGIN IMMEDIATE")
            con.execute(
                "INSERT INTO v (data) VALUES (?)",
                (json.dumps(plan_to_dict(plan), ensure_ascii=False),),
            )
            con.execute("COMMIT")
        finally:
            con.close()

    def open(self) -> Plan:
        con = self._connect()
        try:
            (data,) = con.execute("SELECT data FROM v ORDER BY version DESC LIMIT 1").fetchone()
        finally:
            con.close()
        return plan_from_dict(json.loads(data))


def run() -> list[Row]:
    import time

    plan = big_plan(SECTIONS)
    size = len(json.dumps(plan_to_dict(plan), ensure_ascii=False).encode("utf-8"))
    with tempfile.TemporaryDirectory() as tmp:
        ours_db = Path(tmp) / "ours.db"
        naive_db = Path(tmp) / "naive.db"
        store = PlanStore(ours_db)
        naive = NaiveStore(naive_db)
        pid = store.create(plan, now=T0)
        naive.save(plan)
        head = 1
        ours_ms: list[float] = []
        naive_ms: list[float] = []
        ours_start, naive_start = file_bytes(ours_db), file_bytes(naive_db)
        for i in range(SAVES):
            plan = edited(plan, i)
            t0 = time.perf_counter()
            head = store.save(pid, plan, base_version=head, now=T0 + timedelta(seconds=i))
            ours_ms.append((time.perf_counter() - t0) * 1000)
            t0 = time.perf_counter()
            naive.save(plan)
            naive_ms.append((time.perf_counter() - t0) * 1000)
            if i == SAVES // 2 - 1:
                ours_half, naive_half = file_bytes(ours_db), file_bytes(naive_db)
        ours_growth = (file_bytes(ours_db) - ours_start) / SAVES
        naive_growth = (file_bytes(naive_db) - naive_start) / SAVES
        # Once the newest two whole versions exist, a save adds only its delta.
        ours_steady = (file_bytes(ours_db) - ours_half) / (SAVES - SAVES // 2)
        naive_steady = (file_bytes(naive_db) - naive_half) / (SAVES - SAVES // 2)
        assert store.open(pid).plan == naive.open() == plan
        assert store.open_version(pid, 2) == edited(big_plan(SECTIONS), 0)
        read = measure(lambda: store.open(pid), repeat=7, warmup=1)
        naive_read = measure(naive.open, repeat=7, warmup=1)
        oldest = measure(lambda: store.open_version(pid, 2), repeat=3, warmup=0)
    ours, base = stats(ours_ms), stats(naive_ms)
    kb = size / 1024
    return [
        Row(
            name=f"autosave of a {kb:.0f} KB plan, one title edited ({SAVES} saves)",
            ours=ours,
            baseline_name="naive: a whole-JSON row per save",
            baseline=base,
            target="file grows ≤ 1% of the plan per save (last half); p95 ≤ 500 ms",
            met=ours_steady <= size / 100 and ours.p95_ms <= 500,
            note=(
                f"database file growth per save over the last {SAVES - SAVES // 2} saves: "
                f"ours {ours_steady / 1024:.2f} KB, naive {naive_steady / 1024:.1f} KB; over "
                f"all {SAVES}: ours {ours_growth / 1024:.1f} KB (the second whole version and "
                f"a keyframe included), naive {naive_growth / 1024:.1f} KB (plan {kb:.0f} KB "
                "of JSON). Ours also rewrites the version before the previous one as a delta "
                "and checks it by replaying it"
            ),
        ),
        Row(
            name=f"open the newest version after {SAVES} saves",
            ours=read,
            baseline_name="naive: read and parse the newest whole row",
            baseline=naive_read,
            target="≤ 2× the naive read",
            met=read.median_ms <= 2 * naive_read.median_ms,
            note=(
                f"version 2 (replays {KEYFRAME_EVERY - 2} deltas from the whole version "
                f"{KEYFRAME_EVERY}): median {oldest.median_ms:.0f} ms"
            ),
        ),
    ]


if __name__ == "__main__":
    for row in run():
        print(row.name)
        print("  ours    ", row.ours.text())
        if row.baseline:
            print("  baseline", row.baseline.text(), f"({row.baseline_name})")
        print("  target  ", row.target, "met" if row.met else "NOT met")
        print("  note    ", row.note)
