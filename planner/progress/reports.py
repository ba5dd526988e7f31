"""Units' progress reports: read CSV/XLSX, preview with per-row checks, match to tasks, apply.

Nothing changes the plan until the caller passes the changes the user accepted to
`apply_reports`. Every message is Vietnamese and names the file and the row.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from planner.errors import InputFileError
from planner.model import STATUS_LABELS, TASK_STATUSES, Plan, Task
from planner.progress.tasks import TaskError, parse_status, to_date, to_progress
from planner.text.clean import clean_line
from planner.text.dates import show_date
from planner.text.decode import decode_csv, guess_delimiter
from planner.text.fold import fold

MAX_REPORT_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
MAX_XLSX_UNCOMPRESSED = 100 * 1024 * 1024
MATCH_THRESHOLD = 75.0


class ReportError(InputFileError):
    """A report file cannot be read at all (type, encoding, missing columns)."""


# column key → Vietnamese header written in templates, and accepted spellings (folded)
COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "task_id": ("Mã công việc", ("ma cong viec", "ma", "ma cv", "id", "task id", "task_id")),
    "task": (
        "Nội dung công việc",
        ("noi dung cong viec", "noi dung", "cong viec", "nhiem vu", "ten cong viec", "task"),
    ),
    "unit": (
        "Đơn vị",
        ("don vi", "don vi bao cao", "ten don vi", "truong", "unit", "don vi thuc hien"),
    ),
    "status": ("Trạng thái", ("trang thai", "tinh trang", "status")),
    "progress": (
        "Tỷ lệ hoàn thành (%)",
        (
            "ty le hoan thanh (%)",
            "ti le hoan thanh (%)",
            "ty le hoan thanh",
            "ti le hoan thanh",
            "% hoan thanh",
            "hoan thanh (%)",
            "tien do (%)",
            "tien do",
            "progress",
            "%",
        ),
    ),
    "date": ("Ngày báo cáo", ("ngay bao cao", "ngay", "date", "ngay cap nhat")),
    "note": ("Ghi chú", ("ghi chu", "note", "nhan xet", "y kien")),
}
LEAD_HEADER = "Đơn vị chủ trì"  # informative column of the template, used when "Đơn vị" is absent


@dataclass(frozen=True)
class ReportRow:
    """One data row of a report, checked; `errors` empty means it can be used."""

    row: int  # row number in the file (the header is row 1 in a CSV)
    unit: str
    task: str
    task_id: str
    status: str | None  # a TASK_STATUSES key
    progress: int | None
    date: date | None
    note: str
    errors: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReportFile:
    name: str
    rows: tuple[ReportRow, ...]
    notes: tuple[str, ...] = ()  # e.g. which encoding was assumed

    @property
    def valid_rows(self) -> list[ReportRow]:
        return [r for r in self.rows if not r.errors]


@dataclass(frozen=True)
class ProposedChange:
    """A report row matched (or not) to a task, with the change it would make."""

    row: ReportRow
    task_id: str | None
    task_title: str
    how: str  # "mã" (exact id), "nội dung" (fuzzy title), "" (no match)
    score: float
    old_status: str | None
    new_status: str | None
    old_progress: int | None
    new_progress: int | None
    message: str = ""

    @property
    def matched(self) -> bool:
        return self.task_id is not None


# ---------------------------------------------------------------- reading


def _find_columns(header: Sequence[Any]) -> dict[str, int]:
    cols: dict[str, int] = {}
    lead_col = None
    for i, h in enumerate(header):
        f = fold(clean_line(str(h or "")))
        f = re.sub(r"\s*\(\s*%\s*\)", " (%)", f).strip()
        if not f:
            continue
        if f in ("don vi chu tri", "chu tri"):
            lead_col = i
            continue
        for key, (_, aliases) in COLUMNS.items():
            if key not in cols and f in aliases:
                cols[key] = i
                break
    if "unit" not in cols and lead_col is not None:
        cols["unit"] = lead_col
    return cols


def _require(cols: dict[str, int], name: str, where: str) -> None:
    missing = []
    if "task" not in cols and "task_id" not in cols:
        missing.append("“Nội dung công việc” (hoặc “Mã công việc”)")
    if "unit" not in cols:
        missing.append("“Đơn vị”")
    if "status" not in cols and "progress" not in cols:
        missing.append("“Trạng thái” hoặc “Tỷ lệ hoàn thành (%)”")
    if missing:
        expected = ", ".join(h for h, _ in COLUMNS.values())
        raise ReportError(
            f"Tệp {name}{where}: thiếu cột {'; '.join(missing)}. "
            f"Các cột cần có: {expected}. Hãy dùng mẫu báo cáo tải về từ trang Tiến độ."
        )


def _cell(values: Sequence[Any], cols: dict[str, int], key: str) -> Any:
    i = cols.get(key)
    if i is None or i >= len(values):
        return None
    return values[i]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean_line(str(value))


def _parse_row(values: Sequence[Any], cols: dict[str, int], row: int, name: str) -> ReportRow:
    where = f"Tệp {name}, dòng {row}"
    errors: list[str] = []
    unit = _text(_cell(values, cols, "unit"))
    task = _text(_cell(values, cols, "task"))
    task_id = _text(_cell(values, cols, "task_id"))
    if not unit:
        errors.append(f"{where}: thiếu tên đơn vị.")
    if not task and not task_id:
        errors.append(f"{where}: thiếu nội dung công việc.")
    status: str | None = None
    raw_status = _text(_cell(values, cols, "status"))
    if raw_status:
        status = parse_status(raw_status)
        if status is None:
            allowed = ", ".join(STATUS_LABELS[s] for s in TASK_STATUSES)
            errors.append(
                f"{where}: trạng thái “{raw_status}” không hợp lệ (ghi một trong: {allowed})."
            )
    progress: int | None = None
    raw_progress = _cell(values, cols, "progress")
    if _text(raw_progress):
        try:
            if (
                isinstance(raw_progress, float)
                and 0 < raw_progress < 1
                and "%" not in str(raw_progress)
            ):
                # an Excel percentage cell holds 0.6 for 60%
                raw_progress = raw_progress * 100
            progress = to_progress(raw_progress, where)
        except TaskError as e:
            errors.append(str(e))
    day: date | None = None
    raw_date = _cell(values, cols, "date")
    try:  # a date or datetime cell as it is, anything else as its text
        day = to_date(
            raw_date if isinstance(raw_date, date) else _text(raw_date), "ngày báo cáo", where
        )
    except TaskError:
        errors.append(
            f"{where}: ngày báo cáo “{_text(raw_date)}” không phải ngày có thật "
            "(ghi dạng dd/mm/yyyy)."
        )
    if status is None and progress is None and not errors:
        errors.append(f"{where}: cần ghi trạng thái hoặc tỷ lệ hoàn thành.")
    if status is None and progress is not None and not raw_status:
        status = "done" if progress == 100 else ("in_progress" if progress > 0 else "planned")
    if progress is None and status == "done":
        progress = 100
    if status == "done" and progress is not None and progress < 100 and not errors:
        errors.append(f"{where}: trạng thái “Hoàn thành” nhưng tỷ lệ hoàn thành mới {progress}%.")
    return ReportRow(
        row=row,
        unit=unit,
        task=task,
        task_id=task_id,
        status=status,
        progress=progress,
        date=day,
        note=_text(_cell(values, cols, "note")),
        errors=tuple(errors),
    )


def _rows_from_table(table: list[list[Any]], name: str, first_row: int = 1) -> ReportFile:
    # the header is the first row (within the first 10) naming at least two known columns
    header_at = None
    for i, values in enumerate(table[:10]):
        if len(_find_columns(values)) >= 2:
            header_at = i
            break
    if header_at is None:
        if not any(any(_text(v) for v in r) for r in table):
            raise ReportError(f"Tệp {name} không có dữ liệu.")
        _require({}, name, "")
    assert header_at is not None
    cols = _find_columns(table[header_at])
    _require(cols, name, f" (dòng tiêu đề {header_at + first_row})")
    rows = []
    filled = [k for k in ("unit", "status", "progress", "date", "note") if k in cols]
    for i, values in enumerate(table[header_at + 1 :], start=header_at + 1 + first_row):
        if not any(_text(v) for v in values):
            continue
        if not any(_text(_cell(values, cols, k)) for k in filled):
            continue  # a template row the unit left blank: nothing reported on that task
        rows.append(_parse_row(values, cols, i, name))
        if len(rows) > MAX_ROWS:
            raise ReportError(f"Tệp {name} có quá nhiều dòng (tối đa {MAX_ROWS}).")
    if not rows:
        raise ReportError(f"Tệp {name} chỉ có dòng tiêu đề, chưa có báo cáo nào.")
    return ReportFile(name, tuple(rows))


def read_csv(data: bytes, name: str) -> ReportFile:
    decoded = decode_csv(data, name, ReportError)
    text = decoded.text
    notes = [decoded.note] if decoded.note else []
    delim = "\t" if decoded.encoding == "UTF-16" else guess_delimiter(text)
    try:
        table = list(csv.reader(io.StringIO(text), delimiter=delim))
    except csv.Error as e:
        raise ReportError(f"Tệp {name}: không đọc được dạng CSV ({e}).") from None
    out = _rows_from_table(table, name)
    return replace(out, notes=tuple(notes))


def _check_zip(data: bytes, name: str) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            total = sum(i.file_size for i in z.infolist())
            names = set(z.namelist())
    except zipfile.BadZipFile:
        raise ReportError(
            f"Tệp {name} không phải tệp Excel .xlsx hợp lệ (tệp .xls cũ: hãy lưu lại dạng .xlsx)."
        ) from None
    if total > MAX_XLSX_UNCOMPRESSED:
        raise ReportError(f"Tệp {name}: nội dung giải nén quá lớn, không mở.")
    if "xl/workbook.xml" not in names:
        raise ReportError(f"Tệp {name} không phải bảng tính Excel (.xlsx).")


def read_xlsx(data: bytes, name: str) -> ReportFile:
    import openpyxl

    _check_zip(data, name)
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for broken files
        raise ReportError(f"Tệp {name}: không mở được bảng tính Excel (tệp hỏng?).") from None
    try:
        sheets = wb.worksheets
        if not sheets:
            raise ReportError(f"Tệp {name} không có trang tính nào.")
        last_error: ReportError | None = None
        for ws in sheets:
            table = []
            for r in ws.iter_rows(values_only=True):
                table.append(list(r))
                if len(table) > MAX_ROWS + 10:
                    raise ReportError(f"Tệp {name} có quá nhiều dòng (tối đa {MAX_ROWS}).")
            try:
                label = name if len(sheets) == 1 else f"{name} (trang “{ws.title}”)"
                out = _rows_from_table(table, label)
                return replace(out, name=name)
            except ReportError as e:
                last_error = e
        assert last_error is not None
        raise last_error
    finally:
        wb.close()


def read_report(data: bytes, name: str) -> ReportFile:
    """Read a report file by its content (XLSX is a zip), CSV otherwise."""
    if not data:
        raise ReportError(f"Tệp {name} trống.")
    if len(data) > MAX_REPORT_BYTES:
        raise ReportError(f"Tệp {name} quá lớn (tối đa {MAX_REPORT_BYTES // 1024 // 1024} MB).")
    lower = name.lower()
    if data[:4] == b"PK\x03\x04":
        return read_xlsx(data, name)
    if lower.endswith((".xlsx", ".xlsm")):
        raise ReportError(f"Tệp {name} không phải tệp Excel .xlsx hợp lệ.")
    if lower.endswith(".xls") or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ReportError(
            f"Tệp {name} là định dạng Excel cũ (.xls); hãy lưu lại dạng .xlsx hoặc CSV UTF-8."
        )
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ReportError(f"Tệp {name} không phải tệp CSV hay Excel (.xlsx).")
    return read_csv(data, name)


# ---------------------------------------------------------------- matching


_UNIT_WORDS = {
    "gddt": "giao duc va dao tao",
    "gd&dt": "giao duc va dao tao",
    "gd-dt": "giao duc va dao tao",
    "pgddt": "phong giao duc va dao tao",
    "th": "tieu hoc",
    "thcs": "trung hoc co so",
    "thpt": "trung hoc pho thong",
    "mn": "mam non",
    "mg": "mau giao",
}


def _unit_key(name: str) -> str:
    """Folded unit name with the usual abbreviations spelt out (Phòng GDĐT, Trường TH…)."""
    return " ".join(_UNIT_WORDS.get(w, w) for w in fold(name).split())


def _unit_matches(unit: str, task: Task) -> bool:
    from rapidfuzz import fuzz

    u = _unit_key(unit)
    for name in (task.lead, *task.support):
        n = _unit_key(name)
        if not n:
            continue
        if u == n or fuzz.token_set_ratio(u, n) >= 85:
            return True
        # a school reporting on a task of "Các đơn vị trường học" / "các trường"
        if u.startswith("truong") and ("truong hoc" in n or n.startswith("cac truong")):
            return True
    return False


def match_reports(plan: Plan, report: ReportFile) -> list[ProposedChange]:
    """Each valid row matched to a task: by exact id first, else by content (fuzzy) and unit.

    Rows with errors and rows that match no task come back unmatched with a message.
    """
    from rapidfuzz import fuzz, process

    by_id: dict[str, Task] = {}
    shared_ids: set[str] = set()  # an id two tasks hold: a row naming it matches neither
    for t in plan.tasks:
        if t.id in by_id:
            shared_ids.add(t.id)
        by_id.setdefault(t.id, t)
    titles = {i: fold(t.title) for i, t in enumerate(plan.tasks)}
    out = []
    for r in report.rows:
        if r.errors:
            out.append(ProposedChange(r, None, "", "", 0, None, None, None, None, r.errors[0]))
            continue
        task: Task | None = by_id.get(r.task_id) if r.task_id else None
        how, score = ("mã", 100.0) if task else ("", 0.0)
        message = ""
        ambiguous: list[Task] = []
        if task is not None and task.id in shared_ids:
            ambiguous = [t for t in plan.tasks if t.id == task.id]
            task = None
        elif task is None and r.task:
            q = fold(r.task)
            scored = process.extract(q, titles, scorer=fuzz.token_set_ratio, limit=5)
            ranked = sorted(
                (
                    (s + (5 if _unit_matches(r.unit, plan.tasks[i]) else 0), s, i)
                    for _title, s, i in scored
                    if s >= MATCH_THRESHOLD
                ),
                key=lambda x: (-x[0], x[2]),
            )
            if ranked:
                top = [x for x in ranked if x[0] == ranked[0][0]]
                if len(top) > 1:
                    ambiguous = [plan.tasks[x[2]] for x in top]
                else:
                    task, how, score = plan.tasks[top[0][2]], "nội dung", float(top[0][1])
        if ambiguous:
            names = "; ".join(f"“{_short(t.title)}” (mã {t.id})" for t in ambiguous[:3])
            message = (
                f"Dòng {r.row}: khớp với {len(ambiguous)} công việc như nhau ({names}); "
                "chưa nhận dòng này, hãy ghi rõ mã công việc."
            )
            out.append(
                ProposedChange(r, None, "", "", 0, None, r.status, None, r.progress, message)
            )
            continue
        if task is None:
            message = f"Dòng {r.row}: không tìm thấy công việc tương ứng trong kế hoạch."
            if r.task_id and r.task_id not in by_id:
                message = f"Dòng {r.row}: không có công việc mã “{r.task_id}” trong kế hoạch."
            out.append(
                ProposedChange(r, None, "", "", 0, None, r.status, None, r.progress, message)
            )
            continue
        if not _unit_matches(r.unit, task):
            message = (
                f"Dòng {r.row}: đơn vị “{r.unit}” không phải đơn vị chủ trì hay phối hợp của "
                "công việc này; hãy kiểm tra trước khi nhận."
            )
        out.append(
            ProposedChange(
                r,
                task.id,
                task.title,
                how,
                score,
                task.status,
                r.status,
                task.progress,
                r.progress,
                message,
            )
        )
    return out


def _short(text: str, n: int = 40) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


# ---------------------------------------------------------------- applying


def _aggregate(reports: list[dict[str, Any]]) -> tuple[str, int]:
    """Status and % done of a task from the latest report of each unit."""
    latest: dict[str, dict[str, Any]] = {}
    for rep in reports:
        key = fold(str(rep.get("unit", "")))
        prev = latest.get(key)
        if prev is None or str(rep.get("date") or "") >= str(prev.get("date") or ""):
            latest[key] = rep
    reps = list(latest.values())
    progress = round(sum(int(r.get("progress") or 0) for r in reps) / len(reps))
    statuses = [r.get("status") for r in reps]
    if all(s == "done" for s in statuses):
        return "done", 100
    if all(s == "cancelled" for s in statuses):
        return "cancelled", progress
    live = [s for s in statuses if s != "cancelled"]
    if any(s in ("in_progress", "done") for s in live) or progress > 0:
        return "in_progress", min(progress, 99)
    return "planned", progress


def apply_reports(plan: Plan, accepted: Sequence[ProposedChange]) -> Plan:
    """The plan with the accepted reports recorded on their tasks.

    Each task keeps its reports in `extra["reports"]` (one per unit and date; a new report
    from the same unit and date replaces the old one). Its status and % done become those of
    the single reporting unit, or, when several units report, the mean of their latest
    reports (done only when all are done).
    """
    changes: dict[str, list[ProposedChange]] = {}
    for c in accepted:
        if c.task_id is None or c.row.errors:
            continue
        changes.setdefault(c.task_id, []).append(c)
    missing = [tid for tid in changes if tid not in {t.id for t in plan.tasks}]
    if missing:
        raise TaskError(f"Không tìm thấy công việc mã “{missing[0]}” trong kế hoạch.")
    held = [t.id for t in plan.tasks]
    shared = [tid for tid in changes if held.count(tid) > 1]
    if shared:
        raise TaskError(
            f"Mã công việc “{shared[0]}” có ở nhiều công việc; báo cáo không được ghi vào "
            "công việc nào. Hãy sửa để mỗi công việc có một mã riêng."
        )
    tasks = []
    for t in plan.tasks:
        if t.id not in changes:
            tasks.append(t)
            continue
        reports = [dict(x) for x in t.extra.get("reports", []) if isinstance(x, dict)]
        for c in changes[t.id]:
            r = c.row
            entry = {
                "unit": r.unit,
                "date": r.date.isoformat() if r.date else None,
                "status": r.status,
                "progress": r.progress if r.progress is not None else t.progress,
                "note": r.note,
            }
            reports = [
                x
                for x in reports
                if not (
                    fold(str(x.get("unit", ""))) == fold(r.unit) and x.get("date") == entry["date"]
                )
            ]
            reports.append(entry)
        status, progress = _aggregate(reports)
        tasks.append(
            replace(t, status=status, progress=progress, extra={**t.extra, "reports": reports})
        )
    return replace(plan, tasks=tuple(tasks))


# ---------------------------------------------------------------- templates


TEMPLATE_HEADERS = (
    "Mã công việc",
    "Nội dung công việc",
    LEAD_HEADER,
    "Hạn hoàn thành",
    "Đơn vị",
    "Trạng thái",
    "Tỷ lệ hoàn thành (%)",
    "Ngày báo cáo",
    "Ghi chú",
)


def _template_rows(plan: Plan) -> list[list[str]]:
    return [
        [t.id, t.title, t.lead, show_date(t.due), "", "", "", "", ""]
        for t in plan.tasks
        if t.status != "cancelled"
    ]


def _csv_safe(value: str) -> str:
    """A cell Excel will never run as a formula (`=`, `+`, `-`, `@` get a leading `'`)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def report_template_csv(plan: Plan) -> bytes:
    """The blank report as CSV, UTF-8 with BOM (Excel shows the Vietnamese letters right)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(TEMPLATE_HEADERS)
    w.writerows([[_csv_safe(c) for c in row] for row in _template_rows(plan)])
    return b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8")


def report_template_xlsx(plan: Plan) -> bytes:
    """The blank report as XLSX: the plan's tasks listed, drop-downs for status and %."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = Workbook()
    ws = wb.active
    ws.title = "Báo cáo tiến độ"
    ws.append(list(TEMPLATE_HEADERS))
    for row in _template_rows(plan):
        ws.append(row)
        for cell in ws[ws.max_row]:
            if cell.data_type == "f":  # text that starts with "=" stays text
                cell.data_type = "s"
    bold = Font(bold=True, name="Times New Roman", size=12)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for cell in ws[1]:
        cell.font = bold
        cell.fill = fill
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    widths = (14, 60, 28, 16, 30, 20, 14, 16, 30)
    for i, wdt in enumerate(widths):
        ws.column_dimensions[chr(ord("A") + i)].width = wdt
    for row in ws.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.font = Font(name="Times New Roman", size=12)
    ws.freeze_panes = "A2"
    last = max(ws.max_row, 200)
    labels = ",".join(STATUS_LABELS[s] for s in TASK_STATUSES)
    dv_status = DataValidation(
        type="list",
        formula1=f'"{labels}"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Trạng thái",
        error="Chọn một trạng thái trong danh sách.",
    )
    dv_pct = DataValidation(
        type="whole",
        operator="between",
        formula1="0",
        formula2="100",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Tỷ lệ hoàn thành",
        error="Nhập số nguyên từ 0 đến 100.",
    )
    dv_date = DataValidation(
        type="date",
        operator="greaterThan",
        formula1="1",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Ngày báo cáo",
        error="Nhập ngày dạng dd/mm/yyyy.",
    )
    for dv, col in ((dv_status, "F"), (dv_pct, "G"), (dv_date, "H")):
        ws.add_data_validation(dv)
        dv.add(f"{col}2:{col}{last}")
    for r in range(2, last + 1):
        ws[f"H{r}"].number_format = "DD/MM/YYYY"
    guide = wb.create_sheet("Hướng dẫn")
    lines = [
        f"Mẫu báo cáo tiến độ: {plan.title}",
        "",
        "Cách điền:",
        "1. Ghi tên đơn vị của mình ở cột “Đơn vị”.",
        "2. Chọn trạng thái: " + ", ".join(STATUS_LABELS[s] for s in TASK_STATUSES) + ".",
        "3. Ghi tỷ lệ hoàn thành từ 0 đến 100 (không cần dấu %).",
        "4. Ghi ngày báo cáo dạng dd/mm/yyyy.",
        "5. Không sửa cột “Mã công việc”: chương trình dùng mã này để ghép báo cáo với công việc.",
        "Có thể xóa các dòng công việc mà đơn vị không tham gia.",
    ]
    for line in lines:
        guide.append([line])
    guide.column_dimensions["A"].width = 100
    guide["A1"].font = Font(bold=True, size=13)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
