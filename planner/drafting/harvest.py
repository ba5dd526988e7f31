"""The office's own citations: documents its plans cite that the catalogue does not hold yet.

`harvest_files(paths, catalogue)` reads every plan given (a .docx through `docx.reader`, a plan
.json through `model.load_plan`; a folder is searched for both, sub-folders included), finds
every citation with `catalogue.citation.find_citations` (the finder `drafting.citation_check`
uses) and returns a `HarvestReport` whose `rows` are catalogue rows for the documents not yet in
the catalogue:

- each row is read from the citation as written (`citation.directive_from_citation`: type,
  number and symbol, date, issuer after `của`, title after `về`), status `unknown`, and its
  `source` names every plan and place that cites it (`ke-hoach-2020.docx, Căn cứ 2`);
- the same document cited in several plans is one row: same symbol in any spelling
  (`25-NQ/TW`, `25/NQ-TW`) and same date. The row's symbol is the Party form of a Party
  symbol, else the spelling written most often; the others go to `aliases`. A citation
  without a date joins the dated row of its symbol only when there is exactly one; with two or
  more it is reported (`ambiguous`) and makes no row;
- when the plans disagree on a document's title or issuer, the row leaves that cell empty and
  the report lists every version with where it was written (`disagreements`): nothing is
  guessed. Spellings that fold alike (`UBND`/`Ủy ban nhân dân`) agree, and so does a value
  that is another cut short on a word boundary (`Bộ Chính trị` and `Bộ Chính trị khóa XI`:
  the longer is kept);
- ids come from `catalogue.model.assign_ids` with the catalogue's ids reserved, so a row can be
  merged into the catalogue without overwriting anything;
- a file that cannot be read is reported (`unreadable`, a Vietnamese message naming the file)
  and the others are still read.

`uncatalogued_citations(plan, catalogue)` is the same harvest for one plan (the page calls it
after a .docx import: "N văn bản được trích dẫn chưa có trong danh mục").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from planner.catalogue.citation import (
    CitationMention,
    candidates,
    canonical_symbol,
    citation_date,
    directive_from_citation,
    find_citations,
    resolve,
)
from planner.catalogue.model import MAX_FIELD, Catalogue, Directive, assign_ids
from planner.docx.reader import import_docx
from planner.docx.safety import MAX_DOCX_BYTES
from planner.drafting.findings import place_label
from planner.drafting.rollover import _clause_end, iter_texts
from planner.errors import CatalogueError, PlannerError, os_error_text
from planner.model import Plan, load_plan
from planner.text.fold import fold, symbol_key

PLAN_SUFFIXES = (".docx", ".json")
MAX_SOURCE_PLACES = 12
MAX_ALIASES = 10
_HAS_DIGIT = re.compile(r"\d")
_JOINT_TYPES = {"Kế hoạch phối hợp", "Chương trình phối hợp", "Quy chế phối hợp"}
# Abbreviations offices write for the same body, expanded before two issuers are compared.
_ABBREVIATIONS = (
    (r"\bubnd\b", "uy ban nhan dan"),
    (r"\bhdnd\b", "hoi dong nhan dan"),
    (r"\bbch\b", "ban chap hanh"),
    (r"\btw\b", "trung uong"),
    (r"\bgd ?& ?dt\b|\bgddt\b", "giao duc va dao tao"),
    (r"\btp\b", "thanh pho"),
)


@dataclass(frozen=True)
class Citation:
    """One citation of a document the catalogue does not hold, where one plan wrote it."""

    file: str
    place: str
    raw: str
    draft: Directive  # what the citation says (no id yet, symbol as written)

    @property
    def where(self) -> str:
        return f"{self.file}, {self.place}"


@dataclass(frozen=True)
class CitedDocument:
    """One new catalogue row and every citation it was read from."""

    directive: Directive
    citations: tuple[Citation, ...]


@dataclass(frozen=True)
class Disagreement:
    """Plans that cite one document (symbol and date) with different titles or issuers."""

    symbol: str
    issued: date | None
    field: str  # "title" | "issuer"
    versions: tuple[tuple[str, tuple[str, ...]], ...]  # (value as written, where)

    @property
    def message(self) -> str:
        what = {"title": "trích yếu", "issuer": "cơ quan ban hành"}[self.field]
        when = f" ngày {citation_date(self.issued)}" if self.issued else ""
        shown = "; ".join(f"“{value}” ({', '.join(where)})" for value, where in self.versions)
        return (
            f"Số ký hiệu {self.symbol}{when} được trích dẫn với {len(self.versions)} {what} "
            f"khác nhau: {shown}. Cột {self.field} để trống, hãy điền theo văn bản gốc."
        )


@dataclass(frozen=True)
class Ambiguous:
    """A citation without a date whose symbol names several dated documents."""

    symbol: str
    dates: tuple[date, ...]
    places: tuple[str, ...]

    @property
    def message(self) -> str:
        dates = ", ".join(citation_date(d) for d in self.dates)
        return (
            f"Số ký hiệu {self.symbol} được trích dẫn không ghi ngày ({', '.join(self.places)}) "
            f"nhưng các kế hoạch có {len(self.dates)} văn bản cùng số ký hiệu (ngày {dates}): "
            "không rõ là văn bản nào nên không gộp."
        )


@dataclass(frozen=True)
class Unreadable:
    file: str
    message: str


@dataclass(frozen=True)
class HarvestReport:
    """What the harvest read and found; `rows` are the new catalogue rows."""

    files_read: tuple[str, ...] = ()
    unreadable: tuple[Unreadable, ...] = ()
    citations: int = 0  # every citation found
    known: int = 0  # citations of documents the catalogue holds
    documents: tuple[CitedDocument, ...] = ()
    disagreements: tuple[Disagreement, ...] = ()
    ambiguous: tuple[Ambiguous, ...] = ()
    other_dates: tuple[str, ...] = ()  # new rows sharing a catalogue symbol, not its date

    @property
    def rows(self) -> list[Directive]:
        return [doc.directive for doc in self.documents]

    def summary(self) -> list[str]:
        """The report as Vietnamese lines for a person."""
        lines = [
            f"Đọc được {len(self.files_read)} kế hoạch"
            + (f", {len(self.unreadable)} tệp không đọc được" if self.unreadable else "")
            + f"; tìm thấy {self.citations} trích dẫn, {self.known} trích dẫn đã có trong danh "
            f"mục; {len(self.documents)} văn bản được trích dẫn chưa có trong danh mục."
        ]
        lines += [f"Không đọc được: {u.message}" for u in self.unreadable]
        lines += [f"Cần xem: {d.message}" for d in self.disagreements]
        lines += [f"Cần xem: {a.message}" for a in self.ambiguous]
        lines += [f"Cần xem: {text}" for text in self.other_dates]
        return lines

    def to_json(self) -> dict[str, Any]:
        return {
            "files_read": list(self.files_read),
            "unreadable": [{"file": u.file, "message": u.message} for u in self.unreadable],
            "citations": self.citations,
            "known": self.known,
            "rows": [
                {**doc.directive.to_row(), "cited_in": [c.where for c in doc.citations]}
                for doc in self.documents
            ],
            "disagreements": [
                {
                    "symbol": d.symbol,
                    "issued": d.issued.isoformat() if d.issued else None,
                    "field": d.field,
                    "versions": [{"value": v, "where": list(w)} for v, w in d.versions],
                    "message": d.message,
                }
                for d in self.disagreements
            ],
            "ambiguous": [
                {
                    "symbol": a.symbol,
                    "dates": [d.isoformat() for d in a.dates],
                    "where": list(a.places),
                    "message": a.message,
                }
                for a in self.ambiguous
            ],
            "other_dates": list(self.other_dates),
        }


# ---------------------------------------------------------------- one plan


def _draft(text: str, m: CitationMention) -> Directive:
    """What the citation `m` in `text` says about its document (issuer, title as written)."""
    sentence = text[m.start : _clause_end(text, m.end)]
    if sentence[:1].isdigit():  # "… 217-QĐ/TW và 218-QĐ/TW": the type word is shared
        sentence = f"{m.doc_type} số {sentence}"
    try:
        draft = directive_from_citation(sentence)
    except CatalogueError:
        draft = None
    if draft is None or symbol_key(draft.symbol) != symbol_key(m.symbol):
        doc_type = m.doc_type.rsplit(" ", 2)[0] if m.doc_type in _JOINT_TYPES else m.doc_type
        return Directive("", doc_type, m.number, m.symbol, issued=m.issued, status="unknown")
    return replace(draft, id="", symbol=m.symbol, source="")


def _plan_citations(plan: Plan, name: str, catalogue: Catalogue) -> tuple[list[Citation], int, int]:
    """Citations in `plan` of documents not in `catalogue`, and (all, known) counts."""
    new: list[Citation] = []
    total = known = 0
    for path, text in iter_texts(plan):
        if not text or _HAS_DIGIT.search(text) is None:
            continue
        for m in find_citations(text):
            total += 1
            if resolve(m, catalogue) is not None or (m.issued is None and candidates(m, catalogue)):
                known += 1
                continue
            new.append(
                Citation(name, place_label({**path, "start": m.start}), m.raw, _draft(text, m))
            )
    return new, total, known


# ---------------------------------------------------------------- merging


def _compare_key(text: str, *, title: bool) -> str:
    key = fold(text)
    for pattern, words in _ABBREVIATIONS:
        key = re.sub(pattern, words, key)
    key = " ".join(re.sub(r"[^a-z0-9 ]", " ", key).split())
    if title:
        key = re.sub(r"^(?:ve viec|v v|ve)\s+", "", key)
    return key


def _agreed(
    group: list[Citation], name: str, symbol: str, issued: date | None
) -> tuple[str, Disagreement | None]:
    """The one value of `name` the citations give, or "" and the disagreement."""
    versions: dict[str, tuple[str, list[str]]] = {}
    for c in group:
        value = str(getattr(c.draft, name))
        if value:
            key = _compare_key(value, title=name == "title")
            versions.setdefault(key, (value, []))[1].append(c.where)
    # "Bộ Chính trị" and "Bộ Chính trị khóa XI" agree: the shorter is the longer cut short.
    for key in sorted(versions, key=len):
        longer = [k for k in versions if k.startswith(key + " ")]
        if len(longer) == 1:
            versions[longer[0]][1].extend(versions.pop(key)[1])
    if len(versions) <= 1:
        return next(iter(versions.values()))[0] if versions else "", None
    shown = tuple((value, tuple(dict.fromkeys(where))) for value, where in versions.values())
    return "", Disagreement(symbol, issued, name, shown)


def _source(group: list[Citation]) -> str:
    places = list(dict.fromkeys(c.where for c in group))
    shown = "; ".join(places[:MAX_SOURCE_PLACES])
    if len(places) > MAX_SOURCE_PLACES:
        shown += f" và {len(places) - MAX_SOURCE_PLACES} chỗ khác"
    return f"Trích dẫn trong kế hoạch: {shown}"[:MAX_FIELD]


def _symbol_and_aliases(group: list[Citation]) -> tuple[str, tuple[str, ...]]:
    written = Counter(c.draft.symbol for c in group)
    symbol = canonical_symbol(written.most_common(1)[0][0])  # a Party symbol in Party form
    aliases = tuple(s for s in written if s != symbol)[:MAX_ALIASES]
    return symbol, aliases


def _merge(
    cites: list[Citation], catalogue: Catalogue
) -> tuple[list[CitedDocument], list[Disagreement], list[Ambiguous], list[str]]:
    groups: dict[tuple[str, date | None], list[Citation]] = {}
    for c in cites:
        groups.setdefault((symbol_key(c.draft.symbol), c.draft.issued), []).append(c)
    dated: dict[str, list[tuple[str, date | None]]] = {}
    for key in groups:
        if key[1] is not None:
            dated.setdefault(key[0], []).append(key)
    ambiguous: list[Ambiguous] = []
    for key in [k for k in groups if k[1] is None and k[0] in dated]:
        targets = dated[key[0]]
        undated = groups.pop(key)
        if len(targets) == 1:
            groups[targets[0]].extend(undated)
        else:
            ambiguous.append(
                Ambiguous(
                    _symbol_and_aliases(undated)[0],
                    tuple(sorted(d for _k, d in targets if d is not None)),
                    tuple(dict.fromkeys(c.where for c in undated)),
                )
            )
    drafts: list[Directive] = []
    members: list[list[Citation]] = []
    disagreements: list[Disagreement] = []
    other_dates: list[str] = []
    for (_key, issued), group in groups.items():
        symbol, aliases = _symbol_and_aliases(group)
        title, title_conflict = _agreed(group, "title", symbol, issued)
        issuer, issuer_conflict = _agreed(group, "issuer", symbol, issued)
        disagreements += [d for d in (title_conflict, issuer_conflict) if d is not None]
        levels = {c.draft.issuer_level for c in group if c.draft.issuer_level}
        first = group[0].draft
        drafts.append(
            Directive(
                id="",
                doc_type=Counter(c.draft.doc_type for c in group).most_common(1)[0][0],
                number=first.number,
                symbol=symbol,
                aliases=aliases,
                issued=issued,
                issuer=issuer,
                issuer_level=levels.pop() if len(levels) == 1 else "",
                title=title,
                status="unknown",
                source=_source(group),
            )
        )
        members.append(group)
        same_symbol = [d for d in catalogue.by_symbol(symbol) if d.issued is not None]
        if same_symbol:
            days = ", ".join(citation_date(d.issued) for d in same_symbol if d.issued)
            when = f" ngày {citation_date(issued)}" if issued else ""
            other_dates.append(
                f"{first.doc_type} số {symbol}{when} ({group[0].where}): danh mục có văn bản "
                f"cùng số ký hiệu nhưng ngày khác ({days}); đã ghi thành văn bản mới, hãy "
                "kiểm tra lại ngày ban hành."
            )
    reserved = {d.id: (symbol_key(d.symbol), d.issued) for d in catalogue}
    ids = assign_ids([(d.doc_type, d.symbol, d.issued, d.title) for d in drafts], reserved)
    documents = [
        CitedDocument(replace(d, id=ident), tuple(group))
        for d, ident, group in zip(drafts, ids, members, strict=True)
    ]
    return documents, disagreements, ambiguous, other_dates


def harvest_plans(
    plans: Iterable[tuple[str, Plan]],
    catalogue: Catalogue,
    *,
    unreadable: Sequence[Unreadable] = (),
) -> HarvestReport:
    """New catalogue rows for the documents `plans` (name, plan) cite and `catalogue` lacks."""
    names: list[str] = []
    cites: list[Citation] = []
    total = known = 0
    for name, plan in plans:
        names.append(name)
        found, n_all, n_known = _plan_citations(plan, name, catalogue)
        cites += found
        total += n_all
        known += n_known
    documents, disagreements, ambiguous, other_dates = _merge(cites, catalogue)
    return HarvestReport(
        files_read=tuple(names),
        unreadable=tuple(unreadable),
        citations=total,
        known=known,
        documents=tuple(documents),
        disagreements=tuple(disagreements),
        ambiguous=tuple(ambiguous),
        other_dates=tuple(other_dates),
    )


def plan_name(plan: Plan) -> str:
    """How a plan is named in a row's source when it has no file name."""
    meta = plan.meta
    kind = (meta.doc_type or "Kế hoạch").capitalize()
    if meta.number and meta.symbol:
        return f"{kind} số {meta.number}/{meta.symbol}"
    return f"{kind} {meta.subject}".strip() if meta.subject else kind


