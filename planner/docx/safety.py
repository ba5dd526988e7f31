"""Refuse unusable or hostile Word files before any parser touches them.

`check_docx_bytes(data, name)` looks at the raw bytes and the zip container, then streams
every member once with hard limits: the real unpacked size is counted as it comes (a zip
header that lies about sizes cannot make us inflate more than the limit), and every XML part
goes through a bounded, non-resolving lxml feed parser that stops at a DOCTYPE/ENTITY
declaration or at absurd nesting. Only then does `open_docx` hand the bytes to python-docx.

Every refusal is an `InputFileError` with a Vietnamese message that names the file.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from typing import Any

from lxml import etree

from planner.errors import InputFileError
from planner.text.clean import clean_line

MAX_DOCX_BYTES = 20 * 1024 * 1024
MAX_UNPACKED_BYTES = 100 * 1024 * 1024
MAX_MEMBERS = 2000
MAX_RATIO = 250  # unpacked / packed size of one member, checked for members over 1 MB
RATIO_MIN_BYTES = 1024 * 1024
MAX_XML_DEPTH = 200
CHUNK = 64 * 1024

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
MAIN_PART = "word/document.xml"

_SAVE_AS = "hãy mở bằng Word và lưu lại dưới dạng .docx"
# Markers of DTD tricks, in the encodings an XML part may use.
_DTD_MARKERS = tuple(
    m.encode(enc)
    for m in ("<!DOCTYPE", "<!doctype", "<!ENTITY", "<!entity")
    for enc in ("utf-8", "utf-16-le", "utf-16-be")
)
_OVERLAP = max(len(m) for m in _DTD_MARKERS)


def _fail(name: str, what: str) -> InputFileError:
    return InputFileError(f"Tệp “{clean_line(name)[:120]}” {what}")


def _part(info: zipfile.ZipInfo) -> str:
    """A zip member's name fit for a one-line message (a hostile name may hold anything)."""
    text = clean_line(info.filename)
    return text if len(text) <= 60 else text[:59] + "…"


class _TooDeep(Exception):
    pass


class _DepthTarget:
    """lxml parser target that only counts nesting; builds no tree."""

    __slots__ = ("depth",)

    def __init__(self) -> None:
        self.depth = 0

    def start(self, tag: str, attrib: Any) -> None:
        self.depth += 1
        if self.depth > MAX_XML_DEPTH:
            raise _TooDeep

    def end(self, tag: str) -> None:
        self.depth -= 1

    def close(self) -> None:
        return None


def _sniff(data: bytes, name: str) -> None:
    """Refuse, from the first bytes, what is clearly not a .docx."""
    if not data:
        raise _fail(name, "trống (0 byte), không có nội dung để đọc.")
    if len(data) > MAX_DOCX_BYTES:
        mb = len(data) / 1024 / 1024
        raise _fail(
            name,
            f"quá lớn ({mb:.1f} MB); chỉ nhận tệp Word đến {MAX_DOCX_BYTES // 1024 // 1024} MB.",
        )
    if data.startswith(OLE2_MAGIC):
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise _fail(
                name,
                "được đặt mật khẩu (mã hóa) nên không đọc được; "
                "hãy bỏ mật khẩu rồi lưu lại dưới dạng .docx.",
            )
        raise _fail(name, f"là tệp Word cũ (.doc); {_SAVE_AS}.")
    if data.startswith(ZIP_MAGICS):
        return
    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"{\\rtf"):
        raise _fail(name, f"là tệp RTF, không phải .docx; {_SAVE_AS}.")
    if head.startswith(b"%PDF"):
        raise _fail(name, "là tệp PDF, không phải tệp Word (.docx); hãy dùng tệp .docx gốc.")
    if head.startswith(b"<"):
        raise _fail(name, f"là tệp văn bản dạng XML/HTML, không phải .docx; {_SAVE_AS}.")
    raise _fail(name, "không phải tệp Word (.docx) hoặc đã bị hỏng.")


