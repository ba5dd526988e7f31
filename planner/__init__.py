"""Soạn Kế hoạch: the pure domain layer (never imports streamlit)."""
