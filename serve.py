"""The office server (`make serve`): the app behind a sign-in gate.

`streamlit run serve.py` finds `app` below (an `st.App`, served by uvicorn) and runs
`app.py` inside it in server mode (`PLANNER_MODE=server`): the gate (`server/gate.py`) is in
front of every page, download, upload and the websocket, and every page of the app re-checks
the session (`components/auth_panel.py`). Before anything listens, `server/preflight.py`
checks the settings; when they are not safe it prints why (in Vietnamese) and exits.
"""

from __future__ import annotations

import os
import sys

import streamlit as st
from starlette.middleware import Middleware

from server.cookies import Signer
from server.gate import SignInGate
from server.preflight import NotReady, check
from server.routes import SignInRoutes
from server.service import AuthService
from server.settings import load, oidc_settings

os.environ["PLANNER_MODE"] = "server"  # app.py then requires a signed-in user on every run

try:
    check()
except NotReady as e:
    print(f"\n{e}\n", file=sys.stderr, flush=True)
    sys.exit(2)

_settings = load()
_oidc = oidc_settings()
_auth = AuthService()
_signer = Signer(_settings.secret)
_routes = SignInRoutes(
    auth=_auth,
    signer=_signer,
    secure=_settings.cookie_secure,
    oidc_label=_oidc.label if _oidc else None,
)
_extra_routes = []
_secrets = None
if _oidc is not None:
    from streamlit import config as _config

    from server.oidc import OidcRoutes, streamlit_cookie_secret, streamlit_secrets

    _extra_routes = OidcRoutes(auth=_auth, set_session_cookie=_routes.set_session_cookie).routes()
    _secrets = streamlit_secrets(_oidc, _settings.secret)
    # Streamlit keeps the provider's state (Authlib) in its own signed session cookie.
    _config.set_option("server.cookieSecret", streamlit_cookie_secret(_settings.secret))

app = st.App(
    "app.py",
    routes=[*_routes.routes(), *_extra_routes],
    middleware=[Middleware(SignInGate, auth=_auth, signer=_signer, oidc=_oidc is not None)],
    secrets=_secrets,
)
