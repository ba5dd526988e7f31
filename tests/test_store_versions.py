"""Versions stored as what changed: every version reads back exactly, history pruning keeps
what must stay, old stores stay readable, and plans larger than the app serves are refused."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.errors import ConflictError, NotFoundError, PlanFormatError, StorageError
from planner.model import (
    MAX_PLAN_CELLS,
    MAX_TABLE_CELLS,
    MAX_TABLE_COLUMNS,
    Block,
    Plan,
    Section,
    Task,
    plan_from_json,
    plan_to_json,
    size_problem,
    with_extra,
)
from planner.sample import sample_plan
from planner.store import delta
from planner.store.plans import PlanStore
from planner.store.schema import MIGRATIONS, migration_sql, statements

T0 = datetime(2021, 3, 1, 8, 0, 0)
ROOT = Path(__file__).resolve().parent.parent
PRUNE = [sys.executable, "-m", "planner", "db", "prune", "--older-than", "5"]


@pytest.fixture
def store(db_target):
    """Every store test here runs on SQLite and on PostgreSQL."""
    return PlanStore(db_target)


def rows(store: PlanStore, plan_id: str) -> dict[int, object]:
    """The stored rows of a plan's versions: JSON text (whole) or bytes (compressed)."""
    with store.connect() as con:
        found = con.execute(
            "SELECT version, data FROM plan_versions WHERE plan_id=?", (plan_id,)
        ).fetchall()
    return {int(v): d for v, d in found}


# ------------------------------------------------------------------ the patch format

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 5) | st.text(max_size=3),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=2), inner),
    max_leaves=12,
)


@given(json_values, json_values)
def test_a_patch_turns_one_value_into_the_other_exactly(a, b):
    op = delta.diff(a, b)
    copy = json.loads(json.dumps(a))
    out = delta.apply(copy, json.loads(json.dumps(op)))  # patches go through JSON
    assert json.dumps(out) == json.dumps(b)  # key order and types included


def test_a_small_edit_makes_a_small_patch():
    plan = plan_to_json_data(sample_plan())
    edited = json.loads(json.dumps(plan))
    edited["sections"][1]["title"] += " Thêm một câu."
    edited["sections"].insert(2, {"number": "X", "title": "Mục mới", "blocks": []})
    patch = delta.dumps(delta.diff(plan, edited))
    assert len(patch) < 400 < len(delta.dumps(plan))


def plan_to_json_data(plan: Plan) -> dict[str, object]:
    return json.loads(plan_to_json(plan))  # type: ignore[no-any-return]


# ------------------------------------------------------------------ a random history

texts = st.text(st.sampled_from("abc đươ\n"), max_size=6)
edits = st.one_of(
    st.tuples(st.just("preamble"), st.lists(texts, max_size=3)),
    st.tuples(st.just("subject"), texts),
    st.tuples(st.just("block"), st.integers(0, 30), texts),
    st.tuples(st.just("add_section"), st.integers(0, 30), texts),
    st.tuples(st.just("drop_section"), st.integers(0, 30)),
    st.tuples(st.just("table"), st.integers(0, 30), st.integers(1, 4), st.integers(1, 4)),
    st.tuples(st.just("task"), texts),
    st.tuples(st.just("extra"), st.sampled_from(["$base", "$patch", "ghi_chu"]), texts),
    st.tuples(st.just("conflict"), texts),
)


def edit(plan: Plan, e: tuple) -> Plan:  # type: ignore[type-arg]
    kind = e[0]
    sections = list(plan.sections)
    if kind == "preamble":
        return replace(plan, preamble=tuple(e[1]))
    if kind in ("subject", "conflict"):
        return replace(plan, meta=replace(plan.meta, subject=e[1]))
    if kind == "block" and sections:
        i = e[1] % len(sections)
        blocks = (Block(text=e[2]), *sections[i].blocks[1:])
        sections[i] = replace(sections[i], blocks=blocks)
    elif kind == "add_section":
        sections.insert(e[1] % (len(sections) + 1), Section(number="IX", title=e[2]))
    elif kind == "drop_section" and sections:
        del sections[e[1] % len(sections)]
    elif kind == "table" and sections:
        i = e[1] % len(sections)
        table = Block("table", rows=tuple(tuple("ô" * c for c in range(e[3])) for _ in range(e[2])))
        sections[i] = replace(sections[i], blocks=(*sections[i].blocks, table))
    elif kind == "task":
        return replace(plan, tasks=(*plan.tasks, Task(id=f"t{len(plan.tasks)}", title=e[1])))
    elif kind == "extra":
        return replace(plan, extra={**plan.extra, e[1]: e[2]})
    return replace(plan, sections=tuple(sections))


