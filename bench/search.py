"""Catalogue search on a synthetic 100,000-row catalogue, beside a plain rapidfuzz scan.

The catalogue is generated deterministically in code (seeded `random.Random`); the queries mix
exact symbols, other spellings of symbols (`25/NQ-TW`, `NQ 25`), type + number, title words
without diacritics, typos, half-typed words and a year to tell same-symbol documents apart.
Targets (issue 3): index build under 3 s, p95 under 25 ms.
"""

from __future__ import annotations

import random
import time
import unicodedata
from datetime import date

from rapidfuzz import fuzz, process

from bench.common import Row, stats
from planner.catalogue.model import Catalogue, Directive
from planner.text.fold import fold

ROWS = 100_000
QUERIES = 300
BASELINE_QUERIES = 10

_TYPES = [
    ("Nghị quyết", "NQ"),
    ("Quyết định", "QĐ"),
    ("Chỉ thị", "CT"),
    ("Kế hoạch", "KH"),
    ("Chương trình", "CTr"),
    ("Hướng dẫn", "HD"),
    ("Thông báo", "TB"),
    ("Kết luận", "KL"),
    ("Công văn", ""),
    ("Nghị định", "NĐ"),
    ("Thông tư", "TT"),
]
_ISSUERS = [
    ("Ban Chấp hành Trung ương", "TW", "central", "party"),
    ("Bộ Chính trị", "TW", "central", "party"),
    ("Chính phủ", "CP", "central", "state"),
    ("Thủ tướng Chính phủ", "TTg", "central", "state"),
    ("Bộ Giáo dục và Đào tạo", "BGDĐT", "central", "state"),
    ("Tỉnh ủy Bình Dương", "TU", "province", "party"),
    ("Ủy ban nhân dân tỉnh Bình Dương", "UBND", "province", "state"),
    ("Sở Giáo dục và Đào tạo tỉnh Bình Dương", "SGDĐT", "province", "state"),
    ("Ủy ban nhân dân thành phố Thủ Dầu Một", "UBND", "district", "state"),
    ("Thành ủy Thủ Dầu Một", "ThU", "district", "party"),
    ("Phòng Giáo dục và Đào tạo thành phố Thủ Dầu Một", "PGDĐT", "district", "state"),
    ("Trường Tiểu học Phú Hòa", "THPH", "unit", "state"),
]
_WORDS = (
    "tăng cường đổi mới công tác dân vận cải cách hành chính nhà nước giáo dục đào tạo "
    "chuyển đổi số phòng chống tham nhũng thi đua yêu nước học tập làm theo tư tưởng đạo đức "
    "phong cách Hồ Chí Minh xây dựng trường học thân thiện an toàn giao thông phòng cháy chữa "
    "cháy y tế học đường bồi dưỡng giáo viên cán bộ quản lý kiểm định chất lượng phổ cập "
    "xóa mù chữ khuyến học khuyến tài ngoại ngữ tin học thể dục thể thao văn hóa văn nghệ "
    "kỹ năng sống giám sát phản biện xã hội dân chủ cơ sở tiếp công dân khiếu nại tố cáo"
).split()
_STATUSES = ["in_force", "expired", "replaced", "partly_amended", "unknown"]


def synthetic_catalogue(n: int = ROWS, seed: int = 20200714) -> list[Directive]:
    """`n` plausible directives, always the same for the same seed."""
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        doc_type, code = rng.choice(_TYPES)
        issuer, body, level, kind = rng.choice(_ISSUERS)
        year = rng.randint(1995, 2025)
        issued = date(year, rng.randint(1, 12), rng.randint(1, 28))
        number = str(rng.randint(1, 3000)) + ("c" if rng.random() < 0.01 else "")
        if doc_type in ("Nghị định", "Thông tư"):
            symbol = f"{number}/{year}/{code}-{body}"
        elif not code:
            symbol = f"{number}/{body}-VP"
        elif kind == "party":
            symbol = f"{number}-{code}/{body}"
        else:
            symbol = f"{number}/{code}-{body}"
        title = "về " + " ".join(rng.choice(_WORDS) for _ in range(rng.randint(5, 14)))
        rows.append(
            Directive(
                id=f"syn-{i}",
                doc_type=doc_type,
                number=number,
                symbol=symbol,
                issued=issued,
                issuer=issuer,
                issuer_level=level,
                title=title,
                status=rng.choice(_STATUSES),
                source="synthetic",
            )
        )
    return rows


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 4:
        return word
    k = rng.randrange(1, len(word) - 1)
    kind = rng.randrange(4)
    if kind == 0:
        return word[:k] + word[k + 1 :]  # missing
    if kind == 1:
        return word[:k] + word[k] + word[k:]  # doubled
    if kind == 2:
        return word[: k - 1] + word[k] + word[k - 1] + word[k + 1 :]  # swapped
    return word[:k] + ("x" if word[k] != "x" else "y") + word[k + 1 :]  # wrong


