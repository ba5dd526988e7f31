"""Pure edit operations on frozen plans, for the editor page (and anyone else).

Every function takes a `Plan` and returns a new one; nothing is changed in place. Sections
are addressed by a `SectionRef`: either a path string as `Plan.iter_sections` writes it
(`"II.1"`) or a tuple of 0-based indexes (`(1, 0)` = the first child of the second top-level
section). The editor uses index tuples, which stay unambiguous when two sections carry the
same number. Blocks are addressed by their 0-based index inside a section.

Structural edits (add, move, delete a section) renumber the siblings they touch (I, II, III /
1, 2, 3 / a, b, c in the Vietnamese order a, b, c, d, đ, e, g, …), keeping the style those
siblings already use, and keep the section paths and block indexes stored in the plan's
findings (`plan.extra["findings"]`) pointing at the same text.

Bad addresses raise `PlanEditError` with a Vietnamese message naming the section.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Literal

from planner.drafting.findings import place_label
from planner.errors import PlannerError
from planner.model import (
    BLOCK_KINDS,
    MAX_SECTION_DEPTH,
    SIGNER_PREFIXES,
    Base,
    Block,
    Plan,
    Section,
    section_depth,
)
from planner.text.clean import clean_line, clean_text
from planner.text.fold import fold
from planner.text.numbering import label_style, number_label

SectionRef = str | tuple[int, ...]
Index = tuple[int, ...]

META_TEXT_FIELDS = (
    "parent_authority",
    "authority",
    "number",
    "symbol",
    "place",
    "doc_type",
    "subject",
)
SIGNER_FIELDS = ("prefix", "position", "deputy_position", "name")

DEPTH_STYLES = ("roman", "decimal", "alpha", "decimal", "alpha", "decimal")


class PlanEditError(PlannerError):
    """An edit could not be made (unknown section or block, too deep, bad value)."""


# ---------------------------------------------------------------- numbering


def style_of(numbers: Iterable[str], depth: int) -> str:
    """The numbering style siblings already use (from their first number), else the depth's."""
    first = next(iter(numbers), None)
    style = label_style(first) if first is not None else None
    return style or DEPTH_STYLES[min(max(depth, 1), len(DEPTH_STYLES)) - 1]


def renumber_siblings(sections: tuple[Section, ...], depth: int) -> tuple[Section, ...]:
    """The same sections numbered 1..n in the style they already use (their children as are)."""
    style = style_of((s.number for s in sections), depth)
    return tuple(
        s if s.number == number_label(style, i) else replace(s, number=number_label(style, i))
        for i, s in enumerate(sections, start=1)
    )


def renumber_all(plan: Plan) -> Plan:
    """Every level renumbered (each sibling list keeps its style); findings follow."""

    def walk(sections: tuple[Section, ...], depth: int) -> tuple[Section, ...]:
        return tuple(
            replace(s, children=walk(s.children, depth + 1))
            for s in renumber_siblings(sections, depth)
        )

    return _finish(plan, replace(plan, sections=walk(plan.sections, 1)), _identity_map(plan))


# ---------------------------------------------------------------- addressing


def section_index(plan: Plan, ref: SectionRef) -> Index:
    """The index tuple of a section; PlanEditError when there is no such section."""
    if isinstance(ref, tuple):
        _get(plan.sections, ref)
        return ref
    for idx, path, _ in iter_indexed(plan.sections):
        if path == ref:
            return idx
    raise PlanEditError(f"Không tìm thấy mục “{ref}” trong kế hoạch.")


def section_at(plan: Plan, ref: SectionRef) -> Section:
    """The section a reference points at."""
    return _get(plan.sections, section_index(plan, ref))


def section_path(plan: Plan, ref: SectionRef) -> str:
    """The path string (`II.1`) of a section."""
    idx = section_index(plan, ref)
    return _path_of(plan.sections, idx)


def iter_indexed(
    sections: tuple[Section, ...], prefix: Index = (), path: str = ""
) -> Iterable[tuple[Index, str, Section]]:
    """Every section depth first, with its index tuple and its path string."""
    for i, s in enumerate(sections):
        p = f"{path}.{s.number}" if path else s.number
        yield (*prefix, i), p, s
        yield from iter_indexed(s.children, (*prefix, i), p)


def _label(idx: Index) -> str:
    return ".".join(str(i + 1) for i in idx) or "(gốc)"


def _get(sections: tuple[Section, ...], idx: Index) -> Section:
    if not idx:
        raise PlanEditError("Chưa chọn mục nào.")
    current: Section | None = None
    level = sections
    for n, i in enumerate(idx):
        if not isinstance(i, int) or not 0 <= i < len(level):
            raise PlanEditError(f"Không tìm thấy mục ở vị trí {_label(idx[: n + 1])}.")
        current = level[i]
        level = current.children
    assert current is not None
    return current


