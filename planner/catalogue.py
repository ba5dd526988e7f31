"""The directive catalogue (văn bản căn cứ) and its Vietnamese search.

A `Catalogue` holds frozen `Directive` rows (DESIGN.md's columns) and an inverted index built
once at construction, so that a search over 100,000 rows stays in milliseconds.

Search understands what office staff actually type:
- no diacritics, any tone-mark placement, NFC or NFD, `đ`/`Đ`/`Ð` as `d`, any case;
- symbols in any spelling: `25-NQ/TW`, `25/NQ-TW`, `NQ 25`, `nghị quyết 25`, `30C`, `QD` for
  `QĐ`, stray spaces (`932 /KH-PGDĐT`), leading zeros (`CT 5` for `05-CT/TW`);
- type names and their abbreviations (NQ, CT, QĐ, KH, NĐ, TT, CTr, KL, KHPH, CTPH ...);
- a year or a date to tell apart documents sharing a symbol (`76/NQ-CP 2021`);
- typos in words (one letter missing, doubled, swapped or wrong) and a half-typed last word.

Ranking: an exact symbol (or alias) first, then number + type, then number alone, then words
of title, issuer and topics; a matching date or year lifts a row, a different one lowers it.
"""

from __future__ import annotations

import bisect
import csv
import io
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rapidfuzz.distance import OSA

from planner.errors import CatalogueError
from planner.text import clean_line
from planner.textfold import fold, norm_number, symbol_key, symbol_parts, tokens

COLUMNS = (
    "id",
    "doc_type",
    "number",
    "symbol",
    "aliases",
    "issued",
    "issuer",
    "issuer_level",
    "title",
    "status",
    "replaced_by",
    "amends",
    "topics",
    "source",
)
REQUIRED_COLUMNS = ("id", "doc_type", "symbol", "issued", "title")
STATUSES = ("in_force", "expired", "replaced", "partly_amended", "unknown")
STATUS_LABELS = {
    "in_force": "Còn hiệu lực",
    "expired": "Hết hiệu lực",
    "replaced": "Đã được thay thế",
    "partly_amended": "Được sửa đổi một phần",
    "unknown": "Chưa rõ hiệu lực",
}
ISSUER_LEVELS = ("central", "province", "district", "unit")
ISSUER_LEVEL_LABELS = {
    "central": "Trung ương",
    "province": "Tỉnh",
    "district": "Huyện / thành phố",
    "unit": "Đơn vị",
}
# Document types: the full name and the abbreviation used in symbols (ND30 Phụ lục III).
DOC_TYPES = {
    "Nghị quyết": "nq",
    "Quyết định": "qd",
    "Chỉ thị": "ct",
    "Quy chế": "qc",
    "Quy định": "qyd",
    "Thông báo": "tb",
    "Hướng dẫn": "hd",
    "Chương trình": "ctr",
    "Kế hoạch": "kh",
    "Phương án": "pa",
    "Đề án": "da",
    "Báo cáo": "bc",
    "Tờ trình": "ttr",
    "Công văn": "cv",
    "Công điện": "cd",
    "Kết luận": "kl",
    "Nghị định": "nd",
    "Thông tư": "tt",
    "Luật": "luat",
    "Pháp lệnh": "pl",
}
# Extra abbreviations and the type codes they stand for.
_ABBREVIATIONS = {
    "khph": ("kh", "khph"),
    "ctph": ("ctr", "ctph"),
    "ctr": ("ctr",),
    "l": ("luat",),
    "ql": (),
}
_TYPE_BY_FOLDED_NAME = {fold(name): code for name, code in DOC_TYPES.items()}
_TYPE_CODES = set(DOC_TYPES.values()) | set(_ABBREVIATIONS)
# Words a query carries that say nothing about which document is meant.
_FILLER = frozenset({"so", "ngay", "thang", "nam", "cua", "ve", "viec", "va", "cac", "ky", "hieu"})
_DATE = re.compile(r"(?<![\d/])(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})(?![\d/])")
_DATE_WORDS = re.compile(r"ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})")
_ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_CHUNK = re.compile(r"[a-z0-9]+(?:[/\-][a-z0-9]+)+")
_SEPARATOR_SPACES = re.compile(r"\s*([/\-])\s*")
_NUMBER = re.compile(r"\d+[a-z]?")
_YEAR = re.compile(r"(19|20)\d\d")
MAX_FIELD = 4000

