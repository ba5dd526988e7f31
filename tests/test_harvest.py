"""harvest-citations: the documents an office's own plans cite, as catalogue rows.

Word plans of several years are built with python-docx (`docx_builders.plan_docx`) and read
back through the real Word reader; one plan is a plan .json; one file is not a Word file.
"""

from __future__ import annotations

import csv
import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from planner.catalogue.model import COLUMNS, Catalogue, Directive
from planner.catalogue.user_rows import SHIPPED_CSV
from planner.cli.main import main
from planner.drafting.harvest import harvest_files, uncatalogued_citations
from planner.model import Base, Block, Meta, Plan, Section, save_plan
from tests.docx_builders import plan_docx, sample_plan

NQ25 = (
    "của Ban Chấp hành Trung ương khóa XI về tăng cường và đổi mới sự lãnh đạo của Đảng đối "
    "với công tác dân vận trong tình hình mới"
)
KNOWN = Directive(
    "ct-16-ttg-2016", "Chỉ thị", "16", "16/CT-TTg", issued=date(2016, 5, 16),
    issuer="Thủ tướng Chính phủ", title="về tăng cường công tác dân vận", source="test",
)  # fmt: skip


def _plan(year: int, bases: list[str], paragraphs: list[str]) -> Plan:
    base = sample_plan()
    return replace(
        base,
        meta=replace(base.meta, year=year, issued=date(year, 7, 14), number=str(900 + year % 100)),
        bases=tuple(Base(t) for t in bases),
        preamble=("Phòng Giáo dục và Đào tạo xây dựng kế hoạch như sau:",),
        sections=(
            Section("I", "MỤC ĐÍCH YÊU CẦU", (Block("paragraph", "Nâng cao nhận thức."),)),
            Section(
                "II",
                "NỘI DUNG",
                children=(
                    Section("1", "Nhiệm vụ chung", tuple(Block("dash", p) for p in paragraphs)),
                ),
            ),
        ),
        tasks=(),
    )


PLAN_2019 = _plan(
    2019,
    [
        f"Căn cứ Nghị quyết số 25-NQ/TW ngày 03/6/2013 {NQ25};",
        "Căn cứ Chỉ thị số 16/CT-TTg ngày 16/5/2016 của Thủ tướng Chính phủ về tăng cường công "
        "tác dân vận;",
        "Căn cứ Kế hoạch số 12/KH-UBND ngày 05/01/2019 của UBND thành phố Thủ Dầu Một về công "
        "tác dân vận năm 2019;",
    ],
    ["Tiếp tục quán triệt các văn bản của cấp trên."],
)
PLAN_2020 = _plan(
    2020,
    [
        f"Căn cứ Nghị quyết số 25/NQ-TW ngày 03/6/2013 {NQ25};",  # the state form, same document
        "Căn cứ Kế hoạch số 45/KH-SGDĐT ngày 10/3/2020 của Sở GDĐT về chuyển đổi số trong "
        "giáo dục;",
    ],
    [
        "Thực hiện Quyết định số 217-QĐ/TW và 218-QĐ/TW ngày 12/12/2013 của Bộ Chính trị về "
        "giám sát và phản biện xã hội.",
    ],
)
PLAN_2021 = _plan(
    2021,
    [
        "Căn cứ Kế hoạch số 45/KH-SGDĐT ngày 10/3/2020 của Sở GDĐT về kiểm định chất lượng "
        "giáo dục;",  # the same symbol and date with another title: reported, not guessed
    ],
    [
        "Tiếp tục thực hiện Nghị quyết số 25-NQ/TW của Ban Chấp hành Trung ương.",
        "Triển khai Công văn số 7/SGDĐT-VP của Sở GDĐT về báo cáo định kỳ.",
    ],
)
PLAN_2022 = _plan(
    2022,
    [
        "Căn cứ Nghị quyết số 76/NQ-CP ngày 13/6/2013 của Chính phủ về sửa đổi Chương trình cải "
        "cách hành chính;",
        "Căn cứ Nghị quyết số 76/NQ-CP ngày 03/9/2021 của Chính phủ về Chương trình tổng thể cải "
        "cách hành chính 2021-2030;",
    ],
    ["Thực hiện Nghị quyết số 76/NQ-CP về cải cách hành chính."],  # which one? not merged
)


