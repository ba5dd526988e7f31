"""AppTest: Tiến độ counts its figures, overdue marks and charts to the plan's "tính đến"
date (`default_as_of`), as Trình chiếu does, and says which date that is."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

from planner.progress.as_of import default_as_of
from tests.test_page_progress import _metrics, _open, _with_tasks


def _plan_2021(sample):  # type: ignore[no-untyped-def]
    """The tasks (due in 2021) in a plan of 2021."""
    plan = _with_tasks(sample)
    return replace(plan, meta=replace(plan.meta, year=2021))


def _charts_text(at) -> str:  # type: ignore[no-untyped-def]
    specs = [
        json.dumps(json.loads(c.proto.spec), ensure_ascii=False)
        for c in at.main.get("vega_lite_chart")
    ]
    assert specs, "no chart drawn"
    return " ".join(specs)


def _captions(at) -> str:  # type: ignore[no-untyped-def]
    return " ".join(c.value for c in at.caption)


def test_a_past_plan_counts_to_its_last_day(app_env, sample, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("PLANNER_TODAY", "2026-05-04")  # five years after the plan's year
    plan = _plan_2021(sample)
    as_of = default_as_of(2021, date(2026, 5, 4))
    assert as_of == date(2021, 12, 31)
    at, _ = _open(app_env, plan)
    assert "tính đến ngày 31/12/2021" in _captions(at)
    assert "hôm nay là 04/05/2026" in _captions(at)
    # t2 (due 01/03) and t1 (due 30/06) are late by 31/12/2021; t3 (due 25/11) too
    assert _metrics(at)["Quá hạn"] == "3"
    charts = _charts_text(at)
    assert "Tính đến 31/12/2021" in charts
    assert "2026" not in charts


def test_a_plan_of_this_year_counts_to_today(app_env, sample, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("PLANNER_TODAY", "2021-03-15")
    at, _ = _open(app_env, _plan_2021(sample))
    assert "tính đến hôm nay, 15/03/2021" in _captions(at)
    assert _metrics(at)["Quá hạn"] == "1"  # only t2, due 01/03
    assert "Hôm nay 15/03/2021" in _charts_text(at)


def test_a_coming_plan_counts_to_its_first_day(app_env, sample, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("PLANNER_TODAY", "2020-06-01")
    at, _ = _open(app_env, _plan_2021(sample))
    assert "tính đến ngày 01/01/2021 (đầu năm 2021" in _captions(at)
    assert _metrics(at)["Quá hạn"] == "0"
    assert "Tính đến 01/01/2021" in _charts_text(at)
