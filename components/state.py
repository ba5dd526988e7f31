"""The one module that knows session-state keys and query parameters.

Every key and URL parameter of the app is declared below, and only this module touches
`st.session_state` and `st.query_params` (tests/test_state_owner.py enforces it): pages and
widgets read and write through `get`, `put`, `pop`, `has`, `bump` and `seed` with a declared
name, or through the accessor functions here (`open_catalogue_draft`, ...).

The open plan's id lives in the URL (`?plan=<id>`), so a refresh or a shared link reopens it.
Each session remembers which version it loaded, so a save from a stale version becomes a
conflict (both versions kept) instead of overwriting someone else's work.
"""

from __future__ import annotations

import os
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import streamlit as st

from components.safe_text import md_escape
from planner.catalogue.model import Catalogue, Directive
from planner.catalogue.user_rows import catalogue_stamp, load_catalogue
from planner.errors import ConflictError, DeletedPlanError, NotFoundError, PlannerError
from planner.model import Plan
from planner.sample import sample_plan
from planner.store.plans import PlanStore, StoredPlan, default_db_key

if TYPE_CHECKING:
    from planner.auth.model import User
    from planner.review.workflow import Review

# ---------------------------------------------------------------- query parameters (the URL)
PLAN_PARAM = "plan"  # ?plan=<id>: the open plan, on every page
DIRECTIVE_PARAM = "van_ban"  # Văn bản căn cứ ?van_ban=<directive id>: show that row

# ---------------------------------------------------------------- the open plan (this module)
_LOADED = "plan.loaded"  # (plan_id, version) this session last loaded or saved
_CONFLICT = "plan.conflict"  # (plan_id, theirs_version, mine_version, message)
# Several editors at once (issue #14 item 6, components/merge_panel.py):
MERGE_PARAM = "gop"  # ?gop=<mine version>: a save with collisions awaiting choices (refresh-proof)
_MERGED = "plan.merged"  # (plan_id, notice): what an automatic merge brought in, until closed
MERGE_CACHE = "merge.cache"  # ((plan_id, base, mine, head), MergeResult, who) shown by the panel
MERGE_WIDGET = "merge."  # first part of every merge-panel widget key
MERGE_SAVE = "merge.save"  # the Lưu bản đã gộp button
MERGE_CLOSE = "merge.close"  # the notice's Đã xem button
_SAVED_AT = "plan.saved_at"  # datetime of this session's last successful save
_EPOCH = "plan.epoch"  # bumped whenever the open plan's content is replaced wholesale
_OPEN_ID = "plan.open_id"  # the open plan's id, mirrored from the URL

# ---------------------------------------------------------------- Trang chủ
HOME_CONFIRM_DELETE = "home.confirm_delete"  # id of the plan whose "Xóa" awaits a yes
NEW_YEAR_IMPORTED = "newyear.imported"  # (file digest, ImportResult) of the last .docx

# ---------------------------------------------------------------- Soạn kế hoạch
EDITOR_WIDGET = "ed"  # first part of every editor widget key (editor_session.key)
EDITOR_STRUCT = "editor.struct"  # bumped on structural edits (widget keys change)
EDITOR_ERRORS = "editor.errors"  # messages from callbacks, shown on the next run
EDITOR_NOTICE = "editor.notice"  # a short success message from a callback
EDITOR_CACHE = "editor.cache"  # ((plan_id, version), Plan) of an older version being edited
EDITOR_HISTORY_PICK = "editor.history.pick"  # version-history selectbox (a widget)
EDITOR_PREVIOUS = "editor.previous"  # (cache key, Plan | None): last year's plan

# ---------------------------------------------------------------- Soạn kế hoạch: section tree
EDITOR_AT = "editor.at"  # (plan id, index tuple of the section being edited)
EDITOR_COPY_ASK = "editor.copy_ask"  # a copy from last year waiting for the user's choice


def citation_override_key(picker: str) -> str:
    """A citation picker's chosen replacement, (original_id, replacement_id); `picker` is the
    key the caller gave the picker."""
    return f"{picker}.override"


