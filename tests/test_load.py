"""Load: many sessions saving at once on one store, as Streamlit sessions do (every test runs
on a SQLite file and on a PostgreSQL database: `db_target`).

Each worker is a session: its own PlanStore on the shared file, open → edit → save, in a loop.
20 workers on 20 different plans must all succeed; 5 workers on one plan must lose nothing:
every save is a version (the accepted ones and the ones reported as ConflictError), and the
counts add up. Threads share one process (Streamlit's model); processes stress the write lock
(SQLite's file locking, PostgreSQL's advisory lock) the way two servers on one store would.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

import pytest

from planner.errors import ConflictError
from planner.model import Plan
from planner.sample import sample_plan
from planner.store.plans import PlanStore
from tests.conftest import ROOT

ROUNDS = 8
NOW = datetime(2021, 3, 15, 9, 0)
pytestmark = pytest.mark.timeout(240)


@dataclass
class Outcome:
    worker: int
    saved: list[int] = field(default_factory=list)  # versions accepted
    conflicts: list[tuple[int, int]] = field(default_factory=list)  # (round, mine_version)
    errors: list[str] = field(default_factory=list)


def edited(plan: Plan, worker: int, round_: int) -> Plan:
    return replace(plan, preamble=(f"Phiên {worker}, lần sửa {round_}.", *plan.preamble[1:]))


def session(db: str, plan_id: str, worker: int, rounds: int, start_at: float) -> Outcome:
    """One session's work; every exception is recorded, never raised (so none is hidden)."""
    out = Outcome(worker)
    rng = random.Random(worker)
    while time.time() < start_at:  # start together
        time.sleep(0.001)
    try:
        store = PlanStore(db)
    except Exception as e:
        out.errors.append(f"open store: {type(e).__name__}: {e}")
        return out
    for k in range(rounds):
        try:
            stored = store.open(plan_id)
            time.sleep(rng.uniform(0, 0.004))  # the user types
            new = store.save(
                plan_id, edited(stored.plan, worker, k), base_version=stored.version, now=NOW
            )
            out.saved.append(new)
        except ConflictError as e:
            out.conflicts.append((k, e.mine_version))
        except Exception as e:
            out.errors.append(f"round {k}: {type(e).__name__}: {e}")
    return out


def run_sessions(mode: str, db: str | Path, plan_ids: list[str], rounds: int) -> list[Outcome]:
    start_at = time.time() + 0.2  # threads start together; processes wait at a barrier
    args = [(str(db), pid, w, rounds, start_at) for w, pid in enumerate(plan_ids)]
    if mode == "threads":
        with ThreadPoolExecutor(max_workers=len(args)) as pool:
            return list(pool.map(lambda a: session(*a), args))
    # Plain child processes (not multiprocessing: after an AppTest has run in this process,
    # `__main__` is a Streamlit script that a spawned child would try to re-run).
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _CHILD, *(str(x) for x in a[:4])],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for a in args
    ]
    # A barrier: every child has imported everything and opened its store before any starts,
    # so they really run at once even on a slow, busy machine.
    for proc in procs:
        assert proc.stdout is not None
        if proc.stdout.readline().strip() != "READY":
            proc.kill()
            raise AssertionError(f"a session process failed to start: {proc.communicate()[1]}")
    go = time.time() + 0.2
    outcomes = []
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write(f"{go}\n")
        proc.stdin.flush()
    for w, proc in enumerate(procs):
        out, err = proc.communicate(timeout=180)
        if proc.returncode != 0:
            outcomes.append(Outcome(w, errors=[f"child exited {proc.returncode}: {err[-500:]}"]))
            continue
        data = json.loads(out)
        outcomes.append(
            Outcome(
                data["worker"],
                data["saved"],
                [tuple(c) for c in data["conflicts"]],
                data["errors"],
            )
        )
    return outcomes


_CHILD = """
import json, sys
from dataclasses import asdict
from planner.store.plans import PlanStore
from tests.test_load import session
db, plan_id, worker, rounds = sys.argv[1:]
PlanStore(db)
print("READY", flush=True)
start_at = float(sys.stdin.readline())
out = session(db, plan_id, int(worker), int(rounds), start_at)
print(json.dumps(asdict(out)))
"""


def all_errors(outcomes: list[Outcome]) -> list[str]:
    return [f"worker {o.worker}: {e}" for o in outcomes for e in o.errors]


@pytest.mark.parametrize("mode", ["threads", "processes"])
def test_twenty_sessions_on_twenty_plans_all_save(db_target: str | Path, mode: str) -> None:
    db = db_target
    store = PlanStore(db)
    plan_ids = [store.create(sample_plan(), now=NOW) for _ in range(20)]
    t0 = time.monotonic()
    outcomes = run_sessions(mode, db, plan_ids, ROUNDS)
    elapsed = time.monotonic() - t0
    assert all_errors(outcomes) == []  # no "database is locked", nothing else either
    assert all(not o.conflicts for o in outcomes)  # nobody else touched these plans
    for o, pid in zip(outcomes, plan_ids, strict=True):
        assert o.saved == list(range(2, ROUNDS + 2))
        assert len(store.versions(pid)) == ROUNDS + 1
        head = store.open(pid)
        assert head.version == ROUNDS + 1
        assert head.plan.preamble[0] == f"Phiên {o.worker}, lần sửa {ROUNDS - 1}."
    assert elapsed < 150, f"20 sessions × {ROUNDS} saves took {elapsed:.0f} s"


@pytest.mark.parametrize("mode", ["threads", "processes"])
def test_five_sessions_on_one_plan_lose_nothing(db_target: str | Path, mode: str) -> None:
    db = db_target
    store = PlanStore(db)
    plan_id = store.create(sample_plan(), now=NOW)
    outcomes = run_sessions(mode, db, [plan_id] * 5, ROUNDS)
    assert all_errors(outcomes) == []
    saved = sorted(v for o in outcomes for v in o.saved)
    conflicts = [(o.worker, k, v) for o in outcomes for k, v in o.conflicts]
    # Every attempt is either accepted or reported as a conflict, never silently dropped.
    assert len(saved) + len(conflicts) == 5 * ROUNDS
    assert saved, "at least one save must win"
    assert conflicts, "five sessions racing on one plan must meet at least one conflict"
    versions = store.versions(plan_id)
    assert len(versions) == 1 + 5 * ROUNDS
    assert sorted(v.version for v in versions) == list(range(1, 2 + 5 * ROUNDS))
    by_version = {v.version: v for v in versions}
    assert all(not by_version[v].conflict for v in saved)
    assert {v for _, _, v in conflicts} == {v.version for v in versions if v.conflict}
    # Each rejected save is kept as a version holding exactly what that session typed.
    for worker, k, v in conflicts:
        assert store.open_version(plan_id, v).preamble[0] == f"Phiên {worker}, lần sửa {k}."
    # The head is the newest accepted save.
    assert store.open(plan_id).version == max(saved)


def test_concurrent_creates_get_distinct_ids(db_target: str | Path) -> None:
    db = db_target
    PlanStore(db)
    ids: list[str] = []
    lock = threading.Lock()
    errors: list[str] = []

    def create() -> None:
        try:
            plan_id = PlanStore(db).create(sample_plan(), now=NOW)
        except Exception as e:
            errors.append(f"{type(e).__name__}: {e}")
            return
        with lock:
            ids.append(plan_id)

    threads = [threading.Thread(target=create) for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert len(set(ids)) == 20
    assert len(PlanStore(db).list_plans()) == 20
