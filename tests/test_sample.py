"""The built-in sample plan is the seed plan (Kế hoạch 932/KH-PGDĐT, 2020), complete and exact.

The seed markdown (a conversion of the original) is copied byte for byte into
tests/data/seed/; these tests never read anything outside the repository.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from planner.model import Plan, load_plan, plan_from_json, plan_to_dict

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_PATH = ROOT / "data" / "samples" / "ke-hoach-932-2020.json"
SEED_PATH = Path(__file__).resolve().parent / "data" / "seed" / "ke-hoach-932-2020.md"

# The seed splits two sentences at page breaks: (end of first part, start of second part).
PAGE_BREAK_SPLITS = (
    ("Kế hoạch số", "4760/KH-UBND"),
    ("gây phiền hà cho dân,", "xâm phạm"),
)
RECIPIENTS_LABEL = "Nơi nhận:"

_SENTENCE_END = re.compile(r"(?<=[.;:!?…])\s+")


# ---------------------------------------------------------------- helpers


def _strip_markdown(line: str) -> str:
    """Drop heading marks, bold/italic marks and trailing line-break spaces."""
    line = re.sub(r"^#+\s*", "", line.rstrip())
    line = line.replace("**", "")
    if line.startswith("*") and line.endswith("*"):
        line = line[1:-1]
    return line.strip()


def seed_lines() -> list[str]:
    """The seed's non-blank lines, markdown removed, page-break splits joined with one space."""
    raw = SEED_PATH.read_text(encoding="utf-8")
    lines = [_strip_markdown(x) for x in raw.split("\n") if x.strip()]
    joined: list[str] = []
    joins = 0
    for line in lines:
        if joined and any(
            joined[-1].endswith(end) and line.startswith(start) for end, start in PAGE_BREAK_SPLITS
        ):
            joined[-1] = f"{joined[-1]} {line}"
            joins += 1
        else:
            joined.append(line)
    assert joins == len(PAGE_BREAK_SPLITS), "the seed copy no longer has its two page breaks"
    return joined


def seed_header_and_body() -> tuple[list[str], list[str]]:
    """(the four header lines, the body lines from the subject on, without the Nơi nhận label)."""
    lines = seed_lines()
    header, body = lines[:3], lines[3:]
    assert body.count(RECIPIENTS_LABEL) == 1
    body.remove(RECIPIENTS_LABEL)
    return header, body


def _unmark(line: str) -> str:
    """A body line without its list mark (`- ` or `+ `)."""
    return line[2:] if line[:2] in ("- ", "+ ") else line


def sentences(texts: list[str]) -> list[str]:
    out: list[str] = []
    for text in texts:
        out.extend(s for s in _SENTENCE_END.split(text.strip()) if s)
    return out


def sample_lines(plan: Plan) -> list[str]:
    """The sample written back as seed-like lines, in document order, with list marks."""
    marks = {"paragraph": "", "dash": "- ", "plus": "+ "}
    out = [plan.meta.subject]
    out += [b.text for b in plan.bases]
    out += list(plan.preamble)
    for _path, section in plan.iter_sections():
        out.append(f"{section.number}. {section.title}")
        out += [marks[b.kind] + b.text for b in section.blocks]
    out += list(plan.closing)
    out += [f"- {r}" for r in plan.recipients]
    out.append(plan.signer.name)
    return out


def sample_texts(plan: Plan) -> list[str]:
    """Every text of the sample (section titles with their labels), in document order."""
    return [_unmark(x) for x in sample_lines(plan)]


def _strings(value: Any, where: str = "") -> Iterator[tuple[str, str]]:
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield where + f".{k}", k
            yield from _strings(v, f"{where}.{k}")
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _strings(v, f"{where}[{i}]")


@pytest.fixture(scope="module")
def raw() -> bytes:
    return SAMPLE_PATH.read_bytes()