# ---------------------------------------------------------------- Văn bản căn cứ
CATALOGUE = "catalogue."  # first part of every key of the page (widget keys too)
CATALOGUE_SECTION = "catalogue.section"  # the sub-page switcher (a widget): "search", "edit"…
CATALOGUE_PENDING = "catalogue.pending"  # a sub-page to switch to on the next run
CATALOGUE_SELECTED = "catalogue.selected"  # id of the row shown in detail
CATALOGUE_KEEP = "catalogue.keep"  # a link or the URL chose the row: the search keeps it
CATALOGUE_FROM_URL = "catalogue.from_url"  # the ?van_ban= already shown (shown once)
CATALOGUE_LAST_QUERY = "catalogue.last_query"  # (query, filters) of the last search
CATALOGUE_SEARCH_NO = "catalogue.search_no"  # bumped per new search: a fresh results table
CATALOGUE_LAST_ROW = "catalogue.last_row"  # id of the row last picked in the table
CATALOGUE_DRAFT = "catalogue.draft"  # a Directive prefilling the add/edit form
CATALOGUE_FORM_EPOCH = "catalogue.form_epoch"  # bumped per new draft: a fresh form
CATALOGUE_FLASH = "catalogue.flash"  # a success message shown once on the next run

# ---------------------------------------------------------------- Văn bản căn cứ: issue #12 pages
# (catalogue_search, catalogue_form, catalogue_import, catalogue_harvest, citation_picker)
CATALOGUE_WEAK_CONFIRM = "catalogue.weak_confirm"  # id of a weak hit whose adding awaits a yes
CATALOGUE_DRAFT_BASE = "catalogue.draft_base"  # (row id, head version) the edit form opened
CATALOGUE_ROW_CONFLICT = "catalogue.row_conflict"  # (row id, theirs, mine, message)
CATALOGUE_IMPORT_N = "catalogue.import_n"  # bumped after an import: a fresh uploader
HARVEST_OPEN = "harvest.open"  # digest of the .docx whose uncatalogued citations are shown
HARVEST_N = "harvest.n"  # bumped after rows are added: a fresh review table

# ---------------------------------------------------------------- Tiến độ, Trình chiếu, Xuất
PROGRESS_FLASH = "progress.flash"  # a success message shown once on the next run
PROGRESS_UPLOAD_N = "progress.upload_n"  # bumped after reports are applied: a fresh uploader
MEETING_SLIDE = "meeting.slide"  # index of the slide shown
EXPORT_BUILT = "export.built"  # {"key", "docx", "findings", "pdf"} of the last document built


# ---------------------------------------------------------------- session values
def get(key: str, default: Any = None) -> Any:
    """The session's value under `key` (a name declared above, or a widget key), or `default`."""
    return st.session_state.get(key, default)


def put(key: str, value: Any) -> None:
    st.session_state[key] = value


def pop(key: str, default: Any = None) -> Any:
    """Remove `key` and return its value (or `default`)."""
    return st.session_state.pop(key, default)


def widget_value(key: str) -> Any:
    """The value of the widget under `key`; it must exist (a widget's own callback)."""
    return st.session_state[key]


def has(key: str) -> bool:
    """True when the session holds `key`. A lookup, not `in`: Streamlit's proxy has no
    `__contains__`, so `in` walks the whole state (quadratic over a long section)."""
    try:
        st.session_state[key]
    except KeyError:
        return False
    return True


def bump(key: str) -> int:
    """Add one to the counter under `key` (0 when unset); the new value."""
    value = int(st.session_state.get(key, 0)) + 1
    st.session_state[key] = value
    return value


def seed(key: str, value: Any) -> None:
    """Give a widget its starting value once: the value lives in session state, so the
    widget's identity never depends on the text and typing is never reset."""
    if not has(key):
        st.session_state[key] = value


def open_catalogue_draft(draft: Directive | None, *, base_version: int | None = None) -> None:
    """Show *Văn bản căn cứ*'s add/edit form prefilled with `draft` (a Directive, or None for
    an empty form) on its next run; the editor's "Thêm vào danh mục…" uses this too.
    `base_version`: the user row's newest version when it was opened (0: none yet), so that a
    save over someone else's newer edit becomes a conflict (`catalogue_form`)."""
    st.session_state[CATALOGUE_DRAFT] = draft
    if draft is not None and base_version is not None:
        st.session_state[CATALOGUE_DRAFT_BASE] = (draft.id, base_version)
    else:
        st.session_state.pop(CATALOGUE_DRAFT_BASE, None)
    st.session_state[CATALOGUE_SECTION] = "edit"
    bump(CATALOGUE_FORM_EPOCH)