def normal(plan: Plan) -> str:
    """The plan as it reads back from any file (texts cleaned on load)."""
    return plan_to_json(plan_from_json(plan_to_json(plan)))


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(edits, min_size=1, max_size=25))
def test_every_version_of_a_random_history_reads_back_as_saved(db_target, history):
    store = PlanStore(db_target)  # each example adds its own plan
    plan = sample_plan()
    pid = store.create(plan, now=T0)
    saved = {1: normal(plan)}
    head = 1
    for k, e in enumerate(history):
        plan = edit(plan, e)
        now = T0 + timedelta(minutes=k + 1)
        if e[0] == "conflict":
            with pytest.raises(ConflictError) as err:
                store.save(pid, plan, base_version=head - 1 if head > 1 else 0, now=now)
            saved[err.value.mine_version] = normal(plan)
            plan = store.open(pid).plan  # go on from theirs
        else:
            head = store.save(pid, plan, base_version=head, now=now)
            saved[head] = normal(plan)
    for version, text in saved.items():
        assert plan_to_json(store.open_version(pid, version)) == text, version
    assert plan_to_json(store.open(pid).plan) == saved[head]
    # Whole text: the newest version, the one before it and conflict copies; the rest are
    # compressed deltas (or keyframes).
    info = {v.version: v for v in store.versions(pid)}
    whole = {v for v, data in rows(store, pid).items() if isinstance(data, str)}
    conflicts = {v for v in info if info[v].conflict}
    assert head in whole
    assert whole - conflicts <= {head, info[head].based_on}


def test_an_autosave_adds_about_the_size_of_the_edit(store):
    plan = sample_plan()
    plan = replace(plan, sections=plan.sections * 20)  # about 90 KB of JSON
    pid = store.create(plan, now=T0)
    head = 1
    for k in range(30):
        plan = replace(plan, preamble=(f"Sửa lần {k}.",))
        head = store.save(pid, plan, base_version=head, now=T0 + timedelta(minutes=k))
    stored = rows(store, pid)
    whole = len(delta.whole_text(json.loads(plan_to_json(plan))).encode())
    assert [v for v, d in stored.items() if isinstance(d, str)] == [head - 1, head]
    old = [len(d) for v, d in stored.items() if 1 < v < head - 1]  # type: ignore[arg-type]
    assert max(old) < 300 < whole // 100  # each older save: a few hundred bytes at most
    assert store.open_version(pid, 2).preamble == ("Sửa lần 0.",)


def test_a_delta_that_would_not_give_the_exact_text_is_not_stored(store):
    # Versions 1 and 2 are equal under Python's == (keys in another order, 1 and True), so a
    # patch between them is empty: the store sees the replay is not exact and keeps it whole.
    notes = ([{"a": 1, "b": 1}], [{"b": True, "a": 1}], [{"a": 1, "b": 2}], [{"a": 3}])
    plans = [with_extra(sample_plan(), ghi_chu=n) for n in notes]
    pid = store.create(plans[0], now=T0)
    head = 1
    for plan in plans[1:]:
        head = store.save(pid, plan, base_version=head, now=T0)
    for version, plan in enumerate(plans, start=1):
        assert plan_to_json(store.open_version(pid, version)) == plan_to_json(plan), version


def test_a_keyframe_every_hundred_saves_stays_whole(store):
    plan = sample_plan()
    pid = store.create(plan, now=T0)
    head = 1
    for k in range(delta.KEYFRAME_EVERY + 2):
        plan = replace(plan, preamble=(f"Lần {k}.",))
        head = store.save(pid, plan, base_version=head, now=T0)
    kind = {v: delta.decode_row(d)[0] for v, d in rows(store, pid).items()}
    assert kind[delta.KEYFRAME_EVERY] is None  # whole (compressed)
    assert kind[delta.KEYFRAME_EVERY - 1] == delta.KEYFRAME_EVERY  # chains stop there
    assert kind[delta.KEYFRAME_EVERY + 1] == delta.KEYFRAME_EVERY + 2
    assert store.open_version(pid, 50).preamble == ("Lần 48.",)


def test_a_damaged_delta_costs_only_the_versions_that_lead_through_it(db_target):
    store = PlanStore(db_target)
    plan = sample_plan()
    pid = store.create(plan, now=T0)
    head = 1
    for k in range(6):
        plan = replace(plan, preamble=(f"Lần {k}.",))
        head = store.save(pid, plan, base_version=head, now=T0)
    with store.transaction() as con:
        con.execute("UPDATE plan_versions SET data=? WHERE plan_id=? AND version=4", (b"\x00", pid))
    store = PlanStore(db_target)
    assert store.open(pid).plan.preamble == ("Lần 5.",)
    assert store.open_version(pid, 6).preamble == ("Lần 4.",)
    assert store.open_version(pid, 5).preamble == ("Lần 3.",)
    with pytest.raises(StorageError, match="bị hỏng: không đọc được phiên bản 3"):
        store.open_version(pid, 3)  # 3 is stored as a change from 4
    assert store.health().healthy  # the newest version of every plan reads


