"""Plan storage: one SQLite file (WAL), every save a new version, conflicts never overwrite.

The path is `PLANNER_DB` or `.data/planner.db`. A connection is opened per operation, so the
store is safe to share between Streamlit sessions (threads) and processes. Writes take the
write lock up front (BEGIN IMMEDIATE) and wait on a busy timeout instead of failing.
"""

from __future__ import annotations

import json
import os
import sqlite3
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from planner.errors import ConflictError, NotFoundError, PlannerError, StorageError
from planner.model import Plan, plan_from_dict, plan_to_dict
from planner.store import health
from planner.store.health import OK, READ_ONLY, FileCheck, StoreHealth
from planner.store.schema import (
    MIGRATIONS,
    MIGRATIONS_TABLE,
    SQLITE_HEADER_BYTES,
    error_code,
    error_text,
    is_damage,
    statements,
)
from planner.store.schema import SQLITE_READONLY as _SQLITE_READONLY

DEFAULT_DB = Path(".data") / "planner.db"
BUSY_TIMEOUT_MS = 15_000
RESTORE_HINT = "python -m planner db restore TỆP_SAO_LƯU"


@dataclass(frozen=True)
class PlanSummary:
    id: str
    title: str
    year: int
    updated_at: datetime
    version: int
    deleted: bool


@dataclass(frozen=True)
class StoredPlan:
    id: str
    title: str
    version: int
    plan: Plan
    updated_at: datetime


@dataclass(frozen=True)
class VersionInfo:
    version: int
    saved_at: datetime
    note: str
    conflict: bool
    based_on: int | None


def default_db_path() -> Path:
    """`PLANNER_DB` when set, else `.data/planner.db` under the working directory."""
    return Path(os.environ.get("PLANNER_DB") or DEFAULT_DB)


