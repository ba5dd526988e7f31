"""Citations of other documents: writing them (ND30 II.6.b) and finding them in free text.

Stable API (used by the rollover engineer's citation check; keep these signatures):

- `first_citation(d: Directive) -> str`: the first mention, e.g. `Nghị quyết số 25-NQ/TW ngày
  03/6/2013 của Ban Chấp hành Trung ương khóa XI về tăng cường ...` (type, number and symbol,
  date, issuer, subject; an unknown date or issuer is left out, never guessed).
- `short_citation(d: Directive) -> str`: later mentions, e.g. `Nghị quyết số 25-NQ/TW`.
- `find_citations(text: str) -> list[CitationMention]`: every citation in `text`, in order.
  `CitationMention(start, end, doc_type, number, symbol, issued, raw)`: `text[start:end] ==
  raw`; `doc_type` is the canonical name ("Quyết định"); `symbol` is cleaned (stray spaces
  removed, `Ð` → `Đ`) but otherwise as written, so a Party symbol in state form stays visible;
  `issued` is the date written right after the symbol (`ngày 08/7/2020`, `ngày 14 tháng 7 năm
  2020`) or None. Lists sharing one type word (`Quyết định số 217-QĐ/TW và 218-QĐ/TW`) give
  one mention per symbol.
- `resolve(mention: CitationMention, catalogue: Catalogue) -> Directive | None`: the catalogue
  row the mention names, by symbol or alias in any spelling and by date. None when nothing
  matches, when the written date contradicts every candidate, or when several rows share the
  symbol and no date tells them apart (`candidates()` lists them).
- `directive_from_citation(text: str) -> Directive`: a draft row from a pasted citation
  sentence, for the user to review before saving ("Thêm từ trích dẫn").
- `party_form(symbol) -> str | None`: the Party form of a Party symbol written in state form
  (`25/NQ-TW` → `25-NQ/TW`), None when the symbol is fine.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from planner.catalogue.model import DOC_TYPES, Catalogue, Directive, make_id
from planner.errors import CatalogueError
from planner.text.clean import clean_line, clean_text
from planner.text.dates import make_date, nd30_date
from planner.text.fold import fold, norm_number, symbol_key

# Type words as written in documents (longest first so "Kế hoạch phối hợp" wins over "Kế hoạch").
_TYPE_NAMES = sorted(
    [*DOC_TYPES, "Kế hoạch phối hợp", "Chương trình phối hợp", "Quy chế phối hợp"],
    key=len,
    reverse=True,
)
_CANONICAL_TYPE = {fold(name): name for name in _TYPE_NAMES}
_TYPE_RE = "|".join(re.escape(name) for name in _TYPE_NAMES)
_LETTER = "A-Za-zĐđÐÀ-ỹ"
_NUM = r"\d{1,5}[a-zA-Z]?"
_PART = rf"[{_LETTER}0-9]+"
_SYMBOL = rf"{_NUM}(?:[ \t]?[/\-][ \t]?{_PART})+"
_DATE = (
    r"(?:\s*,)?\s+(?:ban\s+hành\s+)?ngày\s+"
    r"(?:(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})"
    r"|(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4}))"
)
_MENTION = re.compile(
    rf"(?<![{_LETTER}])({_TYPE_RE})(?:\s+liên\s+tịch)?(?:\s+(?:số|Số|SỐ)\s*:?)?\s+({_SYMBOL})"
    rf"(?:{_DATE})?",
    re.IGNORECASE,
)
_MORE = re.compile(
    rf"\s*(?:,|;|và)\s*(?:số\s+)?({_SYMBOL})(?:{_DATE})?(?![{_LETTER}0-9])", re.IGNORECASE
)
# Party bodies whose documents use the Party form `25-NQ/TW` (ND30 II.6.b).
_PARTY_ISSUERS = ("TW", "TU", "HU", "QU", "ĐU", "ĐUK", "ThU", "BCS", "BDV", "BTGTW", "BDVTW")
_STATE_FORM_PARTY = re.compile(r"^(\d+[a-z]?)/([A-ZĐ]{1,5})-(TW|TU|HU|QU|ĐU|ThU)$")
MAX_CITATION_TEXT = 2000


@dataclass(frozen=True)
class CitationMention:
    """One citation found in text; `text[start:end] == raw`."""

    start: int
    end: int
    doc_type: str
    number: str
    symbol: str
    issued: date | None
    raw: str


# `03/6/2013`, `08/11/2011`, `05/01/2021`: the ND30 padding; the name pages and checks import.
citation_date = nd30_date


def clean_symbol(symbol: str) -> str:
    """A symbol with stray spaces removed and the look-alike `Ð` (U+00D0) made `Đ`."""
    text = clean_line(symbol).replace("Ð", "Đ").replace("ð", "đ")
    return re.sub(r"\s*([/\-])\s*", r"\1", text)


def party_form(symbol: str) -> str | None:
    """The Party form of a Party symbol written in state form (`25/NQ-TW` → `25-NQ/TW`).

    None when the symbol is not a Party symbol in state form.
    """
    match = _STATE_FORM_PARTY.match(clean_symbol(symbol))
    if not match:
        return None
    number, kind, body = match.groups()
    return f"{number}-{kind}/{body}"


def canonical_symbol(symbol: str) -> str:
    """The symbol as it should be cited: cleaned, Party symbols in the Party form."""
    cleaned = clean_symbol(symbol)
    return party_form(cleaned) or cleaned


def _subject(title: str) -> str:
    title = title.strip().rstrip(";,.")
    if not title:
        return ""
    starters = ("về ", "v/v ", "ban hành ", "sửa đổi", "quy định ", "hướng dẫn ", "phê duyệt ")
    if title.casefold().startswith(starters):
        return title
    return f"về {title[0].lower() + title[1:] if title[:2].istitle() else title}"


def first_citation(d: Directive) -> str:
    """The first mention of `d` by ND30 II.6.b; unknown date or issuer are left out."""
    symbol = canonical_symbol(d.symbol) if d.symbol else ""
    if not symbol:
        return f"{d.doc_type} {d.title}".strip()
    when = f" ngày {citation_date(d.issued)}" if d.issued else ""
    if fold(d.doc_type) == "luat" and fold(d.title).startswith("luat "):
        return f"{d.title} số {symbol}{when}"
    text = f"{d.doc_type} số {symbol}{when}"
    if d.issuer:
        text += f" của {d.issuer}"
    subject = _subject(d.title)
    if subject:
        text += f" {subject}"
    return text


def short_citation(d: Directive) -> str:
    """Later mentions of `d`: type, number and symbol only (`Nghị quyết số 25-NQ/TW`)."""
    if not d.symbol:
        return f"{d.doc_type} {d.title}".strip()
    return f"{d.doc_type} số {canonical_symbol(d.symbol)}"


def base_line(d: Directive) -> str:
    """A Căn cứ line for a plan: `Căn cứ <first citation>;`."""
    return f"Căn cứ {first_citation(d)};"


def _date_from(groups: tuple[str | None, ...]) -> date | None:
    values = [g for g in groups if g]
    if len(values) != 3:
        return None
    day, month, year = (int(v) for v in values)
    return make_date(year, month, day)


def _number_of(symbol: str) -> str:
    match = re.match(r"\d+[a-zA-Z]?", symbol)
    return norm_number(match.group(0).lower()) if match else ""


def find_citations(text: str) -> list[CitationMention]:
    """Every citation of a numbered document in `text`, in order of appearance."""
    found: list[CitationMention] = []
    for match in _MENTION.finditer(text):
        doc_type = _CANONICAL_TYPE.get(fold(match.group(1)), match.group(1))
        symbol = clean_symbol(match.group(2))
        found.append(
            CitationMention(
                start=match.start(),
                end=match.end(),
                doc_type=doc_type,
                number=_number_of(symbol),
                symbol=symbol,
                issued=_date_from(match.groups()[2:8]),
                raw=match.group(0),
            )
        )
        position = match.end()
        while True:  # "Quyết định số 217-QĐ/TW và 218-QĐ/TW": the type word is shared
            more = _MORE.match(text, position)
            if not more or _MENTION.match(text, more.start(1)):
                break
            symbol = clean_symbol(more.group(1))
            found.append(
                CitationMention(
                    start=more.start(1),
                    end=more.end(),
                    doc_type=doc_type,
                    number=_number_of(symbol),
                    symbol=symbol,
                    issued=_date_from(more.groups()[1:7]),
                    raw=text[more.start(1) : more.end()],
                )
            )
            position = more.end()
    found.sort(key=lambda m: m.start)
    return found


def candidates(mention: CitationMention, catalogue: Catalogue) -> list[Directive]:
    """Catalogue rows whose symbol or alias matches the mention's (any spelling)."""
    rows = catalogue.by_symbol(mention.symbol)
    if not rows:
        fixed = party_form(mention.symbol)
        if fixed:
            rows = catalogue.by_symbol(fixed)
    return rows


