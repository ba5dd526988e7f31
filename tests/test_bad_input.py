"""Hostile and broken files, through the command line and through the upload widgets.

Fixtures are in tests/data/bad/ (written by make_bad.py there; big ones are made here). Every
case must give a clear Vietnamese message naming the file, within seconds, in bounded memory,
and leave nothing half-written: the CLI exits 2 (or 1 for a readable file with findings, as
DESIGN.md says) with one line on stderr and no traceback; a page shows `st.error` naming the
file, keeps running, and the store holds exactly the plans and versions it held before.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import time
import tomllib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from planner.docx.safety import MAX_DOCX_BYTES
from planner.model import MAX_PLAN_BYTES
from tests.conftest import ROOT, make_app
from tests.data.bad import make_bad

BAD = ROOT / "tests" / "data" / "bad"
MEMORY_LIMIT = 1536 * 1024 * 1024  # address space of one CLI run
TIME_LIMIT_S = 30  # a hang guard on one CLI run ("within seconds"); idle runs take about 1 s
VIETNAMESE = set("ăâđêôơưáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ")


def _available_commands() -> set[str]:
    from planner.cli.main import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    return set(sub.choices)  # type: ignore[arg-type]


COMMANDS = _available_commands()

# ------------------------------------------------------------------ the cases


@dataclass(frozen=True)
class Case:
    """One CLI run: `argv` with {file}/{out} placeholders and the exit codes DESIGN allows."""

    file: str
    command: str
    argv: tuple[str, ...]
    codes: frozenset[int]
    output: str = ""  # the -o file, which must not exist after a refusal

    @property
    def id(self) -> str:
        return f"{self.command}-{self.file}"


DOCX_FILES = [
    "empty.docx",
    "random.docx",
    "renamed.docx",
    "legacy.doc",
    "legacy-renamed.docx",
    "encrypted.docx",
    "zip-bomb.docx",
    "lying-zip-bomb.docx",
    "entity-expansion.docx",
    "external-entity.docx",
    "deeply-nested.docx",
    "truncated.docx",
    "spreadsheet.docx",
    "big-zip-bomb.docx",  # generated: > 100 MB unpacked
    "oversize.docx",  # generated: over the 20 MB limit
]
# CSV: what check-catalogue must answer (0 clean, 1 findings, 2 unreadable).
CSV_CHECK = {
    "catalogue-cp1258.csv": {0},  # read (with a note) and the Vietnamese is right, see below
    "catalogue-utf16.csv": {0},
    "catalogue-semicolon.csv": {0},
    "catalogue-bom.csv": {0},
    "catalogue-missing-columns.csv": {1},
    "catalogue-impossible-dates.csv": {1},
    "catalogue-formula.csv": {1},
    "catalogue-duplicates.csv": {1},
    "catalogue-empty.csv": {2},
    "catalogue-random.csv": {2},
    "catalogue-big-field.csv": {2},  # generated: one 2 MB cell
}
PLAN_FILES = [
    "plan-not-json.json",
    "plan-empty.json",
    "plan-wrong-shape.json",
    "plan-wrong-field.json",
    "plan-future-schema.json",
    "plan-nested-sections.json",
    "plan-nested-json.json",
    "plan-binary.json",
    "plan-oversize.json",  # generated: over the 20 MB limit
]


def _cases() -> list[Case]:
    cases = []
    docx_cmds = {
        "import-docx": (("import-docx", "{file}", "-o", "{out}"), {2}, "out.json"),
        "check-docx": (("check-docx", "{file}"), {2}, ""),
    }
    for command, (argv, codes, out) in docx_cmds.items():
        if command in COMMANDS:
            cases += [Case(f, command, argv, frozenset(codes), out) for f in DOCX_FILES]
    if "check-catalogue" in COMMANDS:
        cases += [
            Case(f, "check-catalogue", ("check-catalogue", "{file}"), frozenset(codes))
            for f, codes in CSV_CHECK.items()
        ]
    # A bad catalogue given to a command that uses one (search; rollover and check-citations
    # read it the same way, Catalogue.from_csv): it works (0) or refuses (2); unreadable files
    # must be refused.
    uses_catalogue = {
        "search": (("search", "dan van", "--catalogue", "{file}"), ""),
    }
    for command, (argv, out) in uses_catalogue.items():
        if command in COMMANDS:
            for f, check_codes in CSV_CHECK.items():
                codes = {2} if check_codes == {2} else {0, 2}
                cases.append(Case(f, f"{command}+catalogue", argv, frozenset(codes), out))
    plan_cmds = {
        "rollover": (("rollover", "{file}", "--year", "2021", "-o", "{out}"), "out.json"),
        "check-citations": (("check-citations", "{file}"), ""),
        "export": (("export", "{file}", "-o", "{out}"), "out.docx"),
    }
    for command, (argv, out) in plan_cmds.items():
        if command in COMMANDS:
            cases += [Case(f, command, argv, frozenset({2}), out) for f in PLAN_FILES]
    return cases


CASES = _cases()


def _generated(tmp: Path) -> dict[str, Path]:
    """The fixtures too big to commit, written to `tmp`."""
    made = {
        "big-zip-bomb.docx": make_bad.zip_bomb(150),
        "oversize.docx": b"PK\x03\x04" + bytes(MAX_DOCX_BYTES + 1024),
        "catalogue-big-field.csv": make_bad.big_field_csv(),
        "plan-oversize.json": b'{"schema_version": 1, "preamble": ["'
        + b"a" * (MAX_PLAN_BYTES + 1024)
        + b'"]}',
    }
    paths = {}
    for name, data in made.items():
        (tmp / name).write_bytes(data)
        paths[name] = tmp / name
    return paths


def fixture_path(name: str, generated: dict[str, Path]) -> Path:
    return generated.get(name) or BAD / name


@dataclass(frozen=True)
class Result:
    code: int
    stdout: str
    stderr: str
    seconds: float
    output_exists: bool


def _limit_resources() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    resource.setrlimit(resource.RLIMIT_CPU, (TIME_LIMIT_S, TIME_LIMIT_S))


def run_cli(argv: list[str], cwd: Path, env_db: Path) -> tuple[int, str, str, float]:
    env = {
        "PATH": "/usr/bin:/bin",
        "PLANNER_DB": str(env_db),
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "PYTHONPATH": str(ROOT),
        "LANG": "C.UTF-8",
    }
    t0 = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "planner", *argv],
        cwd=cwd,
        env=env,
        capture_output=True,
        timeout=TIME_LIMIT_S * 2,
        preexec_fn=_limit_resources,
    )
    return (
        proc.returncode,
        proc.stdout.decode("utf-8", "replace"),
        proc.stderr.decode("utf-8", "replace"),
        time.monotonic() - t0,
    )


@pytest.fixture(scope="module")
def cli_results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Result]:
    """Every CLI case, run once, several at a time (each in its own directory)."""
    tmp = tmp_path_factory.mktemp("bad-cli")
    generated = _generated(tmp)
    sample = tmp / "sample.json"
    code, _, err, _ = run_cli(["sample", "-o", str(sample)], tmp, tmp / "db.sqlite")
    assert code == 0, err

    def one(case: Case) -> tuple[str, Result]:
        work = tmp / case.id
        work.mkdir()
        out = work / case.output if case.output else work / "unused"
        argv = [
            a.format(file=fixture_path(case.file, generated), out=out, sample=sample)
            for a in case.argv
        ]
        code, stdout, stderr, seconds = run_cli(argv, work, work / "planner.db")
        return case.id, Result(code, stdout, stderr, seconds, out.exists())

    with ThreadPoolExecutor(max_workers=4) as pool:
        return dict(pool.map(one, CASES))


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_cli_refuses_cleanly(case: Case, cli_results: dict[str, Result]) -> None:
    r = cli_results[case.id]
    assert "Traceback" not in r.stderr + r.stdout, r.stderr
    assert r.code in case.codes, f"exit {r.code}, stderr: {r.stderr!r}"
    assert r.seconds < TIME_LIMIT_S, f"took {r.seconds:.1f} s"
    if r.code == 2:
        lines = r.stderr.strip().splitlines()
        assert len(lines) == 1, f"one line expected on stderr, got: {r.stderr!r}"
        line = lines[0]
        assert line.startswith("Lỗi:")
        stem = Path(case.file).name
        assert stem in line, f"the message must name the file: {line!r}"
        assert VIETNAMESE & set(line.lower()), f"not Vietnamese: {line!r}"
        assert not r.output_exists, "a refused input must not leave an output file"
    elif r.code == 1:
        # Findings: one Vietnamese line per finding on stdout, naming the file.
        assert Path(case.file).name in r.stdout
        assert VIETNAMESE & set(r.stdout.lower())


def test_every_kind_of_bad_input_is_covered() -> None:
    """The issue's list, each with a committed or generated fixture."""
    names = set(make_bad.fixtures()) | {
        "big-zip-bomb.docx",
        "oversize.docx",
        "catalogue-big-field.csv",
        "plan-oversize.json",
    }
    assert set(DOCX_FILES) | set(CSV_CHECK) | set(PLAN_FILES) <= names
    assert {"import-docx", "check-catalogue", "rollover"} <= COMMANDS


