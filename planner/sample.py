"""The built-in sample: Kế hoạch số 932/KH-PGDĐT of 14/7/2020 (last year's plan in demos)."""

from __future__ import annotations

from planner.model import Plan, load_plan
from planner.paths import SAMPLE_PATH


def sample_plan() -> Plan:
    """The sample plan, freshly read (it is small)."""
    return load_plan(SAMPLE_PATH)
