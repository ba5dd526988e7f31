"""The built-in sample: Kế hoạch số 932/KH-PGDĐT of 14/7/2020 (last year's plan in demos)."""

from __future__ import annotations

from pathlib import Path

from planner.model import Plan, load_plan

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_PATH = ROOT / "data" / "samples" / "ke-hoach-932-2020.json"
CATALOGUE_PATH = ROOT / "data" / "directives.csv"


def sample_plan() -> Plan:
    """The sample plan, freshly read (it is small)."""
    return load_plan(SAMPLE_PATH)
