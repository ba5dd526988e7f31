"""Start and stop a real `streamlit run` server (used by bench/app.py and the browser tests)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PORT_RANGE = range(8650, 8700)


def port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port(preferred: range = PORT_RANGE) -> int:
    """A free TCP port: the first free one of `preferred`, else one the OS picks."""
    for port in preferred:
        if port_is_free(port):
            return port
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def http_get(url: str, timeout: float = 2.0) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as e:
        return e.code, b""


class StreamlitServer:
    """One `streamlit run SCRIPT` process on a port of its own, in its own process group."""

    def __init__(
        self,
        script: str | Path = "app.py",
        *,
        port: int | None = None,
        env: dict[str, str] | None = None,
        cwd: Path = ROOT,
        log_path: Path | None = None,
    ) -> None:
        self.script = str(script)
        self.port = port or free_port()
        self.env = {**os.environ, **(env or {})}
        self.cwd = cwd
        self.log_path = log_path
        self.proc: subprocess.Popen[bytes] | None = None
        self._log = None

    @property
    def url(self) -> str:
        return f"http://localhost:{self.port}"

    def command(self) -> list[str]:
        return [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            self.script,
            "--server.port",
            str(self.port),
            "--server.address",
            "localhost",
            "--server.headless",
            "true",
            "--server.fileWatcherType",
            "none",
            "--browser.gatherUsageStats",
            "false",
        ]

    def start(self) -> None:
        if self.log_path is not None:
            self.log_path.parent.mkdir(parents=True, exist_ok=True)
            self._log = open(self.log_path, "ab")
        out = self._log if self._log is not None else subprocess.DEVNULL
        self.proc = subprocess.Popen(
            self.command(),
            cwd=self.cwd,
            env=self.env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def healthy(self) -> bool:
        try:
            status, body = http_get(f"{self.url}/_stcore/health", timeout=1.0)
        except (OSError, urllib.error.URLError):
            return False
        return status == 200 and body.strip() == b"ok"

    def wait_healthy(self, timeout: float = 60.0, poll: float = 0.02) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError(
                    f"streamlit exited with {self.proc.returncode} before it was healthy"
                    + (f" (log: {self.log_path})" if self.log_path else "")
                )
            if self.healthy():
                return
            time.sleep(poll)
        raise TimeoutError(f"streamlit on port {self.port} not healthy after {timeout:.0f} s")

    def kill(self) -> None:
        """SIGKILL the whole process group: no shutdown handlers run (a crash)."""
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)
        self._close_log()

    def stop(self) -> None:
        """SIGTERM, then SIGKILL if it does not stop within 10 s."""
        if self.proc is not None and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=10)
            except ProcessLookupError:
                pass
        self._close_log()

    def _close_log(self) -> None:
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> StreamlitServer:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
