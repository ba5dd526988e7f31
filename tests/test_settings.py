"""Safe settings by default: `make run` (no sign-in) is reachable from this computer only."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

LISTEN = "0A"  # TCP state LISTEN in /proc/net/tcp


def listening_addresses(port: int) -> set[str]:
    """Local addresses (hex, as the kernel writes them) with a socket listening on `port`."""
    found: set[str] = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        path = Path(table)
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            fields = line.split()
            address, port_hex = fields[1].rsplit(":", 1)
            if int(port_hex, 16) == port and fields[3] == LISTEN:
                found.add(address)
    return found


def wait_listening(proc: subprocess.Popen[bytes], port: int, timeout: float) -> set[str]:
    """The addresses `proc`'s server listens on at `port`, once it listens."""
    deadline = time.monotonic() + timeout
    addresses: set[str] = set()
    while time.monotonic() < deadline and not addresses:
        time.sleep(0.2)
        addresses = listening_addresses(port)
        assert proc.poll() is None, "the server stopped before listening"
    assert addresses, "the server never listened"
    return addresses


def command_lines() -> list[list[str]]:
    """The command line of every process (those that end while being read are skipped)."""
    found = []
    for path in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            found.append([a.decode() for a in path.read_bytes().split(b"\0") if a])
        except OSError:
            continue
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def make_run_command(port: int) -> list[str]:
    """The command `make run` runs, read from the Makefile so the two cannot drift apart."""
    recipe = re.search(r"^run:.*\n\t(.+)$", (ROOT / "Makefile").read_text(), re.M)
    assert recipe, "the Makefile has no run target"
    words = recipe.group(1).replace("$(PY)", sys.executable).replace("$(PORT)", str(port))
    return words.split()


def test_make_run_listens_on_this_computer_only(tmp_path):
    port = free_port()
    cmd = make_run_command(port)
    assert "--server.address" not in cmd  # the default comes from .streamlit/config.toml
    env = {"PLANNER_DB": str(tmp_path / "p.db"), "PLANNER_NO_SAMPLE": "1", "PATH": "/usr/bin"}
    proc = subprocess.Popen(
        cmd,
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        addresses = wait_listening(proc, port, 60)
        loopback = {"0100007F", "00000000000000000000000001000000"}  # 127.0.0.1, ::1
        assert addresses <= loopback, addresses
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def test_streamlit_settings_keep_tracebacks_off_screen_and_protections_on():
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text("utf-8"))
    assert config["client"]["showErrorDetails"] == "none"
    assert config["server"].get("enableXsrfProtection", True) is True  # Streamlit's default: on
    assert config["server"]["maxUploadSize"] >= 20  # above the app's own 20 MB limits


def _breaking_page_app() -> None:
    from components.crash import run_guarded

    class Page:
        def run(self) -> None:
            raise ValueError("/srv/secret/path went wrong")

    run_guarded(Page())


def test_an_unforeseen_error_shows_vietnamese_and_a_reference_and_logs_the_traceback(
    monkeypatch, caplog
):
    from streamlit.testing.v1 import AppTest

    monkeypatch.delenv("PLANNER_DEBUG", raising=False)
    with caplog.at_level("ERROR", logger="soan_ke_hoach"):
        at = AppTest.from_function(_breaking_page_app).run()
    assert not at.exception
    [error] = at.error
    assert "Đã xảy ra lỗi ngoài dự kiến" in error.value and "/srv/secret" not in error.value
    reference = re.search(r"mã lỗi \*\*([0-9A-F]{8})\*\*", error.value).group(1)
    [record] = [r for r in caplog.records if reference in r.getMessage()]
    assert record.exc_info and "/srv/secret/path went wrong" in str(record.exc_info[1])


def test_under_debug_the_error_goes_through(monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("PLANNER_DEBUG", "1")
    at = AppTest.from_function(_breaking_page_app).run()
    assert at.exception and not at.error


def test_make_serve_listens_where_its_settings_say_with_error_details_hidden(tmp_path):
    """`make serve` itself (issue #15): PLANNER_HOST and PLANNER_PORT decide where it listens,
    and the server it starts runs with `client.showErrorDetails none`."""
    from datetime import datetime

    from planner.auth.accounts import Accounts
    from planner.store.plans import PlanStore

    db = tmp_path / "office.db"
    Accounts(PlanStore(db)).add(
        "quantri", display_name="Quản trị", role="admin", unit="Phòng GD&ĐT",
        password="mat-khau-du-dai", now=datetime(2026, 1, 5, 8, 0),
    )  # fmt: skip
    port = free_port()
    env = {
        "PATH": "/usr/bin:/bin",
        "PLANNER_DB": str(db),
        "PLANNER_SECRET": "s" * 40,
        "PLANNER_HOST": "127.0.0.2",  # a loopback address no default would pick
        "PLANNER_PORT": str(port),
    }
    proc = subprocess.Popen(
        ["make", "-s", "serve"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        addresses = wait_listening(proc, port, 90)
        assert addresses == {"0200007F"}, addresses  # 127.0.0.2 only
        servers = [c for c in command_lines() if "serve.py" in c and str(port) in c]
        assert servers, "no server process found"
        args = servers[0]
        assert args[args.index("--client.showErrorDetails") + 1] == "none"
    finally:
        import os
        import signal

        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
