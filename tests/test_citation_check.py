"""The citation check: every citation of the plan linked to the catalogue, or flagged."""

from __future__ import annotations

import json

import pytest

from planner.catalogue.model import Catalogue
from planner.cli.main import main
from planner.drafting.citation_check import check_citations, link_bases
from planner.drafting.findings import (
    CITATION_KINDS,
    apply_finding,
    findings_of,
    get_text,
    merge_findings,
)
from planner.model import Base, Block, Meta, Plan, Section, save_plan
from planner.paths import SAMPLE_PATH, SHIPPED_CSV


@pytest.fixture(scope="module")
def catalogue() -> Catalogue:
    return Catalogue.from_csv(SHIPPED_CSV)


def _plan(*texts: str) -> Plan:
    return Plan(
        meta=Meta(year=2021, subject="Kế hoạch thử"),
        sections=(Section("I", "NỘI DUNG", tuple(Block("paragraph", t) for t in texts)),),
    )


def test_every_citation_of_the_sample_is_found_and_linked(sample, catalogue):
    report = check_citations(sample, catalogue)
    assert len(report.symbols) == 15  # as written: 28-KHPH/... and 28-KH/... count twice
    assert len(report.documents) == 14  # ... but are one document
    assert len(report.mentions) == 16  # 30c/NQ-CP is cited twice
    assert report.linked == len(report.mentions)
    assert set(report.symbols) == {
        "106/KH-UBND",
        "28-KHPH/BDV-PGDĐT",
        "25-NQ/TW",
        "16/CT-TTg",
        "49-CT/TU",
        "1122/CTPH-UBND-BDV",
        "4760/KH-UBND",
        "769/KH-SGDĐT",
        "28-KH/BDV-PGDĐT",
        "05-CT/TW",
        "27/CT-TTg",
        "217-QĐ/TW",
        "218-QĐ/TW",
        "30c/NQ-CP",
        "76/NQ-CP",
    }
    by_symbol = {m.symbol: m.directive_id for m in report.mentions}
    assert (
        by_symbol["28-KH/BDV-PGDĐT"] == by_symbol["28-KHPH/BDV-PGDĐT"] == "khph-28-bdv-pgddt-2020"
    )
    assert by_symbol["76/NQ-CP"] == "nq-76-cp-2013"  # told apart from 2021's by its date
    first = report.mentions[0]
    assert (first.place, first.raw) == ("Căn cứ 1", "Kế hoạch số 106/KH-UBND, ngày 08/7/2020")
    assert get_text(sample, first.path)[first.path["start"] :].startswith(first.raw)


def test_the_28_disagreement_and_the_expired_resolutions_are_flagged(sample, catalogue):
    report = check_citations(sample, catalogue)
    assert not report.clean
    (mismatch,) = [f for f in report.findings if f.kind == "citation_mismatch"]
    assert mismatch.place == "Mục II.1, đoạn 2"
    assert (mismatch.text, mismatch.suggestion) == ("28-KH/BDV-PGDĐT", "28-KHPH/BDV-PGDĐT")
    assert "Căn cứ 2" in mismatch.message
    stale = [f for f in report.findings if f.kind == "not_in_force"]
    assert [f.text[:24] for f in stale] == ["Nghị quyết số 30c/NQ-CP ", "Nghị quyết số 76/NQ-CP n"]
    assert stale[0].suggestion.startswith("Nghị quyết số 76/NQ-CP ngày 15/7/2021")
    assert {f.kind for f in report.findings} == {"citation_mismatch", "not_in_force"}


def test_applying_the_mismatch_fix_then_checking_again(sample, catalogue):
    report = check_citations(sample, catalogue)
    plan = merge_findings(sample, report.findings, kinds=CITATION_KINDS)
    (mismatch,) = [f for f in report.findings if f.kind == "citation_mismatch"]
    plan = apply_finding(plan, mismatch.id)
    assert "Kế hoạch số 28-KHPH/BDV-PGDĐT, ngày 10/6/2020 về việc" in (
        plan.find_section("II.1").blocks[1].text
    )
    again = check_citations(plan, catalogue)
    assert not [f for f in again.findings if f.kind == "citation_mismatch"]
    assert len(again.symbols) == 14
    plan = merge_findings(plan, again.findings, kinds=CITATION_KINDS)
    assert [f.status for f in findings_of(plan) if f.id == mismatch.id] == ["applied"]


