"""The search index behind `Catalogue.search` (see planner/catalogue/model.py for the behaviour).

Built once per catalogue into flat numpy arrays, so that a query costs a few vectorised passes
whatever the number of rows, and so that the whole index can be saved beside a catalogue file
and loaded again in milliseconds (`save` / `load`; the command line's `search --catalogue`):

- an inverted index of words (title, issuer, topics, type, the parts of the symbol) in CSR
  form, and one of title bigrams (two words in a row: a phrase match), weighed by rarity
  (IDF); built a chunk of rows at a time;
- per row: the type codes and issuer codes it carries (bit sets), number, year, issue date,
  year written in the symbol, issuer level, status, a mild prior (level, in force), the
  document type's name and the title's length;
- hashes of every symbol and alias (any spelling), and of their parts in any order.

A query is taken apart (`parse_query`) into a symbol, numbers, type words and codes, issuer
words and codes, years, school years and dates, and the remaining title words. Only a row
holding enough of the words' weight (or the number, or the symbol) can be a strong hit, and
such a row holds one of the query's rarest words: when those hold few rows, they are the
candidates, each looked up in the other words' rows; otherwise each word's weight is added
over every row. Candidates are scored at once; the reasons and the `match` grade (`exact` /
`strong` / `weak`) are worked out for the returned rows only.
"""

from __future__ import annotations

import bisect
import re
import sys
from array import array
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
from rapidfuzz.distance import OSA

from planner.errors import CatalogueError
from planner.text.fold import fold, fold_many, norm_number, strip_number_zeros, words_only

if TYPE_CHECKING:
    from planner.catalogue.table import RowTable

IntArray = npt.NDArray[np.int32]
FloatArray = npt.NDArray[np.float32]
BoolArray = npt.NDArray[np.bool_]

# A query longer than this is refused: nobody types more to find a document, and every step
# of a search is bounded by it.
MAX_QUERY_CHARS = 200
# Longest word tried for typos and prefixes (longer ones are matched exactly only).
MAX_FUZZY_WORD = 30
MAX_PREFIX_WORDS = 60

# ---------------------------------------------------------------- score weights
SCORE_EXACT_SYMBOL = 1000.0
SCORE_LOOSE_SYMBOL = 900.0
SCORE_NUMBER = 300.0
SCORE_NUMBER_OTHER = -200.0  # the query gives a number, the row has another
SCORE_TYPE = 150.0
SCORE_TYPE_OTHER = -200.0
SCORE_ISSUER = 120.0
SCORE_ISSUER_OTHER = -60.0
SCORE_YEAR = 100.0
SCORE_YEAR_OTHER = -150.0
SCORE_DATE = 150.0
SCORE_DATE_OTHER = -150.0
SCORE_UNDATED = -50.0
SCORE_WORDS = 200.0  # times the share of the query's word weight the row holds
SCORE_PHRASE = 120.0  # times the share of the query's word pairs found side by side
SCORE_TITLE_FIT = 12.0  # times the share of the title's words that the query holds
SCORE_CITED = 60.0
# Mild priors: a base document is more often central, in force, and high in the hierarchy.
LEVEL_PRIOR = {"central": 15.0, "province": 8.0, "district": 4.0, "unit": 0.0}
STATUS_PRIOR = {
    "in_force": 2.0,
    "partly_amended": 1.0,
    "unknown": 0.0,
    "expired": -6.0,
    "replaced": -6.0,
}
# The legal hierarchy; a routine letter is seldom the document meant when a decision or a
# plan says the same.
TYPE_PRIOR = {
    "luat": 6.0,
    "nghi dinh": 5.0,
    "thong tu": 4.0,
    "nghi quyet": 3.0,
    "chi thi": 2.0,
    "quyet dinh": 2.0,
    "ket luan": 2.0,
    "cong van": -5.0,
    "cong dien": -5.0,
}
PREFIX_FACTOR = 0.85
TYPO_FACTOR = 0.75
STRONG_COVERAGE = 0.6  # share of the query's word weight that makes a words-only hit strong
# A query whose rarest words hold fewer than 1/SPARSE_SHARE of the rows looks its candidates up
# in the other words' rows; otherwise it adds each word's weight to an array over every row.
SPARSE_SHARE = 8
# A word holding more than 1/DENSE_MARK of the rows is added through a mark over every row (a
# scatter-add costs more per row than a vectorised pass).
DENSE_MARK = 64
# A words query with more candidates than this scores first those whose score may reach the
# best few's (see `SearchIndex.find`).
PRESELECT = 2048

MATCH_EXACT, MATCH_STRONG, MATCH_WEAK = "exact", "strong", "weak"

_TOKEN = re.compile(r"[a-z0-9]+")
_YEAR = re.compile(r"(?:19|20)\d\d")
_DIGIT_TOKEN = re.compile(r"(?<![a-z0-9])\d[a-z0-9]*")
_DATE = re.compile(r"(?<![\d/])(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})(?![\d/])")
_DATE_WORDS = re.compile(r"ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})")
_ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
# A school year: two years in a row (`2023-2024`, `2023 - 2024`, `2023/2024`).
_SCHOOL_YEAR = re.compile(r"(?<![\d/\-])((?:19|20)\d\d) *[/\-] *((?:19|20)\d\d)(?![\d/\-])")
# A school year runs from September to May; its documents are issued from June on (the
# tasks and the time frame of a year come out in July or August).
SCHOOL_YEAR_FIRST_MONTH = 6
# A symbol: parts joined by / or -. Starts only at a token's start and never gives back what
# it took (possessive), so that a long run of digits costs linear time, not quadratic.
_CHUNK = re.compile(r"(?<![a-z0-9])[a-z0-9]++(?:[/\-][a-z0-9]++)+")
_SEPARATOR_SPACES = re.compile(r" ?([/\-]) ?")
# Words a query carries that say nothing about which document is meant.
FILLER = frozenset({"so", "ngay", "thang", "nam", "cua", "ve", "viec", "va", "cac"})
# Filler words that are title words too unless a number follows (số 25 / chuyển đổi số).
NUMBER_MARKERS = frozenset({"so", "ngay", "thang", "nam"})

# Issuers: a code (as written in symbols) and the folded phrases that name it in a query or in
# a row's issuer. `ISSUER_SYMBOL_ONLY` codes are ordinary words too (tư, thư), so they count
# only inside a symbol.
ISSUERS: dict[str, tuple[str, ...]] = {
    "tw": ("ban chap hanh trung uong", "trung uong", "bo chinh tri", "ban bi thu", "tw"),
    "ttg": ("thu tuong", "ttg"),
    "cp": ("chinh phu", "cp"),
    "qh": ("quoc hoi", "qh"),
    "bgddt": ("bo giao duc", "bo gddt", "bgddt", "bgd"),
    "sgddt": ("so giao duc", "so gddt", "sgddt", "sgd"),
    "pgddt": ("phong giao duc", "phong gddt", "pgddt", "pgd"),
    "tu": ("tinh uy",),
    "thu": ("thanh uy",),
    "ubnd": ("uy ban nhan dan", "ubnd"),
    "hdnd": ("hoi dong nhan dan", "hdnd"),
    "bdv": ("ban dan van", "bdv"),
}
ISSUER_SYMBOL_ONLY = frozenset({"tu", "thu"})
ISSUER_LABELS = {
    "tw": "Trung ương Đảng",
    "ttg": "Thủ tướng Chính phủ",
    "cp": "Chính phủ",
    "qh": "Quốc hội",
    "bgddt": "Bộ Giáo dục và Đào tạo",
    "sgddt": "Sở Giáo dục và Đào tạo",
    "pgddt": "Phòng Giáo dục và Đào tạo",
    "tu": "Tỉnh ủy",
    "thu": "Thành ủy",
    "ubnd": "Ủy ban nhân dân",
    "hdnd": "Hội đồng nhân dân",
    "bdv": "Ban Dân vận",
}
_ISSUER_BIT = {code: 1 << k for k, code in enumerate(ISSUERS)}
_QH = re.compile(r"qh\d*")

FORMAT_VERSION = 4
_BUILD_CHUNK = 50_000  # rows folded and split at a time (bounds the memory of a build)
assert _BUILD_CHUNK <= 1 << 16  # a row's offset in its chunk is a uint16


def _tuple_hash_check() -> int:
    """`hash` of a tuple of ints, which keys the symbol table: the same in every process of one
    Python version, checked again when a saved index is loaded."""
    return hash((1, 2, 3))


