"""Plan storage: one SQLite file (WAL) or a PostgreSQL database, every save a new version,
conflicts never overwrite.

The newest version of a plan is stored whole; older ones as what changed (see
`planner/store/delta.py`), so an autosave adds about the size of the edit. `prune_history`
drops old versions, keeping the newest, the named ones and unsettled conflicts.

The location is `PLANNER_DB` (a file path, or a `postgresql://` URL) or `.data/planner.db`.
A connection is opened per operation, so the store is safe to share between Streamlit
sessions (threads), processes, and (on PostgreSQL) app servers. Writes take the write lock up
front (SQLite: BEGIN IMMEDIATE; PostgreSQL: one advisory lock, see `backend.py`) and wait
instead of failing. The same SQL and migrations serve both databases.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import threading
import uuid
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from planner.errors import (
    ConflictError,
    DeletedPlanError,
    NotFoundError,
    PlannerError,
    StorageError,
)
from planner.model import (
    MAX_PLAN_BYTES,
    Plan,
    bytes_problem,
    plan_from_dict,
    plan_to_dict,
    size_problem,
)
from planner.store import audit, backend, delta, health
from planner.store.backend import Connection
from planner.store.health import OK, READ_ONLY, FileCheck, StoreHealth
from planner.store.schema import (
    MIGRATIONS,
    MIGRATIONS_TABLE,
    SQLITE_HEADER_BYTES,
    applied_stamp,
    error_code,
    error_text,
    is_damage,
    migration_sql,
    statements,
)
from planner.store.schema import SQLITE_READONLY as _SQLITE_READONLY

DEFAULT_DB = Path(".data") / "planner.db"
BUSY_TIMEOUT_MS = 15_000
RESTORE_HINT = "python -m planner db restore TỆP_SAO_LƯU"
MAX_LABEL = 200
PG_IDLE_CONNECTIONS = 8  # PostgreSQL connections a store keeps open for reuse
RECENT_VERSIONS = 8  # whole versions remembered per store (see `_remember`)
_ROW_ERRORS = (json.JSONDecodeError, zlib.error, UnicodeDecodeError, TypeError)
_BASE_PREFIX = re.compile(rb'\{"\$base":(\d+),')


@dataclass(frozen=True)
class PlanSummary:
    id: str
    title: str
    year: int
    updated_at: datetime
    version: int
    deleted: bool
    unit: str | None = None  # the unit the plan belongs to (None: personal mode, no units)
    review_status: str = "draft"  # draft | submitted | approved (see planner/review)


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
    label: str = ""  # the name the user gave this version (kept by history pruning)
    resolved: bool = False  # a conflict version the user has settled
    author: str | None = None  # the account that saved it (None: personal mode, CLI)


@dataclass(frozen=True)
class PruneResult:
    plans: int  # plans looked at
    removed: int  # versions removed
    bytes_before: int  # stored version data of those plans, before and after
    bytes_after: int


def default_db_path() -> Path:
    """`PLANNER_DB` when set, else `.data/planner.db` under the working directory."""
    return Path(os.environ.get("PLANNER_DB") or DEFAULT_DB)


def default_db() -> str | Path:
    """`PLANNER_DB` as it is when it is a PostgreSQL URL, else `default_db_path()`."""
    value = os.environ.get("PLANNER_DB") or ""
    return value.strip() if backend.is_url(value) else default_db_path()


def default_db_key() -> str:
    """The default store as one string: the URL, or the file's absolute path."""
    target = default_db()
    return target if isinstance(target, str) else str(target.resolve())


