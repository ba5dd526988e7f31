"""Căn cứ in the order office staff expect (issue #12 item 7).

Offices list the documents a plan is based on from the top down:
- by the issuer's level: central (Trung ương) before province before district before unit;
- within a level, Party documents first (symbols ending /TW, /TU, /HU, /ThU, /ĐU…, or a Party
  issuer: Bộ Chính trị, Ban Bí thư, Tỉnh ủy, Huyện ủy…), then state documents;
- within each, by legal force, in the order offices write them. Party: Nghị quyết, Chỉ thị,
  Quyết định, Kết luận, Quy định, Hướng dẫn, Chương trình / Kế hoạch, Thông báo, Công văn.
  State: Luật / Bộ luật / Pháp lệnh and Nghị quyết of Quốc hội, Nghị định, Nghị quyết,
  Quyết định of the Thủ tướng, Thông tư, other Quyết định, Chỉ thị, Kế hoạch / Chương trình /
  Đề án, Hướng dẫn / Quy chế / Quy định, then Thông báo / Công văn / Công điện;
- then by issue date, oldest first (an undated document after the dated ones).

What a line is comes from the catalogue: its linked row (`Base.directive_id`), else the row
its text cites, if the catalogue knows it. A line the catalogue does not know but whose text
cites a document (“Căn cứ Kế hoạch số 15/KH-UBND … của UBND thành phố …”) goes to the end of
the level its citation shows (from the symbol and the issuer), keeping its place among such
lines; a line whose level cannot be told goes after the unit level; a line that cites no
document (“Căn cứ tình hình thực tế của đơn vị,”) goes to the very end. Sorting is stable:
lines that rank the same keep their order, so sorting twice changes nothing.

`order_bases(plan, catalogue)` re-sorts the whole list (findings on a line follow it);
`add_base_in_order(plan, text, directive_id, catalogue)` inserts a new line at its place.
"""

from __future__ import annotations

from dataclasses import replace

from planner.catalogue.citation import (
    _issuer_level,  # the catalogue's guess from a symbol
    directive_from_citation,
    find_citations,
    resolve,
)
from planner.catalogue.model import Catalogue, Directive
from planner.drafting.plan_edit import _bases_map, add_base
from planner.errors import CatalogueError
from planner.model import Base, Plan
from planner.text.fold import fold, symbol_key

LEVEL_RANK = {"central": 0, "province": 1, "district": 2, "unit": 3}
UNKNOWN_LEVEL = 4  # a document whose level cannot be told
NOT_A_CITATION = 5  # a line that cites no document

# The last part of a Party symbol (25-NQ/TW, 05-CT/TU, 12-NQ/ĐU, 01-HD/BDVTW) once folded.
_PARTY_TAILS = ("tw", "tu", "hu", "thu", "du", "qu")
_PARTY_ISSUERS = (
    "bo chinh tri",
    "ban bi thu",
    "ban chap hanh trung uong",
    "ban chap hanh dang bo",
    "ban thuong vu",
    "tinh uy",
    "thanh uy",
    "huyen uy",
    "quan uy",
    "thi uy",
    "dang uy",
    "chi bo",
    "ban tuyen giao",
    "ban dan van",
    "ban to chuc",
    "uy ban kiem tra",
    "dang doan",
    "ban can su dang",
)
_PARTY_TYPES = (
    ("Nghị quyết",),
    ("Chỉ thị",),
    ("Quyết định",),
    ("Kết luận",),
    ("Quy định", "Quy chế"),
    ("Hướng dẫn",),
    ("Chương trình", "Kế hoạch", "Đề án"),
    ("Thông báo", "Báo cáo"),
    ("Công văn", "Công điện"),
)
_STATE_TYPES = (
    ("Hiến pháp", "Bộ luật", "Luật", "Pháp lệnh"),  # and Nghị quyết of Quốc hội (below)
    ("Nghị định",),
    ("Nghị quyết",),
    ("Quyết định",),  # of the Thủ tướng; other Quyết định come after Thông tư
    ("Thông tư",),
    (),  # other Quyết định
    ("Chỉ thị",),
    ("Kế hoạch", "Chương trình", "Đề án", "Phương án"),
    ("Hướng dẫn", "Quy chế", "Quy định"),
    ("Thông báo", "Công văn", "Công điện", "Kết luận", "Báo cáo", "Tờ trình"),
)
_OTHER_DECISION = 5