def resolve(mention: CitationMention, catalogue: Catalogue) -> Directive | None:
    """The row `mention` names, or None (see the module docstring for the rules)."""
    rows = candidates(mention, catalogue)
    if not rows:
        return None
    if mention.issued is not None:
        same_day = [d for d in rows if d.issued == mention.issued]
        if same_day:
            return same_day[0]
        undated = [d for d in rows if d.issued is None]
        return undated[0] if len(undated) == 1 else None
    return rows[0] if len(rows) == 1 else None


def _issuer_level(issuer: str, symbol: str) -> str:
    """A guess of the issuer's level from the symbol's last part and the issuer's name."""
    parts = symbol_key(symbol).split() if symbol else []
    tail = parts[-1] if parts else ""
    folded = fold(issuer)
    central = ("trung uong", "bo chinh tri", "chinh phu", "thu tuong", "quoc hoi", "bo ")
    if tail in {"tw", "cp", "ttg", "bgddt", "bnv"} or tail.startswith("qh"):
        return "central"
    if folded.startswith(central) or " trung uong" in folded:
        return "central"
    if tail == "tu" or "tinh" in folded or folded.startswith("so "):
        return "province"
    district_words = ("thanh pho", "huyen", "quan ", "thi xa", "phong ")
    if tail in {"hu", "thu"} or any(w in folded for w in district_words):
        return "district"
    if folded.startswith("truong"):
        return "unit"
    return ""


