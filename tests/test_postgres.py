"""PostgreSQL as the store (PLANNER_DB=postgresql://…), on a server the tests start
(`pg_server` in conftest): the health check's Vietnamese messages, `db copy` between SQLite
and PostgreSQL, `plans list/export/import`, and two app servers on one database.

The two-server test starts two real `streamlit run app.py` processes on one PostgreSQL
database and checks each answers its health check with that database configured; the
concurrent saves are driven by two processes running the store directly (the app's own
save path, `PlanStore.save`), not through the browser UI (a websocket session per save is too
slow for this machine).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import replace
from datetime import datetime

import pytest

from bench._server import StreamlitServer
from planner.catalogue.user_rows import row_history, save_directive, user_directives
from planner.cli.main import main
from planner.errors import ConflictError, StorageError
from planner.sample import sample_plan
from planner.store.health import OK, READ_ONLY, UNAVAILABLE
from planner.store.plans import PlanStore
from planner.store.transfer import export_plan
from tests.conftest import ROOT
from tests.test_user_rows_history import ROW

T0 = datetime(2021, 3, 15, 8, 0)
pytestmark = pytest.mark.timeout(240)


def _filled(store: PlanStore) -> list[str]:
    """Two plans with history (deltas, a conflict, a name, one in the bin) and catalogue rows."""
    plan = sample_plan()
    a = store.create(plan, now=T0)
    head = 1
    for k in range(6):
        plan = replace(plan, preamble=(f"Sửa lần {k}.",))
        head = store.save(a, plan, base_version=head, now=T0)
    with pytest.raises(ConflictError):
        store.save(a, replace(plan, preamble=("Của tôi",)), base_version=2, now=T0)
    store.name_version(a, 3, "Bản trình ký", now=T0)
    b = store.create(sample_plan(), now=T0, title="Kế hoạch thứ hai")
    store.delete(b, now=T0)
    save_directive(store, ROW, now=T0)
    save_directive(store, replace(ROW, status="in_force"), now=T0, base_version=1)
    return [a, b]


def _everything(store: PlanStore, ids: list[str]) -> object:
    exported = [export_plan(store, i) for i in ids]
    rows = [(h.version, h.conflict, h.directive) for h in row_history(store, ROW.id)]
    return exported, rows, user_directives(store)


def test_db_copy_sqlite_to_postgres_and_back_keeps_everything(tmp_path, pg_url, capsys):
    src = tmp_path / "laptop.db"
    ids = _filled(PlanStore(src))
    want = _everything(PlanStore(src), ids)
    assert main(["db", "copy", str(src), pg_url]) == 0
    out = capsys.readouterr().out
    assert "2 kế hoạch" in out and "9 phiên bản kế hoạch" in out
    assert "2 phiên bản văn bản trong danh mục" in out
    assert _everything(PlanStore(pg_url), ids) == want
    assert [p.id for p in PlanStore(pg_url).list_plans(include_deleted=True)] == [
        p.id for p in PlanStore(src).list_plans(include_deleted=True)
    ]
    # A non-empty target is refused (and left as it is) unless --force.
    assert main(["db", "copy", str(src), pg_url]) == 2
    assert "đã có dữ liệu" in capsys.readouterr().err
    assert len(PlanStore(pg_url).versions(ids[0])) == 8
    # The office server back to a new laptop file.
    back = tmp_path / "back.db"
    assert main(["db", "copy", pg_url, str(back)]) == 0
    assert _everything(PlanStore(back), ids) == want
    # --force replaces the whole content, all or nothing.
    PlanStore(pg_url).create(sample_plan(), now=T0)
    assert main(["db", "copy", "--force", str(src), pg_url]) == 0
    assert "Đã thay nội dung" in capsys.readouterr().out
    assert len(PlanStore(pg_url).list_plans(include_deleted=True)) == 2


def test_a_failed_copy_leaves_the_target_as_it_was(tmp_path, pg_url, monkeypatch):
    src = tmp_path / "a.db"
    _filled(PlanStore(src))
    target = PlanStore(pg_url)
    kept = target.create(sample_plan(), now=T0)
    from planner.store import transfer

    # A broken table list makes the last insert fail after the others ran.
    broken = (*transfer.TABLE_COPY[:-1], ("user_directive_versions", ("nope",), "nope"))
    monkeypatch.setattr(transfer, "TABLE_COPY", broken)
    with pytest.raises(StorageError):
        transfer.copy_store(PlanStore(src), target, force=True)
    assert [p.id for p in target.list_plans(include_deleted=True)] == [kept]


def test_plans_list_export_import(db_target, tmp_path, capsys):
    store = PlanStore(db_target)
    ids = _filled(store)
    db = str(db_target)
    assert main(["plans", "list", "--json", "--db", db]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert {p["id"] for p in listed} == set(ids)
    assert [p["deleted"] for p in listed if p["id"] == ids[1]] == [True]
    assert main(["plans", "list", "--db", db]) == 0
    assert "[thùng rác]" in capsys.readouterr().out
    out = tmp_path / "a.json"
    assert main(["plans", "export", ids[0], "-o", str(out), "--db", db]) == 0
    record = json.loads(out.read_text(encoding="utf-8"))
    assert len(record["versions"]) == 8
    # Into another store (a new SQLite file): same id, every version, names and conflicts.
    other = tmp_path / "other.db"
    assert main(["plans", "import", str(out), "--db", str(other)]) == 0
    assert export_plan(PlanStore(other), ids[0]) == record
    # Into the same store: a new id, the same history.
    assert main(["plans", "import", str(out), "--db", db]) == 0
    assert len(PlanStore(db_target).list_plans(include_deleted=True)) == 3
    new = next(p.id for p in PlanStore(db_target).list_plans() if p.id not in ids)
    again = export_plan(PlanStore(db_target), new)
    assert again["versions"] == record["versions"]


# ------------------------------------------------------------ health


def test_an_unreachable_server_is_reported_in_vietnamese_and_writes_are_refused(tmp_path):
    url = f"postgresql://postgres@/khong_co?host={tmp_path}&port=1"
    store = PlanStore(url)  # never raises: the app must still start
    health = store.health()
    assert health.status == UNAVAILABLE
    assert "Không kết nối được cơ sở dữ liệu PostgreSQL" in health.problems[0]
    assert "PLANNER_DB" in health.problems[0]
    assert "connection" not in " ".join(health.problems).lower()  # no English from libpq
    assert store.list_plans() == []
    with pytest.raises(StorageError, match="chỉ mở để đọc"):
        store.create(sample_plan(), now=T0)


def test_a_password_never_shows_in_messages(tmp_path):
    store = PlanStore(f"postgresql://lan:matkhau@/x?host={tmp_path}&port=1")
    assert "matkhau" not in " ".join(store.health().problems)
    assert "matkhau" not in store.location


def test_a_foreign_database_is_left_alone(pg_server, pg_url):
    import psycopg

    with psycopg.connect(pg_url, autocommit=True) as con:
        con.execute("CREATE TABLE plans (id TEXT PRIMARY KEY, other TEXT)")
    store = PlanStore(pg_url)
    assert store.file_check().status == UNAVAILABLE
    assert "không phải cơ sở dữ liệu của chương trình này" in store.file_check().problems[0]
    with psycopg.connect(pg_url, autocommit=True) as con:
        tables = {
            r[0] for r in con.execute("SELECT tablename FROM pg_tables WHERE schemaname='public'")
        }
    assert tables == {"plans"}  # nothing created in it


def test_a_database_migrated_by_a_newer_program_opens_read_only(pg_url):
    pid = PlanStore(pg_url).create(sample_plan(), now=T0)
    with PlanStore(pg_url).transaction() as con:
        con.execute("INSERT INTO schema_migrations VALUES (?, ?)", (99, "2030-01-01"))
    store = PlanStore(pg_url)
    assert store.file_check().status == READ_ONLY
    assert "phiên bản mới hơn" in store.file_check().problems[0]
    assert store.open(pid).plan == sample_plan()  # reads work
    with pytest.raises(StorageError, match="chỉ đọc"):
        store.save(pid, sample_plan(), base_version=1, now=T0)


def test_the_server_going_away_and_back(pg_server, pg_url):
    store = PlanStore(pg_url)
    pid = store.create(sample_plan(), now=T0)
    assert store.file_check().status == OK
    name = pg_url.split("/")[3].split("?")[0]
    pg_server.admin(f"ALTER DATABASE {name} WITH ALLOW_CONNECTIONS false")
    pg_server.admin(
        f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"
    )
    with pytest.raises(StorageError) as err:
        store.open(pid)
    assert "cơ sở dữ liệu" in str(err.value) and "PostgreSQL" in str(err.value)
    pg_server.admin(f"ALTER DATABASE {name} WITH ALLOW_CONNECTIONS true")
    assert store.open(pid).version == 1  # checked again, back to normal


# ------------------------------------------------------------ two app servers

_SAVER = """
import json, sys, time
from dataclasses import replace
from datetime import datetime
from planner.errors import ConflictError
from planner.store.plans import PlanStore
url, plan_id, who, rounds = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
store = PlanStore(url)
print("READY", flush=True)
start = float(sys.stdin.readline())
while time.time() < start:
    time.sleep(0.001)
