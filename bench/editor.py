"""The section editor on big plans: rerun of *Soạn kế hoạch* and the editor's part of autosave.

- Rerun of views/editor.py (through app.py, AppTest) with a 100-section plan (10 headings of
  9 sub-sections) and with 300 sub-sections under one heading, each beside the fair naive
  page: the same sections drawn as plain Streamlit widgets (number, title, and per block its
  kind, *Đã rà soát* and text), loaded from the same JSON each run, without our machinery.
- The editor's own part of an autosave on the 300-sub-section plan (the edit and the
  "anything changed?" check; the store's save is bench/store.py's) beside the old check that
  serialised both plans.
"""

from __future__ import annotations

import json
import tempfile
import time
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from bench.app import plan_with_sections
from bench.common import Row, app_environment, measure, stats
from planner.model import Block, Plan, Section, plan_to_dict
from planner.sample import sample_plan
from planner.store.plans import PlanStore

ROOT = Path(__file__).resolve().parent.parent
RERUNS = 15

NAIVE_PAGE = """
import json, os
import streamlit as st
from planner.model import plan_from_dict

plan = plan_from_dict(json.load(open(os.environ["BENCH_PLAN_JSON"], encoding="utf-8")), "plan")
st.title("Soạn kế hoạch")
for path, s in plan.iter_sections():
    with st.container(border=True):
        a, b = st.columns([1, 7])
        a.text_input("Số", s.number, key=f"n.{path}")
        b.text_input("Tên mục", s.title, key=f"t.{path}")
        for i, blk in enumerate(s.blocks):
            st.selectbox("Kiểu", ["paragraph", "dash", "plus", "table"], key=f"k.{path}.{i}")
            st.checkbox("Đã rà soát", key=f"r.{path}.{i}")
            st.text_area("Nội dung", blk.text, key=f"x.{path}.{i}")
"""


def plan_with_sub_sections(n: int = 300) -> Plan:
    """The sample's header with one heading holding `n` sub-sections of two blocks each."""
    kids = tuple(
        Section(
            number=str(j),
            title=f"Nhiệm vụ {j}",
            blocks=(
                Block(text=f"Nội dung nhiệm vụ {j}: triển khai đến các trường trong năm học."),
                Block(kind="dash", text=f"Phân công thực hiện nhiệm vụ {j}."),
            ),
        )
        for j in range(1, n + 1)
    )
    head = Section(number="I", title="NHIỆM VỤ", blocks=(Block(text="Nội dung chung."),))
    return replace(sample_plan(), sections=(replace(head, children=kids),))


def _editor_rerun(plan_id: str) -> tuple[object, int]:
    """(stats, widgets drawn) of reruns of the editor page with `plan_id` open."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.query_params["plan"] = plan_id
    at.run()
    at.switch_page("views/editor.py").run()
    if at.exception:
        raise RuntimeError(f"editor page raised: {at.exception[0].value}")
    return measure(at.run, repeat=RERUNS, warmup=2), widget_count(at)


def _naive_rerun(plan: Plan, tmp: Path) -> tuple[object, int]:
    import os

    from streamlit.testing.v1 import AppTest

    path = tmp / "naive.json"
    path.write_text(json.dumps(plan_to_dict(plan), ensure_ascii=False), encoding="utf-8")
    os.environ["BENCH_PLAN_JSON"] = str(path)
    try:
        at = AppTest.from_string(NAIVE_PAGE, default_timeout=600)
        at.run()
        if at.exception:
            raise RuntimeError(f"naive page raised: {at.exception[0].value}")
        return measure(at.run, repeat=max(3, RERUNS // 3), warmup=1), widget_count(at)
    finally:
        os.environ.pop("BENCH_PLAN_JSON", None)


def widget_count(at: object) -> int:
    """Input widgets on an AppTest page (what Streamlit pays for on every rerun)."""
    kinds = (
        "button", "checkbox", "selectbox", "text_area", "text_input", "toggle", "radio",
        "multiselect", "number_input", "date_input",
    )  # fmt: skip
    return sum(len(getattr(at, k)) for k in kinds)


def _rerun_rows() -> list[Row]:
    cases = (
        ("100-section plan (10 headings × 9 sub-sections)", plan_with_sections(100), 100.0),
        ("300 sub-sections under one heading", plan_with_sub_sections(300), 300.0),
    )
    rows = []
    with app_environment("2021-03-15") as db, tempfile.TemporaryDirectory() as tmp:
        store = PlanStore(db)
        for name, plan, limit in cases:
            pid = store.create(plan, now=datetime(2021, 3, 15, 8, 0))
            ours, n_ours = _editor_rerun(pid)
            naive, n_naive = _naive_rerun(plan, Path(tmp))
            rows.append(
                Row(
                    f"editor page rerun, {name} (AppTest)",
                    ours,  # type: ignore[arg-type]
                    "the same sections as plain widgets on one page",
                    naive,  # type: ignore[arg-type]
                    target=f"median ≤ {limit:.0f} ms",
                    met=ours.median_ms <= limit,  # type: ignore[attr-defined]
                    note=f"{n_ours} widgets drawn by the editor (one level-1 section, or one "
                    f"section of a long one, at a time) against {n_naive} on the naive page. "
                    "Both reread the plan each run (the store / the JSON file).",
                )
            )
    return rows


def _autosave_row() -> Row:
    from planner.drafting import plan_edit as pe

    plan = plan_with_sub_sections(300)
    n = [0]

    def ours() -> None:
        n[0] += 1
        new = pe.set_block(plan, (0, 150), 0, text=f"Sửa lần {n[0]}.")
        assert not (new is plan or new == plan)

    def old() -> None:
        n[0] += 1
        new = pe.set_block(plan, (0, 150), 0, text=f"Sửa lần {n[0]}.")
        assert plan_to_dict(new) != plan_to_dict(plan)

    cpu0 = time.process_time()
    mine = measure(ours, repeat=50, warmup=3)
    cpu_ms = (time.process_time() - cpu0) * 1000 / 53
    return Row(
        "editor's part of one autosave, 300 sub-sections (edit + changed? check)",
        mine,
        "the same edit, changed? check by serialising both plans",
        measure(old, repeat=50, warmup=3),
        note=f"CPU {cpu_ms:.2f} ms per call; the store's own save is timed in bench/store.py.",
    )


def run() -> list[Row]:
    return [*_rerun_rows(), _autosave_row()]


if __name__ == "__main__":
    for row in run():
        print(
            row.name, row.ours.text(), "|", row.baseline_name, row.baseline and row.baseline.text()
        )
        print("   ", row.note)
    print(stats([1.0]).text())
