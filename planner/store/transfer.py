"""Moving stored data between stores: a whole store (`copy_store`, SQLite ⇄ PostgreSQL, the
move from one laptop to the office server) and one plan to or from a JSON file
(`export_plan`, `import_plan`).

A copy takes every row as it is stored (versions stored as deltas stay deltas: both
databases hold the same bytes), in one transaction on the target: all or nothing. Accounts,
shares, review steps, comments and the audit log go with the plans, with their ids (a
PostgreSQL target's identity sequences are then set past them); sign-in sessions do not: they
belong to the server that opened them, and everyone signs in again on the new one.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from planner.errors import InputFileError, StorageError
from planner.model import Plan, plan_from_dict, plan_to_dict
from planner.store import audit
from planner.store.backend import Connection
from planner.store.health import OK, READ_ONLY
from planner.store.plans import PlanStore, StoredPlan

EXPORT_FORMAT = "soan-ke-hoach/ke-hoach"
EXPORT_VERSION = 1

# Every table that holds data, in the order rows can be inserted (references first), with
# its columns and the order its rows are read in (insertion order, kept by the copy).
TABLE_COPY: tuple[tuple[str, tuple[str, ...], str], ...] = (
    (
        "plans",
        (
            "id",
            "name",
            "subject_title",
            "year",
            "created_at",
            "updated_at",
            "head_version",
            "deleted_at",
            "unit",
            "review_status",
            "created_by",
            "deleted_by",
        ),
        "rowid",
    ),
    (
        "plan_versions",
        ("plan_id", "version", "saved_at", "based_on", "note", "conflict", "data", "author"),
        "plan_id, version",
    ),
    ("version_marks", ("plan_id", "version", "label", "resolved_at"), "plan_id, version"),
    ("user_directives", ("id", "data", "updated_at", "deleted", "head_version"), "rowid"),
    (
        "user_directive_versions",
        (
            "directive_id",
            "version",
            "saved_at",
            "based_on",
            "author",
            "note",
            "conflict",
            "deleted",
            "data",
        ),
        "directive_id, version",
    ),
    (
        "users",
        (
            "name",
            "display_name",
            "role",
            "unit",
            "email",
            "password_hash",
            "created_at",
            "disabled_at",
            "failed_logins",
            "locked_until",
        ),
        "created_at, name",
    ),
    ("plan_shares", ("plan_id", "user_name"), "plan_id, user_name"),
    (
        "review_events",
        ("id", "plan_id", "at", "user_name", "from_status", "to_status", "version", "reason"),
        "id",
    ),
    (
        "comments",
        (
            "id",
            "plan_id",
            "block",
            "author",
            "created_at",
            "text",
            "resolved_by",
            "resolved_at",
        ),
        "id",
    ),
    ("audit_log", ("id", "at", "user_name", "action", "plan_id", "detail"), "id"),
)
# What migration 5 (accounts) added, with the value a store from before it stands for.
ACCOUNT_COLUMNS: dict[str, dict[str, str]] = {
    "plans": {
        "unit": "NULL",
        "review_status": "'draft'",
        "created_by": "NULL",
        "deleted_by": "NULL",
    },
    "plan_versions": {"author": "NULL"},
}
ACCOUNT_TABLES = ("users", "plan_shares", "review_events", "comments", "audit_log")
IDENTITY_TABLES = ("review_events", "comments", "audit_log")  # their `id` is generated
TABLE_TEXT = {
    "plans": "kế hoạch",
    "plan_versions": "phiên bản kế hoạch",
    "version_marks": "đánh dấu phiên bản (tên, xung đột đã xử lý)",
    "user_directives": "văn bản người dùng thêm vào danh mục",
    "user_directive_versions": "phiên bản văn bản trong danh mục",
    "users": "tài khoản",
    "plan_shares": "lượt chia sẻ kế hoạch",
    "review_events": "bước duyệt kế hoạch",
    "comments": "góp ý",
    "audit_log": "dòng nhật ký thao tác",
}


@dataclass(frozen=True)
class CopyResult:
    counts: dict[str, int]  # rows copied per table (TABLE_COPY order)
    replaced: bool  # the target held data that --force replaced


def check_usable(store: PlanStore) -> None:
    """Refuse a store that is damaged or cannot be reached (its reads see nothing)."""
    check = store.file_check()
    if check.status not in (OK, READ_ONLY):
        raise StorageError(
            f"Không dùng được cơ sở dữ liệu {store.location}: {' '.join(check.problems)} "
            "Hãy kiểm tra bằng: python -m planner db check"
        )


def _counts(store: PlanStore) -> dict[str, int]:
    with store.connect() as con:
        return {
            table: int(con.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
            if con.has_table(table)
            else 0
            for table, _cols, _order in TABLE_COPY
        }


def _source_rows(src: Connection, table: str, cols: tuple[str, ...], order: str) -> list[Any]:
    """A table's rows in copy order; a store from before accounts (opened read-only, never
    migrated) gives none for the new tables and the defaults for the new columns."""
    migrated = src.has_table("audit_log")
    if not migrated and table in ACCOUNT_TABLES:
        return []
    defaults = {} if migrated else ACCOUNT_COLUMNS.get(table, {})
    names = ", ".join(defaults.get(c, c) for c in cols)
    return list(src.execute(f"SELECT {names} FROM {table} ORDER BY {order}").fetchall())


def _set_identities(dst: Connection) -> None:
    """On PostgreSQL, move each generated id past the copied ones (SQLite does it itself)."""
    if dst.dialect != "postgres":
        return
    for table in IDENTITY_TABLES:
        dst.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
        )


def copy_store(source: PlanStore, target: PlanStore, *, force: bool = False) -> CopyResult:
    """Copy every plan (every version, marks, the bin) and every catalogue row (every
    version) from `source` into `target`, in one transaction on the target.

    A target that holds any row is refused unless `force`, which replaces its content."""
    if source.location == target.location:
        raise InputFileError("Nguồn và đích là cùng một cơ sở dữ liệu.")
    check_usable(source)
    before = _counts(target)
    held = sum(before.values())
    if held and not force:
        raise StorageError(
            f"Cơ sở dữ liệu đích {target.location} đã có dữ liệu ({before['plans']} kế hoạch, "
            f"{before['user_directives']} văn bản trong danh mục, {before['users']} tài khoản); "
            "không chép đè. Thêm --force "
            "để thay toàn bộ nội dung của nó."
        )
    counts: dict[str, int] = {}
    with source.connect() as src, target.transaction() as dst:
        dst.execute("DELETE FROM auth_sessions")  # sessions are never copied (see above)
        for table, _cols, _order in reversed(TABLE_COPY):
            dst.execute(f"DELETE FROM {table}")
        for table, cols, order in TABLE_COPY:
            names = ", ".join(cols)
            rows = _source_rows(src, table, cols, order)
            data_at = cols.index("data") if "data" in cols else -1
            if table == "plan_versions":
                rows = [
                    tuple(dst.blob(v) if i == data_at else v for i, v in enumerate(r)) for r in rows
                ]
            marks = ", ".join("?" for _ in cols)
            if rows:
                dst.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
            counts[table] = len(rows)
        _set_identities(dst)
    after = _counts(target)
    if after != counts:
        raise StorageError(
            f"Bản chép vào {target.location} không đủ: đích có {after}, nguồn có {counts}."
        )
    return CopyResult(counts, bool(held))


# ------------------------------------------------------------ one plan as a JSON file


def export_plan(store: PlanStore, plan_id: str) -> dict[str, Any]:
    """One plan with every version (each whole), its names, marks and bin state."""
    head: StoredPlan = store.open(plan_id)
    summary = next(p for p in store.list_plans(include_deleted=True) if p.id == plan_id)
    versions = []
    for info in sorted(store.versions(plan_id), key=lambda v: v.version):
        versions.append(
            {
                "version": info.version,
                "saved_at": info.saved_at.isoformat(),
                "based_on": info.based_on,
                "note": info.note,
                "conflict": info.conflict,
                "label": info.label or None,
                "resolved": info.resolved,
                "author": info.author,
                "plan": plan_to_dict(store.open_version(plan_id, info.version)),
            }
        )
    return {
        "format": EXPORT_FORMAT,
        "format_version": EXPORT_VERSION,
        "id": plan_id,
        "title": head.title,
        "head_version": head.version,
        "deleted": summary.deleted,
        "updated_at": head.updated_at.isoformat(),
        "versions": versions,
    }


def _field(record: dict[str, Any], key: str, kind: type | tuple[type, ...], where: str) -> Any:
    value = record.get(key)
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
        raise InputFileError(f"{where}: thiếu hoặc sai trường “{key}”.")
    return value


@dataclass(frozen=True)
class PlanExport:
    """An export file, checked: what `import_plan` stores."""

    record: dict[str, Any]
    title: str
    head: int
    rows: list[tuple[int, datetime, int | None, dict[str, Any], Plan]]


def read_export(record: object, *, name: str) -> PlanExport:
    """Check an export file's content (`name` is the file, for messages)."""
    where = f"Tệp {name} không phải kế hoạch xuất từ chương trình"
    if not isinstance(record, dict) or record.get("format") != EXPORT_FORMAT:
        raise InputFileError(f"{where} (thiếu “format”: “{EXPORT_FORMAT}”).")
    if record.get("format_version") != EXPORT_VERSION:
        raise InputFileError(
            f"{where} này: tệp ở định dạng số {record.get('format_version')!r}, chương trình "
            f"chỉ đọc được số {EXPORT_VERSION}."
        )
    title = _field(record, "title", str, where)
    head = _field(record, "head_version", int, where)
    items = _field(record, "versions", list, where)
    if not items:
        raise InputFileError(f"{where}: không có phiên bản nào.")
    rows = []
    for item in items:
        if not isinstance(item, dict):
            raise InputFileError(f"{where}: một phiên bản không đúng cấu trúc.")
        version = _field(item, "version", int, where)
        where_v = f"Tệp {name}, phiên bản {version}"
        try:
            saved_at = datetime.fromisoformat(_field(item, "saved_at", str, where_v))
        except ValueError:
            raise InputFileError(f"{where_v}: thời gian lưu không hợp lệ.") from None
        plan = plan_from_dict(item.get("plan"), where_v)
        based_on = item.get("based_on")
        if based_on is not None and not isinstance(based_on, int):
            raise InputFileError(f"{where_v}: “based_on” phải là số phiên bản.")
        rows.append((version, saved_at, based_on, item, plan))
    numbers = sorted(r[0] for r in rows)
    if len(set(numbers)) != len(numbers) or head not in numbers:
        raise InputFileError(f"{where}: số phiên bản trùng nhau hoặc thiếu phiên bản mới nhất.")
    return PlanExport(record, title, head, rows)


def import_plan(
    store: PlanStore, export: PlanExport, *, now: datetime, author: str | None = None
) -> tuple[str, int]:
    """Store a checked export with every version; returns (id, versions). The plan keeps its
    id unless the store already has a plan with it (then a new id). Each version keeps the
    author the file names; `author` is who imports it (the audit entry; None: the command
    line)."""
    record, title, head, rows = export.record, export.title, export.head, export.rows
    head_plan = next(r[4] for r in rows if r[0] == head)
    plan_id = str(record.get("id") or "")
    with store.connect() as con:
        taken = (
            plan_id == "" or con.execute("SELECT 1 FROM plans WHERE id=?", (plan_id,)).fetchone()
        )
    if taken:
        plan_id = uuid.uuid4().hex[:12]
    stamp = now.isoformat(timespec="seconds")
    updated = str(record.get("updated_at") or stamp)
    deleted_at = stamp if record.get("deleted") is True else None
    with store.transaction() as con:
        con.execute(
            "INSERT INTO plans (id, name, subject_title, year, created_at, updated_at, "
            "head_version, deleted_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                plan_id,
                title if title != head_plan.title else None,
                head_plan.title,
                head_plan.meta.year,
                min(r[1] for r in rows).isoformat(timespec="seconds"),
                updated,
                head,
                deleted_at,
            ),
        )
        for version, saved_at, based_on, item, plan in rows:
            _, text = PlanStore._checked_data(plan)
            by = item.get("author")
            con.execute(
                "INSERT INTO plan_versions (plan_id, version, saved_at, based_on, note, "
                "conflict, data, author) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    plan_id,
                    version,
                    saved_at.isoformat(timespec="seconds"),
                    based_on,
                    str(item.get("note") or ""),
                    int(item.get("conflict") is True),
                    con.blob(text),
                    by if isinstance(by, str) and by else None,
                ),
            )
            label = item.get("label")
            resolved = stamp if item.get("resolved") is True else None
            if (isinstance(label, str) and label) or resolved:
                con.execute(
                    "INSERT INTO version_marks (plan_id, version, label, resolved_at) "
                    "VALUES (?, ?, ?, ?)",
                    (plan_id, version, label if isinstance(label, str) and label else None,
                     resolved),
                )  # fmt: skip
        audit.record(
            con,
            at=now,
            user=author,
            action="plan.import",
            plan_id=plan_id,
            detail=f"{len(rows)} phiên bản",
        )
    return plan_id, len(rows)
