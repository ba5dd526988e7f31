"""Tasks of a plan: suggestions from the text, validation, edits, figures and the schedule.

Suggestions come from the *Tổ chức thực hiện* section (each unit's items) and from every
schedule table in the plan (`table_suggestions`: a table whose header names the task column
and its lead unit or time, however it words them), with their deadlines; a time with no date
(`Thường xuyên`, `Hàng năm`) leaves `due` empty and says so in `extra["recurrence"]`.

Everything here is pure: a Plan goes in, a new Plan (or plain data) comes out. "Today" is
always passed in by the caller; overdue is computed with `Task.is_overdue(today)`, never stored.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Any

from planner.errors import PlannerError
from planner.model import STATUS_LABELS, TASK_STATUSES, Plan, Section, Task
from planner.text.clean import clean_line
from planner.text.dates import (
    DateError,
    make_date,
    parse_date,
    period_of,
    recurrence,
    show_date,
)
from planner.text.fold import fold, fold_same_length
from planner.text.numbering import from_roman

MAX_TITLE = 2000


class TaskError(PlannerError):
    """A task edit is not acceptable (empty content, due before start, bad status…)."""


# ---------------------------------------------------------------- small helpers


# The name the progress pages import.
fmt_date = show_date


def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status)


_LABEL_TO_STATUS = {fold(v): k for k, v in STATUS_LABELS.items()}
_STATUS_ALIASES = {
    "da hoan thanh": "done",
    "xong": "done",
    "hoan tat": "done",
    "dang trien khai": "in_progress",
    "dang lam": "in_progress",
    "chua thuc hien": "planned",
    "chua trien khai": "planned",
    "ke hoach": "planned",
    "huy": "cancelled",
    "da huy bo": "cancelled",
    "huy bo": "cancelled",
    "khong thuc hien": "cancelled",
}


def parse_status(value: str) -> str | None:
    """A status key from a key (`in_progress`) or a Vietnamese label (`Đang thực hiện`)."""
    v = fold(str(value))
    if not v:
        return None
    if v in TASK_STATUSES:
        return v
    v2 = v.replace(" ", "_")
    if v2 in TASK_STATUSES:
        return v2
    return _LABEL_TO_STATUS.get(v) or _STATUS_ALIASES.get(v)


def new_task_id(existing: Iterable[str]) -> str:
    """A fresh id `tN`, N one more than the largest used (never reuses one in the list)."""
    used = set(existing)
    top = 0
    for tid in used:
        m = re.fullmatch(r"t(\d+)", tid)
        if m:
            top = max(top, int(m.group(1)))
    n = top + 1
    while f"t{n}" in used:
        n += 1
    return f"t{n}"


# ---------------------------------------------------------------- deadlines in text

_D = r"(\d{1,2})\s*[/.-]\s*(\d{1,2})(?:\s*[/.-]\s*(\d{4}))?"


@dataclass(frozen=True)
class Deadline:
    """Dates found in a sentence: `due` (and `start` when the text gives a range)."""

    start: date | None
    due: date
    phrase: str


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def find_deadlines(text: str, year: int) -> list[Deadline]:
    """Deadlines written in `text`; a date without a year takes the plan's `year`.

    Understood: `trước ngày 25/11`, `chậm nhất ngày 25/11/2021`, `hạn chót 25/11`,
    `từ ngày 01/9 đến ngày 30/9`, `tháng 12/2021`, `trong tháng 12`, `quý III (năm 2021)`,
    `6 tháng đầu năm`, `ngày 25 tháng 11 năm 2021`.
    """
    if year <= 0:
        return []
    f = fold_same_length(text)
    found: list[tuple[int, Deadline]] = []
    taken: list[tuple[int, int]] = []

    def add(m: re.Match[str], start: date | None, due: date | None) -> None:
        if due is None or (start is not None and start > due):
            return
        if any(a < m.end() and m.start() < b for a, b in taken):
            return
        taken.append((m.start(), m.end()))
        found.append((m.start(), Deadline(start, due, text[m.start() : m.end()].strip())))

    def ymd(d: str, m: str, y: str | None) -> date | None:
        return make_date(int(y) if y else year, int(m), int(d))

    # a range: từ (ngày) 01/9 đến (ngày) 30/9
    for m in re.finditer(rf"tu (?:ngay )?{_D}\s*(?:den|-)\s*(?:ngay )?{_D}", f):
        g = m.groups()
        add(m, ymd(g[0], g[1], g[2] or g[5]), ymd(g[3], g[4], g[5]))
    # a month range: từ tháng 9 đến tháng 12(/2021)
    for m in re.finditer(
        r"tu thang (\d{1,2})(?:\s*/\s*(\d{4}))? (?:den|-) thang (\d{1,2})(?:\s*/\s*(\d{4}))?", f
    ):
        m1, y1, m2, y2 = m.groups()
        ya, yb = int(y1 or y2 or year), int(y2 or year)
        if 1 <= int(m1) <= 12 and 1 <= int(m2) <= 12:
            add(m, date(ya, int(m1), 1), _month_end(yb, int(m2)))
    # a deadline: trước / chậm nhất / hạn chót / đến / hoàn thành (ngày) dd/mm(/yyyy)
    for m in re.finditer(
        rf"\b(?:truoc|cham nhat(?: la)?|han chot(?: la)?|han cuoi|den|hoan thanh)"
        rf"(?: ngay)?\s*:?\s*{_D}",
        f,
    ):
        d, mo, y = m.groups()
        add(m, None, ymd(d, mo, y))
    # ngày 25 tháng 11 (năm 2021)
    for m in re.finditer(r"ngay (\d{1,2}) thang (\d{1,2})(?: nam (\d{4}))?", f):
        d, mo, y = m.groups()
        add(m, None, ymd(d, mo, y))
    # a month: (trong) tháng 12/2021, tháng 12 năm 2021, trong tháng 12
    for m in re.finditer(r"(?:trong )?thang (\d{1,2})(?:\s*(?:/|nam)\s*(\d{4}))?", f):
        mo, y = m.groups()
        if not (1 <= int(mo) <= 12):
            continue
        if y is None and not m.group(0).startswith("trong"):
            # "tháng 12" alone is too loose unless a year or "trong" makes it a time
            continue
        yy = int(y) if y else year
        add(m, date(yy, int(mo), 1), _month_end(yy, int(mo)))
    # a quarter: quý III (năm 2021), quý 3/2021
    for m in re.finditer(r"quy (iv|iii|ii|i|[1-4])\b(?:\s*(?:/|nam)\s*(\d{4}))?", f):
        q = int(m.group(1)) if m.group(1).isdigit() else from_roman(m.group(1).upper())
        yy = int(m.group(2)) if m.group(2) else year
        add(m, date(yy, 3 * q - 2, 1), _month_end(yy, 3 * q))
    # half years
    for m in re.finditer(r"6 thang (dau|cuoi) nam", f):
        if m.group(1) == "dau":
            add(m, date(year, 1, 1), date(year, 6, 30))
        else:
            add(m, date(year, 7, 1), date(year, 12, 31))
    # a bare dd/mm/yyyy date after "ngày"
    for m in re.finditer(rf"ngay {_D}", f):
        d, mo, y = m.groups()
        if y:
            add(m, None, ymd(d, mo, y))
    return [dl for _, dl in sorted(found, key=lambda x: x[0])]


_RECURRING = ("thuong xuyen", "dinh ky", "hang thang", "hang quy", "hang tuan")


def is_recurring(text: str) -> bool:
    f = fold(text)
    return any(w in f for w in _RECURRING)


# ---------------------------------------------------------------- suggestions


@dataclass(frozen=True)
class Suggestion:
    """A task proposed from the plan's text; the user accepts it or not."""

    task: Task
    source: str  # the sentence it came from
    section_title: str  # the unit's subsection title
    deadline: str = ""  # the phrase the due date came from, if any
    recurrence: str = ""  # a time with no date: "Thường xuyên", "Hàng năm"…


