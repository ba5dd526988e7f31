"""What the app shows when the plan store is not healthy (damaged, read-only, unreachable).

Everything is computed from the store (`PlanStore.health()`, cached per file identity), so this
module owns no session-state key. `show_store_status()` runs before every page.
"""

from __future__ import annotations

import streamlit as st

from components import state
from components.safe_text import md_escape
from planner.store.health import DAMAGED, OK, READ_ONLY, StoreHealth


def _commands(h: StoreHealth) -> str:
    db = f' --db "{h.path}"'
    return (
        "# 1. Lưu lại phần còn đọc được (nên làm trước):\n"
        f"python -m planner db backup -o cuu-du-lieu.db{db}\n"
        "# 2. Khôi phục từ bản sao lưu gần nhất (bản hiện tại được giữ lại thành .bak-…):\n"
        f"python -m planner db restore TỆP_SAO_LƯU.db{db}\n"
        "# 3. Kiểm tra lại:\n"
        f"python -m planner db check{db}"
    )


def _drop_unreadable_open_plan(h: StoreHealth) -> None:
    """A plan whose newest version cannot be read is closed with a message (never a crash)."""
    current = state.current_plan_id()
    if not current:
        return
    for p in h.unreadable_plans:
        if p.id == current:
            state.open_plan(None)
            st.warning(
                f"Không mở được kế hoạch “{md_escape(p.title)}” (năm {p.year}): "
                f"{md_escape(p.problem)}",
                icon=":material/broken_image:",
            )
            return


def _readable_list(h: StoreHealth) -> None:
    plans = [p for p in h.readable_plans if not p.deleted]
    current = state.current_plan_id()
    if not plans:
        st.info("Không còn kế hoạch nào đọc được trong cơ sở dữ liệu này.")
        return
    st.markdown(f"**Kế hoạch còn đọc được ({len(plans)})** — mở để xem hoặc tải về (chỉ đọc):")
    for p in plans:
        info, action = st.columns([5, 1], vertical_alignment="center")
        mark = " · **đang mở**" if p.id == current else ""
        info.markdown(f"{md_escape(p.title)} (năm {p.year}, phiên bản {p.version}){mark}")
        if action.button("Mở (chỉ đọc)", key=f"store_status.open.{p.id}", disabled=p.id == current):
            state.open_plan(p.id)
            st.rerun()


def show_store_status() -> bool:
    """Explain a store that is not healthy; True when the store can be written."""
    store = state.get_store()
    h = store.health()
    _drop_unreadable_open_plan(h)
    if h.status == OK:
        if h.unreadable_plans:
            names = "; ".join(
                f"“{md_escape(p.title)}” (năm {p.year}): {md_escape(p.problem)}"
                for p in h.unreadable_plans
            )
            st.warning(
                f"Có {len(h.unreadable_plans)} kế hoạch bị hỏng, không mở được: {names} "
                "Các kế hoạch khác vẫn dùng bình thường. Có thể khôi phục từ bản sao lưu "
                "bằng lệnh `python -m planner db restore TỆP_SAO_LƯU.db`.",
                icon=":material/broken_image:",
            )
        return True
    if h.status == READ_ONLY:
        st.warning(
            "Cơ sở dữ liệu đang ở chế độ **chỉ đọc**: xem và tải về được, nhưng mọi thay đổi "
            f"sẽ không được lưu. {md_escape(' '.join(h.problems))} "
            "Hãy cho phép ghi vào tệp (hoặc thư mục "
            "chứa nó) rồi tải lại trang.",
            icon=":material/lock:",
        )
        return False
    what = "bị hỏng" if h.status == DAMAGED else "không dùng được"
    st.error(
        f"Cơ sở dữ liệu kế hoạch {what}: chương trình chỉ mở để đọc, mọi thay đổi sẽ không "
        "được lưu. " + md_escape(" ".join(h.problems)),
        icon=":material/report:",
    )
    with st.expander("Cách khôi phục và các kế hoạch còn đọc được", expanded=True):
        if h.lost_rows:
            st.markdown(f"Khoảng {h.lost_rows} dòng dữ liệu không đọc được.")
        if h.unreadable_plans:
            st.markdown(
                "**Kế hoạch không đọc được:** "
                + "; ".join(f"“{md_escape(p.title)}” (năm {p.year})" for p in h.unreadable_plans)
            )
        st.markdown(
            "Chạy các lệnh sau trong thư mục của chương trình (thay `TỆP_SAO_LƯU.db` bằng "
            "tệp sao lưu gần nhất), rồi tải lại trang:"
        )
        st.code(_commands(h), language="bash")
        _readable_list(h)
    return False
