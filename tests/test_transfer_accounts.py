"""`db copy` carries the office server's tables: accounts, shares, review steps, comments and
the audit log (with their ids), plans' units and versions' authors; never sign-in sessions.
SQLite → PostgreSQL → SQLite on the server the tests start (`pg_url`)."""

from __future__ import annotations

from datetime import datetime, timedelta

from argon2 import PasswordHasher

from planner.auth.accounts import Accounts
from planner.auth.guarded import GuardedStore
from planner.auth.sessions import Sessions
from planner.cli.main import main
from planner.sample import sample_plan
from planner.store import audit
from planner.store.plans import PlanStore
from planner.store.transfer import copy_store, export_plan, import_plan, read_export

NOW = datetime(2026, 3, 2, 9, 0)
FAST = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
TABLES = ("users", "plan_shares", "review_events", "comments", "audit_log")


def _fill(store: PlanStore) -> tuple[str, str]:
    accounts = Accounts(store, hasher=FAST)
    editor = accounts.add(
        "cv.a",
        display_name="Chuyên viên A",
        role="editor",
        unit="A",
        password="mật-khẩu-1",
        now=NOW,
    )
    accounts.add("xem.b", display_name="Xem B", role="viewer", unit="B", password=None, now=NOW)
    accounts.disable("xem.b", now=NOW)
    guarded = GuardedStore(store, editor)
    plan_id = guarded.create(sample_plan(), now=NOW)
    guarded.save(plan_id, sample_plan(), base_version=1, now=NOW + timedelta(minutes=1))
    guarded.share(plan_id, "xem.b", now=NOW)
    with store.transaction() as con:
        con.execute("UPDATE plans SET review_status = 'submitted' WHERE id = ?", (plan_id,))
        con.execute(
            "INSERT INTO review_events (plan_id, at, user_name, from_status, to_status, version, "
            "reason) VALUES (?, ?, 'cv.a', 'draft', 'submitted', 2, '')",
            (plan_id, NOW.isoformat()),
        )
        con.execute(
            "INSERT INTO comments (plan_id, block, author, created_at, text) "
            "VALUES (?, 'I/0', 'ld.a', ?, 'Bổ sung số liệu năm trước.')",
            (plan_id, NOW.isoformat()),
        )
    token = Sessions(store).open("cv.a", now=NOW)
    return plan_id, token


def _tables(store: PlanStore) -> dict[str, list[tuple[object, ...]]]:
    out = {}
    with store.connect() as con:
        for table in TABLES:
            rows = con.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall()
            out[table] = [tuple(r) for r in rows]
            if table == "users":  # PostgreSQL's extra rowid column is not data
                out[table] = [r[:10] for r in out[table]]
        out["plans"] = [
            tuple(r)
            for r in con.execute(
                "SELECT id, unit, review_status, created_by, deleted_by FROM plans ORDER BY id"
            ).fetchall()
        ]
        out["authors"] = [
            tuple(r)
            for r in con.execute("SELECT version, author FROM plan_versions ORDER BY 1").fetchall()
        ]
    return out


def test_accounts_comments_and_audit_survive_a_round_trip(tmp_path, pg_url, capsys):
    laptop = tmp_path / "laptop.db"
    plan_id, token = _fill(PlanStore(laptop))
    want = _tables(PlanStore(laptop))
    assert len(want["audit_log"]) >= 7 and want["comments"] and want["review_events"]

    assert main(["db", "copy", str(laptop), pg_url]) == 0
    out = capsys.readouterr().out
    assert "2 tài khoản" in out and "1 góp ý" in out and "1 bước duyệt kế hoạch" in out
    server = PlanStore(pg_url)
    assert _tables(server) == want
    # Sessions stay behind: everyone signs in again on the new server; passwords still work.
    assert Sessions(server).user(token, now=NOW) is None
    with server.connect() as con:
        assert con.execute("SELECT COUNT(*) FROM auth_sessions").fetchone() == (0,)
    assert Accounts(server, hasher=FAST).authenticate("cv.a", "mật-khẩu-1", now=NOW).unit == "A"
    assert Accounts(server).require("xem.b").disabled
    # The generated ids continue after the copied ones (no clash on the next entry).
    GuardedStore(server, Accounts(server).require("cv.a")).rename(plan_id, "KH mới", now=NOW)
    newest = audit.entries(server, limit=1)[0]
    assert newest.action == "plan.rename" and newest.id == max(r[0] for r in want["audit_log"]) + 1
    with server.transaction() as con:
        con.execute(
            "INSERT INTO comments (plan_id, block, author, created_at, text) "
            "VALUES (?, 'I/1', 'ld.a', ?, 'Thêm mục.')",
            (plan_id, NOW.isoformat()),
        )
    # ... and back to a new laptop file, the new rows with them.
    back = tmp_path / "back.db"
    assert main(["db", "copy", pg_url, str(back)]) == 0
    assert _tables(PlanStore(back)) == _tables(server)


def test_force_replaces_accounts_and_clears_the_targets_sessions(tmp_path, pg_url):
    source = tmp_path / "a.db"
    _fill(PlanStore(source))
    target = PlanStore(pg_url)
    Accounts(target, hasher=FAST).add(
        "cu", display_name="Cũ", role="admin", unit="X", password="mật-khẩu-cũ", now=NOW
    )
    Sessions(target).open("cu", now=NOW)
    result = copy_store(PlanStore(source), target, force=True)
    assert result.replaced and result.counts["users"] == 2
    assert [u.name for u in Accounts(target).list()] == ["cv.a", "xem.b"]


def test_a_plan_export_keeps_each_versions_author(tmp_path):
    store = PlanStore(tmp_path / "a.db")
    plan_id = store.create(sample_plan(), now=NOW, author="cv.a", unit="A")
    store.save(plan_id, sample_plan(), base_version=1, now=NOW, author="cv.b")
    record = export_plan(store, plan_id)
    other = PlanStore(tmp_path / "b.db")
    new_id, _ = import_plan(other, read_export(record, name="kh.json"), now=NOW)
    assert [v.author for v in other.versions(new_id)] == ["cv.b", "cv.a"]
    assert audit.entries(other)[0].action == "plan.import"
