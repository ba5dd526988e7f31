"""*Văn bản căn cứ* › Nhập từ tệp: a real list of documents (a portal's export, an office's
Excel list) read through the same code path as the command line's `import-catalogue`
(`planner.catalogue.importer.import_rows`), then saved as the user's own rows.

Steps on the page: upload → the column mapping (the guessed synonyms shown, each changeable) →
values for the whole file (issuer, level, type) → the importer's report (rows read, to import,
duplicates skipped, types derived, statuses mapped, symbols normalised, lower-case titles,
problems by row with the file name) and a preview → one *Nhập* button. All or nothing: nothing
is saved before the button, a file with any problem saves nothing, and the rows are written in
one transaction. The shipped catalogue is never rewritten.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from components import state
from components.catalogue_common import LEVEL_TEXT, K, flash, go, ref_label
from components.safe_text import md_escape
from planner.catalogue.citation import citation_date
from planner.catalogue.files import Table, guess_mapping, read_table
from planner.catalogue.importer import ImportReport, import_rows
from planner.catalogue.model import COLUMNS, DOC_TYPES, ISSUER_LEVELS, Catalogue, Directive
from planner.catalogue.user_rows import save_directives
from planner.errors import PlannerError

LABELS = {
    "id": "Mã (id)", "doc_type": "Loại văn bản", "number": "Số", "symbol": "Số ký hiệu",
    "aliases": "Cách ghi khác", "issued": "Ngày ban hành", "issuer": "Cơ quan ban hành",
    "issuer_level": "Cấp ban hành", "title": "Trích yếu", "status": "Hiệu lực",
    "replaced_by": "Được thay thế bởi", "amends": "Sửa đổi văn bản", "topics": "Chủ đề",
    "source": "Nguồn thông tin",
}  # fmt: skip
SKIP = ""  # a file column holding none of ours
PREVIEW_ROWS = 200
# The report's own lines that the page shows its own way (the mapping and the constants are
# the widgets above; rows the catalogue already has get a choice below).
_SHOWN_AS_WIDGETS = ("Cột: ", "Giá trị chung cho cả tệp")
_IN_CATALOGUE_LINE = "đã có trong danh mục (cùng số ký hiệu"


def import_section(catalogue: Catalogue) -> None:
    """Upload, mapping, constants, the importer's report and preview, then "Nhập N văn bản"."""
    st.caption(
        "Nhận tệp CSV (UTF-8, có hoặc không BOM; dấu phẩy, dấu chấm phẩy hoặc tab), “Unicode Text” "
        "của Excel (UTF-16) và Excel .xlsx, ví dụ danh sách xuất từ vbpl.vn, thuvienphapluat hay "
        "cổng thông tin của tỉnh. Bạn xem báo cáo và bản xem trước rồi mới nhập; tệp còn lỗi thì "
        "không nhập dòng nào. Dữ liệu được lưu riêng, danh mục gốc không đổi."
    )
    upload = st.file_uploader(
        "Tệp danh mục", type=["csv", "txt", "tsv", "xlsx"], key=K + "import.file"
    )
    if upload is None:
        return
    try:
        table = read_table(upload.getvalue(), upload.name)
    except PlannerError as err:
        st.error(md_escape(str(err)))
        return
    if table.note:
        st.warning(md_escape(table.note))
    mapping = _mapping(table)
    constants = _constants(upload.name)
    try:
        report = import_rows(table, mapping, constants, catalogue=catalogue)
    except PlannerError as err:
        st.error(md_escape(str(err)))
        return
    ready = _report(report, catalogue, table)
    if ready is None:
        return
    if st.button(
        f"Nhập {len(ready)} văn bản", type="primary", key=K + "import.go", icon=":material/upload:"
    ):
        try:
            count = save_directives(
                state.get_store(), ready, now=state.now(), note=f"Nhập từ tệp {upload.name}"
            )
        except PlannerError as err:
            st.error(md_escape(str(err)))
            return
        state.invalidate_catalogue()
        flash(f"Đã nhập {count} văn bản từ tệp “{upload.name}”.")
        go("search")
        st.rerun()


def _mapping(table: Table) -> dict[str, str]:
    """The file's header -> our column, as the user left it (the guess preselected)."""
    guessed = {header: column for column, header in guess_mapping(table.headers).items() if header}
    options = [SKIP, *COLUMNS]
    found = sum(1 for h in table.headers if h in guessed)
    with st.expander(
        f"Ghép cột: nhận ra {found}/{len([h for h in table.headers if h])} cột của tệp",
        expanded=not {"symbol", "title"} & set(guessed.values()),
        icon=":material/view_column:",
    ):
        st.caption(
            "Chương trình đoán theo tên cột quen dùng (Số ký hiệu, Số hiệu, Ngày ban hành, Trích "
            "yếu, Tình trạng hiệu lực…). Sửa nếu đoán sai; chọn “— bỏ qua —” cho cột không dùng."
        )
        cols = st.columns(3)
        mapping: dict[str, str] = {}
        for n, header in enumerate(h for h in table.headers if h):
            guess = guessed.get(header, SKIP)
            choice = cols[n % 3].selectbox(
                f"Cột “{md_escape(header)}”" + (" (đã nhận ra)" if guess else ""),
                options,
                index=options.index(guess),
                format_func=lambda c: LABELS.get(c, c) if c else "— bỏ qua —",
                key=f"{K}import.map.{table.name}.{n}",
            )
            if choice != guess:
                mapping[header] = choice
    return mapping


