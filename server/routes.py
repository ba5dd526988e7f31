"""The sign-in (`/dang-nhap`) and sign-out (`/dang-xuat`) routes.

The sign-in form is protected by a double-submit CSRF token (a signed cookie equal to a
hidden field); a successful sign-in opens a server-side session (`Sessions.open`) and puts
its token, signed, in an HttpOnly SameSite=Lax cookie (Secure over HTTPS or with
`PLANNER_COOKIE_SECURE=1`). Sign-out closes the server-side session, so a copied cookie is
dead too.
"""

from __future__ import annotations

import logging

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route

from planner.auth.sessions import SESSION_MAX
from planner.errors import PlannerError
from server.cookies import Signer
from server.gate import DB_DOWN, NO_STORE
from server.pages import message_page, sign_in_page, sign_out_confirm_page
from server.service import AuthService
from server.settings import CSRF_COOKIE, SESSION_COOKIE

_LOG = logging.getLogger(__name__)

# The cookie lives as long as a session may (the server-side session ends sooner when idle).
SESSION_COOKIE_MAX_AGE_S = int(SESSION_MAX.total_seconds())
NOTES = {
    "het-phien": "Phiên đăng nhập đã hết hạn hoặc đã kết thúc. Hãy đăng nhập lại.",
    "da-dang-xuat": "Bạn đã đăng xuất.",
}
STALE_FORM = "Trang đăng nhập đã mở quá lâu hoặc không hợp lệ. Hãy nhập lại rồi bấm Đăng nhập."
EMPTY_FIELDS = "Hãy nhập tên đăng nhập và mật khẩu."


def safe_next(value: str | None) -> str:
    """Where to go after signing in: a path of this server only (never another site)."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    if value.startswith(("/dang-nhap", "/dang-xuat")):
        return "/"
    return value


class SignInRoutes:
    def __init__(
        self, *, auth: AuthService, signer: Signer, secure: bool, oidc_label: str | None
    ) -> None:
        self.auth = auth
        self.signer = signer
        self.secure = secure
        self.oidc_label = oidc_label

    def routes(self) -> list[BaseRoute]:
        return [
            Route("/dang-nhap", self.sign_in, methods=["GET", "POST"]),
            Route("/dang-xuat", self.sign_out, methods=["GET", "POST"]),
        ]

    def _secure(self, request: Request) -> bool:
        return self.secure or request.url.scheme == "https"

    def _form_response(
        self,
        request: Request,
        *,
        status: int = 200,
        name: str = "",
        error: str | None = None,
        next_path: str = "/",
    ) -> Response:
        csrf = self.signer.new_csrf()
        note = NOTES.get(request.query_params.get("ly-do", "")) if not error else None
        response = HTMLResponse(
            sign_in_page(
                csrf=csrf,
                next_path=next_path,
                name=name,
                error=error,
                note=note,
                oidc_label=self.oidc_label,
            ),
            status_code=status,
            headers={**NO_STORE, "X-Frame-Options": "DENY"},
        )
        response.set_cookie(
            CSRF_COOKIE,
            csrf,
            httponly=True,
            samesite="strict",
            secure=self._secure(request),
            path="/",
        )
        return response

    async def sign_in(self, request: Request) -> Response:
        if request.method == "GET":
            return self._form_response(
                request, next_path=safe_next(request.query_params.get("next"))
            )
        form = await request.form()
        name = str(form.get("name") or "").strip()
        password = str(form.get("password") or "")
        next_path = safe_next(str(form.get("next") or "/"))
        if not self.signer.csrf_ok(request.cookies.get(CSRF_COOKIE), str(form.get("csrf") or "")):
            return self._form_response(
                request, status=400, name=name, error=STALE_FORM, next_path=next_path
            )
        if not name or not password:
            return self._form_response(
                request, status=400, name=name, error=EMPTY_FIELDS, next_path=next_path
            )
        try:
            token = await run_in_threadpool(self.auth.sign_in, name, password)
        except PlannerError as e:
            if not await run_in_threadpool(self.auth.available):
                return HTMLResponse(
                    message_page("Chưa kết nối được", DB_DOWN), status_code=503, headers=NO_STORE
                )
            return self._form_response(
                request, status=401, name=name, error=str(e), next_path=next_path
            )
        except Exception:
            _LOG.exception("sign-in failed")
            return HTMLResponse(
                message_page("Chưa kết nối được", DB_DOWN), status_code=503, headers=NO_STORE
            )
        response = RedirectResponse(next_path, status_code=303, headers=NO_STORE)
        self.set_session_cookie(response, request, token)
        response.delete_cookie(CSRF_COOKIE, path="/")
        return response

    def set_session_cookie(self, response: Response, request: Request, token: str) -> None:
        response.set_cookie(
            SESSION_COOKIE,
            self.signer.session_cookie(token),
            max_age=SESSION_COOKIE_MAX_AGE_S,
            httponly=True,
            samesite="lax",
            secure=self._secure(request),
            path="/",
        )

    async def sign_out(self, request: Request) -> Response:
        token = self.signer.token_of(request.cookies.get(SESSION_COOKIE))
        if request.method == "GET":
            key = request.query_params.get("k", "")
            if token is None or key != self.signer.sign_out_key(token):
                # Not a link from this session's page: ask first (a CSRF-safe form).
                csrf = self.signer.new_csrf()
                response: Response = HTMLResponse(
                    sign_out_confirm_page(csrf=csrf), headers=NO_STORE
                )
                response.set_cookie(
                    CSRF_COOKIE,
                    csrf,
                    httponly=True,
                    samesite="strict",
                    secure=self._secure(request),
                    path="/",
                )
                return response
        else:
            form = await request.form()
            if not self.signer.csrf_ok(
                request.cookies.get(CSRF_COOKIE), str(form.get("csrf") or "")
            ):
                return HTMLResponse(
                    message_page("Đăng xuất", STALE_FORM, link="/dang-xuat"),
                    status_code=400,
                    headers=NO_STORE,
                )
        if token is not None:
            try:
                await run_in_threadpool(self.auth.sign_out, token)
            except Exception:
                _LOG.exception("sign-out could not close the session")
                return HTMLResponse(
                    message_page("Chưa kết nối được", DB_DOWN, link="/dang-xuat"),
                    status_code=503,
                    headers=NO_STORE,
                )
        response = RedirectResponse("/dang-nhap?ly-do=da-dang-xuat", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path="/")
        response.delete_cookie(CSRF_COOKIE, path="/")
        return response
