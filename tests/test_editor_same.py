"""The editor saves a change that touches only an extension (findings, review marks)."""

from __future__ import annotations

from dataclasses import replace

from components.editor_session import same
from planner.model import with_extra
from planner.sample import sample_plan


def test_a_change_only_in_findings_is_a_change():
    plan = with_extra(sample_plan(), findings=[{"id": "f1", "status": "open"}])
    dismissed = with_extra(plan, findings=[{"id": "f1", "status": "dismissed"}])
    assert plan == dismissed  # dataclass equality leaves `extra` out ...
    assert not same(plan, dismissed)  # ... the editor's check does not


def test_a_change_only_in_a_review_mark_is_a_change():
    plan = sample_plan()
    first = plan.sections[0]
    block = replace(first.blocks[0], reviewed=True)
    marked = replace(
        plan, sections=(replace(first, blocks=(block, *first.blocks[1:])), *plan.sections[1:])
    )
    assert not same(plan, marked)


def test_the_same_plan_is_the_same():
    plan = sample_plan()
    assert same(plan, plan) and same(plan, sample_plan())
