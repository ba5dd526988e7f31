"""Two sessions edit one plan (issue #14 item 6): edits to different blocks merge by
themselves and the page says what came in from whom; edits to one block are shown side by side
to choose or combine, and nothing is dropped from the plan without a choice. On SQLite and on
PostgreSQL."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

import pytest

from planner.errors import ConflictError
from planner.model import Block, Meta, Plan, Section
from planner.store.plans import PlanStore
from tests.conftest import TEST_TODAY, make_app

EDITOR = "views/editor.py"
TEXTS = ("Đoạn một của mục I.", "Đoạn hai của mục I.", "Đoạn ba của mục I.")


@pytest.fixture
def env(db_target, monkeypatch, app_env):
    """app_env's settings with the store on each backend; a three-paragraph plan."""
    monkeypatch.setenv("PLANNER_DB", str(db_target))
    store = PlanStore(db_target)
    plan = Plan(
        meta=Meta(subject="Kế hoạch thử gộp", year=2026),
        sections=(
            Section("I", "MỤC ĐÍCH", tuple(Block(text=t) for t in TEXTS)),
            Section("II", "NỘI DUNG", (Block(text="Đoạn của mục II."),)),
        ),
    )
    pid = store.create(plan, now=datetime.fromisoformat(f"{TEST_TODAY}T08:00:00"))
    return store, pid


def widget(items, name):
    found = [w for w in items if w.key and (w.key == name or w.key.split(".", 3)[-1] == name)]
    assert found, f"no widget {name}: {[w.key for w in items][:30]}"
    return found[0]


def ok(at) -> None:
    assert not at.exception, [e.value for e in at.exception]


def editor(pid, params=None):
    at = make_app()
    at.query_params["plan"] = pid
    for k, v in (params or {}).items():
        at.query_params[k] = v
    at.run()
    at.switch_page(EDITOR).run()
    ok(at)
    return at


def texts(store, pid, version=None):
    plan = store.open(pid).plan if version is None else store.open_version(pid, version)
    return [b.text for b in plan.sections[0].blocks]


def test_edits_to_different_blocks_merge_and_say_what_came_in(env):
    store, pid = env
    first, second = editor(pid), editor(pid)
    widget(first.text_area, "b.text.0.0").input("Người thứ nhất sửa đoạn một.").run()
    ok(first)
    widget(second.text_area, "b.text.0.2").input("Người thứ hai sửa đoạn ba.").run()
    ok(second)
    # Both edits are in the newest version; nothing waits for a choice.
    assert texts(store, pid) == [
        "Người thứ nhất sửa đoạn một.",
        TEXTS[1],
        "Người thứ hai sửa đoạn ba.",
    ]
    head = store.versions(pid)[0]
    assert not head.conflict and head.note == "Gộp thay đổi của một đồng nghiệp (phiên bản 2)"
    conflicts = [v for v in store.versions(pid) if v.conflict]
    assert conflicts and all(v.resolved for v in conflicts)
    notice = " ".join(i.value for i in second.info)
    assert "một đồng nghiệp đã lưu kế hoạch này (phiên bản 2)" in notice
    assert "Mục I: sửa đoạn 1" in notice
    assert not second.warning or not any(
        "hai người sửa khác nhau" in w.value for w in second.warning
    )
    # The second editor's boxes show the merged text and the next edit builds on it.
    assert widget(second.text_area, "b.text.0.0").value == "Người thứ nhất sửa đoạn một."
    widget(second.text_area, "b.text.0.1").input("Người thứ hai sửa tiếp đoạn hai.").run()
    ok(second)
    assert texts(store, pid)[1] == "Người thứ hai sửa tiếp đoạn hai."
    assert not store.versions(pid)[0].conflict
    # Đã xem closes the notice.
    second.button(key="merge.close").click().run()
    assert not any("đã lưu kế hoạch này" in i.value for i in second.info)