@dataclass(frozen=True)
class Query:
    """A query taken apart."""

    words: tuple[str, ...]  # every token but years (the old, plain view)
    content: tuple[str, ...]  # title words: not type, issuer, number, year or filler
    pairs: tuple[tuple[int, int], ...]  # positions in `content` of words typed side by side
    numbers: tuple[str, ...]
    types: frozenset[str]
    named_types: tuple[tuple[str, tuple[str, ...]], ...]  # (code, its name's words) as typed
    issuers: frozenset[str]
    symbol_keys: tuple[str, ...]
    loose_keys: tuple[str, ...]
    dates: tuple[date, ...]
    years: tuple[int, ...]
    last_is_prefix: bool
    school_years: tuple[int, ...] = ()  # first year of each school year named (2023-2024)

    @property
    def empty(self) -> bool:
        return not (
            self.content
            or self.numbers
            or self.symbol_keys
            or self.years
            or self.school_years
            or self.dates
            or self.types
            or self.issuers
        )

    @property
    def dated(self) -> bool:
        """The query gives a date, a year or a school year."""
        return bool(self.dates or self.years or self.school_years)


def check_query_length(query: str) -> None:
    """Refuse a query longer than `MAX_QUERY_CHARS` (a Vietnamese CatalogueError)."""
    if len(query) > MAX_QUERY_CHARS:
        count = f"{len(query):,}".replace(",", ".")
        raise CatalogueError(
            f"Từ khóa tìm kiếm dài quá {MAX_QUERY_CHARS} ký tự (đang có {count} ký tự); "
            "hãy nhập số ký hiệu hoặc vài từ của trích yếu."
        )


_PHRASE_TABLES: dict[tuple[tuple[str, str], ...], dict[tuple[str, ...], tuple[str, str]]] = {}


def _phrase_table(
    type_names: dict[str, str],
) -> dict[tuple[str, ...], tuple[str, str]]:
    """Folded multi-word names → ("type" | "issuer", code)."""
    key = tuple(sorted(type_names.items()))
    cached = _PHRASE_TABLES.get(key)
    if cached is not None:
        return cached
    table = _PHRASE_TABLES[key] = {}
    for code, phrases in ISSUERS.items():
        for phrase in phrases:
            table[tuple(phrase.split())] = ("issuer", code)
    for name, code in type_names.items():
        table[tuple(name.split())] = ("type", code)
    return table


def parse_query(
    query: str, type_names: dict[str, str], type_codes: dict[str, tuple[str, ...]]
) -> Query:
    """Take a query apart. `type_names`: folded type name -> code; `type_codes`: code or
    abbreviation -> the codes it stands for. Linear in the query's length."""
    text = fold(query)
    dates: list[date] = []

    def take(match: re.Match[str], order: str) -> str:
        numbers = [int(g) for g in match.groups()]
        y, m, d = numbers if order == "ymd" else numbers[::-1]
        try:
            dates.append(date(y, m, d))
        except ValueError:
            return match.group(0)
        return " "

    text = _DATE_WORDS.sub(lambda m: take(m, "dmy"), text)
    text = _ISO_DATE.sub(lambda m: take(m, "ymd"), text)
    text = _DATE.sub(lambda m: take(m, "dmy"), text)
    school_years: list[int] = []

    def school(match: re.Match[str]) -> str:
        first, second = int(match.group(1)), int(match.group(2))
        if second != first + 1:
            return match.group(0)  # a period (2021-2025), not a school year
        school_years.append(first)
        return " "

    text = _SCHOOL_YEAR.sub(school, text)
    last_is_prefix = bool(text.strip()) and text[-1:].isalnum() and not query[-1:].isspace()
    joined = _SEPARATOR_SPACES.sub(r"\1", text)
    symbol_keys: list[str] = []
    loose_keys: list[str] = []
    in_symbol: set[str] = set()
    for chunk in _CHUNK.findall(strip_number_zeros(joined)):
        parts = _TOKEN.findall(chunk)
        in_symbol.update(parts)
        symbol_keys.append(" ".join(parts))
        loose_keys.append(" ".join(sorted(parts)))
    toks = _TOKEN.findall(joined)
    phrases = _phrase_table(type_names)
    longest = max(len(p) for p in phrases)
    types: set[str] = set()
    named_types: list[tuple[str, tuple[str, ...]]] = []
    issuers: set[str] = set()
    words: list[str] = []
    numbers: list[str] = []
    years: list[int] = []
    content: list[str] = []
    positions: list[int] = []  # token position of each content word
    k = 0
    while k < len(toks):
        token = toks[k]
        found = None
        for size in range(min(longest, len(toks) - k), 1, -1):
            found = phrases.get(tuple(toks[k : k + size]))
            if found is not None:
                break
        if found is not None:
            kind, code = found
            if kind == "type":
                types.update(type_codes.get(code, (code,)))
                named_types.append((code, tuple(toks[k : k + size])))
            else:
                issuers.add(code)
            words.extend(toks[k : k + size])
            k += size
            continue
        k += 1
        if len(token) == 4 and _YEAR.fullmatch(token):
            years.append(int(token))
            continue
        if token[0].isdigit():
            token = norm_number(token)
            numbers.append(token)
            words.append(token)
            continue
        words.append(token)
        if token in type_codes:
            types.update(type_codes[token])
            continue
        issuer = token if token in ISSUERS else ("qh" if _QH.fullmatch(token) else None)
        if issuer and (issuer not in ISSUER_SYMBOL_ONLY or token in in_symbol):
            issuers.add(issuer)
            continue
        phrase = phrases.get((token,))
        if phrase is not None and phrase[0] == "type":
            types.update(type_codes.get(phrase[1], (phrase[1],)))
            named_types.append((phrase[1], (token,)))
            continue
        if token in in_symbol:
            continue
        if (token == "ky" and toks[k : k + 1] == ["hieu"]) or (
            token == "hieu" and toks[k - 2 : k - 1] == ["ky"]
        ):
            continue  # "số ký hiệu"; "hiệu trưởng" is a title word
        if token in FILLER:
            # "số 25", "năm 2021", "ngày 5": markers; "chuyển đổi số", "năm học": words.
            following = toks[k] if k < len(toks) else ""
            half_typed = last_is_prefix and k == len(toks)  # "dân vậ": not "và"
            if not half_typed and (token not in NUMBER_MARKERS or following[:1].isdigit()):
                continue
        content.append(token)
        positions.append(k - 1)
    if not (
        content or numbers or symbol_keys or years or school_years or dates or types or issuers
    ):
        # Only filler words: search them as words rather than find nothing.
        content = [t for t in toks if t in FILLER]
        positions = [n for n, t in enumerate(toks) if t in FILLER]
    unique = list(dict.fromkeys(content))
    pairs = tuple(
        dict.fromkeys(
            (unique.index(content[n]), unique.index(content[n + 1]))
            for n in range(len(content) - 1)
            if positions[n + 1] == positions[n] + 1 and content[n] != content[n + 1]
        )
    )
    return Query(
        words=tuple(words),
        content=tuple(unique),
        pairs=pairs,
        numbers=tuple(dict.fromkeys(numbers)),
        types=frozenset(types),
        named_types=tuple(dict.fromkeys(named_types)),
        issuers=frozenset(issuers),
        symbol_keys=tuple(dict.fromkeys(symbol_keys)),
        loose_keys=tuple(dict.fromkeys(loose_keys)),
        dates=tuple(dates),
        years=tuple(dict.fromkeys(years)),
        last_is_prefix=last_is_prefix,
        school_years=tuple(dict.fromkeys(school_years)),
    )


@lru_cache(maxsize=65536)
def _fold_cached(text: str) -> str:
    return fold(text)


@lru_cache(maxsize=65536)
def _words_cached(text: str) -> tuple[str, ...]:
    return tuple(_TOKEN.findall(fold(text)))


@lru_cache(maxsize=65536)
def _issuer_codes_cached(folded_issuer: str, letters: tuple[str, ...]) -> frozenset[str]:
    return frozenset(_issuer_codes(folded_issuer, letters))


def issuer_codes(folded_issuer: str, symbol_letters: Iterable[str]) -> frozenset[str]:
    """Issuer codes of a row: from its issuer's name and the letters of its symbol."""
    return _issuer_codes_cached(folded_issuer, tuple(symbol_letters))


def _issuer_codes(folded_issuer: str, symbol_letters: Iterable[str]) -> set[str]:
    found: set[str] = set()
    padded = f" {folded_issuer} "
    for code, phrases in ISSUERS.items():
        if any(f" {p} " in padded for p in phrases):
            found.add(code)
    for part in symbol_letters:
        if part in ISSUERS:
            found.add(part)
        elif _QH.fullmatch(part):
            found.add("qh")
    return found


