"""AppTest of Xuất văn bản: preview, build on demand, findings, downloads, template, check."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest

from planner.model import Task
from planner.store.plans import PlanStore
from tests.conftest import make_app

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
    hint = any("Chưa mở kế hoạch" in i.value for i in at.info)
    sample_opened = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in _html(at)  # first run opens it
    assert hint or sample_opened


@pytest.mark.soffice
def test_pdf_button_when_libreoffice_is_installed(app_env, sample) -> None:  # type: ignore[no-untyped-def]
    from planner.docx.writer import soffice_path

    if not soffice_path():
        pytest.skip("LibreOffice (soffice) không có trên máy này: bỏ qua nút tạo PDF.")
    at = _open(app_env, sample)
    at.button(key="export.build").click().run()
    at.button(key="export.pdf").click().run(timeout=240)
    assert not at.exception, at.exception
    assert "Tải bản PDF" in _downloads(at)
    assert not at.error


def test_reminds_of_open_review_work(app_env, sample) -> None:  # type: ignore[no-untyped-def]
    from planner.drafting.rollover import rollover

    draft = rollover(sample, 2021, today=date(2021, 3, 15)).plan
    at = _open(app_env, draft)
    assert any("chưa rà soát" in i.value or "chưa xử lý" in i.value for i in at.info)
    at.button(key="export.build").click().run()
    assert not at.exception, at.exception
    assert "Tải văn bản Word (.docx)" in _downloads(at)


def test_no_reminder_for_a_reviewed_plan(app_env, sample) -> None:  # type: ignore[no-untyped-def]
    at = _open(app_env, sample)
    assert not any("chưa rà soát" in i.value for i in at.info)
