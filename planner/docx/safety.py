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
import zipfile
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
