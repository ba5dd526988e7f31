"""Nghị định 30/2020/NĐ-CP: the template's named styles (`styles`), Times New Roman metrics
(`metrics`, from `metrics.json`, built by `tools/nd30_metrics.py`) and the conformance check of
any .docx: `checker` (the driver, `check_docx`), `units` (page units and sizes), `resolver`
(style resolution), `reader` (the document as paragraphs), `findings` (what is reported),
`context` (what the rules share) and the rules by area: `page_rules`, `header_rules`,
`body_rules`, `closing_rules`.

Layer 4: imports `planner.docx` (the safety gate), `planner.text` and `planner.errors`.
"""
