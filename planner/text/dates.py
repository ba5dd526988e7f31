"""Dates as Vietnamese offices write them, read and written in one place.

Read (`parse_date`): `14/7/2020`, `14-07-2020`, `14.7.2020`, `ngày 14 tháng 7 năm 2020` (any
case, with or without diacritics, `ngày` optional) and ISO `2020-07-14` (a time after it is
allowed). Blank text is no date (None); anything else raises `DateError`, a `ValueError` and a
`PlannerError` whose Vietnamese message says whether the text is no date at all or a day that
does not exist (31/02). Callers that name a place (a row, a field) catch it and raise their
own error.

A schedule's time cell (`period_of`, `recurrence`): a bare month or year (`tháng 5`, `Năm
2026`, `Xong trong tháng 5/2026`), a bare day (`25/11`), and the recurring times (`Thường
xuyên`, `Hàng năm`…) that have no date at all.

Written: `show_date` (`05/02/2020`, as tables and forms show a date) and the ND30 forms, where
days below 10 and the months 1 and 2 take a leading zero: `nd30_date` (`05/02/2020`,
`03/6/2013`, in citations) and `nd30_date_words` (`ngày 03 tháng 6 năm 2013`).
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from planner.errors import PlannerError
from planner.text.fold import fold


class DateError(PlannerError, ValueError):
    """Text that should be a date is not one (the message is Vietnamese, without a place)."""


_DMY = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})")
_WORDS = re.compile(r"(?:ngay )?(\d{1,2}) thang (\d{1,2}) nam (\d{4})")
_ISO = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[t ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:z|[+-]\d{2}:?\d{2})?)?"
)


def make_date(year: int, month: int, day: int) -> date | None:
    """The date, or None when there is no such day (31/02, month 13)."""
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_date(text: str) -> date | None:
    """A date from a d/m/yyyy, dd-mm-yyyy, `ngày d tháng m năm y` or ISO text; blank → None.

    Raises DateError when the text is not a date or the day does not exist.
    """
    raw = (text or "").strip()
    if not raw:
        return None
    folded = fold(raw)
    match = _ISO.fullmatch(folded)
    if match:
        year, month, day = (int(g) for g in match.groups())
    else:
        match = _DMY.fullmatch(folded) or _WORDS.fullmatch(folded)
        if not match:
            raise DateError(
                f"“{raw}” không phải ngày dạng dd/mm/yyyy, “ngày … tháng … năm …” hoặc YYYY-MM-DD"
            )
        day, month, year = (int(g) for g in match.groups())
    found = make_date(year, month, day)
    if found is None:
        raise DateError(f"ngày “{raw}” không có thật")
    return found


def show_date(day: date | None) -> str:
    """`05/02/2020`: day and month on two digits; "" for no date."""
    return "" if day is None else f"{day.day:02d}/{day.month:02d}/{day.year}"


def pad_day(day: int) -> str:
    """ND30: a day below 10 takes a leading zero."""
    return f"{day:02d}"


def pad_month(month: int) -> str:
    """ND30: months 1 and 2 take a leading zero, months 3-12 never do."""
    return f"{month:02d}" if month <= 2 else str(month)


def nd30_date(day: date) -> str:
    """`03/6/2013`, `08/11/2011`, `05/01/2021`: the ND30 padding, in figures."""
    return f"{pad_day(day.day)}/{pad_month(day.month)}/{day.year}"


def nd30_date_words(day: date) -> str:
    """`ngày 03 tháng 6 năm 2013`: the ND30 padding, in words."""
    return f"ngày {pad_day(day.day)} tháng {pad_month(day.month)} năm {day.year}"


# ---------------------------------------------------------------- a schedule's time cell

# Recurring times, folded, with the label a schedule shows for them.
_RECURRENCES = (
    ("thuong xuyen", "Thường xuyên"),
    ("hang nam", "Hàng năm"),
    ("hang quy", "Hàng quý"),
    ("hang thang", "Hàng tháng"),
    ("hang tuan", "Hàng tuần"),
    ("dinh ky", "Định kỳ"),
)
_PERIOD_LEAD = re.compile(
    r"^(?:(?:xong|hoan thanh|thuc hien|to chuc|ket thuc)\s+)?(?:trong|vao|truoc|trong suot)?\s*"
)
_BARE_MONTH = re.compile(r"(?:thang\s+)(\d{1,2})(?:\s*(?:/|nam|-)\s*(\d{4}))?")
_BARE_YEAR = re.compile(r"(?:ca\s+)?nam\s+(\d{4})")
_BARE_DAY = re.compile(r"(\d{1,2})\s*[/.-]\s*(\d{1,2})(?:\s*[/.-]\s*(\d{4}))?")


def recurrence(text: str) -> str | None:
    """The recurrence a time cell names (`Thường xuyên`, `Hàng năm`, `Hàng tháng`…), as the
    label to show, or None. `"Hàng năm (tháng 9)"` is `Hàng năm`."""
    folded = fold(text)
    for key, label in _RECURRENCES:
        if key in folded:
            return label
    return None


def period_of(text: str, year: int) -> tuple[date | None, date] | None:
    """(start, end) of a schedule's time cell written as a bare time: `tháng 5`, `Tháng
    5/2026`, `Xong trong tháng 5`, `năm 2026`, `trước 25/11`, `25/11/2026`; a month or year
    without a year takes `year`. None for anything else (ranges, quarters and `trước ngày`
    phrases in sentences are read by the caller's sentence reader first)."""
    folded = _PERIOD_LEAD.sub("", fold(text)).strip(" .;,")
    m = _BARE_MONTH.fullmatch(folded)
    if m:
        month, y = int(m.group(1)), int(m.group(2)) if m.group(2) else year
        if not 1 <= month <= 12 or y <= 0:
            return None
        first = make_date(y, month, 1)
        last = make_date(y, month, calendar.monthrange(y, month)[1])
        return (first, last) if last is not None else None
    m = _BARE_YEAR.fullmatch(folded)
    if m:
        y = int(m.group(1))
        return (make_date(y, 1, 1), date(y, 12, 31)) if y > 0 else None
    m = _BARE_DAY.fullmatch(folded)
    if m:
        d, mo, y = int(m.group(1)), int(m.group(2)), int(m.group(3) or year)
        day = make_date(y, mo, d)
        return (None, day) if day is not None else None
    return None
