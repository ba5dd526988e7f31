"""AppTest flows of the Soạn kế hoạch page and the new-year flow on Trang chủ (from app.py)."""

from __future__ import annotations

import time

import pytest

from planner.drafting.findings import findings_of, review_progress
from planner.model import plan_to_dict
from planner.store.plans import PlanStore
from tests.conftest import make_app

EDITOR = "views/editor.py"


def widget(items, name):
    """The widget whose key, without the editor's epoch prefix, is `name`."""
    found = [w for w in items if w.key and (w.key == name or w.key.split(".", 3)[-1] == name)]
    assert found, f"no widget {name}: {[w.key for w in items][:30]}"
    return found[0]


def plan_id_of(at) -> str:
    value = at.query_params["plan"]
    return value[0] if isinstance(value, list) else value


def ok(at) -> None:
    assert not at.exception, [e.value for e in at.exception]


def create_2021(source: str = "sample"):
    at = make_app().run()
    at.radio(key="newyear.source").set_value(source).run()
    ok(at)
    at.button(key="newyear.create").click().run()
    ok(at)
    return at, plan_id_of(at)


def test_create_2021_from_the_sample_opens_the_editor_beside_last_year(app_env):
    at, pid = create_2021()
    assert at.title[0].value == "Soạn kế hoạch"
    store = PlanStore(app_env)
    new = store.open(pid).plan
    assert new.meta.year == 2021 and new.meta.number == "" and new.meta.issued is None
    assert new.meta.subject.endswith("năm 2021")
    # Last year's plan is stored too, and the draft points at it.
    prev_id = new.extra["previous_plan_id"]
    assert store.open(prev_id).plan.meta.year == 2020
    assert len(store.list_plans()) == 2
    assert any("Năm trước (2020)" in m.value for m in at.markdown)
    assert any("Đã rà soát 0/" in p["text"] for p in _progress(at))


def _progress(at):
    return [{"text": el.proto.text} for el in at.get("progress")]


def test_target_year_defaults_to_the_next_one_and_a_past_year_is_refused(app_env):
    at = make_app().run()
    at.radio(key="newyear.source").set_value("sample").run()
    year = next(n for n in at.number_input if n.key.startswith("newyear.year"))
    assert year.value == 2021
    year.set_value(2019).run()
    at.button(key="newyear.create").click().run()
    ok(at)
    assert any("phải sau năm của kế hoạch cũ" in e.value for e in at.error)
    assert PlanStore(app_env).list_plans() == []  # nothing half-saved


def test_edit_a_paragraph_stores_a_version_and_shows_saved(app_env):
    at, pid = create_2021()
    store = PlanStore(app_env)
    assert [v.version for v in store.versions(pid)] == [1]
    widget(at.text_area, "b.text.0.1").input("Đoạn văn viết lại cho năm 2021.").run()
    ok(at)
    versions = store.versions(pid)
    assert versions[0].version == 2 and versions[0].note == "Sửa mục I, đoạn 2"
    assert store.open(pid).plan.sections[0].blocks[1].text == "Đoạn văn viết lại cho năm 2021."
    assert any("Đã lưu lúc" in c.value for c in at.caption)
    # The same text again is not a new version.
    at.run()
    assert len(store.versions(pid)) == 2


def test_header_fields_and_signer_autosave(app_env):
    at, pid = create_2021()
    at.radio(key="editor.view").set_value("header").run()
    widget(at.text_input, "meta.subject").input("Công tác dân vận chính quyền năm 2021").run()
    ok(at)
    store = PlanStore(app_env)
    assert store.open(pid).plan.meta.subject == "Công tác dân vận chính quyền năm 2021"
    at.radio(key="editor.view").set_value("closing").run()
    assert not [t for t in at.text_input if t.key.endswith("signer.deputy_position")]
    widget(at.selectbox, "signer.prefix").set_value("KT.").run()
    widget(at.text_input, "signer.deputy_position").input("PHÓ TRƯỞNG PHÒNG").run()
    widget(at.text_area, "recipients").input("Các trường;\n\nLưu: VT.").run()
    ok(at)
    plan = store.open(pid).plan
    assert plan.signer.prefix == "KT." and plan.signer.deputy_position == "PHÓ TRƯỞNG PHÒNG"
    assert plan.recipients == ("Các trường;", "Lưu: VT.")


