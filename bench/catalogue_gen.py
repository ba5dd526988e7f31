"""A synthetic catalogue whose numbers are shared the way real ones are.

Every body numbers its documents from 1 each year (a Party committee: through its term), so
small numbers are held by almost every body every year: among a million rows, 25/NQ-…,
16/CT-… or 5/KH-… each belong to thousands of documents of many bodies and years, beside a
long tail of large numbers (769/KH-…, 2358/QĐ-…). Titles are built from the phrases real
titles use (“về tăng cường công tác dân vận năm 2021”, “triển khai thực hiện Chỉ thị số …”),
so synthetic rows compete with the real ones on words too. Deterministic for a given seed;
strings that repeat (issuers, types, titles, numbers, dates) are shared objects. `iter_rows`
yields them one at a time, so that a million rows stream into a `Catalogue` (which holds them
column by column) without a list of a million `Directive` objects. Used by `bench/search.py`
and, at small sizes, by the tests.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date

from planner.catalogue.model import Directive

PROVINCES = (
    "Bình Dương",
    "Đồng Nai",
    "Bình Phước",
    "Tây Ninh",
    "Long An",
    "Tiền Giang",
    "Cần Thơ",
    "Khánh Hòa",
    "Đắk Lắk",
    "Nghệ An",
    "Thanh Hóa",
    "Hải Dương",
    "Thái Bình",
    "Nam Định",
    "Quảng Ninh",
    "Lào Cai",
    "Hà Giang",
    "Quảng Nam",
    "Bình Định",
    "An Giang",
)
DISTRICTS = ("Thủ Dầu Một", "Dĩ An", "Thuận An", "Bến Cát", "Tân Uyên", "Phú Giáo", "Dầu Tiếng")
# Body templates: (issuer, issuer code in symbols, level, party?, [(type, code, share)]).
_CENTRAL = [
    ("Ban Chấp hành Trung ương", "TW", True, [("Nghị quyết", "NQ", 5), ("Kết luận", "KL", 2)]),
    (
        "Bộ Chính trị",
        "TW",
        True,
        [
            ("Nghị quyết", "NQ", 3),
            ("Chỉ thị", "CT", 3),
            ("Quyết định", "QĐ", 3),
            ("Kết luận", "KL", 4),
        ],
    ),
    ("Ban Bí thư", "TW", True, [("Chỉ thị", "CT", 3), ("Kết luận", "KL", 2)]),
    ("Chính phủ", "CP", False, [("Nghị quyết", "NQ", 5), ("Nghị định", "NĐ", 6)]),
    (
        "Thủ tướng Chính phủ",
        "TTg",
        False,
        [("Quyết định", "QĐ", 8), ("Chỉ thị", "CT", 3), ("Công điện", "CĐ", 1)],
    ),
    (
        "Bộ Giáo dục và Đào tạo",
        "BGDĐT",
        False,
        [("Thông tư", "TT", 4), ("Quyết định", "QĐ", 6), ("Chỉ thị", "CT", 1), ("Công văn", "", 6)],
    ),
    (
        "Bộ Nội vụ",
        "BNV",
        False,
        [("Thông tư", "TT", 3), ("Quyết định", "QĐ", 3), ("Công văn", "", 3)],
    ),
    ("Bộ Tài chính", "BTC", False, [("Thông tư", "TT", 5), ("Quyết định", "QĐ", 3)]),
    ("Quốc hội", "QH", False, [("Luật", "", 2), ("Nghị quyết", "NQ", 2)]),
]
_PROVINCE = [
    (
        "Tỉnh ủy {p}",
        "TU",
        True,
        [("Nghị quyết", "NQ", 2), ("Chỉ thị", "CT", 3), ("Kế hoạch", "KH", 3)],
    ),
    ("Ban Dân vận Tỉnh ủy {p}", "BDVTU", True, [("Kế hoạch", "KH", 3), ("Hướng dẫn", "HD", 2)]),
    ("Hội đồng nhân dân tỉnh {p}", "HĐND", False, [("Nghị quyết", "NQ", 4)]),
    (
        "Ủy ban nhân dân tỉnh {p}",
        "UBND",
        False,
        [("Quyết định", "QĐ", 8), ("Kế hoạch", "KH", 6), ("Chỉ thị", "CT", 2), ("Công văn", "", 6)],
    ),
    (
        "Sở Giáo dục và Đào tạo tỉnh {p}",
        "SGDĐT",
        False,
        [
            ("Kế hoạch", "KH", 5),
            ("Quyết định", "QĐ", 3),
            ("Công văn", "", 6),
            ("Hướng dẫn", "HD", 2),
        ],
    ),
]
_DISTRICT = [
    (
        "Thành ủy {d}",
        "ThU",
        True,
        [("Nghị quyết", "NQ", 1), ("Chỉ thị", "CT", 2), ("Kế hoạch", "KH", 3)],
    ),
    (
        "Ủy ban nhân dân thành phố {d}",
        "UBND",
        False,
        [("Quyết định", "QĐ", 5), ("Kế hoạch", "KH", 6), ("Công văn", "", 5)],
    ),
    (
        "Phòng Giáo dục và Đào tạo thành phố {d}",
        "PGDĐT",
        False,
        [("Kế hoạch", "KH", 6), ("Công văn", "", 5), ("Quyết định", "QĐ", 2)],
    ),
]
TOPICS = (
    "công tác dân vận",
    "công tác dân vận chính quyền",
    "phong trào thi đua Dân vận khéo",
    "cải cách hành chính",
    "chuyển đổi số",
    "công tác văn thư, lưu trữ",
    "công tác văn thư",
    "phòng, chống tham nhũng, tiêu cực",
    "thực hành tiết kiệm, chống lãng phí",
    "giám sát và phản biện xã hội",
    "công tác kiểm tra, giám sát",
    "thực hiện dân chủ ở cơ sở",
    "tiếp công dân, giải quyết khiếu nại, tố cáo",
    "an toàn giao thông",
    "phòng cháy, chữa cháy và cứu nạn, cứu hộ",
    "y tế trường học",
    "công tác phổ cập giáo dục",
    "xây dựng trường học an toàn, thân thiện",
    "bồi dưỡng thường xuyên giáo viên",
    "kiểm định chất lượng giáo dục",
    "học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    "công tác thi đua, khen thưởng",
    "xây dựng xã hội học tập",
    "công tác tuyển sinh",
    "nhiệm vụ năm học",
    "công tác bảo vệ bí mật nhà nước",
    "ứng dụng công nghệ thông tin",
    "giáo dục kỹ năng sống cho học sinh",
    "công tác quốc phòng, an ninh",
    "công tác cán bộ",
    "công tác tuyên truyền, phổ biến, giáo dục pháp luật",
    "phát triển giáo dục mầm non",
    "đổi mới chương trình, sách giáo khoa giáo dục phổ thông",
    "công tác xã hội hóa giáo dục",
)
_TEMPLATES = (
    "về {t}",
    "về {t} năm {y}",
    "về tăng cường {t}",
    "về việc tăng cường và đổi mới {t}",
    "về tăng cường sự lãnh đạo của cấp ủy đối với {t}",
    "thực hiện {t} năm {y}",
    "triển khai {t} năm {y}",
    "về {t} giai đoạn {y}-{y5}",
    "ban hành Quy chế {t}",
    "tổ chức thực hiện {t} trong các cơ sở giáo dục",
    "về việc hướng dẫn {t}",
    "sơ kết, tổng kết {t} năm {y}",
    "về nâng cao hiệu quả {t}",
    "triển khai thực hiện Nghị quyết số {n}-NQ/TW về {t}",
    "thực hiện Chỉ thị số {n}/CT-TTg về {t}",
)
# Central bodies seldom issue two documents titled alike: theirs name a period or a scope.
_CENTRAL_TEMPLATES = tuple(t for t in _TEMPLATES if "{y}" in t or "{n}" in t or "trong" in t)
LAWS = (
    "Giáo dục nghề nghiệp",
    "Cán bộ, công chức",
    "Viên chức",
    "Thi đua, khen thưởng",
    "Ngân sách nhà nước",
    "Phòng, chống ma túy",
    "Thanh niên",
    "Trẻ em",
    "Đầu tư công",
)
_STATUSES = ("in_force",) * 4 + ("unknown",) * 3 + ("expired", "replaced", "partly_amended")


def _bodies() -> list[tuple[str, str, str, bool, list[tuple[str, str, int]]]]:
    out = [(name, code, "central", party, types) for name, code, party, types in _CENTRAL]
    for p in PROVINCES:
        out += [(n.format(p=p), c, "province", pa, t) for n, c, pa, t in _PROVINCE]
    for d in DISTRICTS:
        out += [(n.format(d=d), c, "district", pa, t) for n, c, pa, t in _DISTRICT]
    return out


def _number(rng: random.Random) -> int:
    """Small numbers for most rows (every body's first documents of a year), a long tail."""
    if rng.random() < 0.55:
        return rng.randint(1, 40)
    return int(40 * (3000 / 40) ** rng.random())


def generate(n: int, seed: int = 20200714) -> list[Directive]:
    """`n` directives, always the same for the same seed."""
    return list(iter_rows(n, seed))


def iter_rows(n: int, seed: int = 20200714) -> Iterator[Directive]:
    rng = random.Random(seed)
    bodies = _bodies()
    weights = [sum(s for *_, s in types) * (6 if level == "central" else 1)
               for _n, _c, level, _p, types in bodies]  # fmt: skip
    numbers = [str(k) for k in range(3001)]
    shared: dict[str, str] = {}
    dates: dict[tuple[int, int, int], date] = {}
    topics = {t: (t,) for t in TOPICS}
    for i in range(n):
        issuer, body, level, party, types = rng.choices(bodies, weights)[0]
        doc_type, code, _share = rng.choices(types, [s for *_, s in types])[0]
        year = rng.randint(1996, 2025)
        key = (year, rng.randint(1, 12), rng.randint(1, 28))
        issued = dates.get(key) or dates.setdefault(key, date(*key))
        k = _number(rng)
        number = numbers[k]
        if doc_type == "Luật":
            symbol = f"{number}/{year}/QH{(year - 1946) // 5 + 1}"
        elif doc_type in ("Nghị định", "Thông tư"):
            symbol = f"{number}/{year}/{code}-{body}"
        elif not code:
            symbol = f"{number}/{body}-VP"
        elif party:
            symbol = f"{number}-{code}/{body}"
        else:
            symbol = f"{number}/{code}-{body}"
        topic = rng.choice(TOPICS)
        templates = _CENTRAL_TEMPLATES if level == "central" else _TEMPLATES
        title = rng.choice(templates).format(t=topic, y=year, y5=year + 5, n=rng.randint(1, 60))
        if doc_type == "Luật":
            title = f"sửa đổi, bổ sung một số điều của Luật {rng.choice(LAWS)}"
        title = shared.setdefault(title, title)
        yield Directive(
            id=f"syn-{i}",
            doc_type=doc_type,
            number=number,
            symbol=symbol,
            issued=issued,
            issuer=issuer,
            issuer_level=level,
            title=title,
            status=rng.choice(_STATUSES),
            topics=topics[topic],
            source="synthetic",
        )
