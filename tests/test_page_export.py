"""AppTest of Xuất văn bản: preview, build on demand, findings, downloads, template, check."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import date, datetime

import docx
import pytest
from docx.oxml.ns import qn

from planner.model import Task
from planner.store.plans import PlanStore
from tests.conftest import make_app, require_soffice

NOW = datetime(2021, 3, 1, 8, 0)
PAGE = "views/export.py"


def _open(app_env, plan):  # type: ignore[no-untyped-def]
    plan_id = PlanStore(app_env).create(plan, now=NOW)
    at = make_app()
    at.query_params["plan"] = plan_id
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    return at


def _html(at) -> str:  # type: ignore[no-untyped-def]
    return "".join(str(getattr(el, "proto", "")) for el in at.get("html"))


def _downloads(at) -> list[str]:  # type: ignore[no-untyped-def]
    return [el.proto.label for el in at.get("download_button")]


def test_preview_shows_the_plan_and_build_waits_for_the_button(app_env, sample) -> None:  # type: ignore[no-untyped-def]
    at = _open(app_env, sample)
    html = _html(at)
    assert "Thực hiện công tác dân vận chính quyền năm 2020" in html
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in html
    assert "Số: 932/KH-PGDĐT" in html
    assert "Tải văn bản Word (.docx)" not in _downloads(at)  # nothing built on a plain run
    assert "Tải kế hoạch (.json)" in _downloads(at)
    at.button(key="export.build").click().run()
    assert not at.exception, at.exception
    assert "Tải văn bản Word (.docx)" in _downloads(at)
    assert any("Đúng thể thức" in s.value for s in at.success)
    # a rerun keeps the built document (no rebuild needed)
    at.run()
    assert "Tải văn bản Word (.docx)" in _downloads(at)


def test_preview_escapes_text(app_env, sample) -> None:  # type: ignore[no-untyped-def]
    plan = replace(sample, meta=replace(sample.meta, subject="A & B <script>x</script>"))
    at = _open(app_env, plan)
    html = _html(at)
    assert "<script>x</script>" not in html
    assert "&lt;script&gt;" in html


def test_options_with_tasks(app_env, sample) -> None:  # type: ignore[no-untyped-def]
    plan = replace(
        sample,
        tasks=(
            Task("t1", "Xây dựng kế hoạch", lead="Phòng GDĐT", due=date(2021, 1, 29)),
            Task("t2", "Báo cáo cuối năm", lead="Các trường", due=date(2021, 11, 25)),
        ),
    )
    at = _open(app_env, plan)
    at.checkbox(key="export.schedule").check().run()
    assert "TIẾN ĐỘ THỰC HIỆN" in _html(at)
    at.button(key="export.build").click().run()
    assert not at.exception, at.exception
    assert "Tải văn bản Word (.docx)" in _downloads(at)
    # changing an option makes the built document stale
    at.checkbox(key="export.schedule").uncheck().run()
    assert "Tải văn bản Word (.docx)" not in _downloads(at)
    assert any("tạo lại" in c.value for c in at.caption)


@pytest.fixture
def media(monkeypatch: pytest.MonkeyPatch) -> list:  # type: ignore[type-arg]
    """Every in-memory media store AppTest makes (one a run): where a download button's bytes
    are kept, so a test reads exactly what a user would download."""
    import streamlit.testing.v1.app_test as app_test
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    made: list[MemoryMediaFileStorage] = []

    class Recorded(MemoryMediaFileStorage):
        def __init__(self, *args, **kwargs) -> None:  # type: ignore[no-untyped-def]
            super().__init__(*args, **kwargs)
            made.append(self)

    monkeypatch.setattr(app_test, "MemoryMediaFileStorage", Recorded)
    return made


def _download(at, media: list, label: str):  # type: ignore[no-untyped-def, type-arg]
    """The file behind the download button `label` in the last run: (name, bytes)."""
    buttons = [el for el in at.get("download_button") if el.proto.label == label]
    assert len(buttons) == 1, _downloads(at)
    stored = media[-1].get_file(buttons[0].proto.url.rsplit("/", 1)[-1])
    return stored.filename, stored.content


def _body(document) -> list[tuple[str, object]]:  # type: ignore[no-untyped-def]
    """The body in order: ("p", text) for a paragraph, ("tbl", table) for a table."""
    from docx.table import Table

    out: list[tuple[str, object]] = []
    for el in document.element.body.iterchildren():
        if el.tag == qn("w:p"):
            out.append(("p", "".join(t.text or "" for t in el.iter(qn("w:t")))))
        elif el.tag == qn("w:tbl"):
            out.append(("tbl", Table(el, document._body)))
    return out


SCHEDULED_TASKS = (
    Task(
        "t1",
        "Xây dựng kế hoạch công tác dân vận năm 2020",
        lead="Phòng GDĐT",
        support=("Các trường",),
        start=date(2020, 7, 20),
        due=date(2020, 9, 30),
        status="in_progress",
        progress=60,
    ),
    Task(
        "t2",
        "Kiểm tra việc thực hiện tại các đơn vị trường học",
        lead="Phòng GDĐT",
        support=("Công đoàn ngành", "Các trường"),
        due=date(2020, 11, 25),
    ),
    Task(
        "t3",
        "Báo cáo sơ kết công tác dân vận",
        lead="Các trường",
        start=date(2020, 12, 1),
        due=date(2020, 12, 15),
        status="done",
        progress=100,
    ),
)


def test_built_document_holds_the_schedule_the_charts_and_the_last_section(  # type: ignore[no-untyped-def]
    app_env, sample, media
) -> None:
    plan = replace(sample, tasks=SCHEDULED_TASKS)
    at = _open(app_env, plan)
    at.checkbox(key="export.schedule").check()
    at.checkbox(key="export.charts").check().run()
    at.button(key="export.build").click().run(timeout=180)
    assert not at.exception, at.exception
    name, data = _download(at, media, "Tải văn bản Word (.docx)")
    assert name == "ke-hoach-932-2020.docx"
    document = docx.Document(io.BytesIO(data))
    body = _body(document)
    paragraphs = [text for kind, text in body if kind == "p"]

    # The plan's last section comes whole: its title, its last part, its last paragraph.
    last = plan.sections[-1]
    assert (last.number, last.title) == ("III", "TỔ CHỨC THỰC HIỆN")
    last_part = last.children[-1]
    last_text = last_part.blocks[-1].text
    assert last_text.startswith("Định kỳ tổng hợp báo cáo")
    heading = paragraphs.index("III. TỔ CHỨC THỰC HIỆN")
    part = paragraphs.index("2. Các đơn vị trường học", heading)
    end = paragraphs.index(f"- {last_text}", part)

    # Then Tiến độ thực hiện: its heading, the table of the plan's tasks, then the closing.
    assert paragraphs[end + 1] == "IV. TIẾN ĐỘ THỰC HIỆN"
    at_heading = body.index(("p", "IV. TIẾN ĐỘ THỰC HIỆN"))
    kind, table = body[at_heading + 1]
    assert kind == "tbl"
    cells = [[c.text.strip() for c in row.cells] for row in table.rows]  # type: ignore[attr-defined]
    assert cells == [
        ["Thời gian", "Nội dung công việc", "Đơn vị chủ trì", "Đơn vị phối hợp"],
        [
            "20/07/2020 - 30/09/2020",
            "Xây dựng kế hoạch công tác dân vận năm 2020",
            "Phòng GDĐT",
            "Các trường",
        ],
        [
            "Trước ngày 25/11/2020",
            "Kiểm tra việc thực hiện tại các đơn vị trường học",
            "Phòng GDĐT",
            "Công đoàn ngành; Các trường",
        ],
        ["01/12/2020 - 15/12/2020", "Báo cáo sơ kết công tác dân vận", "Các trường", ""],
    ]
    assert body[at_heading + 2] == ("p", plan.closing[0])

    # The charts: four pictures in the appendix, each a PNG in the package, each captioned.
    drawings = list(document.element.body.iter(qn("w:drawing")))
    blips = [b for d in drawings for b in d.iter(qn("a:blip"))]
    assert len(drawings) == 4
    assert len(blips) == 4
    parts = [document.part.related_parts[b.get(qn("r:embed"))] for b in blips]
    assert all(p.content_type == "image/png" for p in parts)
    assert all(p.blob.startswith(b"\x89PNG") for p in parts)
    appendix = paragraphs.index("PHỤ LỤC")
    assert [t for t in paragraphs[appendix:] if t.startswith("Hình ")] == [
        "Hình 1. Lịch thực hiện công việc",
        "Hình 2. Tình trạng công việc",
        "Hình 3. Tiến độ theo đơn vị chủ trì",
        "Hình 4. Số công việc đến hạn theo tháng",
    ]
    assert any("Đúng thể thức" in s.value for s in at.success)


def test_draft_preview(app_env, sample) -> None:  # type: ignore[no-untyped-def]
    draft = replace(sample, meta=replace(sample.meta, number="", issued=None, year=2021))
    at = _open(app_env, draft)
    html = _html(at)
    assert "Số:      /KH-PGDĐT" in html
    assert "ngày      tháng      năm 2021" in html


def test_no_plan_open_shows_hint(app_env) -> None:  # type: ignore[no-untyped-def]
    at = make_app()
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception, at.exception
    # app_env sets PLANNER_NO_SAMPLE: the store stays empty, so nothing is open.
    assert [i.value for i in at.info] == [
        "Chưa mở kế hoạch nào. Hãy mở hoặc tạo một kế hoạch ở Trang chủ."
    ]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" not in _html(at)  # no preview
    assert _downloads(at) == []
    assert not [b for b in at.button if b.key == "export.build"]
    assert PlanStore(app_env).list_plans(include_deleted=True) == []


@pytest.mark.soffice
def test_pdf_button_when_libreoffice_is_installed(app_env, sample) -> None:  # type: ignore[no-untyped-def]
    require_soffice()  # the marker checks it too: skipped on a developer machine, fails on CI
    at = _open(app_env, sample)
    at.button(key="export.build").click().run()
    at.button(key="export.pdf").click().run(timeout=240)
    assert not at.exception, at.exception
    assert "Tải bản PDF" in _downloads(at)
    assert not at.error


def test_reminds_of_open_review_work(app_env, sample) -> None:  # type: ignore[no-untyped-def]
    from planner.drafting.findings import findings_of, review_progress
    from planner.drafting.rollover import rollover

    draft = rollover(sample, 2021, today=date(2021, 3, 15)).plan
    open_findings = sum(f.status == "open" for f in findings_of(draft))
    reviewed, tracked = review_progress(draft)
    assert open_findings > 0  # the rollover leaves both kinds of work to remind of
    assert tracked > 0
    assert reviewed < tracked
    at = _open(app_env, draft)
    reminders = [i.value for i in at.info if i.value.startswith("Kế hoạch còn")]
    assert reminders == [
        f"Kế hoạch còn {open_findings} phát hiện chưa xử lý và "
        f"{tracked - reviewed}/{tracked} đoạn chưa rà soát. Văn bản vẫn tạo được, nhưng nên "
        "xem lại ở trang Soạn kế hoạch trước khi trình ký."
    ]
    at.button(key="export.build").click().run()
    assert not at.exception, at.exception
    assert "Tải văn bản Word (.docx)" in _downloads(at)


def test_no_reminder_for_a_reviewed_plan(app_env, sample) -> None:  # type: ignore[no-untyped-def]
    at = _open(app_env, sample)
    assert [i.value for i in at.info if i.value.startswith("Kế hoạch còn")] == []
