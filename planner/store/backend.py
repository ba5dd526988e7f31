"""Where the store lives: one SQLite file, or a PostgreSQL database (the office server).

`PLANNER_DB` (or the path a caller passes) is a file path, or a `postgresql://` URL. The
store's SQL is written once, in SQLite's dialect with `?` placeholders; a PostgreSQL
connection (`PgConnection`) translates the few differences as it runs each statement:

- `?` → `%s` (and a literal `%` → `%%`), the placeholders of psycopg;
- `INSERT OR IGNORE INTO …` → `INSERT INTO … ON CONFLICT DO NOTHING`;
- `begin_write()`: SQLite takes the file's write lock (`BEGIN IMMEDIATE`); PostgreSQL takes
  one transaction-scoped advisory lock, so writers queue exactly as they do on SQLite and a
  save never overwrites another it did not see;
- plan version rows hold JSON text or zlib-compressed bytes (SQLite keeps either in one
  column); PostgreSQL keeps them in a BYTEA column: text is written as its UTF-8 bytes
  (`blob()`) and read back as text when it starts with `{` (a zlib stream never does);
- `has_table()`: `sqlite_master` vs `information_schema`.

The tables PostgreSQL orders by insertion (`plans`, `user_directives`) get a `rowid` identity
column, so `ORDER BY rowid` means the same on both (see `schema.MIGRATIONS`).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit, urlunsplit

SQLITE = "sqlite"
POSTGRES = "postgres"
URL_PREFIXES = ("postgresql://", "postgres://")
CONNECT_TIMEOUT_S = 5
# The key of the advisory lock every PostgreSQL write holds (any constant; "planner").
WRITE_LOCK_KEY = 0x706C616E6E6572


class Cursor(Protocol):
    def fetchone(self) -> Any: ...
    def fetchall(self) -> list[Any]: ...
    def __iter__(self) -> Iterator[Any]: ...


class Connection(Protocol):
    """What the store's code uses of a connection, on either database."""

    dialect: str

    def execute(self, sql: str, parameters: Sequence[Any] = ..., /) -> Any: ...
    def executemany(self, sql: str, seq_of_parameters: Any, /) -> Any: ...
    def begin_write(self) -> None: ...
    def has_table(self, name: str) -> bool: ...
    def blob(self, data: str | bytes) -> str | bytes: ...


def is_url(target: str | Path | None) -> bool:
    """True for a PostgreSQL URL (`postgresql://…`)."""
    return isinstance(target, str) and target.strip().lower().startswith(URL_PREFIXES)


