import json
from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.errors import PlanFormatError
from planner.model import (
    MAX_SECTION_DEPTH,
    Block,
    Plan,
    Section,
    Task,
    load_plan,
    plan_from_dict,
    plan_from_json,
    plan_to_dict,
    plan_to_json,
    save_plan,
    section_depth,
)


def minimal(**over):
    d = {"schema_version": 1, "meta": {"year": 2021, "subject": "Thử"}}
    d.update(over)
    return d


def test_round_trip_sample(sample, tmp_path):
    path = tmp_path / "p.json"
    save_plan(sample, path)
    again = load_plan(path)
    assert again == sample
    assert plan_to_dict(again) == plan_to_dict(sample)


def test_unknown_keys_are_kept_everywhere():
    data = minimal(
        future={"x": 1},
        sections=[
            {
                "number": "I",
                "title": "A",
                "colour": "red",
                "blocks": [{"kind": "dash", "text": "x", "mark": 2}],
            }
        ],
        tasks=[{"id": "t1", "title": "T", "owner_email": "a@b"}],
    )
    data["meta"]["new_field"] = "kept"
    out = plan_to_dict(plan_from_dict(data))
    assert out["future"] == {"x": 1}
    assert out["meta"]["new_field"] == "kept"
    assert out["sections"][0]["colour"] == "red"
    assert out["sections"][0]["blocks"][0]["mark"] == 2
    assert out["tasks"][0]["owner_email"] == "a@b"
    assert next(iter(out)) == "schema_version"


def test_nfc_on_load_and_control_chars_removed():
    nfd = "Ke\u0302\u0301 hoa\u0323ch\x07"
    p = plan_from_dict(minimal(preamble=[nfd]))
    assert p.preamble == ("Kế hoạch",)


def test_future_schema_is_refused_clearly():
    with pytest.raises(PlanFormatError, match="phiên bản mới hơn"):
        plan_from_json(json.dumps({"schema_version": 2}), "moi.json")


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"schema_version": 1, "meta": []}, "meta"),
        (minimal(bases="x"), "bases"),
        (minimal(sections=[{"number": "I", "blocks": [{"kind": "bullet"}]}]), "kind"),
        (minimal(tasks=[{"id": "t", "status": "late"}]), "status"),
        (minimal(tasks=[{"id": "t", "progress": 140}]), "progress"),
        (minimal(tasks=[{"id": "t", "start": "2021-05-01", "due": "2021-04-01"}]), "due"),
        (minimal(tasks=[{"id": "t", "due": "2021-02-31"}]), "due"),
        (minimal(signer={"prefix": "XX."}), "signer.prefix"),
        ({"meta": {}}, "schema_version"),
    ],
)
def test_bad_fields_are_named(data, field):
    with pytest.raises(PlanFormatError) as err:
        plan_from_dict(data, "ke-hoach.json")
    assert "ke-hoach.json" in str(err.value)
    assert field in str(err.value)


@pytest.mark.parametrize("raw", [b"", b"\xff\xfe\x00garbage", b"{not json", b"[1, 2]"])
def test_not_a_plan(raw):
    with pytest.raises(PlanFormatError, match="x.json"):
        plan_from_json(raw, "x.json")


def _nested(depth: int) -> dict:
    node: dict = {"number": "1", "title": "t", "blocks": [], "children": []}
    root = node
    for _ in range(depth - 1):
        child = {"number": "1", "title": "t", "blocks": [], "children": []}
        node["children"] = [child]
        node = child
    return root


def test_nesting_bounded():
    ok = plan_from_dict(minimal(sections=[_nested(MAX_SECTION_DEPTH)]))
    assert section_depth(ok.sections) == MAX_SECTION_DEPTH
    with pytest.raises(PlanFormatError, match="lồng quá sâu"):
        plan_from_dict(minimal(sections=[_nested(MAX_SECTION_DEPTH + 1)]))


def test_absurd_json_nesting_is_a_clear_error():
    raw = "[" * 100_000 + "]" * 100_000
    with pytest.raises(PlanFormatError, match="lồng quá sâu|không phải"):
        plan_from_json(raw, "sau.json")


