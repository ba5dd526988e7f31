"""The directive catalogue (văn bản căn cứ) and its Vietnamese search.

A `Catalogue` holds its rows (DESIGN.md's columns) column by column (`table.RowTable`: a
million rows in a few hundred MB; a frozen `Directive` is made for each row asked for) and an
inverted index built once at construction, so that a search over a million rows stays in
milliseconds.

Search understands what office staff actually type:
- no diacritics, any tone-mark placement, NFC or NFD, `đ`/`Đ`/`Ð` as `d`, any case;
- symbols in any spelling: `25-NQ/TW`, `25/NQ-TW`, `NQ 25`, `nghị quyết 25`, `30C`, `QD` for
  `QĐ`, stray spaces (`932 /KH-PGDĐT`), leading zeros (`CT 5` for `05-CT/TW`);
- type names and their abbreviations (NQ, CT, QĐ, KH, NĐ, TT, CTr, KL, KHPH, CTPH ...);
- a year or a date to tell apart documents sharing a symbol (`76/NQ-CP 2021`);
- a school year (`năm học 2023-2024`): the one a title names, else the one the issue date
  falls in or just before (a document issued from June of 2023 to May of 2024);
- typos in words (one letter missing, doubled, swapped or wrong) and a half-typed last word.

Ranking: an exact symbol (or alias) first, then number + type, then number alone, then words
of title, issuer and topics; a matching date or year lifts a row, a different one lowers it.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

from planner.catalogue.index import (
    MATCH_STRONG,
    MATCH_WEAK,
    SearchIndex,
    check_query_length,
    parse_query,
)
from planner.catalogue.index import (
    MAX_QUERY_CHARS as MAX_QUERY_CHARS,  # callers check a query's length against it
)
from planner.catalogue.table import FIELDS, RowTable
from planner.errors import CatalogueError, os_error_text
from planner.text.clean import clean_line
from planner.text.dates import parse_date as parse_date  # catalogue files and pages use it
from planner.text.fold import fold, symbol_key, symbol_parts, tokens

COLUMNS = FIELDS  # the catalogue file's columns: Directive's fields, in order
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
_ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "khph": ("kh",),
    "ctph": ("ctr",),
    "ctr": (),
    "l": ("luat",),
}
_TYPE_BY_FOLDED_NAME = {fold(name): code for name, code in DOC_TYPES.items()}
TYPE_LABELS = {code: name for name, code in DOC_TYPES.items()}
# Every code or abbreviation a query or symbol may hold -> the type codes it stands for.
_TYPE_CODES: dict[str, tuple[str, ...]] = {code: (code,) for code in DOC_TYPES.values()} | {
    abbr: (abbr, *codes) for abbr, codes in _ABBREVIATIONS.items()
}
MAX_FIELD = 4000
MAX_CSV_BYTES = 50 * 1024 * 1024


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
    """One search result: the directive, its score (higher is better), how well it matches
    (`exact`: its symbol; `strong`: nothing contradicts the query and enough of it matches;
    `weak`: its type, number, year or date contradicts the query, or too little matches) and
    why, as short Vietnamese reasons (“đúng số 25”, “khác loại văn bản (tìm Thông tư)”)."""

    directive: Directive
    score: float
    match: str = MATCH_STRONG
    reasons: tuple[str, ...] = ()


class SearchResult(list[Hit]):
    """The hits of one search, best first; `best` is the first hit that is not weak (the one
    a page may open or a picker may propose), None when every hit is weak or there is none."""

    @property
    def best(self) -> Hit | None:
        return next((h for h in self if h.match != MATCH_WEAK), None)


def split_list(value: str) -> tuple[str, ...]:
    """Split a list cell (`a; b`, `a | b`, or one per line) into clean items."""
    parts = re.split(r"[;|\n]", value or "")
    return tuple(p for p in (clean_line(x) for x in parts) if p)


def make_id(doc_type: str, symbol: str, issued: date | None, title: str = "") -> str:
    """A stable, readable id: `nq-25-tw-2013` for Nghị quyết 25-NQ/TW of 2013."""
    code = DOC_TYPES.get(doc_type) or (tokens(doc_type)[0] if tokens(doc_type) else "vb")
    parts = list(symbol_parts(symbol)) if symbol else tokens(title)[:6]
    parts = [p for p in parts if p != code and not (issued and p == str(issued.year))]
    if issued:
        parts.append(str(issued.year))
    return "-".join([code, *parts])[:80] or "vb"


# The first letters of a symbol after its number and year, and the type they say (ND30 Phụ lục
# III; Party symbols put the type first too: 25-NQ/TW). A symbol whose first letters name an
# issuer (1234/UBND-VX) or that is a number alone is a Công văn.
_SYMBOL_TYPES = {code: name for name, code in DOC_TYPES.items() if code != "luat"} | {
    "khph": "Kế hoạch",
    "ctph": "Chương trình",
    "qcph": "Quy chế",
    "cv": "Công văn",
}


def type_from_symbol(symbol: str) -> str:
    """The document type a symbol shows (`530/QĐ-UBND` → Quyết định, `43/2019/QH14` → Luật,
    `1234/UBND-VX` → Công văn); "" when the symbol is empty or does not start with a number."""
    parts = symbol_parts(symbol)
    if not parts or not parts[0][0].isdigit():
        return ""
    letters = [p for p in parts if not p[0].isdigit()]
    if not letters:
        return "Công văn"
    first = letters[0]
    if first in _SYMBOL_TYPES:
        return _SYMBOL_TYPES[first]
    if re.fullmatch(r"qh\d*", first):
        return "Luật"
    if re.fullmatch(r"ubtvqh\d*", first):
        return "Pháp lệnh"
    return "Công văn"


def assign_ids(
    rows: Sequence[tuple[str, str, date | None, str]],
    reserved: Mapping[str, tuple[str, date | None]] | None = None,
    bases: Sequence[str] | None = None,
) -> list[str]:
    """Ids for new rows `(doc_type, symbol, issued, title)` that never collide.

    A row keeps `make_id`'s readable id when no other row (and no `reserved` id, unless that
    reserved row is the same document: same symbol in any spelling and same date) has it;
    rows sharing one get their issue date added (`qd-530-ubnd-2022-03-01`), then `-2`, `-3`...
    `reserved` maps ids already taken (the catalogue's) to their `(symbol key, issued)`;
    `bases` are the rows' `make_id` when the caller has them already.
    """
    reserved = reserved or {}
    if bases is None:
        bases = [make_id(*row) for row in rows]
    counts: dict[str, int] = {}
    for base in bases:
        counts[base] = counts.get(base, 0) + 1
    used: set[str] = set()
    ids = []
    for base, (_doc_type, symbol, issued, _title) in zip(bases, rows, strict=True):
        taken = reserved.get(base)
        same_document = taken is not None and bool(symbol) and taken == (symbol_key(symbol), issued)
        ident = base
        if counts[base] > 1 or (taken is not None and not same_document):
            if issued is not None:
                ident = f"{base}-{issued.month:02d}-{issued.day:02d}"
        candidate, n = ident, 2
        while candidate in used or (
            candidate in reserved and not (candidate == base and same_document)
        ):
            candidate, n = f"{ident}-{n}", n + 1
        used.add(candidate)
        ids.append(candidate)
    return ids


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


class Catalogue:
    """An immutable set of directives with an index for search and relation lookups.

    The rows are held column by column (`RowTable`): a `Directive` is made when a caller asks
    for a row (a search's hits, `get`, iteration), so that a million rows fit in memory."""

    def __init__(self, directives: Iterable[Directive] | RowTable) -> None:
        table = directives if isinstance(directives, RowTable) else RowTable.of(directives)
        kept = table.kept_rows()  # a later row with the same id wins (the user's edit of a row)
        if kept is not None:
            table = RowTable.of(Directive(*table.values(k)) for k in kept)
        self._table = table
        self._index = build_index(table)
        self._doc_types: list[str] | None = None
        self._issue_years: tuple[int, int] | tuple[()] | None = None
        self._replaces: dict[str, list[int]] = {}
        self._amended_by: dict[str, list[int]] = {}
        for name, into in (("replaced_by", self._replaces), ("amends", self._amended_by)):
            column = table.columns[name]
            filled = np.flatnonzero(column.lengths()[column.codes()] > 0)
            for i in filled.tolist():
                for target in table.items(name, i):
                    into.setdefault(target, []).append(i)

    def _row(self, i: int) -> Directive:
        return Directive(*self._table.values(i))

    # ------------------------------------------------------------------ construction
    @classmethod
    def from_rows(cls, rows: Iterable[Mapping[str, object]], *, source: str = "") -> Catalogue:
        """Build from CSV-like dicts; a bad row raises CatalogueError naming `source` and line."""

        def directives() -> Iterator[Directive]:
            for line, row in enumerate(rows, start=2):
                try:
                    yield directive_from_row(row)
                except ValueError as err:
                    where = f"tệp {source}, " if source else ""
                    raise CatalogueError(f"Danh mục văn bản ({where}dòng {line}): {err}.") from None

        return cls(directives())

    @classmethod
    def from_csv(cls, path: str | Path) -> Catalogue:
        """Read a UTF-8 catalogue CSV with DESIGN.md's header row."""
        path = Path(path)
        try:
            if path.stat().st_size > MAX_CSV_BYTES:
                raise CatalogueError(
                    f"Danh mục văn bản “{path.name}” quá lớn (tối đa "
                    f"{MAX_CSV_BYTES // 1024 // 1024} MB)."
                )
            text = path.read_bytes().decode("utf-8-sig")
        except OSError as err:
            raise CatalogueError(
                f"Không đọc được danh mục văn bản “{path.name}”: {os_error_text(err)}."
            ) from None
        except UnicodeDecodeError:
            raise CatalogueError(
                f"Danh mục văn bản “{path.name}” không phải UTF-8; hãy lưu lại dạng CSV UTF-8."
            ) from None
        try:
            reader = csv.DictReader(io.StringIO(text, newline=""))
            missing = [c for c in ("id", "symbol", "title") if c not in (reader.fieldnames or [])]
            if missing:
                raise CatalogueError(
                    f"Danh mục văn bản “{path.name}” thiếu cột: {', '.join(missing)}."
                )
            return cls.from_rows(list(reader), source=path.name)
        except csv.Error:
            raise CatalogueError(
                f"Danh mục văn bản “{path.name}” không đọc được dạng CSV (dòng "
                f"{reader.line_num}: có ô dài quá {MAX_FIELD} ký tự hoặc dấu ngoặc kép "
                "không khớp)."
            ) from None

    def merged(self, user_rows: Iterable[Directive]) -> Catalogue:
        """A new catalogue with the user's rows added; a user row replaces a row of the same id."""
        return Catalogue([*self, *user_rows])

    # ------------------------------------------------------------------ plain access
    def __len__(self) -> int:
        return len(self._table)

    def __iter__(self) -> Iterator[Directive]:
        return (self._row(i) for i in range(len(self._table)))

    def __contains__(self, directive_id: object) -> bool:
        return isinstance(directive_id, str) and self._table.find(directive_id) is not None

    def at(self, index: int) -> Directive:
        """Row `index` in the catalogue's order (IndexError past the end)."""
        if not -len(self._table) <= index < len(self._table):
            raise IndexError(index)
        return self._row(index % len(self._table))

    def with_title_containing(self, text: str) -> Iterator[Directive]:
        """Rows whose title contains `text` as written, in order; a `Directive` is made only
        for those (each distinct title is looked at once)."""
        column = self._table.columns["title"]
        holding = [c for c in range(column.distinct()) if text in column.value(c)]
        rows = np.flatnonzero(np.isin(column.codes(), np.array(holding, dtype=np.int32)))
        return (self._row(int(i)) for i in rows)

    def get(self, directive_id: str) -> Directive | None:
        index = self._table.find(directive_id)
        return None if index is None else self._row(index)

    def doc_types(self) -> list[str]:
        """The document types the rows have, sorted (empty ones left out)."""
        if self._doc_types is None:
            column = self._table.columns["doc_type"]
            codes = np.unique(column.codes())
            self._doc_types = sorted({column.value(int(c)) for c in codes} - {""})
        return list(self._doc_types)

    def issue_years(self) -> tuple[int, int] | None:
        """The first and last issue year among dated rows, None when no row is dated."""
        if self._issue_years is None:
            ordinals = self._table.ordinals()
            dated = ordinals[ordinals > 0]
            low, high = (int(dated.min()), int(dated.max())) if len(dated) else (0, 0)
            self._issue_years = (
                (date.fromordinal(low).year, date.fromordinal(high).year) if low else ()
            )
        return self._issue_years or None

    def by_symbol(self, symbol: str, issued: date | None = None) -> list[Directive]:
        """Rows whose symbol or alias is `symbol` in any spelling; same date first if given."""
        key = symbol_key(symbol)
        found = [
            d
            for d in (self._row(i) for i in self._index.rows_with_symbol(key))
            if key in {symbol_key(s) for s in (d.symbol, *d.aliases)}
        ]
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
        return [self._row(i) for i in self._replaces.get(directive.id, ())]

    def amends(self, directive: Directive) -> list[Directive]:
        """Rows that `directive` amends (its `amends` column), skipping ids not in the catalogue."""
        return [d for d in (self.get(i) for i in directive.amends) if d is not None]

    def amended_by(self, directive: Directive) -> list[Directive]:
        """Rows whose `amends` names `directive`."""
        return [self._row(i) for i in self._amended_by.get(directive.id, ())]

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
        cited_ids: Collection[str] = (),
    ) -> SearchResult:
        """Ranked hits for `query` (see the module docstring), at most `limit` of them.

        Filters: `doc_type` (a name such as "Nghị quyết" or a code such as "NQ"),
        `issuer_level` (central/province/district/unit), `year_from`/`year_to` (issue year,
        inclusive; rows without a date are left out when a year filter is set), `status`.
        `cited_ids`: rows already cited in the office's plans, ranked up. An empty query lists
        the rows passing the filters, newest first (score 0). A query longer than
        `MAX_QUERY_CHARS` raises CatalogueError. Exact and strong hits come before weak ones;
        the result's `best` is the first of them.
        """
        return run_search(
            self._index,
            self._row,
            self._table.find,
            query,
            limit=limit,
            filters=(doc_type, issuer_level, year_from, year_to, status),
            cited_ids=cited_ids,
        )


def build_index(rows: RowTable) -> SearchIndex:
    """The search index of `rows` (row i of the index is row i of the table)."""
    return SearchIndex(rows, _TYPE_BY_FOLDED_NAME, _TYPE_CODES, TYPE_LABELS)


def load_index(path: Path, stamp: str) -> SearchIndex | None:
    """An index saved by `SearchIndex.save` for `stamp`, or None (absent, stale, unreadable)."""
    return SearchIndex.load(path, stamp, _TYPE_BY_FOLDED_NAME, _TYPE_CODES, TYPE_LABELS)


def run_search(
    index: SearchIndex,
    row: Callable[[int], Directive],
    find_id: Callable[[str], int | None],
    query: str,
    *,
    limit: int,
    filters: tuple[str | None, str | None, int | None, int | None, str | None],
    cited_ids: Collection[str] = (),
) -> SearchResult:
    """`Catalogue.search` over any index: `row(i)` gives the directive of row i and `by_id`
    the row of an id, or None (a catalogue in memory, or a file whose index was saved beside
    it)."""
    check_query_length(query)
    if limit <= 0:
        return SearchResult()
    mask = index.filter_mask(*filters)
    parsed = parse_query(query, _TYPE_BY_FOLDED_NAME, _TYPE_CODES)
    if parsed.empty:
        newest = index.newest(mask, limit)
        return SearchResult(Hit(row(i), 0.0, MATCH_STRONG, ("mới nhất trước",)) for i in newest)
    cited = [i for i in map(find_id, cited_ids) if i is not None]
    found = index.find(parsed, limit, mask, cited)
    return SearchResult(Hit(row(f.row), round(f.score, 2), f.match, f.reasons) for f in found)
