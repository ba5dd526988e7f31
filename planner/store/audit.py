"""The audit log: who did what to which plan, account or catalogue row, and when.

`record` writes one entry inside the caller's transaction, so an entry exists exactly when
the write it tells of was committed (a write that fails leaves no entry). `entries` reads them
back, newest first. Actions are English codes (`plan.save`); `ACTION_LABELS` gives the
Vietnamese words to show. `user` is the account name, None for the command line and the
personal mode (`make run`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from planner.errors import StorageError
from planner.store.backend import Connection

if TYPE_CHECKING:  # plans.py imports this module: the store is named, never imported, here
    from planner.store.plans import PlanStore

MAX_DETAIL = 500

ACTION_LABELS: dict[str, str] = {
    "plan.create": "Tạo kế hoạch",
    "plan.duplicate": "Nhân bản kế hoạch",
    "plan.save": "Lưu kế hoạch",
    "plan.conflict": "Lưu bản xung đột",
    "plan.rename": "Đổi tên kế hoạch",
    "plan.delete": "Chuyển vào thùng rác",
    "plan.restore": "Khôi phục từ thùng rác",
    "plan.restore_version": "Khôi phục phiên bản",
    "plan.name_version": "Đặt tên phiên bản",
    "plan.resolve_conflict": "Xử lý xong bản xung đột",
    "plan.share": "Chia sẻ kế hoạch",
    "plan.unshare": "Bỏ chia sẻ kế hoạch",
    "plan.import": "Nhập kế hoạch từ tệp",
    "catalogue.save": "Lưu văn bản trong danh mục",
    "catalogue.delete": "Xóa văn bản khỏi danh mục",
    "catalogue.restore": "Khôi phục phiên bản văn bản",
    "user.add": "Thêm tài khoản",
    "user.disable": "Khóa tài khoản",
    "user.enable": "Mở lại tài khoản",
    "user.passwd": "Đổi mật khẩu",
    "user.signin": "Đăng nhập",
    "user.signout": "Đăng xuất",
    "user.locked": "Tạm khóa do nhập sai mật khẩu",
    "review.submit": "Trình duyệt",
    "review.approve": "Duyệt",
    "review.send_back": "Trả lại",
    "review.reopen": "Mở lại để sửa",
    "comment.add": "Góp ý",
    "comment.resolve": "Đã xử lý góp ý",
}


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    user: str | None
    action: str
    plan_id: str | None
    detail: str

    @property
    def label(self) -> str:
        """The action in Vietnamese (the code itself for an action this version does not know)."""
        return ACTION_LABELS.get(self.action, self.action)


def record(
    con: Connection,
    *,
    at: datetime,
    user: str | None,
    action: str,
    plan_id: str | None = None,
    detail: str = "",
) -> None:
    """Add one entry, inside the caller's (write) transaction."""
    con.execute(
        "INSERT INTO audit_log (at, user_name, action, plan_id, detail) VALUES (?, ?, ?, ?, ?)",
        (at.isoformat(timespec="seconds"), user, action, plan_id, detail[:MAX_DETAIL]),
    )


def entries(
    store: PlanStore,
    *,
    plan_id: str | None = None,
    user: str | None = None,
    limit: int | None = None,
) -> list[AuditEntry]:
    """The entries, newest first, of one plan and/or one user (None: all)."""
    sql = "SELECT id, at, user_name, action, plan_id, detail FROM audit_log"
    where: list[str] = []
    params: list[object] = []
    if plan_id is not None:
        where.append("plan_id = ?")
        params.append(plan_id)
    if user is not None:
        where.append("user_name = ?")
        params.append(user)
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY id DESC"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    with store.connect() as con:
        if not con.has_table("audit_log"):
            return []  # a store from before accounts, opened read-only
        rows = con.execute(sql, params).fetchall()
    out: list[AuditEntry] = []
    for r in rows:
        try:
            at = datetime.fromisoformat(r[1])
        except (TypeError, ValueError) as err:
            raise StorageError(f"Nhật ký thao tác có dòng {r[0]} bị hỏng (thời điểm).") from err
        out.append(AuditEntry(int(r[0]), at, r[2], r[3], r[4], r[5] or ""))
    return out