def test_bases_reorder_remove_and_add_typed(app_env):
    at, pid = create_2021()
    store = PlanStore(app_env)
    before = store.open(pid).plan.bases
    at.radio(key="editor.view").set_value("header").run()
    widget(at.button, "base.down.0").click().run()
    ok(at)
    assert store.open(pid).plan.bases == (before[1], before[0])
    widget(at.button, "base.del.0").click().run()
    assert store.open(pid).plan.bases == (before[0],)
    widget(at.text_area, "base.new").input("Căn cứ Kế hoạch số 5/KH-UBND ngày 05/01/2021;")
    widget(at.button, "base.new.add").click().run()
    ok(at)
    assert store.open(pid).plan.bases[-1].text.startswith("Căn cứ Kế hoạch số 5/KH-UBND")


def test_copy_a_section_and_a_block_from_last_year(app_env):
    at, pid = create_2021()
    store = PlanStore(app_env)
    # Delete section I this year, then copy it back from last year.
    widget(at.button, "s.del.0").click().run()
    ok(at)
    plan = store.open(pid).plan
    assert [s.number for s in plan.sections] == ["I", "II"]
    assert plan.sections[0].title == "NỘI DUNG"
    widget(at.selectbox, "prev.pick.0").set_value((0,)).run()
    widget(at.button, "prev.copy.0").click().run()
    ok(at)
    plan = store.open(pid).plan
    assert [(s.number, s.title) for s in plan.sections][:2] == [
        ("I", "MỤC ĐÍCH YÊU CẦU"),
        ("II", "NỘI DUNG"),
    ]
    assert all(b.reviewed is False for b in plan.sections[0].blocks)
    # Last year's block 3 of section I is already there (just copied): the page asks, and
    # "Thêm bên cạnh" puts a second one right after it.
    n = len(plan.sections[0].blocks)
    widget(at.button, "prev.copyb.0.2").click().run()
    ok(at)
    assert len(store.open(pid).plan.sections[0].blocks) == n  # nothing yet
    assert any("đã có trong kế hoạch năm nay (đoạn 3 của mục I)" in m.value for m in at.markdown)
    assert any("Nội dung năm trước giống hệt bản năm nay" in i.value for i in at.info)
    widget(at.button, "copy.beside").click().run()
    ok(at)
    plan = store.open(pid).plan
    assert len(plan.sections[0].blocks) == n + 1
    assert plan.sections[0].blocks[3].text == plan.sections[0].blocks[2].text
    assert store.versions(pid)[0].note == "Chép đoạn từ năm trước"
    assert not copy_dialog_open(at)


def copy_dialog_open(at) -> bool:
    """True while the copy dialog (replace, beside, cancel) is shown."""
    keys = {"copy.replace", "copy.beside", "copy.cancel"}
    return any(b.key and b.key.split(".", 3)[-1] in keys for b in at.button)


def _rewrite_ii_2(at, app_env, pid):
    """This year's II.2 differs from last year's by one added sentence (typed in the page)."""
    plan = PlanStore(app_env).open(pid).plan
    text = plan.sections[1].children[1].blocks[0].text + " Năm 2021 làm thêm việc mới."
    widget(at.selectbox, "top.pick").set_value((1,)).run()
    widget(at.text_area, "b.text.1-1.0").input(text).run()
    ok(at)
    assert PlanStore(app_env).open(pid).plan.sections[1].children[1].blocks[0].text == text
    return text


