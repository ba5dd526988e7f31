"""*Văn bản căn cứ* › Xuất danh mục: download the whole catalogue, or only the user's own rows,
as CSV (opens right in Excel) or .xlsx."""

from __future__ import annotations

import streamlit as st

from components.catalogue_common import K, user_ids
from planner.catalogue.files import export_csv, export_xlsx
from planner.catalogue.model import Catalogue


def export_section(catalogue: Catalogue) -> None:
    """Which rows, and the two download buttons (each file is made when pressed)."""
    rows = list(catalogue)
    mine = user_ids()
    which = st.radio(
        "Xuất",
        ["all", "mine"],
        format_func=lambda v: (
            f"Toàn bộ danh mục ({len(rows)} văn bản)"
            if v == "all"
            else f"Chỉ văn bản tôi thêm hoặc sửa ({len(mine)})"
        ),
        key=K + "export.which",
        horizontal=True,
    )
    chosen = rows if which == "all" else [d for d in rows if d.id in mine]
    st.caption(
        "Tệp CSV mở đúng tiếng Việt trong Excel (UTF-8 có BOM); ô bắt đầu bằng =, +, -, @ được "
        "thêm dấu ' để Excel không chạy như công thức."
    )
    c1, c2 = st.columns(2)
    c1.download_button(
        "Tải về CSV",
        lambda: export_csv(chosen),  # made when the button is pressed
        file_name="danh-muc-van-ban-can-cu.csv",
        mime="text/csv",
        icon=":material/download:",
        key=K + "export.csv",
        on_click="ignore",
        disabled=not chosen,
    )
    c2.download_button(
        "Tải về Excel (.xlsx)",
        lambda: export_xlsx(chosen),
        file_name="danh-muc-van-ban-can-cu.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/download:",
        key=K + "export.xlsx",
        on_click="ignore",
        disabled=not chosen,
    )
