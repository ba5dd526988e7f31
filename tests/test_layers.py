"""The import rule is the architecture: read every module's imports and check the layers.

planner/ never imports streamlit (not even late, inside a function); inside planner/ a lower
layer never imports a higher one; components/ never import views/. The rule is read from the
import statements themselves (ast), so a new module is checked the day it is added.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Each planner package or top-level module and its layer: a module may import its own layer
# and the ones below it, never above. Same numbers as the package docstrings and DESIGN.md.
PLANNER_LAYERS: dict[str, int] = {
    "errors": 0,
    "paths": 0,
    "text": 0,
    "model": 1,
    "store": 2,
    "auth": 2,
    "review": 2,
    "sample": 2,
    "catalogue": 3,
    "docx": 4,
    "nd30": 4,
    "drafting": 5,
    "progress": 5,
    "cli": 6,
    "__main__": 6,
}


def imported_modules(source: str) -> list[str]:
    """Every module an import statement names, anywhere in the file (late imports too)."""
    names: list[str] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
            names.extend(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def planner_unit(module: str) -> str | None:
    """`planner.docx.writer` → `docx`; None for modules outside planner."""
    parts = module.split(".")
    if parts[0] != "planner" or len(parts) < 2:
        return None
    return parts[1]


def violations(path: Path, source: str) -> list[str]:
    """What `source` (the file at `path`, relative to the project root) imports against the rule."""
    found: list[str] = []
    top = path.parts[0]
    for name in imported_modules(source):
        root = name.split(".")[0]
        if top == "planner":
            if root == "streamlit":
                found.append(f"{path}: imports {name} (planner/ never imports streamlit)")
            if root in ("views", "components", "app"):
                found.append(f"{path}: imports {name} (planner/ is the lowest layer)")
            own = path.parts[1].removesuffix(".py")
            other = planner_unit(name)
            if other is not None and other in PLANNER_LAYERS:
                if PLANNER_LAYERS[other] > PLANNER_LAYERS[own]:
                    found.append(
                        f"{path}: {own} (layer {PLANNER_LAYERS[own]}) imports {name} "
                        f"(layer {PLANNER_LAYERS[other]})"
                    )
        elif top == "components" and root in ("views", "app"):
            found.append(f"{path}: imports {name} (components never import pages)")
    return found


def project_files() -> list[Path]:
    files = [
        p.relative_to(ROOT)
        for d in ("planner", "components", "views")
        for p in (ROOT / d).rglob("*.py")
    ]
    return sorted(files)


def test_every_planner_unit_has_a_layer():
    units = {p.parts[1].removesuffix(".py") for p in project_files() if p.parts[0] == "planner"}
    assert units - {"__init__"} <= set(PLANNER_LAYERS), units - set(PLANNER_LAYERS)


def test_no_module_imports_across_the_layers():
    found = [v for p in project_files() for v in violations(p, (ROOT / p).read_text("utf-8"))]
    assert found == []


def test_the_layer_check_catches_each_kind_of_breach():
    # The check above must be able to fail: each of these sources breaks one rule.
    cases = {
        Path("planner/model.py"): "def f():\n    import streamlit as st\n",
        Path("planner/text/fold.py"): "from planner.catalogue.model import Catalogue\n",
        Path("planner/store/plans.py"): "from planner import drafting\n",
        Path("planner/docx/writer.py"): "import components.state\n",
        Path("components/state.py"): "from views import editor\n",
    }
    for path, source in cases.items():
        assert violations(path, source), path
    assert violations(Path("planner/cli/main.py"), "from planner.docx.writer import x\n") == []


def test_every_planner_package_says_what_it_holds_and_may_import():
    for init in (ROOT / "planner").glob("*/__init__.py"):
        doc = ast.get_docstring(ast.parse(init.read_text("utf-8")))
        assert doc and "Layer" in doc, init


def test_importing_every_planner_module_leaves_streamlit_out():
    names = sorted(
        ".".join(p.with_suffix("").parts).removesuffix(".__init__")
        for p in project_files()
        if p.parts[0] == "planner" and p.name != "__main__.py"
    )
    code = (
        "import importlib, sys\n"
        f"for n in {names!r}: importlib.import_module(n)\n"
        "print(sorted(m for m in sys.modules if m == 'streamlit' or m.startswith('streamlit.')))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert out.stdout.strip() == "[]"
    assert len(names) > 30


def test_ruff_bans_streamlit_in_planner():
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