@pytest.fixture
def plans(tmp_path: Path) -> Path:
    folder = tmp_path / "ke-hoach"
    (folder / "2021").mkdir(parents=True)
    (folder / "ke-hoach-2019.docx").write_bytes(plan_docx(PLAN_2019))
    (folder / "ke-hoach-2020.docx").write_bytes(plan_docx(PLAN_2020, numbering="auto"))
    (folder / "2021" / "ke-hoach-2021.docx").write_bytes(plan_docx(PLAN_2021))
    save_plan(PLAN_2022, folder / "ke-hoach-2022.json")
    (folder / "hong.docx").write_bytes(b"day khong phai tep Word")
    (folder / "ghi-chu.txt").write_text("không phải kế hoạch", "utf-8")
    return folder


@pytest.fixture
def catalogue_csv(tmp_path: Path) -> Path:
    path = tmp_path / "danh-muc.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerow(KNOWN.to_row())
    return path


def _by_symbol(rows: list[Directive]) -> dict[tuple[str, date | None], Directive]:
    return {(d.symbol, d.issued): d for d in rows}


def test_harvest_merges_spellings_reports_conflicts_and_skips_unreadable(
    plans: Path, catalogue_csv: Path
) -> None:
    report = harvest_files([plans], Catalogue.from_csv(catalogue_csv))
    assert report.files_read == (
        "2021/ke-hoach-2021.docx",
        "ke-hoach-2019.docx",
        "ke-hoach-2020.docx",
        "ke-hoach-2022.json",
    )
    [broken] = report.unreadable
    assert broken.file == "hong.docx" and "hong.docx" in broken.message
    assert "Không" in broken.message or "không" in broken.message
    rows = _by_symbol(report.rows)
    assert ("16/CT-TTg", date(2016, 5, 16)) not in rows  # in the catalogue already
    assert report.known == 1

    # 25-NQ/TW and 25/NQ-TW in two years, plus an undated mention: one row, Party form.
    nq25 = rows[("25-NQ/TW", date(2013, 6, 3))]
    assert nq25.id == "nq-25-tw-2013"
    assert nq25.aliases == ("25/NQ-TW",)
    assert nq25.status == "unknown"
    assert nq25.issuer == "Ban Chấp hành Trung ương khóa XI"
    assert nq25.title.startswith("về tăng cường và đổi mới")
    assert "ke-hoach-2019.docx, Căn cứ 1" in nq25.source
    assert "ke-hoach-2020.docx, Căn cứ 1" in nq25.source
    assert "2021/ke-hoach-2021.docx, Mục II.1, đoạn 1" in nq25.source
    assert not any(s == "25/NQ-TW" for s, _ in rows)

    kh12 = rows[("12/KH-UBND", date(2019, 1, 5))]
    assert (kh12.doc_type, kh12.issuer_level) == ("Kế hoạch", "district")
    # A list sharing one type word and one date gives two documents.
    assert rows[("217-QĐ/TW", date(2013, 12, 12))].doc_type == "Quyết định"
    assert rows[("218-QĐ/TW", date(2013, 12, 12))].issuer == "Bộ Chính trị"
    assert rows[("7/SGDĐT-VP", None)].doc_type == "Công văn"

    # Two titles for one symbol and date: the cell stays empty and both are reported.
    kh45 = rows[("45/KH-SGDĐT", date(2020, 3, 10))]
    assert kh45.title == "" and kh45.issuer == "Sở GDĐT"
    [conflict] = report.disagreements
    assert conflict.field == "title"
    assert [v for v, _ in conflict.versions] == [
        "về kiểm định chất lượng giáo dục",
        "về chuyển đổi số trong giáo dục",
    ]
    assert "45/KH-SGDĐT" in conflict.message and "ke-hoach-2020.docx" in conflict.message

    # Two documents share 76/NQ-CP (2013, 2021); the undated mention is reported, not merged.
    assert rows[("76/NQ-CP", date(2013, 6, 13))].id == "nq-76-cp-2013"
    assert rows[("76/NQ-CP", date(2021, 9, 3))].id == "nq-76-cp-2021"
    assert ("76/NQ-CP", None) not in rows
    [ambiguous] = report.ambiguous
    assert ambiguous.symbol == "76/NQ-CP" and len(ambiguous.dates) == 2
    assert "ke-hoach-2022.json, Mục II.1, đoạn 1" in ambiguous.places
    assert len(report.rows) == 8
    assert len({d.id for d in report.rows}) == 8