def wanted_directive() -> str | None:
    """The URL's `?van_ban=` (a directive id to show), or None."""
    return st.query_params.get(DIRECTIVE_PARAM) or None


@st.cache_resource(show_spinner=False)
def _store_for(path: str) -> PlanStore:
    return PlanStore(path)


def get_store() -> PlanStore:
    """The store at `PLANNER_DB` (a file or a postgresql:// URL; else `.data/planner.db`),
    opened once per location. In server mode every call is checked against the signed-in
    user's role and unit, and audited (`GuardedStore`, the same surface)."""
    store = _store_for(default_db_key())
    if not server_mode():
        return store
    from planner.auth.guarded import GuardedStore

    if current_user() is None:  # app.py stops before this; never fall back to "allow all"
        raise PlannerError("Cần đăng nhập để dùng Soạn Kế hoạch.")
    guarded: PlanStore = GuardedStore(store, current_user())  # type: ignore[assignment]
    return guarded


def base_store() -> PlanStore:
    """The store itself, unchecked: only for resolving the signed-in user (auth_panel)."""
    return _store_for(default_db_key())


@st.cache_resource(show_spinner=False, max_entries=4)
def _catalogue_for(path: str, stamp: str) -> Catalogue:
    return load_catalogue(_store_for(path))


def get_catalogue() -> Catalogue:
    """The shipped catalogue merged with the user's rows in storage; cached, and rebuilt
    whenever the user's rows change (the key includes their count and last update)."""
    # Every signed-in user may read the catalogue: the stamp reads the store itself.
    return _catalogue_for(default_db_key(), catalogue_stamp(base_store()))


def invalidate_catalogue() -> None:
    """Drop the cached catalogue (call after writing the user's rows)."""
    _catalogue_for.clear()


def today() -> date:
    """Today's date for the UI; `PLANNER_TODAY=YYYY-MM-DD` fixes it for tests and demos."""
    fixed = os.environ.get("PLANNER_TODAY")
    return date.fromisoformat(fixed) if fixed else date.today()


def now() -> datetime:
    """The current time (seconds), on `PLANNER_TODAY`'s date when that is set."""
    current = datetime.now().replace(microsecond=0)
    fixed = os.environ.get("PLANNER_TODAY")
    return datetime.combine(date.fromisoformat(fixed), current.time()) if fixed else current


def current_plan_id() -> str | None:
    """The open plan: the URL's `?plan=` (a refresh or a shared link), else this session's.

    Streamlit's page menu drops query parameters when it switches pages, so the session's
    copy puts the id back into the URL on the next run.
    """
    from_url = st.query_params.get(PLAN_PARAM) or None
    if from_url:
        st.session_state[_OPEN_ID] = from_url
        return from_url
    kept = st.session_state.get(_OPEN_ID)
    if kept:
        st.query_params[PLAN_PARAM] = kept
    return kept


def open_plan(plan_id: str | None) -> None:
    """Make `plan_id` the open plan (or close it with None); the URL carries it."""
    if plan_id != st.session_state.get(_OPEN_ID) and MERGE_PARAM in st.query_params:
        del st.query_params[MERGE_PARAM]  # a choice waiting in another plan is not this one's
    if plan_id:
        st.query_params[PLAN_PARAM] = plan_id
        st.session_state[_OPEN_ID] = plan_id
    else:
        st.session_state.pop(_OPEN_ID, None)
        if PLAN_PARAM in st.query_params:
            del st.query_params[PLAN_PARAM]
    st.session_state.pop(_LOADED, None)
    st.session_state.pop(_CONFLICT, None)
    bump_epoch()


def widget_epoch() -> int:
    """Include this in editor widget keys: it changes when the plan is replaced wholesale
    (another plan opened, a version restored, a conflict resolved), so no widget keeps
    showing text from the content that was replaced."""
    return int(st.session_state.get(_EPOCH, 0))


def bump_epoch() -> None:
    st.session_state[_EPOCH] = widget_epoch() + 1


