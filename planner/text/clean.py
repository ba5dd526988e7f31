"""Small text helpers shared by every module: NFC and removal of characters XML cannot hold
and of invisible format characters (bidi controls, zero-width characters)."""

from __future__ import annotations

import re
import unicodedata

# Characters that XML 1.0 cannot hold (C0 controls except tab/newline/CR, surrogates,
# U+FFFE/U+FFFF), plus C1 controls.
_XML_ILLEGAL = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff"
# Bidi controls: they can make text read in another order than it is stored (an override,
# U+202E, turns "fdp.exe" around); Vietnamese never needs them.
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
# Other invisible format characters pasted from web pages and chat: zero-width space,
# non-joiner and joiner (no Vietnamese spelling uses them), word joiner and the invisible
# operators, the byte order mark / zero-width no-break space.
INVISIBLE = "\u200b-\u200d\u2060-\u2064\ufeff"
_ILLEGAL = re.compile(f"[{_XML_ILLEGAL}{BIDI_CONTROLS}{INVISIBLE}]")
_HIDDEN = re.compile(f"[{BIDI_CONTROLS}{INVISIBLE}]")


def hidden_characters(text: str) -> list[str]:
    """The bidi controls and invisible format characters in `text`, as `U+202E` names, in
    order of first appearance (what `clean_text` removes and a reader cannot see)."""
    seen: dict[str, None] = {}
    for m in _HIDDEN.finditer(text):
        seen.setdefault(f"U+{ord(m.group()):04X}", None)
    return list(seen)


def nfc(text: str) -> str:
    """Return `text` in Unicode NFC (Vietnamese letters as single code points)."""
    return unicodedata.normalize("NFC", text)


def clean_text(text: str) -> str:
    """NFC text with control, XML-illegal, bidi and invisible format characters removed (see
    `BIDI_CONTROLS`, `INVISIBLE`); tabs stay, CR/LF become \\n."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return nfc(_ILLEGAL.sub("", text))


def clean_line(text: str) -> str:
    """Like `clean_text`, for one-line fields: line breaks become spaces, ends trimmed."""
    return re.sub(r"[ \t]*\n[ \t]*", " ", clean_text(text)).strip()