TIER_EXACT_SYMBOL = 1000.0
TIER_LOOSE_SYMBOL = 900.0
TIER_NUMBER_TYPE = 600.0
TIER_NUMBER = 300.0
WORDS_WEIGHT = 100.0


@dataclass(frozen=True)
class Directive:
    """One row of the catalogue. `issued` is None when no document in hand gives the date."""

    id: str
    doc_type: str
    number: str
    symbol: str
    aliases: tuple[str, ...] = ()
    issued: date | None = None
    issuer: str = ""
    issuer_level: str = ""
    title: str = ""
    status: str = "unknown"
    replaced_by: str = ""
    amends: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    source: str = ""

    @property
    def label(self) -> str:
        """`Nghị quyết số 25-NQ/TW` (the type and symbol), or the type and title if no symbol."""
        if self.symbol:
            return f"{self.doc_type} số {self.symbol}"
        return f"{self.doc_type} {self.title}".strip()

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def is_outdated(self) -> bool:
        """True when the row is expired or replaced (a citation of it deserves a warning)."""
        return self.status in ("expired", "replaced") or bool(self.replaced_by)

    def to_row(self) -> dict[str, str]:
        """The row as CSV strings (lists joined with `; `, the date in ISO form)."""
        return {
            "id": self.id,
            "doc_type": self.doc_type,
            "number": self.number,
            "symbol": self.symbol,
            "aliases": "; ".join(self.aliases),
            "issued": self.issued.isoformat() if self.issued else "",
            "issuer": self.issuer,
            "issuer_level": self.issuer_level,
            "title": self.title,
            "status": self.status,
            "replaced_by": self.replaced_by,
            "amends": "; ".join(self.amends),
            "topics": "; ".join(self.topics),
            "source": self.source,
        }


@dataclass(frozen=True)
class Hit:
    """One search result: the directive and its score (higher is better)."""

    directive: Directive
    score: float


def split_list(value: str) -> tuple[str, ...]:
    """Split a list cell (`a; b`, `a | b`, or one per line) into clean items."""
    parts = re.split(r"[;|\n]", value or "")
    return tuple(p for p in (clean_line(x) for x in parts) if p)


def parse_date(value: str) -> date | None:
    """Parse `YYYY-MM-DD` or `DD/MM/YYYY` (also with `-` or `.`); empty gives None.

    Raises ValueError (with the reason) for anything else or an impossible day like 31/02.
    """
    text = (value or "").strip()
    if not text:
        return None
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00:00)?", text)
    if match:
        y, m, d = (int(g) for g in match.groups())
    else:
        match = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})", text)
        if not match:
            raise ValueError(f"“{text}” không phải ngày dạng YYYY-MM-DD hoặc DD/MM/YYYY")
        d, m, y = (int(g) for g in match.groups())
    try:
        return date(y, m, d)
    except ValueError:
        raise ValueError(f"ngày “{text}” không có thật") from None


def make_id(doc_type: str, symbol: str, issued: date | None, title: str = "") -> str:
    """A stable, readable id: `nq-25-tw-2013` for Nghị quyết 25-NQ/TW of 2013."""
    code = DOC_TYPES.get(doc_type) or (tokens(doc_type)[0] if tokens(doc_type) else "vb")
    parts = list(symbol_parts(symbol)) if symbol else tokens(title)[:6]
    parts = [p for p in parts if p != code and not (issued and p == str(issued.year))]
    if issued:
        parts.append(str(issued.year))
    return "-".join([code, *parts])[:80] or "vb"


