"""Schedule tables become task suggestions (issue #11 item 7): columns known by their headers,
deadlines from the time column, no date for recurring times, the TT column and non-schedule
tables (a Biểu) ignored; offered by `suggest_tasks` like the suggestions from the text."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from planner.docx.reader import import_docx
from planner.model import Block, Plan, Section, Task
from planner.progress.tasks import (
    accept_suggestions,
    column_kind,
    schedule_time,
    suggest_tasks,
    table_suggestions,
)
from planner.sample import sample_plan
from planner.text.dates import period_of, recurrence
from tests.office_docs import (
    APPENDIX_ROWS,
    assignment_table,
    bieu_form,
    focus_schedule,
    office_docx,
)


def _by_title(rows: tuple[tuple[str, ...], ...], year: int = 2026) -> dict[str, Task]:
    return {s.task.title: s.task for s in table_suggestions(rows, year, section="II")}


def test_sixteen_row_focus_schedule() -> None:
    sugg = table_suggestions(focus_schedule(), 2026, section="II", title="NHIỆM VỤ TRỌNG TÂM")
    assert len(sugg) == 16
    tasks = {s.task.title: s.task for s in sugg}
    first = tasks["Rà soát, sắp xếp mạng lưới trường lớp"]
    assert (first.lead, first.support) == ("Bộ phận Tổ chức", ("UBND các xã",))
    assert (first.start, first.due) == (date(2026, 4, 1), date(2026, 6, 30))
    assert first.extra["product"] == "Đề án sắp xếp"
    assert first.section == "II"
    assert tasks["Tổng kết năm học 2025-2026"].due == date(2026, 6, 30)  # Xong trong Quý II
    assert tasks["Báo cáo thống kê cuối năm"].due == date(2026, 11, 25)  # trước ngày 25/11
    assert tasks["Tổ chức tuyển sinh đầu cấp năm học 2026-2027"].due == date(2026, 7, 31)
    assert tasks["Hội khỏe Phù Đổng cấp huyện"].start == date(2026, 4, 1)
    assert tasks["Kiểm tra nội bộ cơ quan"].support == ()
    for name, label in (
        ("Kiểm tra công tác bán trú", "Thường xuyên"),
        ("Bồi dưỡng thường xuyên giáo viên", "Hàng năm"),
    ):
        t = tasks[name]
        assert t.due is None and t.start is None
        assert t.extra["recurrence"] == label
        assert schedule_time(t) == label
    recurring = [s for s in sugg if s.recurrence]
    assert {s.recurrence for s in recurring} == {"Thường xuyên", "Hàng năm"}
    assert len(recurring) == 4
    undated = tasks["Công tác thi đua, khen thưởng"]  # "Cuối năm học": no date, said so
    assert undated.due is None and undated.extra["time_text"] == "Cuối năm học"
    # the TT column is ignored: no title is a number, no unit is one either
    assert not any(t.title.isdigit() or t.lead.isdigit() for t in tasks.values())


def test_ten_row_assignment_table_with_blank_tt() -> None:
    tasks = _by_title(assignment_table())
    assert len(tasks) == 10
    t = tasks["Tổ chức hội thảo đổi mới phương pháp"]
    assert (t.lead, t.support, t.due) == (
        "Trường THCS Bình Chánh",
        ("Bộ phận Chuyên môn",),
        date(2026, 10, 31),
    )
    assert tasks["Báo cáo sơ kết học kỳ I"].due == date(2027, 1, 10)
    assert tasks["Giao ban hiệu trưởng"].extra["recurrence"] == "Hàng tháng"


def test_a_bieu_of_figures_gives_no_task() -> None:
    assert table_suggestions(bieu_form(), 2026) == []
    assert table_suggestions(APPENDIX_ROWS, 2026) == []
    results = (
        ("TT", "Nội dung", "Chỉ tiêu", "Kết quả đạt được", "Tỷ lệ (%)"),
        ("1", "Huy động trẻ 5 tuổi ra lớp", "100%", "99,8%", "99,8"),
        ("2", "Học sinh hoàn thành chương trình tiểu học", "100%", "100%", "100"),
    )
    assert table_suggestions(results, 2026) == []


def test_two_row_header_group_rows_and_column_numbers() -> None:
    rows = (
        ("TT", "Nội dung công việc", "Đơn vị thực hiện", "Đơn vị thực hiện", "Thời gian"),
        ("", "", "Chủ trì", "Phối hợp", ""),
        ("(1)", "(2)", "(3)", "(4)", "(5)"),
        ("I", "CÔNG TÁC CHUYÊN MÔN", "", "", ""),
        ("1", "Dự giờ thăm lớp", "Tổ chuyên môn", "Ban giám hiệu", "tháng 5"),
        ("A. CÔNG TÁC KHÁC", "A. CÔNG TÁC KHÁC", "A. CÔNG TÁC KHÁC", "A. CÔNG TÁC KHÁC", ""),
        ("2", "Kiểm tra hồ sơ", "Ban giám hiệu", "", "trước 25/11"),
    )
    sugg = table_suggestions(rows, 2026)
    assert [s.task.title for s in sugg] == ["Dự giờ thăm lớp", "Kiểm tra hồ sơ"]
    first, second = (s.task for s in sugg)
    assert (first.lead, first.support) == ("Tổ chuyên môn", ("Ban giám hiệu",))
    assert (first.start, first.due) == (date(2026, 5, 1), date(2026, 5, 31))
    assert second.due == date(2026, 11, 25)
    assert "dòng 5" in sugg[0].source


@pytest.mark.parametrize(
    ("header", "kind"),
    [
        ("Nhiệm vụ", "title"), ("Nội dung", "title"), ("Công việc", "title"),
        ("Chủ trì", "lead"), ("Đơn vị chủ trì", "lead"), ("Đơn vị thực hiện", "lead"),
        ("Phối hợp", "support"), ("Đơn vị phối hợp", "support"),
        ("Thời gian", "time"), ("Thời hạn", "time"), ("Tiến độ", "time"),
        ("Thời gian thực hiện", "time"), ("Sản phẩm", "product"), ("Kết quả", "product"),
        ("STT", "tt"), ("TT", "tt"), ("Ghi chú", None), ("Số lớp", None),
    ],
)  # fmt: skip
def test_column_kinds(header: str, kind: str | None) -> None:
    assert column_kind(header) == kind


@pytest.mark.parametrize(
    ("text", "period"),
    [
        ("tháng 5", (date(2026, 5, 1), date(2026, 5, 31))),
        ("Tháng 5/2027", (date(2027, 5, 1), date(2027, 5, 31))),
        ("Xong trong tháng 2", (date(2026, 2, 1), date(2026, 2, 28))),
        ("Năm 2026", (date(2026, 1, 1), date(2026, 12, 31))),
        ("trước 25/11", (None, date(2026, 11, 25))),
        ("Thường xuyên", None),
        ("tháng 13", None),
    ],
)
def test_period_of_a_time_cell(text: str, period: tuple[date | None, date] | None) -> None:
    assert period_of(text, 2026) == period


def test_recurrence_labels() -> None:
    assert recurrence("Thường xuyên") == "Thường xuyên"
    assert recurrence("hàng năm (tháng 9)") == "Hàng năm"
    assert recurrence("Quý II/2026") is None


def _plan_with_table(rows: tuple[tuple[str, ...], ...]) -> Plan:
    return Plan(
        sections=(
            Section("I", "MỤC ĐÍCH, YÊU CẦU"),
            Section("II", "NHIỆM VỤ TRỌNG TÂM", (Block("table", rows=rows),)),
        )
    )


def test_suggest_tasks_offers_table_rows_without_implementation_section() -> None:
    plan = _plan_with_table(focus_schedule())
    plan = replace(plan, meta=replace(plan.meta, year=2026))
    sugg = suggest_tasks(plan)
    assert len(sugg) == 16
    assert [s.task.id for s in sugg] == [f"t{i}" for i in range(1, 17)]
    assert {s.task.section for s in sugg} == {"II"}
    out = accept_suggestions(plan, sugg[:3])
    assert [t.title for t in out.tasks] == [s.task.title for s in sugg[:3]]
    assert suggest_tasks(out) == []  # a plan with tasks gets no suggestion


def test_suggest_tasks_ignores_a_bieu_table() -> None:
    assert suggest_tasks(_plan_with_table(bieu_form())) == []


def test_text_and_table_suggestions_together_have_unique_ids() -> None:
    base = sample_plan()
    table = Section("IV", "PHÂN CÔNG", (Block("table", rows=assignment_table()),))
    plan = replace(base, sections=(*base.sections, table))
    sugg = suggest_tasks(plan)
    from_text = [s for s in sugg if s.task.extra.get("source") != "table"]
    from_table = [s for s in sugg if s.task.extra.get("source") == "table"]
    assert len(from_text) == len(suggest_tasks(base)) and len(from_table) == 10
    assert len({s.task.id for s in sugg}) == len(sugg)


def test_schedule_in_an_imported_word_file_becomes_suggestions() -> None:
    plan = import_docx(office_docx(schedule=focus_schedule()), "ke-hoach.docx").plan
    sugg = suggest_tasks(plan)
    assert len(sugg) == 16
    assert any(s.task.due == date(2026, 6, 30) for s in sugg)
