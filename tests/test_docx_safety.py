"""Refusals of unusable and hostile Word files, each with its Vietnamese message."""

from __future__ import annotations

import random
import tracemalloc

import pytest

from planner.docx import safety as docx_safety
from planner.docx.safety import OLE2_MAGIC, check_docx_bytes, open_docx
from planner.errors import InputFileError, PlannerError
from tests import docx_builders as B

NAME = "ke-hoach-2020.docx"


def refused(data: bytes, name: str = NAME) -> str:
    with pytest.raises(InputFileError) as info:
        check_docx_bytes(data, name)
    msg = str(info.value)
    assert f"“{name}”" in msg, msg  # the message names the file
    assert "Traceback" not in msg
    return msg


def test_a_real_docx_passes_and_opens():
    data = B.minimal_docx("Kế hoạch năm 2020")
    check_docx_bytes(data, NAME)
    doc = open_docx(data, NAME)
    assert doc.paragraphs[-1].text == "Kế hoạch năm 2020"


def test_the_seed_docx_passes():
    check_docx_bytes(B.seed_docx(), NAME)


def test_empty_file():
    assert "trống" in refused(b"")


def test_random_bytes():
    noise = random.Random(4096).randbytes(4096).replace(b"PK", b"pk").replace(b"\xd0\xcf", b"--")
    msg = refused(b"\x00\x01" + noise)  # binary from its first byte (not XML, HTML or text)
    assert "không phải tệp Word (.docx)" in msg


def test_old_doc_is_named_and_told_to_save_as_docx():
    data = OLE2_MAGIC + b"\0" * 504 + "WordDocument".encode("utf-16-le") + b"\0" * 1000
    msg = refused(data, "cu.doc")
    assert "là tệp Word cũ (.doc)" in msg
    assert "lưu lại dưới dạng .docx" in msg


def test_encrypted_docx_is_told_to_remove_the_password():
    data = OLE2_MAGIC + b"\0" * 504 + "EncryptedPackage".encode("utf-16-le") + b"\0" * 1000
    msg = refused(data)
    assert "mật khẩu" in msg
    assert "hãy bỏ mật khẩu rồi lưu lại dưới dạng .docx" in msg


def test_rtf_and_pdf_are_named():
    assert "RTF" in refused(b"{\\rtf1\\ansi Hello}")
    assert "PDF" in refused(b"%PDF-1.7\n...")


def test_zip_that_is_not_a_word_document():
    msg = refused(B.zip_of({"a.txt": b"hello"}), "nen.zip")
    assert "không phải văn bản Word (.docx)" in msg
    xlsx = B.zip_of({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
    assert "là tệp Excel" in refused(xlsx, "bang.xlsx")


def test_broken_zip():
    data = B.minimal_docx()
    msg = refused(data[: len(data) // 2])
    assert "bị hỏng" in msg


def test_too_large_before_unzipping():
    data = b"PK\x03\x04" + b"\0" * (docx_safety.MAX_DOCX_BYTES + 1)
    msg = refused(data)
    assert "quá lớn" in msg and "20 MB" in msg


def test_too_many_members():
    members = {"word/document.xml": b"<w:document/>"}
    members.update({f"word/media/x{i}.bin": b"" for i in range(docx_safety.MAX_MEMBERS + 1)})
    assert "quá nhiều thành phần" in refused(B.zip_of(members))


def test_zip_bomb_refused_from_declared_sizes_fast():
    data = B.declared_bomb_docx(150 * 1024 * 1024)
    tracemalloc.start()
    msg = refused(data)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert "100 MB" in msg and "bom nén" in msg
    assert peak < 20 * 1024 * 1024


def test_absurd_compression_ratio():
    msg = refused(B.zip_bomb_docx(8 * 1024 * 1024))
    assert "tỉ lệ nén bất thường" in msg


def test_lying_size_header_cannot_bomb(monkeypatch):
    # headers claim 1000 bytes; the member really inflates to 8 MB: refused while streaming
    monkeypatch.setattr(docx_safety, "MAX_RATIO", 10**9)
    data = B.lying_size_docx(8 * 1024 * 1024, claimed=1000)
    tracemalloc.start()
    msg = refused(data)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert msg == (
        f"Tệp “{NAME}” bị hỏng, không giải nén được; hãy mở bằng Word và lưu lại dưới dạng .docx."
    )
    assert peak < 20 * 1024 * 1024


def test_streaming_budget_counts_real_bytes(monkeypatch):
    # a total over the unpacked budget is stopped by the streaming count as well
    monkeypatch.setattr(docx_safety, "MAX_RATIO", 10**9)
    data = B.zip_bomb_docx(4 * 1024 * 1024)
    monkeypatch.setattr(docx_safety, "MAX_UNPACKED_BYTES", 2 * 1024 * 1024)
    assert "bom nén" in refused(data)


def test_entity_expansion_refused():
    msg = refused(B.entity_bomb_docx())
    assert "DOCTYPE/ENTITY" in msg and "word/document.xml" in msg


def test_doctype_in_utf16_part_refused():
    xml = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>'
    data = B.replace_part(B.minimal_docx(), "word/custom.xml", xml.encode("utf-16"))
    assert "DOCTYPE/ENTITY" in refused(data)


def test_absurd_nesting_refused():
    msg = refused(B.deep_docx(5000))
    assert "lồng nhau quá sâu" in msg


def test_nesting_just_over_the_limit_refused_and_under_it_passes():
    assert "lồng nhau quá sâu" in refused(B.deep_docx(docx_safety.MAX_XML_DEPTH))
    check_docx_bytes(B.deep_docx(50), NAME)


def test_broken_xml_part():
    data = B.with_document_xml(b"<w:document><w:body><w:p>")
    assert "không phải XML hợp lệ" in refused(data)


def test_errors_are_planner_errors():
    with pytest.raises(PlannerError):
        open_docx(b"", NAME)


def test_template_with_wrong_content_type_is_refused_by_open_docx():
    data = B.minimal_docx()
    ct = B.read_part(data, "[Content_Types].xml").replace(
        b"document.main+xml", b"template.main+xml"
    )
    data = B.replace_part(data, "[Content_Types].xml", ct)
    with pytest.raises(InputFileError) as info:
        open_docx(data, NAME)
    assert NAME in str(info.value)


def test_message_stays_one_line_with_a_hostile_member_name():
    xml = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>'
    data = B.replace_part(B.minimal_docx(), "word/evil\nname" + "x" * 300 + ".xml", xml.encode())
    with pytest.raises(InputFileError) as info:
        check_docx_bytes(data, "tệp\nhai dòng.docx")
    msg = str(info.value)
    assert "“tệp hai dòng.docx”" in msg and "DOCTYPE/ENTITY" in msg
    assert "\n" not in msg and len(msg) < 400
