"""The review of a plan (issue #14 item 5): Đang soạn → Chờ duyệt → Đã duyệt and back with a
reason, who may take each step, comments on a block, the audit, the readiness count and the
approval in the exported .docx. Storage tests run on SQLite and PostgreSQL (`db_target`)."""

from __future__ import annotations

import io
import zipfile
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import docx
import pytest

from planner.auth.model import Role, User
from planner.docx.writer import export_docx
from planner.drafting.readiness import check_readiness, with_comments
from planner.errors import AccessDenied, NotFoundError
from planner.model import Block, Plan, Section
from planner.review.blocks import block_key, locate, parse_key, place_of
from planner.review.model import Approval, ReviewError, Status
from planner.review.workflow import Review
from planner.store import audit
from planner.store.plans import PlanStore
from tests.test_readiness import CAT, ready_plan

T0 = datetime(2026, 12, 1, 8, 0, 0)
UNIT = "PGDĐT Thủ Dầu Một"
OTHER = "PGDĐT Dĩ An"

ADMIN = User("quantri", "Trần Quản Trị", Role.ADMIN, UNIT)
LEADER = User("lanhdao", "Nguyễn Văn Lãnh", Role.LEADER, UNIT)
EDITOR = User("chuyenvien", "Lê Thị Soạn", Role.EDITOR, UNIT)
VIEWER = User("xem", "Phạm Văn Xem", Role.VIEWER, UNIT)
LEADER_B = User("lanhdao-b", "Võ Lãnh Đạo B", Role.LEADER, OTHER)
EDITOR_B = User("chuyenvien-b", "Đỗ Soạn B", Role.EDITOR, OTHER)
PEOPLE = {u.name: u for u in (ADMIN, LEADER, EDITOR, VIEWER, LEADER_B, EDITOR_B)}


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def new_store(target: str | Path) -> PlanStore:
    """A store with the accounts above and one plan of UNIT, saved by the editor."""
    store = PlanStore(target)
    with store.transaction() as con:
        for u in PEOPLE.values():
            con.execute(
                "INSERT INTO users (name, display_name, role, unit, created_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (u.name, u.display_name, u.role.value, u.unit, T0.isoformat()),
            )
    return store


def new_plan(store: PlanStore, unit: str | None = UNIT) -> str:
    plan_id = store.create(ready_plan(), now=T0)
    with store.transaction() as con:
        con.execute("UPDATE plans SET unit=? WHERE id=?", (unit, plan_id))
        con.execute("UPDATE plan_versions SET author=? WHERE plan_id=?", (EDITOR.name, plan_id))
    return plan_id


def edit(store: PlanStore, plan_id: str, user: User, when: datetime) -> int:
    """A save by `user` (the author written as the office server writes it)."""
    stored = store.open(plan_id)
    changed = replace(stored.plan, closing=(*stored.plan.closing, "Đoạn thêm."))
    version = store.save(plan_id, changed, base_version=stored.version, now=when)
    with store.transaction() as con:
        con.execute(
            "UPDATE plan_versions SET author=? WHERE plan_id=? AND version=?",
            (user.name, plan_id, version),
        )
    return version


def counts(store: PlanStore, plan_id: str) -> tuple[int, int, int, str]:
    """Rows a step writes: review events, comments, audit entries, and the stored status."""
    with store.connect() as con:
        events = con.execute("SELECT COUNT(*) FROM review_events WHERE plan_id=?", (plan_id,))
        n_events = events.fetchone()[0]
        n_comments = con.execute(
            "SELECT COUNT(*) FROM comments WHERE plan_id=?", (plan_id,)
        ).fetchone()[0]
        n_audit = con.execute("SELECT COUNT(*) FROM audit_log").fetchone()[0]
        status = con.execute("SELECT review_status FROM plans WHERE id=?", (plan_id,)).fetchone()
    return int(n_events), int(n_comments), int(n_audit), str(status[0])


