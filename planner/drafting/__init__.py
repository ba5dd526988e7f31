"""Drafting next year's plan: the rollover (`rollover`), its findings (`findings`), the
citation check (`citation_check`) and pure edit operations on plans (`plan_edit`).

Layer 5: imports the catalogue, the model, text and errors; never the CLI.
"""
