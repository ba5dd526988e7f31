"""Where the files the program ships live: the catalogue, the sample, the Word template.

The one place that knows the repository's layout; imports nothing from planner.
"""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHIPPED_CSV = ROOT / "data" / "directives.csv"
SAMPLE_PATH = ROOT / "data" / "samples" / "ke-hoach-932-2020.json"
TEMPLATE_PATH = ROOT / "templates" / "nd30-ke-hoach.docx"
ICON_PATH = ROOT / "data" / "assets" / "icon.png"