def test_committed_fixtures_match_the_script() -> None:
    for name, data in make_bad.fixtures().items():
        path = BAD / name
        assert path.exists(), f"run tests/data/bad/make_bad.py: {name} is missing"
        assert path.read_bytes() == data, f"run tests/data/bad/make_bad.py: {name} is stale"
        assert len(data) < 200 * 1024


# ------------------------------------------------------------------ the readers themselves


@pytest.mark.parametrize(
    "name",
    ["catalogue-cp1258.csv", "catalogue-utf16.csv", "catalogue-semicolon.csv", "catalogue-bom.csv"],
)
def test_catalogue_files_in_office_encodings_keep_their_vietnamese(name: str) -> None:
    from planner.catalogue.files import read_table

    table = read_table((BAD / name).read_bytes(), name)
    assert table.headers[:4] == ("id", "doc_type", "number", "symbol")
    issuers = {dict(zip(table.headers, r, strict=False))["issuer"] for r in table.rows}
    assert issuers == {r["issuer"] for r in make_bad.GOOD_ROWS}


def test_catalogue_formula_cells_never_leave_as_formulas() -> None:
    from planner.catalogue.files import safe_cell

    for value in ("=1+1", "+1", "-1", "@SUM(A1)"):
        assert safe_cell(value).startswith("'")


