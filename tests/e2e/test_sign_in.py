"""The office server (`serve.py`) in a real browser: sign in through the form, a refresh keeps
the session, *Đăng xuất* ends it, and a viewer reads the plan with no box to type into (the
refusal itself is tested in planner: tests/test_access.py). Every screen is checked for Streamlit's English and for tracebacks."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest

from bench._server import StreamlitServer, free_port
from planner.auth.accounts import Accounts
from planner.sample import sample_plan
from planner.store.plans import PlanStore
from tests.e2e.helpers import (
    ARTIFACTS,
    E2E,
    exceptions_on,
    go_to,
    main_area,
    server_env,
    settle,
    textarea_values,
)
from tests.e2e.test_vietnamese_chrome import english_on

pytestmark = [*E2E, pytest.mark.timeout(600)]

PASSWORD = "mat-khau-dung-123"
UNIT = "Phòng GD&ĐT Thử"
TITLE = "Kế hoạch dân vận năm 2020 của phòng"


class Served:
    def __init__(self, server: StreamlitServer, store: PlanStore, plan_id: str) -> None:
        self.server = server
        self.store = store
        self.plan_id = plan_id


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    tmp = tmp_path_factory.mktemp("serve-e2e")
    env = {
        **server_env(tmp),
        "PLANNER_SECRET": "e2e-" + "s" * 40,
        "PLANNER_SECRET_FILE": str(tmp / "no-secret-file"),
    }
    store = PlanStore(Path(env["PLANNER_DB"]))
    accounts = Accounts(store)
    now = datetime.now()
    accounts.add(
        "lan", display_name="Nguyễn Thị Lan", role="editor", unit=UNIT, password=PASSWORD, now=now
    )
    accounts.add(
        "quantri", display_name="Quản trị", role="admin", unit=UNIT, password=PASSWORD, now=now
    )
    accounts.add(
        "minh", display_name="Trần Văn Minh", role="viewer", unit=UNIT, password=PASSWORD, now=now
    )
    plan_id = store.create(sample_plan(), now=now, title=TITLE, author="lan", unit=UNIT)
    # A port the OS picks: the other browser tests use bench's 8650-8699.
    server = StreamlitServer(
        "serve.py", port=free_port(range(0)), env=env, log_path=ARTIFACTS / "e2e-serve.log"
    )
    server.start()
    try:
        server.wait_healthy(timeout=90)
        yield Served(server, store, plan_id)
    finally:
        server.stop()


def check(page, where: str) -> None:  # type: ignore[no-untyped-def]
    assert not exceptions_on(page), f"{where}: {exceptions_on(page)}"
    found = english_on(page)
    assert not found, f"{where}: English on screen: {found}"


def sign_in(page, name: str, password: str) -> None:  # type: ignore[no-untyped-def]
    page.get_by_label("Tên đăng nhập").fill(name)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập").click()


def sidebar(page):  # type: ignore[no-untyped-def]
    return page.locator("[data-testid='stSidebar']")


def test_sign_in_refresh_and_sign_out(served: Served, page) -> None:  # type: ignore[no-untyped-def]
    url = served.server.url
    page.goto(f"{url}/soan-ke-hoach?plan={served.plan_id}")
    # Not signed in: the sign-in form, and nothing of the plan.
    assert "/dang-nhap" in page.url
    assert page.get_by_role("heading", name="Soạn Kế hoạch").is_visible()
    assert TITLE not in page.content()
    check(page, "sign-in page")

    sign_in(page, "lan", "mat-khau-sai-000")
    assert page.get_by_role("alert").inner_text() == "Tên đăng nhập hoặc mật khẩu không đúng."
    assert TITLE not in page.content()
    check(page, "wrong password")

    sign_in(page, "lan", PASSWORD)
    settle(page)
    # Back where the user was going, with the plan of the link open.
    assert page.url.endswith(f"/soan-ke-hoach?plan={served.plan_id}")
    side = sidebar(page)
    assert side.get_by_text("Nguyễn Thị Lan").is_visible()
    assert side.get_by_text("Vai trò: Chuyên viên").is_visible()
    assert side.get_by_text(f"Đơn vị: {UNIT}").is_visible()
    assert textarea_values(page), "the editor shows the plan's text"
    check(page, "editor, signed in")

    page.reload()
    settle(page)
    assert "/dang-nhap" not in page.url
    assert sidebar(page).get_by_text("Nguyễn Thị Lan").is_visible()
    check(page, "after a refresh")
    for title in ["Trang chủ", "Văn bản căn cứ", "Tiến độ", "Xuất văn bản", "Trình chiếu"]:
        go_to(page, title)
        if title != "Trình chiếu":  # the presenter folds the sidebar away
            assert sidebar(page).get_by_text("Nguyễn Thị Lan").is_visible()
        check(page, f"{title}, signed in")
    # A download works signed in (the gate lets the cookie's requests through to /media/)...
    page.goto(f"{url}/xuat-van-ban?plan={served.plan_id}")
    settle(page)
    main_area(page).get_by_role("button", name="Tạo tệp Word").click()
    settle(page)
    with page.expect_download() as info:
        main_area(page).get_by_role("button", name="Tải văn bản Word (.docx)").click()
    download = info.value
    assert Path(download.path()).read_bytes().startswith(b"PK")
    media_url = download.url
    assert "/media/" in media_url

    sidebar(page).get_by_text("Đăng xuất", exact=True).click()
    page.wait_for_url("**/dang-nhap?ly-do=da-dang-xuat")
    assert page.get_by_role("status").inner_text() == "Bạn đã đăng xuất."
    check(page, "signed out")
    # ...and the same file's address is refused once signed out.
    after = page.request.get(media_url)
    assert after.status == 401
    assert not after.body().startswith(b"PK")
    # The session is over: the app's pages lead back to the sign-in form.
    page.goto(f"{url}/soan-ke-hoach")
    assert "/dang-nhap" in page.url
    assert TITLE not in page.content()


def test_a_viewer_reads_only(served: Served, page) -> None:  # type: ignore[no-untyped-def]
    before = served.store.open(served.plan_id).version
    page.goto(f"{served.server.url}/soan-ke-hoach?plan={served.plan_id}")
    sign_in(page, "minh", PASSWORD)
    settle(page)
    assert sidebar(page).get_by_text("Vai trò: Xem").is_visible()
    check(page, "editor, viewer")
    # The plan to read, the reason said, and no box to type into.
    alerts = main_area(page).locator("[data-testid='stAlert']").all_inner_texts()
    assert any("vai trò Xem" in a and "không được sửa kế hoạch này" in a for a in alerts), alerts
    assert textarea_values(page) == []
    assert served.store.open(served.plan_id).version == before  # nothing saved


def test_an_upload_signed_in_is_saved_as_the_users(served: Served, page) -> None:  # type: ignore[no-untyped-def]
    """An upload goes through the gate with the session, and the plan it makes belongs to the
    user's unit, with the user as its author."""
    from planner.paths import SAMPLE_PATH

    before = {p.id for p in served.store.list_plans()}
    page.goto(served.server.url)
    sign_in(page, "lan", PASSWORD)
    settle(page)
    uploader = (
        main_area(page)
        .locator("[data-testid='stFileUploader']")
        .filter(has_text="Tệp kế hoạch đã tải về trước đây")
    )
    uploader.locator("input[type=file]").set_input_files(str(SAMPLE_PATH))
    settle(page)
    main_area(page).get_by_role("button", name="Lưu tệp này thành kế hoạch").click()
    settle(page)
    check(page, "plan uploaded")
    assert main_area(page).get_by_text("Đang mở: Thực hiện công tác dân vận").is_visible()
    [new] = [p for p in served.store.list_plans() if p.id not in before]
    assert new.unit == UNIT
    assert served.store.versions(new.id)[0].author == "lan"


