"""The plan store as one user may use it: every call checked, every write audited.

`GuardedStore(store, user)` offers the methods of `PlanStore` the pages use, with the same
signatures. Each one first checks `access.allowed` for the plan's unit and whether the plan is
shared with the user, and raises `AccessDenied` (Vietnamese; nothing read, nothing saved)
when the role or unit does not allow it. A write passes the user's name to the store, which
keeps it with the version (`author`) and writes the audit entry in the same transaction; a new
plan belongs to the user's unit. `user=None` is the personal mode: every call goes through,
with no author and no unit.

Read-only attributes the pages need (`where`, `path`, `writable`, `file_check`, `health`) are
passed through one by one; `store` is the store itself, for the catalogue functions (which
take a `user` of their own).
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from pathlib import Path

from planner.auth.access import Action, allowed, require
from planner.auth.accounts import normal_name
from planner.auth.model import User
from planner.errors import AccessDenied, NotFoundError, PlannerError
from planner.model import Plan
from planner.store import audit
from planner.store.health import FileCheck, StoreHealth
from planner.store.plans import PlanStore, PlanSummary, StoredPlan, VersionInfo


class GuardedStore:
    def __init__(self, store: PlanStore, user: User | None) -> None:
        self.store = store
        self.user = user

    # ------------------------------------------------------------ pass-through

    @property
    def where(self) -> Path | str:
        return self.store.where

    @property
    def path(self) -> Path:
        return self.store.path

    @property
    def location(self) -> str:
        return self.store.location

    @property
    def writable(self) -> bool:
        return self.store.writable

    def file_check(self) -> FileCheck:
        return self.store.file_check()

    def health(self) -> StoreHealth:
        """The store's health, listing only the plans this user may read."""
        found = self.store.health()
        if self.user is None:
            return found
        try:
            visible = {p.id for p in self.list_plans(include_deleted=True)}
        except PlannerError:  # an unreadable store: its health already says why
            visible = set()
        return dataclasses.replace(found, plans=tuple(p for p in found.plans if p.id in visible))

    # ------------------------------------------------------------ access

    @property
    def _author(self) -> str | None:
        return self.user.name if self.user is not None else None

    def _shared_ids(self) -> set[str]:
        if self.user is None:
            return set()
        with self.store.connect() as con:
            rows = con.execute(
                "SELECT plan_id FROM plan_shares WHERE user_name = ?", (self.user.name,)
            ).fetchall()
        return {r[0] for r in rows}

    def _check(self, plan_id: str, action: Action) -> None:
        """`AccessDenied` unless the user may take `action` on the plan; `NotFoundError` for a
        plan that does not exist."""
        if self.user is None:
            return
        with self.store.connect() as con:
            row = con.execute("SELECT unit FROM plans WHERE id = ?", (plan_id,)).fetchone()
            if row is None:
                raise NotFoundError(f"Không tìm thấy kế hoạch có mã “{plan_id}”.")
            shared = (
                con.execute(
                    "SELECT 1 FROM plan_shares WHERE plan_id = ? AND user_name = ?",
                    (plan_id, self.user.name),
                ).fetchone()
                is not None
            )
        require(self.user, action, plan_unit=row[0], shared=shared)

    def may(self, plan_id: str, action: Action) -> bool:
        """Whether the user may take `action` on the plan (for showing or hiding a button)."""
        try:
            self._check(plan_id, action)
        except AccessDenied:
            return False
        return True

    # ------------------------------------------------------------ reading

    def list_plans(self, *, include_deleted: bool = False) -> list[PlanSummary]:
        """The plans this user may read: their unit's and those shared with them (every plan
        for an administrator and in personal mode)."""
        plans = self.store.list_plans(include_deleted=include_deleted)
        if self.user is None:
            return plans
        shared = self._shared_ids()
        return [
            p
            for p in plans
            if allowed(self.user, Action.READ, plan_unit=p.unit, shared=p.id in shared)
        ]

    def open(self, plan_id: str) -> StoredPlan:
        self._check(plan_id, Action.READ)
        return self.store.open(plan_id)

    def versions(self, plan_id: str) -> list[VersionInfo]:
        self._check(plan_id, Action.READ)
        return self.store.versions(plan_id)

    def open_version(self, plan_id: str, version: int) -> Plan:
        self._check(plan_id, Action.READ)
        return self.store.open_version(plan_id, version)

    # ------------------------------------------------------------ writing

    def create(self, plan: Plan, *, now: datetime, title: str | None = None) -> str:
        """A new plan of the user's unit."""
        require(self.user, Action.CREATE)
        unit = self.user.unit if self.user is not None else None
        return self.store.create(plan, now=now, title=title, author=self._author, unit=unit)

    def duplicate(self, plan_id: str, *, now: datetime) -> str:
        """A copy of a plan the user may read, as a new plan of the user's own unit."""
        self._check(plan_id, Action.READ)
        require(self.user, Action.CREATE)
        unit = self.user.unit if self.user is not None else None
        return self.store.duplicate(plan_id, now=now, author=self._author, unit=unit)

    def save(
        self, plan_id: str, plan: Plan, *, base_version: int, now: datetime, note: str = ""
    ) -> int:
        self._check(plan_id, Action.EDIT)
        return self.store.save(
            plan_id, plan, base_version=base_version, now=now, note=note, author=self._author
        )

    def rename(self, plan_id: str, title: str, *, now: datetime) -> None:
        self._check(plan_id, Action.EDIT)
        self.store.rename(plan_id, title, now=now, author=self._author)

    def restore_version(self, plan_id: str, version: int, *, now: datetime) -> int:
        self._check(plan_id, Action.EDIT)
        return self.store.restore_version(plan_id, version, now=now, author=self._author)

    def name_version(self, plan_id: str, version: int, label: str, *, now: datetime) -> None:
        self._check(plan_id, Action.EDIT)
        self.store.name_version(plan_id, version, label, author=self._author, now=now)

    def resolve_conflict(self, plan_id: str, version: int, *, now: datetime) -> None:
        self._check(plan_id, Action.EDIT)
        self.store.resolve_conflict(plan_id, version, now=now, author=self._author)

    def delete(self, plan_id: str, *, now: datetime) -> None:
        self._check(plan_id, Action.DELETE)
        self.store.delete(plan_id, now=now, by=self._author)

    def restore(self, plan_id: str, *, now: datetime) -> None:
        self._check(plan_id, Action.DELETE)
        self.store.restore(plan_id, by=self._author, now=now)

    # ------------------------------------------------------------ sharing

    def shares(self, plan_id: str) -> list[str]:
        """The accounts a plan is shared with (names, sorted)."""
        self._check(plan_id, Action.READ)
        with self.store.connect() as con:
            rows = con.execute(
                "SELECT user_name FROM plan_shares WHERE plan_id = ? ORDER BY user_name",
                (plan_id,),
            ).fetchall()
        return [r[0] for r in rows]

    def share(self, plan_id: str, user_name: str, *, now: datetime) -> None:
        """Let another account read the plan (SHARE: an administrator, or an editor or leader
        of the plan's unit)."""
        self._check(plan_id, Action.SHARE)
        name = normal_name(user_name)
        with self.store.transaction() as con:
            if con.execute("SELECT 1 FROM users WHERE name = ?", (name,)).fetchone() is None:
                raise NotFoundError(f"Không có tài khoản “{name}”.")
            con.execute(
                "INSERT OR IGNORE INTO plan_shares (plan_id, user_name) VALUES (?, ?)",
                (plan_id, name),
            )
            audit.record(
                con, at=now, user=self._author, action="plan.share", plan_id=plan_id, detail=name
            )

    def unshare(self, plan_id: str, user_name: str, *, now: datetime) -> None:
        self._check(plan_id, Action.SHARE)
        name = normal_name(user_name)
        with self.store.transaction() as con:
            con.execute(
                "DELETE FROM plan_shares WHERE plan_id = ? AND user_name = ?", (plan_id, name)
            )
            audit.record(
                con,
                at=now,
                user=self._author,
                action="plan.unshare",
                plan_id=plan_id,
                detail=name,
            )
