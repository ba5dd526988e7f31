"""Plan storage: versions, conflicts, the bin.

Layer 2: imports `planner.model`, `planner.errors` and `planner.text`; never the catalogue,
documents or drafting.
"""
