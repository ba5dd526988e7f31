"""`python -m planner users …` and `audit`, on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from planner.auth.accounts import Accounts
from planner.cli.main import main
from planner.errors import SignInError
from planner.sample import sample_plan
from planner.store.plans import PlanStore

PASSWORD = "mật-khẩu-đủ-dài"


def run(monkeypatch, capsys, *args: str, stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_add_list_disable_passwd(db_target, monkeypatch, capsys):
    db = str(db_target)
    code, out, _ = run(
        monkeypatch,
        capsys,
        "users", "add", "Lan.Tran", "--role", "editor", "--unit", "Phòng GDĐT Bến Cát",
        "--display-name", "Trần Thị Lan", "--email", "lan@pgd.example.vn", "--db", db,
        stdin=PASSWORD + "\n",
    )  # fmt: skip
    assert code == 0 and "Đã thêm tài khoản lan.tran (Chuyên viên, đơn vị Phòng GDĐT" in out
    store = PlanStore(db_target)
    now = datetime.now()
    assert Accounts(store).authenticate("lan.tran", PASSWORD, now=now).unit == "Phòng GDĐT Bến Cát"

    code, out, _ = run(monkeypatch, capsys, "users", "list", "--json", "--db", db)
    assert code == 0
    assert json.loads(out) == [
        {
            "name": "lan.tran",
            "display_name": "Trần Thị Lan",
            "role": "editor",
            "unit": "Phòng GDĐT Bến Cát",
            "email": "lan@pgd.example.vn",
            "disabled": False,
        }
    ]
    code, out, _ = run(monkeypatch, capsys, "users", "list", "--db", db)
    assert code == 0
    assert "1 tài khoản" in out and "lan.tran  Trần Thị Lan (Chuyên viên" in out

    code, out, _ = run(
        monkeypatch, capsys, "users", "passwd", "lan.tran", "--db", db, stdin="mật-khẩu-mới-123\n"
    )
    assert code == 0 and "Đã đặt mật khẩu mới" in out
    with pytest.raises(SignInError):
        Accounts(store).authenticate("lan.tran", PASSWORD, now=now)
    Accounts(store).authenticate("lan.tran", "mật-khẩu-mới-123", now=now)

    code, out, _ = run(monkeypatch, capsys, "users", "disable", "lan.tran", "--db", db)
    assert code == 0 and "Đã vô hiệu hóa" in out
    with pytest.raises(SignInError, match="vô hiệu hóa"):
        Accounts(store).authenticate("lan.tran", "mật-khẩu-mới-123", now=now)
    code, out, _ = run(monkeypatch, capsys, "users", "list", "--db", db)
    assert code == 0
    assert "[đã vô hiệu hóa]" in out

    code, out, _ = run(monkeypatch, capsys, "audit", "--json", "--db", db)
    assert code == 0
    assert [(e["action"], e["user"], e["label"]) for e in json.loads(out)] == [
        ("user.disable", None, "Khóa tài khoản"),
        ("user.passwd", None, "Đổi mật khẩu"),
        ("user.add", None, "Thêm tài khoản"),
    ]


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["--role", "boss", "--unit", "A"], PASSWORD, "Vai trò “boss” không có"),
        (["--role", "viewer", "--unit", "A"], "ngắn", "Mật khẩu quá ngắn"),
        (["--role", "viewer", "--unit", "A"], "", "đầu vào chuẩn trống"),
        (["--role", "viewer", "--unit", " "], PASSWORD, "Cần ghi đơn vị"),
        (["--role", "viewer", "--unit", "A", "--no-password"], "", "cần --email"),
        (["--role", "viewer"], PASSWORD, "thiếu --unit"),
    ],
)
def test_add_refusals_are_one_vietnamese_line_exit_2(
    tmp_path, monkeypatch, capsys, args, stdin, message
):
    db = str(tmp_path / "planner.db")
    try:
        code, out, err = run(
            monkeypatch, capsys, "users", "add", "binh", *args, "--db", db, stdin=stdin
        )
    except SystemExit as exit_:  # argparse's own refusal
        code, (out, err) = int(str(exit_.code)), capsys.readouterr()
    assert code == 2 and out == ""
    assert err.startswith("Lỗi: ") and err.count("\n") == 1 and message in err


def test_duplicate_and_unknown_names_are_refused(db_target, monkeypatch, capsys):
    db = str(db_target)
    add = ["users", "add", "an", "--role", "viewer", "--unit", "A", "--db", db]
    assert run(monkeypatch, capsys, *add, stdin=PASSWORD)[0] == 0
    code, _, err = run(monkeypatch, capsys, *add, stdin=PASSWORD)
    assert code == 2 and "Tên đăng nhập “an” đã có" in err
    for command in ("disable", "enable", "passwd"):
        code, _, err = run(
            monkeypatch, capsys, "users", command, "ai-do", "--db", db, stdin=PASSWORD
        )
        assert code == 2 and err == "Lỗi: Không có tài khoản “ai-do”.\n"


def test_listing_a_store_that_is_not_there_creates_nothing(tmp_path, monkeypatch, capsys):
    db = tmp_path / "khong-co.db"
    for args in (["users", "list"], ["audit"], ["users", "disable", "an"]):
        code, _, err = run(monkeypatch, capsys, *args, "--db", str(db))
        assert code == 2 and "Không có cơ sở dữ liệu" in err
    assert not db.exists()


def test_audit_filters_by_plan_and_user(db_target, monkeypatch, capsys):
    store = PlanStore(db_target)
    now = datetime(2026, 3, 2, 9, 0)
    one = store.create(sample_plan(), now=now, author="an", unit="A")
    two = store.create(sample_plan(), now=now, author="binh", unit="A")
    store.save(one, sample_plan(), base_version=1, now=now, author="binh")
    db = str(db_target)
    code, out, _ = run(monkeypatch, capsys, "audit", "--plan", one, "--json", "--db", db)
    assert code == 0
    assert [(e["user"], e["action"]) for e in json.loads(out)] == [
        ("binh", "plan.save"),
        ("an", "plan.create"),
    ]
    code, out, _ = run(monkeypatch, capsys, "audit", "--user", "BINH", "--json", "--db", db)
    assert code == 0
    assert [e["plan_id"] for e in json.loads(out)] == [one, two]
    code, out, _ = run(monkeypatch, capsys, "audit", "--user", "binh", "--limit", "1", "--db", db)
    assert code == 0
    assert out.splitlines() == [
        f"1 thao tác trong {store.location}.",
        f"02/03/2026 09:00:00  binh  Lưu kế hoạch · kế hoạch {one} · phiên bản 2",
    ]


def test_the_password_comes_from_standard_input_in_a_real_process(tmp_path):
    db = tmp_path / "planner.db"
    cmd = [sys.executable, "-m", "planner", "users", "add", "an", "--role", "admin"]
    done = subprocess.run(
        [*cmd, "--unit", "Sở GDĐT", "--db", str(db)],
        input=PASSWORD + "\n",
        capture_output=True,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert done.returncode == 0, done.stderr
    assert PASSWORD not in done.stdout + done.stderr
    Accounts(PlanStore(db)).authenticate("an", PASSWORD, now=datetime.now())
