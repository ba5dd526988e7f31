"""Plan commands for backups and scripts: `plans list [--json]`, `plans export ID -o FILE.json`,
`plans import FILE.json`.

`--db` (else `PLANNER_DB`, else `.data/planner.db`) selects the store: a SQLite file or a
`postgresql://` URL. An export holds the plan with every version (each whole), its version
names and marks, and whether it is in the bin; an import stores all of it as one plan (a new
id when the store already has a plan with the exported one).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from planner.errors import InputFileError
from planner.store.backend import is_url
from planner.store.plans import PlanStore, default_db
from planner.store.transfer import check_usable, export_plan, import_plan, read_export


def with_db(p: argparse.ArgumentParser) -> None:
    """`--db CSDL`: the store of a command that takes a SQLite file or a PostgreSQL URL."""
    p.add_argument(
        "--db",
        metavar="CSDL",
        help="tệp .db hoặc địa chỉ postgresql://… (mặc định: biến PLANNER_DB, "
        "hoặc .data/planner.db)",
    )


def register(sub: Any) -> None:
    plans = sub.add_parser("plans", help="liệt kê, xuất, nhập kế hoạch (sao lưu, tập lệnh)")
    actions = plans.add_subparsers(dest="plans_command", metavar="VIỆC", parser_class=type(plans))
    actions.required = True

    ls = actions.add_parser("list", help="liệt kê kế hoạch (cả trong thùng rác)")
    ls.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    with_db(ls)
    ls.set_defaults(func=run_list)

    ex = actions.add_parser("export", help="xuất một kế hoạch với mọi phiên bản ra tệp JSON")
    ex.add_argument("plan_id", metavar="MÃ")
    ex.add_argument("-o", "--output", required=True, metavar="TỆP.json", help="tệp JSON (mới)")
    with_db(ex)
    ex.set_defaults(func=run_export)

    im = actions.add_parser("import", help="nhập một kế hoạch từ tệp JSON đã xuất")
    im.add_argument("file", metavar="TỆP.json")
    with_db(im)
    im.set_defaults(func=run_import)


def open_store(db: str | None, *, must_exist: bool) -> PlanStore:
    """The store named by `--db` (else the default); a SQLite file that is not there is
    refused when `must_exist` (listing or exporting never creates a store)."""
    target: str | Path = db if db and is_url(db) else Path(db) if db else default_db()
    if must_exist and isinstance(target, Path) and not target.is_file():
        raise InputFileError(f"Không có cơ sở dữ liệu ở {target}.")
    store = PlanStore(target)
    check_usable(store)
    return store


def run_list(args: argparse.Namespace) -> int:
    store = open_store(args.db, must_exist=True)
    plans = store.list_plans(include_deleted=True)
    if args.json:
        payload = [
            {
                "id": p.id,
                "title": p.title,
                "year": p.year,
                "version": p.version,
                "updated_at": p.updated_at.isoformat(),
                "deleted": p.deleted,
            }
            for p in plans
        ]
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        return 0
    sys.stdout.write(f"{len(plans)} kế hoạch trong {store.location}.\n")
    for p in plans:
        bin_mark = " [thùng rác]" if p.deleted else ""
        sys.stdout.write(
            f"{p.id}  {p.title} (năm {p.year}, phiên bản {p.version}, sửa "
            f"{p.updated_at:%d/%m/%Y %H:%M}){bin_mark}\n"
        )
    return 0


def run_export(args: argparse.Namespace) -> int:
    output = Path(args.output)
    if output.exists():
        raise InputFileError(f"Tệp {output} đã có; hãy chọn tên tệp khác.")
    store = open_store(args.db, must_exist=True)
    record = export_plan(store, args.plan_id)
    partial = output.with_name(output.name + ".dang-ghi")
    partial.write_text(json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    partial.replace(output)
    sys.stdout.write(
        f"Đã xuất kế hoạch “{record['title']}” ({len(record['versions'])} phiên bản) "
        f"vào {output}.\n"
    )
    return 0


def run_import(args: argparse.Namespace) -> int:
    path = Path(args.file)
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise InputFileError(f"Tệp {path} không phải văn bản UTF-8.") from None
    except json.JSONDecodeError as err:
        raise InputFileError(
            f"Tệp {path} không phải JSON hợp lệ (dòng {err.lineno}, cột {err.colno})."
        ) from None
    except RecursionError:
        raise InputFileError(f"Tệp {path} lồng quá sâu, không đọc được.") from None
    try:
        export = read_export(record, name=str(path))  # checked before any store is created
    except RecursionError:
        raise InputFileError(f"Tệp {path} lồng quá sâu, không đọc được.") from None
    store = open_store(args.db, must_exist=False)
    plan_id, versions = import_plan(store, export, now=datetime.now())
    sys.stdout.write(f"Đã nhập kế hoạch {plan_id} ({versions} phiên bản) vào {store.location}.\n")
    return 0
