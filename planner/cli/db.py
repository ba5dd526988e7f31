"""Store commands: `db backup -o FILE`, `db restore FILE`, `db check [--json]`,
`db prune --older-than DAYS [--plan ID]`, `db copy SOURCE TARGET [--force]`.

`db copy` moves everything (every plan with every version, marks and the bin, every catalogue
row with its versions) between a SQLite file and a PostgreSQL database (`postgresql://…`), in
one transaction on the target; a target holding data is refused unless `--force`.

`--db PATH` (else `PLANNER_DB`, else `.data/planner.db`) selects the database. `db check` exits
0 when the store is intact and every plan readable, 1 when something is damaged, 2 when the
database cannot be found or read at all.
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
from planner.store.backup import backup, check_store, restore
from planner.store.health import DAMAGED, READ_ONLY, UNAVAILABLE
from planner.store.plans import PlanStore, default_db_path
from planner.store.transfer import TABLE_TEXT, check_usable, copy_store

STATUS_TEXT = {
    "ok": "không có lỗi",
    READ_ONLY: "chỉ đọc",
    DAMAGED: "bị hỏng",
    UNAVAILABLE: "không dùng được",
}


def register(sub: Any) -> None:
    db = sub.add_parser("db", help="sao lưu, khôi phục, kiểm tra cơ sở dữ liệu kế hoạch")
    actions = db.add_subparsers(dest="db_command", metavar="VIỆC", parser_class=type(db))
    actions.required = True

    def with_db(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--db",
            metavar="TỆP.db",
            help="cơ sở dữ liệu (mặc định: biến PLANNER_DB, hoặc .data/planner.db)",
        )

    b = actions.add_parser("backup", help="sao lưu cơ sở dữ liệu ra một tệp mới")
    b.add_argument("-o", "--output", required=True, metavar="TỆP.db", help="tệp sao lưu (mới)")
    with_db(b)
    b.set_defaults(func=run_backup)

    r = actions.add_parser("restore", help="khôi phục cơ sở dữ liệu từ một tệp sao lưu")
    r.add_argument("file", metavar="TỆP_SAO_LƯU")
    with_db(r)
    r.set_defaults(func=run_restore)

    c = actions.add_parser("check", help="kiểm tra cơ sở dữ liệu: chỗ hỏng, kế hoạch còn đọc được")
    c.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    with_db(c)
    c.set_defaults(func=run_check)

    p = actions.add_parser(
        "prune",
        help="xóa các phiên bản cũ (giữ bản mới nhất, bản đã đặt tên, bản xung đột chưa xử lý)",
    )
    p.add_argument(
        "--older-than", required=True, type=int, metavar="SỐ_NGÀY", help="xóa bản cũ hơn số ngày"
    )
    p.add_argument("--plan", metavar="MÃ", help="chỉ kế hoạch có mã này (mặc định: mọi kế hoạch)")
    with_db(p)
    p.set_defaults(func=run_prune)

    cp = actions.add_parser(
        "copy",
        help="chép toàn bộ dữ liệu giữa tệp SQLite và PostgreSQL (nguồn → đích)",
    )
    cp.add_argument("source", metavar="NGUỒN", help="tệp .db hoặc địa chỉ postgresql://…")
    cp.add_argument("target", metavar="ĐÍCH", help="tệp .db hoặc địa chỉ postgresql://…")
    cp.add_argument(
        "--force", action="store_true", help="thay toàn bộ nội dung của đích khi nó đã có dữ liệu"
    )
    cp.set_defaults(func=run_copy)


def _db(args: argparse.Namespace) -> Path:
    return Path(args.db) if args.db else default_db_path()


def run_backup(args: argparse.Namespace) -> int:
    result = backup(_db(args), Path(args.output))
    if result.salvaged:
        sys.stdout.write(
            f"Cơ sở dữ liệu bị hỏng: đã ghi phần còn đọc được ({result.plans} kế hoạch) "
            f"vào {result.path}.\n"
        )
    else:
        sys.stdout.write(f"Đã sao lưu {result.plans} kế hoạch vào {result.path}.\n")
    return 0


def run_restore(args: argparse.Namespace) -> int:
    result = restore(_db(args), Path(args.file), now=datetime.now())
    if result.kept is not None:
        sys.stdout.write(f"Đã giữ lại cơ sở dữ liệu cũ thành {result.kept}.\n")
    sys.stdout.write(f"Đã khôi phục {result.plans} kế hoạch vào {result.path}.\n")
    if result.unreadable:
        sys.stdout.write(
            f"Lưu ý: {result.unreadable} kế hoạch trong bản sao lưu không mở được "
            "(xem: python -m planner db check).\n"
        )
    return 0


def run_prune(args: argparse.Namespace) -> int:
    path = _db(args)
    check_store(path)  # an existing store: prune never creates one
    store = PlanStore(path)
    file_before = _file_bytes(path)
    result = store.prune_history(args.plan, args.older_than, now=datetime.now())
    if result.removed:
        store.vacuum()
    file_after = _file_bytes(path)
    sys.stdout.write(
        f"Đã xóa {result.removed} phiên bản cũ hơn {args.older_than} ngày "
        f"của {result.plans} kế hoạch.\n"
        f"Dữ liệu phiên bản: {_bytes(result.bytes_before)} → {_bytes(result.bytes_after)}; "
        f"tệp {path}: {_bytes(file_before)} → {_bytes(file_after)}.\n"
    )
    return 0


def _file_bytes(path: Path) -> int:
    sides = [path, path.with_name(path.name + "-wal")]
    return sum(p.stat().st_size for p in sides if p.exists())


def _bytes(n: int) -> str:
    return f"{n:,} byte".replace(",", ".")


def run_check(args: argparse.Namespace) -> int:
    path = _db(args)
    if path.is_file() and path.stat().st_size == 0:
        # Opening it as a store would write a new, empty database into it: a check only reads.
        problem = f"Tệp {path} trống (0 byte): không phải cơ sở dữ liệu, không có gì để kiểm tra."
        if args.json:
            payload = {"path": str(path), "status": "empty", "ok": False, "problems": [problem]}
            sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        else:
            sys.stdout.write(f"{path}: {problem}\n")
        return 1
    health = check_store(path)
    if args.json:
        payload = {
            "path": str(health.path),
            "status": health.status,
            "ok": health.healthy,
            "problems": list(health.problems),
            "lost_rows": health.lost_rows,
            "readable_plans": [
                {
                    "id": p.id,
                    "title": p.title,
                    "year": p.year,
                    "version": p.version,
                    "deleted": p.deleted,
                }
                for p in health.readable_plans
            ],
            "unreadable_plans": [
                {"id": p.id, "title": p.title, "year": p.year, "problem": p.problem}
                for p in health.unreadable_plans
            ],
        }
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    else:
        out = sys.stdout
        out.write(f"{health.path}: {STATUS_TEXT.get(health.status, health.status)}.\n")
        for problem in health.problems:
            out.write(f"- {problem}\n")
        if health.lost_rows:
            out.write(f"- Khoảng {health.lost_rows} dòng dữ liệu không đọc được.\n")
        out.write(f"Kế hoạch còn đọc được: {len(health.readable_plans)}.\n")
        for p in health.readable_plans:
            bin_mark = " [thùng rác]" if p.deleted else ""
            out.write(f"  {p.title} (năm {p.year}, phiên bản {p.version}) ({p.id}){bin_mark}\n")
        if health.unreadable_plans:
            out.write(f"Kế hoạch không đọc được: {len(health.unreadable_plans)}.\n")
            for p in health.unreadable_plans:
                out.write(f"  {p.title} (năm {p.year}) ({p.id}): {p.problem}\n")
    if health.status == UNAVAILABLE:
        return 2
    return 0 if health.healthy else 1


def run_copy(args: argparse.Namespace) -> int:
    source: str | Path = args.source if is_url(args.source) else Path(args.source)
    target: str | Path = args.target if is_url(args.target) else Path(args.target)
    if isinstance(source, Path) and not source.is_file():
        raise InputFileError(f"Không có cơ sở dữ liệu nguồn ở {source}.")
    if isinstance(target, Path) and target.is_dir():
        raise InputFileError(f"{target} là một thư mục, không phải tệp cơ sở dữ liệu.")
    source_store = PlanStore(source)
    check_usable(source_store)  # before the target is created
    target_store = PlanStore(target)
    result = copy_store(source_store, target_store, force=args.force)
    done = "Đã thay nội dung của" if result.replaced else "Đã chép vào"
    sys.stdout.write(f"{done} {target_store.location}:\n")
    for table, count in result.counts.items():
        sys.stdout.write(f"- {count} {TABLE_TEXT[table]}\n")
    return 0
