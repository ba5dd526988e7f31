"""The catalogue's rows held column by column (`planner.catalogue.table.RowTable`): every field
comes back as it went in, repeated values are stored once, ids are found and a later row with
the same id replaces the earlier one in its place, and a catalogue keeps no `Directive` object
per row (a million rows must fit in memory: issue 12)."""

from __future__ import annotations

import gc
from datetime import date

import pytest

from bench.catalogue_gen import iter_rows
from planner.catalogue import table as table_module
from planner.catalogue.model import Catalogue, Directive
from planner.catalogue.table import RowTable

FULL = Directive(
    id="nq-25-tw-2013",
    doc_type="Nghị quyết",
    number="25",
    symbol="25-NQ/TW",
    aliases=("25/NQ-TW", "NQ 25"),
    issued=date(2013, 6, 3),
    issuer="Ban Chấp hành Trung ương",
    issuer_level="central",
    title="về tăng cường và đổi mới sự lãnh đạo của Đảng đối với công tác dân vận",
    status="in_force",
    replaced_by="",
    amends=("ct-49-tw-1999",),
    topics=("công tác dân vận", "Đảng"),
    source="https://example.org/nq25 😀",
)
BARE = Directive(id="vb-1", doc_type="", number="", symbol="", title="x")


def test_every_field_round_trips() -> None:
    odd = Directive(
        id="cv-9",
        doc_type="Công văn",
        number="09a",
        symbol="09a/UBND-VX",
        issued=date(1, 1, 1),
        title="tab\tand a lone surrogate \udc80 kept",
        status="unknown",
        topics=("",) * 0,
    )
    rows = [FULL, BARE, odd, FULL]
    table = RowTable.of(rows)
    assert len(table) == 4
    assert [Directive(*table.values(i)) for i in range(4)] == rows
    assert table.issued(1) is None and table.issued(2) == date(1, 1, 1)
    assert table.items("topics", 0) == ("công tác dân vận", "Đảng")
    assert table.items("aliases", 1) == ()


def test_repeated_values_are_stored_once() -> None:
    rows = [
        Directive(id=f"r-{k}", doc_type="Kế hoạch", number=str(k), symbol=f"{k}/KH-UBND",
                  issuer="Ủy ban nhân dân tỉnh Bình Dương", title=f"kế hoạch số {k}")
        for k in range(500)
    ]  # fmt: skip
    table = RowTable.of(rows)
    assert table.columns["issuer"].distinct() == 1
    assert table.columns["doc_type"].distinct() == 1
    assert table.columns["title"].distinct() == 500
    # 500 rows: a few bytes a row beside their own text, no object per row
    text = sum(len(d.title.encode()) + len(d.symbol) + len(d.id) + len(d.number) for d in rows)
    assert table.nbytes() < text + 500 * 120


def test_values_beyond_the_sharing_window_still_come_back(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(table_module, "RECENT", 4)  # forget shared values often
    rows = [
        Directive(id=f"r-{k}", doc_type="Quyết định", number="", symbol="",
                  issuer=f"cơ quan {k % 7}", title=f"trích yếu {k % 11}")
        for k in range(60)
    ]  # fmt: skip
    table = RowTable.of(rows)
    assert table.columns["issuer"].distinct() > 7  # the window was cleared
    assert [Directive(*table.values(i)) for i in range(60)] == rows


def test_ids_found_and_a_later_row_replaces_an_earlier_one_in_place() -> None:
    edited = Directive(id="vb-1", doc_type="Kế hoạch", number="", symbol="", title="đã sửa")
    catalogue = Catalogue([BARE, FULL, edited])
    assert len(catalogue) == 2
    assert [d.id for d in catalogue] == ["vb-1", "nq-25-tw-2013"]  # the first one's place
    assert catalogue.get("vb-1") == edited
    assert "nq-25-tw-2013" in catalogue and "nq-25" not in catalogue and 5 not in catalogue
    assert catalogue.get("missing") is None
    assert catalogue.search("da sua")[0].directive == edited


def test_doc_types_and_issue_years_from_the_columns() -> None:
    catalogue = Catalogue([FULL, BARE, *iter_rows(200, seed=3)])
    assert catalogue.doc_types() == sorted({d.doc_type for d in catalogue if d.doc_type})
    years = [d.issued.year for d in catalogue if d.issued]
    assert catalogue.issue_years() == (min(years), max(years))
    assert Catalogue([BARE]).issue_years() is None


def test_a_catalogue_keeps_no_directive_per_row() -> None:
    gc.collect()
    before = sum(isinstance(o, Directive) for o in gc.get_objects())
    catalogue = Catalogue(iter_rows(3000, seed=5))
    gc.collect()
    after = sum(isinstance(o, Directive) for o in gc.get_objects())
    assert len(catalogue) == 3000
    assert after - before < 10, after - before  # the rows live in the columns
    hits = catalogue.search("cong tac dan van", limit=5)
    assert len(hits) == 5 and all(isinstance(h.directive, Directive) for h in hits)


def test_rows_whose_title_contains_a_text() -> None:
    rows = [
        FULL,
        BARE,
        Directive(id="kl-1", doc_type="Kết luận", number="1", symbol="1-KL/TW",
                  title="tiếp tục thực hiện Nghị quyết số 25-NQ/TW"),
        Directive(id="kh-2", doc_type="Kế hoạch", number="2", symbol="2/KH-UBND",
                  title="thực hiện Kết luận số 1-KL/TW về Nghị quyết 25"),
    ]  # fmt: skip
    catalogue = Catalogue(rows)
    assert [d.id for d in catalogue.with_title_containing("25")] == ["kl-1", "kh-2"]
    assert [d.id for d in catalogue.with_title_containing("Kết luận")] == ["kh-2"]
    assert list(catalogue.with_title_containing("không có")) == []
    assert len(list(catalogue.with_title_containing(""))) == 4
