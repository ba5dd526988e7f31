import subprocess
import sys
import threading
from dataclasses import replace
from datetime import datetime

import pytest

from planner.errors import ConflictError, NotFoundError, StorageError
from planner.store.plans import PlanStore
from planner.store.schema import MIGRATIONS

T0 = datetime(2021, 3, 15, 8, 0, 0)
T1 = datetime(2021, 3, 15, 9, 0, 0)


@pytest.fixture
def store(db_target):
    """Every store test here runs on SQLite and on PostgreSQL (see `db_target`)."""
    return PlanStore(db_target)


def test_sqlite_file_uses_wal_and_a_busy_timeout(tmp_path):
    """SQLite only: WAL and the busy timeout are settings of the file's connection."""
    store = PlanStore(tmp_path / "planner.db")
    with store.connect() as con:
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert con.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000


def test_migrations_are_applied_once(store, db_target):
    with store.connect() as con:
        versions = [r[0] for r in con.execute("SELECT version FROM schema_migrations")]
    assert versions == list(range(1, len(MIGRATIONS) + 1))
    PlanStore(db_target)  # reopening applies nothing twice
    with store.connect() as con:
        count = con.execute("SELECT COUNT(*) FROM schema_migrations").fetchone()[0]
        assert count == len(MIGRATIONS)


def test_create_list_open(store, sample):
    pid = store.create(sample, now=T0)
    [summary] = store.list_plans()
    assert (summary.id, summary.year, summary.version) == (pid, 2020, 1)
    assert summary.title == sample.meta.subject
    opened = store.open(pid)
    assert opened.plan == sample and opened.version == 1


def test_every_save_is_a_version_and_restorable(store, sample):
    pid = store.create(sample, now=T0)
    edited = replace(sample, preamble=("Đã sửa",))
    v2 = store.save(pid, edited, base_version=1, now=T1)
    assert v2 == 2
    assert store.open(pid).plan.preamble == ("Đã sửa",)
    assert [v.version for v in store.versions(pid)] == [2, 1]
    v3 = store.restore_version(pid, 1, now=T1)
    assert store.open(pid).plan == sample and v3 == 3
    assert store.open_version(pid, 2).preamble == ("Đã sửa",)


def test_conflicting_saves_keep_both(store, sample):
    pid = store.create(sample, now=T0)
    mine = replace(sample, preamble=("Bản của A",))
    theirs = replace(sample, preamble=("Bản của B",))
    assert store.save(pid, theirs, base_version=1, now=T1) == 2
    with pytest.raises(ConflictError) as err:
        store.save(pid, mine, base_version=1, now=T1)
    assert "phiên bản 2" in str(err.value) and "không bị mất" in str(err.value)
    assert err.value.theirs_version == 2 and err.value.mine_version == 3
    assert store.open(pid).plan.preamble == ("Bản của B",)  # head not overwritten
    assert store.open_version(pid, 3).preamble == ("Bản của A",)  # mine kept
    assert [v.conflict for v in store.versions(pid)] == [True, False, False]
    store.restore_version(pid, 3, now=T1)  # the user chooses theirs → mine
    assert store.open(pid).plan.preamble == ("Bản của A",)


def test_rename_duplicate_delete_restore(store, sample):
    pid = store.create(sample, now=T0)
    store.rename(pid, "  Dân vận   2020 ", now=T1)
    assert store.open(pid).title == "Dân vận 2020"
    with pytest.raises(StorageError):
        store.rename(pid, "   ", now=T1)
    copy = store.duplicate(pid, now=T1)
    assert store.open(copy).plan == sample and copy != pid
    store.delete(pid, now=T1)
    assert [p.id for p in store.list_plans()] == [copy]
    assert {p.id for p in store.list_plans(include_deleted=True)} == {pid, copy}
    store.restore(pid, now=T1)
    assert {p.id for p in store.list_plans()} == {pid, copy}


def test_missing_plan_and_version(store, sample):
    with pytest.raises(NotFoundError, match="Không tìm thấy"):
        store.open("nope")
    pid = store.create(sample, now=T0)
    with pytest.raises(NotFoundError, match="phiên bản 9"):
        store.open_version(pid, 9)


def test_corrupt_database_file_opens_read_only_with_a_clear_message(tmp_path, sample):
    """SQLite only: damage to the bytes of the store file."""
    bad = tmp_path / "bad.db"
    junk = b"this is not sqlite" * 100
    bad.write_bytes(junk)
    store = PlanStore(bad)  # never raises: the app must still start
    health = store.health()
    assert health.status == "damaged" and not store.writable
    assert "bad.db" in health.problems[0] and "không phải cơ sở dữ liệu" in health.problems[0]
    assert store.list_plans() == []
    with pytest.raises(StorageError, match="db restore"):
        store.create(sample, now=T0)
    assert bad.read_bytes() == junk  # nothing was written to it


def test_written_in_one_process_read_in_another(db_target, sample):
    db = db_target
    code = (
        "import sys; from datetime import datetime; from planner.store.plans import PlanStore;"
        "from planner.sample import sample_plan;"
        "print(PlanStore(sys.argv[1]).create(sample_plan(), now=datetime(2021,1,1)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(db)], capture_output=True, text=True, check=True
    )
    pid = out.stdout.strip()
    assert PlanStore(db).open(pid).plan == sample


def test_concurrent_writers_lose_nothing(db_target, sample):
    store = PlanStore(db_target)
    ids = [store.create(sample, now=T0) for _ in range(4)]
    errors: list[BaseException] = []

    def worker(pid: str) -> None:
        try:
            s = PlanStore(db_target)
            for i in range(15):
                head = s.open(pid).version
                s.save(pid, replace(sample, preamble=(f"{pid} {i}",)), base_version=head, now=T1)
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=worker, args=(pid,)) for pid in ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    for pid in ids:
        assert store.open(pid).version == 16
        assert store.open(pid).plan.preamble == (f"{pid} 14",)


def test_failed_transaction_leaves_nothing_half_saved(store, sample):
    pid = store.create(sample, now=T0)
    with pytest.raises(StorageError, match="ràng buộc"), store.transaction() as con:
        con.execute("UPDATE plans SET head_version=99 WHERE id=?", (pid,))
        con.execute(
            "INSERT INTO plan_versions (plan_id, version, saved_at, data) VALUES (?, 1, 'x', '{}')",
            (pid,),
        )
    assert store.open(pid).version == 1
