"""The sign-in gate: an ASGI middleware in front of every HTTP request and the websocket.

Without a live session only the sign-in pages and `/_stcore/health` answer (and Streamlit's
OIDC routes when an identity provider is configured): a page is redirected to the sign-in
form, anything else (the websocket that carries every plan, `/media/…` downloads,
`/_stcore/upload_file/…` uploads, the app's scripts) is refused, so the browser receives no
plan title, no text and no file. With one, the request goes on with the header
`x-planner-session` set from the cookie (a client-sent copy is always dropped); the app's
script re-checks that session on every run (`components/auth_panel.py`).
"""

from __future__ import annotations

import logging
from http.cookies import SimpleCookie
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from server.cookies import Signer
from server.pages import message_page
from server.service import AuthService
from server.settings import SESSION_COOKIE, SESSION_HEADER

_LOG = logging.getLogger(__name__)

PUBLIC_PATHS = frozenset({"/dang-nhap", "/dang-xuat", "/_stcore/health"})
OIDC_PATHS = frozenset(
    {"/dang-nhap/don-vi", "/dang-nhap/don-vi/xong", "/auth/login", "/oauth2callback"}
)
# Client-sent headers the app must never trust: the gate alone sets the session header, and
# Streamlit's trusted user headers are not used by this app.
STRIPPED_HEADERS = frozenset({SESSION_HEADER.encode(), b"x-planner-user"})
NO_STORE = {"Cache-Control": "no-store"}
SIGN_IN_NEEDED = "Cần đăng nhập để dùng Soạn Kế hoạch."
DB_DOWN = (
    "Không kết nối được cơ sở dữ liệu của phòng nên chưa kiểm tra được đăng nhập. Hãy thử "
    "lại sau ít phút; nếu vẫn không được, hãy báo quản trị viên."
)


def cookies_of(scope: Scope) -> dict[str, str]:
    jar: SimpleCookie = SimpleCookie()
    for key, value in scope.get("headers", []):
        if key == b"cookie":
            try:
                jar.load(value.decode("latin-1"))
            except Exception:  # a malformed cookie header: as if there were none
                continue
    return {name: morsel.value for name, morsel in jar.items()}


def is_page_request(scope: Scope) -> bool:
    """A browser navigating to one of the app's pages (not its data, scripts or files)."""
    if scope["type"] != "http" or scope.get("method") not in {"GET", "HEAD"}:
        return False
    path: str = scope["path"]
    if path.startswith(("/_stcore/", "/media/", "/component/", "/static/", "/app/", "/auth/")):
        return False
    last = path.rsplit("/", 1)[-1]
    return "." not in last  # /, /soan-ke-hoach, …: no file name


class SignInGate:
    def __init__(self, app: ASGIApp, *, auth: AuthService, signer: Signer, oidc: bool) -> None:
        self.app = app
        self.auth = auth
        self.signer = signer
        self.oidc = oidc
        self.public = PUBLIC_PATHS | (OIDC_PATHS if oidc else frozenset())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in {"http", "websocket"}:
            await self.app(scope, receive, send)
            return
        headers = [(k, v) for k, v in scope.get("headers", []) if k.lower() not in STRIPPED_HEADERS]
        scope = {**scope, "headers": headers}
        if scope["path"] in self.public:
            await self.app(scope, receive, send)
            return
        cookies = cookies_of(scope)
        token = self.signer.token_of(cookies.get(SESSION_COOKIE))
        if token is None and self.oidc and "_streamlit_user" in cookies and is_page_request(scope):
            # Back from the identity provider (Streamlit's callback went to "/"): turn the
            # identity into a session of ours, or a refusal.
            await RedirectResponse("/dang-nhap/don-vi/xong", status_code=303, headers=NO_STORE)(
                scope, receive, send
            )
            return
        try:
            user = await run_in_threadpool(self.auth.user, token) if token else None
            if user is None and token and not await run_in_threadpool(self.auth.available):
                raise ConnectionError("the store cannot be used")
        except Exception:
            _LOG.exception("the sign-in gate could not check a session")
            await self._refuse(scope, receive, send, outage=True)
            return
        if user is None:
            await self._refuse(scope, receive, send, expired=token is not None)
            return
        headers.append((SESSION_HEADER.encode(), token.encode()))  # type: ignore[union-attr]
        await self.app(scope, receive, send)

    async def _refuse(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        *,
        expired: bool = False,
        outage: bool = False,
    ) -> None:
        if scope["type"] == "websocket":
            # Closing before accepting: the server answers the handshake with 403, and not
            # one message of the app is sent.
            await send({"type": "websocket.close", "code": 1008})
            return
        response: Response
        if outage:
            response = HTMLResponse(
                message_page("Chưa kết nối được", DB_DOWN), status_code=503, headers=NO_STORE
            )
        elif is_page_request(scope):
            target = "/dang-nhap"
            query = []
            wanted = scope["path"]
            if scope.get("query_string"):
                wanted += "?" + scope["query_string"].decode("latin-1")
            if wanted != "/":  # the page and its ?plan=…: the same plan opens after sign-in
                query.append("next=" + quote(wanted, safe="/"))
            if expired:
                query.append("ly-do=het-phien")
            if query:
                target += "?" + "&".join(query)
            response = RedirectResponse(target, status_code=303, headers=NO_STORE)
            if expired:
                response.delete_cookie(SESSION_COOKIE, path="/")
        else:
            response = PlainTextResponse(SIGN_IN_NEEDED, status_code=401, headers=NO_STORE)
        await response(scope, receive, send)