def _path_of(sections: tuple[Section, ...], idx: Index) -> str:
    parts = []
    level = sections
    for i in idx:
        parts.append(level[i].number)
        level = level[i].children
    return ".".join(parts)


def _edit_list(
    sections: tuple[Section, ...],
    parent: Index,
    fn: Callable[[tuple[Section, ...]], tuple[Section, ...]],
) -> tuple[Section, ...]:
    """Apply `fn` to the children list of `parent` (`()` = the top-level list)."""
    if not parent:
        return fn(sections)
    head, rest = parent[0], parent[1:]
    if not 0 <= head < len(sections):
        raise PlanEditError(f"Không tìm thấy mục ở vị trí {_label(parent)}.")
    out = list(sections)
    s = out[head]
    if rest:
        out[head] = replace(s, children=_edit_list(s.children, rest, fn))
    else:
        out[head] = replace(s, children=fn(s.children))
    return tuple(out)


def _edit_section(plan: Plan, ref: SectionRef, fn: Callable[[Section], Section]) -> Plan:
    idx = section_index(plan, ref)
    parent, i = idx[:-1], idx[-1]

    def edit(items: tuple[Section, ...]) -> tuple[Section, ...]:
        out = list(items)
        out[i] = fn(out[i])
        return tuple(out)

    return replace(plan, sections=_edit_list(plan.sections, parent, edit))


# ---------------------------------------------------------------- findings follow edits

# A map from an old (section path, block index or None) to the new one, or None when gone.
Remap = Callable[[Index, int | None], tuple[Index, int | None] | None]


def _identity_map(plan: Plan) -> Remap:
    return lambda idx, block: (idx, block)


def _finish(old: Plan, new: Plan, remap: Remap) -> Plan:
    """Keep the findings' section paths and block indexes pointing at the same text."""
    raw = old.extra.get("findings")
    if not isinstance(raw, list) or not raw:
        return new
    old_paths = {path: idx for idx, path, _ in iter_indexed(old.sections)}
    changed = False
    out = []
    for item in raw:
        path = item.get("path") if isinstance(item, Mapping) else None
        if not isinstance(path, Mapping) or path.get("area") != "section":
            out.append(item)
            continue
        idx = old_paths.get(str(path.get("section")))
        if idx is None:
            out.append(item)
            continue
        block = path.get("block") if isinstance(path.get("block"), int) else None
        moved = remap(idx, block)
        if moved is None:
            # Its text is gone: the finding is closed, not left pointing at other text.
            if item.get("status") == "open":
                item = {
                    **item,
                    "status": "dismissed",
                    "message": (item.get("message", "") + " (Đoạn văn này đã bị xóa.)").strip(),
                }
                changed = True
            out.append(item)
            continue
        new_idx, new_block = moved
        try:
            new_path = _path_of(new.sections, new_idx)
        except (IndexError, PlanEditError):
            out.append(item)
            continue
        new_item_path = dict(path)
        new_item_path["section"] = new_path
        if block is not None and new_block is not None:
            new_item_path["block"] = new_block
        if new_item_path != dict(path):
            changed = True
            place = item.get("place", "")
            if isinstance(place, str) and place.startswith("Mục "):
                place = place_label(new_item_path)
            item = {**item, "path": new_item_path, "place": place}
        out.append(item)
    if not changed:
        return new
    return replace(new, extra={**new.extra, "findings": out})


def _sibling_map(parent: Index, order: list[int | None]) -> Remap:
    """Remap after the children of `parent` were rearranged: `order[new] = old` (None = new)."""
    new_of_old = {old: new for new, old in enumerate(order) if old is not None}
    depth = len(parent)

    def remap(idx: Index, block: int | None) -> tuple[Index, int | None] | None:
        if len(idx) <= depth or idx[:depth] != parent:
            return idx, block
        old = idx[depth]
        if old not in new_of_old:
            return None
        return (*parent, new_of_old[old], *idx[depth + 1 :]), block

    return remap


def _block_map(target: Index, order: list[int | None]) -> Remap:
    """Remap after the blocks of section `target` were rearranged: `order[new] = old`."""
    new_of_old = {old: new for new, old in enumerate(order) if old is not None}

    def remap(idx: Index, block: int | None) -> tuple[Index, int | None] | None:
        if idx != target or block is None:
            return idx, block
        if block not in new_of_old:
            return None
        return idx, new_of_old[block]

    return remap


# ---------------------------------------------------------------- header, signer, recipients


