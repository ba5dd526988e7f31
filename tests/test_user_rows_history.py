"""The user's catalogue rows are versioned like plans: history, restore, conflicts, migration."""

from __future__ import annotations

import json
import sqlite3
import threading
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from planner.catalogue.model import Directive
from planner.catalogue.user_rows import (
    catalogue_stamp,
    delete_directive,
    load_catalogue,
    open_row_version,
    restore_row_version,
    row_head_version,
    row_history,
    save_directive,
    save_directives,
    user_directives,
)
from planner.errors import ConflictError, NotFoundError
from planner.store.plans import PlanStore
from planner.store.schema import MIGRATIONS, migration_sql, statements

NOW = datetime(2025, 3, 1, 9, 0, 0)
ROW = Directive(
    "kh-12-ubnd-2021", "Kế hoạch", "12", "12/KH-UBND", issued=date(2021, 1, 5),
    issuer="UBND thành phố Thủ Dầu Một", title="về công tác dân vận năm 2021", source="test",
)  # fmt: skip


def _at(minutes: int) -> datetime:
    return NOW + timedelta(minutes=minutes)


def test_every_save_is_a_version_with_history_newest_first(db_target: str | Path) -> None:
    store = PlanStore(db_target)
    assert save_directive(store, ROW, now=_at(0)) == 1
    v2 = save_directive(
        store, replace(ROW, status="in_force"), now=_at(1), base_version=1, author="lan"
    )
    v3 = save_directive(store, replace(ROW, title="về dân vận"), now=_at(2), base_version=v2)
    assert (v2, v3) == (2, 3)
    assert row_head_version(store, ROW.id) == 3
    history = row_history(store, ROW.id)
    assert [h.version for h in history] == [3, 2, 1]
    assert [h.based_on for h in history] == [2, 1, None]
    assert [h.author for h in history] == [None, "lan", None]
    assert history[-1].note == "Tạo mới"
    assert [h.saved_at for h in history] == [_at(2), _at(1), _at(0)]
    assert history[1].directive.status == "in_force"
    assert user_directives(store) == [replace(ROW, title="về dân vận")]
    assert open_row_version(store, ROW.id, 1).directive == ROW
    with pytest.raises(NotFoundError, match="phiên bản 9"):
        open_row_version(store, ROW.id, 9)
    with pytest.raises(NotFoundError):
        row_history(store, "khong-co")


def test_restore_makes_an_older_version_newest_as_a_new_version(db_target: str | Path) -> None:
    store = PlanStore(db_target)
    first = replace(ROW, title="về dân vận A")
    save_directive(store, first, now=_at(1))
    save_directive(store, replace(ROW, title="về dân vận B"), now=_at(1))
    stamp = catalogue_stamp(store)
    assert restore_row_version(store, ROW.id, 1, now=_at(1)) == 3
    assert catalogue_stamp(store) != stamp  # same second, same length: the version tells
    assert load_catalogue(store).get(ROW.id) == first
    newest = row_history(store, ROW.id)[0]
    assert (newest.version, newest.note, newest.based_on) == (3, "Khôi phục phiên bản 1", 2)
    assert row_history(store, ROW.id)[1].directive.title == "về dân vận B"  # kept


def test_delete_is_a_version_and_can_be_restored(db_target: str | Path) -> None:
    store = PlanStore(db_target)
    save_directive(store, ROW, now=_at(0))
    assert delete_directive(store, ROW.id, now=_at(1)) == 2
    assert user_directives(store) == []
    with pytest.raises(NotFoundError):
        delete_directive(store, ROW.id, now=_at(2))
    assert [(h.version, h.deleted, h.note) for h in row_history(store, ROW.id)] == [
        (2, True, "Xóa"),
        (1, False, "Tạo mới"),
    ]
    restore_row_version(store, ROW.id, 1, now=_at(3))
    assert user_directives(store) == [ROW]


def test_a_save_from_an_older_version_is_kept_as_a_conflict(db_target: str | Path) -> None:
    path = db_target
    mine, theirs = PlanStore(path), PlanStore(path)  # two sessions on one file
    save_directive(mine, ROW, now=_at(0))
    opened = row_head_version(mine, ROW.id)
    assert row_head_version(theirs, ROW.id) == opened
    save_directive(theirs, replace(ROW, status="in_force"), now=_at(1), base_version=opened)
    with pytest.raises(ConflictError) as caught:
        save_directive(mine, replace(ROW, title="bản của tôi"), now=_at(2), base_version=opened)
    err = caught.value
    assert (err.theirs_version, err.mine_version) == (2, 3)
    assert "phiên bản 2" in str(err) and "phiên bản 3" in str(err) and ROW.id in str(err)
    assert "không bị mất" in str(err)
    # The newest stays theirs; mine is kept as a conflict version.
    assert load_catalogue(PlanStore(path)).get(ROW.id) == replace(ROW, status="in_force")
    kept = open_row_version(mine, ROW.id, 3)
    assert kept.conflict and kept.based_on == 1 and kept.directive.title == "bản của tôi"
    assert row_head_version(mine, ROW.id) == 2
    # “Keep mine”: restoring the conflict version makes it the newest.
    assert restore_row_version(mine, ROW.id, 3, now=_at(3)) == 4
    assert user_directives(theirs)[0].title == "bản của tôi"
    # A deletion from an old version is a conflict too, and deletes nothing.
    with pytest.raises(ConflictError):
        delete_directive(theirs, ROW.id, now=_at(4), base_version=2)
    assert [d.id for d in user_directives(mine)] == [ROW.id]