def _constants(name: str) -> dict[str, str]:
    """Values for the whole file, used where a cell is empty (the command line's --set)."""
    st.markdown("**Giá trị chung cho cả tệp** (chỉ dùng khi ô trong tệp để trống)")
    c1, c2, c3 = st.columns([2, 1, 1])
    issuer = c1.text_input(
        "Cơ quan ban hành",
        key=f"{K}import.set.issuer.{name}",
        placeholder="Ví dụ: UBND tỉnh Bình Dương",
    )
    level = c2.selectbox(
        "Cấp ban hành",
        ["", *ISSUER_LEVELS],
        key=f"{K}import.set.level.{name}",
        format_func=lambda v: LEVEL_TEXT.get(v, v) if v else "— theo tệp —",
    )
    doc_type = c3.selectbox(
        "Loại văn bản",
        ["", *DOC_TYPES],
        key=f"{K}import.set.type.{name}",
        format_func=lambda v: v or "— theo tệp —",
    )
    pairs = {"issuer": issuer.strip(), "issuer_level": level, "doc_type": doc_type}
    return {column: value for column, value in pairs.items() if value}


def _report(report: ImportReport, catalogue: Catalogue, table: Table) -> list[Directive] | None:
    """The importer's report; the rows to save, or None when nothing can be imported."""
    name = report.source
    m1, m2, m3 = st.columns(3)
    m1.metric("Dòng đọc được", _n(report.rows_read))
    m2.metric("Sẽ nhập", _n(report.imported))
    m3.metric("Dòng trùng bỏ qua", _n(len(report.duplicates)))
    lines = [
        line
        for line in report.summary()
        if not line.startswith(_SHOWN_AS_WIDGETS) and _IN_CATALOGUE_LINE not in line
    ]
    st.markdown("\n".join(f"- {md_escape(line)}" for line in lines))
    if not report.ok:
        st.error(
            f"Tệp “{md_escape(name)}” có {_n(len(report.problems))} lỗi nên chưa nhập văn bản nào. "
            "Hãy sửa tệp (hoặc cách ghép cột, giá trị chung) rồi tải lên lại."
        )
        st.dataframe(
            pd.DataFrame(
                {
                    "Tệp": [name] * len(report.problems),
                    "Dòng": [f.row for f in report.problems],
                    "Cột": [LABELS.get(f.column, f.column) for f in report.problems],
                    "Vấn đề": [f.message for f in report.problems],
                }
            ),
            hide_index=True,
            width="stretch",
        )
        return None
    ready = list(report.directives)
    if report.in_catalogue:
        known = {ident for _row, ident in report.in_catalogue}
        st.warning(
            f"{_n(len(known))} văn bản trong tệp đã có trong danh mục (cùng số ký hiệu và ngày "
            "ban hành).",
            icon=":material/content_copy:",
        )
        with st.expander("Xem các văn bản đã có"):
            st.dataframe(
                pd.DataFrame(
                    {
                        "Dòng": [r for r, _i in report.in_catalogue],
                        "Văn bản trong danh mục": [
                            ref_label(catalogue, i) for _r, i in report.in_catalogue
                        ],
                    }
                ),
                hide_index=True,
            )
        overwrite = st.radio(
            "Với các văn bản đã có",
            [False, True],
            format_func=lambda v: (
                "Ghi đè bằng dữ liệu trong tệp" if v else "Bỏ qua, giữ bản đang có"
            ),
            key=K + "import.overwrite",
            horizontal=True,
        )
        if not overwrite:
            ready = [d for d in ready if d.id not in known]
    _preview(ready)
    if not ready:
        st.info(f"Tệp “{md_escape(name)}” không có văn bản nào mới để nhập.")
        return None
    return ready


def _preview(rows: list[Directive]) -> None:
    if not rows:
        return
    more = f" (xem trước {PREVIEW_ROWS} dòng đầu)" if len(rows) > PREVIEW_ROWS else ""
    st.markdown(f"**Xem trước các văn bản sẽ nhập**{more}")
    shown = rows[:PREVIEW_ROWS]
    st.dataframe(
        pd.DataFrame(
            {
                "Loại": [d.doc_type for d in shown],
                "Số ký hiệu": [d.symbol or "—" for d in shown],
                "Ngày ban hành": [citation_date(d.issued) if d.issued else "" for d in shown],
                "Cơ quan ban hành": [d.issuer for d in shown],
                "Cấp": [LEVEL_TEXT.get(d.issuer_level, d.issuer_level) for d in shown],
                "Trích yếu": [d.title for d in shown],
                "Hiệu lực": [d.status_label for d in shown],
                "Cách ghi khác": ["; ".join(d.aliases) for d in shown],
            }
        ),
        hide_index=True,
        width="stretch",
        height=min(38 + 35 * len(shown), 330),
    )


def _n(count: int) -> str:
    return f"{count:,}".replace(",", ".")
