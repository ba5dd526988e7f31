"""Roles and the signed-in user."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    ADMIN = "admin"
    LEADER = "leader"
    EDITOR = "editor"
    VIEWER = "viewer"


ROLE_LABELS: dict[Role, str] = {
    Role.ADMIN: "Quản trị",
    Role.LEADER: "Lãnh đạo",
    Role.EDITOR: "Chuyên viên",
    Role.VIEWER: "Xem",
}


@dataclass(frozen=True)
class User:
    """An account as the rest of the program sees it (never its password hash)."""

    name: str
    display_name: str
    role: Role
    unit: str
    email: str | None = None
    disabled: bool = False

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[self.role]
