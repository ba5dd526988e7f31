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

from planner.docx.body import Item, Para, Table, read_body
from planner.docx.safety import open_docx
from planner.docx.word_numbering import format_number
from planner.errors import DocxImportError
from planner.model import MAX_SECTION_DEPTH, Base, Block, Meta, Plan, Section, Signer, Task
from planner.text.clean import clean_line
from planner.text.dates import make_date
from planner.text.fold import fold_start


@dataclass(frozen=True)
class ImportResult:
    plan: Plan
    warnings: tuple[str, ...] = ()


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
    r"^(?P<place>[^,]*?)\s*,\s*ngày\s*(?P<d>\d{1,2})?[\s.…_]*tháng\s*(?P<m>\d{1,2})?[\s.…_]*"
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


def _is_title(s: str) -> bool:
    f = re.sub(r"\s+", " ", s).strip().rstrip(":").strip()
    return _is_upper(f) and fold_start(f).startswith("ke hoach") and len(f) <= 60


def _title_parts(line: str) -> tuple[str, str] | None:
    """(`KẾ HOẠCH`, subject on the same line or "") when `line` is the title line."""
    if _is_title(line):
        return line, ""
    words = line.split()
    if (
        len(words) > 2
        and fold_start(" ".join(words[:2])) == "ke hoach"
        and _is_upper(" ".join(words[:2]))
    ):
        rest = " ".join(words[2:]).lstrip(":-– ").strip()
        if rest and not _is_upper(rest):
            return " ".join(words[:2]), rest
    return None


def _is_base(s: str) -> bool:
    f = fold_start(re.sub(r"^[-–•+]\s*", "", s))
    return f.startswith(("can cu", "thuc hien"))


def _is_recipients_label(s: str) -> bool:
    return fold_start(s).startswith("noi nhan")


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


def _split_marked_lines(text: str) -> list[str]:
    """Split a paragraph at manual line breaks that open a new item (`- `, `+ `, `1.`)."""
    if "\n" not in text:
        return [text]
    out: list[str] = []
    for line in text.split("\n"):
        s = line.strip()
        if out and s and (_RE_DASH.match(s) or _RE_PLUS.match(s) or _heading(s)):
            out.append(line)
        elif out:
            out[-1] = f"{out[-1]}\n{line}"
        else:
            out.append(line)
    return [x.strip() for x in out if x.strip()]


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


_GENERATED_FORMATS = ("upperRoman", "decimal", "lowerLetter", "decimal", "decimal", "decimal")


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
        self.subject: list[str] = []
        self.bases: list[str] = []
        self.preamble: list[str] = []
        self.roots: list[_SecBuilder] = []
        self.stack: list[_SecBuilder] = []
        self.closing: list[str] = []
        self.recipients: list[str] = []
        self.signer_lines: list[str] = []
        self.recipients_open = False  # just after `Nơi nhận:` in paragraphs

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
            return
        if _is_upper(line) and len(line) <= 120:
            self.parent_lines.append((line, bold))
            return
        self.warn(f"Dòng “{line}” ở phần đầu văn bản không nhận ra; đã đưa vào lời mở đầu.")
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
        """Open a section; False when it would be nested too deep."""
        keys = [s.key for s in self.stack]
        if key in keys:
            depth = keys.index(key)
        else:
            depth = len(self.stack)
        if depth >= MAX_SECTION_DEPTH:
            return False
        del self.stack[depth:]
        if not number:
            siblings = self.stack[-1].children if self.stack else self.roots
            number = format_number(len(siblings) + 1, _GENERATED_FORMATS[depth])
        sec = _SecBuilder(key, number, _one_line(title))
        (self.stack[-1].children if self.stack else self.roots).append(sec)
        self.stack.append(sec)
        return True

    def add_block(self, block: Block) -> None:
        if self.stack:
            self.stack[-1].blocks.append(block)
        elif block.kind == "table":
            self.preamble.extend(" | ".join(r) for r in block.rows)
        else:
            prefix = {"dash": "- ", "plus": "+ "}.get(block.kind, "")
            self.preamble.append(prefix + block.text)

    def body_text(self, text: str) -> None:
        for i, chunk in enumerate(_split_marked_lines(text)):
            if i == 0 and self._continues(chunk):
                continue
            m = _RE_PLUS.match(chunk)
            if m:
                self.add_block(Block("plus", m.group(1).strip()))
                continue
            m = _RE_DASH.match(chunk)
            if m:
                self.add_block(Block("dash", m.group(1).strip()))
                continue
            self.add_block(Block("paragraph", chunk))

    def _continues(self, text: str) -> bool:
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
        self.stack[-1].blocks[-1] = replace(last, text=f"{last.text} {text}")
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
            self.closing.append(extra)
        return Signer(prefix=prefix, position=position, deputy_position=deputy, name=name)

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
            ),
            bases=tuple(Base(b) for b in self.bases),
            preamble=tuple(self.preamble),
            sections=tuple(sections),
            closing=tuple(self.closing),
            recipients=tuple(self.recipients),
            signer=signer,
            tasks=tuple(tasks),
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


