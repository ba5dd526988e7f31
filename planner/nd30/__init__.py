"""Nghị định 30/2020/NĐ-CP: the template's named styles (`styles`), Times New Roman metrics
(`metrics`) and the conformance check of any .docx (`checker`).

Layer 4: imports `planner.docx` (the safety gate), `planner.text` and `planner.errors`.
"""
