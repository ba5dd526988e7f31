"""The plan model: plan file format version 1 (see DESIGN.md), loaded with validation.

Every class is a frozen dataclass; edits make new objects (`dataclasses.replace`).
Unknown keys found on load are kept in `extra` and written back, so a newer file opened
by this version loses nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date
from pathlib import Path
from typing import Any

from planner.errors import PlanFormatError, os_error_text
from planner.text.clean import clean_line, clean_text

SCHEMA_VERSION = 1
MAX_SECTION_DEPTH = 6
# The largest plan the app serves: every loader refuses a bigger one whole (never half
# loaded), the store refuses to save one, the exporter refuses to write one. The cell
# limits keep the DOCX export under about 10 s (it writes about 6,000 cells a second).
MAX_PLAN_BYTES = 20 * 1024 * 1024  # the plan's JSON
MAX_TABLE_COLUMNS = 63  # Word's own limit for one table
MAX_TABLE_CELLS = 20_000  # one table
MAX_PLAN_CELLS = 50_000  # every table of the plan together

BLOCK_KINDS = ("paragraph", "dash", "plus", "table")
TASK_STATUSES = ("planned", "in_progress", "done", "cancelled")
STATUS_LABELS = {
    "planned": "Chưa bắt đầu",
    "in_progress": "Đang thực hiện",
    "done": "Hoàn thành",
    "cancelled": "Đã hủy",
}
SIGNER_PREFIXES = ("", "KT.", "TM.", "TL.", "TUQ.", "Q.")
EMPHASIS_STYLES = ("b", "i", "bi")  # bold, italic, both
MAX_HEADER_ROWS = 10


@dataclass(frozen=True)
class Meta:
    parent_authority: str = ""
    authority: str = ""
    number: str = ""
    symbol: str = ""
    place: str = ""
    issued: date | None = None
    year: int = 0
    doc_type: str = "KẾ HOẠCH"
    subject: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False)
    # Optional (format v1, written only when set): lines under the trích yếu as the source
    # has them (an italic sub-line, `(Ban hành kèm theo …)`), and the month of a draft date
    # that has a month but no day (`ngày   tháng 4 năm 2026`) while `issued` is None.
    subtitles: tuple[str, ...] = ()
    issued_month: int = 0


@dataclass(frozen=True)
class Base:
    """One Căn cứ line, linked to a catalogue row when known."""

    text: str
    directive_id: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Block:
    """A paragraph, a `- ` item, a `+ ` item or a table.

    `reviewed` is None for a block nobody asked to review; a rollover sets it False on every
    carried-over block (chưa rà soát) and the editor sets it True once checked.

    `text` keeps manual line breaks as `\n`. `emphasis` lists the bold/italic spans of the
    text as (start, end, "b" | "i" | "bi"), character offsets, sorted and disjoint. A table's
    `rows` is a full grid; `header_rows` says how many rows on top are its header (printed
    bold and repeated on each page; 1 unless said, 0 for a table without one); `merges` the
    merged cells as (row, col, rows, cols): the top-left cell holds the text, the cells it
    covers are "".
    """

    kind: str = "paragraph"
    text: str = ""
    rows: tuple[tuple[str, ...], ...] = ()
    reviewed: bool | None = None
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False)
    emphasis: tuple[tuple[int, int, str], ...] = ()
    header_rows: int = 1
    merges: tuple[tuple[int, int, int, int], ...] = ()


@dataclass(frozen=True)
class Section:
    number: str
    title: str
    blocks: tuple[Block, ...] = ()
    children: tuple[Section, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Signer:
    prefix: str = ""
    position: str = ""
    deputy_position: str = ""
    name: str = ""
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False)
    # The position lines as written, when `prefix`/`position`/`deputy_position` cannot say
    # them (`TM. ỦY BAN NHÂN DÂN` / `KT. CHỦ TỊCH` / `PHÓ CHỦ TỊCH`); the export prints them.
    lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class Appendix:
    """What follows the signature: a Phụ lục or a Biểu, its title, the lines under it
    (`(Kèm theo Kế hoạch số …)`) and its content; `landscape` prints it on a landscape page."""

    title: str = ""
    subtitles: tuple[str, ...] = ()
    blocks: tuple[Block, ...] = ()
    landscape: bool = False
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Task:
    id: str
    title: str
    lead: str = ""
    support: tuple[str, ...] = ()
    start: date | None = None
    due: date | None = None
    status: str = "planned"
    progress: int = 0
    section: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False)

    def is_overdue(self, today: date) -> bool:
        """Overdue is computed, never stored: past due and neither done nor cancelled."""
        return (
            self.due is not None
            and self.due < today
            and self.status
            not in (
                "done",
                "cancelled",
            )
        )


@dataclass(frozen=True)
class Plan:
    meta: Meta = field(default_factory=Meta)
    bases: tuple[Base, ...] = ()
    preamble: tuple[str, ...] = ()
    sections: tuple[Section, ...] = ()
    closing: tuple[str, ...] = ()
    recipients: tuple[str, ...] = ()
    signer: Signer = field(default_factory=Signer)
    tasks: tuple[Task, ...] = ()
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False)
    # What loading repaired (broken references, see `_repair_references`), in Vietnamese, for
    # the caller to tell the user; never written to the file.
    notes: tuple[str, ...] = field(default=(), compare=False, repr=False)
    appendices: tuple[Appendix, ...] = ()
    # Optional (format v1, written only when set): tables standing before the first section
    # (a `Kính gửi:` table, a small table in the opening text), each as (at, table block):
    # printed just before preamble paragraph `at` (at or past the end: after the last one).
    preamble_tables: tuple[tuple[int, Block], ...] = ()

    @property
    def title(self) -> str:
        """A short title for lists: the subject, or the document type and year."""
        return self.meta.subject or f"{self.meta.doc_type.capitalize()} năm {self.meta.year}"

    def iter_sections(self) -> Iterator[tuple[str, Section]]:
        """Every section, depth first, with its path (`II.1.a`)."""
        yield from _walk(self.sections, "")

    def find_section(self, path: str) -> Section | None:
        for p, s in self.iter_sections():
            if p == path:
                return s
        return None


def _walk(sections: tuple[Section, ...], prefix: str) -> Iterator[tuple[str, Section]]:
    for s in sections:
        path = f"{prefix}.{s.number}" if prefix else s.number
        yield path, s
        yield from _walk(s.children, path)


def section_depth(sections: tuple[Section, ...]) -> int:
    """Depth of the deepest section (0 for none)."""
    return max((1 + section_depth(s.children) for s in sections), default=0)


# ---------------------------------------------------------------- loading


class _Reader:
    """Validates one JSON document, naming the field and the file in each error."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, where: str, what: str) -> PlanFormatError:
        return PlanFormatError(f"Tệp {self.source}: trường “{where}” {what}.")

    def obj(self, value: Any, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, "phải là một đối tượng (dạng {…})")
        return value

    def lst(self, value: Any, where: str) -> list[Any]:
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(where, "phải là một danh sách (dạng […])")
        return value

    def text(self, value: Any, where: str, *, multiline: bool = True) -> str:
        if value is None:
            return ""
        if not isinstance(value, str):
            raise self.fail(where, "phải là chữ")
        return clean_text(value) if multiline else clean_line(value)

    def date(self, value: Any, where: str) -> date | None:
        if value is None or value == "":
            return None
        if not isinstance(value, str):
            raise self.fail(where, "phải là ngày dạng YYYY-MM-DD hoặc null")
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise self.fail(
                where, f"có ngày không hợp lệ “{value}” (cần dạng YYYY-MM-DD)"
            ) from None

    def int_(self, value: Any, where: str, lo: int, hi: int) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not lo <= value <= hi:
            raise self.fail(where, f"phải là số nguyên từ {lo} đến {hi}")
        return value


