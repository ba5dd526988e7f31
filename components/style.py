"""Global look: Streamlit's own English words shown in Vietnamese, and a calmer chrome.

Streamlit 1.67 has no setting for the language of its built-in widgets. So:
- `.streamlit/config.toml` sets `client.toolbarMode = "minimal"`: no ⋮ menu (Print, Record a
  screencast, "Made with Streamlit") and no developer buttons;
- the CSS below hides what office staff do not need: "Press Ctrl+Enter to apply" under text
  boxes (the editor saves by itself) and the data grids' hover toolbar (the pages give their
  own Vietnamese buttons, e.g. *Thêm công việc*, *Tải CSV*);
- a small script translates the rest where Streamlit draws it: whole texts and the
  `aria-label`/`title`/`placeholder` of its controls ("Stop", "Browse files", "Choose an
  option", the date boxes' "dd/mm/yyyy"…), again whenever Streamlit redraws them. It only
  touches texts that are exactly one of Streamlit's own strings, never the user's content.
"""

from __future__ import annotations

import json

import streamlit as st

_CSS = """
<style>
/* Text boxes save by themselves: no "Press Ctrl+Enter to apply" over their last line. */
[data-testid="InputInstructions"] { display: none !important; }
/* The data grids' hover toolbar (Add row, Search, Download as CSV, Fullscreen…) is English
   and covers the widgets above the grid; pages offer Vietnamese buttons instead. */
[data-testid="stElementToolbar"] { display: none !important; }
</style>
"""

# Streamlit's own strings (exact texts) and their Vietnamese.
WORDS: dict[str, str] = {
    "Skip to main content": "Chuyển đến nội dung chính",
    "Stop": "Dừng",
    "Running...": "Đang xử lý…",
    "Rerun": "Chạy lại",
    "Browse files": "Chọn tệp",
    "Upload": "Tải lên",
    "Upload directories": "Tải thư mục lên",
    "file upload": "Tải tệp lên",
    "Drag and drop file here": "Kéo thả tệp vào đây",
    "Drag and drop files here": "Kéo thả các tệp vào đây",
    "Choose an option": "Chọn…",
    "Choose options": "Chọn…",
    "No results": "Không có kết quả",
    "Clear all": "Bỏ chọn tất cả",
    "Clear value": "Xóa giá trị",
    "Remove": "Bỏ",
    "Open": "Mở danh sách",
    "Close": "Đóng",
    "Choose date": "Chọn ngày",
    "Collapse sidebar": "Thu gọn thanh bên",
    "Expand sidebar": "Mở thanh bên",
    "Sidebar": "Thanh bên",
    "App pages": "Các trang",
    "Main menu": "Trình đơn",
    "Link to heading": "Liên kết tới đề mục này",
    "Copy to clipboard": "Chép",
    "Add row": "Thêm dòng",
    "Delete row": "Xóa dòng",
    "Delete rows": "Xóa các dòng",
    "Download as CSV": "Tải CSV",
    "Search": "Tìm",
    "Fullscreen": "Toàn màn hình",
    "Close fullscreen": "Thoát toàn màn hình",
    "Show/hide columns": "Ẩn/hiện cột",
    "Sort ascending": "Sắp xếp tăng dần",
    "Sort descending": "Sắp xếp giảm dần",
    "Pin column": "Ghim cột",
    "Unpin column": "Bỏ ghim cột",
    "Hide column": "Ẩn cột",
    "Autosize": "Tự chỉnh độ rộng",
    "Format": "Định dạng",
    "Previous month": "Tháng trước",
    "Next month": "Tháng sau",
    "Select a date": "Chọn ngày",
    "Decrement": "Giảm",
    "Increment": "Tăng",
    "Show password text": "Hiện mật khẩu",
}
# Texts with a part that varies: (JavaScript regular expression, replacement).
PATTERNS: list[tuple[str, str]] = [
    (r"^Limit (\S+) per file(?: • (.*))?$", "Tối đa $1 mỗi tệp · $2"),
    (r"^(\S+) per file(?: • (.*))?$", "Tối đa $1 mỗi tệp · $2"),
    (r"^Help for (.+)$", "Hướng dẫn: $1"),
    (r"^Choose date, (.+)$", "Chọn ngày, $1"),
    (r"^Selected date, (.+)$", "Ngày đã chọn, $1"),
    (r"^day, (.+)$", "ngày, $1"),
    (r"^month, (.+)$", "tháng, $1"),
    (r"^year, (.+)$", "năm, $1"),
    (r"^Running\.\.\.$", "Đang xử lý…"),
]
# The segments of an empty date box (1.67 draws "dd / mm / yyyy" as separate texts).
DATE_SEGMENTS = {"dd": "ngày", "mm": "tháng", "yyyy": "năm", "DD": "ngày", "MM": "tháng"}

