"""Search a large catalogue file through an index saved beside it (`search --catalogue FILE`).

Reading and checking 100,000 rows takes seconds; a search should not. The first search of a
file reads it with the reader every catalogue file goes through (`planner.catalogue.files.
read_table` with `planner.text.decode`: UTF-8 with or without BOM, UTF-16, Windows-1258, `;`
or tab separators, XLSX; the columns `id`, `symbol`, `title`… as `check-catalogue` reads
them), builds the index (`SearchIndex`) and saves it as `.NAME.search-index.npz` beside the
file (or in `fallback_dir` when that folder is read-only), with the rows as read in
`.NAME.search-rows.csv` (UTF-8) and each row's byte offset there. Later searches load the
arrays in milliseconds and read only the rows they return. Both are rebuilt when the file
changes: their stamp is the file's size, modification time and a hash of its first 64 KiB.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
from collections.abc import Collection, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from planner.catalogue.files import read_table
from planner.catalogue.index import SearchIndex
from planner.catalogue.model import (
    Directive,
    SearchResult,
    build_index,
    directive_from_row,
    load_index,
    run_search,
)
from planner.catalogue.table import RowTable
from planner.errors import CatalogueError, os_error_text

INDEX_SUFFIX = ".search-index.npz"
ROWS_SUFFIX = ".search-rows.csv"
MAX_FILE_BYTES = 512 * 1024 * 1024
MAX_ROWS = 10_000_000  # a search reads any file within the size limit
NEEDED = ("id", "symbol", "title")  # as every `--catalogue` reader
_HEAD_BYTES = 64 * 1024


def file_stamp(path: Path) -> str:
    """Size, modification time (ns) and a hash of the first 64 KiB of `path`."""
    st = path.stat()
    with path.open("rb") as f:
        head = hashlib.sha256(f.read(_HEAD_BYTES)).hexdigest()[:32]
    return f"{st.st_size}:{st.st_mtime_ns}:{head}"


def index_path(path: Path, fallback_dir: Path | None = None) -> Path:
    """Where the index of `path` lives: beside it, or in `fallback_dir` (named by a hash of
    the file's full path) when the file's folder cannot be written."""
    beside = path.with_name(f".{path.name}{INDEX_SUFFIX}")
    if fallback_dir is None or _writable(path.parent):
        return beside
    digest = hashlib.sha256(str(path.resolve()).encode()).hexdigest()[:24]
    return fallback_dir / f"{path.stem}-{digest}{INDEX_SUFFIX}"


def rows_path(index: Path) -> Path:
    """The rows file saved with the index at `index`."""
    return index.with_name(index.name.removesuffix(INDEX_SUFFIX) + ROWS_SUFFIX)


def _writable(folder: Path) -> bool:
    probe = folder / f".write-test-{id(folder)}"
    try:
        probe.write_bytes(b"")
        probe.unlink()
    except OSError:
        return False
    return True


def _csv_line(cells: Sequence[str]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(cells)
    return buffer.getvalue().encode("utf-8", "surrogatepass")


def _rows_current(path: Path, stamp: str) -> bool:
    """True when the rows file at `path` was written for `stamp` (its first line)."""
    try:
        with path.open("rb") as f:
            return f.readline() == _csv_line([stamp])
    except OSError:
        return False


class IndexedFile:
    """A catalogue file and its saved index; `search` answers like `Catalogue.search`."""

    def __init__(
        self,
        path: Path,
        index: SearchIndex,
        offsets: npt.NDArray[np.int64],
        rows_file: Path,
        headers: Sequence[str] = (),
        rows: RowTable | None = None,
    ) -> None:
        self.path = path
        self.index = index
        self.offsets = offsets
        self.rows_file = rows_file
        self._header: list[str] | None = list(headers) if headers else None
        self._rows = rows  # built in this call: rows at hand (the saved files may be missing)

    @classmethod
    def open(
        cls,
        path: str | Path,
        *,
        fallback_dir: Path | None = None,
        max_bytes: int = MAX_FILE_BYTES,
    ) -> IndexedFile:
        """The file's saved index if it is current, else a new one built and saved."""
        path = Path(path)
        try:
            stamp = file_stamp(path)
            saved = index_path(path, fallback_dir)
            rows_file = rows_path(saved)
            index = load_index(saved, stamp)
            if index is not None and "offsets" in index.extra and _rows_current(rows_file, stamp):
                return cls(path, index, index.extra["offsets"], rows_file)
            if path.stat().st_size > max_bytes:
                raise CatalogueError(
                    f"Danh mục văn bản “{path.name}” quá lớn (tối đa "
                    f"{max_bytes // 1024 // 1024} MB)."
                )
            data = path.read_bytes()
        except OSError as err:
            raise CatalogueError(
                f"Không đọc được danh mục văn bản “{path.name}”: {os_error_text(err)}."
            ) from None
        headers, kept = _parse(data, path.name, max_bytes)
        del data
        rows = RowTable.of(d for d, _ in kept)
        index = build_index(rows)
        lines = [_csv_line([stamp]), _csv_line(headers)]
        offsets: list[int] = []
        position = sum(map(len, lines))
        for _, cells in kept:
            line = _csv_line(cells)
            offsets.append(position)
            position += len(line)
            lines.append(line)
        del kept
        array = np.array(offsets, dtype=np.int64)
        if file_stamp(path) == stamp:  # not changed while we read it
            try:
                saved.parent.mkdir(parents=True, exist_ok=True)
                partial = rows_file.with_name(rows_file.name + ".partial")
                with partial.open("wb") as f:
                    f.writelines(lines)
                os.replace(partial, rows_file)
                index.save(saved, stamp, {"offsets": array})
            except OSError:
                pass  # a read-only place: this search still answers, the next builds again
        return cls(path, index, array, rows_file, headers, rows)

    def row(self, i: int) -> Directive:
        """Row `i` of the index: at hand when built in this call, else read from the rows
        file at its offset."""
        if self._rows is not None:
            return Directive(*self._rows.values(i))
        try:
            with self.rows_file.open("rb") as f:
                if self._header is None:
                    f.readline()  # the stamp
                    first = f.readline().decode("utf-8", "surrogatepass")
                    self._header = next(csv.reader(io.StringIO(first)))
                f.seek(int(self.offsets[i]))
                text = f.readline().decode("utf-8", "surrogatepass")
                while text.count('"') % 2:  # a quoted cell spans lines
                    more = f.readline()
                    if not more:
                        break
                    text += more.decode("utf-8", "surrogatepass")
        except OSError as err:
            raise CatalogueError(
                f"Không đọc được chỉ mục tìm kiếm của danh mục “{self.path.name}” "
                f"({os_error_text(err)}); hãy tìm lại để chỉ mục được tạo lại."
            ) from None
        cells = next(csv.reader(io.StringIO(text)))
        return directive_from_row(dict(zip(self._header, cells, strict=False)))

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
        """As `Catalogue.search`; `cited_ids` are not used (the file's ids are not loaded)."""
        del cited_ids
        return run_search(
            self.index,
            self.row,
            lambda _ident: None,
            query,
            limit=limit,
            filters=(doc_type, issuer_level, year_from, year_to, status),
        )


def _parse(
    data: bytes, name: str, max_bytes: int
) -> tuple[list[str], list[tuple[Directive, tuple[str, ...]]]]:
    """The file's headers and its directives, each with its cells as read; a later row with
    the same id replaces an earlier one (as `Catalogue` does)."""
    table = read_table(data, name, max_bytes=max_bytes, max_rows=MAX_ROWS)
    missing = [c for c in NEEDED if c not in table.headers]
    if missing:
        raise CatalogueError(f"Danh mục văn bản “{name}” thiếu cột: {', '.join(missing)}.")
    found: dict[str, tuple[Directive, tuple[str, ...]]] = {}
    for n, cells in enumerate(table.rows):
        try:
            d = directive_from_row(dict(zip(table.headers, cells, strict=False)))
        except ValueError as err:
            raise CatalogueError(
                f"Danh mục văn bản (tệp {name}, dòng {table.line(n)}): {err}."
            ) from None
        found[d.id] = (d, cells)
    return list(table.headers), list(found.values())