def _check_members(zf: zipfile.ZipFile, name: str) -> list[zipfile.ZipInfo]:
    infos = zf.infolist()
    if len(infos) > MAX_MEMBERS:
        raise _fail(
            name,
            f"có quá nhiều thành phần ({len(infos)}, tối đa {MAX_MEMBERS}); "
            "đây không phải một văn bản Word bình thường.",
        )
    names = {i.filename for i in infos}
    if MAIN_PART not in names:
        if "xl/workbook.xml" in names:
            kind = "là tệp Excel"
        elif "ppt/presentation.xml" in names:
            kind = "là tệp PowerPoint"
        elif "content.xml" in names:
            kind = "là tệp OpenDocument"
        else:
            kind = "là tệp nén (zip)"
        raise _fail(name, f"{kind}, không phải văn bản Word (.docx).")
    for info in infos:
        if info.flag_bits & 0x1:
            raise _fail(
                name,
                "có thành phần được đặt mật khẩu; hãy bỏ mật khẩu rồi lưu lại dưới dạng .docx.",
            )
    if sum(i.file_size for i in infos) > MAX_UNPACKED_BYTES:
        raise _too_big_unpacked(name)
    for info in infos:
        if info.file_size > RATIO_MIN_BYTES and info.file_size > MAX_RATIO * max(
            info.compress_size, 1
        ):
            raise _fail(
                name,
                f"có tỉ lệ nén bất thường (thành phần {_part(info)} nở ra "
                f"{info.file_size // max(info.compress_size, 1)} lần); tệp có thể là “bom nén”, "
                "không mở.",
            )
    return infos


def _too_big_unpacked(name: str) -> InputFileError:
    return _fail(
        name,
        f"khi giải nén lớn hơn {MAX_UNPACKED_BYTES // 1024 // 1024} MB; "
        "đây không phải một văn bản Word bình thường (có thể là “bom nén”).",
    )


def _has_dtd_marker(window: bytes) -> bool:
    return any(m in window for m in _DTD_MARKERS)


def _scan_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, budget: int) -> int:
    """Stream one member; return its real size. XML parts are checked on the way."""
    total = 0
    parser: etree.XMLParser | None = None
    tail = b""
    with zf.open(info) as fh:
        while True:
            chunk = fh.read(CHUNK)
            if not chunk:
                break
            total += len(chunk)
            if total > budget or total > info.file_size:
                raise _too_big_unpacked(name)
            if parser is None and total == len(chunk):
                first = chunk.lstrip(b"\xef\xbb\xbf\xff\xfe \t\r\n\x00")
                if first.startswith(b"<"):
                    parser = etree.XMLParser(
                        target=_DepthTarget(),
                        resolve_entities=False,
                        no_network=True,
                        huge_tree=False,
                        load_dtd=False,
                        dtd_validation=False,
                    )
            if parser is not None:
                if _has_dtd_marker(tail + chunk):
                    raise _fail(
                        name,
                        f"có khai báo DOCTYPE/ENTITY trong phần {_part(info)} "
                        "(kiểu tấn công “nở thực thể”); Word không tạo ra như vậy, không mở.",
                    )
                tail = chunk[-_OVERLAP:]
                _feed(parser, chunk, info, name)
    if parser is not None:
        _feed(parser, None, info, name)
    return total


def _feed(parser: etree.XMLParser, chunk: bytes | None, info: zipfile.ZipInfo, name: str) -> None:
    try:
        if chunk is None:
            parser.close()
        else:
            parser.feed(chunk)
    except _TooDeep:
        raise _too_deep(name, info) from None
    except etree.XMLSyntaxError as e:
        if "depth" in str(e).lower():
            raise _too_deep(name, info) from None
        raise _fail(
            name, f"bị hỏng: phần {_part(info)} không phải XML hợp lệ; {_SAVE_AS}."
        ) from None


