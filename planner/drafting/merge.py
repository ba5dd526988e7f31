"""Three-way merge of a plan: two people's edits made from one base version, put together.

`merge_plans(base, mine, theirs)` merges at the level a user thinks in: each header field, each
Căn cứ line, each paragraph of the mở đầu / phần kết / nơi nhận, each section's number and title,
each block of a section or an appendix, each task field (by task id), each finding's status, the
signer's fields and every other top-level key. A change made on one side only is taken; the same
change on both sides is taken once; additions on both sides are all kept (theirs first, then
mine, at the place they were added); a deletion on one side with the other side unchanged is
applied. Two different changes to one place (two texts of one block, an edit against a deletion,
two values of one task field) are a collision: `MergeResult.plan` then holds *theirs* there
(the version already saved) and `MergeResult.collisions` lists the place with the three texts;
`resolve(result, choices)` builds the plan with each collision settled as the user chose
(`"mine"`, `"theirs"` or `Combine(text)`). Nothing is dropped without a choice: a caller saves
`result.plan` by itself only when `result.collisions` is empty.

Identity. Blocks, sections, lines and Căn cứ have no ids: an element of one version is the same
element of another when a diff of the two lists (exact content; for sections, number and title)
keeps it in place, or, among the elements the diff replaced, when its text is similar enough
(`SIMILAR`, compared in order). Tasks and findings are matched by their id. A moved element is a
deletion where it was and an addition where it went.

`MergeResult.incoming` says, in Vietnamese, what came in from the other side
("Mục II.2: sửa đoạn 3", "thêm công việc “…”"); the caller names who made it.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from typing import Any, Generic, TypeVar

from planner.drafting.findings import Finding, findings_of, place_label, store_findings
from planner.drafting.plan_edit import block_text, renumber_siblings
from planner.model import (
    STATUS_LABELS,
    Appendix,
    Base,
    Block,
    Meta,
    Plan,
    Section,
    Signer,
    Task,
    task_to_dict,
)

_MISSING = object()  # an extension key one version does not have
SIMILAR = 0.5  # how alike two texts must be for one to be an edit of the other
LOOK_AHEAD = 40  # elements of the base an edited element is looked for among (a bound on time)
MINE = "mine"
THEIRS = "theirs"

T = TypeVar("T")


@dataclass(frozen=True)
class Combine:
    """A collision settled with a text the user wrote (both versions put together).

    For a list element (a block, a line, a Căn cứ) an empty text removes the element."""

    text: str


Choice = str | Combine  # MINE, THEIRS or Combine(text)


@dataclass(frozen=True)
class Collision:
    """One place both sides changed differently.

    `key` identifies it for `resolve`; `place` is its Vietnamese label ("Mục II.1, đoạn 2");
    `base`, `mine`, `theirs` are the texts shown for it (None: that side deleted it, or the
    base had no such element); `combinable` is False where only one side can be taken (a
    table, a date, a status), True where a text the user writes can stand for both."""

    key: str
    place: str
    base: str | None
    mine: str | None
    theirs: str | None
    combinable: bool = True


@dataclass(frozen=True)
class MergeResult:
    plan: Plan  # the merge; at each collision, theirs
    collisions: tuple[Collision, ...]
    incoming: tuple[str, ...]  # what came in from the other side, in Vietnamese
    base: Plan = field(repr=False, compare=False, default_factory=Plan)
    mine: Plan = field(repr=False, compare=False, default_factory=Plan)
    theirs: Plan = field(repr=False, compare=False, default_factory=Plan)

    @property
    def clean(self) -> bool:
        """True when nothing collided: `plan` may be saved as it is."""
        return not self.collisions


def merge_plans(base: Plan, mine: Plan, theirs: Plan) -> MergeResult:
    """Merge `mine` and `theirs`, both made from `base` (see the module docstring)."""
    return _merge(base, mine, theirs, {})


def resolve(result: MergeResult, choices: Mapping[str, Choice]) -> Plan:
    """The merged plan with each collision settled by `choices[collision.key]` (`MINE`,
    `THEIRS` or `Combine(text)`); a collision without a choice keeps theirs."""
    return _merge(result.base, result.mine, result.theirs, choices).plan


# ---------------------------------------------------------------- the merge context


class _Ctx:
    def __init__(self, choices: Mapping[str, Choice]) -> None:
        self.choices = choices
        self.collisions: list[Collision] = []
        self.incoming: list[str] = []

    def collide(self, collision: Collision) -> Choice:
        self.collisions.append(collision)
        choice = self.choices.get(collision.key, THEIRS)
        if isinstance(choice, Combine) and not collision.combinable:
            return THEIRS
        return choice

    def came(self, text: str) -> None:
        self.incoming.append(text)


def _same(a: Any, b: Any) -> bool:
    """Equal, `extra` included (dataclasses leave `extra` out of `==`)."""
    if a is b:
        return True
    if a != b:
        return False
    if isinstance(a, Task) and isinstance(b, Task):
        return task_to_dict(a) == task_to_dict(b)
    extra_a, extra_b = getattr(a, "extra", None), getattr(b, "extra", None)
    if extra_a != extra_b:
        return False
    if isinstance(a, Section) and isinstance(b, Section):
        return all(_same(x, y) for x, y in zip(a.blocks, b.blocks, strict=True)) and all(
            _same(x, y) for x, y in zip(a.children, b.children, strict=True)
        )
    if isinstance(a, Appendix) and isinstance(b, Appendix):
        return all(_same(x, y) for x, y in zip(a.blocks, b.blocks, strict=True))
    return True


def _short(text: str, n: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _ratio(a: str, b: str) -> float:
    """How alike two texts are, word by word (0..1): characters would find two unrelated
    paragraphs of one office alike, their words are the same few letters."""
    if a == b:
        return 1.0
    m = difflib.SequenceMatcher(None, a.split(), b.split(), autojunk=False)
    if m.real_quick_ratio() < SIMILAR or m.quick_ratio() < SIMILAR:
        return 0.0
    return m.ratio()


def _value(
    ctx: _Ctx,
    key: str,
    place: str,
    b: T,
    m: T,
    t: T,
    *,
    show: Callable[[T], str],
    combine: Callable[[str], T] | None = None,
    came: str | None = None,
) -> T:
    """One value merged: a change on one side taken, two different changes a collision.
    `came`: what to tell when theirs' change is taken (default: "`place`: sửa")."""
    if _same(m, t):
        return m
    if _same(m, b):
        ctx.came(came or f"{place}: sửa")
        return t
    if _same(t, b):
        return m
    choice = ctx.collide(Collision(key, place, show(b), show(m), show(t), combine is not None))
    if choice == MINE:
        return m
    if isinstance(choice, Combine) and combine is not None:
        return combine(choice.text)
    return t