def bring_to(review: Review, plan_id: str, status: Status) -> None:
    if status in (Status.SUBMITTED, Status.APPROVED):
        review.submit(plan_id, EDITOR, now=at(1))
    if status == Status.APPROVED:
        review.approve(plan_id, LEADER, now=at(2))


# ---------------------------------------------------------------- who may take which step

# (step, from status, user, expected: the new status, or the error class)
STEPS: list[tuple[str, Status, str, Status | type[Exception]]] = [
    ("submit", Status.DRAFT, "chuyenvien", Status.SUBMITTED),
    ("submit", Status.DRAFT, "quantri", Status.SUBMITTED),
    ("submit", Status.DRAFT, "lanhdao", AccessDenied),
    ("submit", Status.DRAFT, "xem", AccessDenied),
    ("submit", Status.DRAFT, "chuyenvien-b", AccessDenied),
    ("submit", Status.SUBMITTED, "chuyenvien", ReviewError),
    ("submit", Status.APPROVED, "chuyenvien", ReviewError),
    ("approve", Status.SUBMITTED, "lanhdao", Status.APPROVED),
    ("approve", Status.SUBMITTED, "quantri", Status.APPROVED),
    ("approve", Status.SUBMITTED, "chuyenvien", AccessDenied),
    ("approve", Status.SUBMITTED, "xem", AccessDenied),
    ("approve", Status.SUBMITTED, "lanhdao-b", AccessDenied),
    ("approve", Status.DRAFT, "lanhdao", ReviewError),
    ("approve", Status.APPROVED, "lanhdao", ReviewError),
    ("send_back", Status.SUBMITTED, "lanhdao", Status.DRAFT),
    ("send_back", Status.APPROVED, "lanhdao", Status.DRAFT),
    ("send_back", Status.SUBMITTED, "quantri", Status.DRAFT),
    ("send_back", Status.SUBMITTED, "chuyenvien", AccessDenied),
    ("send_back", Status.SUBMITTED, "xem", AccessDenied),
    ("send_back", Status.DRAFT, "lanhdao", ReviewError),
    ("reopen", Status.SUBMITTED, "chuyenvien", Status.DRAFT),
    ("reopen", Status.APPROVED, "chuyenvien", Status.DRAFT),
    ("reopen", Status.APPROVED, "quantri", Status.DRAFT),
    ("reopen", Status.SUBMITTED, "lanhdao", AccessDenied),
    ("reopen", Status.APPROVED, "xem", AccessDenied),
    ("reopen", Status.APPROVED, "chuyenvien-b", AccessDenied),
    ("reopen", Status.DRAFT, "chuyenvien", ReviewError),
]


def take(review: Review, step: str, plan_id: str, user: User | None, when: datetime) -> None:
    if step == "send_back":
        review.send_back(plan_id, user, "Bổ sung số liệu mục II.", now=when)
    else:
        getattr(review, step)(plan_id, user, now=when)


@pytest.mark.parametrize(("step", "start", "who", "expected"), STEPS)
def test_who_may_take_each_step(
    db_target: str | Path,
    step: str,
    start: Status,
    who: str,
    expected: Status | type[Exception],
) -> None:
    store = new_store(db_target)
    plan_id = new_plan(store)
    review = Review(store)
    bring_to(review, plan_id, start)
    assert review.status(plan_id) == start
    before = counts(store, plan_id)
    if isinstance(expected, Status):
        take(review, step, plan_id, PEOPLE[who], at(10))
        assert review.status(plan_id) == expected
        after = counts(store, plan_id)
        assert (after[0], after[2], after[3]) == (before[0] + 1, before[2] + 1, expected.value)
        last = review.history(plan_id)[-1]
        assert (last.user, last.user_display, last.to_status) == (
            who,
            PEOPLE[who].display_name,
            expected,
        )
    else:
        with pytest.raises(expected) as err:
            take(review, step, plan_id, PEOPLE[who], at(10))
        assert any(ch in str(err.value) for ch in "ạảãáàăâđêôơư"), str(err.value)  # Vietnamese
        assert counts(store, plan_id) == before  # nothing saved half way
        assert review.status(plan_id) == start