def _too_deep(name: str, info: zipfile.ZipInfo) -> InputFileError:
    return _fail(
        name,
        f"có cấu trúc lồng nhau quá sâu trong phần {_part(info)} "
        f"(hơn {MAX_XML_DEPTH} cấp); đây không phải một văn bản Word bình thường, không mở.",
    )


def check_docx_bytes(data: bytes, name: str) -> None:
    """Raise InputFileError (Vietnamese, naming `name`) unless `data` is a safe .docx."""
    _sniff(data, name)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = _check_members(zf, name)
            budget = MAX_UNPACKED_BYTES
            for info in infos:
                if info.is_dir():
                    continue
                budget -= _scan_member(zf, info, name, budget)
    except InputFileError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError):
        raise _fail(name, f"bị hỏng, không giải nén được; {_SAVE_AS}.") from None
    except (NotImplementedError, RuntimeError):
        raise _fail(name, f"dùng kiểu nén hoặc mã hóa không được hỗ trợ; {_SAVE_AS}.") from None


def open_docx(data: bytes, name: str) -> Any:
    """Check `data` with `check_docx_bytes`, then open it with python-docx.

    Returns a `docx.document.Document`. Anything python-docx still refuses (a .docm, a
    template, a broken part) becomes an InputFileError too.
    """
    check_docx_bytes(data, name)
    import docx  # late: keeps `import planner` light

    try:
        return docx.Document(io.BytesIO(data))
    except ValueError as e:
        if "content type" in str(e):
            raise _fail(
                name,
                "không phải văn bản Word thông thường (có thể là tệp mẫu .dotx hoặc tệp có "
                f"macro .docm); {_SAVE_AS}.",
            ) from None
        raise _fail(name, f"bị hỏng, không đọc được; {_SAVE_AS}.") from None
    except (KeyError, zipfile.BadZipFile, etree.XMLSyntaxError, AttributeError, TypeError):
        raise _fail(name, f"bị hỏng, không đọc được; {_SAVE_AS}.") from None


# ---------------------------------------------------------------- hostile content

# What a Word file may hold that reaches outside it or runs code, and what the user reads
# about it (one line per kind).
KIND_LABELS = {
    "macro": "mã macro (VBA)",
    "attached_template": "mẫu đính kèm (attachedTemplate) trỏ ra ngoài tệp",
    "external_link": "liên kết tới tệp hoặc địa chỉ bên ngoài",
    "remote_image": "ảnh lấy từ bên ngoài tệp",
    "ole": "đối tượng nhúng (OLE, ActiveX)",
    "altchunk": "nội dung chèn từ tệp khác (altChunk)",
    "field": "trường tự lấy dữ liệu từ ngoài (INCLUDETEXT, INCLUDEPICTURE, LINK, DDE)",
}

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PR = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
_DOC_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
# Main-part content types python-docx refuses that only differ by macros or being a template.
_OTHER_MAINS = (
    "application/vnd.ms-word.document.macroEnabled.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
)
_MACRO_TYPES = ("vbaProject", "vbaData", "keyMapCustomizations", "wordVbaData")
_FETCHING_FIELD = re.compile(
    r"^\s*(INCLUDETEXT|INCLUDEPICTURE|INCLUDE|LINK|DDEAUTO|DDE|IMPORT)\b", re.I
)
WEB_PREFIXES = ("http://", "https://", "mailto:")


@dataclass(frozen=True)
class Removal:
    """One hostile thing found in a Word file: its kind (`KIND_LABELS`), part and detail."""

    kind: str
    part: str
    detail: str = ""

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]


def removal_lines(removals: list[Removal], name: str) -> list[str]:
    """One Vietnamese line per kind of removed content, naming the file."""
    counts: dict[str, int] = {}
    for r in removals:
        counts[r.kind] = counts.get(r.kind, 0) + 1
    file = clean_line(name)[:120]
    return [
        f"Lưu ý: đã bỏ {KIND_LABELS[k]} khỏi tệp mẫu “{file}” ({n} chỗ); "
        "văn bản xuất ra không mang theo phần này."
        for k, n in counts.items()
    ]