_HANDLED = {
    Plan: {"meta", "bases", "preamble", "sections", "closing", "recipients", "signer", "tasks",
           "extra", "notes", "appendices"},
    Meta: {"parent_authority", "authority", "number", "symbol", "place", "issued", "year",
           "doc_type", "subject", "extra", "subtitles", "issued_month"},
    Signer: {"prefix", "position", "deputy_position", "name", "extra", "lines"},
    Section: {"number", "title", "blocks", "children", "extra"},
    Appendix: {"title", "subtitles", "blocks", "landscape", "extra"},
    Task: {"id", "title", "lead", "support", "start", "due", "status", "progress", "section",
           "extra"},
}  # fmt: skip


_OTHER_LABELS = {"preamble_tables": "bảng ở phần đầu văn bản"}


def _others(ctx: _Ctx, key: str, place: str, b: Any, m: Any, t: Any, merged: Any) -> dict[str, Any]:
    """The fields this module does not merge one by one (added to the model later, such as
    `Plan.preamble_tables`), each merged as one value, so that neither side's change to them
    is ever dropped unseen."""
    handled = _HANDLED.get(type(merged), set())
    out = {}
    for f in fields(merged):
        if f.name in handled or not f.compare:
            continue
        vb, vm, vt = getattr(b, f.name), getattr(m, f.name), getattr(t, f.name)
        label = _OTHER_LABELS.get(f.name, "dữ liệu khác")
        where = f"{place}, {label}" if place else label[:1].upper() + label[1:]
        out[f.name] = _value(ctx, f"{key}/{f.name}", where, vb, vm, vt, show=_any_text)
    return out


def _any_text(value: Any) -> str:
    if isinstance(value, tuple):
        return "\n".join(
            block_text(x[-1]) if isinstance(x, tuple) and x and isinstance(x[-1], Block)
            else block_text(x) if isinstance(x, Block) else str(x)
            for x in value
        )  # fmt: skip
    return str(value)


# ---------------------------------------------------------------- lists


@dataclass(frozen=True)
class _Alignment:
    matched: dict[int, int]  # base index → side index
    inserted: dict[int, list[int]]  # gap (after base index, -1 first) → side indexes
    # Base indexes matched only by place (rewritten in place into an unlike text, see
    # `_align`): an edit against an unchanged side or another rewrite, else a deletion and
    # an addition.
    loose: frozenset[int] = frozenset()


