"""What the gate and the sign-in routes ask of the domain: one store, accounts, sessions.

Blocking (the database); the async callers run these in Starlette's thread pool.
"""

from __future__ import annotations

from datetime import datetime

from planner.auth.accounts import Accounts
from planner.auth.model import User
from planner.auth.sessions import Sessions
from planner.store.plans import PlanStore, default_db_key


def now() -> datetime:
    """The server's clock for sign-in sessions (local time, seconds), the same in the gate
    and in the app's script (`components/auth_panel.py`)."""
    return datetime.now().replace(microsecond=0)


class AuthService:
    """Accounts and sign-in sessions on the server's store (`PLANNER_DB`), opened once."""

    def __init__(self, store: PlanStore | None = None) -> None:
        self._store = store
        self._accounts: Accounts | None = None
        self._sessions: Sessions | None = None

    @property
    def store(self) -> PlanStore:
        if self._store is None:
            self._store = PlanStore(default_db_key())
        return self._store

    @property
    def accounts(self) -> Accounts:
        if self._accounts is None:
            self._accounts = Accounts(self.store)
        return self._accounts

    @property
    def sessions(self) -> Sessions:
        if self._sessions is None:
            self._sessions = Sessions(self.store)
        return self._sessions

    def available(self) -> bool:
        """False when the store cannot be used for sign-in (unreachable, damaged, read-only):
        a missing session then means "cannot check", not "signed out"."""
        return self.store.writable

    def user(self, token: str) -> User | None:
        """The user of a live session, else None (expired, closed, account disabled)."""
        return self.sessions.user(token, now=now())

    def sign_in(self, name: str, password: str) -> str:
        """A new session's token; raises the domain's Vietnamese `PlannerError` on a wrong
        password, a locked or a disabled account."""
        user = self.accounts.authenticate(name, password, now=now())
        return self.sessions.open(user.name, now=now())

    def sign_in_by_email(self, email: str) -> str | None:
        """A new session for the active account with this e-mail (the identity provider
        vouched for it), else None."""
        user = self.accounts.user_for_email(email)
        if user is None or user.disabled:
            return None
        return self.sessions.open(user.name, now=now())

    def sign_out(self, token: str) -> None:
        self.sessions.close(token)