def set_meta(plan: Plan, **values: Any) -> Plan:
    """Set header fields: the text fields, `issued` (date or None) and `year` (int)."""
    changes: dict[str, Any] = {}
    for name, value in values.items():
        if name in META_TEXT_FIELDS:
            changes[name] = clean_line(str(value or ""))
        elif name == "issued":
            if value is not None and not isinstance(value, date):
                raise PlanEditError("Ngày ban hành phải là một ngày hoặc để trống.")
            changes[name] = value
        elif name == "year":
            if isinstance(value, bool) or not isinstance(value, int) or not 1900 <= value <= 9999:
                raise PlanEditError("Năm kế hoạch phải là số từ 1900 đến 9999.")
            changes[name] = value
        else:
            raise PlanEditError(f"Không có trường “{name}” trong phần đầu văn bản.")
    meta = replace(plan.meta, **changes)
    return plan if meta == plan.meta else replace(plan, meta=meta)


def set_signer(plan: Plan, **values: Any) -> Plan:
    """Set signer fields (prefix must be one of SIGNER_PREFIXES)."""
    changes: dict[str, Any] = {}
    for name, value in values.items():
        if name not in SIGNER_FIELDS:
            raise PlanEditError(f"Không có trường “{name}” trong phần chữ ký.")
        text = clean_line(str(value or ""))
        if name == "prefix" and text not in SIGNER_PREFIXES:
            allowed = ", ".join(p or "(không)" for p in SIGNER_PREFIXES)
            raise PlanEditError(f"Quyền hạn ký “{text}” không hợp lệ (chọn một trong: {allowed}).")
        changes[name] = text
    signer = replace(plan.signer, **changes)
    return plan if signer == plan.signer else replace(plan, signer=signer)


def lines_of(text: str) -> tuple[str, ...]:
    """Non-empty lines of a text area, each cleaned (one item a line)."""
    return tuple(line for line in (clean_line(x) for x in clean_text(text).split("\n")) if line)


def set_recipients(plan: Plan, recipients: Iterable[str]) -> Plan:
    """Set the Nơi nhận list (blank lines dropped)."""
    items = tuple(x for x in (clean_line(r) for r in recipients) if x)
    return plan if items == plan.recipients else replace(plan, recipients=items)


def paragraphs_of(text: str) -> tuple[str, ...]:
    """Paragraphs of a text area: separated by blank lines… or by single line breaks."""
    return tuple(p.strip() for p in clean_text(text).split("\n") if p.strip())


def set_preamble(plan: Plan, paragraphs: Iterable[str]) -> Plan:
    items = tuple(x for x in (clean_text(p).strip() for p in paragraphs) if x)
    return plan if items == plan.preamble else replace(plan, preamble=items)


def set_closing(plan: Plan, paragraphs: Iterable[str]) -> Plan:
    items = tuple(x for x in (clean_text(p).strip() for p in paragraphs) if x)
    return plan if items == plan.closing else replace(plan, closing=items)


# ---------------------------------------------------------------- Căn cứ


def _base_index(plan: Plan, i: int) -> int:
    if not 0 <= i < len(plan.bases):
        raise PlanEditError(f"Không có căn cứ thứ {i + 1}.")
    return i


def _bases_map(plan: Plan, new: Plan, order: list[int | None]) -> Plan:
    """Keep `bases` findings on their line after a reorder (`order[new] = old`)."""
    raw = plan.extra.get("findings")
    if not isinstance(raw, list) or not raw:
        return new
    new_of_old = {old: n for n, old in enumerate(order) if old is not None}
    out = []
    changed = False
    for item in raw:
        path = item.get("path") if isinstance(item, Mapping) else None
        if isinstance(path, Mapping) and path.get("area") == "bases":
            old = path.get("index")
            if old in new_of_old and new_of_old[old] != old:
                n = new_of_old[old]
                item = {**item, "path": {**path, "index": n}, "place": f"Căn cứ {n + 1}"}
                changed = True
            elif old not in new_of_old and item.get("status") == "open":
                item = {**item, "status": "dismissed"}
                changed = True
        out.append(item)
    return replace(new, extra={**new.extra, "findings": out}) if changed else new


def add_base(
    plan: Plan, text: str, directive_id: str | None = None, index: int | None = None
) -> Plan:
    """Insert a Căn cứ line (at the end by default)."""
    text = clean_line(text)
    if not text:
        raise PlanEditError("Nội dung căn cứ không được để trống.")
    n = len(plan.bases)
    at = n if index is None else max(0, min(index, n))
    bases = list(plan.bases)
    bases.insert(at, Base(text, directive_id or None))
    order: list[int | None] = list(range(n))
    order.insert(at, None)
    return _bases_map(plan, replace(plan, bases=tuple(bases)), order)


def remove_base(plan: Plan, i: int) -> Plan:
    _base_index(plan, i)
    order: list[int | None] = [j for j in range(len(plan.bases)) if j != i]
    bases = tuple(b for j, b in enumerate(plan.bases) if j != i)
    return _bases_map(plan, replace(plan, bases=bases), order)