# ------------------------------------------------------------------ old stores


def test_a_store_written_before_deltas_is_migrated_and_read(tmp_path):
    """SQLite only: stores from before deltas exist only as SQLite files."""
    db = tmp_path / "old.db"
    con = sqlite3.connect(db)
    con.execute(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"
    )
    for number, sql in enumerate(MIGRATIONS[:2], start=1):
        for statement in statements(migration_sql(sql, "sqlite")):
            con.execute(statement)
        con.execute("INSERT INTO schema_migrations VALUES (?, 'x')", (number,))
    plans = [replace(sample_plan(), preamble=(f"Bản {v}",)) for v in (1, 2, 3)]
    con.execute(
        "INSERT INTO plans VALUES ('old', NULL, 'KH', 2020, ?, ?, 3, NULL)",
        (T0.isoformat(), T0.isoformat()),
    )
    for v, p in enumerate(plans, start=1):
        con.execute(
            "INSERT INTO plan_versions (plan_id, version, saved_at, data) VALUES ('old', ?, ?, ?)",
            (v, T0.isoformat(), plan_to_json(p)),
        )
    con.commit()
    con.close()
    store = PlanStore(db)
    assert [v.version for v in store.versions("old")] == [3, 2, 1]
    for v, p in enumerate(plans, start=1):
        assert store.open_version("old", v) == p
    new = store.save("old", replace(plans[2], preamble=("Bản 4",)), base_version=3, now=T0)
    store.save("old", replace(plans[2], preamble=("Bản 5",)), base_version=new, now=T0)
    assert isinstance(rows(store, "old")[3], bytes)  # the old full row is now a delta
    for v, p in enumerate(plans, start=1):
        assert store.open_version("old", v) == p
    store.name_version("old", 1, "Bản gốc", now=T0)
    assert store.versions("old")[-1].label == "Bản gốc"


# ------------------------------------------------------------------ pruning


def history(store: PlanStore, days: int, start: datetime = T0) -> tuple[str, int]:
    """A plan saved once a day for `days` days, ending at start + days."""
    plan = sample_plan()
    pid = store.create(plan, now=start)
    head = 1
    for d in range(1, days + 1):
        plan = replace(plan, preamble=(f"Ngày {d}",))
        head = store.save(pid, plan, base_version=head, now=start + timedelta(days=d))
    return pid, head


def test_prune_keeps_the_newest_named_and_unsettled_conflict_versions(store):
    pid, head = history(store, 30)  # versions 1..31, version v saved on day v-1
    store.name_version(pid, 5, "  Bản trình   ký ", now=T0)
    with pytest.raises(ConflictError) as err:
        store.save(pid, replace(sample_plan(), preamble=("Xung đột",)), base_version=3, now=T0)
    conflict = err.value.mine_version  # saved at T0: old
    with pytest.raises(ConflictError) as err2:
        store.save(pid, replace(sample_plan(), preamble=("Đã xử lý",)), base_version=3, now=T0)
    settled = err2.value.mine_version
    store.resolve_conflict(pid, settled, now=T0)
    expected = {v: store.open_version(pid, v) for v in range(1, head + 1)}
    result = store.prune_history(pid, 10, now=T0 + timedelta(days=30))
    kept = {v.version for v in store.versions(pid)}
    assert kept == {5, conflict, *range(21, head + 1)}
    assert result.removed == head + 2 - len(kept) and result.plans == 1
    assert result.bytes_after < result.bytes_before
    for v in kept - {conflict}:
        assert store.open_version(pid, v) == expected[v], v
    assert store.open_version(pid, conflict).preamble == ("Xung đột",)
    assert [v.label for v in store.versions(pid) if v.version == 5] == ["Bản trình ký"]
    # Saving goes on from the pruned history; pruning again removes nothing more.
    newest = store.save(pid, replace(sample_plan(), preamble=("Sau",)), base_version=head, now=T0)
    assert store.prune_history(None, 10, now=T0 + timedelta(days=30)).removed == 0
    assert store.open_version(pid, 21) == expected[21]
    # Everything older than 0 days: only the newest, the named and the conflict remain.
    store.prune_history(None, 0, now=T0 + timedelta(days=40))
    assert {v.version for v in store.versions(pid)} == {5, conflict, newest}
    assert store.open_version(pid, 5) == expected[5]
    assert store.health().healthy


