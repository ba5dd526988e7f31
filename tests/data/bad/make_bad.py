"""Generate the hostile and broken input files in tests/data/bad/.

Run `python tests/data/bad/make_bad.py` to (re)write the small files committed beside it;
files too big to commit (a 2 MB CSV field, a >100 MB zip bomb, a file over the upload limit)
are made at test time by the `big_*` functions. Everything is deterministic.
"""

from __future__ import annotations

import csv
import io
import json
import random
import struct
import unicodedata
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/></Types>'
)
RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def document_xml(body: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<w:document xmlns:w="{W_NS}"><w:body>{body}</w:body></w:document>'
    )


def paragraph(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


STAMP = (2021, 1, 4, 8, 0, 0)  # fixed, so the generated files are byte-for-byte stable


def member(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=STAMP)
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def docx_bytes(document: str, extra: dict[str, bytes] | None = None) -> bytes:
    """A minimal .docx package around `document` (the text of word/document.xml)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(member("[Content_Types].xml"), CONTENT_TYPES)
        z.writestr(member("_rels/.rels"), RELS)
        z.writestr(member("word/document.xml"), document)
        for name, data in (extra or {}).items():
            z.writestr(member(name), data)
    return buf.getvalue()


def ole2(payload_names: list[str]) -> bytes:
    """An OLE2 compound-file header followed by directory names (UTF-16-LE), as Word writes."""
    header = OLE2_MAGIC + bytes(16) + struct.pack("<HHH", 0x3E, 0x3, 0xFFFE) + bytes(482)
    names = b"".join(n.encode("utf-16-le") + b"\x00\x00" for n in payload_names)
    return header + names + bytes(2048)


def zip_bomb(unpacked_mb: int) -> bytes:
    """A .docx whose extra part inflates from a few KB to `unpacked_mb` MB of zeros."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        z.writestr(member("[Content_Types].xml"), CONTENT_TYPES)
        z.writestr(member("_rels/.rels"), RELS)
        z.writestr(member("word/document.xml"), document_xml(paragraph("Kế hoạch")))
        with z.open(member("word/media/padding.bin"), "w") as fh:
            block = bytes(1024 * 1024)
            for _ in range(unpacked_mb):
                fh.write(block)
    return buf.getvalue()


def lying_zip_bomb(unpacked_mb: int = 30) -> bytes:
    """A zip bomb whose central directory claims each part is small (1 KB)."""
    data = bytearray(zip_bomb(unpacked_mb))
    marker = b"word/media/padding.bin"
    cd = data.rfind(b"PK\x01\x02", 0, data.rfind(marker))
    # Central directory header: uncompressed size at offset 24 (4 bytes).
    struct.pack_into("<I", data, cd + 24, 1024)
    return bytes(data)


def entity_expansion() -> bytes:
    """The "billion laughs": nested entities that expand to gigabytes if resolved."""
    lol = ['<!ENTITY lol0 "lol">'] + [
        f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10}">' for i in range(1, 10)
    ]
    doc = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f"<!DOCTYPE w:document [{''.join(lol)}]>"
        f'<w:document xmlns:w="{W_NS}"><w:body>{paragraph("&lol9;")}</w:body></w:document>'
    )
    return docx_bytes(doc)


def external_entity() -> bytes:
    """An XXE attempt: an entity that would read a local file if resolved."""
    doc = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        f'<w:document xmlns:w="{W_NS}"><w:body>{paragraph("&xxe;")}</w:body></w:document>'
    )
    return docx_bytes(doc)


def deeply_nested(depth: int = 20_000) -> bytes:
    body = "<w:sdt>" * depth + paragraph("sâu") + "</w:sdt>" * depth
    return docx_bytes(document_xml(body))


# ------------------------------------------------------------------ CSV

COLUMNS = (
    "id,doc_type,number,symbol,aliases,issued,issuer,issuer_level,title,status,"
    "replaced_by,amends,topics,source"
).split(",")
GOOD_ROWS = [
    {
        "id": "nq-25-tw-2013",
        "doc_type": "Nghị quyết",
        "number": "25",
        "symbol": "25-NQ/TW",
        "issued": "2013-06-03",
        "issuer": "Ban Chấp hành Trung ương khóa XI",
        "issuer_level": "central",
        "title": "về tăng cường và đổi mới sự lãnh đạo của Đảng đối với công tác dân vận "
        "trong tình hình mới",
        "status": "unknown",
        "topics": "dân vận",
        "source": "Kế hoạch số 932/KH-PGDĐT ngày 14/7/2020",
    },
    {
        "id": "kh-106-ubnd-2020",
        "doc_type": "Kế hoạch",
        "number": "106",
        "symbol": "106/KH-UBND",
        "issued": "2020-07-08",
        "issuer": "Ủy ban nhân dân thành phố Thủ Dầu Một",
        "issuer_level": "district",
        "title": "về Thực hiện công tác dân vận chính quyền năm 2020",
        "status": "unknown",
        "topics": "dân vận",
        "source": "Kế hoạch số 932/KH-PGDĐT ngày 14/7/2020",
    },
]


