"""Catalogue commands: `search QUERY`, `check-catalogue [FILE]`, `import-catalogue IN -o OUT`.

`search` looks in the shipped catalogue merged with the user's rows (when the database at
`PLANNER_DB` / `.data/planner.db` exists; it is never created by a search), or in `--catalogue`
through an index saved beside that file (`.NAME.search-index.npz`, or under the database's
folder when the file's folder is read-only), rebuilt when the file changes. Each hit says how
it matches (`exact`, `strong`, `weak`) and why; weak hits (their type, number or year differ
from the query's) come under "Không có văn bản khớp".
`check-catalogue` exits 0 when the file is clean, 1 with findings, 2 when it cannot be read.
`import-catalogue` converts a foreign list (a portal's export, an Excel list) to the catalogue's
format through `planner.catalogue.importer.import_rows` and prints its report; any problem
writes nothing and exits 2. `--map HEADER=COLUMN` and `--set COLUMN=VALUE` serve both.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
from pathlib import Path
from typing import Any

from planner.catalogue.citation import citation_date
from planner.catalogue.files import Table, check_catalogue, read_table
from planner.catalogue.importer import (
    check_constants,
    import_rows,
    parse_pairs,
    resolve_mapping,
)
from planner.catalogue.index import MATCH_WEAK, check_query_length
from planner.catalogue.model import COLUMNS, ISSUER_LEVELS, STATUSES, Catalogue, Directive
from planner.catalogue.search_file import IndexedFile
from planner.catalogue.user_rows import SHIPPED_CSV, load_catalogue
from planner.errors import InputFileError
from planner.store.plans import DEFAULT_DB, PlanStore, default_db


def register(sub: Any) -> None:
    p = sub.add_parser("search", help="tìm văn bản trong danh mục văn bản căn cứ")
    p.add_argument("query", metavar="TỪ_KHÓA", help="số ký hiệu, tên, năm... (không dấu cũng được)")
    p.add_argument("--limit", type=int, default=10, metavar="N", help="số kết quả tối đa")
    p.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    p.add_argument("--type", dest="doc_type", metavar="LOẠI", help="lọc theo loại (NQ, Chỉ thị…)")
    p.add_argument("--level", choices=ISSUER_LEVELS, help="lọc theo cấp ban hành")
    p.add_argument("--status", choices=STATUSES, help="lọc theo hiệu lực")
    p.add_argument("--from", dest="year_from", type=int, metavar="NĂM", help="từ năm")
    p.add_argument("--to", dest="year_to", type=int, metavar="NĂM", help="đến năm")
    p.add_argument("--catalogue", metavar="TỆP.csv", help="tìm trong tệp danh mục này")
    p.set_defaults(func=run_search)

    c = sub.add_parser("check-catalogue", help="kiểm tra một tệp danh mục văn bản (CSV/XLSX)")
    c.add_argument("file", nargs="?", metavar="TỆP", help="mặc định: data/directives.csv")
    c.add_argument("--json", action="store_true", help="in các lỗi dạng JSON")
    _pair_options(c)
    c.set_defaults(func=run_check)

    i = sub.add_parser(
        "import-catalogue",
        help="chuyển danh sách văn bản (xuất từ cổng thông tin, Excel) sang dạng danh mục",
    )
    i.add_argument("file", metavar="TỆP", help="tệp .csv hoặc .xlsx cần nhập")
    i.add_argument("-o", "--output", required=True, metavar="RA.csv", help="tệp danh mục ghi ra")
    i.add_argument("--json", action="store_true", help="in báo cáo dạng JSON")
    i.add_argument(
        "--catalogue",
        metavar="TỆP.csv",
        help="danh mục sẽ nhận các dòng (mặc định: danh mục có sẵn); mã của nó không bị dùng lại",
    )
    _pair_options(i)
    i.set_defaults(func=run_import)


# The command line reads larger files than the page (a portal's whole export).
CLI_MAX_BYTES = 200 * 1024 * 1024
CLI_MAX_ROWS = 500_000


def _pair_options(parser: Any) -> None:
    parser.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="CỘT=TRƯỜNG",
        help='cột của tệp ứng với trường nào của danh mục, ví dụ --map "Số hiệu=symbol"',
    )
    parser.add_argument(
        "--set",
        action="append",
        default=[],
        metavar="TRƯỜNG=GIÁ_TRỊ",
        help='giá trị chung cho cả tệp khi ô trống, ví dụ --set "issuer=UBND tỉnh"',
    )


def _catalogue(args: argparse.Namespace) -> Catalogue | IndexedFile:
    """`--catalogue FILE` through its saved index (built on first use, rebuilt when the file
    changes); else the shipped catalogue merged with the user's rows."""
    target = default_db()  # a SQLite file or a postgresql:// URL
    if args.catalogue:
        folder = target.parent if isinstance(target, Path) else DEFAULT_DB.parent
        return IndexedFile.open(
            args.catalogue, fallback_dir=folder / "search-index", max_bytes=CLI_MAX_BYTES
        )
    if isinstance(target, Path) and not target.exists():
        return load_catalogue(None)  # a search never creates a database
    return load_catalogue(PlanStore(target))