def queries(rows: list[Directive], count: int = QUERIES, seed: int = 7) -> list[str]:
    """A varied, deterministic list of queries built from the catalogue's rows."""
    rng = random.Random(seed)
    out = []
    for n in range(count):
        d = rng.choice(rows)
        words = fold(d.title).split()[1:]
        kind = n % 8
        if kind == 0:
            out.append(d.symbol)
        elif kind == 1:
            parts = d.symbol.replace("-", "/").split("/")
            out.append(f"{parts[0]}/{'-'.join(parts[1:])}")
        elif kind == 2:
            out.append(f"{d.doc_type} {d.number}")
        elif kind == 3:
            out.append(" ".join(rng.sample(words, min(3, len(words)))))
        elif kind == 4:
            out.append(" ".join(_typo(w, rng) for w in rng.sample(words, min(2, len(words)))))
        elif kind == 5:
            assert d.issued is not None
            out.append(f"{d.symbol} {d.issued.year}")
        elif kind == 6:
            out.append(unicodedata.normalize("NFD", " ".join(d.title.split()[1:4])))
        else:
            out.append(" ".join(words[:2]) + " " + words[2][:2] if len(words) > 2 else d.number)
    return out


def run() -> list[Row]:
    rows = synthetic_catalogue()
    t0, c0 = time.perf_counter(), time.process_time()
    catalogue = Catalogue(rows)
    build_ms = (time.perf_counter() - t0) * 1000
    build_cpu_ms = (time.process_time() - c0) * 1000
    qs = queries(rows)
    catalogue.search(qs[0])  # warm up
    times, cpu_times = [], []
    for q in qs:
        t, c = time.perf_counter(), time.process_time()
        catalogue.search(q, limit=10)
        times.append((time.perf_counter() - t) * 1000)
        cpu_times.append((time.process_time() - c) * 1000)
    ours = stats(times)
    cpu = stats(cpu_times)
    choices = [f"{d.doc_type} {d.symbol} {d.title} {d.issuer}" for d in rows]
    baseline_qs = qs[:BASELINE_QUERIES]
    base_times = []
    for q in baseline_qs:
        t = time.perf_counter()
        process.extract(q, choices, scorer=fuzz.WRatio, limit=10)
        base_times.append((time.perf_counter() - t) * 1000)
    baseline = stats(base_times)
    return [
        Row(
            name=f"Catalogue search, {ROWS:,} rows, {len(qs)} varied queries",
            ours=ours,
            baseline_name="rapidfuzz.process.extract(WRatio) scan of the same rows",
            baseline=baseline,
            target="p95 < 25 ms",
            met=ours.p95_ms < 25,
            note=(
                f"baseline timed on the first {len(baseline_qs)} queries of the same run; "
                f"CPU time of ours: median {cpu.median_ms:.2f} ms, p95 {cpu.p95_ms:.2f} ms"
            ),
        ),
        Row(
            name=f"Catalogue index build, {ROWS:,} rows",
            ours=stats([build_ms]),
            baseline_name="",
            baseline=None,
            target="< 3 s",
            met=build_ms < 3000,
            note=f"CPU time {build_cpu_ms:.0f} ms",
        ),
    ]


if __name__ == "__main__":
    for row in run():
        base = row.baseline.text() if row.baseline else ""
        print(f"{row.name}: {row.ours.text()} | {row.baseline_name} {base} | met={row.met}")
        print(f"    {row.note}")
