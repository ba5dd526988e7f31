"""One owner of session state, and thin pages.

`components/state.py` is the only module of components/, views/ and app.py that touches
`st.session_state` or `st.query_params`; everyone else goes through the names and accessors it
declares, and never hands those accessors a key spelled as a bare string. Every page in views/
stays under 250 lines: a page lays out components, it does not hold their bodies.
The rules are read from the code itself (ast), so a new file is checked the day it is added.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OWNER = Path("components/state.py")
OWNED_NAMES = {"session_state", "query_params"}
# `state.<accessor>(key, ...)`: the key must be a name declared in state.py, not a literal.
ACCESSORS = {"get", "put", "pop", "has", "bump", "seed", "widget_value"}
MAX_VIEW_LINES = 250


def ui_files() -> list[Path]:
    """Every Python file of components/, views/ and app.py, relative to the project root."""
    files = [Path("app.py")]
    for folder in ("components", "views"):
        files += sorted(p.relative_to(ROOT) for p in (ROOT / folder).rglob("*.py"))
    return files


def state_violations(source: str) -> list[str]:
    """Where `source` reaches session state or query parameters itself, or hands a state
    accessor a literal key (line: what)."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source)):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Attribute) and node.attr in OWNED_NAMES:
            # st.session_state[...], .get(...), .x, `in st.session_state`, streamlit.query_params
            found.append(f"{line}: .{node.attr}")
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("streamlit"):
            found += [f"{line}: import {a.name}" for a in node.names if a.name in OWNED_NAMES]
        elif isinstance(node, ast.Constant) and node.value in OWNED_NAMES:
            found.append(f"{line}: {node.value!r}")  # getattr(st, "session_state")
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ACCESSORS
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "state"
            and node.args
            and isinstance(node.args[0], ast.Constant | ast.JoinedStr | ast.BinOp)
        ):
            found.append(f"{line}: state.{node.func.attr}() with an undeclared key")
    return found


def too_long(source: str) -> bool:
    return len(source.splitlines()) >= MAX_VIEW_LINES


def test_only_state_py_touches_session_state_and_query_params() -> None:
    files = ui_files()
    assert OWNER in files and Path("views/catalogue.py") in files  # the scan sees the app
    problems = {
        str(path): found
        for path in files
        if path != OWNER and (found := state_violations((ROOT / path).read_text("utf-8")))
    }
    assert not problems, f"declare these keys in {OWNER} and use its accessors: {problems}"


def test_state_py_declares_what_the_app_uses() -> None:
    """The owner really is the one doing it (the rule above is not met by an empty app)."""
    source = (ROOT / OWNER).read_text("utf-8")
    kinds = {v.split(": ")[1] for v in state_violations(source)}
    assert {".session_state", ".query_params"} <= kinds


def test_every_page_is_thin() -> None:
    views = [p for p in ui_files() if p.parts[0] == "views"]
    assert len(views) >= 6
    long = {
        str(p): len((ROOT / p).read_text("utf-8").splitlines())
        for p in views
        if too_long((ROOT / p).read_text("utf-8"))
    }
    assert not long, f"move these pages' bodies into components/: {long}"


@pytest.mark.parametrize(
    "source",
    [
        "import streamlit as st\nx = st.session_state['a']\n",
        "import streamlit as st\nx = st.session_state.get('a')\n",
        "import streamlit as st\nst.session_state.a = 1\n",
        "import streamlit as st\nok = 'a' in st.session_state\n",
        "import streamlit as st\ndel st.session_state['a']\n",
        "import streamlit as st\nx = st.query_params.get('plan')\n",
        "import streamlit as st\nst.query_params['plan'] = 'x'\n",
        "import streamlit as st\nok = 'plan' in st.query_params\n",
        "import streamlit\nx = streamlit.session_state['a']\n",
        "from streamlit import session_state\n",
        "from streamlit import query_params as q\n",
        "import streamlit as st\nx = getattr(st, 'session_state')\n",
        "from components import state\nx = state.get('catalogue.draft')\n",
        "from components import state\nstate.put(f'catalogue.{x}', 1)\n",
        "from components import state\nstate.pop(state.CATALOGUE + 'flash')\n",
    ],
)
def test_the_scanner_catches_every_form(source: str) -> None:
    assert state_violations(source)


@pytest.mark.parametrize(
    "source",
    [
        "import streamlit as st\nst.switch_page('views/editor.py', query_params={'plan': 'x'})\n",
        "# st.session_state is for components/state.py only\nx = 1\n",
        "from components import state\nx = state.get(state.CATALOGUE_DRAFT)\n",
        "from components import state\nstate.put(k, state.widget_value(k))\n",
    ],
)
def test_the_scanner_lets_declared_use_pass(source: str) -> None:
    assert not state_violations(source)


def test_the_size_rule_counts_lines() -> None:
    assert not too_long("x = 1\n" * (MAX_VIEW_LINES - 1))
    assert too_long("x = 1\n" * MAX_VIEW_LINES)