def test_cli_writes_rows_that_pass_check_catalogue(
    plans: Path, catalogue_csv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "moi.csv"
    code = main(
        ["harvest-citations", str(plans), "-o", str(out), "--catalogue", str(catalogue_csv)]
    )
    assert code == 0
    captured = capsys.readouterr()
    assert "hong.docx" in captured.err
    assert "Đọc được 4 kế hoạch, 1 tệp không đọc được" in captured.out
    assert "8 văn bản được trích dẫn chưa có trong danh mục" in captured.out
    assert "45/KH-SGDĐT" in captured.out
    with out.open(encoding="utf-8-sig") as fh:
        written = list(csv.DictReader(fh))
    assert len(written) == 8 and list(written[0]) == list(COLUMNS)
    assert {r["status"] for r in written} == {"unknown"}
    assert main(["check-catalogue", str(out)]) == 0
    # The rows join the catalogue they were harvested against without a clash.
    joined = tmp_path / "gop.csv"
    joined.write_text(
        catalogue_csv.read_text("utf-8") + "".join(out.read_text("utf-8-sig").splitlines(True)[1:]),
        "utf-8",
    )
    assert main(["check-catalogue", str(joined)]) == 0


def test_cli_json_report(plans: Path, catalogue_csv: Path, tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "moi.csv"
    args = ["harvest-citations", str(plans / "ke-hoach-2020.docx"), str(plans / "2021")]
    assert main([*args, "-o", str(out), "--catalogue", str(catalogue_csv), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["files_read"] == ["ke-hoach-2020.docx", "ke-hoach-2021.docx"]
    assert data["output"] == str(out)
    nq25 = next(r for r in data["rows"] if r["id"] == "nq-25-tw-2013")
    assert nq25["cited_in"] == [
        "ke-hoach-2020.docx, Căn cứ 1",
        "ke-hoach-2021.docx, Mục II.1, đoạn 1",
    ]
    assert nq25["symbol"] == "25-NQ/TW" and nq25["aliases"] == "25/NQ-TW"
    assert [d["field"] for d in data["disagreements"]] == ["title"]


def test_cli_exits_2_when_nothing_is_readable(
    plans: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "moi.csv"
    code = main(
        ["harvest-citations", str(plans / "hong.docx"), str(tmp_path / "khong-co"), "-o", str(out)]
    )
    assert code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1  # one line, as every refusal
    assert err.startswith("Lỗi: Không đọc được kế hoạch nào trong 2 tệp đã cho: ")
    assert "hong.docx" in err and "khong-co" in err and "Chưa ghi gì vào “moi.csv”" in err
    assert not out.exists()
    assert main(["harvest-citations", str(plans / "hong.docx"), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "hong.docx" in err and not out.exists()


def test_uncatalogued_citations_of_one_plan() -> None:
    shipped = Catalogue.from_csv(SHIPPED_CSV)
    assert uncatalogued_citations(sample_plan(), shipped) == []  # the seed cites only known rows
    rows = uncatalogued_citations(PLAN_2019, Catalogue([KNOWN]))
    assert [d.id for d in rows] == ["nq-25-tw-2013", "kh-12-ubnd-2019"]
    assert rows[1].source == "Trích dẫn trong kế hoạch: Kế hoạch số 919/KH-PGDĐT, Căn cứ 3"
    # A row whose id the catalogue holds for another document gets a date in its id.
    other = Directive("nq-25-tw-2013", "Nghị quyết", "25", "25-NQ/TW", issued=date(2013, 1, 1))
    [nq25, _] = uncatalogued_citations(PLAN_2019, Catalogue([KNOWN, other]))
    assert nq25.id == "nq-25-tw-2013-06-03"


def test_plan_without_a_meta_number_is_named_by_its_subject() -> None:
    plan = replace(PLAN_2019, meta=Meta(subject="Công tác dân vận năm 2019", year=2019))
    [row, _] = uncatalogued_citations(plan, Catalogue([KNOWN]))
    assert "Kế hoạch Công tác dân vận năm 2019, Căn cứ 1" in row.source