def _rank_of(types: tuple[tuple[str, ...], ...]) -> dict[str, int]:
    return {fold(name): rank for rank, names in enumerate(types) for name in names}


_PARTY_RANK = _rank_of(_PARTY_TYPES)
_STATE_RANK = _rank_of(_STATE_TYPES)

BaseKey = tuple[int, int, int, int, int, int]


def _tail(symbol: str) -> str:
    parts = symbol_key(symbol).split() if symbol else []
    return parts[-1] if parts else ""


def is_party(d: Directive) -> bool:
    """True for a Party document: its symbol's issuer part or its issuer says so."""
    tail = _tail(d.symbol)
    if tail in _PARTY_TAILS or tail.endswith(("tw", "tu")):
        return True
    return fold(d.issuer).startswith(_PARTY_ISSUERS)


def force_rank(d: Directive) -> tuple[int, int]:
    """(0 Party / 1 state, the type's rank in that order): lower comes first."""
    kind = fold(d.doc_type)
    if is_party(d):
        return 0, _PARTY_RANK.get(kind, len(_PARTY_TYPES))
    tail = _tail(d.symbol)
    if kind == fold("Nghị quyết") and tail.startswith(("qh", "ubtvqh")):
        return 1, 0
    if kind == fold("Quyết định") and tail != "ttg":
        return 1, _OTHER_DECISION
    return 1, _STATE_RANK.get(kind, len(_STATE_TYPES))


def _level(d: Directive) -> int:
    if d.issuer_level in LEVEL_RANK:
        return LEVEL_RANK[d.issuer_level]
    return LEVEL_RANK.get(_issuer_level(d.issuer, d.symbol), UNKNOWN_LEVEL)


def known_row(base: Base, catalogue: Catalogue) -> Directive | None:
    """The catalogue row `base` stands for: its link, else the document its text cites first."""
    if base.directive_id:
        row = catalogue.get(base.directive_id)
        if row is not None:
            return row
    for mention in find_citations(base.text)[:1]:
        return resolve(mention, catalogue)
    return None


def base_key(base: Base, catalogue: Catalogue) -> BaseKey:
    """Where `base` ranks (lower first); see the module docstring."""
    row = known_row(base, catalogue)
    if row is not None:
        party, rank = force_rank(row)
        dated = 0 if row.issued is not None else 1
        ordinal = row.issued.toordinal() if row.issued is not None else 0
        return (_level(row), 0, party, rank, dated, ordinal)
    try:
        draft = directive_from_citation(base.text)
    except CatalogueError:
        return (NOT_A_CITATION, 1, 0, 0, 0, 0)
    return (_level(draft), 1, 0, 0, 0, 0)


def ordered(bases: tuple[Base, ...], catalogue: Catalogue) -> list[int]:
    """The indexes of `bases` in their expected order (a stable sort)."""
    keys = [base_key(b, catalogue) for b in bases]
    return sorted(range(len(bases)), key=keys.__getitem__)


def order_bases(plan: Plan, catalogue: Catalogue) -> Plan:
    """`plan` with its whole Căn cứ list in the expected order (the same plan if it already
    is); findings on a line stay on it."""
    order = ordered(plan.bases, catalogue)
    if order == list(range(len(plan.bases))):
        return plan
    bases = tuple(plan.bases[i] for i in order)
    mapping: list[int | None] = list(order)
    return _bases_map(plan, replace(plan, bases=bases), mapping)


def position_for(plan: Plan, base: Base, catalogue: Catalogue) -> int:
    """Where a new line `base` goes: before the first line that ranks after it (at the end
    when none does). In a list already in order this is its sorted place."""
    key = base_key(base, catalogue)
    for i, other in enumerate(plan.bases):
        if base_key(other, catalogue) > key:
            return i
    return len(plan.bases)


def add_base_in_order(
    plan: Plan, text: str, directive_id: str | None, catalogue: Catalogue
) -> Plan:
    """Add a Căn cứ line at its place in the expected order (`plan_edit.add_base` checks it)."""
    index = position_for(plan, Base(text, directive_id or None), catalogue)
    return add_base(plan, text, directive_id, index=index)
