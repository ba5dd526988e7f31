"""Accounts, sign-in and sessions (planner/auth), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from argon2 import PasswordHasher

from planner.auth.accounts import (
    LOCKOUT,
    MAX_FAILED_LOGINS,
    WRONG_CREDENTIALS,
    Accounts,
)
from planner.auth.model import Role, User
from planner.auth.sessions import SESSION_IDLE, SESSION_MAX, Sessions, token_hash
from planner.errors import AccountError, NotFoundError, SignInError
from planner.store import audit
from planner.store.plans import PlanStore

NOW = datetime(2026, 3, 2, 8, 30)
PASSWORD = "mật-khẩu-đủ-dài"


@pytest.fixture
def store(db_target) -> PlanStore:
    return PlanStore(db_target)


# Cheap argon2 parameters keep the tests quick on a busy machine; the hashing test itself uses
# the library's defaults (what the program uses).
FAST = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@pytest.fixture
def accounts(store) -> Accounts:
    acc = Accounts(store, hasher=FAST)
    acc.add(
        "an.nguyen",
        display_name="Nguyễn Văn An",
        role="editor",
        unit="Phòng GDĐT Thủ Dầu Một",
        password=PASSWORD,
        email="An@pgd.example.vn",
        now=NOW,
    )
    return acc


def test_the_stored_hash_is_argon2_never_the_password(store, accounts):
    accounts = Accounts(store)  # the program's own parameters
    accounts.set_password("an.nguyen", PASSWORD, now=NOW)
    with store.connect() as con:
        (stored,) = con.execute(
            "SELECT password_hash FROM users WHERE name = 'an.nguyen'"
        ).fetchone()
    assert stored.startswith("$argon2id$") and "m=65536" in stored
    assert PASSWORD not in stored
    user = accounts.authenticate("  AN.Nguyen ", PASSWORD, now=NOW)
    assert user == User(
        "an.nguyen", "Nguyễn Văn An", Role.EDITOR, "Phòng GDĐT Thủ Dầu Một", "An@pgd.example.vn"
    )
    assert accounts.list() == [user]
    assert accounts.user_for_email(" an@PGD.example.vn") == user
    assert accounts.user_for_email("khac@pgd.example.vn") is None


def test_unknown_name_and_wrong_password_get_one_message(accounts):
    with pytest.raises(SignInError) as unknown:
        accounts.authenticate("khong-co", PASSWORD, now=NOW)
    with pytest.raises(SignInError) as wrong:
        accounts.authenticate("an.nguyen", "sai-mat-khau", now=NOW)
    assert str(unknown.value) == str(wrong.value) == WRONG_CREDENTIALS


def test_a_weak_hash_is_replaced_at_the_next_sign_in(store, accounts):
    accounts = Accounts(store)
    weak = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash(PASSWORD)
    with store.transaction() as con:
        con.execute("UPDATE users SET password_hash = ? WHERE name = 'an.nguyen'", (weak,))
    accounts.authenticate("an.nguyen", PASSWORD, now=NOW)
    with store.connect() as con:
        (stored,) = con.execute(
            "SELECT password_hash FROM users WHERE name = 'an.nguyen'"
        ).fetchone()
    assert stored != weak and "m=65536" in stored
    accounts.authenticate("an.nguyen", PASSWORD, now=NOW)


def test_lock_out_after_five_failures_and_release_after_fifteen_minutes(store, accounts):
    for attempt in range(MAX_FAILED_LOGINS - 1):
        with pytest.raises(SignInError, match="không đúng"):
            accounts.authenticate("an.nguyen", "sai-mat-khau", now=NOW + timedelta(seconds=attempt))
    at = NOW + timedelta(minutes=1)
    with pytest.raises(SignInError) as locked:
        accounts.authenticate("an.nguyen", "sai-mat-khau", now=at)
    until = at + LOCKOUT
    assert f"{until:%H:%M}, ngày {until:%d/%m/%Y}" in str(locked.value)
    assert "08:46, ngày 02/03/2026" in str(locked.value)
    # Locked: even the right password is refused until then, with the time.
    with pytest.raises(SignInError, match="08:46"):
        accounts.authenticate("an.nguyen", PASSWORD, now=until - timedelta(seconds=1))
    assert accounts.authenticate("an.nguyen", PASSWORD, now=until).name == "an.nguyen"
    assert [e.action for e in audit.entries(store, user="an.nguyen")] == ["user.locked"]


def test_a_success_resets_the_count_of_failures(accounts):
    for round_ in range(2):
        for _ in range(MAX_FAILED_LOGINS - 1):
            with pytest.raises(SignInError, match="không đúng"):
                accounts.authenticate("an.nguyen", "sai", now=NOW)
        accounts.authenticate("an.nguyen", PASSWORD, now=NOW + timedelta(minutes=round_))


def test_a_disabled_account_cannot_sign_in_and_says_whom_to_ask(store, accounts):
    sessions = Sessions(store)
    token = sessions.open("an.nguyen", now=NOW)
    accounts.disable("an.nguyen", now=NOW, by="quan.tri")
    with pytest.raises(SignInError, match="quản trị viên"):
        accounts.authenticate("an.nguyen", PASSWORD, now=NOW)
    # Who does not know the password learns nothing about the account.
    with pytest.raises(SignInError) as wrong:
        accounts.authenticate("an.nguyen", "sai-mat-khau", now=NOW)
    assert str(wrong.value) == WRONG_CREDENTIALS
    assert sessions.user(token, now=NOW) is None
    with pytest.raises(SignInError, match="vô hiệu hóa"):
        sessions.open("an.nguyen", now=NOW)
    with pytest.raises(SignInError, match="vô hiệu hóa"):
        accounts.user_for_email("an@pgd.example.vn")
    assert accounts.require("an.nguyen").disabled
    accounts.enable("an.nguyen", now=NOW, by="quan.tri")
    assert accounts.authenticate("an.nguyen", PASSWORD, now=NOW).disabled is False
    assert [e.action for e in audit.entries(store, user="quan.tri")] == [
        "user.enable",
        "user.disable",
    ]


@pytest.mark.parametrize(
    ("name", "password", "role", "message"),
    [
        ("A", PASSWORD, "editor", "không hợp lệ"),
        ("tên có dấu", PASSWORD, "editor", "không hợp lệ"),
        ("x" * 65, PASSWORD, "editor", "không hợp lệ"),
        ("binh", "ngan", "editor", "quá ngắn"),
        ("binh", " " * 9, "editor", "khoảng trắng"),
        ("binh", PASSWORD, "boss", "Vai trò “boss” không có"),
        ("an.nguyen", PASSWORD, "viewer", "đã có"),
    ],
)
def test_bad_accounts_are_refused_in_vietnamese(accounts, name, password, role, message):
    with pytest.raises(AccountError, match=message):
        accounts.add(name, display_name="", role=role, unit="Phòng A", password=password, now=NOW)
    assert [u.name for u in accounts.list()] == ["an.nguyen"]


def test_an_e_mail_belongs_to_one_account(accounts):
    with pytest.raises(AccountError, match="đã dùng"):
        accounts.add(
            "binh",
            display_name="Bình",
            role="viewer",
            unit="Phòng A",
            password=PASSWORD,
            email="an@pgd.example.vn",
            now=NOW,
        )


def test_sessions_keep_only_the_token_hash_and_expire_when_idle(store, accounts):
    sessions = Sessions(store)
    token = sessions.open("an.nguyen", now=NOW)
    with store.connect() as con:
        rows = con.execute("SELECT token_hash, user_name FROM auth_sessions").fetchall()
    assert rows == [(token_hash(token), "an.nguyen")]
    assert token not in repr(rows) and len(token) >= 40
    assert sessions.user("not-a-token", now=NOW) is None
    # Used every seven hours, the session lives on (the idle clock restarts)...
    at = NOW
    for _ in range(3):
        at += timedelta(hours=7)
        assert sessions.user(token, now=at) is not None
    # ...left alone longer than SESSION_IDLE, it ends and its row goes.
    assert sessions.user(token, now=at + SESSION_IDLE) is None
    with store.connect() as con:
        assert con.execute("SELECT COUNT(*) FROM auth_sessions").fetchone() == (0,)


def test_last_seen_moves_at_most_once_a_minute(store, accounts):
    sessions = Sessions(store)
    token = sessions.open("an.nguyen", now=NOW)

    def last_seen() -> str:
        with store.connect() as con:
            return con.execute("SELECT last_seen FROM auth_sessions").fetchone()[0]

    sessions.user(token, now=NOW + timedelta(seconds=30))
    assert last_seen() == NOW.isoformat(timespec="seconds")
    sessions.user(token, now=NOW + timedelta(seconds=61))
    assert last_seen() == (NOW + timedelta(seconds=61)).isoformat(timespec="seconds")


def test_sessions_end_after_seven_days_however_used(store, accounts):
    sessions = Sessions(store)
    token = sessions.open("an.nguyen", now=NOW)
    at = NOW
    while at + timedelta(hours=4) < NOW + SESSION_MAX:
        at += timedelta(hours=4)
        assert sessions.user(token, now=at) is not None
    assert sessions.user(token, now=NOW + SESSION_MAX) is None


def test_a_new_password_ends_every_session(store, accounts):
    sessions = Sessions(store)
    first = sessions.open("an.nguyen", now=NOW)
    second = sessions.open("an.nguyen", now=NOW)
    accounts.set_password("an.nguyen", "mật-khẩu-mới-hơn", now=NOW, by="quan.tri")
    assert sessions.user(first, now=NOW) is None
    assert sessions.user(second, now=NOW) is None
    with pytest.raises(SignInError):
        accounts.authenticate("an.nguyen", PASSWORD, now=NOW)
    assert accounts.authenticate("an.nguyen", "mật-khẩu-mới-hơn", now=NOW).name == "an.nguyen"
    with pytest.raises(AccountError, match="quá ngắn"):
        accounts.set_password("an.nguyen", "ngan", now=NOW)
    with pytest.raises(NotFoundError, match="Không có tài khoản “ai-do”"):
        accounts.set_password("ai-do", PASSWORD, now=NOW)


def test_close_and_close_all(store, accounts):
    sessions = Sessions(store)
    one = sessions.open("an.nguyen", now=NOW)
    two = sessions.open("an.nguyen", now=NOW)
    sessions.close(one, now=NOW)
    assert sessions.user(one, now=NOW) is None
    assert sessions.user(two, now=NOW) is not None
    assert sessions.close_all("an.nguyen") == 1
    assert sessions.user(two, now=NOW) is None
    actions = [e.action for e in audit.entries(store, user="an.nguyen")]
    assert actions == ["user.signout", "user.signin", "user.signin"]


def test_close_expired_removes_only_expired_sessions(store, accounts):
    sessions = Sessions(store)
    old = sessions.open("an.nguyen", now=NOW)
    fresh = sessions.open("an.nguyen", now=NOW + SESSION_IDLE)
    assert sessions.close_expired(now=NOW + SESSION_IDLE + timedelta(minutes=1)) == 1
    assert sessions.user(old, now=NOW + SESSION_IDLE) is None
    assert sessions.user(fresh, now=NOW + SESSION_IDLE + timedelta(minutes=1)) is not None


def test_an_account_without_a_password_signs_in_only_by_e_mail(store, accounts):
    accounts.add(
        "hoa",
        display_name="Lê Thị Hoa",
        role="viewer",
        unit="Phòng A",
        password=None,
        email="hoa@pgd.example.vn",
        now=NOW,
    )
    for attempt in ("", PASSWORD, "None"):
        with pytest.raises(SignInError) as err:
            accounts.authenticate("hoa", attempt, now=NOW)
        assert str(err.value) == WRONG_CREDENTIALS
    assert accounts.user_for_email("HOA@pgd.example.vn").name == "hoa"


def test_a_plain_sign_in_writes_nothing(store, accounts):
    def stamp() -> tuple[object, ...]:
        with store.connect() as con:
            return tuple(con.execute("SELECT * FROM users").fetchone())

    before = stamp()
    accounts.authenticate("an.nguyen", PASSWORD, now=NOW)
    assert stamp() == before
    with pytest.raises(SignInError):
        accounts.authenticate("an.nguyen", "sai-mat-khau", now=NOW)
    assert stamp() != before
    accounts.authenticate("an.nguyen", PASSWORD, now=NOW)
    assert stamp() == before  # the failure count is back to 0