def _extra(d: Mapping[str, Any], cls: type) -> dict[str, Any]:
    known = {f.name for f in fields(cls)} - {"extra"}
    return {k: v for k, v in d.items() if k not in known}


def plan_from_dict(data: Any, source: str = "kế hoạch") -> Plan:
    """Validate and build a Plan from parsed JSON; `source` names the file in messages."""
    r = _Reader(source)
    d = r.obj(data, "(gốc)")
    version = d.get("schema_version")
    if version is None:
        raise r.fail("schema_version", "bị thiếu")
    version = r.int_(version, "schema_version", 1, 10**6)
    if version > SCHEMA_VERSION:
        raise PlanFormatError(
            f"Tệp {source} được tạo bởi phiên bản mới hơn của chương trình (định dạng số "
            f"{version}, chương trình này đọc được đến số {SCHEMA_VERSION}). "
            "Hãy cập nhật chương trình để mở tệp này."
        )
    m = r.obj(d.get("meta", {}), "meta")
    year = m.get("year", 0)
    meta = Meta(
        parent_authority=r.text(
            m.get("parent_authority"), "meta.parent_authority", multiline=False
        ),
        authority=r.text(m.get("authority"), "meta.authority", multiline=False),
        number=r.text(m.get("number"), "meta.number", multiline=False),
        symbol=r.text(m.get("symbol"), "meta.symbol", multiline=False),
        place=r.text(m.get("place"), "meta.place", multiline=False),
        issued=r.date(m.get("issued"), "meta.issued"),
        year=r.int_(year, "meta.year", 0, 9999),
        doc_type=r.text(m.get("doc_type", "KẾ HOẠCH"), "meta.doc_type", multiline=False),
        subject=r.text(m.get("subject"), "meta.subject", multiline=False),
        extra=_extra(m, Meta),
        subtitles=_texts(r, m.get("subtitles"), "meta.subtitles", multiline=False),
        issued_month=r.int_(m.get("issued_month", 0), "meta.issued_month", 0, 12),
    )
    bases = []
    for i, b in enumerate(r.lst(d.get("bases"), "bases")):
        where = f"bases[{i + 1}]"
        b = r.obj(b, where)
        did = b.get("directive_id")
        if did is not None and not isinstance(did, str):
            raise r.fail(f"{where}.directive_id", "phải là chữ hoặc null")
        bases.append(Base(r.text(b.get("text"), f"{where}.text"), did or None, _extra(b, Base)))
    s = r.obj(d.get("signer", {}), "signer")
    prefix = r.text(s.get("prefix"), "signer.prefix", multiline=False)
    if prefix not in SIGNER_PREFIXES:
        raise r.fail(
            "signer.prefix",
            f"phải là một trong: {', '.join(p or '(trống)' for p in SIGNER_PREFIXES)}",
        )
    signer = Signer(
        prefix=prefix,
        position=r.text(s.get("position"), "signer.position", multiline=False),
        deputy_position=r.text(s.get("deputy_position"), "signer.deputy_position", multiline=False),
        name=r.text(s.get("name"), "signer.name", multiline=False),
        extra=_extra(s, Signer),
        lines=_texts(r, s.get("lines"), "signer.lines", multiline=False),
    )
    plan = Plan(
        meta=meta,
        bases=tuple(bases),
        preamble=_texts(r, d.get("preamble"), "preamble"),
        sections=tuple(
            _section(r, x, f"sections[{i + 1}]", 1)
            for i, x in enumerate(r.lst(d.get("sections"), "sections"))
        ),
        closing=_texts(r, d.get("closing"), "closing"),
        recipients=_texts(r, d.get("recipients"), "recipients", multiline=False),
        signer=signer,
        tasks=tuple(
            _task(r, t, f"tasks[{i + 1}]") for i, t in enumerate(r.lst(d.get("tasks"), "tasks"))
        ),
        extra={k: v for k, v in _extra(d, Plan).items() if k != "schema_version"},
        appendices=tuple(
            _appendix(r, x, f"appendices[{i + 1}]")
            for i, x in enumerate(r.lst(d.get("appendices"), "appendices"))
        ),
        preamble_tables=_preamble_tables(r, d.get("preamble_tables")),
    )
    return _repair_references(r, plan)


