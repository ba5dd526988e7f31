"""AppTest: Xuất văn bản builds the .docx (and its check) in the background as soon as the page
opens, while the preview is read; a failure shows the Vietnamese error; each session keeps
its own build."""

from __future__ import annotations

import time
from dataclasses import replace

from components import export_document
from planner.errors import PlannerError
from tests.test_page_export import _downloads, _open

WORD = "Tải văn bản Word (.docx)"


def _until_built(at, seconds: float = 60.0):  # type: ignore[no-untyped-def]
    """Rerun the page (as the polling fragment does) until the download shows."""
    deadline = time.monotonic() + seconds
    while WORD not in _downloads(at) and not at.error and time.monotonic() < deadline:
        time.sleep(0.3)
        at.run()
        assert not at.exception, at.exception
    return at


def test_the_docx_is_built_without_a_click(app_env, sample) -> None:  # type: ignore[no-untyped-def]
    at = _open(app_env, sample)
    assert at.session_state[export_document.state.EXPORT_JOB] is not None  # started at once
    _until_built(at)
    assert WORD in _downloads(at)
    assert any("Đúng thể thức" in s.value for s in at.success)
    [again] = [b for b in at.button if b.key == "export.build"]
    assert again.help == "Tạo lại tệp Word và PDF ngay"


def test_a_failed_build_shows_the_vietnamese_error(app_env, sample, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def refuse(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise PlannerError("Không tạo được văn bản: tệp mẫu hỏng.")

    monkeypatch.setattr(export_document, "export_docx", refuse)
    at = _until_built(_open(app_env, sample))
    assert [e.value for e in at.error] == ["Không tạo được văn bản: tệp mẫu hỏng."]
    assert WORD not in _downloads(at)


def test_each_session_builds_its_own_plan(app_env, sample) -> None:  # type: ignore[no-untyped-def]
    other = replace(sample, meta=replace(sample.meta, number="77"))
    first = _open(app_env, sample)
    second = _open(app_env, other)
    _until_built(first)
    _until_built(second)
    built = [at.session_state[export_document.state.EXPORT_BUILT] for at in (first, second)]
    assert built[0]["key"][0] != built[1]["key"][0]
    assert built[0]["docx"] != built[1]["docx"]