def _align(
    base: Sequence[T],
    side: Sequence[T],
    key: Callable[[T], Hashable],
    similar: Callable[[T, T], bool],
) -> _Alignment:
    matched: dict[int, int] = {}
    inserted: dict[int, list[int]] = {}
    loose: set[int] = set()
    m = difflib.SequenceMatcher(None, [key(x) for x in base], [key(x) for x in side], False)
    for tag, i1, i2, j1, j2 in m.get_opcodes():
        if tag == "equal":
            matched.update({i1 + k: j1 + k for k in range(i2 - i1)})
            continue
        # Pair the replaced elements in order where they are alike; the rest are deletions
        # and additions.
        anchor = i1 - 1
        i = i1
        for j in range(j1, j2):
            hit = next(
                (k for k in range(i, min(i2, i + LOOK_AHEAD)) if similar(base[k], side[j])), None
            )
            if hit is None:
                inserted.setdefault(anchor, []).append(j)
                continue
            matched[hit] = j
            anchor = hit
            i = hit + 1
    # Between two matched elements, as many elements gone as new ones: they were rewritten
    # in their places, in order (edits, however unlike the old texts: a text box retyped).
    ends = sorted(matched)
    for g, nxt in zip([-1, *ends], [*ends, len(base)], strict=True):
        gone = [i for i in range(g + 1, nxt) if i not in matched]
        new = inserted.get(g, [])
        if gone and len(gone) == len(new):
            matched.update(zip(gone, new, strict=True))
            loose.update(gone)
            del inserted[g]
    return _Alignment(matched, inserted, frozenset(loose))


class _ListMerge(Generic[T]):
    """How one kind of list element is merged and named."""

    def __init__(
        self,
        *,
        key: Callable[[T], Hashable],
        similar: Callable[[T, T], bool],
        show: Callable[[T], str],
        name: Callable[[T, int], str],
        where: str,
        item: Callable[[_Ctx, str, int, T, T, T], T | None] | None = None,
        combine: Callable[[T, str], T | None] | None = None,
        can_combine: Callable[[T], bool] = lambda _x: True,
    ) -> None:
        self.key = key
        self.similar = similar
        self.show = show
        self.name = name  # "đoạn 3", "công việc “…”"
        self.where = where  # "Mục II.2: " or ""
        self.item = item  # merges an element both sides kept (default: a whole value)
        self.combine = combine  # an element made from the user's text (None: not combinable)
        self.can_combine = can_combine  # whether this element may be (a table may not)

    def label(self, what: str, x: T, pos: int) -> str:
        text = f"{what} {self.name(x, pos)}"
        return f"{self.where}{text}" if self.where else text[:1].upper() + text[1:]

    def place(self, x: T, pos: int) -> str:
        name = self.name(x, pos)
        return f"{self.where.rstrip(': ')}, {name}" if self.where else name[:1].upper() + name[1:]


def _merge_list(
    ctx: _Ctx,
    key: str,
    how: _ListMerge[T],
    base: Sequence[T],
    mine: Sequence[T],
    theirs: Sequence[T],
) -> tuple[T, ...]:
    """One list merged element by element (see the module docstring)."""
    if _seq_same(mine, theirs):
        return tuple(mine)
    if _seq_same(theirs, base):
        return tuple(mine)
    am = _align(base, mine, how.key, how.similar)
    at = _align(base, theirs, how.key, how.similar)
    out: list[T] = []

    theirs_added = [theirs[j] for js in at.inserted.values() for j in js]

    def gap(g: int) -> None:
        for j in at.inserted.get(g, []):
            ctx.came(how.label("thêm", theirs[j], len(out) + 1))
            out.append(theirs[j])
        for j in am.inserted.get(g, []):
            # The same element added on both sides is kept once (where theirs put it).
            if not any(_same(mine[j], x) for x in theirs_added):
                out.append(mine[j])

    gap(-1)
    for i, b in enumerate(base):
        k = f"{key}/{i}"
        mi, ti = am.matched.get(i), at.matched.get(i)
        m = mine[mi] if mi is not None else None
        t = theirs[ti] if ti is not None else None
        # An element rewritten into one unlike it is an edit against an unchanged side or
        # another rewrite; against an edit or a deletion it is a deletion and an addition
        # (the addition is kept whatever comes).
        both = i in am.loose and i in at.loose
        added_m = added_t = None
        if not both and m is not None and i in am.loose and not (t is not None and _same(t, b)):
            added_m = m
        if not both and t is not None and i in at.loose and not (m is not None and _same(m, b)):
            added_t = t
        if added_m is not None:
            m = None
        if added_t is not None:
            t = None
        if m is not None and t is not None:
            if how.item is not None:
                merged = how.item(ctx, k, len(out) + 1, b, m, t)
            else:
                merged = _whole(ctx, k, how, len(out) + 1, b, m, t)
            if merged is not None:
                out.append(merged)
        elif m is not None:  # theirs deleted it
            if _same(m, b):
                ctx.came(how.label("xóa", b, len(out) + 1) + f" (“{_short(how.show(b))}”)")
            else:
                _deleted_edited(ctx, k, how, out, b, m, None)
        elif t is not None and not _same(t, b):  # mine deleted it, theirs edited it
            _deleted_edited(ctx, k, how, out, b, None, t)
        if added_t is not None:
            ctx.came(how.label("thêm", added_t, len(out) + 1))
            out.append(added_t)
        if added_m is not None and not (added_t is not None and _same(added_m, added_t)):
            out.append(added_m)
        gap(i)
    return tuple(out)