_GONE = "Chỗ này không còn trong kế hoạch."


def _repair_references(r: _Reader, plan: Plan) -> Plan:
    """A plan whose references all hold, or a refusal naming the place.

    Refused: two tasks with one id (a report, a finding or an edit could not tell them apart).
    Repaired, with a note in `Plan.notes`: a task's `section` naming no section (deleting a
    section leaves one) is cleared; an open finding whose `path` names no section, block,
    line or task is closed as dismissed (as an edit that deletes its text does).
    """
    seen: dict[str, int] = {}
    for i, t in enumerate(plan.tasks):
        if t.id in seen:
            raise r.fail(
                f"tasks[{i + 1}].id",
                f"có mã “{t.id}” trùng với tasks[{seen[t.id] + 1}]; mỗi công việc cần một mã riêng",
            )
        seen[t.id] = i
    notes: list[str] = []
    paths = {p: s for p, s in plan.iter_sections()}
    tasks = list(plan.tasks)
    for i, t in enumerate(tasks):
        if t.section is not None and t.section not in paths:
            notes.append(
                f"Công việc “{t.id}” gắn với mục “{t.section}” không còn trong kế hoạch; "
                "đã bỏ liên kết mục của công việc này."
            )
            tasks[i] = replace(t, section=None)
    extra = dict(plan.extra)
    raw = extra.get("findings")
    if isinstance(raw, list):
        fixed = []
        for n, item in enumerate(raw):
            if (
                isinstance(item, dict)
                and item.get("status") == "open"
                and not _path_exists(plan, paths, item.get("path"))
            ):
                message = str(item.get("message") or "")
                item = {**item, "status": "dismissed", "message": f"{message} ({_GONE})".strip()}
                notes.append(
                    f"Phát hiện thứ {n + 1} (findings[{n + 1}]) trỏ tới chỗ không còn trong kế "
                    "hoạch; đã chuyển sang “Đã bỏ qua”."
                )
            fixed.append(item)
        extra["findings"] = fixed
    if not notes:
        return plan
    return replace(
        plan,
        tasks=tuple(tasks),
        extra=extra,
        notes=tuple(f"Tệp {r.source}: {note}" for note in notes),
    )


