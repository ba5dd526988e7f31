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
    return replace(
        sample,
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
    _edit(at, {1: {"status": "Hoàn thành", "progress": 100}})
    m = _metrics(at)
    assert (m["Hoàn thành"], m["Quá hạn"]) == ("1", "0")
    assert any("chưa lưu" in w.value for w in at.warning)
    assert PlanStore(app_env).open(plan_id).plan.tasks[1].status == "planned"
    at.button(key="progress.save").click().run()
    assert not at.exception
    saved = PlanStore(app_env).open(plan_id).plan
    assert (saved.tasks[1].status, saved.tasks[1].progress) == ("done", 100)
    assert saved.tasks[1].support == ("Các trường",)
    assert _metrics(at)["Hoàn thành"] == "1"


def test_invalid_edit_is_refused_and_nothing_saved(app_env, sample):
    at, plan_id = _open(app_env, _with_tasks(sample))
    _edit(at, {0: {"due": "2020-12-01"}})
    assert any("trước ngày bắt đầu 04/01/2021" in e.value for e in at.error)
    assert not [b for b in at.button if b.key == "progress.save"]
    assert PlanStore(app_env).open(plan_id).plan.tasks[0].due == date(2021, 6, 30)


def test_filters_by_unit_and_status(app_env, sample):
    at, _ = _open(app_env, _with_tasks(sample))
    at.multiselect(key="progress.filter.units").select("Các trường").run()
    assert any("Đang hiện 2/3 công việc" in c.value for c in at.caption)
    at.multiselect(key="progress.filter.status").select("Đang thực hiện").run()
    assert any("Đang hiện 0/3 công việc" in c.value for c in at.caption)


def test_meeting_mode_shows_figures_and_nothing_editable(app_env, sample):
    at, _ = _open(app_env, _with_tasks(sample), "views/meeting.py")
    m = _metrics(at)
    assert (m["Tổng số công việc"], m["Quá hạn"], m["Tiến độ trung bình"]) == ("3", "1", "7%")
    for kind in (
        "text_input",
        "text_area",
        "number_input",
        "date_input",
        "selectbox",
        "multiselect",
        "checkbox",
        "radio",
        "slider",
        "data_editor",
        "toggle",
    ):
        assert len(getattr(at.main, kind)) == 0, kind  # the sidebar's plan picker aside
    assert len(at.main.get("file_uploader")) == 0
    assert [b.label for b in at.main.button] == ["Trang trước", "Trang sau"]
    at.main.button[1].click().run()  # the overdue list comes next
    assert not at.exception
    assert not at.metric
    html = " ".join(h.proto.body for h in at.main.get("html"))
    assert "Công việc quá hạn (1)" in html and "Kiểm tra các trường" in html
    assert "01/03/2021" in html
    at.main.button[1].click().run()  # then the charts
    assert not at.exception
    assert len(at.main.get("vega_lite_chart")) == 1
    assert any("Trang 3/6" in h.proto.body for h in at.main.get("html"))


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
