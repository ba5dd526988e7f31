"""The search index behind `Catalogue.search` (see planner/catalogue/model.py for the behaviour).

Built once per catalogue: symbol keys (any spelling), loose symbol keys (parts in any order),
numbers, type codes, an inverted word index (posting lists turned into sets on first use),
a one-deletion index for typos (SymSpell style) and the newest-first order for ties.
Folding is done in bulk (`fold_many`) so 100,000 rows index in about a second or two.
"""

from __future__ import annotations

import bisect
import heapq
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from rapidfuzz.distance import OSA

from planner.text.fold import (
    fold,
    fold_many,
    norm_number,
    strip_number_zeros,
    tokens,
    words_only,
)

if TYPE_CHECKING:
    from planner.catalogue.model import Directive

TIER_EXACT_SYMBOL = 1000.0
TIER_LOOSE_SYMBOL = 900.0
TIER_NUMBER_TYPE = 600.0
TIER_NUMBER = 300.0
WORDS_WEIGHT = 100.0
PHRASE_BONUS = 20.0
MAX_SCORED = 400  # rows matching every word that are scored in full (newest first)

_TOKEN = re.compile(r"[a-z0-9]+")
_NUMBER = re.compile(r"\d+[a-z]?")
_YEAR = re.compile(r"(?:19|20)\d\d")
_DIGIT_TOKEN = re.compile(r"(?<![a-z0-9])\d[a-z0-9]*")
_DATE = re.compile(r"(?<![\d/])(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})(?![\d/])")
_DATE_WORDS = re.compile(r"ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})")
_ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_CHUNK = re.compile(r"[a-z0-9]+(?:[/\-][a-z0-9]+)+")
_SEPARATOR_SPACES = re.compile(r"\s*([/\-])\s*")
# Words a query carries that say nothing about which document is meant.
FILLER = frozenset({"so", "ngay", "thang", "nam", "cua", "ve", "viec", "va", "cac", "ky", "hieu"})


@dataclass(frozen=True)
class Query:
    """A query taken apart: words, numbers, type codes, symbol keys, dates and years."""

    words: tuple[str, ...]
    numbers: tuple[str, ...]
    types: frozenset[str]
    symbol_keys: tuple[str, ...]
    loose_keys: tuple[str, ...]
    dates: tuple[date, ...]
    years: tuple[int, ...]
    last_is_prefix: bool

    @property
    def empty(self) -> bool:
        return not (self.words or self.numbers or self.symbol_keys or self.years or self.dates)


def parse_query(
    query: str, type_names: dict[str, str], type_codes: dict[str, tuple[str, ...]]
) -> Query:
    """Take a query apart. `type_names`: folded type name -> code; `type_codes`: code or
    abbreviation -> the codes it stands for."""
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
    last_is_prefix = bool(text.strip()) and text[-1:].isalnum() and not query[-1:].isspace()
    joined = _SEPARATOR_SPACES.sub(r"\1", text)
    symbol_keys: list[str] = []
    loose_keys: list[str] = []
    for chunk in _CHUNK.findall(strip_number_zeros(joined)):
        parts = _TOKEN.findall(chunk)
        symbol_keys.append(" ".join(parts))
        loose_keys.append(" ".join(sorted(parts)))
    types: set[str] = set()
    for name, code in type_names.items():
        if re.search(rf"(?<![a-z]){re.escape(name)}(?![a-z])", text):
            types.add(code)
    words: list[str] = []
    numbers: list[str] = []
    years: list[int] = []
    for token in tokens(text):
        if token in type_codes:
            types.update(type_codes[token])
        if len(token) == 4 and _YEAR.fullmatch(token):
            years.append(int(token))
            continue
        if _NUMBER.fullmatch(token):
            token = norm_number(token)
            numbers.append(token)
        words.append(token)
    return Query(
        words=tuple(words),
        numbers=tuple(dict.fromkeys(numbers)),
        types=frozenset(types),
        symbol_keys=tuple(dict.fromkeys(symbol_keys)),
        loose_keys=tuple(dict.fromkeys(loose_keys)),
        dates=tuple(dates),
        years=tuple(years),
        last_is_prefix=last_is_prefix,
    )