def _implementation_section(plan: Plan) -> tuple[str, Section] | None:
    for path, s in plan.iter_sections():
        if "to chuc thuc hien" in fold(s.title):
            return path, s
    return None


def _items(section: Section) -> list[str]:
    items = [b.text for b in section.blocks if b.kind in ("dash", "plus") and b.text.strip()]
    if not items:
        items = [b.text for b in section.blocks if b.kind == "paragraph" and b.text.strip()]
    return items


def _title_of(text: str) -> str:
    t = clean_line(text)
    return t.rstrip(" .;,")[:MAX_TITLE]


def _unit_name(title: str) -> str:
    t = clean_line(title).rstrip(" .:;")
    return t[:1].upper() + t[1:] if t else t


def suggest_tasks(plan: Plan) -> list[Suggestion]:
    """Tasks proposed from *TỔ CHỨC THỰC HIỆN* (each unit's items, led by that unit) and from
    every schedule table of the plan (see `table_suggestions`).

    Returns nothing when the plan already has tasks. The plan is not changed: the caller
    shows the list and adds only what the user accepts.
    """
    if plan.tasks:
        return []
    out = _implementation_suggestions(plan)
    seen = {fold(s.task.title) for s in out}
    for path, section, rows in schedule_tables(plan):
        for sugg in table_suggestions(rows, plan.meta.year, section=path, title=section):
            if fold(sugg.task.title) in seen:
                continue
            seen.add(fold(sugg.task.title))
            out.append(sugg)
    ids: list[str] = []
    renumbered = []
    for sugg in out:
        tid = new_task_id(ids)
        ids.append(tid)
        renumbered.append(replace(sugg, task=replace(sugg.task, id=tid)))
    return renumbered


