"""The store checks itself: is the file intact, writable, and which plans can still be read.

`check_file(path)` looks at the SQLite file once per process and file identity (path, size,
modification time): `PRAGMA integrity_check` (about 30 ms on a 50 MB store, no slower than
`quick_check` there, and it also checks the indexes) plus the schema. Outcomes:

- OK: reads and writes go to the file.
- READ_ONLY: the file or its folder cannot be written (or SQLite said SQLITE_READONLY):
  reads go to the file opened read-only, every write is refused before it is tried.
- DAMAGED: the file is not intact. What can still be read is copied, row by row, into a
  snapshot (a temporary SQLite file); every read goes there and every write is refused.
- UNAVAILABLE: there is no usable file at all (a folder in the path is a regular file...);
  reads see an empty snapshot, writes are refused.

A PostgreSQL store has no file: `inspect_postgres` checks that the server answers and that
the database holds this program's schema (or nothing yet). Outcomes: OK; UNAVAILABLE (the
server cannot be reached, or the database belongs to something else: reads see an empty
snapshot); READ_ONLY (a newer version of the program migrated it further: reads work, writes
are refused).

Which plans can be read (`plan_states`) is checked per plan version, cached by (path, plan,
version): a version never changes once stored, so a rerun decodes only what is new.
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import sqlite3
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from planner.errors import os_error_text
from planner.store import backend
from planner.store.schema import (
    MIGRATIONS,
    SQLITE_HEADER_BYTES,
    TABLES,
    create_schema,
    error_code,
    error_text,
)

OK = "ok"
READ_ONLY = "read_only"
DAMAGED = "damaged"
UNAVAILABLE = "unavailable"

SQLITE_HEADER = SQLITE_HEADER_BYTES
# How far past a damaged page the salvage looks for more rows (row ids are below 2**63).
MAX_ROWID_STEP = 2**62


@dataclass(frozen=True)
class FileCheck:
    """What the file itself is like; `snapshot` is where reads go when it is not intact."""

    path: Path | str  # the file, or a PostgreSQL URL (without its password)
    status: str
    problems: tuple[str, ...]
    snapshot: Path | None = None
    salvaged_rows: int = 0
    lost_rows: int = 0


@dataclass(frozen=True)
class PlanState:
    """One stored plan and whether its newest version can be read (`problem` says why not)."""

    id: str
    title: str
    year: int
    deleted: bool
    version: int
    problem: str = ""

    @property
    def readable(self) -> bool:
        return not self.problem


@dataclass(frozen=True)
class StoreHealth:
    path: Path | str  # the file, or a PostgreSQL URL (without its password)
    status: str
    problems: tuple[str, ...]
    plans: tuple[PlanState, ...]
    lost_rows: int = 0

    @property
    def writable(self) -> bool:
        return self.status == OK

    @property
    def readable_plans(self) -> tuple[PlanState, ...]:
        return tuple(p for p in self.plans if p.readable)

    @property
    def unreadable_plans(self) -> tuple[PlanState, ...]:
        return tuple(p for p in self.plans if not p.readable)

    @property
    def healthy(self) -> bool:
        """Intact, writable, and every plan readable."""
        return self.status == OK and not self.unreadable_plans

    def headline(self) -> str:
        """One Vietnamese sentence: the state of the store."""
        if self.status == DAMAGED:
            return f"Cơ sở dữ liệu {self.path} bị hỏng; chương trình chỉ mở để đọc."
        if self.status == UNAVAILABLE:
            return f"Không dùng được cơ sở dữ liệu {self.path}; chưa đọc hay lưu được kế hoạch."
        if self.status == READ_ONLY:
            return f"Cơ sở dữ liệu {self.path} đang ở chế độ chỉ đọc: không lưu được thay đổi."
        if self.unreadable_plans:
            return f"Có {len(self.unreadable_plans)} kế hoạch bị hỏng, không mở được."
        return f"Cơ sở dữ liệu {self.path} không có lỗi."


# ------------------------------------------------------------ connections


def file_uri(path: Path, **params: str) -> str:
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return f"file:{quote(str(path.resolve()))}?{query}"


def read_only_connection(
    path: Path, timeout: float = 15.0, *, salvage: bool = False
) -> backend.SqliteConnection:
    """The file opened read-only. A WAL file in a folder nobody may write to cannot get its
    shared-memory file, so it is then opened as immutable (nobody can write it either).

    `salvage` lets SQLite read a truncated file (its header promises more pages than there
    are, which SQLite otherwise refuses outright); the connection is read-only all the same.
    """
    last: sqlite3.OperationalError | None = None
    for params in ({"mode": "ro"}, {"mode": "ro", "immutable": "1"}):
        con = sqlite3.connect(
            file_uri(path, **params), uri=True, timeout=timeout, factory=backend.SqliteConnection
        )
        assert isinstance(con, backend.SqliteConnection)
        try:
            if salvage:
                con.execute("PRAGMA writable_schema=ON")
            con.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return con
        except sqlite3.OperationalError as err:
            con.close()
            if "unable to open" not in str(err).lower():
                raise
            last = err
        except BaseException:
            con.close()
            raise
    assert last is not None
    raise last


# ------------------------------------------------------------ the file check (cached)

_LOCK = threading.Lock()
_CHECKS: dict[str, tuple[tuple[object, ...], FileCheck]] = {}
_FORCED_READ_ONLY: set[str] = set()
_SNAPSHOTS: set[Path] = set()


def _identity(path: Path) -> tuple[object, ...]:
    try:
        st = os.stat(path)
    except OSError as err:
        return ("oserror", err.errno)
    return (st.st_size, st.st_mtime_ns, st.st_ino, str(path) in _FORCED_READ_ONLY)


def check_file(path: Path) -> FileCheck:
    """The file's check, done again only when its size or modification time changed."""
    key = str(path)
    identity = _identity(path)
    with _LOCK:
        cached = _CHECKS.get(key)
        if cached is not None and cached[0] == identity:
            return cached[1]
    result = inspect_file(path)
    with _LOCK:
        old = _CHECKS.get(key)
        _CHECKS[key] = (identity, result)
    if old is not None and old[1].snapshot is not None and old[1].snapshot != result.snapshot:
        _drop_snapshot(old[1].snapshot)
    return result


