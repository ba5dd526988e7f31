"""Ready to sign: `check_readiness`, the shared placeholder finder, `check-plan`, and the ND30
checker's placeholder rule."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import docx
import pytest

from planner.catalogue.model import Catalogue, Directive
from planner.catalogue.user_rows import SHIPPED_CSV
from planner.cli.main import main
from planner.docx.writer import export_docx
from planner.drafting.findings import apply_finding, findings_of, new_finding, store_findings
from planner.drafting.plan_edit import add_block, add_section, set_reviewed
from planner.drafting.readiness import NUMBER_NOTE, check_readiness
from planner.drafting.rollover import rollover
from planner.model import Base, Block, Meta, Plan, Section, Signer, Task, save_plan
from planner.nd30.checker import check_docx
from planner.nd30.placeholder_rules import find_placeholders
from tests.docx_builders import add_header_table, new_document, par, to_bytes

TODAY = date(2021, 6, 1)
NQ25 = Directive(
    "nq-25-tw-2013", "Nghị quyết", "25", "25-NQ/TW", issued=date(2013, 6, 3),
    issuer="Ban Chấp hành Trung ương", status="in_force",
)  # fmt: skip
CAT = Catalogue([NQ25])
BASE_25 = (
    "Căn cứ Nghị quyết số 25-NQ/TW ngày 03/6/2013 của Ban Chấp hành Trung ương về tăng "
    "cường và đổi mới sự lãnh đạo của Đảng đối với công tác dân vận trong tình hình mới;"
)


def ready_plan() -> Plan:
    """A small plan with nothing left to do (the number still empty)."""
    return Plan(
        meta=Meta(
            parent_authority="UBND THÀNH PHỐ THỦ DẦU MỘT",
            authority="PHÒNG GIÁO DỤC VÀ ĐÀO TẠO",
            symbol="KH-PGDĐT",
            place="Thủ Dầu Một",
            year=2021,
            subject="Thực hiện công tác dân vận chính quyền năm 2021",
        ),
        bases=(Base(BASE_25, "nq-25-tw-2013"),),
        preamble=("Phòng Giáo dục và Đào tạo xây dựng kế hoạch như sau:",),
        sections=(
            Section("I", "MỤC ĐÍCH, YÊU CẦU", (Block("paragraph", "Nâng cao chất lượng."),)),
            Section(
                "II",
                "NỘI DUNG",
                children=(Section("1", "Tuyên truyền", (Block("dash", "Phổ biến văn bản."),)),),
            ),
            Section(
                "III",
                "TỔ CHỨC THỰC HIỆN",
                (Block("paragraph", "Các trường báo cáo trước ngày 25/11/2021.", reviewed=True),),
            ),
        ),
        closing=("Trên đây là Kế hoạch công tác dân vận năm 2021./.",),
        recipients=("Các trường;", "Lưu: VT."),
        signer=Signer(position="TRƯỞNG PHÒNG", name="Nguyễn Văn An"),
        tasks=(Task("t1", "Báo cáo tổng kết", lead="Các trường", due=date(2021, 11, 25)),),
    )


def kinds(result) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [(i.kind, i.place) for i in result.items]


# ---------------------------------------------------------------- the finder


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Căn cứ Kế hoạch số …/KH-UBND, ngày …/…/2021 của UBND;", ["…/", "…/…/"]),
        ("ngày ../../2021", ["../../"]),
        ("Họ và tên: ...........", ["..........."]),
        ("Đơn vị: ______", ["______"]),
        ("Đại hội lần thứ …", ["…"]),
        ("Mục mới", ["Mục mới"]),
        ("  NỘI DUNG MỚI ", ["  NỘI DUNG MỚI "]),
        ("[Hướng dẫn: nêu mục đích.]", ["[Hướng dẫn: nêu mục đích.]"]),
        # the writer's "and so on" is not a placeholder
        ("an toàn phòng cháy, chữa cháy... “Khéo” vận động", []),
        ("học sinh tích cực”.... Tổ chức bình chọn", []),
        ("Mục mới thêm vào kế hoạch có nội dung", []),
    ],
)
def test_find_placeholders(text: str, found: list[str]) -> None:
    assert [p.text for p in find_placeholders(text)] == found


# ---------------------------------------------------------------- check_readiness


def test_a_complete_plan_is_ready_and_the_empty_number_is_only_a_note() -> None:
    r = check_readiness(ready_plan(), CAT, today=TODAY)
    assert r.ready and r.items == () and r.counts == {}
    assert r.notes == (NUMBER_NOTE,)
    assert "sẵn sàng" in r.summary()
    numbered = replace(ready_plan(), meta=replace(ready_plan().meta, number="45"))
    assert check_readiness(numbered, CAT, today=TODAY).notes == ()


def test_placeholders_with_their_places_and_paths() -> None:
    plan = ready_plan()
    plan = replace(plan, bases=(Base("Căn cứ Kế hoạch số …/KH-UBND, ngày …/…/2021 của UBND;"),))
    plan = add_section(plan, None, "Mục mới")  # what the editor inserts: IV, no content
    plan = add_block(plan, "I")  # an empty paragraph
    plan = add_block(plan, "III", kind="table")  # an empty table
    r = check_readiness(plan, CAT, today=TODAY)
    assert not r.ready
    items = [i for i in r.items if i.kind == "placeholder"]
    assert [(i.place, i.path) for i in items] == [
        ("Căn cứ 1", {"area": "bases", "index": 0, "start": 19}),
        ("Căn cứ 1", {"area": "bases", "index": 0, "start": 35}),
        ("Mục I, đoạn 2", {"area": "section", "section": "I", "block": 1}),
        ("Mục III, đoạn 2", {"area": "section", "section": "III", "block": 1}),
        ("Mục IV, tên mục", {"area": "section", "section": "IV", "field": "title", "start": 0}),
        ("Mục IV", {"area": "section", "section": "IV", "field": "content"}),
    ]
    assert items[1].text == "…/…/" and "…/…/" in items[1].message
    assert items[3].message == "Bảng chưa có nội dung."
    assert r.counts == {"placeholder": 6}
    assert "6 chỗ chưa hoàn thiện" in r.summary()


def test_empty_required_header_fields() -> None:
    plan = ready_plan()
    plan = replace(
        plan,
        meta=replace(plan.meta, authority="", place=" ", subject=""),
        signer=Signer(position="TRƯỞNG PHÒNG", name=""),
    )
    r = check_readiness(plan, CAT, today=TODAY)
    assert kinds(r) == [
        ("header", "Cơ quan ban hành"),
        ("header", "Địa danh"),
        ("header", "Trích yếu"),
        ("header", "Họ tên người ký"),
    ]
    assert r.items[3].path == {"area": "signer", "field": "name"}
    assert (
        r.items[0].line
        == "Cơ quan ban hành: Thông tin chung còn thiếu: Cơ quan ban hành còn để trống."
    )


def test_unreviewed_paragraphs_and_tasks() -> None:
    plan = set_reviewed(ready_plan(), "III", 0, False)
    plan = replace(
        plan,
        tasks=(
            Task("t1", "Báo cáo tổng kết", lead="", due=None),
            Task("t2", "Sơ kết", lead="Phòng GDĐT", due=date(2021, 5, 31)),
            Task("t3", "Đã xong", lead="Phòng GDĐT", due=date(2021, 1, 5), status="done"),
        ),
    )
    r = check_readiness(plan, CAT, today=TODAY)
    assert kinds(r) == [
        ("unreviewed", "Mục III, đoạn 1"),
        ("task", "Nhiệm vụ t1, đơn vị chủ trì"),
        ("task", "Nhiệm vụ t1, hạn hoàn thành"),
        ("task", "Nhiệm vụ t2, hạn hoàn thành"),
    ]
    assert "31/05/2021 đã qua" in r.items[3].message or "31/5/2021 đã qua" in r.items[3].message
    assert r.items[1].path == {"area": "task", "id": "t1", "field": "lead"}


def test_open_findings_count_and_decided_ones_do_not() -> None:
    plan = ready_plan()
    path = {"area": "section", "section": "I", "block": 0, "start": 0}
    f_open = new_finding("year", "Mục I, đoạn 1", path, "Nâng", "Tăng", "Xem lại từ này.")
    f_done = replace(new_finding("year", "Mục I, đoạn 1", path, "cao"), status="dismissed")
    r = check_readiness(store_findings(plan, [f_open, f_done]), CAT, today=TODAY)
    assert kinds(r) == [("finding", "Mục I, đoạn 1")]
    assert r.items[0].message == "Xem lại từ này." and r.items[0].path == path


def test_citations_unlinked_or_not_in_force_unless_dismissed() -> None:
    plan = ready_plan()
    unknown = check_readiness(plan, Catalogue([]), today=TODAY)
    assert kinds(unknown) == [("citation", "Căn cứ 1")]
    assert "chưa có trong danh mục" in unknown.items[0].message
    expired = Catalogue([replace(NQ25, status="expired")])
    assert kinds(check_readiness(plan, expired, today=TODAY)) == [("citation", "Căn cứ 1")]
    # the user dismissed the finding (a local document, say): decided, not asked again
    from planner.drafting.citation_check import check_citations

    [f] = check_citations(plan, Catalogue([])).findings
    decided = store_findings(plan, [replace(f, status="dismissed")])
    assert check_readiness(decided, Catalogue([]), today=TODAY).ready


def test_a_citation_already_under_an_open_finding_is_listed_once() -> None:
    plan = ready_plan()
    expired = Catalogue([replace(NQ25, status="expired")])
    path = {"area": "bases", "index": 0, "start": 7}
    rollover_says = new_finding(
        "replaced_directive", "Căn cứ 1", path, "Nghị quyết số 25-NQ/TW", "", "Đã hết hiệu lực."
    )
    r = check_readiness(store_findings(plan, [rollover_says]), expired, today=TODAY)
    assert kinds(r) == [("finding", "Căn cứ 1")]


def test_applying_a_rollover_blank_leaves_a_placeholder(sample) -> None:  # type: ignore[no-untyped-def]
    """Issue #13: after the rollover's suggestion is applied the Căn cứ reads
    "Kế hoạch số …/KH-UBND, ngày …/…/2021": the finding is applied, the plan is not ready."""
    catalogue = Catalogue.from_csv(SHIPPED_CSV)
    draft = rollover(sample, 2021, catalogue=catalogue, today=TODAY).plan
    [f] = [
        f
        for f in findings_of(draft)
        if f.kind == "superior_plan" and f.path.get("area") == "bases" and f.path["index"] == 0
    ]
    applied = apply_finding(draft, f.id)
    assert "…/KH-UBND" in applied.bases[0].text
    r = check_readiness(applied, catalogue, today=TODAY)
    blanks = [i for i in r.items if i.kind == "placeholder" and i.place == "Căn cứ 1"]
    assert blanks and blanks[0].text.startswith("…")
    assert r.counts["unreviewed"] > 0 and r.counts["finding"] > 0


def test_the_sample_has_no_placeholder(sample) -> None:  # type: ignore[no-untyped-def]
    r = check_readiness(sample, Catalogue.from_csv(SHIPPED_CSV), today=date(2020, 7, 1))
    assert not [i for i in r.items if i.kind in ("placeholder", "header", "unreviewed")]


# ---------------------------------------------------------------- check-plan


def test_check_plan_cli(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    good = tmp_path / "xong.json"
    save_plan(ready_plan(), good)
    assert main(["check-plan", str(good), "--today", "2021-06-01"]) == 0
    out = capsys.readouterr().out
    assert "sẵn sàng để trình ký" in out and "Lưu ý: Số văn bản để trống" in out

    bad = tmp_path / "nhap.json"
    plan = replace(ready_plan(), bases=(Base("Căn cứ Kế hoạch số …/KH-UBND;"),))
    save_plan(replace(plan, signer=Signer(position="TRƯỞNG PHÒNG")), bad)
    assert main(["check-plan", str(bad), "--today", "2021-06-01"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("nhap.json: Kế hoạch chưa sẵn sàng để trình ký: còn 2 điểm")
    assert lines[1].startswith("- Căn cứ 1: Chỗ chưa hoàn thiện:")
    assert lines[2] == "- Họ tên người ký: Thông tin chung còn thiếu: Họ tên người ký còn để trống."

    assert main(["check-plan", str(bad), "--json", "--today", "2021-06-01"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["ready"] is False and data["counts"] == {"placeholder": 1, "header": 1}
    assert data["items"][0]["path"] == {"area": "bases", "index": 0, "start": 19}

    junk = tmp_path / "rac.json"
    junk.write_text("{", encoding="utf-8")
    assert main(["check-plan", str(junk)]) == 2
    assert main(["check-plan", str(good), "--today", "hôm nay"]) == 2
    err = capsys.readouterr().err
    assert "rac.json" in err and "Traceback" not in err


# ---------------------------------------------------------------- check-docx


def test_check_docx_flags_placeholders_naming_the_paragraph(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    clean = export_docx(ready_plan(), today=TODAY)
    assert check_docx(clean, "x.docx") == []
    plan = replace(ready_plan(), bases=(Base("Căn cứ Kế hoạch số …/KH-UBND, ngày …/…/2021;"),))
    data = export_docx(plan, today=TODAY)
    [f] = check_docx(data, "x.docx")
    assert "chỗ “…” chưa được điền" in f.message and "…/" in f.message
    assert f.where.startswith("đoạn ") and "Căn cứ Kế hoạch số …/KH-UBND" in f.where
    path = tmp_path / "nhap.docx"
    path.write_bytes(data)
    assert main(["check-docx", str(path)]) == 1
    assert "chưa hoàn thiện" in capsys.readouterr().out


def test_check_docx_leaves_the_draft_number_and_day_blank_alone() -> None:
    doc = new_document()
    add_header_table(
        doc, "UBND HUYỆN A", "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO", "Số: …/KH-PGDĐT",
        "A, ngày … tháng … năm 2021",
    )  # fmt: skip
    par(doc, "KẾ HOẠCH", bold=True, center=True)
    par(doc, "Nội dung thứ nhất của kế hoạch đã viết xong.")
    par(doc, "Hướng dẫn thực hiện ...... tại đơn vị.")
    found = [f for f in check_docx(to_bytes(doc), "x.docx") if "chưa hoàn thiện" in f.message]
    assert len(found) == 1 and "Hướng dẫn thực hiện" in found[0].where
    assert "dòng chấm" in found[0].message


def test_check_docx_flags_a_guidance_sentence_in_a_table_too() -> None:
    doc = docx.Document()
    t = doc.add_table(rows=1, cols=1)
    t.cell(0, 0).text = "[Hướng dẫn: ghi tên đơn vị.]"
    found = [f for f in check_docx(to_bytes(doc), "x.docx") if "chưa hoàn thiện" in f.message]
    assert len(found) == 1 and "lời hướng dẫn" in found[0].message
