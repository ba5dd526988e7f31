"""The user's own catalogue rows, kept in the plan store, every save a version.

The shipped `data/directives.csv` is never rewritten: a user row with the id of a shipped row
overrides it when the two are merged (`load_catalogue`). Deleting a row marks it deleted
(a shipped row cannot be deleted, only overridden). Every write takes `now` from the caller.

Rows are versioned the way plans are (`store.plans.PlanStore.save`): the table
`user_directives` holds each row's newest version, `user_directive_versions` every version
(with a nullable `author` for when users are known). A save, a deletion and a restore each add
a version. A save made from an older version than the newest (`base_version`) overwrites
nothing: it is kept as a version marked `conflict` and `ConflictError` names both versions;
the user then keeps theirs (`restore_row_version` of it) or the newest. A save without
`base_version` (an import, a form that did not say what it opened) is made from the newest.
`row_history` lists the versions, `open_row_version` reads one.

On the office server the write functions take the signed-in `user`: one whose role may not
edit the catalogue (`auth.access.Action.EDIT_CATALOGUE`) is refused with `AccessDenied` before
anything is written, and the user's name becomes the version's `author`. Every write adds an
audit entry (`catalogue.save`, `catalogue.delete`, `catalogue.restore`) in its transaction.
`user=None` is the personal mode and the command line. Every function also takes the store
as the pages hold it on the server, an `auth.guarded.GuardedStore`: its user then stands for
`user` (reading the catalogue is open to every signed-in user).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from planner.auth.access import Action, require
from planner.auth.guarded import GuardedStore
from planner.auth.model import User
from planner.catalogue.model import COLUMNS, Catalogue, Directive, directive_from_row
from planner.errors import ConflictError, NotFoundError, StorageError
from planner.paths import SHIPPED_CSV
from planner.store import audit
from planner.store.backend import Connection, db_errors
from planner.store.plans import PlanStore

FIRST_NOTE = "Tạo mới"
DELETE_NOTE = "Xóa"


@dataclass(frozen=True)
class RowVersion:
    """One stored version of a user row (`directive` as it was then)."""

    version: int
    saved_at: datetime
    author: str | None
    note: str
    conflict: bool
    based_on: int | None
    deleted: bool
    directive: Directive


AnyStore = PlanStore | GuardedStore


def _unwrap(store: AnyStore, user: User | None = None) -> tuple[PlanStore, User | None]:
    """The store itself and the user acting (a guarded store's own user unless one is given)."""
    if isinstance(store, GuardedStore):
        return store.store, user if user is not None else store.user
    return store, user


def _decode(ident: str, data: str) -> Directive:
    try:
        return directive_from_row(json.loads(data))
    except (ValueError, TypeError) as err:
        raise StorageError(f"Văn bản “{ident}” trong cơ sở dữ liệu bị hỏng ({err}).") from None


def user_directives(store: AnyStore) -> list[Directive]:
    """The user's rows that are not deleted, in the order they were first saved."""
    store, _ = _unwrap(store)
    try:
        with store.connect() as con:
            rows = con.execute(
                "SELECT id, data FROM user_directives WHERE deleted = 0 ORDER BY rowid"
            ).fetchall()
    except db_errors() as err:
        raise StorageError(f"Không đọc được danh mục văn bản của người dùng ({err}).") from None
    return [_decode(ident, data) for ident, data in rows]


def user_directive_ids(store: AnyStore) -> set[str]:
    """Ids of the user's rows (not deleted): what the page may edit or delete."""
    store, _ = _unwrap(store)
    try:
        with store.connect() as con:
            rows = con.execute("SELECT id FROM user_directives WHERE deleted = 0").fetchall()
    except db_errors() as err:
        raise StorageError(f"Không đọc được danh mục văn bản của người dùng ({err}).") from None
    return {ident for (ident,) in rows}


def _versioned(con: Connection) -> bool:
    """False for a store from before rows had versions (opened read-only, never migrated)."""
    return con.has_table("user_directive_versions")


def catalogue_stamp(store: AnyStore) -> str:
    """A value that changes whenever the user's rows change (for cache invalidation)."""
    store, _ = _unwrap(store)
    try:
        with store.connect() as con:
            # Every write of a versioned row raises its head_version, so the rows' data need
            # not be read (at 100,000 rows summing length(data) took ~90 ms a page run).
            if _versioned(con):
                changed = "COALESCE(SUM(deleted), 0), COALESCE(SUM(head_version), 0)"
            else:
                changed = "COALESCE(SUM(length(data) + deleted), 0), 0"
            count, newest, total, versions = con.execute(
                f"SELECT COUNT(*), MAX(updated_at), {changed} FROM user_directives"
            ).fetchone()
    except db_errors() as err:
        raise StorageError(f"Không đọc được danh mục văn bản của người dùng ({err}).") from None
    return f"{count}:{newest}:{total}:{versions}"


@dataclass(frozen=True)
class _Written:
    ident: str
    new: int
    head: int
    base: int | None
    conflict: bool


def _write(
    con: Connection,
    ident: str,
    data: str | None,
    *,
    deleted: bool,
    stamp: str,
    base_version: int | None,
    author: str | None,
    note: str,
) -> _Written:
    """Add one version of row `ident` (`data` None: the newest data, for a deletion)."""
    row = con.execute(
        "SELECT head_version, data, deleted FROM user_directives WHERE id = ?", (ident,)
    ).fetchone()
    if row is None:
        if data is None or deleted or base_version:
            raise NotFoundError(f"Không có văn bản “{ident}” do người dùng thêm trong danh mục.")
        con.execute(
            "INSERT INTO user_directives (id, data, updated_at, deleted, head_version) "
            "VALUES (?, ?, ?, 0, 1)",
            (ident, data, stamp),
        )
        con.execute(
            "INSERT INTO user_directive_versions (directive_id, version, saved_at, based_on, "
            "author, note, conflict, deleted, data) VALUES (?, 1, ?, NULL, ?, ?, 0, 0, ?)",
            (ident, stamp, author, note or FIRST_NOTE, data),
        )
        return _Written(ident, 1, 1, None, False)
    head = int(row[0])
    (top,) = con.execute(
        "SELECT COALESCE(MAX(version), 0) FROM user_directive_versions WHERE directive_id = ?",
        (ident,),
    ).fetchone()
    new = max(int(top), head) + 1
    base = head if base_version is None else base_version
    conflict = base != head
    content = row[1] if data is None else data
    con.execute(
        "INSERT INTO user_directive_versions (directive_id, version, saved_at, based_on, author, "
        "note, conflict, deleted, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (ident, new, stamp, base, author, note, int(conflict), int(deleted), content),
    )
    if not conflict:
        con.execute(
            "UPDATE user_directives SET data = ?, updated_at = ?, deleted = ?, head_version = ? "
            "WHERE id = ?",
            (content, stamp, int(deleted), new, ident),
        )
    return _Written(ident, new, head, base, conflict)


def _conflict(written: _Written) -> ConflictError:
    return ConflictError(
        f"Văn bản “{written.ident}” trong danh mục vừa được lưu ở nơi khác (phiên bản "
        f"{written.head}) sau khi bạn mở nó (phiên bản {written.base}). Thay đổi của bạn không "
        f"bị mất: đã được giữ riêng thành phiên bản {written.new}. Hãy chọn giữ bản của bạn "
        "hoặc bản mới nhất.",
        theirs_version=written.head,
        mine_version=written.new,
    )


def _encode(d: Directive) -> str:
    return json.dumps(d.to_row(), ensure_ascii=False)


def _writer(user: User | None, author: str | None) -> str | None:
    """The author of a write by `user` (refused when the role may not edit the catalogue)."""
    require(user, Action.EDIT_CATALOGUE)
    return user.name if user is not None else author


def save_directives(
    store: AnyStore,
    directives: Iterable[Directive],
    *,
    now: datetime,
    author: str | None = None,
    note: str = "",
    user: User | None = None,
) -> int:
    """Save the user's rows in one transaction (all or nothing), each as a new version made
    from its newest; returns the count."""
    store, user = _unwrap(store, user)
    author = _writer(user, author)
    stamp = now.isoformat(timespec="seconds")
    payload = [(d.id, _encode(d)) for d in directives]
    try:
        with store.transaction() as con:
            if payload:
                audit.record(
                    con,
                    at=now,
                    user=author,
                    action="catalogue.save",
                    detail=f"{len(payload)} văn bản: " + ", ".join(i for i, _ in payload),
                )
            for ident, data in payload:
                _write(
                    con,
                    ident,
                    data,
                    deleted=False,
                    stamp=stamp,
                    base_version=None,
                    author=author,
                    note=note,
                )
    except db_errors() as err:
        raise StorageError(f"Không lưu được văn bản vào danh mục ({err}).") from None
    return len(payload)


def save_directive(
    store: AnyStore,
    directive: Directive,
    *,
    now: datetime,
    base_version: int | None = None,
    author: str | None = None,
    note: str = "",
    user: User | None = None,
) -> int:
    """Save one user row as a new version made from `base_version` (None: the newest);
    returns the new version. A save from an older version than the newest is kept as a
    conflict version and raises `ConflictError` naming both."""
    store, user = _unwrap(store, user)
    author = _writer(user, author)
    written = _save_one(
        store, directive.id, _encode(directive), False, now, base_version, author, note
    )
    if written.conflict:
        raise _conflict(written)
    return written.new


def _save_one(
    store: PlanStore,
    ident: str,
    data: str | None,
    deleted: bool,
    now: datetime,
    base_version: int | None,
    author: str | None,
    note: str,
    action: str = "catalogue.save",
) -> _Written:
    try:
        with store.transaction() as con:
            written = _write(
                con,
                ident,
                data,
                deleted=deleted,
                stamp=now.isoformat(timespec="seconds"),
                base_version=base_version,
                author=author,
                note=note,
            )
            audit.record(
                con,
                at=now,
                user=author,
                action=action,
                detail=f"{ident}, phiên bản {written.new}"
                + (" (xung đột)" if written.conflict else ""),
            )
            return written
    except db_errors() as err:
        raise StorageError(f"Không lưu được văn bản “{ident}” vào danh mục ({err}).") from None


def delete_directive(
    store: AnyStore,
    directive_id: str,
    *,
    now: datetime,
    base_version: int | None = None,
    author: str | None = None,
    user: User | None = None,
) -> int:
    """Mark a user row deleted, as a new version (it can be saved or restored again later);
    returns that version. Shipped rows cannot be deleted."""
    store, user = _unwrap(store, user)
    author = _writer(user, author)
    missing = NotFoundError(
        f"Không có văn bản “{directive_id}” do người dùng thêm để xóa "
        "(văn bản có sẵn trong danh mục không xóa được)."
    )
    if directive_id not in user_directive_ids(store):
        raise missing
    try:
        written = _save_one(
            store,
            directive_id,
            None,
            True,
            now,
            base_version,
            author,
            DELETE_NOTE,
            "catalogue.delete",
        )
    except NotFoundError:
        raise missing from None
    if written.conflict:
        raise _conflict(written)
    return written.new


def _history_rows(con: Connection, ident: str) -> list[tuple[object, ...]]:
    head = con.execute(
        "SELECT head_version, updated_at, deleted, data FROM user_directives WHERE id = ?"
        if _versioned(con)
        else "SELECT 1, updated_at, deleted, data FROM user_directives WHERE id = ?",
        (ident,),
    ).fetchone()
    if head is None:
        raise NotFoundError(f"Không có văn bản “{ident}” do người dùng thêm trong danh mục.")
    rows: list[tuple[object, ...]] = []
    if _versioned(con):
        rows = con.execute(
            "SELECT version, saved_at, author, note, conflict, based_on, deleted, data "
            "FROM user_directive_versions WHERE directive_id = ? ORDER BY version DESC",
            (ident,),
        ).fetchall()
    if not rows:  # a store from before versions, or a salvaged copy: the row is its one version
        rows = [(head[0], head[1], None, "", 0, None, head[2], head[3])]
    return rows


def row_history(store: AnyStore, directive_id: str) -> list[RowVersion]:
    """Every stored version of a user row, newest first (conflict versions included)."""
    store, _ = _unwrap(store)
    try:
        with store.connect() as con:
            rows = _history_rows(con, directive_id)
    except db_errors() as err:
        raise StorageError(f"Không đọc được lịch sử văn bản “{directive_id}” ({err}).") from None
    return [
        RowVersion(
            version=int(str(r[0])),
            saved_at=datetime.fromisoformat(str(r[1])),
            author=None if r[2] is None else str(r[2]),
            note=str(r[3]),
            conflict=bool(r[4]),
            based_on=None if r[5] is None else int(str(r[5])),
            deleted=bool(r[6]),
            directive=_decode(directive_id, str(r[7])),
        )
        for r in rows
    ]


def row_head_version(store: AnyStore, directive_id: str) -> int:
    """The newest version of a user row: the `base_version` of an edit opened now."""
    store, _ = _unwrap(store)
    try:
        with store.connect() as con:
            column = "head_version" if _versioned(con) else "1"
            row = con.execute(
                f"SELECT {column} FROM user_directives WHERE id = ?", (directive_id,)
            ).fetchone()
    except db_errors() as err:
        raise StorageError(f"Không đọc được văn bản “{directive_id}” ({err}).") from None
    if row is None:
        raise NotFoundError(f"Không có văn bản “{directive_id}” do người dùng thêm trong danh mục.")
    return int(row[0])


def open_row_version(store: AnyStore, directive_id: str, version: int) -> RowVersion:
    """One stored version of a user row."""
    store, _ = _unwrap(store)
    for item in row_history(store, directive_id):
        if item.version == version:
            return item
    raise NotFoundError(f"Không có phiên bản {version} của văn bản “{directive_id}”.")


def restore_row_version(
    store: AnyStore,
    directive_id: str,
    version: int,
    *,
    now: datetime,
    author: str | None = None,
    user: User | None = None,
) -> int:
    """Make an earlier version (or a conflict version: “keep mine”) the newest again, as a new
    version: nothing is lost. Returns the new version."""
    store, user = _unwrap(store, user)
    author = _writer(user, author)
    old = open_row_version(store, directive_id, version)
    written = _save_one(
        store,
        directive_id,
        _encode(old.directive),
        old.deleted,
        now,
        None,
        author,
        f"Khôi phục phiên bản {version}",
        "catalogue.restore",
    )
    return written.new


def load_catalogue(store: AnyStore | None = None, shipped: str | Path = SHIPPED_CSV) -> Catalogue:
    """The shipped catalogue with the user's rows from `store` merged in (user rows win)."""
    base = Catalogue.from_csv(shipped)
    if store is None:
        return base
    return base.merged(user_directives(store))


__all__ = [
    "COLUMNS",
    "SHIPPED_CSV",
    "RowVersion",
    "catalogue_stamp",
    "delete_directive",
    "load_catalogue",
    "open_row_version",
    "restore_row_version",
    "row_head_version",
    "row_history",
    "save_directive",
    "save_directives",
    "user_directive_ids",
    "user_directives",
]
