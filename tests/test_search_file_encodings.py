"""`search --catalogue FILE` reads a file as `check-catalogue` does (Windows-1258, UTF-16,
BOM, `;`/tab separators, XLSX) and keeps its saved index: the first search builds it, later
ones load it and read only the rows they return, all answering as the catalogue in memory."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest

from planner.catalogue.files import export_xlsx, read_table
from planner.catalogue.model import COLUMNS, Catalogue, Directive
from planner.catalogue.search_file import IndexedFile, index_path, rows_path
from planner.catalogue.user_rows import SHIPPED_CSV
from planner.cli.main import main

SHIPPED = list(Catalogue.from_csv(SHIPPED_CSV))
QUERIES = ("nghị quyết 25", "cong tac van thu", "25-NQ/TW", "Tỉnh ủy chỉ thị", "2020", "dân vận")
_TONES = "\u0300\u0301\u0303\u0309\u0323"


def _cp1258(text: str) -> bytes:
    """As Windows-1258 writes Vietnamese: precomposed letters where the code page has them,
    tone marks as combining characters after the letter."""
    out = bytearray()
    for char in text:
        try:
            out += char.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", char)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
            out += (base + "".join(c for c in parts if c in _TONES)).encode("cp1258")
    return bytes(out)


def _cp1258_ok(d: Directive) -> bool:
    try:
        _cp1258("".join(d.to_row().values()))
    except UnicodeEncodeError:
        return False
    return True


ROWS = [d for d in SHIPPED if _cp1258_ok(d)]


def _text(rows: list[Directive], delimiter: str) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for d in rows:
        cells = d.to_row()
        writer.writerow([cells[c] for c in COLUMNS])
    return buffer.getvalue()


FORMS: dict[str, tuple[str, Callable[[list[Directive]], bytes], str]] = {
    "windows-1258 ;": ("dm.csv", lambda r: _cp1258(_text(r, ";")), "Windows-1258"),
    "utf-16 tab": ("dm.txt", lambda r: _text(r, "\t").encode("utf-16"), "UTF-16"),
    "utf-8 bom": ("dm.csv", lambda r: b"\xef\xbb\xbf" + _text(r, ",").encode("utf-8"), "BOM"),
    "xlsx": ("dm.xlsx", lambda r: export_xlsx(r), "XLSX"),
}


def _answers(source: Catalogue | IndexedFile) -> list[object]:
    return [[(h.directive, h.score, h.match, h.reasons) for h in source.search(q)] for q in QUERIES]


@pytest.mark.parametrize("form", list(FORMS))
def test_a_file_in_any_form_check_catalogue_reads_is_searched_through_its_index(
    form: str, tmp_path: Path
) -> None:
    name, build, encoding = FORMS[form]
    path = tmp_path / name
    path.write_bytes(build(ROWS))
    assert encoding in read_table(path.read_bytes(), name).encoding  # the form meant
    want = _answers(Catalogue(ROWS))
    assert any(want)
    first = IndexedFile.open(path)  # builds and saves the index and the rows
    saved = index_path(path)
    assert saved.exists() and rows_path(saved).exists()
    assert _answers(first) == want
    stamp = saved.stat().st_mtime_ns
    again = IndexedFile.open(path)  # loaded: the rows come from the saved rows file
    assert saved.stat().st_mtime_ns == stamp
    assert _answers(again) == want
    # A Vietnamese title comes back whole, not as mojibake or split tone marks.
    hit = again.search("25-NQ/TW")[0].directive
    assert hit == next(d for d in ROWS if d.id == hit.id)


@pytest.mark.parametrize("form", ["windows-1258 ;", "utf-16 tab"])
def test_cli_search_reads_windows_1258_and_utf16(form: str, tmp_path: Path, capsys) -> None:
    name, build, _ = FORMS[form]
    path = tmp_path / name
    path.write_bytes(build(ROWS))
    want = [h.directive.id for h in Catalogue(ROWS).search("nghị quyết dân vận")]
    for _ in range(2):  # building the index, then through the saved one
        assert main(["search", "nghị quyết dân vận", "--catalogue", str(path), "--json"]) == 0
        got = json.loads(capsys.readouterr().out)
        assert [h["id"] for h in got] == want and want
        assert got[0]["title"] == next(d.title for d in ROWS if d.id == want[0])


def test_a_rows_file_gone_or_stale_rebuilds_the_index(tmp_path: Path) -> None:
    path = tmp_path / "dm.csv"
    path.write_bytes(_cp1258(_text(ROWS, ";")))
    want = _answers(Catalogue(ROWS))
    IndexedFile.open(path)
    rows = rows_path(index_path(path))
    rows.unlink()
    assert _answers(IndexedFile.open(path)) == want and rows.exists()
    rows.write_bytes(b"0:0:old\n" + rows.read_bytes().split(b"\n", 1)[1])
    assert _answers(IndexedFile.open(path)) == want
    assert _answers(IndexedFile.open(path)) == want  # and the rebuilt one loads


def test_missing_columns_are_refused_as_the_other_catalogue_readers_do(
    tmp_path: Path, capsys
) -> None:
    path = tmp_path / "thieu.csv"
    path.write_bytes(_cp1258("id;trích yếu\nx;Đề án\n"))
    plan = tmp_path / "kh.json"
    assert main(["sample", "-o", str(plan)]) == 0
    assert main(["check-plan", str(plan), "--catalogue", str(path)]) == 2
    other = capsys.readouterr().err
    assert main(["search", "x", "--catalogue", str(path)]) == 2
    assert (
        capsys.readouterr().err
        == other
        == "Lỗi: Danh mục văn bản “thieu.csv” thiếu cột: symbol, title.\n"
    )
