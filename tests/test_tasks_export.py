"""Into the document: the schedule table and the charts' appendix keep the ND30 check clean."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date

import docx

from planner.docx.writer import export_docx
from planner.nd30.checker import check_docx
from planner.progress.charts import chart_images
from planner.progress.tasks import accept_suggestions, schedule_rows, suggest_tasks
from planner.sample import sample_plan

TODAY = date(2020, 10, 20)


def _plan():
    p = sample_plan()
    p = accept_suggestions(p, suggest_tasks(p))
    ts = list(p.tasks)
    ts[0] = replace(
        ts[0], start=date(2020, 7, 20), due=date(2020, 9, 30), status="in_progress", progress=60
    )
    ts[2] = replace(
        ts[2], start=date(2020, 8, 15), due=date(2020, 12, 15), status="done", progress=100
    )
    return replace(p, tasks=tuple(ts))


def test_document_with_schedule_and_charts_passes_nd30() -> None:
    plan = _plan()
    rows = schedule_rows(plan)
    charts = chart_images(plan, TODAY)
    assert len(rows) == 4
    assert len(charts) == 4
    data = export_docx(plan, today=TODAY, schedule_rows=rows, charts=charts)
    findings = check_docx(data, "ke-hoach-tien-do.docx")
    assert findings == [], [f"{f.rule}: {f.message} ({f.where})" for f in findings]

    doc = docx.Document(io.BytesIO(data))
    texts = [p.text for p in doc.paragraphs]
    assert "PHỤ LỤC" in texts
    assert sum(1 for t in texts if t.startswith("Hình ")) == 4
    assert "Hình 1. Lịch thực hiện công việc" in texts
    # the schedule table: header and our rows, in order
    table = next(t for t in doc.tables if t.rows[0].cells[0].text.strip() == "Thời gian")
    header = [c.text.strip() for c in table.rows[0].cells]
    assert header == ["Thời gian", "Nội dung công việc", "Đơn vị chủ trì", "Đơn vị phối hợp"]
    body = [tuple(c.text.strip() for c in r.cells) for r in table.rows[1:]]
    assert body == [tuple(x.strip() for x in r) for r in rows]
    assert "Trước ngày 25/11/2020" in [r[0] for r in body]
    # the images are there at print resolution
    blobs = [r.target_part.blob for r in doc.part.rels.values() if "image" in r.reltype]
    assert len(blobs) == 4
    assert all(int.from_bytes(b[16:20], "big") >= 1200 for b in blobs)
