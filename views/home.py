"""Trang chủ: the saved plans; open, create from the sample, duplicate, delete, upload, download."""

from __future__ import annotations

import streamlit as st

from components import state
from components.new_plan_form import new_plan_form
from components.new_year import new_year_form
from components.review_panel import review_tags
from components.safe_text import md_escape
from planner.errors import PlannerError
from planner.model import plan_from_json, plan_to_json
from planner.sample import sample_plan

st.title("Soạn Kế hoạch")
st.caption(
    "Soạn kế hoạch năm mới từ kế hoạch năm trước: chọn văn bản căn cứ, sửa từng mục, "
    "theo dõi tiến độ và tải về văn bản Word đúng thể thức Nghị định 30/2020/NĐ-CP."
)
store = state.get_store()
writable = store.writable  # False: nothing that writes can be pressed
state.show_conflict()

opened = state.load_current()
if opened is not None:
    st.success(f"Đang mở: **{md_escape(opened.title)}** (năm {opened.plan.meta.year}).")

start, upload = st.columns(2)
with start:
    st.subheader("Bắt đầu")
    if st.button(
        "Mở kế hoạch mẫu 2020",
        type="primary",
        icon=":material/description:",
        disabled=not writable,
    ):
        try:
            new_id = store.create(sample_plan(), now=state.now())
        except PlannerError as e:
            st.error(md_escape(str(e)))
        else:
            state.open_plan(new_id)
            st.rerun()
    st.caption("Kế hoạch số 932/KH-PGDĐT ngày 14/7/2020 về công tác dân vận chính quyền.")
with upload:
    st.subheader("Mở tệp kế hoạch (.json)")
    uploaded = st.file_uploader(
        "Tệp kế hoạch đã tải về trước đây", type=["json"], key="home.upload_json"
    )
    if uploaded is not None and st.button(
        "Lưu tệp này thành kế hoạch", key="home.upload_save", disabled=not writable
    ):
        try:
            with st.spinner("Đang đọc tệp và lưu kế hoạch…"):
                plan = plan_from_json(uploaded.getvalue(), uploaded.name)
                new_id = store.create(plan, now=state.now())
        except PlannerError as e:
            st.error(md_escape(str(e)))
        else:
            state.open_plan(new_id)
            st.rerun()

with st.expander(
    "Tạo kế hoạch năm mới từ kế hoạch năm trước", icon=":material/event_repeat:", expanded=True
):
    new_year_form()
new_plan_form()

st.divider()
st.subheader("Kế hoạch đã lưu")
plans = store.list_plans()
if not plans:
    st.info("Chưa có kế hoạch nào. Hãy mở kế hoạch mẫu hoặc tải lên một tệp kế hoạch.")
current = state.current_plan_id()
reviewed = review_tags()  # server mode: Đang soạn / Chờ duyệt / Đã duyệt
for p in plans:
    with st.container(border=True):
        info, actions = st.columns([5, 4], vertical_alignment="center")
        mark = " · **đang mở**" if p.id == current else ""
        info.markdown(
            f"**{md_escape(p.title)}**  \nNăm {p.year} · "
            f"sửa lần cuối {p.updated_at:%d/%m/%Y %H:%M} · "
            f"phiên bản {p.version}{reviewed.get(p.id, '')}{mark}"
        )
        b_open, b_dup, b_json, b_del = actions.columns([2, 3, 3, 2])
        if b_open.button("Mở", key=f"open.{p.id}", disabled=p.id == current):
            state.open_plan(p.id)
            st.rerun()
        if b_dup.button("Nhân bản", key=f"dup.{p.id}", disabled=not writable):
            try:
                state.open_plan(store.duplicate(p.id, now=state.now()))
            except PlannerError as e:
                st.error(md_escape(str(e)))
            else:
                st.rerun()
        b_json.download_button(
            "Tải .json",
            data=lambda pid=p.id: plan_to_json(store.open(pid).plan).encode("utf-8"),
            file_name=f"ke-hoach-{p.year}-{p.id}.json",
            mime="application/json",
            key=f"json.{p.id}",
        )
        if b_del.button("Xóa", key=f"del.{p.id}", disabled=not writable):
            state.put(state.HOME_CONFIRM_DELETE, p.id)
        if state.get(state.HOME_CONFIRM_DELETE) == p.id:
            st.warning(
                f"Xóa kế hoạch “{md_escape(p.title)}”? Có thể khôi phục lại trong mục Thùng rác."
            )
            yes, no = st.columns(2)
            if yes.button("Xóa", key=f"del.yes.{p.id}", type="primary", disabled=not writable):
                state.pop(state.HOME_CONFIRM_DELETE)
                try:
                    store.delete(p.id, now=state.now())
                except PlannerError as e:
                    st.error(md_escape(str(e)))
                else:
                    if p.id == current:
                        state.open_plan(None)
                    st.rerun()
            if no.button("Không xóa", key=f"del.no.{p.id}"):
                state.pop(state.HOME_CONFIRM_DELETE)
                st.rerun()

deleted = [p for p in store.list_plans(include_deleted=True) if p.deleted]
if deleted:
    with st.expander(f"Thùng rác ({len(deleted)})"):
        for p in deleted:
            c1, c2 = st.columns([4, 1], vertical_alignment="center")
            c1.write(f"{md_escape(p.title)} (năm {p.year})")
            if c2.button("Khôi phục", key=f"restore.{p.id}", disabled=not writable):
                try:
                    store.restore(p.id, now=state.now())
                except PlannerError as e:
                    st.error(md_escape(str(e)))
                else:
                    st.rerun()
