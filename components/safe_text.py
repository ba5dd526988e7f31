"""User text shown as text: the one place that makes a title, a paragraph, a file name or a
catalogue row safe to put in anything Streamlit renders as Markdown.

Streamlit renders Markdown (GitHub-flavoured, with math, emoji shortcodes and its own
`:color[…]`, `:material/…:` directives) in `st.markdown`, `st.caption`, the alerts
(`st.info`/`warning`/`success`/`error`), `st.toast`, `st.write` of a string, titles and headers,
widget labels and `help=`, `st.radio` options, expander and tab labels, `st.page_link` labels.
A plan titled `![x](http://host/p.png)` would fetch that image on every page showing it.

- `md_escape(text)`: for any of those places. Every character Markdown can read as syntax
  (`ACTIVE`) is backslash-escaped (CommonMark lets each be escaped; an escaped one never starts
  syntax: no link, image, emphasis, heading, list, table, math, directive or HTML can form).
  Two things act on the text after the escapes are read, so they are broken apart with an
  invisible WORD JOINER (U+2060) after every `:` and `@` and between `www` and `.`:
  GFM's bare-URL links (`http://…`, `www.…`, `a@b.vn`) and Streamlit's `:material/…:` icons,
  which it rewrites in the source before parsing. Line breaks stay line breaks and leading
  spaces stay spaces (no indented code block).
- `html_escape(text)`: the same text for the inside of HTML written with
  `unsafe_allow_html=True`: every `ACTIVE` character and `"`, `'` as a numeric character
  reference (Markdown never reads syntax from a reference and HTML decodes it), the same word
  joiners.
- `plain(text)`: for places that show text as it is and never read Markdown (`st.selectbox`
  and `st.multiselect` options, data-frame cells, `st.text`, `st.code`, input values): only
  the cleaning, since escaping there would show the backslashes.

All three first clean the text as `planner.text.clean.clean_text` does (NFC, control, bidi and
invisible format characters removed), so nothing can make the text read in another order.
"""

from __future__ import annotations

import re

from planner.text.clean import clean_text

WORD_JOINER = "\u2060"
NBSP = "\u00a0"

# The characters Streamlit's Markdown can read as syntax: CommonMark and GFM (emphasis, code,
# links and images, headings, lists, quotes, tables, strikethrough, setext underlines,
# entities, HTML), math (`$`), directives (`:red[…]`). Each is ASCII punctuation, which
# CommonMark lets a backslash escape. `/ " ' , ; ? % @ ^` never start syntax on their own.
ACTIVE = frozenset("\\`*_{}[]()#+-.!|<>~$:&=")
_ACTIVE_RE = re.compile("[" + re.escape("".join(sorted(ACTIVE))) + "]")
_HTML_RE = re.compile("[" + re.escape("".join(sorted(ACTIVE | set("\"'")))) + "]")
_WWW_DOT = re.compile(r"(www)(?=\.)", re.IGNORECASE)
_LEADING = re.compile(r"^[ \t]+", re.MULTILINE)
# Characters after which a word joiner goes (bare-URL and shortcode breakers).
_JOIN_AFTER = frozenset(":@")


def _join(text: str) -> str:
    """`text` with a word joiner after every `:` and `@` and between `www` and a dot."""
    text = _WWW_DOT.sub(lambda m: m.group(1) + WORD_JOINER, text)
    return "".join(c + WORD_JOINER if c in _JOIN_AFTER else c for c in text)


def _lead_spaces(text: str) -> str:
    """Each line's leading spaces and tabs as no-break spaces (never an indented code block)."""
    return _LEADING.sub(lambda m: NBSP * len(m.group()), text)


def plain(text: object) -> str:
    """`text` cleaned (NFC; controls, bidi and invisible characters removed), for places that
    show text as it is: select-box options, data-frame cells, `st.text`/`st.code`."""
    return clean_text("" if text is None else str(text))


def md_escape(text: object) -> str:
    """`text` as Markdown that Streamlit shows exactly as `text` reads (see the module doc)."""
    cleaned = _lead_spaces(plain(text))
    escaped = _ACTIVE_RE.sub(lambda m: "\\" + m.group(), _join(cleaned))
    return escaped.replace("\n", "  \n")


def html_escape(text: object) -> str:
    """`text` for the inside of an HTML element (or attribute) in `unsafe_allow_html`
    Markdown: every `ACTIVE` character and quotes as character references, line breaks as
    `<br>`."""
    cleaned = _lead_spaces(plain(text))
    escaped = _HTML_RE.sub(lambda m: f"&#{ord(m.group())};", _join(cleaned))
    return escaped.replace("\n", "<br>")
