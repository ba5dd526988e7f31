"""The date a plan's progress is shown "as of" (*tính đến*).

A plan is followed through its own year: shown in that year, progress is as of today; a plan of
a past year is shown as it stood at its end (31/12), so a 2021 plan opened in 2026 is not "five
years overdue"; a plan of a coming year is shown as of its first day, before anything is due.
"""

from __future__ import annotations

from datetime import date


def plan_period(year: int, today: date) -> tuple[date, date]:
    """01/01 to 31/12 of the plan's `year` (today's year when the plan has none)."""
    y = year or today.year
    return date(y, 1, 1), date(y, 12, 31)


def default_as_of(year: int, today: date) -> date:
    """Today when it falls in the plan's year, else the nearer end of that year: 31/12 for a
    past plan, 01/01 for a plan of a coming year."""
    start, end = plan_period(year, today)
    return min(max(today, start), end)