def test_edits_to_one_block_are_chosen_side_by_side(env):
    store, pid = env
    first, second = editor(pid), editor(pid)
    widget(first.text_area, "b.text.0.1").input("Bản đoạn hai của người thứ nhất.").run()
    widget(first.text_area, "b.text.0.0").input("Người thứ nhất sửa đoạn một.").run()
    ok(first)
    widget(second.text_area, "b.text.0.1").input("Bản đoạn hai của người thứ hai.").run()
    widget(second.text_area, "b.text.0.2").input("Người thứ hai sửa đoạn ba.").run()
    ok(second)
    # Nothing dropped while the choice waits: the newest version is still the first
    # person's, the second person's text is stored as a conflict version named in the URL.
    assert texts(store, pid)[:2] == [
        "Người thứ nhất sửa đoạn một.",
        "Bản đoạn hai của người thứ nhất.",
    ]
    mine = int(
        second.query_params["gop"][0]
        if isinstance(second.query_params["gop"], list)
        else second.query_params["gop"]
    )
    assert texts(store, pid, mine) == [
        TEXTS[0],
        "Bản đoạn hai của người thứ hai.",
        "Người thứ hai sửa đoạn ba.",
    ]
    panel = " ".join(w.value for w in second.warning)
    assert "1 chỗ" in panel and "phiên bản 3" in panel
    shown = [m.value for m in second.markdown]
    assert (
        "Bản đoạn hai của người thứ hai." in shown and "Bản đoạn hai của người thứ nhất." in shown
    )
    assert any("Mục I, đoạn 2" in m for m in shown)
    save = second.button(key="merge.save")
    assert save.disabled  # no choice yet
    # A refresh (a new session, same URL) brings the same choice back.
    again = editor(pid, {"gop": str(mine)})
    assert any("1 chỗ" in w.value for w in again.warning)
    assert again.button(key="merge.save").disabled
    # Combine the two texts in the box, then save.
    choice = next(r for r in second.radio if r.key.endswith(".choice"))
    assert choice.options == ["Giữ bản của tôi", "Dùng bản kia", "Gộp hai bản (theo ô dưới đây)"]
    choice.set_value("combine").run()
    box = next(
        t for t in second.text_area if t.key.startswith("merge.") and t.key.endswith(".text")
    )
    assert box.value == "Bản đoạn hai của người thứ hai."  # the combine box starts from mine
    box.input("Đoạn hai gộp từ hai người.").run()
    second.button(key="merge.save").click().run()
    ok(second)
    assert texts(store, pid) == [
        "Người thứ nhất sửa đoạn một.",
        "Đoạn hai gộp từ hai người.",
        "Người thứ hai sửa đoạn ba.",
    ]
    assert store.versions(pid)[0].note.startswith("Gộp thay đổi của một đồng nghiệp (phiên bản 3)")
    assert all(v.resolved for v in store.versions(pid) if v.conflict)
    assert "gop" not in second.query_params
    assert not any("hai người sửa khác nhau" in w.value for w in second.warning)
    assert any("Đã lưu bản đã gộp" in i.value for i in second.info)


def test_keep_mine_and_use_theirs(env):
    store, pid = env
    first, second = editor(pid), editor(pid)
    widget(first.text_area, "b.text.0.0").input("Một: của người thứ nhất.").run()
    widget(first.text_area, "b.text.0.1").input("Hai: của người thứ nhất.").run()
    widget(second.text_area, "b.text.0.0").input("Một: của người thứ hai.").run()
    widget(second.text_area, "b.text.0.1").input("Hai: của người thứ hai.").run()
    ok(second)
    radios = [r for r in second.radio if r.key.endswith(".choice")]
    assert len(radios) == 2
    radios[0].set_value("mine").run()
    assert second.button(key="merge.save").disabled  # one place still open
    [r for r in second.radio if r.key.endswith(".choice")][1].set_value("theirs").run()
    second.button(key="merge.save").click().run()
    ok(second)
    assert texts(store, pid)[:2] == ["Một: của người thứ hai.", "Hai: của người thứ nhất."]


def test_the_notice_names_who_saved_by_display_name(env, monkeypatch):
    """Server mode keeps the account with each version: the notice names its holder(s)."""
    from components import merge_panel, state
    from planner.auth.accounts import Accounts

    store, pid = env
    now = datetime.fromisoformat(f"{TEST_TODAY}T09:00:00")
    accounts = Accounts(store)
    for name, shown in (("an", "Nguyễn Văn An"), ("binh", "Trần Thị Bình")):
        accounts.add(
            name, display_name=shown, role="editor", unit="Phòng GDĐT", password=None, now=now
        )
    plan = store.open(pid).plan
    v2 = store.save(pid, plan, base_version=1, now=now, note="a", author="an")
    v3 = store.save(pid, plan, base_version=v2, now=now, note="b", author="binh")
    v4 = store.save(pid, plan, base_version=v3, now=now, note="c")  # no account (CLI)
    monkeypatch.setattr(state, "get_store", lambda: store)
    monkeypatch.setattr(state, "base_store", lambda: store)
    assert merge_panel.authors(pid, 1, v2) == "Nguyễn Văn An"
    assert merge_panel.authors(pid, 1, v3) == "Nguyễn Văn An và Trần Thị Bình"
    assert merge_panel.authors(pid, v3, v4) == "một đồng nghiệp"
    assert merge_panel.authors(pid, 1, v4) == "Nguyễn Văn An, Trần Thị Bình và một đồng nghiệp"
    notice = merge_panel.merged_notice("Nguyễn Văn An", v2, ("Mục I: sửa đoạn 2",) * 15)
    assert "Nguyễn Văn An đã lưu kế hoạch này (phiên bản 2)" in notice
    assert notice.count("- Mục I: sửa đoạn 2") == 12 and "và 3 thay đổi khác" in notice


