"""Catalogue commands: `search QUERY [--limit N] [--json]` and `check-catalogue [FILE]`.

`search` looks in the shipped catalogue merged with the user's rows (when the database at
`PLANNER_DB` / `.data/planner.db` exists; it is never created by a search), or in `--catalogue`.
`check-catalogue` exits 0 when the file is clean, 1 with findings, 2 when it cannot be read.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from planner.catalogue.citation import citation_date
from planner.catalogue.files import check_catalogue, read_table
from planner.catalogue.model import ISSUER_LEVELS, STATUSES, Catalogue
from planner.catalogue.user_rows import SHIPPED_CSV, load_catalogue
from planner.errors import InputFileError
from planner.store.plans import PlanStore, default_db_path


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
    c.set_defaults(func=run_check)


def _catalogue(args: argparse.Namespace) -> Catalogue:
    if args.catalogue:
        return Catalogue.from_csv(args.catalogue)
    path = default_db_path()
    return load_catalogue(PlanStore(path) if path.exists() else None)


def run_search(args: argparse.Namespace) -> int:
    if args.limit < 1:
        raise InputFileError("Số kết quả (--limit) phải từ 1 trở lên.")
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
            }
            for h in hits
        ]
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        return 0
    if not hits:
        sys.stdout.write("Không tìm thấy văn bản nào.\n")
        return 0
    for n, hit in enumerate(hits, start=1):
        d = hit.directive
        when = f" ngày {citation_date(d.issued)}" if d.issued else ""
        issuer = f" của {d.issuer}" if d.issuer else ""
        sys.stdout.write(f"{n}. {d.label}{when}{issuer} [{d.status_label}] ({d.id})\n")
        if d.title:
            sys.stdout.write(f"   {d.title}\n")
    return 0


def run_check(args: argparse.Namespace) -> int:
    path = Path(args.file) if args.file else SHIPPED_CSV
    table = read_table(path.read_bytes(), path.name)
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
