"""AppTest of *Văn bản căn cứ* › Nhập từ tệp: a real list goes through `import_rows` (the
command line's code path), the page shows its report and a preview, and saves all or nothing."""

from __future__ import annotations

from datetime import datetime

from planner.catalogue.user_rows import row_history, user_directives
from planner.sample import sample_plan
from planner.store.plans import PlanStore
from tests.conftest import make_app

PAGE = "views/catalogue.py"
# A portal's export: its own headers, a status word, a stray space in a symbol, a repeated
# row, a lower-cased title, a Party symbol written in state form, and no type column.
PORTAL = (
    "Số hiệu;Ngày ban hành;Trích yếu;Tình trạng hiệu lực;Ghi chú\n"
    "1977 /QĐ-UBND;12/03/2021;Về việc ban hành quy chế dân vận;Còn hiệu lực;\n"
    "45/KH-UBND;05/01/2022;kế hoạch thực hiện công tác dân vận năm 2022;Hết hiệu lực toàn bộ;x\n"
    "45/KH-UBND;05/01/2022;kế hoạch thực hiện công tác dân vận năm 2022;Hết hiệu lực toàn bộ;x\n"
    "07/CT-TU;20/02/2020;Về tăng cường công tác dân vận;Còn hiệu lực;\n"
)
# One impossible date: nothing at all may be imported.
BROKEN = (
    "Số hiệu;Ngày ban hành;Trích yếu\n"
    "12/KH-UBND;05/01/2022;Về công tác dân vận\n"
    "13/KH-UBND;31/02/2022;Về công tác thi đua\n"
)


def _import_page(app_env):  # type: ignore[no-untyped-def]
    store = PlanStore(app_env)
    plan_id = store.create(sample_plan(), now=datetime(2021, 3, 15, 9))
    at = make_app()
    at.query_params["plan"] = plan_id
    at.run()
    at.switch_page(PAGE)
    at.session_state["catalogue.section"] = "import"
    at.run()
    assert not at.exception, at.exception
    return at, store


def _upload(at, name: str, text: str):  # type: ignore[no-untyped-def]
    at.file_uploader(key="catalogue.import.file").set_value(
        (name, text.encode("utf-8"), "text/csv")
    ).run()
    assert not at.exception, [e.value for e in at.exception]


def _go(at):  # type: ignore[no-untyped-def]
    return [b for b in at.button if b.key == "catalogue.import.go"]


def test_the_report_and_preview_then_one_button_saves_everything(app_env) -> None:  # type: ignore[no-untyped-def]
    at, store = _import_page(app_env)
    _upload(at, "cong-tinh.csv", PORTAL)
    assert user_directives(store) == []  # nothing saved by the upload
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {"Dòng đọc được": "4", "Sẽ nhập": "3", "Dòng trùng bỏ qua": "1"}
    report = "\n".join(m.value for m in at.markdown)
    assert "Bỏ qua 1 dòng trùng" in report
    assert "Loại văn bản suy ra từ số ký hiệu ở 3 dòng" in report
    assert "“Hết hiệu lực toàn bộ” → Hết hiệu lực (1 dòng)" in report
    assert "“1977 /QĐ-UBND” → “1977/QĐ-UBND”" in report
    assert "Trích yếu viết thường toàn bộ ở 2 dòng (dòng 3, 4)" in report
    # The mapping shows what was recognised, and the "Ghi chú" column is left out.
    labels = [s.label for s in at.selectbox if s.key and s.key.startswith("catalogue.import.map")]
    assert "Cột “Số hiệu” (đã nhận ra)" in labels and "Cột “Ghi chú”" in labels
    preview = at.dataframe[0].value
    assert list(preview["Số ký hiệu"]) == ["1977/QĐ-UBND", "45/KH-UBND", "07-CT/TU"]
    assert list(preview["Loại"]) == ["Quyết định", "Kế hoạch", "Chỉ thị"]
    # A constant for the whole file fills the empty issuer cells.
    at.text_input(key="catalogue.import.set.issuer.cong-tinh.csv").input("UBND tỉnh Bình Dương")
    at.selectbox(key="catalogue.import.set.level.cong-tinh.csv").set_value("province").run()
    assert set(at.dataframe[0].value["Cơ quan ban hành"]) == {"UBND tỉnh Bình Dương"}
    [go] = _go(at)
    assert go.label == "Nhập 3 văn bản"
    go.click().run()
    assert not at.exception
    saved = user_directives(store)
    assert [d.symbol for d in saved] == ["1977/QĐ-UBND", "45/KH-UBND", "07-CT/TU"]
    assert saved[0].aliases == ("1977 /QĐ-UBND",)
    assert {d.issuer_level for d in saved} == {"province"}
    assert row_history(store, saved[0].id)[0].note == "Nhập từ tệp cong-tinh.csv"
    assert any("Đã nhập 3 văn bản từ tệp “cong-tinh.csv”" in s.value for s in at.success)


