"""AppTest of Tiến độ and Trình chiếu: suggestions, editing with figures, validation, meeting."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from planner.model import Task
from planner.store.plans import PlanStore
from tests.conftest import make_app

NOW = datetime(2021, 3, 1, 8, 0)


def _metrics(at) -> dict[str, str]:
    return {m.label: str(m.value) for m in at.metric}


def _open(app_env, plan, page: str = "views/progress.py"):
    plan_id = PlanStore(app_env).create(plan, now=NOW)
    at = make_app()
    at.query_params["plan"] = plan_id
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at, plan_id


def _with_tasks(sample):
    """The sample (a 2020 plan) moved to 2021, its tasks' year: figures count to today."""
    return replace(
        sample,
        meta=replace(sample.meta, year=2021),
        tasks=(
            Task(
                id="t1",
                title="Tuyên truyền công tác dân vận",
                lead="Phòng GDĐT",
                start=date(2021, 1, 4),
                due=date(2021, 6, 30),
                status="in_progress",
                progress=20,
            ),
            Task(
                id="t2",
                title="Kiểm tra các trường",
                lead="Phòng GDĐT",
                support=("Các trường",),
                due=date(2021, 3, 1),
            ),
            Task(id="t3", title="Báo cáo cuối năm", lead="Các trường", due=date(2021, 11, 25)),
        ),
    )


