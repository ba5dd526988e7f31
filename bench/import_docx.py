"""Import of a large plan from Word, beside python-docx's plain paragraph texts.

The .docx is generated in code (`tests/docx_builders.py`): a plan with 200 second-level
sections under 4 parts, each with a paragraph, a `- ` item, a `+ ` item and, every 20th, a
table; once with typed labels and once with Word's automatic numbering (numbering.xml).
Our figure includes the safety check (the whole zip streamed, every XML part scanned) and the
full reading into a plan; the naive baseline only opens the file with python-docx and lists
`paragraph.text` (no safety check, no structure, and it misses Word's numbering labels).

A third file (issue #11, item 8) holds the same 200 sections with five schedule tables of 30
rows: there the fair naive alternative reads every paragraph and every table cell with
python-docx, and the import must stay under 1 s and within 4× of it. The row measures
whatever `planner.docx.reader.import_docx` is at the time.
"""

from __future__ import annotations

import io
import tracemalloc
from dataclasses import replace

import docx

from bench.common import Row, measure
from planner.docx.reader import import_docx
from planner.docx.safety import check_docx_bytes
from planner.errors import InputFileError
from planner.model import Block, Plan, Section
from tests.docx_builders import large_plan, plan_docx, zip_bomb_docx

SECTIONS = 200
REPEAT = 15
TABLES = 5
TABLE_ROWS = 30
TABLE_RATIO = 4.0  # the import may take at most this many times the naive full read
SCHEDULE_HEAD = ("TT", "Nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời gian", "Sản phẩm")


def _naive(data: bytes) -> list[str]:
    doc = docx.Document(io.BytesIO(data))
    return [p.text for p in doc.paragraphs]


def _naive_full(data: bytes) -> int:
    """python-docx reading every body paragraph and every table cell (the fair alternative
    for a file with tables); returns the characters read."""
    doc = docx.Document(io.BytesIO(data))
    n = sum(len(p.text) for p in doc.paragraphs)
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                n += len(cell.text)
    return n


def plan_with_tables(sections: int = SECTIONS) -> Plan:
    """`large_plan(sections)` with its small tables replaced by `TABLES` schedule tables of
    `TABLE_ROWS` rows, spread over the plan."""
    plan = large_plan(sections)
    children = [(t, i) for t, top in enumerate(plan.sections) for i in range(len(top.children))]
    every = max(1, len(children) // TABLES)
    chosen = set(children[::every][:TABLES])
    tops = []
    for t, top in enumerate(plan.sections):
        kids = []
        for i, child in enumerate(top.children):
            blocks = tuple(b for b in child.blocks if b.kind != "table")
            if (t, i) in chosen:
                rows = [SCHEDULE_HEAD] + [
                    (
                        str(r + 1),
                        f"Nhiệm vụ {r + 1} của mục {child.number}: kiểm tra, đôn đốc các trường",
                        "Bộ phận Chuyên môn",
                        "Các trường",
                        f"Quý {1 + r % 4}/2026",
                        "Báo cáo kết quả",
                    )
                    for r in range(TABLE_ROWS - 1)
                ]
                blocks += (Block("table", "", tuple(rows)),)
            kids.append(Section(child.number, child.title, blocks))
        tops.append(replace(top, children=tuple(kids)))
    return replace(plan, sections=tuple(tops))


def _table_row() -> Row:
    plan = plan_with_tables()
    data = plan_docx(plan)
    result = import_docx(data, "bang.docx")
    tables = [b for _, s in result.plan.iter_sections() for b in s.blocks if b.kind == "table"]
    rows_read = sum(len(b.rows) for b in tables)
    got = sum(1 for _ in result.plan.iter_sections())
    want = sum(1 for _ in plan.iter_sections())
    ours = measure(lambda: import_docx(data, "bang.docx"), repeat=REPEAT)
    base = measure(lambda: _naive_full(data), repeat=REPEAT)
    ratio = ours.median_ms / base.median_ms
    return Row(
        name=f"Import .docx, {want} sections and {TABLES} tables of {TABLE_ROWS} rows "
        f"({len(data) // 1024} KB)",
        ours=ours,
        baseline_name="python-docx Document() + every paragraph's and every cell's text",
        baseline=base,
        target=f"median < 1000 ms and ≤ {TABLE_RATIO:g}× the baseline, every table read",
        met=ours.median_ms < 1000
        and ratio <= TABLE_RATIO
        and got == want
        and len(tables) == TABLES
        and rows_read == TABLES * TABLE_ROWS,
        note=f"{ratio:.1f}× the baseline; {got}/{want} sections, {len(tables)} tables, "
        f"{rows_read} rows read",
    )


def _refuse(data: bytes) -> None:
    try:
        check_docx_bytes(data, "bom.docx")
    except InputFileError:
        return
    raise AssertionError("the zip bomb was not refused")


def run() -> list[Row]:
    plan = large_plan(SECTIONS)
    rows = []
    for numbering in ("typed", "auto"):
        data = plan_docx(plan, numbering=numbering)
        result = import_docx(data, "lon.docx")
        got = sum(1 for _ in result.plan.iter_sections())
        want = sum(1 for _ in plan.iter_sections())
        ours = measure(lambda d=data: import_docx(d, "lon.docx"), repeat=REPEAT)
        base = measure(lambda d=data: _naive(d), repeat=REPEAT)
        rows.append(
            Row(
                name=f"Import .docx, {want} sections ({numbering} numbering, "
                f"{len(data) // 1024} KB)",
                ours=ours,
                baseline_name="python-docx Document() + [p.text for p in paragraphs]",
                baseline=base,
                target="median < 1000 ms, every section found",
                met=ours.median_ms < 1000 and got == want,
                note=f"{got}/{want} sections read; ours includes the safety scan",
            )
        )
    rows.append(_table_row())
    data = plan_docx(plan)
    check = measure(lambda: check_docx_bytes(data, "lon.docx"), repeat=REPEAT)
    rows.append(
        Row(
            name="Safety check alone (zip streamed, XML scanned) on the same file",
            ours=check,
            baseline_name="",
            baseline=None,
            target="",
            met=None,
            note="part of the import figure above",
        )
    )
    bomb = zip_bomb_docx(150 * 1024 * 1024)
    tracemalloc.start()
    _refuse(bomb)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    refuse = measure(lambda: _refuse(bomb), repeat=REPEAT)
    rows.append(
        Row(
            name=f"Refuse a zip bomb ({len(bomb) // 1024} KB → 150 MB)",
            ours=refuse,
            baseline_name="",
            baseline=None,
            target="< 100 ms, < 20 MB memory",
            met=refuse.median_ms < 100 and peak < 20 * 1024 * 1024,
            note=f"peak Python memory {peak / 1024 / 1024:.1f} MB; "
            "python-docx would inflate it all",
        )
    )
    return rows