def test_restoring_a_conflict_version_settles_it(store):
    pid, _ = history(store, 2)
    with pytest.raises(ConflictError) as err:
        store.save(pid, replace(sample_plan(), preamble=("Của tôi",)), base_version=1, now=T0)
    mine = err.value.mine_version
    assert not store.versions(pid)[0].resolved
    store.restore_version(pid, mine, now=T0)
    assert [v.resolved for v in store.versions(pid) if v.version == mine] == [True]
    store.prune_history(pid, 0, now=T0 + timedelta(days=9))
    assert [v.version for v in store.versions(pid)] == [mine + 1]


def test_naming_a_missing_version_or_a_long_name_is_refused(store):
    pid, _ = history(store, 1)
    with pytest.raises(NotFoundError, match="Không có phiên bản 9"):
        store.name_version(pid, 9, "x", now=T0)
    with pytest.raises(StorageError, match="quá 200 ký tự"):
        store.name_version(pid, 1, "a" * 201, now=T0)
    store.name_version(pid, 1, "Tên", now=T0)
    store.name_version(pid, 1, "", now=T0)
    assert store.versions(pid)[-1].label == ""
    with pytest.raises(StorageError, match="không phải bản xung đột"):
        store.resolve_conflict(pid, 1, now=T0)


def test_cli_prune_reports_versions_and_bytes(tmp_path):
    db = tmp_path / "p.db"
    store = PlanStore(db)
    pid, head = history(store, 20, datetime.now() - timedelta(days=20, hours=1))
    out = subprocess.run(
        [*PRUNE, "--db", str(db)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert "Đã xóa" in out.stdout and "byte" in out.stdout, out.stdout
    remaining = len(PlanStore(db).versions(pid))
    assert 1 < remaining < head
    bad = subprocess.run(
        [*PRUNE, "--plan", "khong-co", "--db", str(db)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert bad.returncode != 0 and "khong-co" in bad.stderr and "Traceback" not in bad.stderr


# ------------------------------------------------------------------ limits


def table_plan(rows: int, cols: int, tables: int = 1) -> Plan:
    table = Block("table", rows=tuple(tuple("x" for _ in range(cols)) for _ in range(rows)))
    section = Section(number="I", title="Bảng", blocks=(table,) * tables)
    return replace(sample_plan(), sections=(section,))


def test_limits_name_the_table_and_the_limit():
    assert size_problem(sample_plan()) is None
    assert size_problem(table_plan(MAX_TABLE_CELLS // 10, 10)) is None
    wide = size_problem(table_plan(2, MAX_TABLE_COLUMNS + 1))
    assert wide and "64 cột" in wide and f"{MAX_TABLE_COLUMNS} cột" in wide
    big = size_problem(table_plan(500, 50))
    assert big and "bảng thứ 1 ở mục I có 25.000 ô" in big and "20.000 ô một bảng" in big
    total = size_problem(table_plan(MAX_TABLE_CELLS // 20, 20, tables=3))
    assert total and f"{MAX_PLAN_CELLS:,}".replace(",", ".") in total


def test_an_oversize_plan_file_is_refused_whole_with_one_line(tmp_path):
    text = plan_to_json(table_plan(5001, 4))
    with pytest.raises(PlanFormatError) as err:
        plan_from_json(text.encode("utf-8"), "ke-hoach-lon.json")
    message = str(err.value)
    assert "ke-hoach-lon.json" in message and "20.000 ô" in message and "\n" not in message


def test_the_store_refuses_to_save_a_plan_it_could_not_serve(store):
    pid = store.create(sample_plan(), now=T0)
    with pytest.raises(StorageError, match="Không lưu được: kế hoạch bảng thứ 1"):
        store.save(pid, table_plan(5001, 4), base_version=1, now=T0)
    assert [v.version for v in store.versions(pid)] == [1]


def test_a_200_by_5000_table_is_refused_by_the_exporter_up_front():
    from datetime import date

    from planner.docx.writer import export_docx
    from planner.errors import ExportError

    plan = table_plan(200, 5000)
    with pytest.raises((ExportError, PlanFormatError)) as err:
        export_docx(plan, today=date(2021, 3, 15))
    assert f"{MAX_TABLE_COLUMNS} cột" in str(err.value)
    rotated = table_plan(5000, 50)  # 250,000 cells within Word's column limit
    with pytest.raises((ExportError, PlanFormatError)) as err:
        export_docx(rotated, today=date(2021, 3, 15))
    assert "20.000 ô" in str(err.value)