@pytest.fixture(scope="module")
def plan() -> Plan:
    return load_plan(SAMPLE_PATH)


# ---------------------------------------------------------------- (a) loading and round trip


def test_seed_copy_is_the_seed_text() -> None:
    text = SEED_PATH.read_text(encoding="utf-8")
    assert "Số: 932 /KH-PGDĐT" in text
    assert text.rstrip().endswith("*Nguyễn Văn Chết*")


def test_sample_loads_and_round_trips_unchanged(raw: bytes, plan: Plan) -> None:
    from_bytes = plan_from_json(raw, SAMPLE_PATH.name)
    assert from_bytes == plan
    data = json.loads(raw.decode("utf-8"))
    assert plan_to_dict(plan) == data
    assert plan_to_dict(plan_from_json(json.dumps(data), "x.json")) == data


# ---------------------------------------------------------------- (b) every sentence


def test_header_matches_meta(plan: Plan) -> None:
    header, _body = seed_header_and_body()
    m = plan.meta
    assert m.issued == date(2020, 7, 14)
    assert header == [
        f"Số: {m.number} /{m.symbol}",
        f"{m.place}, ngày {m.issued.day} tháng {m.issued.month} năm {m.issued.year}.",
        m.doc_type,
    ]
    assert (m.parent_authority, m.authority, m.year) == (
        "UBND THÀNH PHỐ THỦ DẦU MỘT",
        "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO",
        2020,
    )


def test_every_seed_sentence_is_in_the_sample(plan: Plan) -> None:
    _header, body = seed_header_and_body()
    have = set(sentences(sample_texts(plan)))
    missing = [s for s in sentences([_unmark(x) for x in body]) if s not in have]
    assert missing == []


def test_every_sample_sentence_comes_from_the_seed(plan: Plan) -> None:
    _header, body = seed_header_and_body()
    seed = set(sentences([_unmark(x) for x in body]))
    invented = [s for s in sentences(sample_texts(plan)) if s not in seed]
    assert invented == []


def test_sentences_in_the_same_order(plan: Plan) -> None:
    _header, body = seed_header_and_body()
    assert sentences(sample_texts(plan)) == sentences([_unmark(x) for x in body])


def test_each_seed_line_is_one_text_with_its_list_mark(plan: Plan) -> None:
    """Paragraph boundaries and `-`/`+` items match the seed line by line."""
    _header, body = seed_header_and_body()
    assert sample_lines(plan) == body


def test_page_break_splits_are_joined(plan: Plan) -> None:
    texts = sample_texts(plan)
    joined = [f"{end} {start}" for end, start in PAGE_BREAK_SPLITS]
    for j in joined:
        assert sum(j in t for t in texts) == 1, j
    for end, start in PAGE_BREAK_SPLITS:
        assert not any(t.endswith(end) or t.startswith(start) for t in texts)


def test_original_wording_and_typos_are_kept(plan: Plan) -> None:
    texts = "\n".join(sample_texts(plan))
    for quirk in (
        "Ngành Giáo dục thành phố .",
        "tham nhũng, lăng phí.",
        "của Thủ Tướng Chính phủ",
        "“Dân Vận khéo”",
        "học sinh tích cực”....",
        "về công tác dân vận,...",
        "nghiêm túc triển khai thực hiện./.",
    ):
        assert quirk in texts, quirk
    assert plan.recipients[-1] == "Lưu: VT ."


# ---------------------------------------------------------------- (c) structure