def restore_version(version: int) -> None:
    """Make an earlier version of the open plan the newest (as a new version)."""
    plan_id = current_plan_id()
    if not plan_id:
        return
    new = get_store().restore_version(plan_id, version, now=now())
    st.session_state[_LOADED] = (plan_id, new)
    bump_epoch()


def open_sample_on_first_run() -> None:
    """On a store that has never held a plan, open the built-in sample so that the app starts
    on it (`make run`). `PLANNER_NO_SAMPLE=1` turns this off (tests start empty)."""
    if os.environ.get("PLANNER_NO_SAMPLE") == "1" or current_plan_id():
        return
    store = get_store()
    if store.list_plans(include_deleted=True):
        return
    open_plan(store.create(sample_plan(), now=now()))


def load_current() -> StoredPlan | None:
    """The open plan's newest version, or None (a stale or unknown id in the URL is dropped)."""
    plan_id = current_plan_id()
    if not plan_id:
        return None
    try:
        stored = get_store().open(plan_id)
    except NotFoundError:
        open_plan(None)
        st.warning(
            "Kế hoạch trong đường dẫn không còn tồn tại. Hãy chọn kế hoạch khác ở Trang chủ."
        )
        return None
    loaded = st.session_state.get(_LOADED)
    if loaded is None or loaded[0] != plan_id:
        st.session_state[_LOADED] = (plan_id, stored.version)
    return stored


def loaded_version() -> int | None:
    """The version this session works from (None when no plan is open)."""
    loaded = st.session_state.get(_LOADED)
    return loaded[1] if loaded and loaded[0] == current_plan_id() else None


def require_plan() -> StoredPlan:
    """The open plan; without one, a hint pointing to Trang chủ and the page stops."""
    stored = load_current()
    if stored is None:
        st.info("Chưa mở kế hoạch nào. Hãy mở hoặc tạo một kế hoạch ở Trang chủ.")
        st.page_link("views/home.py", label="Về Trang chủ", icon=":material/home:")
        st.stop()
    return stored


def save_current(plan: Plan, *, note: str = "") -> bool:
    """Save `plan` as a new version of the open plan; False (message shown) on conflict/error."""
    plan_id = current_plan_id()
    if not plan_id:
        st.error("Chưa mở kế hoạch nào nên chưa lưu được.")
        return False
    base = loaded_version()
    store = get_store()
    try:
        if base is None:
            base = store.open(plan_id).version
        new = store.save(plan_id, plan, base_version=base, now=now(), note=note)
    except ConflictError as e:
        st.session_state.pop(_BINNED, None)  # out of the bin: the conflict version keeps it
        return _merge_after_conflict(plan_id, plan, base, e)
    except DeletedPlanError as e:
        message = BINNED_MESSAGE.format(title=e.title or plan_id)
        st.session_state[_BINNED] = (plan_id, plan, message)  # kept: see show_binned
        return False
    except PlannerError as e:
        st.error(md_escape(str(e)))
        return False
    _saved(plan_id, new)
    return True


def last_saved_at() -> datetime | None:
    return st.session_state.get(_SAVED_AT)


def pending_conflict() -> tuple[int, int] | None:
    """(theirs_version, mine_version) while this session's last save of the open plan is an
    unresolved conflict, else None (the editor keeps working on "mine" meanwhile)."""
    conflict = st.session_state.get(_CONFLICT)
    if not conflict or conflict[0] != current_plan_id():
        return None
    return conflict[1], conflict[2]


def show_conflict() -> None:
    """What another session's save did to this session's work: an automatic merge told (what
    came in, from whom), or the places both changed, side by side, to choose
    (`components/merge_panel.py`). Also a save refused because the plan went to the bin."""
    show_binned()
    plan_id = current_plan_id()
    if not plan_id:
        return
    from components import merge_panel

    merged = st.session_state.get(_MERGED)
    if merged and merged[0] == plan_id:
        merge_panel.show_notice(merged[1])
    conflict = st.session_state.get(_CONFLICT)
    if not conflict or conflict[0] != plan_id:
        conflict = _conflict_from_url(plan_id)
    if conflict:
        if st.query_params.get(MERGE_PARAM) != str(conflict[2]):
            st.query_params[MERGE_PARAM] = str(conflict[2])  # the page menu drops it
        merge_panel.show_collisions(plan_id, conflict[2])


