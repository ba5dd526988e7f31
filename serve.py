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
from server.settings import load

os.environ["PLANNER_MODE"] = "server"  # app.py then requires a signed-in user on every run

try:
    check()
except NotReady as e:
    print(f"\n{e}\n", file=sys.stderr, flush=True)
    sys.exit(2)

_settings = load()
_auth = AuthService()
_signer = Signer(_settings.secret)
_routes = SignInRoutes(auth=_auth, signer=_signer, secure=_settings.cookie_secure, oidc_label=None)

app = st.App(
    "app.py",
    routes=_routes.routes(),
    middleware=[Middleware(SignInGate, auth=_auth, signer=_signer, oidc=False)],
)
