"""The office server's settings, read from the environment (documented in README.md)."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from planner.paths import ROOT

SECRET_ENV = "PLANNER_SECRET"  # the cookie-signing secret; else the file below
SECRET_FILE = ROOT / ".data" / "secret"  # generated on first `make serve`, mode 0600
SECRET_FILE_ENV = "PLANNER_SECRET_FILE"  # another place for that file
COOKIE_SECURE_ENV = "PLANNER_COOKIE_SECURE"  # "1": cookies only over HTTPS
SESSION_COOKIE = "planner_session"  # the signed sign-in token (HttpOnly, SameSite=Lax)
CSRF_COOKIE = "planner_csrf"  # the sign-in form's double-submit token
SESSION_HEADER = "x-planner-session"  # set by the gate from the cookie, never by the client
MIN_SECRET_LENGTH = 32


@dataclass(frozen=True)
class ServerSettings:
    secret: str
    cookie_secure: bool


def cookie_secure() -> bool:
    return os.environ.get(COOKIE_SECURE_ENV, "").strip() in {"1", "true", "yes"}


def secret_file() -> Path:
    """`PLANNER_SECRET_FILE`, else `.data/secret`."""
    custom = os.environ.get(SECRET_FILE_ENV, "").strip()
    return Path(custom) if custom else SECRET_FILE


def read_secret(*, create: bool = False, path: Path | None = None) -> str | None:
    """`PLANNER_SECRET`, else the secret file; `create`: write a new random one (0600) when
    neither exists. None when there is none (or it is too short to be a secret)."""
    path = path if path is not None else secret_file()
    value = os.environ.get(SECRET_ENV, "").strip()
    if not value and path.is_file():
        value = path.read_text(encoding="utf-8").strip()
    if not value and create:
        path.parent.mkdir(parents=True, exist_ok=True)
        value = secrets.token_urlsafe(48)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(value + "\n")
    return value if len(value) >= MIN_SECRET_LENGTH else None


def load() -> ServerSettings:
    """The settings of a server that passed `preflight` (the secret exists)."""
    secret = read_secret()
    if secret is None:
        raise RuntimeError("no cookie secret: run serve.py, which checks the settings first")
    return ServerSettings(secret=secret, cookie_secure=cookie_secure())


# ---------------------------------------------------------------- OpenID Connect (optional)
OIDC_METADATA_ENV = "PLANNER_OIDC_METADATA_URL"  # …/.well-known/openid-configuration
OIDC_CLIENT_ID_ENV = "PLANNER_OIDC_CLIENT_ID"
OIDC_CLIENT_SECRET_ENV = "PLANNER_OIDC_CLIENT_SECRET"
OIDC_LABEL_ENV = "PLANNER_OIDC_LABEL"  # shown on the button: "… tài khoản của đơn vị (LABEL)"
PUBLIC_URL_ENV = "PLANNER_PUBLIC_URL"  # the address users type, e.g. https://kehoach.phong.vn


@dataclass(frozen=True)
class OidcSettings:
    metadata_url: str
    client_id: str
    client_secret: str
    public_url: str
    label: str

    @property
    def redirect_uri(self) -> str:
        return self.public_url.rstrip("/") + "/oauth2callback"


def oidc_settings() -> OidcSettings | None:
    """The identity provider, when `PLANNER_OIDC_METADATA_URL` is set (else None: passwords
    only). Raises ValueError naming what is missing when it is set half way."""
    metadata = os.environ.get(OIDC_METADATA_ENV, "").strip()
    if not metadata:
        return None
    values = {
        name: os.environ.get(name, "").strip()
        for name in (OIDC_CLIENT_ID_ENV, OIDC_CLIENT_SECRET_ENV, PUBLIC_URL_ENV)
    }
    missing = [name for name, value in values.items() if not value]
    if missing:
        raise ValueError(", ".join(missing))
    return OidcSettings(
        metadata_url=metadata,
        client_id=values[OIDC_CLIENT_ID_ENV],
        client_secret=values[OIDC_CLIENT_SECRET_ENV],
        public_url=values[PUBLIC_URL_ENV],
        label=os.environ.get(OIDC_LABEL_ENV, "").strip() or "OpenID Connect",
    )
