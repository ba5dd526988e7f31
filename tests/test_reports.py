"""Units' progress reports: reading (encodings, XLSX), row checks, matching, applying, templates."""

from __future__ import annotations

import io
import unicodedata
from dataclasses import replace
from datetime import date, datetime

import pytest

from planner.errors import InputFileError, PlannerError
from planner.model import Plan, Task
from planner.progress.reports import (
    ReportError,
    apply_reports,
    match_reports,
    read_report,
    report_template_csv,
    report_template_xlsx,
)

HEADER = "Đơn vị,Nội dung công việc,Trạng thái,Tỷ lệ hoàn thành (%),Ngày báo cáo,Ghi chú"


def _plan() -> Plan:
    return Plan(
        tasks=(
            Task(
                id="t1",
                title="Đẩy mạnh công tác tuyên truyền về công tác dân vận",
                lead="Phòng Giáo dục và Đào tạo",
            ),
            Task(
                id="t2",
                title="Tổ chức triển khai thực hiện công tác dân vận gắn với nhiệm vụ năm học",
                lead="Các đơn vị trường học",
            ),
            Task(
                id="t3",
                title="Báo cáo cuối năm về Phòng GDĐT",
                lead="Các đơn vị trường học",
                due=date(2021, 11, 25),
            ),
        )
    )


GOOD_ROWS = [
    "Phòng Giáo dục và Đào tạo,Đẩy mạnh công tác tuyên truyền về công tác dân vận,"
    "Đang thực hiện,60,15/03/2021,Đã tổ chức 2 buổi",
    "Trường THCS Chánh Nghĩa,Tổ chức triển khai công tác dân vận gắn với nhiệm vụ năm học,"
    "done,100,2021-03-10,",
]


def _csv(rows: list[str], header: str = HEADER, sep: str = ",") -> str:
    return "\n".join([header.replace(",", sep), *(r.replace(",", sep) for r in rows)]) + "\n"


def test_good_csv_utf8_with_bom_reads_and_matches() -> None:
    data = b"\xef\xbb\xbf" + _csv(GOOD_ROWS).encode("utf-8")
    rep = read_report(data, "baocao.csv")
    assert [r.errors for r in rep.rows] == [(), ()]
    r1, r2 = rep.rows
    assert (r1.row, r1.unit, r1.status, r1.progress, r1.date) == (
        2,
        "Phòng Giáo dục và Đào tạo",
        "in_progress",
        60,
        date(2021, 3, 15),
    )
    assert (r2.status, r2.progress, r2.date) == ("done", 100, date(2021, 3, 10))
    changes = match_reports(_plan(), rep)
    assert [c.task_id for c in changes] == ["t1", "t2"]
    assert changes[0].how == "nội dung"
    assert changes[1].message == ""  # a school reporting on "Các đơn vị trường học"
    new = apply_reports(_plan(), changes)
    assert (new.tasks[0].status, new.tasks[0].progress) == ("in_progress", 60)
    assert (new.tasks[1].status, new.tasks[1].progress) == ("done", 100)
    assert new.tasks[2] == _plan().tasks[2]
    assert new.tasks[0].extra["reports"][0]["note"] == "Đã tổ chức 2 buổi"


def test_nothing_changes_before_apply() -> None:
    plan = _plan()
    rep = read_report(_csv(GOOD_ROWS).encode("utf-8"), "a.csv")
    match_reports(plan, rep)
    assert plan == _plan()
    assert apply_reports(plan, []) == plan


