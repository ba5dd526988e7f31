"""The office server (`make serve`, `serve.py`): nothing of a plan before sign-in.

Real `streamlit run serve.py` processes on a database of their own. Before sign-in, every way
in (a page, a download, an upload, the websocket that carries the app) is refused, and the
test reads every byte the server sends and looks for a plan's title and text; after sign-in
the same websocket reading finds them (so the reading can see them). Wrong passwords lock the
account, an expired or closed session and a disabled account are refused, and the server does
not start without an administrator account or a cookie secret.
"""

from __future__ import annotations

import http.client
import re
import subprocess
import sys
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bench._server import StreamlitServer, free_port
from planner.auth.accounts import Accounts
from planner.auth.sessions import SESSION_IDLE, Sessions
from planner.sample import sample_plan
from planner.store.plans import PlanStore
from server.cookies import Signer
from tests.conftest import ROOT

websockets_client = pytest.importorskip("websockets.sync.client")
backmsg = pytest.importorskip("streamlit.proto.BackMsg_pb2")

ARTIFACTS = ROOT / "tests" / "artifacts"
SECRET = "k" * 20 + "-bí-mật-của-bài-kiểm-thử-" + "z" * 20
PASSWORD = "mat-khau-dung-123"
UNIT = "Phòng GD&ĐT Thử"
TITLE = "Kế hoạch kiểm thử cổng Zebra-4417"
# A paragraph of the sample plan (section I): the plan's text, not only its title.
TEXT = "Tiếp tục đẩy mạnh công tác dân vận khéo"
SECRETS = (TITLE.encode(), TEXT.encode(), b"Zebra-4417")


@dataclass
class Reply:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name), None)

    def cookies(self) -> dict[str, str]:
        found = {}
        for k, v in self.headers:
            if k.lower() == "set-cookie":
                name, _, rest = v.partition("=")
                found[name] = rest.split(";", 1)[0]
        return found


def leaks(data: bytes) -> list[bytes]:
    return [s for s in SECRETS if s in data]


class Client:
    def __init__(self, port: int) -> None:
        self.port = port

    def request(
        self,
        method: str,
        path: str,
        *,
        headers: dict[str, str] | None = None,
        body: bytes | str | None = None,
    ) -> Reply:
        con = http.client.HTTPConnection("localhost", self.port, timeout=20)
        try:
            con.request(method, path, body=body, headers=headers or {})
            resp = con.getresponse()
            return Reply(resp.status, resp.getheaders(), resp.read())
        finally:
            con.close()

    def sign_in(self, name: str, password: str) -> Reply:
        """The real form: GET it (its CSRF cookie and field), POST it back."""
        form = self.request("GET", "/dang-nhap")
        assert form.status == 200
        match = re.search(rb'name="csrf" value="([^"]+)"', form.body)
        assert match is not None
        csrf_cookie = form.cookies()["planner_csrf"]
        body = urllib.parse.urlencode(
            {"csrf": match.group(1).decode(), "next": "/", "name": name, "password": password}
        )
        return self.request(
            "POST",
            "/dang-nhap",
            headers={
                "Cookie": f"planner_csrf={csrf_cookie}",
                "Content-Type": "application/x-www-form-urlencoded",
            },
            body=body,
        )

    def session_cookie(self, name: str, password: str = PASSWORD) -> str:
        reply = self.sign_in(name, password)
        assert reply.status == 303, reply.body.decode()
        return reply.cookies()["planner_session"]

    def websocket(self, headers: dict[str, str] | None = None, *, runs: int = 1) -> bytes:
        """Open the app's websocket, ask for `runs` script runs, and return every byte the
        server sent. Refused: raises websockets' InvalidStatus."""
        data = b""
        with websockets_client.connect(
            f"ws://localhost:{self.port}/_stcore/stream",
            additional_headers=headers or {},
            subprotocols=["streamlit"],
            open_timeout=20,
        ) as ws:
            for _ in range(runs):
                data += self._one_run(ws)
        return data

    @staticmethod
    def _one_run(ws) -> bytes:  # type: ignore[no-untyped-def]
        msg = backmsg.BackMsg()
        msg.rerun_script.query_string = ""
        msg.rerun_script.page_script_hash = ""
        ws.send(msg.SerializeToString())
        data = b""
        deadline = time.monotonic() + 60
        quiet_after = 4.0  # a run ends with script_finished; then a few seconds of quiet
        while time.monotonic() < deadline:
            try:
                frame = ws.recv(timeout=quiet_after)
            except TimeoutError:
                break
            data += frame if isinstance(frame, bytes) else frame.encode()
        return data