class PlanStore:
    """Versioned plans in SQLite or PostgreSQL. Every method that writes takes `now` from the
    caller."""

    def __init__(self, path: str | Path | None = None) -> None:
        """Open (or create) the store: a file path or a `postgresql://` URL (None: the
        default, `PLANNER_DB`). Never raises for a damaged, read-only or unreachable store:
        it then serves what it can read and refuses writes (see `health()`)."""
        target = path if path is not None else default_db()
        self.url: str | None = str(target).strip() if backend.is_url(target) else None
        self.dialect = backend.POSTGRES if self.url else backend.SQLITE
        # Messages name `location` (a URL without its password); `path` is the file (for a
        # PostgreSQL store, only a key naming it).
        self.location = backend.redacted(self.url) if self.url else str(target)
        self.path = Path(self.location) if self.url else Path(target)
        self._pg_check: FileCheck | None = None
        self._pg_idle: list[backend.PgConnection] = []  # connections kept for reuse
        self._pg_lock = threading.Lock()
        self._recent: dict[tuple[str, int], tuple[str, Any]] = {}
        self._recent_lock = threading.Lock()
        self._accounts_ready = False  # see `_has_accounts`
        if self.url:
            self._pg_prepare()
        else:
            self._prepare()

    def _pg_prepare(self) -> None:
        """Check the PostgreSQL database and apply migrations when it is ours (or empty)."""
        assert self.url is not None
        check = health.inspect_postgres(self.url, self.location)
        if check.status == OK:
            try:
                with backend.closing(backend.pg_connect(self.url)) as con:
                    self._migrate(con)
            except backend.pg_errors() as err:
                problem = (
                    f"Không chuẩn bị được cơ sở dữ liệu PostgreSQL {self.location}: "
                    f"{backend.pg_error_text(err)}."
                )
                check = FileCheck(
                    self.path, health.UNAVAILABLE, (problem,), health.empty_snapshot()
                )
        self._pg_check = check

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
            con = backend.sqlite_connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000)
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
        """The file's check (cached per file identity: a rerun costs one `stat`). On
        PostgreSQL: the connection and schema check, made again after a connection failed."""
        if self.url is not None:
            check = self._pg_check
            if check is None:
                check = health.inspect_postgres(self.url, self.location)
                if check.status == OK:
                    self._pg_prepare()
                    check = self._pg_check or check
                self._pg_check = check
            return check
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
            return StoreHealth(self.where, check.status, (*check.problems, str(err)), ())
        return StoreHealth(self.where, check.status, check.problems, plans, check.lost_rows)

    @property
    def where(self) -> Path | str:
        """The file, or the URL (without password) of a PostgreSQL store."""
        return self.location if self.url else self.path

    def _refusal(self, check: FileCheck) -> str:
        if check.status == READ_ONLY:
            why = " ".join(check.problems)
            return f"Cơ sở dữ liệu đang ở chế độ chỉ đọc nên không lưu được thay đổi. {why}"
        return (
            f"Cơ sở dữ liệu {self.location} bị hỏng hoặc không dùng được nên chỉ mở để đọc; thay "
            f"đổi không được lưu. Hãy khôi phục từ bản sao lưu: {RESTORE_HINT}"
        )

    # ------------------------------------------------------------ connections

    @contextmanager
    def connect(self) -> Iterator[Connection]:
        """A connection in autocommit mode; use `with self.transaction()` to write.

        A read-only store is opened read-only; a damaged or unavailable one reads its snapshot
        (what could still be read). Any database error becomes a Vietnamese StorageError.
        """
        check = self.file_check()
        if self.url is not None and check.snapshot is None:
            with self._pg_connect() as pg:
                yield pg
            return
        timeout = BUSY_TIMEOUT_MS / 1000
        con: backend.SqliteConnection
        try:
            if check.snapshot is not None:
                con = backend.sqlite_connect(
                    health.file_uri(check.snapshot, mode="ro"), uri=True, timeout=timeout
                )
            elif check.status == READ_ONLY:
                con = health.read_only_connection(self.path, timeout)
                con.isolation_level = None
            else:
                con = backend.sqlite_connect(self.path, timeout=timeout)
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
    def _pg_connect(self) -> Iterator[Connection]:
        """A PostgreSQL connection; a psycopg error becomes a Vietnamese StorageError and a
        lost connection makes the next operation check the server again."""
        assert self.url is not None
        errors = backend.pg_errors()
        with self._pg_lock:
            con = self._pg_idle.pop() if self._pg_idle else None
        try:
            if con is None:
                con = backend.pg_connect(self.url)
        except errors as err:
            self._pg_check = None
            raise StorageError(
                f"Không kết nối được cơ sở dữ liệu {self.location}: {backend.pg_error_text(err)}."
            ) from err
        reuse = False
        try:
            yield con
            reuse = con.idle()
        except errors as err:
            if str(getattr(err, "sqlstate", None) or "08")[:2] in ("08", "57"):
                self._pg_check = None
                self._drop_idle()
            raise StorageError(
                f"Không đọc hoặc ghi được cơ sở dữ liệu {self.location}: "
                f"{backend.pg_error_text(err)}."
            ) from err
        finally:
            with self._pg_lock:
                if reuse and len(self._pg_idle) < PG_IDLE_CONNECTIONS:
                    self._pg_idle.append(con)
                    con = None
            if con is not None:
                con.close()

    def _drop_idle(self) -> None:
        """Close the kept connections (after the server went away)."""
        with self._pg_lock:
            idle, self._pg_idle = self._pg_idle, []
        for con in idle:
            con.close()

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """A write transaction holding the write lock from its start (no upgrade deadlocks).

        Refused up front, before anything is tried, when the store cannot be written."""
        check = self.file_check()
        if check.status != OK:
            raise StorageError(self._refusal(check))
        with self.connect() as con:
            try:
                con.begin_write()
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

    def _migrate(self, con: Connection) -> None:
        if not con.has_table("schema_migrations"):
            con.begin_write()  # PostgreSQL: two servers starting together create it once
            try:
                con.execute(MIGRATIONS_TABLE)
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")
        done = {r[0] for r in con.execute("SELECT version FROM schema_migrations")}
        for number, migration in enumerate(MIGRATIONS, start=1):
            if number in done:
                continue
            sql = migration_sql(migration, con.dialect)
            con.begin_write()
            try:
                # Another process may have applied it while we waited for the lock.
                if con.execute(
                    "SELECT 1 FROM schema_migrations WHERE version=?", (number,)
                ).fetchone():
                    con.execute("COMMIT")
                    continue
                for statement in statements(sql):
                    con.execute(statement)
                con.execute(
                    "INSERT INTO schema_migrations VALUES (?, ?)", (number, applied_stamp())
                )
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")

    # ------------------------------------------------------------ plans

    def create(
        self,
        plan: Plan,
        *,
        now: datetime,
        title: str | None = None,
        author: str | None = None,
        unit: str | None = None,
    ) -> str:
        """Store a new plan (its version 1) and return its id. `author` is the account that
        creates it and `unit` the unit it belongs to (both None in personal mode)."""
        return self._create(plan, now=now, title=title, author=author, unit=unit)

    def _create(
        self,
        plan: Plan,
        *,
        now: datetime,
        title: str | None,
        author: str | None,
        unit: str | None,
        action: str = "plan.create",
        detail: str = "",
    ) -> str:
        plan_id = uuid.uuid4().hex[:12]
        stamp = now.isoformat(timespec="seconds")
        data, text = self._checked_data(plan)
        with self.transaction() as con:
            con.execute(
                "INSERT INTO plans (id, name, subject_title, year, created_at, updated_at, "
                "head_version, unit, created_by) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?)",
                (plan_id, title or None, plan.title, plan.meta.year, stamp, stamp, unit, author),
            )
            self._insert_row(con, plan_id, 1, text, stamp, None, "Tạo mới", False, author)
            audit.record(con, at=now, user=author, action=action, plan_id=plan_id, detail=detail)
        self._remember(plan_id, 1, text, data)
        return plan_id

    def list_plans(self, *, include_deleted: bool = False) -> list[PlanSummary]:
        """Plans, the most recently changed first."""
        with self.connect() as con:
            extra = ", unit, review_status" if self._has_accounts(con) else ""
            sql = "SELECT id, COALESCE(name, subject_title), year, updated_at, head_version, "
            sql += f"deleted_at IS NOT NULL{extra} FROM plans"
            if not include_deleted:
                sql += " WHERE deleted_at IS NULL"
            sql += " ORDER BY updated_at DESC, rowid DESC"
            rows = con.execute(sql).fetchall()
        return [
            PlanSummary(
                r[0],
                r[1],
                r[2],
                datetime.fromisoformat(r[3]),
                r[4],
                bool(r[5]),
                *((r[6], r[7] or "draft") if extra else ()),
            )
            for r in rows
        ]

    def open(self, plan_id: str) -> StoredPlan:
        """The newest version of a plan (a deleted plan can still be opened to restore it)."""
        with self.connect() as con:
            row = self._plan_row(con, plan_id)
            found = con.execute(
                "SELECT 1 FROM plan_versions WHERE plan_id=? AND version=?", (plan_id, row[3])
            ).fetchone()
            if found is None:
                raise StorageError(
                    f"Kế hoạch “{row[0]}” bị mất phiên bản mới nhất (phiên bản {row[3]}) nên "
                    f"không mở được. Hãy khôi phục một phiên bản cũ hơn hoặc khôi phục từ bản "
                    f"sao lưu: {RESTORE_HINT}"
                )
            data = self._version_data(con, plan_id, int(row[3]))
        plan = self._plan(data, plan_id)
        return StoredPlan(plan_id, row[0], row[3], plan, datetime.fromisoformat(row[2]))

    def save(
        self,
        plan_id: str,
        plan: Plan,
        *,
        base_version: int,
        now: datetime,
        note: str = "",
        author: str | None = None,
    ) -> int:
        """Store `plan` as a new version made from `base_version`; return the new version.

        If someone saved since `base_version`, nothing is overwritten: this plan is kept as a
        version marked as a conflict and `ConflictError` names both versions. A plan in the
        bin takes no saves: `DeletedPlanError`, nothing stored (restore it first). `author`
        (the account saving; None in personal mode) is kept with the version and the audit
        entry written in the same transaction.
        """
        return self._save(
            plan_id, plan, base_version=base_version, now=now, note=note, author=author
        )

    def _save(
        self,
        plan_id: str,
        plan: Plan,
        *,
        base_version: int,
        now: datetime,
        note: str,
        author: str | None,
        action: str = "plan.save",
        detail: str = "",
    ) -> int:
        stamp = now.isoformat(timespec="seconds")
        data, text = self._checked_data(plan)
        with self.transaction() as con:
            row = self._plan_row(con, plan_id)
            if row[4] is not None:
                raise DeletedPlanError(
                    f"Kế hoạch “{row[0]}” đã được chuyển vào thùng rác nên thay đổi chưa được "
                    "lưu. Hãy khôi phục kế hoạch từ thùng rác rồi lưu lại, hoặc lưu thành một "
                    "kế hoạch mới.",
                    plan_id=plan_id,
                    title=row[0],
                )
            head = int(row[3])
            new = self._next_version(con, plan_id)
            conflict = base_version != head
            if not conflict:  # first, so that the new row reuses the pages it frees
                self._demote_previous(con, plan_id, head)
            self._insert_row(con, plan_id, new, text, stamp, base_version, note, conflict, author)
            if not conflict:
                con.execute(
                    "UPDATE plans SET head_version=?, updated_at=?, subject_title=?, year=? "
                    "WHERE id=?",
                    (new, stamp, plan.title, plan.meta.year, plan_id),
                )
            audit.record(
                con,
                at=now,
                user=author,
                action="plan.conflict" if conflict else action,
                plan_id=plan_id,
                detail=f"phiên bản {new}" + (f"; {detail}" if detail else ""),
            )
        if not conflict:
            self._remember(plan_id, new, text, data)
        if conflict:
            raise ConflictError(
                f"Kế hoạch “{row[0]}” vừa được lưu ở nơi khác (phiên bản {head}) sau khi bạn mở "
                f"nó (phiên bản {base_version}). Thay đổi của bạn không bị mất: đã được giữ riêng "
                f"thành phiên bản {new}. Hãy chọn giữ bản của bạn hoặc bản mới nhất.",
                theirs_version=head,
                mine_version=new,
            )
        return new

    def rename(self, plan_id: str, title: str, *, now: datetime, author: str | None = None) -> None:
        title = " ".join(title.split())
        if not title:
            raise StorageError("Tên kế hoạch không được để trống.")
        with self.transaction() as con:
            self._plan_row(con, plan_id)
            con.execute(
                "UPDATE plans SET name=?, updated_at=? WHERE id=?",
                (title, now.isoformat(timespec="seconds"), plan_id),
            )
            audit.record(
                con, at=now, user=author, action="plan.rename", plan_id=plan_id, detail=title
            )

    def duplicate(
        self,
        plan_id: str,
        *,
        now: datetime,
        author: str | None = None,
        unit: str | None = None,
    ) -> str:
        """A new plan holding a copy of the newest version; returns the new id. `unit`: the
        unit the copy belongs to (the copier's; None in personal mode)."""
        src = self.open(plan_id)
        return self._create(
            src.plan,
            now=now,
            title=f"{src.title} (bản sao)",
            author=author,
            unit=unit,
            action="plan.duplicate",
            detail=f"bản sao của {plan_id}",
        )

    def delete(self, plan_id: str, *, now: datetime, by: str | None = None) -> None:
        """Move a plan to the bin: hidden from the list, restorable with `restore`. `by`: the
        account that deleted it (kept in `plans.deleted_by`)."""
        with self.transaction() as con:
            self._plan_row(con, plan_id)
            con.execute(
                "UPDATE plans SET deleted_at=?, deleted_by=? WHERE id=?",
                (now.isoformat(timespec="seconds"), by, plan_id),
            )
            audit.record(con, at=now, user=by, action="plan.delete", plan_id=plan_id)

    def restore(self, plan_id: str, *, now: datetime, by: str | None = None) -> None:
        """Take a plan out of the bin (the audit entry is stamped `now`)."""
        with self.transaction() as con:
            self._plan_row(con, plan_id)
            con.execute("UPDATE plans SET deleted_at=NULL, deleted_by=NULL WHERE id=?", (plan_id,))
            audit.record(
                con,
                at=now,
                user=by,
                action="plan.restore",
                plan_id=plan_id,
            )

    def versions(self, plan_id: str) -> list[VersionInfo]:
        """Every stored version, newest first (conflict copies included)."""
        with self.connect() as con:
            self._plan_row(con, plan_id)
            author = ", author" if self._has_accounts(con) else ""
            rows = con.execute(
                f"SELECT version, saved_at, note, conflict, based_on{author} FROM plan_versions "
                "WHERE plan_id=? ORDER BY version DESC",
                (plan_id,),
            ).fetchall()
            marks = self._marks(con, plan_id)
        out = []
        for r in rows:
            label, resolved = marks.get(r[0], ("", False))
            out.append(
                VersionInfo(
                    r[0],
                    datetime.fromisoformat(r[1]),
                    r[2],
                    bool(r[3]),
                    r[4],
                    label,
                    resolved,
                    r[5] if author else None,
                )
            )
        return out

    def open_version(self, plan_id: str, version: int) -> Plan:
        with self.connect() as con:
            self._plan_row(con, plan_id)
            data = self._version_data(con, plan_id, version)
        return self._plan(data, plan_id)

    def restore_version(
        self, plan_id: str, version: int, *, now: datetime, author: str | None = None
    ) -> int:
        """Make an earlier version the newest again (as a new version: nothing is lost).
        Restoring a conflict version settles it."""
        plan = self.open_version(plan_id, version)
        with self.connect() as con:
            head = int(self._plan_row(con, plan_id)[3])  # the head itself may be unreadable
            conflict = con.execute(
                "SELECT conflict FROM plan_versions WHERE plan_id=? AND version=?",
                (plan_id, version),
            ).fetchone()
        new = self._save(
            plan_id,
            plan,
            base_version=head,
            now=now,
            note=f"Khôi phục phiên bản {version}",
            author=author,
            action="plan.restore_version",
            detail=f"từ phiên bản {version}",
        )
        if conflict and conflict[0]:
            self.resolve_conflict(plan_id, version, now=now, author=author)
        return new

    def name_version(
        self,
        plan_id: str,
        version: int,
        label: str,
        *,
        now: datetime,
        author: str | None = None,
    ) -> None:
        """Give a version a name (kept by `prune_history`); an empty name removes it (the audit
        entry is stamped `now`)."""
        label = " ".join(label.split())
        if len(label) > MAX_LABEL:
            raise StorageError(f"Tên phiên bản dài quá {MAX_LABEL} ký tự; hãy đặt tên ngắn hơn.")
        with self.transaction() as con:
            self._existing_version(con, plan_id, version)
            self._set_mark(con, plan_id, version, "label", label or None)
            audit.record(
                con,
                at=now,
                user=author,
                action="plan.name_version",
                plan_id=plan_id,
                detail=f"phiên bản {version}: {label}" if label else f"phiên bản {version}",
            )

    def resolve_conflict(
        self, plan_id: str, version: int, *, now: datetime, author: str | None = None
    ) -> None:
        """Mark a conflict version as settled by the user (`prune_history` may then drop it)."""
        with self.transaction() as con:
            row = self._existing_version(con, plan_id, version)
            if not row[0]:
                raise StorageError(f"Phiên bản {version} không phải bản xung đột.")
            self._set_mark(con, plan_id, version, "resolved_at", now.isoformat(timespec="seconds"))
            audit.record(
                con,
                at=now,
                user=author,
                action="plan.resolve_conflict",
                plan_id=plan_id,
                detail=f"phiên bản {version}",
            )

    def prune_history(
        self, plan_id: str | None, older_than_days: int, *, now: datetime
    ) -> PruneResult:
        """Remove versions saved more than `older_than_days` days before `now`, of one plan or
        of every plan (the bin included). Always kept: the newest version, every named version
        and every conflict version not yet settled. Kept versions stay readable exactly."""
        if older_than_days < 0:
            raise StorageError("Số ngày phải từ 0 trở lên.")
        cutoff = now - timedelta(days=older_than_days)
        result = PruneResult(0, 0, 0, 0)
        with self.transaction() as con:
            if plan_id is None:
                ids = [r[0] for r in con.execute("SELECT id FROM plans ORDER BY rowid")]
            else:
                self._plan_row(con, plan_id)
                ids = [plan_id]
            for pid in ids:
                removed, before, after = self._prune_plan(con, pid, cutoff)
                result = PruneResult(
                    result.plans + 1,
                    result.removed + removed,
                    result.bytes_before + before,
                    result.bytes_after + after,
                )
        return result

    def vacuum(self) -> None:
        """Give the space of removed rows back to the file system (rewrites the file)."""
        check = self.file_check()
        if check.status != OK:
            raise StorageError(self._refusal(check))
        with self.connect() as con:
            con.execute("VACUUM")

    # ------------------------------------------------------------ internals

    def _plan_row(self, con: Connection, plan_id: str) -> tuple[Any, ...]:
        row = con.execute(
            "SELECT COALESCE(name, subject_title), year, updated_at, head_version, deleted_at "
            "FROM plans WHERE id=?",
            (plan_id,),
        ).fetchone()
        if row is None:
            raise NotFoundError(f"Không tìm thấy kế hoạch có mã “{plan_id}”.")
        return tuple(row)

    @staticmethod
    def _next_version(con: Connection, plan_id: str) -> int:
        (top,) = con.execute(
            "SELECT COALESCE(MAX(version), 0) FROM plan_versions WHERE plan_id=?", (plan_id,)
        ).fetchone()
        return int(top) + 1

    @staticmethod
    def _insert_row(
        con: Connection,
        plan_id: str,
        version: int,
        data: str | bytes,
        stamp: str,
        based_on: int | None,
        note: str,
        conflict: bool,
        author: str | None = None,
    ) -> None:
        con.execute(
            "INSERT INTO plan_versions (plan_id, version, saved_at, based_on, note, conflict, "
            "data, author) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (plan_id, version, stamp, based_on, note, int(conflict), con.blob(data), author),
        )

    def _demote_previous(self, con: Connection, plan_id: str, head: int) -> None:
        """After a save made a new newest version, store the version before the old head as a
        delta against the old head (every `KEYFRAME_EVERY`-th one compressed, whole instead).
        The newest two versions thus stay whole: a damaged newest row can be repaired from the
        one before it (restore_version); an older version replays one delta per version up
        to the next keyframe."""
        found = con.execute(
            "SELECT based_on, data FROM plan_versions WHERE plan_id=? AND version=?",
            (plan_id, head),
        ).fetchone()
        previous = found[0] if found else None
        if previous is None or previous >= head or not isinstance(found[1], str):
            return
        row = con.execute(
            "SELECT data, conflict FROM plan_versions WHERE plan_id=? AND version=?",
            (plan_id, previous),
        ).fetchone()
        if row is None or row[1] or not isinstance(row[0], str):
            return  # gone, a conflict copy (kept whole), or already compressed
        try:
            old = self._recalled(plan_id, previous, row[0])
            stored = delta.full_row(old)
            if previous % delta.KEYFRAME_EVERY:
                head_data = self._recalled(plan_id, head, found[1])
                patch = delta.delta_row(head, head_data, old)
                # Checked by replaying it on a fresh copy: kept only if it gives the exact text.
                _, replay = delta.decode_row(patch)
                if delta.whole_text(delta.apply(json.loads(found[1]), replay)) == row[0]:
                    stored = patch
        except (json.JSONDecodeError, RecursionError):
            return  # an unreadable row is left as it is
        con.execute(
            "UPDATE plan_versions SET data=? WHERE plan_id=? AND version=?",
            (con.blob(stored), plan_id, previous),
        )

    def _remember(self, plan_id: str, version: int, text: str, data: Any) -> None:
        """Keep the JSON data of a whole version just written: the saves that follow need it
        to store the versions before as deltas, without parsing the whole plan again."""
        with self._recent_lock:
            self._recent[(plan_id, version)] = (text, data)
            while len(self._recent) > RECENT_VERSIONS:
                self._recent.pop(next(iter(self._recent)))

    def _recalled(self, plan_id: str, version: int, text: str) -> Any:
        """The JSON data of a stored whole row: remembered when the row is the very text this
        store wrote (compared in full), else parsed. Never changed by the caller."""
        with self._recent_lock:
            known = self._recent.get((plan_id, version))
        if known is not None and known[0] == text:
            return known[1]
        return json.loads(text)

    @staticmethod
    def _checked_data(plan: Plan) -> tuple[dict[str, Any], str]:
        """The plan's JSON data and text; a plan larger than the app serves is refused, not
        stored."""
        problem = size_problem(plan)
        data = plan_to_dict(plan)
        text = delta.whole_text(data)
        if problem is None and len(text) > MAX_PLAN_BYTES // 4:  # else surely small enough
            problem = bytes_problem(len(text.encode("utf-8", "surrogatepass")))
        if problem:
            raise StorageError(f"Không lưu được: kế hoạch {problem}.")
        return data, text

    @staticmethod
    def _existing_version(con: Connection, plan_id: str, version: int) -> tuple[Any, ...]:
        row = con.execute(
            "SELECT conflict FROM plan_versions WHERE plan_id=? AND version=?", (plan_id, version)
        ).fetchone()
        if row is None:
            raise NotFoundError(f"Không có phiên bản {version} của kế hoạch này.")
        return tuple(row)

    def _has_accounts(self, con: Connection) -> bool:
        """False in a store made before accounts (migration 5) and not yet migrated (read-only):
        it has no `plans.unit`, `plans.review_status`, `plan_versions.author`. A yes is
        remembered (a migrated store stays migrated)."""
        if not self._accounts_ready:
            self._accounts_ready = con.has_table("audit_log")
        return self._accounts_ready

    @staticmethod
    def _has_marks(con: Connection) -> bool:
        """False in a store made before named versions existed and not yet migrated (read-only)."""
        return con.has_table("version_marks")

    def _marks(self, con: Connection, plan_id: str) -> dict[int, tuple[str, bool]]:
        if not self._has_marks(con):
            return {}
        rows = con.execute(
            "SELECT version, label, resolved_at FROM version_marks WHERE plan_id=?", (plan_id,)
        ).fetchall()
        return {int(r[0]): (r[1] or "", r[2] is not None) for r in rows}

    @staticmethod
    def _set_mark(
        con: Connection, plan_id: str, version: int, column: str, value: str | None
    ) -> None:
        assert column in ("label", "resolved_at")
        con.execute(
            "INSERT OR IGNORE INTO version_marks (plan_id, version) VALUES (?, ?)",
            (plan_id, version),
        )
        con.execute(
            f"UPDATE version_marks SET {column}=? WHERE plan_id=? AND version=?",
            (value, plan_id, version),
        )
        con.execute(
            "DELETE FROM version_marks WHERE plan_id=? AND version=? AND label IS NULL "
            "AND resolved_at IS NULL",
            (plan_id, version),
        )

    @staticmethod
    def _row_base(data: object) -> int | None:
        """The version a row is a delta against (None for a whole version), reading only the
        first bytes of the row; a damaged row counts as whole (it is never a base to keep)."""
        if not isinstance(data, bytes):
            return None
        try:
            head = zlib.decompressobj().decompress(data, 64)
        except zlib.error:
            return None
        found = _BASE_PREFIX.match(head)
        return int(found.group(1)) if found else None

    def _version_data(self, con: Connection, plan_id: str, version: int) -> Any:
        """The JSON data of one version: its row, or the whole version its deltas lead to
        with each delta replayed. Damage anywhere on the way is a Vietnamese StorageError."""
        where = (
            f"Kế hoạch {plan_id} trong cơ sở dữ liệu bị hỏng: không đọc được phiên bản {version}"
        )
        patches: list[Any] = []
        seen: set[int] = set()
        current = version
        while True:
            if current in seen or len(seen) > 100_000:
                raise StorageError(f"{where}: các phiên bản ghi dựa vào nhau thành vòng.")
            seen.add(current)
            row = con.execute(
                "SELECT data FROM plan_versions WHERE plan_id=? AND version=?", (plan_id, current)
            ).fetchone()
            if row is None:
                if current == version:
                    raise NotFoundError(f"Không có phiên bản {version} của kế hoạch này.")
                raise StorageError(
                    f"{where}: nó được ghi dưới dạng phần thay đổi so với phiên bản {current}, "
                    f"mà phiên bản {current} đã bị mất. Hãy khôi phục từ bản sao lưu: "
                    f"{RESTORE_HINT}"
                )
            try:
                base, payload = delta.decode_row(row[0])
            except _ROW_ERRORS as err:
                raise StorageError(f"{where}: {self._row_error(err, current)}.") from err
            if base is None:
                data = payload
                break
            patches.append(payload)
            current = base
        try:
            for patch in reversed(patches):
                data = delta.apply(data, patch)
        except (ValueError, TypeError, KeyError, IndexError, AttributeError) as err:
            raise StorageError(f"{where}: phần thay đổi đã lưu không khớp với bản gốc.") from err
        return data

    @staticmethod
    def _row_error(err: Exception, version: int) -> str:
        if isinstance(err, json.JSONDecodeError):
            return f"dữ liệu phiên bản {version}: {health.json_error_text(err)}"
        if isinstance(err, TypeError) and str(err) == "empty row":
            return f"dữ liệu phiên bản {version} trống"
        return f"dữ liệu phiên bản {version} bị hỏng, không giải nén được"

    def _prune_plan(self, con: Connection, plan_id: str, cutoff: datetime) -> tuple[int, int, int]:
        """Prune one plan inside the caller's transaction: (removed, bytes before, after)."""
        head = int(self._plan_row(con, plan_id)[3])
        rows = con.execute(
            "SELECT version, saved_at, conflict, data FROM plan_versions WHERE plan_id=?",
            (plan_id,),
        ).fetchall()
        marks = self._marks(con, plan_id)
        bases: dict[int, int | None] = {}
        sizes: dict[int, int] = {}
        drop: set[int] = set()
        for version, saved_at, conflict, data in rows:
            bases[version] = self._row_base(data)
            sizes[version] = len(data.encode("utf-8")) if isinstance(data, str) else len(data)
            label, resolved = marks.get(version, ("", False))
            keep = version == head or label or (conflict and not resolved)
            if not keep and _older(saved_at, cutoff):
                drop.add(version)
        before = sum(sizes.values())
        if not drop:
            return 0, before, before
        # A kept version stored as a delta whose chain passes a dropped version is stored
        # again, as a delta against the newest version (read before anything is dropped).
        rewrite: dict[int, bytes] = {}
        head_data: Any = None
        for version in bases:
            if version in drop or not self._chain_crosses(version, bases, drop):
                continue
            data = self._version_data(con, plan_id, version)
            if head_data is None:
                head_data = self._version_data(con, plan_id, head)
            rewrite[version] = delta.delta_row(head, head_data, data)
        con.executemany(
            "DELETE FROM plan_versions WHERE plan_id=? AND version=?",
            [(plan_id, v) for v in sorted(drop)],
        )
        if self._has_marks(con):
            con.executemany(
                "DELETE FROM version_marks WHERE plan_id=? AND version=?",
                [(plan_id, v) for v in sorted(drop)],
            )
        for version, data in rewrite.items():
            con.execute(
                "UPDATE plan_versions SET data=? WHERE plan_id=? AND version=?",
                (con.blob(data), plan_id, version),
            )
            sizes[version] = len(data)
        after = sum(size for v, size in sizes.items() if v not in drop)
        return len(drop), before, after

    @staticmethod
    def _chain_crosses(version: int, bases: dict[int, int | None], drop: set[int]) -> bool:
        seen = {version}
        current = bases.get(version)
        while current is not None:
            if current in drop or current not in bases or current in seen:
                return True
            seen.add(current)
            current = bases[current]
        return False

    def _plan(self, data: Any, plan_id: str) -> Plan:
        where = f"Kế hoạch {plan_id} trong cơ sở dữ liệu bị hỏng, không đọc được"
        try:
            return plan_from_dict(data, f"kế hoạch {plan_id} trong cơ sở dữ liệu")
        except PlannerError as err:
            raise StorageError(f"{where}: {err}") from err
        except (ValueError, TypeError, KeyError, AttributeError) as err:
            raise StorageError(f"{where}: nội dung không đúng cấu trúc kế hoạch.") from err

    def _decode(self, data: object, plan_id: str) -> Plan:
        """One stored row, which must hold a whole version (the newest always does), as a
        Plan; a damaged row is a Vietnamese StorageError."""
        where = f"Kế hoạch {plan_id} trong cơ sở dữ liệu bị hỏng, không đọc được"
        try:
            base, raw = delta.decode_row(data)
        except (json.JSONDecodeError, TypeError) as err:
            reason = (
                health.json_error_text(err)
                if isinstance(err, json.JSONDecodeError)
                else "dữ liệu trống"
            )
            raise StorageError(f"{where}: {reason}.") from err
        except (zlib.error, UnicodeDecodeError) as err:
            raise StorageError(f"{where}: dữ liệu không giải nén được.") from err
        if base is not None:
            raise StorageError(
                f"{where}: phiên bản mới nhất chỉ lưu phần thay đổi so với phiên bản {base}."
            )
        return self._plan(raw, plan_id)


def _older(saved_at: str, cutoff: datetime) -> bool:
    """True when `saved_at` (ISO text) is before `cutoff`; aware and naive times compare by
    their wall-clock reading."""
    try:
        saved = datetime.fromisoformat(saved_at)
    except ValueError:
        return False  # an unreadable time is never taken as old
    if (saved.tzinfo is None) != (cutoff.tzinfo is None):
        saved, cutoff = saved.replace(tzinfo=None), cutoff.replace(tzinfo=None)
    return saved < cutoff