@dataclass(frozen=True)
class Found:
    """One row found: its index, score, grade and the reasons, in Vietnamese."""

    row: int
    score: float
    match: str
    reasons: tuple[str, ...]


_ARRAYS = (
    "post_ptr",
    "post_rows",
    "pair_keys",
    "pair_ptr",
    "pair_rows",
    "sym_hash",
    "sym_rows",
    "loose_hash",
    "loose_rows",
    "type_bits",
    "issuer_bits",
    "number_id",
    "year",
    "sym_year",
    "ordinal",
    "level_id",
    "status_id",
    "doctype_id",
    "title_len",
    "school_year",
    "prior",
    "order",
    "rank",
)


class SearchIndex:
    """Index over `rows`; `find` returns the best rows for a parsed query with their reasons.

    Holds no reference to the rows: everything it needs is in its arrays, so that a saved index
    answers without the catalogue being loaded (the caller fetches the rows it returns).
    """

    # Declared for mypy: set by `_build` or `load`.
    post_ptr: npt.NDArray[np.int64]
    post_rows: IntArray
    pair_keys: npt.NDArray[np.int64]
    pair_ptr: npt.NDArray[np.int64]
    pair_rows: IntArray
    sym_hash: npt.NDArray[np.int64]
    sym_rows: IntArray
    loose_hash: npt.NDArray[np.int64]
    loose_rows: IntArray
    type_bits: npt.NDArray[np.int64]
    issuer_bits: npt.NDArray[np.int64]
    number_id: IntArray
    year: npt.NDArray[np.int16]
    sym_year: npt.NDArray[np.int16]
    ordinal: IntArray
    level_id: npt.NDArray[np.int8]
    status_id: npt.NDArray[np.int8]
    doctype_id: npt.NDArray[np.int16]
    title_len: npt.NDArray[np.int16]
    school_year: npt.NDArray[np.int16]
    prior: FloatArray
    order: IntArray
    rank: IntArray

    def __init__(
        self,
        rows: RowTable | None,
        type_names: dict[str, str],
        type_codes: dict[str, tuple[str, ...]],
        type_labels: dict[str, str] | None = None,
    ) -> None:
        self.type_names = type_names
        self.type_codes = type_codes
        self.type_labels = type_labels or {}
        codes = sorted({c for cs in type_codes.values() for c in cs} | set(type_names.values()))
        self.type_bit = {c: 1 << k for k, c in enumerate(codes)}
        self.extra: dict[str, npt.NDArray[Any]] = {}
        self._deletes: dict[str, list[str]] | None = None
        self._sorted_vocab: list[str] | None = None
        if rows is not None:
            self._build(rows)

    # ------------------------------------------------------------------ build
    def _build(self, table: RowTable) -> None:
        n = self.n = len(table)
        cols = table.columns
        # Words get ids on first sight; "\x00" (id 0) marks the end of a row's title.
        vocab: defaultdict[str, int] = defaultdict(int)
        vocab.default_factory = vocab.__len__
        vocab["\x00"]
        term = vocab.__getitem__
        # Per row, through each column's distinct values: number, level, status, date.
        numbers: dict[str, int] = {}
        number_col = cols["number"]
        number_of_code = np.array(
            [_number_id(number_col.value(c), numbers) for c in range(number_col.distinct())],
            dtype=np.int32,
        )
        number_id = number_of_code[cols["number"].codes()] if n else np.zeros(0, np.int32)
        level_index = {name: k for k, name in enumerate(LEVEL_PRIOR)}
        levels = [cols["issuer_level"].value(c) for c in range(cols["issuer_level"].distinct())]
        level_of_code = np.array([level_index.get(v, -1) for v in levels], dtype=np.int8)
        level_prior = np.array([LEVEL_PRIOR.get(v, 0.0) for v in levels], dtype=np.float32)
        level_codes = cols["issuer_level"].codes()
        statuses: dict[str, int] = {}
        status_names = [cols["status"].value(c) for c in range(cols["status"].distinct())]
        status_of_code = np.array(
            [statuses.setdefault(v, len(statuses)) for v in status_names], dtype=np.int8
        )
        status_prior = np.array([STATUS_PRIOR.get(v, 0.0) for v in status_names], np.float32)
        status_codes = cols["status"].codes()
        ordinal = table.ordinals().copy()
        year = _years(ordinal)
        # Per chunk of rows: title words and pairs, symbols, groups.
        group_of = np.empty(n, dtype=np.int32)
        groups: dict[tuple[int, int, int, str], int] = {}
        group_terms = array("i")  # the words of each group, one after another
        group_start = array("q")
        group_len = array("i")
        group_types: list[int] = []
        group_issuers: list[int] = []
        group_doctype: list[int] = []
        group_prior: list[float] = []
        doctype_names: dict[str, int] = {}
        title_len = np.zeros(n, dtype=np.int16)
        sym_year = np.zeros(n, dtype=np.int16)
        sym_hash = array("q")
        sym_rows = array("i")
        loose_hash = array("q")
        loose_rows = array("i")
        post_chunks: list[_Chunk] = []
        pair_chunks: list[tuple[npt.NDArray[np.int64], _Chunk]] = []
        school: list[npt.NDArray[np.int16]] = []
        doctype_codes = cols["doc_type"].codes()
        issuer_codes_ = cols["issuer"].codes()
        topic_codes = cols["topics"].codes()
        for start in range(0, n, _BUILD_CHUNK):
            stop = min(n, start + _BUILD_CHUNK)
            size = stop - start
            folded = "\x00".join(fold_many(cols["title"].texts(start, stop)))
            school.append(_title_school_years(folded, size))
            text = words_only(folded)
            del folded
            tokens = (text.replace("\x00", " \x00 ") + " \x00").split()
            del text
            ids = np.fromiter(map(term, tokens), dtype=np.int32, count=len(tokens))
            del tokens
            ends = ids == 0
            row_of = (np.cumsum(ends, dtype=np.int32) - ends).astype(np.int32)
            t_ids, t_rows = ids[~ends], row_of[~ends]
            del ids, ends, row_of
            title_len[start:stop] = np.minimum(np.bincount(t_rows, minlength=size), 32000)
            same = t_rows[:-1] == t_rows[1:]
            keys64 = (t_ids[:-1].astype(np.int64) << 32 | t_ids[1:].astype(np.int64))[same]
            distinct, inverse = _unique_inverse(keys64)
            local, local_rows = _unique_pairs(inverse.astype(np.int32), t_rows[:-1][same], size)
            pair_chunks.append((distinct, _Chunk.of(local, local_rows, start)))
            del same, keys64, inverse
            # Symbols and aliases, folded and split the way queries are.
            symbols = cols["symbol"].texts(start, stop)
            aliases = cols["aliases"].texts(start, stop)
            joined = [
                s + "\x02" + a.replace("\n", "\x02") if a else s
                for s, a in zip(symbols, aliases, strict=True)
            ]
            del symbols, aliases
            keys = words_only(strip_number_zeros("\x00".join(fold_many(joined))))
            del joined
            symbol_keys = keys.split("\x00")
            shapes = _DIGIT_TOKEN.sub("", keys).split("\x00")
            del keys
            sym_terms = array("i")
            sym_counts = np.zeros(size, dtype=np.int32)
            for k in range(size):
                i = start + k
                key = (int(doctype_codes[i]), int(issuer_codes_[i]), int(topic_codes[i]), shapes[k])
                g = groups.get(key)
                if g is None:
                    g = groups[key] = len(group_len)
                    doc_type = cols["doc_type"].value(key[0])
                    topics = cols["topics"].value(key[2])
                    group_key = (
                        doc_type,
                        cols["issuer"].value(key[1]),
                        tuple(topics.split("\n")) if topics else (),
                        key[3],
                    )
                    type_bits, issuer_bits, words = self._group(group_key)
                    word_ids = sorted({term(w) for w in words})
                    group_start.append(len(group_terms))
                    group_len.append(len(word_ids))
                    group_terms.extend(word_ids)
                    group_types.append(type_bits)
                    group_issuers.append(issuer_bits)
                    folded_type = fold(doc_type)
                    group_doctype.append(doctype_names.setdefault(folded_type, len(doctype_names)))
                    group_prior.append(TYPE_PRIOR.get(folded_type, 0.0))
                group_of[i] = g
                row_keys = symbol_keys[k]
                if not row_keys.strip():
                    continue
                parts_seen: set[int] = set()
                for alias in row_keys.split("\x02"):
                    parts = alias.split()
                    if not parts:
                        continue
                    part_ids = [term(p) for p in parts]
                    parts_seen.update(part_ids)
                    sym_hash.append(hash(tuple(part_ids)))
                    sym_rows.append(i)
                    loose_hash.append(hash(tuple(sorted(part_ids))))
                    loose_rows.append(i)
                    if not sym_year[i]:
                        for p in parts:
                            if len(p) == 4 and _YEAR.fullmatch(p):
                                sym_year[i] = int(p)
                                break
                sym_terms.extend(parts_seen)
                sym_counts[k] = len(parts_seen)
            del symbol_keys, shapes
            s_ids = np.frombuffer(sym_terms, dtype=np.int32) if len(sym_terms) else t_ids[:0]
            s_rows = np.repeat(np.arange(size, dtype=np.int32), sym_counts)
            # The words of each row's group (issuer, topics, type, symbol letters).
            chunk_groups = group_of[start:stop]
            counts = np.array(group_len, dtype=np.int64)[chunk_groups]
            begin = np.array(group_start, dtype=np.int64)[chunk_groups] - (
                np.cumsum(counts) - counts
            )
            total = int(counts.sum())
            g_ids = np.array(group_terms, dtype=np.int32)[
                np.repeat(begin, counts) + np.arange(total, dtype=np.int64)
            ]
            g_rows = np.repeat(np.arange(size, dtype=np.int32), counts)
            chunk_terms, chunk_rows = _unique_pairs(
                np.concatenate((t_ids, s_ids, g_ids)),
                np.concatenate((t_rows, s_rows, g_rows)),
                size,
            )
            del chunk_groups, counts, begin, g_ids, g_rows
            post_chunks.append(_Chunk.of(chunk_terms, chunk_rows, start))
            del t_ids, t_rows, s_ids, s_rows, sym_terms
        self.title_len = title_len
        g_types = np.array(group_types, dtype=np.int64)
        g_issuers = np.array(group_issuers, dtype=np.int64)
        g_doctype = np.array(group_doctype, dtype=np.int16)
        g_prior = np.array(group_prior, dtype=np.float32)
        self.type_bits = g_types[group_of] if n else np.zeros(0, np.int64)
        self.issuer_bits = g_issuers[group_of] if n else np.zeros(0, np.int64)
        self.doctype_id = g_doctype[group_of] if n else np.zeros(0, np.int16)
        prior = g_prior[group_of] if n else np.zeros(0, np.float32)
        if n:
            prior += level_prior[level_codes] + status_prior[status_codes]
        # Postings: each word's rows, whether in the title, the symbol or the row's group.
        self.vocab = list(vocab)  # in id order
        self.term_id = dict(vocab)
        del vocab
        self.post_ptr, self.post_rows = _merge_csr(post_chunks, len(self.vocab))
        del post_chunks
        del group_of, group_terms
        self.pair_keys, self.pair_ptr, self.pair_rows = _merge_keyed_csr(pair_chunks)
        del pair_chunks
        self.sym_hash, self.sym_rows = _hash_table(sym_hash, sym_rows)
        self.loose_hash, self.loose_rows = _hash_table(loose_hash, loose_rows)
        del sym_hash, sym_rows, loose_hash, loose_rows
        self.number_id, self.year, self.sym_year, self.ordinal = number_id, year, sym_year, ordinal
        self.level_id = level_of_code[level_codes] if n else np.zeros(0, np.int8)
        self.status_id = status_of_code[status_codes] if n else np.zeros(0, np.int8)
        self.prior = prior
        self.numbers = list(numbers)
        self.statuses = list(statuses)
        self.doctype_names = list(doctype_names)
        order = np.argsort(-ordinal.astype(np.int64), kind="stable").astype(np.int32)
        self.order = order
        named = np.concatenate(school) if school else np.zeros(0, np.int16)
        self.school_year = np.where(named != 0, named, _implied_school_year(ordinal)).astype(
            np.int16
        )
        self.rank = np.empty(n, dtype=np.int32)
        self.rank[order] = np.arange(n, dtype=np.int32)
        self._derive()

    def _derive(self) -> None:
        """Lookups computed from the arrays (after a build or a load)."""
        self.n = len(self.order)
        self.number_of = {v: k for k, v in enumerate(self.numbers)}
        df = np.diff(self.post_ptr).astype(np.float32)
        self.idf = np.log((self.n + 1.0) / (df + 0.5)).astype(np.float32) + np.float32(0.1)
        # Each number's rows, ascending (rows without a number come first and are skipped).
        numbered = self.number_id >= 0
        self.number_rows = np.argsort(self.number_id, kind="stable").astype(np.int32)
        counts = np.bincount(self.number_id[numbered], minlength=len(self.numbers))
        self.number_ptr = np.zeros(len(self.numbers) + 1, dtype=np.int64)
        np.cumsum(counts, out=self.number_ptr[1:])
        self.number_ptr += self.n - int(np.count_nonzero(numbered))

    def _group(self, key: tuple[str, str, tuple[str, ...], str]) -> tuple[int, int, set[str]]:
        """(type bits, issuer bits, words) of rows of one type, issuer, topics and letters."""
        doc_type, issuer, topics, letters = key
        codes: set[str] = set()
        code = self.type_names.get(_fold_cached(doc_type))
        if code:
            codes.add(code)
        letter_parts = _TOKEN.findall(letters)
        for part in set(letter_parts) & self.type_codes.keys():
            codes.update(self.type_codes[part])
        issuer_words = _words_cached(issuer)
        issuers = issuer_codes(" ".join(issuer_words), letter_parts)
        words = set(issuer_words)
        for topic in topics:
            words.update(_words_cached(topic))
        words.update(letter_parts)
        type_bits = 0
        for c in codes:
            type_bits |= self.type_bit.get(c, 0)
        issuer_bits = 0
        for c in issuers:
            issuer_bits |= _ISSUER_BIT[c]
        return type_bits, issuer_bits, words

    # ------------------------------------------------------------------ persistence
    def save(
        self, path: Path, stamp: str, extra: dict[str, npt.NDArray[Any]] | None = None
    ) -> None:
        """Write the index to `path` (numpy's .npz), tagged with the catalogue file's `stamp`;
        `extra` arrays are saved beside it and come back in `extra` after `load`."""
        meta = "\n".join(
            [str(FORMAT_VERSION), stamp, str(_tuple_hash_check()), sys.version.split()[0]]
        )
        lists = {
            "vocab": self.vocab,
            "numbers": self.numbers,
            "statuses": self.statuses,
            "doctype_names": self.doctype_names,
        }
        payload: dict[str, Any] = {name: getattr(self, name) for name in _ARRAYS}
        payload["meta"] = np.frombuffer(meta.encode(), dtype=np.uint8)
        for name, values_array in (extra or {}).items():
            payload[f"extra_{name}"] = values_array
        for name, values in lists.items():
            payload[name] = np.frombuffer("\n".join(values).encode(), dtype=np.uint8)
        partial = path.with_name(path.name + ".partial")
        with partial.open("wb") as f:
            np.savez(f, **payload)
        partial.replace(path)

    @classmethod
    def load(
        cls,
        path: Path,
        stamp: str,
        type_names: dict[str, str],
        type_codes: dict[str, tuple[str, ...]],
        type_labels: dict[str, str] | None = None,
    ) -> SearchIndex | None:
        """The index saved at `path` if it was saved for `stamp` by this version, else None."""
        try:
            with np.load(path, allow_pickle=False) as data:
                meta = bytes(data["meta"]).decode().split("\n")
                expected = [
                    str(FORMAT_VERSION),
                    stamp,
                    str(_tuple_hash_check()),
                    sys.version.split()[0],
                ]
                if meta != expected:
                    return None
                index = cls(None, type_names, type_codes, type_labels)
                for name in _ARRAYS:
                    setattr(index, name, data[name])
                index.extra = {
                    name.removeprefix("extra_"): data[name]
                    for name in data.files
                    if name.startswith("extra_")
                }
                for name in ("vocab", "numbers", "statuses", "doctype_names"):
                    text = bytes(data[name]).decode()
                    setattr(index, name, text.split("\n") if text else [])
        except (OSError, ValueError, KeyError, UnicodeDecodeError):
            return None
        index.term_id = {w: k for k, w in enumerate(index.vocab)}
        index._derive()
        return index

    # ------------------------------------------------------------------ words
    def _posting(self, term: int) -> IntArray:
        """Rows holding `term` in their title, symbol, issuer, topics or type, ascending."""
        return self.post_rows[self.post_ptr[term] : self.post_ptr[term + 1]]

    def near(self, word: str) -> set[str]:
        """Vocabulary words one edit (missing, extra, wrong or swapped letter) from `word`."""
        if self._deletes is None:
            deletes: dict[str, list[str]] = {}
            for w in self.vocab:
                if 3 <= len(w) <= MAX_FUZZY_WORD and not w[0].isdigit():
                    for k in range(len(w)):
                        deletes.setdefault(w[:k] + w[k + 1 :], []).append(w)
            self._deletes = deletes
        candidates = set(self._deletes.get(word, ()))
        for k in range(len(word)):
            shorter = word[:k] + word[k + 1 :]
            if shorter in self.term_id:
                candidates.add(shorter)
            candidates.update(self._deletes.get(shorter, ()))
        return {c for c in candidates if OSA.distance(word, c, score_cutoff=1) <= 1}

    def variants(self, word: str, prefix: bool) -> tuple[list[int], float]:
        """The terms a query word stands for and the factor their matches count: the word
        itself (1), longer words for a half-typed last word, or words one typo away."""
        exact = self.term_id.get(word)
        if exact is not None and not (prefix and 2 <= len(word) <= MAX_FUZZY_WORD):
            return [exact], 1.0
        found: list[int] = [] if exact is None else [exact]
        factor = TYPO_FACTOR
        if prefix and 2 <= len(word) <= MAX_FUZZY_WORD:
            if self._sorted_vocab is None:
                self._sorted_vocab = sorted(self.vocab)
            start = bisect.bisect_left(self._sorted_vocab, word)
            for candidate in self._sorted_vocab[start : start + MAX_PREFIX_WORDS]:
                if not candidate.startswith(word):
                    break
                found.append(self.term_id[candidate])
            if found:
                factor = PREFIX_FACTOR
            if exact is not None:
                return found, PREFIX_FACTOR
        if 3 <= len(word) <= MAX_FUZZY_WORD and not word[0].isdigit():
            found.extend(self.term_id[c] for c in sorted(self.near(word)))
        return list(dict.fromkeys(found)), factor

    def _pair_rows(self, first: Sequence[int], second: Sequence[int]) -> IntArray:
        """Rows whose title has a word of `first` right before a word of `second`."""
        keys = np.array([(a << 32) | b for a in first[:8] for b in second[:8]], dtype=np.int64)
        lo = np.searchsorted(self.pair_keys, keys, side="left")
        hi = np.searchsorted(self.pair_keys, keys, side="right")
        parts = [
            self.pair_rows[self.pair_ptr[a] : self.pair_ptr[a + 1]]
            for a, b in zip(lo.tolist(), hi.tolist(), strict=True)
            if b > a
        ]
        if not parts:
            return np.zeros(0, dtype=np.int32)
        return parts[0] if len(parts) == 1 else self._union(parts)

    # ------------------------------------------------------------------ filters
    def filter_mask(
        self,
        doc_type: str | None,
        issuer_level: str | None,
        year_from: int | None,
        year_to: int | None,
        status: str | None,
    ) -> BoolArray | None:
        """Rows passing the filters (None: no filter)."""
        mask: BoolArray | None = None

        def narrow(m: BoolArray) -> None:
            nonlocal mask
            mask = m if mask is None else mask & m

        if doc_type:
            folded = fold(doc_type)
            code = self.type_names.get(folded) or folded.replace(" ", "")
            by_code = (self.type_bits & self.type_bit.get(code, 0)) != 0
            if folded in self.doctype_names:
                by_code |= self.doctype_id == self.doctype_names.index(folded)
            narrow(by_code)
        if issuer_level:
            levels = list(LEVEL_PRIOR)
            wanted = levels.index(issuer_level) if issuer_level in levels else -2
            narrow(self.level_id == wanted)
        if status:
            wanted = self.statuses.index(status) if status in self.statuses else -1
            narrow(self.status_id == wanted)
        if year_from is not None:
            narrow((self.year > 0) & (self.year >= year_from))
        if year_to is not None:
            narrow((self.year > 0) & (self.year <= year_to))
        return mask

    def newest(self, mask: BoolArray | None, limit: int) -> list[int]:
        """The `limit` newest rows passing `mask`."""
        if mask is None:
            return [int(i) for i in self.order[:limit]]
        return [int(i) for i in self.order[mask[self.order]][:limit]]

    # ------------------------------------------------------------------ search
    def find(
        self,
        q: Query,
        limit: int,
        mask: BoolArray | None = None,
        cited: Collection[int] = (),
    ) -> list[Found]:
        """The best `limit` rows for `q` among those passing `mask`: strong and exact hits
        first (by score), then weak ones; `cited` rows (cited in the office's plans) rank up."""
        n = self.n
        if n == 0 or limit <= 0:
            return []
        # Words: each query word's rows (the rows of its variants), weight and factor.
        words_total = 0.0
        word_terms: list[list[int]] = []
        word_factors: list[float] = []
        word_rows: list[tuple[IntArray, float]] = []  # (rows, weight × factor) in query order
        for k, word in enumerate(q.content):
            prefix = q.last_is_prefix and k == len(q.content) - 1
            terms, factor = self.variants(word, prefix)
            word_terms.append(terms)
            word_factors.append(factor)
            if not terms:
                words_total += float(np.log(n + 1.0) + 0.1)  # a word no row holds
                continue
            if len(terms) == 1:
                rows = self._posting(terms[0])
                weight = float(self.idf[terms[0]])
            else:
                rows = self._union([self._posting(t) for t in terms])
                weight = float(np.log((n + 1.0) / (len(rows) + 0.5)) + 0.1)
            word_rows.append((rows, weight * factor))
            words_total += weight
        pair_rows: list[tuple[IntArray, float]] = []
        phrase_total = 0.0
        for a, b in q.pairs:
            phrase_total += 1.0
            if word_terms[a] and word_terms[b]:
                factor = min(word_factors[a], word_factors[b])
                pair_rows.append((self._pair_rows(word_terms[a], word_terms[b]), factor))
        # Symbols and numbers.
        sym_exact = self._symbol_rows(q.symbol_keys, self.sym_hash, self.sym_rows, False)
        sym_loose = self._symbol_rows(q.loose_keys, self.loose_hash, self.loose_rows, True)
        number_ids = [self.number_of[x] for x in q.numbers if x in self.number_of]
        number_rows = [
            self.number_rows[self.number_ptr[k] : self.number_ptr[k + 1]] for k in number_ids
        ]
        cited_mark = self._marks([np.fromiter(cited, dtype=np.int32)]) if cited else None
        need = np.float32(STRONG_COVERAGE * words_total) - np.float32(1e-4)

        # The most a row's score can gain beyond its prior and its words (see `rank`); None
        # when a number or a symbol may add far more.
        bound: float | None = None
        if q.content and not (q.numbers or q.symbol_keys):
            bound = SCORE_TYPE if q.types else 0.0
            bound += SCORE_ISSUER if q.issuers else 0.0
            bound += SCORE_DATE if q.dates else SCORE_YEAR if q.dated else 0.0
            bound += SCORE_CITED if cited else 0.0

        def rank(cand: IntArray, words: _Words) -> tuple[list[Found], int]:
            """The best of `cand` and how many of them are not weak. Many candidates of a
            words query: those whose score may reach the best few's (an upper bound: the
            words' part exactly, the most the type, issuer and date could add) are scored
            first; when `limit` strong hits among them beat every other candidate's bound,
            they are the answer."""
            if mask is not None and len(cand):
                keep = mask[cand]
                cand, words = cand[keep], words.take(keep)
            if len(cand) == 0:
                return [], 0
            if bound is not None and len(cand) > max(PRESELECT, 8 * limit):
                f32 = np.float32
                ub = self.prior[cand] + words.num * f32(SCORE_WORDS / max(words_total, 1e-6))
                if q.pairs and phrase_total:
                    ub += words.phrase * f32(SCORE_PHRASE / phrase_total)
                lengths = np.maximum(self.title_len[cand], 1).astype(f32)
                ub += np.minimum(words.matched.astype(f32) / lengths, 1.0) * f32(SCORE_TITLE_FIT)
                ub += f32(bound + 0.01)
                floor = np.partition(ub, len(ub) - 4 * limit)[len(ub) - 4 * limit] - 0.05
                top = np.flatnonzero(ub >= floor)
                if len(top) * 4 < len(cand):
                    ub[top] = -np.inf
                    found, strong = scored(cand[top], words.take(top))
                    if strong >= limit and found[limit - 1].score > float(ub.max()) + 0.01:
                        return found, strong
            return scored(cand, words)

        def scored(cand: IntArray, words: _Words) -> tuple[list[Found], int]:
            f = self._features(q, cand, words, words_total, phrase_total)
            f.set_symbols(sym_exact, sym_loose)
            number_hit = np.isin(self.number_id[cand], number_ids) if number_ids else None
            f.set_number(number_hit, self._title_has(q.numbers, cand))
            cited_rows = cited_mark[cand] if cited_mark is not None else np.zeros(0, np.bool_)
            score, grade = f.score(cited_rows)
            weak = grade == 2
            picked = self._best(score, weak, cand, limit)
            found = [f.found(j, bool(len(cited_rows) and cited_rows[j]), self) for j in picked]
            return found, len(weak) - int(np.count_nonzero(weak))

        symbol_parts = [sym_exact, sym_loose]
        if q.content:
            # Only rows holding enough of the words, the number or the symbol can be strong;
            # when they give `limit` strong hits, weak rows (listed after them) are not needed.
            # A row holding none of the rarest words whose weight is more than 1 - 0.6 of the
            # query's cannot hold enough: only those words' rows need be looked at.
            essential = self._essential(word_rows, float(need))
            if essential is not None:
                cand = _sorted_union([*essential, *number_rows, *symbol_parts])
                words = _Words.of(cand, word_rows, pair_rows)
                enough = words.num >= need
                for part in (*number_rows, *symbol_parts):
                    enough |= _member(cand, part)
                found, strong = rank(cand[enough], words.take(enough))
                if strong >= limit:
                    return found
            dense = _Words.dense(n, word_rows, pair_rows)
            if essential is None:  # the same rows, found by a pass over every row
                enough_mark = dense.num >= need
                for part in (*number_rows, *symbol_parts):
                    enough_mark[part] = True
                cand = np.flatnonzero(enough_mark).astype(np.int32)
                found, strong = rank(cand, dense.take(cand))
                if strong >= limit:
                    return found
        # Candidates: rows holding any word, number or symbol of the query.
        parts: list[IntArray] = []
        if q.content:
            parts.append(np.flatnonzero(dense.num > 0).astype(np.int32))
        parts.extend(number_rows)
        parts.extend(symbol_parts)
        if q.content or q.numbers or q.symbol_keys:
            cand = self._union(parts)
        else:  # only type, issuer, year or date: the rows having them all
            every = np.ones(n, dtype=np.bool_)
            if q.types:
                every &= (self.type_bits & self._bits(q.types, self.type_bit)) != 0
            if q.issuers:
                every &= (self.issuer_bits & self._bits(q.issuers, _ISSUER_BIT)) != 0
            if q.dated:
                every &= self._year_hit(np.arange(n, dtype=np.int32), q)
            cand = np.flatnonzero(every).astype(np.int32)
        words = dense.take(cand) if q.content else _Words.none(len(cand))
        return rank(cand, words)[0]

    def _essential(
        self, word_rows: Sequence[tuple[IntArray, float]], need: float
    ) -> list[IntArray] | None:
        """The rows of the rarest words a row must hold one of to reach `need` (the others'
        weight together is below it), or None when those rows are too many to be worth it."""
        if need <= 0 or not word_rows:
            return None
        remaining = sum(c for _, c in word_rows)
        chosen: list[IntArray] = []
        size = 0
        for rows, c in sorted(word_rows, key=lambda wc: len(wc[0])):
            if remaining < need - 1e-3:
                break
            chosen.append(rows)
            size += len(rows)
            remaining -= c
        if size > self.n // SPARSE_SHARE:
            return None
        return chosen

    def _best(self, score: FloatArray, weak: BoolArray, cand: IntArray, limit: int) -> list[int]:
        """Positions of the best `limit` candidates: non-weak first, then by score, then
        newest (ties at the cut are settled by recency too)."""
        picked: list[int] = []
        for group in (np.flatnonzero(~weak), np.flatnonzero(weak)):
            room = limit - len(picked)
            if room <= 0 or not len(group):
                continue
            values = score[group]
            if len(group) > room:
                cut = np.partition(values, len(group) - room)[len(group) - room]
                above = group[values > cut]
                ties = group[values == cut]
                ties = ties[np.argsort(self.rank[cand[ties]], kind="stable")][: room - len(above)]
                group = np.concatenate((above, ties))
            picked.extend(sorted(group.tolist(), key=lambda j: (-score[j], self.rank[cand[j]])))
        return picked

    def _marks(self, parts: Sequence[IntArray]) -> BoolArray:
        """A mask over all rows, true for the rows in `parts`."""
        mark = np.zeros(self.n, dtype=np.bool_)
        for part in parts:
            mark[part] = True
        return mark

    def _union(self, parts: Sequence[IntArray]) -> IntArray:
        """The rows in any of `parts`, ascending, each once (linear in the rows, no sort)."""
        if not parts:
            return np.zeros(0, dtype=np.int32)
        return np.flatnonzero(self._marks(parts)).astype(np.int32)

    @staticmethod
    def _bits(codes: Iterable[str], table: dict[str, int]) -> int:
        bits = 0
        for c in codes:
            bits |= table.get(c, 0)
        return bits

    def _symbol_rows(
        self,
        keys: Sequence[str],
        hashes: npt.NDArray[np.int64],
        rows: IntArray,
        loose: bool,
    ) -> IntArray:
        found: list[IntArray] = []
        for key in keys:
            ids = [self.term_id.get(p) for p in key.split()]
            if not ids or None in ids:
                continue
            ints = [i for i in ids if i is not None]
            h = hash(tuple(sorted(ints) if loose else ints))
            lo = int(np.searchsorted(hashes, h, side="left"))
            hi = int(np.searchsorted(hashes, h, side="right"))
            if hi > lo:
                found.append(rows[lo:hi])
        if not found:
            return np.zeros(0, dtype=np.int32)
        return np.unique(np.concatenate(found)).astype(np.int32)

    def _title_has(self, words: Sequence[str], cand: IntArray) -> BoolArray:
        """For each candidate: does its title, symbol or issuer hold one of `words`?"""
        has = np.zeros(len(cand), dtype=np.bool_)
        for word in words:
            t = self.term_id.get(word)
            if t is not None:
                has |= _member(cand, self._posting(t))
        return has

    def _year_hit(self, rows: IntArray, q: Query) -> BoolArray:
        """Rows issued on one of the query's dates or in one of its years (or whose symbol
        holds the year)."""
        hit = np.zeros(len(rows), dtype=np.bool_)
        if q.dates:
            ordinals = np.array([d.toordinal() for d in q.dates], dtype=np.int32)
            hit |= np.isin(self.ordinal[rows], ordinals)
        if q.years:
            years = np.array(q.years, dtype=np.int16)
            hit |= np.isin(self.year[rows], years) | np.isin(self.sym_year[rows], years)
        if q.school_years:
            hit |= np.isin(self.school_year[rows], np.array(q.school_years, dtype=np.int16))
        return hit

    def _features(
        self,
        q: Query,
        cand: IntArray,
        words: _Words,
        words_total: float,
        phrase_total: float,
    ) -> _Features:
        f = _Features(q, cand)
        if q.content:
            f.coverage = words.num / np.float32(max(words_total, 1e-6))
            f.matched = words.matched
            lengths = np.maximum(self.title_len[cand], 1).astype(np.float32)
            f.fit = np.minimum(f.matched.astype(np.float32) / lengths, 1.0)
        if q.pairs and phrase_total:
            f.phrase = words.phrase / np.float32(phrase_total)
        if q.types:
            bits = self._bits(q.types, self.type_bit)
            f.type_hit = (self.type_bits[cand] & bits) != 0
            # A type named in words that the title also holds ("Chương trình giáo dục phổ
            # thông" of a Thông tư) is no contradiction: the words may be the title's.
            named_in_title = np.zeros(len(cand), dtype=np.bool_)
            for _code, name_words in q.named_types:
                inside = np.ones(len(cand), dtype=np.bool_)
                for word in name_words:
                    inside &= self._title_has([word], cand)
                named_in_title |= inside
            f.type_other = ~f.type_hit & ~named_in_title
        if q.issuers:
            bits = self._bits(q.issuers, _ISSUER_BIT)
            row_bits = self.issuer_bits[cand]
            f.issuer_hit = (row_bits & bits) != 0
            f.issuer_other = ~f.issuer_hit & (row_bits != 0)
        if q.dated:
            known = self.year[cand] != 0
            hit = self._year_hit(cand, q)
            if q.dates:
                on_date = np.isin(
                    self.ordinal[cand], np.array([d.toordinal() for d in q.dates], np.int32)
                )
                f.date_hit = on_date
                f.date_other = ~on_date & known
            else:
                if q.school_years:  # an undated row whose title names a school year
                    known |= self.school_year[cand] != 0
                f.year_hit = hit
                f.year_other = ~hit & known
            f.undated = ~known & ~hit
        f.prior = self.prior[cand]
        return f

    # ------------------------------------------------------------------ symbols (Catalogue)
    def rows_with_symbol(self, key: str) -> list[int]:
        """Rows whose symbol or an alias has the symbol key `key` (`symbol_key` form)."""
        return [int(i) for i in self._symbol_rows([key], self.sym_hash, self.sym_rows, False)]