_SCRIPT = """
<script>
(() => {
  const words = __WORDS__, patterns = __PATTERNS__.map(([re, to]) => [new RegExp(re), to]);
  const segments = __SEGMENTS__;
  const doc = window.parent && window.parent.document ? window.parent.document : document;
  if (doc.__viChrome) return;
  doc.__viChrome = true;
  const say = (text) => {
    const t = text.trim();
    if (!t) return null;
    if (Object.prototype.hasOwnProperty.call(words, t)) return words[t];
    for (const [re, to] of patterns) {
      if (re.test(t)) return t.replace(re, to).replace(/ · $/, "");
    }
    return null;
  };
  // The user's content is never touched; the file uploader's button is Streamlit's own
  // "Upload", though 1.67 draws it as markdown.
  const mine = (node) => {
    const p = node.parentElement;
    if (!p || p.closest("[data-testid='stFileUploaderDropzone'] button")) return false;
    return p.closest(
      "[data-testid='stMarkdownContainer'], [data-testid='stCode'], textarea, .stTextArea");
  };
  const fixText = (node) => {
    if (mine(node)) return;
    const p = node.parentElement;
    if (p && p.childNodes.length > 1 && [...p.childNodes].every((c) => c.nodeType === 3)) {
      // one text React wrote in pieces ("Limit ", "25MB", " per file • CSV")
      const to = say(p.textContent);
      if (to !== null) {
        const parts = [...p.childNodes];
        parts.forEach((c, i) => { c.nodeValue = i === 0 ? to : ""; });
        return;
      }
    }
    const inDate = node.parentElement && node.parentElement.closest("[data-testid='stDateInput']");
    const t = node.nodeValue.trim();
    const to = inDate && segments[t] ? segments[t] : say(node.nodeValue);
    if (to !== null && to !== node.nodeValue) node.nodeValue = to;
  };
  const fixAttrs = (el) => {
    for (const a of ["aria-label", "title", "placeholder"]) {
      const v = el.getAttribute && el.getAttribute(a);
      if (!v) continue;
      const to = say(v);
      if (to !== null && to !== v) el.setAttribute(a, to);
    }
  };
  const walk = (root) => {
    if (root.nodeType === 3) { fixText(root); return; }
    if (root.nodeType !== 1) return;
    fixAttrs(root);
    for (const el of root.querySelectorAll("[aria-label], [title], [placeholder]")) fixAttrs(el);
    const it = doc.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = it.nextNode(); n; n = it.nextNode()) fixText(n);
  };
  walk(doc.body);
  new MutationObserver((changes) => {
    for (const c of changes) {
      if (c.type === "characterData") fixText(c.target);
      else if (c.type === "attributes") fixAttrs(c.target);
      else c.addedNodes.forEach(walk);
    }
  }).observe(doc.body, {
    subtree: true, childList: true, characterData: true,
    attributes: true, attributeFilter: ["aria-label", "title", "placeholder"],
  });
})();
</script>
"""


def chrome_script() -> str:
    """The translating script with its word lists filled in."""
    return (
        _SCRIPT.replace("__WORDS__", json.dumps(WORDS, ensure_ascii=False))
        .replace("__PATTERNS__", json.dumps(PATTERNS, ensure_ascii=False))
        .replace("__SEGMENTS__", json.dumps(DATE_SEGMENTS, ensure_ascii=False))
    )


def apply_global_style() -> None:
    st.html(_CSS + chrome_script(), unsafe_allow_javascript=True)
