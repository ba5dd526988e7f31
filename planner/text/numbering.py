"""Numbering labels of Vietnamese administrative documents: I, II / 1, 2 / a, b, đ.

Sections are numbered in Roman numerals (`I`, `II`, …), Arabic numbers (`1`, `2`, …) or
letters in the Vietnamese order `a, b, c, d, đ, e, g, …` (no f, j, w, z). A style is named
`"roman"`, `"decimal"` or `"alpha"`; `number_label` writes the n-th label of a style and
`label_style` tells which style a written label is in.
"""

from __future__ import annotations

import re

NUMBER_STYLES = ("roman", "decimal", "alpha")

# Vietnamese legal-document letter order (no f, j, w, z; đ after d).
VN_LETTERS = (
    "a", "b", "c", "d", "đ", "e", "g", "h", "i", "k", "l", "m",
    "n", "o", "p", "q", "r", "s", "t", "u", "v", "x", "y",
)  # fmt: skip

_ROMAN_DIGITS = (
    (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
    (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
)  # fmt: skip
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
_ROMAN = re.compile(r"[IVXLCDM]+")
_DECIMAL = re.compile(r"\d+")
_ALPHA = re.compile(r"[a-zđ]+")


def to_roman(n: int) -> str:
    """1 → I, 4 → IV, 14 → XIV; ValueError for n < 1."""
    if n < 1:
        raise ValueError(n)
    out = []
    for value, letters in _ROMAN_DIGITS:
        while n >= value:
            out.append(letters)
            n -= value
    return "".join(out)


def from_roman(text: str) -> int:
    """XIV → 14 (upper case letters only); ValueError for anything that is not Roman."""
    if not is_roman(text):
        raise ValueError(text)
    total = 0
    for i, ch in enumerate(text):
        v = _ROMAN_VALUES[ch]
        total += -v if i + 1 < len(text) and _ROMAN_VALUES[text[i + 1]] > v else v
    return total


def is_roman(text: str) -> bool:
    """True for a label written in upper case Roman letters only (`IV`, `XII`)."""
    return _ROMAN.fullmatch(text) is not None


def to_letters(n: int) -> str:
    """1 → a, 5 → đ, 23 → y, 24 → aa (Vietnamese letter order); ValueError for n < 1."""
    if n < 1:
        raise ValueError(n)
    k = len(VN_LETTERS)
    if n <= k:
        return VN_LETTERS[n - 1]
    return to_letters((n - 1) // k) + VN_LETTERS[(n - 1) % k]


def number_label(style: str, n: int) -> str:
    """The n-th (1-based) label in a numbering style (`"decimal"` for an unknown style)."""
    if style == "roman":
        return to_roman(n)
    if style == "alpha":
        return to_letters(n)
    return str(n)


def label_style(label: str) -> str | None:
    """The style a label is written in: `"IV"` roman, `"3"` decimal, `"b"` alpha, else None.

    The label is taken as it is: punctuation (`"IV."`, `"a)"`) is the caller's to strip.
    """
    if is_roman(label):
        return "roman"
    if _DECIMAL.fullmatch(label):
        return "decimal"
    if _ALPHA.fullmatch(label):
        return "alpha"
    return None


def next_roman(labels: list[str]) -> str | None:
    """The Roman label after the largest of `labels`, None unless all are Roman (and some)."""
    if not labels or not all(is_roman(x) for x in labels):
        return None
    return to_roman(max(from_roman(x) for x in labels) + 1)