class _Words:
    """For each candidate: the query words' weight it holds, how many of the words, and the
    share of the query's word pairs it holds side by side."""

    def __init__(self, num: FloatArray, matched: npt.NDArray[np.int16], phrase: FloatArray) -> None:
        self.num, self.matched, self.phrase = num, matched, phrase

    @classmethod
    def none(cls, size: int) -> _Words:
        return cls(np.zeros(size, np.float32), np.zeros(size, np.int16), np.zeros(size, np.float32))

    @classmethod
    def of(
        cls,
        cand: IntArray,
        word_rows: Sequence[tuple[IntArray, float]],
        pair_rows: Sequence[tuple[IntArray, float]],
    ) -> _Words:
        """The candidates' words, by looking each candidate up in each word's rows (for a
        few candidates: no pass over every row)."""
        words = cls.none(len(cand))
        for rows, value in word_rows:
            hit = _member(cand, rows)
            words.num[hit] += value
            words.matched[hit] += 1
        for rows, factor in pair_rows:
            words.phrase[_member(cand, rows)] += factor
        return words

    @classmethod
    def dense(
        cls,
        n: int,
        word_rows: Sequence[tuple[IntArray, float]],
        pair_rows: Sequence[tuple[IntArray, float]],
    ) -> _Words:
        """Every row's words (for many candidates: one pass per word over its rows)."""
        words = cls.none(n)
        for rows, value in word_rows:
            if len(rows) * DENSE_MARK > n:  # many rows: a mark and a pass (no scatter-add)
                mark = np.zeros(n, dtype=np.bool_)
                mark[rows] = True
                words.num += mark * np.float32(value)
                words.matched += mark
            else:
                words.num[rows] += value
                words.matched[rows] += 1
        for rows, factor in pair_rows:
            words.phrase[rows] += factor
        return words

    def take(self, which: npt.NDArray[Any]) -> _Words:
        """The entries at `which` (positions or a mask)."""
        return _Words(self.num[which], self.matched[which], self.phrase[which])