def move_base(plan: Plan, i: int, delta: int) -> Plan:
    """Move a Căn cứ line up (delta -1) or down (+1); at an end it stays."""
    _base_index(plan, i)
    j = max(0, min(i + delta, len(plan.bases) - 1))
    if i == j:
        return plan
    order: list[int | None] = list(range(len(plan.bases)))
    order.insert(j, order.pop(i))
    bases = tuple(plan.bases[o] for o in order if o is not None)
    return _bases_map(plan, replace(plan, bases=bases), order)


def set_base_text(plan: Plan, i: int, text: str) -> Plan:
    _base_index(plan, i)
    text = clean_line(text)
    if not text:
        raise PlanEditError(f"Căn cứ thứ {i + 1} không được để trống (hãy xóa nếu không cần).")
    if plan.bases[i].text == text:
        return plan
    bases = list(plan.bases)
    bases[i] = replace(bases[i], text=text)
    return replace(plan, bases=tuple(bases))


# ---------------------------------------------------------------- sections


def _check_depth(parent: Index, subtree: Section) -> None:
    depth = len(parent) + section_depth((subtree,))
    if depth > MAX_SECTION_DEPTH:
        raise PlanEditError(
            f"Không thêm được mục “{subtree.title or subtree.number}”: kế hoạch chỉ cho phép "
            f"tối đa {MAX_SECTION_DEPTH} cấp mục."
        )


def _insert_section(
    plan: Plan, parent: SectionRef | None, section: Section, index: int | None, renumber: bool
) -> tuple[Plan, Index]:
    parent_idx: Index = () if parent is None or parent == () else section_index(plan, parent)
    _check_depth(parent_idx, section)
    siblings = _get(plan.sections, parent_idx).children if parent_idx else plan.sections
    n = len(siblings)
    at = n if index is None else max(0, min(index, n))
    order: list[int | None] = list(range(n))
    order.insert(at, None)

    def edit(items: tuple[Section, ...]) -> tuple[Section, ...]:
        out = list(items)
        out.insert(at, section)
        result = tuple(out)
        return renumber_siblings(result, len(parent_idx) + 1) if renumber else result

    new = replace(plan, sections=_edit_list(plan.sections, parent_idx, edit))
    return _finish(plan, new, _sibling_map(parent_idx, order)), (*parent_idx, at)


def add_section(
    plan: Plan,
    parent: SectionRef | None = None,
    title: str = "",
    *,
    index: int | None = None,
    number: str | None = None,
) -> Plan:
    """Add an empty section under `parent` (None = top level), at `index` (default: last).

    Without `number`, the siblings are renumbered and the new one gets its place's label.
    """
    section = Section(number=clean_line(number or ""), title=clean_line(title))
    plan, _ = _insert_section(plan, parent, section, index, number is None)
    return plan


def rename_section(
    plan: Plan, ref: SectionRef, title: str | None = None, number: str | None = None
) -> Plan:
    """Change a section's title and/or number label (findings keep pointing at it)."""
    idx = section_index(plan, ref)
    changes: dict[str, Any] = {}
    if title is not None:
        changes["title"] = clean_line(title)
    if number is not None:
        changes["number"] = clean_line(number)
    current = _get(plan.sections, idx)
    if all(getattr(current, k) == v for k, v in changes.items()):
        return plan
    new = _edit_section(plan, idx, lambda s: replace(s, **changes))
    return _finish(plan, new, _identity_map(plan))


def move_section(plan: Plan, ref: SectionRef, delta: int, *, renumber: bool = True) -> Plan:
    """Move a section up (delta -1) or down (+1) among its siblings; at an end it stays."""
    idx = section_index(plan, ref)
    parent, i = idx[:-1], idx[-1]
    siblings = _get(plan.sections, parent).children if parent else plan.sections
    j = max(0, min(i + delta, len(siblings) - 1))
    if i == j:
        return plan
    order: list[int | None] = list(range(len(siblings)))
    order.insert(j, order.pop(i))

    def edit(items: tuple[Section, ...]) -> tuple[Section, ...]:
        out = tuple(items[o] for o in order if o is not None)
        return renumber_siblings(out, len(parent) + 1) if renumber else out

    new = replace(plan, sections=_edit_list(plan.sections, parent, edit))
    return _finish(plan, new, _sibling_map(parent, order))


