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

Two optional keys (kept in `Finding.extra`, written beside the others in the file):

- `also`: further occurrences of the same `text` in that field that the finding covers, as
  one string of gaps, each from the previous occurrence (`"144 145"`): the rollover finds the
  same stale text with the same fix many times in a dense paragraph and stores it once
  (`Finding.starts`, `Finding.count`);
- `group`: the span of the sentence(s) the finding touches in its field (`"0-126"`);
  findings of one field with the same span share a group (`Finding.group`) and
  `apply_findings` applies a group together.

The file form leaves out `place` (`Finding.stored`): it is read back from the path.

Findings with the same kind, text, fix, message and status in many fields (last year's
`năm 2020` once in each of a thousand short paragraphs) are stored as one entry: the first
finding as above, the others in `places`, one string of places separated by spaces, each
`gap:values:start:group:also:id` — `gap` how many findings after the previous one of that
entry it stands in the list (the list's order is kept exactly), `values` the path's other
values in the first path's order joined by `/` (`II.1/3`), `start` its offset, `group` its
sentence span, `also` its further gaps joined by `,`, `id` its id after the kind's prefix.
A string, not nested lists: the plan file is indented JSON and a list would take a line per
number. `findings_of` gives every place back as a finding of its own (own id, path, status),
so the page and the command line see, apply and dismiss each one as before.

`apply_finding` writes `suggestion` over exactly that occurrence (those occurrences) of `text`
and keeps the other findings of the same field pointing at the right characters.
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import json
import re
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
    "yearly_document": "Văn bản của năm trước",
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
    "yearly_document",
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
_RELINK_KINDS = ("superior_plan", "yearly_document", "replaced_directive", "not_in_force")
TASK_FIELDS = ("start", "due", "status", "progress")


class FindingError(PlannerError):
    """A finding cannot be applied or dismissed (already handled, text changed, not found)."""


@dataclass(frozen=True, slots=True)
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

    @property
    def starts(self) -> list[int]:
        """Every offset of `text` this finding covers: `start`, then those `extra["also"]` adds.

        The rollover merges the same stale text with the same fix found several times in one
        field into one finding; `also` holds the further offsets as one string of gaps, each
        from the previous occurrence's start (`"144 145"` after `start` 101: 245 and 390),
        compact in the plan file.
        """
        first = self.start
        if first is None:
            return []
        out = [first]
        also = self.extra.get("also")
        if isinstance(also, str):
            for gap in also.split():
                out.append(out[-1] + int(gap))
        return out

    @property
    def count(self) -> int:
        """How many places of the field this finding covers (1 for most)."""
        return max(1, len(self.starts))

    @property
    def group(self) -> str | None:
        """Findings with the same group touch the same sentence and are applied together.

        Stored as the sentence's span in its field (`extra["group"]`, `"0-126"`); the group is
        that span with the field's path: `"section/II.1/1@0-126"`.
        """
        span = self.extra.get("group")
        if not isinstance(span, str) or not span:
            return None
        where = "/".join(str(v) for k, v in self.path.items() if k != "start")
        return f"{where}@{span}"

    def to_dict(self) -> dict[str, Any]:
        """The JSON form (`plan.extra["findings"]` keeps it without `place`: see `stored`)."""
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

    def stored(self) -> dict[str, Any]:
        """The form kept in the plan file: `to_dict` without what can be read back.

        `place` comes from the path, and a message that is the standard one for its kind, text
        and suggestion (`standard_message`) from those: a dense plan has thousands of findings
        and its file stays small. Anything else is written as it is.
        """
        out = self.to_dict()
        if out["place"] == place_label(self.path):
            del out["place"]
        if out["message"] and out["message"] == standard_message(
            self.kind, self.text, self.suggestion
        ):
            del out["message"]
        return out


_YEAR_IN = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


def standard_message(kind: str, text: str, suggestion: str) -> str | None:
    """The usual message of a finding, when its kind, text and suggestion tell it.

    - `year`, `năm 2020` → `năm 2021`: last year's mention in a plan for the new year;
    - `past_event` on a date moved to the new year: a date of last year now past.

    The rollover's messages for these cases are exactly these; `Finding.stored` leaves a
    message out of the plan file only when it equals this one, so nothing is ever lost.
    """
    if kind not in ("year", "past_event") or not suggestion:
        return None
    old = _YEAR_IN.findall(text)
    new = _YEAR_IN.findall(suggestion)
    if not old or not new:
        return None
    if kind == "year":
        return f"Năm {old[-1]} là năm của kế hoạch cũ; kế hoạch mới là năm {new[-1]}."
    return (
        f"Mốc thời gian “{text}” đã qua so với năm {new[-1]}: hãy đặt lại mốc "
        "của năm nay (hoặc bỏ nếu không còn phù hợp)."
    )


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
    also = data.get("also")
    if also is not None and (
        not isinstance(also, str) or not all(x.isdigit() for x in also.split())
    ):
        raise PlanFormatError(
            f"Phát hiện “{where}” trong tệp kế hoạch: trường “also” phải là các số cách nhau "
            "bởi dấu cách."
        )
    return Finding(
        id=data["id"],
        kind=data.get("kind", ""),
        place=data.get("place") or place_label(path),
        path=dict(path),
        text=data.get("text", ""),
        suggestion=data.get("suggestion", ""),
        message=(
            data["message"]
            if isinstance(data.get("message"), str)
            else standard_message(
                str(data.get("kind", "")),
                str(data.get("text", "")),
                str(data.get("suggestion", "")),
            )
            or ""
        ),
        status=status,
        extra={k: v for k, v in data.items() if k not in known},
    )


# ---------------------------------------------------------------- stored list


def findings_of(plan: Plan) -> list[Finding]:
    """The findings stored in the plan (empty when none), each place of an entry on its own."""
    raw = plan.extra.get("findings")
    if raw is None:
        return []
    if not isinstance(raw, list):
        raise PlanFormatError("Tệp kế hoạch: trường “findings” phải là một danh sách.")
    heads = [finding_from_dict(d, f"findings[{i + 1}]") for i, d in enumerate(raw)]
    if not any("places" in f.extra for f in heads):
        return heads
    # a head stands at the first index no earlier head's place has taken
    pending: dict[int, Finding] = {}
    out: list[Finding] = []
    for i, f in enumerate(heads):
        while len(out) in pending:
            out.append(pending.pop(len(out)))
        places = f.extra.get("places")
        if places is not None:
            f = replace(f, extra={k: v for k, v in f.extra.items() if k != "places"})
            for n, g in _unpack(f, places, len(out), f"findings[{i + 1}]"):
                if n in pending:
                    raise PlanFormatError(
                        f"Phát hiện “findings[{i + 1}]” trong tệp kế hoạch: trường “places” "
                        "chỉ trùng vị trí."
                    )
                pending[n] = g
        out.append(f)
    while len(out) in pending:
        out.append(pending.pop(len(out)))
    if pending:
        raise PlanFormatError("Tệp kế hoạch: trường “places” của phát hiện chỉ sai vị trí.")
    return out


def store_findings(plan: Plan, findings: Iterable[Finding]) -> Plan:
    """A copy of the plan holding exactly `findings` (as dicts in `plan.extra["findings"]`,
    repeats across fields packed into one entry's `places`: see the module docstring)."""
    packer = FindingPacker()
    for f in findings:
        packer.add(f)
    items = packer.items()
    return with_extra(plan, findings=items if items else None)


_PLAIN = re.compile(r"[\w.\-]+")
_SPAN_TEXT = re.compile(r"\d+-\d+")
_GAPS = re.compile(r"\d+(?: \d+)*")
_OWN = ("also", "group", "places")


class FindingPacker:
    """Builds the stored list one finding at a time (the rollover streams into it).

    A finding joins an earlier entry's `places` when kind, text, suggestion, message, status,
    other extra keys and the path's keys are the same, its label is the standard one, its id
    has the kind's prefix, and the path's values are plain words or numbers; it is a new entry
    otherwise. Only the small place strings are kept per finding.
    """

    def __init__(self) -> None:
        self._items: list[dict[str, Any]] = []
        self._keys: dict[tuple[Any, ...], int] = {}
        self._places: dict[int, list[str]] = {}
        self._last: dict[int, int] = {}
        self._n = 0

    def add(self, f: Finding) -> None:
        n, self._n = self._n, self._n + 1
        values = _place_values(f)
        if values is not None:
            key = (
                f.kind,
                f.text,
                f.suggestion,
                f.message,
                f.status,
                f.path.get("area"),
                tuple(f.path),
                tuple(type(v) for v in values),
                json.dumps(
                    {k: v for k, v in f.extra.items() if k not in _OWN},
                    sort_keys=True,
                    ensure_ascii=False,
                ),
            )
            at = self._keys.get(key)
            if at is not None:
                also = f.extra.get("also")
                group = f.extra.get("group")
                place = ":".join(
                    (
                        str(n - self._last[at]),
                        "/".join(str(v) for v in values),
                        str(f.path["start"]),
                        group if isinstance(group, str) else "",
                        also.replace(" ", ",") if isinstance(also, str) else "",
                        f.id[len(f.kind[:4]) + 1 :],
                    )
                )
                self._places.setdefault(at, []).append(place)
                self._last[at] = n
                return
            self._keys[key] = len(self._items)
            self._last[len(self._items)] = n
        self._items.append(f.stored())

    def items(self) -> list[dict[str, Any]]:
        """The stored list (entries with places carry them as one string)."""
        for at, places in self._places.items():
            self._items[at]["places"] = " ".join(places)
        self._places = {}
        return self._items


def _place_values(f: Finding) -> list[Any] | None:
    """The path's values but `area` and `start` when the finding can be a packed place."""
    start = f.path.get("start")
    if not isinstance(start, int) or isinstance(start, bool) or "places" in f.extra:
        return None
    if not f.id.startswith(f.kind[:4] + "-") or not _PLAIN.fullmatch(f.id[len(f.kind[:4]) + 1 :]):
        return None
    group, also = f.extra.get("group"), f.extra.get("also")
    if group is not None and not (isinstance(group, str) and _SPAN_TEXT.fullmatch(group)):
        return None
    if also is not None and not (isinstance(also, str) and _GAPS.fullmatch(also)):
        return None
    values = []
    for k, v in f.path.items():
        if k in ("area", "start"):
            continue
        if isinstance(v, bool) or not isinstance(v, int | str) or not _PLAIN.fullmatch(str(v)):
            return None
        values.append(v)
    if f.place != place_label(f.path):
        return None
    return values


def _unpack(head: Finding, places: Any, at: int, where: str) -> list[tuple[int, Finding]]:
    """Every place of `head` (which stands at index `at`) as a finding of its own, with its
    index in the list."""
    bad = PlanFormatError(f"Phát hiện “{where}” trong tệp kế hoạch: trường “places” sai dạng.")
    if not isinstance(places, str):
        raise bad
    keys = [k for k in head.path if k not in ("area", "start")]
    kinds = [int if type(head.path[k]) is int else str for k in keys]
    area = head.path.get("area")
    prefix = head.kind[:4] + "-"
    base = {k: v for k, v in head.extra.items() if k not in ("also", "group")}
    out: list[tuple[int, Finding]] = []
    n = at
    for place in places.split():
        parts = place.split(":")
        if len(parts) != 6:
            raise bad
        gap, vals, start, group, also, tail = parts
        values = vals.split("/")
        if not gap.isdigit() or int(gap) < 1 or not start.isdigit() or len(values) != len(keys):
            raise bad
        if not tail or (group and not _SPAN_TEXT.fullmatch(group)):
            raise bad
        try:
            typed = [t(v) for t, v in zip(kinds, values, strict=True)]
        except ValueError:
            raise bad from None
        path: dict[str, Any] = {"area": area, **dict(zip(keys, typed, strict=True))}
        path["start"] = int(start)
        extra = dict(base)
        if group:
            extra["group"] = group
        if also:
            if not all(x.isdigit() for x in also.split(",")):
                raise bad
            extra["also"] = also.replace(",", " ")
        n += int(gap)
        f = Finding(
            prefix + tail,
            head.kind,
            place_label(path),
            path,
            head.text,
            head.suggestion,
            head.message,
            head.status,
            extra,
        )
        out.append((n, f))
    return out


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


def _check_applicable(f: Finding) -> None:
    if f.status != "open":
        raise FindingError(
            f"Phát hiện ở “{f.place}” đã được xử lý ({f.status_label.lower()}), không áp dụng lại."
        )
    if f.suggestion == "":
        raise FindingError(
            f"Phát hiện ở “{f.place}” không có đề xuất sửa tự động: hãy sửa trực tiếp nội dung, "
            "rồi bấm “Bỏ qua”."
        )


def apply_finding(plan: Plan, finding_id: str) -> Plan:
    """Write the finding's suggestion over its text, there only, and mark it applied.

    Refuses (FindingError, in Vietnamese) when the finding is not open, has no suggestion, or
    the text at its place no longer matches (the user edited it meanwhile). When the exact
    offset moved but the text occurs exactly once in that field, that occurrence is used.
    A finding of several occurrences (`starts`) is written at each of them.
    Other open findings in the same field are kept in step: those after it move with the
    text, one that contains it gets the new text inside, and one that overlapped the replaced
    text is closed as dismissed (its text is gone).

    This applies that finding alone; `apply_findings` applies a finding with its group.
    """
    findings = findings_of(plan)
    i = _find(findings, finding_id)
    plan = _apply_at(plan, findings, i, _by_field(findings))
    return store_findings(plan, findings)


def apply_findings(plan: Plan, finding_ids: Iterable[str]) -> Plan:
    """Apply `finding_ids` together with every open finding of their groups, as one edit.

    Findings that touch the same sentence share a `group` (the rollover sets it): applying
    one of them alone could leave that sentence half old, half new, so the group goes
    together. Each finding asked for must be open with a suggestion (FindingError otherwise,
    and nothing is applied); the others of its group are applied when they have a suggestion
    and still match the text, and left as they are otherwise.
    """
    findings = findings_of(plan)
    index = {f.id: n for n, f in enumerate(findings)}
    asked = list(dict.fromkeys(finding_ids))
    for fid in asked:
        if fid not in index:
            raise FindingError(f"Không tìm thấy phát hiện “{fid}” trong kế hoạch này.")
        _check_applicable(findings[index[fid]])
    wanted = set(asked)
    groups = {g for g in (findings[index[fid]].group for fid in asked) if g}
    by_field = _by_field(findings)
    for n, f in enumerate(list(findings)):
        if f.id not in wanted and (f.group is None or f.group not in groups):
            continue
        f = findings[n]
        if f.status != "open" or f.suggestion == "":
            continue  # closed by a neighbour just applied, or nothing to write
        try:
            plan = _apply_at(plan, findings, n, by_field)
        except FindingError:
            if f.id in wanted:
                raise
    return store_findings(plan, findings)


def _by_field(findings: list[Finding]) -> dict[tuple[Any, ...], list[int]]:
    out: dict[tuple[Any, ...], list[int]] = {}
    for n, f in enumerate(findings):
        if f.start is not None:
            out.setdefault(_field_key(f.path), []).append(n)
    return out


def _apply_at(
    plan: Plan, findings: list[Finding], i: int, by_field: Mapping[tuple[Any, ...], list[int]]
) -> Plan:
    """Apply `findings[i]` to `plan`, updating `findings` in place; the new plan."""
    f = findings[i]
    _check_applicable(f)
    area = f.path.get("area")
    if area == "task" and f.path.get("field") != "title":
        new_plan = _apply_task(plan, f)
        findings[i] = replace(f, status="applied")
        return new_plan
    current = get_text(plan, f.path)
    if current is None:
        raise FindingError(
            f"Không tìm thấy “{f.place}” trong kế hoạch (mục hoặc đoạn đã bị xóa hay di chuyển)."
        )
    starts = _locate_all(current, f)
    size = len(f.text)
    parts, pos = [], 0
    for s in starts:
        parts.append(current[pos:s])
        parts.append(f.suggestion)
        pos = s + size
    parts.append(current[pos:])
    new_plan = set_text(plan, f.path, "".join(parts))
    if area == "bases" and f.kind in _RELINK_KINDS:
        # the Căn cứ now cites another document: its old catalogue link no longer holds
        k = int(f.path["index"])
        bases = list(new_plan.bases)
        bases[k] = replace(bases[k], directive_id=None)
        new_plan = replace(new_plan, bases=tuple(bases))
    delta = len(f.suggestion) - size
    done = [s + delta * k for k, s in enumerate(starts)]
    findings[i] = _at(replace(f, status="applied"), done)
    for j in by_field.get(_field_key(f.path), ()):
        g = findings[j]
        if j == i or g.status != "open" or g.start is None:
            continue
        findings[j] = _follow(g, f, starts, done)
    return new_plan


def _follow(g: Finding, f: Finding, starts: list[int], done: list[int]) -> Finding:
    """`g` (same field) after `f` was written at `starts` (now at `done`)."""
    size, glen = len(f.text), len(g.text)
    delta = len(f.suggestion) - size
    mine = g.starts
    if g.text == f.text and g.suggestion == f.suggestion and set(mine) <= set(starts):
        return _at(replace(g, status="applied"), [done[starts.index(p)] for p in mine])
    moved = []
    for p in mine:
        lo = bisect.bisect_right(starts, p - size)
        hi = bisect.bisect_left(starts, p + glen)
        inside = starts[lo:hi]  # replaced ranges overlapping this occurrence
        if not inside:
            moved.append(p + delta * lo)
            continue
        if len(mine) == 1 and inside[0] >= p and inside[-1] + size <= p + glen:
            text, offset = [], p
            for s in inside:
                text.append(g.text[offset - p : s - p])
                text.append(f.suggestion)
                offset = s + size
            text.append(g.text[offset - p :])
            return _at(replace(g, text="".join(text)), [p + delta * lo])
        return _closed(g, f)
    return _at(g, moved)


def _at(f: Finding, starts: list[int]) -> Finding:
    """`f` pointing at `starts` (first in `path["start"]`, the others in `extra["also"]`)."""
    extra = {k: v for k, v in f.extra.items() if k != "also"}
    if len(starts) > 1:
        extra["also"] = " ".join(str(b - a) for a, b in itertools.pairwise(starts))
    return replace(f, path={**f.path, "start": starts[0]}, extra=extra)


def _closed(g: Finding, by: Finding) -> Finding:
    """`g` dismissed because applying `by` rewrote its text."""
    note = f"(Đã đóng khi áp dụng sửa đổi “{_short(by.suggestion)}”.)"
    return replace(g, status="dismissed", message=f"{g.message} {note}".strip())


def _locate_all(current: str, f: Finding) -> list[int]:
    starts = f.starts
    if starts and all(current[s : s + len(f.text)] == f.text for s in starts):
        if all(b >= a + len(f.text) for a, b in itertools.pairwise(starts)):
            return starts
    if len(starts) <= 1 and f.text and current.count(f.text) == 1:
        return [current.index(f.text)]
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