def test_after_a_refresh_the_choice_is_made_and_saved(env):
    store, pid = env
    first, second = editor(pid), editor(pid)
    widget(first.text_area, "b.text.0.1").input("Đoạn hai, bản thứ nhất.").run()
    widget(second.text_area, "b.text.0.1").input("Đoạn hai, bản thứ hai.").run()
    widget(second.text_area, "b.text.0.0").input("Đoạn một, chỉ người thứ hai sửa.").run()
    ok(second)
    gop = second.query_params["gop"]
    mine = gop[0] if isinstance(gop, list) else gop
    again = editor(pid, {"gop": mine})  # the browser reloaded: a new session, the same URL
    # The refreshed page works from the version the user had: their own text is shown.
    assert widget(again.text_area, "b.text.0.0").value == "Đoạn một, chỉ người thứ hai sửa."
    next(r for r in again.radio if r.key.endswith(".choice")).set_value("mine").run()
    again.button(key="merge.save").click().run()
    ok(again)
    assert texts(store, pid) == [
        "Đoạn một, chỉ người thứ hai sửa.",
        "Đoạn hai, bản thứ hai.",
        TEXTS[2],
    ]
    assert "gop" not in again.query_params
    assert all(v.resolved for v in store.versions(pid) if v.conflict)
    # A stale link naming a settled version shows nothing and drops the parameter.
    stale = editor(pid, {"gop": mine})
    assert not stale.get("radio") or not any(r.key.endswith(".choice") for r in stale.radio)
    assert "gop" not in stale.query_params


def test_a_save_racing_the_merge_is_merged_too(env, monkeypatch):
    """Someone saves between the merge and its save: the merge is made again with that save
    (its copy settled), and every edit of the three is in the newest version."""
    store, pid = env
    first, second = editor(pid), editor(pid)
    widget(first.text_area, "b.text.0.0").input("Đoạn một của người thứ nhất.").run()
    save = PlanStore.save
    raced = []

    def racing_save(self, plan_id, plan, **kwargs):
        if kwargs.get("note", "").startswith("Gộp thay đổi") and not raced:
            head = self.open(plan_id)
            blocks = list(head.plan.sections[0].blocks)
            blocks[0] = Block(text="Đoạn một, người thứ ba sửa tiếp.")
            sections = (
                replace(head.plan.sections[0], blocks=tuple(blocks)),
                *head.plan.sections[1:],
            )
            raced.append(
                save(self, plan_id, replace(head.plan, sections=sections), base_version=head.version,
                     now=kwargs["now"], note="người thứ ba")
            )  # fmt: skip
        return save(self, plan_id, plan, **kwargs)

    monkeypatch.setattr(PlanStore, "save", racing_save)
    widget(second.text_area, "b.text.0.2").input("Đoạn ba của người thứ hai.").run()
    ok(second)
    assert raced
    assert texts(store, pid) == [
        "Đoạn một, người thứ ba sửa tiếp.",
        TEXTS[1],
        "Đoạn ba của người thứ hai.",
    ]
    head = store.versions(pid)[0]
    assert not head.conflict and head.based_on == raced[0]
    assert all(v.resolved for v in store.versions(pid) if v.conflict)
    assert not any(r.key.endswith(".choice") for r in second.radio)


def test_opening_another_plan_leaves_the_waiting_choice_to_its_plan(env):
    store, pid = env
    other = store.create(
        Plan(meta=Meta(subject="Kế hoạch khác", year=2026), sections=(Section("I", "A"),)),
        now=datetime.fromisoformat(f"{TEST_TODAY}T08:30:00"),
    )
    # The other plan holds an unsettled conflict version of the same number (made elsewhere).
    now = datetime.fromisoformat(f"{TEST_TODAY}T08:40:00")
    plan = store.open(other).plan
    store.save(other, plan, base_version=1, now=now, note="a")
    with pytest.raises(ConflictError):
        store.save(other, plan, base_version=1, now=now, note="b")
    first, second = editor(pid), editor(pid)
    widget(first.text_area, "b.text.0.1").input("Đoạn hai, bản thứ nhất.").run()
    widget(second.text_area, "b.text.0.1").input("Đoạn hai, bản thứ hai.").run()
    assert second.query_params["gop"] in ("3", ["3"])
    second.selectbox(key=f"sidebar.plan.{pid}").set_value(other).run()
    ok(second)
    assert "gop" not in second.query_params
    assert not any(r.key.endswith(".choice") for r in second.radio)
    # The choice still waits in its own plan: the stored version is there to settle.
    assert any(v.conflict and not v.resolved for v in store.versions(pid))


def test_the_waiting_choice_follows_to_another_page_and_stays_in_the_url(env):
    _store, pid = env
    first, second = editor(pid), editor(pid)
    widget(first.text_area, "b.text.0.1").input("Đoạn hai, bản thứ nhất.").run()
    widget(second.text_area, "b.text.0.1").input("Đoạn hai, bản thứ hai.").run()
    gop = second.query_params["gop"]
    del second.query_params["gop"]  # the page menu keeps only ?plan= (AppTest keeps all)
    second.switch_page("views/progress.py").run()
    ok(second)
    assert any(r.key.endswith(".choice") for r in second.radio)
    assert second.query_params.get("gop") == gop
