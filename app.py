"""Soạn Kế hoạch: page config, navigation and the sidebar's current-plan picker.

In server mode (`make serve`) the signed-in user is resolved first: without a live session
nothing else is drawn (no sidebar, no plan picker, no banner).
"""

from __future__ import annotations

import streamlit as st

from components import state
from components.crash import run_guarded
from components.plan_picker import open_plan_banner, sidebar_plan_picker
from components.store_status import show_store_status
from components.style import apply_global_style
from planner.paths import ICON_PATH

st.set_page_config(
    page_title="Soạn Kế hoạch",
    page_icon=str(ICON_PATH),  # shipped: a material icon would be fetched from Google
    layout="wide",
    initial_sidebar_state="expanded",
)

PAGES = [
    st.Page("views/home.py", title="Trang chủ", icon=":material/home:", default=True),
    st.Page(
        "views/editor.py",
        title="Soạn kế hoạch",
        url_path="soan-ke-hoach",
        icon=":material/edit_note:",
    ),
    st.Page(
        "views/catalogue.py",
        title="Văn bản căn cứ",
        url_path="van-ban-can-cu",
        icon=":material/menu_book:",
    ),
    st.Page("views/progress.py", title="Tiến độ", url_path="tien-do", icon=":material/timeline:"),
    st.Page(
        "views/meeting.py", title="Trình chiếu", url_path="trinh-chieu", icon=":material/slideshow:"
    ),
    st.Page(
        "views/export.py",
        title="Xuất văn bản",
        url_path="xuat-van-ban",
        icon=":material/file_download:",
    ),
]

apply_global_style()
user = None
if state.server_mode():
    from components.auth_panel import require_user

    user = require_user()  # stops the run, with a sign-in link, when there is no session
nav = st.navigation(PAGES)
# False when the store cannot be written: no sample is created. The office server never
# creates one by itself: its plans belong to units.
if show_store_status() and user is None:
    state.open_sample_on_first_run()

with st.sidebar:
    st.markdown("### Soạn Kế hoạch")
    if user is not None:
        from components.auth_panel import sidebar_account

        sidebar_account(user)
    sidebar_plan_picker()
open_plan_banner()  # every page says which plan, and which year, is open

run_guarded(nav)
