"""AppTest of *Sẵn sàng trình ký* on Xuất văn bản (each item with its place and a button that
opens the editor right there; a plan not ready is built with DỰ THẢO unless the user confirms
the final version) and of the findings panel's sentence cards (one *Áp dụng* for the sentence,
blanks left by a suggestion told)."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date, datetime

import docx

from planner.catalogue.user_rows import load_catalogue
from planner.docx.writer import DRAFT_MARK
from planner.drafting.findings import findings_of, new_finding, store_findings
from planner.drafting.readiness import check_readiness
from planner.drafting.rollover import rollover
from planner.model import Block, Plan, Section
from planner.store.plans import PlanStore
from tests import test_page_export
from tests.conftest import TEST_TODAY, make_app
from tests.test_page_export import _download
from tests.test_readiness import ready_plan

NOW = datetime(2021, 3, 1, 8, 0)
media = test_page_export.media  # the fixture that reads what a download button serves
EXPORT = "views/export.py"
EDITOR = "views/editor.py"


def ok(at) -> None:  # type: ignore[no-untyped-def]
    assert not at.exception, [e.value for e in at.exception]


def _open(app_env, plan: Plan, page: str = EXPORT):  # type: ignore[no-untyped-def]
    plan_id = PlanStore(app_env).create(plan, now=NOW)
    at = make_app()
    at.query_params["plan"] = plan_id
    at.run()
    at.switch_page(page).run()
    ok(at)
    return at, plan_id


def _readiness(app_env, plan: Plan):  # type: ignore[no-untyped-def]
    catalogue = load_catalogue(PlanStore(app_env))
    return check_readiness(plan, catalogue, today=date.fromisoformat(TEST_TODAY))


def _unfinished() -> Plan:
    """The ready plan with one item of four kinds: an empty ký hiệu, a blank “…/KH-UBND” in
    Mục II.1, an open finding in Mục III and a task without its lead unit."""
    plan = ready_plan()
    ii = plan.sections[1]
    child = ii.children[0]
    child = replace(child, blocks=(Block("dash", "Phổ biến Kế hoạch số …/KH-UBND của Ủy ban."),))
    plan = replace(
        plan,
        meta=replace(plan.meta, symbol=""),
        sections=(plan.sections[0], replace(ii, children=(child,)), plan.sections[2]),
        tasks=(replace(plan.tasks[0], lead=""),),
    )
    iii_text = plan.sections[2].blocks[0].text
    finding = new_finding(
        "year",
        "Mục III, đoạn 1",
        {"area": "section", "section": "III", "block": 0, "start": iii_text.index("2021")},
        "2021",
        "2022",
        "Năm cần xem lại.",
    )
    return store_findings(plan, [finding])


def _items(at) -> list[str]:  # type: ignore[no-untyped-def]
    return [m.value for m in at.markdown]


def _goto(at, n: int):  # type: ignore[no-untyped-def]
    at.button(key=f"export.goto.{n}").click().run()
    ok(at)
    return at


def test_readiness_items_with_their_places_open_the_editor_there(app_env) -> None:  # type: ignore[no-untyped-def]
    plan = _unfinished()
    result = _readiness(app_env, plan)
    kinds = {i.kind for i in result.items}
    assert {"header", "placeholder", "finding", "task"} <= kinds
    at, plan_id = _open(app_env, plan)
    assert any(w.value == result.summary() for w in at.warning)
    shown = "\n".join(_items(at))
    for item in result.items:
        assert item.place.split(",")[0] in shown.replace("\\", "")
        assert at.button(key=f"export.goto.{result.items.index(item)}").label == "Sửa"

    def index(kind: str) -> int:
        return next(n for n, i in enumerate(result.items) if i.kind == kind)

    # A blank in Mục II.1: the editor opens on its contents, at section II.1 = (1, 0).
    _goto(at, index("placeholder"))
    assert at.title[0].value == "Soạn kế hoạch"
    assert at.radio(key="editor.view").value == "content"
    assert at.session_state["editor.at"] == (plan_id, (1, 0))
    # The empty ký hiệu: the header part.
    at.switch_page(EXPORT).run()
    _goto(at, index("header"))
    assert at.radio(key="editor.view").value == "header"
    # The open finding: the findings part, where it is applied or dismissed.
    at.switch_page(EXPORT).run()
    _goto(at, index("finding"))
    assert at.radio(key="editor.view").value == "findings"
    assert any(b.label == "Áp dụng" for b in at.button)
    # A task: the Tiến độ page.
    at.switch_page(EXPORT).run()
    _goto(at, index("task"))
    assert at.title[0].value == "Tiến độ thực hiện"


def _header_texts(data: bytes) -> list[str]:
    section = docx.Document(io.BytesIO(data)).sections[0]
    return [p.text for hf in (section.first_page_header, section.header) for p in hf.paragraphs]


def _build(at, media):  # type: ignore[no-untyped-def]
    at.button(key="export.build").click().run()
    ok(at)
    return _download(at, media, "Tải văn bản Word (.docx)")[1]


def test_not_ready_is_a_draft_until_the_final_version_is_confirmed(app_env, sample, media) -> None:  # type: ignore[no-untyped-def]
    result = _readiness(app_env, sample)
    assert not result.ready
    at, _ = _open(app_env, sample)
    data = _build(at, media)
    assert any(DRAFT_MARK in t for t in _header_texts(data))
    assert any("Bản dự thảo" in c.value for c in at.caption)
    # The thể thức check passes, but never says there is nothing left while items are open.
    success = [s.value for s in at.success]
    assert any("Đúng thể thức" in s for s in success)
    assert not any("không có lỗi" in s for s in success), success
    assert any(f"còn {len(result.items)} điểm chưa xử lý" in s for s in success)
    # Confirming the final version: a warning with the count, and the mark is gone.
    at.checkbox(key="export.final").check().run()
    ok(at)
    warning = [w.value for w in at.warning if "Văn bản sẽ không có dấu DỰ THẢO" in w.value]
    assert warning and f"còn {len(result.items)} điểm chưa xử lý" in warning[0]
    assert "Tải văn bản Word (.docx)" not in [b.proto.label for b in at.get("download_button")]
    data = _build(at, media)
    assert not any(DRAFT_MARK in t for t in _header_texts(data))


def test_a_ready_plan_is_final_with_no_mark(app_env, media) -> None:  # type: ignore[no-untyped-def]
    plan = ready_plan()
    assert _readiness(app_env, plan).ready
    at, _ = _open(app_env, plan)
    assert any(s.value.startswith("Sẵn sàng trình ký") for s in at.success)
    assert not [c for c in at.checkbox if c.key == "export.final"]
    data = _build(at, media)
    assert not any(DRAFT_MARK in t for t in _header_texts(data))
    assert not any(b.key and b.key.startswith("export.goto.") for b in at.button)


# ---------------------------------------------------------------- sentence cards


def _editor_button(at, name: str):  # type: ignore[no-untyped-def]
    found = [b for b in at.button if b.key and b.key.split(".", 3)[-1] == name]
    assert found, [b.key for b in at.button][:40]
    return found[0]


def test_findings_of_one_sentence_are_one_card_applied_together(app_env, sample) -> None:  # type: ignore[no-untyped-def]
    draft = rollover(sample, 2021, today=date.fromisoformat(TEST_TODAY)).plan
    by_group: dict[str, list] = {}  # type: ignore[type-arg]
    for f in findings_of(draft):
        if f.group:
            by_group.setdefault(f.group, []).append(f)
    members = next(g for g in by_group.values() if len(g) == 2)
    first, second = members
    at, plan_id = _open(app_env, draft, EDITOR)
    at.radio(key="editor.view").set_value("findings").run()
    ok(at)
    # One card: one Áp dụng for the sentence (none for the second finding), both changes shown.
    assert not [b for b in at.button if b.key and b.key.endswith(f"f.apply.{second.id}")]
    card = next(
        m.value
        for m in at.markdown
        if "thay đổi được áp dụng cùng nhau" in m.value and f"**{first.place}**" in m.value
    )
    for f in members:
        assert f.suggestion in card.replace("&amp;", "&")
        assert f.text in card.replace("&amp;", "&")
    # The suggestions leave blanks for the number and the date: the card says so.
    assert any("cần điền số, ngày…" in m.value for m in at.markdown)
    _editor_button(at, f"f.apply.{first.id}").click().run()
    ok(at)
    after = {f.id: f.status for f in findings_of(PlanStore(app_env).open(plan_id).plan)}
    assert after[first.id] == after[second.id] == "applied"
    text = PlanStore(app_env).open(plan_id).plan.find_section("II.1").blocks[1].text  # type: ignore[union-attr]
    assert first.suggestion in text and second.suggestion in text


def test_a_lone_finding_keeps_its_own_card(app_env) -> None:  # type: ignore[no-untyped-def]
    plan = _unfinished()
    [f] = findings_of(plan)
    at, _ = _open(app_env, plan, EDITOR)
    at.radio(key="editor.view").set_value("findings").run()
    ok(at)
    assert _editor_button(at, f"f.apply.{f.id}").label == "Áp dụng"
    assert not any("cùng nhau" in m.value for m in at.markdown)
    assert not any("cần điền" in m.value for m in at.markdown)


def test_sections_are_found_by_their_path() -> None:
    from components.export_document import section_index

    plan = replace(
        ready_plan(),
        sections=(
            Section("I", "A"),
            Section("II", "B", children=(Section("1", "x"), Section("2", "y"))),
        ),
    )
    assert section_index(plan, "I") == (0,)
    assert section_index(plan, "II.2") == (1, 1)
    assert section_index(plan, "III") is None
    assert section_index(plan, None) is None
