"""AppTest of the Văn bản căn cứ page: search without diacritics, add to the open plan's Căn cứ,
the replacement offered for an expired directive, add/paste/import rows kept in storage."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from datetime import datetime

import pytest

from planner.catalogue.model import STATUS_LABELS
from planner.catalogue.user_rows import user_directives
from planner.sample import sample_plan
from planner.store.plans import PlanStore
from tests.conftest import make_app

PAGE = "views/catalogue.py"


def _open(app_env, *, with_plan: bool = True):  # type: ignore[no-untyped-def]
    store = PlanStore(app_env)
    plan_id = store.create(sample_plan(), now=datetime(2021, 3, 15, 9)) if with_plan else None
    at = make_app()
    if plan_id:
        at.query_params["plan"] = plan_id
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at, store, plan_id


def _button(at, start: str):  # type: ignore[no-untyped-def]
    return next(b for b in at.button if b.label.startswith(start))


def test_search_without_diacritics_and_add_to_the_open_plan(app_env) -> None:  # type: ignore[no-untyped-def]
    at, store, plan_id = _open(app_env)
    assert at.title[0].value == "Văn bản căn cứ"
    at.text_input(key="catalogue.query").input("nghi quyet 25").run()
    assert not at.exception
    assert at.subheader[0].value == "Nghị quyết số 25-NQ/TW"
    codes = [c.value for c in at.code]
    assert codes[0].startswith("Nghị quyết số 25-NQ/TW ngày 03/6/2013 của Ban Chấp hành")
    assert codes[1] == "Nghị quyết số 25-NQ/TW"
    before = len(store.open(plan_id).plan.bases)
    _button(at, "Thêm vào Căn cứ").click().run()
    assert not at.exception
    plan = store.open(plan_id).plan
    assert len(plan.bases) == before + 1
    # A central Party document goes before the sample's district plans (bases_order).
    assert plan.bases[0].directive_id == "nq-25-tw-2013"
    assert plan.bases[0].text.startswith("Căn cứ Nghị quyết số 25-NQ/TW ngày 03/6/2013")
    assert any("Đã thêm Nghị quyết số 25-NQ/TW" in s.value for s in at.success)
    assert not any(b.label.startswith("Thêm vào Căn cứ") for b in at.button)


def test_expired_directive_warns_and_offers_its_replacement(app_env) -> None:  # type: ignore[no-untyped-def]
    at, store, plan_id = _open(app_env)
    at.text_input(key="catalogue.query").input("30c").run()
    assert at.subheader[0].value == "Nghị quyết số 30c/NQ-CP"
    warning = at.warning[0].value
    assert "đã hết hiệu lực" in warning and "76/NQ-CP ngày 15/7/2021" in warning
    # The relation is a link to the other row.
    _button(at, "Nghị quyết số 76/NQ-CP ngày 15/7/2021").click().run()
    assert at.subheader[0].value == "Nghị quyết số 76/NQ-CP"
    at.text_input(key="catalogue.query").input("30c/NQ-CP").run()
    _button(at, "Thêm văn bản thay thế").click().run()
    assert not at.exception
    assert store.open(plan_id).plan.bases[0].directive_id == "nq-76-cp-2021"


def test_without_an_open_plan_the_page_says_how(app_env) -> None:  # type: ignore[no-untyped-def]
    at, _store, _ = _open(app_env, with_plan=False)
    at.text_input(key="catalogue.query").input("CT 16").run()
    assert at.subheader[0].value == "Chỉ thị số 16/CT-TTg"
    assert any("Mở một kế hoạch" in i.value for i in at.info)


def test_filters_and_no_result(app_env) -> None:  # type: ignore[no-untyped-def]
    at, _store, _ = _open(app_env, with_plan=False)
    at.selectbox(key="catalogue.f.status").set_value("expired").run()
    table = at.dataframe[0].value
    # Only expired rows (the shipped catalogue grows: the two known ones are among them).
    assert set(table["Hiệu lực"]) == {STATUS_LABELS["expired"]}
    assert {"30c/NQ-CP", "76/NQ-CP"} <= set(table["Số ký hiệu"])
    at.text_input(key="catalogue.query").input("zzqqxx").run()
    assert any("Không tìm thấy" in i.value for i in at.info)


def test_paste_a_citation_then_save_it(app_env) -> None:  # type: ignore[no-untyped-def]
    at, store, _ = _open(app_env, with_plan=False)
    at.session_state["catalogue.section"] = "paste"
    at.run()
    at.text_area(key="catalogue.paste.text").input(
        "Căn cứ Kế hoạch số 15/KH-UBND ngày 05/01/2021 của UBND thành phố Thủ Dầu Một về công "
        "tác dân vận năm 2021;"
    ).run()
    _button(at, "Phân tích trích dẫn").click().run()
    assert not at.exception
    symbol = next(t for t in at.text_input if t.label.startswith("Số ký hiệu"))
    assert symbol.value == "15/KH-UBND"
    source = next(t for t in at.text_input if t.label.startswith("Nguồn thông tin"))
    assert "trích dẫn" in source.value  # the pasted sentence is the row's source
    _button(at, "Lưu văn bản").click().run()
    assert not at.exception
    saved = user_directives(store)
    assert [d.symbol for d in saved] == ["15/KH-UBND"]
    assert saved[0].issuer == "UBND thành phố Thủ Dầu Một"
    assert at.subheader[0].value == "Kế hoạch số 15/KH-UBND"
    # Pasting a citation already in the catalogue points to it instead.
    at.session_state["catalogue.section"] = "paste"
    at.run()
    at.text_area(key="catalogue.paste.text").input("Chỉ thị số 16/CT-TTg ngày 16/5/2016").run()
    _button(at, "Phân tích trích dẫn").click().run()
    assert any("đã có trong danh mục" in i.value for i in at.info)


def test_a_known_citation_is_not_added_twice(app_env) -> None:  # type: ignore[no-untyped-def]
    at, store, _ = _open(app_env, with_plan=False)
    at.session_state["catalogue.section"] = "edit"
    at.run()
    symbol = next(t for t in at.text_input if t.label.startswith("Số ký hiệu"))
    symbol.input("25-NQ/TW")
    at.date_input[0].set_value(datetime(2013, 6, 3).date())
    next(t for t in at.text_input if t.label.startswith("Nguồn")).input("thử")
    _button(at, "Lưu văn bản").click().run()
    assert any("Đã có văn bản cùng số ký hiệu" in e.value for e in at.error)
    assert user_directives(store) == []


def test_a_row_needs_its_source(app_env) -> None:  # type: ignore[no-untyped-def]
    at, store, _ = _open(app_env, with_plan=False)
    at.session_state["catalogue.section"] = "edit"
    at.run()
    next(t for t in at.text_input if t.label.startswith("Số ký hiệu")).input("3/KH-UBND")
    _button(at, "Lưu văn bản").click().run()
    assert any("nguồn thông tin" in e.value for e in at.error)
    assert user_directives(store) == []


def test_export_offers_csv_and_xlsx(app_env) -> None:  # type: ignore[no-untyped-def]
    at, _store, _ = _open(app_env, with_plan=False)
    at.session_state["catalogue.section"] = "export"
    at.run()
    assert not at.exception
    assert any("UTF-8 có BOM" in c.value for c in at.caption)


def test_import_section_says_what_it_reads(app_env) -> None:  # type: ignore[no-untyped-def]
    # The import itself: tests/test_catalogue_page_import.py.
    at, _store, _ = _open(app_env, with_plan=False)
    at.session_state["catalogue.section"] = "import"
    at.run()
    assert not at.exception
    assert any("Unicode Text" in c.value for c in at.caption)


def _picker_script() -> None:
    import streamlit as st

    from components.citation_picker import citation_picker
    from planner.catalogue.model import Catalogue
    from planner.catalogue.user_rows import SHIPPED_CSV

    picked = citation_picker(Catalogue.from_csv(SHIPPED_CSV), key="t")
    st.write(f"picked={picked.id if picked else None}")


@pytest.fixture
def keep_main_module() -> Iterator[None]:
    """AppTest points `__main__` at its temporary script; put the real one back, or a later
    process pool (spawn) would try to re-run a deleted file."""
    main = sys.modules["__main__"]
    main_file = getattr(main, "__file__", None)
    yield
    sys.modules["__main__"] = main
    if main_file is not None:
        main.__file__ = main_file


def test_citation_picker_picks_and_offers_the_replacement(keep_main_module) -> None:  # type: ignore[no-untyped-def]
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_function(_picker_script, default_timeout=60).run()
    assert at.markdown[-1].value == "picked=None"
    at.text_input(key="t.query").input("nghi quyet 30c").run()
    assert at.markdown[-1].value == "picked=nq-30c-cp-2011"
    assert "Văn bản thay thế: Nghị quyết số 76/NQ-CP ngày 15/7/2021" in at.warning[0].value
    _button(at, "Dùng Nghị quyết số 76/NQ-CP").click().run()
    assert at.markdown[-1].value == "picked=nq-76-cp-2021"
    at.text_input(key="t.query").input("qqqzzz").run()
    assert at.markdown[-1].value == "picked=None"
    assert any("Không tìm thấy" in c.value for c in at.caption)


def test_a_link_with_van_ban_opens_that_row(app_env) -> None:  # type: ignore[no-untyped-def]
    at = make_app()
    at.query_params["van_ban"] = "nq-29-tw-2013"
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception
    assert at.subheader[0].value == "Nghị quyết số 29-NQ/TW"


def test_a_base_already_cited_in_the_text_is_recognised(app_env) -> None:  # type: ignore[no-untyped-def]
    at, _store, _plan_id = _open(app_env)
    # The sample's first Căn cứ names Kế hoạch số 106/KH-UBND in its text.
    at.text_input(key="catalogue.query").input("106/KH-UBND").run()
    assert at.subheader[0].value == "Kế hoạch số 106/KH-UBND"
    assert any("Đã có trong Căn cứ" in s.value for s in at.success)
    assert not any(b.label.startswith("Thêm vào Căn cứ") for b in at.button)


def test_hits_say_how_they_match_and_why(app_env) -> None:  # type: ignore[no-untyped-def]
    at, _store, _ = _open(app_env)
    at.text_input(key="catalogue.query").input("25-NQ/TW").run()
    table = at.dataframe[0].value
    assert table["Mức khớp"][0] == "khớp hoàn toàn"
    assert "đúng số ký hiệu" in table["Vì sao"][0]
    at.text_input(key="catalogue.query").input("nghi quyet 25").run()
    table = at.dataframe[0].value
    assert list(table["Mức khớp"][:2]) == ["khớp rõ", "khớp yếu"]
    assert table["Vì sao"][1] == "đúng số 25; khác loại văn bản (tìm Nghị quyết)"
    assert not any("Không có văn bản khớp" in w.value for w in at.warning)
    assert at.subheader[0].value == "Nghị quyết số 25-NQ/TW"  # the best hit opens


def test_only_weak_hits_say_no_match_and_adding_one_asks_first(app_env) -> None:  # type: ignore[no-untyped-def]
    at, store, plan_id = _open(app_env)
    before = store.open(plan_id).plan.bases
    at.text_input(key="catalogue.query").input("chi thi 05 2015").run()
    assert not at.exception
    assert at.warning[0].value.startswith("Không có văn bản khớp với “chi thi 05 2015”.")
    table = at.dataframe[0].value
    assert set(table["Mức khớp"]) == {"khớp yếu"}
    assert not at.subheader  # no weak hit is opened for the user
    assert not any(b.label.startswith("Thêm vào Căn cứ") for b in at.button)
    # The user opens one on purpose: it says why it is weak, and adding it asks first.
    rows = [d for d in _catalogue_rows(app_env) if d.symbol == table["Số ký hiệu"][0]]
    weak_id = rows[0].id
    at.session_state["catalogue.selected"] = weak_id
    at.run()
    assert at.subheader[0].value.startswith("Chỉ thị số 05")
    assert any(w.value.startswith("Khớp yếu: ") for w in at.warning)
    _button(at, "Thêm vào Căn cứ của kế hoạch đang mở…").click().run()
    assert store.open(plan_id).plan.bases == before  # not yet
    assert any("chỉ khớp yếu" in w.value for w in at.warning)
    _button(at, "Không thêm").click().run()
    assert store.open(plan_id).plan.bases == before
    _button(at, "Thêm vào Căn cứ của kế hoạch đang mở…").click().run()
    _button(at, "Đúng, vẫn thêm").click().run()
    assert not at.exception
    assert weak_id in {b.directive_id for b in store.open(plan_id).plan.bases}


def _catalogue_rows(app_env):  # type: ignore[no-untyped-def]
    from planner.catalogue.user_rows import load_catalogue

    return list(load_catalogue(PlanStore(app_env)))


def test_a_query_over_the_limit_is_refused_with_a_message(app_env) -> None:  # type: ignore[no-untyped-def]
    from planner.catalogue.model import MAX_QUERY_CHARS

    at, _store, _ = _open(app_env)
    box = at.text_input(key="catalogue.query")
    assert box.max_chars == MAX_QUERY_CHARS
    box.set_value("1" * 40_000).run()  # the browser cuts a paste at max_chars; so does the server
    assert not at.exception
    assert any(f"dài quá {MAX_QUERY_CHARS} ký tự" in e.value for e in at.error)
    assert not at.dataframe


def _user_row(store, title: str, *, when: datetime):  # type: ignore[no-untyped-def]
    from planner.catalogue.model import Directive
    from planner.catalogue.user_rows import save_directive

    row = Directive(
        id="kh-15-ubnd-2021",
        doc_type="Kế hoạch",
        number="15",
        symbol="15/KH-UBND",
        issued=datetime(2021, 1, 5).date(),
        issuer="UBND thành phố Thủ Dầu Một",
        issuer_level="district",
        title=title,
        source="thử",
    )
    save_directive(store, row, now=when)
    return row


def _edit_row(at, query: str):  # type: ignore[no-untyped-def]
    at.text_input(key="catalogue.query").input(query).run()
    _button(at, "Sửa văn bản này").click().run()
    assert not at.exception, at.exception


def test_row_history_lists_versions_and_restores_an_older_one(app_env) -> None:  # type: ignore[no-untyped-def]
    from planner.catalogue.user_rows import row_history

    at, store, _ = _open(app_env, with_plan=False)
    _user_row(store, "về dân vận", when=datetime(2021, 1, 6, 8))
    _user_row(store, "về dân vận năm 2021", when=datetime(2021, 1, 7, 9, 30))
    at.run()
    _edit_row(at, "15/KH-UBND")
    history = at.dataframe[0].value
    assert list(history["Phiên bản"]) == [2, 1]
    assert list(history["Thời gian"]) == ["07/01/2021 09:30", "06/01/2021 08:00"]
    assert list(history["Người sửa"]) == ["—", "—"]
    assert list(history["Nội dung"]) == ["Sửa", "Tạo mới"]
    compare = at.dataframe[1].value
    assert list(compare["Thông tin"]) == ["Trích yếu"]
    assert list(compare["Phiên bản 1"]) == ["về dân vận"]
    _button(at, "Khôi phục phiên bản 1").click().run()
    assert not at.exception
    versions = row_history(store, "kh-15-ubnd-2021")
    assert [v.version for v in versions] == [3, 2, 1]
    assert (
        versions[0].directive.title == "về dân vận" and versions[0].note == "Khôi phục phiên bản 1"
    )
    assert any("Đã khôi phục phiên bản 1 (lưu thành phiên bản 3)" in s.value for s in at.success)
    title = next(t for t in at.text_area if t.label == "Trích yếu")
    assert title.value == "về dân vận"  # the form shows the restored version


def test_a_save_over_a_newer_edit_keeps_both_and_asks(app_env) -> None:  # type: ignore[no-untyped-def]
    from planner.catalogue.user_rows import row_history

    at, store, _ = _open(app_env, with_plan=False)
    _user_row(store, "về dân vận", when=datetime(2021, 1, 6, 8))
    at.run()
    _edit_row(at, "15/KH-UBND")  # opened at version 1
    _user_row(store, "về dân vận (bản của đồng nghiệp)", when=datetime(2021, 1, 6, 9))
    next(t for t in at.text_area if t.label == "Trích yếu").input("về dân vận (bản của tôi)")
    _button(at, "Lưu văn bản").click().run()
    assert not at.exception
    [message] = [e.value for e in at.error]
    assert "vừa được lưu ở nơi khác (phiên bản 2) sau khi bạn mở nó (phiên bản 1)" in message
    compare = at.dataframe[0].value
    assert list(compare["Thông tin"]) == ["Trích yếu"]
    assert compare.iloc[0, 1] == "về dân vận (bản của đồng nghiệp)"
    assert compare.iloc[0, 2] == "về dân vận (bản của tôi)"
    versions = row_history(store, "kh-15-ubnd-2021")
    assert versions[0].conflict and versions[0].directive.title == "về dân vận (bản của tôi)"
    assert user_directives(store)[0].title == "về dân vận (bản của đồng nghiệp)"  # nothing lost
    _button(at, "Giữ bản của tôi").click().run()
    assert not at.exception
    assert user_directives(store)[0].title == "về dân vận (bản của tôi)"
    assert not any("nơi khác" in e.value for e in at.error)
    # The other way: the newest is kept, mine stays in the history.
    _user_row(store, "về dân vận (bản cuối)", when=datetime(2021, 1, 6, 10))
    next(t for t in at.text_area if t.label == "Trích yếu").input("về dân vận (lần hai)")
    _button(at, "Lưu văn bản").click().run()
    _button(at, "Dùng bản mới nhất").click().run()
    assert user_directives(store)[0].title == "về dân vận (bản cuối)"
    assert row_history(store, "kh-15-ubnd-2021")[0].directive.title == "về dân vận (lần hai)"


def test_the_editor_re_sorts_the_bases_and_adds_in_order(app_env) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from planner.model import Base

    store = PlanStore(app_env)
    plan = sample_plan()
    plain = Base("Căn cứ tình hình thực tế của đơn vị,")
    nq25 = Base(
        "Căn cứ Nghị quyết số 25-NQ/TW ngày 03/6/2013 của Ban Chấp hành Trung ương;",
        "nq-25-tw-2013",
    )
    plan = replace(plan, bases=(plain, *plan.bases, nq25))
    plan_id = store.create(plan, now=datetime(2021, 3, 15, 9))
    at = make_app()
    at.query_params["plan"] = plan_id
    at.run()
    at.switch_page("views/editor.py").run()
    at.radio(key="editor.view").set_value("header").run()
    assert not at.exception, at.exception
    [sort] = [b for b in at.button if b.key and b.key.endswith("base.sort")]
    assert sort.label == "Sắp xếp lại Căn cứ" and not sort.disabled
    sort.click().run()
    assert not at.exception, at.exception
    bases = store.open(plan_id).plan.bases
    assert bases[0] == nq25 and bases[-1] == plain
    # The sample's two district plans: the Ban Dân vận (Party) one before the UBND one.
    assert [b.text[:30] for b in bases[1:3]] == [
        "Căn cứ Kế hoạch số 28-KHPH/BDV",
        "Căn cứ Kế hoạch số 106/KH-UBND",
    ]
    assert any("Đã sắp xếp lại căn cứ" in t.value for t in at.toast)
    [sort] = [b for b in at.button if b.key and b.key.endswith("base.sort")]
    assert sort.disabled  # in order now
    # Adding from the catalogue puts the line at its place, not at the end.
    at.text_input(key="editor.base.picker.query").input("16/CT-TTg").run()
    add = next(b for b in at.button if b.key and ".base.cat.add." in b.key)
    add.click().run()
    assert not at.exception, at.exception
    ids = [b.directive_id for b in store.open(plan_id).plan.bases]
    assert ids[:2] == ["nq-25-tw-2013", "ct-16-ttg-2016"]