def test_party_symbol_in_state_form(catalogue):
    report = check_citations(_plan("Quán triệt Nghị quyết số 25/NQ-TW ngày 03/6/2013."), catalogue)
    (f,) = report.findings
    assert (f.kind, f.text, f.suggestion) == ("party_symbol", "25/NQ-TW", "25-NQ/TW")
    assert report.mentions[0].directive_id == "nq-25-tw-2013"
    fixed = apply_finding(
        merge_findings(
            _plan("Quán triệt Nghị quyết số 25/NQ-TW ngày 03/6/2013."),
            report.findings,
            kinds=CITATION_KINDS,
        ),
        f.id,
    )
    assert check_citations(fixed, catalogue).clean


def test_a_date_differing_from_the_catalogue(catalogue):
    report = check_citations(
        _plan("Theo Chỉ thị số 16/CT-TTg ngày 16/6/2016 của Thủ tướng."), catalogue
    )
    (f,) = report.findings
    assert f.kind == "citation_date"
    assert f.suggestion == "Chỉ thị số 16/CT-TTg ngày 16/5/2016"
    assert "16/5/2016" in f.message and "16/6/2016" in f.message
    assert report.mentions[0].directive_id == "ct-16-ttg-2016"


def test_a_shared_symbol_without_its_date(catalogue):
    report = check_citations(_plan("Thực hiện Nghị quyết số 76/NQ-CP của Chính phủ."), catalogue)
    (f,) = report.findings
    assert f.kind == "citation_date" and "Có 2 văn bản" in f.message
    assert report.mentions[0].directive_id is None


def test_an_unknown_document_comes_with_a_prefilled_row(catalogue):
    report = check_citations(
        _plan("Căn cứ Công văn số 999/PGDĐT ngày 05/01/2021 của Phòng GDĐT về việc tổng kết;"),
        catalogue,
    )
    (f,) = report.findings
    assert f.kind == "citation_unknown" and f.text == "Công văn số 999/PGDĐT ngày 05/01/2021"
    row = f.extra["directive_row"]
    assert (row["symbol"], row["issued"], row["issuer"]) == (
        "999/PGDĐT",
        "2021-01-05",
        "Phòng GDĐT",
    )
    assert row["status"] == "unknown"
    assert f.to_dict()["directive_row"] == row


def test_one_unknown_symbol_written_with_two_dates(catalogue):
    report = check_citations(
        _plan("Kế hoạch số 5/KH-ABC ngày 01/02/2021.", "Kế hoạch số 5/KH-ABC ngày 02/02/2021."),
        catalogue,
    )
    kinds = sorted(f.kind for f in report.findings)
    assert kinds == ["citation_mismatch", "citation_unknown", "citation_unknown"]


def test_an_empty_catalogue_flags_everything_as_unknown(sample):
    report = check_citations(sample, Catalogue([]))
    unknown = [f for f in report.findings if f.kind == "citation_unknown"]
    assert len(unknown) == 16
    assert report.linked == 0
    # the two ways of writing the joint plan still disagree with the same number and date
    assert [f.kind for f in report.findings if f.kind == "citation_mismatch"] == [
        "citation_mismatch"
    ]


def test_link_bases(sample, catalogue):
    linked = link_bases(sample, catalogue)
    assert [b.directive_id for b in linked.bases] == ["kh-106-ubnd-2020", "khph-28-bdv-pgddt-2020"]
    odd = Plan(bases=(Base("Căn cứ tình hình thực tế;", "giu-nguyen"),))
    assert link_bases(odd, catalogue).bases[0].directive_id == "giu-nguyen"