@dataclass
class Served:
    server: StreamlitServer
    client: Client
    store: PlanStore
    plan_id: str


def own_port() -> int:
    """A port the OS picks: other test runs on this machine use bench's 8650-8699."""
    return free_port(range(0))


def start_server(env: dict[str, str], log: str) -> StreamlitServer:
    server = StreamlitServer("serve.py", port=own_port(), env=env, log_path=ARTIFACTS / log)
    server.start()
    server.wait_healthy(timeout=90)
    # Healthy, and it is ours: a server that lost its port to another exits at once.
    time.sleep(0.5)
    assert server.proc is not None and server.proc.poll() is None
    return server


def serve_env(db: Path, **extra: str) -> dict[str, str]:
    return {
        "PLANNER_DB": str(db),
        "PLANNER_SECRET": SECRET,
        "PLANNER_SECRET_FILE": str(db.parent / "no-secret-file"),
        "PLANNER_NO_SAMPLE": "1",
        "PLANNER_TODAY": "2021-03-15",
        **extra,
    }


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    tmp = tmp_path_factory.mktemp("serve")
    db = tmp / "planner.db"
    store = PlanStore(db)
    accounts = Accounts(store)
    now = datetime.now()
    for name, role in [
        ("quantri", "admin"),
        ("chuyenvien", "editor"),
        ("khoa", "editor"),
        ("nghi", "viewer"),
        ("het", "viewer"),
    ]:
        accounts.add(
            name, display_name=name.title(), role=role, unit=UNIT, password=PASSWORD, now=now
        )
    plan_id = store.create(sample_plan(), now=now, title=TITLE, author="chuyenvien", unit=UNIT)
    server = start_server(serve_env(db), "serve-gate.log")
    try:
        yield Served(server, Client(server.port), store, plan_id)
    finally:
        server.stop()


# ------------------------------------------------------------------------------ before sign-in


@pytest.mark.parametrize("path", ["/", "/soan-ke-hoach", "/xuat-van-ban?plan=x", "/tien-do"])
def test_pages_redirect_to_sign_in(served: Served, path: str) -> None:
    reply = served.client.request("GET", path)
    assert reply.status == 303
    assert (reply.header("location") or "").startswith("/dang-nhap")
    assert not leaks(reply.body)


def test_sign_in_page_is_vietnamese_and_shows_nothing_of_a_plan(served: Served) -> None:
    reply = served.client.request("GET", "/dang-nhap")
    assert reply.status == 200
    html = reply.body.decode()
    assert "Tên đăng nhập" in html and "Mật khẩu" in html and "Đăng nhập" in html
    assert not leaks(reply.body)
    assert "http://" not in html and "https://" not in html  # no external request
    cookie = reply.header("set-cookie") or ""
    assert "HttpOnly" in cookie


def test_download_upload_and_scripts_are_refused(served: Served) -> None:
    client = served.client
    media = client.request("GET", "/media/0123456789abcdef0123456789abcdef.docx")
    assert media.status == 401
    upload = client.request(
        "PUT",
        "/_stcore/upload_file/session/file",
        headers={"Content-Type": "multipart/form-data; boundary=x"},
        body=b'--x\r\nContent-Disposition: form-data; name="file"; filename="a.docx"\r\n'
        b"\r\nabc\r\n--x--\r\n",
    )
    assert upload.status == 401
    assert client.request("GET", "/static/js/index.js").status == 401
    assert client.request("GET", "/_stcore/host-config").status == 401
    for reply in (media, upload):
        assert "đăng nhập" in reply.body.decode()
        assert not leaks(reply.body)


