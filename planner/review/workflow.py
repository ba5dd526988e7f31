"""`Review(store)`: a plan's review status, its steps, its approval and its comments.

The steps (each checked with `planner.auth.access.require` against the plan's unit, written
with an audit entry in the same transaction, so a refused step saves nothing):

| step | from → to | who (`Action`) |
|---|---|---|
| `submit` (*Trình duyệt*) | Đang soạn → Chờ duyệt | `SUBMIT`: an editor of the unit, an admin |
| `approve` (*Duyệt*) | Chờ duyệt → Đã duyệt | `APPROVE`: a leader of the unit, an admin |
| `send_back` (*Trả lại*, a reason required) | Chờ duyệt or Đã duyệt → Đang soạn | `APPROVE` |
| `reopen` (*Rút lại*) | Chờ duyệt → Đang soạn | `SUBMIT` |
| `reopen` (*Mở lại để sửa*) | Đã duyệt → Đang soạn | `EDIT` |

An approval is of one version. A save after it (any save: the editor, the command line, a
restored version) makes the plan *Đang soạn* again: `status` reads an approved plan whose
newest version is not the approved one as `DRAFT`, and `history` shows the step *Sửa sau khi
duyệt* with the author and time of the first version saved after the approval. The next review
step writes that step down (the store's save knows nothing of reviews). An approved plan never
keeps "Đã duyệt" for a text nobody approved; `approval` is None then. A plan in *Chờ duyệt*
may still be saved; `approve(version=…)` refuses when the newest version is not the one the
leader read.

Personal mode (`make run`, no signed-in user) reads statuses and comments but takes no step:
a step needs a name to record, so `user=None` is refused with a Vietnamese message.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from planner.auth.access import Action, allowed, require
from planner.auth.model import User
from planner.errors import NotFoundError
from planner.review.blocks import MAX_KEY, WHOLE_PLAN, parse_key
from planner.review.model import (
    STATUS_LABELS,
    Approval,
    Comment,
    ReviewError,
    ReviewEvent,
    Status,
)
from planner.store import audit
from planner.store.backend import Connection
from planner.store.plans import PlanStore
from planner.text.clean import clean_text

MAX_REASON = 1000
MAX_COMMENT = 2000
NO_USER = (
    "Trình duyệt, duyệt và góp ý cần người dùng đã đăng nhập: chỉ dùng được trên máy chủ của "
    "phòng (make serve)."
)
UNKNOWN_AUTHOR = "(không rõ người sửa)"


@dataclass(frozen=True)
class _State:
    """A plan's row as a review step needs it."""

    title: str
    unit: str | None
    stored: Status  # plans.review_status as written
    head: int
    deleted: bool
    approved: tuple[int, str, str, str] | None  # (version, user, display name, at) last approval

    @property
    def approved_version(self) -> int | None:
        return self.approved[0] if self.approved else None

    @property
    def status(self) -> Status:
        """The status in force: an approval of an older version is no approval."""
        if self.stored == Status.APPROVED and self.approved_version != self.head:
            return Status.DRAFT
        return self.stored


def _status(value: object) -> Status:
    try:
        return Status(str(value))
    except ValueError:
        return Status.DRAFT  # a status a newer version wrote: read as the safe one


def _time(value: str) -> datetime:
    return datetime.fromisoformat(value)


def _stamp(now: datetime) -> str:
    return now.isoformat(timespec="seconds")