def _member(cand: IntArray, rows: IntArray) -> BoolArray:
    """For each of the ascending `cand`: is it among the ascending `rows`? A binary search
    per candidate when they are few, else a mark per row (`rows` and `cand` both short of
    the last row + 1)."""
    if not len(rows) or not len(cand):
        return np.zeros(len(cand), dtype=np.bool_)
    span = int(max(rows[-1], cand[-1])) + 1
    if len(cand) * (len(rows).bit_length() + 1) * 4 > span // 8 + len(rows):
        mark = np.zeros(span, dtype=np.bool_)
        mark[rows] = True
        marked: BoolArray = mark[cand]
        return marked
    at = np.searchsorted(rows, cand)
    at[at == len(rows)] = len(rows) - 1
    found: BoolArray = rows[at] == cand
    return found


def _sorted_union(parts: Sequence[IntArray]) -> IntArray:
    """The rows in any of `parts`, ascending, each once (a sort: for a few rows)."""
    parts = [p for p in parts if len(p)]
    if not parts:
        return np.zeros(0, dtype=np.int32)
    if len(parts) == 1:
        return parts[0]
    return _unique(np.concatenate(parts).astype(np.int64)).astype(np.int32)


class _Features:
    """What each candidate row shares with the query, as arrays over the candidates."""

    def __init__(self, q: Query, cand: IntArray) -> None:
        size = len(cand)
        self.q = q
        self.cand = cand
        none = np.zeros(size, dtype=np.bool_)
        zero = np.zeros(size, dtype=np.float32)
        self.coverage = zero
        self.phrase = zero
        self.fit = zero
        self.matched = np.zeros(size, dtype=np.int16)
        self.type_hit = self.type_other = none
        self.issuer_hit = self.issuer_other = none
        self.year_hit = self.year_other = none
        self.date_hit = self.date_other = none
        self.undated = none
        self.exact = self.loose = none
        self.number_hit = self.number_other = none
        self.prior = zero

    def set_symbols(self, exact: IntArray, loose: IntArray) -> None:
        if len(exact):
            self.exact = np.isin(self.cand, exact, kind="sort")
        if len(loose):
            self.loose = np.isin(self.cand, loose, kind="sort") & ~self.exact

    def set_number(self, number_hit: BoolArray | None, number_in_text: BoolArray) -> None:
        """`number_hit`: for each candidate, whether its number is the query's."""
        if not self.q.numbers:
            return
        symbol = self.exact | self.loose
        if number_hit is not None:
            self.number_hit = number_hit | symbol
        else:
            self.number_hit = symbol
        self.number_other = ~self.number_hit & ~number_in_text

    def score(self, cited: BoolArray) -> tuple[FloatArray, npt.NDArray[np.int8]]:
        """Each candidate's score and grade (0 exact, 1 strong, 2 weak). Only the kinds of
        evidence the query has are added (each a pass over the candidates)."""
        q = self.q
        f32 = np.float32
        s = self.prior.copy()
        if q.content:
            s += f32(SCORE_WORDS) * self.coverage
            s += f32(SCORE_TITLE_FIT) * self.fit
        if q.pairs:
            s += f32(SCORE_PHRASE) * self.phrase
        if q.symbol_keys:
            s += f32(SCORE_EXACT_SYMBOL) * self.exact
            s += f32(SCORE_LOOSE_SYMBOL) * self.loose
        if q.numbers:
            s += f32(SCORE_NUMBER) * self.number_hit
            s += f32(SCORE_NUMBER_OTHER) * self.number_other
        if q.types:
            s += f32(SCORE_TYPE) * self.type_hit
            s += f32(SCORE_TYPE_OTHER) * self.type_other
        if q.issuers:
            s += f32(SCORE_ISSUER) * self.issuer_hit
            s += f32(SCORE_ISSUER_OTHER) * self.issuer_other
        if q.dates:
            s += f32(SCORE_DATE) * self.date_hit
            s += f32(SCORE_DATE_OTHER) * self.date_other
        elif q.years or q.school_years:
            s += f32(SCORE_YEAR) * self.year_hit
            s += f32(SCORE_YEAR_OTHER) * self.year_other
        if q.dated:
            s += f32(SCORE_UNDATED) * self.undated
        if cited.any():
            s += f32(SCORE_CITED) * cited
        contradiction = self.type_other | self.number_other | self.year_other | self.date_other
        evidence = self.number_hit | self.exact | self.loose
        if q.content:
            evidence = evidence | (self.coverage >= f32(STRONG_COVERAGE))
        elif not (q.numbers or q.symbol_keys):
            evidence = evidence | self.type_hit | self.issuer_hit | self.year_hit | self.date_hit
        grade = np.full(len(s), 2, dtype=np.int8)
        grade[evidence & ~contradiction] = 1
        if q.symbol_keys:
            grade[(self.exact | self.loose) & ~self.year_other & ~self.date_other] = 0
        self.grade = grade
        self.total = s
        return s, grade

    def found(self, j: int, cited: bool, index: SearchIndex) -> Found:
        """The j-th candidate as a `Found` with its reasons in Vietnamese."""
        q = self.q
        reasons: list[str] = []
        if self.exact[j]:
            reasons.append("đúng số ký hiệu")
        elif self.loose[j]:
            reasons.append("đúng số ký hiệu (các phần viết theo thứ tự khác)")
        elif q.numbers:
            wanted = ", ".join(q.numbers)
            if self.number_hit[j]:
                reasons.append(f"đúng số {wanted}")
            elif self.number_other[j]:
                reasons.append(f"khác số (tìm số {wanted})")
            else:
                reasons.append(f"có số {wanted} trong trích yếu")
        if q.types:
            names = " / ".join(dict.fromkeys(index.type_labels.get(c, c.upper()) for c in q.types))
            if self.type_hit[j]:
                reasons.append("đúng loại văn bản")
            elif self.type_other[j]:
                reasons.append(f"khác loại văn bản (tìm {names})")
            else:
                reasons.append("tên loại văn bản có trong trích yếu")
        if q.issuers:
            if self.issuer_hit[j]:
                reasons.append("đúng cơ quan ban hành")
            elif self.issuer_other[j]:
                wanted = ", ".join(ISSUER_LABELS[c] for c in sorted(q.issuers))
                reasons.append(f"khác cơ quan ban hành (tìm {wanted})")
        if q.dates:
            if self.date_hit[j]:
                reasons.append("đúng ngày ban hành")
            elif self.date_other[j]:
                wanted = ", ".join(f"{d.day}/{d.month}/{d.year}" for d in q.dates)
                reasons.append(f"khác ngày ban hành (tìm {wanted})")
        elif q.years or q.school_years:
            parts = []
            if q.school_years:
                parts.append("năm học " + ", ".join(f"{y}-{y + 1}" for y in q.school_years))
            if q.years:
                parts.append("năm " + ", ".join(str(y) for y in q.years))
            wanted = " hoặc ".join(parts)
            if self.year_hit[j]:
                reasons.append(f"đúng {wanted}")
            elif self.year_other[j]:
                kind = "năm" if q.years else "năm học"
                reasons.append(f"khác {kind} (tìm {wanted})")
        if q.dated and self.undated[j]:
            reasons.append("chưa rõ ngày ban hành")
        if q.content:
            total = len(q.content)
            count = int(self.matched[j])
            if q.pairs and float(self.phrase[j]) >= 0.999:
                reasons.append("khớp cả cụm từ trong trích yếu")
            elif count:
                reasons.append(f"khớp {min(count, total)}/{total} từ của trích yếu")
            else:
                reasons.append("không khớp từ nào của trích yếu")
        if cited:
            reasons.append("đã được trích dẫn trong kế hoạch của đơn vị")
        grade = (MATCH_EXACT, MATCH_STRONG, MATCH_WEAK)[int(self.grade[j])]
        return Found(int(self.cand[j]), float(self.total[j]), grade, tuple(reasons))