def uncatalogued_citations(plan: Plan, catalogue: Catalogue, *, name: str = "") -> list[Directive]:
    """Rows for the documents `plan` cites that `catalogue` lacks (status `unknown`)."""
    return harvest_plans([(name or plan_name(plan), plan)], catalogue).rows


# ---------------------------------------------------------------- files


def plan_files(paths: Iterable[str | Path]) -> tuple[list[tuple[str, Path]], list[Unreadable]]:
    """The plan files (shown name, path) the paths name, folders searched; and what is missing."""
    found: list[tuple[str, Path]] = []
    missing: list[Unreadable] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            inside = sorted(
                p
                for p in path.rglob("*")
                if p.suffix.lower() in PLAN_SUFFIXES and not p.name.startswith("~$") and p.is_file()
            )
            if not inside:
                missing.append(
                    Unreadable(str(path), f"Thư mục “{path}” không có tệp .docx hoặc .json nào.")
                )
            found += [(p.relative_to(path).as_posix(), p) for p in inside]
        elif path.is_file():
            if path.suffix.lower() in PLAN_SUFFIXES:
                found.append((path.name, path))
            else:
                missing.append(
                    Unreadable(path.name, f"Tệp “{path.name}” không phải tệp .docx hoặc .json.")
                )
        else:
            missing.append(Unreadable(str(path), f"Không tìm thấy tệp hoặc thư mục “{path}”."))
    return found, missing


def read_plan_file(path: Path, name: str) -> Plan:
    """A plan from a .docx (through the Word reader) or a plan .json; PlannerError naming it."""
    try:
        if path.suffix.lower() == ".json":
            return load_plan(path)
        if path.stat().st_size > MAX_DOCX_BYTES:
            raise CatalogueError(
                f"Tệp “{name}” quá lớn; chỉ đọc tệp Word đến {MAX_DOCX_BYTES // 1024 // 1024} MB."
            )
        return import_docx(path.read_bytes(), name).plan
    except OSError as err:
        raise CatalogueError(f"Không đọc được tệp “{name}”: {os_error_text(err)}.") from None


def harvest_files(paths: Iterable[str | Path], catalogue: Catalogue) -> HarvestReport:
    """Read every plan the paths name and harvest their citations (see the module doc)."""
    files, unreadable = plan_files(paths)
    plans: list[tuple[str, Plan]] = []
    for name, path in files:
        try:
            plans.append((name, read_plan_file(path, name)))
        except PlannerError as err:
            message = str(err)
            if path.name not in message:
                message = f"Tệp “{name}”: {message}"
            unreadable.append(Unreadable(name, message))
    return harvest_plans(plans, catalogue, unreadable=unreadable)