saved, conflicts = [], []
for k in range(rounds):
    stored = store.open(plan_id)
    plan = replace(stored.plan, preamble=(f"{who} {k}",))
    time.sleep(0.01 + 0.01 * (k % 3))  # the user types
    try:
        saved.append([k, store.save(plan_id, plan, base_version=stored.version,
                                    now=datetime(2021, 3, 15))])
    except ConflictError as err:
        conflicts.append([k, err.mine_version])
print(json.dumps({"saved": saved, "conflicts": conflicts}))
"""


def test_two_app_servers_on_one_postgres_lose_no_save(pg_url, tmp_path):
    plan_id = PlanStore(pg_url).create(sample_plan(), now=T0)
    env = {"PLANNER_DB": pg_url, "PLANNER_NO_SAMPLE": "1", "PLANNER_TODAY": "2021-03-15"}
    servers = [
        StreamlitServer("app.py", env=env, log_path=tmp_path / f"server{i}.log") for i in (1, 2)
    ]
    try:
        for srv in servers:
            srv.start()
        for srv in servers:
            srv.wait_healthy(timeout=120)
        rounds = 30
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", _SAVER, pg_url, plan_id, who, str(rounds)],
                cwd=ROOT,
                env={**os.environ, **env, "PYTHONPATH": str(ROOT)},
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                text=True,
            )
            for who in ("an", "binh")
        ]
        for proc in procs:
            assert proc.stdout is not None and proc.stdout.readline().strip() == "READY"
        go = time.time() + 0.3
        for proc in procs:
            assert proc.stdin is not None
            proc.stdin.write(f"{go}\n")
            proc.stdin.flush()
        results = []
        for proc in procs:
            out, _ = proc.communicate(timeout=120)
            assert proc.returncode == 0
            results.append(json.loads(out))
        for srv in servers:
            assert srv.healthy()  # both servers still serve, on the same database
    finally:
        for srv in servers:
            srv.stop()
    store = PlanStore(pg_url)
    saved = sorted(v for r in results for _k, v in r["saved"])
    conflicts = [c for r in results for c in r["conflicts"]]
    assert len(saved) + len(conflicts) == 2 * rounds  # every save accepted or reported
    assert conflicts, "two servers saving one plan at once must meet a conflict"
    versions = store.versions(plan_id)
    assert sorted(v.version for v in versions) == list(range(1, 2 + 2 * rounds))
    assert {v.version for v in versions if v.conflict} == {c[1] for c in conflicts}
    assert store.open(plan_id).version == max(saved)
    for who, r in zip(("an", "binh"), results, strict=True):
        for k, version in r["conflicts"] + r["saved"]:  # each save kept as it was typed
            assert store.open_version(plan_id, version).preamble == (f"{who} {k}",)
    # An accepted save was made from the head before it: nothing it did not see was replaced.
    by_version = {v.version: v for v in versions}
    accepted = sorted(saved)
    for before, after in zip([1, *accepted], accepted, strict=False):
        assert by_version[after].based_on == before


def test_the_app_uses_the_postgres_url_as_it_is(pg_url, monkeypatch):
    from planner.store.plans import default_db, default_db_key

    monkeypatch.setenv("PLANNER_DB", pg_url)
    assert default_db() == pg_url and default_db_key() == pg_url
    assert PlanStore().dialect == "postgres"


def test_search_sees_the_users_rows_in_postgresql(pg_url, monkeypatch, capsys):
    # `search` without --catalogue merges the user's rows from PLANNER_DB, a URL here.
    save_directive(PlanStore(pg_url), ROW, now=datetime(2021, 1, 6, 9, 0))
    monkeypatch.setenv("PLANNER_DB", pg_url)
    assert main(["search", "12/KH-UBND", "--json"]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert hits[0]["id"] == ROW.id
