"""New plans from nothing: `new_plan` and `python -m planner new`."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from planner.catalogue.model import Catalogue
from planner.cli.main import main
from planner.docx.writer import export_docx
from planner.drafting.new_plan import NewPlanError, new_plan
from planner.drafting.plan_edit import set_block, set_meta
from planner.drafting.readiness import check_readiness
from planner.model import load_plan, plan_from_json, plan_to_json, save_plan
from planner.nd30.checker import check_docx

TODAY = date(2025, 6, 1)
EMPTY = Catalogue([])


def test_header_and_signer_come_from_the_last_plan(sample) -> None:  # type: ignore[no-untyped-def]
    plan = new_plan(2026, header_from=sample, today=TODAY)
    m, old = plan.meta, sample.meta
    assert (m.parent_authority, m.authority, m.symbol, m.place, m.doc_type) == (
        old.parent_authority, old.authority, old.symbol, old.place, old.doc_type,
    )  # fmt: skip
    assert (m.year, m.number, m.issued, m.subject) == (2026, "", None, "")
    assert plan.signer == sample.signer and plan.recipients == sample.recipients
    assert plan.bases == () and plan.preamble == () and plan.tasks == () and plan.closing == ()
    assert "findings" not in plan.extra and "previous_plan" not in plan.extra
    assert [(s.number, s.title) for s in plan.sections] == [
        ("I", "MỤC ĐÍCH, YÊU CẦU"),
        ("II", "NỘI DUNG"),
        ("III", "TỔ CHỨC THỰC HIỆN"),
    ]
    for s in plan.sections:
        [b] = s.blocks
        assert b.text.startswith("[Hướng dẫn: ") and b.text.endswith("]")
        assert b.extra["guidance"] == b.text


def test_options_win_over_the_last_plan(sample) -> None:  # type: ignore[no-untyped-def]
    plan = new_plan(
        2026, header_from=sample, today=TODAY, authority="Trường THCS Chu Văn An",
        parent_authority="", signer_name="Trần Thị Bình", subject="Công tác chuyển đổi số",
    )  # fmt: skip
    assert plan.meta.authority == "Trường THCS Chu Văn An" and plan.meta.parent_authority == ""
    assert plan.signer.name == "Trần Thị Bình" and plan.signer.position == sample.signer.position
    assert plan.meta.subject == "Công tác chuyển đổi số"
    bare = new_plan(2026, today=TODAY, authority="PHÒNG GIÁO DỤC VÀ ĐÀO TẠO")
    assert bare.meta.authority == "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO" and bare.signer.name == ""
    assert bare.meta.doc_type == "KẾ HOẠCH"


@pytest.mark.parametrize("year", [2023, 2036, 0])
def test_a_year_far_from_today_is_refused(year: int) -> None:
    with pytest.raises(NewPlanError, match=f"Năm {year} không hợp lý"):
        new_plan(year, today=TODAY)


def test_guidance_is_a_placeholder_until_replaced(sample) -> None:  # type: ignore[no-untyped-def]
    plan = new_plan(2026, header_from=sample, today=TODAY)
    r = check_readiness(plan, EMPTY, today=TODAY)
    assert [(i.kind, i.place) for i in r.items] == [
        ("placeholder", "Mục I, đoạn 1"),
        ("placeholder", "Mục II, đoạn 1"),
        ("placeholder", "Mục III, đoạn 1"),
        ("header", "Trích yếu"),
    ]
    assert all("hướng dẫn" in i.message.lower() for i in r.items[:3])
    done = set_meta(plan, subject="Công tác chuyển đổi số năm 2026")
    for n in ("I", "II", "III"):
        done = set_block(done, n, 0, text=f"Nội dung mục {n} đã viết.")
    assert check_readiness(done, EMPTY, today=TODAY).ready
    # the key stays on the block, but the text no longer is the guidance: not flagged
    assert done.sections[0].blocks[0].extra["guidance"].startswith("[Hướng dẫn")


def test_guidance_without_brackets_is_still_caught_by_its_key(sample) -> None:  # type: ignore[no-untyped-def]
    plan = new_plan(2026, header_from=sample, today=TODAY)
    b = plan.sections[0].blocks[0]
    bare = replace(b, text="Nêu mục đích.", extra={"guidance": "Nêu mục đích."})
    plan = replace(plan, sections=(replace(plan.sections[0], blocks=(bare,)), *plan.sections[1:]))
    r = check_readiness(plan, EMPTY, today=TODAY)
    assert r.items[0].place == "Mục I, đoạn 1" and "hướng dẫn" in r.items[0].message.lower()


def test_the_guidance_key_survives_a_save(sample) -> None:  # type: ignore[no-untyped-def]
    plan = new_plan(2026, header_from=sample, today=TODAY)
    again = plan_from_json(plan_to_json(plan))
    assert again == plan
    assert again.sections[1].blocks[0].extra == plan.sections[1].blocks[0].extra


def test_an_exported_new_plan_fails_check_docx_on_its_guidance(sample) -> None:  # type: ignore[no-untyped-def]
    plan = new_plan(2026, header_from=sample, today=TODAY, subject="Công tác dân vận năm 2026")
    found = [
        f for f in check_docx(export_docx(plan, today=TODAY), "x.docx") if "hướng dẫn" in f.message
    ]
    assert len(found) == 3 and all("[Hướng dẫn" in f.where for f in found)


def test_cli_new(tmp_path: Path, sample, capsys) -> None:  # type: ignore[no-untyped-def]
    last = tmp_path / "cu.json"
    save_plan(sample, last)
    out = tmp_path / "moi.json"
    argv = ["new", "--year", "2026", "--from", str(last), "-o", str(out), "--today", "2025-06-01"]
    assert main([*argv, "--signer-name", "Lê Văn Cường"]) == 0
    assert "Đã tạo kế hoạch mới năm 2026" in capsys.readouterr().out
    plan = load_plan(out)
    assert plan.meta.authority == sample.meta.authority and plan.signer.name == "Lê Văn Cường"
    assert main(["check-plan", str(out), "--today", "2025-06-01"]) == 1
    assert "[Hướng dẫn" in capsys.readouterr().out

    bare = tmp_path / "tu-dau.json"
    argv = ["new", "--year", "2026", "--authority", "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO",
            "--place", "Dĩ An", "-o", str(bare), "--today", "2025-06-01"]  # fmt: skip
    assert main(argv) == 0
    assert load_plan(bare).meta.place == "Dĩ An"
    assert (
        main(["new", "--year", "2026", "--from", str(tmp_path / "khong.json"), "-o", str(bare)])
        == 2
    )
    assert main(["new", "--year", "1990", "-o", str(bare), "--today", "2025-06-01"]) == 2
    err = capsys.readouterr().err
    assert "khong.json" in err and "Năm 1990" in err and "Traceback" not in err
