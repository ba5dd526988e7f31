"""Rollover and citation commands.

- `rollover PLAN.json --year Y -o NEW.json [--json]`: next year's draft and its findings (exit 0);
- `check-citations PLAN.json [--json]`: every citation linked or flagged (0 clean, 1 findings).
- `findings PLAN.json [--json] [--apply all|ID…] [--dismiss ID…] [-o OUT.json]`: the plan's
  findings listed; with `--apply`/`--dismiss`, applied (each with its group, as the page does)
  or dismissed and the plan written to OUT.json (exit 0; bad input or an unknown id: exit 2).

Both read the shipped catalogue `data/directives.csv` (or `--catalogue CSV`).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from typing import Any

from planner.catalogue.model import Catalogue
from planner.cli.plan import cli_today, read_plan
from planner.drafting.citation_check import check_citations
from planner.drafting.findings import (
    KIND_LABELS,
    Finding,
    apply_findings,
    dismiss_finding,
    findings_of,
)
from planner.drafting.rollover import rollover
from planner.errors import InputFileError
from planner.model import save_plan


def register(sub: Any) -> None:
    p = sub.add_parser(
        "rollover",
        help="tạo bản nháp kế hoạch năm mới từ kế hoạch năm trước, kèm các điểm cần rà soát",
    )
    p.add_argument("plan", metavar="KẾ_HOẠCH.json")
    p.add_argument("--year", type=int, required=True, metavar="NĂM", help="năm của kế hoạch mới")
    p.add_argument("-o", "--output", required=True, metavar="MỚI.json")
    p.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    p.add_argument("--catalogue", metavar="DANH_MỤC.csv", help="mặc định: data/directives.csv")
    p.add_argument(
        "--today", metavar="YYYY-MM-DD", help="ngày hôm nay (mặc định: PLANNER_TODAY hoặc ngày máy)"
    )
    p.set_defaults(func=run_rollover)

    c = sub.add_parser(
        "check-citations",
        help="kiểm tra mọi trích dẫn văn bản trong kế hoạch với danh mục văn bản",
    )
    c.add_argument("plan", metavar="KẾ_HOẠCH.json")
    c.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    c.add_argument("--catalogue", metavar="DANH_MỤC.csv", help="mặc định: data/directives.csv")
    c.set_defaults(func=run_check)

    f = sub.add_parser(
        "findings",
        help="liệt kê, áp dụng hoặc bỏ qua các điểm cần rà soát của kế hoạch (như trên trang)",
    )
    f.add_argument("plan", metavar="KẾ_HOẠCH.json")
    f.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    f.add_argument(
        "--apply",
        nargs="+",
        metavar="MÃ",
        help="áp dụng các điểm này (mỗi điểm cùng nhóm câu của nó); “all”: mọi điểm có đề xuất",
    )
    f.add_argument("--dismiss", nargs="+", metavar="MÃ", help="bỏ qua các điểm này")
    f.add_argument("-o", "--output", metavar="RA.json", help="tệp kế hoạch ghi ra sau khi sửa")
    f.set_defaults(func=run_findings)


def _catalogue(args: argparse.Namespace) -> Catalogue:
    from planner.cli.catalogue_file import read_catalogue

    return read_catalogue(args.catalogue)


def _dump(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _line(f: Finding, *, with_id: bool = False) -> str:
    arrow = f" → “{f.suggestion}”" if f.suggestion else ""
    times = f" ({f.count} chỗ)" if f.count > 1 else ""
    ident = f"{f.id} · " if with_id else ""
    return (
        f"  [{f.status_label}] {ident}{f.place}: {KIND_LABELS.get(f.kind, f.kind)}: "
        f"“{f.text}”{times}{arrow}"
    )


def run_findings(args: argparse.Namespace) -> int:
    plan = read_plan(args.plan)
    changing = bool(args.apply or args.dismiss)
    if changing and not args.output:
        raise InputFileError(
            "Cần chỉ tệp ghi ra (-o RA.json) khi áp dụng hoặc bỏ qua phát hiện; "
            "tệp gốc không bị ghi đè."
        )
    before = {f.id: f.status for f in findings_of(plan)}
    for fid in args.dismiss or ():
        plan = dismiss_finding(plan, fid)
    if args.apply:
        ids = list(args.apply)
        if ids == ["all"]:
            ids = [f.id for f in findings_of(plan) if f.can_apply]
        elif "all" in ids:
            raise InputFileError("“--apply all” không đi cùng mã phát hiện nào khác.")
        plan = apply_findings(plan, ids)
    if args.output:
        save_plan(plan, args.output)
    found = findings_of(plan)
    counts = Counter(f.status for f in found)
    changed = {
        status: [f.id for f in found if f.status == status and before.get(f.id) != status]
        for status in ("applied", "dismissed")
    }
    if args.json:
        _dump(
            {
                "output": str(args.output) if args.output else None,
                "open": counts["open"],
                "applied": counts["applied"],
                "dismissed": counts["dismissed"],
                "applied_now": changed["applied"],
                "dismissed_now": changed["dismissed"],
                "findings": [{**f.to_dict(), "group": f.group, "count": f.count} for f in found],
            }
        )
        return 0
    out = sys.stdout
    if changing:
        out.write(
            f"Đã áp dụng {len(changed['applied'])} điểm, bỏ qua {len(changed['dismissed'])} "
            f"điểm; đã ghi {args.output}\n"
        )
    if not found:
        out.write("Kế hoạch chưa có điểm nào cần rà soát.\n")
        return 0
    out.write(
        f"{len(found)} điểm: {counts['open']} cần xem, {counts['applied']} đã áp dụng, "
        f"{counts['dismissed']} đã bỏ qua.\n"
    )
    sizes = Counter(f.group for f in found if f.group)
    for f in found:
        mates = sizes.get(f.group, 0) - 1 if f.group else 0
        note = f" [cùng câu với {mates} điểm khác: áp dụng cùng nhau]" if mates > 0 else ""
        out.write(_line(f, with_id=True) + note + "\n")
    return 0


def run_rollover(args: argparse.Namespace) -> int:
    plan = read_plan(args.plan)
    result = rollover(plan, args.year, catalogue=_catalogue(args), today=cli_today(args.today))
    save_plan(result.plan, args.output)
    counts = Counter(f.kind for f in result.findings)
    if args.json:
        _dump(
            {
                "output": str(args.output),
                "from_year": plan.meta.year,
                "year": args.year,
                "open": len(result.open_findings),
                "applied": len(result.applied_findings),
                "counts": dict(counts),
                "findings": [f.to_dict() for f in result.findings],
            }
        )
        return 0
    out = sys.stdout
    out.write(
        f"Đã tạo bản nháp kế hoạch năm {args.year} từ kế hoạch năm {plan.meta.year}: "
        f"{args.output}\n"
        f"Đã tự sửa {len(result.applied_findings)} điểm; còn {len(result.open_findings)} "
        "điểm cần rà soát.\n"
    )
    for f in result.findings:
        out.write(_line(f) + "\n")
    return 0


def run_check(args: argparse.Namespace) -> int:
    plan = read_plan(args.plan)
    report = check_citations(plan, _catalogue(args))
    if args.json:
        _dump(
            {
                "mentions": [
                    {
                        "place": m.place,
                        "path": dict(m.path),
                        "raw": m.raw,
                        "symbol": m.symbol,
                        "issued": m.issued.isoformat() if m.issued else None,
                        "directive_id": m.directive_id,
                    }
                    for m in report.mentions
                ],
                "symbols": len(report.symbols),
                "documents": len(report.documents),
                "linked": report.linked,
                "findings": [f.to_dict() for f in report.findings],
            }
        )
    else:
        out = sys.stdout
        out.write(
            f"Tìm thấy {len(report.mentions)} trích dẫn ({len(report.symbols)} số ký hiệu, "
            f"{len(report.documents)} văn bản); {report.linked} trích dẫn khớp danh mục.\n"
        )
        for m in report.mentions:
            mark = m.directive_id or "chưa có trong danh mục"
            out.write(f"  {m.place}: {m.raw} [{mark}]\n")
        if report.findings:
            out.write(f"{len(report.findings)} điểm cần xem:\n")
            for f in report.findings:
                out.write(_line(f) + "\n")
        else:
            out.write("Không có vấn đề nào.\n")
    return 0 if report.clean else 1