def _whole(ctx: _Ctx, key: str, how: _ListMerge[T], pos: int, b: T, m: T, t: T) -> T | None:
    """An element both sides kept, merged as one value (a line, a Căn cứ)."""
    if _same(m, t) or _same(t, b):
        return m
    if _same(m, b):
        ctx.came(how.label("sửa", t, pos))
        return t
    combinable = how.combine is not None and how.can_combine(m)
    choice = ctx.collide(
        Collision(key, how.place(t, pos), how.show(b), how.show(m), how.show(t), combinable)
    )
    if isinstance(choice, Combine) and how.combine is not None:
        return how.combine(m, choice.text)
    return m if choice == MINE else t


def _deleted_edited(
    ctx: _Ctx, key: str, how: _ListMerge[T], out: list[T], b: T, m: T | None, t: T | None
) -> None:
    """One side deleted an element the other edited: a collision (theirs stays meanwhile)."""
    edited = m if m is not None else t
    assert edited is not None
    collision = Collision(
        key,
        how.place(edited, len(out) + 1),
        how.show(b),
        None if m is None else how.show(m),
        None if t is None else how.show(t),
        how.combine is not None and how.can_combine(edited),
    )
    choice = ctx.collide(collision)
    if choice == MINE:
        kept = m
    elif isinstance(choice, Combine) and how.combine is not None:
        kept = how.combine(edited, choice.text)
    else:
        kept = t
    if kept is not None:
        out.append(kept)


def _seq_same(a: Sequence[Any], b: Sequence[Any]) -> bool:
    return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))


# ---------------------------------------------------------------- blocks


def _content(b: Block) -> tuple[Any, ...]:
    return (b.kind, b.text, b.emphasis, b.rows, b.header_rows, b.merges)


def _block_combine(template: Block, text: str) -> Block | None:
    if not text.strip():
        return None
    return replace(template, text=text.strip(), emphasis=())


def _block_item(where: str) -> Callable[[_Ctx, str, int, Block, Block, Block], Block | None]:
    def item(ctx: _Ctx, key: str, pos: int, b: Block, m: Block, t: Block) -> Block | None:
        place = f"{where.rstrip(': ')}, đoạn {pos}"
        cb, cm, ct = _content(b), _content(m), _content(t)
        if cm == ct or ct == cb:
            picked = m
        elif cm == cb:
            ctx.came(f"{where}sửa đoạn {pos}" if where else f"Sửa đoạn {pos}")
            picked = t
        else:
            tables = "table" in (m.kind, t.kind)
            collision = Collision(
                key, place, block_text(b), block_text(m), block_text(t), not tables
            )
            choice = ctx.collide(collision)
            if isinstance(choice, Combine):
                made = _block_combine(m, choice.text)
                if made is None:
                    return None
                picked = made
            else:
                picked = m if choice == MINE else t
        reviewed = _value(
            ctx,
            f"{key}/reviewed",
            f"{place} (đánh dấu rà soát)",
            b.reviewed,
            m.reviewed,
            t.reviewed,
            show=_reviewed_text,
            came=f"{place}: đánh dấu rà soát",
        )
        extra = _value(
            ctx,
            f"{key}/extra",
            f"{place} (dữ liệu kèm theo)",
            dict(b.extra),
            dict(m.extra),
            dict(t.extra),
            show=_dict_text,
        )
        return replace(picked, reviewed=reviewed, extra=extra)

    return item


def _reviewed_text(value: bool | None) -> str:
    return {True: "Đã rà soát", False: "Chưa rà soát", None: "Không cần rà soát"}[value]


