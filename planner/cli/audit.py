"""`audit [--plan ID] [--user NAME] [--limit N] [--json]`: the audit log, newest first.

`--db` selects the store as `plans` does.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from planner.cli.plans import open_store, with_db
from planner.store import audit


def register(sub: Any) -> None:
    p = sub.add_parser("audit", help="nhật ký thao tác: ai làm gì, lúc nào (mới nhất trước)")
    p.add_argument("--plan", metavar="MÃ", help="chỉ các thao tác trên kế hoạch này")
    p.add_argument("--user", metavar="TÊN", help="chỉ các thao tác của tài khoản này")
    p.add_argument("--limit", type=int, metavar="N", help="chỉ N dòng mới nhất")
    p.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    with_db(p)
    p.set_defaults(func=run_audit)


def run_audit(args: argparse.Namespace) -> int:
    store = open_store(args.db, must_exist=True)
    user = args.user.strip().lower() if args.user else None
    limit = max(args.limit, 0) if args.limit is not None else None
    rows = audit.entries(store, plan_id=args.plan, user=user, limit=limit)
    if args.json:
        payload = [
            {
                "id": e.id,
                "at": e.at.isoformat(),
                "user": e.user,
                "action": e.action,
                "label": e.label,
                "plan_id": e.plan_id,
                "detail": e.detail,
            }
            for e in rows
        ]
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        return 0
    sys.stdout.write(f"{len(rows)} thao tác trong {store.location}.\n")
    for e in rows:
        who = e.user or "(dòng lệnh hoặc máy cá nhân)"
        plan = f" · kế hoạch {e.plan_id}" if e.plan_id else ""
        detail = f" · {e.detail}" if e.detail else ""
        sys.stdout.write(f"{e.at:%d/%m/%Y %H:%M:%S}  {who}  {e.label}{plan}{detail}\n")
    return 0