def forget(path: Path) -> None:
    """Check the file again next time (after SQLite reported damage while using it)."""
    with _LOCK:
        _CHECKS.pop(str(path), None)


def mark_read_only(path: Path) -> None:
    """SQLite refused a write (SQLITE_READONLY): treat the file as read-only from now on."""
    with _LOCK:
        _FORCED_READ_ONLY.add(str(path))


def write_problem(path: Path) -> str | None:
    """Why `path` cannot be written (Vietnamese), or None when it can.

    A file or folder without any write permission bit counts as read-only even for a user
    (root) who could write it anyway: the mark says someone wants it kept as it is.
    """
    if str(path) in _FORCED_READ_ONLY:
        return f"tệp {path} chỉ cho phép đọc"
    folder = path.parent
    try:
        if path.exists():
            mode = path.stat().st_mode
            if not mode & 0o222 or not os.access(path, os.W_OK):
                return f"tệp {path} chỉ cho phép đọc"
        mode = folder.stat().st_mode
    except OSError as err:
        return f"không truy cập được {path}: {os_error_text(err)}"
    if not mode & 0o222 or not os.access(folder, os.W_OK | os.X_OK):
        return f"thư mục {folder} không cho phép ghi"
    return None


def inspect_file(path: Path) -> FileCheck:
    """Check the file now (no cache). Never writes to it."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        where = _missing_reason(path)
        return _unavailable(path, f"Không có tệp cơ sở dữ liệu {path} và không tạo được: {where}.")
    except OSError as err:
        return _unavailable(path, f"Không mở được cơ sở dữ liệu {path}: {_path_reason(err)}.")
    if not os.path.isfile(path):
        return _unavailable(path, f"Đường dẫn cơ sở dữ liệu {path} là một thư mục, không phải tệp.")
    read_only = write_problem(path)
    if st.st_size == 0:
        if read_only:
            return FileCheck(path, READ_ONLY, (f"Không ghi được: {read_only}.",), _empty_snapshot())
        return FileCheck(path, OK, ())
    try:
        with open(path, "rb") as fh:
            header = fh.read(100)
    except OSError as err:
        return _unavailable(path, f"Không đọc được tệp {path}: {os_error_text(err)}.")
    if len(header) < 100 or not header.startswith(SQLITE_HEADER):
        problem = (
            f"Tệp {path} không phải cơ sở dữ liệu của chương trình: phần đầu tệp đã bị ghi đè "
            "hoặc tệp bị cắt cụt."
        )
        return FileCheck(path, DAMAGED, (problem,), _empty_snapshot())
    problems = [*_settled_truncation(path), *_integrity(path)]
    if not problems:
        problems = _schema_problems(path)
    if problems:
        snapshot, salvaged, lost = salvage(path)
        return FileCheck(path, DAMAGED, tuple(problems), snapshot, salvaged, lost)
    if read_only:
        return FileCheck(path, READ_ONLY, (f"Không ghi được: {read_only}.",))
    return FileCheck(path, OK, ())


def _unavailable(path: Path | str, problem: str) -> FileCheck:
    return FileCheck(path, UNAVAILABLE, (problem,), _empty_snapshot())


def inspect_postgres(url: str, location: str) -> FileCheck:
    """Check a PostgreSQL store now: the server answers, and the database is empty or holds
    this program's tables at a schema version this program knows."""
    errors = backend.pg_errors()
    try:
        with backend.closing(backend.pg_connect(url)) as con:
            rows = con.execute(
                "SELECT table_name, column_name FROM information_schema.columns "
                "WHERE table_schema = current_schema()"
            ).fetchall()
            have: dict[str, set[str]] = {}
            for table, column in rows:
                have.setdefault(str(table), set()).add(str(column))
            newest = None
            if "schema_migrations" in have:
                (newest,) = con.execute("SELECT MAX(version) FROM schema_migrations").fetchone()
    except errors as err:
        return _unavailable(
            location,
            f"Không kết nối được cơ sở dữ liệu PostgreSQL {location}: "
            f"{backend.pg_error_text(err)}. Hãy kiểm tra máy chủ PostgreSQL đang chạy và địa "
            "chỉ, tên người dùng, mật khẩu trong PLANNER_DB.",
        )
    ours = [t for t in TABLES if t in have]
    if not ours:
        return FileCheck(location, OK, ())  # an empty database: migrations create the tables
    missing = [t for t, cols in TABLES.items() if not set(cols) <= have.get(t, set())]
    if missing and (newest is None or int(newest) >= len(MIGRATIONS)):
        return _unavailable(
            location,
            f"Cơ sở dữ liệu PostgreSQL {location} không phải cơ sở dữ liệu của chương trình "
            f"này (thiếu bảng hoặc cột: {', '.join(missing)}); chương trình không ghi gì vào đó.",
        )
    if newest is not None and int(newest) > len(MIGRATIONS):
        return FileCheck(
            location,
            READ_ONLY,
            (
                f"Cơ sở dữ liệu PostgreSQL {location} đã được một phiên bản mới hơn của chương "
                f"trình nâng cấp (cấu trúc số {newest}, phiên bản này chỉ biết đến số "
                f"{len(MIGRATIONS)}): chỉ mở để đọc. Hãy cập nhật chương trình.",
            ),
        )
    return FileCheck(location, OK, ())