def directive_from_row(row: Mapping[str, object]) -> Directive:
    """Build a Directive from a CSV-like row of strings. Raises ValueError with the reason.

    Only `id` and one of `symbol`/`title` are required here; `catalogue_io.check_catalogue`
    reports every other problem row by row.
    """

    def cell(name: str) -> str:
        value = row.get(name)
        text = "" if value is None else clean_line(str(value))
        if len(text) > MAX_FIELD:
            raise ValueError(f"cột “{name}” dài quá {MAX_FIELD} ký tự")
        return text

    issued = parse_date(cell("issued"))
    doc_type = cell("doc_type")
    symbol = cell("symbol")
    title = cell("title")
    if not symbol and not title:
        raise ValueError("thiếu cả số ký hiệu lẫn trích yếu")
    ident = cell("id") or make_id(doc_type, symbol, issued, title)
    number = cell("number")
    if not number and symbol:
        first = symbol_parts(symbol)[:1]
        number = first[0] if first and first[0][0].isdigit() else ""
    status = cell("status") or "unknown"
    return Directive(
        id=ident,
        doc_type=doc_type,
        number=number,
        symbol=symbol,
        aliases=split_list(cell_raw(row, "aliases")),
        issued=issued,
        issuer=cell("issuer"),
        issuer_level=cell("issuer_level"),
        title=title,
        status=status,
        replaced_by=cell("replaced_by"),
        amends=split_list(cell_raw(row, "amends")),
        topics=split_list(cell_raw(row, "topics")),
        source=cell("source"),
    )


def cell_raw(row: Mapping[str, object], name: str) -> str:
    value = row.get(name)
    return "" if value is None else str(value)


@dataclass(frozen=True)
class _Query:
    words: tuple[str, ...]
    numbers: tuple[str, ...]
    types: frozenset[str]
    symbol_keys: tuple[str, ...]
    loose_keys: tuple[str, ...]
    dates: tuple[date, ...]
    years: tuple[int, ...]
    last_is_prefix: bool