def test_concurrent_saves_from_two_stores_lose_nothing(db_target: str | Path) -> None:
    path = db_target
    save_directive(PlanStore(path), ROW, now=_at(0))
    outcomes: list[tuple[str, int]] = []
    lock = threading.Lock()

    def worker(name: str) -> None:
        store = PlanStore(path)
        for n in range(12):
            base = row_head_version(store, ROW.id)
            row = replace(ROW, title=f"{name} {n}")
            try:
                version = save_directive(store, row, now=_at(n), base_version=base, author=name)
                outcome = ("saved", version)
            except ConflictError as err:
                outcome = ("conflict", err.mine_version)
            with lock:
                outcomes.append(outcome)

    threads = [threading.Thread(target=worker, args=(n,)) for n in ("an", "binh")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    history = row_history(PlanStore(path), ROW.id)
    assert len(outcomes) == 24
    assert sorted(v for _kind, v in outcomes) == list(range(2, 26))  # every save a version
    assert [h.version for h in history] == list(range(25, 0, -1))
    conflicts = {v for kind, v in outcomes if kind == "conflict"}
    assert {h.version for h in history if h.conflict} == conflicts
    head = row_head_version(PlanStore(path), ROW.id)
    assert head == max(v for kind, v in outcomes if kind == "saved")
    # Every saved title is still in the history, whoever won.
    titles = {h.directive.title for h in history}
    assert {f"{who} {n}" for who in ("an", "binh") for n in range(12)} <= titles
    assert (
        user_directives(PlanStore(path))[0]
        == open_row_version(PlanStore(path), ROW.id, head).directive
    )


def test_bulk_save_adds_a_version_to_each_row(db_target: str | Path) -> None:
    store = PlanStore(db_target)
    other = replace(ROW, id="kh-13-ubnd-2021", number="13", symbol="13/KH-UBND")
    assert save_directives(store, [ROW, other], now=_at(0)) == 2
    assert save_directives(store, [replace(ROW, status="expired")], now=_at(1), note="Nhập") == 1
    assert [(h.version, h.note) for h in row_history(store, ROW.id)] == [
        (2, "Nhập"),
        (1, "Tạo mới"),
    ]
    assert row_head_version(store, other.id) == 1


def _old_store(path: Path, migrations: int = 3) -> None:
    """A store file as the program wrote it before rows had versions."""
    con = sqlite3.connect(path, isolation_level=None)
    con.execute(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"
    )
    for number, sql in enumerate(MIGRATIONS[:migrations], start=1):
        for statement in statements(migration_sql(sql, "sqlite")):
            con.execute(statement)
        con.execute("INSERT INTO schema_migrations VALUES (?, datetime('now'))", (number,))
    rows = [
        (ROW.id, ROW, "2024-01-02T10:00:00", 0),
        (
            "vb-xoa",
            replace(ROW, id="vb-xoa", symbol="99/KH-UBND", number="99"),
            "2024-01-03T10:00:00",
            1,
        ),
    ]
    for ident, d, stamp, deleted in rows:
        con.execute(
            "INSERT INTO user_directives (id, data, updated_at, deleted) VALUES (?, ?, ?, ?)",
            (ident, json.dumps(d.to_row(), ensure_ascii=False), stamp, deleted),
        )
    con.close()


def test_migration_keeps_every_existing_row_as_version_1(tmp_path: Path) -> None:
    """SQLite only: old store files (from before versions) exist only as SQLite files."""
    path = tmp_path / "old.db"
    _old_store(path)
    store = PlanStore(path)  # opening migrates
    assert user_directives(store) == [ROW]
    [first] = row_history(store, ROW.id)
    assert (first.version, first.based_on, first.conflict, first.deleted) == (1, None, False, False)
    assert first.saved_at == datetime(2024, 1, 2, 10, 0) and first.author is None
    assert first.directive == ROW
    [gone] = row_history(store, "vb-xoa")
    assert gone.deleted and gone.version == 1
    assert save_directive(store, replace(ROW, status="in_force"), now=_at(0), base_version=1) == 2
    assert [(h.version, h.note) for h in row_history(store, ROW.id)] == [
        (2, ""),
        (1, "Lưu trước khi danh mục có lịch sử"),
    ]
    assert open_row_version(store, ROW.id, 1).directive == ROW
    restore_row_version(store, "vb-xoa", 1, now=_at(1))  # still deleted: restored as it was
    assert [d.id for d in user_directives(store)] == [ROW.id]
    with sqlite3.connect(path) as con:
        assert con.execute("SELECT MAX(version) FROM schema_migrations").fetchone()[0] == len(
            MIGRATIONS
        )


def test_a_read_only_old_store_still_shows_rows_and_history(tmp_path: Path) -> None:
    """SQLite only: a read-only old store file (file permissions)."""
    path = tmp_path / "old.db"
    _old_store(path)
    path.chmod(0o444)
    tmp_path.chmod(0o555)
    try:
        store = PlanStore(path)
        assert user_directives(store) == [ROW]
        assert [h.version for h in row_history(store, ROW.id)] == [1]
        assert row_head_version(store, ROW.id) == 1
        assert catalogue_stamp(store)
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as con:  # never migrated
            assert con.execute("SELECT MAX(version) FROM schema_migrations").fetchone()[0] == 3
    finally:
        tmp_path.chmod(0o755)
        path.chmod(0o644)
