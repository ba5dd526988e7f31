"""User text shown as text: the one place that makes a title, a paragraph, a file name or a
catalogue row safe to put in anything Streamlit renders as Markdown.

Streamlit renders Markdown (GitHub-flavoured, with math, emoji shortcodes and its own
`:color[…]`, `:material/…:` directives) in `st.markdown`, `st.caption`, the alerts
(`st.info`/`warning`/`success`/`error`), `st.toast`, `st.write` of a string, titles and headers,
widget labels and `help=`, `st.radio` options, expander and tab labels, `st.page_link` labels.
A plan titled `![x](http://host/p.png)` would fetch that image on every page showing it.

- `md_escape(text)`: for any of those places. The characters that start syntax anywhere
  (`ALWAYS`: code, emphasis, links and images, HTML, entities, tables, strikethrough, math,
  braces) are backslash-escaped wherever they are; those that start syntax only at the start of
  a line (headings `#`, quotes `>`, list markers `-`/`+` and `1.`/`1)`, setext underlines `=`,
  block directives `::`/`:::`)
  are escaped there (the text's own start counts as one: it may follow a `- ` of the page).
  CommonMark reads an escaped character as itself and never as syntax. Two things act on the
  text after escapes are read, so they are broken apart with an invisible WORD JOINER
  (U+2060): GFM's bare links (`http://…`, `www.…`, `a@b.vn`) and Streamlit's
  `:material/…:` icons, emoji shortcodes and `:red[…]` directives: a joiner goes after a `:`
  followed by `/` or a name character, after an `@` followed by one, between `www` and `.`.
  Line breaks stay line breaks and leading spaces stay spaces (no indented code block).
- `html_escape(text)`: the same text for the inside of HTML written with
  `unsafe_allow_html=True`: the same characters, and `>`, `"`, `'`, as numeric character
  references (Markdown never reads syntax from a reference and HTML decodes it), the same
  word joiners.
- `plain(text)`: for places that show text as it is and never read Markdown (`st.selectbox`
  and `st.multiselect` options, data-frame cells, `st.text`, `st.code`, input values): only
  the cleaning, since escaping there would show the backslashes.

All three first clean the text as `planner.text.clean.clean_text` does (NFC, control, bidi and
invisible format characters removed), so nothing can make the text read in another order.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from planner.text.clean import clean_text

WORD_JOINER = "\u2060"
NBSP = "\u00a0"

# Characters that start Markdown syntax wherever they are (CommonMark, GFM, math, directive
# attributes); each is ASCII punctuation, which CommonMark lets a backslash escape.
ALWAYS = frozenset("\\`*_{}[]<&|~$")
_ALWAYS_RE = re.compile("[" + re.escape("".join(sorted(ALWAYS))) + "]")
_HTML_RE = re.compile("[" + re.escape("".join(sorted(ALWAYS | set(">\"'")))) + "]")
# A line's block marker: heading, quote, bullet, setext underline, block directive,
# ordered-list number.
_LINE_MARK = re.compile(r"^([ \t]*)(?:([#>+\-=:])|(\d{1,9})([.)]))", re.MULTILINE)
# Where a word joiner goes: after `:` before `/` or a name character (bare links, icons,
# emoji, directives), after `@` before a name character (e-mail links), inside `www.`.
_JOIN = re.compile(r"(?<=:)(?=[/\w+-])|(?<=@)(?=[\w-])|(?<=www)(?=\.)", re.IGNORECASE)
_LEADING = re.compile(r"^[ \t]+", re.MULTILINE)


def _lead_spaces(text: str) -> str:
    """Each line's leading spaces and tabs as no-break spaces (never an indented code block)."""
    return _LEADING.sub(lambda m: NBSP * len(m.group()), text)


def _escape(text: str, always: re.Pattern[str], esc: Callable[[str], str]) -> str:
    """Cleaned `text` with `esc(c)` for every character that would start syntax and a word
    joiner wherever a bare link, icon, emoji or directive could start."""
    text = always.sub(lambda m: esc(m.group()), _JOIN.sub(WORD_JOINER, plain(text)))

    def mark(m: re.Match[str]) -> str:
        if m.group(2):
            return m.group(1) + esc(m.group(2))
        return m.group(1) + m.group(3) + esc(m.group(4))

    return _lead_spaces(_LINE_MARK.sub(mark, text))


def plain(text: object) -> str:
    """`text` cleaned (NFC; controls, bidi and invisible characters removed), for places that
    show text as it is: select-box options, data-frame cells, `st.text`/`st.code`."""
    return clean_text("" if text is None else str(text))


def md_escape(text: object) -> str:
    """`text` as Markdown that Streamlit shows exactly as `text` reads (see the module doc)."""
    return _escape(plain(text), _ALWAYS_RE, lambda c: "\\" + c).replace("\n", "  \n")


def html_escape(text: object) -> str:
    """`text` for the inside of an HTML element (or attribute) in `unsafe_allow_html`
    Markdown: the characters that would start syntax, `>` and quotes as character references,
    line breaks as `<br>`."""
    return _escape(plain(text), _HTML_RE, lambda c: f"&#{ord(c)};").replace("\n", "<br>")