class Catalogue:
    """An immutable set of directives with an index for search and relation lookups."""

    def __init__(self, directives: Iterable[Directive]) -> None:
        rows: dict[str, Directive] = {}
        for d in directives:
            rows[d.id] = d  # a later row with the same id wins (the user's edit of a row)
        self._rows: tuple[Directive, ...] = tuple(rows.values())
        self._by_id = {d.id: i for i, d in enumerate(self._rows)}
        self._build_index()

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_rows(cls, rows: Iterable[Mapping[str, object]], *, source: str = "") -> Catalogue:
        """Build from CSV-like dicts; a bad row raises CatalogueError naming `source` and line."""
        directives = []
        for line, row in enumerate(rows, start=2):
            try:
                directives.append(directive_from_row(row))
            except ValueError as err:
                where = f"tệp {source}, " if source else ""
                raise CatalogueError(f"Danh mục văn bản ({where}dòng {line}): {err}.") from None
        return cls(directives)

    @classmethod
    def from_csv(cls, path: str | Path) -> Catalogue:
        """Read a UTF-8 catalogue CSV with DESIGN.md's header row."""
        path = Path(path)
        try:
            text = path.read_bytes().decode("utf-8-sig")
        except OSError as err:
            raise CatalogueError(f"Không đọc được danh mục văn bản “{path.name}”: {err}.") from None
        except UnicodeDecodeError:
            raise CatalogueError(
                f"Danh mục văn bản “{path.name}” không phải UTF-8; hãy lưu lại dạng CSV UTF-8."
            ) from None
        reader = csv.DictReader(io.StringIO(text))
        missing = [c for c in ("id", "symbol", "title") if c not in (reader.fieldnames or [])]
        if missing:
            raise CatalogueError(f"Danh mục văn bản “{path.name}” thiếu cột: {', '.join(missing)}.")
        return cls.from_rows(reader, source=path.name)

    def merged(self, user_rows: Iterable[Directive]) -> Catalogue:
        """A new catalogue with the user's rows added; a user row replaces a row of the same id."""
        return Catalogue([*self._rows, *user_rows])

    # ------------------------------------------------------------------ plain access
    def __len__(self) -> int:
        return len(self._rows)

    def __iter__(self) -> Iterator[Directive]:
        return iter(self._rows)

    def __contains__(self, directive_id: object) -> bool:
        return directive_id in self._by_id

    def get(self, directive_id: str) -> Directive | None:
        index = self._by_id.get(directive_id)
        return None if index is None else self._rows[index]

    def by_symbol(self, symbol: str, issued: date | None = None) -> list[Directive]:
        """Rows whose symbol or alias is `symbol` in any spelling; same date first if given."""
        found = [self._rows[i] for i in self._symbol_index.get(symbol_key(symbol), ())]
        if issued is not None:
            found.sort(key=lambda d: d.issued != issued)
        return found

    # ------------------------------------------------------------------ relations
    def replaced_by(self, directive: Directive) -> Directive | None:
        """The row named in `directive.replaced_by`, if it exists."""
        return self.get(directive.replaced_by) if directive.replaced_by else None

    def replacement_of(self, directive: Directive) -> Directive | None:
        """The newest replacement, following the `replaced_by` chain (cycles are cut)."""
        seen = {directive.id}
        current = self.replaced_by(directive)
        result = None
        while current is not None and current.id not in seen:
            result = current
            seen.add(current.id)
            current = self.replaced_by(current)
        return result

    def replaces(self, directive: Directive) -> list[Directive]:
        """Rows whose `replaced_by` names `directive`."""
        return [self._rows[i] for i in self._replaces.get(directive.id, ())]

    def amends(self, directive: Directive) -> list[Directive]:
        """Rows that `directive` amends (its `amends` column), skipping ids not in the catalogue."""
        return [d for d in (self.get(i) for i in directive.amends) if d is not None]

    def amended_by(self, directive: Directive) -> list[Directive]:
        """Rows whose `amends` names `directive`."""
        return [self._rows[i] for i in self._amended_by.get(directive.id, ())]

    # ------------------------------------------------------------------ index
    def _build_index(self) -> None:
        symbol_index: dict[str, list[int]] = {}
        loose_index: dict[str, list[int]] = {}
        number_index: dict[str, list[int]] = {}
        postings: dict[str, list[int]] = {}
        types: list[frozenset[str]] = []
        years: list[int] = []
        symbol_years: list[frozenset[int]] = []
        titles: list[str] = []
        replaces: dict[str, list[int]] = {}
        amended_by: dict[str, list[int]] = {}
        for i, d in enumerate(self._rows):
            symbol_toks: set[str] = set()
            for sym in (d.symbol, *d.aliases):
                if not sym:
                    continue
                parts = symbol_parts(sym)
                symbol_index.setdefault(" ".join(parts), []).append(i)
                loose_index.setdefault(" ".join(sorted(parts)), []).append(i)
                symbol_toks.update(parts)
            number = norm_number(fold(d.number).replace(" ", "")) if d.number else ""
            if number:
                number_index.setdefault(number, []).append(i)
            codes = set()
            type_code = _TYPE_BY_FOLDED_NAME.get(fold(d.doc_type))
            if type_code:
                codes.add(type_code)
            for part in symbol_toks:
                if part in _TYPE_CODES:
                    codes.add(part)
                    codes.update(_ABBREVIATIONS.get(part, ()))
            types.append(frozenset(codes))
            years.append(d.issued.year if d.issued else 0)
            symbol_years.append(frozenset(int(p) for p in symbol_toks if _YEAR.fullmatch(p)))
            folded_title = fold(d.title)
            titles.append(folded_title)
            words = set(tokens(f"{d.doc_type} {d.title} {d.issuer} {' '.join(d.topics)}"))
            words.update(symbol_toks)
            words.update(codes)
            if number:
                words.add(number)
            for word in words:
                postings.setdefault(word, []).append(i)
            if d.replaced_by:
                replaces.setdefault(d.replaced_by, []).append(i)
            for target in d.amends:
                amended_by.setdefault(target, []).append(i)
        self._symbol_index = symbol_index
        self._loose_index = loose_index
        self._number_index = number_index
        self._postings = {w: frozenset(p) for w, p in postings.items()}
        self._types = types
        self._years = years
        self._symbol_years = symbol_years
        self._titles = titles
        self._replaces = replaces
        self._amended_by = amended_by
        self._vocab = sorted(self._postings)
        # SymSpell-style index: every vocabulary word with one letter deleted -> the words.
        deletes: dict[str, list[str]] = {}
        for word in self._vocab:
            if len(word) >= 3 and not word[0].isdigit():
                for k in range(len(word)):
                    deletes.setdefault(word[:k] + word[k + 1 :], []).append(word)
        self._deletes = deletes
        # Newest first, then by id: the order of ties and of a browse without a query.
        order = sorted(
            range(len(self._rows)),
            key=lambda i: (-(self._rows[i].issued or date.min).toordinal(), self._rows[i].id),
        )
        self._rank = [0] * len(order)
        for position, i in enumerate(order):
            self._rank[i] = position
        self._order = order

    # ------------------------------------------------------------------ search
    def search(
        self,
        query: str,
        *,
        limit: int = 10,
        doc_type: str | None = None,
        issuer_level: str | None = None,
        year_from: int | None = None,
        year_to: int | None = None,
        status: str | None = None,
    ) -> list[Hit]:
        """Ranked hits for `query` (see the module docstring), at most `limit` of them.

        Filters: `doc_type` (a name such as "Nghị quyết" or a code such as "NQ"),
        `issuer_level` (central/province/district/unit), `year_from`/`year_to` (issue year,
        inclusive; rows without a date are left out when a year filter is set), `status`.
        An empty query lists the rows passing the filters, newest first.
        """
        if limit <= 0:
            return []
        accept = self._filter(doc_type, issuer_level, year_from, year_to, status)
        parsed = _parse_query(query)
        if not (parsed.words or parsed.numbers or parsed.symbol_keys or parsed.years):
            if not query.strip() or parsed.dates:
                rows = (i for i in self._order if accept(i))
                if parsed.dates:
                    rows = (i for i in rows if self._rows[i].issued in parsed.dates)
                picked = []
                for i in rows:
                    picked.append(Hit(self._rows[i], 0.0))
                    if len(picked) >= limit:
                        break
                return picked
        scores: dict[int, float] = {}

        def lift(indexes: Iterable[int], amount: float) -> None:
            for i in indexes:
                if scores.get(i, -1.0) < amount:
                    scores[i] = amount

        for key in parsed.symbol_keys:
            lift(self._symbol_index.get(key, ()), TIER_EXACT_SYMBOL)
        for key in parsed.loose_keys:
            lift(self._loose_index.get(key, ()), TIER_LOOSE_SYMBOL)
        for number in parsed.numbers:
            matches = self._number_index.get(number, ())
            if parsed.types:
                lift((i for i in matches if self._types[i] & parsed.types), TIER_NUMBER_TYPE)
            lift(matches, TIER_NUMBER)
        word_scores = self._word_scores(parsed, limit, set(scores))
        for i, value in word_scores.items():
            scores[i] = scores.get(i, 0.0) + value
        if not scores and parsed.years and not parsed.words:
            # Only a year: rows of that year, newest first.
            wanted = set(parsed.years)
            scores = {i: 0.0 for i in range(len(self._rows)) if self._years[i] in wanted}
        phrase = " ".join(parsed.words)
        hits = []
        for i, base in scores.items():
            if not accept(i):
                continue
            score = base + self._date_adjust(i, parsed)
            if len(parsed.words) > 1 and phrase in self._titles[i]:
                score += 20.0
            if score > 0 or base == 0.0:
                hits.append((score, i))
        hits.sort(key=lambda h: (-h[0], self._rank[h[1]]))
        return [Hit(self._rows[i], round(s, 2)) for s, i in hits[:limit]]

    def _filter(self, doc_type, issuer_level, year_from, year_to, status):
        code = None
        if doc_type:
            folded = fold(doc_type)
            code = _TYPE_BY_FOLDED_NAME.get(folded) or folded.replace(" ", "")
        checks = []
        if code:
            types = self._types
            rows = self._rows
            checks.append(lambda i: code in types[i] or fold(rows[i].doc_type) == fold(doc_type))
        if issuer_level:
            checks.append(lambda i: self._rows[i].issuer_level == issuer_level)
        if status:
            checks.append(lambda i: self._rows[i].status == status)
        if year_from is not None:
            checks.append(lambda i: self._years[i] and self._years[i] >= year_from)
        if year_to is not None:
            checks.append(lambda i: self._years[i] and self._years[i] <= year_to)
        if not checks:
            return lambda i: True
        return lambda i: all(check(i) for check in checks)

    def _date_adjust(self, i: int, parsed: _Query) -> float:
        if not (parsed.dates or parsed.years):
            return 0.0
        issued = self._rows[i].issued
        if issued is None:
            return -50.0
        if parsed.dates:
            return 150.0 if issued in parsed.dates else -150.0
        if issued.year in parsed.years or any(y in self._symbol_years[i] for y in parsed.years):
            return 100.0
        return -100.0

    def _newest(self, rows: set[int], count: int) -> set[int]:
        """The `count` newest of `rows` (ties by id), without sorting all of them."""
        if len(rows) < 5000:
            return set(sorted(rows, key=self._rank.__getitem__)[:count])
        picked: set[int] = set()
        for i in self._order:
            if i in rows:
                picked.add(i)
                if len(picked) >= count:
                    break
        return picked

    def _expand(self, word: str, prefix: bool) -> list[tuple[frozenset[int], float]]:
        """Posting sets a query word stands for, each with its weight (exact 1, else less)."""
        found = []
        exact = self._postings.get(word)
        if exact is not None:
            found.append((exact, 1.0))
        if prefix and len(word) >= 2 and exact is None:
            start = bisect.bisect_left(self._vocab, word)
            for candidate in self._vocab[start : start + 40]:
                if not candidate.startswith(word):
                    break
                found.append((self._postings[candidate], 0.85))
        if exact is None and len(word) >= 3 and not word[0].isdigit():
            for candidate in self._near(word):
                found.append((self._postings[candidate], 0.7))
        return found

    def _near(self, word: str) -> set[str]:
        """Vocabulary words one edit (missing, extra, wrong or swapped letter) from `word`."""
        candidates = set(self._deletes.get(word, ()))
        for k in range(len(word)):
            shorter = word[:k] + word[k + 1 :]
            if shorter in self._postings:
                candidates.add(shorter)
            candidates.update(self._deletes.get(shorter, ()))
        return {c for c in candidates if OSA.distance(word, c, score_cutoff=1) <= 1}

    def _word_scores(self, parsed: _Query, limit: int, already: set[int]) -> dict[int, float]:
        """Scores for the words of the query: rows holding all (or most) of them."""
        words = list(dict.fromkeys(parsed.words))
        meaningful = [w for w in words if w not in _FILLER] or words
        if not meaningful:
            return {}
        groups = []
        for n, word in enumerate(meaningful):
            prefix = parsed.last_is_prefix and n == len(meaningful) - 1
            expansions = self._expand(word, prefix)
            if not expansions:
                continue
            union: set[int] = set()
            best: dict[int, float] = {}
            for posting, weight in sorted(expansions, key=lambda e: -e[1]):
                if weight == 1.0 and len(expansions) == 1:
                    union = posting  # type: ignore[assignment]
                    break
                new = posting - union
                if weight < 1.0:
                    for i in new:
                        best[i] = weight
                union = union | new
            groups.append((union, best))
        if not groups:
            return {}
        total = len(meaningful)
        groups.sort(key=lambda g: len(g[0]))
        matched = groups[0][0]
        used = [groups[0]]
        for group in groups[1:]:
            narrowed = matched & group[0]
            if narrowed:
                matched = narrowed
                used.append(group)
        candidates = set(matched)
        if len(candidates) > 400:
            candidates = self._newest(candidates, 400) | (candidates & already)
        result: dict[int, float] = {}
        for i in candidates:
            weight = 0.0
            for union, best in used:
                weight += best.get(i, 1.0) if i in union else 0.0
            result[i] = WORDS_WEIGHT * weight / total
        # Rows that matched the symbol or number but not every word still get their share.
        for i in already:
            if i not in result:
                weight = sum(best.get(i, 1.0) for union, best in groups if i in union)
                result[i] = WORDS_WEIGHT * weight / total
        # Too few rows hold every word: add rows holding fewer of them.
        if len(result) < limit and len(groups) > 1:
            for union, _best in groups:
                if len(union) > 5000:
                    continue
                for i in union:
                    if i not in result:
                        weight = sum(b.get(i, 1.0) for u, b in groups if i in u)
                        result[i] = WORDS_WEIGHT * weight / total
        return result