# ---------------------------------------------------------------- merging (issue #14 item 6)
# A save made from an older version than the newest: the two are merged (drafting/merge.py).
# Without a collision the merge is saved at once and the user told what came in; with
# collisions the conflict version (the user's text, already stored) waits in the URL
# (`?gop=`) and the panel asks for a choice at each place, so a refresh brings it back.
MERGE_TRIES = 3  # merges tried while others keep saving before the user is asked


def _merge_after_conflict(plan_id: str, plan: Plan, base: int, e: ConflictError) -> bool:
    """Merge this session's `plan` (made from `base`, refused as the conflict version
    `e.mine_version`) with the newest version; True when the merge was saved."""
    from components import merge_panel
    from planner.drafting.merge import merge_plans

    store = get_store()
    previous = st.session_state.get(_CONFLICT)
    try:
        base_plan = store.open_version(plan_id, base)
        for _ in range(MERGE_TRIES):
            head = store.open(plan_id)
            result = merge_plans(base_plan, plan, head.plan)
            if result.collisions:
                break
            who = merge_panel.authors(plan_id, base, head.version)
            try:
                new = store.save(
                    plan_id,
                    result.plan,
                    base_version=head.version,
                    now=now(),
                    note=merge_panel.merge_note(who, head.version),
                )
            except ConflictError as again:  # someone saved meanwhile: merge with that too
                store.resolve_conflict(plan_id, again.mine_version, now=now())
                continue
            store.resolve_conflict(plan_id, e.mine_version, now=now())
            _saved(plan_id, new)  # settles this session's earlier conflict version too
            st.session_state[_MERGED] = (
                plan_id,
                merge_panel.merged_notice(who, head.version, result.incoming),
            )
            bump_epoch()  # the editor's boxes show the merged text
            return True
    except PlannerError:
        pass  # the merge could not be tried: the user chooses (the panel says why)
    _settle_superseded(previous, plan_id, keep=e.mine_version)
    st.session_state[_CONFLICT] = (plan_id, e.theirs_version, e.mine_version, str(e))
    st.query_params[MERGE_PARAM] = str(e.mine_version)
    return False


def _saved(plan_id: str, new: int) -> None:
    """This session's save of `plan_id` became version `new`: any conflict is over."""
    previous = st.session_state.get(_CONFLICT)
    st.session_state[_LOADED] = (plan_id, new)
    st.session_state[_SAVED_AT] = now()
    st.session_state.pop(_CONFLICT, None)
    st.session_state.pop(_BINNED, None)
    if MERGE_PARAM in st.query_params:
        del st.query_params[MERGE_PARAM]
    _settle_superseded(previous, plan_id)


def _settle_superseded(
    previous: tuple[str, int, int, str] | None, plan_id: str, keep: int | None = None
) -> None:
    """Mark this session's earlier conflict version settled: a later save holds its text."""
    if not previous or previous[0] != plan_id or previous[2] == keep:
        return
    try:
        get_store().resolve_conflict(plan_id, previous[2], now=now())
    except PlannerError:
        pass  # already settled, or gone: nothing to keep waiting


def _conflict_from_url(plan_id: str) -> tuple[str, int, int, str] | None:
    """After a refresh: the URL's `?gop=` names this user's conflict version still waiting
    for choices; the session works from its base again. Anything else drops the parameter."""
    raw = st.query_params.get(MERGE_PARAM)
    if not raw:
        return None
    try:
        mine = int(raw)
        info = next((v for v in get_store().versions(plan_id) if v.version == mine), None)
    except (ValueError, PlannerError):
        info = None
    user = current_user()
    someone_else = user is not None and info is not None and info.author not in (None, user.name)
    if info is None or not info.conflict or info.resolved or info.based_on is None or someone_else:
        del st.query_params[MERGE_PARAM]  # a link passed on does not hand over the choice
        return None
    conflict = (plan_id, info.based_on, mine, "")
    st.session_state[_CONFLICT] = conflict
    st.session_state[_LOADED] = (plan_id, info.based_on)
    return conflict


