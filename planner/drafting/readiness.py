"""Ready to sign: one check of everything that must be done before a plan is issued.

`check_readiness(plan, catalogue, today=...)` lists, each with its place (a Vietnamese label
and a machine `path` in the conventions of `planner.drafting.findings`, so a page can link to
the spot):

- `finding`: the plan's open findings (rollover, citation check) not yet applied or dismissed;
- `placeholder`: text that still stands for something to write (`…/KH-UBND`, `ngày …/…/2021`,
  a fill line, the editor's `Mục mới`, a new plan's guidance sentence: see
  `planner.nd30.placeholder_rules.find_placeholders`), an empty paragraph or table, a section
  without a title or without any content;
- `header`: an empty required header field (cơ quan ban hành, ký hiệu, địa danh, trích yếu,
  chức vụ and họ tên người ký). The number may stay empty: the văn thư assigns it when the
  plan is issued (a `note`, not an item);
- `citation`: what the citation check finds (a citation not linked to the catalogue, one not
  in force, …) that is not already an open finding and that the user has not dismissed;
- `unreviewed`: a carried-over paragraph still marked *chưa rà soát* (`Block.reviewed is
  False`);
- `task`: a task without a lead unit or a due date, or whose due date has passed (`today`);
- `comment`: a comment (*góp ý*) of the review not yet resolved by the drafter, at its block
  (`planner.review.blocks.locate`; the plan as a whole when its block is gone). The caller
  passes the open comments (`Review(store).comments(plan_id, open_only=True)`), or adds them
  to a check made without them with `with_comments`.

`Readiness.ready` is True only when there is no item.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from planner.catalogue.model import Catalogue
from planner.drafting.citation_check import check_citations
from planner.drafting.findings import Finding, findings_of, place_label
from planner.drafting.rollover import iter_texts
from planner.model import Block, Plan
from planner.nd30.placeholder_rules import find_placeholders
from planner.review.blocks import locate
from planner.review.model import Comment
from planner.text.dates import show_date

KINDS = ("finding", "placeholder", "header", "citation", "unreviewed", "task", "comment")
KIND_LABELS = {
    "finding": "Điểm cần rà soát chưa xử lý",
    "placeholder": "Chỗ chưa hoàn thiện",
    "header": "Thông tin chung còn thiếu",
    "citation": "Trích dẫn văn bản",
    "unreviewed": "Đoạn chưa rà soát",
    "task": "Nhiệm vụ thiếu thông tin",
    "comment": "Góp ý chưa xử lý",
}

# Header fields a plan cannot be signed without: (area, field, Vietnamese name).
REQUIRED_FIELDS = (
    ("meta", "authority", "Cơ quan ban hành"),
    ("meta", "symbol", "Ký hiệu văn bản"),
    ("meta", "place", "Địa danh"),
    ("meta", "subject", "Trích yếu"),
    ("signer", "position", "Chức vụ người ký"),
    ("signer", "name", "Họ tên người ký"),
)
NUMBER_NOTE = "Số văn bản để trống: văn thư sẽ cấp số khi ban hành kế hoạch."


@dataclass(frozen=True)
class ReadinessItem:
    """One thing left to do: what (`kind`, `message`), where (`place`, `path`), the text."""

    kind: str
    place: str
    path: Mapping[str, Any]
    message: str
    text: str = ""

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def line(self) -> str:
        """One Vietnamese line: `Căn cứ 2: Chỗ chưa hoàn thiện: …`."""
        return f"{self.place}: {self.kind_label}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "place": self.place,
            "path": dict(self.path),
            "message": self.message,
            "text": self.text,
        }


@dataclass(frozen=True)
class Readiness:
    """The result: the items left (document order within each kind) and notes."""

    items: tuple[ReadinessItem, ...]
    notes: tuple[str, ...] = ()

    @property
    def ready(self) -> bool:
        return not self.items

    @property
    def counts(self) -> dict[str, int]:
        """How many items of each kind (kinds with none left out)."""
        c = Counter(i.kind for i in self.items)
        return {k: c[k] for k in KINDS if c[k]}

    def summary(self) -> str:
        """One Vietnamese sentence: ready, or how many items of which kinds are open."""
        if self.ready:
            return "Kế hoạch đã sẵn sàng để trình ký."
        parts = ", ".join(f"{n} {KIND_LABELS[k].lower()}" for k, n in self.counts.items())
        return f"Kế hoạch chưa sẵn sàng để trình ký: còn {len(self.items)} điểm ({parts})."

    def to_dict(self) -> dict[str, Any]:
        return {
            "ready": self.ready,
            "counts": self.counts,
            "items": [i.to_dict() for i in self.items],
            "notes": list(self.notes),
        }


def check_readiness(
    plan: Plan, catalogue: Catalogue, *, today: date, comments: Sequence[Comment] = ()
) -> Readiness:
    """Everything left before `plan` can be signed (see the module docstring); `comments`:
    the review's comments on the plan (the open ones count)."""
    items: list[ReadinessItem] = []
    stored = findings_of(plan)
    for f in stored:
        if f.status == "open":
            what = f.message or f.kind_label
            items.append(ReadinessItem("finding", f.place, dict(f.path), what, f.text))
    items.extend(_placeholders(plan))
    items.extend(_header(plan))
    # The citation check's findings the stored ones do not already cover: a stored finding on
    # the same text (open: listed above; dismissed: the user's decision) covers it.
    known = {f.id for f in stored}
    covering = [f for f in stored if f.status != "applied"]
    for f in check_citations(plan, catalogue).findings:
        if f.id in known or any(_overlap(f, g) for g in covering):
            continue
        items.append(ReadinessItem("citation", f.place, dict(f.path), f.message, f.text))
    items.extend(_unreviewed(plan))
    items.extend(_tasks(plan, today))
    items.extend(_comments(plan, comments))
    notes = (NUMBER_NOTE,) if not plan.meta.number.strip() else ()
    return Readiness(tuple(items), notes)


