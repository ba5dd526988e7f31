"""Small text helpers shared by every module: NFC and removal of characters XML cannot hold."""

from __future__ import annotations

import re
import unicodedata

# Characters that XML 1.0 cannot hold (C0 controls except tab/newline/CR, surrogates,
# U+FFFE/U+FFFF), plus C1 controls and other invisible format noise pasted from web pages.
_ILLEGAL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff\u200b\u200e\u200f\ufeff]"
)


def nfc(text: str) -> str:
    """Return `text` in Unicode NFC (Vietnamese letters as single code points)."""
    return unicodedata.normalize("NFC", text)


def clean_text(text: str) -> str:
    """NFC text with control and XML-illegal characters removed; tabs stay, CR/LF become \\n."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return nfc(_ILLEGAL.sub("", text))


def clean_line(text: str) -> str:
    """Like `clean_text`, for one-line fields: line breaks become spaces, ends trimmed."""
    return re.sub(r"[ \t]*\n[ \t]*", " ", clean_text(text)).strip()
