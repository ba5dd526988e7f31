"""The deployment in deploy/ and docs/deploy.md, tried: nginx accepts the site file and proxies
the app (HTTPS, the redirect, the websocket, the upload limit), systemd accepts the units, the
env file names only settings the app reads, and the backup script and the restore commands of
docs/deploy.md give back every plan, on SQLite and on PostgreSQL.

nginx, openssl and systemd-analyze are system programs: a test that needs one is skipped
without it on a developer machine and fails under CI (`.ci/run` installs them).
"""

from __future__ import annotations

import asyncio
import http.client
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import time
import tomllib
import urllib.parse
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from planner.model import plan_to_dict
from planner.sample import sample_plan
from planner.store.plans import PlanStore
from planner.store.transfer import TABLE_COPY
from tests.conftest import ROOT, PgServer, require_program

DEPLOY = ROOT / "deploy"
SITE = DEPLOY / "nginx" / "soan-ke-hoach.conf"
UNIT = DEPLOY / "systemd" / "soan-ke-hoach@.service"
BACKUP_UNIT = DEPLOY / "systemd" / "soan-ke-hoach-backup.service"
BACKUP_TIMER = DEPLOY / "systemd" / "soan-ke-hoach-backup.timer"
BACKUP_SCRIPT = DEPLOY / "backup.sh"
ENV_EXAMPLE = DEPLOY / "env.example"
DOC = ROOT / "docs" / "deploy.md"
CERT_PATHS = ("/etc/ssl/soan-ke-hoach/fullchain.pem", "/etc/ssl/soan-ke-hoach/privkey.pem")
# Where the app's code reads its settings (the env file may name nothing else).
CODE_DIRS = ("planner", "server", "components", "views")
CODE_FILES = ("app.py", "serve.py")

# The restore commands of docs/deploy.md, run here as they are written there.
RESTORE_SQLITE = 'python -m planner db restore "$BACKUP" --db "$PLANNER_DB"'
RESTORE_PG_DUMP = (
    'pg_restore --clean --if-exists --no-owner --single-transaction --dbname "$PLANNER_DB" '
    '"$BACKUP"'
)
RESTORE_PG_COPY = 'python -m planner db copy "$BACKUP" "$PLANNER_DB" --force'
CHECK_BACKUP = 'python -m planner db check --db "$BACKUP"'


# ------------------------------------------------------------------ nginx's site file


def directives(text: str) -> list[tuple[tuple[str, ...], str, list[str]]]:
    """Every directive of an nginx file: (the blocks it is in, its name, its arguments)."""
    text = re.sub(r"#[^\n]*", "", text)
    tokens = re.findall(r'"[^"]*"|[{};]|[^\s{};"]+', text)
    out: list[tuple[tuple[str, ...], str, list[str]]] = []
    stack: list[str] = []
    current: list[str] = []
    for token in tokens:
        if token == "{":
            stack.append(" ".join(current))
            current = []
        elif token == "}":
            stack.pop()
        elif token == ";":
            out.append((tuple(stack), current[0], current[1:]))
            current = []
        else:
            current.append(token.strip('"'))
    assert not stack, "unbalanced braces"
    return out


def find(text: str, name: str, within: str = "") -> list[list[str]]:
    """The arguments of every `name` directive inside a block headed `within` (e.g.
    `location /`), or anywhere when `within` is empty."""
    return [
        args
        for blocks, n, args in directives(text)
        if n == name and (not within or within in blocks)
    ]


def app_upload_limit_mb() -> int:
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    return int(config["server"]["maxUploadSize"])


