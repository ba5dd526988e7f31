"""*Văn bản căn cứ* › Nhập từ tệp: read a CSV / Excel file of rows, map its columns, preview and
check it, then save its rows as the user's own (the shipped catalogue is never rewritten)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pandas as pd
import streamlit as st

from components import state
from components.catalogue_common import K, flash, go, ref_label
from planner.catalogue.citation import citation_date
from planner.catalogue.files import apply_mapping, guess_mapping, prepare_import, read_table
from planner.catalogue.model import COLUMNS, Catalogue
from planner.catalogue.user_rows import save_directives
from planner.errors import PlannerError


def import_section(catalogue: Catalogue) -> None:
    """Upload, column mapping, preview, problems, duplicates, then "Nhập N văn bản"."""
    st.caption(
        "Nhận tệp CSV (UTF-8, có hoặc không BOM; dấu phẩy, dấu chấm phẩy hoặc tab), “Unicode Text” "
        "của Excel (UTF-16) và Excel .xlsx. Bạn xem trước, ghép cột và kiểm tra trước khi nhập; "
        "dữ liệu được lưu riêng, danh mục gốc không đổi."
    )
    upload = st.file_uploader(
        "Tệp danh mục", type=["csv", "txt", "tsv", "xlsx"], key=K + "import.file"
    )
    if upload is None:
        return
    try:
        table = read_table(upload.getvalue(), upload.name)
    except PlannerError as err:
        st.error(str(err))
        return
    if table.note:
        st.warning(table.note)
    st.markdown(
        f"Đọc được **{len(table.rows)}** dòng, **{len(table.headers)}** cột ({table.encoding})."
    )
    guessed = guess_mapping(table.headers)
    skip = "— bỏ qua —"
    with st.expander(
        "Ghép cột của tệp với cột của danh mục",
        expanded=not all(guessed[c] for c in ("symbol", "title", "issued")),
    ):
        mapping: dict[str, str | None] = {}
        cols = st.columns(4)
        labels = {
            "id": "Mã (id)", "doc_type": "Loại văn bản", "number": "Số", "symbol": "Số ký hiệu",
            "aliases": "Cách ghi khác", "issued": "Ngày ban hành", "issuer": "Cơ quan ban hành",
            "issuer_level": "Cấp ban hành", "title": "Trích yếu", "status": "Hiệu lực",
            "replaced_by": "Được thay thế bởi", "amends": "Sửa đổi văn bản", "topics": "Chủ đề",
            "source": "Nguồn thông tin",
        }  # fmt: skip
        options = [skip, *table.headers]
        for n, column in enumerate(COLUMNS):
            guess = guessed.get(column)
            choice = cols[n % 4].selectbox(
                labels[column],
                options,
                index=options.index(guess) if guess in options else 0,
                key=f"{K}map.{upload.name}.{column}",
            )
            mapping[column] = None if choice == skip else choice
    rows = apply_mapping(table, mapping)
    preview = prepare_import(rows, catalogue, source=f"Nhập từ tệp {upload.name}")
    st.markdown("**Xem trước**")
    shown = [c for c in COLUMNS if mapping.get(c)]
    sample = pd.DataFrame([{c: _preview_cell(c, r[c]) for c in shown} for r in rows[:200]])
    st.dataframe(
        sample.rename(columns=labels),
        hide_index=True,
        height=min(38 + 35 * len(sample), 260),
        width="stretch",
    )
    if preview.findings:
        st.error(
            f"Tệp “{upload.name}”: {len(preview.blocked_rows)} dòng có lỗi sẽ không được nhập. "
            "Hãy sửa tệp rồi tải lên lại nếu cần."
        )
        st.dataframe(
            pd.DataFrame(
                {
                    "Dòng": [f.row for f in preview.findings],
                    "Cột": [labels.get(f.column, f.column) for f in preview.findings],
                    "Vấn đề": [f.message for f in preview.findings],
                }
            ),
            hide_index=True,
            width="stretch",
        )
    duplicates = {new_id: old_id for _row, new_id, old_id in preview.duplicates}
    overwrite = False
    if duplicates:
        st.warning(f"{len(duplicates)} văn bản trong tệp đã có trong danh mục.")
        st.dataframe(
            pd.DataFrame(
                {
                    "Dòng": [r for r, _n, _o in preview.duplicates],
                    "Trùng với văn bản trong danh mục": [
                        ref_label(catalogue, o) for _r, _n, o in preview.duplicates
                    ],
                }
            ),
            hide_index=True,
        )
        overwrite = st.radio(
            "Với các văn bản trùng",
            [False, True],
            format_func=lambda v: (
                "Ghi đè bằng dữ liệu trong tệp" if v else "Bỏ qua, giữ bản đang có"
            ),
            key=K + "import.overwrite",
            horizontal=True,
        )
    ready = []
    for d in preview.directives:
        if d.id in duplicates:
            if not overwrite:
                continue
            d = replace(d, id=duplicates[d.id])
        ready.append(d)
    if not ready:
        st.info(f"Tệp “{upload.name}” không có văn bản nào mới để nhập.")
        return
    if st.button(
        f"Nhập {len(ready)} văn bản", type="primary", key=K + "import.go", icon=":material/upload:"
    ):
        try:
            count = save_directives(state.get_store(), ready, now=state.now())
        except PlannerError as err:
            st.error(str(err))
            return
        state.invalidate_catalogue()
        flash(f"Đã nhập {count} văn bản từ tệp “{upload.name}”.")
        go("search")
        st.rerun()


def _preview_cell(column: str, value: str) -> str:
    if column == "issued" and value:
        try:
            return citation_date(date.fromisoformat(value))
        except ValueError:
            return value
    return value
