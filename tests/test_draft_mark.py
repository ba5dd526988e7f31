"""The draft mark: `export_docx(draft_mark=True)` and `export [--final]` on plans that are not
ready to sign."""

from __future__ import annotations

import io
import subprocess
from dataclasses import replace
from datetime import date
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from planner.cli.main import main
from planner.docx.writer import DRAFT_MARK, docx_to_pdf, export_docx
from planner.model import Base, save_plan
from planner.nd30.checker import check_docx
from tests.conftest import require_program, require_soffice
from tests.test_readiness import ready_plan

TODAY = date(2021, 6, 1)


@pytest.fixture(autouse=True)
def _today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANNER_TODAY", TODAY.isoformat())


def header_texts(data: bytes) -> dict[str, list[str]]:
    """The paragraphs' texts of page 1's header and of the other pages' header."""
    s = docx.Document(io.BytesIO(data)).sections[0]
    out = {}
    for name, hf in (("first", s.first_page_header), ("other", s.header)):
        out[name] = [p.text for p in hf.paragraphs] if not hf.is_linked_to_previous else []
    return out


def body_text(data: bytes) -> str:
    return "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)


def test_the_mark_is_in_every_page_header_and_keeps_nd30(sample) -> None:  # type: ignore[no-untyped-def]
    data = export_docx(sample, today=TODAY, draft_mark=True)
    heads = header_texts(data)
    assert [t.strip() for t in heads["first"]] == [DRAFT_MARK]
    assert [t.strip() for t in heads["other"]] == [DRAFT_MARK, "2"]  # the PAGE field's text
    assert DRAFT_MARK not in body_text(data)
    assert check_docx(data, "du-thao.docx") == []
    doc = docx.Document(io.BytesIO(data))
    [mark] = doc.sections[0].first_page_header.paragraphs
    ppr = mark._p.pPr
    assert ppr.find(qn("w:framePr")).get(qn("w:xAlign")) == "right"
    [run] = mark.runs
    assert run.bold and run.font.size.pt == 12
    assert run._r.rPr.find(qn("w:bdr")).get(qn("w:val")) == "single"


def test_without_the_mark_nothing_changes(sample) -> None:  # type: ignore[no-untyped-def]
    plain = export_docx(sample, today=TODAY)
    assert plain == export_docx(sample, today=TODAY, draft_mark=False)
    assert DRAFT_MARK not in str(header_texts(plain)) and DRAFT_MARK not in body_text(plain)
    assert header_texts(plain)["other"] == ["2"]


def test_the_mark_is_visible_on_the_printed_page(sample) -> None:  # type: ignore[no-untyped-def]
    require_soffice()
    pdftotext = require_program("pdftotext", why="đọc chữ trong tệp PDF")
    pdf = docx_to_pdf(export_docx(sample, today=TODAY, draft_mark=True))
    pages = []
    for n in (1, 2):
        text = subprocess.run(
            [pdftotext, "-f", str(n), "-l", str(n), "-layout", "-", "-"],
            input=pdf, capture_output=True, check=True,
        ).stdout.decode("utf-8")  # fmt: skip
        pages.append(text)
    first_lines = [ln for ln in pages[0].splitlines() if ln.strip()]
    assert first_lines[0].strip() == DRAFT_MARK  # above the header block, at the top
    second = next(ln for ln in pages[1].splitlines() if ln.strip())
    assert DRAFT_MARK in second and second.split()[0] == "2"  # one line with the page number


# ---------------------------------------------------------------- the CLI


@pytest.fixture
def not_ready(tmp_path: Path) -> Path:
    path = tmp_path / "nhap.json"
    plan = ready_plan()
    save_plan(replace(plan, bases=(Base("Căn cứ Kế hoạch số …/KH-UBND, ngày …/…/2021;"),)), path)
    return path


@pytest.fixture
def ready(tmp_path: Path) -> Path:
    path = tmp_path / "xong.json"
    save_plan(ready_plan(), path)
    return path


def test_export_of_a_plan_not_ready_is_a_marked_draft(
    not_ready: Path, tmp_path: Path, capsys
) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "du-thao.docx"
    assert main(["export", str(not_ready), "-o", str(out)]) == 0
    assert DRAFT_MARK in str(header_texts(out.read_bytes()))
    captured = capsys.readouterr()
    assert captured.out == ""
    [line] = captured.err.splitlines()
    assert line.startswith("Lưu ý: đã xuất bản DỰ THẢO") and "còn 2 điểm chưa xử lý" in line


def test_export_final_refuses_a_plan_not_ready(not_ready: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "chinh-thuc.docx"
    assert main(["export", str(not_ready), "-o", str(out), "--final"]) == 1
    assert not out.exists()
    lines = capsys.readouterr().out.splitlines()
    assert "chưa xuất bản chính thức" in lines[0] and "còn 2 điểm" in lines[0]
    assert lines[-1].startswith("- Căn cứ 1: Chỗ chưa hoàn thiện:") and "…/" in lines[-1]


@pytest.mark.parametrize("final", [False, True])
def test_export_of_a_ready_plan_has_no_mark(
    ready: Path, tmp_path: Path, capsys, final: bool
) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "ke-hoach.docx"
    argv = ["export", str(ready), "-o", str(out)] + (["--final"] if final else [])
    assert main(argv) == 0
    data = out.read_bytes()
    assert DRAFT_MARK not in str(header_texts(data))
    assert capsys.readouterr().err == ""
    assert check_docx(data, out.name) == []
