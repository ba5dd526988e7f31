"""AppTest of Trang chủ's Word import (issue #11): the import report comes before anything is
saved; *Hủy* drops the file, *Tiếp tục* saves one plan and opens it, and the rollover then
starts from that saved plan. Files are built as offices type them (`tests/office_docs.py`)."""

from __future__ import annotations

import re

from components.safe_text import md_escape
from planner.store.plans import PlanStore
from tests import office_docs as O
from tests.conftest import make_app
from tests.test_office_plans import build, p, r, retext, title

NAME = "ke-hoach-2025.docx"


def ok(at) -> None:  # type: ignore[no-untyped-def]
    assert not at.exception, [e.value for e in at.exception]


def upload(data: bytes, name: str = NAME):  # type: ignore[no-untyped-def]
    at = make_app().run()
    at.radio(key="newyear.source").set_value("docx").run()
    at.file_uploader(key="newyear.docx").set_value((name, data, "application/octet-stream")).run()
    ok(at)
    return at


def markdown(at) -> str:  # type: ignore[no-untyped-def]
    """Every Markdown string of the page (alerts, captions, expander labels too)."""
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [x.value for kind in ("success", "warning", "info", "error") for x in at.get(kind)]
    parts += [e.label for e in at.expander]
    return "\n".join(parts)


def plan_param(at) -> str:  # type: ignore[no-untyped-def]
    value = at.query_params["plan"]
    return value[0] if isinstance(value, list) else value


def office_file() -> bytes:
    return O.office_docx(header="3x3", appendix="landscape", schedule=O.assignment_table())


def shown(text: str, *user: str) -> bool:
    """Whether the page's Markdown holds each piece of user text, escaped as the page must."""
    return all(md_escape(x) in text for x in user)


def test_the_report_shows_every_part_and_nothing_is_saved(app_env):
    at = upload(office_file())
    text = markdown(at)
    assert f"Đã đọc “{md_escape(NAME)}”" in text
    assert "Báo cáo đọc tệp" in text and "chưa lưu gì" in text
    # header, Căn cứ, preamble, sections with their depth, tables, appendices, signer, tasks
    assert f"Cơ quan ban hành: **{md_escape('PHÒNG GIÁO DỤC VÀ ĐÀO TẠO')}**" in text
    assert f"Số, ký hiệu: **{md_escape('125/KH-PGDĐT')}**" in text
    for label in ("Căn cứ (2)", "Lời mở đầu (1 đoạn)", "Các mục (4)", "Bảng (2)",
                  "Phụ lục sau chỗ ký (1)", "Nơi nhận và người ký"):  # fmt: skip
        assert label in text, label
    assert shown(text, "Căn cứ Luật Giáo dục ngày 14 tháng 6 năm 2019;")
    assert shown(text, "Phòng Giáo dục và Đào tạo xây dựng kế hoạch thực hiện nhiệm vụ")
    # each level of section is indented one step further than its parent
    lines = re.split(r" {2}\n|\n", text)
    depth = {
        path: next(x for x in lines if x.lstrip("\u2003").startswith(f"**{md_escape(path)}.**"))
        for path in ("I", "I.1", "I.1.a", "II")
    }
    indent = {k: len(v) - len(v.lstrip("\u2003")) for k, v in depth.items()}
    assert indent == {"I": 0, "I.1": 2, "I.1.a": 4, "II": 0}
    assert "· cấp 3 · 2 đoạn/bảng" in depth["I.1.a"]
    assert shown(text, "SỐ LIỆU CÁC TRƯỜNG NĂM HỌC 2025-2026") and "trang ngang" in text
    assert "2 hàng tiêu đề" in text
    assert f"**{md_escape('KT. TRƯỞNG PHÒNG / PHÓ TRƯỞNG PHÒNG')}** — Nguyễn Văn An" in text
    assert shown(text, "Các trường MN, TH, THCS;")
    assert re.search(r"Công việc gợi ý \(\d+\)", text)
    assert shown(text, "Kiểm tra hồ sơ chuyên môn — Tổ chuyên môn — hạn 31/12/2026")
    assert [b.label for b in at.button if (b.key or "").startswith("newyear.import")] == [
        "Tiếp tục",
        "Hủy",
    ]
    assert not [b for b in at.button if b.key == "newyear.create"]  # no rollover yet
    assert PlanStore(app_env).list_plans() == []