def _open_ii_2_copy(at):
    """Show II beside last year's II.2 and press its Chép."""
    widget(at.selectbox, "top.pick").set_value((1,)).run()
    widget(at.selectbox, "prev.pick.1").set_value((1, 1)).run()
    widget(at.button, "prev.copy.1-1").click().run()
    ok(at)


@pytest.mark.parametrize("choice", ["replace", "beside", "cancel"])
def test_copying_a_sub_section_that_exists_asks_and_shows_the_diff(app_env, choice):
    at, pid = create_2021()
    store = PlanStore(app_env)
    mine = _rewrite_ii_2(at, app_env, pid)
    before = store.open(pid)
    _open_ii_2_copy(at)
    # Asked, nothing changed yet; the diff shows the sentence that replacing would drop.
    assert store.open(pid).version == before.version
    assert copy_dialog_open(at)
    assert any("đã có trong kế hoạch năm nay (mục II.2)" in m.value for m in at.markdown)
    diff = [m.value for m in at.markdown if "<del" in m.value and "làm thêm việc mới" in m.value]
    assert diff and 'title="Năm nay"' in diff[0]
    assert any("bỏ 6 từ của năm nay, thêm 0 từ của năm trước" in c.value for c in at.caption)
    widget(at.button, f"copy.{choice}").click().run()
    ok(at)
    plan = store.open(pid).plan
    kids = plan.sections[1].children
    last_year = store.open(plan.extra["previous_plan_id"]).plan.sections[1].children[1]
    if choice == "replace":
        assert [k.number for k in kids] == ["1", "2", "3"]
        assert kids[1].blocks[0].text == last_year.blocks[0].text
        assert all(b.reviewed is False for b in kids[1].blocks)
    elif choice == "beside":
        assert [k.number for k in kids] == ["1", "2", "3", "4"]
        assert kids[1].blocks[0].text == mine and kids[2].blocks[0].text == last_year.blocks[0].text
    else:
        assert store.open(pid).version == before.version
    assert not copy_dialog_open(at)
    at.run()
    assert not copy_dialog_open(at)  # and stays closed


def test_copying_a_sub_section_missing_this_year_copies_at_once(app_env):
    at, pid = create_2021()
    store = PlanStore(app_env)
    widget(at.selectbox, "top.pick").set_value((1,)).run()
    widget(at.button, "s.del.1-1").click().run()
    ok(at)
    assert len(store.open(pid).plan.sections[1].children) == 2
    _open_ii_2_copy(at)
    assert not copy_dialog_open(at)  # nothing to ask
    kids = store.open(pid).plan.sections[1].children
    assert [k.number for k in kids] == ["1", "2", "3"] and kids[1].blocks[0].reviewed is False


def test_section_structure_edits(app_env):
    at, pid = create_2021()
    store = PlanStore(app_env)
    widget(at.button, "top.add").click().run()
    ok(at)
    plan = store.open(pid).plan
    assert [s.number for s in plan.sections] == ["I", "II", "III", "IV"]
    # The new section is selected; rename it and add a paragraph.
    widget(at.text_input, "title.3").input("KINH PHÍ THỰC HIỆN").run()
    widget(at.button, "b.add.3").click().run()
    widget(at.text_area, "b.text.3.0").input("Kinh phí từ nguồn chi thường xuyên.").run()
    widget(at.button, "s.up.3").click().run()
    ok(at)
    plan = store.open(pid).plan
    assert [s.title for s in plan.sections][2:] == ["KINH PHÍ THỰC HIỆN", "TỔ CHỨC THỰC HIỆN"]
    assert plan.sections[2].number == "III" and plan.sections[3].number == "IV"
    assert plan.sections[2].blocks[0].text == "Kinh phí từ nguồn chi thường xuyên."


