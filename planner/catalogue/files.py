"""Catalogue files: validation, reading CSV/XLSX in the forms offices have, column mapping, export.

- `check_catalogue(rows, ...) -> list[Finding(row, column, message)]`: every problem, by row
  (`row` is the line as a spreadsheet shows it: 1 is the header, 2 the first data row).
- `read_table(data, name) -> Table`: CSV in UTF-8 with or without BOM, UTF-16 with tabs
  (Excel's "Unicode Text"), `;` or tab separators, Windows-1258/1252 as a last resort (with a
  note saying so), and XLSX. Oversized files or fields are refused in Vietnamese, naming the file.
- `guess_mapping(headers)` and `apply_mapping(table, mapping)`: files with other column names
  (Vietnamese headers such as "Số ký hiệu", "Ngày ban hành", "Trích yếu") are mapped, not refused.
- `export_csv(directives)` (UTF-8 with BOM, safe against formula injection), `export_xlsx`.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

from planner.catalogue.citation import party_form
from planner.catalogue.model import (
    COLUMNS,
    DOC_TYPES,
    ISSUER_LEVEL_LABELS,
    ISSUER_LEVELS,
    MAX_FIELD,
    STATUS_LABELS,
    STATUSES,
    Directive,
    parse_date,
    split_list,
)
from planner.errors import InputFileError
from planner.text.decode import decode_csv, guess_delimiter
from planner.text.fold import fold, norm_number, symbol_key, symbol_parts, tokens

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
MAX_XLSX_UNCOMPRESSED = 60 * 1024 * 1024
_ID = re.compile(r"[a-z0-9][a-z0-9._-]*")


@dataclass(frozen=True)
class Finding:
    """One problem: the spreadsheet row (1 = header), the column, a Vietnamese message."""

    row: int
    column: str
    message: str

    def text(self) -> str:
        where = "tiêu đề" if self.row == 1 else f"dòng {self.row}"
        column = f", cột {self.column}" if self.column else ""
        return f"{where}{column}: {self.message}"


@dataclass(frozen=True)
class Table:
    """A file read as text cells: its headers, its rows, and how it was read."""

    name: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    encoding: str = ""
    delimiter: str = ""
    note: str = ""
    lines: tuple[int, ...] = ()  # each row's line as a spreadsheet shows it (blank rows skipped)

    def line(self, index: int) -> int:
        """The spreadsheet line of `rows[index]` (1 is the header)."""
        return self.lines[index] if index < len(self.lines) else index + 2


# ----------------------------------------------------------------------------- validation
def check_catalogue(
    rows: Sequence[Mapping[str, str]],
    *,
    columns: Sequence[str] | None = None,
    known_ids: Iterable[str] = (),
    require_id: bool = True,
) -> list[Finding]:
    """Every problem in catalogue rows (dicts of strings keyed by DESIGN.md's column names).

    `columns` is the file's header (to report missing columns); `known_ids` are ids that
    relations may point to besides the rows themselves (the catalogue an import joins).
    """
    findings: list[Finding] = []
    if columns is not None:
        needed = [c for c in COLUMNS if c != "id" or require_id]
        missing = [c for c in needed if c not in columns]
        if missing:
            findings.append(Finding(1, ", ".join(missing), "thiếu cột"))
    ids = {str(r.get("id") or "").strip() for r in rows} | set(known_ids)
    seen_ids: dict[str, int] = {}
    seen_keys: dict[tuple[str, str], int] = {}
    for n, row in enumerate(rows, start=2):

        def cell(name: str, _row: Mapping[str, str] = row) -> str:
            value = _row.get(name)
            return "" if value is None else str(value).strip()

        def add(column: str, message: str, _n: int = n) -> None:
            findings.append(Finding(_n, column, message))

        for name in COLUMNS:
            if len(cell(name)) > MAX_FIELD:
                add(name, f"dài quá {MAX_FIELD} ký tự")
        ident = cell("id")
        if not ident:
            if require_id:
                add("id", "trống")
        elif not _ID.fullmatch(ident):
            add("id", f"“{ident}” chỉ nên gồm chữ thường không dấu, số và dấu gạch ngang")
        elif ident in seen_ids:
            add("id", f"“{ident}” trùng với dòng {seen_ids[ident]}")
        else:
            seen_ids[ident] = n
        if not cell("doc_type"):
            add("doc_type", "thiếu loại văn bản")
        symbol, title = cell("symbol"), cell("title")
        if not symbol and not title:
            add("symbol", "thiếu cả số ký hiệu lẫn trích yếu")
        issued: date | None = None
        try:
            issued = parse_date(cell("issued"))
        except ValueError as err:
            add("issued", str(err))
        if symbol:
            parts = symbol_parts(symbol)
            if not parts or not parts[0][0].isdigit():
                add("symbol", f"“{symbol}” không bắt đầu bằng số văn bản")
            number = cell("number")
            if number and parts and norm_number(fold(number)) != parts[0]:
                add("number", f"số “{number}” không khớp với số ký hiệu “{symbol}”")
            fixed = party_form(symbol)
            if fixed:
                add(
                    "symbol",
                    f"văn bản của Đảng phải ghi ký hiệu dạng “{fixed}”, không phải “{symbol}”",
                )
            if re.search(r"\s[/\-]|[/\-]\s", symbol):
                add("symbol", f"số ký hiệu “{symbol}” có khoảng trắng thừa")
            key = (symbol_key(symbol), issued.isoformat() if issued else cell("issued"))
            if key in seen_keys:
                add(
                    "symbol",
                    f"trùng số ký hiệu và ngày ban hành với dòng {seen_keys[key]}",
                )
            else:
                seen_keys[key] = n
        level = cell("issuer_level")
        if level and level not in ISSUER_LEVELS:
            add("issuer_level", f"“{level}” không hợp lệ (dùng: {', '.join(ISSUER_LEVELS)})")
        status = cell("status")
        if not status:
            add("status", "trống (ghi unknown nếu chưa rõ hiệu lực)")
        elif status not in STATUSES:
            add("status", f"“{status}” không hợp lệ (dùng: {', '.join(STATUSES)})")
        replaced_by = cell("replaced_by")
        if replaced_by:
            if replaced_by == ident:
                add("replaced_by", "văn bản không thể thay thế chính nó")
            elif replaced_by not in ids:
                add("replaced_by", f"trỏ tới “{replaced_by}” không có trong danh mục")
            if status == "in_force":
                add("status", "còn hiệu lực nhưng lại có văn bản thay thế")
        for target in split_list(cell("amends")):
            if target == ident:
                add("amends", "văn bản không thể sửa đổi chính nó")
            elif target not in ids:
                add("amends", f"trỏ tới “{target}” không có trong danh mục")
    return findings


# ----------------------------------------------------------------------------- reading
def _refuse(name: str, message: str) -> InputFileError:
    return InputFileError(f"Tệp “{name}”: {message}")


def read_table(
    data: bytes, name: str, *, max_bytes: int = MAX_FILE_BYTES, max_rows: int = MAX_ROWS
) -> Table:
    """Read an uploaded catalogue file (CSV in any of the usual forms, or XLSX).

    The limits default to the page's; the command line allows larger files.
    """
    if len(data) > max_bytes:
        raise _refuse(
            name, f"quá lớn ({len(data) // 1024} KB; tối đa {max_bytes // 1024 // 1024} MB)."
        )
    if not data.strip():
        raise _refuse(name, "tệp trống.")
    if data[:4] == b"PK\x03\x04":
        return _read_xlsx(data, name, max_rows, max(MAX_XLSX_UNCOMPRESSED, 12 * max_bytes))
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise _refuse(
            name, "định dạng Excel 97-2003 (.xls) chưa đọc được; hãy lưu lại thành .xlsx hoặc CSV."
        )
    decoded = decode_csv(data, name)
    return _read_csv(decoded.text, name, decoded.encoding, decoded.note, max_rows)


def _clean_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.date() if value.time() == datetime.min.time() else value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = unicodedata.normalize("NFC", str(value))
    text = re.sub("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufeff]", "", text)
    return text.strip()


def _finish(
    name: str,
    raw_rows: Iterable[Sequence[object]],
    encoding: str,
    delimiter: str,
    note: str,
    max_rows: int = MAX_ROWS,
) -> Table:
    rows: list[tuple[str, ...]] = []
    lines: list[int] = []
    headers: tuple[str, ...] | None = None
    for line, raw in enumerate(raw_rows, start=1):
        cells = tuple(_clean_cell(v) for v in raw)
        if not any(cells):
            continue
        for cell in cells:
            if len(cell) > MAX_FIELD:
                raise _refuse(name, f"có ô dài quá {MAX_FIELD} ký tự (dòng {line}).")
        if headers is None:
            headers = cells
            continue
        rows.append(cells)
        lines.append(line)
        if len(rows) > max_rows:
            raise _refuse(name, f"có quá {max_rows} dòng; hãy chia nhỏ tệp.")
    if headers is None:
        raise _refuse(name, "không có dòng tiêu đề cột nào.")
    while headers and not headers[-1]:
        headers = headers[:-1]
    width = len(headers)
    fitted = tuple((r + ("",) * width)[:width] for r in rows)
    return Table(name, headers, fitted, encoding, delimiter, note, tuple(lines))


def _read_csv(text: str, name: str, encoding: str, note: str, max_rows: int = MAX_ROWS) -> Table:
    text = text.lstrip("\ufeff")
    delimiter = guess_delimiter(text)
    csv.field_size_limit(MAX_FIELD * 4)
    try:
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        return _finish(name, reader, encoding, delimiter, note, max_rows)
    except csv.Error:
        raise _refuse(
            name,
            f"không đọc được dạng CSV: có ô dài quá {MAX_FIELD} ký tự hoặc dấu ngoặc kép "
            "không khớp.",
        ) from None


def _read_xlsx(
    data: bytes,
    name: str,
    max_rows: int = MAX_ROWS,
    max_unpacked: int = MAX_XLSX_UNCOMPRESSED,
) -> Table:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(i.file_size for i in archive.infolist()) > max_unpacked:
                raise _refuse(name, "nội dung giải nén quá lớn; không mở tệp này.")
            if "xl/workbook.xml" not in archive.namelist():
                raise _refuse(name, "không phải tệp Excel .xlsx.")
    except zipfile.BadZipFile:
        raise _refuse(name, "tệp .xlsx bị hỏng, không mở được.") from None
    import openpyxl  # local import: only needed for XLSX

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many kinds for broken files
        raise _refuse(name, f"tệp .xlsx không mở được ({type(err).__name__}).") from None
    try:
        sheet = book.worksheets[0]
        return _finish(name, sheet.iter_rows(values_only=True), "XLSX", "", "", max_rows)
    finally:
        book.close()


# ----------------------------------------------------------------------------- column mapping
# Header names (folded: no diacritics, lower case, `_` as a space) of our own files, vbpl.vn,
# thuvienphapluat, the provinces' portals and the Excel lists offices keep. "Số hiệu" and
# "Số ký hiệu" are the whole symbol (530/QĐ-UBND); "Số" alone is the number.
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "id": ("id", "ma", "ma van ban", "ma so"),
    "doc_type": (
        "doc_type",
        "loai",
        "loai van ban",
        "the loai",
        "hinh thuc van ban",
        "type",
        "ten loai van ban",
    ),
    "number": ("number", "so", "so van ban"),
    "symbol": (
        "symbol",
        "so ky hieu",
        "so hieu",
        "ky hieu",
        "so/ky hieu",
        "so, ky hieu",
        "so va ky hieu",
        "so hieu van ban",
        "so ky hieu van ban",
    ),
    "aliases": ("aliases", "ten khac", "ky hieu khac", "cach ghi khac", "bi danh"),
    "issued": ("issued", "ngay", "ngay ban hanh", "ngay ky", "ngay thang", "ngay van ban"),
    "issuer": (
        "issuer",
        "co quan ban hanh",
        "noi ban hanh",
        "co quan",
        "don vi ban hanh",
        "co quan ban hanh/chuc danh/nguoi ky",
    ),
    "issuer_level": ("issuer_level", "cap", "cap ban hanh", "cap co quan"),
    "title": (
        "title",
        "trich yeu",
        "trich yeu noi dung",
        "ten van ban",
        "noi dung",
        "tieu de",
    ),
    "status": (
        "status",
        "tinh trang",
        "hieu luc",
        "tinh trang hieu luc",
        "trang thai",
        "trang thai hieu luc",
    ),
    "replaced_by": ("replaced_by", "thay the boi", "duoc thay the boi", "van ban thay the"),
    "amends": ("amends", "sua doi", "sua doi van ban", "van ban duoc sua doi"),
    "topics": ("topics", "chu de", "linh vuc", "tu khoa"),
    "source": ("source", "nguon", "nguon thong tin", "ghi chu nguon"),
}
# Headers the portals have that hold none of our columns, though they contain a known name
# ("Ngày có hiệu lực" holds a date, not a status).
_NOT_OURS = frozenset(
    {
        "stt",
        "tt",
        "so tt",
        "ngay hieu luc",
        "ngay co hieu luc",
        "ngay het hieu luc",
        "ngay cong bao",
        "nguoi ky",
        "chuc danh",
        "tep dinh kem",
        "file dinh kem",
    }
)


def header_key(header: str) -> str:
    """A header folded for matching: `Số/Ký hiệu`, `so_ky_hieu`, `SỐ / KÝ HIỆU:` all alike."""
    folded = fold(header).replace("_", " ").strip(" :.*")
    return " ".join(re.sub(r"\s*([/,])\s*", r"\1 ", folded).replace("/ ", "/").split())


_SYNONYM_KEYS = {column: tuple(map(header_key, names)) for column, names in _SYNONYMS.items()}


def guess_mapping(headers: Sequence[str]) -> dict[str, str | None]:
    """For each catalogue column, the file header that most likely holds it (or None)."""
    folded = {h: header_key(h) for h in headers if h}
    mapping: dict[str, str | None] = {}
    taken: set[str] = set()
    for column, names in _SYNONYM_KEYS.items():  # exact names first
        match = next((h for h, f in folded.items() if f in names and h not in taken), None)
        mapping[column] = match
        if match:
            taken.add(match)
    for column, names in _SYNONYM_KEYS.items():  # then headers that contain a known name
        if mapping[column]:
            continue
        match = next(
            (
                h
                for h, f in folded.items()
                if h not in taken
                and f not in _NOT_OURS
                and any(len(n) > 3 and n in f for n in names)
            ),
            None,
        )
        mapping[column] = match
        if match:
            taken.add(match)
    return mapping


@lru_cache(maxsize=1024)
def status_key(word: str) -> str:
    """A status word folded for lookup: `Văn bản đang có hiệu lực.` → `van ban dang co hieu luc`."""
    return " ".join(tokens(word))


# Status words of our labels, the portals (vbpl.vn, thuvienphapluat, the provinces') and
# typical lists -> our status. Words with no status of their own are in APPROXIMATE_STATUS.
STATUS_WORDS: dict[str, str] = (
    {status_key(label): key for key, label in STATUS_LABELS.items()}
    | {key: key for key in STATUSES}
    | {
        "con hieu luc": "in_force",
        "co hieu luc": "in_force",
        "dang co hieu luc": "in_force",
        "van ban dang co hieu luc": "in_force",
        "van ban con hieu luc": "in_force",
        "con hieu luc toan bo": "in_force",
        "het hieu luc": "expired",
        "da het hieu luc": "expired",
        "het hieu luc toan bo": "expired",
        "van ban het hieu luc": "expired",
        "van ban het hieu luc toan bo": "expired",
        "bi thay the": "replaced",
        "da bi thay the": "replaced",
        "da duoc thay the": "replaced",
        "duoc thay the": "replaced",
        "sua doi mot phan": "partly_amended",
        "con hieu luc mot phan": "partly_amended",
        "het hieu luc mot phan": "partly_amended",
        "van ban het hieu luc mot phan": "partly_amended",
        "da duoc sua doi mot phan": "partly_amended",
        "duoc sua doi bo sung": "partly_amended",
        "chua ro": "unknown",
        "chua xac dinh": "unknown",
        "khong xac dinh": "unknown",
        "": "unknown",
    }
)
# Portal words our statuses do not have (DESIGN.md: the status list stays five values, which
# the page, the checks and the citation warnings all know). They map to `unknown`, never to a
# status the document does not have, and an import reports each of them.
APPROXIMATE_STATUS: dict[str, str] = {
    "chua co hieu luc": "unknown",
    "van ban chua co hieu luc": "unknown",
    "ngung hieu luc": "unknown",
    "tam ngung hieu luc": "unknown",
    "ngung hieu luc toan bo": "unknown",
    "ngung hieu luc mot phan": "unknown",
    "van ban ngung hieu luc": "unknown",
}
_STATUS_WORDS = STATUS_WORDS | APPROXIMATE_STATUS
_LEVEL_WORDS = {fold(label): key for key, label in ISSUER_LEVEL_LABELS.items()} | {
    "tw": "central",
    "trung uong": "central",
    "tinh": "province",
    "huyen": "district",
    "thanh pho": "district",
    "quan": "district",
    "don vi": "unit",
    "truong": "unit",
    "cap trung uong": "central",
    "cap tinh": "province",
    "cap huyen": "district",
    "cap don vi": "unit",
    "co so": "unit",
}
_TYPE_WORDS = {fold(name): name for name in DOC_TYPES} | {code: n for n, code in DOC_TYPES.items()}


@lru_cache(maxsize=1024)
def _folded(word: str) -> str:
    """`fold` of the few words a column repeats (types, levels): folded once per word."""
    return fold(word)


def normalise_row(row: Mapping[str, str]) -> dict[str, str]:
    """Vietnamese labels of status, level and type turned into the catalogue's values;
    dates written DD/MM/YYYY turned into ISO (impossible ones kept as written for the check)."""
    out = {c: str(row.get(c) or "").strip() for c in COLUMNS}
    if out["status"] not in STATUSES:
        out["status"] = _STATUS_WORDS.get(status_key(out["status"]), out["status"])
    level = out["issuer_level"]
    if level and level not in ISSUER_LEVELS:
        out["issuer_level"] = _LEVEL_WORDS.get(_folded(level), level)
    if out["doc_type"]:
        out["doc_type"] = _TYPE_WORDS.get(_folded(out["doc_type"]), out["doc_type"])
    try:
        issued = parse_date(out["issued"])
        out["issued"] = issued.isoformat() if issued else ""
    except ValueError:
        pass
    return out


def apply_mapping(table: Table, mapping: Mapping[str, str | None]) -> list[dict[str, str]]:
    """The table's rows as catalogue rows, using `mapping` (column -> header or None)."""
    index = {h: i for i, h in enumerate(table.headers)}
    rows = []
    for raw in table.rows:
        row = {c: (raw[index[h]] if h in index else "") for c, h in mapping.items() if h}
        rows.append(normalise_row(row))
    return rows


# ----------------------------------------------------------------------------- export
_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: str) -> str:
    """A cell that a spreadsheet will not run as a formula (prefixed with `'` when needed)."""
    return "'" + value if value.startswith(_DANGEROUS) else value


def export_csv(directives: Iterable[Directive]) -> bytes:
    """The rows as CSV, UTF-8 with BOM (Excel shows Vietnamese right), formula-safe."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for d in directives:
        row = d.to_row()
        writer.writerow([safe_cell(row[c]) for c in COLUMNS])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def export_xlsx(directives: Iterable[Directive]) -> bytes:
    """The rows as an XLSX workbook (one sheet, text cells, formula-safe)."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Văn bản căn cứ"
    sheet.append(list(COLUMNS))
    for d in directives:
        row = d.to_row()
        sheet.append([safe_cell(row[c]) for c in COLUMNS])
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            cell.data_type = "s"
    widths = {"title": 60, "issuer": 35, "source": 40, "symbol": 20, "id": 24}
    for i, column in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[openpyxl.utils.get_column_letter(i)].width = widths.get(column, 14)
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