def test_several_schools_on_one_task_average() -> None:
    rows = [
        "Trường TH Phú Hòa,,Hoàn thành,100,20/03/2021,",
        "Trường TH Chánh Mỹ,,Đang thực hiện,40,20/03/2021,",
    ]
    header = "Đơn vị,Mã công việc,Trạng thái,Tỷ lệ hoàn thành (%),Ngày báo cáo,Ghi chú"
    rows = [r.replace(",,", ",t2,", 1) for r in rows]
    rep = read_report(_csv(rows, header).encode("utf-8"), "b.csv")
    changes = match_reports(_plan(), rep)
    assert [c.how for c in changes] == ["mã", "mã"]
    new = apply_reports(_plan(), changes)
    assert (new.tasks[1].status, new.tasks[1].progress) == ("in_progress", 70)
    # a later report of the second school finishes the task
    later = read_report(
        _csv(["Trường TH Chánh Mỹ,t2,Hoàn thành,100,25/03/2021,"], header).encode(), "c.csv"
    )
    new2 = apply_reports(new, match_reports(new, later))
    assert (new2.tasks[1].status, new2.tasks[1].progress) == ("done", 100)
    assert len(new2.tasks[1].extra["reports"]) == 3


def test_semicolon_and_utf16_tab() -> None:
    rep = read_report(_csv(GOOD_ROWS, sep=";").encode("utf-8"), "c.csv")
    assert len(rep.valid_rows) == 2
    utf16 = _csv(GOOD_ROWS, sep="\t").encode("utf-16")
    rep = read_report(utf16, "unicode.txt")
    assert len(rep.valid_rows) == 2
    assert rep.rows[0].unit == "Phòng Giáo dục và Đào tạo"


def _to_cp1258(text: str) -> bytes:
    """Vietnamese in Windows-1258: base letters precomposed, tone marks combining."""
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = []
    for ch in text:
        d = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in d if c not in tones))
        out.append(base + "".join(c for c in d if c in tones))
    return "".join(out).encode("cp1258")


def test_cp1258_fallback_with_a_note() -> None:
    data = _to_cp1258(_csv(GOOD_ROWS))
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    rep = read_report(data, "cu.csv")
    assert rep.rows[0].unit == "Phòng Giáo dục và Đào tạo"  # NFC again
    assert rep.rows[0].status == "in_progress"
    assert any("Windows-1258" in n and "cu.csv" in n for n in rep.notes)


def test_xlsx_with_title_rows_and_real_dates() -> None:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["BÁO CÁO TIẾN ĐỘ THÁNG 3/2021"])
    ws.append([])
    ws.append(
        [
            "STT",
            "Đơn vị",
            "Nội dung công việc",
            "Trạng thái",
            "Tỷ lệ hoàn thành (%)",
            "Ngày báo cáo",
            "Ghi chú",
        ]
    )
    ws.append(
        [
            1,
            "Phòng Giáo dục và Đào tạo",
            "Đẩy mạnh tuyên truyền về công tác dân vận",
            "Đang thực hiện",
            0.5,
            datetime(2021, 3, 12),
            None,
        ]
    )
    ws.append(
        [
            2,
            "Trường TH Phú Hòa",
            "Báo cáo cuối năm về Phòng GDĐT",
            "Chưa bắt đầu",
            0,
            "31/02/2021",
            None,
        ]
    )
    buf = io.BytesIO()
    wb.save(buf)
    rep = read_report(buf.getvalue(), "bc.xlsx")
    r1, r2 = rep.rows
    assert (r1.row, r1.progress, r1.date, r1.errors) == (4, 50, date(2021, 3, 12), ())
    assert r2.errors == (
        "Tệp bc.xlsx, dòng 5: ngày báo cáo “31/02/2021” không phải ngày có thật "
        "(ghi dạng dd/mm/yyyy).",
    )
    changes = match_reports(_plan(), rep)
    assert changes[0].task_id == "t1"
    assert changes[1].task_id is None and "dòng 5" in changes[1].message
    assert apply_reports(_plan(), changes).tasks[0].progress == 50