def test_apply_and_dismiss_findings(app_env):
    at, pid = create_2021()
    store = PlanStore(app_env)
    at.radio(key="editor.view").set_value("findings").run()
    ok(at)
    applied_before = int(next(m for m in at.metric if m.label == "Đã áp dụng").value)
    plan = store.open(pid).plan
    targets = [
        f
        for f in findings_of(plan)
        if f.status == "open" and f.suggestion and f.path.get("area") == "section"
    ]
    f = targets[0]
    widget(at.button, f"f.apply.{f.id}").click().run()
    ok(at)
    plan = store.open(pid).plan
    [after] = [g for g in findings_of(plan) if g.id == f.id]
    assert after.status == "applied"
    section = plan.find_section(f.path["section"])
    assert f.suggestion in section.blocks[f.path["block"]].text
    assert int(next(m for m in at.metric if m.label == "Đã áp dụng").value) == applied_before + 1
    other = next(g for g in findings_of(plan) if g.status == "open")
    widget(at.button, f"f.dismiss.{other.id}").click().run()
    ok(at)
    [gone] = [g for g in findings_of(store.open(pid).plan) if g.id == other.id]
    assert gone.status == "dismissed"
    assert not [b for b in at.button if b.key and b.key.endswith(f"f.dismiss.{other.id}")]


def test_mark_a_block_reviewed_changes_the_progress(app_env):
    at, pid = create_2021()
    store = PlanStore(app_env)
    done, total = review_progress(store.open(pid).plan)
    assert done == 0 and total > 0
    widget(at.checkbox, "b.rev.0.0").check().run()
    ok(at)
    assert review_progress(store.open(pid).plan) == (1, total)
    assert any(f"Đã rà soát 1/{total} đoạn" in p["text"] for p in _progress(at))


def test_restore_an_earlier_version(app_env):
    at, pid = create_2021()
    store = PlanStore(app_env)
    original = store.open(pid).plan.sections[0].blocks[0].text
    widget(at.text_area, "b.text.0.0").input("Bản nháp sẽ bị thay.").run()
    assert store.open(pid).plan.sections[0].blocks[0].text == "Bản nháp sẽ bị thay."
    at.selectbox(key="editor.history.pick").set_value(1).run()
    ok(at)
    widget(at.button, "restore.1").click().run()
    ok(at)
    assert store.open(pid).plan.sections[0].blocks[0].text == original
    assert store.versions(pid)[0].note == "Khôi phục phiên bản 1"
    assert widget(at.text_area, "b.text.0.0").value == original  # no stale widget text


def test_name_a_version_so_pruning_keeps_it(app_env):
    at, pid = create_2021()
    store = PlanStore(app_env)
    widget(at.text_area, "b.text.0.0").input("Một thay đổi.").run()
    at.selectbox(key="editor.history.pick").set_value(1).run()
    ok(at)
    at.text_input(key="editor.history.name.1").input("Bản trình lãnh đạo").run()
    at.button(key="editor.history.name.save.1").click().run()
    ok(at)
    [first] = [v for v in store.versions(pid) if v.version == 1]
    assert first.label == "Bản trình lãnh đạo"


def test_two_sessions_on_one_plan_merge_and_lose_nothing(app_env):
    first, pid = create_2021()
    second = make_app()
    second.query_params["plan"] = pid
    second.run()
    second.switch_page(EDITOR).run()
    ok(second)
    widget(first.text_area, "b.text.0.0").input("Bản của người thứ nhất.").run()
    widget(second.text_area, "b.text.0.1").input("Bản của người thứ hai.").run()
    ok(second)
    # Different paragraphs from one base: merged by themselves, the conflict copy kept.
    store = PlanStore(app_env)
    versions = store.versions(pid)
    assert any(v.conflict for v in versions)
    head = store.open(pid).plan.sections[0].blocks
    assert head[0].text == "Bản của người thứ nhất." and head[1].text == "Bản của người thứ hai."
    # The second person keeps typing: the next edit builds on the merged plan.
    assert widget(second.text_area, "b.text.0.1").value == "Bản của người thứ hai."
    widget(second.text_area, "b.text.0.2").input("Thêm một sửa đổi nữa.").run()
    ok(second)
    kept = store.open(pid).plan.sections[0].blocks
    assert [b.text for b in kept[:3]] == [
        "Bản của người thứ nhất.",
        "Bản của người thứ hai.",
        "Thêm một sửa đổi nữa.",
    ]