def _rel_kind(rel_type: str, external: bool, target: str) -> str | None:
    """The `KIND_LABELS` key of a relationship to remove, or None to keep it."""
    tail = rel_type.rsplit("/", 1)[-1]
    if tail in _MACRO_TYPES:
        return "macro"
    if tail == "attachedTemplate":
        return "attached_template"
    if tail in ("oleObject", "package", "control", "activeXControlBinary"):
        return "ole"
    if tail == "aFChunk":
        return "altchunk"
    if external:
        return "remote_image" if tail == "image" else "external_link"
    return None


def _rels_source(rels_part: str) -> str:
    """`word/_rels/document.xml.rels` → `word/document.xml`."""
    folder, _, base = rels_part.rpartition("_rels/")
    return folder + base[: -len(".rels")]


def _resolve(source: str, target: str) -> str:
    """The zip member a relative relationship target names."""
    if target.startswith("/"):
        return target.lstrip("/")
    parts = source.split("/")[:-1]
    for piece in target.split("/"):
        if piece == "..":
            if parts:
                parts.pop()
        elif piece and piece != ".":
            parts.append(piece)
    return "/".join(parts)


def _xml(data: bytes) -> Any:
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.fromstring(data, parser)


def _blank_fields(root: Any, part: str, found: list[Removal]) -> bool:
    """Neutralise fields that fetch: a fldSimple is replaced by its result, a complex field's
    instruction is emptied. True when anything changed."""
    changed = False
    for fld in list(root.iter(f"{{{_W}}}fldSimple")):
        instr = fld.get(f"{{{_W}}}instr") or ""
        if _FETCHING_FIELD.match(instr):
            found.append(Removal("field", part, clean_line(instr)[:60]))
            parent = fld.getparent()
            if parent is not None:
                i = parent.index(fld)
                for j, child in enumerate(list(fld)):
                    parent.insert(i + j, child)
                parent.remove(fld)
            changed = True
    stack: list[list[Any]] = []
    for el in root.iter(f"{{{_W}}}fldChar", f"{{{_W}}}instrText"):
        if el.tag == f"{{{_W}}}instrText":
            if stack:
                stack[-1].append(el)
            continue
        kind = el.get(f"{{{_W}}}fldCharType")
        if kind == "begin":
            stack.append([])
        elif kind in ("separate", "end") and stack:
            instrs = stack[-1]
            text = "".join(x.text or "" for x in instrs)
            if instrs and _FETCHING_FIELD.match(text):
                found.append(Removal("field", part, clean_line(text)[:60]))
                for x in instrs:
                    x.text = ""
                changed = True
            stack[-1] = []
            if kind == "end":
                stack.pop()
    return changed


def _clean_part(root: Any, part: str, dropped_ids: set[str], found: list[Removal]) -> bool:
    """Remove altChunk, embedded objects, attached templates, fetching fields and references
    to dropped relationships from one XML part. True when anything changed."""
    changed = False
    for tag, kind in (
        (f"{{{_W}}}altChunk", "altchunk"),
        (f"{{{_W}}}object", "ole"),
        (f"{{{_W}}}control", "ole"),
        (f"{{{_W}}}attachedTemplate", "attached_template"),
    ):
        for el in list(root.iter(tag)):
            if not any(f.kind == kind and f.part == part for f in found):
                found.append(Removal(kind, part))
            parent = el.getparent()
            if parent is not None:
                parent.remove(el)
                changed = True
    if _blank_fields(root, part, found):
        changed = True
    if dropped_ids:
        for el in root.iter():
            for key in [k for k in el.attrib if k.startswith(f"{{{_R}}}")]:
                if el.attrib[key] in dropped_ids:
                    del el.attrib[key]
                    changed = True
    return changed


