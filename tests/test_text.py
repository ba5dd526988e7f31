"""planner.text: one folding, one numbering, one date parsing for every layer."""

from __future__ import annotations

from datetime import date

import pytest

from planner.catalogue.model import Catalogue, Directive
from planner.docx.reader import import_docx
from planner.drafting.citation_check import check_citations
from planner.model import Block, Meta, Plan, Section
from planner.progress.tasks import find_deadlines, parse_status
from planner.text.dates import (
    DateError,
    make_date,
    nd30_date,
    nd30_date_words,
    parse_date,
    show_date,
)
from planner.text.fold import fold, fold_same_length, fold_start
from planner.text.numbering import (
    NUMBER_STYLES,
    VN_LETTERS,
    from_roman,
    label_style,
    next_roman,
    number_label,
    to_letters,
    to_roman,
)
from tests import docx_builders as B

LOOK_ALIKE = "SỞ GIÁO DỤC VÀ \u00d0ÀO TẠO – Quý IV — năm 2021"


# ---------------------------------------------------------------- folding


def test_fold_maps_look_alike_eth_and_dashes() -> None:
    assert fold(LOOK_ALIKE) == "so giao duc va dao tao - quy iv - nam 2021"
    assert fold("… VÀ \u00d0ÀO TẠO – Quý IV") == "... va dao tao - quy iv"


def test_fold_same_length_keeps_offsets_and_folds_like_fold() -> None:
    folded = fold_same_length(LOOK_ALIKE)
    assert len(folded) == len(LOOK_ALIKE)
    assert folded == "so giao duc va dao tao - quy iv - nam 2021"
    assert fold_same_length("từ 01/9\u201330/9") == "tu 01/9-30/9"
    assert fold_same_length("ĐÐ\u2014x") == "dd-x"


def test_fold_same_length_keeps_what_fold_would_drop_or_widen() -> None:
    text = "“Đoàn”\tthể … ß"
    folded = fold_same_length(text)
    assert len(folded) == len(text)
    assert folded == "“doan” the … ß"


def test_fold_start_folds_only_the_opening() -> None:
    line = "\u00d0ỘC LẬP – TỰ DO – HẠNH PHÚC " + "x" * 500
    assert fold_start(line) == fold(line[:60])
    assert fold_start(line).startswith("doc lap - tu do - hanh phuc")
    assert fold_start("Kế hoạch — năm 2021", 8) == "ke hoach"
    assert fold_start("\u00d0ẢNG BỘ –", 20) == "dang bo -"


# ---------------------------------------------------------------- numbering


def test_roman_both_ways() -> None:
    for n in (1, 2, 3, 4, 9, 14, 40, 49, 90, 400, 1994, 3999):
        assert from_roman(to_roman(n)) == n
    assert [to_roman(n) for n in (1, 4, 9, 14, 40, 1994)] == [
        "I",
        "IV",
        "IX",
        "XIV",
        "XL",
        "MCMXCIV",
    ]
    with pytest.raises(ValueError):
        to_roman(0)
    for bad in ("", "iv", "IV.", "A"):
        with pytest.raises(ValueError):
            from_roman(bad)


def test_vietnamese_letters_follow_the_project_order() -> None:
    assert "".join(VN_LETTERS) == "abcdđeghiklmnopqrstuvxy"
    assert [to_letters(n) for n in (1, 4, 5, 6, 7, 23, 24, 25)] == [
        "a", "d", "đ", "e", "g", "y", "aa", "ab",
    ]  # fmt: skip
    with pytest.raises(ValueError):
        to_letters(0)


def test_number_label_and_label_style_agree() -> None:
    for style in NUMBER_STYLES:
        for n in (1, 5, 24):
            assert label_style(number_label(style, n)) == style
    assert label_style("Phần A") is None
    assert label_style("IV.") is None
    assert next_roman(["I", "II", "IV"]) == "V"
    assert next_roman(["I", "2"]) is None
    assert next_roman([]) is None


# ---------------------------------------------------------------- dates


@pytest.mark.parametrize(
    "text",
    [
        "14/7/2020",
        "14/07/2020",
        "14-07-2020",
        "14.7.2020",
        " 14 / 7 / 2020 ",
        "ngày 14 tháng 7 năm 2020",
        "Ngày 14 tháng 07 năm 2020",
        "ngay 14 thang 7 nam 2020",
        "14 tháng 7 năm 2020",
        "2020-07-14",
        "2020-7-14",
        "2020-07-14 00:00:00",
        "2020-07-14T08:30:00",
    ],
)
def test_parse_date_reads_every_vietnamese_form(text: str) -> None:
    assert parse_date(text) == date(2020, 7, 14)