def test_websocket_refused_without_a_session(served: Served) -> None:
    from websockets.exceptions import InvalidStatus

    signer = Signer(SECRET)
    token = Sessions(served.store).open("quantri", now=datetime.now())
    attempts = [
        {},
        {"Cookie": "planner_session=forged"},
        {"Cookie": "planner_session=" + Signer("another-secret-" + "x" * 40).session_cookie(token)},
        # The gate sets this header itself: a client-sent one (even a live token) is dropped.
        {"X-Planner-Session": token, "X-Planner-User": "quantri"},
    ]
    for headers in attempts:
        with pytest.raises(InvalidStatus) as refused:
            served.client.websocket(headers)
        assert refused.value.response.status_code == 403
        assert not leaks(refused.value.response.body or b"")
    # The same token in the cookie the server signed is let in (the attempts above were
    # refused for the way they came, not for the token).
    data = served.client.websocket({"Cookie": "planner_session=" + signer.session_cookie(token)})
    assert TITLE.encode() in data


# ------------------------------------------------------------------------------ sign-in


def test_signed_in_websocket_carries_the_plan(served: Served) -> None:
    cookie = served.client.session_cookie("chuyenvien")
    admin_token = Sessions(served.store).open("quantri", now=datetime.now())
    # A client-sent session header (here an administrator's live token) never replaces the
    # session of the cookie: the app runs as the cookie's user.
    data = served.client.websocket(
        {"Cookie": f"planner_session={cookie}", "X-Planner-Session": admin_token}
    )
    assert TITLE.encode() in data  # the reading that found nothing above can see it
    assert b"Chuyenvien" in data and "Chuyên viên".encode() in data  # who is signed in
    assert b"Quantri" not in data and "Quản trị".encode() not in data


def test_session_cookie_attributes(served: Served) -> None:
    reply = served.client.sign_in("chuyenvien", PASSWORD)
    assert reply.status == 303
    assert reply.header("location") == "/"
    cookie = next(
        v for k, v in reply.headers if k.lower() == "set-cookie" and "planner_session=" in v
    )
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
    assert "Secure" not in cookie  # plain HTTP in this test; PLANNER_COOKIE_SECURE=1 adds it


def test_sign_in_form_without_its_csrf_token_is_refused(served: Served) -> None:
    body = urllib.parse.urlencode({"name": "quantri", "password": PASSWORD, "csrf": "x"})
    reply = served.client.request(
        "POST",
        "/dang-nhap",
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": "planner_csrf=x"},
        body=body,
    )
    assert reply.status == 400
    assert "planner_session" not in reply.cookies()
    assert "Trang đăng nhập đã mở quá lâu" in reply.body.decode()


def test_next_is_kept_but_never_leaves_the_server(served: Served) -> None:
    redirect = served.client.request("GET", "/soan-ke-hoach")
    assert redirect.header("location") == "/dang-nhap?next=/soan-ke-hoach"
    with_plan = served.client.request("GET", f"/soan-ke-hoach?plan={served.plan_id}")
    assert with_plan.header("location") == (
        f"/dang-nhap?next=/soan-ke-hoach%3Fplan%3D{served.plan_id}"
    )
    form = served.client.request("GET", with_plan.header("location") or "")
    assert f'name="next" value="/soan-ke-hoach?plan={served.plan_id}"'.encode() in form.body
    form = served.client.request("GET", "/dang-nhap?next=//evil.example/x")
    assert b'name="next" value="/"' in form.body


def test_wrong_password_five_times_locks_the_account(served: Served) -> None:
    for attempt in range(1, 6):
        reply = served.client.sign_in("khoa", "mat-khau-sai-000")
        assert reply.status == 401
        assert "planner_session" not in reply.cookies()
        text = reply.body.decode()
        if attempt < 5:
            assert "Tên đăng nhập hoặc mật khẩu không đúng." in text
    assert "tạm khóa" in text and "5 lần" in text
    # Locked: even the right password is refused now, with the same message.
    reply = served.client.sign_in("khoa", PASSWORD)
    assert reply.status == 401 and "tạm khóa" in reply.body.decode()
    assert "planner_session" not in reply.cookies()


def test_disabled_account_is_refused_and_its_open_session_ends(served: Served) -> None:
    cookie = served.client.session_cookie("nghi")
    headers = {"Cookie": f"planner_session={cookie}"}
    assert served.client.request("GET", "/", headers=headers).status == 200
    Accounts(served.store).disable("nghi", now=datetime.now())
    again = served.client.request("GET", "/", headers=headers)
    assert again.status == 303 and "ly-do=het-phien" in (again.header("location") or "")
    reply = served.client.sign_in("nghi", PASSWORD)
    assert reply.status == 401
    assert "vô hiệu hóa" in reply.body.decode()
    assert "planner_session" not in reply.cookies()


