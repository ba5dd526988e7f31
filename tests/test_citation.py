"""Citations: ND30 first and short forms, finding every citation of the seed, resolving them
to the shipped catalogue, and drafting a catalogue row from a pasted citation."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.catalogue.citation import (
    base_line,
    canonical_symbol,
    citation_date,
    directive_from_citation,
    find_citations,
    first_citation,
    party_form,
    resolve,
    short_citation,
)
from planner.catalogue.model import Catalogue, Directive
from planner.catalogue.user_rows import SHIPPED_CSV
from planner.errors import CatalogueError

SEED = Path(__file__).parent / "data" / "seed" / "ke-hoach-932-2020.md"
CATALOGUE = Catalogue.from_csv(SHIPPED_CSV)

# Every numbered citation of the seed, in order: (type, symbol, date, catalogue id).
SEED_CITATIONS = [
    ("Kế hoạch", "106/KH-UBND", date(2020, 7, 8), "kh-106-ubnd-2020"),
    ("Kế hoạch", "28-KHPH/BDV-PGDĐT", date(2020, 6, 10), "khph-28-bdv-pgddt-2020"),
    ("Nghị quyết", "25-NQ/TW", date(2013, 6, 3), "nq-25-tw-2013"),
    ("Chỉ thị", "16/CT-TTg", date(2016, 5, 16), "ct-16-ttg-2016"),
    ("Chỉ thị", "49-CT/TU", date(2015, 9, 25), "ct-49-tu-2015"),
    ("Chương trình", "1122/CTPH-UBND-BDV", None, "ctph-1122-ubnd-bdv"),
    ("Kế hoạch", "4760/KH-UBND", None, "kh-4760-ubnd"),
    ("Kế hoạch", "769/KH-SGDĐT", date(2020, 5, 20), "kh-769-sgddt-2020"),
    ("Kế hoạch", "28-KH/BDV-PGDĐT", date(2020, 6, 10), "khph-28-bdv-pgddt-2020"),
    ("Chỉ thị", "05-CT/TW", date(2016, 5, 15), "ct-05-tw-2016"),
    ("Chỉ thị", "27/CT-TTg", date(2016, 9, 8), "ct-27-ttg-2016"),
    ("Quyết định", "217-QĐ/TW", None, "qd-217-tw-2013"),
    ("Quyết định", "218-QĐ/TW", None, "qd-218-tw-2013"),
    ("Nghị quyết", "30c/NQ-CP", date(2011, 11, 8), "nq-30c-cp-2011"),
    ("Nghị quyết", "76/NQ-CP", date(2013, 6, 13), "nq-76-cp-2013"),
    ("Nghị quyết", "30c/NQ-CP", date(2011, 11, 8), "nq-30c-cp-2011"),
]


def test_every_citation_of_the_seed_is_found_and_resolves() -> None:
    text = SEED.read_text(encoding="utf-8")
    mentions = find_citations(text)
    got = [
        (m.doc_type, m.symbol, m.issued, getattr(resolve(m, CATALOGUE), "id", None))
        for m in mentions
    ]
    assert got == SEED_CITATIONS
    for m in mentions:
        assert text[m.start : m.end] == m.raw


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "các Quyết định số 217-QĐ/TW, Quyết định số 218-QĐ/TW của Bộ Chính trị",
            [("Quyết định", "217-QĐ/TW", None), ("Quyết định", "218-QĐ/TW", None)],
        ),
        (
            "Quyết định số 217-QĐ/TW và 218-QĐ/TW ngày 12/12/2013",
            [("Quyết định", "217-QĐ/TW", None), ("Quyết định", "218-QĐ/TW", date(2013, 12, 12))],
        ),
        (
            "của Nghị quyết 30c/NQ-CP ngày 08/11/2011 của Chính phủ",
            [("Nghị quyết", "30c/NQ-CP", date(2011, 11, 8))],
        ),
        (
            "Chương trình số 1122/CTPH-UBND-BDV, Kế hoạch số 4760/KH-UBND của UBND tỉnh",
            [("Chương trình", "1122/CTPH-UBND-BDV", None), ("Kế hoạch", "4760/KH-UBND", None)],
        ),
        (
            "Căn cứ Kế hoạch số 106/KH-UBND, ngày 08/7/2020 của Ủy ban nhân dân",
            [("Kế hoạch", "106/KH-UBND", date(2020, 7, 8))],
        ),
        (
            "theo Kế hoạch số 932 /KH-PGDĐT ngày 14 tháng 7 năm 2020",
            [("Kế hoạch", "932/KH-PGDĐT", date(2020, 7, 14))],
        ),
        (
            "Nghị định số 30/2020/NĐ-CP ngày 05/3/2020 và Luật số 10/2022/QH15",
            [("Nghị định", "30/2020/NĐ-CP", date(2020, 3, 5)), ("Luật", "10/2022/QH15", None)],
        ),
        ("nghị quyết số 25/NQ-TW ngày 31/02/2013", [("Nghị quyết", "25/NQ-TW", None)]),
        ("Quyết định Q\u00d0 218-Q\u00d0/TW", []),
        ("Quyết định số 218-Q\u00d0/TW", [("Quyết định", "218-QĐ/TW", None)]),
        ("các chỉ thị, nghị quyết của Đảng, Nhà nước về công tác dân vận", []),
        ("giai đoạn 2016 - 2020, nhiệm kỳ 2020-2025", []),
    ],
)
def test_find_citation_forms(text: str, expected: list[tuple]) -> None:
    mentions = find_citations(text)
    assert [(m.doc_type, m.symbol, m.issued) for m in mentions] == expected
    for m in mentions:
        assert text[m.start : m.end] == m.raw


@given(st.text(alphabet=st.sampled_from(list("Kế hoạchsố 0123456789/-QĐTWngày,và"))))
def test_find_citations_never_fails_and_raw_is_the_slice(text: str) -> None:
    for m in find_citations(text):
        assert text[m.start : m.end] == m.raw
        assert m.symbol


def test_resolve_by_date_and_ambiguity() -> None:
    (newer,) = find_citations("Nghị quyết số 76/NQ-CP ngày 15/7/2021")
    assert resolve(newer, CATALOGUE).id == "nq-76-cp-2021"
    (undated,) = find_citations("Nghị quyết số 76/NQ-CP")
    assert resolve(undated, CATALOGUE) is None  # two rows share the symbol
    (wrong,) = find_citations("Nghị quyết số 76/NQ-CP ngày 01/01/2021")
    assert resolve(wrong, CATALOGUE) is None
    (state_form,) = find_citations("Nghị quyết số 25/NQ-TW")
    assert resolve(state_form, CATALOGUE).id == "nq-25-tw-2013"
    (unknown,) = find_citations("Kế hoạch số 1/KH-XYZ")
    assert resolve(unknown, CATALOGUE) is None
    (undated_row,) = find_citations("Kế hoạch số 4760/KH-UBND ngày 01/12/2019")
    assert resolve(undated_row, CATALOGUE).id == "kh-4760-ubnd"


def test_first_citations_match_the_seed_text() -> None:
    text = " ".join(SEED.read_text(encoding="utf-8").split())
    for ident in ("nq-25-tw-2013", "ct-16-ttg-2016", "ct-49-tu-2015", "nq-30c-cp-2011"):
        cited = first_citation(CATALOGUE.get(ident))
        if ident == "ct-49-tu-2015":  # the seed writes "của Tỉnh ủy"
            cited = cited.replace("Tỉnh ủy Bình Dương", "Tỉnh ủy")
        assert cited in text, cited


def test_first_and_short_citations() -> None:
    d = CATALOGUE.get("nq-25-tw-2013")
    assert short_citation(d) == "Nghị quyết số 25-NQ/TW"
    assert first_citation(d).startswith(
        "Nghị quyết số 25-NQ/TW ngày 03/6/2013 của Ban Chấp hành Trung ương khóa XI về "
    )
    undated = CATALOGUE.get("ctph-1122-ubnd-bdv")
    assert first_citation(undated) == "Chương trình số 1122/CTPH-UBND-BDV của UBND tỉnh Bình Dương"
    law = CATALOGUE.get("luat-10-qh15-2022")
    assert first_citation(law) == "Luật Thực hiện dân chủ ở cơ sở số 10/2022/QH15 ngày 10/11/2022"
    decree = CATALOGUE.get("nd-04-cp-2015")
    assert first_citation(decree).startswith(
        "Nghị định số 04/2015/NĐ-CP ngày 09/01/2015 của Chính phủ"
    )
    assert base_line(d).startswith("Căn cứ Nghị quyết số 25-NQ/TW") and base_line(d).endswith(";")
    plan = CATALOGUE.get("kh-932-pgddt-2020")
    assert first_citation(plan).endswith("về thực hiện công tác dân vận chính quyền năm 2020")


def test_party_symbols_keep_the_party_form() -> None:
    assert party_form("25/NQ-TW") == "25-NQ/TW"
    assert party_form("217/QĐ-TW") == "217-QĐ/TW"
    assert party_form("49/CT-TU") == "49-CT/TU"
    assert party_form("16/CT-TTg") is None
    assert party_form("25-NQ/TW") is None
    assert canonical_symbol("932 /KH-PGDÐT") == "932/KH-PGDĐT"
    wrong = Directive("x", "Quyết định", "217", "217/QĐ-TW", issued=date(2013, 12, 12))
    assert short_citation(wrong) == "Quyết định số 217-QĐ/TW"
    assert first_citation(wrong).startswith("Quyết định số 217-QĐ/TW ngày 12/12/2013")


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (date(2013, 6, 3), "03/6/2013"),
        (date(2011, 11, 8), "08/11/2011"),
        (date(2021, 1, 5), "05/01/2021"),
        (date(2021, 2, 15), "15/02/2021"),
        (date(2021, 3, 15), "15/3/2021"),
    ],
)
def test_citation_date(day: date, text: str) -> None:
    assert citation_date(day) == text


def test_directive_from_citation() -> None:
    d = directive_from_citation(
        "Căn cứ Kế hoạch số 106/KH-UBND, ngày 08/7/2020 của Ủy ban nhân dân thành phố Thủ Dầu "
        "Một về Thực hiện công tác dân vận chính quyền năm 2020;"
    )
    assert (d.doc_type, d.number, d.symbol, d.issued) == (
        "Kế hoạch", "106", "106/KH-UBND", date(2020, 7, 8)
    )  # fmt: skip
    assert d.issuer == "Ủy ban nhân dân thành phố Thủ Dầu Một"
    assert d.title == "về Thực hiện công tác dân vận chính quyền năm 2020"
    assert d.issuer_level == "district"
    assert d.status == "unknown"
    assert d.id == "kh-106-ubnd-2020"
    assert "106/KH-UBND" in d.source


def test_directive_from_citation_party_and_lists() -> None:
    d = directive_from_citation(
        "Quyết định số 217-QĐ/TW và 218-QĐ/TW ngày 12/12/2013 của Bộ Chính trị"
    )
    assert (d.symbol, d.issued, d.issuer, d.issuer_level) == (
        "217-QĐ/TW", date(2013, 12, 12), "Bộ Chính trị", "central"
    )  # fmt: skip
    v = directive_from_citation("Công văn số 15/SGDĐT-VP ngày 05/01/2021 của Sở GDĐT V/v báo cáo")
    assert v.title == "về việc báo cáo"
    assert v.issuer == "Sở GDĐT"
    assert v.issuer_level == "province"


def test_directive_from_citation_refuses_text_without_a_citation() -> None:
    with pytest.raises(CatalogueError, match="Không tìm thấy trích dẫn"):
        directive_from_citation("Tiếp tục đẩy mạnh công tác dân vận")
    with pytest.raises(CatalogueError, match="dài quá"):
        directive_from_citation("Kế hoạch số 1/KH-UBND " + "x" * 3000)
