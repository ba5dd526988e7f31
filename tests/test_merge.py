"""Three-way merge of a plan (`planner.drafting.merge`): a property over random edit
sequences from one base, and one example per kind of change."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import replace
from datetime import date

from hypothesis import event, given, settings
from hypothesis import strategies as st

from planner.drafting.findings import findings_of, new_finding, store_findings
from planner.drafting.merge import MINE, THEIRS, Combine, merge_plans, resolve
from planner.model import Base, Block, Meta, Plan, Section, Task, plan_from_dict, plan_to_dict

# ---------------------------------------------------------------- random plans and edits
#
# Every block, Căn cứ line, section title and task title starts with a token (B3, M1, T2, S1,
# C4) that edits keep, and every word is used once in the whole example: the test knows each
# element's identity whatever the merge's own matching does.

Index = tuple[int, ...]


class Words:
    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self.n = itertools.count(1)

    def __call__(self, k: int) -> str:
        return " ".join(f"{self.prefix}{next(self.n)}" for _ in range(k))


def make_base(shape: list[list[int]], words: Words) -> Plan:
    blocks = itertools.count(1)

    def section(number: str, n_blocks: int, children: tuple[Section, ...], s: int) -> Section:
        return Section(
            number,
            f"S{s} {words(3)}",
            tuple(Block("paragraph", f"B{next(blocks)} {words(6)}") for _ in range(n_blocks)),
            children,
        )

    numbers = ("I", "II", "III")
    sections = []
    s = itertools.count(1)
    for i, spec in enumerate(shape):
        first, *kids = spec
        children = tuple(section(str(j + 1), n, (), next(s)) for j, n in enumerate(kids))
        sections.append(section(numbers[i], first, children, next(s)))
    return Plan(
        meta=Meta(subject=f"Kế hoạch {words(4)}", year=2026),
        bases=tuple(Base(f"C{k} {words(6)}") for k in range(1, 4)),
        sections=tuple(sections),
        tasks=tuple(Task(f"t{k}", f"J{k} {words(4)}") for k in range(1, 4)),
    )


def section_indexes(plan: Plan) -> list[Index]:
    out: list[Index] = []
    for i, s in enumerate(plan.sections):
        out.append((i,))
        out.extend((i, j) for j in range(len(s.children)))
    return out


def get_section(plan: Plan, idx: Index) -> Section:
    s = plan.sections[idx[0]]
    return s.children[idx[1]] if len(idx) > 1 else s


def put_section(plan: Plan, idx: Index, new: Section) -> Plan:
    top = list(plan.sections)
    if len(idx) == 1:
        top[idx[0]] = new
    else:
        kids = list(top[idx[0]].children)
        kids[idx[1]] = new
        top[idx[0]] = replace(top[idx[0]], children=tuple(kids))
    return replace(plan, sections=tuple(top))


OPS = (
    "edit_block",
    "add_block",
    "delete_block",
    "edit_title",
    "edit_task_title",
    "edit_task_progress",
    "edit_base",
    "add_base",
    "delete_base",
    "edit_subject",
)


def apply_op(plan: Plan, op: str, a: int, b: int, words: Words, side: str, n: int) -> Plan:
    idxs = section_indexes(plan)
    idx = idxs[a % len(idxs)]
    sec = get_section(plan, idx)
    blocks = list(sec.blocks)
    if op == "edit_block" and blocks:
        k = b % len(blocks)
        blocks[k] = replace(blocks[k], text=f"{blocks[k].text} {words(2)}")
    elif op == "add_block":
        blocks.insert(b % (len(blocks) + 1), Block("paragraph", f"{side}{n} {words(6)}"))
    elif op == "delete_block" and blocks:
        del blocks[b % len(blocks)]
    elif op == "edit_title":
        return put_section(plan, idx, replace(sec, title=f"{sec.title} {words(1)}"))
    elif op in ("edit_task_title", "edit_task_progress"):
        tasks = list(plan.tasks)
        k = a % len(tasks)
        if op == "edit_task_title":
            tasks[k] = replace(tasks[k], title=f"{tasks[k].title} {words(1)}")
        else:
            tasks[k] = replace(tasks[k], progress=1 + b % 100)
        return replace(plan, tasks=tuple(tasks))
    elif op in ("edit_base", "add_base", "delete_base"):
        bases = list(plan.bases)
        if op == "edit_base" and bases:
            k = b % len(bases)
            bases[k] = replace(bases[k], text=f"{bases[k].text} {words(2)}")
        elif op == "add_base":
            bases.insert(b % (len(bases) + 1), Base(f"{side}C{n} {words(6)}"))
        elif op == "delete_base" and bases:
            del bases[b % len(bases)]
        return replace(plan, bases=tuple(bases))
    elif op == "edit_subject":
        return replace(plan, meta=replace(plan.meta, subject=f"{plan.meta.subject} {words(1)}"))
    return put_section(plan, idx, replace(sec, blocks=tuple(blocks)))


def edited(base: Plan, ops: list[tuple[str, int, int]], side: str) -> Plan:
    words = Words(side.lower())
    plan = base
    for n, (op, a, b) in enumerate(ops, start=1):
        plan = apply_op(plan, op, a, b, words, side, n)
    return plan


def block_map(plan: Plan) -> dict[str, tuple[str, str]]:
    """token → (the token of its section's title, text) for every block of the plan."""
    out = {}
    for _, s in plan.iter_sections():
        for b in s.blocks:
            out[b.text.split()[0]] = (s.title.split()[0], b.text)
    return out


def token_map(items: Iterator[str]) -> dict[str, str]:
    return {text.split()[0]: text for text in items}


def titles(plan: Plan) -> dict[str, str]:
    return token_map(s.title for _, s in plan.iter_sections())


def rewrites(base: list[str], side: list[str]) -> dict[str, str]:
    """The merge's one identity rule the tokens cannot show: between two elements both lists
    keep, as many elements gone as new ones are rewrites of them, in order (old → new token)."""
    kept = [k for k in base if k in side]
    out = {}
    b0 = s0 = -1
    for k in [*kept, None]:
        b1 = base.index(k) if k else len(base)
        s1 = side.index(k) if k else len(side)
        gone = [x for x in base[b0 + 1 : b1] if x not in side]
        new = [x for x in side[s0 + 1 : s1] if x not in base]
        if gone and len(gone) == len(new):
            out.update(zip(gone, new, strict=True))
        b0, s0 = b1, s1
    return out


def rewritten_by_both(base: Plan, mine: Plan, theirs: Plan) -> dict[str, str]:
    """Block and Căn cứ tokens both sides rewrote in place → mine's new token."""
    out = {}

    def lists(plan: Plan) -> dict[str, list[str]]:
        found = {
            s.title.split()[0]: [b.text.split()[0] for b in s.blocks]
            for _, s in plan.iter_sections()
        }
        found["bases"] = [b.text.split()[0] for b in plan.bases]
        return found

    lb, lm, lt = lists(base), lists(mine), lists(theirs)
    for where, tokens in lb.items():
        rm, rt = rewrites(tokens, lm[where]), rewrites(tokens, lt[where])
        out.update({k: rm[k] for k in rm.keys() & rt.keys()})
    return out


def three_way(
    base: dict[str, object],
    mine: dict[str, object],
    theirs: dict[str, object],
    merged: dict,
    both: dict[str, str] | None = None,
) -> set[str]:
    """Check one map of identities; return the identities both sides changed differently
    (`both`: rewritten by both, a collision whose mine's new element waits for the choice)."""
    both = both or {}
    collide = set()
    for k, b in base.items():
        m, t = mine.get(k), theirs.get(k)
        if k in both or (m != b and t != b and m != t):
            collide.add(k)
            continue
        want = m if m != b else t
        assert merged.get(k) == want, (k, b, m, t, merged.get(k))
    waiting = {both[k] for k in collide if k in both}
    for side in (mine, theirs):
        for k, v in side.items():
            if k not in base and not (side is mine and k in waiting):
                assert merged.get(k) == v, (k, v, merged.get(k))
    return collide


op_lists = st.lists(
    st.tuples(st.sampled_from(OPS), st.integers(0, 50), st.integers(0, 50)), max_size=8
)
shapes = st.lists(st.lists(st.integers(0, 3), min_size=1, max_size=3), min_size=1, max_size=3)


@settings(max_examples=300, deadline=None)
@given(shape=shapes, mine_ops=op_lists, theirs_ops=op_lists)
def test_merge_keeps_every_change_that_does_not_collide(shape, mine_ops, theirs_ops):
    base = make_base(shape, Words("g"))
    mine = edited(base, mine_ops, "M")
    theirs = edited(base, theirs_ops, "T")
    result = merge_plans(base, mine, theirs)
    merged = result.plan
    event(f"collisions: {min(len(result.collisions), 3)}")

    # Blocks: every change of one side is in the result, in the section it was made in.
    both = rewritten_by_both(base, mine, theirs)
    want = three_way(block_map(base), block_map(mine), block_map(theirs), block_map(merged), both)
    titles_want = three_way(titles(base), titles(mine), titles(theirs), titles(merged))
    bases_want = three_way(
        token_map(b.text for b in base.bases),
        token_map(b.text for b in mine.bases),
        token_map(b.text for b in theirs.bases),
        token_map(b.text for b in merged.bases),
        both,
    )
    task_want = set()
    for field in ("title", "progress"):
        maps = [{t.id: getattr(t, field) for t in p.tasks} for p in (base, mine, theirs, merged)]
        task_want |= {f"{k}/{field}" for k in three_way(*maps)}
    subject = [p.meta.subject for p in (base, mine, theirs)]
    if len(set(subject)) == 3:
        subject_want = {"subject"}
    else:
        subject_want = set()
        assert merged.meta.subject == (subject[1] if subject[1] != subject[0] else subject[2])

    # Collisions: exactly where both sides changed the same thing differently.
    got_blocks, got_titles, got_bases, got_tasks, got_subject = set(), set(), set(), set(), set()
    for c in result.collisions:
        first = (c.base or "").split()[0]
        if "/b/" in c.key:
            got_blocks.add(first)
        elif c.key.endswith("/title") and c.key.startswith("s/"):
            got_titles.add(first)
        elif c.key.startswith("bases/"):
            got_bases.add(first)
        elif c.key.startswith("task/"):
            tid = base.tasks[int(c.key.split("/")[1])].id
            got_tasks.add(f"{tid}/{c.key.rsplit('/', 1)[1]}")
        elif c.key == "meta/subject":
            got_subject.add("subject")
        else:
            raise AssertionError(f"unexpected collision {c}")
    assert got_blocks == want
    assert got_titles == titles_want
    assert got_bases == bases_want
    assert got_tasks == task_want
    assert got_subject == subject_want

    # Blocks of the base that survive keep their order in every section.
    order = list(block_map(base))
    for _, s in merged.iter_sections():
        kept = [b.text.split()[0] for b in s.blocks if b.text.split()[0] in order]
        assert kept == sorted(kept, key=order.index)

    # Every collision settled as mine gives mine's text there (nothing of mine is dropped).
    everything_mine = resolve(result, {c.key: MINE for c in result.collisions})
    for k in want:
        assert block_map(everything_mine).get(k) == block_map(mine).get(k)
    settled = set(block_map(everything_mine)) | {b.text.split()[0] for b in everything_mine.bases}
    assert set(both.values()) <= settled
    for settled_plan in (merged, everything_mine):  # what is saved loads back as it is
        assert plan_to_dict(plan_from_dict(plan_to_dict(settled_plan))) == plan_to_dict(
            settled_plan
        )
    everything_theirs = resolve(result, {c.key: THEIRS for c in result.collisions})
    assert plan_to_dict(everything_theirs) == plan_to_dict(merged)


@settings(max_examples=100, deadline=None)
@given(shape=shapes, ops=op_lists)
def test_merge_with_an_unchanged_side_or_the_same_edit(shape, ops):
    base = make_base(shape, Words("g"))
    x = edited(base, ops, "M")
    for mine, theirs in ((base, x), (x, base), (x, x)):
        result = merge_plans(base, mine, theirs)
        assert result.collisions == ()
        assert plan_to_dict(result.plan) == plan_to_dict(x)
    if plan_to_dict(x) != plan_to_dict(base):
        assert merge_plans(base, base, x).incoming  # what came in is told
    assert merge_plans(base, x, base).incoming == ()


# ---------------------------------------------------------------- examples, one per kind


def sample() -> Plan:
    return make_base([[3, 2], [2]], Words("g"))


def set_block(plan: Plan, idx: Index, k: int, text: str) -> Plan:
    sec = get_section(plan, idx)
    blocks = list(sec.blocks)
    blocks[k] = replace(blocks[k], text=text)
    return put_section(plan, idx, replace(sec, blocks=tuple(blocks)))


def test_different_blocks_merge_and_incoming_names_the_place():
    base = sample()
    mine = set_block(base, (0,), 0, "B1 của tôi")
    theirs = set_block(base, (0,), 2, "B3 của đồng nghiệp")
    result = merge_plans(base, mine, theirs)
    assert result.clean
    texts = [b.text for b in result.plan.sections[0].blocks]
    assert texts[0] == "B1 của tôi" and texts[2] == "B3 của đồng nghiệp"
    assert result.incoming == ("Mục I: sửa đoạn 3",)


def test_same_block_collides_and_each_choice_settles_it():
    base = sample()
    mine = set_block(base, (0, 0), 1, base.sections[0].children[0].blocks[1].text + " mine")
    theirs = set_block(base, (0, 0), 1, base.sections[0].children[0].blocks[1].text + " theirs")
    result = merge_plans(base, mine, theirs)
    (c,) = result.collisions
    assert c.place == "Mục I.1, đoạn 2"
    assert c.mine.endswith(" mine") and c.theirs.endswith(" theirs") and c.combinable
    assert result.plan.sections[0].children[0].blocks[1].text.endswith(" theirs")
    pick = lambda choice: resolve(result, {c.key: choice}).sections[0].children[0].blocks[1]  # noqa: E731
    assert pick(MINE).text.endswith(" mine")
    assert pick(THEIRS).text.endswith(" theirs")
    assert pick(Combine("cả hai")).text == "cả hai"


def test_added_blocks_on_both_sides_are_both_kept_theirs_first():
    base = sample()
    sec = base.sections[1]
    mine = put_section(base, (1,), replace(sec, blocks=(*sec.blocks, Block(text="M mới"))))
    theirs = put_section(base, (1,), replace(sec, blocks=(*sec.blocks, Block(text="T mới"))))
    result = merge_plans(base, mine, theirs)
    assert result.clean
    assert [b.text for b in result.plan.sections[1].blocks][-2:] == ["T mới", "M mới"]
    assert result.incoming == ("Mục II: thêm đoạn 3",)


def test_deletion_applied_when_the_other_side_left_it():
    base = sample()
    sec = base.sections[0]
    theirs = put_section(base, (0,), replace(sec, blocks=sec.blocks[1:]))
    mine = set_block(base, (0,), 2, "B3 của tôi")
    result = merge_plans(base, mine, theirs)
    assert result.clean
    assert [b.text for b in result.plan.sections[0].blocks][-1] == "B3 của tôi"
    assert len(result.plan.sections[0].blocks) == 2
    assert result.incoming[0].startswith("Mục I: xóa đoạn 1 (“B3 ")


def test_deletion_against_an_edit_collides_and_nothing_is_dropped_silently():
    base = sample()
    sec = base.sections[0]
    theirs = put_section(base, (0,), replace(sec, blocks=sec.blocks[1:]))
    mine = set_block(base, (0,), 0, sec.blocks[0].text + " sửa")
    result = merge_plans(base, mine, theirs)
    (c,) = result.collisions
    assert c.theirs is None and c.mine is not None and c.mine.endswith(" sửa")
    assert resolve(result, {c.key: MINE}).sections[0].blocks[0].text.endswith(" sửa")
    assert len(resolve(result, {c.key: THEIRS}).sections[0].blocks) == 2
    assert len(resolve(result, {c.key: Combine("")}).sections[0].blocks) == 2
    assert resolve(result, {c.key: Combine("gộp")}).sections[0].blocks[0].text == "gộp"


def test_section_title_header_and_bases():
    base = sample()
    mine = replace(base, meta=replace(base.meta, subject="Trích yếu của tôi"))
    mine = put_section(mine, (1,), replace(base.sections[1], title="S3 tên mới"))
    theirs = replace(base, bases=(*base.bases, Base("Căn cứ thêm")))
    theirs = replace(theirs, meta=replace(theirs.meta, place="Thủ Dầu Một"))
    result = merge_plans(base, mine, theirs)
    assert result.clean
    p = result.plan
    assert p.meta.subject == "Trích yếu của tôi" and p.meta.place == "Thủ Dầu Một"
    assert p.sections[1].title == "S3 tên mới" and p.bases[-1].text == "Căn cứ thêm"
    assert set(result.incoming) == {"Địa danh: sửa", "Thêm căn cứ 4"}


def test_tasks_merge_field_by_field_and_collide_on_one_field():
    base = sample()
    t0 = base.tasks[0]
    mine = replace(base, tasks=(replace(t0, progress=40, status="in_progress"), *base.tasks[1:]))
    theirs = replace(
        base,
        tasks=(replace(t0, due=date(2026, 6, 30), progress=60), *base.tasks[1:], Task("t9", "X")),
    )
    result = merge_plans(base, mine, theirs)
    (c,) = result.collisions
    assert c.key == "task/0/progress" and not c.combinable
    assert c.mine == "40%" and c.theirs == "60%"
    task = result.plan.tasks[0]
    assert (task.status, task.due, task.progress) == ("in_progress", date(2026, 6, 30), 60)
    assert resolve(result, {c.key: MINE}).tasks[0].progress == 40
    assert [t.id for t in result.plan.tasks] == ["t1", "t2", "t3", "t9"]
    assert "Thêm công việc “X”" in result.incoming


def test_one_task_id_added_on_both_sides_stays_one_task():
    base = sample()
    mine = replace(base, tasks=(*base.tasks, Task("t9", "Việc của tôi")))
    theirs = replace(base, tasks=(*base.tasks, Task("t9", "Việc của họ")))
    result = merge_plans(base, mine, theirs)
    assert [t.id for t in result.plan.tasks].count("t9") == 1
    (c,) = result.collisions
    assert resolve(result, {c.key: MINE}).tasks[-1].title == "Việc của tôi"


def test_a_move_merges_with_an_edit_elsewhere():
    base = sample()
    sec = base.sections[0]
    b1, b2, b3 = sec.blocks
    mine = put_section(base, (0,), replace(sec, blocks=(b3, b1, b2)))
    theirs = set_block(base, (0,), 0, b1.text + " sửa")
    result = merge_plans(base, mine, theirs)
    assert result.clean
    assert [b.text for b in result.plan.sections[0].blocks] == [b3.text, b1.text + " sửa", b2.text]


def test_findings_statuses_merge_by_id():
    base = sample()
    f1 = new_finding(
        "year", "Trích yếu", {"area": "meta", "field": "subject", "start": 0}, "a", "b", ""
    )
    f2 = new_finding("year", "Căn cứ 1", {"area": "bases", "index": 0, "start": 0}, "c", "d", "")
    base = store_findings(base, [f1, f2])
    mine = store_findings(base, [replace(f1, status="dismissed"), f2])
    theirs = store_findings(base, [f1, replace(f2, status="applied")])
    result = merge_plans(base, mine, theirs)
    assert result.clean
    assert [f.status for f in findings_of(result.plan)] == ["dismissed", "applied"]
    both = store_findings(base, [replace(f1, status="applied"), f2])
    clash = merge_plans(base, mine, both)
    assert [c.key for c in clash.collisions] == ["findings/0/status"]


def test_review_marks_and_block_text_merge_separately():
    base = sample()
    sec = base.sections[0]
    mine = put_section(
        base, (0,), replace(sec, blocks=(replace(sec.blocks[0], reviewed=True), *sec.blocks[1:]))
    )
    theirs = set_block(base, (0,), 0, sec.blocks[0].text + " sửa")
    result = merge_plans(base, mine, theirs)
    assert result.clean
    block = result.plan.sections[0].blocks[0]
    assert block.reviewed is True and block.text.endswith(" sửa")


def test_sections_added_on_both_sides_are_renumbered():
    base = sample()
    mine = replace(base, sections=(*base.sections, Section("III", "Mục của tôi")))
    theirs = replace(base, sections=(*base.sections, Section("III", "Mục của họ")))
    result = merge_plans(base, mine, theirs)
    assert result.clean
    assert [(s.number, s.title) for s in result.plan.sections][2:] == [
        ("III", "Mục của họ"),
        ("IV", "Mục của tôi"),
    ]


def test_a_table_cannot_be_combined_from_text():
    base = sample()
    sec = base.sections[1]
    table = Block("table", rows=(("a", "b"), ("1", "2")))
    base = put_section(base, (1,), replace(sec, blocks=(*sec.blocks, table)))
    sec = base.sections[1]
    mine = put_section(
        base,
        (1,),
        replace(sec, blocks=(*sec.blocks[:-1], replace(table, rows=(("a", "b"), ("1", "3"))))),
    )
    theirs = put_section(
        base,
        (1,),
        replace(sec, blocks=(*sec.blocks[:-1], replace(table, rows=(("a", "b"), ("1", "4"))))),
    )
    result = merge_plans(base, mine, theirs)
    (c,) = result.collisions
    assert not c.combinable
    settled = resolve(result, {c.key: Combine("chữ")}).sections[1].blocks[-1]
    assert settled.rows == (("a", "b"), ("1", "4"))  # a text cannot stand for a table


def test_a_block_both_rewrote_entirely_is_one_collision():
    base = sample()
    mine = set_block(base, (0,), 1, "Một đoạn hoàn toàn mới của tôi")
    theirs = set_block(base, (0,), 1, "Đồng nghiệp viết lại khác hẳn")
    result = merge_plans(base, mine, theirs)
    (c,) = result.collisions
    assert (c.mine, c.theirs) == ("Một đoạn hoàn toàn mới của tôi", "Đồng nghiệp viết lại khác hẳn")
    assert len(result.plan.sections[0].blocks) == 3
    assert resolve(result, {c.key: MINE}).sections[0].blocks[1].text == c.mine


def test_a_long_section_rewritten_whole_merges_in_bounded_time():
    import time

    n = 2000
    blocks = tuple(Block(text=f"Đoạn số {i} về công tác dân vận năm 2020") for i in range(n))
    base = Plan(sections=(Section("I", "A", blocks),))
    theirs = replace(
        base, sections=(Section("I", "A", tuple(Block(text=f"khác {i} hẳn") for i in range(n))),)
    )
    mine = set_block(base, (0,), 5, blocks[5].text + " sửa")
    started = time.perf_counter()
    result = merge_plans(base, mine, theirs)
    assert time.perf_counter() - started < 20  # about 2 s; unbounded look-ahead took minutes
    (c,) = result.collisions  # mine's edit against theirs' rewrite of the same paragraph
    assert c.mine == blocks[5].text + " sửa"


def test_a_field_added_to_the_model_later_is_merged_as_one_value():
    base = sample()
    table = Block("table", rows=(("Kính gửi:", "Các trường"),))
    theirs = replace(base, preamble_tables=((0, table),))
    mine = set_block(base, (0,), 0, "B3 của tôi")
    result = merge_plans(base, mine, theirs)
    assert result.clean and result.plan.preamble_tables == ((0, table),)
    assert result.plan.sections[0].blocks[0].text == "B3 của tôi"
    other = replace(base, preamble_tables=((1, table),))
    (c,) = merge_plans(base, replace(mine, preamble_tables=((0, table),)), other).collisions
    assert c.key == "plan/preamble_tables" and not c.combinable
    assert c.place == "Bảng ở phần đầu văn bản"
    assert result.incoming == ("Bảng ở phần đầu văn bản: sửa",)