class PlanStore:
    """Versioned plans in SQLite. Every method that writes takes `now` from the caller."""

    def __init__(self, path: str | Path | None = None) -> None:
        """Open (or create) the store. Never raises for a damaged, read-only or unreachable
        file: the store then serves what it can read and refuses writes (see `health()`)."""
        self.path = Path(path) if path is not None else default_db_path()
        self._prepare()

    def _prepare(self) -> None:
        """Create the file and apply migrations, only when the file may be written and is
        either new or intact (a damaged file is never written to)."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError:
            return  # reported by health(): UNAVAILABLE
        if health.write_problem(self.path):
            return
        try:
            is_new = self.path.stat().st_size == 0
        except FileNotFoundError:
            is_new = True
        except OSError:
            return
        if not is_new:
            try:
                with open(self.path, "rb") as fh:
                    if not fh.read(len(SQLITE_HEADER_BYTES)) == SQLITE_HEADER_BYTES:
                        return
            except OSError:
                return
            if health.check_file(self.path).status != OK:
                return
        try:
            con = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        except sqlite3.Error:
            return
        try:
            con.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            con.execute("PRAGMA journal_mode=WAL")
            self._migrate(con)
        except sqlite3.Error as err:
            if error_code(err) == _SQLITE_READONLY:
                health.mark_read_only(self.path)
            health.forget(self.path)
        finally:
            con.close()

    # ------------------------------------------------------------ health

    def file_check(self) -> FileCheck:
        """The file's check (cached per file identity: a rerun costs one `stat`)."""
        return health.check_file(self.path)

    @property
    def writable(self) -> bool:
        """False when every write will be refused (read-only, damaged or unavailable store)."""
        return self.file_check().status == OK

    def health(self) -> StoreHealth:
        """The file's state and every plan with whether it can still be read."""
        check = self.file_check()
        try:
            with self.connect() as con:
                plans = health.plan_states(con, check.snapshot or self.path, self._decode)
        except StorageError as err:
            return StoreHealth(self.path, check.status, (*check.problems, str(err)), ())
        return StoreHealth(self.path, check.status, check.problems, plans, check.lost_rows)

    def _refusal(self, check: FileCheck) -> str:
        if check.status == READ_ONLY:
            why = " ".join(check.problems)
            return f"Cơ sở dữ liệu đang ở chế độ chỉ đọc nên không lưu được thay đổi. {why}"
        return (
            f"Cơ sở dữ liệu {self.path} bị hỏng hoặc không dùng được nên chỉ mở để đọc; thay "
            f"đổi không được lưu. Hãy khôi phục từ bản sao lưu: {RESTORE_HINT}"
        )

    # ------------------------------------------------------------ connections

    @contextmanager
    def connect(self) -> Iterator[sqlite3.Connection]:
        """A connection in autocommit mode; use `with self.transaction()` to write.

        A read-only store is opened read-only; a damaged or unavailable one reads its snapshot
        (what could still be read). Any SQLite error becomes a Vietnamese StorageError.
        """
        check = self.file_check()
        timeout = BUSY_TIMEOUT_MS / 1000
        try:
            if check.snapshot is not None:
                con = sqlite3.connect(
                    health.file_uri(check.snapshot, mode="ro"), uri=True, isolation_level=None
                )
            elif check.status == READ_ONLY:
                con = health.read_only_connection(self.path, timeout)
                con.isolation_level = None
            else:
                con = sqlite3.connect(self.path, timeout=timeout, isolation_level=None)
        except sqlite3.Error as err:
            health.forget(self.path)
            raise StorageError(
                f"Không mở được cơ sở dữ liệu {self.path}: {error_text(err)}."
            ) from err
        try:
            con.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
            con.execute("PRAGMA foreign_keys=ON")
            yield con
        except sqlite3.Error as err:
            if error_code(err) == _SQLITE_READONLY:
                health.mark_read_only(self.path)
            if is_damage(err):
                health.forget(self.path)
            raise StorageError(
                f"Không đọc hoặc ghi được cơ sở dữ liệu {self.path}: {error_text(err)}."
            ) from err
        finally:
            con.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction holding the write lock from its start (no upgrade deadlocks).

        Refused up front, before anything is tried, when the store cannot be written."""
        check = self.file_check()
        if check.status != OK:
            raise StorageError(self._refusal(check))
        with self.connect() as con:
            try:
                con.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as err:
                if error_code(err) == _SQLITE_READONLY:
                    raise
                raise StorageError(
                    f"Cơ sở dữ liệu đang bận, chưa lưu được ({error_text(err)})."
                ) from err
            try:
                yield con
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")

    def _migrate(self, con: sqlite3.Connection) -> None:
        con.execute(MIGRATIONS_TABLE)
        done = {r[0] for r in con.execute("SELECT version FROM schema_migrations")}
        for number, sql in enumerate(MIGRATIONS, start=1):
            if number in done:
                continue
            con.execute("BEGIN IMMEDIATE")
            try:
                # Another process may have applied it while we waited for the lock.
                if con.execute(
                    "SELECT 1 FROM schema_migrations WHERE version=?", (number,)
                ).fetchone():
                    con.execute("COMMIT")
                    continue
                for statement in statements(sql):
                    con.execute(statement)
                con.execute("INSERT INTO schema_migrations VALUES (?, datetime('now'))", (number,))
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")

    # ------------------------------------------------------------ plans

    def create(self, plan: Plan, *, now: datetime, title: str | None = None) -> str:
        """Store a new plan (its version 1) and return its id."""
        plan_id = uuid.uuid4().hex[:12]
        stamp = now.isoformat(timespec="seconds")
        with self.transaction() as con:
            con.execute(
                "INSERT INTO plans (id, name, subject_title, year, created_at, updated_at, "
                "head_version) VALUES (?, ?, ?, ?, ?, ?, 1)",
                (plan_id, title or None, plan.title, plan.meta.year, stamp, stamp),
            )
            self._insert_version(con, plan_id, 1, plan, stamp, None, "Tạo mới", False)
        return plan_id

    def list_plans(self, *, include_deleted: bool = False) -> list[PlanSummary]:
        """Plans, the most recently changed first."""
        sql = "SELECT id, COALESCE(name, subject_title), year, updated_at, head_version, "
        sql += "deleted_at IS NOT NULL FROM plans"
        if not include_deleted:
            sql += " WHERE deleted_at IS NULL"
        sql += " ORDER BY updated_at DESC, rowid DESC"
        with self.connect() as con:
            rows = con.execute(sql).fetchall()
        return [
            PlanSummary(r[0], r[1], r[2], datetime.fromisoformat(r[3]), r[4], bool(r[5]))
            for r in rows
        ]

    def open(self, plan_id: str) -> StoredPlan:
        """The newest version of a plan (a deleted plan can still be opened to restore it)."""
        with self.connect() as con:
            row = self._plan_row(con, plan_id)
            data = con.execute(
                "SELECT data FROM plan_versions WHERE plan_id=? AND version=?",
                (plan_id, row[3]),
            ).fetchone()
        if data is None:
            raise StorageError(
                f"Kế hoạch “{row[0]}” bị mất phiên bản mới nhất (phiên bản {row[3]}) nên không "
                f"mở được. Hãy khôi phục một phiên bản cũ hơn hoặc khôi phục từ bản sao lưu: "
                f"{RESTORE_HINT}"
            )
        return StoredPlan(
            plan_id, row[0], row[3], self._decode(data[0], plan_id), datetime.fromisoformat(row[2])
        )

    def save(
        self, plan_id: str, plan: Plan, *, base_version: int, now: datetime, note: str = ""
    ) -> int:
        """Store `plan` as a new version made from `base_version`; return the new version.

        If someone saved since `base_version`, nothing is overwritten: this plan is kept as a
        version marked as a conflict and `ConflictError` names both versions.
        """
        stamp = now.isoformat(timespec="seconds")
        with self.transaction() as con:
            row = self._plan_row(con, plan_id)
            head = row[3]
            new = self._next_version(con, plan_id)
            conflict = base_version != head
            self._insert_version(con, plan_id, new, plan, stamp, base_version, note, conflict)
            if not conflict:
                con.execute(
                    "UPDATE plans SET head_version=?, updated_at=?, subject_title=?, year=? "
                    "WHERE id=?",
                    (new, stamp, plan.title, plan.meta.year, plan_id),
                )
        if conflict:
            raise ConflictError(
                f"Kế hoạch “{row[0]}” vừa được lưu ở nơi khác (phiên bản {head}) sau khi bạn mở "
                f"nó (phiên bản {base_version}). Thay đổi của bạn không bị mất: đã được giữ riêng "
                f"thành phiên bản {new}. Hãy chọn giữ bản của bạn hoặc bản mới nhất.",
                theirs_version=head,
                mine_version=new,
            )
        return new

    def rename(self, plan_id: str, title: str, *, now: datetime) -> None:
        title = " ".join(title.split())
        if not title:
            raise StorageError("Tên kế hoạch không được để trống.")
        with self.transaction() as con:
            self._plan_row(con, plan_id)
            con.execute(
                "UPDATE plans SET name=?, updated_at=? WHERE id=?",
                (title, now.isoformat(timespec="seconds"), plan_id),
            )

    def duplicate(self, plan_id: str, *, now: datetime) -> str:
        """A new plan holding a copy of the newest version; returns the new id."""
        src = self.open(plan_id)
        return self.create(src.plan, now=now, title=f"{src.title} (bản sao)")

    def delete(self, plan_id: str, *, now: datetime) -> None:
        """Move a plan to the bin: hidden from the list, restorable with `restore`."""
        with self.transaction() as con:
            self._plan_row(con, plan_id)
            con.execute(
                "UPDATE plans SET deleted_at=? WHERE id=?",
                (now.isoformat(timespec="seconds"), plan_id),
            )

    def restore(self, plan_id: str) -> None:
        with self.transaction() as con:
            self._plan_row(con, plan_id)
            con.execute("UPDATE plans SET deleted_at=NULL WHERE id=?", (plan_id,))

    def versions(self, plan_id: str) -> list[VersionInfo]:
        """Every stored version, newest first (conflict copies included)."""
        with self.connect() as con:
            self._plan_row(con, plan_id)
            rows = con.execute(
                "SELECT version, saved_at, note, conflict, based_on FROM plan_versions "
                "WHERE plan_id=? ORDER BY version DESC",
                (plan_id,),
            ).fetchall()
        return [
            VersionInfo(r[0], datetime.fromisoformat(r[1]), r[2], bool(r[3]), r[4]) for r in rows
        ]

    def open_version(self, plan_id: str, version: int) -> Plan:
        with self.connect() as con:
            self._plan_row(con, plan_id)
            row = con.execute(
                "SELECT data FROM plan_versions WHERE plan_id=? AND version=?", (plan_id, version)
            ).fetchone()
        if row is None:
            raise NotFoundError(f"Không có phiên bản {version} của kế hoạch này.")
        return self._decode(row[0], plan_id)

    def restore_version(self, plan_id: str, version: int, *, now: datetime) -> int:
        """Make an earlier version the newest again (as a new version: nothing is lost)."""
        plan = self.open_version(plan_id, version)
        with self.connect() as con:
            head = int(self._plan_row(con, plan_id)[3])  # the head itself may be unreadable
        return self.save(
            plan_id, plan, base_version=head, now=now, note=f"Khôi phục phiên bản {version}"
        )

    # ------------------------------------------------------------ internals

    def _plan_row(self, con: sqlite3.Connection, plan_id: str) -> tuple[Any, ...]:
        row = con.execute(
            "SELECT COALESCE(name, subject_title), year, updated_at, head_version, deleted_at "
            "FROM plans WHERE id=?",
            (plan_id,),
        ).fetchone()
        if row is None:
            raise NotFoundError(f"Không tìm thấy kế hoạch có mã “{plan_id}”.")
        return tuple(row)

    @staticmethod
    def _next_version(con: sqlite3.Connection, plan_id: str) -> int:
        (top,) = con.execute(
            "SELECT COALESCE(MAX(version), 0) FROM plan_versions WHERE plan_id=?", (plan_id,)
        ).fetchone()
        return int(top) + 1

    @staticmethod
    def _insert_version(
        con: sqlite3.Connection,
        plan_id: str,
        version: int,
        plan: Plan,
        stamp: str,
        based_on: int | None,
        note: str,
        conflict: bool,
    ) -> None:
        con.execute(
            "INSERT INTO plan_versions (plan_id, version, saved_at, based_on, note, conflict, data)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                plan_id,
                version,
                stamp,
                based_on,
                note,
                int(conflict),
                json.dumps(plan_to_dict(plan), ensure_ascii=False),
            ),
        )

    @staticmethod
    def _decode(data: str, plan_id: str) -> Plan:
        """The stored JSON as a Plan; a damaged row is a Vietnamese StorageError."""
        where = f"Kế hoạch {plan_id} trong cơ sở dữ liệu bị hỏng, không đọc được"
        try:
            raw = json.loads(data)
        except (json.JSONDecodeError, TypeError) as err:
            reason = (
                health.json_error_text(err)
                if isinstance(err, json.JSONDecodeError)
                else "dữ liệu trống"
            )
            raise StorageError(f"{where}: {reason}.") from err
        try:
            return plan_from_dict(raw, f"kế hoạch {plan_id} trong cơ sở dữ liệu")
        except PlannerError as err:
            raise StorageError(f"{where}: {err}") from err
        except (ValueError, TypeError, KeyError, AttributeError) as err:
            raise StorageError(f"{where}: nội dung không đúng cấu trúc kế hoạch.") from err
