"""The reader never adds a label the source does not have (issue #11).

Hypothesis builds documents the way offices number their text: Word's automatic numbering of
several kinds (decimal `1.`, lowerLetter `a)`, bullets `-` / `+` / `•`, numFmt `none`, an
empty level text), numbering restarted (a second `w:num` with a start override), `w:numPr`
set directly or through a paragraph style (and switched off with numId 0), hidden paragraph
marks, empty numbered paragraphs, Heading styles without a number, typed labels in front of
the text, bold (heading-like) or not. Every paragraph's text carries a unique token; after the
import, whatever stands before the token in the plan (a section's number, a block's `-`/`+`
mark, a label left in the text) must be in the source: typed there, or the label Word shows
for that paragraph (computed here, independently of the reader, as Word counts).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import docx
from docx.oxml import parse_xml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.docx.reader import import_docx
from planner.model import Plan
from tests import office_docs as O

# (numFmt, lvlText) of levels 0 and 1 of each list kind
LISTS = {
    "decimal": (("decimal", "%1."), ("lowerLetter", "%2)")),
    "letter": (("lowerLetter", "%1)"), ("decimal", "%2.")),
    "dash": (("bullet", "-"), ("bullet", "+")),
    "dot": (("bullet", "•"), ("bullet", "o")),
    "none": (("none", ""), ("none", "")),
    "empty": (("decimal", ""), ("decimal", "")),
}
KINDS = tuple(LISTS)
TYPED = ("", "- ", "+ ", "a) ", "1. ", "b) - ")


@dataclass(frozen=True)
class Spec:
    """One generated paragraph."""

    typed: str  # a label typed in front of the text
    num: str | None  # the list kind it is numbered with, or None
    restart: int  # 0: the list's first num; n > 0: a num restarting level 0 at n
    ilvl: int
    via_style: bool  # numPr through the paragraph style rather than direct
    off: bool  # a direct numId 0 switching the style's numbering off
    hidden: bool  # the paragraph mark is hidden
    empty: bool  # no text at all
    bold: bool
    heading: bool  # a Heading 3 style (no numbering of its own)


SPECS = st.builds(
    Spec,
    typed=st.sampled_from(TYPED),
    num=st.one_of(st.none(), st.sampled_from(KINDS)),
    restart=st.sampled_from((0, 0, 1, 3)),
    ilvl=st.sampled_from((0, 0, 1)),
    via_style=st.booleans(),
    off=st.booleans(),
    hidden=st.booleans(),
    empty=st.sampled_from((False, False, False, True)),
    bold=st.booleans(),
    heading=st.sampled_from((False, False, False, True)),
)


def _token(k: int) -> str:
    return f"Việc số {k} cần làm"


class _Numbering:
    """numbering.xml for the lists the specs use, and Word's labels (the oracle)."""

    def __init__(self) -> None:
        self.abstract: dict[str, int] = {}
        self.nums: dict[tuple[str, int], int] = {}  # (kind, restart) -> numId
        self.xml_abstract: list[str] = []
        self.xml_num: list[str] = []
        self.counters: dict[str, dict[int, int]] = {}
        self.started: set[int] = set()

    def num_id(self, kind: str, restart: int) -> int:
        if kind not in self.abstract:
            aid = len(self.abstract) + 10
            self.abstract[kind] = aid
            levels = "".join(
                f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
                f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/></w:lvl>'
                for i, (fmt, text) in enumerate(LISTS[kind])
            )
            self.xml_abstract.append(
                f'<w:abstractNum {O.DECL} w:abstractNumId="{aid}">'
                f'<w:multiLevelType w:val="multilevel"/>{levels}</w:abstractNum>'
            )
        key = (kind, restart)
        if key not in self.nums:
            nid = len(self.nums) + 20
            self.nums[key] = nid
            override = (
                f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{restart}"/></w:lvlOverride>'
                if restart
                else ""
            )
            self.xml_num.append(
                f'<w:num {O.DECL} w:numId="{nid}"><w:abstractNumId '
                f'w:val="{self.abstract[kind]}"/>{override}</w:num>'
            )
        return self.nums[key]

    def word_label(self, kind: str, restart: int, ilvl: int) -> tuple[str, str]:
        """(label, numFmt) Word shows for the next paragraph of this list at `ilvl`."""
        nid = self.num_id(kind, restart)
        counters = self.counters.setdefault(kind, {})
        if nid not in self.started:
            self.started.add(nid)
            if restart:
                counters[0] = restart - 1
        counters[ilvl] = counters.get(ilvl, 0) + 1
        for deeper in [x for x in counters if x > ilvl]:
            del counters[deeper]
        fmt, text = LISTS[kind][ilvl]
        if fmt == "bullet":
            return text, fmt

        def value(m: re.Match[str]) -> str:
            i = int(m.group(1)) - 1
            n = counters.get(i, 1)
            f = LISTS[kind][i][0]
            if f == "lowerLetter":
                return chr(ord("a") + n - 1) if n <= 26 else "?"
            return "" if f == "none" else str(n)

        return re.sub(r"%([1-9])", value, text), fmt


