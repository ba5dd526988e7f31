"""Local accounts: argon2 password hashes, lock-out after repeated failures.

Only the argon2 hash of a password is stored (`argon2.PasswordHasher`, its default
parameters; a hash made with weaker parameters is replaced at the next sign-in). After
`MAX_FAILED_LOGINS` wrong passwords in a row an account is locked for `LOCKOUT`; a correct
password resets the count. An unknown name and a wrong password get the same message. A
disabled account keeps its plans and history but cannot sign in, and its sessions end.
Every change is written to the audit log in the same transaction. The caller passes `now`.
"""

from __future__ import annotations

import builtins
import re
from datetime import datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from planner.auth.model import ROLE_LABELS, Role, User
from planner.errors import AccountError, NotFoundError, SignInError, StorageError
from planner.store import audit
from planner.store.backend import Connection
from planner.store.plans import PlanStore

MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
MIN_PASSWORD = 8
MAX_PASSWORD = 1024  # argon2 would hash more; a longer "password" is a mistake or an attack
NAME_PATTERN = re.compile(r"[a-z0-9._-]{2,64}")
WRONG_CREDENTIALS = "Tên đăng nhập hoặc mật khẩu không đúng."


_COLUMNS = "name, display_name, role, unit, email, disabled_at"


def normal_name(name: str) -> str:
    """A sign-in name as stored: trimmed, lower-case."""
    return name.strip().lower()


def check_name(name: str) -> str:
    """The name normalised, or `AccountError` saying what a name may hold."""
    name = normal_name(name)
    if not NAME_PATTERN.fullmatch(name):
        raise AccountError(
            f"Tên đăng nhập “{name}” không hợp lệ: cần từ 2 đến 64 ký tự, chỉ gồm chữ thường "
            "không dấu (a–z), chữ số và các dấu . _ -"
        )
    return name


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"Mật khẩu quá ngắn: cần ít nhất {MIN_PASSWORD} ký tự.")
    if len(password) > MAX_PASSWORD:
        raise AccountError(f"Mật khẩu quá dài: tối đa {MAX_PASSWORD} ký tự.")
    if not password.strip():
        raise AccountError("Mật khẩu không được chỉ gồm khoảng trắng.")


def check_role(role: str | Role) -> Role:
    try:
        return Role(role)
    except ValueError:
        known = ", ".join(f"{r.value} ({label})" for r, label in ROLE_LABELS.items())
        raise AccountError(f"Vai trò “{role}” không có; hãy chọn một trong: {known}.") from None


def moment(text: str) -> datetime:
    return datetime.fromisoformat(text)


def before(a: datetime, b: datetime) -> bool:
    """a < b, comparing an aware and a naive time by their wall-clock reading."""
    if (a.tzinfo is None) != (b.tzinfo is None):
        a, b = a.replace(tzinfo=None), b.replace(tzinfo=None)
    return a < b


def user_from_row(row: Any) -> User:
    name, display, role, unit, email, disabled_at = row[:6]
    try:
        parsed = Role(role)
    except ValueError:
        raise StorageError(
            f"Tài khoản “{name}” trong cơ sở dữ liệu có vai trò không hợp lệ (“{role}”)."
        ) from None
    return User(name, display, parsed, unit, email or None, disabled_at is not None)


def locked_text(until: datetime) -> str:
    return (
        f"Tài khoản tạm khóa vì nhập sai mật khẩu {MAX_FAILED_LOGINS} lần liên tiếp. Hãy thử "
        f"lại sau {until:%H:%M}, ngày {until:%d/%m/%Y}, hoặc nhờ quản trị viên đặt lại mật khẩu."
    )


DISABLED_TEXT = (
    "Tài khoản này đã bị vô hiệu hóa nên không đăng nhập được. Hãy liên hệ quản trị viên "
    "của đơn vị để được mở lại."
)


