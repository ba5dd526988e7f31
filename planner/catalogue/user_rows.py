"""The user's own catalogue rows, kept in the plan store (table `user_directives`).

The shipped `data/directives.csv` is never rewritten: a user row with the id of a shipped row
overrides it when the two are merged (`load_catalogue`). Deleting a row marks it deleted
(a shipped row cannot be deleted, only overridden). Every write takes `now` from the caller.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from planner.catalogue.model import COLUMNS, Catalogue, Directive, directive_from_row
from planner.errors import NotFoundError, StorageError
from planner.paths import SHIPPED_CSV
from planner.store.plans import PlanStore


def _decode(ident: str, data: str) -> Directive:
    try:
        return directive_from_row(json.loads(data))
    except (ValueError, TypeError) as err:
        raise StorageError(f"Văn bản “{ident}” trong cơ sở dữ liệu bị hỏng ({err}).") from None


def user_directives(store: PlanStore) -> list[Directive]:
    """The user's rows that are not deleted, in the order they were first saved."""
    try:
        with store.connect() as con:
            rows = con.execute(
                "SELECT id, data FROM user_directives WHERE deleted = 0 ORDER BY rowid"
            ).fetchall()
    except sqlite3.Error as err:
        raise StorageError(f"Không đọc được danh mục văn bản của người dùng ({err}).") from None
    return [_decode(ident, data) for ident, data in rows]


def user_directive_ids(store: PlanStore) -> set[str]:
    """Ids of the user's rows (not deleted): what the page may edit or delete."""
    try:
        with store.connect() as con:
            rows = con.execute("SELECT id FROM user_directives WHERE deleted = 0").fetchall()
    except sqlite3.Error as err:
        raise StorageError(f"Không đọc được danh mục văn bản của người dùng ({err}).") from None
    return {ident for (ident,) in rows}


def catalogue_stamp(store: PlanStore) -> str:
    """A value that changes whenever the user's rows change (for cache invalidation)."""
    try:
        with store.connect() as con:
            count, newest, total = con.execute(
                "SELECT COUNT(*), MAX(updated_at), TOTAL(length(data) + deleted) "
                "FROM user_directives"
            ).fetchone()
    except sqlite3.Error as err:
        raise StorageError(f"Không đọc được danh mục văn bản của người dùng ({err}).") from None
    return f"{count}:{newest}:{total}"


def save_directives(store: PlanStore, directives: Iterable[Directive], *, now: datetime) -> int:
    """Insert or replace the user's rows in one transaction (all or nothing); returns the count."""
    stamp = now.isoformat(timespec="seconds")
    payload = [(d.id, json.dumps(d.to_row(), ensure_ascii=False), stamp) for d in directives]
    try:
        with store.transaction() as con:
            con.executemany(
                "INSERT INTO user_directives (id, data, updated_at, deleted) VALUES (?, ?, ?, 0) "
                "ON CONFLICT(id) DO UPDATE SET data = excluded.data, "
                "updated_at = excluded.updated_at, deleted = 0",
                payload,
            )
    except sqlite3.Error as err:
        raise StorageError(f"Không lưu được văn bản vào danh mục ({err}).") from None
    return len(payload)


def save_directive(store: PlanStore, directive: Directive, *, now: datetime) -> None:
    """Insert or replace one user row."""
    save_directives(store, [directive], now=now)


def delete_directive(store: PlanStore, directive_id: str, *, now: datetime) -> None:
    """Mark a user row deleted (it can be saved again later). Shipped rows cannot be deleted."""
    try:
        with store.transaction() as con:
            changed = con.execute(
                "UPDATE user_directives SET deleted = 1, updated_at = ? "
                "WHERE id = ? AND deleted = 0",
                (now.isoformat(timespec="seconds"), directive_id),
            ).rowcount
    except sqlite3.Error as err:
        raise StorageError(f"Không xóa được văn bản “{directive_id}” ({err}).") from None
    if not changed:
        raise NotFoundError(
            f"Không có văn bản “{directive_id}” do người dùng thêm để xóa "
            "(văn bản có sẵn trong danh mục không xóa được)."
        )


def load_catalogue(store: PlanStore | None = None, shipped: str | Path = SHIPPED_CSV) -> Catalogue:
    """The shipped catalogue with the user's rows from `store` merged in (user rows win)."""
    base = Catalogue.from_csv(shipped)
    if store is None:
        return base
    return base.merged(user_directives(store))


__all__ = [
    "COLUMNS",
    "SHIPPED_CSV",
    "catalogue_stamp",
    "delete_directive",
    "load_catalogue",
    "save_directive",
    "save_directives",
    "user_directive_ids",
    "user_directives",
]