def test_reopen_after_a_restart_finds_the_edit(app_env):
    at, pid = create_2021()
    widget(at.text_area, "b.text.0.2").input("Sửa đổi phải còn sau khi khởi động lại.").run()
    ok(at)
    again = make_app()  # a new server process: a fresh session, same PLANNER_DB
    again.query_params["plan"] = pid
    again.run()
    again.switch_page(EDITOR).run()
    ok(again)
    assert widget(again.text_area, "b.text.0.2").value == "Sửa đổi phải còn sau khi khởi động lại."


def test_create_from_a_saved_plan_and_from_a_docx(app_env):
    from tests.docx_builders import seed_docx

    at = make_app().run()
    at.radio(key="newyear.source").set_value("docx").run()
    at.file_uploader(key="newyear.docx").set_value(
        ("ke-hoach-2020.docx", seed_docx(), "application/octet-stream")
    ).run()
    ok(at)
    at.button(key="newyear.import.continue").click().run()  # after the import report
    ok(at)
    at.button(key="newyear.create").click().run()
    ok(at)
    store = PlanStore(app_env)
    pid = plan_id_of(at)
    plan = store.open(pid).plan
    assert plan.meta.year == 2021
    assert store.open(plan.extra["previous_plan_id"]).plan.meta.year == 2020
    # From the saved 2021 plan: 2022.
    home = make_app().run()
    home.radio(key="newyear.source").set_value("saved").run()
    home.selectbox(key="newyear.saved").set_value(pid).run()
    home.button(key="newyear.create").click().run()
    ok(home)
    newest = store.open(plan_id_of(home)).plan
    assert newest.meta.year == 2022 and newest.extra["previous_plan_id"] == pid
    assert len(store.list_plans()) == 3


def test_a_bad_docx_gives_a_vietnamese_error_and_saves_nothing(app_env):
    at = make_app().run()
    at.radio(key="newyear.source").set_value("docx").run()
    at.file_uploader(key="newyear.docx").set_value(
        ("cu.docx", b"\xd0\xcf\x11\xe0 old word file", "application/octet-stream")
    ).run()
    ok(at)
    assert at.error and ".docx" in at.error[0].value
    assert not [b for b in at.button if b.key == "newyear.create"]
    assert PlanStore(app_env).list_plans() == []


@pytest.mark.parametrize("sections", [100])
def test_a_large_plan_stays_usable(app_env, sample, sections):
    """A 100-section plan opens and saves an edit; one level-1 section is shown at a time."""
    from dataclasses import replace

    big = replace(
        sample,
        sections=tuple(
            replace(sample.sections[i % 3], number=str(i + 1), title=f"MỤC {i + 1}")
            for i in range(sections)
        ),
    )
    store = PlanStore(app_env)
    pid = store.create(big, now=__import__("datetime").datetime(2021, 3, 15, 8))
    at = make_app()
    at.query_params["plan"] = pid
    at.run()
    at.switch_page(EDITOR).run()
    ok(at)
    start = time.perf_counter()
    widget(at.text_area, "b.text.0.0").input("Sửa trong kế hoạch lớn.").run()
    elapsed = time.perf_counter() - start
    ok(at)
    assert store.open(pid).plan.sections[0].blocks[0].text == "Sửa trong kế hoạch lớn."
    assert plan_to_dict(store.open(pid).plan)["sections"][99]["title"] == "MỤC 100"
    print(f"rerun with a {sections}-section plan: {elapsed * 1000:.0f} ms")


MAX_EDITOR_WIDGETS = 60  # input widgets on the content part, however long the plan


