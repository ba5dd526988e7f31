"""`python -m bench`: run every `bench/<area>.py` that has `run()` and write docs/performance.md.

Each area module returns rows (ours beside a naive baseline timed in the same run). A module
that fails is reported in the file with its error; the others still run. Pass area names to
run only those (`python -m bench app search`), `-o FILE` to write elsewhere.
"""

from __future__ import annotations

import argparse
import importlib
import os
import platform
import sys
import time
import traceback
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from bench.common import Row, Stats

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = Path(__file__).resolve().parent
OUTPUT = ROOT / "docs" / "performance.md"
NOT_AREAS = {"__init__", "__main__", "common", "catalogue_gen"}
# The areas in the order the report shows them; any other bench/<area>.py follows.
ORDER = ("search", "import_docx", "rollover", "export", "progress", "app", "server_load")


@dataclass
class AreaResult:
    area: str
    rows: list[Row] = field(default_factory=list)
    error: str = ""
    seconds: float = 0.0


def discover() -> list[str]:
    """Area modules in bench/, in report order."""
    names = sorted(
        p.stem
        for p in BENCH_DIR.glob("*.py")
        if p.stem not in NOT_AREAS and not p.stem.startswith("_")
    )
    ordered = [n for n in ORDER if n in names]
    return ordered + [n for n in names if n not in ordered]


def run_area(area: str) -> AreaResult:
    result = AreaResult(area)
    t0 = time.perf_counter()
    try:
        module = importlib.import_module(f"bench.{area}")
        run = getattr(module, "run", None)
        if run is None:
            result.error = "no run() function"
        else:
            result.rows = list(run())
    except Exception as e:  # a failing area is reported, not fatal
        tb = traceback.format_exception(e)
        result.error = f"{type(e).__name__}: {e}\n" + "".join(tb[-3:])
    result.seconds = time.perf_counter() - t0
    return result


# ------------------------------------------------------------------ machine


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def ram_text() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                kb = int(line.split()[1])
                return f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError):
        pass
    return "unknown"


def os_text() -> str:
    try:
        info = platform.freedesktop_os_release()
        name = info.get("PRETTY_NAME", "")
    except OSError:
        name = ""
    return f"{name} ({platform.system()} {platform.release()})".strip()


def load_text() -> str:
    try:
        one, five, _ = os.getloadavg()
    except OSError:
        return "unknown"
    return f"{one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} CPUs"


def machine_lines(now: datetime, load_before: str) -> list[str]:
    return [
        f"- CPU: {cpu_model()}",
        f"- Cores available: {os.cpu_count()}",
        f"- RAM: {ram_text()}",
        f"- Python: {platform.python_version()} ({platform.python_implementation()})",
        f"- OS: {os_text()}",
        f"- Date: {now:%Y-%m-%d %H:%M} UTC",
        f"- Load average at the start: {load_before}; at the end: {load_text()} "
        "(other work on the machine slows every figure, ours and the baselines alike)",
    ]


# ------------------------------------------------------------------ report


def _fmt(s: Stats | None) -> str:
    if s is None:
        return "—"
    if s.unit == "MB":
        return f"{s.median_ms:.0f} MB / {s.p95_ms:.0f} MB (n={s.n})"
    return f"{_ms(s.median_ms)} / {_ms(s.p95_ms)} (n={s.n})"


def _ms(v: float) -> str:
    if v >= 1000:
        return f"{v / 1000:.2f} s"
    if v >= 10:
        return f"{v:.0f} ms"
    if v >= 1:
        return f"{v:.1f} ms"
    return f"{v:.3f} ms"


def _ratio(row: Row) -> str:
    if row.baseline is None or row.ours.median_ms <= 0:
        return "—"
    r = row.baseline.median_ms / row.ours.median_ms
    if r >= 1:
        return f"{r:.1f}×"
    return f"{r:.2f}×" if r >= 0.01 else f"{r:.3f}×"


def _met(row: Row) -> str:
    if row.met is None:
        return "—"
    return "yes" if row.met else "**no**"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render(results: list[AreaResult], now: datetime, total_s: float, load_before: str = "") -> str:
    out = [
        "# Performance",
        "",
        "Written by `make bench` (`python -m bench`); do not edit by hand. Every figure is "
        "beside a naive baseline timed in the same run on the same machine, so the comparison "
        "holds whatever the machine. Times are median / p95 over n runs.",
        "",
        "## Machine",
        "",
        *machine_lines(now, load_before or load_text()),
        f"- Whole run: {total_s:.0f} s",
        "",
        "## Results",
        "",
        "| area | task | ours (median / p95) | baseline | baseline (median / p95) "
        "| baseline ÷ ours | target | met |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for res in results:
        for row in res.rows:
            out.append(
                "| "
                + " | ".join(
                    _cell(x)
                    for x in (
                        res.area,
                        row.name,
                        _fmt(row.ours),
                        row.baseline_name or "—",
                        _fmt(row.baseline),
                        _ratio(row),
                        row.target or "—",
                        _met(row),
                    )
                )
                + " |"
            )
    notes = [(res.area, row) for res in results for row in res.rows if row.note]
    if notes:
        out += ["", "## Notes", ""]
        out += [f"- **{area} · {row.name}**: {row.note}" for area, row in notes]
    failed = [r for r in results if r.error]
    if failed:
        out += ["", "## Areas that failed", ""]
        for r in failed:
            out += [f"### {r.area}", "", "```", r.error.rstrip(), "```", ""]
    out += ["", "## Time per area", ""]
    out += [f"- {r.area}: {r.seconds:.1f} s" + (" (failed)" if r.error else "") for r in results]
    unmet = [(res.area, row.name) for res in results for row in res.rows if row.met is False]
    out += ["", "## Summary", ""]
    n_rows = sum(len(r.rows) for r in results)
    n_target = sum(1 for r in results for row in r.rows if row.met is not None)
    out.append(
        f"{n_rows} rows from {len(results) - len(failed)} of {len(results)} areas; "
        f"{n_target - len(unmet)} of {n_target} targets met."
    )
    if unmet:
        out.append("Targets not met: " + "; ".join(f"{a} · {n}" for a, n in unmet) + ".")
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("areas", nargs="*", help="only these areas (default: all)")
    parser.add_argument("-o", "--output", default=str(OUTPUT))
    args = parser.parse_args(argv)
    areas = discover()
    if args.areas:
        unknown = sorted(set(args.areas) - set(areas))
        if unknown:
            parser.error(f"unknown areas: {', '.join(unknown)} (have: {', '.join(areas)})")
        areas = [a for a in areas if a in args.areas]
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    load_before = load_text()
    t0 = time.perf_counter()
    results = []
    for area in areas:
        print(f"bench: {area} …", flush=True)
        res = run_area(area)
        status = f"FAILED: {res.error.splitlines()[0]}" if res.error else f"{len(res.rows)} rows"
        print(f"bench: {area} {status} ({res.seconds:.1f} s)", flush=True)
        results.append(res)
    text = render(results, datetime.now(UTC), time.perf_counter() - t0, load_before)
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print(f"bench: wrote {out}")
    failed = [r.area for r in results if r.error]
    if failed:
        print(f"bench: areas that failed (see the report): {', '.join(failed)}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
