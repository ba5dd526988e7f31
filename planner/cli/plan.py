"""Plan-file commands.

- `sample -o FILE`: the built-in sample plan;
- `new --year Y [--from PLAN.json] [--authority …] … -o PLAN.json`: a new plan from nothing,
  the office's header and signer from its last plan or the options (exit 0);
- `check-plan PLAN.json [--json] [--catalogue CSV]`: is the plan ready to sign? One item a
  line with its place (exit 0 ready, 1 not ready, 2 bad input).

"Today" is `--today`, else `PLANNER_TODAY`, else the machine's date, read here only.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import date
from pathlib import Path
from typing import Any

from planner.errors import InputFileError
from planner.model import Plan, load_plan, save_plan
from planner.sample import sample_plan


def register(sub: Any) -> None:
    p = sub.add_parser("sample", help="ghi kế hoạch mẫu 932/KH-PGDĐT năm 2020 ra tệp .json")
    p.add_argument("-o", "--output", required=True, metavar="TỆP.json")
    p.set_defaults(func=run_sample)

    n = sub.add_parser(
        "new",
        help="tạo kế hoạch mới từ đầu: phần đầu và người ký của cơ quan, khung ba mục I, II, III",
    )
    n.add_argument("--year", type=int, required=True, metavar="NĂM", help="năm của kế hoạch")
    n.add_argument(
        "--from",
        dest="source",
        metavar="KẾ_HOẠCH_CŨ.json",
        help="lấy cơ quan, ký hiệu, địa danh, người ký, nơi nhận từ kế hoạch gần nhất",
    )
    n.add_argument("--parent-authority", metavar="TÊN", help="cơ quan chủ quản")
    n.add_argument("--authority", metavar="TÊN", help="cơ quan ban hành")
    n.add_argument("--symbol", metavar="KÝ_HIỆU", help="ký hiệu văn bản, ví dụ KH-PGDĐT")
    n.add_argument("--place", metavar="ĐỊA_DANH", help="địa danh ghi ở dòng ngày tháng")
    n.add_argument("--subject", metavar="TRÍCH_YẾU", help="trích yếu của kế hoạch")
    n.add_argument("--signer-position", metavar="CHỨC_VỤ", help="chức vụ người ký")
    n.add_argument("--signer-name", metavar="HỌ_TÊN", help="họ tên người ký")
    n.add_argument("-o", "--output", required=True, metavar="TỆP.json")
    n.add_argument("--today", metavar="YYYY-MM-DD", help="ngày hôm nay (mặc định: ngày máy)")
    n.set_defaults(func=run_new)

    c = sub.add_parser("check-plan", help="kiểm tra kế hoạch đã sẵn sàng để trình ký chưa")
    c.add_argument("plan", metavar="KẾ_HOẠCH.json")
    c.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    c.add_argument("--catalogue", metavar="DANH_MỤC.csv", help="mặc định: data/directives.csv")
    c.add_argument("--today", metavar="YYYY-MM-DD", help="ngày hôm nay (mặc định: ngày máy)")
    c.set_defaults(func=run_check_plan)


def cli_today(value: str | None) -> date:
    """`value`, else `PLANNER_TODAY`, else the machine's date."""
    text = value or os.environ.get("PLANNER_TODAY", "")
    if not text:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputFileError(f"Ngày hôm nay “{text}” không hợp lệ (cần dạng YYYY-MM-DD).") from None


def read_plan(path: str | Path) -> Plan:
    """The plan file at `path` (`load_plan`), telling on stderr, one `Lưu ý: …` line each,
    what loading repaired (`Plan.notes`); every command that reads a plan file uses this."""
    plan = load_plan(path)
    for note in plan.notes:
        sys.stderr.write(f"Lưu ý: {note}\n")
    return plan


def run_sample(args: argparse.Namespace) -> int:
    save_plan(sample_plan(), args.output)
    return 0


def run_new(args: argparse.Namespace) -> int:
    from planner.drafting.new_plan import new_plan

    last = read_plan(args.source) if args.source else None
    plan = new_plan(
        args.year,
        header_from=last,
        today=cli_today(args.today),
        parent_authority=args.parent_authority,
        authority=args.authority,
        symbol=args.symbol,
        place=args.place,
        subject=args.subject,
        signer_position=args.signer_position,
        signer_name=args.signer_name,
    )
    save_plan(plan, args.output)
    source = f" (phần đầu và người ký lấy từ {Path(args.source).name})" if args.source else ""
    sys.stdout.write(
        f"Đã tạo kế hoạch mới năm {args.year}: {args.output}{source}.\n"
        "Hãy thay các lời hướng dẫn [Hướng dẫn: …] bằng nội dung, rồi kiểm tra bằng "
        f"“python -m planner check-plan {args.output}”.\n"
    )
    return 0


def run_check_plan(args: argparse.Namespace) -> int:
    from planner.drafting.readiness import check_readiness

    plan = read_plan(args.plan)
    from planner.cli.catalogue_file import read_catalogue

    catalogue = read_catalogue(args.catalogue)
    result = check_readiness(plan, catalogue, today=cli_today(args.today))
    if args.json:
        sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n")
    else:
        out = sys.stdout
        out.write(f"{Path(args.plan).name}: {result.summary()}\n")
        for item in result.items:
            out.write(f"- {item.line}\n")
        for note in result.notes:
            out.write(f"Lưu ý: {note}\n")
    return 0 if result.ready else 1