def _path_reason(err: OSError) -> str:
    if isinstance(err, NotADirectoryError):
        return "một phần của đường dẫn là tệp thường, không phải thư mục"
    return os_error_text(err)


def _missing_reason(path: Path) -> str:
    for parent in path.parents:
        if parent.exists():
            if not parent.is_dir():
                return f"{parent} là tệp thường, không phải thư mục"
            problem = write_problem(parent / path.name) if parent == path.parent else None
            return problem or f"không tạo được thư mục {path.parent}"
    return f"không tạo được thư mục {path.parent}"


def _truncation(path: Path, header: bytes, size: int) -> list[str]:
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    expected = pages * page_size
    if page_size and pages and size < expected:
        missing_kb = (expected - size + 1023) // 1024
        return [f"Tệp {path} bị cắt cụt: thiếu khoảng {missing_kb} KB ở cuối tệp."]
    return []


# A checkpoint in another connection writes page 1 (which states the page count) before the
# pages that extend the file, so for a moment a healthy file looks cut short: the header and
# the size are read again, a few times, before a truncation is believed.
TRUNCATION_RECHECKS = 5
TRUNCATION_RECHECK_SECONDS = 0.05
# SQLITE_BUSY and SQLITE_LOCKED say another connection is writing, never that the file is
# damaged: the integrity check is tried again, and a file that stays busy is not judged.
_BUSY_CODES = {5, 6}
INTEGRITY_TRIES = 3