def test_cli_check_citations_exit_codes_and_json(tmp_path, capsys):
    assert main(["check-citations", str(SAMPLE_PATH), "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert (data["symbols"], data["documents"], data["linked"]) == (15, 14, 16)
    assert {f["kind"] for f in data["findings"]} == {"citation_mismatch", "not_in_force"}
    clean = tmp_path / "clean.json"
    save_plan(_plan("Quán triệt Nghị quyết số 25-NQ/TW ngày 03/6/2013."), clean)
    assert main(["check-citations", str(clean)]) == 0
    out = capsys.readouterr().out
    assert "Không có vấn đề nào" in out and "nq-25-tw-2013" in out
    assert main(["check-citations", str(tmp_path / "khong-co.json")]) == 2
    assert "Không tìm thấy tệp" in capsys.readouterr().err


def test_rollover_and_citation_findings_on_the_same_clause_close_together(sample, catalogue):
    from datetime import date

    from planner.drafting.rollover import rollover

    draft = rollover(sample, 2021, catalogue=catalogue, today=date(2021, 9, 1)).plan
    report = check_citations(draft, catalogue)
    plan = merge_findings(draft, report.findings, kinds=CITATION_KINDS)
    rolled = next(f for f in findings_of(plan) if f.kind == "replaced_directive")
    cited = next(f for f in findings_of(plan) if f.kind == "not_in_force")
    assert (rolled.path, rolled.text) == (cited.path, cited.text)
    plan = apply_finding(plan, rolled.id)
    status = {f.id: f.status for f in findings_of(plan)}
    assert status[rolled.id] == status[cited.id] == "applied"
    # the mismatch inside the superior plan's mention is closed when that mention is rewritten
    sup = next(
        f
        for f in findings_of(plan)
        if f.kind == "superior_plan" and f.text.startswith("Kế hoạch số 28-KH/")
    )
    mismatch = next(f for f in findings_of(plan) if f.kind == "citation_mismatch")
    plan = apply_finding(plan, sup.id)
    closed = next(f for f in findings_of(plan) if f.id == mismatch.id)
    assert closed.status == "dismissed" and "Đã đóng khi áp dụng" in closed.message


_PIECES = [
    "Nghị quyết số 25/NQ-TW ngày 03/6/2013",
    "Nghị quyết số 25-NQ/TW",
    "Chỉ thị số 16/CT-TTg ngày 16/6/2016",
    "Kế hoạch số 28-KH/BDV-PGDĐT, ngày 10/6/2020",
    "Kế hoạch số 28-KHPH/BDV-PGDĐT, ngày 10/6/2020",
    "Nghị quyết số 30c/NQ-CP ngày 08/11/2011 của Chính phủ",
    "Công văn số 77/PGDĐT ngày 01/02/2021",
    "Nghị quyết số 76/NQ-CP",
    "và",
    "học sinh",
]


def _random_texts():  # type: ignore[no-untyped-def]
    from hypothesis import strategies as st

    piece = st.one_of(st.sampled_from(_PIECES), st.text(max_size=6))
    return st.lists(st.lists(piece, max_size=5).map("; ".join), min_size=1, max_size=4)


def _property(catalogue, texts, pick):  # type: ignore[no-untyped-def]
    plan = _plan(*texts)
    report = check_citations(plan, catalogue)
    for m in report.mentions:
        assert get_text(plan, m.path)[m.path["start"] :].startswith(m.raw)
    usable = [f for f in report.findings if f.can_apply]
    if not usable:
        return
    f = usable[pick % len(usable)]
    fixed = apply_finding(merge_findings(plan, report.findings, kinds=CITATION_KINDS), f.id)
    s = f.path["start"]
    where = {k: v for k, v in f.path.items() if k != "start"}
    for g in check_citations(fixed, catalogue).findings:
        if g.kind == f.kind and {k: v for k, v in g.path.items() if k != "start"} == where:
            assert not s <= g.path["start"] < s + len(f.suggestion), (f, g)


def test_property_every_mention_is_where_it_says_and_a_fix_holds(catalogue):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    run = settings(max_examples=80, deadline=None, suppress_health_check=list(HealthCheck))(
        given(texts=_random_texts(), pick=st.integers(0, 1000))(
            lambda texts, pick: _property(catalogue, texts, pick)
        )
    )
    run()