class SearchIndex:
    """Index over `rows`; `search` returns `(score, row index)` pairs, best first."""

    def __init__(
        self,
        rows: Sequence[Directive],
        type_names: dict[str, str],
        type_codes: dict[str, tuple[str, ...]],
    ) -> None:
        self.rows = rows
        self.type_names = type_names
        self.type_codes = type_codes
        n = len(rows)
        # Symbols as space-separated keys ("25 nq tw"), aliases after "\x02"; titles as words.
        keys_text = words_only(
            strip_number_zeros(
                "\x00".join(fold_many(["\x02".join((d.symbol, *d.aliases)) for d in rows]))
            )
        )
        self.symbol_keys = keys_text.split("\x00")
        shapes = _DIGIT_TOKEN.sub("", keys_text).split("\x00")
        self.titles = fold_many([d.title for d in rows])
        title_words = words_only("\x00".join(self.titles)).split("\x00")
        symbol_index: defaultdict[str, list[int]] = defaultdict(list)
        number_index: defaultdict[str, list[int]] = defaultdict(list)
        postings: defaultdict[str, list[int]] = defaultdict(list)
        # Type, issuer, topics and the letters of the symbol repeat across rows: their words
        # are computed once per distinct combination and added to the postings in bulk.
        groups: dict[tuple[str, str, tuple[str, ...], str], tuple[frozenset[str], list[int]]] = {}
        group_words: dict[tuple[str, str, tuple[str, ...], str], frozenset[str]] = {}
        self.types: list[frozenset[str]] = [frozenset()] * n
        self.years = [0] * n
        for i, d in enumerate(rows):
            keys = self.symbol_keys[i]
            if "\x02" in keys:
                for alias in keys.split("\x02"):
                    if alias.strip():
                        symbol_index[" ".join(alias.split())].append(i)
                keys = keys.replace("\x02", " ")
            elif keys:
                symbol_index[" ".join(keys.split())].append(i)
            number = d.number
            if number:
                if not number.isdigit():
                    number = (number if number.isascii() else fold(number)).lower()
                    number = number.replace(" ", "")
                if number[:1] == "0":
                    number = norm_number(number)
                number_index[number].append(i)
            key = (d.doc_type, d.issuer, d.topics, shapes[i])
            group = groups.get(key)
            if group is None:
                codes, words = self._group_words(key)
                group = groups[key] = (codes, [])
                group_words[key] = words
            group[1].append(i)
            self.types[i] = group[0]
            if d.issued:
                self.years[i] = d.issued.year
            row_words = set(title_words[i].split())
            row_words.update(keys.split())
            if number:
                row_words.add(number)
            for word in row_words:
                postings[word].append(i)
        for key, (_codes, members) in groups.items():
            for word in group_words[key]:
                postings[word].extend(members)
        self.symbol_index = dict(symbol_index)
        self.number_index = dict(number_index)
        self._posting_lists = dict(postings)
        self._posting_sets: dict[str, frozenset[int]] = {}
        self.vocab = sorted(self._posting_lists)
        deletes: defaultdict[str, list[str]] = defaultdict(list)
        for word in self.vocab:
            if len(word) >= 3 and not word[0].isdigit():
                for k in range(len(word)):
                    deletes[word[:k] + word[k + 1 :]].append(word)
        self.deletes = dict(deletes)
        ordinals = [-(d.issued or date.min).toordinal() for d in rows]
        self.order = sorted(range(n), key=ordinals.__getitem__)  # newest first, stable
        self.rank = [0] * n
        for position, i in enumerate(self.order):
            self.rank[i] = position

    def _group_words(
        self, key: tuple[str, str, tuple[str, ...], str]
    ) -> tuple[frozenset[str], frozenset[str]]:
        """(type codes, words) shared by rows of one type, issuer, topics and symbol letters."""
        doc_type, issuer, topics, letters = key
        code = self.type_names.get(fold(doc_type))
        codes = {code} if code else set()
        letter_parts = set(_TOKEN.findall(letters))
        for part in letter_parts & self.type_codes.keys():
            codes.update(self.type_codes[part])
        words = set(_TOKEN.findall(fold(f"{doc_type} {issuer} {' '.join(topics)}")))
        words |= letter_parts | codes
        return frozenset(codes), frozenset(words)

    # ------------------------------------------------------------------ helpers
    def posting(self, word: str) -> frozenset[int] | None:
        found = self._posting_sets.get(word)
        if found is None:
            raw = self._posting_lists.get(word)
            if raw is None:
                return None
            found = self._posting_sets[word] = frozenset(raw)
        return found

    def near(self, word: str) -> set[str]:
        """Vocabulary words one edit (missing, extra, wrong or swapped letter) from `word`."""
        candidates = set(self.deletes.get(word, ()))
        for k in range(len(word)):
            shorter = word[:k] + word[k + 1 :]
            if shorter in self._posting_lists:
                candidates.add(shorter)
            candidates.update(self.deletes.get(shorter, ()))
        return {c for c in candidates if OSA.distance(word, c, score_cutoff=1) <= 1}

    def _expand(self, word: str, prefix: bool) -> _WordRows | None:
        """The rows a query word stands for: its own, or those of longer or near words."""
        exact = self.posting(word)
        if exact is not None:
            return _WordRows(exact, [], 1.0)
        approx: list[frozenset[int]] = []
        weight = 0.7
        if prefix and len(word) >= 2:
            start = bisect.bisect_left(self.vocab, word)
            for candidate in self.vocab[start : start + 60]:
                if not candidate.startswith(word):
                    break
                approx.append(self.posting(candidate) or frozenset())
            if approx:
                weight = 0.85
        if len(word) >= 3 and not word[0].isdigit():
            approx.extend(self.posting(c) or frozenset() for c in self.near(word))
        return _WordRows(None, approx, weight) if approx else None

    def newest(self, rows: set[int] | frozenset[int], count: int) -> set[int]:
        """The `count` newest of `rows` without sorting all of them."""
        if len(rows) < 4 * count:
            return set(sorted(rows, key=self.rank.__getitem__)[:count])
        picked: set[int] = set()
        for i in self.order:
            if i in rows:
                picked.add(i)
                if len(picked) >= count:
                    break
        return picked

    # ------------------------------------------------------------------ search
    def search(
        self, q: Query, accept: Callable[[int], bool], limit: int
    ) -> list[tuple[float, int]]:
        scores: dict[int, float] = {}

        def lift(indexes: Sequence[int] | list[int], amount: float) -> None:
            for i in indexes:
                if scores.get(i, -1.0) < amount:
                    scores[i] = amount

        for key in q.symbol_keys:
            lift(self.symbol_index.get(key, ()), TIER_EXACT_SYMBOL)
        for key in q.loose_keys:  # the parts of a symbol in another order
            parts = key.split()
            numbers = [p for p in parts if p[0].isdigit()]
            for i in self.number_index.get(numbers[0], ()) if numbers else ():
                keys = self.symbol_keys[i].replace("\x02", " ").split()
                if sorted(keys) == parts or any(
                    sorted(alias.split()) == parts for alias in self.symbol_keys[i].split("\x02")
                ):
                    lift((i,), TIER_LOOSE_SYMBOL)
        for number in q.numbers:
            matches = self.number_index.get(number, [])
            if q.types:
                lift([i for i in matches if self.types[i] & q.types], TIER_NUMBER_TYPE)
            lift(matches, TIER_NUMBER)
        for i, value in self._word_scores(q, limit, set(scores)).items():
            scores[i] = scores.get(i, 0.0) + value
        if not scores and (q.years or q.dates) and not q.words:
            wanted = set(q.years) | {d.year for d in q.dates}
            pool = [i for i in self.order if self.years[i] in wanted]
            scores = {i: 0.0 for i in pool[: max(limit * 20, 200)]}
        phrase = " ".join(q.words)
        hits = []
        for i, base in scores.items():
            if not accept(i):
                continue
            score = base + self._date_adjust(i, q)
            if len(q.words) > 1 and phrase in self.titles[i]:
                score += PHRASE_BONUS
            if score > 0 or base == 0.0:
                hits.append((score, i))
        rank = self.rank
        return heapq.nsmallest(limit, hits, key=lambda h: (-h[0], rank[h[1]]))

    def _date_adjust(self, i: int, q: Query) -> float:
        if not (q.dates or q.years):
            return 0.0
        issued = self.rows[i].issued
        if issued is None:
            return -50.0
        if q.dates:
            return 150.0 if issued in q.dates else -150.0
        if issued.year in q.years or any(f" {y} " in f" {self.symbol_keys[i]} " for y in q.years):
            return 100.0
        return -100.0

    def _word_scores(self, q: Query, limit: int, already: set[int]) -> dict[int, float]:
        """Scores for the query's words: rows holding all of them first, then most of them."""
        words = list(dict.fromkeys(q.words))
        meaningful = [w for w in words if w not in FILLER] or words
        if not meaningful:
            return {}
        groups = []
        for n, word in enumerate(meaningful):
            prefix = q.last_is_prefix and n == len(meaningful) - 1
            found = self._expand(word, prefix)
            if found is not None:
                groups.append(found)
        if not groups:
            return {}
        total = len(meaningful)
        ordered = sorted(groups, key=lambda g: g.size)
        matched: frozenset[int] | set[int] = ordered[0].rows()
        full = len(groups) == total  # every word of the query is held by the matched rows
        for group in ordered[1:]:
            narrowed = group.within(matched)
            if narrowed:
                matched = narrowed
            else:
                full = False
        candidates: set[int] = set(matched)
        if len(candidates) > MAX_SCORED:
            candidates = self.newest(candidates, MAX_SCORED) | (candidates & already)
        candidates |= already

        def weigh_all(rows: set[int]) -> dict[int, float]:
            values = dict.fromkeys(rows, 0.0)
            for group in groups:
                for i in group.within(rows):
                    values[i] += group.weight_of(i)
            return {i: WORDS_WEIGHT * v / total for i, v in values.items()}

        result = weigh_all(candidates)
        if len(result) < limit and len(groups) > 1:
            # Too few rows hold every word: add rows holding most of them (newest first).
            floor = WORDS_WEIGHT * (0.74 if full else 0.5)
            extra: set[int] = set()
            for group in ordered:
                extra |= self.newest(set(group.rows()).difference(result), limit * 4)
            for i, value in weigh_all(extra).items():
                if value >= floor:
                    result[i] = value
        return result


class _WordRows:
    """The rows holding one query word: exactly (weight 1) or through longer or near words
    (their posting sets kept apart, so that narrowing never builds a large union)."""

    __slots__ = ("_union", "approx", "exact", "size", "weight")

    def __init__(
        self, exact: frozenset[int] | None, approx: list[frozenset[int]], weight: float
    ) -> None:
        self.exact = exact
        self.approx = approx
        self.weight = weight
        self.size = len(exact) if exact is not None else sum(len(p) for p in approx)
        self._union: frozenset[int] | None = exact

    def rows(self) -> frozenset[int]:
        if self._union is None:
            self._union = frozenset().union(*self.approx)
        return self._union

    def within(self, rows: set[int] | frozenset[int]) -> set[int]:
        """The rows of `rows` that hold the word."""
        if self.exact is not None:
            return set(self.exact & rows)
        if self._union is not None or len(rows) * 4 > self.size:
            return set(self.rows() & rows)
        found: set[int] = set()
        for posting in self.approx:
            found |= posting & rows
        return found

    def weight_of(self, _i: int) -> float:
        return 1.0 if self.exact is not None else self.weight
