"""The import rule is the architecture: planner/ never pulls in streamlit."""

import importlib
import pkgutil
import subprocess
import sys
from pathlib import Path

import planner

ROOT = Path(__file__).resolve().parent.parent


def test_importing_every_planner_module_leaves_streamlit_out():
    names = [
        m.name
        for m in pkgutil.iter_modules(planner.__path__, "planner.")
        if m.name != "planner.__main__"
    ]
    code = (
        "import importlib, sys\n"
        f"for n in {names!r}: importlib.import_module(n)\n"
        "print(sorted(m for m in sys.modules if m == 'streamlit' or m.startswith('streamlit.')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert out.stdout.strip() == "[]"
    assert len(names) >= 5


def test_ruff_bans_streamlit_in_planner(tmp_path):
    probe = ROOT / "planner" / "_probe_streamlit_ban.py"
    probe.write_text("import streamlit\n")
    try:
        out = subprocess.run(
            [sys.executable, "-m", "ruff", "check", "--no-cache", str(probe)],
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
    finally:
        probe.unlink()
    assert out.returncode == 1
    assert "TID251" in out.stdout


def test_pages_are_importable_names():
    for page in (ROOT / "views").glob("*.py"):
        assert importlib.util.spec_from_file_location(page.stem, page) is not None