def merge_pending() -> tuple[str, int, int] | None:
    """(plan_id, base version, mine version) of the open plan's save waiting for choices."""
    conflict = st.session_state.get(_CONFLICT)
    loaded = st.session_state.get(_LOADED)
    if not conflict or conflict[0] != current_plan_id() or not loaded or loaded[0] != conflict[0]:
        return None
    return conflict[0], loaded[1], conflict[2]


def save_merged(plan_id: str, plan: Plan, head_version: int, note: str) -> bool:
    """Save the plan the user settled in the merge panel, made from `head_version`: True when
    saved; someone saving meanwhile makes it merge again (or ask again)."""
    st.session_state[_LOADED] = (plan_id, head_version)
    saved = save_current(plan, note=note)
    if saved:
        bump_epoch()
    return saved


def close_merged_notice() -> None:
    st.session_state.pop(_MERGED, None)


def show_merged_notice(plan_id: str, notice: str) -> None:
    """Have `show_conflict` tell `notice` (until closed)."""
    st.session_state[_MERGED] = (plan_id, notice)


# ---------------------------------------------------------------- a save into a plan in the bin
# (issue #15: another session moved the open plan to the bin; nothing typed is lost)
_BINNED = "plan.binned"  # (plan_id, Plan this session tried to save, the refusal's message)
BINNED_RESTORE = "binned.restore"  # the Khôi phục kế hoạch button
BINNED_COPY = "binned.copy"  # the Lưu thành bản sao button
BINNED_MESSAGE = (
    "Kế hoạch “{title}” đã được chuyển vào thùng rác (có thể từ một máy hoặc một thẻ trình "
    "duyệt khác) nên thay đổi vừa rồi chưa được lưu. Nội dung bạn vừa soạn vẫn được giữ: chọn "
    "“Khôi phục kế hoạch” để đưa kế hoạch ra khỏi thùng rác và lưu nội dung này, hoặc “Lưu "
    "thành bản sao” để lưu thành một kế hoạch mới."
)


def pending_binned_save() -> Plan | None:
    """The plan this session tried to save into the open plan after it was moved to the bin
    (edits keep building on it until the user restores the plan or saves a copy), or None."""
    binned = st.session_state.get(_BINNED)
    if not binned or binned[0] != current_plan_id():
        return None
    plan: Plan = binned[1]
    return plan


def show_binned() -> None:
    """If this session's last save was refused because the plan is in the bin, say so and
    offer to restore the plan (then the session's plan is saved) or save it as a new plan."""
    binned = st.session_state.get(_BINNED)
    if not binned or binned[0] != current_plan_id():
        return
    plan_id, plan, message = binned
    st.error(md_escape(message), icon=":material/delete:")
    restore, copy = st.columns(2)
    if restore.button(
        "Khôi phục kế hoạch", key=BINNED_RESTORE, type="primary", icon=":material/restore:"
    ):
        try:
            get_store().restore(plan_id, now=now())
        except PlannerError as e:
            st.error(md_escape(str(e)))
            return
        # Saved, or kept as a conflict version when someone saved since (show_conflict).
        save_current(plan, note="Lưu sau khi khôi phục từ thùng rác")
        bump_epoch()
        st.rerun()
    if copy.button("Lưu thành bản sao", key=BINNED_COPY, icon=":material/file_copy:"):
        store = get_store()
        try:
            title = f"{store.open(plan_id).title} (bản sao)"
            new_id = store.create(plan, now=now(), title=title)
        except PlannerError as e:
            st.error(md_escape(str(e)))
            return
        st.session_state.pop(_BINNED, None)
        open_plan(new_id)
        st.rerun()


# ---------------------------------------------------------------- what loading repaired
# (issue #15: broken references repaired on load, `Plan.notes`, told once per plan)
_NOTES_SHOWN = "plan.notes_shown"  # {(plan_id, notes)} already told in this session


