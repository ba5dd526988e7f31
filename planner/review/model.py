"""What a review is made of: the statuses, one step (`ReviewEvent`), the approval in force
(`Approval`) and a comment on a block (`Comment`). Frozen dataclasses; names are account names
with the display name read beside them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from planner.errors import PlannerError


class ReviewError(PlannerError):
    """A review step or comment that cannot be taken as asked (Vietnamese message)."""


class Status(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"


STATUS_LABELS: dict[Status, str] = {
    Status.DRAFT: "Đang soạn",
    Status.SUBMITTED: "Chờ duyệt",
    Status.APPROVED: "Đã duyệt",
}


def show_time(at: datetime) -> str:
    """`09:30 ngày 01/12/2026`: how a step's time is shown and printed."""
    return f"{at:%H:%M} ngày {at:%d/%m/%Y}"


@dataclass(frozen=True)
class ReviewEvent:
    """One step of a plan's review. `edited` marks the step the program took itself: a save
    after the approval, which makes an approved plan *Đang soạn* again."""

    at: datetime
    user: str
    user_display: str
    from_status: Status
    to_status: Status
    version: int | None
    reason: str = ""
    edited: bool = False

    @property
    def label(self) -> str:
        """The step in Vietnamese: Trình duyệt, Duyệt, Trả lại, Rút lại, Mở lại để sửa, Sửa sau
        khi duyệt. A step back with a reason is a *Trả lại* (only a leader gives one)."""
        if self.to_status == Status.SUBMITTED:
            return "Trình duyệt"
        if self.to_status == Status.APPROVED:
            return "Duyệt"
        if self.edited:
            return "Sửa sau khi duyệt"
        if self.reason:
            return "Trả lại"
        return "Rút lại" if self.from_status == Status.SUBMITTED else "Mở lại để sửa"

    @property
    def line(self) -> str:
        """`Duyệt · Nguyễn Văn A · 09:30 ngày 01/12/2026 · phiên bản 7: lý do`."""
        out = f"{self.label} · {self.user_display} · {show_time(self.at)}"
        if self.version is not None:
            out += f" · phiên bản {self.version}"
        return f"{out}: {self.reason}" if self.reason else out


@dataclass(frozen=True)
class Approval:
    """Who approved the plan, when, and which version (the approval in force)."""

    user: str
    user_display: str
    at: datetime
    version: int

    @property
    def line(self) -> str:
        """`Đã duyệt bởi Nguyễn Văn A lúc 09:30 ngày 01/12/2026 (phiên bản 7)`."""
        return (
            f"Đã duyệt bởi {self.user_display} lúc {show_time(self.at)} (phiên bản {self.version})"
        )


@dataclass(frozen=True)
class Comment:
    """A comment (*góp ý*) on one block of a plan (`block`: see `planner.review.blocks`; ""
    for the plan as a whole), open until the drafter resolves it."""

    id: int
    plan_id: str
    block: str
    author: str
    author_display: str
    created_at: datetime
    text: str
    resolved_by: str | None = None
    resolved_by_display: str | None = None
    resolved_at: datetime | None = None

    @property
    def open(self) -> bool:
        return self.resolved_at is None
