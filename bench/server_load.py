"""The office server under load: 50 sessions editing and saving at once, on two app servers over
one PostgreSQL, beside one app server over a SQLite file with the same load.

Each configuration starts its own servers (`streamlit run serve.py` in server mode, or
`streamlit run app.py` in personal mode, see MODE below) and, for PostgreSQL, its own database
server (`initdb` and `pg_ctl` in a temporary folder, as the tests do). Then 50 sessions, spread
over the servers two by two, each:

1. signs in through the real sign-in form (`GET /dang-nhap` for the form's CSRF token, `POST
   /dang-nhap` with name and password; the session cookie comes back), as one of the editor
   accounts created with `python -m planner users add` (server mode only);
2. opens the editor (*Soạn kế hoạch*, `?plan=ID`) over the real websocket `/_stcore/stream`,
   speaking Streamlit's own protobuf messages (`BackMsg` out, `ForwardMsg` in), as a browser
   does;
3. saves EDITS edits of one paragraph, a pause between them: each edit is the paragraph's
   text with a marker unique to the session and the edit, sent as the text area's new value
   (what the browser sends when the user leaves the field); the editor saves it as a new
   version within that rerun.

A save's time: from sending the edit to the rerun's `script_finished` (the version is in the
store by then), measured by the client. Before the 50 start, one session alone saves EDITS edits
quickly on the first server: the save time of an idle server, for comparison.

Forty sessions edit a plan each; ten edit five plans two by two, so that saves from an older
version happen (kept as conflict versions and counted, never lost). After the run every
marker is looked for in the store: an edit found in no version is a lost save.
"""

from __future__ import annotations

import asyncio
import http.cookiejar
import json
import os
import random
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from bench._postgres import temporary_postgres
from bench._server import ROOT, StreamlitServer, port_is_free
from bench.common import Row, Stats, stats
from planner.model import plan_to_dict
from planner.sample import sample_plan
from planner.store.plans import PlanStore

SESSIONS = 50
EDITS = 4  # saves per session
SHARED_PAIRS = 5  # 10 sessions edit 5 plans two by two; the others a plan each
THINK_S = (4.0, 10.0)  # the pause before each edit (reading, typing), drawn uniformly
ARRIVAL_S = 0.2  # session i opens the editor i × ARRIVAL_S seconds after the start
SEED = 14
EDITORS = 5  # editor accounts; each signs in on SESSIONS // EDITORS sessions
UNIT = "Phòng Giáo dục và Đào tạo"
PASSWORD = "mat-khau-thu-nghiem-14"
TARGET_P95_MS = 2000.0
EDITOR_PAGE = "soan-ke-hoach"
# "server": serve.py with sign-in (issue #14); "personal": app.py without sign-in, the same
# load and measurement (what `make run` serves). BENCH_SERVER_MODE overrides the default.
MODE = os.environ.get("BENCH_SERVER_MODE", "server")
SESSION_TIMEOUT_S = 150.0
ALONE_THINK_S = (0.3, 0.6)
SIGN_IN_THREADS = 10  # people signing in at the same moment
PORTS = range(8750, 8800)
MERGE_NOTE = "Gộp thay đổi"  # how a merged version's note starts (components/merge_panel.py)


# ------------------------------------------------------------------ PostgreSQL


def pg_bin_dir() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    if initdb is None:
        raise RuntimeError("PostgreSQL is not installed (apt-get install postgresql)")
    return Path(initdb).parent


@contextmanager
def postgres() -> Iterator[str]:
    """A throwaway PostgreSQL server with one database; yields its URL (unix socket).
    fsync stays on: the saves are timed as an office server would make them."""
    with temporary_postgres(pg_bin_dir(), prefix="bench-pg-", fsync=True) as pg:
        pg.run(str(pg_bin_dir() / "createdb"), "-h", str(pg.sock), "-p", str(pg.port),
               "-U", "postgres", "bench")  # fmt: skip
        yield f"postgresql://postgres@/bench?host={pg.sock}&port={pg.port}"


# ------------------------------------------------------------------ set-up


def server_mode() -> bool:
    if MODE not in {"server", "personal"}:
        raise RuntimeError(f"BENCH_SERVER_MODE must be server or personal, not {MODE!r}")
    return MODE == "server"