def _parse_query(query: str) -> _Query:
    text = fold(query)
    dates: list[date] = []

    def take_date(match: re.Match[str], order: str) -> str:
        groups = [int(g) for g in match.groups()]
        y, m, d = groups if order == "ymd" else groups[::-1]
        try:
            dates.append(date(y, m, d))
        except ValueError:
            return match.group(0)
        return " "

    text = _DATE_WORDS.sub(lambda m: take_date(m, "dmy"), text)
    text = _ISO_DATE.sub(lambda m: take_date(m, "ymd"), text)
    text = _DATE.sub(lambda m: take_date(m, "dmy"), text)
    last_is_prefix = bool(text.strip()) and text[-1:].isalnum() and not query[-1:].isspace()
    joined = _SEPARATOR_SPACES.sub(r"\1", text)
    symbol_keys: list[str] = []
    loose_keys: list[str] = []
    for chunk in _CHUNK.findall(joined):
        parts = symbol_parts(chunk)
        symbol_keys.append(" ".join(parts))
        loose_keys.append(" ".join(sorted(parts)))
    words: list[str] = []
    numbers: list[str] = []
    years: list[int] = []
    types: set[str] = set()
    for name, code in _TYPE_BY_FOLDED_NAME.items():
        if re.search(rf"(?<![a-z]){re.escape(name)}(?![a-z])", text):
            types.add(code)
    raw_tokens = tokens(text)
    for token in raw_tokens:
        if token in _TYPE_CODES:
            types.add(token)
            types.update(_ABBREVIATIONS.get(token, ()))
        if token.isdigit() and len(token) == 4 and _YEAR.fullmatch(token):
            years.append(int(token))
            continue
        if _NUMBER.fullmatch(token):
            numbers.append(norm_number(token))
            words.append(norm_number(token))
            continue
        words.append(token)
    return _Query(
        words=tuple(words),
        numbers=tuple(dict.fromkeys(numbers)),
        types=frozenset(types),
        symbol_keys=tuple(dict.fromkeys(symbol_keys)),
        loose_keys=tuple(dict.fromkeys(loose_keys)),
        dates=tuple(dates),
        years=tuple(years),
        last_is_prefix=last_is_prefix,
    )
