"""`import-docx IN.docx -o PLAN.json`: last year's plan from Word into the plan format."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from planner.docx.reader import import_docx
from planner.docx.safety import MAX_DOCX_BYTES
from planner.errors import InputFileError
from planner.model import save_plan


def register(sub: Any) -> None:
    p = sub.add_parser(
        "import-docx",
        help="đọc kế hoạch năm trước từ tệp Word (.docx) và ghi ra tệp kế hoạch .json",
    )
    p.add_argument("input", metavar="TỆP.docx")
    p.add_argument("-o", "--output", required=True, metavar="KẾ_HOẠCH.json")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    src = Path(args.input)
    if not src.is_file():
        raise InputFileError(f"Không tìm thấy tệp “{src}”.")
    if src.stat().st_size > MAX_DOCX_BYTES:
        # refuse before reading a huge file into memory
        raise InputFileError(
            f"Tệp “{src.name}” quá lớn; chỉ nhận tệp Word đến {MAX_DOCX_BYTES // 1024 // 1024} MB."
        )
    result = import_docx(src.read_bytes(), src.name)
    save_plan(result.plan, args.output)
    for warning in result.warnings:
        sys.stderr.write(f"Lưu ý: {warning}\n")
    sections = sum(1 for _ in result.plan.iter_sections())
    sys.stdout.write(
        f"Đã đọc “{src.name}”: {len(result.plan.bases)} căn cứ, {sections} mục; "
        f"đã ghi {args.output}.\n"
    )
    return 0