def redacted(url: str) -> str:
    """The URL without its password: what messages and cache keys show."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port is not None:
        host = f"{host}:{parts.port}"
    user = f"{parts.username}@" if parts.username else ""
    return urlunsplit((parts.scheme, user + host, parts.path, parts.query, parts.fragment))


# ------------------------------------------------------------ SQLite


class SqliteConnection(sqlite3.Connection):
    """sqlite3's connection with the store's few dialect helpers (`factory=` of connect)."""

    dialect = SQLITE

    def begin_write(self) -> None:
        self.execute("BEGIN IMMEDIATE")

    def has_table(self, name: str) -> bool:
        found = self.execute(
            "SELECT 1 FROM sqlite_master WHERE type='table' AND name=?", (name,)
        ).fetchone()
        return found is not None

    def blob(self, data: str | bytes) -> str | bytes:
        return data


def sqlite_connect(target: str | Path, *, timeout: float, uri: bool = False) -> SqliteConnection:
    con = sqlite3.connect(
        target, timeout=timeout, isolation_level=None, uri=uri, factory=SqliteConnection
    )
    assert isinstance(con, SqliteConnection)
    return con


# ------------------------------------------------------------ PostgreSQL

_PLACEHOLDER = re.compile(r"\?")
_OR_IGNORE = re.compile(r"^\s*INSERT\s+OR\s+IGNORE\s+INTO", re.IGNORECASE)


def pg_sql(sql: str, with_params: bool) -> str:
    """One statement of the store's SQL in PostgreSQL's dialect."""
    if _OR_IGNORE.match(sql):
        sql = _OR_IGNORE.sub("INSERT INTO", sql, count=1).rstrip().rstrip(";")
        sql += " ON CONFLICT DO NOTHING"
    if with_params:
        sql = _PLACEHOLDER.sub("%s", sql.replace("%", "%%"))
    return sql


def _from_pg(value: Any) -> Any:
    if isinstance(value, memoryview):
        value = bytes(value)
    if isinstance(value, bytes) and value[:1] == b"{":
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            return value
    return value


class _PgCursor:
    def __init__(self, cur: Any) -> None:
        self._cur = cur

    def fetchone(self) -> Any:
        row = self._cur.fetchone()
        return None if row is None else tuple(_from_pg(v) for v in row)

    def fetchall(self) -> list[Any]:
        return [tuple(_from_pg(v) for v in row) for row in self._cur.fetchall()]

    def __iter__(self) -> Iterator[Any]:
        return iter(self.fetchall())


class PgConnection:
    """A psycopg 3 connection (autocommit; `BEGIN` opens a transaction) speaking the store's
    SQL (see the module's docstring)."""

    dialect = POSTGRES

    def __init__(self, raw: Any) -> None:
        self.raw = raw

    def execute(self, sql: str, parameters: Sequence[Any] = (), /) -> _PgCursor:
        params = tuple(parameters)
        cur = self.raw.cursor()
        cur.execute(pg_sql(sql, bool(params)), params or None)
        return _PgCursor(cur)

    def executemany(self, sql: str, seq_of_parameters: Any, /) -> None:
        rows = [tuple(p) for p in seq_of_parameters]
        if rows:
            with self.raw.cursor() as cur:
                cur.executemany(pg_sql(sql, True), rows)

    def begin_write(self) -> None:
        self.execute("BEGIN")
        self.execute("SELECT pg_advisory_xact_lock(?)", (WRITE_LOCK_KEY,))

    def has_table(self, name: str) -> bool:
        found = self.execute(
            "SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() "
            "AND table_name = ?",
            (name,),
        ).fetchone()
        return found is not None

    def blob(self, data: str | bytes) -> str | bytes:
        return data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data

    def idle(self) -> bool:
        """Open and outside any transaction: fit to be used again."""
        import psycopg

        return bool(
            not self.raw.closed
            and self.raw.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
        )

    def close(self) -> None:
        self.raw.close()


def pg_errors() -> tuple[type[BaseException], ...]:
    """psycopg's error class (a tuple, empty when psycopg is not installed)."""
    try:
        import psycopg
    except ImportError:
        return ()
    return (psycopg.Error,)


def db_errors() -> tuple[type[BaseException], ...]:
    """Every database error either backend raises."""
    return (sqlite3.Error, *pg_errors())


def pg_connect(url: str) -> PgConnection:
    try:
        import psycopg
    except ImportError as err:
        from planner.errors import StorageError

        raise StorageError(
            "Chưa cài thư viện psycopg nên không dùng được PostgreSQL "
            "(pip install -r requirements.txt)."
        ) from err
    raw = psycopg.connect(url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S)
    return PgConnection(raw)


# SQLSTATE classes (https://www.postgresql.org/docs/current/errcodes-appendix.html).
_PG_CLASSES: dict[str, str] = {
    "08": "mất kết nối tới máy chủ PostgreSQL",
    "23": "dữ liệu vi phạm ràng buộc của cơ sở dữ liệu",
    "25": "giao dịch với cơ sở dữ liệu không hợp lệ",
    "28": "máy chủ PostgreSQL từ chối tên người dùng hoặc mật khẩu",
    "3D": "máy chủ PostgreSQL không có cơ sở dữ liệu này",
    "40": "hai lần ghi đồng thời vướng nhau; hãy thử lại",
    "42": "cơ sở dữ liệu thiếu bảng hoặc cột cần thiết, hoặc không có quyền truy cập",
    "53": "máy chủ PostgreSQL hết tài nguyên (ổ đĩa, bộ nhớ hoặc số kết nối)",
    "57": "máy chủ PostgreSQL đang dừng hoặc khởi động lại",
    "58": "máy chủ PostgreSQL gặp lỗi đọc ghi ổ đĩa",
    "XX": "máy chủ PostgreSQL báo lỗi nội bộ (dữ liệu có thể bị hỏng)",
}


def pg_error_text(err: BaseException) -> str:
    """A short Vietnamese reason for a psycopg error (never the server's English text)."""
    state = getattr(err, "sqlstate", None)
    if isinstance(state, str) and state[:2] in _PG_CLASSES:
        return _PG_CLASSES[state[:2]]
    text = str(err).lower()
    if "password" in text or "authentication" in text:
        return _PG_CLASSES["28"]
    if "database" in text and "does not exist" in text:
        return _PG_CLASSES["3D"]
    if "timeout" in text:
        return "máy chủ PostgreSQL không trả lời (quá thời gian chờ)"
    if "connect" in text or "server" in text or "socket" in text:
        return "không kết nối được máy chủ PostgreSQL (máy chủ chưa chạy hoặc sai địa chỉ)"
    return "lỗi cơ sở dữ liệu PostgreSQL"


@contextmanager
def closing(con: PgConnection) -> Iterator[PgConnection]:
    try:
        yield con
    finally:
        con.close()