def _implementation_suggestions(plan: Plan) -> list[Suggestion]:
    found = _implementation_section(plan)
    if found is None:
        return []
    path, impl = found
    groups: list[tuple[str, str, list[str]]] = []
    for child in impl.children:
        groups.append((f"{path}.{child.number}", _unit_name(child.title), _items(child)))
    if not impl.children:
        default_unit = _unit_name(plan.meta.authority.capitalize()) if plan.meta.authority else ""
        groups.append((path, default_unit, _items(impl)))
    units = [u for _, u, _ in groups if u]
    out: list[Suggestion] = []
    used: list[str] = []
    for sec_path, unit, items in groups:
        for text in items:
            title = _title_of(text)
            if not title:
                continue
            deadlines = find_deadlines(text, plan.meta.year)
            start = due = None
            phrase = ""
            if deadlines:
                last = max(deadlines, key=lambda d: d.due)
                due, start, phrase = last.due, last.start, last.phrase
            support = tuple(
                u for u in units if u != unit and fold(u) in fold(text) and fold(u) != fold(unit)
            )
            tid = new_task_id(used)
            used.append(tid)
            extra: dict[str, Any] = {"origin": "suggested"}
            if is_recurring(text) and not (start and due):
                extra["recurring"] = True
            task = Task(
                id=tid,
                title=title,
                lead=unit,
                support=support,
                start=start,
                due=due,
                status="planned",
                progress=0,
                section=sec_path,
                extra=extra,
            )
            out.append(Suggestion(task, clean_line(text), unit, phrase))
    return out


# ---------------------------------------------------------------- schedule tables

