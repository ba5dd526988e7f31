"""Safety findings (*nguy cơ an toàn*) beside the ND30 formatting findings of `check-docx`.

`hostile(removed)` reports what `planner.docx.safety.clean_docx` removed from in someone's Word
file: macros, attached templates and links that reach outside the file, altChunk, embedded
objects and fields that fetch (INCLUDETEXT, INCLUDEPICTURE, LINK, DDE). `hidden_text(ctx)`
reports bidi controls and invisible format characters in the text (`planner.text.clean`).
Each kind is one finding whose rule is `R_SAFETY`. It may import `planner.docx.safety`,
`planner.nd30.context`, `planner.nd30.findings` and `planner.text`.
"""

from __future__ import annotations

from planner.docx.safety import KIND_LABELS, WEB_PREFIXES, Removal
from planner.nd30.context import CheckContext
from planner.nd30.findings import Finding
from planner.nd30.reader import Para
from planner.text.clean import hidden_characters

R_SAFETY = "Nguy cơ an toàn"

_ADVICE = {
    "macro": "tệp có thể chạy mã khi mở; đừng bật macro, hãy lưu lại dưới dạng .docx",
    "attached_template": "Word sẽ tải mẫu từ nơi khác khi mở tệp",
    "external_link": "Word có thể kết nối tới máy hoặc địa chỉ này khi mở hay khi bấm vào",
    "remote_image": "Word sẽ tải ảnh từ nơi khác khi mở tệp",
    "ole": "đối tượng có thể chạy chương trình khác khi bấm vào",
    "altchunk": "nội dung được lấy từ một tệp khác lồng bên trong, không hiện khi kiểm tra",
    "field": "trường sẽ đọc tệp hoặc chương trình khác khi cập nhật",
}


def hostile(removed: list[Removal]) -> list[Finding]:
    """One finding per kind of hostile content found in a file (`find_hostile`, or what
    `clean_docx` removed from it); none for an ordinary document."""
    by_kind: dict[str, list[str]] = {}
    for r in removed:
        if r.kind == "external_link" and r.detail.lower().startswith(WEB_PREFIXES):
            continue  # an ordinary web link in someone's document is no risk
        place = f"phần {r.part}" + (f": {r.detail}" if r.detail else "")
        by_kind.setdefault(r.kind, []).append(place)
    out = []
    for kind, places in by_kind.items():
        where = places[0]
        count = ""
        if len(places) > 1:
            where = f"{where} (và {len(places) - 1} chỗ khác)"
            count = f" ({len(places)} chỗ)"
        message = f"Tệp có {KIND_LABELS[kind]}{count}: {_ADVICE[kind]}."
        out.append(Finding(R_SAFETY, message, where))
    return out


def hidden_text(ctx: CheckContext, paras: list[Para]) -> None:
    """Report bidi controls and invisible characters (they can make the text read in another
    order than it is written, or hide words from a search)."""
    for p in paras:
        found = hidden_characters(p.text)
        if found:
            ctx.add(
                R_SAFETY,
                "Có ký tự ẩn hoặc ký tự đổi hướng chữ trong văn bản: chữ hiện ra có thể khác "
                "với nội dung thật; hãy xóa chúng",
                f"{p.label()} ({', '.join(found[:4])})",
            )
