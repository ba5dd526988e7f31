"""AppTest of the review on Soạn kế hoạch and Xuất văn bản in server mode (issue #14 item 5):
the buttons each role has, a leader approves, a reason is required to send back, góp ý added by
a leader and resolved by the drafter, names in the version history, the approval on the export
page; personal mode shows none of it.

The page runs with a signed-in user set through `state.set_current_user`, as app.py does after
the sign-in gate (the gate itself is tested in tests/test_server_gate.py)."""

from __future__ import annotations

import io
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from docx import Document

from planner.auth.model import Role, User
from planner.review.model import Status
from planner.review.workflow import Review
from planner.store.plans import PlanStore
from tests.conftest import ROOT
from tests.test_readiness import ready_plan
from tests.test_review import ADMIN, EDITOR, LEADER, PEOPLE, UNIT, VIEWER

T0 = datetime(2021, 3, 15, 8, 0)
EDITOR_PAGE = str(ROOT / "views" / "editor.py")
EXPORT_PAGE = str(ROOT / "views" / "export.py")
# Every label the review shows on a button: Vietnamese, nothing else.
REVIEW_BUTTONS = {"Trình duyệt", "Duyệt", "Trả lại", "Rút lại", "Mở lại để sửa"}


def _page(page: str, name: str, display: str, role: str, unit: str) -> None:
    """The script AppTest runs: the user app.py would resolve, then the page itself."""
    import runpy

    from components import state
    from planner.auth.model import Role, User

    state.set_current_user(User(name, display, Role(role), unit))
    runpy.run_path(page, run_name="__main__")