# Column kinds by the words of their header (folded), tried in this order: "Thời gian thực
# hiện" is a time, "Đơn vị phối hợp" a support column, "Kết quả thực hiện" a product, "Nội
# dung thực hiện" the task, and only then "Đơn vị thực hiện" the lead.
_COLUMN_WORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("tt", ("tt", "stt", "so tt", "so thu tu")),
    ("time", ("thoi gian", "thoi han", "tien do", "thoi diem", "han hoan thanh")),
    ("support", ("phoi hop",)),
    ("product", ("san pham", "ket qua")),
    ("title", ("nhiem vu", "noi dung", "cong viec", "hoat dong", "giai phap")),
    ("lead", ("chu tri", "thuc hien", "phu trach", "don vi", "bo phan", "trach nhiem")),
)
_HEADER_ROWS = 3  # a schedule's header is among its first rows
_COLUMN_NUMBERS = re.compile(r"^\(?[\dA-Za-z]{1,2}\)?$")  # "(1)", "1", "(A)"
_GROUP_LABEL = re.compile(r"^([IVXLC]+|[A-Z])[.)]\s")  # "I. CÔNG TÁC …", "A. …"


def column_kind(header: str) -> str | None:
    """What a schedule column holds, from its header text: "tt", "time", "support",
    "product", "title" or "lead"; None for anything else (Ghi chú, Kinh phí, Số lớp…)."""
    f = " ".join(words_of(header))
    if not f:
        return None
    for kind, words in _COLUMN_WORDS:
        if kind == "tt":
            if f in words:
                return kind
            continue
        if any(f == w or f.startswith(w + " ") or f" {w}" in f" {f}" for w in words):
            return kind
    return None


def words_of(text: str) -> list[str]:
    """The folded words of a cell, punctuation dropped."""
    return re.findall(r"[a-z0-9]+", fold(text))


def _header(rows: Sequence[Sequence[str]]) -> tuple[int, list[str | None]] | None:
    """(index of the first data row, the kind of each column) for a schedule table, or None
    when no header among the first rows names a task column and its lead unit or time."""
    for i, row in enumerate(rows[:_HEADER_ROWS]):
        kinds = [column_kind(c) for c in row]
        if "title" not in kinds or not ({"lead", "time"} & set(kinds)):
            continue
        start = i + 1
        t = kinds.index("title")
        if start < len(rows):
            # A two-row header: "Đơn vị thực hiện" over "Chủ trì | Phối hợp", the task
            # column merged down (empty or repeated below).
            nxt = list(rows[start])
            below = [column_kind(c) for c in nxt]
            task_cell = nxt[t].strip() if t < len(nxt) else ""
            if (
                any(k in ("lead", "support") for k in below)
                and task_cell in ("", row[t].strip())
                and not any(_long_text(c) for c in nxt)
            ):
                kinds = [
                    (below[c] if c < len(below) and below[c] else k) for c, k in enumerate(kinds)
                ]
                start += 1
        return start, kinds
    return None


def _long_text(cell: str) -> bool:
    return len(words_of(cell)) > 6


def _is_skipped_row(row: Sequence[str], title: str, others: Sequence[str]) -> bool:
    """Rows that are no task: empty, the column numbers "(1) (2) (3)", a merged group heading
    ("I. CÔNG TÁC CHUYÊN MÔN" across the row, or alone with no unit and no time)."""
    filled = [c.strip() for c in row if c.strip()]
    if not filled or not title:
        return True
    if all(_COLUMN_NUMBERS.match(c) for c in filled):
        return True
    if len(set(filled)) == 1 and len(filled) > 1:
        return True  # one merged cell repeated across the row
    heading = _GROUP_LABEL.match(title) is not None or (
        title == title.upper() and any(ch.isalpha() for ch in title)
    )
    return heading and not any(o.strip() for o in others)