def _build(specs: list[Spec]) -> tuple[bytes, dict[str, set[str]]]:
    """The document, and for each paragraph's token the label pieces its source has."""
    doc = docx.Document()
    O._setup(doc)
    O._append(doc, O.header_xml("2x2"))
    O._append(doc, O.para(O.run("KẾ HOẠCH", b=True), center=True))
    O._append(doc, O.para(O.run(O.SUBJECT[0], b=True), center=True))
    O._append(doc, O.rule_para("border", 3.0, O.TEXT_WIDTH, size=14))
    O._append(doc, O.para(O.run("I. NỘI DUNG", b=True)))
    numbering = _Numbering()
    # a paragraph style per list kind, numbered through the style (level 0)
    styles = doc.styles.element
    for kind in KINDS:
        nid = numbering.num_id(kind, 0)
        styles.append(
            parse_xml(
                f'<w:style {O.DECL} w:type="paragraph" w:customStyle="1" w:styleId="L{kind}">'
                f'<w:name w:val="List {kind}"/><w:basedOn w:val="Normal"/><w:pPr><w:numPr>'
                f'<w:numId w:val="{nid}"/></w:numPr></w:pPr></w:style>'
            )
        )
    allowed: dict[str, set[str]] = {}
    for k, s in enumerate(specs):
        style, numpr = "", ""
        if s.heading:
            style = '<w:pStyle w:val="Heading3"/>'
        label: tuple[str, str] | None = None
        if s.num is not None:
            if s.via_style and not s.heading:
                style = f'<w:pStyle w:val="L{s.num}"/>'
                if s.off:
                    numpr = '<w:numPr><w:ilvl w:val="0"/><w:numId w:val="0"/></w:numPr>'
                else:
                    label = numbering.word_label(s.num, 0, 0)
            else:
                nid = numbering.num_id(s.num, s.restart)
                numpr = f'<w:numPr><w:ilvl w:val="{s.ilvl}"/><w:numId w:val="{nid}"/></w:numPr>'
                label = numbering.word_label(s.num, s.restart, s.ilvl)
        hidden = "<w:rPr><w:vanish/></w:rPr>" if s.hidden else ""
        text = "" if s.empty else f"{s.typed}{_token(k)}."
        runs = O.run(text, b=s.bold) if text else ""
        O._append(doc, f"<w:p><w:pPr>{style}{numpr}{hidden}</w:pPr>{runs}</w:p>")
        if s.empty:
            continue
        pieces = set(s.typed.split())
        if label is not None and not s.hidden and label[0].strip():
            pieces.add(label[0].strip())
            if label[1] == "bullet":
                pieces |= {"-", "+"}  # ND30's marks for Word's bullets
        allowed[_token(k)] = pieces
    O._append(doc, O.para(O.run("Trên đây là kế hoạch của Phòng Giáo dục và Đào tạo.")))
    O._closing(doc)
    part = doc.part.numbering_part.element
    for xml in numbering.xml_abstract:
        first_num = part.find(f"{{{O.W_NS}}}num")
        if first_num is not None:
            first_num.addprevious(parse_xml(xml))
        else:
            part.append(parse_xml(xml))
    for xml in numbering.xml_num:
        part.append(parse_xml(xml))
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue(), allowed


def _labels(plan: Plan) -> dict[str, list[str]]:
    """For each token found in the plan, the label pieces standing before it there."""
    found: dict[str, list[str]] = {}

    def see(prefix_pieces: list[str], text: str) -> None:
        for m in re.finditer(r"Việc số \d+ cần làm", text):
            before = text[: m.start()]
            cut = max(before.rfind("."), before.rfind("\n"))
            before = before[cut + 1 :] if cut >= 0 and not before.endswith(") ") else before
            found[m.group(0)] = [*prefix_pieces, *before.split()]
            prefix_pieces = []

    for text in plan.preamble:
        see([], text)
    for _, sec in plan.iter_sections():
        see([sec.number] if sec.number else [], sec.title)
        for b in sec.blocks:
            mark = {"dash": ["-"], "plus": ["+"]}.get(b.kind, [])
            see(mark, b.text)
    for text in plan.closing:
        see([], text)
    return found


def _same(piece: str, allowed: set[str]) -> bool:
    """Whether a label piece of the plan is one of the source's (a section number `a` is the
    source's `a)`, `1` its `1.`)."""
    bare = {a.rstrip(".)") for a in allowed}
    return piece in allowed or piece.rstrip(".)") in bare


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(st.lists(SPECS, min_size=1, max_size=12))
def test_every_label_of_the_imported_plan_is_in_the_source(specs: list[Spec]) -> None:
    data, allowed = _build(specs)
    plan = import_docx(data, "nhan.docx").plan
    found = _labels(plan)
    assert set(found) == set(allowed), "every paragraph's text is in the plan"
    for token, pieces in found.items():
        invented = [x for x in pieces if not _same(x, allowed[token])]
        assert not invented, (token, pieces, allowed[token])
