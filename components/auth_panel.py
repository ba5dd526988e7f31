"""Server mode (`make serve`): who is signed in, checked on every run, and the sidebar's
account panel with *Đăng xuất*.

The sign-in gate (`server/gate.py`) lets the websocket through only with a live session and
hands the app that session's token in a header it sets itself. The session is checked again
here on every run, so a session that expires, is signed out elsewhere or whose account is
disabled ends at the next click, with a Vietnamese message and a link to sign in again, and
nothing of the app is drawn.
"""

from __future__ import annotations

from html import escape

import streamlit as st

from components import state
from components.safe_text import md_escape
from planner.auth.model import ROLE_LABELS, User
from planner.auth.sessions import Sessions
from server.cookies import Signer
from server.service import now
from server.settings import SESSION_HEADER, read_secret

ENDED = (
    "Phiên đăng nhập đã hết hạn hoặc đã kết thúc (đăng xuất, tài khoản bị khóa hoặc đổi mật "
    "khẩu). Hãy đăng nhập lại."
)
DB_DOWN = (
    "Không kết nối được cơ sở dữ liệu của phòng nên chưa kiểm tra được đăng nhập. Hãy thử "
    "lại sau ít phút; nếu vẫn không được, hãy báo quản trị viên."
)


def _session_token() -> str | None:
    return st.context.headers.get(SESSION_HEADER) or None


def _sign_in_link(message: str) -> None:
    st.error(message, icon=":material/lock:")
    st.markdown(
        '<a href="/dang-nhap" target="_self">Đến trang đăng nhập</a>', unsafe_allow_html=True
    )


def require_user() -> User:
    """The signed-in user of this run (also `state.current_user()`); without a live session
    a message and a sign-in link, and the run stops before anything else is drawn."""
    token = _session_token()
    user: User | None = None
    if token:
        store = state.base_store()
        try:
            user = Sessions(store).user(token, now=now())
            # An unusable store reads as "no such session": say what is really wrong.
            down = user is None and not store.writable
        except Exception:
            down = True
        if down:
            state.set_current_user(None)
            _sign_in_link(DB_DOWN)
            st.stop()
    state.set_current_user(user)
    if user is None:
        _sign_in_link(ENDED)
        st.stop()
    return user


def sidebar_account(user: User) -> None:
    """The signed-in user's name, role and unit, and *Đăng xuất*."""
    token = _session_token()
    secret = read_secret()
    key = Signer(secret).sign_out_key(token) if token and secret else ""
    role = ROLE_LABELS.get(user.role, str(user.role))
    with st.container(key="auth_account"):
        st.markdown(
            f"**{md_escape(user.display_name or user.name)}**  \n"
            f"Vai trò: {md_escape(role)}  \nĐơn vị: {md_escape(user.unit)}"
        )
        st.markdown(
            f'<a href="/dang-xuat?k={escape(key)}" target="_self">Đăng xuất</a>',
            unsafe_allow_html=True,
        )
