"""Build `planner/nd30/metrics.json`: advance widths of Times New Roman, read from its metric
twin Liberation Serif (Debian `fonts-liberation2`), per 1000 em, for the characters Vietnamese
documents use.

    .venv/bin/python tools/nd30_metrics.py          # write planner/nd30/metrics.json
    .venv/bin/python tools/nd30_metrics.py --check  # exit 1 if the committed file differs

The characters: printable ASCII, the typographic punctuation Word inserts (curly quotes,
dashes, ellipsis, bullets), `Đ`/`đ`, and every letter up to U+1EFF whose canonical
decomposition starts with an ASCII letter (all Vietnamese letters with their marks among
them) that all four styles of the font hold. Needs fontTools (requirements-dev.txt).
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from pathlib import Path

from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "planner" / "nd30" / "metrics.json"
FONT_DIRS = (
    Path("/usr/share/fonts/truetype/liberation2"),
    Path("/usr/share/fonts/truetype/liberation"),
)
STYLES = {  # key in the JSON file: the font file's style name
    "regular": "Regular",
    "bold": "Bold",
    "italic": "Italic",
    "bold_italic": "BoldItalic",
}
UNITS_PER_EM = 1000
PUNCTUATION = "“”‘’–—…·•◦"
LAST_CODE_POINT = 0x1EFF  # the end of Latin Extended Additional (Vietnamese letters)


def font_paths(font_dir: Path | None = None) -> dict[str, Path]:
    """The four Liberation Serif files by style key, from `font_dir` or the first directory
    of `FONT_DIRS` holding all four; FileNotFoundError when there is none."""
    dirs = (font_dir,) if font_dir is not None else FONT_DIRS
    for d in dirs:
        paths = {key: d / f"LiberationSerif-{name}.ttf" for key, name in STYLES.items()}
        if all(p.is_file() for p in paths.values()):
            return paths
    raise FileNotFoundError(
        "Liberation Serif not found in " + ", ".join(map(str, dirs)) + ": install fonts-liberation2"
    )


def _wanted(ch: str) -> bool:
    if ch in "Đđ":
        return True
    decomposed = unicodedata.normalize("NFD", ch)
    return len(decomposed) > 1 and decomposed[0].isascii() and decomposed[0].isalpha()


def build(font_dir: Path | None = None) -> dict[str, object]:
    """The metrics table: the font's version, `chars` (one string) and, per style key, one
    advance width per character in 1/1000 em (rounded to the nearest unit)."""
    fonts = {key: TTFont(path) for key, path in font_paths(font_dir).items()}
    cmaps = {key: font.getBestCmap() for key, font in fonts.items()}
    chars = [chr(c) for c in range(0x20, 0x7F)] + list(PUNCTUATION)
    chars += [
        chr(c)
        for c in range(0xA0, LAST_CODE_POINT + 1)
        if _wanted(chr(c)) and all(c in cmap for cmap in cmaps.values())
    ]
    widths: dict[str, list[int]] = {}
    for key, font in fonts.items():
        per_em = font["head"].unitsPerEm
        hmtx = font["hmtx"]
        widths[key] = [round(hmtx[cmaps[key][ord(ch)]][0] * UNITS_PER_EM / per_em) for ch in chars]
    names = fonts["regular"]["name"]
    return {
        "source": f"{names.getDebugName(4)}, {names.getDebugName(5)}",
        "units_per_em": UNITS_PER_EM,
        "chars": "".join(chars),
        "widths": widths,
    }


def render(table: dict[str, object]) -> str:
    """The JSON text of `table` as committed: one line per style, UTF-8 characters as they are."""
    widths = table["widths"]
    assert isinstance(widths, dict)
    lines = ["{"]
    for key in ("source", "units_per_em", "chars"):
        lines.append(f"  {json.dumps(key)}: {json.dumps(table[key], ensure_ascii=False)},")
    lines.append('  "widths": {')
    items = [f"    {json.dumps(k)}: {json.dumps(v)}" for k, v in widths.items()]
    lines.append(",\n".join(items))
    lines.append("  }")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write (or with --check, compare) the metrics file; the exit status for the shell."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare, do not write")
    parser.add_argument("--font-dir", type=Path, help="where LiberationSerif-*.ttf are")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args(argv)
    text = render(build(args.font_dir))
    if args.check:
        same = args.output.is_file() and args.output.read_text(encoding="utf-8") == text
        print(f"{args.output}: {'up to date' if same else 'differs from the fonts'}")
        return 0 if same else 1
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
