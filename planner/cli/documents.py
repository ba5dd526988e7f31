"""Document commands: `export PLAN.json -o OUT.docx` and `check-docx IN.docx`.

`export` checks first whether the plan is ready to sign (`planner.drafting.readiness`): a plan
that is not is written with a *DỰ THẢO* mark in the page header and a one-line note on stderr
(exit 0); with `--final` it is refused (exit 1) and what is left is printed, one item a line.

"Today" (the document's core-property dates, the charts' reference day, overdue tasks in the
readiness check) is `PLANNER_TODAY` when set, else the real date, read here and only here.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planner.errors import InputFileError

if TYPE_CHECKING:
    from planner.drafting.readiness import Readiness
    from planner.model import Plan


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
    p.add_argument(
        "--final",
        action="store_true",
        help="bản chính thức: từ chối nếu kế hoạch chưa sẵn sàng để trình ký "
        "(không có thì kế hoạch chưa sẵn sàng được xuất kèm dấu DỰ THẢO)",
    )
    p.add_argument("--catalogue", metavar="DANH_MỤC.csv", help="mặc định: data/directives.csv")
    p.set_defaults(func=run_export)
    c = sub.add_parser("check-docx", help="kiểm tra thể thức một tệp Word theo Nghị định 30/2020")
    c.add_argument("docx", metavar="VĂN_BẢN.docx")
    c.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    c.set_defaults(func=run_check)


def run_export(args: argparse.Namespace) -> int:
    from planner.cli.plan import cli_today, read_plan
    from planner.docx.writer import export_docx

    today = cli_today(None)
    plan = read_plan(args.plan)
    readiness = _readiness(plan, args, today)
    if args.final and not readiness.ready:
        out = sys.stdout
        out.write(
            f"{Path(args.plan).name}: chưa xuất bản chính thức. {readiness.summary()}\n"
            "Hãy xử lý các điểm sau (hoặc xuất không có --final để được bản dự thảo):\n"
        )
        for item in readiness.items:
            out.write(f"- {item.line}\n")
        return 1
    template: bytes | None = None
    template_name = "mẫu.docx"
    notes: list[str] = []
    if args.template:
        from planner.docx.safety import removal_lines
        from planner.docx.writer import clean_template

        template_path = Path(args.template)
        template_name = template_path.name
        try:
            raw = template_path.read_bytes()
        except FileNotFoundError:
            raise InputFileError(f"Không tìm thấy tệp mẫu {template_name}.") from None
        template, removed = clean_template(raw, template_name)
        notes = removal_lines(removed, template_name)  # said once the document is written
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
    draft = not readiness.ready
    data = export_docx(
        plan,
        today=today,
        template=template,
        schedule_rows=rows,
        charts=charts,
        draft_mark=draft,
        template_name=template_name,
    )
    out = Path(args.output)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(out)
    for line in notes:
        sys.stderr.write(line + "\n")
    if draft:
        sys.stderr.write(
            f"Lưu ý: đã xuất bản DỰ THẢO (có dấu “DỰ THẢO” ở đầu trang): kế hoạch còn "
            f"{len(readiness.items)} điểm chưa xử lý; xem bằng “python -m planner check-plan "
            f"{args.plan}”.\n"
        )
    return 0


def _readiness(plan: Plan, args: argparse.Namespace, today: date) -> Readiness:
    from planner.cli.catalogue_file import read_catalogue
    from planner.drafting.readiness import check_readiness

    catalogue = read_catalogue(args.catalogue)
    return check_readiness(plan, catalogue, today=today)


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
