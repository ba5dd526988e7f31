"""Văn bản căn cứ: search the directive catalogue, see a directive's status and relations, add
it to the open plan's Căn cứ, and keep the user's own rows (add, edit, paste a citation, import
a file, export). The user's rows live in storage; the shipped CSV is never rewritten.

The page only lays out its five sub-pages; each is a component (`components/catalogue_*.py`)."""

from __future__ import annotations

import streamlit as st

from components import state
from components.catalogue_common import section_switcher, select_from_url, show_flash
from components.catalogue_export import export_section
from components.catalogue_form import edit_section, paste_section
from components.catalogue_import import import_section
from components.catalogue_search import search_section
from components.safe_text import md_escape
from planner.errors import PlannerError

st.title("Văn bản căn cứ")
st.caption(
    "Danh mục văn bản để trích dẫn vào phần Căn cứ của kế hoạch: tìm theo số ký hiệu, tên hoặc "
    "năm (không cần gõ dấu), xem còn hiệu lực hay không, rồi thêm vào kế hoạch đang mở."
)
try:
    catalogue = state.get_catalogue()
except PlannerError as err:
    st.error(md_escape(str(err)))
    st.stop()
stored = state.load_current()
state.show_conflict()
show_flash()
select_from_url(catalogue)
section = section_switcher()
if section == "edit":
    edit_section(catalogue)
elif section == "paste":
    paste_section(catalogue)
elif section == "import":
    import_section(catalogue)
elif section == "export":
    export_section(catalogue)
else:
    search_section(catalogue, stored)