def test_300_sub_sections_under_one_heading_draw_a_bounded_number_of_widgets(app_env):
    """A count, not a time: the page draws one section of a long heading at a time, so its
    widgets (and Streamlit's per-widget work) do not grow with the plan."""
    from bench.editor import plan_with_sub_sections, widget_count

    store = PlanStore(app_env)
    pid = store.create(
        plan_with_sub_sections(300), now=__import__("datetime").datetime(2021, 3, 15)
    )
    at = make_app()
    at.query_params["plan"] = pid
    at.run()
    at.switch_page(EDITOR).run()
    ok(at)
    assert widget_count(at) < MAX_EDITOR_WIDGETS
    assert [t.key.split(".", 3)[-1] for t in at.text_area] == ["b.text.0.0"]
    # Sub-section 250 picked in the list: its own widgets only, still bounded.
    widget(at.selectbox, "sub.pick.0").set_value((0, 249)).run()
    ok(at)
    assert widget_count(at) < MAX_EDITOR_WIDGETS
    assert [t.key.split(".", 3)[-1] for t in at.text_area] == ["b.text.0-249.0", "b.text.0-249.1"]
    widget(at.text_area, "b.text.0-249.1").input("Phân công lại nhiệm vụ 250.").run()
    ok(at)
    assert store.open(pid).plan.sections[0].children[249].blocks[1].text == (
        "Phân công lại nhiệm vụ 250."
    )
    # The arrow goes on to the next sub-section.
    widget(at.button, "sub.next").click().run()
    assert next(t.key.split(".", 3)[-1] for t in at.text_area) == "b.text.0-250.0"
    assert any("Dàn ý mục I (300 mục con)" in e.label for e in at.expander)


def test_check_citations_and_recheck_keep_decisions(app_env):
    at, pid = create_2021()
    store = PlanStore(app_env)
    at.radio(key="editor.view").set_value("findings").run()
    first = next(f for f in findings_of(store.open(pid).plan) if f.status == "open")
    widget(at.button, f"f.dismiss.{first.id}").click().run()
    widget(at.button, "f.cite").click().run()
    ok(at)
    found = findings_of(store.open(pid).plan)
    kinds = {f.kind for f in found}
    assert "citation_mismatch" in kinds  # the seed's 28-KHPH / 28-KH disagreement
    widget(at.button, "f.recheck").click().run()
    ok(at)
    after = {f.id: f.status for f in findings_of(store.open(pid).plan)}
    assert after[first.id] == "dismissed"
    assert "citation_mismatch" in {f.kind for f in findings_of(store.open(pid).plan)}
    assert store.versions(pid)[0].note == "Rà soát lại"


def test_unknown_citation_opens_the_catalogue_form_prefilled(app_env):
    at, pid = create_2021()
    store = PlanStore(app_env)
    widget(at.text_area, "b.text.0.0").input(
        "Thực hiện Quyết định số 987/QĐ-UBND ngày 02/02/2021 của UBND thành phố về thi đua."
    ).run()
    at.radio(key="editor.view").set_value("findings").run()
    widget(at.button, "f.cite").click().run()
    unknown = [f for f in findings_of(store.open(pid).plan) if f.kind == "citation_unknown"]
    [f] = [f for f in unknown if "987/QĐ-UBND" in f.text]
    widget(at.button, f"f.addcat.{f.id}").click().run()
    ok(at)
    symbol = f.extra["directive_row"]["symbol"]
    assert any(symbol in (t.value or "") for t in at.text_input), [t.value for t in at.text_input]


def test_block_kind_change_to_table_and_back_keeps_the_text(app_env):
    at, pid = create_2021()
    store = PlanStore(app_env)
    text = store.open(pid).plan.sections[0].blocks[0].text
    widget(at.selectbox, "b.kind.0.0").set_value("table").run()
    ok(at)
    block = store.open(pid).plan.sections[0].blocks[0]
    assert block.kind == "table" and block.rows == ((text,),)
    widget(at.selectbox, "b.kind.0.0").set_value("dash").run()
    ok(at)
    block = store.open(pid).plan.sections[0].blocks[0]
    assert block.kind == "dash" and block.text == text