@pytest.fixture
def server(app_env: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[PlanStore, str]:
    """Server mode, the accounts of tests/test_review.py and one plan of their unit."""
    monkeypatch.setenv("PLANNER_MODE", "server")
    store = PlanStore(app_env)
    with store.transaction() as con:
        for u in PEOPLE.values():
            con.execute(
                "INSERT INTO users (name, display_name, role, unit, created_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (u.name, u.display_name, u.role.value, u.unit, T0.isoformat()),
            )
    plan_id = store.create(ready_plan(), now=T0, author=EDITOR.name, unit=UNIT)
    return store, plan_id


def run(plan_id: str, user: User, page: str = EDITOR_PAGE) -> Any:
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(
        _page,
        args=(page, user.name, user.display_name, user.role.value, user.unit),
        default_timeout=60,
    )
    at.query_params["plan"] = plan_id
    at.run()
    assert not at.exception, at.exception  # (a duplicate widget key, an error in a panel)
    return at


STEP_KEYS = {"review.submit", "review.approve", "review.send_back", "review.reopen"}


def review_buttons(at: Any) -> list[str]:
    """The review steps' buttons shown, in order."""
    return [b.label for b in at.button if b.key in STEP_KEYS]


def comment_buttons(at: Any) -> list[str]:
    return [b.label for b in at.button if str(b.key).startswith("review.comment.add")]


def markdown(at: Any) -> str:
    return "\n".join(m.value for m in at.markdown) + "\n".join(c.value for c in at.caption)


def button(at: Any, key: str) -> Any:
    return next(b for b in at.button if b.key == key)


def test_each_role_sees_its_buttons_and_an_editor_submits(server: tuple[PlanStore, str]) -> None:
    store, plan_id = server
    at = run(plan_id, EDITOR)
    assert not at.exception, at.exception
    assert "trạng thái: **Đang soạn**" in markdown(at)
    assert review_buttons(at) == ["Trình duyệt"]
    assert comment_buttons(at) == []  # the drafter does not comment
    leader = run(plan_id, LEADER)
    assert review_buttons(leader) == [] and comment_buttons(leader) == ["Góp ý"]
    viewer = run(plan_id, VIEWER)
    assert review_buttons(viewer) == [] and comment_buttons(viewer) == []
    assert "Tài khoản của bạn không có bước duyệt nào" in markdown(viewer)
    button(at, "review.submit").click().run()
    assert not at.exception, at.exception
    assert [s.value for s in at.success] == ["Đã trình duyệt kế hoạch. Lãnh đạo sẽ xem và duyệt."]
    assert "trạng thái: **Chờ duyệt**" in markdown(at)
    assert review_buttons(at) == ["Rút lại"]
    assert Review(store).status(plan_id) == Status.SUBMITTED
    assert review_buttons(run(plan_id, VIEWER)) == []


def test_a_leader_approves_and_the_export_page_says_who_and_when(
    server: tuple[PlanStore, str],
) -> None:
    store, plan_id = server
    Review(store).submit(plan_id, EDITOR, now=T0)
    at = run(plan_id, LEADER)
    assert review_buttons(at) == ["Duyệt", "Trả lại"]
    assert set(review_buttons(at)) <= REVIEW_BUTTONS
    assert [t.label for t in at.text_area if t.key == "review.reason"] == ["Lý do trả lại"]
    button(at, "review.approve").click().run()
    assert not at.exception, at.exception
    assert [s.value for s in at.success] == ["Đã duyệt kế hoạch."]
    assert "trạng thái: **Đã duyệt**" in markdown(at)
    assert "Đã duyệt bởi Nguyễn Văn Lãnh lúc" in markdown(at)
    assert review_buttons(at) == ["Trả lại"]
    assert review_buttons(run(plan_id, EDITOR)) == ["Mở lại để sửa"]
    assert review_buttons(run(plan_id, ADMIN)) == ["Mở lại để sửa", "Trả lại"]
    export = run(plan_id, VIEWER, EXPORT_PAGE)
    assert not export.exception, export.exception
    approved = [s.value for s in export.success if "Đã duyệt bởi" in s.value]
    assert (
        len(approved) == 1 and "Nguyễn Văn Lãnh" in approved[0] and "(phiên bản 1)" in approved[0]
    )
    # The Word file downloaded from the page records the approval in its properties.
    button(export, "export.build").click().run()
    assert not export.exception, export.exception
    built = export.session_state["export.built"]
    props = Document(io.BytesIO(built["docx"])).core_properties
    assert props.content_status == "Đã duyệt"
    assert "Nguyễn Văn Lãnh" in props.comments and "phiên bản 1" in props.comments


def test_sending_back_needs_a_reason_on_the_page(server: tuple[PlanStore, str]) -> None:
    store, plan_id = server
    Review(store).submit(plan_id, EDITOR, now=T0)
    at = run(plan_id, LEADER)
    button(at, "review.send_back").click().run()
    assert [e.value for e in at.error] == ["Hãy ghi lý do trả lại để người soạn biết cần sửa gì."]
    assert Review(store).status(plan_id) == Status.SUBMITTED
    next(t for t in at.text_area if t.key == "review.reason").input("Bổ sung số liệu mục II.")
    button(at, "review.send_back").click().run()
    assert not at.exception, at.exception
    assert Review(store).status(plan_id) == Status.DRAFT
    steps = "\n".join(m.value for m in at.markdown if m.value.startswith("- "))
    assert "Trả lại · Nguyễn Văn Lãnh" in steps and "Bổ sung số liệu mục II." in steps
    assert "Trình duyệt · Lê Thị Soạn" in steps


def test_a_leader_comments_on_a_block_and_the_drafter_resolves_it(
    server: tuple[PlanStore, str],
) -> None:
    store, plan_id = server
    at = run(plan_id, LEADER)
    # A leader reads the plan (no editing widgets) and comments from the review panel's form.
    assert "Chỉ xem: tài khoản của bạn (vai trò Lãnh đạo" in " ".join(i.value for i in at.info)
    assert not [t for t in at.text_area if str(t.key).startswith("ed.")]
    pick = next(s for s in at.selectbox if s.key == "review.comment.block.all")
    assert pick.options[:2] == ["Toàn văn bản", "Mục I, đoạn 1: Nâng cao chất lượng."]
    pick.set_value("Mục I, đoạn 1: Nâng cao chất lượng.")
    text = next(t for t in at.text_area if str(t.key).startswith("review.comment.text.all"))
    text.input("Nêu rõ chỉ tiêu cụ thể.")
    button(at, "review.comment.add.all").click().run()
    assert not at.exception, at.exception
    assert [s.value for s in at.success] == ["Đã gửi góp ý."]
    comments = Review(store).comments(plan_id)
    assert [(c.block, c.text, c.author) for c in comments] == [
        ("I/0|Nâng cao chất lượng.", "Nêu rõ chỉ tiêu cụ thể.", "lanhdao")
    ]
    assert "Góp ý chưa xử lý: **1**" in markdown(at)
    assert not [b for b in at.button if str(b.key).startswith("review.resolve.")]
    drafter = run(plan_id, EDITOR)
    assert not drafter.exception, drafter.exception
    assert "Nêu rõ chỉ tiêu cụ thể." in markdown(drafter)
    assert not [s for s in drafter.selectbox if str(s.key).startswith("review.comment.block")]
    # Shown in the panel's list and under its section, each with its own Đã xử lý.
    resolve = [b for b in drafter.button if str(b.key).startswith("review.resolve.")]
    assert [(b.key, b.label) for b in resolve] == [
        (f"review.resolve.all.{comments[0].id}", "Đã xử lý"),
        (f"review.resolve.section.{comments[0].id}", "Đã xử lý"),
    ]
    resolve[1].click().run()
    assert not drafter.exception, drafter.exception
    assert "Góp ý chưa xử lý: **0**" in markdown(drafter)
    assert "Đã xử lý bởi Lê Thị Soạn" in markdown(drafter)
    assert Review(store).comments(plan_id, open_only=True) == []


def test_open_comments_count_on_the_export_page(server: tuple[PlanStore, str]) -> None:
    store, plan_id = server
    Review(store).add_comment(plan_id, "", "Rà soát lại số liệu.", LEADER, now=T0)
    at = run(plan_id, EDITOR, EXPORT_PAGE)
    assert not at.exception, at.exception
    assert any("1 góp ý chưa xử lý" in w.value for w in at.warning)
    assert any(e.label == "Góp ý chưa xử lý (1)" for e in at.expander)
    assert any("Trạng thái duyệt: Đang soạn" in i.value for i in at.info)


def test_the_version_history_names_who_saved(server: tuple[PlanStore, str]) -> None:
    _, plan_id = server
    at = run(plan_id, VIEWER)
    table = next(d for d in at.dataframe if "Phiên bản" in d.value.columns)
    assert list(table.value["Người lưu"]) == ["Lê Thị Soạn"]


def test_personal_mode_shows_no_review(app_env: Path) -> None:
    store = PlanStore(app_env)
    plan_id = store.create(ready_plan(), now=T0)
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(EDITOR_PAGE, default_timeout=60)
    at.query_params["plan"] = plan_id
    at.run()
    assert not at.exception, at.exception
    assert "Duyệt kế hoạch" not in markdown(at)
    assert review_buttons(at) == []
    table = next(d for d in at.dataframe if "Phiên bản" in d.value.columns)
    assert "Người lưu" not in table.value.columns


def test_a_role_the_step_is_not_for_gets_the_vietnamese_refusal(
    server: tuple[PlanStore, str],
) -> None:
    """A page opened before the role changed still offers the button: the step is checked
    again and refused in Vietnamese, nothing saved."""
    store, plan_id = server
    at = run(plan_id, EDITOR)
    demoted = User(EDITOR.name, EDITOR.display_name, Role.VIEWER, UNIT)
    # The account's role changed meanwhile: the button's callback runs before the script
    # sets the user again, so it acts as the demoted account (`state.current_user`'s key).
    at.session_state["auth.user"] = demoted
    button(at, "review.submit").click().run()
    assert [e.value for e in at.error][:1] == [
        "Tài khoản “chuyenvien” (Xem, đơn vị PGDĐT Thủ Dầu Một) không được trình duyệt kế "
        "hoạch này. Nếu cần, hãy hỏi quản trị viên."
    ]
    assert Review(store).status(plan_id) == Status.DRAFT


def test_the_plan_list_shows_the_status_and_open_comments(server: tuple[PlanStore, str]) -> None:
    """Trang chủ's list (and the banner above every page: the same `review_tags`)."""
    store, plan_id = server
    review = Review(store)
    review.submit(plan_id, EDITOR, now=T0)
    review.add_comment(plan_id, "", "Rà soát lại số liệu.", LEADER, now=T0)
    home = run(plan_id, EDITOR, str(ROOT / "views" / "home.py"))
    listed = [m.value for m in home.markdown if "phiên bản 1" in m.value]
    assert len(listed) == 1 and "phiên bản 1 · Chờ duyệt · 1 góp ý chưa xử lý" in listed[0]


def _catalogue_history(name: str, display: str, role: str, unit: str) -> None:
    from components import state
    from components.catalogue_history import history_panel
    from planner.auth.model import Role, User
    from tests.test_user_rows_history import ROW

    state.set_current_user(User(name, display, Role(role), unit))
    history_panel(ROW)


def test_the_catalogue_history_names_who_saved(server: tuple[PlanStore, str]) -> None:
    """Item 4: a catalogue row's versions say who saved each (the display name)."""
    from streamlit.testing.v1 import AppTest

    from planner.catalogue.user_rows import save_directive
    from tests.test_user_rows_history import ROW

    store, _ = server
    save_directive(store, ROW, now=T0, user=EDITOR)
    u = LEADER
    at = AppTest.from_function(
        _catalogue_history,
        args=(u.name, u.display_name, u.role.value, u.unit),
        default_timeout=60,
    ).run()
    assert not at.exception, at.exception
    table = next(d for d in at.dataframe if "Người sửa" in d.value.columns)
    assert list(table.value["Người sửa"]) == ["Lê Thị Soạn"]


VIETNAMESE_LETTERS = set("ăâđêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ")


@pytest.mark.parametrize("who", ["quantri", "lanhdao", "chuyenvien", "xem"])
def test_every_label_of_the_review_is_vietnamese(server: tuple[PlanStore, str], who: str) -> None:
    store, plan_id = server
    Review(store).submit(plan_id, EDITOR, now=T0)
    Review(store).add_comment(plan_id, "", "Rà soát lại số liệu.", LEADER, now=T0)
    at = run(plan_id, PEOPLE[who])
    widgets = [*at.button, *at.text_area, *at.selectbox]
    labels = [w.label for w in widgets if str(w.key).startswith("review.")]
    labels += [e.label for e in at.expander if "Góp ý" in e.label or "duyệt" in e.label]
    assert labels, "the review panel shows nothing"
    for label in labels:
        assert set(label.lower()) & VIETNAMESE_LETTERS, label
