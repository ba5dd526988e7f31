"""The sign-in and sign-out pages: plain HTML in Vietnamese, no script, no external request.

The look follows the app (`.streamlit/config.toml`'s theme): a light page, the app's blue,
a sans-serif font the computer already has, the app's icon inlined.
"""

from __future__ import annotations

import base64
from functools import cache
from html import escape

from planner.paths import ICON_PATH

PRIMARY = "#0b5cad"

_STYLE = f"""
*{{box-sizing:border-box}}
body{{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;
background:#f0f2f6;color:#31333f;font:16px/1.5 "Source Sans Pro","Segoe UI",Roboto,Arial,
sans-serif}}
main{{background:#fff;width:min(420px,92vw);padding:32px 36px;border-radius:10px;
box-shadow:0 1px 3px rgba(0,0,0,.12),0 8px 24px rgba(0,0,0,.06)}}
header{{display:flex;align-items:center;gap:12px;margin-bottom:20px}}
header img{{width:40px;height:40px}}
h1{{font-size:1.5rem;margin:0;font-weight:700}}
p.sub{{margin:0;color:#6b6f7b;font-size:.95rem}}
label{{display:block;font-size:.9rem;margin:14px 0 4px}}
input[type=text],input[type=password]{{width:100%;padding:9px 11px;font:inherit;
border:1px solid #d5d8de;border-radius:6px;background:#f9fafb}}
input:focus{{outline:2px solid {PRIMARY};border-color:{PRIMARY};background:#fff}}
button,a.button{{display:block;width:100%;margin-top:22px;padding:10px;font:inherit;
font-weight:600;text-align:center;text-decoration:none;border-radius:6px;cursor:pointer;
border:1px solid {PRIMARY};background:{PRIMARY};color:#fff}}
a.button.secondary{{background:#fff;color:{PRIMARY};margin-top:12px}}
.or{{text-align:center;color:#6b6f7b;font-size:.85rem;margin:18px 0 0}}
.error{{background:#fdecea;color:#7d1a12;border-radius:6px;padding:10px 12px;margin:0 0 8px}}
.note{{background:#e8f1fb;color:#0b3d73;border-radius:6px;padding:10px 12px;margin:0 0 8px}}
footer{{margin-top:22px;color:#6b6f7b;font-size:.85rem}}
"""


@cache
def _icon_data_uri() -> str:
    return "data:image/png;base64," + base64.b64encode(ICON_PATH.read_bytes()).decode("ascii")


def _page(title: str, body: str) -> str:
    return f"""<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{escape(title)} · Soạn Kế hoạch</title>
<link rel="icon" href="{_icon_data_uri()}">
<style>{_STYLE}</style>
</head>
<body><main>
<header><img src="{_icon_data_uri()}" alt=""><div><h1>Soạn Kế hoạch</h1>
<p class="sub">{escape(title)}</p></div></header>
{body}
</main></body>
</html>
"""


def sign_in_page(
    *,
    csrf: str,
    next_path: str = "/",
    name: str = "",
    error: str | None = None,
    note: str | None = None,
    oidc_label: str | None = None,
) -> str:
    """The sign-in form; `error` (a refusal) or `note` (e.g. "you were signed out") above it;
    `oidc_label`: the unit's identity provider, offered as a second way in."""
    parts = []
    if error:
        parts.append(f'<p class="error" role="alert">{escape(error)}</p>')
    if note:
        parts.append(f'<p class="note" role="status">{escape(note)}</p>')
    parts.append(f"""<form method="post" action="/dang-nhap">
<input type="hidden" name="csrf" value="{escape(csrf)}">
<input type="hidden" name="next" value="{escape(next_path)}">
<label for="name">Tên đăng nhập</label>
<input type="text" id="name" name="name" value="{escape(name)}" autocomplete="username"
 autocapitalize="none" spellcheck="false" required autofocus>
<label for="password">Mật khẩu</label>
<input type="password" id="password" name="password" autocomplete="current-password" required>
<button type="submit">Đăng nhập</button>
</form>""")
    if oidc_label:
        parts.append(
            '<p class="or">hoặc</p><a class="button secondary" href="/dang-nhap/don-vi">'
            f"Đăng nhập bằng tài khoản của đơn vị ({escape(oidc_label)})</a>"
        )
    parts.append(
        "<footer>Quên mật khẩu hoặc chưa có tài khoản? Hãy liên hệ quản trị viên của "
        "phòng.</footer>"
    )
    return _page("Đăng nhập", "\n".join(parts))


def sign_out_confirm_page(*, csrf: str) -> str:
    """Shown when /dang-xuat is opened without this session's key (e.g. from another site)."""
    return _page(
        "Đăng xuất",
        f"""<p>Bạn có muốn đăng xuất khỏi Soạn Kế hoạch không?</p>
<form method="post" action="/dang-xuat">
<input type="hidden" name="csrf" value="{escape(csrf)}">
<button type="submit">Đăng xuất</button>
</form>
<a class="button secondary" href="/">Quay lại</a>""",
    )


def message_page(title: str, message: str, *, link: str = "/dang-nhap") -> str:
    """A refusal or an outage, with a way back."""
    return _page(
        title,
        f'<p class="error" role="alert">{escape(message)}</p>'
        f'<a class="button" href="{escape(link)}">Về trang đăng nhập</a>',
    )