def _path_exists(plan: Plan, paths: Mapping[str, Section], path: Any) -> bool:
    """Whether a finding's `path` (see `planner.drafting.findings`) names a place that exists.
    A path this version does not know is taken as existing (a newer file's)."""
    if not isinstance(path, dict):
        return True

    def index_ok(value: Any, size: int) -> bool:
        return isinstance(value, int) and not isinstance(value, bool) and 0 <= value < size

    area = path.get("area")
    if area in ("bases", "preamble", "closing", "recipients"):
        items: tuple[Any, ...] = getattr(plan, str(area))
        return index_ok(path.get("index"), len(items))
    if area == "task":
        return any(t.id == path.get("id") for t in plan.tasks)
    if area == "section":
        section = paths.get(str(path.get("section")))
        if section is None:
            return False
        if "block" not in path:
            return True
        if not index_ok(path.get("block"), len(section.blocks)):
            return False
        block = section.blocks[path["block"]]
        if "row" in path or "col" in path:
            if not index_ok(path.get("row"), len(block.rows)):
                return False
            return index_ok(path.get("col"), len(block.rows[path["row"]]))
        return True
    return True


def _texts(r: _Reader, value: Any, where: str, *, multiline: bool = True) -> tuple[str, ...]:
    return tuple(
        r.text(v, f"{where}[{i + 1}]", multiline=multiline)
        for i, v in enumerate(r.lst(value, where))
    )


def _section(r: _Reader, value: Any, where: str, depth: int) -> Section:
    if depth > MAX_SECTION_DEPTH:
        raise PlanFormatError(
            f"Tệp {r.source}: mục “{where}” lồng quá sâu (tối đa {MAX_SECTION_DEPTH} cấp mục)."
        )
    d = r.obj(value, where)
    blocks = _blocks(r, d.get("blocks"), f"{where}.blocks")
    children = tuple(
        _section(r, c, f"{where}.children[{i + 1}]", depth + 1)
        for i, c in enumerate(r.lst(d.get("children"), f"{where}.children"))
    )
    return Section(
        number=r.text(d.get("number"), f"{where}.number", multiline=False),
        title=r.text(d.get("title"), f"{where}.title", multiline=False),
        blocks=blocks,
        children=children,
        extra=_extra(d, Section),
    )


def _blocks(r: _Reader, value: Any, where: str) -> tuple[Block, ...]:
    return tuple(_block(r, b, f"{where}[{i + 1}]") for i, b in enumerate(r.lst(value, where)))


