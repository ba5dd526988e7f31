"""`python -m planner`: the domain, scriptable.

Each area registers its subcommands from its own module (`COMMAND_MODULES`). Bad input never
prints a traceback: a PlannerError (or an unreadable file) exits 2 with one Vietnamese line on
stderr that says what is wrong with which file.
"""

from __future__ import annotations

import argparse
import importlib
import re
import sys
from collections.abc import Sequence
from typing import Any

from planner.errors import PlannerError, os_error_text

COMMAND_MODULES: tuple[str, ...] = (
    "planner.cli.plan",
    "planner.cli.catalogue",
    "planner.cli.drafting",
    "planner.cli.import_docx",
    "planner.cli.harvest",
    "planner.cli.documents",
    "planner.cli.db",
    "planner.cli.plans",
    "planner.cli.users",
    "planner.cli.audit",
)


# argparse's own usage errors (Python 3.11–3.13 wording) and what a user reads instead.
_USAGE_ERRORS: tuple[tuple[str, str], ...] = (
    (r"the following arguments are required: (.+)", r"thiếu \1"),
    (
        r"argument (\S+): invalid choice: (.+?) \(choose from (.+)\)",
        r"\1: \2 không phải lựa chọn nào trong \3",
    ),
    (r"argument (\S+): expected one argument", r"\1 cần một giá trị"),
    (r"argument (\S+): expected at least one argument", r"\1 cần ít nhất một giá trị"),
    (r"argument (\S+): invalid (\S+) value: (.+)", r"\1: giá trị \3 không hợp lệ"),
    (r"argument (\S+): not allowed with argument (\S+)", r"không dùng \1 cùng với \2"),
    (r"unrecognized arguments: (.+)", r"không hiểu \1"),
    (r"one of the arguments (.+) is required", r"cần một trong \1"),
    (r"ambiguous option: (\S+) could match (.+)", r"\1 có thể là \2"),
)


def vietnamese_usage_error(message: str) -> str:
    """argparse's English usage error in Vietnamese (unknown wording is left as it is)."""
    for pattern, replacement in _USAGE_ERRORS:
        if re.fullmatch(pattern, message):
            return re.sub(pattern, replacement, message)
    return message


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's help in Vietnamese: its "usage:" prefix is the only English it writes itself."""

    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(
            usage, actions, groups, prefix="Cách dùng: " if prefix is None else prefix
        )


class _Parser(argparse.ArgumentParser):
    """argparse with Vietnamese help and usage errors on one line, exit 2."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["add_help"] = False
        kwargs.setdefault("formatter_class", _HelpFormatter)
        super().__init__(*args, **kwargs)
        self._positionals.title = "đối số"
        self._optionals.title = "tùy chọn"
        self.add_argument("-h", "--help", action="help", help="in hướng dẫn này rồi thoát")

    def error(self, message: str) -> None:  # type: ignore[override]
        message = vietnamese_usage_error(message)
        sys.stderr.write(f"Lỗi: câu lệnh không đúng ({message}). Xem: python -m planner -h\n")
        sys.exit(2)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="python -m planner",
        description="Soạn Kế hoạch: các lệnh xử lý kế hoạch, danh mục văn bản và văn bản Word.",
    )
    sub = parser.add_subparsers(dest="command", metavar="LỆNH", parser_class=_Parser)
    sub.required = True
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def one_line(message: str) -> str:
    """A message on one line: a file's own line breaks (a quoted header cell, say) never split
    the one line a refusal prints."""
    return " ".join(message.split())


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except PlannerError as e:
        sys.stderr.write(f"Lỗi: {one_line(str(e))}\n")
        return 2
    except OSError as e:
        name = f" {e.filename}" if e.filename else ""
        sys.stderr.write(f"Lỗi: không đọc hoặc ghi được tệp{name}: {os_error_text(e)}.\n")
        return 2
    except KeyboardInterrupt:
        sys.stderr.write("Đã dừng.\n")
        return 130
