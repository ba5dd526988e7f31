"""The command line speaks Vietnamese: help and usage errors carry no English from argparse."""

from __future__ import annotations

import argparse
import re

import pytest

from planner.cli.main import build_parser, main, vietnamese_usage_error

# argparse's own words; none may reach a user.
ENGLISH = re.compile(
    r"usage:|positional arguments|options:|show this help|required|invalid|expected|"
    r"unrecognized|choose from|not allowed|ambiguous",
)


def command_paths(parser=None, prefix=()) -> list[tuple[str, ...]]:
    """Every command and sub-command (`db backup`, …) the parser knows."""
    parser = parser or build_parser()
    paths = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                paths.append((*prefix, name))
                paths.extend(command_paths(child, (*prefix, name)))
    return paths


def test_every_command_is_walked():
    assert ("export",) in command_paths() and ("db", "backup") in command_paths()


@pytest.mark.parametrize("argv", [["-h"], *([*path, "-h"] for path in command_paths())])
def test_help_of_every_command_is_vietnamese(argv, capsys):
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 0
    out = capsys.readouterr().out
    assert "Cách dùng:" in out
    assert not ENGLISH.search(out), out


@pytest.mark.parametrize(
    "argv",
    [
        ["export"],
        ["search", "x", "--level", "foo"],
        ["search", "x", "--limit", "abc"],
        ["check-docx", "a.docx", "b", "c"],
        ["no-such-command"],
        [],
    ],
)
def test_usage_errors_are_one_vietnamese_line(argv, capsys):
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("Lỗi: ") and err.count("\n") == 1
    assert not ENGLISH.search(err), err


def test_unknown_argparse_wording_is_left_as_it_is():
    assert vietnamese_usage_error("something new") == "something new"