def test_a_plan_of_no_unit_is_reviewed_by_an_admin_only(db_target: str | Path) -> None:
    store = new_store(db_target)
    plan_id = new_plan(store, unit=None)
    review = Review(store)
    with pytest.raises(AccessDenied):
        review.submit(plan_id, EDITOR, now=at(1))
    review.submit(plan_id, ADMIN, now=at(1))
    review.approve(plan_id, ADMIN, now=at(2))
    assert review.status(plan_id) == Status.APPROVED


def test_personal_mode_reads_but_takes_no_step(db_target: str | Path) -> None:
    store = new_store(db_target)
    plan_id = new_plan(store)
    review = Review(store)
    before = counts(store, plan_id)
    assert review.status(plan_id) == Status.DRAFT and review.history(plan_id) == []
    with pytest.raises(ReviewError, match="đăng nhập"):
        review.submit(plan_id, None, now=at(1))
    with pytest.raises(ReviewError, match="đăng nhập"):
        review.add_comment(plan_id, "", "Góp ý", None, now=at(1))
    assert not review.may(plan_id, None, review_action("APPROVE"))
    assert counts(store, plan_id) == before


def review_action(name: str):  # type: ignore[no-untyped-def]
    from planner.auth.access import Action

    return Action[name]


def test_a_plan_in_the_bin_and_an_unknown_plan(db_target: str | Path) -> None:
    store = new_store(db_target)
    plan_id = new_plan(store)
    review = Review(store)
    store.delete(plan_id, now=at(1))
    before = counts(store, plan_id)
    with pytest.raises(ReviewError, match="thùng rác"):
        review.submit(plan_id, EDITOR, now=at(2))
    with pytest.raises(ReviewError, match="thùng rác"):
        review.add_comment(plan_id, "", "Góp ý", LEADER, now=at(2))
    assert counts(store, plan_id) == before
    with pytest.raises(NotFoundError):
        review.status("khong-co")


# ---------------------------------------------------------------- reasons, approval, history


@pytest.mark.parametrize("reason", ["", "   ", "\n\t"])
def test_sending_back_needs_a_reason(db_target: str | Path, reason: str) -> None:
    store = new_store(db_target)
    plan_id = new_plan(store)
    review = Review(store)
    bring_to(review, plan_id, Status.SUBMITTED)
    before = counts(store, plan_id)
    with pytest.raises(ReviewError, match="lý do"):
        review.send_back(plan_id, LEADER, reason, now=at(5))
    assert counts(store, plan_id) == before
    assert review.status(plan_id) == Status.SUBMITTED


def test_approval_records_who_when_and_which_version(db_target: str | Path) -> None:
    store = new_store(db_target)
    plan_id = new_plan(store)
    review = Review(store)
    assert review.approval(plan_id) is None
    review.submit(plan_id, EDITOR, now=at(1))
    review.send_back(plan_id, LEADER, "  Bổ sung   số liệu. ", now=at(2))
    edit(store, plan_id, EDITOR, at(3))
    review.submit(plan_id, EDITOR, now=at(4))
    review.approve(plan_id, LEADER, now=at(5), version=2)
    approval = review.approval(plan_id)
    assert approval == Approval("lanhdao", "Nguyễn Văn Lãnh", at(5), 2)
    assert approval.line == "Đã duyệt bởi Nguyễn Văn Lãnh lúc 08:05 ngày 01/12/2026 (phiên bản 2)"
    steps = [(e.label, e.user_display, e.version, e.reason) for e in review.history(plan_id)]
    assert steps == [
        ("Trình duyệt", "Lê Thị Soạn", 1, ""),
        ("Trả lại", "Nguyễn Văn Lãnh", 1, "Bổ sung số liệu."),
        ("Trình duyệt", "Lê Thị Soạn", 2, ""),
        ("Duyệt", "Nguyễn Văn Lãnh", 2, ""),
    ]
    actions = [e.action for e in reversed(audit.entries(store, plan_id=plan_id))]
    review_actions = [a for a in actions if a.startswith("review.")]
    assert review_actions == [
        "review.submit",
        "review.send_back",
        "review.submit",
        "review.approve",
    ]
    details = [e.detail for e in audit.entries(store, plan_id=plan_id) if e.user == "lanhdao"]
    assert "Chờ duyệt → Đã duyệt (phiên bản 2)" in details
    assert "Chờ duyệt → Đang soạn (phiên bản 1): Bổ sung số liệu." in details


