"""The shipped catalogue as data: every row says where its facts come from, the file passes
`check-catalogue`, ids are unique, and an education officer's first searches find the right
document at rank 1."""

from __future__ import annotations

import csv
import re
import subprocess
import sys
from pathlib import Path

import pytest

from planner.catalogue.model import Catalogue
from planner.catalogue.user_rows import SHIPPED_CSV

ROOT = Path(__file__).resolve().parent.parent
ROWS = list(csv.DictReader(SHIPPED_CSV.open(encoding="utf-8")))
CATALOGUE = Catalogue.from_csv(SHIPPED_CSV)
SEED = "Kế hoạch số 932/KH-PGDĐT"
# A source is a page address, an official publication, or the seed plan.
SOURCE = re.compile(rf"https?://\S+|official publication|{re.escape(SEED)}")

# (query, expected top hit)
OFFICER_QUERIES = [
    ("43/2019/QH14", "luat-43-qh14-2019"),
    ("Luật Giáo dục 2019", "luat-43-qh14-2019"),
    ("thong tu 32/2020/TT-BGDDT", "tt-32-bgddt-2020"),
    ("32/2018/TT-BGDĐT", "tt-32-bgddt-2018"),
    ("chương trình giáo dục phổ thông 2018", "tt-32-bgddt-2018"),
    ("22/2021/TT-BGDĐT", "tt-22-bgddt-2021"),
    ("thông tư 27/2020", "tt-27-bgddt-2020"),
    ("điều lệ trường tiểu học", "tt-28-bgddt-2020"),
    ("nhiệm vụ năm học 2025-2026", "qd-2358-bgddt-2025"),
    ("2236/QĐ-BGDĐT", "qd-2236-bgddt-2024"),
    ("1112/CT-BGDĐT", "ct-1112-bgddt-2022"),
    ("dạy thêm, học thêm", "tt-29-bgddt-2024"),
    ("chuẩn nghề nghiệp giáo viên", "tt-20-bgddt-2018"),
    ("chuẩn hiệu trưởng", "tt-14-bgddt-2018"),
    ("kiểm định chất lượng trường tiểu học", "tt-17-bgddt-2018"),
    ("13/2016/TTLT-BYT-BGDĐT", "ttlt-13-byt-bgddt-2016"),
    ("nghị định 24/2021/NĐ-CP", "nd-24-cp-2021"),
    ("Luật Lưu trữ 2024", "luat-33-qh15-2024"),
    ("luật 58/2010/QH12", "luat-58-qh12-2010"),
    ("22/2008/QH12", "luat-22-qh12-2008"),
    ("52/2019/QH14", "luat-52-qh14-2019"),
    ("nghị định 30/2020/NĐ-CP", "nd-30-cp-2020"),
    ("29-NQ/TW", "nq-29-tw-2013"),
    ("76/NQ-CP 2021", "nq-76-cp-2021"),
]


def test_every_row_names_its_source() -> None:
    missing = [r["id"] for r in ROWS if not SOURCE.search(r["source"] or "")]
    assert not missing, missing


def test_ids_are_unique() -> None:
    ids = [r["id"] for r in ROWS]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})


def test_relations_point_at_rows_of_the_catalogue() -> None:
    ids = {r["id"] for r in ROWS}
    for row in ROWS:
        targets = [row["replaced_by"], *row["amends"].split(";")]
        for target in (t.strip() for t in targets):
            assert not target or target in ids, (row["id"], target)


def test_starter_set_has_two_hundred_rows() -> None:
    assert len(ROWS) >= 200, len(ROWS)


def test_no_title_is_translated_from_another_language() -> None:
    # A citation must carry the document's own trích yếu; a title rendered from an English
    # page is not one.
    translated = [r["id"] for r in ROWS if "tiếng Anh" in r["source"] and r["title"]]
    assert not translated, translated


def test_a_replacement_is_not_older_than_what_it_replaces() -> None:
    by_id = {r["id"]: r for r in ROWS}
    wrong = [
        (r["id"], r["replaced_by"])
        for r in ROWS
        if r["replaced_by"]
        and r["issued"]
        and by_id[r["replaced_by"]]["issued"]
        and by_id[r["replaced_by"]]["issued"] < r["issued"]
    ]
    assert not wrong, wrong


def test_replaced_rows_say_what_replaces_them() -> None:
    for row in ROWS:
        if row["status"] == "replaced":
            assert row["replaced_by"], row["id"]


def test_check_catalogue_passes() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "planner", "check-catalogue", str(SHIPPED_CSV)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_starter_set_covers_education_documents() -> None:
    types = {r["doc_type"] for r in ROWS}
    assert {"Luật", "Nghị định", "Thông tư", "Quyết định"} <= types
    assert sum(1 for r in ROWS if "BGDĐT" in r["symbol"]) >= 20


@pytest.mark.parametrize(
    ("query", "expected"), OFFICER_QUERIES, ids=[q for q, _ in OFFICER_QUERIES]
)
def test_officer_search_finds_the_document_first(query: str, expected: str) -> None:
    hits = CATALOGUE.search(query)
    assert hits, f"no hit for {query!r}"
    assert hits[0].directive.id == expected, [(h.directive.id, h.score) for h in hits[:3]]


# School-year documents are named by two years ("năm học 2023-2024"): the query means one
# school year, not two issue years, so a document issued in 2024 for the next school year
# (2236/QĐ-BGDĐT, 03/8/2024, for 2024-2025; 2045/QĐ-BGDĐT, 01/8/2024, time frame 2024-2025)
# must not tie with the one for 2023-2024.
SCHOOL_YEAR_QUERIES = [
    ("nhiệm vụ năm học 2023-2024", "qd-2457-bgddt-2023"),
    ("nhiệm vụ năm học 2024-2025", "qd-2236-bgddt-2024"),
    ("khung kế hoạch thời gian năm học 2023-2024", "qd-2171-bgddt-2023"),
]


@pytest.mark.parametrize(
    ("query", "expected"), SCHOOL_YEAR_QUERIES, ids=[q for q, _ in SCHOOL_YEAR_QUERIES]
)
def test_officer_search_school_year_plans(query: str, expected: str) -> None:
    hits = CATALOGUE.search(query)
    assert hits[0].directive.id == expected, [(h.directive.id, h.score) for h in hits[:3]]
