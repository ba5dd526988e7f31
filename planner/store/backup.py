"""Backup, restore and check of the store file (the `db` commands).

A backup is made with SQLite's online backup API, so it is consistent while the app runs.
A restore checks the backup first (integrity, schema, plans), keeps the current file as
`<name>.bak-<timestamp>` next to it, and replaces the content all or nothing.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from planner.errors import InputFileError, StorageError, os_error_text
from planner.store import health
from planner.store.health import DAMAGED, OK, READ_ONLY, UNAVAILABLE, StoreHealth
from planner.store.plans import PlanStore
from planner.store.schema import error_text


@dataclass(frozen=True)
class BackupResult:
    path: Path
    plans: int
    salvaged: bool  # the store was damaged: the backup holds what could still be read


@dataclass(frozen=True)
class RestoreResult:
    path: Path
    kept: Path | None  # the previous file, kept next to it (None when there was none)
    plans: int
    unreadable: int  # plans in the backup whose newest version cannot be read


def check_store(path: Path) -> StoreHealth:
    """The state of an existing store file (never creates one)."""
    if not path.exists():
        if path.parent.exists() and not path.parent.is_dir():
            raise InputFileError(
                f"Không có cơ sở dữ liệu {path}: {path.parent} là tệp thường, không phải thư mục."
            )
        raise InputFileError(f"Không có cơ sở dữ liệu ở {path}.")
    if path.is_dir():
        raise InputFileError(f"{path} là một thư mục, không phải tệp cơ sở dữ liệu.")
    return PlanStore(path).health()


def _copy_sqlite(source: sqlite3.Connection, target: Path) -> None:
    dst = sqlite3.connect(target)
    try:
        source.backup(dst)
    finally:
        dst.close()


def _integrity_problems(path: Path) -> tuple[str, ...]:
    return health.inspect_file(path).problems if path.exists() else ()


def backup(store_path: Path, output: Path) -> BackupResult:
    """Copy the store to `output` (a new file). From a damaged store, what can still be read."""
    if output.exists():
        raise InputFileError(f"Tệp {output} đã có; hãy chọn tên tệp sao lưu khác.")
    if not store_path.exists():
        raise InputFileError(f"Không có cơ sở dữ liệu ở {store_path} để sao lưu.")
    if output.resolve() == store_path.resolve():
        raise InputFileError("Tệp sao lưu phải khác tệp cơ sở dữ liệu đang dùng.")
    check = health.check_file(store_path)
    if check.status == UNAVAILABLE:
        raise StorageError(" ".join(check.problems))
    partial = output.with_name(output.name + ".dang-ghi")
    try:
        if check.snapshot is not None:
            source = sqlite3.connect(health.file_uri(check.snapshot, mode="ro"), uri=True)
        else:
            source = health.read_only_connection(store_path)
        try:
            _copy_sqlite(source, partial)
        finally:
            source.close()
        problems = _integrity_problems(partial)
        if problems:
            raise StorageError(f"Bản sao lưu vừa ghi không đạt kiểm tra: {' '.join(problems)}")
        os.replace(partial, output)
    except sqlite3.Error as err:
        raise StorageError(f"Không sao lưu được vào {output}: {error_text(err)}.") from err
    except OSError as err:
        raise StorageError(f"Không ghi được tệp sao lưu {output}: {os_error_text(err)}.") from err
    finally:
        with contextlib.suppress(OSError):
            partial.unlink()
    plans = len(PlanStore(output).health().plans)
    return BackupResult(output, plans, salvaged=check.status == DAMAGED)


def restore(store_path: Path, backup_file: Path, *, now: datetime) -> RestoreResult:
    """Replace the store's content with `backup_file`, after checking it; all or nothing.

    The current file (if any) is kept as `<name>.bak-<YYYYmmdd-HHMMSS>` next to it.
    """
    if not backup_file.is_file():
        raise InputFileError(f"Không có tệp sao lưu {backup_file}.")
    if store_path.exists() and backup_file.resolve() == store_path.resolve():
        raise InputFileError("Tệp sao lưu chính là tệp cơ sở dữ liệu đang dùng.")
    checked = health.inspect_file(backup_file)
    if checked.snapshot is not None:
        with contextlib.suppress(OSError):
            checked.snapshot.unlink()
    if checked.status not in (OK, READ_ONLY):
        raise InputFileError(
            f"Không khôi phục từ {backup_file}: tệp sao lưu không dùng được. "
            f"{' '.join(checked.problems)} Cơ sở dữ liệu hiện tại được giữ nguyên."
        )
    folder = store_path.parent
    problem = health.write_problem(store_path)
    if problem or not folder.is_dir():
        raise StorageError(
            f"Không khôi phục được vào {store_path}: {problem or 'thư mục không có'}. "
            "Cơ sở dữ liệu hiện tại được giữ nguyên."
        )
    kept = _keep_current(store_path, now) if store_path.exists() else None
    partial = store_path.with_name(store_path.name + ".dang-khoi-phuc")
    aside: list[tuple[Path, Path]] = []
    try:
        source = health.read_only_connection(backup_file)
        try:
            _copy_sqlite(source, partial)
        finally:
            source.close()
        if _integrity_problems(partial):
            raise StorageError(f"bản chép từ {backup_file} không đạt kiểm tra")
        # The current file's WAL must not be replayed onto the restored file: set it aside
        # (its content is in the kept copy) and bring it back if the swap fails.
        for suffix in ("-wal", "-shm"):
            side = store_path.with_name(store_path.name + suffix)
            if side.exists():
                moved = side.with_name(side.name + ".cu")
                os.replace(side, moved)
                aside.append((moved, side))
        os.replace(partial, store_path)
    except (sqlite3.Error, OSError, StorageError) as err:
        with contextlib.suppress(OSError):
            partial.unlink()
        for moved, side in aside:
            with contextlib.suppress(OSError):
                os.replace(moved, side)
        if isinstance(err, sqlite3.Error):
            reason = error_text(err)
        elif isinstance(err, OSError):
            reason = os_error_text(err)
        else:
            reason = str(err)
        raise StorageError(
            f"Không khôi phục được vào {store_path} ({reason}); cơ sở dữ liệu hiện tại được "
            "giữ nguyên."
        ) from err
    for moved, _side in aside:
        with contextlib.suppress(OSError):
            moved.unlink()
    health.forget(store_path)
    restored = PlanStore(store_path).health()
    return RestoreResult(store_path, kept, len(restored.plans), len(restored.unreadable_plans))


def _keep_current(store_path: Path, now: datetime) -> Path:
    """Copy the current file (with its WAL) to `<name>.bak-<timestamp>`; a consistent copy
    through SQLite when the file is intact, a byte copy when it is damaged."""
    kept = store_path.with_name(f"{store_path.name}.bak-{now:%Y%m%d-%H%M%S}")
    if kept.exists():
        raise StorageError(f"Tệp {kept} đã có; hãy thử lại sau một giây.")
    try:
        if health.check_file(store_path).status in (OK, READ_ONLY):
            source = health.read_only_connection(store_path)
            try:
                _copy_sqlite(source, kept)
            finally:
                source.close()
        else:
            shutil.copy2(store_path, kept)
            wal = store_path.with_name(store_path.name + "-wal")
            if wal.exists():
                shutil.copy2(wal, kept.with_name(kept.name + "-wal"))
    except (sqlite3.Error, OSError) as err:
        with contextlib.suppress(OSError):
            kept.unlink()
        reason = error_text(err) if isinstance(err, sqlite3.Error) else os_error_text(err)
        raise StorageError(
            f"Không giữ lại được bản hiện tại thành {kept} ({reason}); chưa khôi phục gì."
        ) from err
    return kept