def test_expired_session_goes_back_to_sign_in(served: Served) -> None:
    long_ago = datetime.now() - SESSION_IDLE - timedelta(minutes=5)
    token = Sessions(served.store).open("het", now=long_ago)
    headers = {"Cookie": "planner_session=" + Signer(SECRET).session_cookie(token)}
    reply = served.client.request("GET", "/soan-ke-hoach", headers=headers)
    assert reply.status == 303
    assert reply.header("location") == "/dang-nhap?next=/soan-ke-hoach&ly-do=het-phien"
    assert 'planner_session=""' in (reply.header("set-cookie") or "")
    page = served.client.request("GET", "/dang-nhap?ly-do=het-phien")
    assert "Phiên đăng nhập đã hết hạn" in page.body.decode()
    from websockets.exceptions import InvalidStatus

    with pytest.raises(InvalidStatus):
        served.client.websocket(headers)


def test_a_session_ended_while_connected_ends_at_the_next_run(served: Served) -> None:
    """The websocket stays open after sign-in; the app re-checks the session on every run."""
    token = Sessions(served.store).open("chuyenvien", now=datetime.now())
    headers = {"Cookie": "planner_session=" + Signer(SECRET).session_cookie(token)}
    with websockets_client.connect(
        f"ws://localhost:{served.client.port}/_stcore/stream",
        additional_headers=headers,
        subprotocols=["streamlit"],
        open_timeout=20,
    ) as ws:
        first = Client._one_run(ws)
        assert TITLE.encode() in first
        Sessions(served.store).close(token)
        second = Client._one_run(ws)
    assert not leaks(second)
    assert "Phiên đăng nhập đã hết hạn hoặc đã kết thúc".encode() in second


def test_sign_out_closes_the_session(served: Served) -> None:
    cookie = served.client.session_cookie("quantri")
    headers = {"Cookie": f"planner_session={cookie}"}
    token = Signer(SECRET).token_of(cookie)
    assert token is not None
    # Without this session's key (a link from another site): only a question, nothing closed.
    ask = served.client.request("GET", "/dang-xuat", headers=headers)
    assert ask.status == 200 and "Bạn có muốn đăng xuất" in ask.body.decode()
    assert served.client.request("GET", "/", headers=headers).status == 200
    key = Signer(SECRET).sign_out_key(token)
    out = served.client.request("GET", f"/dang-xuat?k={key}", headers=headers)
    assert out.status == 303 and out.header("location") == "/dang-nhap?ly-do=da-dang-xuat"
    assert served.client.request("GET", "/", headers=headers).status == 303
    assert Sessions(served.store).user(token, now=datetime.now()) is None


