"""`python -m planner`: the domain, scriptable.

Each area registers its subcommands from its own module (`COMMAND_MODULES`). Bad input never
prints a traceback: a PlannerError (or an unreadable file) exits 2 with one Vietnamese line on
stderr that says what is wrong with which file.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from planner.errors import PlannerError, os_error_text

COMMAND_MODULES: tuple[str, ...] = (
    "planner.cli.plan",
    "planner.cli.catalogue",
    "planner.cli.drafting",
    "planner.cli.import_docx",
    "planner.cli.documents",
    "planner.cli.db",
)


class _Parser(argparse.ArgumentParser):
    """argparse with Vietnamese usage errors on one line, exit 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
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


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except PlannerError as e:
        sys.stderr.write(f"Lỗi: {e}\n")
        return 2
    except OSError as e:
        name = f" {e.filename}" if e.filename else ""
        sys.stderr.write(f"Lỗi: không đọc hoặc ghi được tệp{name}: {os_error_text(e)}.\n")
        return 2
    except KeyboardInterrupt:
        sys.stderr.write("Đã dừng.\n")
        return 130