def _dict_text(value: Mapping[str, Any]) -> str:
    return ", ".join(f"{k}: {v}" for k, v in value.items())


def _blocks_how(where: str) -> _ListMerge[Block]:
    return _ListMerge(
        key=_content,
        similar=lambda a, b: a.kind == b.kind and _ratio(block_text(a), block_text(b)) >= SIMILAR,
        show=block_text,
        name=lambda _b, pos: f"đoạn {pos}",
        where=where,
        item=_block_item(where),
        combine=_block_combine,
        can_combine=lambda x: x.kind != "table",
    )


def _blocks(
    ctx: _Ctx, key: str, where: str, b: Sequence[Block], m: Sequence[Block], t: Sequence[Block]
) -> tuple[Block, ...]:
    return _merge_list(ctx, key, _blocks_how(where), b, m, t)


# ---------------------------------------------------------------- sections and appendices


def _section_similar(a: Section, b: Section) -> bool:
    if _ratio(a.title, b.title) >= SIMILAR:
        return True
    body_a, body_b = "\n".join(map(block_text, a.blocks)), "\n".join(map(block_text, b.blocks))
    return bool(body_a and body_b) and _ratio(body_a, body_b) >= SIMILAR


def _section_text(s: Section) -> str:
    lines = [f"{s.number}. {s.title}".strip(". "), *map(block_text, s.blocks)]
    lines += [_section_text(c) for c in s.children]
    return "\n".join(lines)


def _sections(
    ctx: _Ctx,
    key: str,
    prefix: str,
    depth: int,
    b: Sequence[Section],
    m: Sequence[Section],
    t: Sequence[Section],
) -> tuple[Section, ...]:
    def path(s: Section) -> str:
        return f"{prefix}.{s.number}" if prefix else s.number

    def item(ctx: _Ctx, k: str, _pos: int, sb: Section, sm: Section, st: Section) -> Section:
        # The number follows the structure: one side's renumbering is taken; two differing
        # ones are settled by renumbering the merged siblings (below), never asked.
        number = st.number if sm.number == sb.number else sm.number
        where = path(replace(sb, number=number))
        title = _value(
            ctx,
            f"{k}/title",
            place_label({"area": "section", "section": where, "field": "title"}),
            sb.title,
            sm.title,
            st.title,
            show=str,
            combine=lambda text: " ".join(text.split()),
            came=f"Mục {where}: sửa tên mục",
        )
        blocks = _blocks(ctx, f"{k}/b", f"Mục {where}: ", sb.blocks, sm.blocks, st.blocks)
        children = _sections(ctx, f"{k}/s", where, depth + 1, sb.children, sm.children, st.children)
        extra = _value(
            ctx,
            f"{k}/extra",
            f"Mục {where} (dữ liệu kèm theo)",
            dict(sb.extra),
            dict(sm.extra),
            dict(st.extra),
            show=_dict_text,
        )
        merged = Section(number, title, blocks, children, extra)
        return replace(merged, **_others(ctx, k, f"Mục {where}", sb, sm, st, merged))

    how: _ListMerge[Section] = _ListMerge(
        key=lambda s: (s.number, s.title),
        similar=_section_similar,
        show=_section_text,
        name=lambda s, _pos: f"mục {path(s)} “{_short(s.title, 50)}”",
        where="",
        item=item,
    )
    out = _merge_list(ctx, key, how, b, m, t)
    numbers = [s.number for s in b]
    if [s.number for s in m] != numbers and [s.number for s in t] != numbers:
        out = renumber_siblings(out, depth)
    return out


def _appendices(
    ctx: _Ctx, b: Sequence[Appendix], m: Sequence[Appendix], t: Sequence[Appendix]
) -> tuple[Appendix, ...]:
    def item(ctx: _Ctx, k: str, pos: int, ab: Appendix, am: Appendix, at: Appendix) -> Appendix:
        where = f"Phụ lục {pos}"
        title = _value(
            ctx,
            f"{k}/title",
            f"{where}, tiêu đề",
            ab.title,
            am.title,
            at.title,
            show=str,
            combine=lambda text: " ".join(text.split()),
            came=f"{where}: sửa tiêu đề",
        )
        subtitles = _merge_list(
            ctx,
            f"{k}/sub",
            _lines_how(f"{where}, dòng dưới tiêu đề: ", "dòng"),
            ab.subtitles,
            am.subtitles,
            at.subtitles,
        )
        blocks = _blocks(ctx, f"{k}/b", f"{where}: ", ab.blocks, am.blocks, at.blocks)
        landscape = _value(
            ctx,
            f"{k}/landscape",
            f"{where}, trang ngang",
            ab.landscape,
            am.landscape,
            at.landscape,
            show=lambda x: "Trang ngang" if x else "Trang dọc",
        )
        extra = _value(
            ctx,
            f"{k}/extra",
            f"{where} (dữ liệu kèm theo)",
            dict(ab.extra),
            dict(am.extra),
            dict(at.extra),
            show=_dict_text,
        )
        merged = Appendix(title, subtitles, blocks, landscape, extra)
        return replace(merged, **_others(ctx, k, where, ab, am, at, merged))

    how: _ListMerge[Appendix] = _ListMerge(
        key=lambda a: a.title,
        similar=lambda x, y: _ratio(x.title, y.title) >= SIMILAR,
        show=lambda a: "\n".join([a.title, *map(block_text, a.blocks)]),
        name=lambda a, pos: f"phụ lục {pos} “{_short(a.title, 50)}”",
        where="",
        item=item,
    )
    return _merge_list(ctx, "app", how, b, m, t)


