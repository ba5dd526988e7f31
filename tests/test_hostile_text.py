"""User text is text on every page: a plan and a catalogue row whose every field holds Markdown
and HTML meant to fetch an image, make a link, colour text or draw an icon, walked through
every page with AppTest; no string Streamlit receives for rendering as Markdown (bodies,
labels, help, radio options, expander and tab labels) holds one of those patterns unescaped.

Streamlit renders Markdown in the browser, so this checks the strings it is given;
tests/e2e/test_hostile_text.py watches the browser's requests and DOM.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime
from typing import Any

import pytest

from components import state
from planner.catalogue.model import Directive
from planner.catalogue.user_rows import save_directive
from planner.drafting.findings import new_finding, store_findings
from planner.model import Base, Block, Plan, Section, Signer, Task
from planner.sample import sample_plan
from planner.store.plans import PlanStore
from tests.conftest import make_app

NOW = datetime(2021, 3, 1, 8, 0)
HOST = "http://127.0.0.2:9"
HOSTILE = (
    f"# h ![x]({HOST}/p.png) [link]({HOST}/) <img src={HOST}/i> "
    "<script>alert(1)</script> **b** :red[x] :material/home: $x$"
)
ROW_ID = "hostile-row"
# Each a sign of hostile text Markdown would act on (an escaped copy matches none of them).
UNSAFE = {
    "link or image": re.compile(r"(?<!\\)\]\("),
    "HTML tag": re.compile(r"(?<!\\)<(?:img|script)", re.IGNORECASE),
    "bold": re.compile(r"(?<!\\)\*\*b"),
    "colour directive": re.compile(r"(?<!\\):red\["),
    "material icon": re.compile(r":material/home:"),
    "math": re.compile(r"(?<!\\)\$x"),
    "bare link": re.compile(r"https?://127\.0\.0\.2"),
    "heading": re.compile(r"(?m)^\s*# h"),
}
# Elements whose text is shown as it is (no Markdown): only their label is Markdown.
PLAIN_OPTIONS = {"selectbox", "multiselect", "select_slider"}
NOT_MARKDOWN = {"html", "code", "text", "arrow_data_frame", "dataframe", "json", "exception"}
MARKDOWN_FIELDS = {"body", "label", "help", "options", "value"}
PAGES = [
    "views/home.py",
    "views/editor.py",
    "views/catalogue.py",
    "views/progress.py",
    "views/meeting.py",
    "views/export.py",
]
# Pages whose unsafe lines are in files other helpers are editing (listed in the report of
# the user-text sweep): they flip to passing once those lines use components.safe_text.
# Pages still known to show user text unescaped (each an xfail(strict) case): none left.
OTHERS: dict[str, str] = {}


def hostile_plan() -> Plan:
    base = sample_plan()
    h = HOSTILE
    meta = replace(
        base.meta,
        subject=h,
        authority=h,
        parent_authority=h,
        place=h,
        symbol="KH-" + h,
        year=2021,
    )
    sections = (
        Section(
            "I",
            h,
            blocks=(
                Block("paragraph", h),
                Block("dash", h),
                Block("table", rows=((h, h), (h, h))),
            ),
            children=(Section("1", h, blocks=(Block("paragraph", h),)),),
        ),
        Section("II", h, blocks=(Block("plus", f"Năm 2020 {h}"),)),
    )
    tasks = (
        Task("t1", h, lead=h, support=(h, h), due=date(2021, 1, 31), status="in_progress"),
        Task("t2", h, lead=h, due=date(2021, 12, 31)),
    )
    plan = replace(
        base,
        meta=meta,
        bases=(Base(h), Base(h, directive_id=ROW_ID)),
        preamble=(h, h),
        sections=sections,
        closing=(h,),
        recipients=(h, h),
        signer=Signer(prefix="KT.", position=h, deputy_position=h, name=h),
        tasks=tasks,
    )
    text = sections[1].blocks[0].text
    finding = new_finding(
        "year",
        "",
        {"area": "section", "section": "II", "block": 0, "start": text.index("2020")},
        "2020",
        suggestion=h,
        message=h,
    )
    other = new_finding(
        "ended_period",
        "",
        {"area": "section", "section": "I", "block": 0, "start": 0},
        h[:10],
        message=h,
    )
    return store_findings(plan, [finding, other])


def hostile_row() -> Directive:
    h = HOSTILE
    return Directive(
        id=ROW_ID,
        doc_type="Kế hoạch",
        number="7",
        symbol="7/" + h,
        aliases=(h,),
        issued=date(2020, 5, 4),
        issuer=h,
        issuer_level="district",
        title=h,
        status="replaced",
        topics=(h,),
        source=h,
    )


def _nodes(node: Any) -> Iterator[Any]:
    yield node
    children = getattr(node, "children", None) or {}
    for child in children.values():
        yield from _nodes(child)


def _strings(message: Any, kind: str) -> Iterator[str]:
    """Every string of `message` Streamlit renders as Markdown."""
    for field, value in message.ListFields():
        name = field.name
        if field.message_type is not None:
            items = [value] if hasattr(value, "ListFields") else list(value)
            for item in items:
                yield from _strings(item, kind)
            continue
        if name not in MARKDOWN_FIELDS or field.type != field.TYPE_STRING:
            continue
        if name == "options" and kind in PLAIN_OPTIONS:
            continue
        if name == "value" and kind not in ("markdown", "caption"):
            continue  # an input's value is shown as typed
        items = [value] if isinstance(value, str) else list(value)
        yield from (str(v) for v in items)


def markdown_strings(at: Any) -> list[tuple[str, str]]:
    """(element type, string) for every string on screen Streamlit reads as Markdown."""
    found = []
    for node in _nodes(at._tree):
        proto = getattr(node, "proto", None)
        kind = str(getattr(node, "type", ""))
        if proto is None or kind in NOT_MARKDOWN:
            continue
        found.extend((kind, s) for s in _strings(proto, kind))
    return found


def unsafe_strings(at: Any) -> list[tuple[str, str, str]]:
    return [
        (what, kind, s)
        for kind, s in markdown_strings(at)
        for what, pattern in UNSAFE.items()
        if pattern.search(s)
    ]


@pytest.fixture
def hostile_app(app_env):  # type: ignore[no-untyped-def]
    store = PlanStore(app_env)
    save_directive(store, hostile_row(), now=NOW)
    plan_id = store.create(hostile_plan(), now=NOW)
    at = make_app()
    at.query_params["plan"] = plan_id
    at.run()
    assert not at.exception, at.exception
    return at


def _all_text(at: Any) -> str:
    return " ".join(str(getattr(n, "proto", "")) for n in _nodes(at._tree))


def _visit(at: Any, page: str) -> list[tuple[str, str, str]]:
    """Every screen of `page` the hostile text reaches; the unsafe strings seen on them."""
    at.switch_page(page).run()
    assert not at.exception, (page, at.exception)
    seen = unsafe_strings(at)
    shown = _all_text(at)
    if page == "views/editor.py":
        for view in ("header", "closing", "findings", "content"):
            at.radio(key=state.EDITOR_VIEW).set_value(view).run()
            assert not at.exception, (page, view, at.exception)
            seen += unsafe_strings(at)
            shown += _all_text(at)
    elif page == "views/catalogue.py":
        at.text_input(key="catalogue.query").input("7/").run()
        assert not at.exception, (page, at.exception)
        seen += unsafe_strings(at)
        shown += _all_text(at)
    assert "alert" in shown, f"{page}: the hostile text is not on screen, nothing was checked"
    return seen


@pytest.mark.parametrize(
    "page",
    [
        pytest.param(
            p,
            marks=[pytest.mark.xfail(strict=True, reason=f"unsafe lines listed: {OTHERS[p]}")]
            if p in OTHERS
            else [],
        )
        for p in PAGES
    ],
)
def test_hostile_text_stays_text_on_every_page(hostile_app, page: str) -> None:  # type: ignore[no-untyped-def]
    seen = _visit(hostile_app, page)
    assert not seen, "\n".join(f"{what} in {kind}: {s[:160]!r}" for what, kind, s in seen)


def test_the_check_finds_unescaped_text() -> None:
    """The patterns catch the raw text and none of its escaped form."""
    from components.safe_text import html_escape, md_escape

    assert all(p.search(HOSTILE) for p in UNSAFE.values() if p is not UNSAFE["bare link"])
    assert UNSAFE["bare link"].search(HOSTILE)
    for escaped in (md_escape(HOSTILE), html_escape(HOSTILE)):
        assert not any(p.search(escaped) for p in UNSAFE.values()), escaped