# ------------------------------------------------------------------ upload limit


def test_upload_limit_matches_the_largest_file_we_read() -> None:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text("utf-8"))
    limit_mb = config["server"]["maxUploadSize"]
    assert isinstance(limit_mb, int)
    # Streamlit refuses above the limit before our code runs; our own limits (20 MB .docx,
    # 20 MB plan) must fit under it, so that a user gets our Vietnamese message, not Streamlit's.
    assert MAX_DOCX_BYTES <= limit_mb * 1024 * 1024
    assert MAX_PLAN_BYTES <= limit_mb * 1024 * 1024
    assert limit_mb <= 50, "the limit bounds memory per upload; keep it small"


# ------------------------------------------------------------------ upload widgets


def _store_counts(db: Path) -> tuple[int, int]:
    from planner.store.plans import PlanStore

    store = PlanStore(db)
    plans = store.list_plans(include_deleted=True)
    return len(plans), sum(len(store.versions(p.id)) for p in plans)


def _errors(at) -> list[str]:  # type: ignore[no-untyped-def]
    return [e.value for e in at.error]


PLAN_UPLOADS = [
    "plan-not-json.json",
    "plan-empty.json",
    "plan-wrong-shape.json",
    "plan-wrong-field.json",
    "plan-future-schema.json",
    "plan-nested-sections.json",
    "plan-nested-json.json",
    "plan-binary.json",
    "plan-oversize.json",  # generated: 20 MB and more, under Streamlit's 25 MB limit
]


@pytest.mark.parametrize("name", PLAN_UPLOADS)
def test_home_plan_upload_refuses_with_a_message_and_saves_nothing(
    app_env: Path, name: str
) -> None:
    at = make_app().run()
    # One good plan first, so "nothing saved" is checked against a non-empty store.
    next(b for b in at.button if b.label == "Mở kế hoạch mẫu 2020").click().run()
    before = _store_counts(app_env)
    uploader = at.file_uploader(key="home.upload_json")
    uploader.set_value((name, _bad_bytes(name, BAD), "application/json")).run()
    at.button(key="home.upload_save").click().run()
    assert not at.exception, [e.value for e in at.exception]
    errors = _errors(at)
    assert len(errors) == 1 and name in errors[0], errors
    assert VIETNAMESE & set(errors[0].lower())
    assert _store_counts(app_env) == before
    # The app keeps running: the saved plan is still listed and can be opened.
    at.run()
    assert not at.exception
    assert any("Đang mở" in s.value for s in at.success)


def _snapshot(db: Path) -> tuple[int, int, int]:
    """Plans, versions and user catalogue rows in the store: what an upload could half-save."""
    import sqlite3

    with sqlite3.connect(db) as con:
        return (
            con.execute("SELECT COUNT(*) FROM plans").fetchone()[0],
            con.execute("SELECT COUNT(*) FROM plan_versions").fetchone()[0],
            con.execute("SELECT COUNT(*) FROM user_directives").fetchone()[0],
        )


def _opened_app():  # type: ignore[no-untyped-def]
    at = make_app().run()
    next(b for b in at.button if b.label == "Mở kế hoạch mẫu 2020").click().run()
    assert not at.exception
    return at


def _bad_bytes(name: str, tmp: Path) -> bytes:
    generated = {
        "big-zip-bomb.docx": lambda: make_bad.zip_bomb(150),
        "catalogue-big-field.csv": make_bad.big_field_csv,
        "plan-oversize.json": lambda: (
            b'{"schema_version": 1, "preamble": ["' + b"a" * (MAX_PLAN_BYTES + 1024) + b'"]}'
        ),
    }
    return generated[name]() if name in generated else (BAD / name).read_bytes()