def test_site_file_proxies_websocket_upload_limit_and_both_servers() -> None:
    text = SITE.read_text(encoding="utf-8")
    upstream = [args for blocks, n, args in directives(text) if n == "server" and blocks]
    assert [a[0] for a in upstream] == ["127.0.0.1:8501", "127.0.0.1:8502"]
    assert find(text, "ip_hash", "upstream soan_ke_hoach") == [[]]
    # The websocket: HTTP/1.1 with the Upgrade and Connection headers, a long read timeout.
    ws = "location /_stcore/stream"
    assert ["1.1"] in find(text, "proxy_http_version", ws)
    assert ["Upgrade", "$http_upgrade"] in find(text, "proxy_set_header", ws)
    connection = [a for a in find(text, "proxy_set_header", ws) if a[0] == "Connection"]
    assert connection and connection[0][1] in {"upgrade", "$soan_ke_hoach_connection"}
    assert find(text, "proxy_read_timeout", ws) == [["1d"]]
    # The app refuses uploads above its limit with its own message; nginx leaves 1 MB for the
    # multipart envelope so that it is never the one that refuses first.
    assert find(text, "client_max_body_size") == [[f"{app_upload_limit_mb() + 1}m"]]
    # HTTP only redirects; HTTPS has the certificate; pages are not cached.
    assert ["301", "https://$host$request_uri"] in find(text, "return")
    assert find(text, "ssl_certificate") == [[CERT_PATHS[0]]]
    assert ["Cache-Control", "no-store", "always"] in find(text, "add_header", "location /")
    for location in (ws, "location /"):
        headers = {a[0] for a in find(text, "proxy_set_header", location)}
        assert {"X-Forwarded-For", "X-Forwarded-Proto", "Host"} <= headers, location