def show_load_notes(stored: StoredPlan) -> None:
    """Once per plan and session: a warning listing what loading the plan repaired (a task
    linked to a section that is gone, a finding pointing nowhere); saved with the next edit."""
    notes = stored.plan.notes
    shown: set[tuple[str, tuple[str, ...]]] = st.session_state.get(_NOTES_SHOWN) or set()
    if not notes or (stored.id, notes) in shown:
        return
    st.session_state[_NOTES_SHOWN] = shown | {(stored.id, notes)}
    prefix = f"Tệp kế hoạch {stored.id} trong cơ sở dữ liệu: "  # the store's source name
    lines = "\n".join(f"- {md_escape(note.removeprefix(prefix))}" for note in notes)
    st.warning(
        "Khi mở kế hoạch, chương trình đã tự sửa những chỗ sau (được lưu cùng lần sửa tiếp "
        f"theo):\n\n{lines}",
        icon=":material/build:",
    )


# ---------------------------------------------------------------- readiness links, new plan
# (export page → editor at a place; Trang chủ's new-plan form)
EDITOR_VIEW = "editor.view"  # the editor's part switcher (a widget): "content", "header"…
EDITOR_GOTO = "editor.goto"  # (plan id, view, section index tuple | None), read once
EXPORT_FINAL = "export.final"  # the "Xuất bản chính thức" confirmation (a widget)
NEW_PLAN = "home.new_plan"  # first part of every key of Trang chủ's new-plan form


def open_editor_at(view: str, at: tuple[int, ...] | None = None) -> None:
    """Have *Soạn kế hoạch* show its part `view` ("content", "header", "closing",
    "findings") and, for "content", the section at index path `at` ((1, 0) for II.1) on its
    next run; the caller then switches page. Only the open plan is concerned."""
    st.session_state[EDITOR_GOTO] = (current_plan_id(), view, at)


def take_editor_goto() -> None:
    """The editor calls this before drawing its part switcher: a pending `open_editor_at`
    becomes the switcher's value and the section being edited (remembered per plan, as the
    section tree does), once."""
    goto = st.session_state.pop(EDITOR_GOTO, None)
    if not goto or goto[0] != current_plan_id():
        return
    plan_id, view, at = goto
    st.session_state[EDITOR_VIEW] = view
    if at:
        st.session_state[EDITOR_AT] = (plan_id, tuple(int(i) for i in at))


# ---------------------------------------------------------------- Tiến độ: task grid and form
# (issue #16: filters kept from dropping unsaved edits, a Vietnamese add form)
PROGRESS_FILTER_UNITS = "progress.filter.units"  # the unit filter (a widget)
PROGRESS_FILTER_STATUS = "progress.filter.status"  # the status filter (a widget)
PROGRESS_FILTER_OVERDUE = "progress.filter.overdue"  # "Chỉ việc quá hạn" (a widget)
PROGRESS_GRID = "progress.grid"  # first part of the task grid's widget key
PROGRESS_GRID_N = "progress.grid_n"  # bumped when the grid's unsaved edits are dropped
PROGRESS_ADD = "progress.add"  # first part of the add-task form's widget keys
PROGRESS_ADD_N = "progress.add_n"  # bumped after a task is added: a fresh, empty form


def grid_pending(key: str) -> int:
    """How many rows the data editor under `key` holds edits for (edited, added or deleted
    rows not yet applied by the page); 0 before its first edit."""
    value = st.session_state.get(key)
    if not isinstance(value, dict):
        return 0
    return (
        len(value.get("edited_rows") or {})
        + len(value.get("added_rows") or [])
        + len(value.get("deleted_rows") or [])
    )


# ---------------------------------------------------------------- Trình chiếu: presenter's mode
# (issue #16: keyboard and clicker navigation, a chosen "tính đến" date, the viewport's size)
MEETING_PREV = "meeting_prev"  # the Trang trước button; the key script clicks .st-key-meeting_prev
MEETING_NEXT = "meeting_next"  # the Trang sau button; the key script clicks .st-key-meeting_next
MEETING_KEYS = "meeting_keys"  # the presenter component: reports the window's {w, h}


def meeting_as_of_key(plan_id: str) -> str:
    """The presenter's "tính đến" date widget for `plan_id` (each plan keeps its own)."""
    return f"meeting.as_of.{plan_id}"


