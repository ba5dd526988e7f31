"""Hostile and broken files, through the command line and through the upload widgets.

Fixtures are in tests/data/bad/ (written by make_bad.py there; big ones are made here). Every
case must give a clear Vietnamese message naming the file, within seconds, in bounded memory,
and leave nothing half-written: the CLI exits 2 (or 1 for a readable file with findings, as
DESIGN.md says) with one line on stderr and no traceback; a page shows `st.error` naming the
file, keeps running, and the store holds exactly the plans and versions it held before.
"""

from __future__ import annotations

import re
import resource
import shutil
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


def registered_commands() -> set[str]:
    """The commands `python -m planner -h` lists (the parser's subcommands)."""
    from planner.cli.main import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    return set(sub.choices)  # type: ignore[arg-type]


# ------------------------------------------------------------------ the cases


@dataclass(frozen=True)
class Case:
    """One CLI run of `command` on one bad input, and the exit codes DESIGN allows.

    `argv` holds placeholders: {file} the bad input (a fixture in tests/data/bad/ or a generated
    one), {out} the case's output path, {sample} a good plan. `via` names the option that
    carries the bad input when it is not the command's main argument.
    """

    command: str
    file: str  # the bad input; a refusal's one stderr line must name it
    argv: tuple[str, ...]
    codes: frozenset[int]
    output: str = ""  # the -o file, which must not exist after a refusal
    via: str = ""
    known_bug: str = ""  # a reported bug this case shows: expected to fail until it is fixed

    @property
    def id(self) -> str:
        return "-".join(x for x in (self.command, self.via, self.file) if x)


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
UNREADABLE_CSV = [name for name, codes in CSV_CHECK.items() if codes == {2}]
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
REFUSED = frozenset({2})
# Every command `python -m planner -h` lists, with its bad-input cases, written out by command:
# test_every_command_has_cases fails when a command is added, renamed or removed without its
# cases following, so no case disappears silently.
CLI_CASES: dict[str, list[Case]] = {
    "sample": [
        # the output into a folder that does not exist
        Case("sample", "plan.json", ("sample", "-o", "{out}"), REFUSED,
             output="no-such-folder/plan.json", via="o"),
    ],
    "search": [
        # a bad catalogue works (0) or is refused (2); an unreadable one must be refused
        Case("search", name, ("search", "dan van", "--catalogue", "{file}"),
             REFUSED if codes == {2} else frozenset({0, 2}), via="catalogue")
        for name, codes in CSV_CHECK.items()
    ],
    "check-catalogue": [
        Case("check-catalogue", name, ("check-catalogue", "{file}"), frozenset(codes))
        for name, codes in CSV_CHECK.items()
    ],
    "rollover": [
        *(Case("rollover", name, ("rollover", "{file}", "--year", "2021", "-o", "{out}"),
               REFUSED, output="out.json")
          for name in PLAN_FILES),
        *(Case("rollover", name, ("rollover", "{sample}", "--year", "2021", "-o", "{out}",
                                  "--catalogue", "{file}"),
               REFUSED, output="out.json", via="catalogue")
          for name in UNREADABLE_CSV),
    ],
    "check-citations": [
        *(Case("check-citations", name, ("check-citations", "{file}"), REFUSED)
          for name in PLAN_FILES),
        *(Case("check-citations", name, ("check-citations", "{sample}", "--catalogue", "{file}"),
               REFUSED, via="catalogue")
          for name in UNREADABLE_CSV),
    ],
    "import-docx": [
        Case("import-docx", name, ("import-docx", "{file}", "-o", "{out}"), REFUSED,
             output="out.json")
        for name in DOCX_FILES
    ],
    "export": [
        *(Case("export", name, ("export", "{file}", "-o", "{out}"), REFUSED, output="out.docx")
          for name in PLAN_FILES),
        *(Case("export", name, ("export", "{sample}", "-o", "{out}", "--template", "{file}"),
               REFUSED, output="out.docx", via="template")
          for name in ("random.docx", "legacy.doc", "zip-bomb.docx")),
    ],
    "check-docx": [
        Case("check-docx", name, ("check-docx", "{file}"), REFUSED) for name in DOCX_FILES
    ],
    "findings": [
        *(Case("findings", name, ("findings", "{file}", "--apply", "all", "-o", "{out}"),
               REFUSED, output="out.json")
          for name in PLAN_FILES),
    ],
    "check-plan": [
        *(Case("check-plan", name, ("check-plan", "{file}"), REFUSED) for name in PLAN_FILES),
        *(Case("check-plan", name, ("check-plan", "{sample}", "--catalogue", "{file}"), REFUSED,
               via="catalogue")
          for name in UNREADABLE_CSV),
    ],
    "new": [
        # last year's plan to take the header from
        Case("new", name, ("new", "--year", "2021", "--from", "{file}", "-o", "{out}"), REFUSED,
             output="out.json", via="from")
        for name in PLAN_FILES
    ],
    "harvest-citations": [
        Case("harvest-citations", name, ("harvest-citations", "{file}", "-o", "{out}"),
             REFUSED, output="out.csv")
        for name in ["random.docx", "legacy.doc", "zip-bomb.docx", "plan-binary.json"]
    ],
    "import-catalogue": [
        Case("import-catalogue", name, ("import-catalogue", "{file}", "-o", "{out}"), REFUSED,
             output="out.csv")
        for name in [*UNREADABLE_CSV, "zip-bomb.docx", "spreadsheet.docx", "legacy.doc"]
    ],
    "db": [
        # not a database, or a damaged one, as a backup: refused, the database not created
        *(Case("db", name, ("db", "restore", "{file}", "--db", "{out}"), REFUSED,
               output="restored.db", via="restore")
          for name in ["random.docx", "plan-not-json.json", "empty.docx", "truncated.docx"]),
        # not a database to check: reported damaged (1) or unreadable (2), never written to
        *(Case("db", name, ("db", "check", "--db", "{file}"), frozenset({1, 2}), via="check")
          for name in ["random.docx", "plan-binary.json"]),
        Case("db", "plan-empty.json", ("db", "check", "--db", "{file}"), frozenset({1, 2}),
             via="check"),
        # not a database to copy from: refused before the target is created
        *(Case("db", name, ("db", "copy", "{file}", "{out}"), REFUSED, output="copied.db",
               via="copy")
          for name in ["random.docx", "plan-not-json.json", "truncated.docx"]),
    ],
}  # fmt: skip
CLI_CASES["plans"] = [
    # not an export: refused before the store is created
    *(Case("plans", name, ("plans", "import", "{file}", "--db", "{out}"), REFUSED,
           output="imported.db", via="import")
      for name in [*PLAN_FILES, "random.docx"]),
    # not a database to list or export from: refused, no file written
    *(Case("plans", name, ("plans", "export", "x", "-o", "{out}", "--db", "{file}"), REFUSED,
           output="out.json", via="export")
      for name in ["random.docx", "plan-binary.json"]),
    Case("plans", "random.docx", ("plans", "list", "--db", "{file}"), REFUSED, via="list"),
]  # fmt: skip
# not a database to keep accounts in or read the audit log from: refused, never written to
CLI_CASES["users"] = [
    *(Case("users", name, ("users", "list", "--db", "{file}"), REFUSED, via="list")
      for name in ["random.docx", "plan-binary.json"]),
    Case("users", "random.docx", ("users", "add", "an", "--role", "viewer", "--unit", "A",
                                  "--no-password", "--email", "an@pgd.vn", "--db", "{file}"),
         REFUSED, via="add"),
    Case("users", "truncated.docx", ("users", "disable", "an", "--db", "{file}"), REFUSED,
         via="disable"),
]  # fmt: skip
CLI_CASES["audit"] = [
    *(Case("audit", name, ("audit", "--db", "{file}"), REFUSED)
      for name in ["random.docx", "plan-binary.json"]),
]  # fmt: skip
CASES = [case for cases in CLI_CASES.values() for case in cases]


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
    input_unchanged: bool


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
        work = tmp / case.id.replace("/", "_")
        work.mkdir()
        out = work / case.output if case.output else work / "unused"
        # The command reads a copy: a command that writes to its input (it must not) cannot
        # damage the committed fixtures, and the comparison below reports it.
        source = fixture_path(case.file, generated) if case.via != "o" else None
        bad = work / case.file
        if source is not None:
            shutil.copyfile(source, bad)
        own_sample = work / "good-plan.json"
        shutil.copyfile(sample, own_sample)
        argv = [a.format(file=bad, out=out, sample=own_sample) for a in case.argv]
        code, stdout, stderr, seconds = run_cli(argv, work, work / "planner.db")
        unchanged = source is None or bad.read_bytes() == source.read_bytes()
        return case.id, Result(code, stdout, stderr, seconds, out.exists(), unchanged)

    with ThreadPoolExecutor(max_workers=4) as pool:
        return dict(pool.map(one, CASES))


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(
            c, marks=[pytest.mark.xfail(strict=True, reason=c.known_bug)] if c.known_bug else []
        )
        for c in CASES
    ],
    ids=[c.id for c in CASES],
)
def test_cli_refuses_cleanly(case: Case, cli_results: dict[str, Result]) -> None:
    r = cli_results[case.id]
    assert "Traceback" not in r.stderr + r.stdout, r.stderr
    assert r.code in case.codes, f"exit {r.code}, stderr: {r.stderr!r}"
    assert r.seconds < TIME_LIMIT_S, f"took {r.seconds:.1f} s"
    assert r.input_unchanged, "the command wrote to the file it was given to read"
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
    used = {c.file for c in CASES if c.via != "o"}
    assert used <= names
    assert set(DOCX_FILES) | set(CSV_CHECK) | set(PLAN_FILES) <= used


