"""Reusable Streamlit widgets; `components.state` is the one module that knows session keys."""