def delete_section(plan: Plan, ref: SectionRef, *, renumber: bool = True) -> Plan:
    """Delete a section with its children; the siblings after it are renumbered."""
    idx = section_index(plan, ref)
    parent, i = idx[:-1], idx[-1]
    siblings = _get(plan.sections, parent).children if parent else plan.sections
    order: list[int | None] = [j for j in range(len(siblings)) if j != i]

    def edit(items: tuple[Section, ...]) -> tuple[Section, ...]:
        out = tuple(s for j, s in enumerate(items) if j != i)
        return renumber_siblings(out, len(parent) + 1) if renumber else out

    new = replace(plan, sections=_edit_list(plan.sections, parent, edit))
    return _finish(plan, new, _sibling_map(parent, order))


def insert_section(
    plan: Plan,
    section: Section,
    parent: SectionRef | None = None,
    index: int | None = None,
    *,
    renumber: bool = True,
) -> Plan:
    """Insert a whole section (with blocks and children) under `parent` at `index`."""
    plan, _ = _insert_section(plan, parent, section, index, renumber)
    return plan


# ---------------------------------------------------------------- blocks


def _block_check(plan: Plan, ref: SectionRef, i: int) -> tuple[Index, Section]:
    idx = section_index(plan, ref)
    s = _get(plan.sections, idx)
    if not isinstance(i, int) or not 0 <= i < len(s.blocks):
        raise PlanEditError(f"Mục {_path_of(plan.sections, idx)} không có đoạn thứ {i + 1}.")
    return idx, s


def _check_kind(kind: str) -> None:
    if kind not in BLOCK_KINDS:
        raise PlanEditError(
            f"Kiểu đoạn “{kind}” không hợp lệ (chọn một trong: {', '.join(BLOCK_KINDS)})."
        )


def add_block(
    plan: Plan,
    ref: SectionRef,
    *,
    index: int | None = None,
    kind: str = "paragraph",
    text: str = "",
    rows: tuple[tuple[str, ...], ...] = (),
    reviewed: bool | None = None,
) -> Plan:
    """Add a block to a section (at the end by default)."""
    _check_kind(kind)
    block = Block(kind=kind, text=clean_text(text), rows=rows if kind == "table" else ())
    block = replace(block, reviewed=reviewed)
    return insert_block(plan, ref, block, index)


def insert_block(plan: Plan, ref: SectionRef, block: Block, index: int | None = None) -> Plan:
    """Insert a whole block into a section at `index` (default: last)."""
    idx = section_index(plan, ref)
    s = _get(plan.sections, idx)
    n = len(s.blocks)
    at = n if index is None else max(0, min(index, n))
    blocks = list(s.blocks)
    blocks.insert(at, block)
    order: list[int | None] = list(range(n))
    order.insert(at, None)
    new = _edit_section(plan, idx, lambda x: replace(x, blocks=tuple(blocks)))
    return _finish(plan, new, _block_map(idx, order))


def set_block(
    plan: Plan,
    ref: SectionRef,
    i: int,
    *,
    text: str | None = None,
    kind: str | None = None,
    rows: tuple[tuple[str, ...], ...] | None = None,
) -> Plan:
    """Change a block's text, kind or table rows (unchanged values give the same plan)."""
    idx, s = _block_check(plan, ref, i)
    b = s.blocks[i]
    changes: dict[str, Any] = {}
    if text is not None and clean_text(text) != b.text:
        changes["text"] = clean_text(text)
    if kind is not None and kind != b.kind:
        _check_kind(kind)
        changes["kind"] = kind
    if rows is not None and rows != b.rows:
        changes["rows"] = tuple(tuple(clean_text(c) for c in r) for r in rows)
    if not changes:
        return plan
    blocks = list(s.blocks)
    blocks[i] = replace(b, **changes)
    return _edit_section(plan, idx, lambda x: replace(x, blocks=tuple(blocks)))


def set_reviewed(plan: Plan, ref: SectionRef, i: int, reviewed: bool | None) -> Plan:
    """Mark a block đã rà soát (True), chưa rà soát (False) or not tracked (None)."""
    idx, s = _block_check(plan, ref, i)
    if s.blocks[i].reviewed is reviewed:
        return plan
    blocks = list(s.blocks)
    blocks[i] = replace(blocks[i], reviewed=reviewed)
    return _edit_section(plan, idx, lambda x: replace(x, blocks=tuple(blocks)))


def move_block(plan: Plan, ref: SectionRef, i: int, delta: int) -> Plan:
    """Move a block up (-1) or down (+1) inside its section; at an end it stays."""
    idx, s = _block_check(plan, ref, i)
    j = max(0, min(i + delta, len(s.blocks) - 1))
    if i == j:
        return plan
    order: list[int | None] = list(range(len(s.blocks)))
    order.insert(j, order.pop(i))
    blocks = tuple(s.blocks[o] for o in order if o is not None)
    new = _edit_section(plan, idx, lambda x: replace(x, blocks=blocks))
    return _finish(plan, new, _block_map(idx, order))


