"""`harvest-citations PLAN… -o ROWS.csv`: catalogue rows for what the office's own plans cite.

Reads every .docx and plan .json given (folders searched, sub-folders too) through
`planner.drafting.harvest.harvest_files`, writes the documents the catalogue (`--catalogue`,
by default data/directives.csv) does not hold yet as rows in the catalogue's format, and prints
the report. A file that cannot be read is reported and the others are still read; exit 0 when
the rows are written, 2 when no file could be read (nothing written; one line on stderr).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

from planner.cli.catalogue import _catalogue_csv
from planner.drafting.harvest import harvest_files
from planner.errors import InputFileError

MAX_SHOWN = 5


def register(sub: Any) -> None:
    p = sub.add_parser(
        "harvest-citations",
        help="lấy các văn bản được trích dẫn trong kế hoạch cũ mà danh mục chưa có",
    )
    p.add_argument(
        "inputs", nargs="+", metavar="TỆP_HOẶC_THƯ_MỤC", help="tệp .docx, .json hoặc thư mục"
    )
    p.add_argument("-o", "--output", required=True, metavar="RA.csv", help="tệp danh mục ghi ra")
    p.add_argument("--catalogue", metavar="DANH_MỤC.csv", help="mặc định: data/directives.csv")
    p.add_argument("--json", action="store_true", help="in báo cáo dạng JSON")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    out = Path(args.output)
    from planner.cli.catalogue_file import read_catalogue

    catalogue = read_catalogue(args.catalogue)
    report = harvest_files(args.inputs, catalogue)
    if not report.files_read:  # one line naming every file (at most MAX_SHOWN of them)
        reasons = [" ".join(u.message.split()).rstrip(".") for u in report.unreadable]
        shown = "; ".join(reasons[:MAX_SHOWN])
        if len(reasons) > MAX_SHOWN:
            shown += f"; và {len(reasons) - MAX_SHOWN} tệp khác"
        if len(reasons) > 1:
            shown = f"Không đọc được kế hoạch nào trong {len(reasons)} tệp đã cho: {shown}"
        raise InputFileError(f"{shown}. Chưa ghi gì vào “{out.name}”.")
    partial = out.with_name(f".{out.name}.partial")
    partial.write_bytes(_catalogue_csv(tuple(report.rows)))
    os.replace(partial, out)
    if args.json:
        payload = report.to_json() | {"output": str(out)}
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        return 0
    for u in report.unreadable:
        sys.stderr.write(f"Lỗi: {u.message}\n")
    lines = report.summary()
    sys.stdout.write(lines[0] + "\n")
    for line in lines[1 + len(report.unreadable) :]:
        sys.stdout.write(line + "\n")
    for doc in report.documents:
        d = doc.directive
        sys.stdout.write(f"  {d.id}: {d.label} ({len(doc.citations)} lần trích dẫn)\n")
    sys.stdout.write(f"Đã ghi {len(report.rows)} văn bản vào {out}.\n")
    return 0