def test_a_leader_approves_only_the_version_they_read(db_target: str | Path) -> None:
    store = new_store(db_target)
    plan_id = new_plan(store)
    review = Review(store)
    review.submit(plan_id, EDITOR, now=at(1))
    edit(store, plan_id, EDITOR, at(2))  # saved while the leader reads version 1
    before = counts(store, plan_id)
    with pytest.raises(ReviewError, match="phiên bản 2"):
        review.approve(plan_id, LEADER, now=at(3), version=1)
    assert counts(store, plan_id) == before
    review.approve(plan_id, LEADER, now=at(4), version=2)
    assert review.approval(plan_id) is not None


def test_an_approved_plan_saved_again_is_a_draft_and_says_who_changed_it(
    db_target: str | Path,
) -> None:
    store = new_store(db_target)
    plan_id = new_plan(store)
    review = Review(store)
    bring_to(review, plan_id, Status.APPROVED)
    assert review.statuses()[plan_id] == Status.APPROVED
    edit(store, plan_id, EDITOR, at(7))
    assert review.status(plan_id) == Status.DRAFT
    assert review.statuses()[plan_id] == Status.DRAFT
    assert review.approval(plan_id) is None
    last = review.history(plan_id)[-1]
    assert (last.label, last.user_display, last.at, last.version) == (
        "Sửa sau khi duyệt",
        "Lê Thị Soạn",
        at(7),
        2,
    )
    edit(store, plan_id, EDITOR, at(8))  # still one step: the first save after the approval
    assert [e.label for e in review.history(plan_id)].count("Sửa sau khi duyệt") == 1
    # The next step writes the edit down before its own, and may be taken from Đang soạn.
    review.submit(plan_id, EDITOR, now=at(9))
    labels = [e.label for e in review.history(plan_id)]
    assert labels == ["Trình duyệt", "Duyệt", "Sửa sau khi duyệt", "Trình duyệt"]
    assert counts(store, plan_id)[0] == 4
    review.approve(plan_id, LEADER, now=at(10))
    assert review.approval(plan_id) == Approval("lanhdao", "Nguyễn Văn Lãnh", at(10), 3)


def test_reopening_an_approved_plan_and_withdrawing_a_submission(db_target: str | Path) -> None:
    store = new_store(db_target)
    plan_id = new_plan(store)
    review = Review(store)
    bring_to(review, plan_id, Status.APPROVED)
    review.reopen(plan_id, EDITOR, now=at(3))
    review.submit(plan_id, EDITOR, now=at(4))
    review.reopen(plan_id, EDITOR, now=at(5))
    labels = [e.label for e in review.history(plan_id)]
    assert labels == ["Trình duyệt", "Duyệt", "Mở lại để sửa", "Trình duyệt", "Rút lại"]
    assert review.approval(plan_id) is None


# ---------------------------------------------------------------- comments


