"""Import a foreign list of documents (a portal's export, an office's Excel list) as catalogue rows.

`import_rows(table, mapping, constants) -> ImportReport` is the one code path: the command line
(`import-catalogue`) and the catalogue page call it and only show its report.

What it does with each row, in order:
- columns: the file's headers are matched to ours (`files.guess_mapping`, the synonyms of
  vbpl.vn, thuvienphapluat, the provinces' portals and typical lists); `mapping` (file header ->
  our column) overrides the guess;
- `constants` (our column -> value, the command line's `--set`) fill the cells the file leaves
  empty: an issuer or issuer level for a whole file that has no such column;
- the symbol: a number column holding a whole symbol is read as the symbol, a symbol without
  its number gets it; spellings that search treats as equal are made one (`1977 /QĐ-UBND` →
  `1977/QĐ-UBND`, `Ð` → `Đ`, a Party symbol in state form → `25-NQ/TW`), the original kept in
  `aliases`; the number comes from the symbol when the file has none;
- the type: as written (name or abbreviation), else read from the symbol (`type_from_symbol`);
- the status: the portals' words mapped (`files.STATUS_WORDS`); words with no status of ours
  ("Chưa có hiệu lực", "Ngưng hiệu lực") become `unknown` and are reported;
- duplicates in the file (same type, symbol in any spelling and issue date) are skipped and
  counted; the first is kept;
- ids never collide (`model.assign_ids`): two documents sharing a type, symbol and year get their
  dates added; a catalogue's ids are kept for its own documents only;
- titles are kept as written; titles with no capital letter at all (a lower-cased crawl) are
  reported.

Problems are reported by the file's row; any problem means nothing may be written (the caller
writes only a report with no problems).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from planner.catalogue.citation import canonical_symbol
from planner.catalogue.files import (
    APPROXIMATE_STATUS,
    Finding,
    Table,
    check_catalogue,
    guess_mapping,
    header_key,
    normalise_row,
    status_key,
)
from planner.catalogue.model import (
    COLUMNS,
    ISSUER_LEVEL_LABELS,
    ISSUER_LEVELS,
    STATUS_LABELS,
    STATUSES,
    Catalogue,
    Directive,
    assign_ids,
    make_id,
    parse_date,
    split_list,
    type_from_symbol,
)
from planner.errors import InputFileError
from planner.text.clean import clean_line
from planner.text.fold import fold, symbol_key, symbol_parts

# Columns a whole file may be given one value for (`--set`).
SETTABLE = ("doc_type", "issuer", "issuer_level", "status", "topics", "source")
MAX_EXAMPLES = 5


@dataclass(frozen=True)
class ImportReport:
    """What an import did: the rows ready to write and everything worth telling the user.

    Row numbers are the file's lines as a spreadsheet shows them (1 is the header).
    """

    source: str
    mapping: tuple[tuple[str, str], ...]  # (our column, the file's header)
    constants: tuple[tuple[str, str], ...]
    rows_read: int
    directives: tuple[Directive, ...]
    duplicates: tuple[tuple[int, int], ...] = ()  # (row skipped, the row it repeats)
    derived_types: tuple[tuple[str, int], ...] = ()  # (type, rows)
    mapped_statuses: tuple[tuple[str, str, int], ...] = ()  # (word as written, status, rows)
    approximate_statuses: tuple[tuple[str, str, int], ...] = ()  # words with no status of ours
    normalised_symbols: tuple[tuple[int, str, str], ...] = ()  # (row, as written, as kept)
    lower_case_titles: tuple[int, ...] = ()
    dated_ids: int = 0  # ids that needed the date (or a counter) to stay apart
    in_catalogue: tuple[tuple[int, str], ...] = ()  # (row, id): the catalogue has this document
    problems: tuple[Finding, ...] = field(default=())

    @property
    def imported(self) -> int:
        return len(self.directives)

    @property
    def ok(self) -> bool:
        return not self.problems

    def to_json(self) -> dict[str, Any]:
        return {
            "file": self.source,
            "rows_read": self.rows_read,
            "imported": self.imported,
            "mapping": dict(self.mapping),
            "constants": dict(self.constants),
            "duplicates_skipped": len(self.duplicates),
            "duplicates": [{"row": r, "same_as_row": first} for r, first in self.duplicates],
            "derived_types": dict(self.derived_types),
            "mapped_statuses": [
                {"word": w, "status": s, "rows": n} for w, s, n in self.mapped_statuses
            ],
            "approximate_statuses": [
                {"word": w, "status": s, "rows": n} for w, s, n in self.approximate_statuses
            ],
            "normalised_symbols": [
                {"row": r, "written": a, "kept": b} for r, a, b in self.normalised_symbols
            ],
            "lower_case_titles": list(self.lower_case_titles),
            "dated_ids": self.dated_ids,
            "in_catalogue": [{"row": r, "id": i} for r, i in self.in_catalogue],
            "problems": [
                {"row": f.row, "column": f.column, "message": f.message} for f in self.problems
            ],
        }

    def summary(self) -> list[str]:
        """The report as Vietnamese lines for a person (the problems excepted)."""
        lines = [f"Đọc {_n(self.rows_read)} dòng, nhập được {_n(self.imported)} văn bản."]
        if self.mapping:
            pairs = ", ".join(f"“{header}” → {column}" for column, header in self.mapping)
            lines.append(f"Cột: {pairs}.")
        if self.constants:
            pairs = ", ".join(f"{column} = “{value}”" for column, value in self.constants)
            lines.append(f"Giá trị chung cho cả tệp (khi ô trống): {pairs}.")
        if self.duplicates:
            shown = ", ".join(f"dòng {r} (trùng dòng {f})" for r, f in self.duplicates[:5])
            more = "…" if len(self.duplicates) > MAX_EXAMPLES else ""
            lines.append(
                f"Bỏ qua {_n(len(self.duplicates))} dòng trùng loại, số ký hiệu và ngày ban "
                f"hành với một dòng trước: {shown}{more}."
            )
        if self.derived_types:
            kinds = ", ".join(f"{t}: {_n(n)}" for t, n in self.derived_types)
            total = sum(n for _t, n in self.derived_types)
            lines.append(f"Loại văn bản suy ra từ số ký hiệu ở {_n(total)} dòng ({kinds}).")
        if self.mapped_statuses:
            words = "; ".join(
                f"“{w}” → {STATUS_LABELS[s]} ({_n(n)} dòng)" for w, s, n in self.mapped_statuses
            )
            lines.append(f"Tình trạng hiệu lực đã đổi: {words}.")
        if self.approximate_statuses:
            words = "; ".join(
                f"“{w}” → {STATUS_LABELS[s]} ({_n(n)} dòng)"
                for w, s, n in self.approximate_statuses
            )
            lines.append(
                f"Tình trạng danh mục chưa có, ghi là chưa rõ hiệu lực: {words}; "
                "nên kiểm tra lại các văn bản này."
            )
        if self.normalised_symbols:
            r, before, after = self.normalised_symbols[0]
            lines.append(
                f"Chuẩn hóa số ký hiệu ở {_n(len(self.normalised_symbols))} dòng (ví dụ dòng "
                f"{r}: “{before}” → “{after}”); cách ghi cũ được giữ làm cách ghi khác của văn bản."
            )
        if self.lower_case_titles:
            rows = ", ".join(str(r) for r in self.lower_case_titles[:MAX_EXAMPLES])
            more = "…" if len(self.lower_case_titles) > MAX_EXAMPLES else ""
            lines.append(
                f"Trích yếu viết thường toàn bộ ở {_n(len(self.lower_case_titles))} dòng "
                f"(dòng {rows}{more}): giữ nguyên như trong tệp, nên soát lại chữ hoa."
            )
        if self.dated_ids:
            lines.append(
                f"{_n(self.dated_ids)} văn bản trùng loại, số ký hiệu và năm với văn bản khác "
                "được thêm ngày vào mã (id) để không văn bản nào bị ghi đè."
            )
        if self.in_catalogue:
            shown = ", ".join(f"dòng {r} ({i})" for r, i in self.in_catalogue[:MAX_EXAMPLES])
            more = "…" if len(self.in_catalogue) > MAX_EXAMPLES else ""
            lines.append(
                f"{_n(len(self.in_catalogue))} văn bản đã có trong danh mục (cùng số ký hiệu và "
                f"ngày ban hành, giữ cùng mã): {shown}{more}; khi gộp, dòng nhập thay dòng có sẵn."
            )
        return lines


def _n(count: int) -> str:
    """A count with Vietnamese thousands dots: 4.056."""
    return f"{count:,}".replace(",", ".")


# ----------------------------------------------------------------------------- options
def _refuse(name: str, message: str) -> InputFileError:
    return InputFileError(f"Tệp “{name}”: {message}")


def parse_pairs(values: Sequence[str], option: str) -> dict[str, str]:
    """`["A=b", "C=d"]` (the command line's `--map`/`--set`) as a dict; a bad one is refused."""
    pairs: dict[str, str] = {}
    for value in values:
        key, sep, rest = value.partition("=")
        if not sep or not key.strip():
            raise InputFileError(f"Tùy chọn {option} “{value}” phải có dạng TÊN=GIÁ_TRỊ.")
        pairs[key.strip()] = rest.strip()
    return pairs


def resolve_mapping(table: Table, mapping: Mapping[str, str]) -> dict[str, str | None]:
    """Our column -> the file's header: the guess, overridden by `mapping` (header -> column).

    A header not in the file or a column we do not have is refused, naming the file.
    """
    resolved = guess_mapping(table.headers)
    by_key = {header_key(h): h for h in table.headers if h}
    for header, column in mapping.items():
        found = header if header in table.headers else by_key.get(header_key(header))
        if found is None:
            have = ", ".join(f"“{h}”" for h in table.headers if h)
            raise _refuse(table.name, f"không có cột “{header}” (tệp có các cột: {have}).")
        if column in ("", "-"):  # `--map "Ghi chú="`: the header holds none of our columns
            for ours, theirs in resolved.items():
                if theirs == found:
                    resolved[ours] = None
            continue
        if column not in COLUMNS:
            raise _refuse(
                table.name,
                f"cột “{column}” (trong --map “{header}={column}”) không có trong danh mục; "
                f"dùng một trong: {', '.join(COLUMNS)}.",
            )
        for ours, theirs in resolved.items():
            if theirs == found:
                resolved[ours] = None
        resolved[column] = found
    return resolved


def check_constants(constants: Mapping[str, str], name: str) -> dict[str, str]:
    """The `--set` values, checked and turned into catalogue values (labels to keys)."""
    checked: dict[str, str] = {}
    for column, value in constants.items():
        if column not in SETTABLE:
            raise _refuse(
                name,
                f"không đặt chung được cột “{column}” cho cả tệp (--set); "
                f"dùng một trong: {', '.join(SETTABLE)}.",
            )
        normal = normalise_row({column: value})[column] if value else ""
        if column == "status" and normal not in STATUSES:
            raise _refuse(name, f"tình trạng hiệu lực “{value}” (--set status) không hợp lệ.")
        if column == "issuer_level" and normal and normal not in ISSUER_LEVELS:
            levels = ", ".join(f"{k} ({v})" for k, v in ISSUER_LEVEL_LABELS.items())
            raise _refuse(name, f"cấp ban hành “{value}” (--set issuer_level) không hợp lệ; "
                          f"dùng: {levels}.")  # fmt: skip
        checked[column] = normal
    return checked


# ----------------------------------------------------------------------------- rows
def normal_symbol(symbol: str) -> str:
    """One spelling for the spellings search treats as equal: stray spaces around `/` and `-`
    removed, `Ð` (U+00D0) as `Đ`, a Party symbol in state form in the Party form."""
    if not _SYMBOL_WORK.search(symbol):  # most symbols: nothing to do (cells are clean NFC)
        return symbol
    return " ".join(canonical_symbol(symbol).split())


_SYMBOL_WORK = re.compile(r"\s|[Ðð]|/[A-ZĐ]{1,5}-(?:TW|TU|HU|QU|ĐU|ThU)$")


def _one_line(text: str) -> str:
    return clean_line(text) if "\n" in text or "\r" in text else text


def _directive(row: Mapping[str, str], issued: date | None) -> Directive:
    """A checked row as a Directive (what `directive_from_row` does, without re-checking)."""
    return Directive(
        id=row["id"],
        doc_type=_one_line(row["doc_type"]),
        number=row["number"],
        symbol=_one_line(row["symbol"]),
        aliases=split_list(row["aliases"]) if row["aliases"] else (),
        issued=issued,
        issuer=_one_line(row["issuer"]),
        issuer_level=row["issuer_level"],
        title=_one_line(row["title"]),
        status=row["status"],
        replaced_by=row["replaced_by"],
        amends=split_list(row["amends"]) if row["amends"] else (),
        topics=split_list(row["topics"]) if row["topics"] else (),
        source=_one_line(row["source"]),
    )


def _row_cells(table: Table, mapping: Mapping[str, str | None]) -> list[dict[str, str]]:
    index = {h: i for i, h in enumerate(table.headers)}
    pairs = [(column, index[h]) for column, h in mapping.items() if h is not None and h in index]
    return [{column: raw[i] for column, i in pairs} for raw in table.rows]


def import_rows(
    table: Table,
    mapping: Mapping[str, str] | None = None,
    constants: Mapping[str, str] | None = None,
    *,
    catalogue: Catalogue | None = None,
) -> ImportReport:
    """Turn `table` (a file read by `files.read_table`) into catalogue rows; see the module.

    `mapping`: the file's header -> our column, over the guess (`""` ignores a header);
    `constants`: our column -> a value for cells the file leaves empty; `catalogue`: the
    catalogue the rows will join (its ids are kept for its own documents only).
    """
    name = table.name
    resolved = resolve_mapping(table, mapping or {})
    fixed = check_constants(constants or {}, name)
    if resolved.get("symbol") is None and resolved.get("title") is None:
        have = ", ".join(f"“{h}”" for h in table.headers if h)
        raise _refuse(
            name,
            "không tìm thấy cột số ký hiệu hay trích yếu (tệp có các cột: "
            f"{have}); hãy chỉ rõ bằng --map “TÊN CỘT=symbol”.",
        )
    problems: list[Finding] = []
    kept: list[dict[str, str]] = []
    kept_lines: list[int] = []
    kept_dates: list[date | None] = []
    first_of: dict[tuple[str, str, str], int] = {}
    duplicates: list[tuple[int, int]] = []
    derived: Counter[str] = Counter()
    statuses: Counter[tuple[str, str]] = Counter()
    approximate: Counter[tuple[str, str]] = Counter()
    normalised: list[tuple[int, str, str]] = []
    lower_titles: list[int] = []
    default_source = f"Nhập từ tệp {name}"

    for index, cells in enumerate(_row_cells(table, resolved)):
        line = table.line(index)
        bad = False

        def problem(column: str, message: str, _line: int = line) -> None:
            nonlocal bad
            bad = True
            problems.append(Finding(_line, column, message))

        for column, value in fixed.items():
            if not cells.get(column, "").strip():
                cells[column] = value
        written_status = cells.get("status", "").strip()
        status_word = ""
        row = normalise_row(cells)
        # The symbol and its number.
        symbol, number = row["symbol"], row["number"]
        if not symbol and number and not number.isdigit() and symbol_parts(number)[1:]:
            symbol, number = number, ""  # a "Số" column holding the whole symbol
        elif symbol and number and not symbol[:1].isdigit() and number[:1].isdigit():
            symbol = f"{number}/{symbol}"  # "Số" 530 and "Ký hiệu" QĐ-UBND
        if symbol:
            kept_symbol = normal_symbol(symbol)
            if kept_symbol != symbol:
                normalised.append((line, symbol, kept_symbol))
                aliases = [a for a in split_list(row["aliases"]) if a != kept_symbol]
                if symbol not in aliases:
                    aliases.append(symbol)
                row["aliases"] = "; ".join(aliases)
            symbol = kept_symbol
            first = symbol_parts(symbol)[:1]
            if not number or number == symbol:
                number = first[0] if first and first[0][0].isdigit() else ""
        row["symbol"], row["number"] = symbol, number
        # The type.
        if not row["doc_type"]:
            derived_type = type_from_symbol(symbol)
            if derived_type:
                row["doc_type"] = derived_type
            else:
                problem(
                    "doc_type",
                    "thiếu loại văn bản và không suy ra được từ số ký hiệu "
                    "(thêm cột loại văn bản hoặc --set doc_type=…)",
                )
        # The status.
        if row["status"] not in STATUSES:
            problem(
                "status",
                f"tình trạng hiệu lực “{row['status']}” không nhận ra được (dùng: Còn hiệu "
                "lực, Hết hiệu lực, Đã được thay thế, Được sửa đổi một phần, Chưa rõ hiệu lực)",
            )
        elif written_status and written_status != row["status"]:
            status_word = written_status
        elif not written_status:
            row["status"] = "unknown"
        # The level, the date, the title.
        if row["issuer_level"] and row["issuer_level"] not in ISSUER_LEVELS:
            levels = ", ".join(ISSUER_LEVEL_LABELS.values())
            problem("issuer_level", f"cấp ban hành “{row['issuer_level']}” không hợp lệ (dùng: "
                    f"{levels})")  # fmt: skip
        issued: date | None = None
        try:
            issued = parse_date(row["issued"])
        except ValueError as err:
            problem("issued", str(err))
        title = row["title"]
        if not symbol and not title:
            problem("symbol", "thiếu cả số ký hiệu lẫn trích yếu")
        if title and title == title.lower() and any(c.isalpha() for c in title):
            lower_titles.append(line)
        if not row["source"]:
            row["source"] = default_source
        if bad:
            continue
        # Duplicates in the file.
        dup_key = (
            fold(row["doc_type"]),
            symbol_key(symbol) if symbol else "\x01" + fold(title),
            issued.isoformat() if issued else "",
        )
        if dup_key in first_of:
            duplicates.append((line, first_of[dup_key]))
            continue
        first_of[dup_key] = line
        if not cells.get("doc_type"):
            derived[row["doc_type"]] += 1
        if status_word:
            is_approximate = status_key(status_word) in APPROXIMATE_STATUS
            (approximate if is_approximate else statuses)[(status_word, row["status"])] += 1
        row["issued"] = issued.isoformat() if issued else ""
        kept.append(row)
        kept_lines.append(line)
        kept_dates.append(issued)

    # Ids that never collide.
    reserved = (
        {d.id: (symbol_key(d.symbol), d.issued) for d in catalogue} if catalogue is not None else {}
    )
    in_catalogue = []
    fresh = []  # rows that need a new id
    for row, issued, line in zip(kept, kept_dates, kept_lines, strict=True):
        if not row["id"] and catalogue is not None and row["symbol"]:
            same = [d for d in catalogue.by_symbol(row["symbol"]) if d.issued == issued]
            if same:  # the catalogue's own document keeps the catalogue's id
                row["id"] = same[0].id
        if row["id"]:
            if row["id"] in reserved:
                in_catalogue.append((line, row["id"]))
        else:
            fresh.append((row, (row["doc_type"], row["symbol"], issued, row["title"])))
    bases = [make_id(*key4) for _row, key4 in fresh]
    ids = assign_ids([key4 for _row, key4 in fresh], reserved, bases)
    for (row, _key4), ident in zip(fresh, ids, strict=True):
        row["id"] = ident
    dated = sum(ident != base for ident, base in zip(ids, bases, strict=True))
    # Everything else our format asks (number vs symbol, relations, lengths, ids given).
    known = [d.id for d in catalogue] if catalogue is not None else ()
    for finding in check_catalogue(kept, known_ids=known):
        line = kept_lines[finding.row - 2] if finding.row >= 2 else finding.row
        problems.append(Finding(line, finding.column, finding.message))
    directives: list[Directive] = []
    if not problems:
        directives = [_directive(row, issued) for row, issued in zip(kept, kept_dates, strict=True)]
    problems.sort(key=lambda f: f.row)
    return ImportReport(
        source=name,
        mapping=tuple((c, h) for c, h in resolved.items() if h is not None),
        constants=tuple(fixed.items()),
        rows_read=len(table.rows),
        directives=tuple(directives) if not problems else (),
        duplicates=tuple(duplicates),
        derived_types=tuple(derived.most_common()),
        mapped_statuses=tuple((w, s, n) for (w, s), n in statuses.most_common()),
        approximate_statuses=tuple((w, s, n) for (w, s), n in approximate.most_common()),
        normalised_symbols=tuple(normalised),
        lower_case_titles=tuple(lower_titles),
        dated_ids=dated,
        in_catalogue=tuple(in_catalogue),
        problems=tuple(problems),
    )