def test_a_problem_anywhere_saves_nothing(app_env) -> None:  # type: ignore[no-untyped-def]
    at, store = _import_page(app_env)
    _upload(at, "loi.csv", BROKEN)
    [error] = [e.value for e in at.error]
    assert error.startswith("Tệp “loi.csv” có 1 lỗi nên chưa nhập văn bản nào.")
    problems = at.dataframe[0].value
    assert list(problems["Tệp"]) == ["loi.csv"] and list(problems["Dòng"]) == [3]
    assert list(problems["Cột"]) == ["Ngày ban hành"]
    assert _go(at) == []  # the good row is not importable on its own
    assert user_directives(store) == []


def test_changing_the_mapping_reruns_the_importer(app_env) -> None:  # type: ignore[no-untyped-def]
    at, _store = _import_page(app_env)
    _upload(at, "cong-tinh.csv", PORTAL)
    # "Ghi chú" read as the topics column: its "x" reaches the rows.
    at.selectbox(key="catalogue.import.map.cong-tinh.csv.4").set_value("topics").run()
    assert not at.exception
    assert at.metric[1].value == "3"
    # Leaving out the symbol column: the importer derives nothing and says why.
    at.selectbox(key="catalogue.import.map.cong-tinh.csv.0").set_value("").run()
    assert any("cong-tinh.csv" in e.value for e in at.error)
    assert _go(at) == []


def test_after_a_docx_import_the_uncatalogued_citations_can_be_added(app_env) -> None:  # type: ignore[no-untyped-def]
    from dataclasses import replace

    from planner.model import Base
    from tests.docx_builders import plan_docx

    plan = sample_plan()
    plan = replace(
        plan,
        bases=(
            *plan.bases,
            Base(
                "Căn cứ Kế hoạch số 45/KH-SGDĐT ngày 10/01/2020 của Sở Giáo dục và Đào tạo tỉnh "
                "Bình Dương về công tác dân vận năm 2020;"
            ),
            Base("Căn cứ Công văn số 77/UBND-VX ngày 02/3/2020 của UBND tỉnh về việc báo cáo;"),
        ),
    )
    at = make_app().run()
    at.radio(key="newyear.source").set_value("docx").run()
    at.file_uploader(key="newyear.docx").set_value(
        ("ke-hoach-2020.docx", plan_docx(plan), "application/octet-stream")
    ).run()
    at.button(key="newyear.import.continue").click().run()  # after the import report
    assert not at.exception, [e.value for e in at.exception]
    notice = [m.value for m in at.markdown if "chưa có trong danh" in m.value]
    assert notice and "**2 văn bản được trích dẫn chưa có trong danh mục**" in notice[0]
    assert not at.get("arrow_data_frame")  # the table waits for the click
    at.button(key="harvest.open_button").click().run()
    table = at.dataframe[0].value
    assert list(table["Số ký hiệu"]) == ["45/KH-SGDĐT", "77/UBND-VX"]
    assert list(table["Thêm"]) == [True, True]
    assert table["Cơ quan ban hành"][0] == "Sở Giáo dục và Đào tạo tỉnh Bình Dương"
    assert "ke-hoach-2020.docx" in table["Trích dẫn ở"][0]
    [add] = [b for b in at.button if b.key == "harvest.add"]
    assert add.label == "Thêm 2 văn bản vào danh mục"
    add.click().run()
    assert not at.exception
    store = PlanStore(app_env)
    saved = user_directives(store)
    assert [d.symbol for d in saved] == ["45/KH-SGDĐT", "77/UBND-VX"]
    assert saved[0].status == "unknown" and saved[0].issued is not None
    assert row_history(store, saved[0].id)[0].note == "Thêm từ trích dẫn trong ke-hoach-2020.docx"
    assert not any("chưa có trong danh" in m.value for m in at.markdown)  # all added now