def _settled_truncation(path: Path) -> list[str]:
    problems: list[str] = []
    for attempt in range(TRUNCATION_RECHECKS):
        if attempt:
            time.sleep(TRUNCATION_RECHECK_SECONDS)
        try:
            with open(path, "rb") as fh:
                header = fh.read(100)
            size = os.stat(path).st_size
        except OSError as err:
            return [f"Không đọc được tệp {path}: {os_error_text(err)}."]
        problems = _truncation(path, header, size)
        if not problems:
            return []
    return problems


def _integrity(path: Path) -> list[str]:
    for _attempt in range(INTEGRITY_TRIES):
        try:
            con = read_only_connection(path)
        except sqlite3.Error as err:
            if error_code(err) in _BUSY_CODES:
                continue
            return [f"Không mở được tệp {path}: {error_text(err)}."]
        try:
            lines = [r[0] for r in con.execute("PRAGMA integrity_check(100)").fetchall()]
            break
        except sqlite3.Error as err:
            if error_code(err) in _BUSY_CODES:
                continue
            return [f"Không kiểm tra được tệp {path}: {error_text(err)}."]
        finally:
            con.close()
    else:
        return []  # busy all along: another connection is writing, nothing says it is damaged
    if lines == ["ok"]:
        return []
    return [
        f"Kiểm tra toàn vẹn tệp {path} phát hiện {len(lines)}"
        f"{' (hoặc hơn)' if len(lines) >= 100 else ''} chỗ hỏng trong dữ liệu."
    ]


def _schema_problems(path: Path) -> list[str]:
    try:
        con = read_only_connection(path)
        try:
            missing = []
            for table, columns in TABLES.items():
                have = {r[1] for r in con.execute(f"PRAGMA table_info({table})")}
                if not have or not set(columns) <= have:
                    missing.append(table)
        finally:
            con.close()
    except sqlite3.Error as err:
        return [f"Không đọc được cấu trúc của tệp {path}: {error_text(err)}."]
    if missing:
        return [
            f"Tệp {path} không phải cơ sở dữ liệu của chương trình này (thiếu bảng "
            f"{', '.join(missing)})."
        ]
    return []


# ------------------------------------------------------------ salvage into a snapshot


def _new_snapshot() -> tuple[Path, sqlite3.Connection]:
    fd, name = tempfile.mkstemp(prefix="planner-salvage-", suffix=".db")
    os.close(fd)
    snapshot = Path(name)
    with _LOCK:
        _SNAPSHOTS.add(snapshot)
    con = sqlite3.connect(snapshot, isolation_level=None)
    con.execute("BEGIN")
    create_schema(con)
    return snapshot, con


def _empty_snapshot() -> Path:
    snapshot, con = _new_snapshot()
    con.execute("COMMIT")
    con.close()
    return snapshot


def empty_snapshot() -> Path:
    """A new snapshot with every table and no rows (reads of a store that cannot be used)."""
    return _empty_snapshot()


def salvage(path: Path) -> tuple[Path, int, int]:
    """Copy every row that can still be read into a new snapshot file.

    Returns (snapshot, rows copied, rows or row slots that could not be read). A damaged page
    loses the rows on it, never the rows elsewhere: rows are read one by one by row id.
    """
    snapshot, dst = _new_snapshot()
    copied = lost = 0
    try:
        src = read_only_connection(path, salvage=True)
    except sqlite3.Error:
        dst.execute("COMMIT")
        dst.close()
        return snapshot, 0, 0
    try:
        for table, columns in TABLES.items():
            if table == "schema_migrations":
                continue
            try:
                have = {r[1] for r in src.execute(f"PRAGMA table_info({table})")}
            except sqlite3.Error:
                continue
            if not set(columns) <= have:
                continue
            rows, table_lost = salvage_rows(src, table, columns)
            marks = ", ".join("?" for _ in columns)
            dst.executemany(
                f"INSERT OR IGNORE INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows
            )
            copied += len(rows)
            lost += table_lost
    finally:
        src.close()
        dst.execute("COMMIT")
        dst.close()
    return snapshot, copied, lost


