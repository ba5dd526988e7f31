"""A throwaway PostgreSQL server in a temp folder (the tests' `pg_server` fixture and the
server-load bench both start one): `initdb` and `pg_ctl` on a free port, reached by a unix
socket, run as the `postgres` user when we are root (PostgreSQL refuses to run as root)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Running:
    sock: Path  # the folder of the server's unix socket
    port: int
    as_user: tuple[str, ...]  # the prefix that runs a program as the server's owner

    def run(self, *args: str) -> None:
        subprocess.run([*self.as_user, *args], check=True, capture_output=True, timeout=120)


@contextmanager
def temporary_postgres(bin_dir: Path, *, prefix: str, fsync: bool) -> Iterator[Running]:
    """Start a server from `bin_dir`'s programs; stop it and remove its folder afterwards.
    `fsync=False` for tests (faster); a bench keeps it on, as an office server would."""
    home = Path(tempfile.mkdtemp(prefix=prefix))
    as_user: tuple[str, ...] = ()
    if os.geteuid() == 0:
        shutil.chown(home, "postgres", "postgres")
        as_user = ("runuser", "-u", "postgres", "--")
    data, sock = home / "data", home / "sock"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    server = Running(sock, port, as_user)
    server.run("mkdir", "-p", str(sock))
    server.run(str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust",
               "-E", "UTF8", "--locale=C", "--no-sync")  # fmt: skip
    options = f"-k {sock} -p {port} -c listen_addresses='' -c max_connections=200"
    if not fsync:
        options += " -c fsync=off"
    server.run(str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(home / "log"),
               "-w", "-t", "60", "start")  # fmt: skip
    try:
        yield server
    finally:
        subprocess.run(
            [*as_user, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(home, ignore_errors=True)
