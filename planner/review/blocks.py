"""The block a comment is on, found again after the plan was edited.

Blocks have no ids in the plan file (format version 1), so a comment names its block by place
and by text: `II.1/2|Tổ chức tuyên truyền sâu rộng` is the third block (index 2) of section
II.1, which began with those words when the comment was made (`QUOTE_CHARS` characters, spaces
collapsed; a table quotes its first non-empty cell). `""` is the plan as a whole.

`locate` finds the block again, in this order: the same place still beginning with the quote;
the first block anywhere beginning with it (the same section first: blocks were added or moved);
the same place, when its text changed (the drafter rewrote the block the comment was about);
else None, and the page lists the comment under the plan as a whole. Quotes are compared
folded (`planner.text.fold`), so a fixed diacritic or case does not lose the block.
"""

from __future__ import annotations

from planner.model import Block, Plan
from planner.text.fold import fold

QUOTE_CHARS = 40
MAX_KEY = 300
WHOLE_PLAN = ""


def block_text(block: Block) -> str:
    """The words a block is quoted by: its text, or a table's first non-empty cell."""
    if block.kind == "table":
        return next((c for row in block.rows for c in row if c.strip()), "")
    return block.text


def quote_of(block: Block) -> str:
    return " ".join(block_text(block).split())[:QUOTE_CHARS]


def block_key(plan: Plan, section: str, index: int) -> str:
    """The key of block `index` of section `section` (a path like `II.1`) of `plan`."""
    found = plan.find_section(section)
    if found is None or not 0 <= index < len(found.blocks):
        raise ValueError(f"no block {index} in section {section!r}")
    return f"{section}/{index}|{quote_of(found.blocks[index])}"


def parse_key(key: str) -> tuple[str, int, str] | None:
    """(section, index, quote) of a block key; None for the plan as a whole or a key this
    version cannot read."""
    place, sep, quote = key.partition("|")
    section, slash, index = place.rpartition("/")
    if not sep or not slash or not section or not index.isdigit():
        return None
    return section, int(index), quote


def _starts(block: Block, quote: str) -> bool:
    return fold(" ".join(block_text(block).split())).startswith(fold(quote))


def locate(plan: Plan, key: str) -> tuple[str, int] | None:
    """Where the block of `key` is in `plan` now (section path, block index), or None."""
    parsed = parse_key(key)
    if parsed is None:
        return None
    section, index, quote = parsed
    sections = list(plan.iter_sections())
    here = dict(sections).get(section)
    if here is not None and index < len(here.blocks) and _starts(here.blocks[index], quote):
        return section, index
    if quote.strip():
        ordered = sorted(sections, key=lambda item: item[0] != section)
        for path, s in ordered:
            for i, b in enumerate(s.blocks):
                if _starts(b, quote):
                    return path, i
    if here is not None and index < len(here.blocks):
        return section, index
    return None


def place_of(plan: Plan, key: str) -> str:
    """`Mục II.1, đoạn 3`, or `Toàn văn bản` for a comment on the plan as a whole or one whose
    block is gone."""
    found = locate(plan, key)
    if found is None:
        return "Toàn văn bản"
    return f"Mục {found[0]}, đoạn {found[1] + 1}"