def _upload_each(at, key: str, files: list[tuple[str, str]], db: Path, tmp: Path) -> None:  # type: ignore[no-untyped-def]
    """Upload each (fixture, name shown to the app) through the widget `key`; every one must
    give one Vietnamese st.error naming the file, no exception, and change nothing stored."""
    before = _snapshot(db)
    for fixture, shown in files:
        at.file_uploader(key=key).set_value(
            (shown, _bad_bytes(fixture, tmp), "application/octet-stream")
        ).run()
        assert not at.exception, (fixture, [e.value for e in at.exception])
        errors = _errors(at)
        assert len(errors) == 1, (fixture, errors)
        assert shown in errors[0], (fixture, errors[0])
        assert VIETNAMESE & set(errors[0].lower()), (fixture, errors[0])
        assert _snapshot(db) == before, f"{fixture}: something was saved"
    at.file_uploader(key=key).set_value(None).run()
    assert not at.exception


WORD_UPLOADS = [n for n in DOCX_FILES if n != "oversize.docx"]  # Streamlit's limit is 25 MB


def test_new_year_docx_upload_refuses_every_bad_word_file(app_env: Path, tmp_path: Path) -> None:
    at = _opened_app()
    at.radio(key="newyear.source").set_value("docx").run()
    files = [(n, n if n.endswith(".docx") else n + ".docx") for n in WORD_UPLOADS]
    _upload_each(at, "newyear.docx", files, app_env, tmp_path)


def test_export_check_refuses_every_bad_word_file(app_env: Path, tmp_path: Path) -> None:
    at = _opened_app()
    at.switch_page("views/export.py").run()
    assert not at.exception
    files = [(n, n if n.endswith(".docx") else n + ".docx") for n in WORD_UPLOADS]
    _upload_each(at, "export.check", files, app_env, tmp_path)


def test_catalogue_import_refuses_unreadable_files(app_env: Path, tmp_path: Path) -> None:
    at = _opened_app()
    at.switch_page("views/catalogue.py")
    at.session_state["catalogue.section"] = "import"
    at.run()
    assert not at.exception
    files = [
        ("catalogue-empty.csv", "danh-muc-trong.csv"),
        ("catalogue-random.csv", "danh-muc-ngau-nhien.csv"),
        ("catalogue-big-field.csv", "danh-muc-o-2MB.csv"),
        ("zip-bomb.docx", "danh-muc-bom-nen.xlsx"),  # a zip bomb named .xlsx
        ("spreadsheet.docx", "danh-muc-hong.xlsx"),  # a zip with a bare workbook part
        ("legacy.doc", "danh-muc-cu.xls.csv"),
    ]
    _upload_each(at, "catalogue.import.file", files, app_env, tmp_path)


@pytest.mark.parametrize(
    "name",
    [
        "catalogue-missing-columns.csv",
        "catalogue-impossible-dates.csv",
        "catalogue-formula.csv",
        "catalogue-duplicates.csv",
    ],
)
def test_catalogue_import_blocks_bad_rows_and_saves_nothing_unasked(
    app_env: Path, name: str
) -> None:
    """A readable file with bad rows: they are shown as errors and never imported."""
    from planner.catalogue.user_rows import user_directives
    from planner.store.plans import PlanStore

    at = _opened_app()
    at.switch_page("views/catalogue.py")
    at.session_state["catalogue.section"] = "import"
    at.run()
    before = _snapshot(app_env)
    at.file_uploader(key="catalogue.import.file").set_value(
        (name, (BAD / name).read_bytes(), "text/csv")
    ).run()
    assert not at.exception, [e.value for e in at.exception]
    assert _snapshot(app_env) == before  # nothing saved by the upload itself
    go = [b for b in at.button if b.key == "catalogue.import.go"]
    if name != "catalogue-duplicates.csv":
        assert _errors(at), "rows with problems must be reported"
    if go:
        go[0].click().run()
        assert not at.exception
    saved = user_directives(PlanStore(app_env))
    for d in saved:  # whatever was imported is a clean row: no formula id, no impossible date
        assert not d.id.startswith(("=", "+", "-", "@"))
    assert len({d.id for d in saved}) == len(saved)


def test_progress_report_import_refuses_unreadable_files(app_env: Path, tmp_path: Path) -> None:
    at = _opened_app()
    at.switch_page("views/progress.py").run()
    assert not at.exception
    files = [
        ("catalogue-empty.csv", "bao-cao-trong.csv"),
        ("catalogue-random.csv", "bao-cao-ngau-nhien.csv"),
        ("zip-bomb.docx", "bao-cao-bom-nen.xlsx"),
        ("renamed.docx", "bao-cao.xlsx"),
        ("legacy.doc", "bao-cao-cu.csv"),
    ]
    _upload_each(at, "progress.report.0", files, app_env, tmp_path)
