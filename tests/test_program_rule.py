"""The rule for tests that need a system program (tests/conftest.py): skipped on a developer
machine without it, failed under CI (`CI=true`), where a missing install must not pass."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, require_program


def _empty_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))


def test_a_missing_program_skips_on_a_developer_machine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _empty_path(tmp_path, monkeypatch)
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="soffice / libreoffice not installed"):
        require_program("soffice", "libreoffice", why="converts documents")


@pytest.mark.parametrize("value", ["true", "TRUE", "1"])
def test_a_missing_program_fails_under_ci(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    _empty_path(tmp_path, monkeypatch)
    monkeypatch.setenv("CI", value)
    with pytest.raises(pytest.fail.Exception, match="pdftotext not installed"):
        require_program("pdftotext", why="reads a PDF's text")


def test_an_installed_program_is_found_by_any_of_its_names(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _empty_path(tmp_path, monkeypatch)
    monkeypatch.setenv("CI", "true")
    program = tmp_path / "bin" / "libreoffice"
    program.write_text("#!/bin/sh\n")
    program.chmod(0o755)
    assert require_program("soffice", "libreoffice", why="converts documents") == str(program)


def _run_marked_test(tmp_path: Path, ci: str | None) -> subprocess.CompletedProcess[str]:
    """The LibreOffice round trip of test_docx_import (marked `soffice`), on a PATH without
    LibreOffice: the marker alone decides, before the test body runs."""
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env["PATH"] = str(tmp_path)
    if ci is not None:
        env["CI"] = ci
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "tests/test_docx_import.py::test_docx_rewritten_by_libreoffice_imports_the_same",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )


def test_a_libreoffice_test_without_libreoffice_skips_here_and_fails_under_ci(
    tmp_path: Path,
) -> None:
    here = _run_marked_test(tmp_path, None)
    assert here.returncode == 0, here.stdout + here.stderr
    assert "1 skipped" in here.stdout, here.stdout
    ci = _run_marked_test(tmp_path, "true")
    assert ci.returncode == 1, ci.stdout + ci.stderr
    assert "1 error" in ci.stdout, ci.stdout
    assert "soffice / libreoffice not installed" in ci.stdout
