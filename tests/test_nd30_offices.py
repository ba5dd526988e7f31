"""check-docx on Word files as other offices type them (issue #11): each way of drawing the rule
under the header is found, NFD text is read as NFC, a landscape Phụ lục after the signature is
allowed (a landscape body is not), and header lines are measured in their real cells.

Every case compares the right file (no finding) with the wrong one (the finding), both built
by `tests/office_docs.py`.
"""

from __future__ import annotations

import pytest

from planner.nd30.checker import check_docx
from planner.nd30.findings import R_AUTHORITY, R_DATE, R_FONT, R_NATIONAL, R_PAGE, R_TITLE, Finding
from tests.office_docs import (
    HEADER_SHAPES,
    RULE_KINDS,
    SUBJECT_TWO,
    focus_schedule,
    office_docx,
)

FLOATING = ("vml_line", "vml_shape", "dml_anchor", "mc")
LARGE_MARGINS = '<w:left w:w="600" w:type="dxa"/><w:right w:w="600" w:type="dxa"/>'


def _check(**kw: object) -> list[Finding]:
    return check_docx(office_docx(**kw), "phong-gd.docx")  # type: ignore[arg-type]


def _missing_rule(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if "Thiếu đường kẻ" in f.message]


CASES = (
    [(kind, "after", "2x2") for kind in RULE_KINDS]
    + [(kind, "next_row", "3x3") for kind in RULE_KINDS]
    + [(kind, "cell_top", "2x2") for kind in FLOATING]
    + [(kind, "same", "1x2") for kind in ("vml_shape", "dml_inline", "mc")]
    + [("dml_anchor", "next_row", "2x3"), ("border", "after", "1x2"), ("underline", "after", "2x3")]
)


@pytest.mark.parametrize(("kind", "place", "shape"), CASES, ids=["-".join(c) for c in CASES])
def test_rule_under_header_is_found_however_drawn(kind: str, place: str, shape: str) -> None:
    findings = _check(header=shape, rule=kind, place=place)
    assert findings == [], f"{kind} {place} {shape}: {findings}"


@pytest.mark.parametrize("shape", HEADER_SHAPES)
def test_header_shapes_read_clean(shape: str) -> None:
    assert _check(header=shape) == []


@pytest.mark.parametrize("shape", ("2x2", "1x2", "3x3"))
def test_missing_rules_are_still_reported(shape: str) -> None:
    missing = _missing_rule(_check(header=shape, place="none"))
    assert {f.rule for f in missing} == {R_AUTHORITY, R_NATIONAL}


def test_inline_line_above_the_authority_is_not_its_rule() -> None:
    """An inline line in the first line of the cell prints above the name, not under it."""
    missing = _missing_rule(_check(rule="dml_inline", place="cell_top"))
    assert {f.rule for f in missing} == {R_AUTHORITY, R_NATIONAL}


def test_floating_line_in_a_three_line_issuer_block() -> None:
    assert _check(header="1x2", issuer_lines=3, rule="mc", place="cell_top") == []


def test_rule_after_a_two_line_trich_yeu() -> None:
    for kind in ("border", "dml_anchor", "vml_line", "underline"):
        assert _check(subject=SUBJECT_TWO, subject_rule=kind) == [], kind


def test_two_line_trich_yeu_without_rule_is_reported() -> None:
    findings = _check(subject=SUBJECT_TWO, subject_rule="none")
    missing = _missing_rule(findings)
    assert [f.rule for f in missing] == [R_TITLE]
    assert "của ngành" in missing[0].where  # the rule belongs under the last line
    assert not [f for f in findings if f.rule != R_TITLE]


def test_nfd_text_gives_only_the_nfd_finding() -> None:
    findings = _check(nfd=True)
    assert [f.rule for f in findings] == [R_FONT]
    assert "NFD" in findings[0].message


def test_landscape_appendix_after_signature_is_allowed() -> None:
    assert _check(appendix="landscape") == []


def test_landscape_body_is_still_reported() -> None:
    findings = _check(appendix="body_landscape")
    assert [f.rule for f in findings] == [R_PAGE]
    assert "nằm ngang" in findings[0].message


def test_line_fit_uses_the_cells_own_margins() -> None:
    assert _check(rule="vml_line") == []
    findings = _check(rule="vml_line", cell_mar=LARGE_MARGINS)
    wraps = {f.rule for f in findings if "xuống dòng" in f.message}
    assert wraps == {R_DATE, R_NATIONAL}


def test_line_fit_uses_the_cells_tcmar() -> None:
    """Margins set on the right-hand cells alone (w:tcMar) narrow those lines only."""
    findings = _check(rule="vml_line", right_mar=LARGE_MARGINS)
    wraps = {f.rule for f in findings if "xuống dòng" in f.message}
    assert wraps == {R_DATE, R_NATIONAL}


def test_line_fit_uses_percentage_cell_widths() -> None:
    """Cells sized in percent over an even grid: the date fits its 60 % cell."""
    long_date = "Thị trấn Tân Túc, ngày 05 tháng 01 năm 2026"
    assert _check(pct=True, date=long_date) == []
    findings = _check(date=long_date, right_w=4200, left_w=5155)
    assert any(f.rule == R_DATE and "xuống dòng" in f.message for f in findings)


def test_schedule_table_in_body_reads_clean() -> None:
    assert _check(schedule=focus_schedule()) == []
