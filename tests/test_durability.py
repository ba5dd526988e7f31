"""No data loss when the process dies: a save that returned is on disk, whatever happens next.

A child process saves edits through PlanStore exactly as a Streamlit session does, reports
each save, and is killed with SIGKILL (no cleanup, no checkpoint) right after the last one,
sometimes in the middle of the next save. The database reopened afterwards holds every
reported save, and is not corrupt. (The browser version of this, with the real server, is
tests/e2e/test_durability.py.)
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest

from planner.sample import sample_plan
from planner.store.plans import PlanStore
from tests.conftest import ROOT

pytestmark = pytest.mark.timeout(180)

CHILD = r"""
import sys
from dataclasses import replace
from datetime import datetime
from planner.store.plans import PlanStore

db, plan_id, rounds = sys.argv[1], sys.argv[2], int(sys.argv[3])
store = PlanStore(db)
for k in range(rounds):
    stored = store.open(plan_id)
    plan = replace(stored.plan, preamble=(f"Sửa lần {k}.",))
    version = store.save(plan_id, plan, base_version=stored.version, now=datetime(2021, 3, 15))
    print(f"SAVED {k} {version}", flush=True)
# Keep saving until killed: the kill lands in the middle of a write.
k = rounds
while True:
    stored = store.open(plan_id)
    store.save(plan_id, replace(stored.plan, preamble=(f"Sửa lần {k}.",)),
               base_version=stored.version, now=datetime(2021, 3, 15))
    k += 1
"""


@pytest.mark.parametrize("rounds", [1, 25])
def test_sigkill_right_after_a_save_keeps_it(db_target: str | Path, rounds: int) -> None:
    db = db_target
    plan_id = PlanStore(db).create(sample_plan(), now=datetime(2021, 3, 15))
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(db), plan_id, str(rounds)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        text=True,
    )
    reported: list[tuple[int, int]] = []
    assert proc.stdout is not None
    deadline = time.monotonic() + 60
    while len(reported) < rounds and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        _, k, version = line.split()
        reported.append((int(k), int(version)))
    time.sleep(0.01)  # let it get into the next save
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=10)
    assert len(reported) == rounds, f"the child saved only {len(reported)} times"

    if not isinstance(db, str):  # the SQLite file (PostgreSQL keeps its own files intact)
        with sqlite3.connect(db) as con:
            assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    store = PlanStore(db)
    assert store.health().healthy
    for k, version in reported:
        assert store.open_version(plan_id, version).preamble == (f"Sửa lần {k}.",)
    head = store.open(plan_id)
    assert head.version >= reported[-1][1]
    # Versions are contiguous: a save cut off by the kill left no half-written version.
    numbers = sorted(v.version for v in store.versions(plan_id))
    assert numbers == list(range(1, len(numbers) + 1))
    assert head.version == numbers[-1]