def test_row_errors_name_file_and_row() -> None:
    rows = [
        ",Đẩy mạnh công tác tuyên truyền,Đang thực hiện,60,,",
        "Phòng GDĐT,Đẩy mạnh công tác tuyên truyền,Trễ hạn,60,,",
        "Phòng GDĐT,Đẩy mạnh công tác tuyên truyền,,150,,",
        "Phòng GDĐT,Đẩy mạnh công tác tuyên truyền,,,,",
        "Phòng GDĐT,Đẩy mạnh công tác tuyên truyền,Hoàn thành,50,,",
        "Phòng GDĐT,Đẩy mạnh công tác tuyên truyền,Đang thực hiện,abc,,",
    ]
    rep = read_report(_csv(rows).encode("utf-8"), "x.csv")
    msgs = [r.errors[0] for r in rep.rows]
    assert msgs[0] == "Tệp x.csv, dòng 2: thiếu tên đơn vị."
    assert msgs[1].startswith("Tệp x.csv, dòng 3: trạng thái “Trễ hạn” không hợp lệ")
    assert "dòng 4" in msgs[2] and "150" in msgs[2]
    assert msgs[3] == "Tệp x.csv, dòng 5: cần ghi trạng thái hoặc tỷ lệ hoàn thành."
    assert "dòng 6" in msgs[4] and "50%" in msgs[4]
    assert "dòng 7" in msgs[5] and "không phải là số" in msgs[5]
    assert all(c.task_id is None for c in match_reports(_plan(), rep))


def test_unknown_task_is_not_matched() -> None:
    rows = ["Phòng GDĐT,Xây dựng sân bóng đá mini cho học sinh,Đang thực hiện,10,,"]
    rep = read_report(_csv(rows).encode("utf-8"), "u.csv")
    (c,) = match_reports(_plan(), rep)
    assert c.task_id is None
    assert c.message == "Dòng 2: không tìm thấy công việc tương ứng trong kế hoạch."
    header = "Đơn vị,Mã công việc,Trạng thái"
    rep = read_report(_csv(["Phòng GDĐT,t99,Hoàn thành"], header).encode(), "v.csv")
    (c,) = match_reports(_plan(), rep)
    assert c.message == "Dòng 2: không có công việc mã “t99” trong kế hoạch."


@pytest.mark.parametrize(
    ("data", "name", "needle"),
    [
        (b"", "a.csv", "Tệp a.csv trống"),
        ("Tên,Tuổi\nAn,3\n".encode(), "b.csv", "Tệp b.csv"),
        ("Đơn vị,Ghi chú\nA,b\n".encode(), "c.csv", "thiếu cột"),
        (HEADER.encode() + b"\n", "d.csv", "chỉ có dòng tiêu đề"),
        (b"PK\x03\x04garbage", "e.xlsx", "không phải tệp Excel"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "f.xls", "Excel cũ"),
        (b"\x00\x01\x02binary", "g.csv", "không phải tệp CSV"),
    ],
)
def test_bad_files(data: bytes, name: str, needle: str) -> None:
    with pytest.raises(ReportError, match=needle) as e:
        read_report(data, name)
    assert name in str(e.value)
    assert isinstance(e.value, InputFileError)


def test_missing_columns_message_lists_them() -> None:
    with pytest.raises(ReportError) as e:
        read_report("Đơn vị,Ghi chú\nA,b\n".encode(), "c.csv")
    msg = str(e.value)
    assert "“Nội dung công việc”" in msg and "“Trạng thái” hoặc “Tỷ lệ hoàn thành (%)”" in msg