# ---------------------------------------------------------------- lines, Căn cứ, tasks


def _lines_how(where: str, noun: str) -> _ListMerge[str]:
    return _ListMerge(
        key=lambda x: x,
        similar=lambda x, y: _ratio(x, y) >= SIMILAR,
        show=lambda x: x,
        name=lambda _x, pos: f"{noun} {pos}",
        where=where,
        combine=lambda _template, text: text.strip() or None,
    )


def _bases_how() -> _ListMerge[Base]:
    return _ListMerge(
        key=lambda x: (x.text, x.directive_id),
        similar=lambda x, y: _ratio(x.text, y.text) >= SIMILAR,
        show=lambda x: x.text,
        name=lambda _x, pos: f"căn cứ {pos}",
        where="",
        combine=lambda template, text: (
            replace(template, text=text.strip()) if text.strip() else None
        ),
    )


_TASK_GROUPS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("title", ("title",), "tên công việc"),
    ("lead", ("lead",), "đơn vị chủ trì"),
    ("support", ("support",), "đơn vị phối hợp"),
    ("dates", ("start", "due"), "thời gian thực hiện"),
    ("status", ("status",), "trạng thái"),
    ("progress", ("progress",), "tiến độ"),
    ("section", ("section",), "mục liên quan"),
    ("extra", ("extra",), "dữ liệu kèm theo"),
)


def _task_show(task: Task, names: tuple[str, ...]) -> str:
    from planner.text.dates import show_date

    parts = []
    for n in names:
        value = getattr(task, n)
        if n in ("start", "due"):
            parts.append(f"{'bắt đầu' if n == 'start' else 'hạn'} {show_date(value) or '—'}")
        elif n == "status":
            parts.append(STATUS_LABELS.get(value, value))
        elif n == "progress":
            parts.append(f"{value}%")
        elif n == "support":
            parts.append("; ".join(value))
        elif n == "extra":
            parts.append(_dict_text(value))
        else:
            parts.append(str(value or ""))
    return ", ".join(parts)


def _task_name(task: Task) -> str:
    return f"công việc “{_short(task.title, 50)}”"


def _task_item(ctx: _Ctx, key: str, _pos: int, b: Task, m: Task, t: Task) -> Task:
    values: dict[str, Any] = {}
    name = _task_name(t)
    for group, names, label in _TASK_GROUPS:

        def pick(x: Task, names: tuple[str, ...] = names) -> tuple[Any, ...]:
            return tuple(dict(getattr(x, n)) if n == "extra" else getattr(x, n) for n in names)

        vb, vm, vt = pick(b), pick(m), pick(t)
        place = f"{name[:1].upper()}{name[1:]}, {label}"
        if vm == vt or vt == vb:
            chosen = m
        elif vm == vb:
            ctx.came(f"{name[:1].upper()}{name[1:]}: sửa {label}")
            chosen = t
        else:
            collision = Collision(
                f"{key}/{group}",
                place,
                _task_show(b, names),
                _task_show(m, names),
                _task_show(t, names),
                group == "title",
            )
            choice = ctx.collide(collision)
            if isinstance(choice, Combine):
                values["title"] = " ".join(choice.text.split()) or t.title
                continue
            chosen = m if choice == MINE else t
        values.update({n: getattr(chosen, n) for n in names})
    merged = replace(t, **values)
    return replace(merged, **_others(ctx, key, name[:1].upper() + name[1:], b, m, t, merged))


