"""Signed cookies with itsdangerous: the session token and the sign-in form's CSRF token.

The token itself is random (`Sessions.open`) and only its sha256 is stored; the signature
stops a forged or tampered cookie before the database is asked. Expiry and sign-out live on
the server (`auth_sessions`), so a copied cookie dies with its session.
"""

from __future__ import annotations

import hmac
import secrets
from hashlib import sha256

from itsdangerous import BadSignature, SignatureExpired, URLSafeSerializer, URLSafeTimedSerializer

CSRF_MAX_AGE_S = 2 * 3600  # a sign-in form older than this asks to be reloaded


class Signer:
    def __init__(self, secret: str) -> None:
        self._secret = secret.encode("utf-8")
        self._session = URLSafeSerializer(secret, salt="planner-session")
        self._csrf = URLSafeTimedSerializer(secret, salt="planner-csrf")

    def session_cookie(self, token: str) -> str:
        return self._session.dumps(token)

    def token_of(self, cookie: str | None) -> str | None:
        """The session token in a cookie the server signed, else None."""
        if not cookie:
            return None
        try:
            token = self._session.loads(cookie)
        except BadSignature:
            return None
        return token if isinstance(token, str) and token else None

    def new_csrf(self) -> str:
        return self._csrf.dumps(secrets.token_urlsafe(16))

    def csrf_ok(self, cookie: str | None, form: str | None) -> bool:
        """The form's token equals the cookie's, and the server signed it recently."""
        if not cookie or not form or not hmac.compare_digest(cookie, form):
            return False
        try:
            self._csrf.loads(form, max_age=CSRF_MAX_AGE_S)
        except (BadSignature, SignatureExpired):
            return False
        return True

    def sign_out_key(self, token: str) -> str:
        """The key a sign-out link carries: only a page of this session knows it, so another
        site cannot sign the user out with a link."""
        return hmac.new(self._secret, b"sign-out:" + token.encode(), sha256).hexdigest()[:32]
