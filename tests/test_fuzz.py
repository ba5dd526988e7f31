"""Fuzzing every CLI command that reads a file, with inputs mutated from valid ones.

Structure-aware mutations of a valid plan (JSON values replaced, keys dropped, list items
duplicated, hostile strings), of a valid catalogue CSV (headers renamed or dropped, cells
replaced, other delimiters and encodings) and of a valid export's `word/document.xml`.

The invariant, for every command: exit 0 or 1 with a result, or exit 2 with exactly one
Vietnamese `Lỗi:` line on stderr; never an exception; nothing written besides `-o`. The runs
are in-process (fast); `test_mutated_inputs_in_a_bounded_subprocess` replays a few under a
timeout and `RLIMIT_AS` to bound time and memory.

The budget is `FUZZ_EXAMPLES` examples per input kind (default small, so `make test` stays
quick); `make fuzz` runs a longer one.
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
import os
import random
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.cli.main import main
from planner.docx.writer import export_docx
from planner.model import plan_to_dict
from planner.sample import sample_plan
from tests.conftest import ROOT
from tests.test_bad_input import VIETNAMESE, run_cli

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "12"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,  # one run may take a second; the subprocess test bounds time
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=os.environ.get("FUZZ_RANDOM") is None,
)
HOSTILE_TEXT = st.sampled_from(
    [
        "",
        "\u202eKẾ HOẠCH",
        "a\u200b\u200db\ufeff",
        "\x00\x01\x1f",
        "x" * 5000,
        "…/KH-UBND",
        "II.9.z",
        "Căn cứ Nghị quyết số 25-NQ/TW ngày 03/6/2013;",
        "\ud800",
        "=cmd|' /c calc'!A1",
    ]
)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**40), 2**40) | HOSTILE_TEXT | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
CATALOGUE_LINES = (ROOT / "data" / "directives.csv").read_text("utf-8-sig").splitlines()[:15]
ENCODINGS = ("utf-8", "utf-8-sig", "utf-16", "cp1258", "latin-1")


# ------------------------------------------------------------------ running a command


@contextlib.contextmanager
def _cwd(path: Path) -> Iterator[None]:
    old = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


def run_in_process(argv: list[str], work: Path, output: str = "") -> tuple[int, str, str]:
    """Run one command in `work`; check the invariant; return (code, stdout, stderr)."""
    before = {p: p.read_bytes() for p in work.iterdir() if p.is_file()}
    out, err = io.StringIO(), io.StringIO()
    with _cwd(work), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(argv)
        except SystemExit as e:  # argparse
            code = int(e.code or 0)
    stdout, stderr = out.getvalue(), err.getvalue()
    assert "Traceback" not in stdout + stderr
    assert code in (0, 1, 2), (code, stderr)
    if code == 2:
        lines = stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Lỗi:"), stderr
        assert VIETNAMESE & set(lines[0].lower()), stderr
    after = {p for p in work.iterdir() if p.is_file()}
    new = {p.name for p in after - set(before)}
    assert new <= ({output} if output and code != 2 else set()), (argv, new, stderr)
    for p, data in before.items():
        assert p.read_bytes() == data, f"{argv[0]} wrote to {p.name}"
    return code, stdout, stderr


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    base = tmp_path_factory.mktemp("fuzz")
    saved = {k: os.environ.get(k) for k in ("PLANNER_DB", "PLANNER_TODAY")}
    os.environ["PLANNER_DB"] = str(base / "no-db" / "planner.db")  # never created
    os.environ["PLANNER_TODAY"] = "2021-03-01"
    yield base
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


_COUNTER = iter(range(10**9))


def _work(base: Path) -> Path:
    work = base / f"w{next(_COUNTER)}"
    work.mkdir()
    return work


# ------------------------------------------------------------------ mutations


def _mutate_json(data: Any, draw: Any) -> Any:
    """One structural mutation somewhere in `data` (a copy is changed)."""
    data = copy.deepcopy(data)
    containers: list[Any] = []

    def walk(x: Any) -> None:
        if isinstance(x, (dict, list)):
            containers.append(x)
            for v in x.values() if isinstance(x, dict) else x:
                walk(v)

    walk(data)
    target = draw(st.sampled_from(containers))
    keys = list(target.keys()) if isinstance(target, dict) else list(range(len(target)))
    if not keys:
        return data
    key = draw(st.sampled_from(keys))
    op = draw(st.sampled_from(["replace", "drop", "duplicate", "text"]))
    if op == "replace":
        target[key] = draw(JSON_VALUES)
    elif op == "drop":
        del target[key]
    elif op == "duplicate" and isinstance(target, list):
        target.insert(key, copy.deepcopy(target[key]))
    elif op == "text":
        target[key] = draw(HOSTILE_TEXT)
    return data


@st.composite
def plan_files(draw: Any) -> bytes:
    data = plan_to_dict(sample_plan())
    data["tasks"] = [
        {"id": "t1", "title": "Việc A", "section": "II.1", "status": "planned"},
        {"id": "t2", "title": "Việc B", "due": "2021-11-25"},
    ]
    for _ in range(draw(st.integers(1, 4))):
        data = _mutate_json(data, draw)
    return json.dumps(data, ensure_ascii=draw(st.booleans())).encode("utf-8")


@st.composite
def catalogue_files(draw: Any) -> bytes:
    rows = [line.split(",") for line in CATALOGUE_LINES]
    for _ in range(draw(st.integers(1, 4))):
        r = draw(st.integers(0, len(rows) - 1))
        c = draw(st.integers(0, len(rows[r]) - 1))
        op = draw(st.sampled_from(["cell", "drop-column", "rename", "quote", "drop-row"]))
        if op == "cell":
            rows[r][c] = draw(HOSTILE_TEXT | st.text(max_size=20)).replace("\n", " ")
        elif op == "drop-column":
            for row in rows:
                if c < len(row):
                    del row[c]
        elif op == "rename":
            rows[0][min(c, len(rows[0]) - 1)] = draw(
                st.sampled_from(["", "Số ký hiệu", "ID", "id"])
            )
        elif op == "quote" and r > 0:  # a header with a quoted line break: see below
            rows[r][c] = '"' + rows[r][c]
        elif op == "drop-row" and len(rows) > 1:
            del rows[r]
    sep = draw(st.sampled_from([",", ";", "\t"]))
    text = "\n".join(sep.join(row) for row in rows) + "\n"
    encoding = draw(st.sampled_from(ENCODINGS))
    return text.encode(encoding, errors="replace")


@pytest.fixture(scope="module")
def export_bytes() -> bytes:
    return export_docx(sample_plan(), today=date(2021, 3, 1))


def _mutate_docx(data: bytes, seed: int, ops: int) -> bytes:
    rng = random.Random(seed)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    xml = parts["word/document.xml"]
    snippets = [
        b"<w:p>",
        b"</w:p>",
        b'<w:fldSimple w:instr="INCLUDETEXT x">',
        b"<w:t>\xe2\x80\xae</w:t>",
        b'<w:altChunk r:id="rId999"/>',
        b"&amp;",
        b"\x00",
        b"<w:tbl><w:tr><w:tc>",
    ]
    for _ in range(ops):
        i = rng.randrange(len(xml))
        j = min(len(xml), i + rng.randrange(1, 200))
        op = rng.choice(["delete", "duplicate", "insert"])
        if op == "delete":
            xml = xml[:i] + xml[j:]
        elif op == "duplicate":
            xml = xml[:j] + xml[i:j] + xml[j:]
        else:
            xml = xml[:i] + rng.choice(snippets) + xml[i:]
    parts["word/document.xml"] = xml
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zw:
        for n, b in parts.items():
            zw.writestr(n, b)
    return out.getvalue()


# ------------------------------------------------------------------ the commands

PLAN_COMMANDS: list[tuple[list[str], str]] = [
    (["check-plan", "{f}"], ""),
    (["check-citations", "{f}"], ""),
    (["findings", "{f}", "--apply", "all", "-o", "out.json"], "out.json"),
    (["export", "{f}", "-o", "out.docx"], "out.docx"),
    (["rollover", "{f}", "--year", "2021", "-o", "out.json"], "out.json"),
    (["new", "--year", "2021", "--from", "{f}", "-o", "out.json"], "out.json"),
    (["harvest-citations", "{f}", "-o", "out.csv"], "out.csv"),
]
CSV_COMMANDS: list[tuple[list[str], str]] = [
    (["check-catalogue", "{f}"], ""),
    (["import-catalogue", "{f}", "-o", "out.csv"], "out.csv"),
    (["check-plan", "plan.json", "--catalogue", "{f}"], ""),
    (["check-citations", "plan.json", "--catalogue", "{f}"], ""),
]
DOCX_COMMANDS: list[tuple[list[str], str]] = [
    (["check-docx", "{f}"], ""),
    (["import-docx", "{f}", "-o", "out.json"], "out.json"),
    (["export", "plan.json", "-o", "out.docx", "--template", "{f}"], "out.docx"),
    (["harvest-citations", "{f}", "-o", "out.csv"], "out.csv"),
]


def _run_all(base: Path, name: str, data: bytes, commands: list[tuple[list[str], str]]) -> None:
    for argv, output in commands:
        work = _work(base)
        (work / name).write_bytes(data)
        (work / "plan.json").write_text(json.dumps(plan_to_dict(sample_plan())), "utf-8")
        run_in_process([a.format(f=name) for a in argv], work, output)


@FUZZ
@given(data=plan_files(), command=st.sampled_from(PLAN_COMMANDS))
def test_plan_commands_on_mutated_plans(
    env: Path, data: bytes, command: tuple[list[str], str]
) -> None:
    _run_all(env, "ke-hoach.json", data, [command])


@FUZZ
@given(data=catalogue_files(), command=st.sampled_from(CSV_COMMANDS))
def test_catalogue_readers_on_mutated_csv(
    env: Path, data: bytes, command: tuple[list[str], str]
) -> None:
    _run_all(env, "danh-muc.csv", data, [command])


@FUZZ
@given(seed=st.integers(0, 2**32), ops=st.integers(1, 6), command=st.sampled_from(DOCX_COMMANDS))
def test_docx_commands_on_mutated_document_xml(
    env: Path, export_bytes: bytes, seed: int, ops: int, command: tuple[list[str], str]
) -> None:
    _run_all(env, "van-ban.docx", _mutate_docx(export_bytes, seed, ops), [command])


def test_a_header_with_a_line_break_is_refused_on_one_line(env: Path) -> None:
    data = b'"id,doc_type\nkh-1,KH",x\nkh-2,2/KH\n'
    _run_all(env, "danh-muc.csv", data, [(["import-catalogue", "{f}", "-o", "out.csv"], "out.csv")])


def test_mutated_inputs_in_a_bounded_subprocess(tmp_path: Path, export_bytes: bytes) -> None:
    """A few mutated inputs under a timeout and an address-space limit (`run_cli`)."""
    rng = random.Random(7)
    plan = json.loads(json.dumps(plan_to_dict(sample_plan())))
    plan["sections"][0]["title"] = "\u202e" + plan["sections"][0]["title"]
    plan["tasks"] = [{"id": "t1", "title": "A"}, {"id": "t1", "title": "A"}]
    cases = [
        ("ke-hoach.json", json.dumps(plan).encode(), PLAN_COMMANDS[:4]),
        ("danh-muc.csv", "\n".join(CATALOGUE_LINES).encode("utf-16"), CSV_COMMANDS[:2]),
        ("van-ban.docx", _mutate_docx(export_bytes, rng.randrange(2**32), 4), DOCX_COMMANDS[:2]),
    ]
    sample = tmp_path / "plan.json"
    sample.write_text(json.dumps(plan_to_dict(sample_plan())), "utf-8")
    for name, data, commands in cases:
        for argv, output in commands:
            work = tmp_path / f"{argv[0]}-{name}"
            work.mkdir()
            (work / name).write_bytes(data)
            (work / "plan.json").write_bytes(sample.read_bytes())
            code, _, err, seconds = run_cli(
                [a.format(f=name) for a in argv], work, tmp_path / "none" / "db"
            )
            assert code in (0, 1, 2) and "Traceback" not in err, err
            assert code != 2 or len(err.strip().splitlines()) == 1, err
            assert seconds < 30
            names = {p.name for p in work.iterdir()}
            assert names <= {name, "plan.json", output}, names


def test_a_refused_import_in_another_encoding_is_one_line(env: Path) -> None:
    data = b"doc_type,symbol,title,status\nK\xea\xcc ho\xd2ch,1/KH,v\xea\xd2 x,zzz\n"
    _run_all(env, "danh-muc.csv", data, [(["import-catalogue", "{f}", "-o", "out.csv"], "out.csv")])