def _read(items: list[Item], name: str) -> _Builder:
    b = _Builder(name)
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
        b.doc_type = _one_line(doc_type).rstrip(":").strip()
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
            emphasised = item.bold or item.center
            if (b.subject and (not emphasised or _is_base(t))) or (_is_base(t) and not emphasised):
                break
            b.subject.append(t)
            pos += 1
    # 3. the rest
    phase = "bases"
    for item in items[pos:]:
        if isinstance(item, Table):
            phase = _table_item(b, item, phase)
            continue
        text = item.text
        if not text or (_RE_RULE.match(text) and phase in ("bases", "preamble")):
            continue
        phase = _para_item(b, item, phase)
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
        _after_signature(b, [text])
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
    if phase == "bases":
        if _is_base(text):
            # several Căn cứ typed in one paragraph with manual line breaks: one each
            for line in text.split("\n"):
                if line.strip() and (_is_base(line) or not b.bases):
                    b.bases.append(line.strip())
                elif line.strip():
                    b.bases[-1] = f"{b.bases[-1]}\n{line.strip()}"
            return phase
        phase = "preamble"
    heading = _heading(text)
    if heading is None and item.heading:
        heading = (f"h{item.heading}", "", text)
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
    b.body_text(text)
    return phase


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


def _after_signature(b: _Builder, texts: list[str]) -> None:
    """Text after the signature table (an appendix...): kept in the closing, with a warning."""
    if not any(w.startswith("Phần sau chỗ ký") for w in b.warnings):
        b.warn(
            "Phần sau chỗ ký (ví dụ phụ lục) không thuộc cấu trúc kế hoạch; "
            "đã đưa nội dung vào phần kết để không mất chữ."
        )
    b.closing.extend(texts)


def _table_item(b: _Builder, item: Table, phase: str) -> str:
    if phase == "after":
        _after_signature(b, [" | ".join(r) for r in item.rows() if any(c.strip() for c in r)])
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
        b.warn("Có một bảng trước mục đầu tiên; đã đưa nội dung bảng vào lời mở đầu.")
        phase = "preamble"
    b.add_block(Block("table", "", rows))
    return phase


def _short(text: str, n: int = 60) -> str:
    t = _one_line(text)
    return t if len(t) <= n else t[: n - 1] + "…"


def import_docx(data: bytes, name: str) -> ImportResult:
    """Read a plan from Word bytes; raises InputFileError for unusable or hostile files."""
    doc = open_docx(data, name)
    try:
        items = read_body(doc)
        builder = _read(items, name)
        plan = builder.plan()
    except (ValueError, IndexError, KeyError, AttributeError, TypeError, RecursionError):
        # a structure this reader did not foresee: a clear message, never a traceback
        raise DocxImportError(
            f"Không đọc được nội dung tệp “{name}” thành kế hoạch (cấu trúc văn bản lạ). "
            "Hãy mở bằng Word, lưu lại dưới dạng .docx rồi thử lại."
        ) from None
    return ImportResult(plan, tuple(builder.warnings))
