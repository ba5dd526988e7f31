"""Accounts of the office server: `users add NAME --role … --unit …`, `users list [--json]`,
`users disable NAME`, `users enable NAME`, `users passwd NAME`.

The password is read from standard input (one line), or asked twice without echo when standard
input is a terminal; it never appears on the command line (where `ps` and the shell's history
would show it). `--db` selects the store as `plans` does. Changes are written to the audit log
with no user name (the command line).
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from datetime import datetime
from typing import Any

from planner.auth.accounts import Accounts
from planner.auth.model import ROLE_LABELS, Role
from planner.cli.plans import open_store, with_db
from planner.errors import AccountError

ROLES = ", ".join(f"{r.value} ({label})" for r, label in ROLE_LABELS.items())


def register(sub: Any) -> None:
    users = sub.add_parser("users", help="tài khoản của máy chủ văn phòng: thêm, liệt kê, khóa")
    actions = users.add_subparsers(dest="users_command", metavar="VIỆC", parser_class=type(users))
    actions.required = True

    add = actions.add_parser(
        "add",
        help="thêm tài khoản (mật khẩu đọc từ đầu vào chuẩn, một dòng)",
        description="Thêm tài khoản. Mật khẩu (ít nhất 8 ký tự) đọc từ đầu vào chuẩn, một dòng; "
        "khi gõ trực tiếp, chương trình hỏi hai lần và không hiện chữ.",
    )
    add.add_argument("name", metavar="TÊN", help="tên đăng nhập: chữ thường không dấu, số, . _ -")
    add.add_argument("--role", required=True, metavar="VAI_TRÒ", help=f"một trong: {ROLES}")
    add.add_argument("--unit", required=True, metavar="ĐƠN_VỊ", help="đơn vị của tài khoản")
    add.add_argument("--display-name", metavar="HỌ_TÊN", default="", help="họ tên hiển thị")
    add.add_argument("--email", metavar="THƯ", help="thư điện tử (đăng nhập qua đơn vị)")
    add.add_argument(
        "--no-password",
        action="store_true",
        help="không đặt mật khẩu: chỉ đăng nhập qua hệ thống đăng nhập của đơn vị (cần --email)",
    )
    with_db(add)
    add.set_defaults(func=run_add)

    ls = actions.add_parser("list", help="liệt kê tài khoản")
    ls.add_argument("--json", action="store_true", help="in kết quả dạng JSON")
    with_db(ls)
    ls.set_defaults(func=run_list)

    for name, help_text, func in (
        ("disable", "vô hiệu hóa tài khoản (các phiên đăng nhập kết thúc ngay)", run_disable),
        ("enable", "mở lại tài khoản đã vô hiệu hóa", run_enable),
        ("passwd", "đặt mật khẩu mới (đọc từ đầu vào chuẩn, một dòng)", run_passwd),
    ):
        p = actions.add_parser(name, help=help_text)
        p.add_argument("name", metavar="TÊN")
        with_db(p)
        p.set_defaults(func=func)


def read_password() -> str:
    """The password: one line of standard input, or asked twice when it is a terminal."""
    if sys.stdin.isatty():
        first = getpass.getpass("Mật khẩu: ")
        if getpass.getpass("Nhập lại mật khẩu: ") != first:
            raise AccountError("Hai lần nhập mật khẩu không giống nhau; chưa lưu gì.")
        return first
    line = sys.stdin.readline()
    if not line:
        raise AccountError(
            "Không đọc được mật khẩu: đầu vào chuẩn trống. Hãy đưa mật khẩu vào đầu vào chuẩn "
            "(một dòng) hoặc chạy lệnh trong cửa sổ dòng lệnh để gõ."
        )
    return line.rstrip("\r\n")


def run_add(args: argparse.Namespace) -> int:
    if args.no_password and not args.email:
        raise AccountError("Tài khoản không có mật khẩu cần --email để đăng nhập qua đơn vị.")
    store = open_store(args.db, must_exist=False)  # an unusable store before the password
    password = None if args.no_password else read_password()
    user = Accounts(store).add(
        args.name,
        display_name=args.display_name,
        role=args.role,
        unit=args.unit,
        password=password,
        email=args.email,
        now=datetime.now(),
    )
    sys.stdout.write(
        f"Đã thêm tài khoản {user.name} ({user.role_label}, đơn vị {user.unit}) "
        f"vào {store.location}.\n"
    )
    return 0


def run_list(args: argparse.Namespace) -> int:
    store = open_store(args.db, must_exist=True)
    users = Accounts(store).list()
    if args.json:
        payload = [
            {
                "name": u.name,
                "display_name": u.display_name,
                "role": u.role.value,
                "unit": u.unit,
                "email": u.email,
                "disabled": u.disabled,
            }
            for u in users
        ]
        sys.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        return 0
    sys.stdout.write(f"{len(users)} tài khoản trong {store.location}.\n")
    for u in users:
        email = f", {u.email}" if u.email else ""
        off = " [đã vô hiệu hóa]" if u.disabled else ""
        sys.stdout.write(
            f"{u.name}  {u.display_name} ({ROLE_LABELS[Role(u.role)]}, {u.unit}{email}){off}\n"
        )
    return 0


def run_disable(args: argparse.Namespace) -> int:
    store = open_store(args.db, must_exist=True)
    Accounts(store).disable(args.name, now=datetime.now())
    sys.stdout.write(f"Đã vô hiệu hóa tài khoản {args.name.strip().lower()}.\n")
    return 0


def run_enable(args: argparse.Namespace) -> int:
    store = open_store(args.db, must_exist=True)
    Accounts(store).enable(args.name, now=datetime.now())
    sys.stdout.write(f"Đã mở lại tài khoản {args.name.strip().lower()}.\n")
    return 0


def run_passwd(args: argparse.Namespace) -> int:
    store = open_store(args.db, must_exist=True)
    accounts = Accounts(store)
    accounts.require(args.name)  # an unknown name is refused before a password is asked
    accounts.set_password(args.name, read_password(), now=datetime.now())
    sys.stdout.write(
        f"Đã đặt mật khẩu mới cho tài khoản {args.name.strip().lower()}; "
        "các phiên đăng nhập cũ đã kết thúc.\n"
    )
    return 0
