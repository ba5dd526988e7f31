"""Text of a CSV file as spreadsheets really save it: UTF-8 with or without BOM, UTF-16
("Unicode Text" from Excel, tab-separated), or a legacy Windows code page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from planner.errors import InputFileError


@dataclass(frozen=True)
class CsvText:
    text: str
    encoding: str  # a label for people: "UTF-8", "UTF-8 (có BOM)", "UTF-16", "Windows-1258"
    note: str  # a warning for the user when the encoding was a guess, else ""


def _input_error(message: str) -> InputFileError:
    return InputFileError(message)


def decode_csv(
    data: bytes, name: str, error: Callable[[str], InputFileError] = _input_error
) -> CsvText:
    """Decode `data`; an unreadable file raises `error(message)` naming `name`."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return CsvText(data.decode("utf-16"), "UTF-16", "")
        except UnicodeDecodeError:
            raise error(f"Tệp “{name}”: tệp UTF-16 bị hỏng, không đọc được.") from None
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return CsvText(data.decode("utf-8-sig"), "UTF-8 (có BOM)", "")
        except UnicodeDecodeError:
            raise error(f"Tệp “{name}”: tệp ghi là UTF-8 nhưng có byte không hợp lệ.") from None
    try:
        return CsvText(data.decode("utf-8"), "UTF-8", "")
    except UnicodeDecodeError:
        pass
    if b"\x00" in data[:200]:
        try:
            return CsvText(data.decode("utf-16-le"), "UTF-16", "")
        except UnicodeDecodeError:
            raise error(f"Tệp “{name}”: không nhận ra bảng mã của tệp.") from None
    for encoding, label in (("cp1258", "Windows-1258"), ("cp1252", "Windows-1252")):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        note = (
            f"Tệp “{name}” không phải UTF-8; đã đọc theo bảng mã {label}. Hãy kiểm tra dấu "
            "tiếng Việt trong bản xem trước; nếu sai, lưu lại tệp dạng “CSV UTF-8” rồi tải lên."
        )
        return CsvText(text, label, note)
    raise error(f"Tệp “{name}”: không nhận ra bảng mã; hãy lưu lại dạng “CSV UTF-8”.")


def guess_delimiter(text: str) -> str:
    """The separator of the first non-empty line: tab, `;` or `,` (the most frequent)."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","