def with_comments(readiness: Readiness, plan: Plan, comments: Sequence[Comment]) -> Readiness:
    """`readiness` (made without comments) with the open ones of `comments` added."""
    items = [i for i in readiness.items if i.kind != "comment"]
    items.extend(_comments(plan, comments))
    return Readiness(tuple(items), readiness.notes)


def _comments(plan: Plan, comments: Sequence[Comment]) -> Iterator[ReadinessItem]:
    for c in comments:
        if not c.open:
            continue
        found = locate(plan, c.block)
        if found is None:
            path: dict[str, Any] = {"area": "review"}
            place = "Toàn văn bản"
        else:
            path = {"area": "section", "section": found[0], "block": found[1]}
            place = item_place(path)
        message = f"Góp ý của {c.author_display}: “{_short(c.text, 120)}”."
        yield ReadinessItem("comment", place, path, message, c.text)


def item_place(path: Mapping[str, Any]) -> str:
    """`findings.place_label`, with the header and signer fields and task fields it lacks."""
    area, name = path.get("area"), path.get("field")
    for a, f, label in REQUIRED_FIELDS:
        if a == area and f == name:
            return label
    if area == "task" and name in ("lead", "due"):
        what = "đơn vị chủ trì" if name == "lead" else "hạn hoàn thành"
        return f"Nhiệm vụ {path.get('id')}, {what}"
    if area == "section" and name == "content":
        return f"Mục {path.get('section')}"
    return place_label(path)


