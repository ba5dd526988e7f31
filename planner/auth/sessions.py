"""Sign-in sessions kept on the server (`auth_sessions`).

A session is a random token (`secrets.token_urlsafe(32)`) that the browser holds; the store
keeps only its SHA-256, so a copy of the database opens no session. A session ends after
`SESSION_IDLE` without use (`last_seen`, moved forward at most once a minute so a busy page
does not write on every rerun), after `SESSION_MAX` whatever its use, when the user signs out,
and when the account is disabled or its password changed (`Accounts` ends them in the same
transaction). The caller passes `now`.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from planner.auth.accounts import (
    DISABLED_TEXT,
    before,
    close_sessions,
    moment,
    normal_name,
    user_from_row,
)
from planner.auth.model import User
from planner.errors import NotFoundError, SignInError
from planner.store import audit
from planner.store.plans import PlanStore

SESSION_IDLE = timedelta(hours=8)
SESSION_MAX = timedelta(days=7)
TOUCH_EVERY = timedelta(minutes=1)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class Sessions:
    def __init__(self, store: PlanStore) -> None:
        self.store = store

    def open(self, user_name: str, *, now: datetime) -> str:
        """A new session for an active account; returns the token (shown once, never stored)."""
        name = normal_name(user_name)
        token = secrets.token_urlsafe(32)
        stamp = now.isoformat(timespec="seconds")
        with self.store.transaction() as con:
            row = con.execute("SELECT disabled_at FROM users WHERE name = ?", (name,)).fetchone()
            if row is None:
                raise NotFoundError(f"Không có tài khoản “{name}”.")
            if row[0] is not None:
                raise SignInError(DISABLED_TEXT)
            con.execute(
                "INSERT INTO auth_sessions (token_hash, user_name, created_at, last_seen, "
                "expires_at) VALUES (?, ?, ?, ?, ?)",
                (
                    token_hash(token),
                    name,
                    stamp,
                    stamp,
                    (now + SESSION_MAX).isoformat(timespec="seconds"),
                ),
            )
            audit.record(con, at=now, user=name, action="user.signin")
        return token

    def user(self, token: str, *, now: datetime) -> User | None:
        """The account a token signs in, None when the session is unknown, expired (idle or
        absolute; the row is then removed) or its account disabled."""
        if not token:
            return None
        digest = token_hash(token)
        with self.store.connect() as con:
            row = con.execute(
                "SELECT u.name, u.display_name, u.role, u.unit, u.email, u.disabled_at, "
                "s.last_seen, s.expires_at FROM auth_sessions s "
                "JOIN users u ON u.name = s.user_name WHERE s.token_hash = ?",
                (digest,),
            ).fetchone()
        if row is None:
            return None
        user = user_from_row(row)
        last_seen, expires = moment(row[6]), moment(row[7])
        if user.disabled or not before(now, expires) or not before(now, last_seen + SESSION_IDLE):
            self._drop(digest)
            return None
        if not before(now, last_seen + TOUCH_EVERY) and self.store.writable:
            with self.store.transaction() as con:
                con.execute(
                    "UPDATE auth_sessions SET last_seen = ? WHERE token_hash = ?",
                    (now.isoformat(timespec="seconds"), digest),
                )
        return user

    def close(self, token: str, *, now: datetime | None = None) -> None:
        """Sign out: the session ends (an unknown token is no error). With `now`, the sign-out
        is written to the audit log."""
        digest = token_hash(token)
        with self.store.transaction() as con:
            row = con.execute(
                "SELECT user_name FROM auth_sessions WHERE token_hash = ?", (digest,)
            ).fetchone()
            con.execute("DELETE FROM auth_sessions WHERE token_hash = ?", (digest,))
            if row is not None and now is not None:
                audit.record(con, at=now, user=row[0], action="user.signout")

    def close_all(self, user_name: str) -> int:
        """End every session of an account; how many there were."""
        with self.store.transaction() as con:
            return close_sessions(con, normal_name(user_name))

    def close_expired(self, *, now: datetime) -> int:
        """Remove the sessions that have expired (idle or absolute); how many."""
        with self.store.transaction() as con:
            rows = con.execute(
                "SELECT token_hash, last_seen, expires_at FROM auth_sessions"
            ).fetchall()
            gone = [
                (r[0],)
                for r in rows
                if not before(now, moment(r[2])) or not before(now, moment(r[1]) + SESSION_IDLE)
            ]
            if gone:
                con.executemany("DELETE FROM auth_sessions WHERE token_hash = ?", gone)
        return len(gone)

    def _drop(self, digest: str) -> None:
        if self.store.writable:
            with self.store.transaction() as con:
                con.execute("DELETE FROM auth_sessions WHERE token_hash = ?", (digest,))