def delete_block(plan: Plan, ref: SectionRef, i: int) -> Plan:
    idx, s = _block_check(plan, ref, i)
    order: list[int | None] = [j for j in range(len(s.blocks)) if j != i]
    blocks = tuple(b for j, b in enumerate(s.blocks) if j != i)
    new = _edit_section(plan, idx, lambda x: replace(x, blocks=blocks))
    return _finish(plan, new, _block_map(idx, order))


# ---------------------------------------------------------------- copy from last year


def _mark_unreviewed(section: Section) -> Section:
    return replace(
        section,
        blocks=tuple(replace(b, reviewed=False) for b in section.blocks),
        children=tuple(_mark_unreviewed(c) for c in section.children),
    )


def copy_section_from(
    plan: Plan,
    source: Plan,
    source_ref: SectionRef,
    parent: SectionRef | None = None,
    index: int | None = None,
    *,
    renumber: bool = True,
) -> Plan:
    """Copy a section (with its children) of `source` (last year's plan) into `plan`.

    The copied blocks start *chưa rà soát* (reviewed False): they are last year's text.
    """
    section = _mark_unreviewed(section_at(source, source_ref))
    return insert_section(plan, section, parent, index, renumber=renumber)


def copy_block_from(
    plan: Plan,
    source: Plan,
    source_ref: SectionRef,
    source_block: int,
    target_ref: SectionRef,
    index: int | None = None,
) -> Plan:
    """Copy one block of `source` into a section of `plan` (it starts chưa rà soát)."""
    _, s = _block_check(source, source_ref, source_block)
    return insert_block(plan, target_ref, replace(s.blocks[source_block], reviewed=False), index)


# ---------------------------------------------------------------- copy with sight

CopyChoice = Literal["replace", "beside"]
COPY_CHOICES: tuple[CopyChoice, ...] = ("replace", "beside")


@dataclass(frozen=True)
class CopyCheck:
    """What copying one section or block of last year's plan would do to this year's.

    `existing` is this year's section that already holds it (a section copy: that section
    itself; a block copy: the section holding the same block), `existing_block` the block's
    index there; both None when nothing matches, and the copy simply adds it. `segments` is
    what replacing would change: the word diff from this year's text to last year's (deleted
    words would go, inserted words would come in).
    """

    kind: Literal["section", "block"]
    existing: Index | None
    existing_block: int | None
    segments: tuple[DiffSegment, ...]

    @property
    def exists(self) -> bool:
        return self.existing is not None

    @property
    def identical(self) -> bool:
        """True when replacing would change no word (only case, marks or spacing may differ)."""
        return self.exists and all(s.op == "equal" for s in self.segments)


def subtree_text(section: Section) -> str:
    """A section's text with its sub-sections', in document order (for a copy's diff)."""
    return "\n".join(section_text(s) for _, _, s in iter_indexed((section,)))


def _number_key(number: str) -> str:
    return fold(number).rstrip(".")


def find_same_section(
    plan: Plan, section: Section, parent: SectionRef | None = None
) -> Index | None:
    """Among the children of this year's `parent` (None = the level-1 sections), the one
    with the same number and folded title as `section`, or None."""
    number, title = _number_key(section.number), fold(section.title)
    parent_idx: Index = () if parent is None or parent == () else section_index(plan, parent)
    siblings = _get(plan.sections, parent_idx).children if parent_idx else plan.sections
    for i, s in enumerate(siblings):
        if _number_key(s.number) == number and fold(s.title) == title:
            return (*parent_idx, i)
    return None


def _block_key(block: Block) -> str:
    """A block's folded words: its text (a table: its cells), whatever its kind mark."""
    return fold(block_text(block) if block.kind == "table" else block.text)


def find_same_block(plan: Plan, target: SectionRef, block: Block) -> int | None:
    """The first block of section `target` with `block`'s folded text, or None (an empty
    block never matches)."""
    key = _block_key(block)
    if not key:
        return None
    for i, b in enumerate(section_at(plan, target).blocks):
        if _block_key(b) == key:
            return i
    return None


def check_section_copy(
    plan: Plan, source: Plan, source_ref: SectionRef, parent: SectionRef | None = None
) -> CopyCheck:
    """Does last year's section `source_ref` already exist this year (same number, same
    folded title), and what would replacing it change?"""
    src = section_at(source, source_ref)
    found = find_same_section(plan, src, parent)
    if found is None:
        return CopyCheck("section", None, None, ())
    mine = _get(plan.sections, found)
    return CopyCheck("section", found, None, word_diff(subtree_text(mine), subtree_text(src)))