class Accounts:
    """The accounts kept in a plan store (`users`)."""

    def __init__(self, store: PlanStore, *, hasher: PasswordHasher | None = None) -> None:
        """`hasher`: argon2's parameters (default: the library's own, its recommendation)."""
        self.store = store
        self.hasher = hasher or PasswordHasher()
        self._dummy: str | None = None

    def _dummy_hash(self) -> str:
        """Verified against when the name is unknown, so both refusals take the same time."""
        if self._dummy is None:
            self._dummy = self.hasher.hash("không phải mật khẩu của ai")
        return self._dummy

    # ------------------------------------------------------------ reading

    def get(self, name: str) -> User | None:
        with self.store.connect() as con:
            row = con.execute(
                f"SELECT {_COLUMNS} FROM users WHERE name = ?", (normal_name(name),)
            ).fetchone()
        return None if row is None else user_from_row(row)

    def require(self, name: str) -> User:
        """The account, or `NotFoundError` (Vietnamese)."""
        found = self.get(name)
        if found is None:
            raise NotFoundError(f"Không có tài khoản “{normal_name(name)}”.")
        return found

    def list(self) -> builtins.list[User]:
        """Every account (disabled ones too), by unit then name."""
        with self.store.connect() as con:
            rows = con.execute(f"SELECT {_COLUMNS} FROM users ORDER BY unit, name").fetchall()
        return [user_from_row(r) for r in rows]

    def user_for_email(self, email: str) -> User | None:
        """The active account with this e-mail (compared without case), None when there is none;
        a disabled account is `SignInError` (it may not sign in by any path)."""
        address = email.strip().lower()
        if not address:
            return None
        with self.store.connect() as con:
            row = con.execute(
                f"SELECT {_COLUMNS} FROM users WHERE LOWER(email) = ?", (address,)
            ).fetchone()
        if row is None:
            return None
        user = user_from_row(row)
        if user.disabled:
            raise SignInError(DISABLED_TEXT)
        return user

    # ------------------------------------------------------------ changing

    def add(
        self,
        name: str,
        *,
        display_name: str,
        role: str | Role,
        unit: str,
        password: str | None,
        now: datetime,
        email: str | None = None,
        by: str | None = None,
    ) -> User:
        """A new account. `password` None: one that signs in only through the office's identity
        provider (by its e-mail). `by`: the administrator adding it (None: the command line)."""
        name = check_name(name)
        parsed = check_role(role)
        unit = " ".join(unit.split())
        if not unit:
            raise AccountError("Cần ghi đơn vị của tài khoản.")
        display = " ".join(display_name.split()) or name
        address = (email or "").strip() or None
        if address is not None and ("@" not in address or " " in address):
            raise AccountError(f"Địa chỉ thư điện tử “{address}” không hợp lệ.")
        hashed = None
        if password is not None:
            check_password(password)
            hashed = self.hasher.hash(password)
        with self.store.transaction() as con:
            if con.execute("SELECT 1 FROM users WHERE name = ?", (name,)).fetchone():
                raise AccountError(f"Tên đăng nhập “{name}” đã có; hãy chọn tên khác.")
            if (
                address is not None
                and con.execute(
                    "SELECT 1 FROM users WHERE LOWER(email) = ?", (address.lower(),)
                ).fetchone()
            ):
                raise AccountError(f"Địa chỉ thư điện tử “{address}” đã dùng cho tài khoản khác.")
            con.execute(
                "INSERT INTO users (name, display_name, role, unit, email, password_hash, "
                "created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (name, display, parsed.value, unit, address, hashed, _stamp(now)),
            )
            audit.record(
                con,
                at=now,
                user=by,
                action="user.add",
                detail=f"{name} ({ROLE_LABELS[parsed]}, {unit})",
            )
        return User(name, display, parsed, unit, address)

    def disable(self, name: str, *, now: datetime, by: str | None = None) -> None:
        """Disable an account: it can no longer sign in, and its open sessions end now."""
        self._set_disabled(name, _stamp(now), now=now, by=by, action="user.disable")

    def enable(self, name: str, *, now: datetime, by: str | None = None) -> None:
        """Open a disabled account again (its failed sign-ins forgotten)."""
        self._set_disabled(name, None, now=now, by=by, action="user.enable")

    def _set_disabled(
        self, name: str, value: str | None, *, now: datetime, by: str | None, action: str
    ) -> None:
        name = normal_name(name)
        with self.store.transaction() as con:
            self._existing(con, name)
            con.execute(
                "UPDATE users SET disabled_at = ?, failed_logins = 0, locked_until = NULL "
                "WHERE name = ?",
                (value, name),
            )
            if value is not None:
                close_sessions(con, name)
            audit.record(con, at=now, user=by, action=action, detail=name)

    def set_password(
        self, name: str, password: str, *, now: datetime, by: str | None = None
    ) -> None:
        """A new password: the lock-out is lifted and every open session of the account ends."""
        name = normal_name(name)
        check_password(password)
        hashed = self.hasher.hash(password)
        with self.store.transaction() as con:
            self._existing(con, name)
            con.execute(
                "UPDATE users SET password_hash = ?, failed_logins = 0, locked_until = NULL "
                "WHERE name = ?",
                (hashed, name),
            )
            close_sessions(con, name)
            audit.record(con, at=now, user=by, action="user.passwd", detail=name)

    # ------------------------------------------------------------ signing in

    def authenticate(self, name: str, password: str, *, now: datetime) -> User:
        """The account when `password` is right; else `SignInError` (Vietnamese): one message
        for an unknown name and a wrong password, the time a locked account opens again, and
        whom to ask for a disabled one (said only to someone who knows the password)."""
        name = normal_name(name)
        with self.store.connect() as con:
            row = con.execute(
                f"SELECT {_COLUMNS}, password_hash, failed_logins, locked_until "
                "FROM users WHERE name = ?",
                (name,),
            ).fetchone()
        if row is None or row[6] is None or len(password) > MAX_PASSWORD:
            _verify(self.hasher, self._dummy_hash(), password[:MAX_PASSWORD])
            raise SignInError(WRONG_CREDENTIALS)
        user = user_from_row(row)
        stored_hash, locked_until = row[6], row[8]
        if locked_until is not None and before(now, moment(locked_until)):
            raise SignInError(locked_text(moment(locked_until)))
        if not _verify(self.hasher, stored_hash, password):
            until = self._failed(name, now)
            if until is not None:
                raise SignInError(locked_text(until))
            raise SignInError(WRONG_CREDENTIALS)
        if user.disabled:
            raise SignInError(DISABLED_TEXT)
        rehash = _needs_rehash(self.hasher, stored_hash)
        if not rehash and not row[7] and locked_until is None:
            return user  # nothing to reset: a sign-in writes nothing
        with self.store.transaction() as con:
            con.execute(
                "UPDATE users SET failed_logins = 0, locked_until = NULL"
                + (", password_hash = ?" if rehash else "")
                + " WHERE name = ?",
                ((self.hasher.hash(password), name) if rehash else (name,)),
            )
        return user

    def _failed(self, name: str, now: datetime) -> datetime | None:
        """Count one failed sign-in; the time the account is locked until when it now is."""
        with self.store.transaction() as con:
            row = con.execute(
                "SELECT failed_logins, locked_until FROM users WHERE name = ?", (name,)
            ).fetchone()
            failures = int(row[0] or 0)
            if row[1] is not None:  # an earlier lock that has run out: count afresh
                failures = 0
            failures += 1
            until = now + LOCKOUT if failures >= MAX_FAILED_LOGINS else None
            con.execute(
                "UPDATE users SET failed_logins = ?, locked_until = ? WHERE name = ?",
                (0 if until else failures, _stamp(until) if until else None, name),
            )
            if until is not None:
                audit.record(con, at=now, user=name, action="user.locked", detail=name)
        return until

    @staticmethod
    def _existing(con: Connection, name: str) -> None:
        if con.execute("SELECT 1 FROM users WHERE name = ?", (name,)).fetchone() is None:
            raise NotFoundError(f"Không có tài khoản “{name}”.")


def close_sessions(con: Connection, name: str) -> int:
    """End every sign-in session of an account, inside the caller's transaction."""
    found = con.execute(
        "SELECT COUNT(*) FROM auth_sessions WHERE user_name = ?", (name,)
    ).fetchone()
    con.execute("DELETE FROM auth_sessions WHERE user_name = ?", (name,))
    return int(found[0])


def _stamp(at: datetime) -> str:
    return at.isoformat(timespec="seconds")


def _verify(hasher: PasswordHasher, stored: str, password: str) -> bool:
    try:
        return hasher.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def _needs_rehash(hasher: PasswordHasher, stored: str) -> bool:
    try:
        return hasher.check_needs_rehash(stored)
    except (InvalidHashError, ValueError):
        return True
