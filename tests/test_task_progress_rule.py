"""The status/percentage rule of a task (`planner.progress.tasks.settle_progress`)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from planner.model import Task
from planner.progress.tasks import TaskError, settle_progress, summarize

BASE = Task(id="t1", title="Kiểm tra các trường", lead="Phòng GDĐT")


def _t(status: str, progress: int) -> Task:
    return replace(BASE, status=status, progress=progress)


@pytest.mark.parametrize(
    ("status", "progress", "want"),
    [
        ("done", 0, ("done", 100)),
        ("done", 40, ("done", 100)),
        ("in_progress", 100, ("done", 100)),
        ("planned", 100, ("done", 100)),
        ("planned", 30, ("in_progress", 30)),
        ("planned", 0, ("planned", 0)),
        ("in_progress", 0, ("in_progress", 0)),
        ("in_progress", 55, ("in_progress", 55)),
        ("cancelled", 40, ("cancelled", 40)),
        ("cancelled", 100, ("cancelled", 100)),
    ],
)
def test_a_new_or_unchanged_task_is_made_consistent(status, progress, want) -> None:
    got = settle_progress(_t(status, progress))
    assert (got.status, got.progress) == want
    same = settle_progress(_t(status, progress), before=_t(status, progress))
    assert (same.status, same.progress) == want


@pytest.mark.parametrize(
    ("before", "after", "want"),
    [
        # only the status was changed: the status wins
        (("in_progress", 40), ("done", 40), ("done", 100)),
        (("in_progress", 40), ("planned", 40), ("planned", 0)),
        (("done", 100), ("planned", 100), ("planned", 0)),
        (("planned", 0), ("in_progress", 0), ("in_progress", 0)),
        # only the percentage was changed: the percentage wins
        (("in_progress", 40), ("in_progress", 100), ("done", 100)),
        (("planned", 0), ("planned", 25), ("in_progress", 25)),
        (("done", 100), ("done", 80), ("in_progress", 80)),
        (("done", 100), ("done", 0), ("planned", 0)),
        (("in_progress", 40), ("in_progress", 0), ("in_progress", 0)),
        # both changed: the same rule as a new task
        (("done", 100), ("in_progress", 70), ("in_progress", 70)),
        (("planned", 0), ("in_progress", 100), ("done", 100)),
    ],
)
def test_the_field_the_user_changed_wins(before, after, want) -> None:
    got = settle_progress(_t(*after), before=_t(*before))
    assert (got.status, got.progress) == want


def test_reopening_a_finished_task_asks_for_the_real_percentage() -> None:
    with pytest.raises(TaskError, match="tỷ lệ hoàn thành thực tế"):
        settle_progress(_t("in_progress", 100), before=_t("done", 100))


def test_the_figures_no_longer_say_done_with_zero_progress() -> None:
    tasks = [settle_progress(_t("done", 0)), settle_progress(replace(_t("planned", 0), id="t2"))]
    s = summarize(tasks, date(2021, 3, 15))
    assert (s.done, s.mean_progress) == (1, 50.0)