# ---------------------------------------------------------------- array helpers
_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


def _title_school_years(joined: str, count: int) -> npt.NDArray[np.int16]:
    """The first school year (`2023-2024` → 2023) each of `count` folded titles joined by
    NUL names, 0 where a title names none."""
    out = np.zeros(count, dtype=np.int16)
    if "-" not in joined and "/" not in joined:
        return out
    starts: list[int] | None = None
    for match in _SCHOOL_YEAR.finditer(joined):
        first = int(match.group(1))
        if int(match.group(2)) != first + 1:
            continue
        if starts is None:
            starts = [m.start() for m in re.finditer("\x00", joined)]
        row = bisect.bisect_right(starts, match.start())
        if not out[row]:
            out[row] = first
    return out


def _implied_school_year(ordinal: IntArray) -> npt.NDArray[np.int16]:
    """The school year a document issued on `ordinal` (0: undated) is most likely for: the
    one starting that year when issued from June on, else the one that year ends."""
    days = (ordinal.astype(np.int64) - _EPOCH_ORDINAL).astype("datetime64[D]")
    year = days.astype("datetime64[Y]").astype(np.int64) + 1970
    month = days.astype("datetime64[M]").astype(np.int64) % 12 + 1
    implied = year - (month < SCHOOL_YEAR_FIRST_MONTH)
    return np.where(ordinal > 0, implied, 0).astype(np.int16)