def test_signs_in_then_the_database_goes_away(
    db_target: str | Path, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """On SQLite and PostgreSQL: sign in through the form and see the plan; then the database
    goes away under the running server: the gate says so in Vietnamese and shows nothing (no
    sign-in page that would treat the user as signed out, no session for anyone)."""
    store = PlanStore(db_target)
    now = datetime.now()
    Accounts(store).add(
        "quantri", display_name="Q", role="admin", unit=UNIT, password=PASSWORD, now=now
    )
    store.create(sample_plan(), now=now, title=TITLE, author="quantri", unit=UNIT)
    env = {**serve_env(tmp_path / "planner.db"), "PLANNER_DB": str(db_target)}
    server = start_server(env, "serve-gate-db.log")
    try:
        client = Client(server.port)
        cookie = client.session_cookie("quantri")
        headers = {"Cookie": f"planner_session={cookie}"}
        with websockets_client.connect(
            f"ws://localhost:{server.port}/_stcore/stream",
            additional_headers=headers,
            subprotocols=["streamlit"],
            open_timeout=20,
        ) as ws:
            assert TITLE.encode() in Client._one_run(ws)
            if isinstance(db_target, Path):
                db_target.unlink()
                db_target.mkdir()  # a folder where the file was: nothing can be opened there
            else:
                pg = request.getfixturevalue("pg_server")
                name = urllib.parse.urlparse(str(db_target)).path.lstrip("/")
                pg.admin(f"DROP DATABASE {name} WITH (FORCE)")
            # The page already open: its next run says so, and shows nothing else.
            after = Client._one_run(ws)
        assert "Không kết nối được cơ sở dữ liệu".encode() in after
        assert not leaks(after)
        reply = client.request("GET", "/", headers=headers)
        sign_in = client.sign_in("quantri", PASSWORD)
    finally:
        server.stop()
    for answer in (reply, sign_in):
        assert answer.status == 503
        assert "Không kết nối được cơ sở dữ liệu" in answer.body.decode()
        assert "planner_session" not in answer.cookies()
        assert not leaks(answer.body)


# ------------------------------------------------------------------------------ start-up


def start_and_wait(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    port = own_port()
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "serve.py",
            "--server.port",
            str(port),
            "--server.address",
            "localhost",
            "--server.headless",
            "true",
        ],
        cwd=ROOT,
        env={**__import__("os").environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_refuses_to_start_without_an_admin(tmp_path: Path) -> None:
    db = tmp_path / "planner.db"
    Accounts(PlanStore(db)).add(
        "xem", display_name="X", role="viewer", unit=UNIT, password=PASSWORD, now=datetime.now()
    )
    done = start_and_wait(serve_env(db))
    assert done.returncode != 0
    assert "chưa có tài khoản quản trị" in done.stderr
    assert "python -m planner users add" in done.stderr


def test_refuses_to_start_without_a_secret(tmp_path: Path) -> None:
    db = tmp_path / "planner.db"
    env = serve_env(db)
    env["PLANNER_SECRET"] = ""
    done = start_and_wait(env)
    assert done.returncode != 0
    assert "Chưa có khóa bí mật" in done.stderr, done.stderr[-2000:]
    assert not (tmp_path / "no-secret-file").exists()  # not made up by the server itself


def test_refuses_to_start_with_half_an_identity_provider(tmp_path: Path) -> None:
    db = tmp_path / "planner.db"
    Accounts(PlanStore(db)).add(
        "quantri", display_name="Q", role="admin", unit=UNIT, password=PASSWORD, now=datetime.now()
    )
    env = serve_env(db, PLANNER_OIDC_METADATA_URL="http://localhost:1/.well-known/x")
    done = start_and_wait(env)
    assert done.returncode != 0
    assert "còn thiếu PLANNER_OIDC_CLIENT_ID, PLANNER_OIDC_CLIENT_SECRET" in done.stderr


# ------------------------------------------------------------------------------ in process


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("/soan-ke-hoach?plan=abc", "/soan-ke-hoach?plan=abc"),
        ("//evil.example/x", "/"),
        ("https://evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("/dang-xuat", "/"),
        ("", "/"),
        (None, "/"),
    ],
)
def test_safe_next(value: str | None, expected: str) -> None:
    from server.routes import safe_next

    assert safe_next(value) == expected


@pytest.mark.parametrize(
    ("https", "forced", "secure"), [(False, False, False), (True, False, True), (False, True, True)]
)
def test_cookies_are_secure_over_https_or_when_told(
    tmp_path: Path, https: bool, forced: bool, secure: bool
) -> None:
    from starlette.applications import Starlette
    from starlette.testclient import TestClient

    from server.routes import SignInRoutes
    from server.service import AuthService

    store = PlanStore(tmp_path / "planner.db")
    Accounts(store).add(
        "quantri", display_name="Q", role="admin", unit=UNIT, password=PASSWORD, now=datetime.now()
    )
    routes = SignInRoutes(
        auth=AuthService(store), signer=Signer(SECRET), secure=forced, oidc_label=None
    )
    base = "https://may-chu.example" if https else "http://may-chu.example"
    with TestClient(Starlette(routes=routes.routes()), base_url=base) as client:
        form = client.get("/dang-nhap")
        csrf = re.search(r'name="csrf" value="([^"]+)"', form.text)
        assert csrf is not None
        # As a browser behind an HTTPS proxy sends it back (the app itself may see HTTP).
        csrf_cookie = form.headers["set-cookie"].split(";", 1)[0]
        assert ("; Secure" in form.headers["set-cookie"]) is secure
        client.cookies.clear()
        reply = client.post(
            "/dang-nhap",
            data={"csrf": csrf.group(1), "name": "quantri", "password": PASSWORD, "next": "/"},
            headers={"Cookie": csrf_cookie},
            follow_redirects=False,
        )
    assert reply.status_code == 303
    cookie = next(
        v for v in reply.headers.get_list("set-cookie") if v.startswith("planner_session=")
    )
    assert ("; Secure" in cookie) is secure
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie
