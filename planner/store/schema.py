"""The store's SQLite schema (migrations) and Vietnamese wording for SQLite's own errors.

SQLite reports problems in English ("database disk image is malformed"); nothing the user
sees may carry that text, so every `sqlite3.Error` is worded here by its result code.
"""

from __future__ import annotations

import sqlite3

# Each entry is one migration, applied once, in order, and recorded in schema_migrations.
MIGRATIONS: list[str] = [
    """
    CREATE TABLE plans (
        id TEXT PRIMARY KEY,
        name TEXT,                       -- a title the user chose (rename), else NULL
        subject_title TEXT NOT NULL,     -- the plan's own title at its newest save
        year INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        head_version INTEGER NOT NULL,
        deleted_at TEXT
    );
    CREATE TABLE plan_versions (
        plan_id TEXT NOT NULL REFERENCES plans(id),
        version INTEGER NOT NULL,
        saved_at TEXT NOT NULL,
        based_on INTEGER,
        note TEXT NOT NULL DEFAULT '',
        conflict INTEGER NOT NULL DEFAULT 0,
        data TEXT NOT NULL,
        PRIMARY KEY (plan_id, version)
    );
    """,
    """
    CREATE TABLE user_directives (
        id TEXT PRIMARY KEY,
        data TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        deleted INTEGER NOT NULL DEFAULT 0
    );
    """,
    # Named versions (kept by history pruning) and conflict versions the user has settled.
    # plan_versions.data may now also hold zlib-compressed JSON (see planner/store/delta.py);
    # rows stored before stay plain JSON text and are read as they are.
    """
    CREATE TABLE version_marks (
        plan_id TEXT NOT NULL REFERENCES plans(id),
        version INTEGER NOT NULL,
        label TEXT,                      -- the name the user gave this version, else NULL
        resolved_at TEXT,                -- a conflict version settled by the user, else NULL
        PRIMARY KEY (plan_id, version)
    );
    """,
    # The user's catalogue rows are versioned like plans: user_directives keeps the newest
    # version (its data, deleted flag and number), user_directive_versions every version.
    # The rows stored before become their version 1.
    """
    ALTER TABLE user_directives ADD COLUMN head_version INTEGER NOT NULL DEFAULT 1;
    CREATE TABLE user_directive_versions (
        directive_id TEXT NOT NULL REFERENCES user_directives(id),
        version INTEGER NOT NULL,
        saved_at TEXT NOT NULL,
        based_on INTEGER,                -- the version the save was made from, NULL for the first
        author TEXT,                     -- who saved it, NULL while users are not known
        note TEXT NOT NULL DEFAULT '',
        conflict INTEGER NOT NULL DEFAULT 0,
        deleted INTEGER NOT NULL DEFAULT 0,
        data TEXT NOT NULL,
        PRIMARY KEY (directive_id, version)
    );
    INSERT INTO user_directive_versions (directive_id, version, saved_at, note, deleted, data)
        SELECT id, 1, updated_at, 'Lưu trước khi danh mục có lịch sử', deleted, data
        FROM user_directives ORDER BY rowid;
    """,
]

MIGRATIONS_TABLE = (
    "CREATE TABLE IF NOT EXISTS schema_migrations "
    "(version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)"
)

# The tables (and the columns each must have) that make a file a store of this program.
TABLES: dict[str, tuple[str, ...]] = {
    "schema_migrations": ("version", "applied_at"),
    "plans": (
        "id",
        "name",
        "subject_title",
        "year",
        "created_at",
        "updated_at",
        "head_version",
        "deleted_at",
    ),
    "plan_versions": ("plan_id", "version", "saved_at", "based_on", "note", "conflict", "data"),
    "user_directives": ("id", "data", "updated_at", "deleted"),
}


def statements(sql: str) -> list[str]:
    """The statements of one migration, in order."""
    return [s for s in sql.split(";") if s.strip()]


def create_schema(con: sqlite3.Connection) -> None:
    """Every table at the newest migration, in an empty database (used for snapshots)."""
    con.execute(MIGRATIONS_TABLE)
    for number, sql in enumerate(MIGRATIONS, start=1):
        for statement in statements(sql):
            con.execute(statement)
        con.execute("INSERT INTO schema_migrations VALUES (?, datetime('now'))", (number,))


# SQLite primary result codes (https://sqlite.org/rescode.html).
SQLITE_PERM = 3
SQLITE_BUSY = 5
SQLITE_LOCKED = 6
SQLITE_NOMEM = 7
SQLITE_READONLY = 8
SQLITE_IOERR = 10
SQLITE_CORRUPT = 11
SQLITE_FULL = 13
SQLITE_CANTOPEN = 14
SQLITE_CONSTRAINT = 19
SQLITE_NOTADB = 26

_REASONS: dict[int, str] = {
    SQLITE_PERM: "không có quyền truy cập tệp cơ sở dữ liệu",
    SQLITE_BUSY: "cơ sở dữ liệu đang bận vì một phiên khác đang ghi",
    SQLITE_LOCKED: "cơ sở dữ liệu đang bị khóa bởi một thao tác khác",
    SQLITE_NOMEM: "máy không đủ bộ nhớ",
    SQLITE_READONLY: "tệp cơ sở dữ liệu chỉ cho phép đọc, không ghi được",
    SQLITE_IOERR: "lỗi đọc hoặc ghi ổ đĩa",
    SQLITE_CORRUPT: "tệp cơ sở dữ liệu bị hỏng",
    SQLITE_FULL: "ổ đĩa đã đầy",
    SQLITE_CANTOPEN: "không mở được tệp cơ sở dữ liệu",
    SQLITE_CONSTRAINT: "dữ liệu vi phạm ràng buộc của cơ sở dữ liệu",
    SQLITE_NOTADB: "tệp không phải cơ sở dữ liệu SQLite hoặc phần đầu tệp đã hỏng",
}


def error_code(err: sqlite3.Error) -> int | None:
    """The primary result code of a SQLite error (None when SQLite gave none)."""
    code = getattr(err, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF
    text = str(err).lower()
    if "malformed" in text:
        return SQLITE_CORRUPT
    if "not a database" in text:
        return SQLITE_NOTADB
    if "readonly" in text or "read-only" in text:
        return SQLITE_READONLY
    if "locked" in text:
        return SQLITE_BUSY
    return None


def error_text(err: sqlite3.Error) -> str:
    """A short Vietnamese reason for a SQLite error (never SQLite's English text)."""
    code = error_code(err)
    if code in _REASONS:
        return _REASONS[code]
    if isinstance(err, sqlite3.OperationalError) and "no such" in str(err).lower():
        return "cơ sở dữ liệu thiếu bảng hoặc cột cần thiết"
    return f"lỗi cơ sở dữ liệu (mã {code})" if code is not None else "lỗi cơ sở dữ liệu"


def is_damage(err: sqlite3.Error) -> bool:
    """True when the error means the file itself is damaged (not busy, not read-only)."""
    return error_code(err) in (SQLITE_CORRUPT, SQLITE_NOTADB)


SQLITE_HEADER_BYTES = b"SQLite format 3\x00"
