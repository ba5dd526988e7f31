"""The store fails safe: damaged, truncated, read-only and unreachable files; backup/restore.

Every damaged file here is a real SQLite store damaged with bytes.
"""

from __future__ import annotations

import json
import os
import random
import sqlite3
import stat
import subprocess
import sys
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from planner.errors import InputFileError, PlannerError, StorageError
from planner.model import Plan
from planner.sample import sample_plan
from planner.store import health
from planner.store.backup import backup, check_store, restore
from planner.store.plans import PlanStore

T0 = datetime(2021, 3, 15, 8, 0, 0)
T1 = datetime(2021, 3, 15, 9, 0, 0)
ROOT = Path(__file__).resolve().parent.parent

# English words SQLite or Python would put in a message; none may reach a user.
ENGLISH = ("Error", "Traceback", "sqlite3", "database", "readonly", "malformed", "disk image")


def build_store(db: Path, count: int = 27) -> list[str]:
    """A store with `count` plans of two versions each, fully checkpointed into the file."""
    store = PlanStore(db)
    plan = sample_plan()
    ids = []
    for i in range(count):
        pid = store.create(replace(plan, preamble=(f"Kế hoạch {i}",)), now=T0, title=f"KH {i}")
        store.save(pid, replace(plan, preamble=(f"Kế hoạch {i} bản 2",)), base_version=1, now=T1)
        ids.append(pid)
    checkpoint(db)
    return ids


def checkpoint(db: Path) -> None:
    con = sqlite3.connect(db)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    health.forget(db)


