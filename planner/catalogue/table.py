"""The rows of a catalogue held column by column, so that a million rows fit in little memory.

A `Catalogue` of a million frozen `Directive` objects costs over a gigabyte (an object, a
date and a dozen string objects per row). A `RowTable` keeps each text field as one UTF-8
buffer of distinct values plus an int32 code per row, and the issue date as an int32 ordinal;
a `Directive` is made only for the rows a caller asks for (the hits of a search).

- `TextColumn`: values appended one by one; a value seen among the last `RECENT` distinct
  values is stored once (issuers, types, statuses, topics repeat across rows), any other is
  added to the buffer. `value(code)`, `codes()`, `lengths()`.
- `RowTable`: one `TextColumn` per text field (list fields joined by a newline, which no
  item holds), `ordinals()`, `values(i)` (the fields of row i in `Directive` order),
  `find(id)` (the row of an id through a sorted array of hashes) and `deduplicated()` (a
  later row with the same id replaces the earlier one in its place).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Sequence
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from planner.catalogue.model import Directive

IntArray = npt.NDArray[np.int32]

# Directive's fields in order; `issued` is a date, the list fields are tuples of strings.
FIELDS = (
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
LIST_FIELDS = frozenset({"aliases", "amends", "topics"})
TEXT_FIELDS = tuple(f for f in FIELDS if f != "issued")
RECENT = 65_536  # distinct values remembered for sharing while a column is filled
_LIST_SEP = "\n"  # list items are single lines (`split_list` splits on newlines)


class TextColumn:
    """Strings of one field: distinct values in one UTF-8 buffer, an int32 code per row."""

    __slots__ = ("_buf", "_codes", "_ends", "_recent")

    def __init__(self) -> None:
        self._buf = bytearray()
        self._ends = array("q")  # end offset of each distinct value in `_buf`
        self._codes = array("i")
        self._recent: dict[str, int] | None = {}

    def __len__(self) -> int:
        return len(self._codes)

    def append(self, value: str) -> None:
        recent = self._recent
        if recent is None:
            raise ValueError("column already finished")
        code = recent.get(value)
        if code is None:
            if len(recent) >= RECENT:
                recent.clear()
            self._buf += value.encode("utf-8", "surrogatepass")
            code = len(self._ends)
            self._ends.append(len(self._buf))
            recent[value] = code
        self._codes.append(code)

    def finish(self) -> None:
        """No more rows: drop the sharing table (its strings) to free memory."""
        self._recent = None

    def value(self, code: int) -> str:
        start = self._ends[code - 1] if code else 0
        return self._buf[start : self._ends[code]].decode("utf-8", "surrogatepass")

    def __getitem__(self, row: int) -> str:
        return self.value(self._codes[row])

    def texts(self, start: int, stop: int) -> list[str]:
        """The values of rows `start` to `stop` (exclusive)."""
        value = self.value
        return [value(c) for c in self._codes[start:stop]]

    def codes(self) -> IntArray:
        """The code of every row (a view while the column is not appended to)."""
        return np.frombuffer(self._codes, dtype=np.int32) if len(self._codes) else _NO_INTS

    def distinct(self) -> int:
        return len(self._ends)

    def lengths(self) -> npt.NDArray[np.int64]:
        """Byte length of each distinct value."""
        ends = np.frombuffer(self._ends, dtype=np.int64) if len(self._ends) else _NO_LONGS
        return np.diff(ends, prepend=np.int64(0))

    def nbytes(self) -> int:
        return len(self._buf) + 8 * len(self._ends) + 4 * len(self._codes)


_NO_INTS: IntArray = np.zeros(0, dtype=np.int32)
_NO_LONGS: npt.NDArray[np.int64] = np.zeros(0, dtype=np.int64)


class RowTable:
    """Catalogue rows column by column (see the module docstring)."""

    def __init__(self) -> None:
        self.columns = {name: TextColumn() for name in TEXT_FIELDS}
        self._ordinals = array("i")
        self._hashes = array("q")
        self._id_hash: npt.NDArray[np.int64] = _NO_LONGS
        self._id_rows: IntArray = _NO_INTS
        self._finished = False

    @classmethod
    def of(cls, directives: Iterable[Directive]) -> RowTable:
        """A finished table of `directives` (ids not yet deduplicated)."""
        table = cls()
        for d in directives:
            table.append(d)
        table.finish()
        return table

    def __len__(self) -> int:
        return len(self._ordinals)

    def append(self, d: Directive) -> None:
        columns = self.columns
        for name in TEXT_FIELDS:
            value = getattr(d, name)
            columns[name].append(_LIST_SEP.join(value) if name in LIST_FIELDS else value)
        self._ordinals.append(d.issued.toordinal() if d.issued else 0)
        self._hashes.append(hash(d.id))

    def finish(self) -> None:
        """No more rows: free the sharing tables and index the ids."""
        for column in self.columns.values():
            column.finish()
        hashes = np.frombuffer(self._hashes, dtype=np.int64) if len(self._hashes) else _NO_LONGS
        order = np.argsort(hashes, kind="stable").astype(np.int32)
        self._id_hash, self._id_rows = hashes[order], order
        self._hashes = array("q")
        self._finished = True

    # ------------------------------------------------------------------ access
    def text(self, name: str, row: int) -> str:
        return self.columns[name][row]

    def items(self, name: str, row: int) -> tuple[str, ...]:
        """A list field of row `row` as a tuple."""
        text = self.columns[name][row]
        return tuple(text.split(_LIST_SEP)) if text else ()

    def ordinals(self) -> IntArray:
        """Issue date of every row as a proleptic ordinal (0: undated)."""
        return np.frombuffer(self._ordinals, dtype=np.int32) if len(self._ordinals) else _NO_INTS

    def issued(self, row: int) -> date | None:
        ordinal = self._ordinals[row]
        return date.fromordinal(ordinal) if ordinal else None

    def values(self, row: int) -> tuple[Any, ...]:
        """The fields of row `row`, in `Directive` order."""
        out: list[Any] = []
        for name in FIELDS:
            if name == "issued":
                out.append(self.issued(row))
            elif name in LIST_FIELDS:
                out.append(self.items(name, row))
            else:
                out.append(self.columns[name][row])
        return tuple(out)

    def rows_with_id(self, ident: str) -> list[int]:
        """Rows whose id is `ident`, in row order."""
        h = hash(ident)
        lo = int(np.searchsorted(self._id_hash, h, side="left"))
        hi = int(np.searchsorted(self._id_hash, h, side="right"))
        ids = self.columns["id"]
        return sorted(int(r) for r in self._id_rows[lo:hi] if ids[int(r)] == ident)

    def find(self, ident: str) -> int | None:
        found = self.rows_with_id(ident)
        return found[0] if found else None

    def nbytes(self) -> int:
        """Memory held by the rows (buffers and arrays), in bytes."""
        fixed = 4 * len(self._ordinals) + self._id_hash.nbytes + self._id_rows.nbytes
        return fixed + sum(c.nbytes() for c in self.columns.values())

    # ------------------------------------------------------------------ duplicates
    def duplicate_groups(self) -> list[list[int]]:
        """Rows sharing an id (each group in row order); usually none."""
        h = self._id_hash
        if len(h) < 2:
            return []
        same = np.flatnonzero(h[1:] == h[:-1])
        if not len(same):
            return []
        groups: list[list[int]] = []
        seen: set[int] = set()
        for k in same.tolist():
            value = int(h[k])
            if value in seen:
                continue
            seen.add(value)
            lo = int(np.searchsorted(h, value, side="left"))
            hi = int(np.searchsorted(h, value, side="right"))
            by_id: dict[str, list[int]] = {}
            for r in sorted(int(x) for x in self._id_rows[lo:hi]):
                by_id.setdefault(self.columns["id"][r], []).append(r)
            groups.extend(g for g in by_id.values() if len(g) > 1)
        return groups

    def kept_rows(self) -> Sequence[int] | None:
        """For a table with repeated ids: the row kept in each place (a later row with the
        same id replaces the first one, in the first one's place); None when ids are unique."""
        groups = self.duplicate_groups()
        if not groups:
            return None
        place = list(range(len(self)))
        dropped: set[int] = set()
        for group in groups:
            place[group[0]] = group[-1]
            dropped.update(group[1:])
        return [p for k, p in enumerate(place) if k not in dropped]
