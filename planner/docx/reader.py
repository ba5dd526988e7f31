"""Last year's plan from Word: a .docx as staff really make it → plan format v1.

The file is first checked by `planner.docx.safety` (nothing hostile reaches a parser), then
opened with python-docx only to reach its parts. `planner.docx.body` reads the body from the
XML itself (every `w:t`, whatever wraps it) and puts in front of each numbered paragraph the
label Word shows, computed from numbering.xml by `planner.docx.word_numbering`.

The reader is a small state machine over the body's paragraphs and tables:
header → `KẾ HOẠCH` + trích yếu → Căn cứ → preamble → sections → closing → Nơi nhận + signer.
It never drops text: whatever it does not recognise lands as a paragraph in the nearest
section (or the preamble) and is reported in `ImportResult.warnings`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from planner.docx.body import BodyReader, Item, Para, Table
from planner.docx.safety import open_docx
from planner.errors import DocxImportError
from planner.model import (
    MAX_HEADER_ROWS,
    MAX_SECTION_DEPTH,
    Appendix,
    Base,
    Block,
    Meta,
    Plan,
    Section,
    Signer,
    Task,
)
from planner.text.clean import clean_line
from planner.text.dates import make_date
from planner.text.fold import fold_start


@dataclass(frozen=True)
class ImportResult:
    plan: Plan
    warnings: tuple[str, ...] = ()
    # lines the reader could not place, quoted as the file has them (also in `warnings`)
    not_understood: tuple[str, ...] = ()
    # generated parts recognised and not imported as content (a chart Phụ lục...)
    skipped: tuple[str, ...] = ()


# ---------------------------------------------------------------- recognising lines

_ROMAN = r"(?:X{0,3})(?:IX|IV|V?I{0,3})"
_RE_ROMAN = re.compile(rf"^({_ROMAN})\s*(?:[./)]|-(?=\s))\s*(\S.*)$", re.S)
_RE_MULTI = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){1,5})(?:\.\s*|\s+(?=[^\W\d_a-zđ]))(\S.*)$", re.S)
_RE_DECIMAL = re.compile(r"^(\d{1,2})\s*(?:\.(?!\d)|\)|/(?!\d)|-(?=\s))\s*(\S.*)$", re.S)
_RE_LETTER = re.compile(r"^([a-zđ])(?:\)|/|\.\s)\s*(\S.*)$", re.S)
_RE_DASH = re.compile(r"^[-–—•·∙▪◦●■□❖➢►✓]\s*(\S.*)$", re.S)
_RE_PLUS = re.compile(r"^\+\s*(\S.*)$", re.S)
_RE_NUMBER = re.compile(r"^Số\s*:?\s*([0-9]*)\s*[./…_ ]*\s*/\s*(.*)$", re.I)
_RE_NUMBER_ONLY = re.compile(r"^Số\s*:\s*(.*)$", re.I)
_RE_DATE = re.compile(
    r"^(?P<place>[^,]*?)\s*,\s*ngày\s*(?P<d>\d{1,2})?[\s.…_/]*tháng\s*(?P<m>\d{1,2})?[\s.…_/]*"
    r"năm\s*(?P<y>\d{4})\s*\.?$",
    re.I,
)
_RE_RULE = re.compile(r"^\s*[-_–—=~*]{3,}[\s\-_–—=~*]*$")  # a rule typed as text
_RE_PREFIX = re.compile(r"^(KT|TM|TL|TUQ|Q)\s*\.\s*(.*)$")
_RE_PLACEHOLDER = re.compile(r"^\((?=.*\bký\b).*\)$|^\(?\s*đã\s+ký\.?\s*\)?$", re.I | re.S)
_AGENCY_HEADS = (
    "ubnd",
    "uy ban",
    "so ",
    "phong ",
    "truong ",
    "bo ",
    "trung tam",
    "ban ",
    "hoi dong",
    "dang uy",
    "cong doan",
    "doan ",
    "chi bo",
    "thanh uy",
    "tinh uy",
    "huyen uy",
    "cuc ",
    "vien ",
    "van phong",
    "hdnd",
    "hoi ",
)
_RE_YEAR = re.compile(r"năm\s+(?:học\s+)?((?:19|20)\d{2})", re.I)
_RE_ANY_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")


def _is_upper(s: str) -> bool:
    letters = [c for c in s if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def _is_quoc_hieu(s: str) -> bool:
    return fold_start(s).startswith("cong hoa xa hoi chu nghia")


def _is_tieu_ngu(s: str) -> bool:
    f = fold_start(s).replace(" ", "")
    return f.startswith("doclap-tudo")


# The document types an office issues with a title line, by the folded title word and by the
# symbol's type part (`932/KH-PGDĐT`). A công văn has no title line and a symbol without one.
DOC_TYPES = {
    "ke hoach": "KẾ HOẠCH",
    "bao cao": "BÁO CÁO",
    "quyet dinh": "QUYẾT ĐỊNH",
    "to trinh": "TỜ TRÌNH",
    "thong bao": "THÔNG BÁO",
    "huong dan": "HƯỚNG DẪN",
    "chuong trinh": "CHƯƠNG TRÌNH",
}
SYMBOL_TYPES = {
    "KH": "KẾ HOẠCH",
    "BC": "BÁO CÁO",
    "QĐ": "QUYẾT ĐỊNH",
    "TTR": "TỜ TRÌNH",
    "TB": "THÔNG BÁO",
    "HD": "HƯỚNG DẪN",
    "CTR": "CHƯƠNG TRÌNH",
}
_SYMBOL_AGENCIES = ("UBND", "SGDĐT", "PGDĐT", "SGD", "PGD", "VP", "BCĐ", "HĐND")


def symbol_type(symbol: str) -> str | None:
    """The document type a symbol names (`45/KH-UBND` → KẾ HOẠCH); "CÔNG VĂN" for a symbol
    made of agency parts only (`125/UBND-VX`); None when unknown or empty."""
    head = re.split(r"[-/]", symbol.strip().lstrip("/"))[0].upper() if symbol.strip() else ""
    if not head:
        return None
    if head in SYMBOL_TYPES:
        return SYMBOL_TYPES[head]
    if head in _SYMBOL_AGENCIES or head.startswith(("UBND", "SGD", "PGD", "BGD")):
        return "CÔNG VĂN"
    return None


def _title_type(text: str) -> str | None:
    f = fold_start(text)
    for key, name in DOC_TYPES.items():
        if f == key or f.startswith(key + " "):
            return name
    return None


def _is_title(s: str) -> bool:
    f = re.sub(r"\s+", " ", s).strip().rstrip(":").strip()
    return _is_upper(f) and _title_type(f) is not None and len(f) <= 60


def _title_parts(line: str) -> tuple[str, str] | None:
    """(`KẾ HOẠCH`, subject on the same line or "") when `line` is the title line."""
    if _is_title(line):
        return line, ""
    words = line.split()
    if (
        len(words) > 2
        and _title_type(" ".join(words[:2])) is not None
        and _is_upper(" ".join(words[:2]))
    ):
        rest = " ".join(words[2:]).lstrip(":-– ").strip()
        if rest and not _is_upper(rest):
            return " ".join(words[:2]), rest
    return None


def _is_base(s: str) -> bool:
    f = fold_start(re.sub(r"^[-–•+]\s*", "", s))
    return f.startswith(("can cu", "thuc hien"))


def _is_basis(item: Para) -> bool:
    """A Căn cứ line: `Căn cứ …`, or `Thực hiện …` set in italics as Căn cứ are (an upright
    `Thực hiện Chỉ thị…` opens the text: it is the preamble)."""
    f = fold_start(re.sub(r"^[-–•+]\s*", "", item.text))
    return f.startswith("can cu") or (f.startswith("thuc hien") and item.italic)


def _is_appendix_title(item: Para) -> bool:
    f = fold_start(item.text)
    return (
        (f.startswith("phu luc") or re.match(r"bieu( so)? ?\d", f) is not None)
        and len(item.text) <= 80
        and (item.bold or item.center)
    )


_RE_RECIPIENTS = re.compile(r"^\s*N[ơo]i\s+nh[ậa]n\b", re.I)


def _is_recipients_label(s: str) -> bool:
    """`Nơi nhận` (or typed without its marks); not another word folding alike (`Nội nhận`)."""
    return _RE_RECIPIENTS.match(s) is not None


def _is_closing_start(s: str) -> bool:
    return fold_start(s).startswith("tren day la")


def _heading(text: str) -> tuple[str, str, str] | None:
    """(style key, number, title) when `text` opens with a typed section label."""
    first = text.strip()
    m = _RE_ROMAN.match(first)
    if m and m.group(1):
        return "roman", m.group(1), m.group(2)
    m = _RE_MULTI.match(first)
    if m:
        depth = m.group(1).count(".") + 1
        return f"decimal{depth}", m.group(1), m.group(2)
    m = _RE_DECIMAL.match(first)
    if m:
        return "decimal", m.group(1), m.group(2)
    m = _RE_LETTER.match(first)
    if m:
        return "letter", m.group(1), m.group(2)
    return None


_RE_BLANK_BEFORE = re.compile(r"(Số\s*:?|ngày|tháng)$", re.I)
_RE_BLANK_AFTER = re.compile(r"^(/|tháng|năm)", re.I)


def _columns(line: str) -> list[str]:
    """A line's columns: apart at tabs or at 3+ spaces, except a draft's blanks.

    `Số:      /KH-PGDĐT` and `ngày      tháng      năm 2021` keep their blanks.
    """
    parts: list[str] = []
    for part in re.split(r"\t+|\s{3,}", line):
        part = part.strip()
        if not part:
            continue
        if parts and (_RE_BLANK_BEFORE.search(parts[-1]) or _RE_BLANK_AFTER.match(part)):
            parts[-1] = f"{parts[-1]}      {part}"
        else:
            parts.append(part)
    return parts


def _lines(text: str) -> list[str]:
    """Header/closing lines: manual breaks and side-by-side columns apart."""
    out = []
    for line in text.split("\n"):
        for part in _columns(line):
            part = part.strip()
            if part:
                out.append(part)
    return out


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", clean_line(text)).strip()


# ---------------------------------------------------------------- building the plan


@dataclass
class _SecBuilder:
    key: str
    number: str
    title: str
    blocks: list[Block] = field(default_factory=list)
    children: list[_SecBuilder] = field(default_factory=list)

    def build(self) -> Section:
        return Section(
            number=self.number,
            title=self.title,
            blocks=tuple(self.blocks),
            children=tuple(c.build() for c in self.children),
        )


class _Builder:
    def __init__(self, name: str) -> None:
        self.name = name
        self.warnings: list[str] = []
        self.parent_lines: list[tuple[str, bool]] = []
        self.number = ""
        self.symbol = ""
        self.place = ""
        self.issued: date | None = None
        self.date_year = 0
        self.doc_type = "KẾ HOẠCH"
        self.title_found = False
        self.subject: list[str] = []
        self.subtitles: list[str] = []
        self.issued_month = 0
        self.appendices: list[Appendix] = []
        self.unknown: list[str] = []
        self.skipped: list[str] = []
        self.bases: list[str] = []
        self.preamble: list[str] = []
        # tables before the first section, each with how many Căn cứ lines and preamble
        # paragraphs stand before it (`Plan.preamble_tables`)
        self.preamble_tables: list[tuple[int, Block]] = []
        self.roots: list[_SecBuilder] = []
        self.stack: list[_SecBuilder] = []
        self.closing: list[str] = []
        self.recipients: list[str] = []
        self.signer_lines: list[str] = []
        self.recipients_open = False  # just after `Nơi nhận:` in paragraphs
        self.kinh_gui_open = False  # just after `Kính gửi:` typed as paragraphs
        self.orient: list[bool] = []  # per body item: whether its page is landscape
        self.at = 0  # the body item being read

    def warn(self, text: str) -> None:
        self.warnings.append(text)

    # -- header
    def header_line(self, line: str, bold: bool) -> None:
        if _RE_RULE.match(line) or _is_quoc_hieu(line) or _is_tieu_ngu(line):
            return
        if fold_start(line).lstrip("( ").startswith("du thao"):
            self.warn(f"Văn bản có dấu “{line}”: đây là bản dự thảo (dòng này không đưa vào).")
            return
        m = _RE_NUMBER.match(line)
        if m:
            self.number = m.group(1)
            self.symbol = re.sub(r"\s+", "", m.group(2))
            return
        m = _RE_NUMBER_ONLY.match(line)
        if m:
            self.symbol = re.sub(r"\s+", "", m.group(1))
            return
        m = _RE_DATE.match(line)
        if m:
            self.place = _one_line(m.group("place"))
            y = int(m.group("y"))
            self.date_year = y
            if m.group("d") and m.group("m"):
                self.issued = make_date(y, int(m.group("m")), int(m.group("d")))
                if self.issued is None:
                    self.warn(f"Ngày ban hành “{line}” không hợp lệ; đã để trống ngày.")
            elif m.group("m") and 1 <= int(m.group("m")) <= 12:
                self.issued_month = int(m.group("m"))  # a draft: the month without the day
            return
        if _is_upper(line) and len(line) <= 120:
            self.parent_lines.append((line, bold))
            return
        self.warn(f"Dòng “{line}” ở phần đầu văn bản không nhận ra; đã đưa vào lời mở đầu.")
        self.unknown.append(line)
        self.preamble.append(line)

    def authorities(self) -> tuple[str, str]:
        """(cơ quan chủ quản, cơ quan ban hành) from the header's upper-case lines.

        ND30 sets the issuing body in bold and its parent upright: when the lines say so,
        that decides. Otherwise a line that opens with an agency word (UBND, SỞ, PHÒNG,
        TRƯỜNG...) starts a new agency, other lines continue the one above (a long name on
        two lines); the last agency is the issuing one.
        """
        lines = self.parent_lines
        if not lines:
            return "", ""
        bold = [t for t, b in lines if b]
        plain = [t for t, b in lines if not b]
        if bold and plain and lines[-1][1]:
            return _one_line(" ".join(plain)), _one_line(" ".join(bold))
        groups: list[list[str]] = []
        for text, _ in lines:
            if not groups or fold_start(text).startswith(_AGENCY_HEADS):
                groups.append([text])
            else:
                groups[-1].append(text)
        authority = _one_line(" ".join(groups[-1]))
        parent = _one_line(" ".join(" ".join(g) for g in groups[:-1]))
        return parent, authority

    # -- sections
    def add_heading(self, key: str, number: str, title: str) -> bool:
        """Open a section numbered `number` as the source labels it (never made up); False
        when it would be nested too deep."""
        keys = [s.key for s in self.stack]
        if key in keys:
            depth = keys.index(key)
        else:
            depth = len(self.stack)
        if depth >= MAX_SECTION_DEPTH:
            return False
        del self.stack[depth:]
        sec = _SecBuilder(key, number, _one_line(title))
        (self.stack[-1].children if self.stack else self.roots).append(sec)
        self.stack.append(sec)
        return True

    def add_block(self, block: Block) -> None:
        if self.stack:
            self.stack[-1].blocks.append(block)
        elif block.kind == "table":
            self.preamble_tables.append((len(self.bases) + len(self.preamble), block))
        else:
            prefix = {"dash": "- ", "plus": "+ "}.get(block.kind, "")
            self.preamble.append(prefix + block.text)

    def body_text(self, text: str, spans: tuple[tuple[int, int, str], ...] = ()) -> None:
        """A body paragraph as one block (manual line breaks kept as `\n`)."""
        text = text.strip()
        if not text or self._continues(text, spans):
            return
        self.add_block(text_block(text, spans))

    def _continues(self, text: str, spans: tuple[tuple[int, int, str], ...] = ()) -> bool:
        """Join a paragraph broken mid-sentence (Enter instead of nothing) to the one above.

        Only when the block above ends open (a letter, digit or comma) and this text starts
        with a lower-case letter or a digit, the way no new paragraph of a plan starts.
        """
        if not self.stack or not self.stack[-1].blocks or not text:
            return False
        last = self.stack[-1].blocks[-1]
        if last.kind == "table" or not last.text:
            return False
        end, start = last.text[-1], text[0]
        if not (end.isalnum() or end == ",") or not (start.islower() or start.isdigit()):
            return False
        shift = len(last.text) + 1
        emphasis = last.emphasis + tuple((a + shift, b + shift, st) for a, b, st in spans)
        self.stack[-1].blocks[-1] = replace(last, text=f"{last.text} {text}", emphasis=emphasis)
        self.warn(
            f"Đoạn “{_short(text, 40)}” tiếp nối câu của đoạn trên (ngắt đoạn giữa câu); "
            "đã nối hai đoạn lại."
        )
        return True

    # -- signer
    def signer(self) -> Signer:
        lines = []
        for line in self.signer_lines:
            if _RE_PLACEHOLDER.match(line):
                self.warn(f"Bỏ qua dòng “{line}” ở chỗ ký (không phải nội dung kế hoạch).")
                continue
            lines.append(line)
        if not lines:
            return Signer()
        all_lines = list(lines)
        prefix, position = "", ""
        m = _RE_PREFIX.match(lines[0])
        if m:
            prefix, position = f"{m.group(1)}.", m.group(2).strip()
            lines = lines[1:]
            if not position and lines and _is_upper(lines[0]):
                position = lines.pop(0)
        uppers: list[str] = []
        while lines and _is_upper(lines[0]):
            uppers.append(lines.pop(0))
        if not position and uppers:
            position = uppers.pop(0)
        name = ""
        if lines:
            name = lines.pop(0)
        elif uppers and (len(uppers) >= 2 or not prefix):
            name = uppers.pop()
        deputy = " ".join(uppers)
        for extra in lines:
            self.warn(f"Dòng “{extra}” ở chỗ ký không nhận ra; đã đưa vào phần kết.")
            self.unknown.append(extra)
            self.closing.append(extra)
        if name:
            written = all_lines[: all_lines.index(name)]
        else:
            written = all_lines[: len(all_lines) - len(lines)]
        head = f"{prefix} {position}".strip()
        derived = [x for x in (head, deputy) if x]
        kept = tuple(written) if written != derived else ()
        return Signer(prefix, position, deputy, name, lines=kept)

    def plan(self) -> Plan:
        parent, authority = self.authorities()
        subject = _one_line(" ".join(self.subject))
        year = 0
        m = _RE_YEAR.search(subject) or _RE_ANY_YEAR.search(subject)
        if m:
            year = int(m.group(1))
        elif self.issued:
            year = self.issued.year
        elif self.date_year:
            year = self.date_year
        else:
            self.warn("Không tìm thấy năm của kế hoạch (trong trích yếu hoặc ngày ban hành).")
        signer = self.signer()
        sections = [sec.build() for sec in self.roots]
        tasks = _schedule_tasks(sections)
        if tasks:
            self.warn(
                f"Bảng “Tiến độ thực hiện” đã được đọc thành {len(tasks)} công việc "
                "(xem ở trang Tiến độ)."
            )
        return Plan(
            meta=Meta(
                parent_authority=parent,
                authority=authority,
                number=self.number,
                symbol=self.symbol,
                place=self.place,
                issued=self.issued,
                year=year,
                doc_type=self.doc_type,
                subject=subject,
                subtitles=tuple(_one_line(x) for x in self.subtitles),
                issued_month=self.issued_month if self.issued is None else 0,
            ),
            bases=tuple(Base(b) for b in self.bases),
            preamble=tuple(self.preamble),
            sections=tuple(sections),
            closing=tuple(self.closing),
            recipients=tuple(self.recipients),
            signer=signer,
            tasks=tuple(tasks),
            appendices=tuple(self.appendices),
            preamble_tables=tuple(self.preamble_tables),
        )


_SCHEDULE_COLUMNS = ("thoi gian", "noi dung", "chu tri", "phoi hop")
_RE_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")


def _schedule_tasks(sections: list[Section]) -> list[Task]:
    """The *Tiến độ thực hiện* section (a table Thời gian | Nội dung | Chủ trì | Phối hợp and
    nothing else, as the exporter writes it) becomes the plan's tasks; the section is removed
    from `sections` only when every row could be read."""
    for i, sec in enumerate(sections):
        if fold_start(sec.title) != "tien do thuc hien" or sec.children or len(sec.blocks) != 1:
            continue
        table = sec.blocks[0]
        if table.kind != "table" or len(table.rows) < 2 or len(table.rows[0]) != 4:
            continue
        header = [fold_start(c) for c in table.rows[0]]
        if not all(
            h.startswith(c) or c in h for h, c in zip(header, _SCHEDULE_COLUMNS, strict=True)
        ):
            continue
        tasks = []
        for n, row in enumerate(table.rows[1:], start=1):
            if len(row) != 4 or not row[1].strip():
                return []
            try:
                start, due = _schedule_dates(row[0])
            except ValueError:  # a date that is not a real day: keep the table as it is
                return []
            if start and due and due < start:
                return []
            support = tuple(x.strip() for x in re.split(r"[;\n]", row[3]) if x.strip())
            tasks.append(
                Task(
                    id=f"t{n}",
                    title=_one_line(row[1]),
                    lead=_one_line(row[2]),
                    support=support,
                    start=start,
                    due=due,
                )
            )
        del sections[i]
        return tasks
    return []


def _schedule_dates(cell: str) -> tuple[date | None, date | None]:
    """Dates of a Thời gian cell: `d/m/y - d/m/y`, `Trước ngày d/m/y`, `Từ ngày d/m/y`, `d/m/y`
    or none (`Thường xuyên`, `Cả năm`); ValueError for anything else with digits."""
    found = [
        date(int(m.group(3)), int(m.group(2)), int(m.group(1))) for m in _RE_DMY.finditer(cell)
    ]
    folded = fold_start(cell)
    if len(found) > 2 or (not found and re.search(r"\d", cell)):
        raise ValueError(cell)
    if len(found) == 2:
        return found[0], found[1]
    if len(found) == 1:
        if folded.startswith("truoc"):
            return None, found[0]
        if folded.startswith("tu "):
            return found[0], None
        return found[0], found[0]
    return None, None


def text_block(text: str, spans: tuple[tuple[int, int, str], ...] = ()) -> Block:
    """A body paragraph's block: `+ ` and `- ` items by their mark, with the emphasis spans
    moved with the text."""
    for kind, rx in (("plus", _RE_PLUS), ("dash", _RE_DASH)):
        m = rx.match(text)
        if m:
            body = m.group(1).rstrip()
            cut = m.start(1)
            moved = tuple(
                (max(a - cut, 0), min(b - cut, len(body)), st)
                for a, b, st in spans
                if b - cut > 0 and a - cut < len(body)
            )
            return Block(kind, body, emphasis=moved)
    return Block("paragraph", text, emphasis=spans)


def _read(items: list[Item], name: str, orient: list[bool] | None = None) -> _Builder:
    b = _Builder(name)
    b.orient = orient or [False] * len(items)
    # 1. header: everything before the `KẾ HOẠCH` line
    title_at = None
    for i, item in enumerate(items[:80]):
        if isinstance(item, Para) and item.text and _title_parts(item.text.split("\n")[0]):
            title_at = i
            break
    pos = 0
    if title_at is None:
        b.warn(
            f"Không tìm thấy dòng tiêu đề “KẾ HOẠCH” trong tệp “{name}”; "
            "hãy kiểm tra lại phần đầu và trích yếu."
        )
        while pos < len(items) and _looks_like_header(items[pos]):
            _header_item(b, items[pos])
            pos += 1
    else:
        for item in items[:title_at]:
            _header_item(b, item)
        title = items[title_at]
        assert isinstance(title, Para)
        first, *rest = [x.strip() for x in title.text.split("\n") if x.strip()]
        doc_type, inline = _title_parts(first) or (first, "")
        words = _one_line(doc_type).rstrip(":").strip().split()
        b.doc_type = _title_type(doc_type) or " ".join(words)
        if len(words) > 2:  # `KẾ HOẠCH TỔ CHỨC HỘI THI …` in capitals: the rest is the subject
            inline = " ".join([*words[2:], inline]).strip()
        b.title_found = True
        b.subject.extend([inline, *rest] if inline else rest)
        pos = title_at + 1
        # 2. trích yếu: the next paragraph, then bold or centred continuation lines
        while pos < len(items):
            item = items[pos]
            if isinstance(item, Table):
                break
            t = item.text
            if not t:
                pos += 1
                continue
            if _RE_RULE.match(t):
                pos += 1
                if b.subject:
                    break
                continue
            if _heading(t) or _is_recipients_label(t) or _is_closing_start(t):
                break
            if (item.italic and not item.bold and item.center) or (
                item.center and t.startswith("(") and t.endswith(")")
            ):
                b.subtitles.append(t)  # `(Ban hành kèm theo …)`, an italic sub-line
                pos += 1
                continue
            emphasised = item.bold or item.center
            if b.subtitles or (
                (b.subject and (not emphasised or _is_base(t))) or (_is_base(t) and not emphasised)
            ):
                break
            b.subject.append(t)
            pos += 1
    # 3. the rest
    phase = "bases"
    for at in range(pos, len(items)):
        item = items[at]
        b.at = at
        if isinstance(item, Table):
            phase = _table_item(b, item, phase)
            continue
        text = item.text
        if not text or (_RE_RULE.match(text) and phase in ("bases", "preamble")):
            continue
        phase = _para_item(b, item, phase)
    _drop_generated(b)
    return b


def _looks_like_header(item: Item) -> bool:
    if isinstance(item, Table):
        text = "\n".join(p.text for row in item.cells for c in row for p in c)
        return _is_quoc_hieu(text) or any(_RE_NUMBER.match(x) for x in _lines(text))
    if not item.text:
        return True
    return all(
        _is_quoc_hieu(x)
        or _is_tieu_ngu(x)
        or _RE_RULE.match(x)
        or _RE_NUMBER.match(x)
        or _RE_DATE.match(x)
        or (_is_upper(x) and len(x) <= 120 and not _heading(x))
        for x in _lines(item.text)
    )


def _header_item(b: _Builder, item: Item) -> None:
    paras = (
        [p for row in item.cells for cell in row for p in cell]
        if isinstance(item, Table)
        else [item]
    )
    for p in paras:
        for line in _lines(p.text):
            b.header_line(line, p.bold)


def _para_item(b: _Builder, item: Para, phase: str) -> str:
    text = item.text
    if phase == "after":
        _after_signature(b, item)
        return phase
    if phase in ("recipients", "signer"):
        _closing_lines(b, text)
        return phase
    if _is_recipients_label(text):
        _closing_lines(b, text)
        return "recipients"
    if phase == "closing":
        if _RE_PREFIX.match(text) or (_is_upper(text) and len(text) <= 60 and item.bold):
            b.signer_lines.extend(_lines(text))
            return "signer"
        b.closing.append(text)
        return phase
    if _is_closing_start(text) or (b.stack and text.rstrip().endswith("/.")):
        # `Trên đây là…`, or the paragraph that ends the text with ND30's `./.`
        b.closing.append(text)
        return "closing"
    if phase == "bases" and _kinh_gui_para(b, text):
        return phase
    b.kinh_gui_open = False
    if phase == "bases":
        if _is_basis(item):
            # several Căn cứ typed in one paragraph with manual line breaks: one each
            for line in text.split("\n"):
                if line.strip() and (_is_base(line) or not b.bases):
                    b.bases.append(line.strip())
                elif line.strip():
                    b.bases[-1] = f"{b.bases[-1]}\n{line.strip()}"
            return phase
        phase = "preamble"
    heading = _heading(text)
    if heading is not None and heading[0] != "roman" and _is_item(item, heading[2]):
        heading = None  # `a) Label: text…` with only its label bold: a paragraph, as written
    if heading is None and item.heading:
        # A Heading style with no number typed or shown by Word (or only a bullet): the
        # reader never makes a label up, so it stays a paragraph, bold as the source has it.
        b.warn(
            f"Đoạn “{_short(text)}” có kiểu đề mục (Heading) nhưng không có số thứ tự; "
            "đã giữ thành đoạn văn như trong văn bản (không tự thêm số)."
        )
        if phase == "preamble":
            b.preamble.append(text)
            return phase
        bold = ((0, len(text), "b"),) if item.bold and text == text.strip() else ()
        b.body_text(text, item.spans or bold)
        return phase
    if heading is not None:
        key, number, title = heading
        title_line, _, rest = title.partition("\n")
        if b.add_heading(key, number, title_line):
            if rest.strip():
                b.body_text(rest.strip())
            return "sections"
        b.warn(
            f"Mục “{_short(text)}” lồng sâu hơn {MAX_SECTION_DEPTH} cấp; "
            "đã giữ thành một đoạn văn của mục bên trên."
        )
        b.add_block(Block("paragraph", text))
        return phase
    if phase == "preamble":
        b.preamble.append(text)
        return phase
    b.body_text(text, item.spans)
    return phase


def _is_item(item: Para, title: str) -> bool:
    """Whether a labelled paragraph is an item of the text rather than a heading: only part
    of it is emphasised (a bold label before normal text), or it ends as a list item does."""
    return bool(item.spans) or (not item.bold and title.rstrip().endswith(";"))


def _closing_lines(b: _Builder, text: str, *, left_column: bool = False) -> None:
    """A paragraph of the Nơi nhận list, perhaps with the signer block after tabs.

    In the signature table's left column every line is a recipient; in paragraphs a line is
    one when it has a `- ` mark, is the `Lưu` line, or follows the label and ends like a list
    item (`;`, `.`, `,`). Anything else belongs to the signer.
    """
    for raw_line in text.split("\n"):
        line = raw_line.strip()
        if not line:
            continue
        m = re.match(r"^([-–•+])\s*", line)
        marker = bool(m)
        if m:
            line = line[m.end() :]
        parts = _columns(line)
        if not parts:
            continue
        left, right = parts[0], parts[1:]
        if _is_recipients_label(left):
            rest = re.sub(r"^\s*N\S*i\s+nh\S*n\s*:?\s*", "", left, flags=re.I).strip()
            b.recipients_open = True
            if rest:
                b.recipients.append(re.sub(r"^[-–•+]\s*", "", rest))
        elif (
            left_column
            or marker
            or fold_start(left).startswith("luu")
            or (b.recipients_open and not _is_upper(left) and left.endswith((";", ".", ",")))
        ):
            b.recipients.append(left)
            if fold_start(left).startswith("luu") and not left_column:
                b.recipients_open = False
        else:
            b.signer_lines.append(left)
            b.recipients_open = False
        b.signer_lines.extend(right)


def _after_signature(b: _Builder, item: Para | None, block: Block | None = None) -> None:
    """Content after the signature: the appendices (Phụ lục, Biểu), each opened by its
    title, with the centred lines under the title as its subtitles."""
    landscape = b.orient[b.at] if b.at < len(b.orient) else False
    if item is not None and _is_appendix_title(item):
        b.appendices.append(Appendix(title=_one_line(item.text), landscape=landscape))
        return
    if not b.appendices:
        b.appendices.append(Appendix(landscape=landscape))
    last = b.appendices[-1]
    if block is None and item is not None:
        if item.center and not last.blocks and len(item.text) <= 200:
            b.appendices[-1] = replace(last, subtitles=(*last.subtitles, _one_line(item.text)))
            return
        block = text_block(item.text, item.spans)
    if block is not None:
        b.appendices[-1] = replace(last, blocks=(*last.blocks, block))


_RE_CAPTION = re.compile(r"^Hình \d+\. ")


def _drop_generated(b: _Builder) -> None:
    """The charts' Phụ lục this program writes (`Biểu đồ tiến độ thực hiện …`, images and
    `Hình N.` captions) is drawn again from the schedule at export: it is not content."""
    kept = []
    for a in b.appendices:
        if (
            fold_start(a.title) == "phu luc"
            and a.subtitles
            and fold_start(a.subtitles[0]).startswith("bieu do tien do thuc hien")
            and all(x.kind == "paragraph" and _RE_CAPTION.match(x.text) for x in a.blocks)
        ):
            b.skipped.append(
                f"Phụ lục biểu đồ tiến độ ({len(a.blocks)} hình) do chương trình tạo: "
                "không nhập lại, biểu đồ được vẽ lại từ tiến độ khi xuất."
            )
            continue
        kept.append(a)
    b.appendices = kept


def _table_block(item: Table) -> Block:
    rows = item.rows()
    header = item.header_rows
    if not header:
        for row in item.cells[:3]:
            paras = [p for cell in row for p in cell]
            if paras and all(p.bold for p in paras):
                header += 1
            else:
                break
        if header and header < len(rows) and _is_column_numbers(rows[header]):
            header += 1
        if not header and not item.no_header:
            header = 1  # a plan's table opens with its header row, bold or not
    return Block("table", "", rows, header_rows=min(header, MAX_HEADER_ROWS), merges=item.merges)


def _is_column_numbers(row: tuple[str, ...]) -> bool:
    """`(1) (2) (3)…` or `1 2 3…` across a row: the column-number row of a form."""
    values = [re.sub(r"[()\s]", "", c) for c in row if c.strip()]
    return len(values) >= 3 and all(v == str(i) for i, v in enumerate(values, start=1))


def _table_item(b: _Builder, item: Table, phase: str) -> str:
    if phase == "after":
        if any(any(c.strip() for c in r) for r in item.rows()):
            _after_signature(b, None, _table_block(item))
        return phase
    signature = any(_is_recipients_label(p.text) for row in item.cells if row for p in row[0][:1])
    if signature or phase in ("closing", "recipients", "signer"):
        for row in item.cells:
            for ci, cell in enumerate(row):
                for p in cell:
                    if ci == 0:
                        _closing_lines(b, p.text, left_column=True)
                    else:
                        b.signer_lines.extend(_lines(p.text))
        return "after"
    rows = item.rows()
    if not any(any(c.strip() for c in r) for r in rows):
        return phase
    if not b.stack:
        # A table before the first section stays a table where it stands
        # (`Plan.preamble_tables`): a `Kính gửi:` table (the Căn cứ lines may follow it), a
        # small table in the opening text.
        if is_kinh_gui(rows):
            b.add_block(Block("table", "", rows, header_rows=0, merges=item.merges))
            return phase
        paras = [p for row in item.cells for cell in row for p in cell if p.text.strip()]
        if phase == "bases" and paras and all(_is_base(p.text) for p in paras):
            # Căn cứ lines laid out in a table (to indent them): they are the Căn cứ
            b.bases.extend(p.text.strip() for p in paras)
            return phase
        b.add_block(_table_block(item))
        return "preamble"
    b.add_block(_table_block(item))
    return phase


_RE_KINH_GUI = re.compile(r"^\s*K[íi]nh\s+g[ửu]i\s*:?\s*", re.I)


def _kinh_gui_para(b: _Builder, text: str) -> bool:
    """`Kính gửi:` typed as paragraphs before the Căn cứ (the recipient on its line, or one
    `- …;` paragraph or line each after it): kept as the `Kính gửi` table block the export
    lays out (`is_kinh_gui`), so the Căn cứ after it stay Căn cứ. False for another text."""
    m = _RE_KINH_GUI.match(text)
    if m:
        lines = [x.strip() for x in text[m.end() :].split("\n") if x.strip()]
        block = Block("table", "", (("Kính gửi:", "\n".join(lines)),), header_rows=0)
        b.add_block(block)
        b.kinh_gui_open = True
        return True
    if not b.kinh_gui_open or not re.match(r"^[-–+•]\s*\S", text) or not b.preamble_tables:
        return False
    at, last = b.preamble_tables[-1]
    label, cell = last.rows[0]
    cell = "\n".join(x for x in (cell, *(y.strip() for y in text.split("\n"))) if x)
    b.preamble_tables[-1] = (at, replace(last, rows=((label, cell),)))
    return True


def is_kinh_gui(rows: tuple[tuple[str, ...], ...]) -> bool:
    """Whether a table is `Kính gửi:` laid out beside its recipients (a borderless 1×2 table,
    the label alone in its cell, the recipients one a paragraph in the other)."""
    return (
        len(rows) == 1
        and len(rows[0]) == 2
        and re.fullmatch(r"kinh gui\s*:?", fold_start(rows[0][0]).strip()) is not None
        and bool(rows[0][1].strip())
    )


def _short(text: str, n: int = 60) -> str:
    t = _one_line(text)
    return t if len(t) <= n else t[: n - 1] + "…"


def _orientations(reader: BodyReader, items: list[Item]) -> list[bool]:
    """For each body item, whether the section it is in is landscape (a paragraph holding a
    w:sectPr ends its section; the body's own w:sectPr sets the last one)."""
    out: list[bool] = [reader.last_landscape()] * len(items)
    start = 0
    for i, item in enumerate(items):
        if isinstance(item, Para) and item.section_end is not None:
            out[start : i + 1] = [item.section_end] * (i + 1 - start)
            start = i + 1
    return out


def _check_type(b: _Builder, name: str) -> None:
    """The document's type from its title line and its symbol; a công văn is refused."""
    by_symbol = symbol_type(b.symbol)
    if not b.title_found and by_symbol == "CÔNG VĂN":
        raise DocxImportError(
            f"Tệp “{name}” là một công văn (số …/{b.symbol}), không phải kế hoạch; "
            "chương trình chưa nhập công văn. Hãy chọn tệp kế hoạch."
        )
    if not b.title_found and by_symbol and by_symbol != "CÔNG VĂN":
        b.doc_type = by_symbol
    if b.doc_type != "KẾ HOẠCH":
        b.warn(
            f"Văn bản này là {b.doc_type.lower()}, không phải kế hoạch; "
            f"đã nhập với loại văn bản “{b.doc_type}”."
        )
    elif by_symbol not in (None, "KẾ HOẠCH", "CÔNG VĂN"):
        b.warn(f"Tiêu đề là “KẾ HOẠCH” nhưng số ký hiệu “{b.symbol}” là của {by_symbol.lower()}.")


def import_docx(data: bytes, name: str) -> ImportResult:
    """Read a plan from Word bytes; raises InputFileError for unusable or hostile files."""
    doc = open_docx(data, name)
    try:
        reader = BodyReader(doc)
        items = reader.items()
        builder = _read(items, name, _orientations(reader, items))
        _check_type(builder, name)
        plan = builder.plan()
    except (ValueError, IndexError, KeyError, AttributeError, TypeError, RecursionError):
        # a structure this reader did not foresee: a clear message, never a traceback
        raise DocxImportError(
            f"Không đọc được nội dung tệp “{name}” thành kế hoạch (cấu trúc văn bản lạ). "
            "Hãy mở bằng Word, lưu lại dưới dạng .docx rồi thử lại."
        ) from None
    return ImportResult(
        plan, tuple(builder.warnings), tuple(builder.unknown), tuple(builder.skipped)
    )


# ---------------------------------------------------------------- the import report


def import_report(result: ImportResult) -> dict[str, Any]:
    """What the import read, part by part, for the user to check before anything is saved
    (JSON-friendly): header, Căn cứ, preamble, sections with their depth, tables,
    appendices, signer, suggested tasks, what was skipped and what was not understood."""
    plan = result.plan
    m = plan.meta
    sections = []
    tables = [
        _table_summary(blk, "phần mở đầu (Kính gửi)" if is_kinh_gui(blk.rows) else "phần mở đầu")
        for _, blk in plan.preamble_tables
    ]
    for path, sec in plan.iter_sections():
        sections.append(
            {"path": path, "depth": path.count(".") + 1, "title": sec.title,
             "blocks": len(sec.blocks)}
        )  # fmt: skip
        for blk in sec.blocks:
            if blk.kind == "table":
                tables.append(_table_summary(blk, f"mục {path}"))
    appendices = []
    for i, a in enumerate(plan.appendices, start=1):
        for blk in a.blocks:
            if blk.kind == "table":
                tables.append(_table_summary(blk, a.title or f"phụ lục thứ {i}"))
        appendices.append(
            {"title": a.title, "subtitles": list(a.subtitles), "blocks": len(a.blocks),
             "tables": sum(1 for x in a.blocks if x.kind == "table"), "landscape": a.landscape}
        )  # fmt: skip
    s = plan.signer
    return {
        "doc_type": m.doc_type,
        "header": {
            "parent_authority": m.parent_authority,
            "authority": m.authority,
            "number": m.number,
            "symbol": m.symbol,
            "place": m.place,
            "issued": m.issued.isoformat() if m.issued else None,
            "year": m.year,
            "subject": m.subject,
            "subtitles": list(m.subtitles),
        },
        "bases": [b.text for b in plan.bases],
        "preamble": list(plan.preamble),
        "sections": sections,
        "tables": tables,
        "appendices": appendices,
        "recipients": list(plan.recipients),
        "signer": {"lines": list(s.lines) or _signer_head(s), "name": s.name},
        "tasks": [t.title for t in plan.tasks],
        "skipped": list(result.skipped),
        "not_understood": list(result.not_understood),
        "warnings": list(result.warnings),
    }


def _signer_head(s: Signer) -> list[str]:
    head = f"{s.prefix} {s.position}".strip()
    return [x for x in (head, s.deputy_position) if x]


def _table_summary(blk: Block, where: str) -> dict[str, Any]:
    return {
        "where": where,
        "rows": len(blk.rows),
        "columns": max((len(r) for r in blk.rows), default=0),
        "header_rows": blk.header_rows,
        "merged": len(blk.merges),
        "first_row": list(blk.rows[0]) if blk.rows else [],
    }


def report_lines(report: dict[str, Any]) -> list[str]:
    """The report as lines of Vietnamese text (the CLI prints them, the page shows them)."""
    h = report["header"]
    number = f"{h['number'] or '…'}/{h['symbol']}" if h["symbol"] else "(chưa có số)"
    out = [
        f"Loại văn bản: {report['doc_type']}",
        f"Phần đầu: {h['parent_authority'] or '(không có cơ quan chủ quản)'} / "
        f"{h['authority'] or '(chưa rõ cơ quan ban hành)'}; số {number}; "
        f"{h['place'] or '(chưa rõ địa danh)'}, "
        f"{_vn_date(h['issued']) if h['issued'] else 'chưa có ngày'}; "
        f"năm {h['year'] or '(chưa rõ)'}",
        f"Trích yếu: {h['subject'] or '(không có)'}",
    ]
    out += [f"  Dòng dưới trích yếu: {x}" for x in h["subtitles"]]
    out.append(f"Căn cứ ({len(report['bases'])}):")
    out += [f"  - {_short(x, 100)}" for x in report["bases"]]
    out.append(f"Lời mở đầu ({len(report['preamble'])} đoạn):")
    out += [f"  {_short(x, 100)}" for x in report["preamble"]]
    out.append(f"Các mục ({len(report['sections'])}):")
    out += [
        f"  {'  ' * (x['depth'] - 1)}{x['path']}. {_short(x['title'], 80)} "
        f"(cấp {x['depth']}, {x['blocks']} đoạn/bảng)"
        for x in report["sections"]
    ]
    out.append(f"Bảng ({len(report['tables'])}):")
    out += [
        f"  - {t['where']}: {t['rows']} hàng × {t['columns']} cột, {t['header_rows']} hàng tiêu "
        f"đề, {t['merged']} ô gộp; hàng đầu: {_short(' | '.join(t['first_row']), 80)}"
        for t in report["tables"]
    ]
    out.append(f"Phụ lục sau chỗ ký ({len(report['appendices'])}):")
    out += [
        f"  - {a['title'] or '(không tiêu đề)'}"
        + (f" — {'; '.join(a['subtitles'])}" if a["subtitles"] else "")
        + f": {a['blocks']} đoạn/bảng ({a['tables']} bảng)"
        + (", trang ngang" if a["landscape"] else "")
        for a in report["appendices"]
    ]
    out.append(
        f"Nơi nhận ({len(report['recipients'])}): "
        + "; ".join(x.rstrip(" ;.") for x in report["recipients"])
    )
    signer = report["signer"]
    out.append(f"Người ký: {' / '.join(signer['lines']) or '(chưa rõ)'} — {signer['name'] or '?'}")
    out.append(f"Công việc gợi ý từ bảng tiến độ: {len(report['tasks'])}")
    out += [f"Bỏ qua: {x}" for x in report["skipped"]]
    if report["not_understood"]:
        out.append(f"Chưa hiểu ({len(report['not_understood'])}):")
        out += [f"  “{x}”" for x in report["not_understood"]]
    else:
        out.append("Chưa hiểu: không có dòng nào.")
    return out


def _vn_date(iso: str) -> str:
    d = date.fromisoformat(iso)
    return f"ngày {d.day:02d}/{d.month:02d}/{d.year}"