def directive_from_citation(text: str) -> Directive:
    """A draft catalogue row from a pasted citation sentence (status `unknown`).

    `Căn cứ Kế hoạch số 106/KH-UBND, ngày 08/7/2020 của Ủy ban nhân dân thành phố Thủ Dầu Một
    về Thực hiện công tác dân vận chính quyền năm 2020;` gives type, number, symbol, date,
    issuer (after `của`) and title (from `về`/`ban hành`/`V/v`). Raises CatalogueError in
    Vietnamese when no numbered citation is found.
    """
    cleaned = clean_line(clean_text(text or ""))
    if len(cleaned) > MAX_CITATION_TEXT:
        raise CatalogueError(
            f"Trích dẫn dài quá {MAX_CITATION_TEXT} ký tự; hãy dán một câu trích dẫn văn bản."
        )
    mentions = find_citations(cleaned)
    if not mentions:
        raise CatalogueError(
            "Không tìm thấy trích dẫn văn bản nào (cần dạng “Nghị quyết số 25-NQ/TW ngày "
            "03/6/2013 của … về …”)."
        )
    mention = mentions[0]
    end = mention.end
    issued = mention.issued
    following = mentions[1:]
    # "217-QĐ/TW và 218-QĐ/TW ngày ...": skip the list; its date is the shared one.
    while following and re.fullmatch(
        r"\s*(?:,|;|và)?\s*(?:số\s*)?", cleaned[end : following[0].start]
    ):
        end = following[0].end
        issued = issued or following[0].issued
        following = following[1:]
    rest = cleaned[end : following[0].start] if following else cleaned[end:]
    rest = rest.strip().lstrip(",").strip()
    issuer = ""
    title = rest
    match = re.match(r"(?:của|do)\s+(.*?)(?:\s+(?=(?:về|V/v|v/v|ban hành|quy định)\s)|$)", rest)
    if match:
        issuer = match.group(1).strip().rstrip(",;.")
        title = rest[match.end() :]
    title = title.strip().rstrip(";.,").strip()
    title = re.sub(r"^(?:V/v|v/v)\s+", "về việc ", title)
    doc_type = mention.doc_type
    if doc_type in ("Kế hoạch phối hợp", "Chương trình phối hợp", "Quy chế phối hợp"):
        doc_type = doc_type.rsplit(" ", 2)[0]
    symbol = mention.symbol
    source = f"Người dùng thêm từ trích dẫn: “{cleaned[:300]}”"
    return Directive(
        id=make_id(doc_type, symbol, issued),
        doc_type=doc_type,
        number=mention.number,
        symbol=symbol,
        issued=issued,
        issuer=issuer,
        issuer_level=_issuer_level(issuer, symbol),
        title=title,
        status="unknown",
        source=source,
    )