def garbage_in_the_middle(db: Path, pages: int = 3) -> None:
    size = db.stat().st_size
    start = (size // 4096 // 2) * 4096
    rng = random.Random(15)
    with open(db, "r+b") as fh:
        fh.seek(start)
        fh.write(bytes(rng.randrange(256) for _ in range(pages * 4096)))


def truncate(db: Path, keep: float = 0.6) -> None:
    size = db.stat().st_size
    with open(db, "r+b") as fh:
        fh.truncate(int(size * keep) // 4096 * 4096)


def make_read_only(db: Path) -> None:
    db.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)


def bad_json_in_one_plan(db: Path, plan_id: str) -> None:
    con = sqlite3.connect(db)
    con.execute(
        "UPDATE plan_versions SET data = '{\"title\": ' WHERE plan_id = ? AND version = "
        "(SELECT head_version FROM plans WHERE id = ?)",
        (plan_id, plan_id),
    )
    con.commit()
    con.close()
    checkpoint(db)


def assert_vietnamese(text: str) -> None:
    for word in ENGLISH:
        assert word not in text, (word, text)


def readable_everything(store: PlanStore, ids: list[str]) -> dict[str, Plan]:
    """Every plan that opens, by id; the others must fail with a Vietnamese PlannerError."""
    opened = {}
    for pid in ids:
        try:
            opened[pid] = store.open(pid).plan
        except PlannerError as err:  # lost row (not found) or unreadable data
            assert_vietnamese(str(err))
    return opened


# ------------------------------------------------------------------ the check


def test_intact_store_is_ok_and_the_check_is_cached(tmp_path, monkeypatch):
    db = tmp_path / "planner.db"
    build_store(db, 3)
    store = PlanStore(db)
    first = store.health()
    assert first.status == "ok" and first.healthy and len(first.readable_plans) == 3
    calls = []
    real = health.inspect_file
    monkeypatch.setattr(health, "inspect_file", lambda p: calls.append(p) or real(p))
    for _ in range(5):
        store.health()
    assert calls == []  # same size and mtime: no new integrity check
    os.utime(db, ns=(1, 1))
    store.health()
    assert calls == [db]  # the file changed: checked again


def test_garbage_in_the_middle_hides_no_intact_plan(tmp_path, sample):
    db = tmp_path / "planner.db"
    ids = build_store(db)
    before = {pid: PlanStore(db).open(pid).plan for pid in ids}
    garbage_in_the_middle(db)
    damaged = db.read_bytes()
    store = PlanStore(db)
    h = store.health()
    assert h.status == "damaged" and not store.writable
    assert "hỏng" in h.problems[0]
    for problem in h.problems:
        assert_vietnamese(problem)
    opened = readable_everything(store, ids)
    # Three damaged pages lose at most a few plans; every plan that still opens is intact.
    assert len(opened) >= len(ids) - 3
    assert all(before[pid] == plan for pid, plan in opened.items())
    assert {p.id for p in h.readable_plans} == set(opened)
    assert len(store.list_plans()) >= len(opened)
    with pytest.raises(StorageError, match="db restore") as err:
        store.save(ids[0], sample, base_version=2, now=T1)
    assert_vietnamese(str(err.value))
    assert db.read_bytes() == damaged  # nothing was written to the damaged file


def test_truncated_file_is_named_and_its_first_plans_still_open(tmp_path):
    db = tmp_path / "planner.db"
    ids = build_store(db)
    truncate(db)
    store = PlanStore(db)
    h = store.health()
    assert h.status == "damaged"
    assert any("cắt cụt" in p for p in h.problems)
    opened = readable_everything(store, ids)
    assert 0 < len(opened) < len(ids)
    assert {p.id for p in h.readable_plans} == set(opened)


def test_header_overwritten_is_damaged_with_nothing_to_read(tmp_path):
    db = tmp_path / "planner.db"
    build_store(db, 2)
    with open(db, "r+b") as fh:
        fh.write(b"\0" * 100)
    store = PlanStore(db)
    h = store.health()
    assert h.status == "damaged" and h.plans == ()
    assert "phần đầu tệp" in h.problems[0]
    assert store.list_plans() == []


def test_read_only_file_reads_and_refuses_writes_before_trying(tmp_path, sample, monkeypatch):
    db = tmp_path / "planner.db"
    ids = build_store(db, 2)
    make_read_only(db)
    store = PlanStore(db)
    h = store.health()
    assert h.status == "read_only" and len(h.readable_plans) == 2
    assert "chỉ cho phép đọc" in h.problems[0]
    assert store.open(ids[0]).version == 2
    tried = []
    real_connect = sqlite3.connect
    monkeypatch.setattr(
        sqlite3, "connect", lambda *a, **k: tried.append(a) or real_connect(*a, **k)
    )
    for write in (
        lambda: store.save(ids[0], sample, base_version=2, now=T1),
        lambda: store.create(sample, now=T1),
        lambda: store.delete(ids[0], now=T1),
        lambda: store.rename(ids[0], "Mới", now=T1),
    ):
        with pytest.raises(StorageError, match="chỉ đọc") as err:
            write()
        assert_vietnamese(str(err.value))
    assert tried == []  # refused up front: not even a connection was opened
    assert PlanStore(db).open(ids[0]).version == 2


def test_read_only_folder_is_read_only(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    db = folder / "planner.db"
    build_store(db, 1)
    folder.chmod(0o555)
    try:
        store = PlanStore(db)
        assert store.health().status == "read_only"
        assert "không cho phép ghi" in store.health().problems[0]
        assert len(store.list_plans()) == 1
    finally:
        folder.chmod(0o755)


def test_sqlite_refusing_a_write_is_worded_and_remembered(tmp_path, sample):
    db = tmp_path / "planner.db"
    [pid] = build_store(db, 1)
    store = PlanStore(db)
    # SQLite itself refuses the write (as on a read-only mount): PRAGMA query_only.
    with pytest.raises(StorageError) as err, store.transaction() as con:
        con.execute("PRAGMA query_only=1")
        con.execute("UPDATE plans SET name='x' WHERE id=?", (pid,))
    assert "chỉ cho phép đọc" in str(err.value)
    assert_vietnamese(str(err.value))
    assert not store.writable  # the next writes are refused up front
    with pytest.raises(StorageError, match="chỉ đọc"):
        store.create(sample, now=T1)
    health._FORCED_READ_ONLY.discard(str(db))


def test_path_under_a_regular_file_is_unavailable_not_a_crash(tmp_path, sample):
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    store = PlanStore(blocker / "sub" / "planner.db")
    h = store.health()
    assert h.status == "unavailable" and h.plans == ()
    assert "tệp thường" in h.problems[0]
    assert store.list_plans() == []
    with pytest.raises(StorageError):
        store.create(sample, now=T0)


def test_one_plan_with_bad_json_never_hides_the_others(tmp_path, sample):
    db = tmp_path / "planner.db"
    ids = build_store(db, 5)
    bad_json_in_one_plan(db, ids[2])
    store = PlanStore(db)
    h = store.health()
    assert h.status == "ok" and not h.healthy  # the file is intact: still writable
    [bad] = h.unreadable_plans
    assert bad.id == ids[2] and "JSON" in bad.problem
    assert {p.id for p in h.readable_plans} == set(ids) - {ids[2]}
    with pytest.raises(StorageError, match="bị hỏng") as err:
        store.open(ids[2])
    assert_vietnamese(str(err.value))
    # The earlier version is intact: restoring it repairs the plan.
    store.restore_version(ids[2], 1, now=T1)
    assert store.open(ids[2]).plan.preamble == ("Kế hoạch 2",)
    assert store.health().healthy


# ------------------------------------------------------------------ backup and restore


def test_backup_restore_round_trip_keeps_the_old_file(tmp_path, sample):
    db = tmp_path / "planner.db"
    ids = build_store(db, 4)
    saved = tmp_path / "sao-luu.db"
    result = backup(db, saved)
    assert result.plans == 4 and not result.salvaged
    store = PlanStore(db)
    store.save(ids[0], replace(sample, preamble=("Sau sao lưu",)), base_version=2, now=T1)
    restored = restore(db, saved, now=T1)
    assert restored.kept == tmp_path / "planner.db.bak-20210315-090000"
    assert restored.plans == 4
    assert PlanStore(db).open(ids[0]).plan.preamble == ("Kế hoạch 0 bản 2",)
    # The kept copy holds the state before the restore, WAL content included.
    assert PlanStore(restored.kept).open(ids[0]).plan.preamble == ("Sau sao lưu",)


def test_backup_while_another_process_writes_is_consistent(tmp_path):
    db = tmp_path / "planner.db"
    build_store(db, 2)
    code = (
        "import sys; from datetime import datetime; from planner.store.plans import PlanStore;"
        "from planner.sample import sample_plan; s = PlanStore(sys.argv[1]);"
        "[s.create(sample_plan(), now=datetime(2021,1,1)) for _ in range(40)]"
    )
    writer = subprocess.Popen([sys.executable, "-c", code, str(db)], cwd=ROOT)
    outs = []
    for n in range(3):
        out = tmp_path / f"b{n}.db"
        backup(db, out)
        outs.append(out)
    writer.wait(timeout=120)
    for out in outs:
        h = check_store(out)
        assert h.healthy and 2 <= len(h.plans) <= 42


def test_restore_of_a_damaged_backup_is_refused_and_changes_nothing(tmp_path):
    db = tmp_path / "planner.db"
    build_store(db, 3)
    bad = tmp_path / "bad-backup.db"
    build_store(bad, 27)
    garbage_in_the_middle(bad)
    before = db.read_bytes()
    with pytest.raises(InputFileError, match="tệp sao lưu không dùng được") as err:
        restore(db, bad, now=T1)
    assert "giữ nguyên" in str(err.value)
    assert db.read_bytes() == before
    assert not list(tmp_path.glob("planner.db.bak-*"))


def test_restore_of_a_file_of_another_program_is_refused(tmp_path):
    db = tmp_path / "planner.db"
    build_store(db, 1)
    other = tmp_path / "other.db"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    before = db.read_bytes()
    with pytest.raises(InputFileError, match="không phải cơ sở dữ liệu của chương trình"):
        restore(db, other, now=T1)
    assert db.read_bytes() == before


def test_restore_over_a_damaged_store_and_backup_of_a_damaged_store(tmp_path):
    db = tmp_path / "planner.db"
    ids = build_store(db)
    good = tmp_path / "tot.db"
    backup(db, good)
    garbage_in_the_middle(db)
    rescued = tmp_path / "cuu.db"
    result = backup(db, rescued)
    assert result.salvaged and 0 < result.plans <= len(ids)
    assert check_store(rescued).status == "ok"  # the rescue copy is a sound file
    restored = restore(db, good, now=T1)
    assert restored.kept is not None and restored.kept.exists()
    store = PlanStore(db)
    assert store.health().healthy and store.writable
    assert len(store.list_plans()) == len(ids)


def test_backup_refuses_to_overwrite(tmp_path):
    db = tmp_path / "planner.db"
    build_store(db, 1)
    out = tmp_path / "x.db"
    out.write_text("giữ")
    with pytest.raises(InputFileError, match="đã có"):
        backup(db, out)
    assert out.read_text() == "giữ"


# ------------------------------------------------------------------ the CLI


def run_cli(*args: str, env_db: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("PLANNER_DB", None)
    if env_db is not None:
        env["PLANNER_DB"] = str(env_db)
    return subprocess.run(
        [sys.executable, "-m", "planner", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )


def test_cli_check_exit_codes_and_json(tmp_path):
    db = tmp_path / "planner.db"
    ids = build_store(db)
    ok = run_cli("db", "check", env_db=db)
    assert ok.returncode == 0, ok.stderr
    assert "không có lỗi" in ok.stdout and "Kế hoạch còn đọc được: 27" in ok.stdout
    garbage_in_the_middle(db)
    bad = run_cli("db", "check", "--json", "--db", str(db))
    assert bad.returncode == 1, bad.stderr
    payload = json.loads(bad.stdout)
    assert payload["status"] == "damaged" and not payload["ok"]
    readable = {p["id"] for p in payload["readable_plans"]}
    assert len(readable) >= len(ids) - 3 and readable <= set(ids)
    missing = run_cli("db", "check", "--db", str(tmp_path / "khong-co.db"))
    assert missing.returncode == 2 and "Không có cơ sở dữ liệu" in missing.stderr
    assert not (tmp_path / "khong-co.db").exists()  # a check never creates a store
    for out in (ok, bad, missing):
        assert "Traceback" not in out.stderr


def test_cli_backup_and_restore(tmp_path):
    db = tmp_path / "planner.db"
    build_store(db, 2)
    out = tmp_path / "b.db"
    made = run_cli("db", "backup", "-o", str(out), "--db", str(db))
    assert made.returncode == 0, made.stderr
    assert "Đã sao lưu 2 kế hoạch" in made.stdout
    garbage_in_the_middle(db, pages=1)
    back = run_cli("db", "restore", str(out), env_db=db)
    assert back.returncode == 0, back.stderr
    assert "Đã giữ lại cơ sở dữ liệu cũ thành" in back.stdout
    assert run_cli("db", "check", "--db", str(db)).returncode == 0
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"khong phai" * 50)
    refused = run_cli("db", "restore", str(junk), "--db", str(db))
    assert refused.returncode == 2 and "giữ nguyên" in refused.stderr
    assert "Traceback" not in refused.stderr