def test_comments_are_left_by_a_leader_and_resolved_by_the_drafter(db_target: str | Path) -> None:
    store = new_store(db_target)
    plan_id = new_plan(store)
    review = Review(store)
    plan = store.open(plan_id).plan
    key = block_key(plan, "II.1", 0)
    c1 = review.add_comment(plan_id, key, "  Nêu rõ thời gian.  ", LEADER, now=at(1))
    c2 = review.add_comment(plan_id, "", "Rà soát lại toàn văn bản.", ADMIN, now=at(2))
    assert (c1.text, c1.author_display, c1.open) == ("Nêu rõ thời gian.", "Nguyễn Văn Lãnh", True)
    for user, error in ((EDITOR, AccessDenied), (VIEWER, AccessDenied), (EDITOR_B, AccessDenied)):
        with pytest.raises(error):
            review.add_comment(plan_id, key, "Góp ý", user, now=at(3))
    with pytest.raises(ReviewError, match="trống"):
        review.add_comment(plan_id, key, " \n ", LEADER, now=at(3))
    with pytest.raises(ReviewError, match="đoạn"):
        review.add_comment(plan_id, "không phải khóa", "Góp ý", LEADER, now=at(3))
    with pytest.raises(AccessDenied):
        review.resolve_comment(c1.id, LEADER, now=at(4))
    with pytest.raises(AccessDenied):
        review.resolve_comment(c1.id, VIEWER, now=at(4))
    before = counts(store, plan_id)
    done = review.resolve_comment(c1.id, EDITOR, now=at(5))
    assert (done.resolved_by, done.resolved_by_display, done.resolved_at) == (
        "chuyenvien",
        "Lê Thị Soạn",
        at(5),
    )
    assert counts(store, plan_id)[2] == before[2] + 1
    with pytest.raises(ReviewError, match="đã được xử lý"):
        review.resolve_comment(c1.id, EDITOR, now=at(6))
    with pytest.raises(ReviewError, match="Không tìm thấy"):
        review.resolve_comment(999_999, EDITOR, now=at(6))
    assert [c.id for c in review.comments(plan_id)] == [c1.id, c2.id]
    assert [c.id for c in review.comments(plan_id, open_only=True)] == [c2.id]
    assert review.open_comment_counts() == {plan_id: 1}
    actions = [e.action for e in reversed(audit.entries(store, plan_id=plan_id))]
    assert [a for a in actions if a.startswith("comment.")] == [
        "comment.add",
        "comment.add",
        "comment.resolve",
    ]


def test_a_leader_of_another_unit_comments_on_a_shared_plan_only(db_target: str | Path) -> None:
    store = new_store(db_target)
    plan_id = new_plan(store)
    review = Review(store)
    with pytest.raises(AccessDenied):
        review.add_comment(plan_id, "", "Góp ý", LEADER_B, now=at(1))
    with store.transaction() as con:
        con.execute("INSERT INTO plan_shares VALUES (?, ?)", (plan_id, LEADER_B.name))
    review.add_comment(plan_id, "", "Góp ý", LEADER_B, now=at(2))
    review.submit(plan_id, EDITOR, now=at(3))
    with pytest.raises(AccessDenied):  # sharing lets read and comment, never approve
        review.approve(plan_id, LEADER_B, now=at(4))
    assert review.status(plan_id) == Status.SUBMITTED


# ---------------------------------------------------------------- block keys


def plan_with(blocks: tuple[Block, ...]) -> Plan:
    return Plan(sections=(Section("I", "MỤC ĐÍCH", blocks), Section("II", "NỘI DUNG")))