def test_templates_round_trip() -> None:
    from openpyxl import load_workbook

    plan = _plan()
    data = report_template_xlsx(plan)
    wb = load_workbook(io.BytesIO(data))
    ws = wb["Báo cáo tiến độ"]
    header = [c.value for c in ws[1]]
    assert header[:3] == ["Mã công việc", "Nội dung công việc", "Đơn vị chủ trì"]
    assert [ws.cell(r, 1).value for r in range(2, 5)] == ["t1", "t2", "t3"]
    assert ws.cell(4, 4).value == "25/11/2021"
    assert len(ws.data_validations.dataValidation) == 3
    # a school fills it in and sends it back
    ws.cell(3, 5).value = "Trường THCS Chánh Nghĩa"
    ws.cell(3, 6).value = "Đang thực hiện"
    ws.cell(3, 7).value = 30
    ws.cell(3, 8).value = datetime(2021, 4, 1)
    buf = io.BytesIO()
    wb.save(buf)
    rep = read_report(buf.getvalue(), "mau.xlsx")
    filled = rep.valid_rows
    assert [r.task_id for r in filled] == ["t2"]
    assert len(rep.rows) == 1  # rows the school left blank are not errors
    (c,) = [c for c in match_reports(plan, rep) if c.matched]
    assert (c.task_id, c.how, c.new_progress) == ("t2", "mã", 30)

    csv_bytes = report_template_csv(plan)
    assert csv_bytes.startswith(b"\xef\xbb\xbf")
    text = csv_bytes.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Mã công việc,Nội dung công việc,Đơn vị chủ trì")
    assert "25/11/2021" in text


def test_unit_abbreviations_and_unknown_status_not_guessed() -> None:
    rows = [
        "Phòng GDĐT,Đẩy mạnh công tác tuyên truyền về công tác dân vận,Đang thực hiện,30,,",
        "Trường TH Phú Hòa,Báo cáo cuối năm về Phòng GDĐT,Đang làm dở,50,,",
    ]
    rep = read_report(_csv(rows).encode("utf-8"), "w.csv")
    first, second = match_reports(_plan(), rep)
    assert first.task_id == "t1" and first.message == ""  # GDĐT = Giáo dục và Đào tạo
    assert second.row.status is None  # an unknown status is reported, never guessed
    assert "Đang làm dở" in second.row.errors[0]


def test_templates_never_hold_formulas() -> None:
    from openpyxl import load_workbook

    plan = Plan(tasks=(Task(id="t1", title='=HYPERLINK("http://x")', lead="@Phòng"),))
    ws = load_workbook(io.BytesIO(report_template_xlsx(plan)))["Báo cáo tiến độ"]
    assert ws.cell(2, 2).data_type == "s"
    assert ws.cell(2, 2).value == '=HYPERLINK("http://x")'
    text = report_template_csv(plan).decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "'@Phòng" in text


def _twins(same_id: bool) -> Plan:
    """Two tasks titled "Việc A" led by the same unit (and, with `same_id`, one id)."""
    a = Task(id="t1", title="Việc A", lead="Phòng Giáo dục và Đào tạo")
    b = Task(id="t1" if same_id else "t2", title="Việc A", lead="Phòng Giáo dục và Đào tạo")
    return Plan(tasks=(a, b))


def test_a_row_matching_two_tasks_alike_is_flagged_not_applied_to_both() -> None:
    header = "Đơn vị,Nội dung công việc,Trạng thái,Tỷ lệ hoàn thành (%),Ngày báo cáo,Ghi chú"
    rep = read_report(
        _csv(["Phòng Giáo dục và Đào tạo,Việc A,Hoàn thành,100,20/03/2021,"], header).encode(),
        "c.csv",
    )
    plan = _twins(same_id=False)
    (change,) = match_reports(plan, rep)
    assert change.task_id is None
    assert "khớp với 2 công việc" in change.message and "Dòng 2" in change.message
    assert apply_reports(plan, [change]) == plan


def test_a_row_naming_an_id_two_tasks_hold_matches_neither() -> None:
    header = "Đơn vị,Mã công việc,Trạng thái,Tỷ lệ hoàn thành (%),Ngày báo cáo,Ghi chú"
    rep = read_report(
        _csv(["Phòng Giáo dục và Đào tạo,t1,Hoàn thành,100,20/03/2021,"], header).encode(),
        "d.csv",
    )
    plan = _twins(same_id=True)
    (change,) = match_reports(plan, rep)
    assert change.task_id is None and "khớp với 2 công việc" in change.message
    # even a change built by hand cannot reach both
    forged = replace(change, task_id="t1")
    with pytest.raises(PlannerError, match="nhiều công việc"):
        apply_reports(plan, [forged])