def _placeholders(plan: Plan) -> Iterator[ReadinessItem]:
    """Placeholders in document order: the texts, then per section its title, its blocks."""
    sections = dict(plan.iter_sections())
    for path, text in iter_texts(plan):
        for ph in find_placeholders(text):
            at = {**path, "start": ph.start}
            message = f"{_cap(ph.what)}: “{_short(ph.text)}”."
            yield ReadinessItem("placeholder", item_place(at), at, message, ph.text)
        if path.get("area") != "section":
            continue
        s = sections.get(str(path.get("section")))
        if s is None:
            continue
        if path.get("field") == "title":
            if not text.strip():
                yield ReadinessItem("placeholder", item_place(path), path, "Mục chưa có tên.")
            if not s.blocks and not s.children:
                where = {"area": "section", "section": path["section"], "field": "content"}
                yield ReadinessItem(
                    "placeholder", item_place(where), where, "Mục chưa có nội dung."
                )
            for bi, b in enumerate(s.blocks):  # iter_texts gives an empty table no text
                if b.kind == "table" and not any(c.strip() for r in b.rows for c in r):
                    where = {"area": "section", "section": path["section"], "block": bi}
                    yield ReadinessItem(
                        "placeholder", item_place(where), where, "Bảng chưa có nội dung."
                    )
        elif "row" not in path and "block" in path:
            yield from _block_placeholders(s.blocks[int(path["block"])], path)


def _block_placeholders(b: Block, path: dict[str, Any]) -> Iterator[ReadinessItem]:
    if b.kind == "table":
        return  # an empty table: reported with its section's title
    if not b.text.strip():
        yield ReadinessItem("placeholder", item_place(path), path, "Đoạn văn còn trống.")
        return
    guidance = b.extra.get("guidance")
    if isinstance(guidance, str) and guidance.strip() == b.text.strip():
        if not find_placeholders(b.text):  # a guidance text without its brackets
            yield ReadinessItem(
                "placeholder",
                item_place(path),
                path,
                "Lời hướng dẫn chưa được thay bằng nội dung.",
                b.text,
            )


def _header(plan: Plan) -> Iterator[ReadinessItem]:
    for area, name, label in REQUIRED_FIELDS:
        holder = plan.meta if area == "meta" else plan.signer
        if not str(getattr(holder, name)).strip():
            path = {"area": area, "field": name}
            yield ReadinessItem("header", label, path, f"{label} còn để trống.")


def _unreviewed(plan: Plan) -> Iterator[ReadinessItem]:
    for spath, s in plan.iter_sections():
        for bi, b in enumerate(s.blocks):
            if b.reviewed is False:
                path = {"area": "section", "section": spath, "block": bi}
                yield ReadinessItem(
                    "unreviewed",
                    item_place(path),
                    path,
                    "Đoạn chép từ kế hoạch năm trước chưa được rà soát.",
                    b.text,
                )


def _tasks(plan: Plan, today: date) -> Iterator[ReadinessItem]:
    for t in plan.tasks:
        name = f"“{_short(t.title)}”" if t.title.strip() else f"{t.id}"
        if not t.lead.strip():
            path = {"area": "task", "id": t.id, "field": "lead"}
            yield ReadinessItem(
                "task", item_place(path), path, f"Nhiệm vụ {name} chưa có đơn vị chủ trì."
            )
        if t.due is None:
            path = {"area": "task", "id": t.id, "field": "due"}
            yield ReadinessItem(
                "task", item_place(path), path, f"Nhiệm vụ {name} chưa có hạn hoàn thành."
            )
        elif t.is_overdue(today):
            path = {"area": "task", "id": t.id, "field": "due"}
            yield ReadinessItem(
                "task",
                item_place(path),
                path,
                f"Nhiệm vụ {name} có hạn hoàn thành {show_date(t.due)} đã qua.",
                show_date(t.due),
            )


def _overlap(a: Finding, b: Finding) -> bool:
    """Two findings on the same field whose texts overlap."""
    if _field(a.path) != _field(b.path) or a.start is None or b.start is None:
        return False
    return a.start < b.start + max(len(b.text), 1) and b.start < a.start + max(len(a.text), 1)


def _field(path: Mapping[str, Any]) -> tuple[tuple[str, str], ...]:
    return tuple(sorted((k, repr(v)) for k, v in path.items() if k != "start"))


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _short(text: str, n: int = 60) -> str:
    t = " ".join(text.split())
    return t if len(t) <= n else t[: n - 1] + "…"