def _tasks(ctx: _Ctx, b: Sequence[Task], m: Sequence[Task], t: Sequence[Task]) -> tuple[Task, ...]:
    how: _ListMerge[Task] = _ListMerge(
        key=lambda x: x.id,
        similar=lambda _x, _y: False,
        show=lambda x: _task_show(x, ("title", "lead", "start", "due", "status", "progress")),
        name=lambda x, _pos: _task_name(x),
        where="",
        item=_task_item,
    )
    # Both sides added a task under one id: one task, its fields merged as an edit of
    # nothing (a collision where they differ), so the plan never holds one id twice.
    base_ids = {x.id for x in b}
    theirs_new = {x.id: x for x in t if x.id not in base_ids}
    mine_new = {x.id: x for x in m if x.id not in base_ids}
    clash = {
        i for i in theirs_new.keys() & mine_new.keys() if not _same(theirs_new[i], mine_new[i])
    }
    if clash:
        settled = {
            i: _task_item(
                ctx,
                f"task/+{i}",
                0,
                replace(
                    theirs_new[i],
                    title="",
                    lead="",
                    support=(),
                    start=None,
                    due=None,
                    status="planned",
                    progress=0,
                    section=None,
                    extra={},
                ),
                mine_new[i],
                theirs_new[i],
            )
            for i in sorted(clash)
        }
        t = tuple(settled.get(x.id, x) for x in t)
        m = tuple(settled.get(x.id, x) for x in m)
    return _merge_list(ctx, "task", how, b, m, t)


# ---------------------------------------------------------------- header, signer, extras

_META_TEXT = {
    "parent_authority": "Cơ quan chủ quản",
    "authority": "Cơ quan ban hành",
    "number": "Số văn bản",
    "symbol": "Ký hiệu",
    "place": "Địa danh",
    "doc_type": "Loại văn bản",
    "subject": "Trích yếu",
}


def _meta(ctx: _Ctx, b: Meta, m: Meta, t: Meta) -> Meta:
    values: dict[str, Any] = {}
    for name, label in _META_TEXT.items():
        values[name] = _value(
            ctx,
            f"meta/{name}",
            label,
            getattr(b, name),
            getattr(m, name),
            getattr(t, name),
            show=str,
            combine=lambda text: " ".join(text.split()),
            came=f"{label}: sửa",
        )
    issued = _value(
        ctx,
        "meta/issued",
        "Ngày ban hành",
        (b.issued, b.issued_month),
        (m.issued, m.issued_month),
        (t.issued, t.issued_month),
        show=_issued_text,
        came="Ngày ban hành: sửa",
    )
    values["issued"], values["issued_month"] = issued
    values["year"] = _value(
        ctx,
        "meta/year",
        "Năm kế hoạch",
        b.year,
        m.year,
        t.year,
        show=str,
        came="Năm kế hoạch: sửa",
    )
    values["subtitles"] = _merge_list(
        ctx,
        "meta/sub",
        _lines_how("Dòng dưới trích yếu: ", "dòng"),
        b.subtitles,
        m.subtitles,
        t.subtitles,
    )
    values["extra"] = _value(
        ctx,
        "meta/extra",
        "Thông tin chung (dữ liệu kèm theo)",
        dict(b.extra),
        dict(m.extra),
        dict(t.extra),
        show=_dict_text,
    )
    merged = Meta(**values)
    return replace(merged, **_others(ctx, "meta", "Thông tin chung", b, m, t, merged))


def _issued_text(value: tuple[Any, int]) -> str:
    from planner.text.dates import show_date

    day, month = value
    if day is not None:
        return show_date(day)
    return f"tháng {month}" if month else "(chưa có ngày)"


_SIGNER_TEXT = {
    "prefix": "Người ký: quyền hạn ký",
    "position": "Người ký: chức vụ",
    "deputy_position": "Người ký: chức vụ cấp phó",
    "name": "Người ký: họ tên",
}


def _signer(ctx: _Ctx, b: Signer, m: Signer, t: Signer) -> Signer:
    values: dict[str, Any] = {}
    for name, label in _SIGNER_TEXT.items():
        values[name] = _value(
            ctx,
            f"signer/{name}",
            label,
            getattr(b, name),
            getattr(m, name),
            getattr(t, name),
            show=str,
            combine=None if name == "prefix" else (lambda text: " ".join(text.split())),
            came=f"{label}: sửa",
        )
    values["lines"] = _merge_list(
        ctx, "signer/lines", _lines_how("Người ký: ", "dòng chức vụ"), b.lines, m.lines, t.lines
    )
    values["extra"] = _value(
        ctx,
        "signer/extra",
        "Người ký (dữ liệu kèm theo)",
        dict(b.extra),
        dict(m.extra),
        dict(t.extra),
        show=_dict_text,
    )
    merged = Signer(**values)
    return replace(merged, **_others(ctx, "signer", "Người ký", b, m, t, merged))