class Review:
    """Reviews and comments of the plans in `store` (a `PlanStore`)."""

    def __init__(self, store: PlanStore) -> None:
        self.store = store

    # ------------------------------------------------------------ reading

    def status(self, plan_id: str) -> Status:
        with self.store.connect() as con:
            return self._state(con, plan_id).status

    def statuses(self) -> dict[str, Status]:
        """Every plan's status in force (the plan list shows them)."""
        with self.store.connect() as con:
            rows = con.execute(
                "SELECT p.id, p.review_status, p.head_version, (SELECT e.version FROM "
                "review_events e WHERE e.plan_id = p.id AND e.to_status = 'approved' "
                "ORDER BY e.id DESC LIMIT 1) FROM plans p"
            ).fetchall()
        out: dict[str, Status] = {}
        for pid, stored, head, approved in rows:
            status = _status(stored)
            if status == Status.APPROVED and approved != head:
                status = Status.DRAFT
            out[str(pid)] = status
        return out

    def open_comment_counts(self) -> dict[str, int]:
        """How many comments each plan has open (plans with none left out)."""
        with self.store.connect() as con:
            rows = con.execute(
                "SELECT plan_id, COUNT(*) FROM comments WHERE resolved_at IS NULL GROUP BY plan_id"
            ).fetchall()
        return {str(r[0]): int(r[1]) for r in rows}

    def history(self, plan_id: str) -> list[ReviewEvent]:
        """The plan's review steps, oldest first, with names, versions and reasons."""
        with self.store.connect() as con:
            state = self._state(con, plan_id)
            rows = con.execute(
                "SELECT e.at, e.user_name, COALESCE(u.display_name, e.user_name), e.from_status, "
                "e.to_status, e.version, e.reason FROM review_events e LEFT JOIN users u "
                "ON u.name = e.user_name WHERE e.plan_id = ? ORDER BY e.id",
                (plan_id,),
            ).fetchall()
            edited = self._edited_step(con, plan_id, state)
        out: list[ReviewEvent] = []
        approved: int | None = None
        for at, user, display, old, new, version, reason in rows:
            step_from, step_to = _status(old), _status(new)
            # A step back from an approval, without a reason, on a later version than the one
            # approved: the save after the approval, written down by the next step.
            was_edit = (
                step_from == Status.APPROVED
                and step_to == Status.DRAFT
                and not reason
                and approved is not None
                and version is not None
                and version > approved
            )
            out.append(
                ReviewEvent(
                    _time(at),
                    user,
                    display or user,
                    step_from,
                    step_to,
                    version,
                    reason or "",
                    was_edit,
                )
            )
            if step_to == Status.APPROVED:
                approved = version
        if edited is not None:
            out.append(edited)
        return out

    def approval(self, plan_id: str) -> Approval | None:
        """Who approved the plan, when, and which version; None unless it is approved now."""
        with self.store.connect() as con:
            state = self._state(con, plan_id)
        if state.status != Status.APPROVED or state.approved is None:
            return None
        version, user, display, at = state.approved
        return Approval(user, display, _time(at), version)

    def comments(self, plan_id: str, *, open_only: bool = False) -> list[Comment]:
        """The plan's comments, oldest first (only the open ones with `open_only`)."""
        sql = (
            "SELECT c.id, c.plan_id, c.block, c.author, COALESCE(a.display_name, c.author), "
            "c.created_at, c.text, c.resolved_by, COALESCE(r.display_name, c.resolved_by), "
            "c.resolved_at FROM comments c LEFT JOIN users a ON a.name = c.author "
            "LEFT JOIN users r ON r.name = c.resolved_by WHERE c.plan_id = ?"
        )
        if open_only:
            sql += " AND c.resolved_at IS NULL"
        with self.store.connect() as con:
            self._state(con, plan_id)
            rows = con.execute(sql + " ORDER BY c.id", (plan_id,)).fetchall()
        return [_comment(r) for r in rows]

    def may(self, plan_id: str, user: User | None, action: Action) -> bool:
        """Whether `user` may take `action` on the plan (for showing only the buttons a role
        has; each step checks again). False for nobody signed in: steps need a name."""
        if user is None:
            return False
        with self.store.connect() as con:
            state = self._state(con, plan_id)
            shared = self._shared(con, plan_id, user)
        return allowed(user, action, plan_unit=state.unit, shared=shared)

    # ------------------------------------------------------------ steps

    def submit(
        self, plan_id: str, user: User | None, *, now: datetime, version: int | None = None
    ) -> None:
        """*Trình duyệt*: the drafter hands the plan to the leader."""
        self._step(
            plan_id,
            user,
            now=now,
            action=Action.SUBMIT,
            to=Status.SUBMITTED,
            seen=version,
            audit_action="review.submit",
        )

    def approve(
        self, plan_id: str, user: User | None, *, now: datetime, version: int | None = None
    ) -> None:
        """*Duyệt*: the leader approves the newest version (`version`: the one the leader read;
        refused when someone saved since)."""
        self._step(
            plan_id,
            user,
            now=now,
            action=Action.APPROVE,
            to=Status.APPROVED,
            seen=version,
            audit_action="review.approve",
        )

    def send_back(self, plan_id: str, user: User | None, reason: str, *, now: datetime) -> None:
        """*Trả lại*: the leader returns the plan to the drafter, saying why."""
        reason = " ".join(clean_text(reason).split())
        if not reason:
            raise ReviewError("Hãy ghi lý do trả lại để người soạn biết cần sửa gì.")
        if len(reason) > MAX_REASON:
            raise ReviewError(f"Lý do trả lại quá dài: tối đa {MAX_REASON} ký tự.")
        self._step(
            plan_id,
            user,
            now=now,
            action=Action.APPROVE,
            to=Status.DRAFT,
            reason=reason,
            audit_action="review.send_back",
        )

    def reopen(self, plan_id: str, user: User | None, *, now: datetime) -> None:
        """*Rút lại* a submission, or *Mở lại để sửa* an approved plan: back to Đang soạn."""
        self._step(
            plan_id, user, now=now, action=None, to=Status.DRAFT, audit_action="review.reopen"
        )

    def _step(
        self,
        plan_id: str,
        user: User | None,
        *,
        now: datetime,
        action: Action | None,
        to: Status,
        audit_action: str,
        reason: str = "",
        seen: int | None = None,
    ) -> None:
        if user is None:
            raise ReviewError(NO_USER)
        with self.store.transaction() as con:
            state = self._state(con, plan_id)
            _refuse_binned(state)
            current = state.status
            if action is None:  # reopen: withdrawing is the drafter's, reopening an edit
                action = Action.SUBMIT if current == Status.SUBMITTED else Action.EDIT
            require(user, action, plan_unit=state.unit, shared=self._shared(con, plan_id, user))
            self._refuse_wrong_step(state, current, to, reason, seen)
            self._write_edited_step(con, plan_id, state)
            con.execute(
                "INSERT INTO review_events (plan_id, at, user_name, from_status, to_status, "
                "version, reason) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (plan_id, _stamp(now), user.name, current.value, to.value, state.head, reason),
            )
            con.execute("UPDATE plans SET review_status = ? WHERE id = ?", (to.value, plan_id))
            detail = f"{STATUS_LABELS[current]} → {STATUS_LABELS[to]} (phiên bản {state.head})"
            if reason:
                detail += f": {reason}"
            audit.record(
                con, at=now, user=user.name, action=audit_action, plan_id=plan_id, detail=detail
            )

    @staticmethod
    def _refuse_wrong_step(
        state: _State, current: Status, to: Status, reason: str, seen: int | None
    ) -> None:
        name = f"Kế hoạch “{state.title}”"
        if to == Status.SUBMITTED and current != Status.DRAFT:
            if current == Status.SUBMITTED:
                raise ReviewError(f"{name} đã được trình duyệt, đang chờ lãnh đạo duyệt.")
            raise ReviewError(
                f"{name} đã được duyệt. Muốn sửa và trình lại, hãy bấm “Mở lại để sửa” trước."
            )
        if to == Status.APPROVED and current != Status.SUBMITTED:
            if current == Status.APPROVED:
                raise ReviewError(f"{name} đã được duyệt (phiên bản {state.head}).")
            raise ReviewError(f"{name} chưa được trình duyệt nên chưa duyệt được.")
        if to == Status.DRAFT and current == Status.DRAFT:
            what = "trả lại" if reason else "mở lại"
            raise ReviewError(f"{name} đang ở trạng thái Đang soạn, không có gì để {what}.")
        if seen is not None and seen != state.head:
            raise ReviewError(
                f"{name} vừa được lưu thành phiên bản {state.head} sau khi bạn mở phiên bản "
                f"{seen}. Hãy xem lại bản mới nhất rồi làm lại."
            )

    # ------------------------------------------------------------ comments

    def add_comment(
        self, plan_id: str, block: str, text: str, user: User | None, *, now: datetime
    ) -> Comment:
        """*Góp ý* on one block (`block`: a key of `planner.review.blocks`, "" for the whole
        plan)."""
        if user is None:
            raise ReviewError(NO_USER)
        text = clean_text(text).strip()
        if not text:
            raise ReviewError("Nội dung góp ý đang trống.")
        if len(text) > MAX_COMMENT:
            raise ReviewError(f"Góp ý quá dài: tối đa {MAX_COMMENT} ký tự.")
        if block != WHOLE_PLAN and (len(block) > MAX_KEY or parse_key(block) is None):
            raise ReviewError("Không xác định được đoạn văn được góp ý.")
        with self.store.transaction() as con:
            state = self._state(con, plan_id)
            _refuse_binned(state)
            require(
                user,
                Action.COMMENT,
                plan_unit=state.unit,
                shared=self._shared(con, plan_id, user),
            )
            (comment_id,) = con.execute(
                "INSERT INTO comments (plan_id, block, author, created_at, text) "
                "VALUES (?, ?, ?, ?, ?) RETURNING id",
                (plan_id, block, user.name, _stamp(now), text),
            ).fetchone()
            audit.record(
                con,
                at=now,
                user=user.name,
                action="comment.add",
                plan_id=plan_id,
                detail=f"Góp ý số {comment_id}: {text}",
            )
        return Comment(
            int(comment_id),
            plan_id,
            block,
            user.name,
            user.display_name,
            _time(_stamp(now)),
            text,
        )

    def resolve_comment(self, comment_id: int, user: User | None, *, now: datetime) -> Comment:
        """*Đã xử lý*: the drafter marks a comment done."""
        if user is None:
            raise ReviewError(NO_USER)
        with self.store.transaction() as con:
            row = con.execute(
                "SELECT plan_id, resolved_at FROM comments WHERE id = ?", (comment_id,)
            ).fetchone()
            if row is None:
                raise ReviewError(f"Không tìm thấy góp ý số {comment_id}.")
            plan_id = str(row[0])
            state = self._state(con, plan_id)
            require(
                user,
                Action.RESOLVE_COMMENT,
                plan_unit=state.unit,
                shared=self._shared(con, plan_id, user),
            )
            if row[1] is not None:
                raise ReviewError(f"Góp ý số {comment_id} đã được xử lý rồi.")
            con.execute(
                "UPDATE comments SET resolved_by = ?, resolved_at = ? WHERE id = ?",
                (user.name, _stamp(now), comment_id),
            )
            audit.record(
                con,
                at=now,
                user=user.name,
                action="comment.resolve",
                plan_id=plan_id,
                detail=f"Góp ý số {comment_id}",
            )
            found = con.execute(
                "SELECT c.id, c.plan_id, c.block, c.author, COALESCE(a.display_name, c.author), "
                "c.created_at, c.text, c.resolved_by, ?, c.resolved_at FROM comments c "
                "LEFT JOIN users a ON a.name = c.author WHERE c.id = ?",
                (user.display_name, comment_id),
            ).fetchone()
        return _comment(found)

    # ------------------------------------------------------------ internals

    @staticmethod
    def _state(con: Connection, plan_id: str) -> _State:
        row = con.execute(
            "SELECT COALESCE(name, subject_title), unit, review_status, head_version, "
            "deleted_at FROM plans WHERE id = ?",
            (plan_id,),
        ).fetchone()
        if row is None:
            raise NotFoundError(f"Không tìm thấy kế hoạch có mã “{plan_id}”.")
        approved = con.execute(
            "SELECT e.version, e.user_name, COALESCE(u.display_name, e.user_name), e.at "
            "FROM review_events e LEFT JOIN users u ON u.name = e.user_name "
            "WHERE e.plan_id = ? AND e.to_status = 'approved' ORDER BY e.id DESC LIMIT 1",
            (plan_id,),
        ).fetchone()
        return _State(
            str(row[0]),
            row[1],
            _status(row[2]),
            int(row[3]),
            row[4] is not None,
            (int(approved[0]), approved[1], approved[2], approved[3]) if approved else None,
        )

    @staticmethod
    def _shared(con: Connection, plan_id: str, user: User) -> bool:
        return (
            con.execute(
                "SELECT 1 FROM plan_shares WHERE plan_id = ? AND user_name = ?",
                (plan_id, user.name),
            ).fetchone()
            is not None
        )

    @staticmethod
    def _edited_step(con: Connection, plan_id: str, state: _State) -> ReviewEvent | None:
        """The step *Sửa sau khi duyệt* not written down yet: an approved plan saved since."""
        if state.stored != Status.APPROVED or state.status == Status.APPROVED:
            return None
        after = state.approved_version or 0
        row = con.execute(
            "SELECT v.version, v.saved_at, v.author, COALESCE(u.display_name, v.author) "
            "FROM plan_versions v LEFT JOIN users u ON u.name = v.author "
            "WHERE v.plan_id = ? AND v.version > ? AND v.conflict = 0 "
            "ORDER BY v.version LIMIT 1",
            (plan_id, after),
        ).fetchone()
        if row is None:  # the versions after the approval were pruned: the newest says when
            row = con.execute(
                "SELECT v.version, v.saved_at, v.author, COALESCE(u.display_name, v.author) "
                "FROM plan_versions v LEFT JOIN users u ON u.name = v.author "
                "WHERE v.plan_id = ? AND v.version = ?",
                (plan_id, state.head),
            ).fetchone()
        if row is None:
            return None
        return ReviewEvent(
            _time(row[1]),
            row[2] or "",
            row[3] or UNKNOWN_AUTHOR,
            Status.APPROVED,
            Status.DRAFT,
            int(row[0]),
            "",
            True,
        )

    def _write_edited_step(self, con: Connection, plan_id: str, state: _State) -> None:
        step = self._edited_step(con, plan_id, state)
        if step is None:
            return
        con.execute(
            "INSERT INTO review_events (plan_id, at, user_name, from_status, to_status, "
            "version, reason) VALUES (?, ?, ?, ?, ?, ?, '')",
            (
                plan_id,
                _stamp(step.at),
                step.user,
                step.from_status.value,
                step.to_status.value,
                step.version,
            ),
        )


def _refuse_binned(state: _State) -> None:
    if state.deleted:
        raise ReviewError(
            f"Kế hoạch “{state.title}” đang ở thùng rác: hãy khôi phục trước khi trình, duyệt "
            "hoặc góp ý."
        )


def _comment(r: tuple[object, ...] | list[object]) -> Comment:
    return Comment(
        int(str(r[0])),
        str(r[1]),
        str(r[2]),
        str(r[3]),
        str(r[4] or r[3]),
        _time(str(r[5])),
        str(r[6]),
        str(r[7]) if r[7] is not None else None,
        str(r[8]) if r[8] is not None else None,
        _time(str(r[9])) if r[9] is not None else None,
    )