def table_suggestions(
    rows: Sequence[Sequence[str]], year: int, *, section: str | None = None, title: str = ""
) -> list[Suggestion]:
    """Tasks proposed from one schedule table (rows of cell texts, header first), wherever it
    stands (`section`: the path of the section holding it, `title` its title, for the user).

    Columns are recognised by their headers (see `column_kind`); the TT column, however
    numbered, is ignored. Each row with a task gives one suggestion: lead from the lead
    column, support units from the support column, the deadline from the time column
    (`Quý II/2026`, `tháng 5/2026`, `trước ngày 25/11`, `Xong trong Quý II/2026`; a date
    without a year takes `year`). `Thường xuyên`, `Hàng năm` and the like give no date: `due`
    stays empty and `extra["recurrence"]` and `Suggestion.recurrence` say which. A table
    whose header names no task column with a unit or a time (a Biểu of figures) gives
    nothing. Task ids are provisional (`suggest_tasks` renumbers).
    """
    head = _header(rows)
    if head is None:
        return []
    start, kinds = head

    def col(row: Sequence[str], kind: str) -> str:
        cells = [row[i] for i, k in enumerate(kinds) if k == kind and i < len(row)]
        return clean_line(" ".join(c for c in cells if c.strip()))

    out: list[Suggestion] = []
    where = f"bảng ở mục {section}" if section else "bảng"
    for n, row in enumerate(rows[start:], start=start + 1):
        task_title = _title_of(col(row, "title"))
        others = [col(row, k) for k in ("lead", "support", "time", "product")]
        if _is_skipped_row(row, task_title, others):
            continue
        lead, support_text, when, product = others
        units = split_units(support_text)
        start_d, due, phrase, every = _when(when, year)
        extra: dict[str, Any] = {"origin": "suggested", "source": "table"}
        if every:
            extra["recurrence"] = every
            extra["recurring"] = True
        if product:
            extra["product"] = product
        if when and not (due or every):
            extra["time_text"] = when
        task = Task(
            id=f"t{len(out) + 1}",
            title=task_title,
            lead=lead,
            support=tuple(u for u in units if fold(u) != fold(lead)),
            start=start_d,
            due=due,
            status="planned",
            progress=0,
            section=section,
            extra=extra,
        )
        out.append(
            Suggestion(task, f"{where.capitalize()}, dòng {n}: {task_title}", title or lead,
                       phrase, every or "")
        )  # fmt: skip
    return out


def _when(text: str, year: int) -> tuple[date | None, date | None, str, str | None]:
    """(start, due, the phrase read, recurrence) of a time cell."""
    if not text.strip():
        return None, None, "", None
    found = find_deadlines(text, year)
    if found:
        last = max(found, key=lambda d: d.due)
        return last.start, last.due, last.phrase, None
    period = period_of(text, year)
    if period is not None:
        return period[0], period[1], clean_line(text), None
    return None, None, "", recurrence(text)


def schedule_tables(plan: Plan) -> Iterable[tuple[str, str, tuple[tuple[str, ...], ...]]]:
    """(section path, section title, rows) of every table block in the plan's sections."""
    for path, s in plan.iter_sections():
        for b in s.blocks:
            if b.kind == "table" and b.rows:
                yield path, s.title, b.rows


def accept_suggestions(plan: Plan, accepted: Sequence[Suggestion]) -> Plan:
    """Add the accepted suggestions as tasks, each with a fresh id."""
    tasks = list(plan.tasks)
    for s in accepted:
        t = replace(s.task, id=new_task_id(x.id for x in tasks))
        validate_task(t)
        tasks.append(t)
    return replace(plan, tasks=tuple(tasks))


# ---------------------------------------------------------------- validation and edits


def _name(task: Task, where: str = "") -> str:
    short = task.title if len(task.title) <= 60 else task.title[:57] + "…"
    label = f"“{short}”" if short else f"mã {task.id}"
    return f"Công việc {label}{where}"


