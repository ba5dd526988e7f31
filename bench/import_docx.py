"""Import of a large plan from Word, beside python-docx's plain paragraph texts.

The .docx is generated in code (`tests/docx_builders.py`): a plan with 200 second-level
sections under 4 parts, each with a paragraph, a `- ` item, a `+ ` item and, every 20th, a
table; once with typed labels and once with Word's automatic numbering (numbering.xml).
Our figure includes the safety check (the whole zip streamed, every XML part scanned) and the
full reading into a plan; the naive baseline only opens the file with python-docx and lists
`paragraph.text` (no safety check, no structure, and it misses Word's numbering labels).
"""

from __future__ import annotations

import io
import tracemalloc

import docx

from bench.common import Row, measure
from planner.docx.reader import import_docx
from planner.docx.safety import check_docx_bytes
from planner.errors import InputFileError
from tests.docx_builders import large_plan, plan_docx, zip_bomb_docx

SECTIONS = 200
REPEAT = 15


def _naive(data: bytes) -> list[str]:
    doc = docx.Document(io.BytesIO(data))
    return [p.text for p in doc.paragraphs]


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