def _block(r: _Reader, value: Any, bw: str) -> Block:
    b = r.obj(value, bw)
    kind = b.get("kind", "paragraph")
    if kind not in BLOCK_KINDS:
        raise r.fail(f"{bw}.kind", f"phải là một trong: {', '.join(BLOCK_KINDS)}")
    rows: tuple[tuple[str, ...], ...] = ()
    if kind == "table":
        rows = tuple(
            tuple(r.text(c, f"{bw}.rows[{j + 1}]") for c in r.lst(row, f"{bw}.rows[{j + 1}]"))
            for j, row in enumerate(r.lst(b.get("rows"), f"{bw}.rows"))
        )
    reviewed = b.get("reviewed")
    if reviewed is not None and not isinstance(reviewed, bool):
        raise r.fail(f"{bw}.reviewed", "phải là true, false hoặc null")
    text = r.text(b.get("text"), f"{bw}.text")
    emphasis = []
    end = 0
    for i, span in enumerate(r.lst(b.get("emphasis"), f"{bw}.emphasis")):
        sw = f"{bw}.emphasis[{i + 1}]"
        if not isinstance(span, list) or len(span) != 3 or span[2] not in EMPHASIS_STYLES:
            raise r.fail(sw, "phải có dạng [đầu, cuối, “b” | “i” | “bi”]")
        start = r.int_(span[0], sw, end, len(text))
        stop = r.int_(span[1], sw, start + 1, len(text)) if start < len(text) else 0
        if not stop:
            raise r.fail(sw, f"phải nằm trong đoạn chữ (dài {len(text)} ký tự)")
        emphasis.append((start, stop, str(span[2])))
        end = stop
    header_rows = r.int_(b.get("header_rows", 1), f"{bw}.header_rows", 0, MAX_HEADER_ROWS)
    merges = []
    for i, m in enumerate(r.lst(b.get("merges"), f"{bw}.merges")):
        mw = f"{bw}.merges[{i + 1}]"
        if not isinstance(m, list) or len(m) != 4:
            raise r.fail(mw, "phải có dạng [hàng, cột, số hàng, số cột]")
        row = r.int_(m[0], mw, 0, max(0, len(rows) - 1))
        col = r.int_(m[1], mw, 0, max(0, len(rows[row]) - 1) if rows else 0)
        nrows = r.int_(m[2], mw, 1, len(rows) - row)
        ncols = r.int_(m[3], mw, 1, max(1, min(len(x) for x in rows[row : row + nrows]) - col))
        merges.append((row, col, nrows, ncols))
    return Block(
        kind,
        text,
        rows,
        reviewed,
        _extra(b, Block),
        emphasis=tuple(emphasis),
        header_rows=header_rows,
        merges=tuple(merges),
    )


def _preamble_tables(r: _Reader, value: Any) -> tuple[tuple[int, Block], ...]:
    """`preamble_tables`: [{"at": n, …a table block…}], in the order they print."""
    out: list[tuple[int, Block]] = []
    for i, x in enumerate(r.lst(value, "preamble_tables")):
        where = f"preamble_tables[{i + 1}]"
        d = r.obj(x, where)
        at = r.int_(d.get("at", 0), f"{where}.at", out[-1][0] if out else 0, 10**6)
        block = _block(r, {k: v for k, v in d.items() if k != "at"}, where)
        if block.kind != "table":
            raise r.fail(f"{where}.kind", "phải là “table” (trước mục đầu tiên chỉ giữ bảng)")
        out.append((at, block))
    return tuple(out)


def _appendix(r: _Reader, value: Any, where: str) -> Appendix:
    d = r.obj(value, where)
    landscape = d.get("landscape", False)
    if not isinstance(landscape, bool):
        raise r.fail(f"{where}.landscape", "phải là true hoặc false")
    return Appendix(
        title=r.text(d.get("title"), f"{where}.title", multiline=False),
        subtitles=_texts(r, d.get("subtitles"), f"{where}.subtitles", multiline=False),
        blocks=_blocks(r, d.get("blocks"), f"{where}.blocks"),
        landscape=landscape,
        extra=_extra(d, Appendix),
    )


def _task(r: _Reader, value: Any, where: str) -> Task:
    d = r.obj(value, where)
    tid = r.text(d.get("id"), f"{where}.id", multiline=False)
    if not tid:
        raise r.fail(f"{where}.id", "bị thiếu")
    status = d.get("status", "planned")
    if status not in TASK_STATUSES:
        raise r.fail(f"{where}.status", f"phải là một trong: {', '.join(TASK_STATUSES)}")
    start = r.date(d.get("start"), f"{where}.start")
    due = r.date(d.get("due"), f"{where}.due")
    if start and due and due < start:
        raise r.fail(f"{where}.due", "không được trước ngày bắt đầu")
    section = d.get("section")
    return Task(
        id=tid,
        title=r.text(d.get("title"), f"{where}.title", multiline=False),
        lead=r.text(d.get("lead"), f"{where}.lead", multiline=False),
        support=tuple(
            r.text(x, f"{where}.support", multiline=False)
            for x in r.lst(d.get("support"), f"{where}.support")
        ),
        start=start,
        due=due,
        status=status,
        progress=r.int_(d.get("progress", 0), f"{where}.progress", 0, 100),
        section=r.text(section, f"{where}.section", multiline=False) if section else None,
        extra=_extra(d, Task),
    )


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f}".replace(".", ",").removesuffix(",0")


