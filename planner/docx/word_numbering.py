"""Word's paragraph styles and automatic numbering, read from styles.xml and numbering.xml.

`Styles` resolves what a paragraph style gives (bold, centred, list, outline level) through
its `basedOn` chain. `Numbering` computes the label Word shows for a numbered paragraph,
counting as Word does: one running count per abstract list (shared by every `w:num` that uses
it, after `numStyleLink` indirection), a `startOverride` restarting it on the list's first
use, deeper levels restarting after a higher one (`lvlRestart`), `%1.%2.` level texts, legal
(`isLgl`) numbering, and levels redefined per list (`lvlOverride/lvl`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from planner.text.numbering import to_roman

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MAX_LIST_VALUE = 32767  # Word's own limit for a list number
FALSE_VALUES = ("0", "false", "off", "none")


def w(tag: str) -> str:
    """Clark name of a WordprocessingML tag or attribute."""
    return f"{{{W_NS}}}{tag}"


W_VAL = w("val")


@dataclass
class _Style:
    based_on: str | None = None
    bold: bool | None = None
    italic: bool | None = None
    center: bool | None = None
    num: tuple[str, str | None] | None = None  # (numId, ilvl or None)
    heading: int | None = None  # 1-based outline level


class Styles:
    def __init__(self, root: Any) -> None:
        self.by_id: dict[str, _Style] = {}
        self.default_para: str | None = None
        self.default_bold = False
        self.default_italic = False
        if root is None:
            return
        for b in root.iterfind(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}/{w('b')}"):
            self.default_bold = b.get(W_VAL, "1").lower() not in FALSE_VALUES
        for i in root.iterfind(f"{w('docDefaults')}/{w('rPrDefault')}/{w('rPr')}/{w('i')}"):
            self.default_italic = i.get(W_VAL, "1").lower() not in FALSE_VALUES
        for st in root.iterfind(w("style")):
            sid = st.get(w("styleId"))
            if not sid:
                continue
            s = _Style()
            el = st.find(w("basedOn"))
            if el is not None:
                s.based_on = el.get(W_VAL)
            b = st.find(f"{w('rPr')}/{w('b')}")
            if b is not None:
                s.bold = b.get(W_VAL, "1").lower() not in FALSE_VALUES
            it = st.find(f"{w('rPr')}/{w('i')}")
            if it is not None:
                s.italic = it.get(W_VAL, "1").lower() not in FALSE_VALUES
            ppr = st.find(w("pPr"))
            if ppr is not None:
                jc = ppr.find(w("jc"))
                if jc is not None:
                    s.center = jc.get(W_VAL) == "center"
                npr = ppr.find(w("numPr"))
                if npr is not None:
                    nid = npr.find(w("numId"))
                    ilvl = npr.find(w("ilvl"))
                    if nid is not None:
                        s.num = (nid.get(W_VAL, "0"), None if ilvl is None else ilvl.get(W_VAL))
                ol = ppr.find(w("outlineLvl"))
                if ol is not None and (ol.get(W_VAL) or "").isdecimal() and int(ol.get(W_VAL)) < 9:
                    s.heading = int(ol.get(W_VAL)) + 1
            name_el = st.find(w("name"))
            name = (name_el.get(W_VAL, "") if name_el is not None else "").lower()
            m = re.fullmatch(r"heading\s*([1-9])", name)
            if m:
                s.heading = int(m.group(1))
            self.by_id[sid] = s
            if st.get(w("type")) == "paragraph" and st.get(w("default")) in ("1", "true"):
                self.default_para = sid

    def _chain(self, sid: str | None) -> Iterator[_Style]:
        seen: set[str] = set()
        while sid and sid not in seen and sid in self.by_id:
            seen.add(sid)
            s = self.by_id[sid]
            yield s
            sid = s.based_on

    def get(self, sid: str | None, attr: str) -> Any:
        for s in self._chain(sid):
            v = getattr(s, attr)
            if v is not None:
                return v
        return None


# ---------------------------------------------------------------- numbering


@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    legal: bool = False
    restart: int | None = None
    pstyle: str | None = None


def _letters(n: int) -> str:
    # Word: a..z, then aa..zz, aaa..
    n = max(n, 1)
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def format_number(n: int, fmt: str) -> str:
    n = max(0, min(n, MAX_LIST_VALUE))  # a hostile start value cannot blow a label up
    if fmt == "upperRoman":
        return to_roman(n) if n else ""
    if fmt == "lowerRoman":
        return to_roman(n).lower() if n else ""
    if fmt == "upperLetter":
        return _letters(n).upper()
    if fmt == "lowerLetter":
        return _letters(n)
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("none", "bullet"):
        return ""
    return str(n)


def _parse_level(lvl: Any) -> tuple[int, _Level] | None:
    try:
        ilvl = int(lvl.get(w("ilvl"), "0") or 0)
    except ValueError:
        return None
    lv = _Level()
    for tag, attr, convert in (
        ("start", "start", int),
        ("numFmt", "fmt", str),
        ("lvlText", "text", str),
        ("lvlRestart", "restart", int),
        ("pStyle", "pstyle", str),
    ):
        el = lvl.find(w(tag))
        if el is not None and el.get(W_VAL) is not None:
            try:
                setattr(lv, attr, convert(el.get(W_VAL)))
            except ValueError:
                pass
    legal = lvl.find(w("isLgl"))
    lv.legal = legal is not None and legal.get(W_VAL, "1").lower() not in FALSE_VALUES
    return ilvl, lv


class Numbering:
    """List labels computed like Word: one counter set per abstract list, levels restart."""

    def __init__(self, root: Any, styles: Styles) -> None:
        self.styles = styles
        self.abstracts: dict[str, dict[int, _Level]] = {}
        self.style_links: dict[str, str] = {}  # abstractId -> numbering style id
        self.nums: dict[str, tuple[str, dict[int, int]]] = {}
        self.counters: dict[str, dict[int, int]] = {}
        self.started: set[str] = set()
        self.own_levels: dict[str, dict[int, _Level]] = {}
        if root is None:
            return
        link_of_style: dict[str, str] = {}
        for an in root.iterfind(w("abstractNum")):
            aid = an.get(w("abstractNumId"), "")
            levels: dict[int, _Level] = {}
            for lvl in an.iterfind(w("lvl")):
                parsed = _parse_level(lvl)
                if parsed is not None:
                    levels[parsed[0]] = parsed[1]
            self.abstracts[aid] = levels
            nsl = an.find(w("numStyleLink"))
            if nsl is not None:
                self.style_links[aid] = nsl.get(W_VAL, "")
            sl = an.find(w("styleLink"))
            if sl is not None:
                link_of_style[sl.get(W_VAL, "")] = aid
        for num in root.iterfind(w("num")):
            nid = num.get(w("numId"), "")
            an = num.find(w("abstractNumId"))
            aid = an.get(W_VAL, "") if an is not None else ""
            overrides: dict[int, int] = {}
            own: dict[int, _Level] = {}  # a level redefined for this list only
            for ov in num.iterfind(w("lvlOverride")):
                so = ov.find(w("startOverride"))
                try:
                    ov_ilvl = int(ov.get(w("ilvl"), "0"))
                    if so is not None:
                        overrides[ov_ilvl] = int(so.get(W_VAL, "1"))
                except ValueError:
                    continue
                lvl = ov.find(w("lvl"))
                parsed = _parse_level(lvl) if lvl is not None else None
                if parsed is not None:
                    own[ov_ilvl] = parsed[1]
                    overrides.setdefault(ov_ilvl, parsed[1].start)
            self.nums[nid] = (aid, overrides)
            self.own_levels[nid] = own
        # numStyleLink: the abstract list is defined by the one whose styleLink names the style
        for aid, sid in self.style_links.items():
            target = link_of_style.get(sid)
            if target is None:
                num = self.styles.get(sid, "num")
                if num and num[0] in self.nums:
                    target = self.nums[num[0]][0]
            if target and target != aid and not self.abstracts[aid]:
                self.abstracts[aid] = self.abstracts.get(target, {})
            if target and target != aid:
                self.style_links[aid] = target

    def _abstract(self, nid: str) -> str | None:
        if nid not in self.nums:
            return None
        aid = self.nums[nid][0]
        target = self.style_links.get(aid)
        if target in self.abstracts:
            return target
        return aid if aid in self.abstracts else None

    def level_for_style(self, nid: str, style_id: str | None) -> int:
        aid = self._abstract(nid)
        if aid is not None and style_id:
            for i, lv in self.abstracts[aid].items():
                if lv.pstyle == style_id:
                    return i
        return 0

    def label(self, nid: str, ilvl: int) -> tuple[str, str] | None:
        """(label text, numFmt) for the next paragraph of list `nid` at level `ilvl`."""
        if nid in ("", "0"):
            return None
        aid = self._abstract(nid)
        if aid is None:
            return None
        levels = {**self.abstracts[aid], **self.own_levels.get(nid, {})}
        lv = levels.get(ilvl)
        if lv is None:
            return None
        counters = self.counters.setdefault(aid, {})
        overrides = self.nums[nid][1]
        if nid not in self.started:
            self.started.add(nid)
            for i, start in overrides.items():
                counters[i] = start - 1
        counters[ilvl] = counters.get(ilvl, lv.start - 1) + 1
        for deeper in list(counters):
            if deeper > ilvl:
                restart = levels.get(deeper, _Level()).restart
                if restart is None or restart == 0 or restart - 1 >= ilvl:
                    if restart != 0:
                        del counters[deeper]
        if lv.fmt == "bullet":
            return lv.text, "bullet"

        def sub(m: re.Match[str]) -> str:
            i = int(m.group(1)) - 1
            olv = levels.get(i, _Level())
            n = counters.get(i, olv.start)
            return format_number(n, "decimal" if lv.legal and i != ilvl else olv.fmt)

        return re.sub(r"%([1-9])", sub, lv.text), lv.fmt