def validate_task(task: Task, *, where: str = "") -> None:
    """Raise TaskError (Vietnamese, naming the task) when the task cannot be kept."""
    if not task.id.strip():
        raise TaskError(f"{_name(task, where)}: thiếu mã công việc.")
    if not task.title.strip():
        raise TaskError(f"Công việc{where or ' mã ' + task.id}: nội dung công việc đang trống.")
    if len(task.title) > MAX_TITLE:
        raise TaskError(f"{_name(task, where)}: nội dung quá dài (tối đa {MAX_TITLE} ký tự).")
    if task.status not in TASK_STATUSES:
        allowed = ", ".join(STATUS_LABELS[s] for s in TASK_STATUSES)
        raise TaskError(
            f"{_name(task, where)}: trạng thái “{task.status}” không hợp lệ (chọn một trong: "
            f"{allowed})."
        )
    if isinstance(task.progress, bool) or not isinstance(task.progress, int):
        raise TaskError(f"{_name(task, where)}: tỷ lệ hoàn thành phải là số nguyên từ 0 đến 100.")
    if not 0 <= task.progress <= 100:
        raise TaskError(
            f"{_name(task, where)}: tỷ lệ hoàn thành {task.progress}% không hợp lệ "
            "(phải từ 0 đến 100)."
        )
    if task.start and task.due and task.due < task.start:
        raise TaskError(
            f"{_name(task, where)}: hạn hoàn thành {show_date(task.due)} trước ngày bắt đầu "
            f"{show_date(task.start)}."
        )


def settle_progress(task: Task, before: Task | None = None) -> Task:
    """`task` with its status and percentage made to agree (a cancelled task is left as is).

    *Hoàn thành* means 100 %; 100 % means *Hoàn thành*; a percentage above 0 is not *Chưa bắt
    đầu* but *Đang thực hiện*. `before` is the task as saved: when only one of the two was
    changed, that one wins: a status picked alone sets the percentage (*Chưa bắt đầu* 0 %,
    *Hoàn thành* 100 %; a finished task reopened as *Đang thực hiện* at 100 % raises TaskError
    asking for the real percentage), a percentage typed alone sets the status (100 %
    *Hoàn thành*, 1-99 % *Đang thực hiện*, 0 % on a finished task *Chưa bắt đầu*).
    """
    if task.status == "cancelled":
        return task
    p = task.progress
    if before is not None:
        status_changed = before.status != task.status
        progress_changed = before.progress != p
        if status_changed and not progress_changed:
            if task.status == "planned":
                return replace(task, progress=0)
            if task.status == "in_progress" and p >= 100:
                raise TaskError(
                    f"{_name(task)}: đã chuyển về “{STATUS_LABELS['in_progress']}” nên cần nhập "
                    "tỷ lệ hoàn thành thực tế (dưới 100%)."
                )
        elif progress_changed and not status_changed:
            if 0 < p < 100:
                return replace(task, status="in_progress")
            if p == 0 and task.status == "done":
                return replace(task, status="planned")
    if task.status == "done" or p >= 100:
        return replace(task, status="done", progress=100)
    if task.status == "planned" and p > 0:
        return replace(task, status="in_progress")
    return task


def _check_unique(tasks: Sequence[Task]) -> None:
    seen: set[str] = set()
    for t in tasks:
        if t.id in seen:
            raise TaskError(f"Mã công việc “{t.id}” bị trùng; mỗi công việc cần một mã riêng.")
        seen.add(t.id)


def add_task(plan: Plan, task: Task) -> Plan:
    """Append `task` (a fresh id is given when its id is empty or already used)."""
    ids = [t.id for t in plan.tasks]
    if not task.id or task.id in ids:
        task = replace(task, id=new_task_id(ids))
    validate_task(task)
    return replace(plan, tasks=(*plan.tasks, task))


def update_task(plan: Plan, task: Task) -> Plan:
    """Replace the task with the same id."""
    validate_task(task)
    if not any(t.id == task.id for t in plan.tasks):
        raise TaskError(f"Không tìm thấy công việc mã “{task.id}” trong kế hoạch.")
    return replace(plan, tasks=tuple(task if t.id == task.id else t for t in plan.tasks))


def remove_task(plan: Plan, task_id: str) -> Plan:
    if not any(t.id == task_id for t in plan.tasks):
        raise TaskError(f"Không tìm thấy công việc mã “{task_id}” trong kế hoạch.")
    return replace(plan, tasks=tuple(t for t in plan.tasks if t.id != task_id))


