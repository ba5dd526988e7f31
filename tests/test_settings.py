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
        deadline = time.monotonic() + 60
        addresses: set[str] = set()
        while time.monotonic() < deadline and not addresses:
            time.sleep(0.2)
            addresses = listening_addresses(port)
            assert proc.poll() is None, "the server stopped before listening"
        assert addresses, "the server never listened"
        loopback = {"0100007F", "00000000000000000000000001000000"}  # 127.0.0.1, ::1
        assert addresses <= loopback, addresses
    finally:
        proc.terminate()
        proc.wait(timeout=20)