def editor_names() -> list[str]:
    return [f"chuyenvien{i:02d}" for i in range(1, EDITORS + 1)]


def add_accounts(db: str | Path) -> None:
    """An admin and the editors, made with the app's own command (password on stdin), the
    commands run side by side."""
    env = {**os.environ, "PLANNER_DB": str(db)}
    accounts = [("quantri", "admin"), *((name, "editor") for name in editor_names())]
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "planner", "users", "add", name, "--role", role, "--unit", UNIT],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
            cwd=ROOT,
        )
        for name, role in accounts
    ]
    for (name, _), proc in zip(accounts, procs, strict=True):
        out, _ = proc.communicate(PASSWORD + "\n", timeout=180)
        if proc.returncode != 0:
            raise RuntimeError(f"users add {name} failed: {out.strip()}")


def add_plans(db: str | Path, count: int) -> list[str]:
    """`count` plans (the sample), created in the editors' unit in server mode."""
    store = PlanStore(db)
    now = datetime(2021, 3, 15, 8, 0)
    plan = sample_plan()
    ids = []
    for _ in range(count):
        if server_mode():
            ids.append(store.create(plan, now=now, author="quantri", unit=UNIT))
        else:
            ids.append(store.create(plan, now=now))
    return ids


def session_plans(plan_ids: list[str]) -> list[str]:
    """The plan each session edits: the first 2 × SHARED_PAIRS sessions share plans in pairs."""
    shared = [plan_ids[i // 2] for i in range(2 * SHARED_PAIRS)]
    own = plan_ids[SHARED_PAIRS:]
    return shared + own[: SESSIONS - len(shared)]


def server_env(db: str | Path, secret: str) -> dict[str, str]:
    env = {"PLANNER_DB": str(db), "PLANNER_NO_SAMPLE": "1"}
    if server_mode():
        env |= {"PLANNER_MODE": "server", "PLANNER_SECRET": secret}
    return env


# ------------------------------------------------------------------ one session


def sign_in(base_url: str, name: str) -> tuple[str, float]:
    """Sign in through the form; the Cookie header the browser would then send, and the time
    of the POST (the password check and the session opened)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(f"{base_url}/dang-nhap", timeout=30) as resp:
        page = resp.read().decode("utf-8")
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    if found is None:
        raise RuntimeError("the sign-in page has no CSRF field")
    form = urllib.parse.urlencode(
        {"csrf": found.group(1), "next": "/", "name": name, "password": PASSWORD}
    ).encode()
    t0 = time.perf_counter()
    with opener.open(f"{base_url}/dang-nhap", data=form, timeout=30) as resp:
        resp.read()
    took = (time.perf_counter() - t0) * 1000
    cookies = {c.name: c.value for c in jar}
    if "planner_session" not in cookies:
        raise RuntimeError(f"sign-in of {name} returned no session cookie")
    return "; ".join(f"{k}={v}" for k, v in cookies.items()), took


@dataclass
class SessionResult:
    server: int
    plan_id: str
    save_ms: list[float] = field(default_factory=list)
    markers: list[str] = field(default_factory=list)  # every edit sent and finished
    sign_in_ms: float | None = None
    error: str = ""


def back_msg(plan_id: str, widget: str | None = None, value: str = "") -> bytes:
    from streamlit.proto.BackMsg_pb2 import BackMsg

    msg = BackMsg()
    client = msg.rerun_script
    client.query_string = f"plan={plan_id}"
    client.page_name = EDITOR_PAGE
    if widget is not None:
        w = client.widget_states.widgets.add()
        w.id = widget
        w.string_value = value
    return bytes(msg.SerializeToString())


async def rerun(ws: object, payload: bytes) -> tuple[float, dict[str, str]]:
    """Send one rerun; wait for its end. Its time in ms and the page's text areas (id → text)."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    t0 = time.perf_counter()
    await ws.send(payload)  # type: ignore[attr-defined]
    areas: dict[str, str] = {}
    while True:
        msg = ForwardMsg()
        msg.ParseFromString(await ws.recv())  # type: ignore[attr-defined]
        kind = msg.WhichOneof("type")
        if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element
            if element.WhichOneof("type") == "text_area":
                area = element.text_area
                areas[area.id] = area.value if area.HasField("value") else area.default
        elif kind == "script_finished":
            return (time.perf_counter() - t0) * 1000, areas


async def drive(
    index: int,
    result: SessionResult,
    url: str,
    cookie: str | None,
    *,
    think: tuple[float, float] = THINK_S,
    arrival: float = ARRIVAL_S,
) -> None:
    import websockets

    rng = random.Random(SEED * 1000 + index)
    headers = {"Cookie": cookie} if cookie else None
    ws_url = url.replace("http://", "ws://") + "/_stcore/stream"
    await asyncio.sleep(index * arrival)
    async with websockets.connect(
        ws_url,
        subprotocols=["streamlit"],
        additional_headers=headers,
        max_size=None,
        open_timeout=60,  # a busy server answers late; a browser waits too
    ) as ws:  # type: ignore[attr-defined]
        _, areas = await rerun(ws, back_msg(result.plan_id))
        if not areas:
            raise RuntimeError("the editor showed no paragraph to edit")
        # Pairs on one plan edit different paragraphs (as two colleagues would).
        widget = sorted(areas)[index % 2]
        base = areas[widget]
        for edit in range(EDITS):
            await asyncio.sleep(rng.uniform(*think))
            marker = f"[phiên {index:02d} sửa {edit}]"
            took, _ = await rerun(ws, back_msg(result.plan_id, widget, f"{base} {marker}"))
            result.save_ms.append(took)
            result.markers.append(marker)


async def run_sessions(
    urls: list[str], plans: list[str], cookies: list[str | None]
) -> list[SessionResult]:
    results = [SessionResult(server=i % len(urls), plan_id=plans[i]) for i in range(SESSIONS)]

    async def one(i: int) -> None:
        try:
            await asyncio.wait_for(
                drive(i, results[i], urls[results[i].server], cookies[i]), SESSION_TIMEOUT_S
            )
        except Exception as e:  # reported per session, counted as failed
            results[i].error = f"{type(e).__name__}: {e}"

    await asyncio.gather(*(one(i) for i in range(SESSIONS)))
    return results


# ------------------------------------------------------------------ one configuration


@dataclass(frozen=True)
class Outcome:
    saves: Stats
    alone: Stats
    sign_in: Stats | None
    edits: int
    lost: int
    conflicts: int
    merges: int
    failed_sessions: list[str]
    per_server: list[int]
    seconds: float


def count_lost(db: str | Path, results: list[SessionResult]) -> tuple[int, int, int]:
    """Edits found in no version of their plan, conflict versions kept (saves made from an
    older version) and versions the editor merged automatically. In server mode every version
    after the first must name the editor account that saved it."""
    store = PlanStore(db)
    lost = conflicts = merges = 0
    for plan_id in sorted({r.plan_id for r in results}):
        infos = store.versions(plan_id)
        conflicts += sum(1 for v in infos if v.conflict)
        merges += sum(1 for v in infos if v.note.startswith(MERGE_NOTE))
        if server_mode():
            authors = {v.author for v in infos if v.version > 1}
            if not authors <= set(editor_names()):
                raise RuntimeError(f"plan {plan_id}: versions saved by {sorted(map(str, authors))}")
        texts = [
            json.dumps(plan_to_dict(store.open_version(plan_id, v.version)), ensure_ascii=False)
            for v in infos
        ]
        for r in results:
            if r.plan_id == plan_id:
                lost += sum(1 for m in r.markers if not any(m in t for t in texts))
    return lost, conflicts, merges


def measure_config(db: str | Path, servers: int, workdir: Path) -> Outcome:
    secret = secrets.token_urlsafe(48)
    plan_ids = add_plans(db, SESSIONS - SHARED_PAIRS + 1)
    alone_plan, plan_ids = plan_ids[0], plan_ids[1:]
    plans = session_plans(plan_ids)
    if server_mode():
        add_accounts(db)
    script = "serve.py" if server_mode() else "app.py"
    with ExitStack() as stack:
        started: list[StreamlitServer] = []
        for n in range(servers):
            # Ports chosen before any server starts binding: two never pick the same one.
            taken = {s.port for s in started}
            port = next(p for p in PORTS if p not in taken and port_is_free(p))
            srv = StreamlitServer(
                script, port=port, env=server_env(db, secret), log_path=workdir / f"server-{n}.log"
            )
            stack.enter_context(srv)
            started.append(srv)
        for srv in started:
            try:
                srv.wait_healthy(timeout=120)
            except (RuntimeError, TimeoutError) as e:
                log = srv.log_path.read_text(errors="replace") if srv.log_path else ""
                raise RuntimeError(f"{e}: {log[-1500:]}") from e
        urls = [srv.url for srv in started]
        cookies: list[str | None] = [None] * SESSIONS
        sign_ins: list[float] = []
        if server_mode():
            names = editor_names()
            with ThreadPoolExecutor(SIGN_IN_THREADS) as pool:
                signed = list(
                    pool.map(
                        lambda i: sign_in(urls[i % servers], names[i % len(names)]), range(SESSIONS)
                    )
                )
            cookies = [cookie for cookie, _ in signed]
            sign_ins = [took for _, took in signed]
        t0 = time.perf_counter()
        # One session alone first: the save time of an idle server, for comparison.
        alone = SessionResult(server=0, plan_id=alone_plan)
        asyncio.run(drive(SESSIONS, alone, urls[0], cookies[0], think=ALONE_THINK_S, arrival=0))
        results = asyncio.run(run_sessions(urls, plans, cookies))
        seconds = time.perf_counter() - t0
    lost, conflicts, merges = count_lost(db, [*results, alone])
    times = [t for r in results for t in r.save_ms]
    if not times:
        raise RuntimeError("no save finished: " + "; ".join(r.error for r in results if r.error))
    return Outcome(
        saves=stats(times),
        alone=stats(alone.save_ms),
        sign_in=stats(sign_ins) if sign_ins else None,
        edits=len(times),
        lost=lost,
        conflicts=conflicts,
        merges=merges,
        failed_sessions=[f"{i}: {r.error}" for i, r in enumerate(results) if r.error],
        per_server=[sum(1 for r in results if r.server == n) for n in range(servers)],
        seconds=seconds,
    )


def describe(name: str, o: Outcome) -> str:
    text = (
        f"{name}: {o.edits} saves in {o.seconds:.0f} s by {SESSIONS} sessions "
        f"({' + '.join(str(n) for n in o.per_server)} per server), {o.lost} lost, "
        f"{o.conflicts} saves from an older version kept as conflict versions, {o.merges} "
        f"merged automatically; one session alone on an idle server just "
        f"before: {o.alone.median_ms:.0f} / {o.alone.p95_ms:.0f} ms"
    )
    if o.failed_sessions:
        text += f"; {len(o.failed_sessions)} sessions failed ({o.failed_sessions[0]})"
    return text


def run() -> list[Row]:
    with tempfile.TemporaryDirectory(prefix="bench-server-") as tmp:
        work = Path(tmp)
        with postgres() as url:
            pg = measure_config(url, 2, work / "pg")
        lite = measure_config(work / "planner.db", 1, work / "sqlite")
    how = "signed-in sessions (serve.py)" if server_mode() else "personal mode (app.py, no sign-in)"
    ok = all(o.lost == 0 and not o.failed_sessions for o in (pg, lite))
    rows = [
        Row(
            f"save under {SESSIONS} {how}, {EDITS} edits each: 2 servers + PostgreSQL",
            pg.saves,
            "1 server + SQLite, same load",
            lite.saves,
            target=f"p95 < {TARGET_P95_MS / 1000:.0f} s, no lost save",
            met=ok and pg.saves.p95_ms < TARGET_P95_MS,
            note=(
                "A save: the edit sent over the websocket to the end of the rerun that saved "
                f"it. {describe('PostgreSQL', pg)}. {describe('SQLite', lite)}. Pauses of "
                f"{THINK_S[0]:.0f}–{THINK_S[1]:.0f} s between edits (about "
                f"{SESSIONS / (sum(THINK_S) / 2):.0f} saves a second asked of the servers); "
                f"{2 * SHARED_PAIRS} sessions edit plans two by two."
            ),
        )
    ]
    if pg.sign_in is not None:
        rows.append(
            Row(
                f"sign-in through the form ({SIGN_IN_THREADS} at a time, {SESSIONS} in all): "
                "2 servers + PostgreSQL",
                pg.sign_in,
                "1 server + SQLite",
                lite.sign_in,
                note="POST /dang-nhap to the session cookie: the argon2 check and the "
                "server-side session written.",
            )
        )
    return rows
