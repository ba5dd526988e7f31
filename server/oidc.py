"""Sign-in through the office's identity provider (OpenID Connect), with Streamlit's own
`st.login` machinery (Authlib): the provider's routes `/auth/login` and `/oauth2callback`
are Streamlit's; this module starts the flow and turns its result into a session of ours.

1. `/dang-nhap/don-vi` sends the browser to Streamlit's `/auth/login` for the configured
   provider, which sends it to the identity provider.
2. The provider sends it back to `/oauth2callback`; Streamlit checks the answer (state, PKCE,
   the ID token) and keeps the identity in its signed `_streamlit_user` cookie, then goes to
   `/`, where the gate (no session of ours yet) sends it to `/dang-nhap/don-vi/xong`.
3. Here the identity's e-mail must be that of an active account (`Accounts.user_for_email`):
   then a session is opened as for a password, Streamlit's cookie is dropped, and the user is
   in; else a Vietnamese refusal and nothing else.
"""

from __future__ import annotations

import hmac
import json
import logging
from hashlib import sha256
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import BaseRoute, Route
from streamlit.auth_util import encode_provider_token
from streamlit.web.server.starlette.starlette_auth_routes import (
    _clear_auth_cookie,
    _get_cookie_value_from_request,
)

from server.pages import message_page
from server.service import AuthService
from server.settings import OidcSettings

_LOG = logging.getLogger(__name__)

PROVIDER = "default"  # Streamlit's name for the one provider configured under [auth]
STREAMLIT_USER_COOKIE = "_streamlit_user"
START_PATH = "/dang-nhap/don-vi"
DONE_PATH = "/dang-nhap/don-vi/xong"
NO_ACCOUNT = (
    "Tài khoản {email} của đơn vị chưa được cấp quyền dùng Soạn Kế hoạch, hoặc đã bị vô hiệu "
    "hóa. Hãy liên hệ quản trị viên để được thêm tài khoản có địa chỉ thư điện tử này."
)
NO_IDENTITY = (
    "Chưa nhận được thông tin đăng nhập từ tài khoản của đơn vị (có thể đã hủy, hoặc đã quá "
    "lâu). Hãy thử lại."
)
UNVERIFIED = (
    "Địa chỉ thư điện tử {email} chưa được nhà cung cấp tài khoản xác minh nên chưa đăng nhập "
    "được. Hãy liên hệ quản trị viên."
)


def streamlit_secrets(oidc: OidcSettings, secret: str) -> dict[str, Any]:
    """The `[auth]` section `st.App(secrets=...)` gives Streamlit (never written to a file)."""
    return {
        "auth": {
            "redirect_uri": oidc.redirect_uri,
            "cookie_secret": streamlit_cookie_secret(secret),
            "client_id": oidc.client_id,
            "client_secret": oidc.client_secret,
            "server_metadata_url": oidc.metadata_url,
        }
    }


def streamlit_cookie_secret(secret: str) -> str:
    """Streamlit's own cookie secret, derived from ours: the same on every app server (the
    provider may answer a different server than the one the flow started on)."""
    return hmac.new(secret.encode(), b"streamlit-cookies", sha256).hexdigest()


class OidcRoutes:
    def __init__(self, *, auth: AuthService, set_session_cookie: Any) -> None:
        self.auth = auth
        self.set_session_cookie = set_session_cookie

    def routes(self) -> list[BaseRoute]:
        return [
            Route(START_PATH, self.start, methods=["GET"]),
            Route(DONE_PATH, self.done, methods=["GET"]),
        ]

    async def start(self, request: Request) -> Response:
        target = "/auth/login?provider=" + encode_provider_token(PROVIDER)
        return RedirectResponse(target, status_code=303, headers={"Cache-Control": "no-store"})

    async def done(self, request: Request) -> Response:
        identity = _identity(request)
        email = str(identity.get("email") or "").strip() if identity else ""
        response: Response
        if not identity or not identity.get("is_logged_in") or not email:
            response = _refusal(NO_IDENTITY, status=401)
        elif identity.get("email_verified") is False:
            response = _refusal(UNVERIFIED.format(email=email), status=403)
        else:
            try:
                token = await run_in_threadpool(self.auth.sign_in_by_email, email)
            except Exception:
                _LOG.exception("sign-in by e-mail failed")
                token = None
                if not await run_in_threadpool(self.auth.available):
                    from server.gate import DB_DOWN

                    return _refusal(DB_DOWN, status=503)
            if token is None:
                response = _refusal(NO_ACCOUNT.format(email=email), status=403)
            else:
                response = RedirectResponse("/", status_code=303)
                self.set_session_cookie(response, request, token)
        _drop_streamlit_identity(response, request)
        return response


def _identity(request: Request) -> dict[str, Any] | None:
    """The identity Streamlit's callback signed into its cookie, or None."""
    try:
        raw = _get_cookie_value_from_request(request, STREAMLIT_USER_COOKIE)
        value = json.loads(raw) if raw else None
    except Exception:
        return None
    return value if isinstance(value, dict) else None


def _drop_streamlit_identity(response: Response, request: Request) -> None:
    """Our session is what counts: Streamlit's identity cookies are not kept."""
    _clear_auth_cookie(response, request)


def _refusal(message: str, *, status: int) -> Response:
    return HTMLResponse(
        message_page("Đăng nhập", message),
        status_code=status,
        headers={"Cache-Control": "no-store"},
    )
