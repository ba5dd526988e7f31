"""Rollover and citation check on a large generated plan, beside naive baselines.

The plan is the sample's body repeated into 200 top-level sections (with their children:
533 sections, 1,336 blocks), 200 tasks and the sample's Căn cứ; about 1,700 findings.

- rollover (ours) vs a plain regex year replace over every text (the naive tool: it also
  rewrites citation dates, symbols and running periods, counted in the note);
- one `apply_finding` on the rolled draft (what a click in the findings panel costs);
- `check_citations` vs a bare regex scan for symbols (no linking, no checks).
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from bench.common import Row, measure
from planner.catalogue.model import Catalogue
from planner.drafting.citation_check import check_citations
from planner.drafting.findings import apply_finding
from planner.drafting.rollover import rollover
from planner.model import Plan, Task, plan_from_dict, plan_to_dict
from planner.paths import SHIPPED_CSV
from planner.sample import sample_plan

SECTIONS = 200
TASKS = 200
TODAY = date(2021, 9, 1)


def big_plan(sections: int = SECTIONS, tasks: int = TASKS) -> Plan:
    """The sample's sections repeated `sections` times (renumbered), with `tasks` tasks."""
    sample = sample_plan()
    body = [s for s in sample.sections]
    out = []
    for i in range(sections):
        s = body[i % len(body)]
        out.append(replace(s, number=str(i + 1)))
    task_list = tuple(
        Task(
            id=f"t{i + 1}",
            title=f"Nhiệm vụ {i + 1} năm 2020",
            lead="Phòng GDĐT",
            start=date(2020, 1 + i % 12, 1),
            due=date(2020, 1 + i % 12, 28),
            status=("planned", "in_progress", "done")[i % 3],
            progress=(0, 50, 100)[i % 3],
            section=str(1 + i % sections),
        )
        for i in range(tasks)
    )
    return replace(sample, sections=tuple(out), tasks=task_list)


_NAIVE_YEAR = re.compile(r"\b2020\b")


def naive_rollover(plan: Plan) -> tuple[Plan, int]:
    """Replace every "2020" by "2021" in every string of the plan (the naive tool)."""
    count = 0

    def walk(value):  # type: ignore[no-untyped-def]
        nonlocal count
        if isinstance(value, str):
            new, n = _NAIVE_YEAR.subn("2021", value)
            count += n
            return new
        if isinstance(value, list):
            return [walk(v) for v in value]
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items()}
        return value

    data = walk(plan_to_dict(plan))
    data["meta"]["year"] = 2021
    return plan_from_dict(data), count


_NAIVE_SYMBOL = re.compile(r"\d+[a-z]?[/\-][A-ZĐa-z0-9/\-]+")


def naive_citations(plan: Plan) -> int:
    texts = [b.text for b in plan.bases]
    texts += [b.text for _, s in plan.iter_sections() for b in s.blocks]
    return sum(len(_NAIVE_SYMBOL.findall(t)) for t in texts)


def _count_blocks(plan: Plan) -> int:
    return sum(len(s.blocks) for _, s in plan.iter_sections())


def _wrong_naive_edits(plan: Plan) -> int:
    """Naive edits inside citation dates/symbols and running periods (`08/7/2020`, 2020-2025)."""
    bad = re.compile(r"/2020\b|\b2020/|2020-2025")
    texts = [b.text for b in plan.bases]
    texts += [b.text for _, s in plan.iter_sections() for b in s.blocks]
    return sum(len(bad.findall(t)) for t in texts)


def run() -> list[Row]:
    catalogue = Catalogue.from_csv(SHIPPED_CSV)
    plan = big_plan()
    blocks = _count_blocks(plan)
    sections = sum(1 for _ in plan.iter_sections())
    top = len(plan.sections)

    result = rollover(plan, 2021, catalogue=catalogue, today=TODAY)
    n_open = len(result.open_findings)
    ours = measure(lambda: rollover(plan, 2021, catalogue=catalogue, today=TODAY), repeat=5)
    base = measure(lambda: naive_rollover(plan), repeat=5)
    _, naive_count = naive_rollover(plan)
    wrong = _wrong_naive_edits(plan)
    rows = [
        Row(
            name=(
                f"rollover, {top} top-level sections ({sections} in all) / {blocks} blocks / "
                f"{TASKS} tasks"
            ),
            ours=ours,
            baseline_name="regex year replace over every text",
            baseline=base,
            target="p95 < 2000 ms",
            met=ours.p95_ms < 2000,
            note=(
                f"{n_open} open findings, {len(result.applied_findings)} applied; the naive "
                f"replace made {naive_count} edits, {wrong} of them inside citation dates, "
                "symbols or a running term (2020-2025), and found no ended period, replaced "
                "directive or past event"
            ),
        )
    ]

    draft = result.plan
    target = next(f for f in reversed(result.open_findings) if f.can_apply)
    click = measure(lambda: apply_finding(draft, target.id), repeat=10)
    rows.append(
        Row(
            name=f"apply one finding on the rolled draft ({len(result.findings)} findings)",
            ours=click,
            baseline_name="",
            baseline=None,
            target="p95 < 300 ms",
            met=click.p95_ms < 300,
            note="what one “Áp dụng” click costs in the findings panel",
        )
    )

    report = check_citations(plan, catalogue)
    checked = measure(lambda: check_citations(plan, catalogue), repeat=5)
    bare = measure(lambda: naive_citations(plan), repeat=5)
    rows.append(
        Row(
            name=f"check citations, {top} top-level sections ({sections} in all)",
            ours=checked,
            baseline_name="bare regex symbol scan (no linking, no checks)",
            baseline=bare,
            target="p95 < 2000 ms",
            met=checked.p95_ms < 2000,
            note=(
                f"{len(report.mentions)} citations, {report.linked} linked to the catalogue, "
                f"{len(report.findings)} findings"
            ),
        )
    )
    return rows


if __name__ == "__main__":
    for row in run():
        base = f" | {row.baseline_name}: {row.baseline.text()}" if row.baseline else ""
        print(f"{row.name}: {row.ours.text()}{base} | {row.target} met={row.met} | {row.note}")
