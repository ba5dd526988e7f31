"""import-catalogue: foreign lists (a provincial portal's export, vbpl.vn-like and Excel lists)
become catalogue rows: header synonyms, symbols, derived types, portal status words, constants,
duplicates skipped and counted, ids that never collide, all or nothing, and the CLI."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.catalogue.citation import first_citation
from planner.catalogue.files import (
    APPROXIMATE_STATUS,
    check_catalogue,
    guess_mapping,
    read_table,
    status_key,
)
from planner.catalogue.importer import import_rows, normal_symbol
from planner.catalogue.model import COLUMNS, Catalogue, assign_ids, type_from_symbol
from planner.catalogue.user_rows import SHIPPED_CSV
from planner.cli.main import main
from planner.errors import InputFileError

PORTAL = Path(__file__).parent / "data" / "catalogue" / "portal-tinh.csv"
SHIPPED = Catalogue.from_csv(SHIPPED_CSV)


def _table(rows: list[list[str]], name: str = "ds.csv"):  # type: ignore[no-untyped-def]
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return read_table(buffer.getvalue().encode("utf-8"), name)


def _portal(**constants: str):  # type: ignore[no-untyped-def]
    return import_rows(read_table(PORTAL.read_bytes(), PORTAL.name), {}, constants)


# --------------------------------------------------------------------------- headers
@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("so_ky_hieu", "symbol"),
        ("Số hiệu", "symbol"),
        ("Số/Ký hiệu", "symbol"),
        ("Số / ký hiệu:", "symbol"),
        ("Số ký hiệu", "symbol"),
        ("SỐ KÝ HIỆU", "symbol"),
        ("trich_yeu", "title"),
        ("Trích yếu", "title"),
        ("ngay_ban_hanh", "issued"),
        ("Ngày ban hành", "issued"),
        ("hieu_luc", "status"),
        ("Tình trạng", "status"),
        ("Tình trạng hiệu lực", "status"),
        ("co_quan_ban_hanh", "issuer"),
        ("Cơ quan ban hành", "issuer"),
        ("Loại văn bản", "doc_type"),
        ("Số", "number"),
    ],
)
def test_header_synonyms(header: str, column: str) -> None:
    mapping = guess_mapping(["STT", header, "Ngày có hiệu lực"])
    assert mapping[column] == header
    assert "Ngày có hiệu lực" not in mapping.values()  # a date, not a status or issue date


# --------------------------------------------------------------------------- types, statuses
@pytest.mark.parametrize(
    ("symbol", "doc_type"),
    [
        ("30/2020/NĐ-CP", "Nghị định"),
        ("530/QĐ-UBND", "Quyết định"),
        ("12/2021/Q\u00d0-UBND", "Quyết định"),  # the look-alike Ð (U+00D0)
        ("32/2020/TT-BGDĐT", "Thông tư"),
        ("25-NQ/TW", "Nghị quyết"),
        ("16/CT-TTg", "Chỉ thị"),
        ("932/KH-PGDĐT", "Kế hoạch"),
        ("28-KHPH/BDV-PGDĐT", "Kế hoạch"),
        ("45-KL/TU", "Kết luận"),
        ("43/2019/QH14", "Luật"),
        ("1234/UBND-VX", "Công văn"),
        ("56/CV-PGDĐT", "Công văn"),
        ("321", "Công văn"),
        ("QĐ-UBND", ""),
        ("", ""),
    ],
)
def test_type_from_symbol(symbol: str, doc_type: str) -> None:
    assert type_from_symbol(symbol) == doc_type


@pytest.mark.parametrize(
    ("word", "status"),
    [
        ("Văn bản đang có hiệu lực", "in_force"),
        ("Còn hiệu lực", "in_force"),
        ("Hết hiệu lực toàn bộ", "expired"),
        ("Hết hiệu lực", "expired"),
        ("Còn hiệu lực một phần", "partly_amended"),
        ("Hết hiệu lực một phần", "partly_amended"),
        ("Đã bị thay thế", "replaced"),
        ("Chưa có hiệu lực", "unknown"),
        ("Ngưng hiệu lực", "unknown"),
        ("in_force", "in_force"),
    ],
)
def test_portal_status_words(word: str, status: str) -> None:
    table = _table([["Số hiệu", "Trích yếu", "Tình trạng"], ["1/QĐ-UBND", "Về việc", word]])
    report = import_rows(table, {}, {})
    assert report.ok, report.problems
    assert report.directives[0].status == status
    approximate = status_key(word) in APPROXIMATE_STATUS
    assert bool(report.approximate_statuses) == approximate
    assert bool(report.mapped_statuses) == (not approximate and word != status)


def test_unknown_status_word_is_a_problem_naming_the_row() -> None:
    table = _table([["Số hiệu", "Trích yếu", "Tình trạng"], ["1/QĐ-UBND", "Về", "Đang xét"]])
    report = import_rows(table, {}, {})
    assert not report.ok and report.directives == ()
    assert [(f.row, f.column) for f in report.problems] == [(2, "status")]
    assert "Đang xét" in report.problems[0].message


# --------------------------------------------------------------------------- the portal file
def test_portal_export_imports_with_its_report() -> None:
    report = _portal(issuer="UBND tỉnh Bình Dương", issuer_level="tỉnh")
    assert report.ok, report.problems
    assert (report.rows_read, report.imported) == (14, 13)
    assert report.duplicates == ((13, 4),)  # 1977 /QĐ-UBND and 1977/QĐ-UBND, same date
    by_symbol = {d.symbol: d for d in report.directives}
    assert set(by_symbol) >= {"1977/QĐ-UBND", "12/2021/QĐ-UBND", "24/2021/NĐ-CP", "321"}
    assert by_symbol["1977/QĐ-UBND"].aliases == ("1977 /QĐ-UBND",)
    assert by_symbol["12/2021/QĐ-UBND"].aliases == ("12/2021/Q\u00d0-UBND",)
    assert by_symbol["43/2019/QH14"].doc_type == "Luật"
    assert by_symbol["2345/UBND-VX"].doc_type == "Công văn"
    assert by_symbol["05/CT-UBND"].number == "5"
    assert {d.issuer for d in report.directives} == {"UBND tỉnh Bình Dương"}
    assert {d.issuer_level for d in report.directives} == {"province"}
    assert dict(report.derived_types)["Quyết định"] == 4
    assert sum(n for _t, n in report.derived_types) == 13
    assert ("Văn bản đang có hiệu lực", "in_force", 8) in report.mapped_statuses
    assert ("Còn hiệu lực một phần", "partly_amended", 1) in report.mapped_statuses
    assert {w for w, _s, _n in report.approximate_statuses} == {
        "Chưa có hiệu lực",
        "Ngưng hiệu lực",
    }
    assert report.lower_case_titles == (12,)
    assert by_symbol["2345/UBND-VX"].title.startswith("về việc chuẩn bị")  # kept as written
    assert report.directives[0].source == "Nhập từ tệp portal-tinh.csv"


def test_same_symbol_and_year_get_two_ids() -> None:
    report = _portal()
    twins = [d for d in report.directives if d.symbol == "530/QĐ-UBND"]
    assert sorted(d.id for d in twins) == ["qd-530-ubnd-2022-01-03", "qd-530-ubnd-2022-03-01"]
    ids = [d.id for d in report.directives]
    assert len(ids) == len(set(ids))
    assert len(Catalogue(report.directives)) == report.imported  # nothing vanishes on merge
    assert report.dated_ids == 2
    findings = check_catalogue([d.to_row() for d in report.directives], columns=COLUMNS)
    assert findings == []


def test_a_catalogue_document_keeps_its_id_and_another_gets_a_new_one() -> None:
    shipped = next(d for d in SHIPPED if d.symbol and d.issued and d.doc_type == "Kế hoạch")
    other_day = (
        date(shipped.issued.year, 1, 1)
        if shipped.issued.month > 1
        else date(  # type: ignore[union-attr]
            shipped.issued.year,
            12,
            31,  # type: ignore[union-attr]
        )
    )
    table = _table(
        [
            ["Số ký hiệu", "Ngày ban hành", "Trích yếu"],
            [shipped.symbol, shipped.issued.strftime("%d/%m/%Y"), "Cùng văn bản"],  # type: ignore[union-attr]
            [shipped.symbol, other_day.strftime("%d/%m/%Y"), "Văn bản khác cùng số"],
        ]
    )
    report = import_rows(table, {}, {}, catalogue=SHIPPED)
    assert report.ok, report.problems
    same, other = report.directives
    assert same.id == shipped.id
    assert other.id != shipped.id and other.id not in SHIPPED
    assert report.in_catalogue == ((2, shipped.id),)


def test_shipped_ids_do_not_change_when_the_catalogue_is_imported_without_ids() -> None:
    rows = [[c for c in COLUMNS if c != "id"]]
    rows += [[d.to_row()[c] for c in COLUMNS if c != "id"] for d in SHIPPED]
    report = import_rows(_table(rows, "directives.csv"), {}, {}, catalogue=SHIPPED)
    assert report.ok, report.problems
    dated = [d for d in SHIPPED if d.symbol]
    got = {(d.symbol, d.issued): d.id for d in report.directives}
    assert all(got[(d.symbol, d.issued)] == d.id for d in dated)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["Quyết định", "Kế hoạch", "Công văn", ""]),
            st.sampled_from(["530/QĐ-UBND", "530 /QĐ-UBND", "1/KH", "", "7"]),
            st.one_of(st.none(), st.dates(date(2020, 1, 1), date(2021, 12, 31))),
            st.sampled_from(["", "Về việc", "về việc a"]),
        ),
        max_size=30,
    ),
    st.dictionaries(
        st.sampled_from(["qd-530-ubnd-2022", "kh-1-2021", "cv-7-2020", "vb"]),
        st.tuples(st.just("530 qd ubnd"), st.none()),
    ),
)
def test_assign_ids_never_collide(rows, reserved) -> None:  # type: ignore[no-untyped-def]
    ids = assign_ids(rows, reserved)
    assert len(ids) == len(set(ids)) == len(rows)
    for ident, (_t, symbol, issued, _title) in zip(ids, rows, strict=True):
        if ident in reserved:
            assert reserved[ident] == ("530 qd ubnd", issued) and symbol


def test_normal_symbol() -> None:
    assert normal_symbol("1977 /QĐ-UBND") == "1977/QĐ-UBND"
    assert normal_symbol("12/2021/Q\u00d0 - UBND") == "12/2021/QĐ-UBND"
    assert normal_symbol("25/NQ-TW") == "25-NQ/TW"
    assert normal_symbol("43/2019/QH14") == "43/2019/QH14"


# --------------------------------------------------------------------------- other lists
def test_vbpl_like_xlsx_with_so_hieu_cites_the_symbol() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(
        ["STT", "Số hiệu", "Loại văn bản", "Ngày ban hành", "Trích yếu", "Cơ quan ban hành"]
    )
    sheet.append([1, "32/2020/TT-BGDĐT", "Thông tư", "15/09/2020", "Ban hành Điều lệ trường THCS",
                  "Bộ Giáo dục và Đào tạo"])  # fmt: skip
    sheet.append([None] * 6)
    sheet.append([2, "5/2021/TT-BGDĐT", "Thông tư", "12/03/2021", "Ban hành Quy chế", "Bộ GDĐT"])
    out = io.BytesIO()
    book.save(out)
    report = import_rows(read_table(out.getvalue(), "vbpl.xlsx"), {}, {})
    assert report.ok, report.problems
    first = report.directives[0]
    assert (first.symbol, first.number, first.doc_type) == ("32/2020/TT-BGDĐT", "32", "Thông tư")
    assert first_citation(first).startswith("Thông tư số 32/2020/TT-BGDĐT ngày 15/9/2020")
    assert report.derived_types == ()


def test_number_and_symbol_in_two_columns_and_blank_lines_keep_row_numbers() -> None:
    table = _table(
        [
            ["Số", "Ký hiệu", "Ngày", "Nội dung"],
            ["530", "QĐ-UBND", "01/03/2022", "Về việc A"],
            ["", "", "", ""],
            ["531", "QĐ-UBND", "31/02/2022", "Về việc B"],
        ]
    )
    report = import_rows(table, {}, {})
    assert [(f.row, f.column) for f in report.problems] == [(4, "issued")]
    fixed = _table([["Số", "Ký hiệu", "Nội dung"], ["530", "QĐ-UBND", "Về việc A"]])
    assert import_rows(fixed, {}, {}).directives[0].symbol == "530/QĐ-UBND"


def test_map_and_set_override_the_guess() -> None:
    table = _table([["Văn bản", "Ghi chú", "Tên"], ["7/KH-PGDĐT", "x", "Về việc"]])
    with pytest.raises(InputFileError, match="ds.csv.*số ký hiệu"):
        import_rows(table, {"Ghi chú": ""}, {})
    report = import_rows(
        table, {"Văn bản": "symbol", "Tên": "title"}, {"issuer": "Phòng GDĐT", "doc_type": "KH"}
    )
    assert report.ok, report.problems
    d = report.directives[0]
    assert (d.symbol, d.title, d.issuer, d.doc_type) == ("7/KH-PGDĐT", "Về việc", "Phòng GDĐT",
                                                         "Kế hoạch")  # fmt: skip
    with pytest.raises(InputFileError, match="ds.csv.*không có cột “Số”"):
        import_rows(table, {"Số": "symbol"}, {})
    with pytest.raises(InputFileError, match="ds.csv.*“sym”"):
        import_rows(table, {"Văn bản": "sym"}, {})
    with pytest.raises(InputFileError, match="ds.csv.*“title”.*--set"):
        import_rows(table, {}, {"title": "x"})
    with pytest.raises(InputFileError, match="ds.csv.*cấp ban hành “xã”"):
        import_rows(table, {}, {"issuer_level": "xã"})


# --------------------------------------------------------------------------- command line
def test_cli_import_writes_a_catalogue_that_reads_back(capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "danh-muc.csv"
    code = main(["import-catalogue", str(PORTAL), "-o", str(out), "--set", "issuer=UBND tỉnh"])
    assert code == 0
    text = capsys.readouterr().out
    assert "portal-tinh.csv: Đọc 14 dòng, nhập được 13 văn bản." in text
    assert "Bỏ qua 1 dòng trùng" in text and "dòng 13 (trùng dòng 4)" in text
    assert "“Chưa có hiệu lực” → Chưa rõ hiệu lực (1 dòng)" in text
    catalogue = Catalogue.from_csv(out)
    assert len(catalogue) == 13
    assert catalogue.search("1977 /QĐ-UBND")[0].directive.symbol == "1977/QĐ-UBND"
    assert main(["check-catalogue", str(out)]) == 0


def test_cli_import_json(capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "ra.csv"
    assert main(["import-catalogue", str(PORTAL), "-o", str(out), "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["rows_read"] == 14 and payload["imported"] == 13
    assert payload["duplicates_skipped"] == 1 and payload["lower_case_titles"] == [12]
    assert payload["mapping"]["symbol"] == "so_ky_hieu" and payload["problems"] == []
    assert payload["output"] == str(out)


def test_cli_import_is_all_or_nothing(capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "loi.csv"
    text = PORTAL.read_text("utf-8").replace("20/04/2021", "31/04/2021")
    bad.write_text(text.replace("Ngưng hiệu lực", "Tạm dừng"), "utf-8")
    out = tmp_path / "ra.csv"
    assert main(["import-catalogue", str(bad), "-o", str(out)]) == 2
    captured = capsys.readouterr()
    assert not out.exists()
    assert captured.err.count("\n") == 1
    assert captured.err.startswith("Lỗi: Tệp “loi.csv”, dòng 5, cột issued:")
    assert "(và 1 lỗi khác)" in captured.err and "chưa ghi gì vào “ra.csv”" in captured.err
    assert "loi.csv: dòng 9, cột status: tình trạng hiệu lực “Tạm dừng”" in captured.out


def test_cli_bad_options_and_files_exit_2_with_one_line(capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = str(tmp_path / "ra.csv")
    cases = [
        ([str(PORTAL), "-o", out, "--map", "khong-co"], "--map"),
        ([str(PORTAL), "-o", out, "--map", "Số=symbol"], "portal-tinh.csv"),
        ([str(PORTAL), "-o", out, "--set", "id=x"], "portal-tinh.csv"),
        ([str(tmp_path / "khong-co.csv"), "-o", out], "khong-co.csv"),
        ([str(PORTAL), "-o", str(PORTAL)], "portal-tinh.csv"),
    ]
    for args, named in cases:
        assert main(["import-catalogue", *args]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and named in err and "Traceback" not in err
    assert not Path(out).exists()


def test_cli_check_catalogue_takes_map_and_set(capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    header = ["Mã" if c == "id" else "Số hiệu" if c == "symbol" else c for c in COLUMNS]
    header = [h for h in header if h != "issuer_level"]
    row = {c: "" for c in COLUMNS} | {
        "id": "kh-7-pgddt-2021", "doc_type": "Kế hoạch", "symbol": "7/KH-PGDĐT",
        "issued": "2021-01-05", "title": "Về việc", "status": "unknown", "source": "thử",
    }  # fmt: skip
    path = tmp_path / "ds.csv"
    path.write_text(
        ",".join(header) + "\n" + ",".join(row[c] for c in COLUMNS if c != "issuer_level") + "\n",
        "utf-8",
    )
    assert main(["check-catalogue", str(path)]) == 1
    assert "thiếu cột" in capsys.readouterr().out
    args = ["check-catalogue", str(path), "--map", "Số hiệu=symbol", "--set", "issuer_level=huyện"]
    assert main(args) == 0, capsys.readouterr().out
    assert main(["check-catalogue", str(path), "--map", "Không có=symbol"]) == 2
    assert "ds.csv" in capsys.readouterr().err
