"""What `serve.py` checks before the office server starts: a cookie secret, a reachable
database and an active administrator account. Each failure is one clear Vietnamese message
that says what to do; the server then does not start at all."""

from __future__ import annotations

from planner.auth.accounts import Accounts
from planner.auth.model import Role
from planner.store.plans import PlanStore, default_db_key
from server.settings import (
    MIN_SECRET_LENGTH,
    OIDC_METADATA_ENV,
    SECRET_ENV,
    oidc_settings,
    read_secret,
    secret_file,
)

NO_SECRET = (
    "Chưa có khóa bí mật để ký cookie đăng nhập nên máy chủ chưa khởi động. Hãy chạy "
    "`make serve` (tự tạo tệp {file}, chỉ người chạy máy chủ đọc được) hoặc đặt biến môi "
    "trường {env} (ít nhất {length} ký tự)."
)
DB_UNREACHABLE = (
    "{headline} Máy chủ chưa khởi động: hãy kiểm tra PLANNER_DB và máy chủ cơ sở dữ liệu rồi "
    "chạy lại."
)
NO_ADMIN = (
    "Cơ sở dữ liệu {where} chưa có tài khoản quản trị nào đang hoạt động nên máy chủ chưa "
    "khởi động (không ai đăng nhập được để tạo tài khoản). Hãy tạo một tài khoản quản trị "
    "trước, ví dụ:\n"
    '    .venv/bin/python -m planner users add quantri --role admin --unit "Phòng GD&ĐT"\n'
    "(mật khẩu nhập ở dòng tiếp theo, ít nhất 8 ký tự), rồi chạy lại `make serve`."
)

OIDC_HALF = (
    "Đã đặt {metadata} nhưng còn thiếu {missing} nên chưa đăng nhập bằng tài khoản của đơn vị "
    "được; máy chủ chưa khởi động. Hãy đặt đủ các biến này (README, mục Máy chủ của phòng) "
    "hoặc bỏ {metadata}."
)


class NotReady(Exception):
    """The server must not start; the message (Vietnamese) says why and what to do."""


def check(store: PlanStore | None = None) -> None:
    """Raise `NotReady` unless the server can start safely."""
    if read_secret() is None:
        raise NotReady(
            NO_SECRET.format(file=secret_file(), env=SECRET_ENV, length=MIN_SECRET_LENGTH)
        )
    try:
        oidc_settings()
    except ValueError as e:
        raise NotReady(OIDC_HALF.format(metadata=OIDC_METADATA_ENV, missing=e)) from None
    store = store if store is not None else PlanStore(default_db_key())
    health = store.health()
    if not health.writable:
        raise NotReady(DB_UNREACHABLE.format(headline=health.headline()))
    admins = [u for u in Accounts(store).list() if u.role == Role.ADMIN and not u.disabled]
    if not admins:
        raise NotReady(NO_ADMIN.format(where=health.path))