def test_every_command_has_cases_and_every_case_a_command() -> None:
    """A command added or renamed without its cases, or cases left for a command that is gone,
    fail here by name instead of vanishing from the list."""
    registered = registered_commands()
    assert not registered - set(CLI_CASES), (
        f"commands without bad-input cases: {registered - set(CLI_CASES)}"
    )
    assert not set(CLI_CASES) - registered, (
        f"cases for commands that do not exist: {set(CLI_CASES) - registered}"
    )
    for command, cases in CLI_CASES.items():
        assert cases, f"{command}: no bad-input case"
        for case in cases:
            assert case.command == command, case.id
            assert case.argv[0] == command, case.id
    ids = [c.id for c in CASES]
    assert len(ids) == len(set(ids)), "two cases with one id"


def test_the_help_lists_the_registered_commands() -> None:
    """`python -m planner -h`, as a user reads it, lists exactly the commands checked above."""
    proc = subprocess.run(
        [sys.executable, "-m", "planner", "-h"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=TIME_LIMIT_S,
    )
    assert proc.returncode == 0, proc.stderr
    listed = set(re.findall(r"^ {4}([a-z][a-z-]*)", proc.stdout, flags=re.MULTILINE))
    assert listed == registered_commands()


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


# A readable catalogue with bad rows: (file, problems reported, ids importable by overwriting).
# The page imports all or nothing (issue #12): a file with any problem imports no row; a file
# whose rows the catalogue already holds imports them only when the user chooses to overwrite.
BAD_ROWS = [
    ("catalogue-missing-columns.csv", 0, set()),  # readable once its columns are mapped
    ("catalogue-impossible-dates.csv", 2, set()),
    ("catalogue-formula.csv", 1, set()),
    ("catalogue-duplicates.csv", 0, {"nq-25-tw-2013", "kh-106-ubnd-2020"}),  # in-file twins skipped
]


@pytest.mark.parametrize(("name", "problems", "good"), BAD_ROWS, ids=[r[0] for r in BAD_ROWS])
def test_catalogue_import_is_all_or_nothing_and_saves_nothing_unasked(
    app_env: Path, name: str, problems: int, good: set[str]
) -> None:
    """A file with problems is reported by name and imports nothing; rows the catalogue holds
    already are imported only when the user asks (overwrite, then Nhập)."""
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

    def import_button():  # type: ignore[no-untyped-def]
        return [b for b in at.button if b.key == "catalogue.import.go"]

    errors = _errors(at)
    if problems:
        assert errors == [
            f"Tệp “{name}” có {problems} lỗi nên chưa nhập văn bản nào. Hãy sửa tệp (hoặc cách "
            "ghép cột, giá trị chung) rồi tải lên lại."
        ]
        assert import_button() == []
        assert user_directives(PlanStore(app_env)) == []
        return
    assert errors == []
    assert [i.value for i in at.info] == [f"Tệp “{name}” không có văn bản nào mới để nhập."]
    assert import_button() == []  # nothing new by default
    if not good:
        return
    at.radio(key="catalogue.import.overwrite").set_value(True).run()
    [go] = import_button()
    assert go.label == f"Nhập {len(good)} văn bản"
    go.click().run()
    assert not at.exception, [e.value for e in at.exception]
    saved = user_directives(PlanStore(app_env))
    assert {d.id for d in saved} == good
    assert len(saved) == len(good)


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


@pytest.mark.parametrize("name", ["catalogue-cp1258.csv", "catalogue-utf16.csv"])
@pytest.mark.parametrize("command", ["check-citations", "check-plan", "rollover"])
def test_every_catalogue_reader_accepts_what_check_catalogue_reads(
    command: str, name: str, tmp_path: Path
) -> None:
    """`--catalogue` goes through check-catalogue's reader: the same encodings are read."""
    sample = tmp_path / "plan.json"
    assert run_cli(["sample", "-o", str(sample)], tmp_path, tmp_path / "db")[0] == 0
    argv = [command, str(sample), "--catalogue", str(BAD / name)]
    if command == "rollover":
        argv += ["--year", "2021", "-o", str(tmp_path / "out.json")]
    code, _, err, _ = run_cli(argv, tmp_path, tmp_path / "db")
    assert code in (0, 1), err