def test_a_comment_finds_its_block_after_edits() -> None:
    a = Block("paragraph", "Tổ chức tuyên truyền sâu rộng trong cán bộ, giáo viên.")
    b = Block("dash", "Báo cáo kết quả trước ngày 25/11.")
    plan = plan_with((a, b))
    key = block_key(plan, "I", 1)
    assert parse_key(key) == ("I", 1, "Báo cáo kết quả trước ngày 25/11.")
    assert locate(plan, key) == ("I", 1)
    assert place_of(plan, key) == "Mục I, đoạn 2"
    # A block inserted before it: found by its words.
    moved = plan_with((Block("paragraph", "Đoạn mới."), a, b))
    assert locate(moved, key) == ("I", 2)
    # Accents and case fixed in its first words: still found.
    fixed = plan_with((a, Block("dash", "BÁO CÁO KẾT QUẢ TRƯỚC NGÀY 25/11. Thêm ý.")))
    assert locate(fixed, key) == ("I", 1)
    # Rewritten where it stood: the same place.
    rewritten = plan_with((a, Block("dash", "Nộp báo cáo trước ngày 20/11.")))
    assert locate(rewritten, key) == ("I", 1)
    # Gone: the plan as a whole.
    gone = plan_with((a,))
    assert locate(gone, key) is None and place_of(gone, key) == "Toàn văn bản"
    assert locate(plan, "") is None and parse_key("") is None
    table = Block("table", rows=(("", "Nội dung"), ("1", "Tuyên truyền")))
    assert block_key(plan_with((table,)), "I", 0) == "I/0|Nội dung"
    with pytest.raises(ValueError):
        block_key(plan, "II", 0)


# ---------------------------------------------------------------- readiness and the export


def test_readiness_counts_the_open_comments(db_target: str | Path) -> None:
    store = new_store(db_target)
    plan_id = new_plan(store)
    review = Review(store)
    plan = store.open(plan_id).plan
    c1 = review.add_comment(plan_id, block_key(plan, "II.1", 0), "Nêu rõ.", LEADER, now=at(1))
    review.add_comment(plan_id, "", "Xem lại " + "rất dài " * 30, LEADER, now=at(2))
    review.add_comment(plan_id, block_key(plan, "I", 0), "Đã ổn.", LEADER, now=at(3))
    review.resolve_comment(review.comments(plan_id)[2].id, EDITOR, now=at(4))
    today = date(2021, 3, 15)
    assert check_readiness(plan, CAT, today=today).ready
    result = check_readiness(plan, CAT, today=today, comments=review.comments(plan_id))
    assert result.counts == {"comment": 2}
    assert [(i.place, i.path) for i in result.items] == [
        ("Mục II.1, đoạn 1", {"area": "section", "section": "II.1", "block": 0}),
        ("Toàn văn bản", {"area": "review"}),
    ]
    assert result.items[0].message == "Góp ý của Nguyễn Văn Lãnh: “Nêu rõ.”."
    assert result.items[1].message.endswith("…”.")
    assert "2 góp ý chưa xử lý" in result.summary()
    added = with_comments(check_readiness(plan, CAT, today=today), plan, review.comments(plan_id))
    assert added == result
    review.resolve_comment(c1.id, EDITOR, now=at(5))
    assert check_readiness(plan, CAT, today=today, comments=review.comments(plan_id)).counts == {
        "comment": 1
    }


def test_the_export_of_an_approved_plan_records_the_approval(db_target: str | Path) -> None:
    store = new_store(db_target)
    plan_id = new_plan(store)
    review = Review(store)
    bring_to(review, plan_id, Status.APPROVED)
    approval = review.approval(plan_id)
    assert approval is not None
    plan = store.open(plan_id).plan
    today = date(2026, 12, 1)
    plain = export_docx(plan, today=today)
    signed = export_docx(plan, today=today, approval=approval)
    props = docx.Document(io.BytesIO(signed)).core_properties
    assert props.comments == (
        "Đã duyệt bởi Nguyễn Văn Lãnh lúc 08:02 ngày 01/12/2026 (phiên bản 1)"
    )
    assert props.content_status == "Đã duyệt"
    before = docx.Document(io.BytesIO(plain)).core_properties
    assert (before.comments, before.content_status) == ("", "")
    # The printed page is the same document: only the file's properties differ.
    a, b = zipfile.ZipFile(io.BytesIO(plain)), zipfile.ZipFile(io.BytesIO(signed))
    assert a.namelist() == b.namelist()
    for name in a.namelist():
        if name != "docProps/core.xml":
            assert a.read(name) == b.read(name), name
    assert export_docx(plan, today=today, approval=approval) == signed  # deterministic
