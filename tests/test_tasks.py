"""Tasks: suggestions from the sample plan, deadlines, validation, edits, figures, schedule."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from planner.errors import PlannerError
from planner.model import Plan, Section, Task, plan_from_json, plan_to_json
from planner.progress.tasks import (
    TaskError,
    accept_suggestions,
    add_task,
    filter_tasks,
    find_deadlines,
    new_task_id,
    parse_status,
    remove_task,
    schedule_rows,
    schedule_time,
    set_tasks,
    suggest_tasks,
    summarize,
    tasks_from_rows,
    tasks_to_rows,
    units_of,
    update_task,
    validate_task,
)
from planner.sample import sample_plan


@pytest.fixture
def plan() -> Plan:
    return sample_plan()


def test_suggestions_cover_both_units_of_section_iii(plan: Plan) -> None:
    sugg = suggest_tasks(plan)
    leads = [s.task.lead for s in sugg]
    assert leads.count("Phòng Giáo dục và Đào tạo") == 2
    assert leads.count("Các đơn vị trường học") == 2
    assert {s.task.section for s in sugg} == {"III.1", "III.2"}
    assert all(s.task.status == "planned" and s.task.progress == 0 for s in sugg)
    assert len({s.task.id for s in sugg}) == len(sugg)
    # the plan itself is not changed: suggestions are only proposals
    assert plan.tasks == ()


def test_suggestion_takes_the_25_11_deadline_in_the_plans_year(plan: Plan) -> None:
    sugg = suggest_tasks(plan)
    report = [s for s in sugg if "báo cáo cuối năm" in s.task.title]
    assert len(report) == 1
    assert report[0].task.due == date(2020, 11, 25)
    assert report[0].deadline == "trước ngày 25/11"
    others = [s for s in sugg if s is not report[0]]
    assert all(s.task.due is None for s in others)


def test_suggestions_follow_the_plans_year(plan: Plan) -> None:
    next_year = replace(plan, meta=replace(plan.meta, year=2021))
    due = [s.task.due for s in suggest_tasks(next_year) if s.task.due]
    assert due == [date(2021, 11, 25)]


def test_no_suggestions_when_tasks_exist(plan: Plan) -> None:
    with_one = add_task(plan, Task(id="", title="Việc có sẵn"))
    assert suggest_tasks(with_one) == []


def test_no_suggestions_without_implementation_section() -> None:
    plan = Plan(sections=(Section(number="I", title="MỤC ĐÍCH YÊU CẦU"),))
    assert suggest_tasks(plan) == []


def test_accept_adds_only_what_was_accepted(plan: Plan) -> None:
    sugg = suggest_tasks(plan)
    out = accept_suggestions(plan, [sugg[0], sugg[3]])
    assert [t.title for t in out.tasks] == [sugg[0].task.title, sugg[3].task.title]
    assert len({t.id for t in out.tasks}) == 2
    again = plan_from_json(plan_to_json(out))
    assert again.tasks == out.tasks


@pytest.mark.parametrize(
    ("text", "start", "due"),
    [
        ("báo cáo cuối năm trước ngày 25/11", None, date(2021, 11, 25)),
        ("nộp chậm nhất ngày 05/01/2022", None, date(2022, 1, 5)),
        ("hoàn thành trong tháng 12/2021", date(2021, 12, 1), date(2021, 12, 31)),
        ("tổ chức vào tháng 2 năm 2021", date(2021, 2, 1), date(2021, 2, 28)),
        ("từ ngày 01/9 đến ngày 30/9", date(2021, 9, 1), date(2021, 9, 30)),
        ("từ tháng 9 đến tháng 12", date(2021, 9, 1), date(2021, 12, 31)),
        ("sơ kết trong quý III", date(2021, 7, 1), date(2021, 9, 30)),
        ("quý 4/2022", date(2022, 10, 1), date(2022, 12, 31)),
        ("báo cáo 6 tháng đầu năm", date(2021, 1, 1), date(2021, 6, 30)),
        ("hạn chót ngày 25 tháng 11 năm 2021", None, date(2021, 11, 25)),
    ],
)
def test_deadlines(text: str, start: date | None, due: date) -> None:
    found = find_deadlines(text, 2021)
    assert found, text
    assert (found[0].start, found[0].due) == (start, due)


@pytest.mark.parametrize("text", ["trước ngày 31/02", "tháng 12 cán bộ", "không có hạn", ""])
def test_no_deadline(text: str) -> None:
    assert find_deadlines(text, 2021) == []


def test_validation_messages_are_vietnamese() -> None:
    ok = Task(id="t1", title="Họp", start=date(2021, 3, 1), due=date(2021, 3, 2))
    validate_task(ok)
    with pytest.raises(TaskError, match="trước ngày bắt đầu 01/03/2021"):
        validate_task(replace(ok, due=date(2021, 2, 1)))
    with pytest.raises(TaskError, match="từ 0 đến 100"):
        validate_task(replace(ok, progress=101))
    with pytest.raises(TaskError, match="từ 0 đến 100"):
        validate_task(replace(ok, progress=-1))
    with pytest.raises(TaskError, match="trạng thái “late” không hợp lệ"):
        validate_task(replace(ok, status="late"))
    with pytest.raises(TaskError, match="nội dung công việc đang trống"):
        validate_task(replace(ok, title="  "))
    assert issubclass(TaskError, PlannerError)


def test_add_update_remove(plan: Plan) -> None:
    p = add_task(plan, Task(id="", title="Một"))
    p = add_task(p, Task(id="t1", title="Hai"))  # id taken: a fresh one is given
    assert [t.id for t in p.tasks] == ["t1", "t2"]
    p = update_task(p, replace(p.tasks[1], status="done", progress=100))
    assert p.tasks[1].status == "done"
    with pytest.raises(TaskError, match="Không tìm thấy"):
        update_task(p, Task(id="t9", title="x"))
    p = remove_task(p, "t1")
    assert [t.id for t in p.tasks] == ["t2"]
    # a removed id is not handed out again while a higher one exists
    assert new_task_id(["t2", "t7", "x"]) == "t8"
    with pytest.raises(TaskError, match="bị trùng"):
        set_tasks(p, [Task(id="a", title="1"), Task(id="a", title="2")])


def test_rows_round_trip_and_errors() -> None:
    tasks = [
        Task(
            id="t1",
            title="Một",
            lead="Phòng GDĐT",
            support=("Trường A", "Trường B"),
            status="in_progress",
            progress=40,
            section="III.1",
            extra={"k": 1},
        ),
    ]
    rows = tasks_to_rows(tasks)
    assert rows[0]["status"] == "Đang thực hiện"
    assert rows[0]["support"] == "Trường A; Trường B"
    back = tasks_from_rows(rows, tasks)
    assert back[0] == tasks[0] and back[0].extra == {"k": 1}
    new_row = {"title": "Mới", "status": "Hoàn thành", "progress": "100%", "due": "25/11/2021"}
    back = tasks_from_rows([*rows, new_row], tasks)
    assert back[1].id == "t2" and back[1].status == "done" and back[1].due == date(2021, 11, 25)
    with pytest.raises(TaskError, match="Dòng 2: ngày bắt đầu “31/02/2021”"):
        tasks_from_rows([*rows, {"title": "x", "start": "31/02/2021"}], tasks)
    with pytest.raises(TaskError, match="Dòng 1: nội dung công việc đang trống"):
        tasks_from_rows([{"title": "", "status": "Hoàn thành"}], [])
    with pytest.raises(TaskError, match="Dòng 1: trạng thái “Trễ”"):
        tasks_from_rows([{"title": "a", "status": "Trễ"}], [])
    with pytest.raises(TaskError, match="dòng 1"):
        tasks_from_rows([{"title": "a", "start": "02/03/2021", "due": "01/03/2021"}], [])


def test_parse_status_accepts_keys_and_labels() -> None:
    assert parse_status("in_progress") == "in_progress"
    assert parse_status("Đang thực hiện") == "in_progress"
    assert parse_status("HOÀN THÀNH") == "done"
    assert parse_status("chua bat dau") == "planned"
    assert parse_status("Đã hủy") == "cancelled"
    assert parse_status("???") is None


def _tasks() -> list[Task]:
    return [
        Task(
            id="t1",
            title="A",
            lead="Phòng",
            due=date(2021, 3, 1),
            status="in_progress",
            progress=50,
        ),
        Task(
            id="t2",
            title="B",
            lead="Trường",
            support=("Phòng",),
            due=date(2021, 3, 1),
            status="done",
            progress=100,
        ),
        Task(id="t3", title="C", lead="Trường", due=date(2021, 12, 1)),
        Task(id="t4", title="D", lead="Trường", due=date(2021, 1, 1), status="cancelled"),
        Task(id="t5", title="E", lead="Phòng", due=date(2021, 2, 1)),
    ]


def test_summary_counts_overdue_as_of_today() -> None:
    s = summarize(_tasks(), date(2021, 3, 15))
    assert (s.total, s.done, s.in_progress, s.planned, s.cancelled) == (5, 1, 1, 2, 1)
    assert s.overdue == 2  # t1 and t5; t2 is done, t4 cancelled
    assert s.mean_progress == pytest.approx((50 + 100 + 0 + 0) / 4)
    assert summarize(_tasks(), date(2021, 1, 15)).overdue == 0
    assert summarize([], date(2021, 1, 1)).mean_progress == 0


def test_filters() -> None:
    ts = _tasks()
    assert units_of(ts) == ["Phòng", "Trường"]
    assert [t.id for t in filter_tasks(ts, units=["Phòng"])] == ["t1", "t2", "t5"]
    assert [t.id for t in filter_tasks(ts, statuses=["planned"])] == ["t3", "t5"]
    assert [t.id for t in filter_tasks(ts, units=["Trường"], statuses=["done"])] == ["t2"]
    got = filter_tasks(ts, overdue_only=True, today=date(2021, 3, 15))
    assert [t.id for t in got] == ["t1", "t5"]


def test_schedule_rows() -> None:
    plan = Plan(
        tasks=(
            Task(id="t1", title="Báo cáo", lead="Trường", due=date(2021, 11, 25)),
            Task(id="t2", title="Kiểm tra định kỳ", lead="Phòng", support=("Trường A", "B")),
            Task(
                id="t3",
                title="Hội nghị",
                lead="Phòng",
                start=date(2021, 9, 1),
                due=date(2021, 9, 30),
            ),
            Task(id="t4", title="Bỏ", status="cancelled"),
            Task(id="t5", title="Tuyên truyền", lead="Phòng"),
        )
    )
    assert schedule_rows(plan) == [
        ("Thường xuyên", "Kiểm tra định kỳ", "Phòng", "Trường A; B"),
        ("Cả năm", "Tuyên truyền", "Phòng", ""),
        ("01/09/2021 - 30/09/2021", "Hội nghị", "Phòng", ""),
        ("Trước ngày 25/11/2021", "Báo cáo", "Trường", ""),
    ]
    assert schedule_time(Task(id="x", title="y", start=date(2021, 1, 5))) == "Từ ngày 05/01/2021"


def test_schedule_rows_from_accepted_sample(plan: Plan) -> None:
    p = accept_suggestions(plan, suggest_tasks(plan))
    rows = schedule_rows(p)
    assert len(rows) == 4
    assert rows[-1][0] == "Trước ngày 25/11/2020"
    assert rows[-1][2] == "Các đơn vị trường học"


def test_rows_from_a_table_with_missing_values() -> None:
    import pandas as pd

    row = {
        "title": "x",
        "support": pd.NA,
        "lead": pd.NA,
        "start": pd.NaT,
        "due": None,
        "status": None,
        "progress": pd.NA,
    }
    (t,) = tasks_from_rows([row], [])
    assert (t.lead, t.support, t.start, t.due, t.status, t.progress) == (
        "",
        (),
        None,
        None,
        "planned",
        0,
    )