def test_parse_date_blank_is_none_and_bad_text_raises() -> None:
    assert parse_date("") is None
    assert parse_date("   ") is None
    with pytest.raises(DateError, match="không phải ngày"):
        parse_date("tháng 5")
    with pytest.raises(DateError, match="không có thật"):
        parse_date("31/02/2021")
    with pytest.raises(DateError, match="không có thật"):
        parse_date("ngày 30 tháng 2 năm 2021")
    with pytest.raises(ValueError):  # DateError is a ValueError for older callers
        parse_date("2021-02-31")
    assert make_date(2021, 2, 31) is None
    assert make_date(2021, 2, 28) == date(2021, 2, 28)


def test_date_forms_written() -> None:
    assert show_date(date(2020, 2, 5)) == "05/02/2020"
    assert show_date(None) == ""
    assert nd30_date(date(2013, 6, 3)) == "03/6/2013"
    assert nd30_date(date(2021, 1, 5)) == "05/01/2021"
    assert nd30_date(date(2011, 11, 8)) == "08/11/2011"
    assert nd30_date_words(date(2013, 6, 3)) == "ngày 03 tháng 6 năm 2013"
    assert nd30_date_words(date(2020, 2, 14)) == "ngày 14 tháng 02 năm 2020"
    for day in (date(2020, 2, 5), date(2013, 6, 3), date(2021, 12, 31)):
        assert parse_date(show_date(day)) == day
        assert parse_date(nd30_date(day)) == day
        assert parse_date(nd30_date_words(day)) == day


# ---------------------------------------------------------------- callers fold alike
# Before one folding, tasks, reports and the docx reader each folded on their own and missed
# the look-alike `Ð` (U+00D0) and en/em dashes; these are the cases where the copies disagreed.


def test_tasks_read_look_alike_eth_and_en_dash() -> None:
    assert parse_status("\u00d0ã hoàn thành") == "done"
    assert parse_status("\u00d0ANG THỰC HIỆN") == "in_progress"
    (found,) = find_deadlines("Tổ chức từ ngày 01/9 – 30/9", 2021)
    assert (found.start, found.due) == (date(2021, 9, 1), date(2021, 9, 30))
    assert found.phrase == "từ ngày 01/9 – 30/9"
    (found,) = find_deadlines("Báo cáo chậm nhất ngày 15/12/2021 — \u00d0ÚNG HẠN", 2021)
    assert found.due == date(2021, 12, 15)


def test_docx_reader_knows_the_motto_typed_with_en_dashes() -> None:
    doc = B.new_document()
    B.par(doc, "UBND THÀNH PHỐ THỦ DẦU MỘT\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    B.par(doc, ["PHÒNG GIÁO DỤC VÀ \u00d0ÀO TẠO", "\t\u00d0ỘC LẬP – TỰ DO — HẠNH PHÚC"], bold=True)
    B.par(doc, "Số: 932/KH-PGDĐT\tThủ Dầu Một, ngày 14 tháng 7 năm 2020")
    B.par(doc, "KẾ HOẠCH", bold=True)
    B.par(doc, "Tổ chức hoạt động hè năm 2020")
    B.par(doc, "I. MỤC ĐÍCH")
    B.par(doc, "Nội dung.")
    meta = import_docx(B.to_bytes(doc), "x.docx").plan.meta
    assert meta.authority == "PHÒNG GIÁO DỤC VÀ \u00d0ÀO TẠO"
    assert meta.issued == date(2020, 7, 14)


def test_citation_check_writes_the_nd30_date_in_words() -> None:
    # The check wrote "tháng 2" where ND30 (and the DOCX writer) write "tháng 02".
    circular = Directive(
        id="tt-05-bgddt-2011",
        doc_type="Thông tư",
        number="05",
        symbol="05/2011/TT-BGDĐT",
        issued=date(2011, 2, 10),
    )
    text = "Theo Thông tư số 05/2011/TT-BGDĐT ngày 10 tháng 3 năm 2011 của Bộ."
    plan = Plan(
        meta=Meta(year=2021, subject="Kế hoạch thử"),
        sections=(Section("I", "NỘI DUNG", (Block("paragraph", text),)),),
    )
    (finding,) = check_citations(plan, Catalogue([circular])).findings
    assert finding.suggestion == "Thông tư số 05/2011/TT-BGDĐT ngày 10 tháng 02 năm 2011"
