"""The committed Times New Roman metrics are what `tools/nd30_metrics.py` builds from the
Liberation Serif font files today, and `text_width_cm` reads them."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from planner.nd30 import metrics

ROOT = Path(__file__).resolve().parent.parent


def _tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "nd30_metrics", ROOT / "tools" / "nd30_metrics.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_table_is_what_the_generator_builds_from_the_fonts() -> None:
    tool = _tool()
    try:
        text = tool.render(tool.build())
    except FileNotFoundError as e:
        pytest.skip(f"{e} (Debian package fonts-liberation2)")
    assert metrics.TABLE_PATH == tool.OUTPUT
    assert metrics.TABLE_PATH.read_text(encoding="utf-8") == text, (
        "planner/nd30/metrics.json differs from the fonts: run tools/nd30_metrics.py"
    )


def test_generator_check_mode_reports_a_stale_file(tmp_path: Path) -> None:
    tool = _tool()
    stale = tmp_path / "metrics.json"
    stale.write_text("{}\n", encoding="utf-8")
    try:
        assert tool.main(["--check", "--output", str(stale)]) == 1
        assert tool.main(["--output", str(stale)]) == 0
        assert tool.main(["--check", "--output", str(stale)]) == 0
    except FileNotFoundError as e:
        pytest.skip(f"{e} (Debian package fonts-liberation2)")


def test_widths_come_from_the_table() -> None:
    # Times New Roman: "A" is 722/1000 em regular, 722 bold; "i" 278 regular; a Vietnamese
    # letter with two marks ("ệ") is as wide as its base "e" (444).
    assert metrics.text_width_pt("A", 10) == pytest.approx(7.22)
    assert metrics.text_width_pt("i", 10) == pytest.approx(2.78)
    assert metrics.text_width_pt("ệ", 10) == pytest.approx(metrics.text_width_pt("e", 10))
    assert metrics.text_width_pt("m", 10, bold=True) > metrics.text_width_pt("m", 10)
    assert metrics.text_width_pt("\u4e2d", 10) == pytest.approx(metrics.AVERAGE_WIDTH / 100)
    assert metrics.text_width_cm("A" * 10, 72) == pytest.approx(7.22 * 2.54)