def test_add_a_base_from_the_catalogue(app_env):
    at, pid = create_2021()
    store = PlanStore(app_env)
    at.radio(key="editor.view").set_value("header").run()
    at.text_input(key="editor.base.picker.query").input("nghi quyet 25").run()
    ok(at)
    add = next(b for b in at.button if b.key and ".base.cat.add." in b.key)
    directive_id = add.key.rsplit("base.cat.add.", 1)[1]
    add.click().run()
    ok(at)
    bases = store.open(pid).plan.bases
    [added] = [b for b in bases if b.directive_id == directive_id]
    assert added.text.startswith("Căn cứ ") and added.text.endswith(";")
    # It went to its place in the order staff expect (issue #12): a central Party resolution
    # before the UBND and joint plans the 2021 draft cites, not to the end.
    assert directive_id == "nq-25-tw-2013"
    assert bases[0] is added


def test_last_year_kept_inside_the_plan_is_shown_and_copied(app_env, sample):
    """A draft made by the CLI keeps last year's plan in `extra["previous_plan"]`."""
    from datetime import date, datetime

    from planner.drafting import plan_edit as pe
    from planner.drafting.rollover import rollover

    draft = rollover(sample, 2021, catalogue=None, today=date(2021, 3, 15)).plan
    assert draft.extra.get("previous_plan") and not draft.extra.get("previous_plan_id")
    draft = pe.delete_section(draft, (1,))
    store = PlanStore(app_env)
    pid = store.create(draft, now=datetime(2021, 3, 15, 8))
    at = make_app()
    at.query_params["plan"] = pid
    at.run()
    at.switch_page(EDITOR).run()
    ok(at)
    assert any("Năm trước (2020)" in m.value for m in at.markdown)
    widget(at.selectbox, "prev.pick.0").set_value((1,)).run()
    widget(at.button, "prev.copy.1").click().run()
    ok(at)
    plan = store.open(pid).plan
    assert [s.title for s in plan.sections] == [s.title for s in sample.sections]
    assert [s.number for s in plan.sections] == ["I", "II", "III"]


def test_grid_changes_edit_delete_and_add_rows():
    from components.section_editor import apply_grid_changes

    rows = [["Việc", "Hạn"], ["Sơ kết", "30/6"], ["Tổng kết", "25/11"]]
    changes = {
        "edited_rows": {2: {"Hạn": "x", "Cột 2": "20/11"}},
        "deleted_rows": [1],
        "added_rows": [{"Cột 1": "Báo cáo"}],
    }
    assert apply_grid_changes(rows, changes) == (
        ("Việc", "Hạn"),
        ("Tổng kết", "20/11"),
        ("Báo cáo", ""),
    )
    assert apply_grid_changes(rows, {}) == tuple(tuple(r) for r in rows)


def test_apply_a_whole_group_and_review_a_whole_section(app_env):
    at, pid = create_2021()
    store = PlanStore(app_env)
    widget(at.button, "s.rev.0").click().run()
    ok(at)
    plan = store.open(pid).plan
    assert all(b.reviewed is True for b in plan.sections[0].blocks)
    assert not [b for b in at.button if b.key and b.key.endswith("s.rev.0")]
    at.radio(key="editor.view").set_value("findings").run()
    ready = [f for f in findings_of(plan) if f.kind == "year" and f.can_apply]
    assert len(ready) > 1
    widget(at.button, "f.all.year").click().run()
    ok(at)
    after = {f.id: f.status for f in findings_of(store.open(pid).plan)}
    assert all(after[f.id] == "applied" for f in ready)
    assert "năm 2020" not in store.open(pid).plan.preamble[0]
