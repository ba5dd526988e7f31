"""What the ND30 checker reports: `Finding` records, the rule references they cite, and the
collector that groups repeats of one finding into one with a count.

Rule references follow the numbering of the team's ND30 notes (Phụ lục I of Nghị định
30/2020/NĐ-CP). Messages and places are Vietnamese, for office staff. It imports only the
standard library.
"""

from __future__ import annotations

from dataclasses import dataclass

R_PAGE = "Phụ lục I, mục I.1-I.3 (khổ giấy, lề)"
R_FONT = "Phụ lục I, mục I.4 (phông chữ)"
R_SIZE = "Phụ lục I, mục I.5 (cỡ chữ, kiểu chữ)"
R_PAGENUM = "Phụ lục I, mục I.7 (số trang)"
R_NATIONAL = "Phụ lục I, mục II.1 (Quốc hiệu và Tiêu ngữ)"
R_AUTHORITY = "Phụ lục I, mục II.2 (tên cơ quan ban hành)"
R_NUMBER = "Phụ lục I, mục II.3 (số, ký hiệu)"
R_DATE = "Phụ lục I, mục II.4 (địa danh, thời gian)"
R_TITLE = "Phụ lục I, mục II.5 (tên loại, trích yếu)"
R_BODY = "Phụ lục I, mục II.6 (nội dung văn bản)"
R_CITE = "Phụ lục I, mục II.6.b (viện dẫn văn bản)"
R_SIGN = "Phụ lục I, mục II.7 (chức vụ, họ tên người ký)"
R_RECIP = "Phụ lục I, mục II.9 (nơi nhận)"
R_LAYOUT = "Phụ lục I, mục I.6 (vị trí trình bày)"


@dataclass(frozen=True)
class Finding:
    """One breach of ND30: the rule it breaks, what is wrong, and where."""

    rule: str
    message: str
    where: str


class Findings:
    """Collects findings, grouping repeats of one message into one finding with a count."""

    def __init__(self) -> None:
        self.items: dict[tuple[str, str], list[str]] = {}

    def add(self, rule: str, message: str, where: str) -> None:
        """Record one breach of `rule` at `where`."""
        self.items.setdefault((rule, message), []).append(where)

    def result(self) -> list[Finding]:
        """One `Finding` per (rule, message) in first-seen order; a repeated one says how many
        places and names the first."""
        out = []
        for (rule, message), places in self.items.items():
            where = places[0]
            if len(places) > 1:
                where = f"{where} (và {len(places) - 1} chỗ khác)"
                message = f"{message} ({len(places)} chỗ)"
            out.append(Finding(rule, message, where))
        return out


def measure(x: float) -> str:
    """A measure written the Vietnamese way: one decimal, comma as the separator (`1,5`)."""
    return f"{x:.1f}".replace(".", ",")