def set_tasks(plan: Plan, tasks: Sequence[Task]) -> Plan:
    """Replace the whole task list after validating every task and the ids' uniqueness."""
    for i, t in enumerate(tasks):
        validate_task(t, where=f" (dòng {i + 1})")
    _check_unique(tasks)
    return replace(plan, tasks=tuple(tasks))


# ---------------------------------------------------------------- table rows (editor)

TABLE_COLUMNS = ("id", "title", "lead", "support", "start", "due", "status", "progress")


def split_units(value: Any) -> tuple[str, ...]:
    """`"Trường A; Trường B"` → ("Trường A", "Trường B"); also accepts a list."""
    if isinstance(value, (list, tuple)):
        parts = [str(x) for x in value if not _is_blank(x)]
    elif _is_blank(value):
        return ()
    else:
        parts = re.split(r"[;\n]", str(value))
    out = []
    for p in parts:
        p = clean_line(p)
        if p and p not in out:
            out.append(p)
    return tuple(out)


def _is_blank(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and value != value:
        return True
    try:
        import pandas as pd

        if value is pd.NaT or (not isinstance(value, str) and bool(pd.isna(value))):
            return True
    except (TypeError, ValueError):
        pass
    return isinstance(value, str) and not value.strip()


def to_date(value: Any, what: str, where: str) -> date | None:
    """A date from a date/datetime/Timestamp or a text `parse_date` reads; blank → None."""
    if _is_blank(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if hasattr(value, "to_pydatetime"):
        day: date = value.to_pydatetime().date()
        return day
    s = str(value).strip()
    try:
        return parse_date(s)
    except DateError:
        raise TaskError(
            f"{where}: {what} “{s}” không phải ngày hợp lệ (ghi dạng dd/mm/yyyy)."
        ) from None


def to_progress(value: Any, where: str) -> int:
    if _is_blank(value):
        return 0
    s = str(value).strip().rstrip("%").strip().replace(",", ".")
    try:
        f = float(s)
    except ValueError:
        raise TaskError(f"{where}: tỷ lệ hoàn thành “{value}” không phải là số.") from None
    if f != f or not 0 <= f <= 100:
        raise TaskError(f"{where}: tỷ lệ hoàn thành {s}% không hợp lệ (phải từ 0 đến 100).")
    return round(f)


def tasks_to_rows(tasks: Sequence[Task]) -> list[dict[str, Any]]:
    """Rows for an editable table: units joined by "; ", status as its Vietnamese label."""
    return [
        {
            "id": t.id,
            "title": t.title,
            "lead": t.lead,
            "support": "; ".join(t.support),
            "start": t.start,
            "due": t.due,
            "status": status_label(t.status),
            "progress": t.progress,
        }
        for t in tasks
    ]


def tasks_from_rows(rows: Sequence[Mapping[str, Any]], previous: Sequence[Task]) -> list[Task]:
    """Tasks from edited table rows; rows without an id are new tasks (fresh ids).

    A row keeps what the table does not show (section, extra) from the task with its id.
    Every problem raises TaskError naming the row (“dòng 3”).
    """
    by_id = {t.id: t for t in previous}
    ids = [t.id for t in previous]
    out: list[Task] = []
    for i, row in enumerate(rows):
        where = f"Dòng {i + 1}"
        tid = "" if _is_blank(row.get("id")) else str(row.get("id")).strip()
        title = "" if _is_blank(row.get("title")) else clean_line(str(row.get("title")))
        status_raw = row.get("status")
        status = "planned" if _is_blank(status_raw) else parse_status(str(status_raw))
        if status is None:
            allowed = ", ".join(STATUS_LABELS[s] for s in TASK_STATUSES)
            raise TaskError(
                f"{where}: trạng thái “{status_raw}” không hợp lệ (chọn một trong: {allowed})."
            )
        base = by_id.get(tid)
        if not tid or tid in {t.id for t in out}:
            tid = new_task_id([*ids, *(t.id for t in out)])
        task = Task(
            id=tid,
            title=title,
            lead="" if _is_blank(row.get("lead")) else clean_line(str(row.get("lead"))),
            support=split_units(row.get("support")),
            start=to_date(row.get("start"), "ngày bắt đầu", where),
            due=to_date(row.get("due"), "hạn hoàn thành", where),
            status=status,
            progress=to_progress(row.get("progress"), where),
            section=base.section if base else None,
            extra=dict(base.extra) if base else {},
        )
        if not task.title:
            raise TaskError(f"{where}: nội dung công việc đang trống.")
        validate_task(task, where=f" ({where.lower()})")
        out.append(task)
    _check_unique(out)
    return out


# ---------------------------------------------------------------- figures and filters


@dataclass(frozen=True)
class Summary:
    total: int
    done: int
    in_progress: int
    planned: int
    cancelled: int
    overdue: int
    mean_progress: float  # over tasks that are not cancelled; 0 when none


def summarize(tasks: Sequence[Task], today: date) -> Summary:
    counts = dict.fromkeys(TASK_STATUSES, 0)
    for t in tasks:
        counts[t.status] = counts.get(t.status, 0) + 1
    live = [t for t in tasks if t.status != "cancelled"]
    mean = sum(t.progress for t in live) / len(live) if live else 0.0
    return Summary(
        total=len(tasks),
        done=counts["done"],
        in_progress=counts["in_progress"],
        planned=counts["planned"],
        cancelled=counts["cancelled"],
        overdue=sum(1 for t in tasks if t.is_overdue(today)),
        mean_progress=mean,
    )


def units_of(tasks: Iterable[Task]) -> list[str]:
    """Every unit named as lead or support, in first-seen order."""
    seen: dict[str, None] = {}
    for t in tasks:
        for u in (t.lead, *t.support):
            if u:
                seen.setdefault(u, None)
    return list(seen)


def filter_tasks(
    tasks: Iterable[Task],
    *,
    units: Iterable[str] = (),
    statuses: Iterable[str] = (),
    overdue_only: bool = False,
    today: date | None = None,
) -> list[Task]:
    """Tasks led or supported by one of `units` and in one of `statuses` (empty = all)."""
    us, ss = set(units), set(statuses)
    if overdue_only and today is None:
        raise TaskError("Cần biết ngày hôm nay để lọc công việc quá hạn.")
    out = []
    for t in tasks:
        if us and t.lead not in us and not us.intersection(t.support):
            continue
        if ss and t.status not in ss:
            continue
        if overdue_only and today is not None and not t.is_overdue(today):
            continue
        out.append(t)
    return out


# ---------------------------------------------------------------- schedule for the document


def schedule_time(task: Task) -> str:
    """The *Thời gian* cell: a dd/mm/yyyy range, `Trước ngày …`, `Thường xuyên` or `Cả năm`."""
    if task.start and task.due:
        if task.start == task.due:
            return show_date(task.due)
        return f"{show_date(task.start)} - {show_date(task.due)}"
    if task.due:
        return f"Trước ngày {show_date(task.due)}"
    if task.start:
        return f"Từ ngày {show_date(task.start)}"
    if task.extra.get("recurrence"):
        return str(task.extra["recurrence"])
    if task.extra.get("recurring") or is_recurring(task.title):
        return "Thường xuyên"
    return "Cả năm"


def schedule_rows(plan: Plan) -> list[tuple[str, str, str, str]]:
    """Rows of the *Tiến độ thực hiện* table: Thời gian | Nội dung | Chủ trì | Phối hợp.

    Cancelled tasks are left out. Whole-year and recurring tasks come first, then dated tasks
    in time order (by start, else due); ties keep the plan's order.
    """
    live = [t for t in plan.tasks if t.status != "cancelled"]
    undated = [t for t in live if not (t.start or t.due)]
    dated = sorted(
        (t for t in live if t.start or t.due),
        key=lambda t: (t.start or t.due or date.max, t.due or date.max),
    )
    return [(schedule_time(t), t.title, t.lead, "; ".join(t.support)) for t in undated + dated]