def _edit(at, edits: dict[int, dict]) -> None:
    [editor] = at.data_editor
    at.session_state[editor.key] = {"edited_rows": edits, "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception, at.exception


def test_suggestions_are_reviewed_before_anything_is_added(app_env, sample):
    at, plan_id = _open(app_env, sample)
    assert _metrics(at)["Tổng số công việc"] == "0"
    boxes = [c for c in at.checkbox if c.key and c.key.startswith("progress.sugg")]
    assert len(boxes) == 4
    assert any("hạn 25/11/2020" in c.value for c in at.caption)
    assert PlanStore(app_env).open(plan_id).plan.tasks == ()  # nothing added yet
    boxes[1].uncheck().run()
    at.button(key="progress.sugg.accept").click().run()
    assert not at.exception
    saved = PlanStore(app_env).open(plan_id).plan
    assert len(saved.tasks) == 3
    assert saved.tasks[-1].due == date(2020, 11, 25)
    assert _metrics(at)["Tổng số công việc"] == "3"
    assert any("Đã thêm 3 công việc" in s.value for s in at.success)


def test_edit_a_task_and_see_the_figures_change(app_env, sample):
    at, plan_id = _open(app_env, _with_tasks(sample))
    m = _metrics(at)
    # today is 15/03/2021 (conftest): t2 (due 01/03) is overdue
    assert (m["Tổng số công việc"], m["Hoàn thành"], m["Đang thực hiện"], m["Quá hạn"]) == (
        "3",
        "0",
        "1",
        "1",
    )
    assert len(at.main.get("vega_lite_chart")) == 4  # timeline, status, units, months
    labels = [b.proto.label for b in at.main.get("download_button")]
    assert labels.count("Tải ảnh PNG") == 4 and labels.count("Tải ảnh SVG") == 4
    assert "Tải mẫu Excel (.xlsx)" in labels
    # an edit changes nothing saved (and no figure) before Lưu thay đổi
    _edit(at, {1: {"status": "Hoàn thành"}})
    assert _metrics(at)["Hoàn thành"] == "0"
    assert any("Có 1 công việc thay đổi chưa lưu" in w.value for w in at.warning)
    assert any("“Kiểm tra các trường”: Hoàn thành, 100%" in i.value for i in at.info)
    assert PlanStore(app_env).open(plan_id).plan.tasks[1].status == "planned"
    at.button(key="progress.save").click().run()
    assert not at.exception
    saved = PlanStore(app_env).open(plan_id).plan
    # Hoàn thành chosen alone: saved with 100 %, never "Hoàn thành 1 … 0 %"
    assert (saved.tasks[1].status, saved.tasks[1].progress) == ("done", 100)
    assert saved.tasks[1].support == ("Các trường",)
    m = _metrics(at)
    assert (m["Hoàn thành"], m["Quá hạn"], m["Tiến độ trung bình"]) == ("1", "0", "40%")
    assert any("Đã lưu." in s.value for s in at.success)


def test_a_percentage_above_zero_starts_the_task(app_env, sample):
    at, plan_id = _open(app_env, _with_tasks(sample))
    _edit(at, {2: {"progress": 30}})
    at.button(key="progress.save").click().run()
    saved = PlanStore(app_env).open(plan_id).plan
    assert (saved.tasks[2].status, saved.tasks[2].progress) == ("in_progress", 30)


def test_invalid_edit_is_refused_and_nothing_saved(app_env, sample):
    at, plan_id = _open(app_env, _with_tasks(sample))
    _edit(at, {0: {"due": "2020-12-01"}})
    assert any("trước ngày bắt đầu 04/01/2021" in e.value for e in at.error)
    assert at.button(key="progress.save").disabled
    assert PlanStore(app_env).open(plan_id).plan.tasks[0].due == date(2021, 6, 30)


def test_filters_by_unit_and_status(app_env, sample):
    at, _ = _open(app_env, _with_tasks(sample))
    at.multiselect(key="progress.filter.units").select("Các trường").run()
    assert any("Đang hiện 2/3 công việc" in c.value for c in at.caption)
    at.multiselect(key="progress.filter.status").select("Đang thực hiện").run()
    assert any("Đang hiện 0/3 công việc" in c.value for c in at.caption)


def test_pending_edits_lock_the_filters_until_saved_or_dropped(app_env, sample):
    at, plan_id = _open(app_env, _with_tasks(sample))
    at.multiselect(key="progress.filter.units").select("Các trường").run()
    _edit(at, {0: {"progress": 50}})  # the first shown row: t2
    for key in ("progress.filter.units", "progress.filter.status"):
        assert at.multiselect(key=key).disabled
    assert at.checkbox(key="progress.filter.overdue").disabled
    assert any("Bộ lọc tạm khóa" in c.value for c in at.caption)
    # the edit is still there, and saving it keeps the tasks the filter hid
    at.button(key="progress.save").click().run()
    saved = PlanStore(app_env).open(plan_id).plan
    assert [t.id for t in saved.tasks] == ["t1", "t2", "t3"]
    assert (saved.tasks[1].status, saved.tasks[1].progress) == ("in_progress", 50)
    assert not at.multiselect(key="progress.filter.units").disabled
    # Bỏ thay đổi drops pending edits and unlocks the filters
    _edit(at, {0: {"title": "Đổi tên"}})
    assert at.multiselect(key="progress.filter.units").disabled
    at.button(key="progress.discard").click().run()
    assert not at.exception
    assert not at.multiselect(key="progress.filter.units").disabled
    assert not [w for w in at.warning if "chưa lưu" in w.value]
    assert PlanStore(app_env).open(plan_id).plan.tasks[1].title == "Kiểm tra các trường"


def test_a_row_ticked_xoa_is_removed_on_save(app_env, sample):
    at, plan_id = _open(app_env, _with_tasks(sample))
    _edit(at, {2: {"remove": True}})
    assert any("1 công việc sẽ bị xóa" in w.value for w in at.warning)
    at.button(key="progress.save").click().run()
    assert [t.id for t in PlanStore(app_env).open(plan_id).plan.tasks] == ["t1", "t2"]


def test_add_a_task_from_the_vietnamese_form(app_env, sample):
    at, plan_id = _open(app_env, _with_tasks(sample))
    areas = [a for a in at.main.text_area if a.label == "Nội dung công việc"]
    assert len(areas) == 1
    # nothing typed: refused with a message, nothing saved
    submit = [b for b in at.main.button if b.label == "Thêm công việc"]
    assert len(submit) == 1
    submit[0].click().run()
    assert any("Hãy nhập nội dung công việc" in e.value for e in at.error)
    assert len(PlanStore(app_env).open(plan_id).plan.tasks) == 3
    at.main.text_area[0].input("Tổ chức hội nghị  sơ kết học kỳ I")
    inputs = {t.label: t for t in at.main.text_input}
    inputs["Đơn vị chủ trì"].input("Phòng GDĐT")
    inputs["Đơn vị phối hợp"].input("Các trường; Công đoàn ngành")
    dates = {d.label: d for d in at.main.date_input}
    dates["Bắt đầu (ngày/tháng/năm)"].set_value(date(2021, 1, 10))
    dates["Hạn hoàn thành (ngày/tháng/năm)"].set_value(date(2021, 1, 20))
    [section] = [s for s in at.main.selectbox if s.label == "Thuộc mục"]
    path = next(p for p, _ in sample.iter_sections())
    section.set_value(path)
    next(b for b in at.main.button if b.label == "Thêm công việc").click().run()
    assert not at.exception, at.exception
    saved = PlanStore(app_env).open(plan_id).plan
    assert len(saved.tasks) == 4
    new = saved.tasks[-1]
    assert (new.id, new.title, new.lead, new.support) == (
        "t4",
        "Tổ chức hội nghị sơ kết học kỳ I",
        "Phòng GDĐT",
        ("Các trường", "Công đoàn ngành"),
    )
    assert (new.start, new.due, new.section) == (date(2021, 1, 10), date(2021, 1, 20), path)
    assert (new.status, new.progress) == ("planned", 0)
    assert any("Đã thêm công việc" in s.value for s in at.success)
    # a fresh, empty form
    assert [a.value for a in at.main.text_area if a.label == "Nội dung công việc"] == [""]


def test_add_form_refuses_a_due_date_before_the_start(app_env, sample):
    at, plan_id = _open(app_env, _with_tasks(sample))
    at.main.text_area[0].input("Kiểm tra nội bộ")
    dates = {d.label: d for d in at.main.date_input}
    dates["Bắt đầu (ngày/tháng/năm)"].set_value(date(2021, 5, 10))
    dates["Hạn hoàn thành (ngày/tháng/năm)"].set_value(date(2021, 5, 1))
    next(b for b in at.main.button if b.label == "Thêm công việc").click().run()
    assert any("trước ngày bắt đầu 10/05/2021" in e.value for e in at.error)
    assert len(PlanStore(app_env).open(plan_id).plan.tasks) == 3


def test_csv_download_has_vietnamese_headers(app_env, sample):
    at, _ = _open(app_env, _with_tasks(sample))
    [csv] = [b for b in at.main.get("download_button") if b.proto.label == "Tải CSV"]
    assert csv.proto.label == "Tải CSV"
    from components.progress_tasks import tasks_csv

    text = tasks_csv(list(_with_tasks(sample).tasks)).decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Mã,Nội dung công việc,Đơn vị chủ trì")
    assert "t2,Kiểm tra các trường,Phòng GDĐT,Các trường,,01/03/2021,Chưa bắt đầu,0," in text


def test_pages_without_a_plan_point_home(app_env):
    at = make_app().run()
    for page in ("views/progress.py", "views/meeting.py"):
        at.switch_page(page).run()
        assert not at.exception
        assert any("Chưa mở kế hoạch" in i.value for i in at.info)


def test_report_import_preview_match_and_confirm(app_env, sample):
    at, plan_id = _open(app_env, _with_tasks(sample))
    csv = (
        "Đơn vị,Mã công việc,Nội dung công việc,Trạng thái,Tỷ lệ hoàn thành (%),Ngày báo cáo\n"
        "Phòng GDĐT,t1,,Đang thực hiện,80,14/03/2021\n"
        "Trường TH Phú Hòa,,Báo cáo cuối năm,Hoàn thành,100,31/02/2021\n"
        "Trường TH Phú Hòa,,Xây nhà thi đấu đa năng,Đang thực hiện,10,14/03/2021\n"
    ).encode()
    [uploader] = at.main.get("file_uploader")
    uploader.set_value(("bao-cao.csv", csv, "text/csv"))
    at.run()
    assert not at.exception, at.exception
    assert any("dòng 3: ngày báo cáo “31/02/2021”" in e.value for e in at.error)
    assert any("3 dòng, 2 dòng hợp lệ" in m.value for m in at.markdown)
    # nothing changes before the user confirms
    assert PlanStore(app_env).open(plan_id).plan.tasks[0].progress == 20
    [match] = [d for d in at.data_editor if d.key.startswith("progress.report.match")]
    table = match.value
    assert table["accept"].tolist() == [True, False, False]
    assert "không tìm thấy công việc" in table["note"].tolist()[2]
    apply = at.button(key="progress.report.apply")
    assert apply.label == "Cập nhật tiến độ từ 1 dòng đã chọn"
    apply.click().run()
    assert not at.exception, at.exception
    saved = PlanStore(app_env).open(plan_id).plan
    assert (saved.tasks[0].status, saved.tasks[0].progress) == ("in_progress", 80)
    assert saved.tasks[2].status == "planned"  # the row with a bad date was not used
    assert any("Đã cập nhật tiến độ từ 1 dòng của bao-cao.csv" in s.value for s in at.success)