def check_block_copy(
    plan: Plan, source: Plan, source_ref: SectionRef, source_block: int, target_ref: SectionRef
) -> CopyCheck:
    """Does last year's block already sit in this year's section `target_ref` (same folded
    text), and what would replacing it change?"""
    _, s = _block_check(source, source_ref, source_block)
    block = s.blocks[source_block]
    target = section_index(plan, target_ref)
    found = find_same_block(plan, target, block)
    if found is None:
        return CopyCheck("block", None, None, ())
    mine = _get(plan.sections, target).blocks[found]
    return CopyCheck("block", target, found, word_diff(block_text(mine), block_text(block)))


def _check_choice(choice: str) -> None:
    if choice not in COPY_CHOICES:
        raise PlanEditError(f"Cách chép “{choice}” không hợp lệ (thay thế hoặc thêm bên cạnh).")


def apply_section_copy(
    plan: Plan,
    source: Plan,
    source_ref: SectionRef,
    parent: SectionRef | None = None,
    index: int | None = None,
    choice: CopyChoice = "beside",
) -> Plan:
    """Copy last year's section as the user chose, after `check_section_copy`.

    With no such section this year, it is added at `index` under `parent` (both choices).
    Otherwise "replace" puts last year's section (with its sub-sections, chưa rà soát) in
    place of this year's, keeping this year's number; findings inside the replaced text are
    closed. "beside" adds it right after this year's one and renumbers the siblings.
    """
    _check_choice(choice)
    found = check_section_copy(plan, source, source_ref, parent).existing
    if found is None:
        return copy_section_from(plan, source, source_ref, parent, index)
    copied = _mark_unreviewed(section_at(source, source_ref))
    if choice == "beside":
        return insert_section(plan, copied, found[:-1] or None, found[-1] + 1)
    _check_depth(found[:-1], copied)
    mine = _get(plan.sections, found)
    new = _edit_section(plan, found, lambda _s: replace(copied, number=mine.number))

    def remap(idx: Index, block: int | None) -> tuple[Index, int | None] | None:
        return None if idx[: len(found)] == found else (idx, block)

    return _finish(plan, new, remap)


def apply_block_copy(
    plan: Plan,
    source: Plan,
    source_ref: SectionRef,
    source_block: int,
    target_ref: SectionRef,
    choice: CopyChoice = "beside",
) -> Plan:
    """Copy last year's block into this year's section `target_ref` as the user chose.

    With no block of the same folded text there, it is added at the end (both choices).
    Otherwise "replace" puts last year's block (chưa rà soát) in place of this year's (a
    finding on it is closed), "beside" adds it right after this year's one.
    """
    _check_choice(choice)
    check = check_block_copy(plan, source, source_ref, source_block, target_ref)
    if check.existing is None or check.existing_block is None:
        return copy_block_from(plan, source, source_ref, source_block, target_ref)
    target, at = check.existing, check.existing_block
    if choice == "beside":
        return copy_block_from(plan, source, source_ref, source_block, target, at + 1)
    new_block = replace(section_at(source, source_ref).blocks[source_block], reviewed=False)
    blocks = list(_get(plan.sections, target).blocks)
    blocks[at] = new_block
    new = _edit_section(plan, target, lambda x: replace(x, blocks=tuple(blocks)))
    order: list[int | None] = [j if j != at else None for j in range(len(blocks))]
    return _finish(plan, new, _block_map(target, order))


# ---------------------------------------------------------------- last year beside this year


def _title_key(title: str) -> str:
    return " ".join(re.sub(r"\d{4}", "", title).lower().split())


def match_section(previous: Plan, plan: Plan, ref: SectionRef) -> tuple[Index, Section] | None:
    """Last year's section matching this year's: same path and title, else same title
    (years ignored), else the same path; None when nothing matches."""
    idx = section_index(plan, ref)
    mine = _get(plan.sections, idx)
    path = _path_of(plan.sections, idx)
    key = _title_key(mine.title)
    by_path = None
    by_title = None
    for pidx, ppath, s in iter_indexed(previous.sections):
        same_title = _title_key(s.title) == key
        if ppath == path and same_title:
            return pidx, s
        if same_title and by_title is None:
            by_title = (pidx, s)
        if ppath == path and by_path is None:
            by_path = (pidx, s)
    return by_title or by_path


@dataclass(frozen=True)
class DiffSegment:
    """A piece of a word diff: `op` is "equal", "insert" (this year only) or "delete"."""

    op: str
    text: str


_TOKEN = re.compile(r"\s+|[^\s]+")


MAX_WORD_DIFF_TOKENS = 6000  # above this, a changed stretch is shown as removed + added