def csv_text(rows: list[dict[str, str]], *, columns: list[str] = COLUMNS, sep: str = ",") -> str:
    buf = io.StringIO(newline="")
    w = csv.writer(buf, delimiter=sep, lineterminator="\r\n")
    w.writerow(columns)
    for r in rows:
        w.writerow([r.get(c, "") for c in columns])
    return buf.getvalue()


_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def cp1258(text: str) -> bytes:
    """Encode as Windows-1258 the way Vietnamese Windows does: base letter + tone mark."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in parts if c in _TONES)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in _TONES))
        out += base.encode("cp1258") + tones.encode("cp1258")
    return bytes(out)


def big_field_csv(size: int = 2 * 1024 * 1024) -> bytes:
    row = dict(GOOD_ROWS[0], title="Nội dung rất dài " + "x" * size)
    return csv_text([row]).encode("utf-8")


# ------------------------------------------------------------------ plan files


def plan_nested_sections(depth: int = 40) -> bytes:
    section: dict = {"number": "1", "title": "Mục sâu nhất", "blocks": []}
    for _ in range(depth):
        section = {"number": "1", "title": "Mục", "children": [section]}
    plan = {"schema_version": 1, "meta": {"year": 2021}, "sections": [section]}
    return json.dumps(plan, ensure_ascii=False).encode("utf-8")


def plan_nested_json(depth: int = 50_000) -> bytes:
    return ("[" * depth + "]" * depth).encode("ascii")


def fixtures() -> dict[str, bytes]:
    rnd = random.Random(7)
    good = csv_text(GOOD_ROWS)
    return {
        # Word files
        "empty.docx": b"",
        "random.docx": bytes(rnd.getrandbits(8) for _ in range(4096)),
        "renamed.docx": "Đây là một tệp văn bản thường, đổi tên thành .docx.\n".encode(),
        "legacy.doc": ole2(["Root Entry", "WordDocument", "1Table", "SummaryInformation"]),
        "legacy-renamed.docx": ole2(["Root Entry", "WordDocument", "1Table"]),
        "encrypted.docx": ole2(["Root Entry", "EncryptionInfo", "EncryptedPackage"]),
        "zip-bomb.docx": zip_bomb(60),
        "lying-zip-bomb.docx": lying_zip_bomb(30),
        "entity-expansion.docx": entity_expansion(),
        "external-entity.docx": external_entity(),
        "deeply-nested.docx": deeply_nested(),
        "truncated.docx": docx_bytes(document_xml(paragraph("Kế hoạch năm 2021")))[:300],
        "spreadsheet.docx": docx_bytes("", {"xl/workbook.xml": b"<workbook/>"}).replace(
            b"word/document.xml", b"word/documenx.xml"
        ),
        # Catalogue files
        "catalogue-cp1258.csv": cp1258(good),
        "catalogue-utf16.csv": good.replace(",", "\t").encode("utf-16"),
        "catalogue-semicolon.csv": csv_text(GOOD_ROWS, sep=";").encode("utf-8"),
        "catalogue-bom.csv": ("\ufeff" + good).encode("utf-8"),
        "catalogue-missing-columns.csv": csv_text(
            GOOD_ROWS, columns=["id", "symbol", "title"]
        ).encode("utf-8"),
        "catalogue-impossible-dates.csv": csv_text(
            [dict(GOOD_ROWS[0], issued="2013-02-30"), dict(GOOD_ROWS[1], issued="31/13/2020")]
        ).encode("utf-8"),
        "catalogue-formula.csv": csv_text(
            [
                dict(GOOD_ROWS[0], id="=cmd|' /C calc'!A0"),
                dict(GOOD_ROWS[1], title='=HYPERLINK("http://x.invalid","bấm vào đây")'),
            ]
        ).encode("utf-8"),
        "catalogue-duplicates.csv": csv_text([GOOD_ROWS[0], GOOD_ROWS[0], GOOD_ROWS[1]]).encode(
            "utf-8"
        ),
        "catalogue-empty.csv": b"",
        "catalogue-random.csv": bytes(rnd.getrandbits(8) for _ in range(2048)),
        # Plan files
        "plan-not-json.json": "Kế hoạch năm 2021 — không phải JSON\n".encode(),
        "plan-empty.json": b"",
        "plan-wrong-shape.json": b'[{"schema_version": 1}]',
        "plan-wrong-field.json": json.dumps(
            {"schema_version": 1, "meta": {"year": "hai nghìn"}, "sections": {}}
        ).encode(),
        "plan-future-schema.json": json.dumps(
            {"schema_version": 99, "meta": {"year": 2030}}
        ).encode(),
        "plan-nested-sections.json": plan_nested_sections(),
        "plan-nested-json.json": plan_nested_json(),
        "plan-binary.json": bytes(rnd.getrandbits(8) for _ in range(1024)),
    }


def main() -> None:
    for name, data in fixtures().items():
        assert len(data) < 200 * 1024, f"{name} is too big to commit ({len(data)} bytes)"
        (HERE / name).write_bytes(data)
    print(f"wrote {len(fixtures())} files to {HERE}")


if __name__ == "__main__":
    main()