def _unique_pairs(keys: IntArray, rows: IntArray, span: int) -> tuple[IntArray, IntArray]:
    """The distinct (key, row) pairs, ordered by key then row; rows are below `span`."""
    if not len(keys):
        return np.zeros(0, np.int32), np.zeros(0, np.int32)
    pairs = _unique(keys.astype(np.int64) * np.int64(max(span, 1)) + rows)
    return (pairs // span).astype(np.int32), (pairs % span).astype(np.int32)


class _Chunk:
    """Distinct (key, row) pairs of one chunk of rows, ordered by key then row, held small:
    each key present once with its count, and the rows as offsets in the chunk (uint16)."""

    __slots__ = ("counts", "ids", "rows", "start")

    def __init__(self, ids: IntArray, counts: IntArray, rows: npt.NDArray[np.uint16], start: int):
        self.ids, self.counts, self.rows, self.start = ids, counts, rows, start

    @classmethod
    def of(cls, keys: IntArray, rows: IntArray, start: int) -> _Chunk:
        """From pairs ordered by key then row (`rows` counted from the chunk's first row)."""
        if not len(keys):
            return cls(keys, keys, np.zeros(0, np.uint16), start)
        firsts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
        counts = np.diff(np.append(firsts, len(keys))).astype(np.int32)
        return cls(keys[firsts].astype(np.int32), counts, rows.astype(np.uint16), start)


def _merge_csr(chunks: list[_Chunk], size: int) -> tuple[npt.NDArray[np.int64], IntArray]:
    """(pointers, rows) of keys 0..size-1 from chunks of pairs, the rows of a later chunk all
    after those of an earlier one. Each chunk is placed and let go in turn: no array of all
    pairs as (key, row) is ever built."""
    total = np.zeros(size, dtype=np.int64)
    for chunk in chunks:
        total[chunk.ids] += chunk.counts
    ptr = np.zeros(size + 1, dtype=np.int64)
    np.cumsum(total, out=ptr[1:])
    out = np.empty(int(ptr[-1]), dtype=np.int32)
    fill = ptr[:-1].copy()
    for k, chunk in enumerate(chunks):
        counts = chunk.counts.astype(np.int64)
        first = np.cumsum(counts) - counts  # where each key's run starts in the chunk
        where = np.repeat(fill[chunk.ids] - first, counts) + np.arange(len(chunk.rows))
        out[where] = chunk.rows.astype(np.int32) + np.int32(chunk.start)
        fill[chunk.ids] += counts
        chunks[k] = _Chunk(chunk.ids[:0], chunk.counts[:0], chunk.rows[:0], chunk.start)
    return ptr, out


def _merge_keyed_csr(
    chunks: list[tuple[npt.NDArray[np.int64], _Chunk]],
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64], IntArray]:
    """(distinct keys sorted, pointers, rows) from chunks of (the chunk's distinct keys
    sorted, its pairs by position among those keys)."""
    if not chunks:
        return np.zeros(0, np.int64), np.zeros(1, np.int64), np.zeros(0, np.int32)
    distinct = _unique(np.concatenate([keys for keys, _ in chunks]))
    mapped = []
    for keys, chunk in chunks:
        chunk.ids = np.searchsorted(distinct, keys).astype(np.int32)[chunk.ids]
        mapped.append(chunk)
    chunks.clear()
    ptr, out = _merge_csr(mapped, len(distinct))
    return distinct.astype(np.int64), ptr, out