def test_cancel_drops_the_file_and_saves_nothing(app_env):
    at = upload(office_file())
    at.button(key="newyear.import.cancel").click().run()
    ok(at)
    assert PlanStore(app_env).list_plans() == []
    assert any("Đã hủy: không lưu gì từ tệp" in i.value for i in at.info)
    # a fresh, empty uploader: no report left on the page
    assert "newyear.docx.1" in [u.key for u in at.get("file_uploader")]
    assert "Báo cáo đọc tệp" not in markdown(at)
    assert not [b for b in at.button if (b.key or "").startswith("newyear.import")]


def test_continue_saves_one_plan_opens_it_and_the_rollover_starts_from_it(app_env):
    at = upload(office_file())
    at.button(key="newyear.import.continue").click().run()
    ok(at)
    store = PlanStore(app_env)
    [saved] = store.list_plans()
    assert plan_param(at) == saved.id
    assert saved.title.endswith(f"(nhập từ {NAME})")
    plan = store.open(saved.id).plan
    assert plan.appendices and plan.appendices[0].landscape
    assert any("Đang mở" in s.value for s in at.success)
    assert any(f"Đã lưu “{md_escape(NAME)}” thành kế hoạch" in s.value for s in at.success)
    assert "Báo cáo đọc tệp" not in markdown(at)
    # another run of the page does not save it twice
    at.run()
    assert len(store.list_plans()) == 1
    # the new year now comes from the saved plan: the draft points at it, no second copy
    at.button(key="newyear.create").click().run()
    ok(at)
    plans = store.list_plans()
    assert len(plans) == 2
    draft = store.open(plan_param(at)).plan
    assert draft.extra["previous_plan_id"] == saved.id
    assert draft.meta.year == plan.meta.year + 1


def test_uncatalogued_citations_are_offered_after_saving(app_env):
    at = upload(office_file())
    assert "chưa có trong danh mục" not in markdown(at)  # not before Tiếp tục
    at.button(key="newyear.import.continue").click().run()
    ok(at)
    assert "văn bản được trích dẫn chưa có trong danh mục" in markdown(at)


def test_table_before_the_first_section_is_kept_as_a_table(app_env):
    body = [
        *title("KẾ HOẠCH", "Kiểm tra nội bộ năm học 2025-2026"),
        p(r("Căn cứ Luật Giáo dục ngày 14 tháng 6 năm 2019;", i=True)),
        O.grid_table_xml((("Chỉ tiêu", "Tỷ lệ"), ("Học sinh lên lớp", "98%")), [4000, 4000]),
        p(r("I. MỤC ĐÍCH", b=True)),
        p(r("Nâng cao chất lượng giáo dục.")),
    ]
    at = upload(build(body), "bang-dau.docx")
    assert not [w.value for w in at.warning if "Chưa hiểu" in w.value]
    shown = " ".join(m.value for m in at.markdown)
    assert "Phần mở đầu: 2 hàng × 2 cột" in shown, shown


def test_a_cong_van_is_refused_naming_its_type_and_the_file(app_env):
    body = [p(r("V/v triển khai nhiệm vụ năm học 2026")), p(r("Kính gửi: Các trường học.")),
            p(r("Sở Giáo dục và Đào tạo đề nghị các trường triển khai như sau."))]  # fmt: skip
    data = retext(build(body), "125/KH-PGDĐT", "125/UBND-VX")
    at = upload(data, "cong-van.docx")
    [error] = [e.value for e in at.error]
    assert "công văn" in error and md_escape("cong-van.docx") in error
    assert not [b for b in at.button if (b.key or "").startswith("newyear.import")]
    assert PlanStore(app_env).list_plans() == []


def test_the_files_text_is_shown_as_text(app_env):
    from tests.test_hostile_text import HOSTILE, UNSAFE

    data = office_file()
    for old in ("Mục đích", "Luật Giáo dục", "Nguyễn Văn An", "SỐ LIỆU CÁC TRƯỜNG",
                "Nội dung công việc", "Các trường MN"):  # fmt: skip
        data = retext(data, old, HOSTILE)
    at = upload(data, "**b** :material/home: [x](y).docx")
    text = markdown(at) + "\n".join(b.label for b in at.button)
    assert text.count("<script") >= 5  # the hostile text is on the page, escaped
    seen = [what for what, rx in UNSAFE.items() if rx.search(text)]
    assert not seen, seen