def find_hostile(data: bytes, name: str) -> list[Removal]:
    """What `clean_docx` would remove from a Word file, without changing it."""
    return _clean(data, name)[1]


def clean_docx(data: bytes, name: str) -> tuple[bytes, list[Removal]]:
    """A copy of a (checked) Word file without macros, external relationships of any kind,
    attached templates, altChunk, embedded objects and fields that fetch; and what was removed.
    The same bytes come back when there was nothing to remove."""
    return _clean(data, name)


def _clean(data: bytes, name: str) -> tuple[bytes, list[Removal]]:
    check_docx_bytes(data, name)
    found: list[Removal] = []
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = [i for i in zf.infolist() if not i.is_dir()]
            parts = {i.filename: zf.read(i) for i in infos}
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, RuntimeError):
        raise _fail(name, f"bị hỏng, không giải nén được; {_SAVE_AS}.") from None
    new: dict[str, bytes | None] = {}  # member → new bytes (None: dropped)
    dropped_ids: dict[str, set[str]] = {}  # source part → relationship ids removed
    try:
        for member, raw in parts.items():
            if not member.endswith(".rels"):
                continue
            root = _xml(raw)
            source = _rels_source(member)
            changed = False
            for rel in list(root):
                rel_type = rel.get("Type") or ""
                target = rel.get("Target") or ""
                external = (rel.get("TargetMode") or "").lower() == "external"
                kind = _rel_kind(rel_type, external, target)
                if kind is None:
                    continue
                found.append(Removal(kind, source, clean_line(target)[:80]))
                dropped_ids.setdefault(source, set()).add(rel.get("Id") or "")
                root.remove(rel)
                changed = True
                if not external:
                    new[_resolve(source, target)] = None
            if changed:
                new[member] = etree.tostring(
                    root, xml_declaration=True, encoding="UTF-8", standalone=True
                )
        for member in parts:
            low = member.lower()
            if low.endswith("vbaproject.bin") or low.endswith("vbadata.xml"):
                if member not in new:
                    found.append(Removal("macro", member))
                new[member] = None
        for member in parts:
            if member.endswith(".rels") and new.get(_rels_source(member), b"") is None:
                new[member] = None  # the relationships of a dropped part go with it
        for member, raw in parts.items():
            if not member.endswith(".xml") or not member.startswith("word/"):
                continue
            if new.get(member, b"") is None:
                continue
            root = _xml(new.get(member) or raw)
            if _clean_part(root, member, dropped_ids.get(member, set()), found):
                new[member] = etree.tostring(
                    root, xml_declaration=True, encoding="UTF-8", standalone=True
                )
        ct = parts.get("[Content_Types].xml")
        if ct is not None:
            root = _xml(ct)
            changed = False
            for el in list(root):
                ctype = el.get("ContentType") or ""
                part_name = (el.get("PartName") or "").lstrip("/")
                if ctype in _OTHER_MAINS:
                    if "macroEnabled" in ctype:
                        found.append(Removal("macro", part_name or "[Content_Types].xml"))
                    el.set("ContentType", _DOC_MAIN)
                    changed = True
                elif (
                    "vbaProject" in ctype
                    or "vbaData" in ctype
                    or (part_name and part_name in new and new[part_name] is None)
                ):
                    root.remove(el)
                    changed = True
            if changed:
                new["[Content_Types].xml"] = etree.tostring(
                    root, xml_declaration=True, encoding="UTF-8", standalone=True
                )
    except etree.XMLSyntaxError:
        raise _fail(name, f"bị hỏng: có phần không phải XML hợp lệ; {_SAVE_AS}.") from None
    if not new:
        return data, found
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zw:
        for info in infos:
            member = info.filename
            if member in new and new[member] is None:
                continue
            body = new.get(member) or parts[member]
            zw.writestr(member, body)
    return out.getvalue(), found
