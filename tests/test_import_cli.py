"""CLI: `import-docx IN.docx [-o PLAN.json] [--report] [--json]`.

`--report` prints what was read as Vietnamese lines, `--json` the same report as JSON; without
`-o` nothing is written. Bad input exits 2 with one Vietnamese line naming the file.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from planner.cli.main import main
from planner.model import load_plan
from tests import office_docs as O
from tests.test_office_plans import build, p, r, retext, title

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def office(tmp_path: Path) -> Path:
    path = tmp_path / "kh.docx"
    path.write_bytes(
        O.office_docx(header="3x3", appendix="landscape", schedule=O.assignment_table())
    )
    return path


def files(folder: Path) -> set[str]:
    return {x.name for x in folder.iterdir()}


def test_report_prints_every_part_and_writes_nothing(office: Path, tmp_path: Path, capsys):
    before = files(tmp_path)
    assert main(["import-docx", str(office), "--report"]) == 0
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines[0] == "Báo cáo đọc tệp “kh.docx”:"
    assert "Loại văn bản: KẾ HOẠCH" in lines
    assert any(x.startswith("Phần đầu: UBND HUYỆN BÌNH CHÁNH / PHÒNG GIÁO DỤC") for x in lines)
    assert "Căn cứ (2):" in lines and "Lời mở đầu (1 đoạn):" in lines
    assert "Các mục (4):" in lines
    assert "      I.1.a. Đối với các trường mầm non (cấp 3, 2 đoạn/bảng)" in lines
    assert "Bảng (2):" in lines
    assert any(x.startswith("  - Phụ lục — SỐ LIỆU CÁC TRƯỜNG") and "trang ngang" in x
               for x in lines)  # fmt: skip
    assert "Người ký: KT. TRƯỞNG PHÒNG / PHÓ TRƯỞNG PHÒNG — Nguyễn Văn An" in lines
    assert lines[-1] == "Chưa hiểu: không có dòng nào."
    assert err == ""
    assert files(tmp_path) == before  # nothing written without -o


def test_json_is_the_same_report_and_writes_nothing(office: Path, tmp_path: Path, capsys):
    before = files(tmp_path)
    assert main(["import-docx", str(office), "--json"]) == 0
    out, err = capsys.readouterr()
    report = json.loads(out)
    assert report["doc_type"] == "KẾ HOẠCH"
    assert report["header"]["symbol"] == "KH-PGDĐT" and report["header"]["number"] == "125"
    assert [s["depth"] for s in report["sections"]] == [1, 2, 3, 1]
    assert [t["header_rows"] for t in report["tables"]] == [1, 2]
    assert report["appendices"][0]["landscape"] is True
    assert report["signer"]["name"] == "Nguyễn Văn An"
    assert report["not_understood"] == []
    assert err == ""
    assert files(tmp_path) == before


def test_report_with_output_writes_the_plan(office: Path, tmp_path: Path, capsys):
    target = tmp_path / "ke-hoach.json"
    assert main(["import-docx", str(office), "--report", "-o", str(target)]) == 0
    out, _ = capsys.readouterr()
    assert out.startswith("Báo cáo đọc tệp “kh.docx”:")
    assert out.endswith(f"2 căn cứ, 4 mục, 1 phụ lục; đã ghi {target}.\n")
    plan = load_plan(target)
    assert plan.appendices[0].landscape and plan.signer.name == "Nguyễn Văn An"


def test_json_with_output_keeps_stdout_pure_json(office: Path, tmp_path: Path, capsys):
    target = tmp_path / "ke-hoach.json"
    assert main(["import-docx", str(office), "--json", "-o", str(target)]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["doc_type"] == "KẾ HOẠCH"
    assert f"đã ghi {target}" in err
    assert target.is_file()


def test_output_alone_prints_the_warnings_on_stderr(tmp_path: Path, capsys):
    body = [*title("KẾ HOẠCH", "Kiểm tra nội bộ năm học 2025-2026"),
            p(r("I. MỤC ĐÍCH", b=True)), p(r("Nâng cao chất lượng")),
            p(r("giáo dục toàn diện."))]  # fmt: skip
    src = tmp_path / "la.docx"
    src.write_bytes(build(body))
    target = tmp_path / "out.json"
    assert main(["import-docx", str(src), "-o", str(target)]) == 0
    out, err = capsys.readouterr()
    assert "Lưu ý: Đoạn “giáo dục toàn diện.” tiếp nối câu của đoạn trên" in err
    assert out.startswith("Đã đọc “la.docx”: 0 căn cứ, 1 mục, 0 phụ lục")
    [section] = load_plan(target).sections
    assert [b.text for b in section.blocks] == ["Nâng cao chất lượng giáo dục toàn diện."]


def test_a_table_before_the_first_section_stays_a_table_where_it_stood(tmp_path: Path, capsys):
    body = [*title("KẾ HOẠCH", "Kiểm tra nội bộ năm học 2025-2026"),
            p(r("Căn cứ Luật Giáo dục ngày 14 tháng 6 năm 2019;", i=True)),
            O.grid_table_xml((("Chỉ tiêu", "Tỷ lệ"), ("Lên lớp", "98%")), [4000, 4000]),
            p(r("I. MỤC ĐÍCH", b=True)), p(r("Nâng cao chất lượng giáo dục."))]  # fmt: skip
    src = tmp_path / "bang.docx"
    src.write_bytes(build(body))
    assert main(["import-docx", str(src), "--report"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "Chưa hiểu: không có dòng nào." in lines
    at = lines.index("Bảng (1):")
    assert lines[at + 1].startswith("  - phần mở đầu: 2 hàng × 2 cột")
    target = tmp_path / "bang.json"
    assert main(["import-docx", str(src), "-o", str(target)]) == 0
    plan = load_plan(target)
    [(after_bases, table)] = plan.preamble_tables
    assert after_bases == 1  # after the one Căn cứ line, before the first section
    assert table.rows == (("Chỉ tiêu", "Tỷ lệ"), ("Lên lớp", "98%"))
    assert plan.preamble == ()


def test_neither_output_nor_report_is_refused(office: Path, tmp_path: Path, capsys):
    before = files(tmp_path)
    assert main(["import-docx", str(office)]) == 2
    err = capsys.readouterr().err
    assert err == "Lỗi: Cần cho biết tệp kế hoạch ghi ra (-o KẾ_HOẠCH.json) hoặc dùng --report.\n"
    assert files(tmp_path) == before


def test_a_missing_file_exits_2(tmp_path: Path, capsys):
    assert main(["import-docx", str(tmp_path / "khong-co.docx"), "--report"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "Không tìm thấy tệp" in err and "khong-co.docx" in err


def test_a_cong_van_is_refused_with_nothing_written(tmp_path: Path, capsys):
    body = [p(r("V/v triển khai nhiệm vụ năm học 2026")), p(r("Kính gửi: Các trường học.")),
            p(r("Sở Giáo dục và Đào tạo đề nghị các trường triển khai như sau."))]  # fmt: skip
    src = tmp_path / "cv.docx"
    src.write_bytes(retext(build(body), "125/KH-PGDĐT", "125/UBND-VX"))
    target = tmp_path / "out.json"
    for extra in (["--report"], ["--json"], ["-o", str(target)]):
        assert main(["import-docx", str(src), *extra]) == 2
        out, err = capsys.readouterr()
        assert out == ""
        assert err.startswith("Lỗi: Tệp “cv.docx” là một công văn")
    assert not target.exists()


def test_exit_codes_of_the_real_command(office: Path, tmp_path: Path):
    ok = subprocess.run(
        [sys.executable, "-m", "planner", "import-docx", str(office), "--json"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert ok.returncode == 0 and json.loads(ok.stdout)["doc_type"] == "KẾ HOẠCH"
    bad = tmp_path / "hong.docx"
    bad.write_bytes(b"PK\x03\x04 not a zip")
    refused = subprocess.run(
        [sys.executable, "-m", "planner", "import-docx", str(bad), "--report"],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert refused.returncode == 2 and refused.stdout == ""
    assert "hong.docx" in refused.stderr and "Traceback" not in refused.stderr
