"""components.safe_text: user text never forms Markdown, HTML, links, icons or emoji.

Streamlit renders Markdown in the browser, so these tests check the escaping rule itself by
property (every active character escaped, the text read back unchanged, nothing left for
the parts that act after escapes are read); tests/e2e/test_hostile_text.py confirms it in
chromium.
"""

from __future__ import annotations

import re
import string

from hypothesis import given, settings
from hypothesis import strategies as st

from components.safe_text import ALWAYS, NBSP, WORD_JOINER, html_escape, md_escape, plain
from planner.text.clean import clean_text, hidden_characters

HTML_ALWAYS = ALWAYS | set(">\"'")
LINE_MARK = re.compile(r"^[ \t\u00a0]*(?:[#>+\-=:]|\d{1,9}[.)])")
HOSTILE = [
    "![x](http://127.0.0.2:9/p.png)",
    "[link](http://127.0.0.2:9/)",
    "<img src=http://127.0.0.2:9/i>",
    "<script>alert(1)</script>",
    "**b**",
    ":red[x]",
    ":material/home:",
    "$x$",
    "# h",
    "www.example.com a@b.vn",
    "Trường: 12/KH\u202e-UBND\u200b",
]
# Text made mostly of the characters that matter, plus any text at all.
TEXT = st.one_of(
    st.text(alphabet=st.sampled_from([*string.punctuation, " ", "\t", "\n", "w", "h", "a"])),
    st.text(),
    st.lists(st.sampled_from([*HOSTILE, " ", "\n", "http", "www", ":", "@"])).map("".join),
)


def _read_markdown(out: str) -> str:
    """The text CommonMark reads from `out` (backslash escapes and hard breaks resolved);
    asserts that no character that starts syntax is left unescaped: `ALWAYS` anywhere, block
    markers at a line's start."""
    assert "\n" not in out.replace("  \n", ""), "a line break that is not a hard break"
    lines = out.split("  \n")
    for line in lines:
        assert not LINE_MARK.match(line), f"block marker at a line's start in {out!r}"
    read, i = [], 0
    out = "\n".join(lines)
    while i < len(out):
        c = out[i]
        if c == "\\":
            assert i + 1 < len(out) and out[i + 1] in ALWAYS | set("#>+-=:.)"), out
            read.append(out[i + 1])
            i += 2
            continue
        assert c not in ALWAYS, f"unescaped {c!r} in {out!r}"
        read.append(c)
        i += 1
    return "".join(read)


def _expected(s: str) -> str:
    """What the reader sees: the cleaned text, leading spaces as no-break spaces."""
    cleaned = clean_text(s)
    return re.sub(r"^[ \t]+", lambda m: NBSP * len(m.group()), cleaned, flags=re.MULTILINE)


def _no_late_syntax(read: str) -> None:
    """What acts on the text after escapes are read: GFM bare links, emoji shortcodes,
    Streamlit's icons."""
    assert not re.search(r"https?://|mailto:|xmpp:", read, re.IGNORECASE), read
    assert not re.search(r"(?<![^\W_])www\.", read, re.IGNORECASE), read
    assert not re.search(r"@[\w-]", read), read
    assert not re.search(r":[\w+-]+:", read), read
    assert not re.search(r":[/\w+-]", read), read  # directives, icons


@settings(max_examples=400, deadline=None)
@given(TEXT)
def test_md_escape_reads_back_as_the_text_and_forms_nothing(s: str) -> None:
    out = md_escape(s)
    read = _read_markdown(out)
    assert read.replace(WORD_JOINER, "") == _expected(s)
    _no_late_syntax(read)
    assert ":material/" not in out  # Streamlit rewrites this in the source before parsing
    assert hidden_characters(out.replace(WORD_JOINER, "")) == []


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_html_escape_holds_no_markup_and_reads_back(s: str) -> None:
    out = html_escape(s)
    body = out.replace("<br>", "\n")
    assert not HTML_ALWAYS & set(re.sub(r"&#\d+;", "", body)), out
    for line in body.split("\n"):
        assert not LINE_MARK.match(line), out
    read = re.sub(r"&#(\d+);", lambda m: chr(int(m.group(1))), body)
    assert read.replace(WORD_JOINER, "") == _expected(s)
    _no_late_syntax(read)
    assert ":material/" not in out


@given(st.text())
def test_plain_is_only_cleaning(s: str) -> None:
    assert plain(s) == clean_text(s)


def test_examples() -> None:
    assert md_escape("![x](http://h/p.png)") == "!\\[x\\](http:\u2060//h/p.png)"
    assert md_escape("Số 25-NQ/TW: xong.") == "Số 25-NQ/TW: xong."
    assert md_escape("- a\n# b\n1. c") == "\\- a  \n\\# b  \n1\\. c"
    assert md_escape("Kế hoạch 12") == "Kế hoạch 12"
    assert md_escape("a\nb") == "a  \nb"
    assert md_escape("    code") == NBSP * 4 + "code"
    assert md_escape("x\u202ey") == "xy"
    assert html_escape("<b>&") == "&#60;b&#62;&#38;"
    assert html_escape("- a") == "&#45; a"
    assert md_escape(None) == ""
    assert plain("a\u200bb") == "ab"


def test_export_document_has_no_escaper_of_its_own() -> None:
    from pathlib import Path

    source = Path(__file__).resolve().parent.parent.joinpath("components", "export_document.py")
    assert "def _md(" not in source.read_text(encoding="utf-8")