def _finding_item(ctx: _Ctx, key: str, _pos: int, b: Finding, m: Finding, t: Finding) -> Finding:
    from planner.drafting.findings import STATUS_NAMES

    rest_b, rest_m = replace(b, status=""), replace(m, status="")
    chosen = m if not _same(rest_m, rest_b) else t
    status = _value(
        ctx,
        f"{key}/status",
        f"Phát hiện “{_short(t.text, 40)}” ({t.place})",
        b.status,
        m.status,
        t.status,
        show=lambda x: STATUS_NAMES.get(x, x),
        came=f"Phát hiện “{_short(t.text, 40)}” ({t.place}): {STATUS_NAMES.get(t.status, '')}",
    )
    return replace(chosen, status=status)


def _extra(ctx: _Ctx, plan: Plan, b: Plan, m: Plan, t: Plan) -> Plan:
    """The top-level extension keys: findings merged by id, every other key as one value."""
    keys = list(dict.fromkeys([*t.extra, *m.extra, *b.extra]))
    extra: dict[str, Any] = {}
    for k in keys:
        if k == "findings":
            continue
        vb, vm, vt = (x.extra.get(k, _MISSING) for x in (b, m, t))
        value = _value(
            ctx,
            f"extra/{k}",
            f"Dữ liệu kèm theo “{k}”",
            vb,
            vm,
            vt,
            show=lambda x: "(không có)" if x is _MISSING else str(x),
        )
        if value is not _MISSING:
            extra[k] = value
    merged = replace(plan, extra=extra)
    raw = [x.extra.get("findings") for x in (b, m, t)]
    if raw[1] == raw[2] or raw[2] == raw[0]:
        return merged if raw[1] is None else replace(merged, extra={**extra, "findings": raw[1]})
    if raw[1] == raw[0]:
        ctx.came("Danh sách phát hiện: cập nhật")
        return merged if raw[2] is None else replace(merged, extra={**extra, "findings": raw[2]})
    how: _ListMerge[Finding] = _ListMerge(
        key=lambda f: f.id,
        similar=lambda _x, _y: False,
        show=lambda f: f"{f.text} ({f.status_label})",
        name=lambda f, _pos: f"phát hiện “{_short(f.text, 40)}” ({f.place})",
        where="",
        item=_finding_item,
    )
    found = _merge_list(ctx, "findings", how, findings_of(b), findings_of(m), findings_of(t))
    return store_findings(merged, found)


# ---------------------------------------------------------------- the whole plan


def _merge(base: Plan, mine: Plan, theirs: Plan, choices: Mapping[str, Choice]) -> MergeResult:
    from planner.model import plan_to_dict

    dm, dt = plan_to_dict(mine), plan_to_dict(theirs)
    if dm == dt:
        return MergeResult(mine, (), (), base, mine, theirs)
    db = plan_to_dict(base)
    if dt == db:
        return MergeResult(mine, (), (), base, mine, theirs)
    ctx = _Ctx(choices)
    plan = Plan(
        meta=_meta(ctx, base.meta, mine.meta, theirs.meta),
        bases=_merge_list(ctx, "bases", _bases_how(), base.bases, mine.bases, theirs.bases),
        preamble=_merge_list(
            ctx,
            "pre",
            _lines_how("Phần mở đầu: ", "đoạn"),
            base.preamble,
            mine.preamble,
            theirs.preamble,
        ),
        sections=_sections(ctx, "s", "", 1, base.sections, mine.sections, theirs.sections),
        closing=_merge_list(
            ctx,
            "close",
            _lines_how("Phần kết: ", "đoạn"),
            base.closing,
            mine.closing,
            theirs.closing,
        ),
        recipients=_merge_list(
            ctx,
            "to",
            _lines_how("Nơi nhận: ", "dòng"),
            base.recipients,
            mine.recipients,
            theirs.recipients,
        ),
        signer=_signer(ctx, base.signer, mine.signer, theirs.signer),
        tasks=_tasks(ctx, base.tasks, mine.tasks, theirs.tasks),
        appendices=_appendices(ctx, base.appendices, mine.appendices, theirs.appendices),
    )
    plan = replace(plan, **_others(ctx, "plan", "", base, mine, theirs, plan))
    plan = _extra(ctx, plan, base, mine, theirs)
    if dm == db:
        plan = theirs  # exactly theirs; `incoming` says what it brought
    return MergeResult(plan, tuple(ctx.collisions), tuple(ctx.incoming), base, mine, theirs)
