"""Rollover: last year's plan → next year's draft, with every stale line found.

`rollover(plan, 2021, catalogue=..., today=...)` returns the draft and its findings:

- done for the user (findings recorded as *applied*): `meta.year`, the number and date cleared
  (the văn thư assigns them), the year in the trích yếu moved, every block marked *chưa rà
  soát*, task dates moved by the year difference (29/02 → 28/02) and task status/progress reset;
- left for the user to decide (findings *open*, with a suggestion when one is sure):
  mentions of last year in the body (`year`), periods that have ended (`ended_period`; a period
  still running such as `nhiệm kỳ 2020-2025` is left alone), Căn cứ and references to last
  year's superior plans (`superior_plan`: a new plan with a new number comes each year),
  directives expired or replaced (`replaced_directive`, with the catalogue's replacement),
  events the text looked forward to that are now past, and dated deadlines of last year
  (`past_event`).

Years inside a citation (its symbol `30/2020/NĐ-CP`, its date `ngày 08/7/2020`, a law's name
`Luật Giáo dục năm 2019`) are the citation's own facts and are never flagged as stale years.

The function is pure: no clock, no files; the caller passes `today`.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cached_property
from typing import Any

from planner.catalogue.citation import (
    CitationMention,
    citation_date,
    find_citations,
    first_citation,
    resolve,
    short_citation,
)
from planner.catalogue.model import Directive
from planner.drafting.findings import (
    Finding,
    FindingPacker,
    apply_finding,
    findings_of,
    new_finding,
    place_label,
    store_findings,
    task_value,
)
from planner.errors import PlannerError
from planner.model import STATUS_LABELS, Plan, Section, Task, plan_to_dict, with_extra
from planner.text.dates import make_date, show_date
from planner.text.fold import fold, fold_same_length


class RolloverError(PlannerError):
    """The rollover cannot be made (bad target year, plan without a year)."""


@dataclass(frozen=True)
class RolloverResult:
    """The new draft (findings already stored in it) and the same findings as a tuple.

    `findings` is read from the draft when first asked for (`findings_of`): the draft keeps
    repeats packed (a thousand paragraphs' `năm 2020` in one entry), the tuple has one
    finding per place, which is what costs memory in a large plan.
    """

    plan: Plan

    @cached_property
    def findings(self) -> tuple[Finding, ...]:
        return tuple(findings_of(self.plan))

    @property
    def open_findings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.status == "open")

    @property
    def applied_findings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.status == "applied")


def rollover(
    plan: Plan,
    year: int,
    *,
    catalogue: Any = None,
    today: date,
    previous_id: str | None = None,
) -> RolloverResult:
    """Make year `year`'s draft from `plan` (last year's) and find every stale line.

    `catalogue` (a `planner.catalogue.model.Catalogue`, or None to skip directive checks) tells
    which cited directives are expired or replaced and by what. `previous_id` is the store id of
    `plan` when it came from the store (kept as `extra["previous_plan_id"]`); otherwise the
    whole of last year's plan is kept as `extra["previous_plan"]` so the editor can show it
    beside the draft. `today` is recorded with the rollover and used to warn when a suggested
    replacement is dated after today.
    """
    old = plan.meta.year
    if not old:
        raise RolloverError(
            "Kế hoạch năm trước chưa ghi năm (trường “năm của kế hoạch”): "
            "hãy điền năm trước khi tạo kế hoạch năm mới."
        )
    if isinstance(year, bool) or not isinstance(year, int) or not 1900 <= year <= 9999:
        raise RolloverError(f"Năm mới “{year}” không hợp lệ (cần một năm, ví dụ {old + 1}).")
    if year <= old:
        raise RolloverError(
            f"Năm mới ({year}) phải sau năm của kế hoạch cũ ({old}): hãy chọn năm {old + 1} trở đi."
        )
    ctx = Context(old=old, new=year, catalogue=catalogue, today=today)

    # -- the header: year, number and date; the subject's year moved (applied findings),
    # through apply_finding so that other findings of the subject stay in step
    meta = replace(plan.meta, year=year, number="", issued=None)
    head = store_findings(
        replace(plan, meta=meta, extra={}),
        scan_text(plan.meta.subject, {"area": "meta", "field": "subject"}, ctx),
    )
    for f in findings_of(head):
        if f.kind == "year" and f.suggestion and f.status == "open":
            head = apply_finding(head, f.id)
    applied: list[Finding] = []
    adjusted_subject: list[Finding] = []
    for f in findings_of(head):
        if f.status == "applied":
            note = f"Đã đổi năm trong trích yếu từ {old} sang {year}."
            applied.append(replace(f, message=note))
        elif f.status == "open":
            adjusted_subject.append(f)
    meta = head.meta

    # -- the body: every block starts "chưa rà soát"
    sections = tuple(_unreviewed(s) for s in plan.sections)

    # -- tasks: dates moved, status and progress reset (applied findings)
    diff = year - old
    tasks = []
    for t in plan.tasks:
        new_t, found = _roll_task(t, diff)
        tasks.append(new_t)
        applied.extend(found)

    draft = replace(plan, meta=meta, sections=sections, tasks=tuple(tasks))
    previous: dict[str, Any] = {"previous_plan_id": previous_id, "previous_plan": None}
    if previous_id is None:
        last = plan_to_dict(plan)
        for key in ("previous_plan", "previous_plan_id", "findings", "rollover"):
            last.pop(key, None)
        previous["previous_plan"] = last
    draft = with_extra(
        draft,
        findings=None,
        rollover={"from_year": old, "to_year": year, "made_on": today.isoformat()},
        **previous,
    )

    # -- open findings over every text of the draft (the subject's were scanned above),
    # streamed into the stored list in document order: the header's, the body's field by
    # field (each field's by offset), then the tasks' dates and status; only the packed
    # list is kept, not a finding object per place
    seen: set[str] = set()
    first = _dedupe([*applied, *adjusted_subject], seen)
    subject = sorted((f for f in first if f.path.get("area") == "meta"), key=lambda f: f.start or 0)
    packer = FindingPacker()
    for f in subject:
        packer.add(f)
    for path, text in iter_texts(draft):
        if path.get("area") == "meta":
            continue
        for f in _dedupe(scan_text(text, path, ctx), seen):
            packer.add(f)
    for f in first:
        if f.path.get("area") == "task":
            packer.add(f)
    draft = with_extra(draft, findings=packer.items() or None)
    return RolloverResult(draft)


def recheck(plan: Plan, *, catalogue: Any = None, today: date) -> list[Finding]:
    """The open rollover findings of a draft as it is now (for “Rà soát lại”).

    Last year is read from `extra["rollover"]["from_year"]` (set by `rollover`), else from
    `extra["previous_plan"]`, else taken as the plan's year minus one. Store the result with
    `findings.merge_findings(plan, found, kinds=ROLLOVER_TEXT_KINDS)` so that what the user
    already applied or dismissed stays as it is.
    """
    new = plan.meta.year
    info = plan.extra.get("rollover")
    old = info.get("from_year") if isinstance(info, Mapping) else None
    if not isinstance(old, int):
        prev = plan.extra.get("previous_plan")
        meta = prev.get("meta") if isinstance(prev, Mapping) else None
        old = meta.get("year") if isinstance(meta, Mapping) else None
    if not isinstance(old, int) or isinstance(old, bool) or not 0 < old < new:
        old = new - 1
    ctx = Context(old=old, new=new, catalogue=catalogue, today=today)
    found: list[Finding] = []
    for path, text in iter_texts(plan):
        found.extend(scan_text(text, path, ctx))
    return _dedupe(sorted(found, key=_order_key(plan)))


ROLLOVER_TEXT_KINDS = (
    "year",
    "ended_period",
    "superior_plan",
    "yearly_document",
    "replaced_directive",
    "past_event",
)


def _unreviewed(s: Section) -> Section:
    return replace(
        s,
        blocks=tuple(replace(b, reviewed=False) for b in s.blocks),
        children=tuple(_unreviewed(c) for c in s.children),
    )


def move_date(d: date, years: int) -> date:
    """`d` moved by whole years; 29/02 becomes 28/02 in a year that has none."""
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        return d.replace(year=d.year + years, day=28)


def _roll_task(t: Task, diff: int) -> tuple[Task, list[Finding]]:
    found = []
    new_t = t
    for fieldname in ("start", "due"):
        value = getattr(t, fieldname)
        if value is None:
            continue
        moved = move_date(value, diff)
        path = {"area": "task", "id": t.id, "field": fieldname}
        note = (
            " (năm mới không có ngày 29/02)"
            if (value.month, value.day)
            != (
                moved.month,
                moved.day,
            )
            else ""
        )
        found.append(
            new_finding(
                "task_date",
                place_label(path),
                path,
                show_date(value),
                show_date(moved),
                f"Đã dời ngày sang năm mới{note}; hãy xem lại cho khớp lịch năm nay.",
                status="applied",
            )
        )
        change: dict[str, Any] = {fieldname: moved}
        new_t = replace(new_t, **change)
    if t.status != "planned":
        path = {"area": "task", "id": t.id, "field": "status"}
        found.append(
            new_finding(
                "task_status",
                place_label(path),
                path,
                task_value(t, "status") or "",
                STATUS_LABELS["planned"],
                "Nhiệm vụ năm mới bắt đầu lại từ đầu.",
                status="applied",
            )
        )
        new_t = replace(new_t, status="planned")
    if t.progress != 0:
        path = {"area": "task", "id": t.id, "field": "progress"}
        found.append(
            new_finding(
                "task_status",
                place_label(path),
                path,
                str(t.progress),
                "0",
                "Tiến độ năm mới bắt đầu từ 0%.",
                status="applied",
            )
        )
        new_t = replace(new_t, progress=0)
    return new_t, found


# ---------------------------------------------------------------- walking the plan's texts


def iter_texts(plan: Plan) -> Iterator[tuple[dict[str, Any], str]]:
    """Every text of the plan with its path (without `start`), in document order."""
    yield {"area": "meta", "field": "subject"}, plan.meta.subject
    for i, base in enumerate(plan.bases):
        yield {"area": "bases", "index": i}, base.text
    for i, para in enumerate(plan.preamble):
        yield {"area": "preamble", "index": i}, para
    for spath, s in plan.iter_sections():
        yield {"area": "section", "section": spath, "field": "title"}, s.title
        for bi, b in enumerate(s.blocks):
            if b.kind == "table":
                for ri, row in enumerate(b.rows):
                    for ci, cell in enumerate(row):
                        yield (
                            {
                                "area": "section",
                                "section": spath,
                                "block": bi,
                                "row": ri,
                                "col": ci,
                            },
                            cell,
                        )
                if b.text:
                    yield {"area": "section", "section": spath, "block": bi}, b.text
            else:
                yield {"area": "section", "section": spath, "block": bi}, b.text
    for i, para in enumerate(plan.closing):
        yield {"area": "closing", "index": i}, para
    for i, line in enumerate(plan.recipients):
        yield {"area": "recipients", "index": i}, line
    for task in plan.tasks:
        yield {"area": "task", "id": task.id, "field": "title"}, task.title


def _order_key(plan: Plan) -> Any:
    order: dict[str, int] = {}
    for n, (path, _) in enumerate(iter_texts(plan)):
        order[_field_id(path)] = n
    task_order = {t.id: n for n, t in enumerate(plan.tasks)}
    fields = {"title": 0, "start": 1, "due": 2, "status": 3, "progress": 4}

    def key(f: Finding) -> tuple[int, int, int]:
        p = f.path
        if p.get("area") == "task" and p.get("field") != "title":
            return (
                len(order) + task_order.get(str(p.get("id")), 0),
                fields.get(str(p.get("field")), 9),
                0,
            )
        return (order.get(_field_id(p), len(order)), int(p.get("start", 0)), 0)

    return key


def _field_id(path: Mapping[str, Any]) -> str:
    return repr(sorted((k, v) for k, v in path.items() if k != "start"))


def _dedupe(findings: list[Finding], seen: set[str] | None = None) -> list[Finding]:
    """`findings` with an id already used (in `seen`, then among them) made unique (`-2`…)."""
    seen = set() if seen is None else seen
    out = []
    for f in findings:
        fid = f.id
        n = 2
        while fid in seen:
            fid = f"{f.id}-{n}"
            n += 1
        seen.add(fid)
        out.append(f if fid == f.id else replace(f, id=fid))
    return out


# ---------------------------------------------------------------- scanning one text


@dataclass(frozen=True)
class Context:
    """What a scan needs: last year (`old`), the new year, the catalogue and today."""

    old: int
    new: int
    catalogue: Any = None
    today: date | None = None
    cache: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)

    @property
    def diff(self) -> int:
        return self.new - self.old


_Y = r"(?:19|20)\d{2}"
# A period: the numbers first (fast), then the words before them (`giai đoạn`, `từ năm`).
_PERIOD = re.compile(
    rf"(?<![\d/.\-])(?P<a>{_Y})(?P<sep>\s*[-–—]\s*|\s+đến\s+(?:năm\s+)?)(?P<b>{_Y})(?![\d/])"
)
_PERIOD_HEAD = re.compile(
    r"(?:(?P<word>giai đoạn|nhiệm kỳ|thời kỳ|năm học|niên khóa|niên khoá)\s+)?"
    r"(?:(?P<from>từ năm|từ)\s+)?\Z",
    re.IGNORECASE,
)
_YEAR = re.compile(rf"(?<![\d/.\-–—]){_Y}(?![\d/])")
_YEAR_HEAD = re.compile(r"năm\s+\Z", re.IGNORECASE)
_DATE_NUM = re.compile(
    rf"(?<![\d/.])(?P<d>\d{{1,2}})(?P<s1>\s*[/.\-]\s*)(?P<m>\d{{1,2}})(?P<s2>\s*[/.\-]\s*)"
    rf"(?P<y>{_Y})(?![\d/])"
)
_DATE_RANGE = re.compile(
    rf"(?<![\d/.])\d{{1,2}}\s*/\s*\d{{1,2}}\s*/\s*(?P<a>{_Y})\s*[-–—]\s*"
    rf"\d{{1,2}}\s*/\s*\d{{1,2}}\s*/\s*(?P<b>{_Y})(?![\d/])"
)
_QUARTER = re.compile(
    rf"(?:quý|học kỳ)\s+(?:I{{1,3}}|IV|[1-4])\s*(?:/\s*|\s+năm\s+)(?P<y>{_Y})(?![\d/])",
    re.IGNORECASE,
)
_DATE_WORDS = re.compile(
    rf"ngày\s+(?P<d>\d{{1,2}})\s+tháng\s+(?P<m>\d{{1,2}})\s+năm\s+(?P<y>{_Y})", re.IGNORECASE
)
_MONTH_YEAR = re.compile(
    rf"tháng\s+(?P<m>\d{{1,2}})(?:\s*/\s*|\s+năm\s+)(?P<y>{_Y})(?![\d/])", re.IGNORECASE
)
_LAW_NAME = re.compile(rf"(?:Bộ luật|Luật|Hiến pháp)\b[^,;()\n]{{0,80}}?\bnăm\s+{_Y}")
# "Nghị quyết Đại hội … năm 2020": the congress's own date, a fact like a citation's date.
_RESOLUTION_OF_CONGRESS = re.compile(
    r"Nghị quyết\s+(?:của\s+)?Đại hội[^,;.:\n()“”\"]*", re.IGNORECASE
)
_DOC_WORDS = (
    "Kế hoạch|Nghị quyết|Chỉ thị|Quyết định|Chương trình|Thông tư|Nghị định|Luật|Kết luận|"
    "Công văn|Hướng dẫn|Quy định|Quy chế|Thông báo|Đề án|Công điện|Pháp lệnh"
)
_CLAUSE_END = re.compile(rf";|\.(?=\s|$)|\n|,\s+(?=(?:{_DOC_WORDS})\b)")
_TRIGGER = (
    r"(?P<trigger>(?:lập thành tích\s+)?"
    r"(?:chào mừng(?:\s+thành công)?(?:\s+(?:của|các))?"
    r"|hướng tới|hướng về|tiến tới|chuẩn bị(?:\s+tốt)?(?:\s+cho)?(?:\s+các)?"
    r"|trong quá trình(?:\s+diễn ra)?|phục vụ))\s+"
)
# Words that start another phrase: an event's name stops before them.
_STOP_WORDS = (
    "lập thành tích|chào mừng|hướng tới|hướng về|tiến tới|chuẩn bị|trong quá trình|phục vụ|"
    "sắp tới|sắp diễn ra|sắp được tổ chức|kỷ niệm"
)
_EVENT_ITEM = (
    r"(?:Đại hội|bầu cử)"
    rf"(?:(?!(?:{_DOC_WORDS}|{_STOP_WORDS})\b)[^,;.:\n()“”\"])*"
)
_ANNIVERSARY = re.compile(r"kỷ niệm\s+(?P<n>\d{1,3})\s+năm", re.IGNORECASE)
_SPAN_START = re.compile(rf"\(\s*(?:\d{{1,2}}\s*/\s*\d{{1,2}}\s*/\s*)?(?P<a>{_Y})\s*[-–—]")
_FORWARD = re.compile(
    _TRIGGER + rf"(?P<events>{_EVENT_ITEM}(?:\s*,\s*{_EVENT_ITEM})*)", re.IGNORECASE
)
_UPCOMING = re.compile(
    r"(?P<events>Đại hội[^,;.:\n()“”\"]*?)\s+(?P<post>sắp tới|sắp diễn ra|sắp được tổ chức)",
    re.IGNORECASE,
)
_HAS_DIGIT = re.compile(r"\d")
_ANY_YEAR = re.compile(rf"(?<!\d){_Y}(?!\d)")
_PLAN_TYPES = {"Kế hoạch", "Kế hoạch phối hợp", "Chương trình", "Chương trình phối hợp"}
_MAX_PERIOD = 30


class _Spans:
    """Character spans already explained (citations, periods, events): no year finding there.

    Kept sorted by start, with the longest span's length: a look-up bisects to the few spans
    that can overlap (a dense paragraph holds thousands of dates).
    """

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.longest = 0

    def add(self, start: int, end: int) -> None:
        i = bisect.bisect_right(self.starts, start)
        self.starts.insert(i, start)
        self.ends.insert(i, end)
        self.longest = max(self.longest, end - start)

    def hit(self, start: int, end: int) -> bool:
        lo = bisect.bisect_right(self.starts, start - self.longest)
        hi = bisect.bisect_left(self.starts, end)
        return any(self.ends[i] > start for i in range(lo, hi))


@dataclass(frozen=True)
class CitationSpan:
    """One citation of another document and the text that belongs to it.

    `start`–`end`: the citation as cited, its type, number, date and, when the text goes on with
    `của …`/`về …`/`ban hành …`, its issuer and title up to the end of the clause (or up to the
    next citation that is not part of the title); `reach`: the end of its clause even without
    such words (what a replaced citation's fix rewrites). `nested`: citations inside the title
    (`… sửa đổi Nghị quyết 30c/NQ-CP ngày 08/11/2011 …`), facts of the title too.
    """

    mention: CitationMention
    start: int
    end: int
    reach: int
    nested: tuple[tuple[int, int], ...] = ()


_TITLE_LEAD = re.compile(
    r"\s*,?\s*(?:của|do|về|v/v|ban hành|quy định|hướng dẫn|phê duyệt|sửa đổi)(?![\wÀ-ỹ])",
    re.IGNORECASE,
)
# Words right before a citation that make it part of the title before it.
_NESTED_LEAD = re.compile(
    r"(?<![\wÀ-ỹ])(?:của|theo|tại|thực hiện|triển khai|sửa đổi|bổ sung|thay thế|"
    r"hướng dẫn|kèm theo)\s+\Z",
    re.IGNORECASE,
)
_TRAILING_LINK = re.compile(r"(?:[\s,]|(?<![\wÀ-ỹ])(?:và|hoặc|cùng)(?![\wÀ-ỹ]))*\Z", re.IGNORECASE)


def citation_spans(
    text: str, mentions: list[CitationMention] | None = None, catalogue: Any = None
) -> list[CitationSpan]:
    """Every citation in `text` with its title as cited (see `CitationSpan`), in order.

    A title runs to the end of its clause; with `catalogue`, a citation of a known row whose
    title is written out ends right after that title (`…năm 2020, năm 2020 tổ chức tốt`: the
    second year is the plan's own). A rollover never rewrites characters inside these spans
    except by replacing a whole citation with another document's citation (or with a visibly
    blank one to fill in).
    """
    if mentions is None:
        mentions = find_citations(text)
    out = []
    for k, m in enumerate(mentions):
        limit = _clause_end(text, m.end)
        nested: list[tuple[int, int]] = []
        for m2 in mentions[k + 1 :]:
            if m2.start >= limit:
                break
            if m2.start < m.end:
                continue
            if _NESTED_LEAD.search(text, max(m.end, m2.start - 24), m2.start):
                nested.append((m2.start, m2.end))
                continue
            between = text[m.end : m2.start]
            comma = between.rfind(", ")
            limit = m.end + comma if comma >= 0 else m2.start
            break
        cut = _TRAILING_LINK.search(text, m.end, limit)
        reach = cut.start() if cut else limit
        reach = max(reach, m.end)
        end = reach if _TITLE_LEAD.match(text, m.end) else m.end
        if end > m.end and catalogue is not None:
            end = _known_title_end(text, m, end, catalogue)
        inside = tuple((s, e) for s, e in nested if e <= end)
        out.append(CitationSpan(m, m.start, end, reach, inside))
    return out


def _known_title_end(text: str, m: CitationMention, end: int, catalogue: Any) -> int:
    """Where the catalogue row's title ends in `text[m.end:end]`, else `end`."""
    d = resolve(m, catalogue)
    title = fold_same_length(d.title).strip(" ,;.") if d is not None and d.title else ""
    if len(title) < 12:
        return end
    at = fold_same_length(text[m.end : end]).find(title)
    return end if at < 0 else m.end + at + len(title)


def scan_text(text: str, path: Mapping[str, Any], ctx: Context) -> list[Finding]:
    """Open findings for one text field at `path` (a path without `start`).

    The same stale text with the same fix found several times in the field is one finding
    (its further offsets in `extra["also"]`); each finding has a `group` (`extra["group"]`):
    findings that touch the same sentence share it and are applied together.
    """
    has_digit = _HAS_DIGIT.search(text) is not None
    low = text.lower()
    has_event = "đại hội" in low or "bầu cử" in low
    if not text or (not has_digit and not has_event):
        return []
    has_year = has_digit and _ANY_YEAR.search(text) is not None
    out: list[tuple[int, str, str, str, str, dict[str, Any]]] = []

    def add(kind: str, start: int, found: str, suggestion: str, message: str, **extra: Any) -> None:
        out.append((start, kind, found, suggestion, message, extra))

    protected = _Spans()
    spans = citation_spans(text, catalogue=ctx.catalogue) if has_digit else []
    for cs in spans:
        protected.add(cs.start, cs.end)
    for rx in (_LAW_NAME, _RESOLUTION_OF_CONGRESS):
        for hit in rx.finditer(text):
            protected.add(hit.start(), hit.end())

    _scan_directives(text, spans, ctx, add, protected)
    if has_event:
        _scan_events(text, ctx, add, protected)
    if has_year:  # every pattern below holds a four-digit year
        _scan_anniversaries(text, ctx, add, protected)
        _scan_periods(text, ctx, add, protected)
        _scan_dates(text, low, ctx, add, protected)
        _scan_years(text, ctx, add, protected)
    out.sort(key=lambda x: x[0])
    return _merge_and_group(text, path, out, spans)


_SENTENCE_END = re.compile(r"[.!?…](?=\s|\Z)|\n")


def _merge_and_group(
    text: str,
    path: Mapping[str, Any],
    found: list[tuple[int, str, str, str, str, dict[str, Any]]],
    spans: list[CitationSpan],
) -> list[Finding]:
    """Findings from the raw hits: repeats merged, each with its sentence group."""
    place = place_label(path)
    merged: dict[tuple[str, str, str, str], int] = {}
    items: list[tuple[int, str, str, str, str, dict[str, Any], list[int]]] = []
    for start, kind, what, suggestion, message, extra in found:
        key = (kind, what, suggestion, message)
        if key in merged and not extra:
            items[merged[key]][6].append(start)
            continue
        merged.setdefault(key, len(items))
        items.append((start, kind, what, suggestion, message, extra, []))
    # sentences: ends outside citations (a title may hold "TP. Thủ Dầu Một")
    ends = [
        e.end()
        for e in _SENTENCE_END.finditer(text)
        if not any(cs.start <= e.start() < cs.end for cs in spans)
    ]

    def sentence(pos: int) -> int:
        return bisect.bisect_right(ends, pos)

    parent = list(range(len(items)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_in: dict[int, int] = {}
    for i, (start, _, what, _, _, _, also) in enumerate(items):
        for s in (start, *also):
            for n in range(sentence(s), sentence(max(s, s + len(what) - 1)) + 1):
                j = first_in.setdefault(n, i)
                if root(j) != root(i):
                    parent[root(i)] = root(j)
    bounds: dict[int, tuple[int, int]] = {}
    for i, (start, _, what, _, _, _, also) in enumerate(items):
        lo = sentence(start)
        hi = sentence(max((start, *also)) + max(len(what) - 1, 0))
        r = root(i)
        a, b = bounds.get(r, (lo, hi))
        bounds[r] = (min(a, lo), max(b, hi))
    out = []
    seen_nth: dict[tuple[str, str], int] = {}
    for i, (start, kind, what, suggestion, message, extra, also) in enumerate(items):
        nth = seen_nth.get((kind, what), 0)
        seen_nth[(kind, what)] = nth + 1 + len(also)
        lo, hi = bounds[root(i)]
        s = ends[lo - 1] if lo > 0 else 0
        e = ends[hi] if hi < len(ends) else len(text)
        more: dict[str, Any] = {"group": f"{s}-{e}", **extra}
        if also:
            more["also"] = " ".join(str(b - a) for a, b in itertools.pairwise([start, *also]))
        f = new_finding(kind, place, {**path, "start": start}, what, suggestion, message, nth=nth)
        out.append(replace(f, extra=more))
    return out


def _own_title(text: str, cs: CitationSpan) -> str:
    """The citation's title as cited, its nested citations blanked out (offsets kept)."""
    title = list(text[cs.mention.end : cs.end])
    for s, e in cs.nested:
        for i in range(max(s, cs.mention.end), e):
            title[i - cs.mention.end] = " "
    return "".join(title)


def _scan_directives(
    text: str, spans: list[CitationSpan], ctx: Context, add: Any, protected: _Spans
) -> None:
    """One finding per stale citation, whose fix rewrites the whole citation coherently."""
    old, new = ctx.old, ctx.new
    handled: list[tuple[int, int]] = []
    suggested: set[str] = set()
    for cs in spans:
        m = cs.mention
        if any(s <= m.start < e for s, e in handled):
            continue  # a citation inside the title of another: handled with it
        d = resolve(m, ctx.catalogue) if ctx.catalogue is not None else None
        issued_year = m.issued.year if m.issued else (d.issued.year if d and d.issued else None)
        title = _own_title(text, cs)
        for_old_year = issued_year == old or f"/{old}/" in m.symbol
        if not for_old_year and m.doc_type in _PLAN_TYPES and issued_year in (None, old - 1):
            # a plan issued late in the year before, "về … năm 2020": last year's plan too
            tail = text[m.end : _clause_end(text, m.end)]
            for_old_year = re.search(rf"năm\s+{old}(?!\d)", tail) is not None
        whole = text[cs.start : cs.end]
        what = f"{m.doc_type} số {m.symbol}"
        if m.doc_type in _PLAN_TYPES and for_old_year:
            handled.append((cs.start, cs.end))
            _yearly(text, cs, d, ctx, add, "superior_plan", f"{what} là kế hoạch của năm {old}")
            continue
        if d is not None and d.is_outdated:
            reach = text[cs.start : cs.reach]
            handled.append((cs.start, cs.reach))
            protected.add(cs.start, cs.reach)
            _replaced(m, d, reach, ctx, add, suggested)
            continue
        if re.search(rf"năm(?:\s+học)?\s+(?:{old - 1}\s*[-–]\s*)?{old}(?!\d)", title):
            handled.append((cs.start, cs.end))
            _yearly(text, cs, d, ctx, add, "yearly_document", f"{what} là văn bản của năm {old}")
            continue
        for p in _PERIOD.finditer(title):
            a, b = int(p.group("a")), int(p.group("b"))
            if a < b < new and b - a <= _MAX_PERIOD:
                handled.append((cs.start, cs.end))
                add(
                    "ended_period",
                    cs.start,
                    whole,
                    "",
                    f"{what} nói về giai đoạn {a}-{b}, đã kết thúc trước năm {new}. Trích dẫn "
                    "được giữ nguyên: nếu kế hoạch năm nay cần văn bản của giai đoạn mới, hãy "
                    "thay cả trích dẫn (số, ngày, tên) bằng văn bản đó trong danh mục.",
                )
                break


def _yearly(
    text: str,
    cs: CitationSpan,
    d: Directive | None,
    ctx: Context,
    add: Any,
    kind: str,
    lead: str,
) -> None:
    """Last year's plan (or yearly document): its successor cited whole, or a blank one."""
    whole = text[cs.start : cs.end]
    succ = _successor(d, ctx)
    if succ is not None:
        add(
            kind,
            cs.start,
            whole,
            first_citation(succ),
            f"{lead}; danh mục có văn bản của năm {ctx.new}: {short_citation(succ)}"
            + (f" ngày {citation_date(succ.issued)}" if succ.issued else "")
            + ". Đề xuất thay cả trích dẫn bằng văn bản này.",
        )
        return
    add(
        kind,
        cs.start,
        whole,
        _placeholder(text, cs, ctx),
        f"{lead}. Năm {ctx.new} sẽ có văn bản mới với số và ngày mới, danh mục chưa có: "
        f"đề xuất để trống số, ngày (“…”), trích dẫn cần cập nhật: hãy điền số, ngày của văn "
        f"bản năm {ctx.new} và xem lại tên văn bản (hoặc chọn văn bản trong danh mục).",
        needs_update=True,
    )


def _successor(d: Directive | None, ctx: Context) -> Directive | None:
    """The catalogue's row for next year: `replaced_by`, else same type, issuer and title with
    the year moved, issued in the new year or the year before."""
    cat = ctx.catalogue
    if cat is None or d is None:
        return None
    rep: Directive | None = cat.replacement_of(d)
    if rep is not None:
        return rep
    if not d.title or not re.search(rf"(?<!\d){ctx.old}(?!\d)", d.title):
        return None
    index = ctx.cache.get("titles")
    if index is None:
        index = {}
        for row in cat:
            key = (fold(row.doc_type), fold(row.issuer), fold(row.title))
            index.setdefault(key, []).append(row)
        ctx.cache["titles"] = index
    moved = re.sub(rf"(?<!\d){ctx.old}(?!\d)", str(ctx.new), d.title)
    rows: list[Directive] = index.get((fold(d.doc_type), fold(d.issuer), fold(moved)), [])
    for row in rows:
        if row.id != d.id and row.issued and ctx.new - 1 <= row.issued.year <= ctx.new:
            return row
    return None


def _replaced(
    m: CitationMention, d: Directive, clause: str, ctx: Context, add: Any, suggested: set[str]
) -> None:
    old_status = d.status_label.lower() if d.status in ("expired", "replaced") else None
    status = old_status or "hết hiệu lực"
    rep = ctx.catalogue.replacement_of(d) or ctx.catalogue.replaced_by(d)
    what = f"{m.doc_type} số {m.symbol}" + (f" ngày {show_date(d.issued)}" if d.issued else "")
    if rep is None:
        add(
            "replaced_directive",
            m.start,
            clause,
            "",
            f"{what} đã {status}; danh mục chưa có văn bản thay thế: hãy bỏ trích dẫn này "
            "hoặc thay bằng văn bản đang có hiệu lực.",
        )
        return
    rep_what = f"{rep.doc_type} số {rep.symbol}" + (
        f" ngày {citation_date(rep.issued)}" if rep.issued else ""
    )
    if rep.id in suggested:
        add(
            "replaced_directive",
            m.start,
            clause,
            "",
            f"{what} đã {status}, được thay bằng {rep_what} (đã đề xuất ở trích dẫn trước "
            "trong cùng đoạn): hãy xóa trích dẫn này để khỏi nhắc lại.",
        )
        return
    suggested.add(rep.id)
    note = ""
    if ctx.today is not None and rep.issued is not None and rep.issued > ctx.today:
        note = (
            f" Lưu ý: văn bản thay thế ban hành ngày {citation_date(rep.issued)}, sau ngày hôm nay."
        )
    add(
        "replaced_directive",
        m.start,
        clause,
        first_citation(rep),
        f"{what} đã {status}, được thay bằng {rep_what}.{note}",
    )


def _clause_end(text: str, pos: int) -> int:
    m = _CLAUSE_END.search(text, pos)
    return m.start() if m else len(text)


def _placeholder(text: str, cs: CitationSpan, ctx: Context) -> str:
    """The citation of next year's document with its number and day left blank (“…”).

    Type, symbol pattern, issuer and title are kept as cited; the years that name last year
    (`/2020/` in the symbol, the date's year, `năm 2020`/`năm học 2019-2020` in the title) move
    by the year difference; nested citations in the title are left as they are.
    """
    m = cs.mention
    head = _blank_plan(m, ctx.diff)
    tail = text[m.end : cs.end]
    if not tail:
        return head
    pieces, pos = [], m.end
    for s, e in (*cs.nested, (cs.end, cs.end)):
        pieces.append((False, text[pos:s]))
        pieces.append((True, text[s:e]))
        pos = e
    out = []
    blanked = m.issued is not None
    for nested, piece in pieces:
        if nested:
            out.append(piece)
            continue
        if not blanked:
            moved = _blank_date(piece, ctx.diff)
            blanked = moved != piece
            piece = moved
        piece = re.sub(
            rf"(năm\s+học\s+)({_Y})(\s*[-–]\s*)({_Y})",
            lambda x: (
                f"{x.group(1)}{int(x.group(2)) + ctx.diff}{x.group(3)}{int(x.group(4)) + ctx.diff}"
                if ctx.old - 1 <= int(x.group(2)) <= ctx.old
                else x.group(0)
            ),
            piece,
        )
        piece = re.sub(rf"(năm\s+){ctx.old}(?![\d\-–])", rf"\g<1>{ctx.new}", piece)
        out.append(piece)
    return head + "".join(out)


def _blank_date(raw: str, diff: int) -> str:
    """The first written date blanked (day and month “…”), its year moved by `diff`."""
    raw, n = re.subn(
        rf"(ngày\s+)\d{{1,2}}(\s*[/.\-]\s*)\d{{1,2}}(\s*[/.\-]\s*)({_Y})",
        lambda x: f"{x.group(1)}…{x.group(2)}…{x.group(3)}{int(x.group(4)) + diff}",
        raw,
        count=1,
    )
    if n:
        return raw
    return re.sub(
        rf"(ngày\s+)\d{{1,2}}(\s+tháng\s+)\d{{1,2}}(\s+năm\s+)({_Y})",
        lambda x: f"{x.group(1)}…{x.group(2)}…{x.group(3)}{int(x.group(4)) + diff}",
        raw,
        count=1,
    )


def _blank_plan(m: CitationMention, diff: int) -> str:
    """The mention with its number and day blanked and its years moved: the text to fill in."""
    raw = m.raw
    lead = len(raw) - len(raw.lstrip())
    head = re.search(r"\d{1,5}[a-zA-Z]?(?=[ \t]?[/\-])", raw[lead:])
    if head:
        s, e = head.start() + lead, head.end() + lead
        raw = raw[:s] + "…" + raw[e:]

    def year(x: re.Match[str]) -> str:
        return str(int(x.group(0)) + diff)

    raw = re.sub(rf"(?<=/){_Y}(?=/)", year, raw, count=1)
    return _blank_date(raw, diff)


def _scan_events(text: str, ctx: Context, add: Any, protected: _Spans) -> None:
    for m in _FORWARD.finditer(text):
        events = m.group("events").rstrip()
        end = m.start("events") + len(events)
        if protected.hit(m.start(), end):
            continue  # words of a cited document's title
        years = [int(y) for y in re.findall(_Y, events)]
        when = min(years) if years else ctx.old
        if when >= ctx.new:
            continue
        found = text[m.start() : end]
        trigger = m.group("trigger")
        items = re.split(r"\s*,\s*", events)
        suggestion = ""
        if all(i.lower().startswith("đại hội") for i in items):
            t = trigger.lower()
            if t.startswith("lập thành tích"):
                suggestion = f"góp phần đưa Nghị quyết {events} vào cuộc sống"
            elif t.startswith("trong quá trình"):
                suggestion = f"trong quá trình triển khai thực hiện Nghị quyết {events}"
            elif t.startswith("phục vụ"):
                suggestion = f"phục vụ triển khai thực hiện Nghị quyết {events}"
            else:
                suggestion = f"thực hiện thắng lợi Nghị quyết {events}"
            if trigger[:1].isupper():
                suggestion = suggestion[:1].upper() + suggestion[1:]
        said = f"năm {when}" if years else f"trong năm {ctx.old}"
        add(
            "past_event",
            m.start(),
            found,
            suggestion,
            f"Kế hoạch năm {ctx.old} nói đến “{_short(events)}” như sự kiện sắp diễn ra ({said}); "
            f"đến năm {ctx.new} sự kiện đã qua: hãy viết lại cho phù hợp.",
        )
        protected.add(m.start(), end)
    for m in _UPCOMING.finditer(text):
        if protected.hit(m.start(), m.end()):
            continue
        years = [int(y) for y in re.findall(_Y, m.group("events"))]
        if years and min(years) >= ctx.new:
            continue
        add(
            "past_event",
            m.start(),
            m.group(0),
            "",
            f"“{_short(m.group('events'))}” được nói là {m.group('post')} trong kế hoạch năm "
            f"{ctx.old}; đến năm {ctx.new} đã qua: hãy viết lại cho phù hợp.",
        )
        protected.add(m.start(), m.end())


def _scan_anniversaries(text: str, ctx: Context, add: Any, protected: _Spans) -> None:
    """`kỷ niệm 90 năm … (1930 - 2020)`: the count that the new year makes 91."""
    for m in _ANNIVERSARY.finditer(text):
        if protected.hit(m.start(), m.end()):
            continue
        stop = _CLAUSE_END.search(text, m.end())
        window = text[m.end() : min(stop.start() if stop else len(text), m.end() + 160)]
        span = _SPAN_START.search(window)
        if span is None:
            continue  # no founding year written: the count cannot be checked
        n, expected = int(m.group("n")), ctx.new - int(span.group("a"))
        if n == expected or expected <= 0:
            continue
        add(
            "past_event",
            m.start(),
            m.group(0),
            m.group(0)[: m.start("n") - m.start()]
            + str(expected)
            + m.group(0)[m.end("n") - m.start() :],
            f"Năm {ctx.new} là kỷ niệm {expected} năm (từ năm {span.group('a')}), "
            f"không phải {n} năm.",
        )


def _short(text: str, n: int = 80) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _scan_periods(text: str, ctx: Context, add: Any, protected: _Spans) -> None:
    for m in _PERIOD.finditer(text):
        a, b = int(m.group("a")), int(m.group("b"))
        if b <= a or protected.hit(m.start("a"), m.end("b")):
            continue
        protected.add(m.start("a"), m.end("b"))
        h = _PERIOD_HEAD.search(text, max(0, m.start() - 30), m.start())
        start = h.start() if h else m.start()
        word = ((h.group("word") if h else "") or "").lower()
        sep = m.group("sep")
        head = text[start : m.start("a")]
        found = text[start : m.end()]
        if word in ("năm học", "niên khóa", "niên khoá") and b - a == 1:
            if a >= ctx.new:
                continue
            d = ctx.new - ctx.old if a >= ctx.old - 1 else ctx.new - a
            add(
                "year",
                start,
                found,
                f"{head}{a + d}{sep}{b + d}",
                f"Năm học {a}{sep}{b} là của kế hoạch cũ; kế hoạch năm {ctx.new} có lẽ nói đến "
                f"năm học {a + d}{sep}{b + d}.",
            )
            continue
        if b >= ctx.new:
            continue  # still running: left alone
        if b - a > _MAX_PERIOD:  # an anniversary's span (1930 - 2020), not a period
            moved = b >= ctx.old - 1
            add(
                "past_event",
                start,
                found,
                f"{head}{a}{sep}{b + ctx.diff}" if moved else "",
                f"Mốc kỷ niệm {a}{sep}{b} là của năm {b}; năm {ctx.new} là {a}{sep}"
                f"{b + ctx.diff}: hãy xem lại số năm kỷ niệm."
                if moved
                else f"Mốc {a}{sep}{b} đã qua so với năm {ctx.new}: hãy xem lại.",
            )
            continue
        length = b - a
        term = word == "nhiệm kỳ"
        na, nb = (b, b + length) if term else (b + 1, b + 1 + length)
        while nb < ctx.new:
            na, nb = (nb, nb + length) if term else (nb + 1, nb + 1 + length)
        label = word or "giai đoạn"
        add(
            "ended_period",
            start,
            found,
            f"{head}{na}{sep}{nb}",
            f"{label[:1].upper() + label[1:]} {a}{sep}{b} đã kết thúc trước năm {ctx.new}; "
            f"giai đoạn tiếp theo là {na}{sep}{nb} (hãy kiểm tra văn bản của giai đoạn mới).",
        )


def _scan_dates(text: str, low: str, ctx: Context, add: Any, protected: _Spans) -> None:
    # cheap tests first: most paragraphs hold no date at all
    ranges = _DATE_RANGE.finditer(text) if "/" in text else ()
    quarters = _QUARTER.finditer(text) if "quý" in low or "học kỳ" in low else ()
    patterns = [
        rx
        for rx, need in ((_DATE_WORDS, "tháng"), (_DATE_NUM, ""), (_MONTH_YEAR, "tháng"))
        if need in low
    ]
    for m in ranges:  # an anniversary's span: 03/02/1930 - 03/02/2020
        a, b = int(m.group("a")), int(m.group("b"))
        if b - a <= _MAX_PERIOD or protected.hit(m.start(), m.end()):
            continue
        protected.add(m.start(), m.end())
        if not ctx.old - 1 <= b < ctx.new:
            continue  # still current, or long past: the start date is history either way
        add(
            "past_event",
            m.start(),
            m.group(0),
            m.group(0)[: m.start("b") - m.start()] + str(b + ctx.diff),
            f"Mốc kỷ niệm “{m.group(0)}” là của năm {b}; năm {ctx.new} hãy xem lại số năm kỷ niệm.",
        )
    for m in quarters:  # "Quý IV/2020"
        y = int(m.group("y"))
        if protected.hit(m.start(), m.end()) or y >= ctx.new:
            continue
        protected.add(m.start(), m.end())
        shift = y >= ctx.old - 1
        add(
            "past_event",
            m.start(),
            m.group(0),
            m.group(0)[: m.start("y") - m.start()] + str(y + ctx.diff) if shift else "",
            f"Mốc thời gian “{m.group(0)}” đã qua so với năm {ctx.new}: hãy đặt lại mốc "
            "của năm nay (hoặc bỏ nếu không còn phù hợp).",
        )
    for rx in patterns:
        for m in rx.finditer(text):
            if protected.hit(m.start(), m.end()):
                continue
            protected.add(m.start(), m.end())
            y, mo = int(m.group("y")), int(m.group("m"))
            day = int(m.group("d")) if "d" in m.groupdict() else 1
            when = make_date(y, mo, day)
            if when is None:
                continue
            if y >= ctx.new:
                continue
            suggestion = ""
            if y >= ctx.old - 1:
                moved = move_date(when, ctx.diff)
                parts = [(m.start("y"), m.end("y"), str(moved.year))]
                if "d" in m.groupdict() and moved.day != when.day:
                    parts.append((m.start("d"), m.end("d"), f"{moved.day:0{len(m.group('d'))}d}"))
                found = m.group(0)
                base = m.start()
                for s, e, value in sorted(parts, reverse=True):
                    found = found[: s - base] + value + found[e - base :]
                suggestion = found
            add(
                "past_event",
                m.start(),
                m.group(0),
                suggestion,
                f"Mốc thời gian “{m.group(0)}” đã qua so với năm {ctx.new}: hãy đặt lại mốc "
                "của năm nay (hoặc bỏ nếu không còn phù hợp).",
            )


def _scan_years(text: str, ctx: Context, add: Any, protected: _Spans) -> None:
    for m in _YEAR.finditer(text):
        y = int(m.group(0))
        if protected.hit(m.start(), m.end()) or not ctx.old - 1 <= y <= ctx.old:
            continue
        h = _YEAR_HEAD.search(text, max(0, m.start() - 8), m.start())
        word = h is not None
        start = h.start() if h else m.start()
        if y == ctx.old:
            target = ctx.new
            message = f"Năm {ctx.old} là năm của kế hoạch cũ; kế hoạch mới là năm {ctx.new}."
        elif y == ctx.old - 1 and word:
            target = ctx.new - 1
            message = (
                f"Năm {y} là năm trước của kế hoạch cũ; với kế hoạch năm {ctx.new}, năm trước "
                f"là {target}."
            )
        else:
            continue
        found = text[start : m.end()]
        add("year", start, found, found[: m.start() - start] + str(target), message)