def _number_id(number: str, numbers: dict[str, int]) -> int:
    """The id of a row's number in `numbers` (added when new), -1 for no number."""
    if not number:
        return -1
    if not number.isdigit():
        number = (number if number.isascii() else fold(number)).lower()
        number = number.replace(" ", "")
    if number[:1] == "0":
        number = norm_number(number)
    return numbers.setdefault(number, len(numbers))


def _years(ordinal: IntArray) -> npt.NDArray[np.int16]:
    """The year of each proleptic ordinal, 0 for 0 (undated)."""
    days = (ordinal.astype(np.int64) - _EPOCH_ORDINAL).astype("datetime64[D]")
    year = days.astype("datetime64[Y]").astype(np.int64) + 1970
    return np.where(ordinal > 0, year, 0).astype(np.int16)


def _unique(values: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    """The distinct values, ascending (a sort: numpy's hashing `unique` is slower here)."""
    ordered = np.sort(values)
    if len(ordered) < 2:
        return ordered
    keep = np.empty(len(ordered), dtype=np.bool_)
    keep[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]


def _unique_inverse(
    values: npt.NDArray[np.int64],
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """The distinct values ascending, and each value's position among them."""
    order = np.argsort(values, kind="stable")
    ordered = values[order]
    step = np.empty(len(ordered), dtype=np.int64)
    if len(ordered):
        step[0] = 0
        np.not_equal(ordered[1:], ordered[:-1], out=step[1:])
    ids = np.cumsum(step)
    inverse = np.empty(len(values), dtype=np.int64)
    inverse[order] = ids
    return ordered[step.astype(np.bool_) | (np.arange(len(ordered)) == 0)], inverse


def _hash_table(hashes: array[int], rows: array[int]) -> tuple[npt.NDArray[np.int64], IntArray]:
    h = np.frombuffer(hashes, dtype=np.int64)
    r = np.frombuffer(rows, dtype=np.int32)
    order = np.argsort(h, kind="stable")
    return h[order], r[order]