def word_diff(old: str, new: str) -> tuple[DiffSegment, ...]:
    """A word-level diff from `old` to `new`; joining the equal+delete parts gives `old`,
    the equal+insert parts give `new`.

    Lines are matched first and words only inside changed lines, so a whole plan (tens of
    thousands of words) is compared in milliseconds rather than minutes.
    """
    out: list[DiffSegment] = []
    a_lines = old.splitlines(keepends=True)
    b_lines = new.splitlines(keepends=True)
    matcher = difflib.SequenceMatcher(None, a_lines, b_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            _push(out, "equal", "".join(a_lines[i1:i2]))
        else:
            _words(out, "".join(a_lines[i1:i2]), "".join(b_lines[j1:j2]))
    return tuple(out)


def _push(out: list[DiffSegment], op: str, text: str) -> None:
    if not text:
        return
    if out and out[-1].op == op:
        out[-1] = DiffSegment(op, out[-1].text + text)
    else:
        out.append(DiffSegment(op, text))


def _words(out: list[DiffSegment], old: str, new: str) -> None:
    a = _TOKEN.findall(old)
    b = _TOKEN.findall(new)
    if not a or not b or len(a) + len(b) > MAX_WORD_DIFF_TOKENS:
        _push(out, "delete", old)
        _push(out, "insert", new)
        return
    # Long stretches let difflib treat very common tokens (spaces, "các") as junk: the diff is
    # a little coarser but stays fast on a whole rewritten section.
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=len(a) + len(b) > 800)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            _push(out, "equal", "".join(a[i1:i2]))
        else:
            _push(out, "delete", "".join(a[i1:i2]))
            _push(out, "insert", "".join(b[j1:j2]))


_MARKS = {"dash": "- ", "plus": "+ "}


def block_text(block: Block) -> str:
    """A block as one text: `- ` / `+ ` marks kept, a table's cells joined by ` | `."""
    if block.kind == "table":
        return "\n".join(" | ".join(r) for r in block.rows) or block.text
    return _MARKS.get(block.kind, "") + block.text


def section_text(section: Section) -> str:
    """A section's own text (title and blocks, not its children), for diffs."""
    lines = [f"{section.number}. {section.title}".strip(". ")]
    lines += [block_text(b) for b in section.blocks]
    return "\n".join(lines)


def section_diff(old: Section | None, new: Section | None) -> tuple[DiffSegment, ...]:
    """The word diff between last year's and this year's text of one section."""
    return word_diff(section_text(old) if old else "", section_text(new) if new else "")


def diff_counts(segments: Iterable[DiffSegment]) -> tuple[int, int]:
    """(words removed, words added) in a diff."""
    removed = added = 0
    for seg in segments:
        n = len(seg.text.split())
        if seg.op == "delete":
            removed += n
        elif seg.op == "insert":
            added += n
    return removed, added


def all_texts(plan: Plan) -> list[str]:
    """Every title and block text of the section tree (for "nothing lost" checks)."""
    out = []
    for _, s in plan.iter_sections():
        out.append(s.title)
        out += [b.text for b in s.blocks]
    return out


def change_kind(plan: Plan, ref: SectionRef, i: int, kind: str) -> Plan:
    """Change a block's kind without losing text: to a table, the text becomes its one cell;
    from a table, the cells become the text (one row a line, cells joined by ` | `)."""
    _check_kind(kind)
    idx, s = _block_check(plan, ref, i)
    b = s.blocks[i]
    if kind == b.kind:
        return plan
    if kind == "table":
        new = replace(b, kind=kind, rows=b.rows or ((b.text,),), text="" if not b.rows else b.text)
    elif b.kind == "table":
        cells = "\n".join(" | ".join(r) for r in b.rows)
        text = "\n".join(x for x in (b.text, cells) if x)
        new = replace(b, kind=kind, rows=(), text=text)
    else:
        new = replace(b, kind=kind)
    blocks = list(s.blocks)
    blocks[i] = new
    return _edit_section(plan, idx, lambda x: replace(x, blocks=tuple(blocks)))


def plan_text(plan: Plan) -> str:
    """The whole plan as plain text (header, bases, body, closing), for a version diff."""
    lines = [plan.meta.subject, *(b.text for b in plan.bases), *plan.preamble]
    lines += [section_text(s) for _, s in plan.iter_sections()]
    lines += [*plan.closing, *plan.recipients]
    lines += [plan.signer.prefix, plan.signer.position, plan.signer.deputy_position]
    lines.append(plan.signer.name)
    return "\n".join(x for x in lines if x)


def set_section_reviewed(plan: Plan, ref: SectionRef, reviewed: bool) -> Plan:
    """Mark every block of a section and of its sub-sections đã rà soát (or not)."""
    idx = section_index(plan, ref)

    def mark(s: Section) -> Section:
        return replace(
            s,
            blocks=tuple(replace(b, reviewed=reviewed) for b in s.blocks),
            children=tuple(mark(c) for c in s.children),
        )

    return _edit_section(plan, idx, mark)
