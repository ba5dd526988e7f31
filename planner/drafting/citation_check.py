"""The citation check: every citation in a plan, linked to its catalogue row or flagged.

`check_citations(plan, catalogue)` finds each numbered citation (`Nghị quyết số 25-NQ/TW ngày
03/6/2013`, `Quyết định số 217-QĐ/TW và 218-QĐ/TW`) in every text of the plan and links it to
its catalogue row by symbol (or alias) and date. It flags, as findings:

- `citation_unknown`: the document is not in the catalogue — the finding carries a pre-filled
  catalogue row in `finding.extra["directive_row"]` for “Thêm vào danh mục”;
- `citation_mismatch`: two mentions of one document that disagree (the seed writes its joint
  plan both `28-KHPH/BDV-PGDĐT` and `28-KH/BDV-PGDĐT` with the same date), or one symbol
  written with two different dates;
- `citation_date`: a date that differs from the catalogue's (or a symbol shared by several
  documents cited without the date that tells them apart);
- `party_symbol`: a Party symbol written in the state form (`25/NQ-TW` for `25-NQ/TW`);
- `not_in_force`: a directive the catalogue marks expired or replaced (with its replacement).

`link_bases(plan, catalogue)` fills `Base.directive_id` for each Căn cứ it can resolve.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from planner.catalogue.citation import (
    CitationMention,
    candidates,
    citation_date,
    directive_from_citation,
    find_citations,
    first_citation,
    party_form,
    resolve,
    short_citation,
)
from planner.catalogue.model import Catalogue, Directive
from planner.drafting.findings import Finding, new_finding, place_label
from planner.drafting.rollover import _clause_end, iter_texts
from planner.errors import PlannerError
from planner.model import Plan
from planner.text.dates import nd30_date_words
from planner.text.fold import symbol_key

_HAS_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class LinkedMention:
    """One citation found in the plan: where, as written, and the catalogue row it names."""

    place: str
    path: Mapping[str, Any]
    raw: str
    symbol: str
    issued: date | None
    directive_id: str | None


@dataclass(frozen=True)
class CitationReport:
    """Every citation of the plan (`mentions`, in document order) and what is wrong (`findings`)."""

    mentions: list[LinkedMention] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.findings

    @property
    def symbols(self) -> list[str]:
        """The distinct symbols as written (`28-KHPH/BDV-PGDĐT` and `28-KH/BDV-PGDĐT` are two)."""
        return list(dict.fromkeys(m.symbol for m in self.mentions))

    @property
    def documents(self) -> list[str]:
        """Distinct documents cited: catalogue ids, or `?symbol@date` for unknown ones."""
        keys = []
        for m in self.mentions:
            if m.directive_id:
                keys.append(m.directive_id)
            else:
                when = m.issued.isoformat() if m.issued else ""
                keys.append(f"?{symbol_key(m.symbol)}@{when}")
        return list(dict.fromkeys(keys))

    @property
    def linked(self) -> int:
        """How many mentions are linked to a catalogue row."""
        return sum(1 for m in self.mentions if m.directive_id)


@dataclass
class _Found:
    mention: CitationMention
    path: dict[str, Any]
    text: str
    directive: Directive | None


def check_citations(plan: Plan, catalogue: Catalogue) -> CitationReport:
    """Find, link and check every citation of `plan` against `catalogue` (see module doc)."""
    found: list[_Found] = []
    for path, text in iter_texts(plan):
        if not text or _HAS_DIGIT.search(text) is None:
            continue
        for m in find_citations(text):
            found.append(_Found(m, path, text, resolve(m, catalogue)))

    findings: list[Finding] = []
    counts: dict[tuple[str, str], int] = {}

    def add(
        kind: str,
        item: _Found,
        start: int,
        text: str,
        suggestion: str,
        message: str,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        path = {**item.path, "start": start}
        key = (kind, repr(sorted((k, v) for k, v in item.path.items())) + text)
        nth = counts.get(key, 0)
        counts[key] = nth + 1
        f = new_finding(kind, place_label(path), path, text, suggestion, message, nth=nth)
        if extra:
            f = replace(f, extra=dict(extra))
        findings.append(f)

    mentions = []
    for item in found:
        m, d = item.mention, item.directive
        rows = candidates(m, catalogue) if d is None else [d]
        linked = d
        if d is None and len(rows) == 1:
            linked = rows[0]  # the symbol names one row; the date may be wrong (flagged below)
        mentions.append(
            LinkedMention(
                place=place_label(item.path),
                path={**item.path, "start": m.start},
                raw=m.raw,
                symbol=m.symbol,
                issued=m.issued,
                directive_id=linked.id if linked else None,
            )
        )
        item.directive = linked
        _check_party(item, add)
        if d is None:
            _check_unlinked(item, rows, add)

    _check_mismatch(found, add)
    _check_in_force(found, catalogue, add)
    findings.sort(key=_order(plan))
    return CitationReport(mentions=mentions, findings=_unique(findings))


def _symbol_span(m: CitationMention) -> tuple[int, str]:
    """Offset (in the field) and text of the symbol as written inside the mention."""
    pattern = r"\s?".join(re.escape(ch) for ch in m.symbol.replace(" ", ""))
    hit = re.search(pattern, m.raw.replace("Ð", "Đ"))
    if hit is None:
        return m.start, m.raw
    return m.start + hit.start(), m.raw[hit.start() : hit.end()]


def _check_party(item: _Found, add: Any) -> None:
    fixed = party_form(item.mention.symbol)
    if not fixed:
        return
    start, written = _symbol_span(item.mention)
    add(
        "party_symbol",
        item,
        start,
        written,
        fixed,
        f"Ký hiệu văn bản của Đảng viết theo dạng “số-LOẠI/CƠ QUAN”: “{fixed}”, không phải "
        f"“{item.mention.symbol}” (dạng của văn bản nhà nước).",
    )


def _check_unlinked(item: _Found, rows: list[Directive], add: Any) -> None:
    m = item.mention
    if not rows:
        sentence = item.text[m.start : _clause_end(item.text, m.end)]
        extra: dict[str, Any] = {}
        try:
            extra["directive_row"] = directive_from_citation(sentence).to_row()
        except PlannerError:
            pass
        add(
            "citation_unknown",
            item,
            m.start,
            m.raw,
            "",
            f"{m.doc_type} số {m.symbol} chưa có trong danh mục văn bản: hãy kiểm tra số, ký hiệu "
            "và thêm văn bản vào danh mục (đã điền sẵn thông tin đọc được từ trích dẫn).",
            extra,
        )
        return
    dated = [r for r in rows if r.issued]
    if m.issued is not None and dated:
        right = dated[0] if len(dated) == 1 else None
        shown = ", ".join(citation_date(r.issued) for r in dated if r.issued)
        suggestion = ""
        if right is not None and right.issued is not None:
            suggestion = _with_date(m.raw, right.issued)
        add(
            "citation_date",
            item,
            m.start,
            m.raw,
            suggestion,
            f"{m.doc_type} số {m.symbol} ghi ngày {citation_date(m.issued)}, nhưng danh mục ghi "
            f"ngày {shown}: hãy kiểm tra lại ngày ban hành.",
        )
    elif m.issued is None and len(rows) > 1:
        shown = "; ".join(
            f"{short_citation(r)} ngày {citation_date(r.issued)}" if r.issued else short_citation(r)
            for r in rows
        )
        add(
            "citation_date",
            item,
            m.start,
            m.raw,
            "",
            f"Có {len(rows)} văn bản cùng số ký hiệu {m.symbol} ({shown}): hãy ghi ngày ban "
            "hành để biết là văn bản nào.",
        )


def _with_date(raw: str, issued: date) -> str:
    new = citation_date(issued)
    out = re.sub(r"\d{1,2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{4}", new, raw, count=1)
    if out == raw:
        out = re.sub(
            r"ngày\s+\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4}",
            nd30_date_words(issued),
            raw,
            count=1,
        )
    return out


def _check_mismatch(found: list[_Found], add: Any) -> None:
    groups: dict[str, list[_Found]] = {}
    for item in found:
        m = item.mention
        if item.directive is not None:
            key = item.directive.id
        elif m.issued is not None:
            key = f"?{m.number}@{m.issued.isoformat()}"
        else:
            continue
        groups.setdefault(key, []).append(item)
    by_symbol: dict[str, list[_Found]] = {}
    for item in found:
        if item.directive is None:
            by_symbol.setdefault(symbol_key(item.mention.symbol), []).append(item)
    for items in by_symbol.values():
        dates = {i.mention.issued for i in items if i.mention.issued}
        if len(dates) > 1:
            shown = ", ".join(citation_date(d) for d in sorted(dates))
            for item in items[1:]:
                m = item.mention
                add(
                    "citation_mismatch",
                    item,
                    m.start,
                    m.raw,
                    "",
                    f"{m.doc_type} số {m.symbol} được ghi với các ngày khác nhau ({shown}) trong "
                    "kế hoạch: hãy thống nhất ngày ban hành.",
                )
    for items in groups.values():
        written = list(dict.fromkeys(symbol_key(i.mention.symbol) for i in items))
        if len(written) < 2:
            continue
        first = items[0]
        d = first.directive
        right = d.symbol if d is not None and d.symbol else first.mention.symbol
        firsts: dict[str, _Found] = {}
        for i in items:
            firsts.setdefault(symbol_key(i.mention.symbol), i)
        where = "; ".join(f"“{i.mention.symbol}” ({place_label(i.path)})" for i in firsts.values())
        for item in items:
            if symbol_key(item.mention.symbol) == symbol_key(right):
                continue
            start, written_symbol = _symbol_span(item.mention)
            add(
                "citation_mismatch",
                item,
                start,
                written_symbol,
                right,
                f"Cùng một văn bản được ghi số ký hiệu khác nhau: {where}. "
                f"Hãy thống nhất là “{right}”.",
            )


def _check_in_force(found: list[_Found], catalogue: Catalogue, add: Any) -> None:
    covered: dict[tuple[str, str], list[tuple[int, int]]] = {}
    suggested: dict[str, set[str]] = {}
    for item in found:
        d, m = item.directive, item.mention
        if d is None or not d.is_outdated:
            continue
        field_key = repr(sorted(item.path.items()))
        spans = covered.setdefault((field_key, ""), [])
        if any(s <= m.start < e for s, e in spans):
            continue
        end = _clause_end(item.text, m.end)
        clause = item.text[m.start : end].rstrip()
        spans.append((m.start, m.start + len(clause)))
        rep = catalogue.replacement_of(d)
        what = f"{m.doc_type} số {m.symbol}" + (
            f" ngày {citation_date(d.issued)}" if d.issued else ""
        )
        status = d.status_label.lower() if d.status in ("expired", "replaced") else "hết hiệu lực"
        if rep is None:
            add(
                "not_in_force",
                item,
                m.start,
                clause,
                "",
                f"{what} đã {status}; danh mục chưa có văn bản thay thế.",
            )
            continue
        rep_what = f"{short_citation(rep)}" + (
            f" ngày {citation_date(rep.issued)}" if rep.issued else ""
        )
        done = suggested.setdefault(field_key, set())
        suggestion = "" if rep.id in done else first_citation(rep)
        done.add(rep.id)
        again = (
            " (đã đề xuất ở trích dẫn trước trong cùng đoạn: hãy xóa trích dẫn này)"
            if not suggestion
            else ""
        )
        add(
            "not_in_force",
            item,
            m.start,
            clause,
            suggestion,
            f"{what} đã {status}, được thay bằng {rep_what}{again}.",
        )


def _order(plan: Plan) -> Any:
    order = {repr(sorted(p.items())): n for n, (p, _) in enumerate(iter_texts(plan))}

    def key(f: Finding) -> tuple[int, int]:
        p = {k: v for k, v in f.path.items() if k != "start"}
        return order.get(repr(sorted(p.items())), len(order)), int(f.path.get("start", 0))

    return key


def _unique(findings: list[Finding]) -> list[Finding]:
    seen: set[str] = set()
    out = []
    for f in findings:
        fid, n = f.id, 2
        while fid in seen:
            fid, n = f"{f.id}-{n}", n + 1
        seen.add(fid)
        out.append(f if fid == f.id else replace(f, id=fid))
    return out


def link_bases(plan: Plan, catalogue: Catalogue) -> Plan:
    """A copy of the plan whose Căn cứ lines name their catalogue row where it is certain.

    The first citation of each Căn cứ line decides; a line whose citation does not resolve
    keeps the id it had.
    """
    bases = []
    for b in plan.bases:
        mentions = find_citations(b.text)
        d = resolve(mentions[0], catalogue) if mentions else None
        bases.append(replace(b, directive_id=d.id) if d is not None else b)
    return replace(plan, bases=tuple(bases))
