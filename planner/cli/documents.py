"""Document commands: `export PLAN.json -o OUT.docx` and `check-docx IN.docx`.

"Today" (the document's core-property dates, the charts' reference day) is the real date,
read here and only here.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

from planner.errors import InputFileError


def register(sub: Any) -> None:
    p = sub.add_parser(
        "export", help="xuất kế hoạch (.json) thành văn bản Word theo Nghị định 30/2020"
    )
    p.add_argument("plan", metavar="KẾ_HOẠCH.json")
    p.add_argument("-o", "--output", required=True, metavar="TỆP.docx")
    p.add_argument("--template", metavar="MẪU.docx", help="tệp mẫu Word có đủ các kiểu ND30")
    p.add_argument("--charts", action="store_true", help="thêm biểu đồ tiến độ vào Phụ lục")
    p.add_argument(
        "--schedule", action="store_true", help="thêm bảng Tiến độ thực hiện từ các công việc"
    )
    p.set_defaults(func=run_export)
    c = sub.add_parser("check-docx", help="kiểm tra thể thức một tệp Word theo Nghị định 30/2020")
    c.add_argument("docx", metavar="VĂN_BẢN.docx")
    c.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    c.set_defaults(func=run_check)


def run_export(args: argparse.Namespace) -> int:
    from planner.docx.writer import export_docx
    from planner.model import load_plan

    today = date.today()
    plan = load_plan(args.plan)
    template = Path(args.template).read_bytes() if args.template else None
    rows: list[tuple[str, str, str, str]] = []
    charts: list[tuple[str, bytes]] = []
    if args.schedule:
        from planner.progress.tasks import schedule_rows

        rows = schedule_rows(plan)
        if not rows:
            sys.stderr.write("Lưu ý: kế hoạch chưa có công việc nào, không có bảng tiến độ.\n")
    if args.charts:
        from planner.progress.charts import chart_images, previous_plan

        charts = chart_images(plan, today, previous_plan(plan))
        if not charts:
            sys.stderr.write("Lưu ý: kế hoạch chưa có công việc nào, không có biểu đồ.\n")
    data = export_docx(plan, today=today, template=template, schedule_rows=rows, charts=charts)
    out = Path(args.output)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(out)
    return 0


def run_check(args: argparse.Namespace) -> int:
    from planner.nd30.checker import check_docx

    path = Path(args.docx)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputFileError(f"Không tìm thấy tệp {path}.") from None
    findings = check_docx(data, path.name)
    if args.json:
        rows = [{"rule": f.rule, "message": f.message, "where": f.where} for f in findings]
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
    elif not findings:
        sys.stdout.write(f"{path.name}: đúng thể thức theo Nghị định 30/2020, không có lỗi.\n")
    else:
        sys.stdout.write(f"{path.name}: {len(findings)} lỗi thể thức.\n")
        for f in findings:
            sys.stdout.write(f"- {f.message} [{f.where}] ({f.rule})\n")
    return 1 if findings else 0
