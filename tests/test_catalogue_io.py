"""Catalogue files: check-catalogue findings, every accepted file form (built in the test),
column mapping, import preview with duplicates, safe CSV/XLSX export, and the CLI."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path

import openpyxl
import pytest

from planner.catalogue.files import (
    MAX_FILE_BYTES,
    apply_mapping,
    check_catalogue,
    export_csv,
    export_xlsx,
    guess_mapping,
    read_table,
    safe_cell,
)
from planner.catalogue.model import COLUMNS, Catalogue
from planner.catalogue.user_rows import SHIPPED_CSV
from planner.cli.main import main
from planner.errors import InputFileError

CATALOGUE = Catalogue.from_csv(SHIPPED_CSV)


def row(**values: str) -> dict[str, str]:
    base = {c: "" for c in COLUMNS}
    base.update(
        id="kh-1-ubnd-2021",
        doc_type="Kế hoạch",
        number="1",
        symbol="1/KH-UBND",
        issued="2021-01-05",
        issuer="UBND thành phố",
        issuer_level="district",
        title="về công tác dân vận",
        status="unknown",
        source="test",
    )
    base.update(values)
    return base


def messages(findings) -> list[tuple[int, str, str]]:  # type: ignore[no-untyped-def]
    return [(f.row, f.column, f.message) for f in findings]


# --------------------------------------------------------------------------- check
def test_shipped_catalogue_is_clean() -> None:
    with SHIPPED_CSV.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        rows = list(reader)
        assert check_catalogue(rows, columns=reader.fieldnames) == []


def test_clean_row_has_no_findings() -> None:
    assert check_catalogue([row()], columns=COLUMNS) == []


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([row(issued="31/02/2013")], (2, "issued", "không có thật")),
        ([row(issued="2013-02-31")], (2, "issued", "không có thật")),
        ([row(issued="tháng 5")], (2, "issued", "không phải ngày")),
        ([row(status="còn")], (2, "status", "không hợp lệ")),
        ([row(status="")], (2, "status", "trống")),
        ([row(replaced_by="khong-co")], (2, "replaced_by", "không có trong danh mục")),
        ([row(amends="a-1; khong-co")], (2, "amends", "“a-1”")),
        ([row(), row(id="khac")], (3, "symbol", "trùng số ký hiệu và ngày ban hành với dòng 2")),
        ([row(), row(symbol="1/kh-ubnd", id="b")], (3, "symbol", "trùng")),
        ([row(), row(symbol="2/KH-UBND")], (3, "id", "trùng với dòng 2")),
        ([row(id="")], (2, "id", "trống")),
        ([row(id="Có Dấu")], (2, "id", "chữ thường")),
        ([row(doc_type="")], (2, "doc_type", "thiếu loại")),
        ([row(symbol="", title="")], (2, "symbol", "thiếu cả số ký hiệu")),
        ([row(symbol="25/NQ-TW", number="25")], (2, "symbol", "“25-NQ/TW”")),
        ([row(symbol="932 /KH-PGDĐT", number="932")], (2, "symbol", "khoảng trắng")),
        ([row(number="2")], (2, "number", "không khớp")),
        ([row(issuer_level="xa")], (2, "issuer_level", "không hợp lệ")),
        ([row(status="in_force", replaced_by="nq-1"), row(id="nq-1", symbol="1/NQ-CP")], (2, "status", "thay thế")),
        ([row(replaced_by="kh-1-ubnd-2021")], (2, "replaced_by", "chính nó")),
        ([row(title="x" * 5000)], (2, "title", "dài quá")),
    ],
)  # fmt: skip
def test_check_catalogue_findings(rows: list[dict[str, str]], expected: tuple) -> None:
    found = messages(check_catalogue(rows, columns=COLUMNS))
    n, column, text = expected
    assert any(r == n and c == column and text in m for r, c, m in found), found


def test_missing_columns_are_reported_on_the_header() -> None:
    found = check_catalogue([{"id": "a", "symbol": "1/KH"}], columns=["id", "symbol"])
    assert found[0].row == 1 and "doc_type" in found[0].column and "title" in found[0].column
    assert found[0].text().startswith("tiêu đề")


def test_relations_may_point_into_a_known_catalogue() -> None:
    rows = [row(replaced_by="nq-76-cp-2021")]
    assert check_catalogue(rows, known_ids=[d.id for d in CATALOGUE]) == []


# --------------------------------------------------------------------------- reading files
TEXT_ROWS = [
    ["Số ký hiệu", "Ngày ban hành", "Trích yếu", "Cơ quan ban hành", "Loại văn bản", "Tình trạng"],
    ["12/KH-UBND", "05/01/2021", "về công tác dân vận năm 2021", "UBND thành phố", "Kế hoạch", "Còn hiệu lực"],
    ["=HYPERLINK(1)", "15/7/2021", "Đề án thử", "Sở GDĐT", "ĐA", ""],
]  # fmt: skip


def _csv(rows: list[list[str]], delimiter: str = ",") -> str:
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "encoding", "delimiter"),
    [
        (_csv(TEXT_ROWS).encode("utf-8"), "UTF-8", ","),
        (b"\xef\xbb\xbf" + _csv(TEXT_ROWS).encode("utf-8"), "UTF-8 (có BOM)", ","),
        (_csv(TEXT_ROWS, "\t").encode("utf-16"), "UTF-16", "\t"),
        (_csv(TEXT_ROWS, ";").encode("utf-8"), "UTF-8", ";"),
    ],
    ids=["utf8", "utf8-bom", "utf16-unicode-text", "semicolon"],
)
def test_read_csv_forms(data: bytes, encoding: str, delimiter: str) -> None:
    table = read_table(data, "danh-muc.csv")
    assert table.encoding == encoding and table.delimiter == delimiter
    assert table.headers == tuple(TEXT_ROWS[0])
    assert table.rows[0][2] == "về công tác dân vận năm 2021"
    assert table.note == ""


def test_read_windows_1258_with_a_note() -> None:
    # Windows-1258 writes tone marks as combining characters after the base letter.
    text = "Số ký hiệu;Trích yếu\n1/ĐA-UBND;Đê\u0300 a\u0301n thư\u0309\n"
    data = text.replace("ố", "ô\u0301").replace("ý", "y\u0301").replace("ệ", "ê\u0323")
    data = data.replace("í", "i\u0301").replace("ế", "ê\u0301").encode("cp1258")
    table = read_table(data, "cu.csv")
    assert table.encoding == "Windows-1258"
    assert "cu.csv" in table.note and "Windows-1258" in table.note
    assert table.headers == ("Số ký hiệu", "Trích yếu")
    assert table.rows[0] == ("1/ĐA-UBND", "Đề án thử")


def test_read_xlsx_built_in_the_test() -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Số ký hiệu", "Ngày ban hành", "Trích yếu", "Số"])
    sheet.append(["12/KH-UBND", datetime(2021, 1, 5), "về dân vận", 12.0])
    sheet.append([None, None, None, None])
    out = io.BytesIO()
    book.save(out)
    table = read_table(out.getvalue(), "danh-muc.xlsx")
    assert table.encoding == "XLSX"
    assert table.rows == (("12/KH-UBND", "2021-01-05", "về dân vận", "12"),)


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (b"", "tệp trống"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, ".xls"),
        (b"PK\x03\x04broken", "hỏng"),
        (b"a" * (MAX_FILE_BYTES + 1), "quá lớn"),
        (("id,title\n1," + "x" * 5000 + "\n").encode(), "dài quá"),
    ],
    ids=["empty", "xls", "broken-zip", "too-big", "long-field"],
)
def test_unreadable_files_are_refused_naming_the_file(data: bytes, text: str) -> None:
    with pytest.raises(InputFileError) as err:
        read_table(data, "tep-loi.csv")
    assert "tep-loi.csv" in str(err.value) and text in str(err.value)


# --------------------------------------------------------------------------- mapping, import
def test_guess_mapping_of_vietnamese_headers() -> None:
    mapping = guess_mapping(TEXT_ROWS[0])
    assert mapping["symbol"] == "Số ký hiệu"
    assert mapping["issued"] == "Ngày ban hành"
    assert mapping["title"] == "Trích yếu"
    assert mapping["issuer"] == "Cơ quan ban hành"
    assert mapping["doc_type"] == "Loại văn bản"
    assert mapping["status"] == "Tình trạng"
    assert mapping["id"] is None
    assert guess_mapping(list(COLUMNS)) == {c: c for c in COLUMNS}


def test_apply_mapping_normalises_values() -> None:
    table = read_table(_csv(TEXT_ROWS).encode(), "a.csv")
    rows = apply_mapping(table, guess_mapping(table.headers))
    assert rows[0]["issued"] == "2021-01-05"
    assert rows[0]["status"] == "in_force"
    assert rows[1]["doc_type"] == "Đề án"
    assert rows[1]["status"] == "unknown"


# --------------------------------------------------------------------------- export
def test_safe_cell() -> None:
    for bad in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"):
        assert safe_cell(bad) == "'" + bad
    assert safe_cell("25-NQ/TW") == "25-NQ/TW"


def test_export_csv_has_bom_and_is_formula_safe_and_reads_back() -> None:
    rows = [*CATALOGUE, CATALOGUE.get("nq-25-tw-2013").__class__(
        id="x-1", doc_type="Kế hoạch", number="1", symbol="1/KH", title="=HYPERLINK(\"a\")",
        status="unknown", source="test",
    )]  # fmt: skip
    data = export_csv(rows)
    assert data.startswith(b"\xef\xbb\xbf")
    table = read_table(data, "xuat.csv")
    assert table.headers == COLUMNS
    titles = [r[COLUMNS.index("title")] for r in table.rows]
    assert '\'=HYPERLINK("a")' in titles
    shipped = [dict(zip(table.headers, r, strict=True)) for r in table.rows[:-1]]
    assert check_catalogue(shipped, columns=table.headers) == []
    assert Catalogue.from_rows(shipped).get("nq-76-cp-2021") == CATALOGUE.get("nq-76-cp-2021")


def test_export_xlsx() -> None:
    data = export_xlsx(list(CATALOGUE))
    book = openpyxl.load_workbook(io.BytesIO(data))
    sheet = book.active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == COLUMNS
    assert len(values) == len(CATALOGUE) + 1
    table = read_table(data, "xuat.xlsx")
    assert table.rows[0][COLUMNS.index("symbol")] == next(iter(CATALOGUE)).symbol


# --------------------------------------------------------------------------- CLI
def test_cli_search_json(capsys, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("PLANNER_DB", str(tmp_path / "none.db"))
    assert main(["search", "nghi quyet 25", "--json"]) == 0
    hits = json.loads(capsys.readouterr().out)
    assert hits[0]["id"] == "nq-25-tw-2013"
    assert set(hits[0]) == {
        "id",
        "doc_type",
        "symbol",
        "issued",
        "issuer",
        "title",
        "status",
        "score",
        "match",
        "reasons",
    }
    assert hits[0]["match"] == "strong" and hits[0]["reasons"]  # no year in the query
    assert hits[0]["issued"] == "2013-06-03"
    assert not (tmp_path / "none.db").exists()  # a search never creates the database
    assert main(["search", "dan van", "--json", "--limit", "2"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 2


def test_cli_search_text_and_filters(capsys, monkeypatch, tmp_path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("PLANNER_DB", str(tmp_path / "none.db"))
    assert main(["search", "cai cach", "--status", "expired"]) == 0
    out = capsys.readouterr().out
    assert "Nghị quyết số 30c/NQ-CP ngày 08/11/2011" in out and "[Hết hiệu lực]" in out
    assert "2021" not in out.split("\n")[0]
    assert main(["search", "zzzzqqq"]) == 0
    assert "Không tìm thấy" in capsys.readouterr().out
    assert main(["search", "x", "--limit", "0"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_cli_search_sees_the_users_rows(capsys, monkeypatch, store) -> None:  # type: ignore[no-untyped-def]
    from planner.catalogue.model import Directive
    from planner.catalogue.user_rows import save_directive

    save_directive(
        store, Directive("kh-7-x", "Kế hoạch", "7", "7/KH-XYZ", title="thử", source="t"),
        now=datetime(2021, 3, 15),
    )  # fmt: skip
    monkeypatch.setenv("PLANNER_DB", str(store.path))
    assert main(["search", "7/KH-XYZ", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["id"] == "kh-7-x"


def test_cli_check_catalogue_exit_codes(capsys, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    assert main(["check-catalogue"]) == 0
    assert "không có lỗi" in capsys.readouterr().out
    bad = tmp_path / "loi.csv"
    bad.write_text(_csv([list(COLUMNS), list(row(issued="31/02/2013").values())]), "utf-8")
    assert main(["check-catalogue", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "loi.csv: dòng 2, cột issued: ngày “31/02/2013” không có thật" in out
    assert main(["check-catalogue", str(bad), "--json"]) == 1
    assert json.loads(capsys.readouterr().out)[0]["column"] == "issued"
    xls = tmp_path / "cu.xls"
    xls.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 64)
    assert main(["check-catalogue", str(xls)]) == 2
    err = capsys.readouterr().err
    assert "cu.xls" in err and err.count("\n") == 1 and "Traceback" not in err
    assert main(["check-catalogue", str(tmp_path / "khong-co.csv")]) == 2
    assert "khong-co.csv" in capsys.readouterr().err


def test_from_csv_refuses_a_huge_cell_in_vietnamese(tmp_path: Path) -> None:
    from planner.errors import CatalogueError

    big = tmp_path / "o-lon.csv"
    big.write_text("id,symbol,title\nx,1/KH," + "a" * 200_000 + "\n", "utf-8")
    with pytest.raises(CatalogueError, match="o-lon.csv.*dài quá"):
        Catalogue.from_csv(big)
    assert main(["search", "x", "--catalogue", str(big)]) == 2