def test_paths_and_overdue():
    p = Plan(
        sections=(Section("I", "A", children=(Section("1", "B", (Block(text="x"),)),)),),
        tasks=(
            Task("t1", "T", due=date(2021, 3, 1)),
            Task("t2", "U", due=date(2021, 3, 1), status="done"),
        ),
    )
    assert [path for path, _ in p.iter_sections()] == ["I", "I.1"]
    assert p.find_section("I.1").title == "B"
    assert p.tasks[0].is_overdue(date(2021, 3, 2))
    assert not p.tasks[0].is_overdue(date(2021, 3, 1))
    assert not p.tasks[1].is_overdue(date(2021, 12, 1))


texts = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)


@given(texts, texts, st.lists(texts, max_size=4))
def test_any_text_round_trips_as_clean_nfc(title, body, recipients):
    plan = plan_from_dict(
        minimal(
            sections=[
                {"number": "I", "title": title, "blocks": [{"kind": "paragraph", "text": body}]}
            ],
            recipients=recipients,
        )
    )
    again = plan_from_json(plan_to_json(plan))
    assert again == plan
    assert plan_from_dict(plan_to_dict(again)) == again


def test_replace_keeps_frozen_semantics(sample):
    edited = replace(sample, preamble=("Khác",))
    assert sample.preamble != edited.preamble
    with pytest.raises(AttributeError):
        sample.meta.year = 1  # type: ignore[misc]


def _raw_plan(**extra: object) -> dict[str, object]:
    return {
        "schema_version": 1,
        "sections": [
            {"number": "I", "title": "MỤC ĐÍCH", "blocks": [{"text": "Một."}]},
        ],
        **extra,
    }


def test_duplicate_task_ids_are_refused_naming_both_places() -> None:
    raw = _raw_plan(tasks=[{"id": "t1", "title": "Việc A"}, {"id": "t1", "title": "Việc A"}])
    with pytest.raises(PlanFormatError) as info:
        plan_from_dict(raw, "kh.json")
    msg = str(info.value)
    assert "kh.json" in msg and "tasks[2].id" in msg and "tasks[1]" in msg and "trùng" in msg


def test_a_task_on_a_missing_section_is_unlinked_and_the_user_told() -> None:
    raw = _raw_plan(tasks=[{"id": "t1", "title": "Việc", "section": "IV.2"}])
    plan = plan_from_dict(raw, "kh.json")
    assert plan.tasks[0].section is None
    assert len(plan.notes) == 1 and "IV.2" in plan.notes[0] and "kh.json" in plan.notes[0]
    assert "notes" not in plan_to_dict(plan)
    ok = plan_from_dict(_raw_plan(tasks=[{"id": "t1", "title": "Việc", "section": "I"}]))
    assert ok.tasks[0].section == "I" and ok.notes == ()


@pytest.mark.parametrize(
    "path",
    [
        {"area": "section", "section": "II", "block": 0, "start": 0},
        {"area": "section", "section": "I", "block": 5, "start": 0},
        {"area": "section", "section": "I", "block": 0, "row": 1, "col": 0, "start": 0},
        {"area": "bases", "index": 3, "start": 0},
        {"area": "task", "id": "t9", "field": "due"},
    ],
)
def test_an_open_finding_on_a_missing_place_is_dismissed_and_the_user_told(
    path: dict[str, object],
) -> None:
    finding = {"id": "f1", "kind": "stale", "path": path, "text": "x", "status": "open"}
    plan = plan_from_dict(_raw_plan(findings=[finding]), "kh.json")
    (stored,) = plan.extra["findings"]
    assert stored["status"] == "dismissed"
    assert "findings[1]" in plan.notes[0]
    good = {**finding, "path": {"area": "section", "section": "I", "block": 0, "start": 0}}
    plan = plan_from_dict(_raw_plan(findings=[good]))
    assert plan.extra["findings"][0]["status"] == "open" and plan.notes == ()


def test_bidi_controls_and_invisible_characters_never_reach_the_plan() -> None:
    hidden = "\u202eMỤC\u200b ĐÍCH\u2066\u200d\ufeff\u2060\u200e\u061c"
    raw = _raw_plan()
    raw["sections"][0]["title"] = hidden  # type: ignore[index]
    raw["meta"] = {"subject": "Kế hoa\u0323ch\u202c"}  # decomposed: comes back NFC
    plan = plan_from_dict(raw)
    assert plan.sections[0].title == "MỤC ĐÍCH"
    assert plan.meta.subject == "Kế hoạch"
