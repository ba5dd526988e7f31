"""Trang chủ: “Tạo kế hoạch mới” from nothing (no plan of last year to start from).

The year, and the office's header and signer: prefilled from the office's last plan in the
store (the newest year, then the last changed), else asked once here; the next plan takes them
from this one. `planner.drafting.new_plan.new_plan` makes the skeleton (I. MỤC ĐÍCH, YÊU CẦU /
II. NỘI DUNG / III. TỔ CHỨC THỰC HIỆN, each with a guidance sentence), which is stored, opened
and shown in the editor. On a store that cannot be written the form is disabled.
"""

from __future__ import annotations

import streamlit as st

from components import state
from components.safe_text import md_escape
from planner.drafting.new_plan import YEARS_AHEAD, YEARS_BACK, new_plan
from planner.errors import PlannerError
from planner.model import Plan
from planner.store.plans import PlanStore

EDITOR_PAGE = "views/editor.py"
# (new_plan's keyword, label, where the last plan keeps it, placeholder)
FIELDS = (
    ("parent_authority", "Cơ quan chủ quản", "meta", "UBND THÀNH PHỐ THỦ DẦU MỘT"),
    ("authority", "Cơ quan ban hành", "meta", "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO"),
    ("symbol", "Ký hiệu văn bản", "meta", "KH-PGDĐT"),
    ("place", "Địa danh", "meta", "Thủ Dầu Một"),
    ("signer_position", "Chức vụ người ký", "signer", "TRƯỞNG PHÒNG"),
    ("signer_name", "Họ và tên người ký", "signer", "Nguyễn Văn A"),
)


def _key(name: str) -> str:
    return f"{state.NEW_PLAN}.{name}"


def last_plan(store: PlanStore) -> tuple[str, Plan] | None:
    """The office's last plan (newest year, then last changed) with its title, or None; a
    plan that cannot be read is passed over."""
    plans = sorted(store.list_plans(), key=lambda p: (p.year, p.updated_at), reverse=True)
    for p in plans:
        try:
            return p.title, store.open(p.id).plan
        except PlannerError:
            continue
    return None


def _value(plan: Plan | None, name: str, where: str) -> str:
    if plan is None:
        return ""
    if where == "signer":
        return str(getattr(plan.signer, name.removeprefix("signer_")))
    return str(getattr(plan.meta, name))


def new_plan_form() -> None:
    """The form in its expander on Trang chủ."""
    with st.expander("Tạo kế hoạch mới (khung trống)", icon=":material/note_add:"):
        store = state.get_store()
        today = state.today()
        try:
            last = last_plan(store)
        except PlannerError as err:
            st.error(md_escape(str(err)))
            last = None
        source = last[1] if last else None
        st.caption(
            "Khung kế hoạch gồm I. MỤC ĐÍCH, YÊU CẦU, II. NỘI DUNG, III. TỔ CHỨC THỰC HIỆN; "
            "mỗi mục có một câu hướng dẫn để thay bằng nội dung. Số văn bản để trống cho văn "
            "thư cấp."
        )
        if last:
            st.caption(
                f"Phần đầu văn bản và người ký lấy từ kế hoạch “{md_escape(last[0])}” (năm "
                f"{last[1].meta.year}); sửa lại nếu đã thay đổi."
            )
        else:
            st.caption(
                "Lần đầu tạo kế hoạch: hãy điền thông tin của đơn vị; các lần sau chương trình "
                "tự điền lại từ kế hoạch gần nhất."
            )
        writable = store.writable
        lo, hi = today.year - YEARS_BACK, today.year + YEARS_AHEAD
        default = source.meta.year + 1 if source and source.meta.year else today.year
        with st.form(state.NEW_PLAN, border=False):
            col_year, col_subject = st.columns([1, 3])
            year = col_year.number_input(
                "Năm của kế hoạch",
                min_value=lo,
                max_value=hi,
                value=min(max(default, lo), hi),
                step=1,
                key=_key("year"),
            )
            subject = col_subject.text_input(
                "Trích yếu (có thể điền sau)",
                placeholder="Ví dụ: Thực hiện công tác dân vận chính quyền năm 2022",
                key=_key("subject"),
            )
            values: dict[str, str] = {}
            left, right = st.columns(2)
            for n, (name, label, where, example) in enumerate(FIELDS):
                column = left if n % 2 == 0 else right
                values[name] = column.text_input(
                    label,
                    value=_value(source, name, where),
                    placeholder=f"Ví dụ: {example}",
                    key=_key(name),
                )
            submitted = st.form_submit_button(
                "Tạo kế hoạch", type="primary", icon=":material/note_add:", disabled=not writable
            )
        if not writable:
            st.caption("Cơ sở dữ liệu đang ở chế độ chỉ đọc nên chưa tạo được kế hoạch mới.")
        if submitted and writable:
            _create(store, int(year), source, values, subject)


def _create(
    store: PlanStore, year: int, source: Plan | None, values: dict[str, str], subject: str
) -> None:
    try:
        plan = new_plan(
            year, header_from=source, today=state.today(), subject=subject or None, **values
        )
        plan_id = store.create(plan, now=state.now())
    except PlannerError as err:
        st.error(md_escape(str(err)))
        return
    state.open_plan(plan_id)
    st.switch_page(EDITOR_PAGE)