# ------------------------------------------------------------------------------ OpenID Connect


class WithProvider:
    def __init__(self, server: StreamlitServer, store: PlanStore) -> None:
        self.server = server
        self.store = store


@pytest.fixture(scope="module")
def with_provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WithProvider]:
    """serve.py with an identity provider the test runs (oidc-provider-mock, a real OpenID
    Connect server: discovery, authorization code with PKCE, signed ID tokens)."""
    mock = pytest.importorskip("oidc_provider_mock")
    tmp = tmp_path_factory.mktemp("serve-oidc")
    db = tmp / "planner.db"
    store = PlanStore(db)
    accounts = Accounts(store)
    now = datetime.now()
    accounts.add(
        "quantri", display_name="Quản trị", role="admin", unit=UNIT, password=PASSWORD, now=now
    )
    accounts.add(
        "hoa",
        display_name="Lê Thị Hoa",
        role="leader",
        unit=UNIT,
        password=None,  # signs in through the office's identity provider only
        now=now,
        email="hoa@phong.example",
    )
    accounts.add(
        "cu",
        display_name="Cũ",
        role="editor",
        unit=UNIT,
        password=None,
        now=now,
        email="cu@phong.example",
    )
    accounts.disable("cu", now=now)
    with mock.run_server_in_thread() as provider:
        port = free_port(range(0))
        env = {
            **server_env(tmp),
            "PLANNER_SECRET": "oidc-" + "s" * 40,
            "PLANNER_SECRET_FILE": str(tmp / "no-secret-file"),
            "PLANNER_OIDC_METADATA_URL": (
                f"http://localhost:{provider.server_port}/.well-known/openid-configuration"
            ),
            "PLANNER_OIDC_CLIENT_ID": "soan-ke-hoach",
            "PLANNER_OIDC_CLIENT_SECRET": "bi-mat-cua-ung-dung",
            "PLANNER_PUBLIC_URL": f"http://localhost:{port}",
            "PLANNER_OIDC_LABEL": "Thư điện tử công vụ",
        }
        server = StreamlitServer(
            "serve.py", port=port, env=env, log_path=ARTIFACTS / "e2e-serve-oidc.log"
        )
        server.start()
        try:
            server.wait_healthy(timeout=90)
            yield WithProvider(server, store)
        finally:
            server.stop()