def salvage_rows(
    src: sqlite3.Connection, table: str, columns: tuple[str, ...]
) -> tuple[list[tuple[object, ...]], int]:
    """Every readable row of `table` and about how many could not be read.

    Rows are visited by row id. When the way to the next row crosses a damaged page, the
    search gallops forward (1, 2, 4... ids) to a point past the damage, then bisects back to
    the first row after it: a damaged stretch costs a few dozen probes, whatever its size.
    """
    cols = ", ".join(columns)
    try:
        return src.execute(f"SELECT {cols} FROM {table}").fetchall(), 0
    except sqlite3.DatabaseError:
        pass

    def next_id(after: int) -> int | bool | None:
        """The first row id after `after`; None at the end; False across a damaged page."""
        try:
            found = src.execute(
                f"SELECT rowid FROM {table} WHERE rowid > ? ORDER BY rowid LIMIT 1", (after,)
            ).fetchone()
        except sqlite3.DatabaseError:
            return False
        return None if found is None else int(found[0])

    rows: list[tuple[object, ...]] = []
    lost = 0
    last = 0
    while True:
        found = next_id(last)
        if found is False:
            bad, step = last, 1
            while step < MAX_ROWID_STEP and next_id(last + step) is False:
                bad = last + step
                step *= 2
            if step >= MAX_ROWID_STEP:
                break  # nothing readable after the damage
            good = last + step
            while good - bad > 1:
                mid = (bad + good) // 2
                if next_id(mid) is False:
                    bad = mid
                else:
                    good = mid
            found = next_id(good)
            if found is None or found is False:
                break
            lost += max(0, int(found) - last - 1)
        if found is None:
            break
        last = int(found)
        try:
            row = src.execute(f"SELECT {cols} FROM {table} WHERE rowid = ?", (last,)).fetchone()
        except sqlite3.DatabaseError:
            lost += 1
            continue
        if row is not None:
            rows.append(tuple(row))
    return rows, lost


def _drop_snapshot(snapshot: Path) -> None:
    with _LOCK:
        _SNAPSHOTS.discard(snapshot)
    with contextlib.suppress(OSError):
        snapshot.unlink()


@atexit.register
def _remove_snapshots() -> None:
    for snapshot in list(_SNAPSHOTS):
        _drop_snapshot(snapshot)


# ------------------------------------------------------------ plans


_DECODED: dict[tuple[str, str, int], str] = {}


def plan_states(
    con: backend.Connection, source: Path | str, decode: Callable[[str, str], object]
) -> tuple[PlanState, ...]:
    """Every plan row with whether its newest version decodes (`decode(data, plan_id)` raises
    a PlannerError when it does not). Decoding is cached per (source file, plan, version):
    `source` is the file the connection reads (the store, or its snapshot)."""
    from planner.errors import PlannerError

    rows = con.execute(
        "SELECT id, COALESCE(name, subject_title), year, deleted_at IS NOT NULL, head_version "
        "FROM plans ORDER BY updated_at DESC, rowid DESC"
    ).fetchall()
    states = []
    for plan_id, title, year, deleted, head in rows:
        key = (str(source), plan_id, int(head))
        problem = _DECODED.get(key)
        if problem is None:
            try:
                found = con.execute(
                    "SELECT data FROM plan_versions WHERE plan_id=? AND version=?",
                    (plan_id, head),
                ).fetchone()
            except sqlite3.DatabaseError as err:
                problem = f"không đọc được phiên bản mới nhất ({error_text(err)})"
            else:
                if found is None:
                    problem = f"mất phiên bản mới nhất (phiên bản {head})"
                else:
                    try:
                        decode(found[0], plan_id)
                        problem = ""
                    except PlannerError as err:
                        problem = str(err)
            _DECODED[key] = problem
        states.append(PlanState(plan_id, title, int(year), bool(deleted), int(head), problem))
    return tuple(states)


def json_error_text(err: json.JSONDecodeError) -> str:
    return f"dữ liệu không phải JSON hợp lệ (dòng {err.lineno}, cột {err.colno})"