def _n(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def bytes_problem(size: int) -> str | None:
    """Why a plan of `size` bytes of JSON is too large for the app (Vietnamese), or None."""
    if size > MAX_PLAN_BYTES:
        return f"nặng {_mb(size)} MB, quá giới hạn {_mb(MAX_PLAN_BYTES)} MB một kế hoạch"
    return None


def size_problem(plan: Plan) -> str | None:
    """Why `plan` is larger than the app serves (one Vietnamese clause naming the limit), or
    None. Counts table cells: the columns of a table, its cells, the cells of the plan."""
    total = 0
    places = [(f"mục {path}", section.blocks) for path, section in plan.iter_sections()]
    places += [(f"phụ lục thứ {i}", a.blocks) for i, a in enumerate(plan.appendices, start=1)]
    places += [("phần mở đầu", tuple(b for _, b in plan.preamble_tables))]
    for place, blocks in places:
        tables = 0
        for block in blocks:
            if block.kind != "table":
                continue
            tables += 1
            where = f"bảng thứ {tables} ở {place}"
            widest = max((len(r) for r in block.rows), default=0)
            if widest > MAX_TABLE_COLUMNS:
                return f"{where} có {_n(widest)} cột, quá giới hạn {MAX_TABLE_COLUMNS} cột một bảng"
            cells = sum(len(r) for r in block.rows)
            if cells > MAX_TABLE_CELLS:
                return f"{where} có {_n(cells)} ô, quá giới hạn {_n(MAX_TABLE_CELLS)} ô một bảng"
            total += cells
    if total > MAX_PLAN_CELLS:
        return (
            f"các bảng có tổng cộng {_n(total)} ô, quá giới hạn {_n(MAX_PLAN_CELLS)} ô một kế hoạch"
        )
    return None


def plan_from_json(raw: bytes | str, source: str = "kế hoạch") -> Plan:
    """Parse a plan file's bytes; every problem is a PlanFormatError naming `source`.

    A plan larger than the app serves (`bytes_problem`, `size_problem`) is refused whole."""
    size = len(raw)
    if isinstance(raw, str) and size > MAX_PLAN_BYTES // 4:  # else surely small enough
        size = len(raw.encode("utf-8", "surrogatepass"))
    too_big = bytes_problem(size)
    if too_big:
        raise PlanFormatError(f"Tệp {source} {too_big}; chương trình không mở tệp này.")
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise PlanFormatError(
                f"Tệp {source} không phải tệp kế hoạch (.json, mã UTF-8)."
            ) from None
    if not raw.strip():
        raise PlanFormatError(f"Tệp {source} trống.")
    try:
        data = json.loads(raw)
    except RecursionError:
        raise PlanFormatError(f"Tệp {source} lồng quá sâu, không đọc được.") from None
    except json.JSONDecodeError as e:
        raise PlanFormatError(
            f"Tệp {source} không phải tệp kế hoạch hợp lệ "
            f"(lỗi JSON ở dòng {e.lineno}, cột {e.colno})."
        ) from None
    try:
        plan = plan_from_dict(data, source)
    except RecursionError:
        raise PlanFormatError(f"Tệp {source} lồng quá sâu, không đọc được.") from None
    too_big = size_problem(plan)
    if too_big:
        raise PlanFormatError(f"Tệp {source}: {too_big}; chương trình không mở tệp này.")
    return plan


def load_plan(path: str | Path) -> Plan:
    """Read a plan file from disk."""
    p = Path(path)
    try:
        raw = p.read_bytes()
    except FileNotFoundError:
        raise PlanFormatError(f"Không tìm thấy tệp {p}.") from None
    except OSError as e:
        raise PlanFormatError(f"Không đọc được tệp {p}: {os_error_text(e)}.") from None
    return plan_from_json(raw, p.name)


# ---------------------------------------------------------------- saving


def _d(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _block_dict(b: Block) -> dict[str, Any]:
    out: dict[str, Any] = {"kind": b.kind, "text": b.text}
    if b.kind == "table":
        out["rows"] = [list(r) for r in b.rows]
    if b.reviewed is not None:
        out["reviewed"] = b.reviewed
    if b.emphasis:
        out["emphasis"] = [list(x) for x in b.emphasis]
    if b.kind == "table" and b.header_rows != 1:
        out["header_rows"] = b.header_rows
    if b.merges:
        out["merges"] = [list(x) for x in b.merges]
    return {**out, **b.extra}


def _appendix_dict(a: Appendix) -> dict[str, Any]:
    out = {
        "title": a.title,
        "subtitles": list(a.subtitles),
        "blocks": [_block_dict(b) for b in a.blocks],
        "landscape": a.landscape,
    }
    return {**out, **a.extra}


def _section_dict(s: Section) -> dict[str, Any]:
    out = {
        "number": s.number,
        "title": s.title,
        "blocks": [_block_dict(b) for b in s.blocks],
        "children": [_section_dict(c) for c in s.children],
    }
    return {**out, **s.extra}


def task_to_dict(t: Task) -> dict[str, Any]:
    out = {
        "id": t.id,
        "title": t.title,
        "lead": t.lead,
        "support": list(t.support),
        "start": _d(t.start),
        "due": _d(t.due),
        "status": t.status,
        "progress": t.progress,
        "section": t.section,
    }
    return {**out, **t.extra}


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    """The plan as format-v1 JSON data (unknown keys found on load included)."""
    m = plan.meta
    meta: dict[str, Any] = {
        "parent_authority": m.parent_authority,
        "authority": m.authority,
        "number": m.number,
        "symbol": m.symbol,
        "place": m.place,
        "issued": _d(m.issued),
        "year": m.year,
        "doc_type": m.doc_type,
        "subject": m.subject,
    }
    if m.subtitles:
        meta["subtitles"] = list(m.subtitles)
    if m.issued_month:
        meta["issued_month"] = m.issued_month
    s = plan.signer
    signer: dict[str, Any] = {
        "prefix": s.prefix,
        "position": s.position,
        "deputy_position": s.deputy_position,
        "name": s.name,
    }
    if s.lines:
        signer["lines"] = list(s.lines)
    out = {
        "schema_version": SCHEMA_VERSION,
        "meta": {**meta, **m.extra},
        "bases": [{"text": b.text, "directive_id": b.directive_id, **b.extra} for b in plan.bases],
        "preamble": list(plan.preamble),
        "sections": [_section_dict(x) for x in plan.sections],
        "closing": list(plan.closing),
        "recipients": list(plan.recipients),
        "signer": {**signer, **s.extra},
        "tasks": [task_to_dict(t) for t in plan.tasks],
    }
    if plan.appendices:
        out["appendices"] = [_appendix_dict(a) for a in plan.appendices]
    if plan.preamble_tables:
        out["preamble_tables"] = [{"at": at, **_block_dict(b)} for at, b in plan.preamble_tables]
    return {**out, **plan.extra}


def plan_to_json(plan: Plan) -> str:
    """Pretty, stable JSON text (UTF-8 characters kept as they are)."""
    return json.dumps(plan_to_dict(plan), ensure_ascii=False, indent=2) + "\n"


def save_plan(plan: Plan, path: str | Path) -> None:
    """Write a plan file atomically (a crash never leaves half a file)."""
    p = Path(path)
    tmp = p.with_name(p.name + ".tmp")
    try:
        # Streamed into the file: building the whole pretty text first peaks at ~19× the plan.
        with tmp.open("w", encoding="utf-8") as out:
            json.dump(plan_to_dict(plan), out, ensure_ascii=False, indent=2)
            out.write("\n")
        tmp.replace(p)
    except OSError as e:
        if tmp.parent.is_dir():
            tmp.unlink(missing_ok=True)
        raise PlanFormatError(f"Không ghi được tệp {p}: {os_error_text(e)}.") from None


def with_extra(plan: Plan, **values: Any) -> Plan:
    """A copy of `plan` with top-level extension keys set (None removes a key)."""
    extra = {k: v for k, v in {**plan.extra, **values}.items() if v is not None}
    return replace(plan, extra=extra)
