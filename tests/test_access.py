"""Roles and units (planner/auth/access) and the guarded store, on SQLite and PostgreSQL."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.auth.access import Action, allowed, require
from planner.auth.accounts import Accounts
from planner.auth.guarded import GuardedStore
from planner.auth.model import Role, User
from planner.errors import AccessDenied, DeletedPlanError, PlannerError
from planner.sample import sample_plan
from planner.store import audit
from planner.store.plans import PlanStore

NOW = datetime(2026, 3, 2, 9, 0)
A, B = "Phòng GDĐT Thủ Dầu Một", "Phòng GDĐT Bến Cát"

# What each role may do on a plan of its own unit / of another unit / of another unit shared
# with it ("T" yes, "F" no). Written out by hand from the rules, not computed from the code.
MATRIX: dict[Role, dict[Action, str]] = {
    Role.ADMIN: {action: "TTT" for action in Action},
    Role.LEADER: {
        Action.READ: "TFT",
        Action.CREATE: "FFF",
        Action.EDIT: "FFF",
        Action.DELETE: "FFF",
        Action.SUBMIT: "FFF",
        Action.APPROVE: "TFF",
        Action.COMMENT: "TFT",
        Action.RESOLVE_COMMENT: "FFF",
        Action.EDIT_CATALOGUE: "TTT",
        Action.MANAGE_USERS: "FFF",
        Action.SHARE: "TFF",
    },
    Role.EDITOR: {
        Action.READ: "TFT",
        Action.CREATE: "TFF",
        Action.EDIT: "TFF",
        Action.DELETE: "TFF",
        Action.SUBMIT: "TFF",
        Action.APPROVE: "FFF",
        Action.COMMENT: "FFF",
        Action.RESOLVE_COMMENT: "TFF",
        Action.EDIT_CATALOGUE: "TTT",
        Action.MANAGE_USERS: "FFF",
        Action.SHARE: "TFF",
    },
    Role.VIEWER: {
        Action.READ: "TFT",
        **{action: "FFF" for action in Action if action not in (Action.READ,)},
    },
}
CONTEXTS = [("same unit", A, False), ("other unit", B, False), ("shared", B, True)]


@pytest.mark.parametrize(
    ("role", "action", "context"),
    list(itertools.product(Role, Action, range(3))),
    ids=lambda v: v if isinstance(v, str) else CONTEXTS[v][0] if isinstance(v, int) else None,
)
def test_the_role_unit_matrix(role, action, context):
    _, unit, shared = CONTEXTS[context]
    user = User("u", "U", role, A)
    expected = MATRIX[role][action][context] == "T"
    assert allowed(user, action, plan_unit=unit, shared=shared) is expected
    if expected:
        require(user, action, plan_unit=unit, shared=shared)
    else:
        with pytest.raises(AccessDenied) as err:
            require(user, action, plan_unit=unit, shared=shared)
        assert isinstance(err.value, PlannerError)
        assert f"Tài khoản “u” ({_label(role)}, đơn vị {A}) không được" in str(err.value)


def _label(role: Role) -> str:
    return {"admin": "Quản trị", "leader": "Lãnh đạo", "editor": "Chuyên viên"}.get(role, "Xem")


def test_personal_mode_allows_everything_and_a_disabled_account_nothing():
    admin = User("qt", "Quản trị", Role.ADMIN, A, disabled=True)
    for action in Action:
        assert allowed(None, action, plan_unit=B)
        assert not allowed(admin, action, plan_unit=A)
    with pytest.raises(AccessDenied, match="đã bị khóa"):
        require(admin, Action.READ, plan_unit=A)


def test_a_plan_without_a_unit_is_for_administrators_only():
    assert allowed(User("qt", "", Role.ADMIN, A), Action.EDIT, plan_unit=None)
    for role in (Role.LEADER, Role.EDITOR, Role.VIEWER):
        assert not allowed(User("x", "", role, A), Action.READ, plan_unit=None)


def test_create_is_for_the_users_own_unit():
    editor = User("x", "", Role.EDITOR, A)
    assert allowed(editor, Action.CREATE)
    with pytest.raises(AccessDenied, match=f"cho đơn vị khác \\({B}\\)"):
        require(editor, Action.CREATE, plan_unit=B)


# ---------------------------------------------------------------- the guarded store


@pytest.fixture
def store(db_target) -> PlanStore:
    return PlanStore(db_target)


def _users(store: PlanStore) -> dict[str, User]:
    accounts = Accounts(store)
    made = {}
    for name, role, unit in [
        ("qt", "admin", A),
        ("ld.a", "leader", A),
        ("cv.a", "editor", A),
        ("xem.a", "viewer", A),
        ("cv.b", "editor", B),
    ]:
        made[name] = accounts.add(
            name, display_name=name, role=role, unit=unit, password=None, now=NOW
        )
    return made


def _count(store: PlanStore, table: str) -> int:
    with store.connect() as con:
        return int(con.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])


def test_an_editor_cannot_list_open_or_save_another_units_plan(store):
    users = _users(store)
    theirs = GuardedStore(store, users["cv.b"])
    plan_id = theirs.create(sample_plan(), now=NOW)
    mine = GuardedStore(store, users["cv.a"])
    assert [p.id for p in mine.list_plans(include_deleted=True)] == []
    assert [(p.id, p.unit) for p in theirs.list_plans()] == [(plan_id, B)]
    versions, entries = _count(store, "plan_versions"), _count(store, "audit_log")
    for attempt in (
        lambda: mine.open(plan_id),
        lambda: mine.versions(plan_id),
        lambda: mine.open_version(plan_id, 1),
        lambda: mine.save(plan_id, sample_plan(), base_version=1, now=NOW),
        lambda: mine.rename(plan_id, "Của tôi", now=NOW),
        lambda: mine.delete(plan_id, now=NOW),
        lambda: mine.duplicate(plan_id, now=NOW),
        lambda: mine.restore_version(plan_id, 1, now=NOW),
        lambda: mine.name_version(plan_id, 1, "bản đẹp", now=NOW),
    ):
        with pytest.raises(AccessDenied, match="đơn vị khác"):
            attempt()
    assert (_count(store, "plan_versions"), _count(store, "audit_log")) == (versions, entries)
    assert store.open(plan_id).title == sample_plan().title
    assert not mine.may(plan_id, Action.READ) and theirs.may(plan_id, Action.EDIT)


def test_a_viewer_reads_and_a_leader_reads_but_neither_edits(store):
    users = _users(store)
    plan_id = GuardedStore(store, users["cv.a"]).create(sample_plan(), now=NOW, title="KH A")
    for name in ("xem.a", "ld.a"):
        guarded = GuardedStore(store, users[name])
        assert [p.title for p in guarded.list_plans()] == ["KH A"]
        assert guarded.open(plan_id).version == 1
        assert [v.author for v in guarded.versions(plan_id)] == ["cv.a"]
        with pytest.raises(AccessDenied, match="không được sửa kế hoạch này"):
            guarded.save(plan_id, sample_plan(), base_version=1, now=NOW)
        with pytest.raises(AccessDenied, match="không được tạo kế hoạch"):
            guarded.create(sample_plan(), now=NOW)
        with pytest.raises(AccessDenied):
            guarded.delete(plan_id, now=NOW)
    assert [v.version for v in store.versions(plan_id)] == [1]


def test_writes_carry_the_author_and_the_unit_and_are_audited(store):
    users = _users(store)
    editor = GuardedStore(store, users["cv.a"])
    plan_id = editor.create(sample_plan(), now=NOW)
    assert editor.save(plan_id, sample_plan(), base_version=1, now=NOW + timedelta(minutes=1)) == 2
    editor.rename(plan_id, "Kế hoạch dân vận 2026", now=NOW)
    editor.name_version(plan_id, 2, "Bản trình lãnh đạo", now=NOW)
    copy = editor.duplicate(plan_id, now=NOW)
    editor.delete(plan_id, now=NOW)
    with store.connect() as con:
        row = con.execute(
            "SELECT unit, created_by, deleted_by FROM plans WHERE id = ?", (plan_id,)
        ).fetchone()
    assert tuple(row) == (A, "cv.a", "cv.a")
    editor.restore(plan_id, now=NOW)
    assert [p.unit for p in store.list_plans()] == [A, A]
    assert [v.author for v in store.versions(plan_id)] == ["cv.a", "cv.a"]
    assert store.versions(copy)[0].author == "cv.a"
    got = [(e.user, e.action, e.plan_id) for e in reversed(audit.entries(store, user="cv.a"))]
    assert got == [
        ("cv.a", "plan.create", plan_id),
        ("cv.a", "plan.save", plan_id),
        ("cv.a", "plan.rename", plan_id),
        ("cv.a", "plan.name_version", plan_id),
        ("cv.a", "plan.duplicate", copy),
        ("cv.a", "plan.delete", plan_id),
        ("cv.a", "plan.restore", plan_id),
    ]
    assert [e.label for e in audit.entries(store, plan_id=plan_id)][:2] == [
        "Khôi phục từ thùng rác",
        "Chuyển vào thùng rác",
    ]


def test_a_conflict_is_audited_with_its_author(store):
    users = _users(store)
    editor = GuardedStore(store, users["cv.a"])
    plan_id = editor.create(sample_plan(), now=NOW)
    editor.save(plan_id, sample_plan(), base_version=1, now=NOW)
    with pytest.raises(PlannerError):
        editor.save(plan_id, sample_plan(), base_version=1, now=NOW)
    assert audit.entries(store, plan_id=plan_id)[0].action == "plan.conflict"
    assert store.versions(plan_id)[0].author == "cv.a"


def test_a_failed_save_writes_no_audit_entry_and_a_failed_entry_no_save(store, monkeypatch):
    users = _users(store)
    editor = GuardedStore(store, users["cv.a"])
    plan_id = editor.create(sample_plan(), now=NOW)
    store.delete(plan_id, now=NOW, by="cv.a")
    entries = _count(store, "audit_log")
    with pytest.raises(DeletedPlanError):
        editor.save(plan_id, sample_plan(), base_version=1, now=NOW)
    assert _count(store, "audit_log") == entries
    editor.restore(plan_id, now=NOW)
    entries += 1

    def refuse(*args: object, **kwargs: object) -> None:
        raise PlannerError("Không ghi được nhật ký.")

    monkeypatch.setattr(audit, "record", refuse)
    with pytest.raises(PlannerError, match="nhật ký"):
        editor.save(plan_id, sample_plan(), base_version=1, now=NOW)
    assert [v.version for v in store.versions(plan_id)] == [1]
    assert _count(store, "audit_log") == entries


def test_sharing_lets_another_unit_read_never_edit(store):
    users = _users(store)
    owner = GuardedStore(store, users["cv.b"])
    plan_id = owner.create(sample_plan(), now=NOW)
    reader = GuardedStore(store, users["xem.a"])
    with pytest.raises(AccessDenied):
        reader.share(plan_id, "xem.a", now=NOW)
    owner.share(plan_id, "xem.a", now=NOW)
    assert owner.shares(plan_id) == ["xem.a"]
    assert [p.id for p in reader.list_plans()] == [plan_id]
    assert reader.open(plan_id).id == plan_id
    with pytest.raises(AccessDenied):
        reader.save(plan_id, sample_plan(), base_version=1, now=NOW)
    owner.unshare(plan_id, "xem.a", now=NOW)
    assert reader.list_plans() == []
    assert [e.action for e in audit.entries(store, plan_id=plan_id)][:2] == [
        "plan.unshare",
        "plan.share",
    ]


def test_health_lists_only_the_plans_the_user_may_read(store):
    users = _users(store)
    GuardedStore(store, users["cv.a"]).create(sample_plan(), now=NOW, title="A")
    GuardedStore(store, users["cv.b"]).create(sample_plan(), now=NOW, title="B")
    assert sorted(p.title for p in GuardedStore(store, users["cv.b"]).health().plans) == ["B"]
    assert len(GuardedStore(store, users["qt"]).health().plans) == 2


def test_personal_mode_passes_through_with_no_author_or_unit(store):
    guarded = GuardedStore(store, None)
    plan_id = guarded.create(sample_plan(), now=NOW)
    guarded.save(plan_id, sample_plan(), base_version=1, now=NOW)
    assert [(p.unit, p.review_status) for p in guarded.list_plans()] == [(None, "draft")]
    assert [v.author for v in guarded.versions(plan_id)] == [None, None]
    assert [e.user for e in audit.entries(store)] == [None, None]


# ---------------------------------------------------------------- the invariant

UNITS = [A, B, "Trường THCS Chu Văn An"]


@pytest.fixture(scope="module")
def many(tmp_path_factory) -> tuple[PlanStore, list[str]]:
    store = PlanStore(tmp_path_factory.mktemp("access") / "planner.db")
    ids = [store.create(sample_plan(), now=NOW, title="không đơn vị")]
    for number, unit in enumerate(UNITS * 2):
        ids.append(store.create(sample_plan(), now=NOW, title=f"KH {number}", unit=unit))
    return store, ids


_names = itertools.count()


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    role=st.sampled_from(list(Role)),
    unit=st.sampled_from(UNITS),
    shared=st.sets(st.integers(min_value=0, max_value=6)),
    disabled=st.booleans(),
)
def test_a_user_lists_exactly_the_plans_read_allows(many, role, unit, shared, disabled):
    store, ids = many
    name = f"u{next(_names)}"
    accounts = Accounts(store)
    accounts.add(name, display_name=name, role=role, unit=unit, password=None, now=NOW)
    admin = GuardedStore(store, None)
    for index in shared:
        admin.share(ids[index], name, now=NOW)
    if disabled:
        accounts.disable(name, now=NOW)
    user = accounts.require(name)
    guarded = GuardedStore(store, user)
    listed = {p.id for p in guarded.list_plans()}
    for summary in store.list_plans():
        may = allowed(
            user, Action.READ, plan_unit=summary.unit, shared=ids.index(summary.id) in shared
        )
        assert (summary.id in listed) is may
        if may:
            assert guarded.open(summary.id).id == summary.id
        else:
            with pytest.raises(AccessDenied):
                guarded.open(summary.id)


# ---------------------------------------------------------------- the catalogue


def test_the_catalogue_is_written_by_editors_and_leaders_with_their_names(store):
    from datetime import date

    from planner.catalogue.model import Directive
    from planner.catalogue.user_rows import (
        delete_directive,
        restore_row_version,
        row_history,
        save_directive,
        save_directives,
        user_directives,
    )

    users = _users(store)
    row = Directive(
        "kh-12-ubnd-2021", "Kế hoạch", "12", "12/KH-UBND", issued=date(2021, 1, 5),
        issuer="UBND thành phố Thủ Dầu Một", title="về công tác dân vận năm 2021", source="test",
    )  # fmt: skip
    with pytest.raises(AccessDenied, match="không được sửa danh mục văn bản"):
        save_directive(store, row, now=NOW, user=users["xem.a"])
    with pytest.raises(AccessDenied):
        save_directives(store, [row], now=NOW, user=users["xem.a"])
    assert user_directives(store) == []
    assert save_directive(store, row, now=NOW, user=users["cv.a"]) == 1
    with pytest.raises(AccessDenied):
        delete_directive(store, row.id, now=NOW, user=users["xem.a"])
    assert delete_directive(store, row.id, now=NOW, user=users["ld.a"]) == 2
    assert restore_row_version(store, row.id, 1, now=NOW, user=users["qt"]) == 3
    assert save_directives(store, [row], now=NOW, user=users["cv.b"]) == 1
    assert [h.author for h in row_history(store, row.id)] == ["cv.b", "qt", "ld.a", "cv.a"]
    got = [(e.user, e.action) for e in reversed(audit.entries(store)) if "catalogue" in e.action]
    assert got == [
        ("cv.a", "catalogue.save"),
        ("ld.a", "catalogue.delete"),
        ("qt", "catalogue.restore"),
        ("cv.b", "catalogue.save"),
    ]
    # Personal mode and the command line: no user, the author as given.
    save_directive(store, row, now=NOW, author="lan")
    assert row_history(store, row.id)[0].author == "lan"


def test_the_catalogue_functions_take_the_guarded_store_the_pages_hold(store):
    from datetime import date

    from planner.catalogue.model import Directive
    from planner.catalogue.user_rows import (
        catalogue_stamp,
        load_catalogue,
        row_history,
        save_directive,
        user_directive_ids,
    )

    users = _users(store)
    row = Directive(
        "ct-05-ubnd-2024", "Chỉ thị", "05", "05/CT-UBND", issued=date(2024, 2, 1),
        issuer="UBND tỉnh Bình Dương", title="về nhiệm vụ năm học", source="test",
    )  # fmt: skip
    viewer = GuardedStore(store, users["xem.a"])
    with pytest.raises(AccessDenied, match="danh mục"):
        save_directive(viewer, row, now=NOW)
    assert user_directive_ids(viewer) == set()
    save_directive(GuardedStore(store, users["cv.b"]), row, now=NOW)
    assert [h.author for h in row_history(viewer, row.id)] == ["cv.b"]
    assert user_directive_ids(viewer) == {row.id}
    assert catalogue_stamp(viewer) == catalogue_stamp(store)
    assert load_catalogue(viewer).get(row.id) is not None
