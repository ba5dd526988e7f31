"""`import-docx IN.docx -o PLAN.json`: last year's plan from Word into the plan format.

`--report` prints what was read (header, Căn cứ, preamble, sections with their depth,
tables, appendices, signer, suggested tasks, what was skipped and not understood) and, without
`-o`, saves nothing; `--json` prints the same report as JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from planner.docx.reader import import_docx, import_report, report_lines
from planner.docx.safety import MAX_DOCX_BYTES
from planner.errors import InputFileError
from planner.model import save_plan


def register(sub: Any) -> None:
    p = sub.add_parser(
        "import-docx",
        help="đọc kế hoạch năm trước từ tệp Word (.docx) và ghi ra tệp kế hoạch .json",
    )
    p.add_argument("input", metavar="TỆP.docx")
    p.add_argument(
        "-o",
        "--output",
        metavar="KẾ_HOẠCH.json",
        help="tệp kế hoạch ghi ra (cần khi không xem báo cáo)",
    )
    p.add_argument(
        "--report",
        action="store_true",
        help="in báo cáo những gì đã đọc được (không có -o thì không ghi tệp nào)",
    )
    p.add_argument("--json", action="store_true", help="in báo cáo dạng JSON")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    src = Path(args.input)
    report_only = getattr(args, "report", False) or getattr(args, "json", False)
    if not args.output and not report_only:
        raise InputFileError(
            "Cần cho biết tệp kế hoạch ghi ra (-o KẾ_HOẠCH.json) hoặc dùng --report."
        )
    if not src.is_file():
        raise InputFileError(f"Không tìm thấy tệp “{src}”.")
    if src.stat().st_size > MAX_DOCX_BYTES:
        # refuse before reading a huge file into memory
        raise InputFileError(
            f"Tệp “{src.name}” quá lớn; chỉ nhận tệp Word đến {MAX_DOCX_BYTES // 1024 // 1024} MB."
        )
    result = import_docx(src.read_bytes(), src.name)
    if report_only:
        report = import_report(result)
        if getattr(args, "json", False):
            sys.stdout.write(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
        else:
            sys.stdout.write(f"Báo cáo đọc tệp “{src.name}”:\n")
            sys.stdout.write("".join(f"{line}\n" for line in report_lines(report)))
    if not args.output:
        return 0
    save_plan(result.plan, args.output)
    if not report_only:
        for warning in result.warnings:
            sys.stderr.write(f"Lưu ý: {warning}\n")
    sections = sum(1 for _ in result.plan.iter_sections())
    message = (
        f"Đã đọc “{src.name}”: {len(result.plan.bases)} căn cứ, {sections} mục, "
        f"{len(result.plan.appendices)} phụ lục; đã ghi {args.output}.\n"
    )
    (sys.stderr if getattr(args, "json", False) else sys.stdout).write(message)
    return 0
