"""CLI: `export PLAN.json -o OUT.docx [--template T] [--charts] [--schedule]` and `check-docx`."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import docx
import pytest

from planner.cli.main import main
from planner.docx.writer import TEMPLATE_PATH
from planner.model import Task, save_plan
from planner.nd30.checker import check_docx


@pytest.fixture
def plan_file(tmp_path: Path, sample) -> Path:  # type: ignore[no-untyped-def]
    tasks = (
        Task("t1", "Xây dựng kế hoạch", lead="Phòng GDĐT", support=("Các trường",),
             start=date(2021, 1, 4), due=date(2021, 1, 29), status="done", progress=100),
        Task("t2", "Báo cáo cuối năm", lead="Các trường", due=date(2021, 11, 25)),
    )  # fmt: skip
    path = tmp_path / "ke-hoach.json"
    save_plan(replace(sample, tasks=tasks), path)
    return path


def test_export_writes_a_clean_docx(plan_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "out.docx"
    assert main(["export", str(plan_file), "-o", str(out)]) == 0
    data = out.read_bytes()
    assert check_docx(data, out.name) == []
    assert not (tmp_path / "out.docx.tmp").exists()


def test_export_with_schedule_charts_and_template(plan_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "full.docx"
    argv = ["export", str(plan_file), "-o", str(out), "--schedule", "--charts",
            "--template", str(TEMPLATE_PATH)]  # fmt: skip
    assert main(argv) == 0
    data = out.read_bytes()
    doc = docx.Document(io.BytesIO(data))
    texts = [p.text for p in doc.paragraphs]
    assert "IV. TIẾN ĐỘ THỰC HIỆN" in texts and "PHỤ LỤC" in texts
    assert any(t.startswith("Hình 1.") for t in texts)
    assert check_docx(data, out.name) == []


def test_export_bad_template_exits_2(plan_file: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    plain = tmp_path / "plain.docx"
    docx.Document().save(plain)
    out = tmp_path / "x.docx"
    assert main(["export", str(plan_file), "-o", str(out), "--template", str(plain)]) == 2
    err = capsys.readouterr().err
    assert "ND30 Body" in err and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert not out.exists()


def test_export_bad_plan_exits_2(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "hong.json"
    bad.write_text("{không phải json", encoding="utf-8")
    assert main(["export", str(bad), "-o", str(tmp_path / "x.docx")]) == 2
    assert "hong.json" in capsys.readouterr().err


def test_check_docx_exit_codes(plan_file: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "ok.docx"
    main(["export", str(plan_file), "-o", str(out)])
    capsys.readouterr()
    assert main(["check-docx", str(out)]) == 0
    assert "không có lỗi" in capsys.readouterr().out
    assert main(["check-docx", str(out), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []

    doc = docx.Document(out)
    doc.sections[0].left_margin = docx.shared.Mm(20)
    bad = tmp_path / "bad.docx"
    doc.save(bad)
    assert main(["check-docx", str(bad)]) == 1
    text = capsys.readouterr().out
    assert "Lề trái" in text and "Phụ lục I" in text
    assert main(["check-docx", str(bad), "--json"]) == 1
    rows = json.loads(capsys.readouterr().out)
    assert rows and set(rows[0]) == {"rule", "message", "where"}

    junk = tmp_path / "rac.docx"
    junk.write_bytes(b"not a docx at all")
    assert main(["check-docx", str(junk)]) == 2
    err = capsys.readouterr().err
    assert "rac.docx" in err and "Traceback" not in err
    assert main(["check-docx", str(tmp_path / "missing.docx")]) == 2
    assert "missing.docx" in capsys.readouterr().err
