"""Placeholders left in a document: text that stands for something still to be written.

`find_placeholders(text)` is the one definition of a placeholder, shared by the ND30 checker
(`placeholders(ctx)`, a rule over the body) and the plan's readiness check
(`planner.drafting.readiness`). A placeholder is:

- an ellipsis standing where a value belongs: `…` or `...` after a space, a slash, a bracket
  or at the start, or before a slash (`Kế hoạch số …/KH-UBND`, `ngày …/…/2021`, `../../`);
  an ellipsis glued to the end of a word (`phòng cháy, chữa cháy...`) is the writer's
  "and so on" and is left alone;
- a fill line: five or more dots, two or more `…` in a row, or three or more underscores;
- the text the editor gives a new item (`Mục mới`, `Nội dung mới`) standing alone;
- a guidance sentence of a new plan, `[Hướng dẫn: …]` (see `planner.drafting.new_plan`).

It may import `planner.nd30.context`, `planner.nd30.findings` and `planner.text`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from planner.nd30.context import CheckContext
from planner.nd30.findings import R_BODY
from planner.text.fold import fold_keep_marks

# The texts the editor inserts for a new section or block (components/section_editor.py).
NEW_ITEM_TEXTS = ("mục mới", "nội dung mới", "đoạn mới")
GUIDANCE_PREFIX = "Hướng dẫn:"

_FILL = re.compile(r"\.{5,}|…{2,}|(?:…\s*\.{2,}|\.{2,}\s*…)[.…]*|_{3,}")
_SLASHED = re.compile(r"(?:\.{2,4}|…)/(?:(?:\.{2,4}|…)/)*")  # `…/`, `../../`, `…/…/`
_ELLIPSIS = re.compile(r"…|\.{3,4}")
_GUIDANCE = re.compile(r"\[\s*" + re.escape(GUIDANCE_PREFIX) + r"[^\]]*\]")
_BEFORE_BLANK = set(" \t\n/([:“\"'-–")
# The number and the day of a draft are left for the văn thư to fill when the document is
# issued: `Số: …/KH-PGDĐT` and `ngày … tháng … năm 2021` are not placeholders to report.
_ISSUE_BLANKS = re.compile(r"^\s*Số\s*:[\s….]*|ngày[\s….]*tháng[\s….]*năm", re.IGNORECASE)


@dataclass(frozen=True)
class Placeholder:
    """One placeholder: where it starts in the text, the text itself, and what it is."""

    start: int
    text: str
    what: str  # Vietnamese: "chỗ “…” chưa điền", "lời hướng dẫn chưa thay", …


def find_placeholders(text: str) -> list[Placeholder]:
    """Every placeholder in `text`, in order (see the module docstring for what counts)."""
    out: list[Placeholder] = []
    taken: list[tuple[int, int]] = []

    def add(start: int, end: int, what: str) -> None:
        if any(s < end and start < e for s, e in taken):
            return
        taken.append((start, end))
        out.append(Placeholder(start, text[start:end], what))

    for m in _GUIDANCE.finditer(text):
        add(m.start(), m.end(), "lời hướng dẫn chưa được thay bằng nội dung")
    for m in _SLASHED.finditer(text):
        add(m.start(), m.end(), "chỗ “…” chưa được điền")
    for m in _FILL.finditer(text):
        add(m.start(), m.end(), "dòng chấm (hoặc gạch) để điền chưa được điền")
    for m in _ELLIPSIS.finditer(text):
        s, e = m.start(), m.end()
        before = text[s - 1] if s > 0 else " "
        after = text[e] if e < len(text) else ""
        if before in _BEFORE_BLANK or after == "/":
            # a run like "…/…/" is one placeholder
            while e < len(text) and (text[e] == "/" or text[e] == "…" or text[e] == "."):
                e += 1
            add(s, e, "chỗ “…” chưa được điền")
    folded = fold_keep_marks(" ".join(text.split())).rstrip(" .:;")
    if folded in {fold_keep_marks(t) for t in NEW_ITEM_TEXTS}:
        add(0, len(text), "nội dung mặc định của mục/đoạn mới chưa được thay")
    return sorted(out, key=lambda p: p.start)


def placeholders(ctx: CheckContext) -> None:
    """Body paragraphs (tables included) that still hold a placeholder."""
    for p in ctx.body:
        if not p.text.strip():
            continue
        text = _ISSUE_BLANKS.sub(lambda m: " " * len(m.group(0)), p.text)
        found = find_placeholders(text)
        if found:
            first = found[0]
            ctx.add(
                R_BODY,
                f"Văn bản còn chỗ chưa hoàn thiện: {first.what} (“{_short(first.text)}”); "
                "hãy điền nội dung trước khi ban hành.",
                p.label(),
            )


def _short(text: str, n: int = 40) -> str:
    t = " ".join(text.split())
    return t if len(t) <= n else t[: n - 1] + "…"
