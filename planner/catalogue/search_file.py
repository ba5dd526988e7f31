"""Search a large catalogue file through an index saved beside it (`search --catalogue FILE`).

Reading and checking 100,000 rows takes seconds; a search should not. The first search of a
file builds the index (`SearchIndex`) with each row's byte offset in the file and saves it as
`.NAME.search-index.npz` beside the file (or in `fallback_dir` when that folder is read-only).
Later searches load the arrays in milliseconds and read only the rows they return. The index
is rebuilt when the file changes: its stamp is the file's size, modification time and a hash
of its first 64 KiB (header and first rows).
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Collection, Iterator
from pathlib import Path

import numpy as np
import numpy.typing as npt

from planner.catalogue.index import SearchIndex
from planner.catalogue.model import (
    Directive,
    SearchResult,
    build_index,
    directive_from_row,
    load_index,
    run_search,
)
from planner.errors import CatalogueError, os_error_text

INDEX_SUFFIX = ".search-index.npz"
MAX_FILE_BYTES = 512 * 1024 * 1024
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


def _writable(folder: Path) -> bool:
    probe = folder / f".write-test-{id(folder)}"
    try:
        probe.write_bytes(b"")
        probe.unlink()
    except OSError:
        return False
    return True


def _records(data: bytes) -> Iterator[tuple[int, list[str]]]:
    """(byte offset, cells) of each CSV record after the header; offsets point into `data`."""
    start = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    position = start
    lines = data[start:].splitlines(keepends=True)
    consumed = 0

    def feed() -> Iterator[str]:
        nonlocal position, consumed
        for line in lines:
            consumed += 1
            position += len(line)
            yield line.decode("utf-8")

    reader = csv.reader(feed())
    next(reader, None)  # header
    while True:
        offset = position
        try:
            record = next(reader)
        except StopIteration:
            return
        yield offset, record


class IndexedFile:
    """A catalogue file and its saved index; `search` answers like `Catalogue.search`."""

    def __init__(self, path: Path, index: SearchIndex, offsets: npt.NDArray[np.int64]) -> None:
        self.path = path
        self.index = index
        self.offsets = offsets
        self._header: list[str] | None = None

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
            index = load_index(saved, stamp)
            if index is not None and "offsets" in index.extra:
                return cls(path, index, index.extra["offsets"])
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
        rows, offsets = _parse(data, path.name)
        index = build_index(rows)
        array = np.array(offsets, dtype=np.int64)
        if file_stamp(path) == stamp:  # not changed while we read it
            saved.parent.mkdir(parents=True, exist_ok=True)
            try:
                index.save(saved, stamp, {"offsets": array})
            except OSError:
                pass  # a read-only place: this search still answers, the next builds again
        return cls(path, index, array)

    def row(self, i: int) -> Directive:
        """Row `i` of the index, read from the file at its offset."""
        with self.path.open("rb") as f:
            if self._header is None:
                first = f.readline().decode("utf-8-sig")
                self._header = next(csv.reader(io.StringIO(first)))
            f.seek(int(self.offsets[i]))
            text = f.readline().decode("utf-8")
            while text.count('"') % 2:  # a quoted cell spans lines
                more = f.readline()
                if not more:
                    break
                text += more.decode("utf-8")
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
            {},
            query,
            limit=limit,
            filters=(doc_type, issuer_level, year_from, year_to, status),
        )


def _parse(data: bytes, name: str) -> tuple[list[Directive], list[int]]:
    """Directives of a catalogue CSV and the byte offset of each; a later row with the same id
    replaces an earlier one (as `Catalogue` does)."""
    try:
        head = data[:_HEAD_BYTES].decode("utf-8-sig", errors="ignore").splitlines()[:1]
        header = next(csv.reader(head), []) if head else []
        missing = [c for c in ("id", "symbol", "title") if c not in header]
        if missing:
            raise CatalogueError(f"Danh mục văn bản “{name}” thiếu cột: {', '.join(missing)}.")
        found: dict[str, tuple[Directive, int]] = {}
        for line, (offset, cells) in enumerate(_records(data), start=2):
            try:
                d = directive_from_row(dict(zip(header, cells, strict=False)))
            except ValueError as err:
                raise CatalogueError(
                    f"Danh mục văn bản (tệp {name}, dòng {line}): {err}."
                ) from None
            found[d.id] = (d, offset)
    except UnicodeDecodeError:
        raise CatalogueError(
            f"Danh mục văn bản “{name}” không phải UTF-8; hãy lưu lại dạng CSV UTF-8."
        ) from None
    except csv.Error:
        raise CatalogueError(f"Danh mục văn bản “{name}” không đọc được dạng CSV.") from None
    return [d for d, _ in found.values()], [o for _, o in found.values()]