@pytest.fixture
def tls(tmp_path: Path) -> tuple[Path, Path]:
    """A self-signed certificate and its key, made by openssl."""
    openssl = require_program("openssl", why="the nginx test makes a certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            openssl,
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=localhost",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return cert, key


def nginx_conf(
    tmp_path: Path,
    cert: tuple[Path, Path],
    *,
    ports: tuple[int, int] | None = None,
    upstream_port: int | None = None,
) -> Path:
    """A main nginx.conf of temp paths that includes the site file, with the test's
    certificate; `ports` replaces 80 and 443, `upstream_port` both app servers' port."""
    site = SITE.read_text(encoding="utf-8")
    site = site.replace(CERT_PATHS[0], str(cert[0])).replace(CERT_PATHS[1], str(cert[1]))
    site = site.replace("/var/log/nginx/", f"{tmp_path}/")
    if ports is not None:
        site = re.sub(r"listen \[::\]:\d+[^;]*;", "", site)
        site = site.replace("listen 80;", f"listen 127.0.0.1:{ports[0]};")
        site = site.replace("listen 443 ssl http2;", f"listen 127.0.0.1:{ports[1]} ssl http2;")
    if upstream_port is not None:
        site = re.sub(r"127\.0\.0\.1:850[12]", f"127.0.0.1:{upstream_port}", site)
    (tmp_path / "site.conf").write_text(site, encoding="utf-8")
    conf = tmp_path / "nginx.conf"
    temp = " ".join(
        f"{kind}_temp_path {tmp_path}/{kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    conf.write_text(
        f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\n"
        + ("daemon off;\n" if ports is not None else "")
        + f"events {{}}\nhttp {{\n  access_log {tmp_path}/access.log;\n  {temp}\n"
        f"  include {tmp_path}/site.conf;\n}}\n",
        encoding="utf-8",
    )
    return conf


def nginx_program() -> str:
    return require_program(
        "nginx", why="the site file is tested with nginx (apt-get install nginx-light)"
    )


def test_nginx_accepts_the_site_file(tmp_path: Path, tls: tuple[Path, Path]) -> None:
    conf = nginx_conf(tmp_path, tls)
    done = subprocess.run(
        [
            nginx_program(),
            "-t",
            "-p",
            str(tmp_path),
            "-e",
            str(tmp_path / "error.log"),
            "-c",
            str(conf),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "test is successful" in done.stderr


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


SERVER_NAME = "ke-hoach.example.edu.vn"  # the site file's name; not in Streamlit's allowlist
PASSWORD = "mat-khau-thu-nghiem"


@pytest.fixture
def proxied_server(tmp_path: Path, tls: tuple[Path, Path]) -> Iterator[tuple[int, int]]:
    """The office server (`serve.py`, server mode, an admin account, the cookie Secure as in
    deploy/env.example) behind nginx run with the site file; yields nginx's HTTP and HTTPS
    ports."""
    from bench._server import StreamlitServer
    from planner.auth.accounts import Accounts

    nginx = nginx_program()
    db = tmp_path / "planner.db"
    Accounts(PlanStore(db)).add(
        "quantri",
        display_name="Quản trị",
        role="admin",
        unit="Phòng GDĐT",
        password=PASSWORD,
        now=datetime(2026, 9, 1, 8, 0),
    )
    env = {
        "PLANNER_DB": str(db),
        "PLANNER_NO_SAMPLE": "1",
        "PLANNER_MODE": "server",
        "PLANNER_SECRET": "s" * 48,
        "PLANNER_COOKIE_SECURE": "1",
    }
    app = StreamlitServer("serve.py", env=env, log_path=tmp_path / "app.log")
    http_port, https_port = free_port(), free_port()
    conf = nginx_conf(tmp_path, tls, ports=(http_port, https_port), upstream_port=app.port)
    with app:
        proxy = subprocess.Popen(
            [nginx, "-p", str(tmp_path), "-e", str(tmp_path / "error.log"), "-c", str(conf)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            app.wait_healthy(timeout=90)
            yield http_port, https_port
        finally:
            proxy.terminate()
            proxy.wait(timeout=10)


def no_verify() -> ssl.SSLContext:
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


class Browser:
    """HTTPS to nginx on 127.0.0.1 under the site's name (Host and SNI), as a browser that
    resolved the name to this machine; keeps cookies, follows no redirect."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, body: bytes | None = None
    ) -> tuple[int, dict[str, str], bytes]:
        ctx = no_verify()
        con = http.client.HTTPSConnection("127.0.0.1", self.port, context=ctx, timeout=30)
        headers = {"Host": f"{SERVER_NAME}:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            con.request(method, path, body=body, headers=headers)
            resp = con.getresponse()
            data = resp.read()
            for value in resp.headers.get_all("Set-Cookie") or []:
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
            return resp.status, {k: v for k, v in resp.getheaders()}, data
        finally:
            con.close()

    def sign_in(self, name: str, password: str) -> None:
        status, _, page = self.request("GET", "/dang-nhap")
        assert status == 200
        found = re.search(rb'name="csrf" value="([^"]+)"', page)
        assert found is not None
        form = urllib.parse.urlencode(
            {"csrf": found.group(1).decode(), "next": "/", "name": name, "password": password}
        ).encode()
        status, _, _ = self.request("POST", "/dang-nhap", form)
        assert status == 303, "the sign-in was refused"


async def first_message_over_websocket(port: int, cookies: dict[str, str]) -> str:
    """Open /_stcore/stream through nginx as a browser on the site does (its Origin, port
    included, and its cookie), ask for a run of the home page, and return the kind of the
    first message back."""
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    async with websockets.connect(
        f"wss://{SERVER_NAME}:{port}/_stcore/stream",
        host="127.0.0.1",
        port=port,
        ssl=no_verify(),
        server_hostname=SERVER_NAME,
        subprotocols=["streamlit"],  # type: ignore[list-item]
        origin=f"https://{SERVER_NAME}:{port}",  # type: ignore[arg-type]
        additional_headers={"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())},
        open_timeout=30,
    ) as ws:
        msg = BackMsg()
        msg.rerun_script.query_string = ""
        await ws.send(msg.SerializeToString())
        reply = ForwardMsg()
        reply.ParseFromString(await asyncio.wait_for(ws.recv(), 60))
        return str(reply.WhichOneof("type"))


def test_nginx_in_front_of_the_office_server(proxied_server: tuple[int, int]) -> None:
    http_port, https_port = proxied_server
    # Plain HTTP only redirects to HTTPS.
    con = http.client.HTTPConnection("127.0.0.1", http_port, timeout=30)
    con.request("GET", "/soan-ke-hoach?plan=x", headers={"Host": SERVER_NAME})
    resp = con.getresponse()
    assert resp.status == 301
    assert resp.headers["Location"] == f"https://{SERVER_NAME}/soan-ke-hoach?plan=x"
    con.close()
    browser = Browser(https_port)
    # Over HTTPS: the health check, then the sign-in page (not cached, HSTS).
    assert browser.request("GET", "/_stcore/health")[::2] == (200, b"ok")
    status, headers, _ = browser.request("GET", "/dang-nhap")
    assert status == 200
    assert headers["Cache-Control"] == "no-store"
    assert "max-age" in headers["Strict-Transport-Security"]
    # Signed in through the form, the websocket goes through nginx (upgrade, Host and Origin
    # as the browser sent them) and the app answers on it.
    browser.sign_in("quantri", PASSWORD)
    first = in_own_thread(asyncio.run, first_message_over_websocket(https_port, browser.cookies))
    assert first == "new_session"
    # An upload declared over the limit is refused by nginx (413) before the app sees it.
    con = http.client.HTTPSConnection("127.0.0.1", https_port, context=no_verify(), timeout=30)
    try:
        con.putrequest("PUT", "/_stcore/upload_file/s/f")
        con.putheader("Content-Length", str((app_upload_limit_mb() + 1) * 1024 * 1024 + 1))
        con.endheaders()
        resp = con.getresponse()
        assert resp.status == 413 and b"nginx" in resp.read()
    finally:
        con.close()


def in_own_thread(fn: Any, *args: Any) -> Any:
    """`fn(*args)` run on a new thread (its result, or its exception raised here)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(fn, *args).result()


def download_json(page) -> str:  # type: ignore[no-untyped-def]
    """Click the only plan's *Tải .json* and return the file's text. A click that lands while
    the page is still being redrawn starts no download: it is clicked again (three tries)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    for attempt in range(3):
        try:
            with page.expect_download(timeout=20_000) as got:
                page.get_by_role("button", name="Tải .json").first.click()
            return Path(got.value.path()).read_text(encoding="utf-8")
        except PlaywrightTimeoutError:
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


@pytest.mark.e2e
def test_browser_through_nginx_signs_in_uploads_and_downloads(
    proxied_server: tuple[int, int], tmp_path: Path
) -> None:
    """chromium on https://<the site's name>:PORT (the name resolved to this machine): the
    sign-in form, the app over the websocket, an upload (Streamlit's XSRF token and the body
    through nginx) saved as a plan, and its download (`/media/…`) through nginx."""
    from planner.model import plan_to_json
    from tests.e2e.helpers import CHROMIUM_ARGS

    _, https_port = proxied_server
    title = "Kế hoạch tải lên qua nginx"
    plan = sample_plan()
    plan = replace(plan, meta=replace(plan.meta, subject=title))
    upload = tmp_path / "ke-hoach.json"
    upload.write_text(plan_to_json(plan), encoding="utf-8")
    store = PlanStore(tmp_path / "planner.db")
    args = [*CHROMIUM_ARGS, f"--host-resolver-rules=MAP {SERVER_NAME} 127.0.0.1"]
    # Playwright's sync API in a thread of its own: the browser tests' shared browser keeps
    # an event loop on the main thread for the rest of the session.
    in_own_thread(drive, store, upload, title, https_port, args)


def drive(store: PlanStore, upload: Path, title: str, https_port: int, args: list[str]) -> None:
    from playwright.sync_api import sync_playwright

    from tests.e2e.helpers import CHROMIUM, VIEWPORT, settle

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=args)
        try:
            context = browser.new_context(
                viewport=VIEWPORT, ignore_https_errors=True, accept_downloads=True
            )
            context.set_default_timeout(60_000)
            page = context.new_page()
            page.goto(f"https://{SERVER_NAME}:{https_port}/")
            assert "/dang-nhap" in page.url
            page.get_by_label("Tên đăng nhập").fill("quantri")
            page.get_by_label("Mật khẩu").fill(PASSWORD)
            page.get_by_role("button", name="Đăng nhập").click()
            page.get_by_text("Mở tệp kế hoạch (.json)").wait_for()
            settle(page)
            page.locator("[data-testid='stFileUploaderDropzoneInput']").first.set_input_files(
                str(upload)
            )
            page.get_by_role("button", name="Lưu tệp này thành kế hoạch").click()
            deadline = time.monotonic() + 60
            while not [p for p in store.list_plans() if p.title == title]:
                assert time.monotonic() < deadline, "the uploaded plan was not saved"
                time.sleep(0.5)
            page.goto(f"https://{SERVER_NAME}:{https_port}/")
            settle(page)
            downloaded = download_json(page)
            assert title in downloaded
        finally:
            browser.close()


# ------------------------------------------------------------------ systemd


def unit_settings(path: Path) -> dict[str, list[str]]:
    settings: dict[str, list[str]] = {}
    text = path.read_text(encoding="utf-8").replace("\\\n", " ")
    for line in text.splitlines():
        if "=" in line and not line.startswith(("#", ";", "[")):
            key, value = line.split("=", 1)
            settings.setdefault(key.strip(), []).append(value.strip())
    return settings


def test_systemd_units_are_valid(tmp_path: Path) -> None:
    analyze = require_program(
        "systemd-analyze", why="the units are checked by systemd (apt-get install systemd)"
    )
    # The units name /opt/soan-ke-hoach; here the checkout stands in for it.
    for path in (UNIT, BACKUP_UNIT, BACKUP_TIMER):
        text = path.read_text(encoding="utf-8").replace("/opt/soan-ke-hoach", str(ROOT))
        (tmp_path / path.name).write_text(text, encoding="utf-8")
    done = subprocess.run(
        [
            analyze,
            "verify",
            "--man=no",
            "soan-ke-hoach@8501.service",
            "soan-ke-hoach-backup.service",
            "soan-ke-hoach-backup.timer",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    # An unknown key is only a warning for systemd: any output at all is a finding here.
    assert (done.returncode, done.stdout + done.stderr) == (0, "")


def test_app_unit_is_hardened_and_runs_the_server() -> None:
    unit = unit_settings(UNIT)
    assert unit["EnvironmentFile"] == ["/etc/soan-ke-hoach/env"]
    assert unit["Restart"] == ["on-failure"]
    assert unit["User"] == ["soan-ke-hoach"]
    assert unit["NoNewPrivileges"] == ["yes"]
    assert unit["ProtectSystem"] == ["strict"]
    assert unit["ReadWritePaths"] == ["/var/lib/soan-ke-hoach"]
    command = unit["ExecStart"][0].split()
    assert command[1:4] == ["-m", "streamlit", "run"] and command[4] == "serve.py"
    assert command[command.index("--server.port") + 1] == "%i"
    assert command[command.index("--server.address") + 1] == "127.0.0.1"
    assert "PLANNER_MODE=server" in unit["Environment"]
    # The backup unit may write its folder and runs the script with the documented folder.
    backup = unit_settings(BACKUP_UNIT)
    assert "/var/backups/soan-ke-hoach" in backup["ReadWritePaths"][0].split()
    assert backup["ExecStart"][0].split()[1] == "/var/backups/soan-ke-hoach"


def settings_the_app_reads() -> set[str]:
    """Every PLANNER_* name written in the app's code (not in tests, bench or tools)."""
    files = [ROOT / f for f in CODE_FILES if (ROOT / f).is_file()]
    for folder in CODE_DIRS:
        files += sorted((ROOT / folder).rglob("*.py"))
    names: set[str] = set()
    for path in files:
        names |= set(re.findall(r"\bPLANNER_[A-Z_]+\b", path.read_text(encoding="utf-8")))
    return names


def test_env_example_and_unit_name_only_settings_the_app_reads() -> None:
    known = settings_the_app_reads()
    env = {
        line.split("=", 1)[0]
        for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    }
    assert {"PLANNER_DB", "PLANNER_SECRET"} <= env
    assert env <= known, f"not read by the app: {sorted(env - known)}"
    unit_env = {v.split("=", 1)[0] for v in unit_settings(UNIT)["Environment"]}
    planner_env = {name for name in unit_env if name.startswith("PLANNER_")}
    assert planner_env <= known, f"not read by the app: {sorted(planner_env - known)}"
    # The example never ships something that would work as a real secret.
    secret = next(
        line.split("=", 1)[1]
        for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines()
        if line.startswith("PLANNER_SECRET=")
    )
    assert secret.strip('"').isupper(), "the example's secret must read as a placeholder"


# ------------------------------------------------------------------ backups


def plans_of(db: str | Path) -> dict[str, list[tuple[int, dict[str, object]]]]:
    """Every plan of a store with every version (number and content)."""
    store = PlanStore(db)
    return {
        s.id: [
            (v.version, plan_to_dict(store.open_version(s.id, v.version)))
            for v in store.versions(s.id)
        ]
        for s in store.list_plans(include_deleted=True)
    }


def fill(db: str | Path) -> None:
    """Two plans, one with three versions, one in the bin."""
    store = PlanStore(db)
    t = datetime(2026, 9, 1, 8, 0)
    plan = sample_plan()
    first = store.create(plan, now=t)
    for i in range(2):
        edited = replace(plan, meta=replace(plan.meta, subject=f"Bản sửa {i}"))
        store.save(first, edited, base_version=i + 1, now=t)
    second = store.create(plan, now=t, title="Kế hoạch trong thùng rác")
    store.delete(second, now=t)


def shell(command: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """A command of docs/deploy.md, run by sh in the checkout, `python` being this venv's."""
    bin_dir = Path(sys.executable).parent
    full_env = {**os.environ, **env, "PATH": f"{bin_dir}:{os.environ.get('PATH', '')}"}
    return subprocess.run(
        ["sh", "-c", command],
        cwd=ROOT,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=180,
    )


def run_backup(db: str | Path, folder: Path) -> subprocess.CompletedProcess[str]:
    return shell(
        f'"{BACKUP_SCRIPT}" "{folder}" 30', {"PLANNER_DB": str(db), "PYTHON": sys.executable}
    )


def test_doc_shows_the_commands_tried_here() -> None:
    doc = DOC.read_text(encoding="utf-8")
    for command in (RESTORE_SQLITE, RESTORE_PG_DUMP, RESTORE_PG_COPY, CHECK_BACKUP):
        assert command in doc, command
    assert "deploy/backup.sh" in doc


def test_backup_and_restore_on_sqlite(tmp_path: Path) -> None:
    db = tmp_path / "planner.db"
    fill(db)
    before = plans_of(db)
    done = run_backup(db, tmp_path / "backups")
    assert done.returncode == 0, done.stderr
    files = sorted(p.name for p in (tmp_path / "backups").iterdir())
    assert files == [f"{datetime.now():%Y-%m-%d}.db"]  # nothing half-written left beside it
    backup = tmp_path / "backups" / files[0]
    assert shell(CHECK_BACKUP, {"BACKUP": str(backup)}).returncode == 0
    # Restore over a store that has changed since: the backup's content comes back.
    store = PlanStore(db)
    store.create(sample_plan(), now=datetime(2026, 9, 2), title="Sau khi sao lưu")
    done = shell(RESTORE_SQLITE, {"BACKUP": str(backup), "PLANNER_DB": str(db)})
    assert done.returncode == 0, done.stderr
    assert plans_of(db) == before


def test_backup_script_fails_and_leaves_nothing_without_a_database(tmp_path: Path) -> None:
    done = run_backup(tmp_path / "none.db", tmp_path / "backups")
    assert done.returncode != 0
    assert list((tmp_path / "backups").iterdir()) == []


def test_backup_and_restore_on_postgres(tmp_path: Path, pg_url: str, pg_server: PgServer) -> None:
    if shutil.which("pg_dump") is None and not (pg_server.bin_dir / "pg_dump").exists():
        pytest.fail("pg_dump is missing beside PostgreSQL's initdb")
    fill(pg_url)
    with __import__("psycopg").connect(pg_url, autocommit=True) as con:
        con.execute(
            "INSERT INTO users (name, display_name, role, unit, created_at) "
            "VALUES ('quantri', 'Quản trị', 'admin', 'Phòng GDĐT', '2026-09-01T08:00:00')"
        )
    before = plans_of(pg_url)
    path = f"{pg_server.bin_dir}:{os.environ.get('PATH', '')}"
    done = subprocess.run(
        [str(BACKUP_SCRIPT), str(tmp_path / "backups"), "30"],
        cwd=ROOT,
        env={**os.environ, "PLANNER_DB": pg_url, "PYTHON": sys.executable, "PATH": path},
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr
    day = f"{datetime.now():%Y-%m-%d}"
    names = sorted(p.name for p in (tmp_path / "backups").iterdir())
    assert names == [f"{day}.db", f"{day}.pgdump"]
    env_path = {"PATH": path}

    # The whole database from pg_dump, restored over a database that changed since: every
    # plan and the account come back, the plan made after the backup is gone.
    PlanStore(pg_url).create(sample_plan(), now=datetime(2026, 9, 2), title="Sau khi sao lưu")
    done = shell(
        RESTORE_PG_DUMP,
        {"BACKUP": str(tmp_path / "backups" / f"{day}.pgdump"), "PLANNER_DB": pg_url, **env_path},
    )
    assert done.returncode == 0, done.stderr
    assert plans_of(pg_url) == before
    with __import__("psycopg").connect(pg_url) as con:
        assert con.execute("SELECT name FROM users").fetchall() == [("quantri",)]

    # The .db copy, into a new database with the app's own command: plans and the account.
    pg_server.admin("CREATE DATABASE restored_from_copy")
    try:
        target = pg_server.url("restored_from_copy")
        done = shell(
            RESTORE_PG_COPY,
            {"BACKUP": str(tmp_path / "backups" / f"{day}.db"), "PLANNER_DB": target},
        )
        assert done.returncode == 0, done.stderr
        assert plans_of(target) == before
        with __import__("psycopg").connect(target) as con:
            assert con.execute("SELECT name FROM users").fetchall() == [("quantri",)]
    finally:
        pg_server.admin("DROP DATABASE IF EXISTS restored_from_copy WITH (FORCE)")


def test_doc_says_exactly_what_the_db_copy_leaves_out(tmp_path: Path) -> None:
    """The .db copy holds what `db copy` copies; the doc's line "Bản `.db` không chứa: …" names
    exactly the tables it leaves out (no more, no fewer)."""
    import sqlite3

    PlanStore(tmp_path / "p.db")
    with sqlite3.connect(tmp_path / "p.db") as con:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    copied = {table for table, _cols, _order in TABLE_COPY}
    left_out = tables - copied - {"schema_migrations", "sqlite_sequence"}
    doc = DOC.read_text(encoding="utf-8")
    found = re.search(r"Bản `\.db` không chứa: (.*?)\n\n", doc, re.S)
    assert found is not None, "docs/deploy.md lost its line on what the .db copy lacks"
    named = set(re.findall(r"`([a-z_]+)`", found.group(1)))
    assert named == left_out