# ---------------------------------------------------------------- Trang chủ: Word import report
# (issue #11: what the .docx gave, checked before anything is saved; Tiếp tục / Hủy)
NEW_YEAR_SAVED = "newyear.saved"  # (file digest, plan id) of the .docx Tiếp tục saved
NEW_YEAR_UPLOAD_N = "newyear.upload_n"  # bumped by Hủy: a fresh, empty uploader
NEW_YEAR_FLASH = "newyear.flash"  # a message shown once on the next run (after Hủy)
NEW_YEAR_DOCX = "newyear.docx"  # the .docx uploader's key (a suffix after each Hủy)
NEW_YEAR_CONTINUE = "newyear.import.continue"  # the report's Tiếp tục button
NEW_YEAR_CANCEL = "newyear.import.cancel"  # the report's Hủy button


def new_year_upload_key() -> str:
    """The .docx uploader's widget key: `newyear.docx`, then a new one after each Hủy (a
    file uploader's value cannot be set, only a fresh widget drops the file)."""
    n = int(st.session_state.get(NEW_YEAR_UPLOAD_N, 0))
    return NEW_YEAR_DOCX if n == 0 else f"{NEW_YEAR_DOCX}.{n}"


# ---------------------------------------------------------------- the signed-in user (server mode)
# (issue #14: `make serve` sets PLANNER_MODE=server; app.py resolves the user from the session
# the sign-in gate validated before anything else is drawn, on every run)
_USER = "auth.user"  # the User app.py resolved on this run (server mode only)
SERVER_MODE_ENV = "PLANNER_MODE"


def server_mode() -> bool:
    """True under `make serve` (`PLANNER_MODE=server`): every page needs a signed-in user."""
    return os.environ.get(SERVER_MODE_ENV, "").strip().lower() == "server"


def current_user() -> User | None:
    """The signed-in user (server mode), or None in personal mode (`make run`), where
    everything is allowed. app.py sets it on every run before any page is drawn."""
    if not server_mode():
        return None
    user: User | None = st.session_state.get(_USER)
    return user


def set_current_user(user: User | None) -> None:
    """Remember the user app.py resolved for this run (None: nobody is signed in)."""
    if user is None:
        st.session_state.pop(_USER, None)
    else:
        st.session_state[_USER] = user


# ---------------------------------------------------------------- review and comments (server mode)
# (issue #14 item 5: Trình duyệt / Duyệt / Trả lại, góp ý on a block; components/review_panel.py
# and components/comments.py; nothing of it is drawn in personal mode)
REVIEW_FLASH = "review.flash"  # a success message shown once on the next run
REVIEW_ERROR = "review.error"  # a refusal from a callback, shown on the next run
REVIEW_REASON = "review.reason"  # the Trả lại reason box (a widget)
REVIEW_COMMENT_BLOCK = "review.comment.block"  # first part of the "Góp ý vào" pickers' keys
REVIEW_COMMENT_TEXT = "review.comment.text"  # first part of the góp ý text boxes' keys
REVIEW_COMMENT_N = "review.comment.n"  # bumped after a góp ý is added: fresh, empty boxes


def get_review() -> Review:
    """The review of the store's plans. It checks each step against the user itself, so it
    holds the store unchecked (`GuardedStore` does not expose transactions)."""
    from planner.review.workflow import Review

    return Review(base_store())


def comment_block_key(where: str) -> str:
    """The key of the "Góp ý vào" picker of one form (`where`: "all" or "section")."""
    return f"{REVIEW_COMMENT_BLOCK}.{where}"


def comment_text_key(where: str) -> str:
    """The góp ý text box's widget key of one form: a new one after each góp ý added (an
    empty box)."""
    return f"{REVIEW_COMMENT_TEXT}.{where}.{int(st.session_state.get(REVIEW_COMMENT_N, 0))}"


def display_names() -> dict[str, str]:
    """Account name → display name (the version history and review steps show names)."""
    from planner.auth.accounts import Accounts

    return {u.name: u.display_name for u in Accounts(base_store()).list()}


# ---------------------------------------------------------------- Soạn kế hoạch and Xuất văn bản
# (issue #16, item 5: an editor that answers; the document built in the background)
EDITOR_FOCUS = "editor.focus"  # (plan id, widget key part, index, block | None): focus once
EXPORT_JOB = "export.job"  # (build key, Future of the .docx and its check) being built
EXPORT_PDF_JOB = "export.pdf_job"  # (build key, Future of the PDF) being converted
