"""Advance widths of Times New Roman (from its metric twin Liberation Serif), per 1000 em, and
the estimated printed width of a text.

The table is `metrics.json` beside this module, written by `tools/nd30_metrics.py` from the
font files (`tests/test_nd30_metrics.py` checks it still matches them). Used to estimate
printed line lengths (header lines that must fit on one line, rule lengths); a character
missing from the table counts as an average width. It may import `planner.nd30.units`.
"""

from __future__ import annotations

import json
from pathlib import Path

from planner.nd30.units import PT_PER_CM

TABLE_PATH = Path(__file__).with_name("metrics.json")
AVERAGE_WIDTH = 560  # 1/1000 em, for a character the table does not hold
_STYLES = {  # (bold, italic): the style key in metrics.json
    (False, False): "regular",
    (True, False): "bold",
    (False, True): "italic",
    (True, True): "bold_italic",
}


def _load(path: Path) -> dict[tuple[bool, bool], dict[str, int]]:
    raw = json.loads(path.read_text(encoding="utf-8"))
    scale = 1000 / raw["units_per_em"]
    chars: str = raw["chars"]
    return {
        style: {ch: round(w * scale) for ch, w in zip(chars, raw["widths"][key], strict=True)}
        for style, key in _STYLES.items()
    }


_TABLES = _load(TABLE_PATH)


def text_width_pt(text: str, size_pt: float, *, bold: bool = False, italic: bool = False) -> float:
    """Estimated printed width of `text` in points, in Times New Roman at `size_pt`."""
    table = _TABLES[(bold, italic)]
    units = sum(table.get(ch, AVERAGE_WIDTH) for ch in text if ch not in "\n\r")
    return units * size_pt / 1000


def text_width_cm(text: str, size_pt: float, *, bold: bool = False, italic: bool = False) -> float:
    """Estimated printed width of `text` in centimetres."""
    return text_width_pt(text, size_pt, bold=bold, italic=italic) / PT_PER_CM
