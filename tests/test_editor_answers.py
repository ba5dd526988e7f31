"""AppTest: an editor that answers (issue #16, item 5) and typing kept (item 7).

A section or block just added is scrolled to and focused (a script aimed at its widget's
key, drawn once) with a short Vietnamese toast; a long section title is edited in a text
area; every diff shows one legend, reading from the earlier text to the later one; the
editor page carries the autosave script.
"""

from __future__ import annotations

import re

from planner.store.plans import PlanStore
from tests.test_page_editor import create_2021, ok, widget


def _html(at) -> list[str]:  # type: ignore[no-untyped-def]
    return [h.proto.body for h in at.get("html")]


def _focus_targets(at) -> list[str]:  # type: ignore[no-untyped-def]
    return [b for b in _html(at) if "planFocused" in b]


def _toasts(at) -> list[str]:  # type: ignore[no-untyped-def]
    return [t.value for t in at.toast]


def test_a_block_added_is_focused_with_a_toast_once(app_env) -> None:  # type: ignore[no-untyped-def]
    at, pid = create_2021()
    n = len(PlanStore(app_env).open(pid).plan.sections[0].blocks)
    assert not _focus_targets(at)
    widget(at.button, "b.add.0").click().run()
    ok(at)
    assert any("Đã thêm đoạn mới ở cuối mục I" in t for t in _toasts(at)), _toasts(at)
    new_box = widget(at.text_area, f"b.text.0.{n}")
    [script] = _focus_targets(at)
    assert f'"{new_box.key}"' in script  # aimed at the new paragraph's box
    widget(at.text_area, f"b.text.0.{n}").input("Đoạn mới gõ ngay.").run()
    ok(at)
    assert not _focus_targets(at)  # once only: later runs leave the caret where it is
    assert PlanStore(app_env).open(pid).plan.sections[0].blocks[n].text == "Đoạn mới gõ ngay."


def test_a_section_added_has_its_title_focused(app_env) -> None:  # type: ignore[no-untyped-def]
    at, _ = create_2021()
    widget(at.button, "top.add").click().run()
    ok(at)
    assert any("Đã thêm mục lớn mới" in t for t in _toasts(at))
    title = widget(at.text_input, "title.3")
    assert title.value == "MỤC MỚI"
    [script] = _focus_targets(at)
    assert f'"{title.key}"' in script
    widget(at.button, "s.child.3").click().run()
    ok(at)
    child = widget(at.text_input, "title.3-0")
    [script] = _focus_targets(at)
    assert f'"{child.key}"' in script


def test_a_long_title_is_edited_in_a_text_area(app_env) -> None:  # type: ignore[no-untyped-def]
    at, pid = create_2021()
    long = (
        "TĂNG CƯỜNG CÔNG TÁC DÂN VẬN CHÍNH QUYỀN TRONG CÁC CƠ SỞ GIÁO DỤC "
        "VÀ ĐÀO TẠO TRÊN ĐỊA BÀN THÀNH PHỐ"
    )
    assert len(long) > 80
    widget(at.text_input, "title.0").input(long).run()
    ok(at)
    # the box typed in keeps its kind (an autosave must not swap it under the caret)...
    assert widget(at.text_input, "title.0").value == long
    assert not [w for w in at.text_area if w.key.endswith("title.long.0")]
    widget(at.button, "b.add.0").click().run()  # ...until the section's widgets are new
    ok(at)
    box = widget(at.text_area, "title.long.0")
    assert box.value == long
    box.input(long.replace("TRÊN ĐỊA BÀN\nTHÀNH PHỐ", "") + "\nNĂM 2021").run()
    ok(at)
    assert PlanStore(app_env).open(pid).plan.sections[0].title == long + " NĂM 2021"


def test_the_history_diff_reads_from_the_old_version_with_the_legend(app_env) -> None:  # type: ignore[no-untyped-def]
    at, _ = create_2021()
    widget(at.text_area, "b.text.0.0").input("Chữ mới thêm vào.").run()
    at.selectbox(key="editor.history.pick").set_value(1).run()
    ok(at)
    diff = next(m.value for m in at.markdown if "<ins" in m.value)
    added = " ".join(re.findall(r"<ins [^>]*>([^<]*)</ins>", diff))
    removed = " ".join(re.findall(r"<del [^>]*>([^<]*)</del>", diff))
    # the current text is the later one: what it added is green, what it dropped red
    assert "Chữ mới thêm vào." in added and "Chữ mới" not in removed
    assert "Tiếp tục đẩy mạnh" in removed
    legend = [b for b in _html(at) if "plan-diff-legend" in b]
    assert legend and "Từ phiên bản 1 đến bản hiện tại" in legend[0]
    assert "chữ bị bỏ" in legend[0] and "chữ thêm mới" in legend[0]


def test_the_year_on_year_diff_has_the_same_legend(app_env) -> None:  # type: ignore[no-untyped-def]
    at, _ = create_2021()
    at.toggle(key="editor.show_diff").set_value(True).run()
    widget(at.text_area, "b.text.0.0").input("Một câu hoàn toàn mới.").run()
    ok(at)
    legends = [b for b in _html(at) if "plan-diff-legend" in b]
    assert any("Từ năm trước sang năm nay" in b for b in legends), legends


def test_the_editor_carries_the_autosave_script(app_env) -> None:  # type: ignore[no-untyped-def]
    at, _ = create_2021()
    [script] = [b for b in _html(at) if "__planAutosave" in b]
    assert "800" in script and "st-key-ed-" in script
