"""Folding of Vietnamese text for search: what a user types and what is stored meet here.

`fold("Nghị quyết số 25-NQ/TW")` → `"nghi quyet so 25-nq/tw"`: NFC or NFD input, tone marks in
any position (old or new style placement), `đ`/`Đ` and the look-alike `Ð` (U+00D0) all become
plain ASCII-ish lower case letters. Folding is idempotent: `fold(fold(s)) == fold(s)`.
"""

from __future__ import annotations

import re
import unicodedata

# Letters that NFD does not decompose into a base letter + combining marks.
_SPECIAL = str.maketrans(
    {
        "đ": "d",
        "Đ": "d",
        "Ð": "d",  # U+00D0 LATIN CAPITAL LETTER ETH, a common look-alike of Đ
        "ð": "d",
        "Ɖ": "d",  # U+0189 AFRICAN D
        "ɖ": "d",
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u2044": "/",
        "\u2215": "/",
        "\u00a0": " ",
    }
)
_SPACES = re.compile(r"\s+")
_TOKEN = re.compile(r"[a-z0-9]+")
_LEADING_ZEROS = re.compile(r"0*(\d.*)")


def fold(text: str) -> str:
    """Lower-case `text` without diacritics, `đ` as `d`, whitespace collapsed to one space."""
    decomposed = unicodedata.normalize("NFD", text.translate(_SPECIAL))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = stripped.translate(_SPECIAL)
    return _SPACES.sub(" ", stripped.casefold()).strip()


def tokens(text: str) -> list[str]:
    """Folded alphanumeric tokens: `"Quyết định 217-QĐ/TW"` → quyet, dinh, 217, qd, tw."""
    return _TOKEN.findall(fold(text))


def norm_number(token: str) -> str:
    """A document number without leading zeros: `"05"` → `"5"`, `"030c"` → `"30c"`."""
    match = _LEADING_ZEROS.fullmatch(token)
    return match.group(1) if match else token


def symbol_parts(symbol: str) -> tuple[str, ...]:
    """The folded parts of a số ký hiệu, numbers without leading zeros.

    `25-NQ/TW`, `25/NQ-TW`, `25 NQ TW` and `025-nq/tw` all give `("25", "nq", "tw")`;
    `932 /KH-PGDĐT` gives `("932", "kh", "pgddt")`.
    """
    return tuple(norm_number(t) if t[0].isdigit() else t for t in tokens(symbol))


def symbol_key(symbol: str) -> str:
    """One string per symbol whatever its spelling (see `symbol_parts`)."""
    return " ".join(symbol_parts(symbol))
