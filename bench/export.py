"""DOCX export and the ND30 check on a 200-section plan, beside plain python-docx.

The plan is the sample with its top-level sections repeated into 200 sections (each with its
own children and blocks: about 2,000 paragraphs). Timed in the same run:

- `export_docx` (template, styles, header and signature tables, rules, page numbers,
  deterministic zip) vs python-docx writing the same paragraphs with no styling at all;
- `check_docx` on the exported document (every run's formatting resolved through the style
  chain) vs python-docx opening the same file and reading every paragraph's text.
"""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date

import docx

from bench.common import Row, measure
from planner.docx.writer import export_docx, heading_label
from planner.model import Plan
from planner.nd30.checker import check_docx
from planner.sample import sample_plan

SECTIONS = 200
TODAY = date(2021, 3, 15)


def big_plan(sections: int = SECTIONS) -> Plan:
    """The sample's top-level sections repeated `sections` times, numbered I, II, …"""
    from planner.text.numbering import to_roman

    body = sample_plan().sections
    out = [replace(body[i % len(body)], number=to_roman(i + 1)) for i in range(sections)]
    return replace(sample_plan(), sections=tuple(out))


def _texts(plan: Plan) -> list[str]:
    """The paragraphs the exporter writes for the body, as plain strings."""
    out = [b.text for b in plan.bases] + list(plan.preamble)
    for _path, s in plan.iter_sections():
        out.append(f"{heading_label(s.number)} {s.title}")
        out.extend(b.text for b in s.blocks)
    return out + list(plan.closing) + list(plan.recipients)


def plain_docx(texts: list[str]) -> bytes:
    doc = docx.Document()
    for t in texts:
        doc.add_paragraph(t)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def _read_plain(data: bytes) -> int:
    doc = docx.Document(io.BytesIO(data))
    return sum(len(p.text) for p in doc.paragraphs)


def run() -> list[Row]:
    plan = big_plan()
    texts = _texts(plan)
    data = export_docx(plan, today=TODAY)
    paragraphs = len(docx.Document(io.BytesIO(data)).paragraphs)
    ours = measure(lambda: export_docx(plan, today=TODAY), repeat=5, warmup=1)
    base = measure(lambda: plain_docx(texts), repeat=5, warmup=1)
    findings = check_docx(data, "bench.docx")
    check = measure(lambda: check_docx(data, "bench.docx"), repeat=5, warmup=1)
    read = measure(lambda: _read_plain(data), repeat=5, warmup=1)
    return [
        Row(
            name=f"export_docx, {SECTIONS} sections ({paragraphs} paragraphs)",
            ours=ours,
            baseline_name="python-docx, same paragraphs, no styling",
            baseline=base,
            target="≤ 2 s and ≤ 5× the unstyled baseline",
            met=ours.median_ms <= 2000 and ours.median_ms <= 5 * base.median_ms,
        ),
        Row(
            name=f"check_docx on that document ({len(findings)} findings)",
            ours=check,
            baseline_name="python-docx open + read every paragraph's text",
            baseline=read,
            target="≤ 2 s",
            met=check.median_ms <= 2000,
            note="formatting of every run resolved through styles and defaults",
        ),
    ]


if __name__ == "__main__":
    for row in run():
        print(row.name)
        print("  ours    ", row.ours.text())
        if row.baseline:
            print("  baseline", row.baseline.text(), f"({row.baseline_name})")
        print("  target  ", row.target, "met" if row.met else "NOT met")
