"""What every ND30 rule works on: the document read into paragraphs, the findings so far, and
the helpers several rules share (the rule under a line, a line that must fit, a header line
laid out with tabs).

The rule modules (`page_rules`, `header_rules`, `body_rules`, `closing_rules`) each take a
`CheckContext`; `checker` makes one and runs them in order. It may import
`planner.nd30.reader`, `findings`, `units` and `planner.text`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from planner.nd30.findings import R_BODY, Findings
from planner.nd30.findings import measure as _measure
from planner.nd30.reader import Para, Reader, segments
from planner.text.fold import fold_keep_marks

FONT = "Times New Roman"
TYPED_RULE = re.compile(r"^[\s\-_=─—–.]{3,}$")  # a "rule" typed with characters
FIT_SLACK = 1.0  # header lines: estimated width must not exceed the available width
FIT_TOLERANCE_CM = 0.01  # rounding room when comparing a line's width with its room
# The authority's and the trích yếu's rule: 1/3 to 1/2 of the line's width, with room for
# a rule drawn by hand.
SHORT_RULE_SHARE = (0.28, 0.6)
_RULE_LOOKAHEAD = 2  # a rule drawn as its own paragraph sits at most this far below the line
_CELL_PARAS = 50  # paragraphs of one header cell looked at for what follows a line


class CheckContext:
    """One document under check: its paragraphs (`body`), the reader, and the findings."""

    def __init__(self, doc: Any) -> None:
        self.doc = doc
        self.rd = Reader(doc)
        self.findings = Findings()
        self.body = self.rd.body
        self.tabbed = False  # the header is laid out with tabs or spaces, not a table

    def add(self, rule: str, message: str, where: str) -> None:
        """Record one breach of `rule` (a `findings.R_*` reference) at `where`."""
        self.findings.add(rule, message, where)

    def fits(self, p: Para, rule: str, what: str) -> None:
        """Report `what` (a header line) when its estimated width exceeds its line's room."""
        if p.segment:
            return  # a piece of a tab-aligned line: its room depends on tab stops
        if p.est_width_cm() > p.line_width_cm() * FIT_SLACK + FIT_TOLERANCE_CM:
            self.add(
                rule,
                f"{what} dài khoảng {_measure(p.est_width_cm())} cm, rộng hơn chỗ dành cho nó "
                f"({_measure(p.line_width_cm())} cm): sẽ bị xuống dòng khi in; "
                "phải nằm trên một dòng.",
                p.label(),
            )

    def rule_under(self, p: Para, rule: str = R_BODY) -> float | None:
        """Length (cm) of the rule under `p`, wherever Word users put it: `p`'s bottom border,
        a shape or underlined blanks in `p`; in the next paragraphs of the same place (a
        border, a shape, underlined blanks; the top border of the next line); a floating shape
        anchored anywhere in `p`'s table cell; or, at the end of the cell, the first
        paragraphs of the cell below it (the next row, same column).

        None when there is none; -1 when it is typed with characters (`-----`, `____`), which
        is reported here (under `rule`) since ND30 wants a solid line.
        """
        if p.props.get("border.bottom"):
            return p.line_width_cm()
        if p.shape_cm:
            return max(p.shape_cm)
        idx = next((i for i, q in enumerate(self.body) if q.n == p.n), None)
        if idx is None:
            return None
        same = [q for q in self.body[idx + 1 :] if q.table == p.table and q.cell == p.cell]
        if p.table is not None:
            same = same[:_CELL_PARAS]
        else:
            same = self.body[idx + 1 : idx + 1 + _RULE_LOOKAHEAD]
        found = self._rule_in(same[:_RULE_LOOKAHEAD], rule)
        if found is not None:
            return found
        if p.table is None or p.cell is None:
            return None
        floating = [x for q in self.body if q.table == p.table and q.cell == p.cell
                    for x in q.float_cm]  # fmt: skip
        if floating:
            return max(floating)
        if any(not q.empty for q in same):
            return None  # more text below in the cell: the rule would have been there
        below = [
            q
            for q in self.body
            if q.table == p.table
            and q.cell is not None
            and q.cell[0] == p.cell[0] + 1
            and q.col == p.col
        ]
        return self._rule_in(below[:_RULE_LOOKAHEAD], rule)

    def _rule_in(self, paras: list[Para], rule: str) -> float | None:
        """The rule the first of `paras` draw before any text (see `rule_under`)."""
        for q in paras:
            if q.shape_cm:
                return max(q.shape_cm)
            if q.empty:
                if q.props.get("border.bottom") or q.props.get("border.top"):
                    return q.line_width_cm()
                if q.underline_cm > 0:
                    return q.underline_cm
                continue
            if q.props.get("border.top"):
                return q.line_width_cm()
            if TYPED_RULE.match(q.text):
                self.add(
                    rule,
                    "Đường kẻ được gõ bằng ký tự (----, ____); phải là nét liền "
                    "(đường viền đoạn văn hoặc đường vẽ).",
                    q.label(),
                )
                return -1.0
            break
        return None

    def pick(self, p: Para, pred: Callable[[str], bool]) -> Para:
        """For a header line laid out with tabs or runs of spaces, the piece whose folded text
        `pred` accepts (the first piece if none does); `p` itself otherwise."""
        if p.table is not None:
            return p
        segs = segments(p)
        if len(segs) <= 1:
            return p
        self.tabbed = True
        return next((s for s in segs if pred(fold_keep_marks(s.text))), segs[0])


def sizes_within(p: Para, lo_pt: float, hi_pt: float) -> bool:
    """True when every text run of `p` is between `lo_pt` and `hi_pt` points."""
    return all(lo_pt <= s <= hi_pt for s in p.sizes())


def sizes_text(p: Para) -> str:
    """The font sizes (pt) of `p`'s text, for a message: `"12, 14"`, or `"?"` with no text."""
    return ", ".join(f"{s:g}" for s in sorted(p.sizes())) or "?"


def where(p: Para) -> str:
    """Where `p` is, for a finding, naming the page header or footer it sits in."""
    if p.part == "header":
        return f"đầu trang: {p.label()}"
    if p.part == "footer":
        return f"chân trang: {p.label()}"
    return p.label()
