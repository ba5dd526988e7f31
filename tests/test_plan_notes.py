"""What loading a plan repaired (`Plan.notes`) is told: one `Lưu ý: …` line on stderr per
note by every command that reads a plan file (exit code unchanged), and once as a warning when
the editor opens the plan."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from planner.cli.main import main
from planner.model import Task, plan_to_dict
from planner.store.plans import PlanStore
from tests.conftest import make_app
from tests.test_page_editor import EDITOR, ok

BROKEN_TASK = {"id": "viec-hong", "title": "Việc gắn với mục đã xóa", "section": "IX.9"}


def _write(path: Path, sample, section: str | None) -> Path:
    data = plan_to_dict(sample)
    data["tasks"] = [*data.get("tasks", []), {**BROKEN_TASK, "section": section}]
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


COMMANDS = {
    "check-plan": ["check-plan", "{plan}"],
    "check-citations": ["check-citations", "{plan}"],
    "findings": ["findings", "{plan}"],
    "rollover": ["rollover", "{plan}", "--year", "2021", "-o", "{out}.json"],
    "export": ["export", "{plan}", "-o", "{out}.docx"],
    "new --from": ["new", "--year", "2021", "--from", "{plan}", "-o", "{out}.json"],
}


@pytest.mark.parametrize("command", list(COMMANDS))
def test_every_command_reading_a_plan_tells_what_loading_repaired(
    command, tmp_path, sample, capsys, monkeypatch
):
    monkeypatch.setenv("PLANNER_TODAY", "2021-03-15")
    results = []
    for name, section in (("kh.json", "IX.9"), ("lanh.json", None)):
        plan = _write(tmp_path / name, sample, section)
        argv = [a.format(plan=plan, out=tmp_path / f"ra-{name}") for a in COMMANDS[command]]
        code = main(argv)
        out, err = capsys.readouterr()
        same = out.replace("lanh.json", "kh.json"), err.replace("lanh.json", "kh.json")
        results.append((code, same[0], same[1].splitlines()))
    (code, out, err), (clean_code, clean_out, clean_err) = results
    told = [line for line in err if line not in clean_err]
    assert told == [
        "Lưu ý: Tệp kh.json: Công việc “viec-hong” gắn với mục “IX.9” không còn trong kế "
        "hoạch; đã bỏ liên kết mục của công việc này."
    ]
    assert code == clean_code and out == clean_out  # only told, nothing else changes


def test_the_editor_tells_the_repairs_once_when_the_plan_is_opened(app_env, sample):
    broken = replace(sample, tasks=(*sample.tasks, Task(**BROKEN_TASK)))
    store = PlanStore(app_env)
    pid = store.create(broken, now=datetime(2021, 3, 15, 8))
    assert store.open(pid).plan.notes  # the store's copy still holds the broken link
    at = make_app()
    at.query_params["plan"] = pid
    at.run()
    at.switch_page(EDITOR).run()
    ok(at)
    warnings = [w.value for w in at.warning if "tự sửa" in w.value]
    assert len(warnings) == 1
    assert "Công việc “viec-hong” gắn với mục “IX.9” không còn trong kế hoạch" in warnings[0]
    assert "trong cơ sở dữ liệu" not in warnings[0]  # the store's own name is left out
    at.run()  # told once
    ok(at)
    assert not [w for w in at.warning if "tự sửa" in w.value]
