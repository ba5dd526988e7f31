"""Who may do what: the rules of roles and units, in one place.

A plan belongs to a unit (`plans.unit`). A user sees the plans of their own unit and those
shared with them (`plan_shares`); an administrator sees every unit.

- admin (Quản trị): everything, in every unit: accounts, catalogue, plans;
- leader (Lãnh đạo): read the unit's plans, approve them or send them back, comment, share;
  edit the catalogue;
- editor (Chuyên viên): create, edit, delete and restore, submit the unit's plans, resolve
  comments, share; edit the catalogue;
- viewer (Xem): read the unit's plans.

A plan shared with a user from another unit may be read (and commented on by a leader), never
changed. A disabled account may do nothing. `user=None` is the personal mode (`make run`):
everything is allowed.
"""

from __future__ import annotations

from enum import StrEnum

from planner.auth.model import ROLE_LABELS, Role, User
from planner.errors import AccessDenied


class Action(StrEnum):
    READ = "read"
    CREATE = "create"
    EDIT = "edit"
    DELETE = "delete"  # move to the bin, and restore from it
    SUBMIT = "submit"
    APPROVE = "approve"  # approve, or send back with a reason
    COMMENT = "comment"
    RESOLVE_COMMENT = "resolve_comment"
    EDIT_CATALOGUE = "edit_catalogue"
    MANAGE_USERS = "manage_users"
    SHARE = "share"


# What each action is, in the sentence "… không được <verb>."
ACTION_VERBS: dict[Action, str] = {
    Action.READ: "xem kế hoạch này",
    Action.CREATE: "tạo kế hoạch",
    Action.EDIT: "sửa kế hoạch này",
    Action.DELETE: "xóa hoặc khôi phục kế hoạch này",
    Action.SUBMIT: "trình duyệt kế hoạch này",
    Action.APPROVE: "duyệt hoặc trả lại kế hoạch này",
    Action.COMMENT: "góp ý vào kế hoạch này",
    Action.RESOLVE_COMMENT: "đánh dấu góp ý đã xử lý",
    Action.EDIT_CATALOGUE: "sửa danh mục văn bản",
    Action.MANAGE_USERS: "quản lý tài khoản",
    Action.SHARE: "chia sẻ kế hoạch này",
}

# The roles that may take each action on a plan of their own unit.
_OWN_UNIT: dict[Action, frozenset[Role]] = {
    Action.READ: frozenset({Role.LEADER, Role.EDITOR, Role.VIEWER}),
    Action.CREATE: frozenset({Role.EDITOR}),
    Action.EDIT: frozenset({Role.EDITOR}),
    Action.DELETE: frozenset({Role.EDITOR}),
    Action.SUBMIT: frozenset({Role.EDITOR}),
    Action.APPROVE: frozenset({Role.LEADER}),
    Action.COMMENT: frozenset({Role.LEADER}),
    Action.RESOLVE_COMMENT: frozenset({Role.EDITOR}),
    Action.SHARE: frozenset({Role.LEADER, Role.EDITOR}),
}
# ... on a plan of another unit shared with them.
_SHARED: dict[Action, frozenset[Role]] = {
    Action.READ: frozenset({Role.LEADER, Role.EDITOR, Role.VIEWER}),
    Action.COMMENT: frozenset({Role.LEADER}),
}
# Actions that concern no plan.
_GLOBAL: dict[Action, frozenset[Role]] = {
    Action.EDIT_CATALOGUE: frozenset({Role.LEADER, Role.EDITOR}),
    Action.MANAGE_USERS: frozenset(),
}


def allowed(
    user: User | None, action: Action, *, plan_unit: str | None = None, shared: bool = False
) -> bool:
    """May `user` take `action` on a plan of `plan_unit` (shared with them or not)?

    For CREATE, `plan_unit` is the unit the new plan is for (None: the user's own). For
    EDIT_CATALOGUE and MANAGE_USERS the plan arguments are ignored. A plan without a unit (made
    in personal mode) belongs to no unit: only an administrator reaches it.
    """
    if user is None:
        return True
    if user.disabled:
        return False
    if user.role == Role.ADMIN:
        return True
    if action in _GLOBAL:
        return user.role in _GLOBAL[action]
    if action == Action.CREATE and plan_unit is None:
        plan_unit = user.unit
    if plan_unit is not None and plan_unit == user.unit:
        return user.role in _OWN_UNIT.get(action, frozenset())
    if shared:
        return user.role in _SHARED.get(action, frozenset())
    return False


def refusal(
    user: User, action: Action, *, plan_unit: str | None = None, shared: bool = False
) -> str:
    """Why `user` may not take `action`, in Vietnamese."""
    who = f"Tài khoản “{user.name}” ({ROLE_LABELS[user.role]}, đơn vị {user.unit})"
    if user.disabled:
        return f"{who} đã bị khóa nên không được {ACTION_VERBS[action]}."
    if action == Action.CREATE and plan_unit not in (None, user.unit):
        return f"{who} không được tạo kế hoạch cho đơn vị khác ({plan_unit})."
    if action not in _GLOBAL and action != Action.CREATE:
        other = plan_unit is None or plan_unit != user.unit
        if other and not shared and user.role in _OWN_UNIT.get(action, frozenset()):
            return (
                f"{who} không được {ACTION_VERBS[action]}: kế hoạch thuộc đơn vị khác và "
                "chưa được chia sẻ với bạn."
            )
    return f"{who} không được {ACTION_VERBS[action]}. Nếu cần, hãy hỏi quản trị viên."


def require(
    user: User | None, action: Action, *, plan_unit: str | None = None, shared: bool = False
) -> None:
    """Raise `AccessDenied` (Vietnamese) unless `allowed(...)`."""
    if not allowed(user, action, plan_unit=plan_unit, shared=shared):
        assert user is not None  # personal mode allows everything
        raise AccessDenied(refusal(user, action, plan_unit=plan_unit, shared=shared))
