"""Findings: the things a rollover or a citation check asks the user to look at.

A `Finding` points at one exact piece of text in a plan (its `path`), says what is wrong with it
(`kind`, `message`) and, when it can, what to write instead (`suggestion`). Findings live in the
plan file under `plan.extra["findings"]` (a list of dicts, see `Finding.to_dict`), so they travel
with the plan and survive a reload.

Paths (machine locators; `start` is the character offset of `text` in that field):

- `{"area": "meta", "field": "subject", "start": 27}` — a header field (trích yếu);
- `{"area": "bases", "index": 0, "start": 7}` — the first Căn cứ line;
- `{"area": "preamble" | "closing" | "recipients", "index": 0, "start": 3}`;
- `{"area": "section", "section": "II.1", "block": 1, "start": 12}` — a block's text
  (block index 0-based); add `"row": r, "col": c` for a cell of a table block;
- `{"area": "section", "section": "II.1", "field": "title", "start": 0}` — a section title;
- `{"area": "task", "id": "t1", "field": "start" | "due" | "status" | "progress"}` — a task
  field; `text` and `suggestion` are then shown values (`25/11/2020`, `Hoàn thành`, `100`);
  `{"area": "task", "id": "t1", "field": "title", "start": 4}` — text inside a task's title.

`apply_finding` writes `suggestion` over exactly that occurrence of `text` and keeps the other
findings of the same field pointing at the right characters.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from planner.errors import PlanFormatError, PlannerError
from planner.model import STATUS_LABELS, Block, Plan, Section, Task, with_extra
from planner.text.dates import DateError, parse_date, show_date

FINDING_STATUSES = ("open", "applied", "dismissed")

STATUS_NAMES = {
    "open": "Cần xem",
    "applied": "Đã áp dụng",
    "dismissed": "Đã bỏ qua",
}

KIND_LABELS = {
    # rollover
    "year": "Năm cũ",
    "ended_period": "Giai đoạn đã kết thúc",
    "superior_plan": "Kế hoạch cấp trên năm trước",
    "replaced_directive": "Văn bản đã hết hiệu lực / được thay thế",
    "past_event": "Sự kiện đã qua",
    "task_date": "Ngày của nhiệm vụ",
    "task_status": "Trạng thái nhiệm vụ",
    # citation check
    "citation_unknown": "Văn bản chưa có trong danh mục",
    "citation_mismatch": "Hai lần trích dẫn không khớp",
    "citation_date": "Ngày ban hành khác danh mục",
    "party_symbol": "Ký hiệu văn bản của Đảng viết sai",
    "not_in_force": "Văn bản không còn hiệu lực",
}

ROLLOVER_KINDS = (
    "year",
    "ended_period",
    "superior_plan",
    "replaced_directive",
    "past_event",
    "task_date",
    "task_status",
)
CITATION_KINDS = (
    "citation_unknown",
    "citation_mismatch",
    "citation_date",
    "party_symbol",
    "not_in_force",
)

TEXT_AREAS = ("preamble", "closing", "recipients")
# Applying one of these on a Căn cứ changes which document it cites.
_RELINK_KINDS = ("superior_plan", "replaced_directive", "not_in_force")
TASK_FIELDS = ("start", "due", "status", "progress")


class FindingError(PlannerError):
    """A finding cannot be applied or dismissed (already handled, text changed, not found)."""


@dataclass(frozen=True)
class Finding:
    """One thing to look at: where (`place` for people, `path` for code), what, what instead.

    - `kind`: an English key from `KIND_LABELS` (`year`, `ended_period`, …);
    - `place`: a Vietnamese label of where it is ("Mục II.1, đoạn 2", "Căn cứ 1", "Trích yếu");
    - `path`: a machine locator (see the module docstring);
    - `text`: the exact text found there;
    - `suggestion`: the replacement text, or "" when there is nothing sure to propose
      (the user edits the text by hand, then dismisses the finding);
    - `message`: a Vietnamese explanation for the user;
    - `status`: `open`, `applied` or `dismissed`.
    """

    id: str
    kind: str
    place: str
    path: Mapping[str, Any]
    text: str
    suggestion: str = ""
    message: str = ""
    status: str = "open"
    extra: Mapping[str, Any] = field(default_factory=dict, compare=False)

    @property
    def kind_label(self) -> str:
        """The kind in Vietnamese, for the findings panel."""
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def status_label(self) -> str:
        """The status in Vietnamese (Cần xem / Đã áp dụng / Đã bỏ qua)."""
        return STATUS_NAMES.get(self.status, self.status)

    @property
    def can_apply(self) -> bool:
        """True when the panel should offer “Áp dụng”: open and with a suggestion."""
        return self.status == "open" and self.suggestion != ""

    @property
    def start(self) -> int | None:
        """Offset of `text` in its field (None for task fields)."""
        s = self.path.get("start")
        return s if isinstance(s, int) else None

    def to_dict(self) -> dict[str, Any]:
        """The JSON form stored in `plan.extra["findings"]`."""
        out = {
            "id": self.id,
            "kind": self.kind,
            "place": self.place,
            "path": dict(self.path),
            "text": self.text,
            "suggestion": self.suggestion,
            "message": self.message,
            "status": self.status,
        }
        return {**out, **self.extra}


def make_id(kind: str, path: Mapping[str, Any], text: str, nth: int = 0) -> str:
    """A stable id from what and where: re-running a check gives the same id to the same spot.

    The character offset is left out (an edit earlier in the paragraph moves it); `nth` (which
    occurrence of `text` in that field) tells repeated texts apart instead.
    """
    where = {k: v for k, v in path.items() if k != "start"}
    key = json.dumps([kind, where, text, nth], ensure_ascii=False, sort_keys=True)
    return kind[:4] + "-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]


def new_finding(
    kind: str,
    place: str,
    path: Mapping[str, Any],
    text: str,
    suggestion: str = "",
    message: str = "",
    status: str = "open",
    *,
    nth: int = 0,
) -> Finding:
    """A finding with its stable id (`make_id`)."""
    return Finding(
        make_id(kind, path, text, nth),
        kind,
        place,
        dict(path),
        text,
        suggestion,
        message,
        status,
    )


def finding_from_dict(data: Any, where: str = "findings") -> Finding:
    """Read one stored finding; a malformed one is a PlanFormatError naming it."""
    if not isinstance(data, Mapping):
        raise PlanFormatError(f"Phát hiện “{where}” trong tệp kế hoạch không đúng dạng.")
    known = ("id", "kind", "place", "path", "text", "suggestion", "message", "status")
    for key in ("id", "kind", "place", "text", "suggestion", "message", "status"):
        if not isinstance(data.get(key, ""), str):
            raise PlanFormatError(
                f"Phát hiện “{where}” trong tệp kế hoạch: trường “{key}” phải là chữ."
            )
    path = data.get("path")
    if not isinstance(path, Mapping) or not isinstance(path.get("area"), str):
        raise PlanFormatError(
            f"Phát hiện “{where}” trong tệp kế hoạch: trường “path” không đúng dạng."
        )
    status = data.get("status", "open")
    if status not in FINDING_STATUSES:
        raise PlanFormatError(
            f"Phát hiện “{where}” trong tệp kế hoạch: trạng thái “{status}” không hợp lệ "
            f"(cần một trong: {', '.join(FINDING_STATUSES)})."
        )
    if not data.get("id"):
        raise PlanFormatError(f"Phát hiện “{where}” trong tệp kế hoạch thiếu mã (id).")
    return Finding(
        id=data["id"],
        kind=data.get("kind", ""),
        place=data.get("place", ""),
        path=dict(path),
        text=data.get("text", ""),
        suggestion=data.get("suggestion", ""),
        message=data.get("message", ""),
        status=status,
        extra={k: v for k, v in data.items() if k not in known},
    )


# ---------------------------------------------------------------- stored list


def findings_of(plan: Plan) -> list[Finding]:
    """The findings stored in the plan (empty when none)."""
    raw = plan.extra.get("findings")
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise PlanFormatError("Tệp kế hoạch: trường “findings” phải là một danh sách.")
    return [finding_from_dict(d, f"findings[{i + 1}]") for i, d in enumerate(raw)]


def store_findings(plan: Plan, findings: Iterable[Finding]) -> Plan:
    """A copy of the plan holding exactly `findings` (as dicts in `plan.extra["findings"]`)."""
    items = [f.to_dict() for f in findings]
    return with_extra(plan, findings=items if items else None)


def merge_findings(plan: Plan, new: Iterable[Finding], *, kinds: Iterable[str]) -> Plan:
    """Store the result of re-running a check for `kinds` beside the plan's other findings.

    Findings of other kinds are kept as they are. Of `kinds`, the applied and dismissed ones
    are kept (the user's decisions); the open ones are replaced by `new`, except that a new
    finding whose id was already dismissed stays dismissed (not asked twice).
    """
    kinds = set(kinds)
    old = findings_of(plan)
    decided = {f.id: f for f in old if f.kind in kinds and f.status != "open"}
    out = [f for f in old if f.kind not in kinds or f.status != "open"]
    seen = {f.id for f in out}
    for f in new:
        if f.id in decided or f.id in seen:
            continue
        seen.add(f.id)
        out.append(f)
    return store_findings(plan, out)


def _find(findings: list[Finding], finding_id: str) -> int:
    for i, f in enumerate(findings):
        if f.id == finding_id:
            return i
    raise FindingError(f"Không tìm thấy phát hiện “{finding_id}” trong kế hoạch này.")


def dismiss_finding(plan: Plan, finding_id: str) -> Plan:
    """Mark a finding dismissed (Bỏ qua): the text stays as it is."""
    findings = findings_of(plan)
    i = _find(findings, finding_id)
    f = findings[i]
    if f.status == "applied":
        raise FindingError(f"Phát hiện ở “{f.place}” đã được áp dụng, không thể bỏ qua nữa.")
    findings[i] = replace(f, status="dismissed")
    return store_findings(plan, findings)


def reopen_finding(plan: Plan, finding_id: str) -> Plan:
    """Undo a dismissal (the finding is open again)."""
    findings = findings_of(plan)
    i = _find(findings, finding_id)
    f = findings[i]
    if f.status == "applied":
        raise FindingError(
            f"Phát hiện ở “{f.place}” đã được áp dụng; "
            "hãy khôi phục phiên bản cũ nếu muốn hoàn tác."
        )
    findings[i] = replace(f, status="open")
    return store_findings(plan, findings)


def apply_finding(plan: Plan, finding_id: str) -> Plan:
    """Write the finding's suggestion over its text, there only, and mark it applied.

    Refuses (FindingError, in Vietnamese) when the finding is not open, has no suggestion, or
    the text at its place no longer matches (the user edited it meanwhile). When the exact
    offset moved but the text occurs exactly once in that field, that occurrence is used.
    Other open findings in the same field are kept in step: those after it move with the
    text, one that contains it gets the new text inside, and one that overlapped the replaced
    text is closed as dismissed (its text is gone).
    """
    findings = findings_of(plan)
    i = _find(findings, finding_id)
    f = findings[i]
    if f.status != "open":
        raise FindingError(
            f"Phát hiện ở “{f.place}” đã được xử lý ({f.status_label.lower()}), không áp dụng lại."
        )
    if f.suggestion == "":
        raise FindingError(
            f"Phát hiện ở “{f.place}” không có đề xuất sửa tự động: hãy sửa trực tiếp nội dung, "
            "rồi bấm “Bỏ qua”."
        )
    area = f.path.get("area")
    if area == "task" and f.path.get("field") != "title":
        new_plan = _apply_task(plan, f)
        findings[i] = replace(f, status="applied")
        return store_findings(new_plan, findings)
    current = get_text(plan, f.path)
    if current is None:
        raise FindingError(
            f"Không tìm thấy “{f.place}” trong kế hoạch (mục hoặc đoạn đã bị xóa hay di chuyển)."
        )
    start = _locate(current, f)
    end = start + len(f.text)
    new_text = current[:start] + f.suggestion + current[end:]
    new_plan = set_text(plan, f.path, new_text)
    if area == "bases" and f.kind in _RELINK_KINDS:
        # the Căn cứ now cites another document: its old catalogue link no longer holds
        k = int(f.path["index"])
        bases = list(new_plan.bases)
        bases[k] = replace(bases[k], directive_id=None)
        new_plan = replace(new_plan, bases=tuple(bases))
    delta = len(f.suggestion) - len(f.text)
    here = _field_key(f.path)
    for j, g in enumerate(findings):
        if j == i:
            findings[j] = replace(f, status="applied", path={**f.path, "start": start})
            continue
        if g.status != "open" or _field_key(g.path) != here or g.start is None:
            continue
        gs, ge = g.start, g.start + len(g.text)
        if (gs, ge) == (start, end) and g.suggestion == f.suggestion:
            findings[j] = replace(g, status="applied", path={**g.path, "start": start})
        elif (gs, ge) == (start, end):
            findings[j] = _closed(g, f)
        elif gs >= end:
            findings[j] = replace(g, path={**g.path, "start": gs + delta})
        elif ge <= start:
            continue
        elif gs <= start and ge >= end:
            inner = g.text[: start - gs] + f.suggestion + g.text[end - gs :]
            findings[j] = replace(g, text=inner)
        else:
            findings[j] = _closed(g, f)
    return store_findings(new_plan, findings)


def _closed(g: Finding, by: Finding) -> Finding:
    """`g` dismissed because applying `by` rewrote its text."""
    note = f"(Đã đóng khi áp dụng sửa đổi “{_short(by.suggestion)}”.)"
    return replace(g, status="dismissed", message=f"{g.message} {note}".strip())


def _locate(current: str, f: Finding) -> int:
    start = f.start
    if start is not None and current[start : start + len(f.text)] == f.text:
        return start
    if f.text and current.count(f.text) == 1:
        return current.index(f.text)
    raise FindingError(
        f"Nội dung ở “{f.place}” đã thay đổi, không còn “{_short(f.text)}” như lúc rà soát; "
        "hãy sửa trực tiếp hoặc rà soát lại."
    )


def _short(text: str, n: int = 60) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _field_key(path: Mapping[str, Any]) -> tuple[Any, ...]:
    return tuple(sorted((k, json.dumps(v)) for k, v in path.items() if k != "start"))


# ---------------------------------------------------------------- review marks


def review_progress(plan: Plan) -> tuple[int, int]:
    """(reviewed, total) over blocks whose review is tracked (`Block.reviewed` not None)."""
    done = total = 0
    for _, s in plan.iter_sections():
        for b in s.blocks:
            if b.reviewed is not None:
                total += 1
                done += b.reviewed is True
    return done, total


# ---------------------------------------------------------------- reading and writing a spot


def place_label(path: Mapping[str, Any]) -> str:
    """The Vietnamese label of a path ("Mục II.1, đoạn 2", "Căn cứ 1", "Trích yếu")."""
    area = path.get("area")
    if area == "meta":
        names = {
            "subject": "Trích yếu",
            "parent_authority": "Cơ quan chủ quản",
            "authority": "Cơ quan ban hành",
            "place": "Địa danh",
            "symbol": "Ký hiệu",
        }
        return names.get(path.get("field", ""), f"Thông tin chung ({path.get('field')})")
    if area == "bases":
        return f"Căn cứ {int(path.get('index', 0)) + 1}"
    if area in TEXT_AREAS:
        name = {
            "preamble": "Phần mở đầu, đoạn",
            "closing": "Phần kết, đoạn",
            "recipients": "Nơi nhận, dòng",
        }[area]
        return f"{name} {int(path.get('index', 0)) + 1}"
    if area == "section":
        where = f"Mục {path.get('section')}"
        if path.get("field") == "title":
            return f"{where}, tên mục"
        label = f"{where}, đoạn {int(path.get('block', 0)) + 1}"
        if "row" in path:
            label += f" (bảng, hàng {int(path['row']) + 1}, cột {int(path.get('col', 0)) + 1})"
        return label
    if area == "task":
        fname = {
            "start": "ngày bắt đầu",
            "due": "hạn hoàn thành",
            "status": "trạng thái",
            "progress": "tiến độ",
            "title": "tên nhiệm vụ",
        }
        return f"Nhiệm vụ {path.get('id')}, {fname.get(path.get('field', ''), path.get('field'))}"
    return str(area)


def get_text(plan: Plan, path: Mapping[str, Any]) -> str | None:
    """The text of the field `path` points at, or None when that place no longer exists."""
    area = path.get("area")
    try:
        if area == "meta":
            value = getattr(plan.meta, str(path.get("field")), None)
            return value if isinstance(value, str) else None
        if area == "bases":
            return plan.bases[int(path["index"])].text
        if area in TEXT_AREAS:
            return str(getattr(plan, area)[int(path["index"])])
        if area == "section":
            s = plan.find_section(str(path.get("section")))
            if s is None:
                return None
            if path.get("field") == "title":
                return s.title
            b = s.blocks[int(path["block"])]
            if "row" in path:
                return b.rows[int(path["row"])][int(path["col"])]
            return b.text
        if area == "task":
            t = next((t for t in plan.tasks if t.id == path.get("id")), None)
            return None if t is None else task_value(t, str(path.get("field")))
    except (IndexError, KeyError, ValueError, TypeError):
        return None
    return None


def set_text(plan: Plan, path: Mapping[str, Any], text: str) -> Plan:
    """A copy of the plan with the field at `path` set to `text` (not for task fields)."""
    area = path.get("area")
    if area == "meta":
        meta_change: dict[str, Any] = {str(path["field"]): text}
        return replace(plan, meta=replace(plan.meta, **meta_change))
    if area == "bases":
        i = int(path["index"])
        bases = list(plan.bases)
        bases[i] = replace(bases[i], text=text)
        return replace(plan, bases=tuple(bases))
    if area in TEXT_AREAS:
        i = int(path["index"])
        items = list(getattr(plan, area))
        items[i] = text
        plan_change: dict[str, Any] = {str(area): tuple(items)}
        return replace(plan, **plan_change)
    if area == "section":
        target = str(path.get("section"))

        def edit(s: Section) -> Section:
            if path.get("field") == "title":
                return replace(s, title=text)
            bi = int(path["block"])
            blocks = list(s.blocks)
            b: Block = blocks[bi]
            if "row" in path:
                rows = [list(r) for r in b.rows]
                rows[int(path["row"])][int(path["col"])] = text
                blocks[bi] = replace(b, rows=tuple(tuple(r) for r in rows))
            else:
                blocks[bi] = replace(b, text=text)
            return replace(s, blocks=tuple(blocks))

        return replace(plan, sections=_edit_section(plan.sections, "", target, edit))
    if area == "task" and path.get("field") == "title":
        tasks = tuple(replace(t, title=text) if t.id == path.get("id") else t for t in plan.tasks)
        return replace(plan, tasks=tasks)
    raise FindingError(f"Không sửa được “{place_label(path)}”.")


def _edit_section(
    sections: tuple[Section, ...], prefix: str, target: str, edit: Any
) -> tuple[Section, ...]:
    out = []
    for s in sections:
        p = f"{prefix}.{s.number}" if prefix else s.number
        if p == target:
            s = edit(s)
        elif target.startswith(p + "."):
            s = replace(s, children=_edit_section(s.children, p, target, edit))
        out.append(s)
    return tuple(out)


# ---------------------------------------------------------------- task fields


def parse_shown_date(text: str) -> date | None:
    """The inverse of `show_date` ("" → None); FindingError in Vietnamese when unreadable."""
    try:
        return parse_date(text)
    except DateError:
        raise FindingError(f"Ngày “{text}” không hợp lệ (cần dạng ngày/tháng/năm).") from None


def task_value(task: Task, fieldname: str) -> str | None:
    """A task field as shown in a finding: dates `dd/mm/yyyy`, status in Vietnamese."""
    if fieldname in ("start", "due"):
        return show_date(getattr(task, fieldname))
    if fieldname == "status":
        return STATUS_LABELS.get(task.status, task.status)
    if fieldname == "progress":
        return str(task.progress)
    if fieldname == "title":
        return task.title
    return None


def _apply_task(plan: Plan, f: Finding) -> Plan:
    tid, fieldname = f.path.get("id"), str(f.path.get("field"))
    tasks = list(plan.tasks)
    for i, t in enumerate(tasks):
        if t.id != tid:
            continue
        if task_value(t, fieldname) != f.text:
            raise FindingError(
                f"“{f.place}” đã thay đổi (không còn là “{f.text}”); hãy sửa trực tiếp."
            )
        if fieldname in ("start", "due"):
            date_change: dict[str, Any] = {fieldname: parse_shown_date(f.suggestion)}
            t = replace(t, **date_change)
            if t.start and t.due and t.due < t.start:
                raise FindingError(f"Không áp dụng được “{f.place}”: hạn sẽ trước ngày bắt đầu.")
        elif fieldname == "status":
            keys = {v: k for k, v in STATUS_LABELS.items()}
            if f.suggestion not in keys:
                raise FindingError(f"Trạng thái “{f.suggestion}” không hợp lệ.")
            t = replace(t, status=keys[f.suggestion])
        elif fieldname == "progress":
            if not f.suggestion.isdigit() or not 0 <= int(f.suggestion) <= 100:
                raise FindingError(f"Tiến độ “{f.suggestion}” không hợp lệ (0 đến 100).")
            t = replace(t, progress=int(f.suggestion))
        else:
            raise FindingError(f"Không sửa được “{f.place}”.")
        tasks[i] = t
        return replace(plan, tasks=tuple(tasks))
    raise FindingError(f"Không tìm thấy nhiệm vụ “{tid}” trong kế hoạch.")