EXPECTED_OUTLINE = [
    ("I", "MỤC ĐÍCH YÊU CẦU", ["paragraph"] * 3),
    ("II", "NỘI DUNG", []),
    (
        "II.1",
        "Tiếp tục quán triệt, triển khai, thực hiện có hiệu quả các quan điểm của Đảng, "
        "chính sách, pháp luật của Nhà nước về công tác dân vận;",
        ["paragraph"] * 4,
    ),
    (
        "II.2",
        "Đẩy mạnh việc học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh gắn với "
        "phong trào thi đua “Dân Vận khéo”",
        ["dash", "dash", "paragraph"],
    ),
    (
        "II.3",
        "Đẩy mạnh cải cách hành chính, nhất là thủ tục hành chính; phòng, chống tham nhũng, "
        "ngăn ngừa tiêu cực, nhũng nhiễu, phiền hà đối với nhân dân.",
        ["paragraph", "plus", "plus", "plus", "plus", "paragraph"],
    ),
    ("III", "TỔ CHỨC THỰC HIỆN", []),
    ("III.1", "Phòng Giáo dục và Đào tạo", ["dash", "dash"]),
    ("III.2", "Các đơn vị trường học", ["dash", "dash"]),
]


def test_outline_levels_titles_and_block_kinds(plan: Plan) -> None:
    outline = [(path, s.title, [b.kind for b in s.blocks]) for path, s in plan.iter_sections()]
    assert outline == EXPECTED_OUTLINE
    assert [s.number for s in plan.sections] == ["I", "II", "III"]
    assert [c.number for c in plan.sections[1].children] == ["1", "2", "3"]
    assert [c.number for c in plan.sections[2].children] == ["1", "2"]
    assert plan.sections[0].children == ()
    assert all(c.children == () for s in plan.sections for c in s.children)
    assert all(
        b.rows == () and b.reviewed is None for _p, s in plan.iter_sections() for b in s.blocks
    )


def test_front_and_back_matter(plan: Plan) -> None:
    assert plan.meta.subject == "Thực hiện công tác dân vận chính quyền năm 2020"
    assert [b.text[:36] for b in plan.bases] == [
        "Căn cứ Kế hoạch số 106/KH-UBND, ngày",
        "Căn cứ Kế hoạch số 28-KHPH/BDV-PGDĐT",
    ]
    assert all(b.directive_id is None for b in plan.bases)
    assert len(plan.preamble) == 1 and plan.preamble[0].endswith("cụ thể như sau:")
    ii1 = plan.find_section("II.1")
    assert ii1 is not None
    assert ii1.blocks[1].text.startswith("Căn cứ Kế hoạch số 769/KH-SGDĐT")
    assert len(plan.closing) == 1 and plan.closing[0].startswith("Trên đây là Kế hoạch")
    assert plan.recipients == (
        "Các đơn vị trường học;",
        "Lãnh đạo, CV Phòng GDĐT;",
        "Cổng thông tin điện tử Phòng GDĐT;",
        "Lưu: VT .",
    )
    s = plan.signer
    assert (s.prefix, s.position, s.deputy_position, s.name) == (
        "",
        "TRƯỞNG PHÒNG",
        "",
        "Nguyễn Văn Chết",
    )
    assert plan.tasks == ()
    # No extension keys (the loader currently also keeps `schema_version` in `extra`).
    assert {k: v for k, v in plan.extra.items() if k != "schema_version"} == {}


# ---------------------------------------------------------------- (d) NFC, no markdown


def test_file_is_nfc_utf8(raw: bytes) -> None:
    text = raw.decode("utf-8")
    assert not text.startswith("\ufeff")
    assert unicodedata.is_normalized("NFC", text)


def test_no_markdown_or_stray_whitespace(raw: bytes, plan: Plan) -> None:
    bad = []
    for where, s in _strings(json.loads(raw.decode("utf-8"))):
        if "**" in s or "#" in s or "\n" in s or "  " in s or s != s.strip():
            bad.append((where, s))
        if not unicodedata.is_normalized("NFC", s):
            bad.append((where, s))
    assert bad == []
    for _path, section in plan.iter_sections():
        assert not re.match(r"^([IVX]+|\d+)\.", section.title)
        for b in section.blocks:
            assert b.text[:2] not in ("- ", "+ ", "* ")
    assert not any(r.startswith("-") for r in plan.recipients)