def run_search(args: argparse.Namespace) -> int:
    if args.limit < 1:
        raise InputFileError("Số kết quả (--limit) phải từ 1 trở lên.")
    check_query_length(args.query)
    hits = _catalogue(args).search(
        args.query,
        limit=args.limit,
        doc_type=args.doc_type,
        issuer_level=args.level,
        year_from=args.year_from,
        year_to=args.year_to,
        status=args.status,
    )
    if args.json:
        payload = [
            {
                "id": h.directive.id,
                "doc_type": h.directive.doc_type,
                "symbol": h.directive.symbol,
                "issued": h.directive.issued.isoformat() if h.directive.issued else None,
                "issuer": h.directive.issuer,
                "title": h.directive.title,
                "status": h.directive.status,
                "score": h.score,
                "match": h.match,
                "reasons": list(h.reasons),
            }
            for h in hits
        ]
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        return 0
    if not hits:
        sys.stdout.write("Không tìm thấy văn bản nào.\n")
        return 0
    weak_shown = False
    for n, hit in enumerate(hits, start=1):
        if hit.match == MATCH_WEAK and not weak_shown:
            weak_shown = True
            if hits.best is None:
                sys.stdout.write("Không có văn bản khớp. Các văn bản gần giống:\n")
            else:
                sys.stdout.write("Không có văn bản khớp khác. Các văn bản gần giống:\n")
        d = hit.directive
        when = f" ngày {citation_date(d.issued)}" if d.issued else ""
        issuer = f" của {d.issuer}" if d.issuer else ""
        grade = MATCH_LABELS.get(hit.match, hit.match)
        sys.stdout.write(f"{n}. {d.label}{when}{issuer} [{d.status_label}] ({d.id})\n")
        if d.title:
            sys.stdout.write(f"   {d.title}\n")
        if hit.reasons:
            sys.stdout.write(f"   {grade}: {'; '.join(hit.reasons)}\n")
    return 0


MATCH_LABELS = {"exact": "Khớp số ký hiệu", "strong": "Khớp", "weak": "Gần giống"}


def _mapped_rows(
    table: Table, mapping: dict[str, str], constants: dict[str, str]
) -> tuple[list[dict[str, str]], list[str]]:
    """The table's rows under our column names (`--map`, the guess) with `--set` filling gaps."""
    resolved = resolve_mapping(table, mapping)
    fixed = check_constants(constants, table.name)
    index = {h: i for i, h in enumerate(table.headers)}
    pairs = [(c, index[h]) for c, h in resolved.items() if h is not None]
    rows = []
    for raw in table.rows:
        row = {c: raw[i] for c, i in pairs}
        for column, value in fixed.items():
            if not row.get(column, "").strip():
                row[column] = value
        rows.append(row)
    columns = [c for c in COLUMNS if resolved.get(c) is not None or c in fixed]
    return rows, columns


def run_check(args: argparse.Namespace) -> int:
    path = Path(args.file) if args.file else SHIPPED_CSV
    table = read_table(path.read_bytes(), path.name, max_bytes=CLI_MAX_BYTES, max_rows=CLI_MAX_ROWS)
    mapping, constants = parse_pairs(args.map, "--map"), parse_pairs(args.set, "--set")
    if mapping or constants:
        rows, columns = _mapped_rows(table, mapping, constants)
        findings = check_catalogue(rows, columns=columns)
    else:
        rows = [dict(zip(table.headers, row, strict=False)) for row in table.rows]
        findings = check_catalogue(rows, columns=table.headers)
    if args.json:
        payload = [{"row": f.row, "column": f.column, "message": f.message} for f in findings]
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        return 1 if findings else 0
    if table.note:
        sys.stderr.write(table.note + "\n")
    if not findings:
        sys.stdout.write(f"{path.name}: {len(rows)} văn bản, không có lỗi.\n")
        return 0
    for f in findings:
        sys.stdout.write(f"{path.name}: {f.text()}\n")
    sys.stdout.write(f"{path.name}: {len(findings)} lỗi trong {len(rows)} văn bản.\n")
    return 1


def _catalogue_csv(directives: tuple[Directive, ...]) -> bytes:
    """Rows in the catalogue's format: UTF-8 with BOM (Excel shows Vietnamese right), cells as
    written (this is data for the program, like data/directives.csv, not an export)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for d in directives:
        row = d.to_row()
        writer.writerow([row[c] for c in COLUMNS])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def run_import(args: argparse.Namespace) -> int:
    path, out = Path(args.file), Path(args.output)
    mapping, constants = parse_pairs(args.map, "--map"), parse_pairs(args.set, "--set")
    if out.resolve() == path.resolve():
        raise InputFileError(f"Tệp ra “{out.name}” trùng tệp vào; hãy ghi ra tệp khác.")
    table = read_table(path.read_bytes(), path.name, max_bytes=CLI_MAX_BYTES, max_rows=CLI_MAX_ROWS)
    from planner.cli.catalogue_file import read_catalogue

    catalogue = read_catalogue(args.catalogue)
    report = import_rows(table, mapping, constants, catalogue=catalogue)
    if args.json:
        payload = report.to_json() | {"output": str(out) if report.ok else None}
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    else:
        if table.note:  # how the file was read: on stdout with the report, so a refusal
            sys.stdout.write(f"{path.name}: {table.note}\n")  # stays one line on stderr
        for line in report.summary():
            sys.stdout.write(f"{path.name}: {line}\n")
        for finding in report.problems:
            sys.stdout.write(f"{path.name}: {finding.text()}\n")
    if not report.ok:
        first = report.problems[0]
        more = len(report.problems) - 1
        tail = f" (và {more} lỗi khác)" if more else ""
        raise InputFileError(
            f"Tệp “{path.name}”, {first.text()}{tail}; chưa ghi gì vào “{out.name}”."
        )
    data = _catalogue_csv(report.directives)
    partial = out.with_name(f".{out.name}.partial")
    partial.write_bytes(data)
    os.replace(partial, out)
    if not args.json:
        count = f"{report.imported:,}".replace(",", ".")
        sys.stdout.write(f"Đã ghi {count} văn bản vào {out}.\n")
    return 0
