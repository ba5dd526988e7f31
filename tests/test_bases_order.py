"""Căn cứ in the order staff expect: level, Party before state, legal force, date
(planner/drafting/bases_order.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from planner.catalogue.model import Catalogue, Directive
from planner.drafting.bases_order import (
    add_base_in_order,
    base_key,
    force_rank,
    order_bases,
    ordered,
)
from planner.model import Base
from planner.sample import sample_plan


def _row(ident: str, doc_type: str, symbol: str, issued: date | None, issuer: str, level: str):  # type: ignore[no-untyped-def]
    return Directive(
        id=ident,
        doc_type=doc_type,
        number="",
        symbol=symbol,
        issued=issued,
        issuer=issuer,
        issuer_level=level,
        title="về thử",
        source="thử",
    )


ROWS = [
    _row("kh-1-ubnd-2021", "Kế hoạch", "1/KH-UBND", date(2021, 1, 5), "UBND tỉnh", "province"),
    _row("nd-30-cp-2020", "Nghị định", "30/2020/NĐ-CP", date(2020, 3, 5), "Chính phủ", "central"),
    _row("ct-16-ttg-2016", "Chỉ thị", "16/CT-TTg", date(2016, 5, 16), "Thủ tướng", "central"),
    _row("nq-25-tw-2013", "Nghị quyết", "25-NQ/TW", date(2013, 6, 3), "Ban Chấp hành TW", ""),
    _row("luat-80-qh13-2015", "Luật", "80/2015/QH13", date(2015, 6, 22), "Quốc hội", "central"),
    _row("tt-1-bgddt-2019", "Thông tư", "1/2019/TT-BGDĐT", date(2019, 1, 1), "Bộ GDĐT", "central"),
    _row("qd-5-ttg-2019", "Quyết định", "5/QĐ-TTg", date(2019, 2, 1), "Thủ tướng", "central"),
    _row("qd-9-bgddt-2019", "Quyết định", "9/QĐ-BGDĐT", date(2019, 2, 1), "Bộ GDĐT", "central"),
    _row("ct-5-tu-2018", "Chỉ thị", "05-CT/TU", date(2018, 1, 1), "Tỉnh ủy", "province"),
    _row("nq-2-tu-2017", "Nghị quyết", "02-NQ/TU", date(2017, 1, 1), "Tỉnh ủy", "province"),
    _row("kh-3-pgddt-2020", "Kế hoạch", "3/KH-PGDĐT", date(2020, 1, 1), "Phòng GDĐT", "district"),
    _row("kh-2-ubnd-2020", "Kế hoạch", "2/KH-UBND", date(2020, 1, 1), "UBND tỉnh", "province"),
    _row("kh-7-th-2020", "Kế hoạch", "7/KH-THA", None, "Trường Tiểu học A", "unit"),
]
CATALOGUE = Catalogue(ROWS)
EXPECTED = [
    "nq-25-tw-2013",  # central, Party
    "luat-80-qh13-2015",  # central, state: Luật
    "nd-30-cp-2020",  # Nghị định
    "qd-5-ttg-2019",  # Quyết định of the Thủ tướng
    "tt-1-bgddt-2019",  # Thông tư
    "qd-9-bgddt-2019",  # another Quyết định
    "ct-16-ttg-2016",  # Chỉ thị
    "nq-2-tu-2017",  # province, Party: Nghị quyết before Chỉ thị
    "ct-5-tu-2018",
    "kh-2-ubnd-2020",  # province, state, by date
    "kh-1-ubnd-2021",
    "kh-3-pgddt-2020",  # district
    "kh-7-th-2020",  # unit
]


def _base(ident: str) -> Base:
    return Base(f"Căn cứ văn bản {ident};", ident)


def _plan(bases: list[Base]):  # type: ignore[no-untyped-def]
    return replace(sample_plan(), bases=tuple(bases))


def test_the_expected_order_from_a_reversed_list() -> None:
    plan = _plan([_base(i) for i in reversed(EXPECTED)])
    assert [b.directive_id for b in order_bases(plan, CATALOGUE).bases] == EXPECTED


def test_party_and_state_force() -> None:
    by_id = {d.id: d for d in ROWS}
    assert force_rank(by_id["nq-25-tw-2013"])[0] == 0
    assert force_rank(by_id["luat-80-qh13-2015"]) < force_rank(by_id["nd-30-cp-2020"])
    assert force_rank(by_id["qd-5-ttg-2019"]) < force_rank(by_id["tt-1-bgddt-2019"])
    assert force_rank(by_id["tt-1-bgddt-2019"]) < force_rank(by_id["qd-9-bgddt-2019"])


def test_unlinked_lines_go_to_the_end_of_their_level_or_of_the_list() -> None:
    local = Base("Căn cứ Kế hoạch số 15/KH-UBND ngày 05/01/2021 của UBND thành phố Thủ Dầu Một;")
    plain = Base("Căn cứ tình hình thực tế của đơn vị,")
    plan = _plan(
        [plain, local, _base("kh-7-th-2020"), _base("kh-3-pgddt-2020"), _base("ct-16-ttg-2016")]
    )
    texts = [b.directive_id or b.text for b in order_bases(plan, CATALOGUE).bases]
    # The unknown city plan is district level: after the known district row, before the unit.
    assert texts == ["ct-16-ttg-2016", "kh-3-pgddt-2020", local.text, "kh-7-th-2020", plain.text]


def test_a_line_the_catalogue_knows_by_its_text_ranks_like_a_linked_one() -> None:
    text = Base("Căn cứ Nghị quyết số 25-NQ/TW ngày 03/6/2013 của Ban Chấp hành Trung ương;")
    assert base_key(text, CATALOGUE) == base_key(_base("nq-25-tw-2013"), CATALOGUE)


def test_adding_puts_the_line_at_its_place() -> None:
    plan = _plan([_base(i) for i in EXPECTED if i != "tt-1-bgddt-2019"])
    added = add_base_in_order(
        plan, "Căn cứ Thông tư số 1/2019/TT-BGDĐT;", "tt-1-bgddt-2019", CATALOGUE
    )
    assert [b.directive_id for b in added.bases] == EXPECTED
    # At the end when nothing ranks after it; a plain line always goes last.
    last = add_base_in_order(added, "Căn cứ tình hình thực tế,", None, CATALOGUE)
    assert last.bases[-1].text == "Căn cứ tình hình thực tế," and last.bases[:-1] == added.bases


def test_findings_on_a_line_follow_it() -> None:
    plan = _plan([_base("kh-7-th-2020"), _base("nq-25-tw-2013")])
    finding = {"id": "f1", "status": "open", "path": {"area": "bases", "index": 0}}
    plan = replace(plan, extra={**plan.extra, "findings": [finding]})
    moved = order_bases(plan, CATALOGUE)
    assert moved.extra["findings"][0]["path"]["index"] == 1


LINES = st.one_of(
    st.sampled_from(EXPECTED).map(_base),
    st.sampled_from(
        [
            Base("Căn cứ tình hình thực tế,"),
            Base("Căn cứ Kế hoạch số 15/KH-UBND ngày 05/01/2021 của UBND thành phố Thủ Dầu Một;"),
            Base("Căn cứ Công văn số 9/UBND-VX của UBND tỉnh;"),
            Base("Căn cứ Nghị quyết số 25-NQ/TW ngày 03/6/2013;"),
        ]
    ),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(LINES, max_size=12))
def test_sorting_is_a_stable_idempotent_permutation(bases: list[Base]) -> None:
    plan = _plan(bases)
    once = order_bases(plan, CATALOGUE)
    assert sorted(map(repr, once.bases)) == sorted(map(repr, plan.bases))  # nothing lost
    assert order_bases(once, CATALOGUE).bases == once.bases  # idempotent
    keys = [base_key(b, CATALOGUE) for b in once.bases]
    assert keys == sorted(keys)
    # Stable: lines that rank the same keep their order.
    order = ordered(plan.bases, CATALOGUE)
    for a, b in pairwise(order):
        if base_key(plan.bases[a], CATALOGUE) == base_key(plan.bases[b], CATALOGUE):
            assert a < b
