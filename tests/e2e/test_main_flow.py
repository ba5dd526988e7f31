"""The main flow in a real browser, as a user does it, against `streamlit run app.py`.

Open the sample → create the 2021 plan from it on Trang chủ → apply a rollover finding →
search the catalogue without diacritics and add a hit to the Căn cứ → edit a paragraph →
reload the browser and find the edit kept → see the charts on Tiến độ → download the .docx
and check it against Nghị định 30. Each step is also checked in the store the server writes.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import docx
import pytest

from planner.nd30.checker import check_docx
from planner.progress.tasks import suggest_tasks
from planner.store.plans import PlanStore
from tests.e2e.helpers import (
    E2E,
    edit_textarea,
    exceptions_on,
    go_to,
    main_area,
    plan_id_of,
    settle,
    textarea_values,
)

pytestmark = [*E2E, pytest.mark.timeout(600)]

SAMPLE_SUBJECT = "Thực hiện công tác dân vận chính quyền năm 2020"
NEW_SUBJECT = "Thực hiện công tác dân vận chính quyền năm 2021"
FIRST_PARAGRAPH = "Tiếp tục đẩy mạnh công tác dân vận khéo của hệ thống chính trị"
ADDED_SENTENCE = " Tổ chức hội nghị sơ kết công tác dân vận chính quyền sáu tháng đầu năm 2021."


class Flow:
    """Names the current step (for the failure screenshot) and saves README screenshots."""

    def __init__(self, node: pytest.Item, page, shots: Path | None) -> None:  # type: ignore[no-untyped-def]
        self.node = node
        self.page = page
        self.shots = shots

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        self.node.e2e_step = name  # type: ignore[attr-defined]
        yield
        errors = exceptions_on(self.page)
        assert not errors, f"step {name!r} shows an exception: {errors}"

    def shot(self, name: str) -> None:
        if self.shots is not None:
            settle(self.page)
            self.page.wait_for_timeout(500)  # let the last widgets paint
            self.page.screenshot(path=str(self.shots / f"{name}.png"))


def test_main_flow(server, page, request, readme_shots, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    flow = Flow(request.node, page, readme_shots)
    store = PlanStore(server.db_path)
    main = main_area(page)

    with flow.step("open-sample"):
        page.goto(server.url)
        settle(page)
        main.get_by_role("button", name="Mở kế hoạch mẫu 2020").click()
        settle(page)
        main.get_by_text(f"Đang mở: {SAMPLE_SUBJECT}").wait_for()
        sample_id = plan_id_of(page)
        assert sample_id, page.url
        assert store.open(sample_id).plan.meta.year == 2020
        flow.shot("trang-chu")

    with flow.step("create-2021"):
        # Trang chủ → Tạo kế hoạch năm mới, from the saved plan that is open (the sample).
        assert main.get_by_text("Tạo kế hoạch năm mới từ kế hoạch năm trước").is_visible()
        main.get_by_role("button", name="Tạo kế hoạch năm 2021").click()
        settle(page)
        try:
            page.wait_for_url(re.compile(r"/soan-ke-hoach\?plan="), timeout=120_000)
        except Exception as e:  # say what the app did instead of only "timeout"
            alerts = main.locator("[data-testid='stAlert']").all_inner_texts()
            plans = [(p.title, p.year) for p in store.list_plans()]
            raise AssertionError(
                f"no editor page after creating 2021: url={page.url} alerts={alerts} "
                f"plans in store={plans}"
            ) from e
        main.get_by_role("heading", name="Soạn kế hoạch").wait_for()
        plan_id = plan_id_of(page)
        assert plan_id and plan_id != sample_id
        draft = store.open(plan_id).plan
        assert draft.meta.year == 2021
        assert draft.meta.subject == NEW_SUBJECT
        assert draft.extra.get("findings"), "the rollover must leave findings to review"
        main.locator("textarea").first.wait_for()
        flow.shot("soan-ke-hoach")

    with flow.step("apply-finding"):
        main.get_by_text("Phát hiện cần xem", exact=True).click()
        settle(page)
        before = store.open(plan_id)
        assert "năm 2020" in before.plan.preamble[0]
        # The finding's card: its text and its buttons side by side (the innermost row).
        card = main.locator("[data-testid='stHorizontalBlock']").filter(
            has_text="Phần mở đầu, đoạn 1"
        )
        card.last.get_by_role("button", name="Áp dụng").click()
        settle(page)
        after = store.open(plan_id)
        assert after.version > before.version
        assert "năm 2020" not in after.plan.preamble[0]
        assert "năm 2021" in after.plan.preamble[0]
        applied = [f for f in after.plan.extra["findings"] if f.get("status") == "applied"]
        assert len(applied) > sum(
            1 for f in before.plan.extra["findings"] if f.get("status") == "applied"
        )
        flow.shot("phat-hien")

    with flow.step("catalogue-search-add"):
        go_to(page, "Văn bản căn cứ")
        box = main.get_by_role("searchbox", name="Tìm văn bản")
        box.fill("nghi quyet 25")
        box.press("Enter")
        settle(page)
        # The best hit (other documents numbered 25 follow it as weaker matches) is shown in
        # detail below the table.
        main.get_by_text("văn bản. Bấm một dòng để xem chi tiết.").wait_for()
        main.get_by_role("heading", name="Nghị quyết số 25-NQ/TW").wait_for()
        before = store.open(plan_id)
        assert not any(b.directive_id == "nq-25-tw-2013" for b in before.plan.bases)
        main.get_by_role("button", name="Thêm vào Căn cứ của kế hoạch đang mở").click()
        settle(page)
        after = store.open(plan_id)
        added = [b for b in after.plan.bases if b.directive_id == "nq-25-tw-2013"]
        assert len(added) == 1, [b.text for b in after.plan.bases]
        assert "25-NQ/TW" in added[0].text
        assert plan_id_of(page) == plan_id
        flow.shot("van-ban-can-cu")

    with flow.step("edit-paragraph"):
        go_to(page, "Soạn kế hoạch")
        main.get_by_text("Nội dung các mục", exact=True).click()
        settle(page)
        before = store.open(plan_id).version
        original = store.open(plan_id).plan.sections[0].blocks[0].text
        assert original.startswith(FIRST_PARAGRAPH)
        edit_textarea(page, FIRST_PARAGRAPH, original + ADDED_SENTENCE)
        saved = store.open(plan_id)
        assert saved.version > before
        section = saved.plan.find_section("I")
        assert section is not None
        assert any(b.text == original + ADDED_SENTENCE for b in section.blocks)

    with flow.step("reload-keeps-edit"):
        page.reload()
        settle(page)
        assert plan_id_of(page) == plan_id
        assert original + ADDED_SENTENCE in textarea_values(page), "the edit was lost"

    with flow.step("progress-charts"):
        go_to(page, "Tiến độ")
        # The draft has no tasks yet, so the page suggests them from Tổ chức thực hiện, all
        # ticked: the button must be there, name their number, and add exactly those.
        draft = store.open(plan_id).plan
        assert draft.tasks == ()
        suggested = suggest_tasks(draft)
        assert suggested, "the sample's Tổ chức thực hiện must give task suggestions"
        accept = main.get_by_role("button", name=f"Thêm {len(suggested)} công việc đã chọn")
        accept.wait_for()  # fails after the timeout when the button is missing
        assert accept.count() == 1
        accept.click()
        settle(page)
        tasks = store.open(plan_id).plan.tasks
        assert [t.title for t in tasks] == [s.task.title for s in suggested]
        main.get_by_role("tab", name="Biểu đồ").click()
        settle(page)
        charts = main.locator("[data-testid='stVegaLiteChart']")
        charts.first.wait_for()
        assert charts.count() >= 1
        # Vega draws into a canvas or an svg once the chart has rendered.
        charts.first.locator("canvas, svg").first.wait_for()
        flow.shot("tien-do")

    with flow.step("download-docx"):
        go_to(page, "Xuất văn bản")
        main.get_by_role("button", name="Tạo tệp Word").click()
        settle(page)
        with page.expect_download() as info:
            main.get_by_role("button", name="Tải văn bản Word (.docx)").click()
        download = info.value
        name = download.suggested_filename
        assert name.endswith(".docx"), name
        target = tmp_path / name
        download.save_as(target)
        data = target.read_bytes()
        assert data.startswith(b"PK")
        flow.shot("xuat-van-ban")
        findings = check_docx(data, name)
        assert findings == [], [str(f) for f in findings]
        # The downloaded document is the plan as edited in this run.
        text = "\n".join(p.text for p in docx.Document(io.BytesIO(data)).paragraphs)
        assert ADDED_SENTENCE.strip() in text
        assert "25-NQ/TW" in text
