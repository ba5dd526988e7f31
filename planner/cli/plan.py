"""Plan-file commands: `sample -o FILE`."""

from __future__ import annotations

import argparse
from typing import Any

from planner.model import save_plan
from planner.sample import sample_plan


def register(sub: Any) -> None:
    p = sub.add_parser("sample", help="ghi kế hoạch mẫu 932/KH-PGDĐT năm 2020 ra tệp .json")
    p.add_argument("-o", "--output", required=True, metavar="TỆP.json")
    p.set_defaults(func=run_sample)


def run_sample(args: argparse.Namespace) -> int:
    save_plan(sample_plan(), args.output)
    return 0