def sign_in_with_provider(page, url: str, email: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(url)
    assert "/dang-nhap" in page.url
    check(page, "sign-in page with an identity provider")
    page.get_by_role(
        "link", name="Đăng nhập bằng tài khoản của đơn vị (Thư điện tử công vụ)"
    ).click()
    # The provider's own page (the test's provider, in English: not ours to translate).
    page.locator("input[name=sub]").fill(email)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_load_state()


def cookie_names(page) -> set[str]:  # type: ignore[no-untyped-def]
    return {c["name"] for c in page.context.cookies()}


def test_sign_in_with_the_units_account(with_provider: WithProvider, page) -> None:  # type: ignore[no-untyped-def]
    sign_in_with_provider(page, with_provider.server.url, "hoa@phong.example")
    settle(page)
    side = sidebar(page)
    assert side.get_by_text("Lê Thị Hoa").is_visible()
    assert side.get_by_text("Vai trò: Lãnh đạo").is_visible()
    check(page, "signed in through the identity provider")
    names = cookie_names(page)
    assert "planner_session" in names
    assert not any(n.startswith("_streamlit_user") for n in names)  # only our session counts
    page.reload()
    settle(page)
    assert sidebar(page).get_by_text("Lê Thị Hoa").is_visible()
    sidebar(page).get_by_text("Đăng xuất", exact=True).click()
    page.wait_for_url("**/dang-nhap?ly-do=da-dang-xuat")


@pytest.mark.parametrize("email", ["la@noi-khac.example", "cu@phong.example"])
def test_an_identity_without_an_active_account_is_refused(
    with_provider: WithProvider,
    page,  # type: ignore[no-untyped-def]
    email: str,
) -> None:
    sign_in_with_provider(page, with_provider.server.url, email)
    alert = page.get_by_role("alert").inner_text()
    assert email in alert and "chưa được cấp quyền dùng Soạn Kế hoạch" in alert
    check(page, "identity refused")
    assert "planner_session" not in cookie_names(page)
    assert not any(n.startswith("_streamlit_user") for n in cookie_names(page))
    page.goto(with_provider.server.url + "/soan-ke-hoach")
    assert "/dang-nhap" in page.url  # still not signed in
